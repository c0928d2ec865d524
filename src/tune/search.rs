//! Numeric minimax tuning: the (step, momentum) that minimise the worst-case spectral radius
//! max_{λ∈[μ, L]} ρ(λ) of a family, found by search rather than by formula — the independent
//! route that the closed forms of [`crate::tune`] are held against.
//!
//! By the endpoint theorem ([`crate::spectrum`]) the objective is R(α, β) = max(ρ(μ), ρ(L)), two
//! 2 × 2 root problems. R is not smooth at the optimum: the optimum sits on critical-damping
//! curves, where ρ has a square-root corner (one side √c₀, the other a real root rising with
//! infinite slope), or on the crossing ρ(μ) = ρ(L). Gradient or parabolic methods stall there. The
//! search is therefore bracket-then-refine, and it cannot be fooled by a corner:
//!
//! 1. **inner** (momentum, step fixed): R(β) is sampled on a uniform grid of [`INNER_SAMPLES`]
//!    points of [−1, 1] *plus every breakpoint where ρ(μ) or ρ(L) has a corner* — the
//!    critical-damping momenta (Δ = 0), the sign changes of c₁ and c₀ — each taken with its
//!    neighbouring floats on both sides. The best sampled local minima are then refined by golden
//!    section around them (golden section needs only unimodality, and
//!    converges linearly even onto a corner);
//! 2. **outer** (step): the same bracket-then-refine over h = αL ∈ (0, [`MAX_STEP_TIMES_L`]], on
//!    the inner optimum.
//!
//! [`tune_exhaustive`] nests the two as they stand (~2·10⁶ evaluations per family); [`tune`]
//! samples the outer grid with an unrefined inner search on a coarser momentum grid (the
//! breakpoints kept) and refines the inner problem only at the steps its golden sections visit —
//! the same bits for gradient descent, heavy ball and Nesterov at ~1/30 of the evaluations.
//!
//! The reported rate is the objective evaluated by [`crate::Recurrence::mode`] at the returned
//! (α, β, γ): an achieved rate, not an extrapolation.

use super::tuning::{Tuning, TuningKind, check};
use crate::error::{Error, Result, positive};
use crate::method::Family;
use crate::numeric::minimize::{minimise_1d, refine, sample_points};
use crate::recurrence::Recurrence;
use crate::spectrum::Spectrum;

/// Grid points of the inner search over β ∈ [−1, 1] (plus the breakpoints).
pub const INNER_SAMPLES: usize = 400;
/// Grid points of the outer search over h = αL.
pub const OUTER_SAMPLES: usize = 400;
/// Upper end of the step search, in units of 1/L: heavy ball is stable for αL < 2(1+β) < 4 and
/// Nesterov for αL < 2(1+β)/(1+2β) ≤ 4 when β ≥ 0; 8 leaves room for negative momenta and for
/// lookahead families.
pub const MAX_STEP_TIMES_L: f64 = 8.0;

/// max(ρ(μ), ρ(L)) of `family` at (step, momentum); +∞ where the coefficients overflow.
pub fn worst_rate(family: Family, step: f64, momentum: f64, mu: f64, l: f64) -> f64 {
    let Ok(m) = family.method(step, momentum) else {
        return f64::INFINITY;
    };
    let rec = m.recurrence();
    // the spectral radii of `rec.mode(mu)` and `rec.mode(l)`, bit for bit, without the rest
    match (rec.spectral_radius_at(mu), rec.spectral_radius_at(l)) {
        (Some(a), Some(b)) => a.max(b),
        _ => f64::INFINITY,
    }
}

/// The worst-case spectral radius of a recurrence over the interval [μ, L], read from the two
/// ends without forming their modes: `Spectrum::interval(μ, L)?.worst_case(rec)?.spectral_radius()`
/// bit for bit (the larger radius, L's on a tie), for searches over methods that are not one of
/// the [`Family`]s. `None` where that would be an error (coefficients beyond f64, μ or L not
/// finite).
///
/// ```text
/// interval_rate = max(ρ(μ), ρ(L))
/// ```
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, tune::search::interval_rate};
/// let rec = Method::heavy_ball(0.5, 0.3)?.recurrence();
/// let full = Spectrum::interval(0.1, 2.0)?.worst_case(&rec)?.spectral_radius();
/// assert_eq!(interval_rate(&rec, 0.1, 2.0), Some(full));
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// None: `None` stands for the error of the full route.
pub fn interval_rate(rec: &Recurrence, mu: f64, l: f64) -> Option<f64> {
    let (lo, hi) = (rec.spectral_radius_at(mu)?, rec.spectral_radius_at(l)?);
    Some(if lo > hi { lo } else { hi })
}

