//! C02 — Polyak's optimal momentum β*.
//!
//! **Claim.** "The optimal β that minimises the worst-case convergence factor, with the learning
//! rate also chosen optimally, is β* = ((√κ − 1)/(√κ + 1))²" (Polyak 1964).
//!
//! **Source.** Seed 001, [`SEED_PRINCIPLES`].
//!
//! **Setting.** Heavy ball on curvatures [1/κ, 1] for κ ∈ {4, 100, 10⁴}.
//!
//! **Check.** The closed form (α*, β*, ρ*) of `momentum::tuning`, a numeric minimax over (α, β)
//! ([`minimax`], a zooming grid), and the empirical rate of a simulation of the
//! tuned method on 50 evenly spaced curvatures (`simulate::run`, tail-window estimate).
//! `tests/it/c02.rs` recomputes ρ* as the spectral radius of the full 24 × 24 transition matrix
//! on 12 curvatures (nalgebra), checks that no nearby (α, β) does better with the literal 2 × 2
//! matrices at the two ends, and simulates the slowest mode itself.
//!
//! **Verdict.** Holds when, at every κ, the tuning's β equals the formula (relative 1e-12), the
//! minimax β and rate agree with the closed form to 1e-6, and the simulated rate is within the
//! tail estimate's allowance; wrong otherwise.

use crate::check::{Check, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{minimax, rel};
use momentum::Spectrum;
use momentum::error::Result;
use momentum::method::Method;
use momentum::tune as tuning;

/// C02 (seed 001): "the optimal β that minimises the worst-case convergence factor, with the
/// learning rate also chosen optimally, is β* = ((√κ − 1)/(√κ + 1))²" (Polyak 1964).
///
/// Computed for κ ∈ {4, 100, 10⁴} (L = 1): the closed form (α*, β*, ρ*), a numeric minimax over
/// (α, β) ([`minimax`]), and the empirical rate of a simulation of the tuned method on 50
/// curvatures spread over [μ, L] (`simulate::run`, tail-window estimate).
pub fn c02_polyak_momentum() -> Result<Check> {
    use momentum::simulate::{Options, Quadratic, run};
    let mut claimed = vec![];
    let mut computed = vec![];
    let mut ok = true;
    for (kappa, steps) in [(4.0f64, 400usize), (100.0, 4000), (1e4, 40_000)] {
        let (mu, l) = (1.0 / kappa, 1.0);
        let s = kappa.sqrt();
        let beta_star = ((s - 1.0) / (s + 1.0)).powi(2);
        let t = tuning::heavy_ball(&Spectrum::interval(mu, l)?)?;
        let (na, nb, nr) = minimax(Method::heavy_ball, (mu, l), (1e-6, 4.0 / l), (0.0, 0.9999))?;
        let traj = run(
            &t.method.recurrence(),
            &Quadratic::interval(mu, l, 50)?,
            &Options {
                record_excess: false,
                ..Options::steps(steps)
            },
        )?;
        let emp = traj.empirical_rate().unwrap_or(f64::NAN);
        // simulate's tail estimate converges like 1/n: relative error about
        // (ln(3/2) + ln(1/c))/Δ with Δ = n/4 (its docs); allow four times ln(3/2)/Δ
        let allowance = 4.0 * 1.5f64.ln() / (steps / 4) as f64;
        ok &= rel(t.method.momentum(), beta_star) < 1e-12
            && (nb - beta_star).abs() < 1e-6
            && (nr - t.rate).abs() < 1e-6
            && rel(emp, t.rate) < allowance;
        claimed.push(quantity(format!("β* at κ = {kappa}"), beta_star));
        computed.push(quantity(
            format!("κ = {kappa}: closed-form β* (tuning::heavy_ball)"),
            t.method.momentum(),
        ));
        computed.push(quantity(
            format!("κ = {kappa}: closed-form α*"),
            t.method.step(),
        ));
        computed.push(quantity(
            format!("κ = {kappa}: closed-form rate (√κ−1)/(√κ+1)"),
            t.rate,
        ));
        computed.push(quantity(format!("κ = {kappa}: minimax β"), nb));
        computed.push(quantity(format!("κ = {kappa}: minimax α"), na));
        computed.push(quantity(format!("κ = {kappa}: minimax rate"), nr));
        computed.push(quantity(
            format!("κ = {kappa}: simulated rate ({steps} steps, 50 curvatures)"),
            emp,
        ));
    }
    Ok(Check {
        id: "C02",
        example: "claim02_polyak_momentum",
        statement:
            "With the learning rate also optimal, the β minimising the worst-case rate is β* = \
            ((√κ−1)/(√κ+1))² (closer to 1 for larger κ)"
                .into(),
        seed: SEED_PRINCIPLES.into(),
        setting:
            "heavy ball, curvatures [1/κ, 1]; minimax over (α, β) by a zooming grid; simulation \
            on 50 evenly spaced curvatures from the all-ones start"
                .into(),
        claimed,
        computed,
        verdict: verdict_if(ok, Verdict::Holds, || {
            Verdict::Wrong(
                "the minimax search or the simulation disagrees with β* (see numbers)".into(),
            )
        }),
    })
}
