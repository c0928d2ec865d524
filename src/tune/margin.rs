//! How far a tuning sits from the stability edge, and the best tuning that keeps a given distance.
//!
//! A minimax tuning often sits close to the edge of stability: heavy ball's best step at a fixed
//! momentum β has rate √β on a whole range of steps, and any rule that picks the top of that range
//! lands within rounding of the largest stable step. On a real model the curvature is only
//! estimated, so a user wants room. The **margin** of a method (α, β, γ) over a spectrum is
//!
//!   m = 1 − α / α_edge(β, γ),   α_edge = the largest step stable at (β, γ) (exact Jury interval,
//!   [`crate::stability::stable_steps`]),
//!
//! the relative amount by which the step may grow (e.g. a sharpness underestimated by m/(1 − m))
//! before the method diverges. [`best_step`] and [`tune`] search for the best setting with
//! margin ≥ m: the step is capped at (1 − m)·α_edge. At fixed (β, γ) the worst-case rate is
//! quasi-convex in α (the Jury conditions at each curvature are affine in α, so every sublevel set
//! is an interval), so the capped optimum is found by the same bracket-then-refine search as
//! [`super::search`], on (0, cap].

use super::search::{INNER_SAMPLES, MAX_STEP_TIMES_L, OUTER_SAMPLES, step_breakpoints, worst_rate};
use super::tuning::{Tuning, TuningKind, check};
use crate::error::{Error, Result};
use crate::method::{Family, Method};
use crate::numeric::minimize::minimise_1d;
use crate::spectrum::Spectrum;
use crate::stability::stable_steps;

/// The largest stable step at `method`'s momentum and lookahead over `spectrum` (exclusive);
/// `None` when no step is stable or every step is (no edge).
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, tune::margin::edge_step};
/// // heavy ball: 2(1 + β)/L
/// let e = edge_step(&Method::heavy_ball(0.01, 0.9)?, &Spectrum::interval(1.0, 100.0)?)?;
/// assert!((e.unwrap() - 0.038).abs() < 1e-16);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What the method's constructor rejects along the way (never for a valid method).
pub fn edge_step(method: &Method, spectrum: &Spectrum) -> Result<Option<f64>> {
    let (b, g) = (method.momentum(), method.lookahead());
    let iv = stable_steps(spectrum, |t| Ok(Method::general(t, b, g)?.recurrence()))?;
    Ok(iv.map(|i| i.hi).filter(|h| h.is_finite()))
}

/// The margin 1 − α/α_edge of `method` over `spectrum` (module docs); `None` without an edge.
/// Negative when the method is past the edge.
///
/// # Examples
///
/// ```
/// use momentum::{Spectrum, tune};
/// let s = Spectrum::from_condition_number(100.0)?;
/// let polyak = tune::heavy_ball(&s)?;
/// // Polyak's heavy ball sits 1 % below its edge at κ = 100: 1 − 4/(√L+√μ)²·L/(2(1+β))
/// let m = tune::margin::margin(&polyak.method, &s)?.unwrap();
/// assert!((m - (1.0 - 3.30578512396694 / (2.0 * (1.0 + 0.6694214876033058)))).abs() < 1e-12);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`edge_step`].
pub fn margin(method: &Method, spectrum: &Spectrum) -> Result<Option<f64>> {
    Ok(edge_step(method, spectrum)?.map(|e| 1.0 - method.step() / e))
}

fn check_margin(margin: f64) -> Result<f64> {
    if !(0.0..1.0).contains(&margin) {
        return Err(Error::OutOfRange {
            name: "margin",
            value: margin,
            expected: "in [0, 1): the relative distance of the step below the stability edge",
        });
    }
    Ok(margin)
}