/// [`interval_rate`] of each recurrence: `out[i] = interval_rate(&recs[i], mu, l)`, the same
/// bits, two recurrences at a time in the lanes of one vector where the CPU has AVX2 and FMA
/// (for searches that evaluate a grid of methods at once).
///
/// # Examples
///
/// ```
/// use momentum::{Method, tune::search::{interval_rate, interval_rates}};
/// let recs: Vec<_> = [0.5, 1.0, 1.5].iter().map(|&a| Method::heavy_ball(a, 0.3).unwrap().recurrence()).collect();
/// let mut out = vec![None; 3];
/// interval_rates(&recs, 0.1, 2.0, &mut out);
/// assert_eq!(out[2], interval_rate(&recs[2], 0.1, 2.0));
/// ```
///
/// # Panics
///
/// `out` shorter than `recs`.
pub fn interval_rates(recs: &[Recurrence], mu: f64, l: f64, out: &mut [Option<f64>]) {
    let out = &mut out[..recs.len()];
    #[cfg(target_arch = "x86_64")]
    if mu.is_finite()
        && l.is_finite()
        && std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma")
    {
        for (pair, slots) in recs.chunks(2).zip(out.chunks_mut(2)) {
            let (a, b) = (&pair[0], pair.last().unwrap_or(&pair[0]));
            // SAFETY: the CPU has AVX2 and FMA (checked above).
            match unsafe { crate::mode::spectral_radii_x4(a, b, mu, l) } {
                Some([a_mu, a_l, b_mu, b_l]) => {
                    let worse = |lo: f64, hi: f64| if lo > hi { lo } else { hi };
                    slots[0] = Some(worse(a_mu, a_l));
                    if let Some(slot) = slots.get_mut(1) {
                        *slot = Some(worse(b_mu, b_l));
                    }
                }
                None => {
                    for (rec, slot) in pair.iter().zip(slots.iter_mut()) {
                        *slot = interval_rate(rec, mu, l);
                    }
                }
            }
        }
        return;
    }
    for (rec, slot) in recs.iter().zip(out) {
        *slot = interval_rate(rec, mu, l);
    }
}

/// Momenta where ρ(λ) of the family has a corner at step α, for λ ∈ {μ, L}: critical damping
/// (Δ = 0) and the zeros of c₁ and c₀.
pub fn momentum_breakpoints(family: Family, step: f64, lambdas: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0];
    for &lam in lambdas {
        let h = step * lam;
        let sh = h.abs().sqrt();
        match family {
            Family::HeavyBall => {
                out.extend([(1.0 - sh) * (1.0 - sh), (1.0 + sh) * (1.0 + sh), h - 1.0]);
            }
            Family::Nesterov => {
                // Δ = (1−h)[(1+β)²(1−h) − 4β]: β = ±(1−√h)/(1+√h) and the reciprocals
                let r = (1.0 - sh) / (1.0 + sh);
                out.extend([r, -r, 1.0 / r, -1.0 / r]);
            }
            Family::GradientDescent => {}
            Family::Lookahead(g) => {
                // Δ = (1+β−a)² − 4(β−b), a = α(1+γ)λ, b = αγλ: β = 1 + a ± 2√(αλ)
                let a = step * (1.0 + g) * lam;
                out.extend([
                    1.0 + a - 2.0 * sh,
                    1.0 + a + 2.0 * sh,
                    a - 1.0,
                    step * g * lam,
                ]);
            }
        }
    }
    out
}

/// Steps where ρ(λ) has a corner at momentum β, for λ ∈ {μ, L}.
pub fn step_breakpoints(family: Family, momentum: f64, lambdas: &[f64]) -> Vec<f64> {
    let (b, g) = family.momentum_lookahead(momentum);
    // Δ = 0 ⇔ (1+γ)²h² − 2[(1+β)(1+γ) − 2γ]h + (1−β)² = 0; c₁ = 0 ⇔ h = (1+β)/(1+γ)
    let qa = (1.0 + g) * (1.0 + g);
    let qb = (1.0 + b) * (1.0 + g) - 2.0 * g;
    let qc = (1.0 - b) * (1.0 - b);
    let disc = (qb * qb - qa * qc).max(0.0).sqrt();
    let mut hs = vec![(1.0 + b) / (1.0 + g)];
    if qa > 0.0 {
        hs.extend([(qb - disc) / qa, (qb + disc) / qa]);
    }
    let mut out = vec![];
    for &lam in lambdas {
        if lam > 0.0 {
            out.extend(hs.iter().map(|h| h / lam));
        }
    }
    out
}

/// The best momentum β ∈ [−1, 1] for a fixed step, by search.
pub fn best_momentum(family: Family, step: f64, spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    positive("step", step)?;
    let hints = momentum_breakpoints(family, step, &[mu, l]);
    let (b, r) = minimise_1d(
        |b| worst_rate(family, step, b, mu, l),
        (-1.0, 1.0),
        &hints,
        INNER_SAMPLES,
    );
    finish(TuningKind::BestMomentum, family, step, b, r)
}

