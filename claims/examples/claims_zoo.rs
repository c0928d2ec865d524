//! The second catalogue (CLAIMS.md, "Optimizers beyond two steps"): the papers of AdEMAMix,
//! Lookahead, schedule-free SGD, AggMo and unnormalised SAM on stability, each computed on the
//! order-n core — see `claims/src/zoo.rs` for the statements, papers and settings.
//!
//! Run: `cargo run --release -p momentum-claims --example claims_zoo`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    let all = claims::zoo_all()?;
    for c in &all {
        println!("{c}\n");
    }
    println!("{}", claims::Tally::of(&all));
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
