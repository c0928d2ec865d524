//! Claim C22 — see `claims/src/c22_ewma_form.rs` for the seed's sentence, its file and the setting.
//!
//! Run: `cargo run --release --example claim22_ewma_form`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c22_ewma_form()?);
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