/// The best step α ∈ (0, [`MAX_STEP_TIMES_L`]/L] for a fixed momentum, by search.
pub fn best_step(family: Family, momentum: f64, spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    let top = MAX_STEP_TIMES_L / l;
    let hints = step_breakpoints(family, momentum, &[mu, l]);
    let (a, r) = minimise_1d(
        |a| {
            if a > 0.0 {
                worst_rate(family, a, momentum, mu, l)
            } else {
                f64::INFINITY
            }
        },
        (0.0, top),
        &hints,
        OUTER_SAMPLES,
    );
    finish(TuningKind::BestStep, family, a, momentum, r)
}

/// The minimax (α, β) of a family over [μ, L], by nested search (module docs).
///
/// R(α, β) = max(ρ(μ), ρ(L)) is minimised over β ∈ [−1, 1] inside and over h = αL ∈
/// (0, [`MAX_STEP_TIMES_L`]] outside, in two passes. The **locating pass** samples the outer
/// grid of [`OUTER_SAMPLES`] steps (plus the hints of [`tune_exhaustive`]) with, at each step,
/// [`LOCATE_SAMPLES`] momenta plus every momentum breakpoint and its neighbouring floats,
/// unrefined. The **refining pass** runs golden section on the brackets of the best
/// [`OUTER_REFINED`] sampled outer minima, each step's inner problem sampled on
/// [`REFINE_SAMPLES`] momenta plus the breakpoints and its best sampled minimum refined by golden
/// section. Every value is an evaluated R(α, β) and the least is returned. For gradient descent,
/// heavy ball and Nesterov it returns the bits of [`tune_exhaustive`] (tested from κ = 1 to
/// 10²⁹) with ~30× fewer evaluations; lookahead families, whose optimum can sit on a flat
/// ridge where a coarse pass picks another basin, take [`tune_exhaustive`].
///
/// # Examples
///
/// ```
/// use momentum::{Family, Spectrum, tune};
/// let s = Spectrum::from_condition_number(100.0)?;
/// let found = tune::search::tune(Family::HeavyBall, &s)?;
/// assert!((found.rate - tune::heavy_ball(&s)?.rate).abs() < 1e-8);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`crate::tune::heavy_ball`], and [`Error::Unsupported`] when no finite rate is found.
pub fn tune(family: Family, spectrum: &Spectrum) -> Result<Tuning> {
    if matches!(family, Family::Lookahead(_)) {
        return tune_exhaustive(family, spectrum);
    }
    let (mu, l) = check(spectrum)?;
    // the inner problem at step a: sampled on `samples` momenta plus the breakpoints, its best
    // `refined` local minima refined (0: sampled only); (β, R) of the best evaluated point
    let inner = |a: f64, samples: usize, refined: usize| -> (f64, f64) {
        if a <= 0.0 {
            return (0.0, f64::INFINITY);
        }
        if family == Family::GradientDescent {
            return (0.0, worst_rate(family, a, 0.0, mu, l));
        }
        let hints = momentum_breakpoints(family, a, &[mu, l]);
        let f = |b| worst_rate(family, a, b, mu, l);
        let xs = sample_points((-1.0, 1.0), &hints, samples);
        let ys: Vec<f64> = xs.iter().map(|&b| f(b)).collect();
        refine(&f, &xs, &ys, (-1.0, 1.0), samples, refined, false)
    };
    let (sm, sl) = (mu.sqrt(), l.sqrt());
    let hints = [2.0 / (mu + l), 4.0 / ((sm + sl) * (sm + sl)), 1.0 / l];
    let top = MAX_STEP_TIMES_L / l;
    // locating pass: each sampled step keeps the (β, R) of its best sampled momentum
    let xs = sample_points((0.0, top), &hints, OUTER_SAMPLES);
    let located: Vec<(f64, f64)> = xs.iter().map(|&a| inner(a, LOCATE_SAMPLES, 0)).collect();
    let ys: Vec<f64> = located.iter().map(|p| p.1).collect();
    let mut best = (xs[0], located[0].0, located[0].1);
    for (&a, &(b, r)) in xs.iter().zip(&located) {
        if r < best.2 {
            best = (a, b, r);
        }
    }
    // refining pass on the outer brackets of the sampled minima
    let refined = |a: f64| inner(a, REFINE_SAMPLES, 1).1;
    let (a, r) = refine(
        &refined,
        &xs,
        &ys,
        (0.0, top),
        OUTER_SAMPLES,
        OUTER_REFINED,
        true,
    );
    if r < best.2 {
        best = (a, inner(a, REFINE_SAMPLES, 1).0, r);
    }
    finish(TuningKind::Minimax, family, best.0, best.1, best.2)
}

