//! Claim C02 — seed `001_bebc352796fd93d7.txt`: with the learning rate also chosen optimally, the
//! momentum minimising the worst-case convergence factor is Polyak's
//! β* = ((√κ − 1)/(√κ + 1))², closer to 1 for more ill-conditioned problems.
//!
//! Setting: heavy ball on curvatures [1/κ, 1] for κ = 4, 100, 10⁴. Three routes: the closed form
//! (`tuning::heavy_ball`), a numeric minimax over (α, β) (`claims::minimax`), and the empirical
//! rate of a simulation of the tuned method on 50 curvatures (`simulate::run`).
//!
//! Run: `cargo run --release --example claim02_polyak_momentum`

use momentum_claims as claims;
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}", claims::c02_polyak_momentum()?);
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
