//! Every seed claim at once: `claims::all()` printed check by check, then a one-line summary per
//! claim (id, verdict, statement). Each claim also has its own example, `claimNN_*`.
//!
//! Run: `cargo run --release --example claims_report`

use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    let t = std::time::Instant::now();
    let all = momentum_claims::all()?;
    let elapsed = t.elapsed();
    for c in &all {
        println!("{c}\n");
    }
    println!(
        "summary ({} checks, computed in {:.3} s):",
        all.len(),
        elapsed.as_secs_f64()
    );
    for c in &all {
        println!("  {:<5} {:<13} {}", c.id, c.verdict.tag(), c.statement);
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
