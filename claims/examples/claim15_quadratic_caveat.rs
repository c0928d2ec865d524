//! Claim C15 — seed `001_bebc352796fd93d7.txt`: "A general smooth function often behaves like a
//! quadratic near its minimum, so this analysis provides powerful insights" — the bridge from
//! Polyak's β* on quadratics to smooth problems. docs/REFERENCE.md §7: it does not carry over globally.
//!
//! Setting: Lessard, Recht & Packard (2016, §4.6): ∇f(x) = 25x (x < 1), x + 24 (1 ≤ x < 2),
//! 25x − 24 (x ≥ 2), μ = 1, L = 25; Polyak-tuned heavy ball (α = 1/9, β = 4/9) and Nesterov from
//! x₋₁ = x₀ = 3.3.
//!
//! Run: `cargo run --release --example claim15_quadratic_caveat`

use momentum::Spectrum;
use momentum::tune as tuning;
use momentum_claims::{self as claims, iterate_scalar, lessard_gradient};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c15_quadratic_caveat()?);
    let hb = iterate_scalar(
        &Spectrum::interval(1.0, 25.0)
            .and_then(|iv| tuning::heavy_ball(&iv))?
            .method,
        lessard_gradient,
        3.3,
        15,
    );
    let nq = iterate_scalar(
        &Spectrum::interval(1.0, 25.0)
            .and_then(|iv| tuning::nesterov_quadratic(&iv))?
            .method,
        lessard_gradient,
        3.3,
        15,
    );
    println!(
        "{:>3} {:>24} {:>24}",
        "k", "heavy ball (Polyak)", "Nesterov (quadratic)"
    );
    for k in 0..=15 {
        println!("{k:>3} {:>24} {:>24}", hb[k], nq[k]);
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
