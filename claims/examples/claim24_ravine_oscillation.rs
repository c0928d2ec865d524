//! Claim C24 — see `claims/src/c24_ravine_oscillation.rs` for the seed's sentence, its file and the setting.
//!
//! Run: `cargo run --release --example claim24_ravine_oscillation`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c24_ravine_oscillation()?);
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
