//! C05 — the damped oscillator, discretised, is heavy ball.
//!
//! **Claim.** Discretising m v̇ = −∇f − γv ("forward Euler") gives heavy ball with
//! β = 1 − γΔt/m, η = Δt²/m; seed 000: a centred difference for ÿ and a backward difference for
//! ẏ in ÿ + αẏ + ∇f = 0 gives exactly the heavy-ball update.
//!
//! **Source.** Seeds 001 and 000, [`SEED_PRINCIPLES`] and [`SEED_APPLICATIONS`]; seed 003
//! ([`SEED_BLOG`]) states the same oscillator, m θ̈ + c θ̇ = −∇J.
//!
//! **Setting.** m = 2, γ = 0.5, Δt = 0.1 (seed 000: unit mass, damping a = γ/m) on
//! ½x² + 25/2·y² from (1, 1), 400 steps from rest.
//!
//! **Check.** The largest difference between heavy ball with the mapped (η, β) and
//! (a) semi-implicit Euler, (b) seed 000's scheme, (c) fully explicit Euler; and the explicit
//! scheme's spectral radius at λ = 25 with its stability bound ηλ < 1 − β.
//! `tests/it/c05.rs` integrates semi-implicit Euler itself (written with the momentum p = m·v),
//! and takes the explicit scheme's rate and stability edge from nalgebra eigenvalues of its
//! one-step map (bisection for the edge).
//!
//! **Verdict.** Holds when the position is updated with the new velocity: if semi-implicit Euler
//! and seed 000's scheme agree with heavy ball to 1e-12 while explicit Euler departs from it and
//! diverges at λ = 25, the verdict is "holds when" with that condition; wrong otherwise.

use crate::check::{
    Check, SEED_APPLICATIONS, SEED_BLOG, SEED_PRINCIPLES, Verdict, quantity, verdict_if,
};
use crate::common::{
    iterate_plane, max_abs_diff, oscillator_semi_implicit, sig, stale_gradient_recurrence,
};
use momentum::error::Result;
use momentum::method::Method;

/// Fully explicit (forward) Euler for the system of [`oscillator_semi_implicit`]: x ← x + Δt·v
/// with the *old* velocity, then v ← v + (Δt/m)(−∇f(x_old) − c v). Eliminating v gives
/// x_{k+1} = x_k + β(x_k − x_{k−1}) − η∇f(x_{k−1}): a stale gradient, not heavy ball.
pub fn oscillator_explicit(
    (m, c, dt): (f64, f64, f64),
    curvatures: [f64; 2],
    x0: [f64; 2],
    steps: usize,
) -> Vec<[f64; 2]> {
    let mut x = x0;
    let mut v = [0.0; 2];
    let mut out = vec![x];
    for _ in 0..steps {
        for i in 0..2 {
            let g = curvatures[i] * x[i];
            x[i] += dt * v[i];
            v[i] += dt / m * (-g - c * v[i]);
        }
        out.push(x);
    }
    out
}

/// Seed 000's scheme for ÿ + aẏ + ∇f(y) = 0: centred second difference, backward first difference,
/// (y_{k+1} − 2y_k + y_{k−1})/Δt² + a(y_k − y_{k−1})/Δt + ∇f(y_k) = 0, from rest (y_{−1} = y₀):
/// y_{k+1} = y_k + (1 − aΔt)(y_k − y_{k−1}) − Δt²∇f(y_k), heavy ball with β = 1 − aΔt, η = Δt².
pub fn oscillator_centred_backward(
    (a, dt): (f64, f64),
    curvatures: [f64; 2],
    y0: [f64; 2],
    steps: usize,
) -> Vec<[f64; 2]> {
    let (mut prev, mut cur) = (y0, y0);
    let mut out = vec![y0];
    for _ in 0..steps {
        let mut next = [0.0; 2];
        for i in 0..2 {
            let acc_free = 2.0 * cur[i] - prev[i];
            next[i] = acc_free - a * dt * (cur[i] - prev[i]) - dt * dt * curvatures[i] * cur[i];
        }
        prev = cur;
        cur = next;
        out.push(cur);
    }
    out
}

