//! C12 — the typical momenta 0.5, 0.9, 0.95 and 0.99.
//!
//! **Claim.** Typical values "β = 0.9: most common, good balance; β = 0.95: higher momentum,
//! faster but less stable; β = 0.99: very high momentum, can be unstable; β = 0.5: lower
//! momentum, more conservative", and "Low β (0.5–0.7): … slower convergence".
//!
//! **Source.** Seed 002, [`SEED_NOTES`].
//!
//! **Setting.** Heavy ball on curvatures [μ, L] = [1/κ, 1], the step chosen best for each β, at
//! κ = 100 and 10⁴ and at the crossovers in κ; noise on ½x² for the "less stable" reading.
//!
//! **Check.** For each β the stable step range (exact Jury interval over [μ, L]), the best
//! worst-case rate over the step (the closed form of
//! [`heavy_ball_best_rate_at_momentum`] and a numeric
//! search), the steps attaining it, iterations per decade and the κ for which β is
//! Polyak-optimal ([`kappa_where_polyak_momentum_is`]); the same rates at κ = 10⁴; Polyak's β*
//! and GD for reference. `tests/it/c12.rs` recomputes the largest steps by bisection and the best
//! rates by a brute-force step scan, both on the literal heavy-ball matrices, and checks that the
//! rate is exactly √β on the flat interval. The crossovers in κ (where β = 0.5 stops beating 0.9,
//! where 0.95 starts beating 0.9) are found by bisection on the closed form; the test re-scans
//! the step on the literal matrices 2 % either side of each and finds the order flip. The noise
//! factors (stationary variance at equal η, [`heavy_ball_stationary_variance`]) are re-solved
//! there as a 2 × 2 Lyapunov equation with nalgebra.
//!
//! **Verdict.** Holds when κ is above both crossovers (the speed order 0.5 < 0.9 < 0.95 is then
//! the seed's) and "less stable" is read as a smaller stability margin (best rate ≥ √β) or more
//! noise amplification; as a narrower stable step range it is wrong (η < 2(1+β)/L grows with β).
//! Wrong if the crossovers do not exist or the orders differ.

