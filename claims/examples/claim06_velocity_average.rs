//! Claim C06 — seeds `001_bebc352796fd93d7.txt` (v_t = Σ β^{t−i} g_i "is an exponentially weighted
//! moving average"), `002_545e1695acb3b3aa.txt` (bias correction v̂_t = v_t/(1 − βᵗ)) and
//! `003_afe2b7722f671b23.txt` ("the effective step size is approximately α/(1 − γ) in the long
//! run … 10× the nominal value" at γ = 0.9).
//!
//! Setting: β = 0.9; a constant gradient g = 1 (the multiplier (1 − βᵗ)/(1 − β) after t steps);
//! on a quadratic, heavy ball (η = 0.01) against gradient descent with the effective step
//! η/(1 − β), curvature by curvature.
//!
//! Run: `cargo run --release --example claim06_velocity_average`

use momentum_claims::{self as claims, constant_gradient_multiplier};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c06_velocity_average()?);
    println!("constant-gradient multiplier (1 − βᵗ)/(1 − β), β = 0.9 (limit 10):");
    for t in [1, 2, 3, 5, 10, 15, 20, 22, 30, 50, 100] {
        println!("  t = {t:>3}: {}", constant_gradient_multiplier(0.9, t));
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
