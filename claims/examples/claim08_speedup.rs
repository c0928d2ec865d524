//! Claim C08 — seed `002_545e1695acb3b3aa.txt`: momentum "can converge 10x–100x faster than
//! standard gradient descent".
//!
//! Setting: each method tuned for κ = L/μ (docs/REFERENCE.md §4); speedup = iterations per decade of tuned
//! GD (rate (κ−1)/(κ+1)) over those of the method — Polyak's heavy ball ((√κ−1)/(√κ+1)), Nesterov
//! with α = 1/L (1 − 1/√κ) and quadratic-optimal Nesterov (1 − 2/√(3κ+1)); and the κ at which it
//! is 10 and 100.
//!
//! Run: `cargo run --release --example claim08_speedup`

use momentum::TuningKind;
use momentum_claims::{self as claims, tuned_speedup};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c08_speedup()?);
    println!(
        "{:>10} {:>12} {:>14} {:>16} {:>10}",
        "κ", "heavy ball", "NAG standard", "NAG quadratic", "√κ"
    );
    for e in 0..=8 {
        let kappa = 10f64.powf(0.5 * e as f64 + 1.0 - 0.5);
        println!(
            "{:>10.1} {:>12.4} {:>14.4} {:>16.4} {:>10.4}",
            kappa,
            tuned_speedup(TuningKind::HeavyBall, kappa)?,
            tuned_speedup(TuningKind::Nesterov, kappa)?,
            tuned_speedup(TuningKind::NesterovQuadratic, kappa)?,
            kappa.sqrt()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
