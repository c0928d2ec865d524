//! Exact stability and damping boundaries in the (step, momentum) plane (docs/REFERENCE.md §3).
//!
//! Jury (Schur–Cohn) for z² − c₁z + c₀: both roots inside the unit disc ⇔
//! 1 − c₀ > 0, 1 + c₀ > 0, 1 − c₁ + c₀ > 0 and 1 + c₁ + c₀ > 0. For a method whose
//! coefficients are affine in the step (every family and every framework convention here: the
//! step multiplies λ, and weight decay enters through lr·w), each inequality at each endpoint of
//! the spectrum is a half-line in the step, so the stable steps form one interval.

use crate::convention::{Converted, WeightDecay};
use crate::error::Result;
use crate::method::Family;
use crate::method::Method;
use crate::mode::Regime;
use crate::numeric::dd::Dd;
use crate::recurrence::Recurrence;
use crate::recurrence::jury_dd;
use crate::spectrum::Spectrum;

/// An open interval of steps (lo, hi); `hi` is +∞ when no step is too large (e.g. λ ≤ 0 only).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StepInterval {
    /// Smallest stable step (exclusive), ≥ 0.
    pub lo: f64,
    /// Largest stable step (exclusive); +∞ when unbounded (serialised as null).
    #[cfg_attr(feature = "serde", serde(serialize_with = "finite_or_null"))]
    pub hi: f64,
}

#[cfg(feature = "serde")]
fn finite_or_null<S: serde::Serializer>(x: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    if x.is_finite() {
        s.serialize_f64(*x)
    } else {
        s.serialize_none()
    }
}

/// Relative size below which a double-double difference is rounding of an exact zero
/// (double-double carries ~106 bits, 1e-32; this leaves a wide margin and is still far below
/// anything an f64 input can express).
const DD_ZERO: f64 = 1e-28;

/// The interval of steps t > 0 for which a step-affine family of recurrences is stable over the
/// whole spectrum. `build(t)` must give the recurrence at step t, with p₀, p₁, q₀, q₁ affine in t
/// (true of every family and framework convention here).
///
/// The four numbers are split exactly into constant and slope parts from t = 1 and t = 2
/// (P(t) = (2P(1) − P(2)) + t(P(2) − P(1)); doubling is exact in binary, so the split is exact in
/// double-double), and each Jury margin at each end of the spectrum is then an exact affine
/// function g₀ + g₁t — accurate whatever the scale of tλ (1e-30 or 1e30).
/// Returns `None` when no positive step is stable.
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, stability::stable_steps};
/// // heavy ball with β = 0.9 on [1, 100] is stable for 0 < α < 2(1 + β)/L = 0.038
/// let iv = stable_steps(&Spectrum::interval(1.0, 100.0)?, |t| {
///     Ok(Method::heavy_ball(t, 0.9)?.recurrence())
/// })?
/// .expect("some step is stable");
/// assert_eq!(iv.lo, 0.0);
/// assert!((iv.hi - 0.038).abs() < 1e-16);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// Whatever `build` returns.
pub fn stable_steps(
    spectrum: &Spectrum,
    build: impl Fn(f64) -> Result<Recurrence>,
) -> Result<Option<StepInterval>> {
    let (r1, r2) = (build(1.0)?.parts(), build(2.0)?.parts());
    let konst: [Dd; 4] = std::array::from_fn(|k| r1[k].scale(2.0).sub(r2[k]));
    let slope: [Dd; 4] = std::array::from_fn(|k| r2[k].sub(r1[k]));
    let (lo_l, hi_l) = spectrum.bounds();
    let mut lo = 0.0f64;
    let mut hi = f64::INFINITY;
    for lambda in [lo_l, hi_l] {
        let at =
            |[p0, p1, q0, q1]: [Dd; 4]| (p0.sub(p1.mul_f64(lambda)), q0.sub(q1.mul_f64(lambda)));
        let ((c1k, c0k), (c1s, c0s)) = (at(konst), at(slope));
        let g0 = jury_dd(c1k, c0k, Dd::new(1.0));
        let g1 = jury_dd(c1s, c0s, Dd::new(0.0));
        // operand scale of each margin, for deciding what is an exact zero
        let scale0 = 1.0 + c1k.hi.abs() + c0k.hi.abs();
        let scale1 = c1s.hi.abs() + c0s.hi.abs();
        for i in 0..4 {
            let mut a = g0[i].value();
            let mut b = g1[i].value();
            // what is left of an exact zero is double-double rounding (~1e-32 of the operands)
            if a.abs() <= DD_ZERO * scale0 {
                a = 0.0;
            }
            if b.abs() <= DD_ZERO * scale1 {
                b = 0.0;
            }
            // margin a + b·t > 0
            if b > 0.0 {
                lo = lo.max(-a / b);
            } else if b < 0.0 {
                hi = hi.min(-a / b);
            } else if a <= 0.0 {
                return Ok(None);
            }
        }
    }
    Ok((lo < hi).then_some(StepInterval { lo, hi }))
}

