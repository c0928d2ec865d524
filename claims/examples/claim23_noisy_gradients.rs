//! Claim C23 — see `claims/src/c23_noisy_gradients.rs` for the seed's sentence, its file and the setting.
//!
//! Run: `cargo run --release --example claim23_noisy_gradients`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c23_noisy_gradients()?);
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
