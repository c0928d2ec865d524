//! Claim C26 — see `claims/src/c26_minibatch_noise.rs` for the seed's sentence, its file and the setting.
//!
//! Run: `cargo run --release --example claim26_minibatch_noise`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c26_minibatch_noise()?);
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