/// The stable steps of a method's family at its own momentum (and lookahead rule).
///
/// # Errors
///
/// None in practice: a method's recurrence at any step > 0 is valid.
pub fn method_stable_steps(method: &Method, spectrum: &Spectrum) -> Result<Option<StepInterval>> {
    stable_steps(spectrum, |t| Ok(method.with_step(t)?.recurrence()))
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
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CriticalMomentum {
    /// The curvature.
    pub lambda: f64,
    /// The momentum on the stable side of the critical-damping curve.
    pub momentum: f64,
    /// The asymptotic rate there (the double root's modulus).
    pub rate: f64,
    /// The double root itself: negative (the error flips sign every step) for heavy ball with
    /// αλ > 1.
    pub root: f64,
}

/// The critical-damping momentum at step α and curvature λ ≥ 0, with h = αλ:
/// - heavy ball: β = (1 − √h)² (the other branch (1 + √h)² ≥ 1 is unstable), rate |1 − √h|:
///   the "conservative" momentum that never overshoots;
/// - Nesterov: β = (1 − √h)/(1 + √h) for h ≤ 1, from h = ((1−β)/(1+β))²; the double root is
///   (1+β)(1−h)/2 = 1 − √h as well. For h > 1 the roots are real of opposite sign for every β ≥ 0.
///
/// `None` for other families, for λ < 0 and for Nesterov with h ≥ 1.
///
/// # Examples
///
/// ```
/// use momentum::{Family, stability::critical_momentum};
/// // heavy ball at h = αλ = 0.25: β = (1 − √h)² = 0.25, a double root at 1 − √h = 0.5
/// let c = critical_momentum(Family::HeavyBall, 0.01, 25.0).unwrap();
/// assert_eq!((c.momentum, c.rate), (0.25, 0.5));
/// ```
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
            root: 1.0 - sh,
        }),
        // at h = 1 both roots are 0 for every β: no momentum is "critical" there
        Family::Nesterov if h < 1.0 => {
            let beta = (1.0 - sh) / (1.0 + sh);
            let root = 0.5 * (1.0 + beta) * (1.0 - h);
            Some(CriticalMomentum {
                lambda,
                momentum: beta,
                rate: root,
                root,
            })
        }
        _ => None,
    }
}

/// A polyline in the (step, momentum) plane.
pub type Curve = Vec<(f64, f64)>;

/// The stable step interval at momentum β for a map family over a spectrum (Jury, exact).
pub fn family_stable_steps(
    family: Family,
    momentum: f64,
    spectrum: &Spectrum,
) -> Option<StepInterval> {
    // through Method so the coefficients stay exact (the Jury margins at step 0 must cancel exactly)
    stable_steps(spectrum, |t| Ok(family.method(t, momentum)?.recurrence()))
        .ok()
        .flatten()
}

