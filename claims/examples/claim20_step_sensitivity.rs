//! Claim C20 — seed `002_545e1695acb3b3aa.txt`: momentum is "less sensitive to learning rate
//! choice".
//!
//! Setting: worst-case rate over [0.01, 1] (κ = 100); the window of steps whose iterations per
//! decade are within 2× of the method's best, for GD, heavy ball at β = 0.9 and Polyak's heavy ball.
//!
//! Run: `cargo run --release --example claim20_step_sensitivity`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c20_step_sensitivity()?);
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
