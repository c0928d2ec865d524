//! Claim C05 — seeds `001_bebc352796fd93d7.txt` and `000_7fac47b36c6dd606.txt`: discretising the
//! damped oscillator m·dv/dt = −∇f(x) − γv ("forward Euler") gives heavy ball with
//! β = 1 − γΔt/m and η = Δt²/m; seed 000: a centred difference for ÿ and a backward difference for
//! ẏ in ÿ + αẏ + ∇f = 0 gives exactly the heavy-ball update.
//!
//! Setting: m = 2, γ = 0.5, Δt = 0.1 (η = 0.005, β = 0.975) on ½x² + 25/2·y² from (1, 1) at rest,
//! 400 steps. Semi-implicit Euler (position updated with the new velocity), seed 000's scheme and
//! fully explicit Euler are run beside heavy ball.
//!
//! Run: `cargo run --release --example claim05_physics_discretisation`

use momentum::Method;
use momentum_claims::{
    self as claims, iterate_plane, oscillator_explicit, oscillator_semi_implicit,
};
use std::process::ExitCode;

fn run() -> momentum::Result<()> {
    println!("{}\n", claims::c05_physics_discretisation()?);
    let (m, c, dt) = (2.0, 0.5, 0.1);
    let hb = iterate_plane(
        &Method::heavy_ball(dt * dt / m, 1.0 - c * dt / m)?,
        [1.0, 25.0],
        [1.0, 1.0],
        5,
    );
    let semi = oscillator_semi_implicit((m, c, dt), [1.0, 25.0], [1.0, 1.0], 5);
    let expl = oscillator_explicit((m, c, dt), [1.0, 25.0], [1.0, 1.0], 5);
    println!("y coordinate (curvature 25), first steps:");
    println!(
        "{:>3} {:>24} {:>24} {:>24}",
        "k", "heavy ball", "semi-implicit Euler", "explicit Euler"
    );
    for k in 0..=5 {
        println!(
            "{k:>3} {:>24} {:>24} {:>24}",
            hb[k][1], semi[k][1], expl[k][1]
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