/// The stability edges α_lo(β), α_hi(β) sampled at `samples` momenta of (β_min, β_max); curves
/// break where no step is stable. Only edges with a finite, positive step are returned.
pub fn stability_edges(
    family: Family,
    spectrum: &Spectrum,
    (beta_min, beta_max): (f64, f64),
    samples: usize,
) -> Vec<Curve> {
    let mut curves: Vec<Curve> = Vec::new();
    let (mut hi, mut lo): (Curve, Curve) = (Vec::new(), Vec::new());
    for k in 0..=samples {
        let b = beta_min + (beta_max - beta_min) * k as f64 / samples as f64;
        match family_stable_steps(family, b, spectrum) {
            Some(iv) => {
                if iv.hi.is_finite() {
                    hi.push((iv.hi, b));
                }
                if iv.lo > 0.0 {
                    lo.push((iv.lo, b));
                }
            }
            None => {
                curves.extend([std::mem::take(&mut hi), std::mem::take(&mut lo)]);
            }
        }
    }
    curves.extend([hi, lo]);
    curves.retain(|c| c.len() > 1);
    curves
}

/// Critical-damping curves (Δ = 0) at curvature λ > 0 in the (step, momentum) plane, sampled over
/// steps (0, step_max] or momenta (β_min, β_max):
/// - heavy ball: β = (1 ∓ √(αλ))²;
/// - fixed lookahead γ: β = 1 + αλ(1+γ) ∓ 2√(αλ) (from (1+β−h(1+γ))² = 4(β − hγ));
/// - Nesterov: αλ = ((1−β)/(1+β))² and αλ = 1;
/// - gradient descent: αλ = 1 (roots 1 − αλ and 0 coincide).
pub fn critical_curves(
    family: Family,
    lambda: f64,
    step_max: f64,
    (beta_min, beta_max): (f64, f64),
    samples: usize,
) -> Vec<Curve> {
    if lambda <= 0.0 {
        return vec![];
    }
    let steps = (0..=samples).map(|k| step_max * k as f64 / samples as f64);
    let vertical = |a: f64| vec![(a, beta_min), (a, beta_max)];
    match family {
        Family::HeavyBall | Family::Lookahead(_) => {
            // the lookahead is fixed along these families (0 for heavy ball)
            let g = family.momentum_lookahead(0.0).1;
            let branch = |sign: f64| -> Curve {
                steps
                    .clone()
                    .map(|a| {
                        let h = a * lambda;
                        (a, 1.0 + h * (1.0 + g) + sign * 2.0 * h.sqrt())
                    })
                    .collect()
            };
            vec![branch(-1.0), branch(1.0)]
        }
        Family::Nesterov => {
            let curve = (0..=samples)
                .map(|k| beta_min + (beta_max - beta_min) * k as f64 / samples as f64)
                .filter(|b| *b > -1.0)
                .map(|b| (((1.0 - b) / (1.0 + b)).powi(2) / lambda, b))
                .collect();
            vec![curve, vertical(1.0 / lambda)]
        }
        Family::GradientDescent => vec![vertical(1.0 / lambda)],
    }
}

