//! Claim C14 — seeds `001_bebc352796fd93d7.txt` (f(x₁, x₂) = 50x₁² + 0.5x₂², a step-by-step
//! calculation "illustrates how the velocity term accumulates, smoothing the path") and
//! `003_afe2b7722f671b23.txt` (J(θ) = 100θ₁² + θ₂² is "100 times steeper" in θ₁; GD zigzags,
//! "momentum naturally dampens these oscillations").
//!
//! Setting: f = 50x₁² + 0.5x₂² (κ = 100; J = 2f is the same landscape), 60 steps from
//! (x₁, x₂) = (1, −10) at rest — each method tuned for κ, and heavy ball with β = 0.5, 0.9 added
//! at gradient descent's step. Prints the first iterates; `momentum figures` draws them as
//! `figures/ravine_paths.png`.
//! Neither seed prints its step-by-step numbers, so the ones here are for this stated setting.
//!
//! Run: `cargo run --release --example claim14_ravine_paths`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c14_ravine_paths()?);
    let r = claims::ravine()?;
    for (title, paths) in [
        ("tuned for κ = 100", &r.tuned),
        ("momentum at GD's step", &r.same_step),
    ] {
        println!("{title}:");
        for p in paths {
            println!("  {}", p.label);
            for (k, x) in p.points.iter().enumerate().take(4) {
                println!("    k = {k}: (x₁, x₂) = ({}, {})", x[0], x[1]);
            }
        }
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
