//! Tuning with a schedule: the largest scale of a shape under a transient bound, the shortest
//! warmup, and the best two-step cycle of heavy ball on a spectrum with a gap.
//!
//! **Gapped spectrum** (Goujaud, Scieur, Dieuleveut, Taylor & Pedregosa 2022): on
//! Λ = [c−w, c−g] ∪ [c+g, c+w], heavy ball with momentum β and steps h₀, h₁ alternating has
//! monodromy trace (1+β−h₀λ)(1+β−h₁λ) − 2β and determinant β². Making the trace 2β·T(λ) with
//! T(λ) = ((λ−c)² − (w²+g²)/2)/((w²−g²)/2), which stays in [−1, 1] on Λ, keeps both roots on
//! the circle of radius β: the per-step rate is √β. Matching T(0) = q₀ = (2c²−w²−g²)/(w²−g²)
//! with the trace at λ = 0, 1 + β², gives β = q₀ − √(q₀² − 1), rate (q₀ + √(q₀²−1))^{−1/2};
//! the λ² and λ coefficients give h₀h₁ = 4β/(w²−g²) and h₀ + h₁ = 8βc/((1+β)(w²−g²)).
//! [`gapped_cycle`] uses these for two intervals of equal width and refines them numerically
//! (Nelder–Mead on the worst per-step rate, evaluated by [`super::Periodic::worst`]) otherwise.

use super::shape::Shape;
use super::{Periodic, Run, Schedule, Step};
use crate::Spectrum;
use crate::error::{Error, Result, finite};
use crate::setting::Resolved;

/// The largest scale s of a schedule (lr_t → s·lr_t) whose peak transient stays below a bound.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ScaleTuning {
    /// The bound on max |e_t/e₀| over t ≤ N and the spectrum.
    pub max_peak: f64,
    /// The largest scale found.
    pub scale: f64,
    /// The largest lr of the scaled schedule.
    pub peak_lr: f64,
    /// The peak transient at that scale (≤ max_peak).
    pub peak_factor: f64,
    /// The worst |e_N/e₀| at that scale.
    pub worst_factor: f64,
}

/// The peak transient of `schedule` at scale s.
fn peak_at(
    r: &Resolved,
    schedule: &Schedule,
    base: &[f64],
    s: f64,
    spectrum: &Spectrum,
    n: usize,
) -> Result<super::Horizon> {
    let sched = Schedule {
        lr: Some(base.iter().map(|x| x * s).collect()),
        ..schedule.clone()
    };
    Run::new(r, &sched, n)?.worst(spectrum)
}