/// Inner grid of the locating pass of [`tune`] (plus the momentum breakpoints).
pub const LOCATE_SAMPLES: usize = 32;
/// Inner grid of each refining evaluation of [`tune`] (plus the momentum breakpoints).
pub const REFINE_SAMPLES: usize = 16;
/// Sampled outer local minima refined by golden section in [`tune`].
pub const OUTER_REFINED: usize = 2;

/// The reference nested search: at every step it samples or refines, [`INNER_SAMPLES`] momenta
/// plus the breakpoints and four refined local minima (about 2·10⁶ evaluations, 0.1–0.3 s in a
/// release build): the slow route [`tune`] is tested against.
///
/// # Examples
///
/// ```
/// use momentum::{Family, Spectrum, tune};
/// let s = Spectrum::from_condition_number(10.0)?;
/// let slow = tune::search::tune_exhaustive(Family::GradientDescent, &s)?;
/// assert!((slow.rate - tune::gradient_descent(&s)?.rate).abs() < 1e-12);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`tune`].
pub fn tune_exhaustive(family: Family, spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    let inner = |a: f64| -> (f64, f64) {
        if a <= 0.0 {
            return (0.0, f64::INFINITY);
        }
        if family == Family::GradientDescent {
            return (0.0, worst_rate(family, a, 0.0, mu, l));
        }
        let hints = momentum_breakpoints(family, a, &[mu, l]);
        minimise_1d(
            |b| worst_rate(family, a, b, mu, l),
            (-1.0, 1.0),
            &hints,
            INNER_SAMPLES,
        )
    };
    // steps where the inner optimum changes branch are not known in closed form for every
    // family; the grid is uniform in h = αL, and the corners of gradient descent (αμ + αL = 2)
    // and of the heavy-ball optimum (√(αμ) + √(αL) = 2) are added as hints
    let (sm, sl) = (mu.sqrt(), l.sqrt());
    let hints = [2.0 / (mu + l), 4.0 / ((sm + sl) * (sm + sl)), 1.0 / l];
    let (a, _) = minimise_1d(
        |a| inner(a).1,
        (0.0, MAX_STEP_TIMES_L / l),
        &hints,
        OUTER_SAMPLES,
    );
    let (b, r) = inner(a);
    finish(TuningKind::Minimax, family, a, b, r)
}

fn finish(kind: TuningKind, family: Family, step: f64, momentum: f64, rate: f64) -> Result<Tuning> {
    if !rate.is_finite() {
        return Err(Error::Unsupported(format!(
            "no finite worst-case rate found for {} (the spectrum is too extreme for f64)",
            family.name()
        )));
    }
    Ok(Tuning {
        kind,
        method: family.method(step, momentum)?,
        rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Method;

    /// `interval_rates` against `interval_rate` bit for bit: odd and even counts, methods with
    /// non-zero low parts (1 + β, αγ), random four-number recurrences, and recurrences whose
    /// coefficients or Δ leave f64 at large λ (the vector lanes' scalar fallback).
    #[test]
    fn interval_rates_are_interval_rate() {
        let mut state = 17u64;
        let mut u = || crate::numeric::lcg_uniform(&mut state);
        let mut recs = Vec::new();
        for _ in 0..200 {
            let (a, b, g) = (
                10f64.powf(6.0 * u() - 4.0),
                3.0 * u() - 1.5,
                4.0 * u() - 2.0,
            );
            recs.push(Method::general(a, b, g).unwrap().recurrence());
            recs.push(Method::heavy_ball(a, b).unwrap().recurrence());
            recs.push(Method::nesterov(a, b).unwrap().recurrence());
        }
        for _ in 0..50 {
            let c = [
                4.0 * u() - 2.0,
                (4.0 * u() - 2.0).abs(),
                4.0 * u() - 2.0,
                4.0 * u() - 2.0,
            ];
            recs.push(Recurrence::new(c[0], c[1], c[2], c[3]).unwrap());
        }
        recs.push(Method::heavy_ball(1e300, 0.5).unwrap().recurrence());
        recs.push(Method::general(1e200, 0.5, 1e100).unwrap().recurrence());
        let mut defined = 0;
        for (mu, l) in [
            (0.1, 2.0),
            (1e-4, 1.0),
            (1.0, 1.0),
            (1e-300, 1e300),
            (2.0, 1e30),
        ] {
            for n in [0, 1, 2, 7, recs.len()] {
                let mut out = vec![Some(-1.0); n];
                interval_rates(&recs[..n], mu, l, &mut out);
                for (rec, got) in recs.iter().zip(&out) {
                    let want = interval_rate(rec, mu, l);
                    assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{rec:?}");
                    defined += usize::from(want.is_some());
                }
            }
        }
        assert!(defined > 1000, "{defined}");
    }
}
