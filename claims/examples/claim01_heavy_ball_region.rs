//! Claim C01 — seed `001_bebc352796fd93d7.txt` ("Principles and mechanisms"):
//! heavy ball on f(w) = ½λw² is stable "if and only if −1 < β < 1 and 0 < η < 2(1+β)/λ", so the
//! largest stable learning rate is linear in β.
//!
//! Setting: λ = 4; the crate's exact Jury interval of the step at several β, printed beside
//! 2(1+β)/λ, and a direct check by iteration: 2000 steps from rest at 0.99·η_max (decays) and
//! 1.01·η_max (grows).
//!
//! Run: `cargo run --release --example claim01_heavy_ball_region`

use momentum::Method;
use momentum_claims::{self as claims, format_value, iterate_scalar, max_stable_step};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    let check = claims::c01_heavy_ball_region()?;
    println!("{check}\n");
    let lambda = 4.0;
    println!(
        "{:>6} {:>22} {:>22} {:>14} {:>14}",
        "β", "η_max (Jury)", "2(1+β)/λ", "|x_2000| 0.99", "|x_2000| 1.01"
    );
    for beta in [-0.9, -0.5, 0.0, 0.5, 0.9, 0.99] {
        let hi = max_stable_step(&Method::heavy_ball(1.0, beta)?, lambda)?.unwrap_or(f64::NAN);
        let end = |f: f64| -> momentum::Result<f64> {
            let xs = iterate_scalar(
                &Method::heavy_ball(f * hi, beta)?,
                |x| lambda * x,
                1.0,
                2000,
            );
            Ok(xs.last().copied().unwrap_or(f64::NAN).abs())
        };
        println!(
            "{:>6} {:>22} {:>22} {:>14.3e} {:>14.3e}",
            beta,
            format_value(hi),
            format_value(2.0 * (1.0 + beta) / lambda),
            end(0.99)?,
            end(1.01)?
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
