//! Claim C10 — seed `000_7fac47b36c6dd606.txt`: analysing the dynamics near a constraint boundary
//! "allows for the derivation of a 'conservative' momentum coefficient that guarantees
//! non-oscillatory convergence, ensuring that iterates approaching the boundary from the feasible
//! side do not violate the constraint due to momentum-induced overshooting".
//!
//! Setting: the distance to the boundary x obeys ½λx² (x > 0 feasible, boundary at 0), heavy ball
//! from rest at x₀ = 1. Critical damping β_c = (1 − √(ηλ))²; η = 0.04 (ηλ = 0.04, β_c = 0.64) and
//! η = 1.44 (ηλ > 1), 10⁵ steps, signs tracked on the rescaled recurrence.
//!
//! Run: `cargo run --release --example claim10_conservative_momentum`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c10_conservative_momentum()?);
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