/// The largest scale s with peak transient ≤ `max_peak` (≥ 1), searched from s = 1 by doubling
/// or halving to the first switch and then bisection (the peak need not be monotone in s: the
/// answer is the edge of the switch found, and its peak is checked).
///
/// # Examples
///
/// ```
/// use momentum::{Spectrum, setting::Setting, schedule::{Schedule, tune::largest_scale}};
/// // gradient descent, constant lr: |1 − sλ| ≤ 1 up to s = 2/L
/// let s = Spectrum::interval(0.1, 1.0)?;
/// let gd = Setting { lr: Some(1.0), ..Setting::named("canonical", Some("gd"))? }.resolve(&s)?;
/// let t = largest_scale(&gd, &Schedule::lr(vec![1.0; 20]), &s, 20, 1.0)?;
/// assert!((t.scale - 2.0).abs() < 1e-6, "{t:?}");
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// `max_peak` below 1 or not finite; what [`Run::new`] rejects; no stable scale above 2⁻⁶⁰.
pub fn largest_scale(
    r: &Resolved,
    schedule: &Schedule,
    spectrum: &Spectrum,
    steps: usize,
    max_peak: f64,
) -> Result<ScaleTuning> {
    finite("max peak", max_peak)?;
    if max_peak < 1.0 {
        return Err(Error::OutOfRange {
            name: "max peak",
            value: max_peak,
            expected: ">= 1 (the error starts at |e_0|)",
        });
    }
    let base: Vec<f64> = match &schedule.lr {
        Some(v) => v.clone(),
        None => vec![r.params.as_ref().map_or(1.0, |p| p.lr)],
    };
    let lim = max_peak.log10();
    let ok = |s: f64| -> Result<bool> {
        Ok(peak_at(r, schedule, &base, s, spectrum, steps)?
            .peak
            .factor_log10
            <= lim + 1e-12)
    };
    let (mut lo, mut hi);
    if ok(1.0)? {
        lo = 1.0;
        hi = 2.0;
        while ok(hi)? {
            lo = hi;
            hi *= 2.0;
            if hi > 1e60 {
                return Err(Error::Unsupported(
                    "the peak stays below the bound at every scale up to 1e60".into(),
                ));
            }
        }
    } else {
        hi = 1.0;
        lo = 0.5;
        while !ok(lo)? {
            hi = lo;
            lo *= 0.5;
            if lo < 1e-18 {
                return Err(Error::Unsupported(
                    "no scale down to 1e-18 keeps the peak below the bound".into(),
                ));
            }
        }
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if ok(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let h = peak_at(r, schedule, &base, lo, spectrum, steps)?;
    Ok(ScaleTuning {
        max_peak,
        scale: lo,
        peak_lr: lo * base.iter().copied().fold(0.0, f64::max),
        peak_factor: h.peak.factor,
        worst_factor: h.worst_factor,
    })
}

/// The shortest warmup of a shape under a transient bound.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WarmupTuning {
    /// The bound on the peak transient.
    pub max_peak: f64,
    /// The fewest warmup steps that keep the peak below it.
    pub warmup_steps: usize,
    /// The peak with that warmup.
    pub peak_factor: f64,
    /// The peak with one step less (above the bound), `None` at 0.
    pub peak_one_less: Option<f64>,
    /// The worst |e_N/e₀| with that warmup.
    pub worst_factor: f64,
}

/// The smallest `warmup_steps` of `shape` (an lr shape with that argument) for which the peak
/// transient over N steps stays ≤ `max_peak`: bisection over 0 … N on the assumption that a
/// longer warmup does not raise the peak, then the answer and the one below it are evaluated.
///
/// # Errors
///
/// A shape without `warmup_steps`; no warmup up to N keeps the peak below the bound; what
/// [`Run::new`] rejects.
pub fn shortest_warmup(
    r: &Resolved,
    shape: &Shape,
    spectrum: &Spectrum,
    steps: usize,
    max_peak: f64,
) -> Result<WarmupTuning> {
    finite("max peak", max_peak)?;
    let lim = max_peak.log10();
    let eval = |w: usize| -> Result<super::Horizon> {
        let sh = shape.with("warmup_steps", w as f64)?;
        let v = sh.values(steps, r.params.map(|p| p.lr))?;
        let mut s = Schedule::lr(v.lr);
        s.momentum = v.momentum;
        Run::new(r, &s, steps)?.worst(spectrum)
    };
    let fits = |h: &super::Horizon| h.peak.factor_log10 <= lim + 1e-12;
    let cap = shape.warmup_cap().unwrap_or(steps).min(steps);
    if !fits(&eval(cap)?) {
        return Err(Error::Unsupported(format!(
            "even a warmup of {cap} steps leaves the peak above {max_peak}"
        )));
    }
    let (mut lo, mut hi) = (0usize, cap);
    if fits(&eval(0)?) {
        hi = 0;
    }
    while hi > lo + 1 {
        let mid = (lo + hi) / 2;
        if fits(&eval(mid)?) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let h = eval(hi)?;
    Ok(WarmupTuning {
        max_peak,
        warmup_steps: hi,
        peak_factor: h.peak.factor,
        peak_one_less: if hi > 0 {
            Some(eval(hi - 1)?.peak.factor)
        } else {
            None
        },
        worst_factor: h.worst_factor,
    })
}

/// The best two-step cycle of heavy ball on two intervals.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CycleTuning {
    /// The two steps, alternating.
    pub steps: [f64; 2],
    /// The momentum.
    pub momentum: f64,
    /// The worst per-step rate over both intervals, evaluated by the monodromy.
    pub rate: f64,
    /// Goujaud et al.'s closed form (q₀ + √(q₀²−1))^{−1/2} for equal widths, else `None`.
    pub closed_form_rate: Option<f64>,
    /// Polyak's constant heavy ball on the hull [a₁, b₂], for comparison.
    pub polyak_rate: f64,
}

/// One canonical heavy-ball step with step h, momentum β.
fn hb_step(h: f64, beta: f64) -> Step {
    Step {
        a: [[1.0 + beta, -beta], [1.0, 0.0]],
        b: [[-h, 0.0], [0.0, 0.0]],
    }
}

fn cycle_rate(h0: f64, h1: f64, beta: f64, parts: &[Spectrum; 2]) -> Result<f64> {
    let p = Periodic::new(vec![hb_step(h0, beta), hb_step(h1, beta)])?;
    Ok(p.worst(&parts[0])?.rate.max(p.worst(&parts[1])?.rate))
}

/// The best alternating two-step heavy ball on [a₁, b₁] ∪ [a₂, b₂] (module docs).
///
/// # Examples
///
/// ```
/// use momentum::schedule::tune::gapped_cycle;
/// let t = gapped_cycle([(0.01, 0.1), (0.91, 1.0)])?;
/// assert!((t.rate - 0.70857).abs() < 1e-5, "{t:?}");
/// assert!((t.polyak_rate - 9.0 / 11.0).abs() < 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// Intervals not finite, not positive, empty, or overlapping.
pub fn gapped_cycle(intervals: [(f64, f64); 2]) -> Result<CycleTuning> {
    let [(a1, b1), (a2, b2)] = intervals;
    for (n, x) in [("a1", a1), ("b1", b1), ("a2", a2), ("b2", b2)] {
        finite(n, x)?;
    }
    if !(0.0 < a1 && a1 <= b1 && b1 < a2 && a2 <= b2) {
        return Err(Error::Usage(format!(
            "a gapped spectrum needs 0 < a1 <= b1 < a2 <= b2, got [{a1}, {b1}] and [{a2}, {b2}]"
        )));
    }
    let parts = [Spectrum::interval(a1, b1)?, Spectrum::interval(a2, b2)?];
    // the symmetric gap inside the hull: c = (a1 + b2)/2, w = (b2 − a1)/2, g = min distance
    let c = 0.5 * (a1 + b2);
    let w = 0.5 * (b2 - a1);
    let g = (c - b1).min(a2 - c);
    let q0 = (2.0 * c * c - w * w - g * g) / (w * w - g * g);
    let beta = q0 - (q0 * q0 - 1.0).sqrt();
    let sum = 8.0 * beta * c / ((1.0 + beta) * (w * w - g * g));
    let prod = 4.0 * beta / (w * w - g * g);
    let disc = (sum * sum - 4.0 * prod).max(0.0).sqrt();
    let (h0, h1) = (0.5 * (sum - disc), 0.5 * (sum + disc));
    let symmetric = ((b1 - a1) - (b2 - a2)).abs() <= 1e-12 * w;
    let closed = (q0 + (q0 * q0 - 1.0).sqrt()).powf(-0.5);
    let mut best = ([h0, h1, beta], cycle_rate(h0, h1, beta, &parts)?);
    if !symmetric {
        let f = |v: [f64; 3]| {
            if v[2] < 0.0 || v[2] >= 1.0 || v[0] <= 0.0 || v[1] <= 0.0 {
                return f64::INFINITY;
            }
            cycle_rate(v[0], v[1], v[2], &parts).unwrap_or(f64::INFINITY)
        };
        let (x, y) = super::switching::nelder_mead(&f, best.0, 0.05, 600);
        if y < best.1 {
            best = (x, y);
        }
    }
    let kappa = b2 / a1;
    Ok(CycleTuning {
        steps: [best.0[0], best.0[1]],
        momentum: best.0[2],
        rate: best.1,
        closed_form_rate: symmetric.then_some(closed),
        polyak_rate: (kappa.sqrt() - 1.0) / (kappa.sqrt() + 1.0),
    })
}