/// C05 (seeds 001 and 000): discretising m v̇ = −∇f − γv ("forward Euler") gives heavy ball with
/// β = 1 − γΔt/m, η = Δt²/m; seed 000: a centred difference for ÿ and a backward difference for ẏ
/// in ÿ + αẏ + ∇f = 0 gives exactly the heavy-ball update.
///
/// Computed on ½x² + 25/2·y² from (1, 1), 400 steps: the largest difference between heavy ball
/// with the mapped (η, β) and (a) semi-implicit Euler, (b) seed 000's scheme, (c) fully explicit
/// Euler; and the explicit scheme's spectral radius at λ = 25 with its stability bound ηλ < 1 − β.
pub fn c05_physics_discretisation() -> Result<Check> {
    let (m, c, dt) = (2.0, 0.5, 0.1);
    let curv = [1.0, 25.0];
    let x0 = [1.0, 1.0];
    let steps = 400;
    let (eta, beta) = (dt * dt / m, 1.0 - c * dt / m);
    let hb = iterate_plane(&Method::heavy_ball(eta, beta)?, curv, x0, steps);
    let semi = oscillator_semi_implicit((m, c, dt), curv, x0, steps);
    let expl = oscillator_explicit((m, c, dt), curv, x0, steps);
    let a = c / m;
    let seed000 = oscillator_centred_backward((a, dt), curv, x0, steps);
    let hb000 = iterate_plane(&Method::heavy_ball(dt * dt, 1.0 - a * dt)?, curv, x0, steps);
    let d_semi = max_abs_diff(&hb, &semi);
    let d_000 = max_abs_diff(&hb000, &seed000);
    let d_expl = max_abs_diff(&hb, &expl);
    let stale = stale_gradient_recurrence(eta, beta)?;
    let rho_stale = stale.mode(25.0)?.spectral_radius();
    let rho_hb = Method::heavy_ball(eta, beta)?
        .recurrence()
        .mode(25.0)?
        .spectral_radius();
    let stale_bound = (1.0 - beta) / eta;
    let holds = d_semi < 1e-12 && d_000 < 1e-12 && d_expl > 1e-3 && rho_stale > 1.0;
    Ok(Check {
        id: "C05",
        example: "claim05_physics_discretisation",
        statement:
            "Discretising the damped oscillator m·v̇ = −∇f − γv gives heavy ball with β = 1 − \
            γΔt/m, η = Δt²/m (seed 000: centred ÿ, backward ẏ)"
                .into(),
        seed: format!("{SEED_PRINCIPLES}, {SEED_APPLICATIONS}, {SEED_BLOG}"),
        setting: format!(
            "m = {m}, γ = {c}, Δt = {dt} (η = {eta}, β = {beta}); seed 000: unit mass, damping a \
            = {a}; f = ½x² + 25/2·y² from (1, 1), {steps} steps from rest"
        ),
        claimed: vec![quantity("β = 1 − γΔt/m", beta), quantity("η = Δt²/m", eta)],
        computed: vec![
            quantity("max |x_HB − x_semi-implicit Euler|", d_semi),
            quantity(
                "max |x_HB − y_seed-000 scheme| (β = 1 − aΔt, η = Δt²)",
                d_000,
            ),
            quantity("max |x_HB − x_explicit Euler|", d_expl),
            quantity("explicit Euler: spectral radius at λ = 25", rho_stale),
            quantity("heavy ball: spectral radius at λ = 25", rho_hb),
            quantity("explicit Euler: largest stable λ, (1 − β)/η", stale_bound),
            quantity(
                "heavy ball: largest stable λ, 2(1 + β)/η",
                2.0 * (1.0 + beta) / eta,
            ),
        ],
        verdict: verdict_if(
            holds,
            Verdict::HoldsWhen(format!(
                "the position update uses the updated velocity (semi-implicit/symplectic Euler; seed \
                000's centred ÿ with backward ẏ is the same scheme): the iterates then agree to {} \
                (rounding). Fully explicit forward Euler gives x_(k+1) = x_k + β(x_k − x_(k−1)) − \
                η∇f(x_(k−1)) (a stale gradient), stable only for ηλ < 1 − β: λ < {} here, so it \
                diverges at λ = 25 (ρ = {}) where heavy ball converges (ρ = {})",
                sig(d_semi.max(d_000), 2),
                sig(stale_bound, 4),
                sig(rho_stale, 5),
                sig(rho_hb, 5)
            )),
            || {
                Verdict::Wrong(
                    "the discretised oscillator does not reproduce heavy ball (see numbers)".into(),
                )
            },
        ),
    })
}
