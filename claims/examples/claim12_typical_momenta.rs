//! Claim C12 — seed `002_545e1695acb3b3aa.txt`, "Typical Values": β = 0.9 most common, good
//! balance; β = 0.95 faster but less stable; β = 0.99 can be unstable; β = 0.5 more conservative
//! (and "Low β (0.5–0.7): … slower convergence").
//!
//! Setting: heavy ball on curvatures [0.01, 1] (κ = 100, L = 1) with the best step for each β:
//! stable step range, best worst-case rate (closed form and numeric search), steps attaining it;
//! the same rates at κ = 10⁴.
//!
//! Run: `cargo run --release --example claim12_typical_momenta`

use momentum_claims::{self as claims, heavy_ball_best_rate_at_momentum};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c12_typical_momenta()?);
    println!("best rate over the step, by κ:");
    print!("{:>8}", "κ");
    for b in [0.5, 0.9, 0.95, 0.99] {
        print!("{:>12}", format!("β = {b}"));
    }
    println!();
    for kappa in [10.0, 30.0, 100.0, 300.0, 1e3, 3e3, 1e4, 1e5, 1e6] {
        print!("{kappa:>8}");
        for b in [0.5, 0.9, 0.95, 0.99] {
            print!(
                "{:>12.6}",
                heavy_ball_best_rate_at_momentum(b, 1.0 / kappa, 1.0)?.0
            );
        }
        println!();
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
