//! Exact stability and damping boundaries in the (step, momentum) plane (REFERENCE §3).
//!
//! Jury (Schur–Cohn) for z² − c₁z + c₀: both roots inside the unit disc ⇔
//! 1 − c₀ > 0, 1 + c₀ > 0, 1 − c₁ + c₀ > 0 and 1 + c₁ + c₀ > 0. For a method whose
//! coefficients are affine in the step (every family and every framework convention here: the
//! step multiplies λ, and weight decay enters through lr·w), each inequality at each endpoint of
//! the spectrum is a half-line in the step, so the stable steps form one interval.

use crate::dd::Dd;
use crate::error::Result;
use crate::method::{Family, Method};
use crate::recurrence::Recurrence;
use crate::spectrum::Spectrum;
use serde::Serialize;

/// An open interval of steps (lo, hi); `hi` is +∞ when no step is too large (e.g. λ ≤ 0 only).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StepInterval {
    /// Smallest stable step (exclusive), ≥ 0.
    pub lo: f64,
    /// Largest stable step (exclusive); +∞ when unbounded (serialised as null).
    #[serde(serialize_with = "finite_or_null")]
    pub hi: f64,
}

fn finite_or_null<S: serde::Serializer>(x: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    if x.is_finite() {
        s.serialize_f64(*x)
    } else {
        s.serialize_none()
    }
}

/// The Jury inequalities 1 − c₀, 1 + c₀, 1 − c₁ + c₀, 1 + c₁ + c₀, each of which must be > 0.
#[inline]
pub fn jury(c1: f64, c0: f64) -> [f64; 4] {
    [1.0 - c0, 1.0 + c0, 1.0 - c1 + c0, 1.0 + c1 + c0]
}

/// Relative size below which a double-double difference is rounding of an exact zero
/// (double-double carries ~106 bits, 1e-32; this leaves a wide margin and is still far below
/// anything an f64 input can express).
const DD_ZERO: f64 = 1e-28;

fn jury_dd(r: &Recurrence, lambda: f64) -> [Dd; 4] {
    let (c1, c0) = r.coefficients_dd(lambda);
    let one = Dd::new(1.0);
    [
        one.sub(c0),
        one.add(c0),
        one.sub(c1).add(c0),
        one.add(c1).add(c0),
    ]
}

/// The interval of steps t > 0 for which a step-affine family of recurrences is stable over the
/// whole spectrum. `build(t)` must give the recurrence at step t and be affine in t; it is
/// sampled at t₁ = `at` and t₂ = 2·`at` and the Jury functions are extended linearly.
/// Returns `None` when no positive step is stable.
pub fn stable_steps(
    spectrum: &Spectrum,
    at: f64,
    build: impl Fn(f64) -> Result<Recurrence>,
) -> Result<Option<StepInterval>> {
    let (t1, t2) = (at, 2.0 * at);
    let (r1, r2) = (build(t1)?, build(t2)?);
    let (lo_l, hi_l) = spectrum.bounds();
    let mut lo = 0.0f64;
    let mut hi = f64::INFINITY;
    for lambda in [lo_l, hi_l] {
        let (ja, jb) = (jury_dd(&r1, lambda), jury_dd(&r2, lambda));
        for i in 0..4 {
            // g(t) = g0 + slope·t with g0 = 2g(t1) − g(t2) (t2 = 2t1), in compensated arithmetic
            // so that the exact zero margin at t = 0 (1 − c₁ + c₀ for heavy ball and Nesterov)
            // comes out as zero rather than as a rounding-sized positive lower step
            let mut g0 = ja[i].scale(2.0).sub(jb[i]).value();
            // what is left of an exact zero is double-double rounding (~1e-32 relative)
            if g0.abs() <= DD_ZERO * (ja[i].hi.abs() + jb[i].hi.abs()) {
                g0 = 0.0;
            }
            let slope = jb[i].sub(ja[i]).value() / (t2 - t1);
            if slope > 0.0 {
                lo = lo.max(-g0 / slope);
            } else if slope < 0.0 {
                hi = hi.min(-g0 / slope);
            } else if g0 <= 0.0 {
                return Ok(None);
            }
        }
    }
    Ok((lo < hi).then_some(StepInterval { lo, hi }))
}

/// The stable steps of a method's family at its own momentum (and lookahead rule).
pub fn method_stable_steps(method: &Method, spectrum: &Spectrum) -> Result<Option<StepInterval>> {
    stable_steps(spectrum, method.step(), |t| {
        Ok(method.with_step(t)?.recurrence())
    })
}

/// Heavy ball's largest stable step for curvatures up to L > 0, −1 < β < 1: 2(1+β)/L.
pub fn heavy_ball_max_step(momentum: f64, l: f64) -> f64 {
    2.0 * (1.0 + momentum) / l
}

/// Nesterov's largest stable step for curvatures up to L > 0, 0 ≤ β < 1: (2+2β)/((1+2β)L).
/// Outside [0, 1) use [`stable_steps`] (the |c₀| < 1 condition can bind).
pub fn nesterov_max_step(momentum: f64, l: f64) -> f64 {
    (2.0 + 2.0 * momentum) / ((1.0 + 2.0 * momentum) * l)
}

/// A momentum at which the mode at curvature λ is critically damped, holding the step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CriticalMomentum {
    /// The curvature.
    pub lambda: f64,
    /// The momentum on the stable side of the critical-damping curve.
    pub momentum: f64,
    /// The asymptotic rate there (the double root's modulus).
    pub rate: f64,
}

/// The critical-damping momentum at step α and curvature λ ≥ 0, with h = αλ:
/// - heavy ball: β = (1 − √h)² (the other branch (1 + √h)² ≥ 1 is unstable), rate |1 − √h|:
///   the "conservative" momentum that never overshoots;
/// - Nesterov: β = (1 − √h)/(1 + √h) for h ≤ 1, from h = ((1−β)/(1+β))²; the double root is
///   (1+β)(1−h)/2 = 1 − √h as well. For h > 1 the roots are real of opposite sign for every β ≥ 0.
///
/// `None` for other families, for λ < 0 and for Nesterov with h > 1.
pub fn critical_momentum(family: Family, step: f64, lambda: f64) -> Option<CriticalMomentum> {
    if lambda < 0.0 {
        return None;
    }
    let h = step * lambda;
    let sh = h.sqrt();
    match family {
        Family::HeavyBall => Some(CriticalMomentum {
            lambda,
            momentum: (1.0 - sh) * (1.0 - sh),
            rate: (1.0 - sh).abs(),
        }),
        Family::Nesterov if h <= 1.0 => {
            let beta = (1.0 - sh) / (1.0 + sh);
            Some(CriticalMomentum {
                lambda,
                momentum: beta,
                rate: 0.5 * (1.0 + beta) * (1.0 - h),
            })
        }
        _ => None,
    }
}
