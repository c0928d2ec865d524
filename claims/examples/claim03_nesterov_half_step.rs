//! Claim C03 — seed `001_bebc352796fd93d7.txt`: "in one specific setup with γ = 0.5, the maximum
//! stable learning rate for NAG is only half that of the heavy-ball method".
//!
//! Setting: one curvature λ = 1, exact Jury intervals of the step. Closed forms: heavy ball
//! 2(1+β)/λ, Nesterov (2+2β)/((1+2β)λ), ratio 1/(1+2β) — one half exactly at β = ½.
//!
//! Run: `cargo run --release --example claim03_nesterov_half_step`

use momentum::Method;
use momentum_claims::{self as claims, format_value, max_stable_step};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c03_nesterov_half_step()?);
    println!(
        "{:>5} {:>20} {:>20} {:>20} {:>20}",
        "β", "HB η_max", "NAG η_max", "ratio", "1/(1+2β)"
    );
    for beta in [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99] {
        let hb = max_stable_step(&Method::heavy_ball(1.0, beta)?, 1.0)?.unwrap_or(f64::NAN);
        let nag = max_stable_step(&Method::nesterov(1.0, beta)?, 1.0)?.unwrap_or(f64::NAN);
        println!(
            "{:>5} {:>20} {:>20} {:>20} {:>20}",
            beta,
            format_value(hb),
            format_value(nag),
            format_value(nag / hb),
            format_value(1.0 / (1.0 + 2.0 * beta))
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
