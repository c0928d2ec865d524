//! Claims C07a and C07b — seed `002_545e1695acb3b3aa.txt`: "Momentum allows for higher learning
//! rates. Typical increase: 2x–5x the learning rate without momentum"; seed
//! `003_afe2b7722f671b23.txt`: the effective step is α/(1 − γ), "10× the nominal value … you may
//! need to reduce your learning rate to maintain stability".
//!
//! Setting: largest curvature L = 1; largest stable step of GD (2/L), heavy ball (2(1+β)/L),
//! Nesterov ((2+2β)/((1+2β)L)) and the EWMA form v = βv + (1−β)g, x −= αv (canonical step
//! α(1 − β)), from the exact Jury interval.
//!
//! Run: `cargo run --release --example claim07_learning_rate_with_momentum`

use momentum::Method;
use momentum_claims::{self as claims, max_stable_step};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c07a_higher_learning_rates()?);
    println!("{}\n", claims::c07b_reduce_learning_rate()?);
    let gd = max_stable_step(&Method::gradient_descent(1.0)?, 1.0)?.unwrap_or(f64::NAN);
    println!("largest stable step relative to GD's (L = 1):");
    println!(
        "{:>6} {:>12} {:>12} {:>14}",
        "β", "heavy ball", "Nesterov", "EWMA-form α"
    );
    for beta in [0.0, 0.25, 1.0 / 3.0, 0.5, 2.0 / 3.0, 0.9, 0.99] {
        let hb = max_stable_step(&Method::heavy_ball(1.0, beta)?, 1.0)?.unwrap_or(f64::NAN);
        let nag = max_stable_step(&Method::nesterov(1.0, beta)?, 1.0)?.unwrap_or(f64::NAN);
        println!(
            "{:>6.4} {:>12.6} {:>12.6} {:>14.6}",
            beta,
            hb / gd,
            nag / gd,
            hb / (1.0 - beta) / gd
        );
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
