//! C17 — the effective mass m ∝ 1/(1 − γ).
//!
//! **Claim.** "The effective mass is related to the momentum coefficient by m ∝ 1/(1 − γ)".
//!
//! **Source.** Seed 003, [`SEED_BLOG`].
//!
//! **Setting.** Seed 001's mapping β = 1 − cΔt/m, η = Δt²/m; friction c = 0.5; Δt = 0.1 or
//! η = 0.01 held fixed ([`Held`]).
//!
//! **Check.** The mass ratio between γ = 0.9 and γ = 0.5 when (c, Δt) are held fixed and when
//! (c, η) are ([`effective_mass`]); and, for the (c, η)-fixed case, a check that semi-implicit
//! Euler with that mass reproduces heavy ball's iterates. `tests/it/c17.rs` solves the mapping
//! 1 − c√(η/m) = β for m by bisection, and m = cΔt/(1 − β) directly.
//!
//! **Verdict.** Holds when friction and time step are held fixed (then η varies too; at fixed η,
//! m ∝ 1/(1−γ)²): if the ratios are 5 and 25 and the oscillator reproduces heavy ball, the verdict
//! is "holds when" with that condition; wrong otherwise.

use crate::check::{Check, SEED_BLOG, Verdict, quantity, verdict_if};
use crate::common::{iterate_plane, max_abs_diff, oscillator_semi_implicit, positive, sig};
use momentum::error::{Error, Result};
use momentum::method::Method;
use serde::Serialize;

/// The physical parameters behind heavy ball's (η, β) under seed 001's mapping β = 1 − cΔt/m,
/// η = Δt²/m, given one of them: with friction c and time step Δt fixed, m = cΔt/(1 − β); with
/// friction c and learning rate η fixed, √(η/m) = (1 − β)/c so m = c²η/(1 − β)²; with η and Δt
/// fixed, m = Δt²/η and c = (1 − β)m/Δt.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Held {
    /// Friction c and time step Δt held fixed.
    FrictionAndTimeStep {
        /// c
        friction: f64,
        /// Δt
        dt: f64,
    },
    /// Friction c and learning rate η held fixed.
    FrictionAndRate {
        /// c
        friction: f64,
        /// η
        eta: f64,
    },
}

/// The mass m that gives momentum β under [`Held`] (formulas there).
pub fn effective_mass(beta: f64, held: Held) -> Result<f64> {
    if beta.is_nan() || beta >= 1.0 {
        return Err(Error::OutOfRange {
            name: "momentum",
            value: beta,
            expected: "beta < 1 (beta = 1 - c dt/m with c, dt, m > 0)",
        });
    }
    let (friction, other) = match held {
        Held::FrictionAndTimeStep { friction, dt } => (friction, dt),
        Held::FrictionAndRate { friction, eta } => (friction, eta),
    };
    positive("friction", friction)?;
    positive("time step or learning rate", other)?;
    Ok(match held {
        Held::FrictionAndTimeStep { friction, dt } => friction * dt / (1.0 - beta),
        Held::FrictionAndRate { friction, eta } => friction * friction * eta / (1.0 - beta).powi(2),
    })
}

/// C17 (seed 003): "the effective mass is related to the momentum coefficient by m ∝ 1/(1 − γ)".
///
/// Computed under seed 001's mapping (β = 1 − cΔt/m, η = Δt²/m): the mass ratio between γ = 0.9 and
/// γ = 0.5 when (c, Δt) are held fixed and when (c, η) are; and, for the (c, η)-fixed case, a
/// check that semi-implicit Euler with that mass reproduces heavy ball's iterates.
pub fn c17_effective_mass() -> Result<Check> {
    let (c, dt, eta) = (0.5, 0.1, 0.01);
    let fixed_dt = |b| effective_mass(b, Held::FrictionAndTimeStep { friction: c, dt });
    let fixed_eta = |b| effective_mass(b, Held::FrictionAndRate { friction: c, eta });
    let ratio_dt = fixed_dt(0.9)? / fixed_dt(0.5)?;
    let ratio_eta = fixed_eta(0.9)? / fixed_eta(0.5)?;
    // with (c, η) fixed at β = 0.9: Δt = √(ηm), and the oscillator must give heavy ball (η, 0.9)
    let m = fixed_eta(0.9)?;
    let dt_m = (eta * m).sqrt();
    let semi = oscillator_semi_implicit((m, c, dt_m), [1.0, 25.0], [1.0, 1.0], 300);
    let hb = iterate_plane(&Method::heavy_ball(eta, 0.9)?, [1.0, 25.0], [1.0, 1.0], 300);
    let diff = max_abs_diff(&semi, &hb);
    let ok = (ratio_dt - 5.0).abs() < 1e-12 && (ratio_eta - 25.0).abs() < 1e-9 && diff < 1e-9;
    Ok(Check {
        id: "C17",
        example: "claim17_effective_mass",
        statement: "The effective mass is related to the momentum coefficient by m ∝ 1/(1 − γ)"
            .into(),
        seed: SEED_BLOG.into(),
        setting: format!(
            "mapping β = 1 − cΔt/m, η = Δt²/m (seed 001); friction c = {c}; Δt = {dt} or η = \
                {eta} held fixed"
        ),
        claimed: vec![quantity("m(0.9)/m(0.5) if m ∝ 1/(1 − γ)", 5.0)],
        computed: vec![
            quantity("m(0.9)/m(0.5), c and Δt fixed", ratio_dt),
            quantity("m(0.9)/m(0.5), c and η fixed", ratio_eta),
            quantity("m at γ = 0.9, c and η fixed", m),
            quantity("max |oscillator − heavy ball| with that m, 300 steps", diff),
        ],
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "friction c and time step Δt are held fixed (m = cΔt/(1−γ), ratio {} between γ = 0.9 \
                    and 0.5) — but then η = Δt(1−γ)/c changes with γ too. At a fixed learning rate η \
                    (and friction) m = c²η/(1−γ)², ratio {}; with η and Δt fixed the mass is constant \
                    and γ only sets the friction c = (1−γ)m/Δt",
                sig(ratio_dt, 3),
                sig(ratio_eta, 3)
            )),
            || Verdict::Wrong("the mass ratios do not follow (see numbers)".into()),
        ),
    })
}
