//! Claim C09 — seed `001_bebc352796fd93d7.txt`: "Overdamped (Δ > 0): … The error decreases
//! monotonically (or with at most one sign change) towards zero"; underdamped oscillates;
//! critically damped is "often the fastest non-oscillatory convergence".
//!
//! Setting: heavy ball η = 2.4, β = 0.25, λ = 1 — Δ = c₁² − 4c₀ > 0, "overdamped" by the seed's
//! criterion — from rest at x₀ = 1; and the rate over β at ηλ = 0.04.
//!
//! Run: `cargo run --release --example claim09_damping_classes`

use momentum::Method;
use momentum_claims::{self as claims, iterate_scalar};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c09_damping_classes()?);
    let xs = iterate_scalar(&Method::heavy_ball(2.4, 0.25)?, |x| x, 1.0, 12);
    println!("iterates of the 'overdamped' counterexample:");
    for (k, x) in xs.iter().enumerate() {
        println!("  x_{k:<2} = {x}");
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
