//! Claim C21 — seed `001_bebc352796fd93d7.txt`: "The primary hyperparameter controlling the magnitude of
//! this overshooting is indeed the momentum parameter β".
//!
//! Setting: heavy ball from rest at x₀ = 1 on ½x²; overshoot max(0, −min_k x_k/x₀) over 2000 steps
//! for a grid of ηλ and β, and gradient descent with ηλ > 1.
//!
//! Run: `cargo run --release --example claim21_overshoot_parameter`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c21_overshoot_parameter()?);
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
