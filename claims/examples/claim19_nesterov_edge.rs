//! Claim C19 — seeds `002_545e1695acb3b3aa.txt` (NAG: "Better convergence properties",
//! "Reduces overshooting") and `001_bebc352796fd93d7.txt` (the look-ahead "gives NAG its
//! theoretical and often practical edge over the classical momentum method").
//!
//! Setting: tuned rates on [0.01, 1] (κ = 100); overshoot from rest on ½x² at η = 0.1, β = 0.9.
//!
//! Run: `cargo run --release --example claim19_nesterov_edge`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c19_nesterov_edge()?);
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
