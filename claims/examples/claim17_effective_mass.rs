//! Claim C17 — seed `003_afe2b7722f671b23.txt`: "the effective mass is related to the momentum coefficient by
//! m ∝ 1/(1−γ)".
//!
//! Setting: seed 001's mapping β = 1 − cΔt/m, η = Δt²/m with friction c = 0.5, and either the
//! time step Δt = 0.1 or the learning rate η = 0.01 held fixed; the (c, η)-fixed mass is checked by
//! running the oscillator (semi-implicit Euler) beside heavy ball.
//!
//! Run: `cargo run --release --example claim17_effective_mass`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c17_effective_mass()?);
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