/// The best step of `family` at `momentum` over the interval of `spectrum` whose margin is at
/// least `margin`: the worst-case rate minimised over (0, (1 − margin)·α_edge].
///
/// # Examples
///
/// ```
/// use momentum::{Family, Spectrum, tune::margin};
/// let s = Spectrum::from_condition_number(100.0)?;
/// let t = margin::best_step(Family::HeavyBall, 0.9, &s, 0.1)?;
/// assert!(margin::margin(&t.method, &s)?.unwrap() >= 0.1 - 1e-12);
/// assert!((t.rate - 0.9f64.sqrt()).abs() < 1e-9); // √β is still reached with 10 % of room
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// A margin outside [0, 1); a spectrum that is not a positive interval ([`crate::tune::heavy_ball`]);
/// [`Error::Unsupported`] when no step is stable at this momentum.
pub fn best_step(
    family: Family,
    momentum: f64,
    spectrum: &Spectrum,
    margin: f64,
) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    let m = check_margin(margin)?;
    let (a, r) = capped_step(family, momentum, spectrum, (mu, l), m)?;
    finish(TuningKind::BestStepWithMargin, family, a, momentum, r)
}

/// The best (α, β) of `family` over the interval of `spectrum` with margin ≥ `margin`: for each
/// momentum the capped best step, then the best momentum by the same search.
///
/// # Examples
///
/// ```
/// use momentum::{Family, Spectrum, tune};
/// let s = Spectrum::from_condition_number(100.0)?;
/// let t = tune::margin::tune(Family::HeavyBall, &s, 0.2)?;
/// assert!(tune::margin::margin(&t.method, &s)?.unwrap() >= 0.2 - 1e-12);
/// // room costs rate: worse than Polyak's 9/11, better than gradient descent's 99/101
/// assert!(t.rate > 9.0 / 11.0 && t.rate < 99.0 / 101.0);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`best_step`].
pub fn tune(family: Family, spectrum: &Spectrum, margin: f64) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    let m = check_margin(margin)?;
    if family == Family::GradientDescent {
        let (a, r) = capped_step(family, 0.0, spectrum, (mu, l), m)?;
        return finish(TuningKind::MinimaxWithMargin, family, a, 0.0, r);
    }
    let inner =
        |b: f64| capped_step(family, b, spectrum, (mu, l), m).unwrap_or((0.0, f64::INFINITY));
    let (b, _) = minimise_1d(|b| inner(b).1, (-1.0, 1.0), &[0.0], INNER_SAMPLES);
    let (a, r) = capped_step(family, b, spectrum, (mu, l), m)?;
    finish(TuningKind::MinimaxWithMargin, family, a, b, r)
}

/// (step, rate) minimising the worst rate over (0, (1 − m)·edge] at momentum `b`.
fn capped_step(
    family: Family,
    b: f64,
    spectrum: &Spectrum,
    (mu, l): (f64, f64),
    m: f64,
) -> Result<(f64, f64)> {
    let probe = family.method(1.0 / l, b)?;
    let edge = edge_step(&probe, spectrum)?
        .unwrap_or(MAX_STEP_TIMES_L / l)
        .min(MAX_STEP_TIMES_L / l);
    // two ulps inside, so that 1 − cap/edge ≥ m survives the division's rounding
    let cap = ((1.0 - m) * edge).next_down().next_down();
    let mut hints: Vec<f64> = step_breakpoints(family, b, &[mu, l])
        .into_iter()
        .filter(|&a| a > 0.0 && a < cap)
        .collect();
    hints.push(cap);
    let f = |a: f64| {
        if a > 0.0 && a <= cap {
            worst_rate(family, a, b, mu, l)
        } else {
            f64::INFINITY
        }
    };
    let (a, r) = minimise_1d(f, (0.0, cap), &hints, OUTER_SAMPLES);
    if !r.is_finite() || r >= 1.0 {
        return Err(Error::Unsupported(format!(
            "no stable step of {} at momentum {b} keeps a margin of {m}",
            family.name()
        )));
    }
    // the rate is often flat in α (heavy ball: √β on a range): of the tied steps take the
    // largest, nearest the unconstrained choice; the sublevel set is an interval, so bisect
    let tied = |x: f64| f(x) <= r;
    if tied(cap) {
        return Ok((cap, f(cap)));
    }
    let (mut lo, mut hi) = (a, cap);
    for _ in 0..200 {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if tied(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok((lo, f(lo)))
}

fn finish(kind: TuningKind, family: Family, step: f64, momentum: f64, rate: f64) -> Result<Tuning> {
    Ok(Tuning {
        kind,
        method: family.method(step, momentum)?,
        rate,
    })
}
