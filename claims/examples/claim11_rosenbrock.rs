//! Claim C11 — seed `000_7fac47b36c6dd606.txt`: on the Rosenbrock function momentum navigates the
//! curved valley "far more effectively than its memoryless counterpart, often leading to a
//! dramatic reduction in the number of iterations required for convergence".
//!
//! Setting: f = (1 − x)² + 100(y − x²)² from (−1.2, 1) at rest, stop when ‖x − (1, 1)‖ < 1e-6.
//! Tuned: grid search over η = 10^(−5 + 3i/60) (i ≤ 60) and β ∈ {0, 0.02, …, 0.98, 0.99, 0.995}
//! for each of GD, heavy ball and Nesterov; typical: η = 1e-3, β = 0.9.
//!
//! Run: `cargo run --release --example claim11_rosenbrock`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c11_rosenbrock()?);
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
