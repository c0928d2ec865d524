//! Claim C18 — seed `001_bebc352796fd93d7.txt`: "The overall convergence rate is limited by the
//! slowest-converging component, which typically corresponds to the directions associated with the
//! smallest and largest eigenvalues".
//!
//! Setting: curvatures in [0.01, 1]; Polyak's heavy ball, Nesterov and heavy ball at
//! (η, β) = (1, 0.9): the largest spectral radius over 2001 curvatures against the two ends, and
//! the worst error after N = 100 steps from rest, max |P_N(λ)|.
//!
//! Run: `cargo run --release --example claim18_extreme_eigenvalues`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c18_extreme_eigenvalues()?);
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
