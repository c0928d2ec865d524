//! Claim C04 — seed `001_bebc352796fd93d7.txt`: on L(x, y) = ½x² + 25/2·y², "after two
//! iterations, the momentum method can make significantly more progress toward the minimum in the
//! shallow direction (e.g. 1.46 times the progress of standard GD)".
//!
//! Setting: the shallow direction x (curvature 1), from rest (x₋₁ = x₀ = 1), progress x₀ − x₂.
//! GD: x₂ = (1 − η)²x₀; heavy ball: x₂ = (1 − η)²x₀ − βηx₀; ratio 1 + β/(2 − η). The seed gives
//! neither η nor β: the example prints the ratio over a grid and the settings that give 1.46.
//!
//! Run: `cargo run --release --example claim04_two_step_progress`

use momentum::Method;
use momentum_claims::{self as claims, iterate_plane, two_step_progress_ratio};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c04_two_step_progress()?);
    println!("ratio 1 + β/(2 − η) on a grid (rows η, columns β):");
    let betas = [0.5, 0.8, 0.874, 0.9, 0.95, 0.99];
    print!("{:>8}", "η \\ β");
    for b in betas {
        print!("{b:>10}");
    }
    println!();
    for eta in [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1] {
        print!("{eta:>8}");
        for b in betas {
            print!("{:>10.6}", two_step_progress_ratio(eta, b, 1.0));
        }
        println!();
    }
    println!("\nboth coordinates, η = 0.04, β = 0.9, from (x, y) = (1, 1):");
    let gd = iterate_plane(&Method::gradient_descent(0.04)?, [1.0, 25.0], [1.0, 1.0], 2);
    let hb = iterate_plane(&Method::heavy_ball(0.04, 0.9)?, [1.0, 25.0], [1.0, 1.0], 2);
    for k in 0..=2 {
        println!("  k = {k}: GD {:?}   HB {:?}", gd[k], hb[k]);
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