use crate::c16_narratives::heavy_ball_stationary_variance;
use crate::check::{Check, SEED_NOTES, Verdict, quantity, verdict_if};
use crate::common::{
    best_step, bisect_root, heavy_ball_best_rate_at_momentum, iterations_per_decade_from_gap, sig,
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

/// The condition number at which heavy ball's best rate with momentum `b1` equals that with
/// `b2` (closed form of [`heavy_ball_best_rate_at_momentum`], bisection in ln κ on [lo, hi]).
pub fn momentum_crossover_kappa(b1: f64, b2: f64, (lo, hi): (f64, f64)) -> Result<f64> {
    let rate = |b: f64, k: f64| {
        heavy_ball_best_rate_at_momentum(b, 1.0 / k, 1.0).map_or(f64::NAN, |r| r.0)
    };
    Ok(bisect_root(
        |t| rate(b1, t.exp()) - rate(b2, t.exp()),
        (lo.ln(), hi.ln()),
    )?
    .exp())
}

/// C12 (seed 002): typical values "β = 0.9: most common, good balance; β = 0.95: higher momentum,
/// faster but less stable; β = 0.99: very high momentum, can be unstable; β = 0.5: lower momentum,
/// more conservative", and "Low β (0.5–0.7): … slower convergence".
///
/// Computed at κ = 100 (μ = 0.01, L = 1): for each β the stable step range (exact Jury interval
/// over [μ, L]), the best worst-case rate over the step (closed form of
/// [`heavy_ball_best_rate_at_momentum`] and a numeric search), the steps attaining it, and
/// iterations per decade; the same rates at κ = 10⁴; the crossovers in κ
/// ([`momentum_crossover_kappa`]); stationary noise variance at equal η relative to GD.
pub fn c12_typical_momenta() -> Result<Check> {
    let (mu, l) = (0.01, 1.0);
    let mut computed = vec![];
    let mut rates = vec![];
    let mut steps_grow = true;
    let mut last_top = 0.0;
    let mut tops = vec![];
    for beta in [0.5, 0.9, 0.95, 0.99] {
        let iv = method_stable_steps(&Method::heavy_ball(1.0, beta)?, &Spectrum::interval(mu, l)?)?;
        let top = iv.map_or(f64::NAN, |iv| iv.hi);
        steps_grow &= top > last_top;
        last_top = top;
        tops.push(top);
        let (rate, a_lo, a_hi) = heavy_ball_best_rate_at_momentum(beta, mu, l)?;
        let (_, numeric) = best_step(
            |a| Method::heavy_ball(a, beta),
            (mu, l),
            (1e-6, 2.0 * (1.0 + beta) / l),
        )?;
        rates.push((beta, rate, numeric));
        computed.push(quantity(format!("β = {beta}: largest stable η"), top));
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
        // noise: stationary Var(x) on ½x², σ = 1, η = 0.01, relative to GD at the same η
        computed.push(quantity(
            format!("β = {beta}: noise variance / GD's at η = 0.01"),
            heavy_ball_stationary_variance(0.01, beta, 1.0, 1.0)
                / heavy_ball_stationary_variance(0.01, 0.0, 1.0, 1.0),
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
    // crossovers: below k1 β = 0.5 is faster than 0.9; above k2 β = 0.95 is faster than 0.9
    let k1 = momentum_crossover_kappa(0.5, 0.9, (kappa_where_polyak_momentum_is(0.5), 1e4))?;
    let k2 = momentum_crossover_kappa(0.95, 0.9, (kappa_where_polyak_momentum_is(0.9), 1e5))?;
    let k3 = momentum_crossover_kappa(0.99, 0.95, (kappa_where_polyak_momentum_is(0.95), 1e6))?;
    computed.push(quantity("κ above which β = 0.5 is slower than 0.9", k1));
    computed.push(quantity("κ above which β = 0.95 is faster than 0.9", k2));
    computed.push(quantity("κ above which β = 0.99 is faster than 0.95", k3));
    let polyak = tuning::heavy_ball(&Spectrum::interval(mu, l)?)?;
    let gd = tuning::gradient_descent(&Spectrum::interval(mu, l)?)?;
    computed.push(quantity("κ = 100: Polyak β*", polyak.method.momentum()));
    computed.push(quantity("κ = 100: Polyak rate", polyak.rate));
    computed.push(quantity("κ = 100: tuned GD rate", gd.rate));
    let agree = rates.iter().all(|r| (r.1 - r.2).abs() < 1e-9);
    let r = |b: f64| rates.iter().find(|x| x.0 == b).map_or(f64::NAN, |x| x.1);
    let noise = |b: f64| heavy_ball_stationary_variance(0.01, b, 1.0, 1.0);
    let ok = agree
        && steps_grow
        && k1 < k2
        && best_1e4.0 == 0.95
        && noise(0.95) > noise(0.9)
        && noise(0.99) > noise(0.95);
    Ok(Check {
        id: "C12",
        example: "claim12_typical_momenta",
        statement:
            "Typical β: 0.9 balanced; 0.95 faster but less stable; 0.99 can be unstable; 0.5 \
            conservative, slower"
                .into(),
        seed: SEED_NOTES.into(),
        setting: format!(
            "heavy ball, curvatures [μ, L] = [1/κ, {l}], step chosen best for each β, κ = 100, 1e4 \
            and the crossovers; noise: additive gradient noise σ = 1 on ½x², η = 0.01"
        ),
        claimed: vec![],
        computed,
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "κ ≥ {} for the speed order: β = 0.5 is slower than 0.9 only above κ = {} and 0.95 \
                faster than 0.9 only above κ = {} (0.99 beats 0.95 above κ = {}); at κ = 100 the \
                best rates are {} (β = 0.5), {} (0.9), {} (0.95), {} (0.99) — 0.5 is fastest, \
                nearest Polyak's β* = {} — while at κ = 1e4 the order is the seed's (0.95 best of \
                the four). 'Less stable' holds as stability margin (the best rate is at least √β: \
                1 − ρ ≤ {}, {}, {} for 0.9, 0.95, 0.99) and as noise amplification (stationary \
                variance at equal η {}×, {}×, {}× GD's); it is wrong as a narrower stable step \
                range: η < 2(1+β)/L grows with β ({}, {}, {}, {})",
                sig(k2, 4),
                sig(k1, 4),
                sig(k2, 4),
                sig(k3, 5),
                sig(r(0.5), 6),
                sig(r(0.9), 6),
                sig(r(0.95), 6),
                sig(r(0.99), 6),
                sig(polyak.method.momentum(), 4),
                sig(1.0 - 0.9f64.sqrt(), 3),
                sig(1.0 - 0.95f64.sqrt(), 3),
                sig(1.0 - 0.99f64.sqrt(), 3),
                sig(noise(0.9) / noise(0.0), 3),
                sig(noise(0.95) / noise(0.0), 3),
                sig(noise(0.99) / noise(0.0), 3),
                sig(tops[0], 3),
                sig(tops[1], 3),
                sig(tops[2], 3),
                sig(tops[3], 3)
            )),
            || {
                Verdict::Wrong(
                    "the crossovers or the orders in κ differ from the seed's (see numbers)".into(),
                )
            },
        ),
    })
}
