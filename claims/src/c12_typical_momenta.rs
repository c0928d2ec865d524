//! C12 — the typical momenta 0.5, 0.9, 0.95 and 0.99.
//!
//! **Claim.** Typical values "β = 0.9: most common, good balance; β = 0.95: higher momentum,
//! faster but less stable; β = 0.99: very high momentum, can be unstable; β = 0.5: lower
//! momentum, more conservative", and "Low β (0.5–0.7): … slower convergence".
//!
//! **Source.** Seed 002, [`SEED_NOTES`].
//!
//! **Setting.** Heavy ball on curvatures [μ, L] = [0.01, 1] (κ = 100), the step chosen best for
//! each β; also κ = 10⁴.
//!
//! **Check.** For each β the stable step range (exact Jury interval over [μ, L]), the best
//! worst-case rate over the step (the closed form of
//! [`heavy_ball_best_rate_at_momentum`] and a numeric
//! search), the steps attaining it, iterations per decade and the κ for which β is
//! Polyak-optimal ([`kappa_where_polyak_momentum_is`]); the same rates at κ = 10⁴; Polyak's β*
//! and GD for reference. `tests/it/c12.rs` recomputes the largest steps by bisection and the best
//! rates by a brute-force step scan, both on the literal heavy-ball matrices, and checks that the
//! rate is exactly √β on the flat interval.
//!
//! **Verdict.** Wrong (a larger β widens the stable range and caps the rate at √β; which β is
//! fastest depends on κ) when the closed-form and numeric best rates agree and β = 0.5 is the
//! fastest of the four at κ = 100; holds otherwise.

use crate::check::{Check, SEED_NOTES, Verdict, quantity, verdict_if};
use crate::common::{
    best_step, heavy_ball_best_rate_at_momentum, iterations_per_decade_from_gap, sig,
};
use momentum::error::Result;
use momentum::method::Method;
use momentum::spectrum::Spectrum;
use momentum::stability::method_stable_steps;
use momentum::tune as tuning;

/// The condition number for which β is Polyak's optimal momentum: β = ((√κ−1)/(√κ+1))², i.e.
/// κ = ((1 + √β)/(1 − √β))².
pub fn kappa_where_polyak_momentum_is(beta: f64) -> f64 {
    let s = beta.sqrt();
    ((1.0 + s) / (1.0 - s)).powi(2)
}

/// C12 (seed 002): typical values "β = 0.9: most common, good balance; β = 0.95: higher momentum,
/// faster but less stable; β = 0.99: very high momentum, can be unstable; β = 0.5: lower momentum,
/// more conservative", and "Low β (0.5–0.7): … slower convergence".
///
/// Computed at κ = 100 (μ = 0.01, L = 1): for each β the stable step range (exact Jury interval
/// over [μ, L]), the best worst-case rate over the step (closed form of
/// [`heavy_ball_best_rate_at_momentum`] and a numeric search), the steps attaining it, and
/// iterations per decade; the same rates at κ = 10⁴; Polyak's β* and GD for reference.
pub fn c12_typical_momenta() -> Result<Check> {
    let (mu, l) = (0.01, 1.0);
    let mut computed = vec![];
    let mut rates = vec![];
    for beta in [0.5, 0.9, 0.95, 0.99] {
        let iv = method_stable_steps(&Method::heavy_ball(1.0, beta)?, &Spectrum::interval(mu, l)?)?;
        let (rate, a_lo, a_hi) = heavy_ball_best_rate_at_momentum(beta, mu, l)?;
        let (_, numeric) = best_step(
            |a| Method::heavy_ball(a, beta),
            (mu, l),
            (1e-6, 2.0 * (1.0 + beta) / l),
        )?;
        rates.push((beta, rate, numeric));
        computed.push(quantity(
            format!("β = {beta}: largest stable η"),
            iv.map_or(f64::NAN, |iv| iv.hi),
        ));
        computed.push(quantity(format!("β = {beta}: best rate"), rate));
        computed.push(quantity(
            format!("β = {beta}: best rate, numeric search"),
            numeric,
        ));
        computed.push(quantity(format!("β = {beta}: best η from"), a_lo));
        computed.push(quantity(format!("β = {beta}: best η to"), a_hi));
        computed.push(quantity(
            format!("β = {beta}: iterations per decade"),
            iterations_per_decade_from_gap(1.0 - rate),
        ));
        computed.push(quantity(
            format!("β = {beta}: κ for which β is Polyak-optimal"),
            kappa_where_polyak_momentum_is(beta),
        ));
    }
    let mut best_1e4 = (f64::NAN, f64::INFINITY);
    for beta in [0.5, 0.9, 0.95, 0.99] {
        let (rate, _, _) = heavy_ball_best_rate_at_momentum(beta, 1e-4, 1.0)?;
        if rate < best_1e4.1 {
            best_1e4 = (beta, rate);
        }
        computed.push(quantity(format!("κ = 1e4, β = {beta}: best rate"), rate));
    }
    let polyak = tuning::heavy_ball(&Spectrum::interval(mu, l)?)?;
    let gd = tuning::gradient_descent(&Spectrum::interval(mu, l)?)?;
    computed.push(quantity("κ = 100: Polyak β*", polyak.method.momentum()));
    computed.push(quantity("κ = 100: Polyak rate", polyak.rate));
    computed.push(quantity("κ = 100: tuned GD rate", gd.rate));
    let fastest = rates.iter().fold((f64::NAN, f64::INFINITY), |acc, r| {
        if r.1 < acc.1 { (r.0, r.1) } else { acc }
    });
    let agree = rates.iter().all(|r| (r.1 - r.2).abs() < 1e-9);
    let r = |b: f64| rates.iter().find(|x| x.0 == b).map_or(f64::NAN, |x| x.1);
    let wrong = agree && fastest.0 == 0.5;
    Ok(Check {
        id: "C12",
        example: "claim12_typical_momenta",
        statement:
            "Typical β: 0.9 balanced; 0.95 faster but less stable; 0.99 can be unstable; 0.5 \
            conservative, slower"
                .into(),
        seed: SEED_NOTES.into(),
        setting: format!(
            "heavy ball, curvatures [μ, L] = [{mu}, {l}] (κ = 100), step chosen best for each β; \
            also κ = 1e4"
        ),
        claimed: vec![],
        computed,
        verdict: verdict_if(
            wrong,
            Verdict::Wrong(format!(
                "on a quadratic a larger β never shrinks the stable step range (η < 2(1+β)/L grows \
                with β); what it does is cap the best rate at √β. Which β is fastest depends on κ: \
                at κ = 100 the best rates are {} (β = 0.5), {} (0.9), {} (0.95), {} (0.99) — the \
                'conservative' 0.5 is fastest, closest to Polyak's β* = {} (rate {}); at κ = 1e4, β \
                = {} is the best of the four. β is Polyak-optimal at κ = ((1+√β)/(1−√β))²: {}, {}, \
                {}, {} for β = 0.5, 0.9, 0.95, 0.99",
                sig(r(0.5), 6),
                sig(r(0.9), 6),
                sig(r(0.95), 6),
                sig(r(0.99), 6),
                sig(polyak.method.momentum(), 4),
                sig(polyak.rate, 4),
                best_1e4.0,
                sig(kappa_where_polyak_momentum_is(0.5), 4),
                sig(kappa_where_polyak_momentum_is(0.9), 4),
                sig(kappa_where_polyak_momentum_is(0.95), 4),
                sig(kappa_where_polyak_momentum_is(0.99), 6)
            )),
            || Verdict::Holds,
        ),
    })
}
