//! Claim C25 — see `claims/src/c25_plateaus.rs` for the seed's sentence, its file and the setting.
//!
//! Run: `cargo run --release --example claim25_plateaus`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c25_plateaus()?);
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