/// Where the dominant real root changes sign (overdamped ↔ alternating) at curvature λ: the line
/// c₁ = 1 + β − αλ(1+γ) = 0, kept where the roots are real there (c₀ ≤ 0).
pub fn sign_change_curve(family: Family, lambda: f64, step_max: f64, samples: usize) -> Vec<Curve> {
    match family {
        // c₁ = (1+β)(1 − αλ): the line αλ = 1 (shared with the critical curve)
        Family::Nesterov | Family::GradientDescent => vec![],
        Family::HeavyBall | Family::Lookahead(_) => {
            // the lookahead is fixed along these families (0 for heavy ball)
            let g = family.momentum_lookahead(0.0).1;
            let mut out = vec![];
            let mut cur: Curve = vec![];
            for k in 0..=samples {
                let a = step_max * k as f64 / samples as f64;
                let h = a * lambda;
                let b = h * (1.0 + g) - 1.0;
                if b - h * g <= 0.0 {
                    cur.push((a, b));
                } else if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            out.push(cur);
            out.retain(|c| c.len() > 1);
            out
        }
    }
}

/// Clip polylines to the box [x0, x1] × [y0, y1]: segments leaving the box end at the boundary
/// (found by bisection along the segment) and the curve resumes where it re-enters.
pub fn clip(curves: &[Curve], (x0, x1): (f64, f64), (y0, y1): (f64, f64)) -> Vec<Curve> {
    let inside = |p: (f64, f64)| p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1;
    let cross = |a: (f64, f64), b: (f64, f64)| {
        // a inside, b outside: bisect for the last inside point
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for _ in 0..40 {
            let mid = 0.5 * (lo + hi);
            let p = (a.0 + (b.0 - a.0) * mid, a.1 + (b.1 - a.1) * mid);
            if inside(p) { lo = mid } else { hi = mid }
        }
        (a.0 + (b.0 - a.0) * lo, a.1 + (b.1 - a.1) * lo)
    };
    let mut out = vec![];
    for c in curves {
        let mut cur: Curve = vec![];
        for (k, &p) in c.iter().enumerate() {
            if !(p.0.is_finite() && p.1.is_finite()) {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            let prev = if k > 0 { Some(c[k - 1]) } else { None };
            match (
                prev.filter(|q| q.0.is_finite() && q.1.is_finite()),
                inside(p),
            ) {
                (Some(q), true) if !inside(q) => {
                    cur.push(cross(p, q));
                    cur.push(p);
                }
                (_, true) => cur.push(p),
                (Some(q), false) if inside(q) => {
                    cur.push(cross(q, p));
                    out.push(std::mem::take(&mut cur));
                }
                _ => {}
            }
        }
        out.push(cur);
    }
    out.retain(|c| c.len() > 1);
    out
}

/// The regime at curvature λ ≥ 0 from the curves alone (no roots): between the two
/// critical-damping branches the pair is complex; otherwise the sign of c₁ decides. Exactly on a
/// curve this says "critically damped".
pub fn regime_from_curves(family: Family, step: f64, momentum: f64, lambda: f64) -> Regime {
    let h = step * lambda;
    let (b, g) = family.momentum_lookahead(momentum);
    let complex = match family {
        Family::Nesterov => {
            // strictly between αλ = 1 and αλ = ((1−β)/(1+β))²
            let k = ((1.0 - b) / (1.0 + b)).powi(2);
            (h - 1.0) * (h - k) < 0.0
        }
        Family::GradientDescent => false,
        _ => {
            let (lo, hi) = (
                1.0 + h * (1.0 + g) - 2.0 * h.sqrt(),
                1.0 + h * (1.0 + g) + 2.0 * h.sqrt(),
            );
            lo < b && b < hi
        }
    };
    let on_curve = match family {
        Family::Nesterov => h == 1.0 || h == ((1.0 - b) / (1.0 + b)).powi(2),
        Family::GradientDescent => h == 1.0,
        _ => {
            let s = 2.0 * h.sqrt();
            b == 1.0 + h * (1.0 + g) - s || b == 1.0 + h * (1.0 + g) + s
        }
    };
    if on_curve {
        Regime::CriticallyDamped
    } else if complex {
        Regime::Underdamped
    } else if 1.0 + b - h * (1.0 + g) > 0.0 {
        Regime::Overdamped
    } else {
        Regime::Alternating
    }
}

impl Converted {
    /// The critical-damping momenta at the spectrum's ends, in the framework's own momentum
    /// (the canonical β, step held), for the branch a user can run (β < 1); weight decay w
    /// shifts each curvature to λ + w. Empty when the convention's step or decay moves with
    /// the momentum ([`Converted::admits_critical_momentum`]) or the family has no closed form.
    pub fn critical_momenta(&self, spectrum: &Spectrum) -> Vec<CriticalMomentum> {
        if !self.admits_critical_momentum() {
            return vec![];
        }
        let shift = match self.weight_decay {
            WeightDecay::Coupled(w) => w,
            _ => 0.0,
        };
        let (lo, hi) = spectrum.bounds();
        let ends: &[f64] = if lo == hi { &[lo] } else { &[lo, hi] };
        ends.iter()
            .filter_map(|&l| {
                critical_momentum(self.method.family(), self.method.step(), l + shift)
                    .filter(|m| m.momentum < 1.0)
                    .map(|mut m| {
                        m.lambda = l;
                        m
                    })
            })
            .collect()
    }
}
