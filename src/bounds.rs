//! Convergence bounds that hold at every step, not only asymptotically .
//!
//! **Exact finite-horizon worst case.** Started from rest (x₋₁ = x₀), the error along an
//! eigenvector of curvature λ after N steps is e_N = P_N(λ) e₀, where P_N is the degree-N
//! polynomial P₋₁ = P₀ = 1, P_{k+1} = c₁(λ)P_k − c₀(λ)P_{k−1}. Over every quadratic whose
//! Hessian has its spectrum in [μ, L],
//!
//! ```text
//! sup ‖e_N‖ / ‖e₀‖ = max over λ ∈ [μ, L] of |P_N(λ)|
//! ```
//!
//! (≤ because e_N = P_N(H)e₀ and ‖P_N(H)‖₂ = max over H's eigenvalues; = by taking e₀ along the
//! eigenvector of the maximising λ). This is what a performance-estimation SDP (PEPit) computes
//! for the quadratic class, and it is *not* at an endpoint in general: P_N oscillates in λ.
//!
//! [`finite_horizon`] maximises |P_N| without missing a peak. Where the roots are a complex pair
//! re^{±iθ}, P_N(λ) = r^N √(1+B²) cos(Nθ − φ) with B = (cos θ − r)/sin θ and φ = atan B (from
//! P₀ = P₋₁ = 1), so the peaks of |P_N| sit at the phases ψ = Nθ − φ ∈ πℤ. The interval is
//! subdivided until the phase moves by at most π/4 between neighbouring samples (and down to
//! the rounding floor at every switch between complex and real roots); each sample is P_N in
//! closed form (Lucas form, [`Mode::lucas`]), O(1) at any N. Every sampled local maximum is
//! then refined by golden section on its two neighbouring intervals, which hold at most one
//! peak. Where the roots are real, P_N = a r₁^N + b r₂^N has no oscillation in λ and the
//! uniform start grid (plus refinement) resolves it.
//!
//! **Per-curvature transient bound.** (e_k, e_{k−1}) = T(λ)^k (e₀, e₋₁), so
//! |e_k| ≤ ‖T^k‖₂ ‖(e₀, e₋₁)‖ = √2 ‖T^k‖₂ |e₀| from rest; ‖T^k‖₂, the largest singular value of
//! the 2 × 2 matrix T^k = [[U_{k+1}, −c₀U_k], [U_k, −c₀U_{k−1}]], has the closed form
//! (√((a+d)² + (c−b)²) + √((a−d)² + (b+c)²))/2 for [[a, b], [c, d]] ([`transient_norm`]).

use crate::convention::{Framework, FrameworkParams};
use crate::error::{Error, Result, finite};
use crate::method::Method;
use crate::mode::{Mode, Regime};
use crate::recurrence::Recurrence;
use crate::spectrum::Spectrum;
use num_complex::Complex64;
use std::f64::consts::{FRAC_PI_4, PI};
use std::fmt;

/// Largest horizon [`finite_horizon`] accepts: the number of samples grows like 4N.
pub const MAX_STEPS: u64 = 10_000_000;
/// Uniform samples the subdivision starts from.
const START_SAMPLES: usize = 257;

/// P_N(λ) = U_{N+1} − c₀U_N: the error after N steps from rest, per unit of e₀.
///
/// Accuracy: the two terms can nearly cancel when the roots are close to 1 in modulus; the
/// relative error then grows like N·ε/|1 − r| (measurements in docs/DESIGN.md).
///
/// # Examples
///
/// ```
/// use momentum::{Method, bounds::from_rest};
/// // heavy ball, one step from rest: e₁ = (1 − αλ) e₀
/// let rec = Method::heavy_ball(0.1, 0.9)?.recurrence();
/// assert!((from_rest(&rec, 3.0, 1)? - 0.7).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// Coefficient overflow, or |P_N| beyond f64 ([`Error::Overflow`]).
pub fn from_rest(rec: &Recurrence, lambda: f64, steps: u64) -> Result<f64> {
    let mode = rec.mode(lambda)?;
    from_rest_mode(&mode, steps)
}

/// log₁₀ |P_N(λ)|, finite where P_N itself overflows f64 (an unstable mode after many steps).
///
/// With roots z₁, z₂ (|z₁| ≥ |z₂|), P_N = [z₁^{N+1}(1 − z₂) − z₂^{N+1}(1 − z₁)]/(z₁ − z₂), so
/// log|P_N| = (N+1) log|z₁| + log|(1 − z₂) − (z₂/z₁)^{N+1}(1 − z₁)| − log|z₁ − z₂|; at a
/// double root z, P_N = z^N((N + 1) − Nz). −∞ when P_N is exactly 0.
///
/// # Examples
///
/// ```
/// use momentum::{Method, bounds::log10_from_rest};
/// // gradient descent, step 3 at λ = 1: P_N = (−2)^N, beyond f64 at N = 2000
/// let rec = Method::gradient_descent(3.0)?.recurrence();
/// let lg = log10_from_rest(&rec, 1.0, 2000)?;
/// assert!((lg - 2000.0 * 2f64.log10()).abs() < 1e-9);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// λ not finite, or coefficient overflow.
pub fn log10_from_rest(rec: &Recurrence, lambda: f64, steps: u64) -> Result<f64> {
    let mode = rec.mode(lambda)?;
    if let Ok(p) = from_rest_mode(&mode, steps) {
        return Ok(p.abs().log10());
    }
    let [a, b] = mode.roots();
    let (z1, z2) = if a.norm() >= b.norm() { (a, b) } else { (b, a) };
    let one = Complex64::new(1.0, 0.0);
    let n = steps as f64;
    let ln = if mode.regime() == Regime::CriticallyDamped {
        // the double root's own value, the mean of the two computed roots
        let z = (z1 + z2) * 0.5;
        n * z.norm().ln() + (Complex64::new(n + 1.0, 0.0) - z * n).norm().ln()
    } else {
        let w = (z2 / z1).powf(n + 1.0);
        (n + 1.0) * z1.norm().ln() + ((one - z2) - w * (one - z1)).norm().ln()
            - (z1 - z2).norm().ln()
    };
    Ok(ln / std::f64::consts::LN_10)
}

/// log₁₀ |e_N/e₀| from a given first step e₁ = (a₀ − a₁λ)e₀ ([`finite_horizon_from`]), finite
/// where the factor overflows f64: with a = a₀ − a₁λ and roots z₁, z₂ (|z₁| ≥ |z₂|),
/// e_N/e₀ = [(a − z₂)z₁^N − (a − z₁)z₂^N]/(z₁ − z₂), and z^{N−1}(z + N(a − z)) at a double root.
///
/// # Examples
///
/// ```
/// use momentum::{Method, bounds::{FirstStep, log10_from, log10_from_rest}};
/// let rec = Method::heavy_ball(3.0, 0.5)?.recurrence();
/// let rest = log10_from_rest(&rec, 1.0, 5000)?;
/// let same = log10_from(&rec, FirstStep::from_rest(&rec), 1.0, 5000)?;
/// assert!((rest - same).abs() < 1e-9 * rest.abs());
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// λ or the first step not finite, or coefficient overflow.
pub fn log10_from(rec: &Recurrence, first: FirstStep, lambda: f64, steps: u64) -> Result<f64> {
    finite("a0", first.a0)?;
    finite("a1", first.a1)?;
    let mode = rec.mode(lambda)?;
    if let Ok(p) = factor(&mode, Some(first), steps) {
        return Ok(p.abs().log10());
    }
    let [x, y] = mode.roots();
    let (z1, z2) = if x.norm() >= y.norm() { (x, y) } else { (y, x) };
    let a = Complex64::new(first.a0 - first.a1 * lambda, 0.0);
    let n = steps as f64;
    let ln = if mode.regime() == Regime::CriticallyDamped {
        let z = (z1 + z2) * 0.5;
        (n - 1.0) * z.norm().ln() + (z + (a - z) * n).norm().ln()
    } else {
        let w = (z2 / z1).powf(n);
        n * z1.norm().ln() + ((a - z2) - w * (a - z1)).norm().ln() - (z1 - z2).norm().ln()
    };
    Ok(ln / std::f64::consts::LN_10)
}

fn from_rest_mode(mode: &Mode, steps: u64) -> Result<f64> {
    let (next, this) = mode.lucas_pair(steps);
    let p = next - mode.c0() * this;
    if p.is_finite() {
        Ok(p)
    } else {
        Err(Error::Overflow {
            what: "P_N",
            k: steps,
        })
    }
}

/// The exact worst case after N steps over spectra in [μ, L] (module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FiniteHorizon {
    /// N.
    pub steps: u64,
    /// max over λ ∈ [μ, L] of |P_N(λ)|: the worst ‖e_N‖/‖e₀‖, a ratio of distances (not squared).
    pub worst_factor: f64,
    /// A curvature attaining it.
    pub worst_lambda: f64,
    /// Samples evaluated (the cost, and a witness of the phase resolution).
    pub evaluations: usize,
}

/// The exact worst ‖e_N‖/‖e₀‖ from rest over every quadratic whose Hessian has its spectrum in
/// `spectrum`: max |P_N(λ)| over the interval [μ, L] (module docs), or over the listed eigenvalues.
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, bounds::finite_horizon};
/// // gradient descent with step 1: P_N(λ) = (1 − λ)^N, worst at λ = μ
/// let gd = Method::gradient_descent(1.0)?.recurrence();
/// let w = finite_horizon(&gd, &Spectrum::interval(0.5, 1.0)?, 10)?;
/// assert!((w.worst_factor - 0.5f64.powi(10)).abs() < 1e-15);
/// let listed = finite_horizon(&gd, &Spectrum::eigenvalues(vec![0.75, 1.0])?, 10)?;
/// assert!((listed.worst_factor - 0.25f64.powi(10)).abs() < 1e-18);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// N = 0 or above [`MAX_STEPS`] ([`Error::OutOfRange`]), L − μ beyond f64, coefficient overflow,
/// or |P_N| beyond f64 ([`Error::Overflow`]).
pub fn finite_horizon(rec: &Recurrence, spectrum: &Spectrum, steps: u64) -> Result<FiniteHorizon> {
    horizon(rec, None, spectrum, steps, false)
}

/// [`finite_horizon`]'s worst factor and curvature (the same bits) with fewer evaluations, for
/// figures of many horizons: a sampled local maximum is not refined where an envelope of |P_N|
/// over its bracket (complex roots: |P_N| ≤ r^N(1 + r)/sin θ, with the rounding of the
/// evaluations allowed for) proves it cannot beat the best so far. `evaluations` counts the
/// evaluations made.
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, bounds::{finite_horizon, finite_horizon_pruned}};
/// let rec = Method::heavy_ball(3.4, 0.88)?.recurrence();
/// let s = Spectrum::interval(1e-3, 1.0)?;
/// let (full, pruned) = (finite_horizon(&rec, &s, 300)?, finite_horizon_pruned(&rec, &s, 300)?);
/// assert_eq!(full.worst_factor.to_bits(), pruned.worst_factor.to_bits());
/// assert_eq!(full.worst_lambda.to_bits(), pruned.worst_lambda.to_bits());
/// assert!(pruned.evaluations < full.evaluations);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`finite_horizon`].
pub fn finite_horizon_pruned(
    rec: &Recurrence,
    spectrum: &Spectrum,
    steps: u64,
) -> Result<FiniteHorizon> {
    horizon(rec, None, spectrum, steps, true)
}

/// The first step of a run: e₁ = (a₀ − a₁λ)e₀ along curvature λ, after which the recurrence
/// takes over. From rest (x₋₁ = x₀) it is c₁ − c₀: a₀ = p₀ − q₀ = 1, a₁ = p₁ − q₁ = α.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FirstStep {
    /// The constant part a₀ (1 unless decay shrinks the weights).
    pub a0: f64,
    /// The gradient's coefficient a₁ in the first step.
    pub a1: f64,
}

/// How a framework's own first step moves its own iterate, from zero momentum buffers:
/// e₁ = (a₀ − a₁λ)e₀ with, for lr η, momentum β, s = 1 + β under the Nesterov switch (else 1):
///
/// | framework | a₀ | a₁ | why it differs from rest |
/// |---|---|---|---|
/// | PyTorch | 1 − sηw | sη | the buffer starts as g, undampened; Nesterov's parameters are the look-ahead point |
/// | Keras | 1 − ηw | sη | decoupled decay shrinks x first; Nesterov's variable is the look-ahead point |
/// | optax | 1 − sηw | sη | `trace` starts at 0, so its first value is g; Nesterov as PyTorch |
/// | QHM | 1 | η(1 − νβ) | the buffer starts at 0: the first step mixes (1 − ν)g and ν(1 − β)g |
/// | AdamW | 1 − ηw | η(1 − β₁) | decoupled decay shrinks x before the first step |
/// | EWMA, physics, Sutskever, canonical, Adam, RMSprop | 1 | α | none: they start from rest (Adam without bias correction: the frozen-preconditioner model) |
///
/// (w: weight decay; coupled decay adds w to every curvature.) From the second step on every
/// framework follows the recurrence of [`Framework::convert`]. Checked against the literal update
/// lines of each framework in `tests/it/bounds.rs`.
///
/// # Examples
///
/// ```
/// use momentum::{Framework, FrameworkParams, bounds::framework_first_step};
/// let p = FrameworkParams { lr: 0.1, momentum: Some(0.9), dampening: Some(0.5), ..Default::default() };
/// let f = framework_first_step(Framework::PyTorch, &p)?;
/// assert_eq!((f.a0, f.a1), (1.0, 0.1)); // from rest it would be α = 0.05
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`Framework::convert`] rejects.
pub fn framework_first_step(framework: Framework, p: &FrameworkParams) -> Result<FirstStep> {
    let c = framework.convert(p)?;
    let lr = p.lr;
    let beta = p.momentum.unwrap_or(0.0);
    let s = if p.nesterov { 1.0 + beta } else { 1.0 };
    let w = p.weight_decay.unwrap_or(0.0);
    Ok(match framework {
        Framework::PyTorch | Framework::Optax => FirstStep {
            a0: 1.0 - s * lr * w,
            a1: s * lr,
        },
        Framework::Keras => FirstStep {
            a0: 1.0 - lr * w,
            a1: s * lr,
        },
        // the buffer starts at 0, so the first step is α[(1 − ν) + ν(1 − β)]·g = α(1 − νβ)·g
        Framework::Qhm => FirstStep {
            a0: 1.0,
            a1: lr * (1.0 - p.nu.unwrap_or(0.0) * beta),
        },
        // decoupled decay shrinks x by lr·w before the step of m₁ = (1 − β₁)g
        Framework::AdamW => FirstStep {
            a0: 1.0 - lr * w,
            a1: c.method.step(),
        },
        Framework::Canonical
        | Framework::Ewma
        | Framework::Physics
        | Framework::Sutskever
        | Framework::Adam
        | Framework::RmsProp => FirstStep::from_rest(&c.recurrence),
        // `convert` refused these above: they are not two-step methods
        Framework::Ademamix
        | Framework::Lookahead
        | Framework::ScheduleFree
        | Framework::Aggmo
        | Framework::Sam => FirstStep::from_rest(&c.recurrence),
    })
}

impl FirstStep {
    /// The start from rest, x₋₁ = x₀: e₁ = (c₁ − c₀)e₀.
    pub fn from_rest(rec: &Recurrence) -> Self {
        // in double-double, so that a₀ = (1 + β) − β is exactly 1
        let [p0, p1, q0, q1] = rec.parts();
        FirstStep {
            a0: p0.sub(q0).value(),
            a1: p1.sub(q1).value(),
        }
    }

    /// Whether two first steps move e₀ alike: a₀ and a₁ agree to within `ulps` relative units
    /// in the last place (see [`Recurrence::agrees_with`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Framework, FrameworkParams, Method, bounds::{FirstStep, framework_first_step}};
    /// let rec = Method::heavy_ball(0.1, 0.9)?.recurrence();
    /// let p = FrameworkParams { lr: 0.1, momentum: Some(0.9), ..Default::default() };
    /// // undampened PyTorch starts as if from rest ...
    /// let torch = framework_first_step(Framework::PyTorch, &p)?;
    /// assert!(torch.agrees_with(&FirstStep::from_rest(&rec), 4.0));
    /// // ... but under Nesterov its parameters are the look-ahead point
    /// let nag = framework_first_step(Framework::PyTorch, &FrameworkParams { nesterov: true, ..p })?;
    /// assert!(!nag.agrees_with(&FirstStep::from_rest(&rec), 4.0));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn agrees_with(&self, other: &FirstStep, ulps: f64) -> bool {
        use crate::numeric::within_ulps;
        within_ulps(self.a0, other.a0, ulps) && within_ulps(self.a1, other.a1, ulps)
    }
}

/// [`finite_horizon`] from a given first step: the exact worst |e_N|/|e₀| over the spectrum
/// when e₁ = (a₀ − a₁λ)e₀ ([`framework_first_step`]), i.e. max |a(λ)U_N − c₀U_{N−1}| with
/// a(λ) = a₀ − a₁λ. The peaks are found as in [`finite_horizon`], with the phase
/// φ = atan2(a − r cos θ, r sin θ) of this start.
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, bounds::{FirstStep, finite_horizon, finite_horizon_from}};
/// let rec = Method::heavy_ball(0.1, 0.5)?.recurrence();
/// let s = Spectrum::interval(1.0, 10.0)?;
/// let rest = finite_horizon(&rec, &s, 30)?;
/// let same = finite_horizon_from(&rec, FirstStep::from_rest(&rec), &s, 30)?;
/// assert!((rest.worst_factor - same.worst_factor).abs() < 1e-12 * rest.worst_factor);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`finite_horizon`].
pub fn finite_horizon_from(
    rec: &Recurrence,
    first: FirstStep,
    spectrum: &Spectrum,
    steps: u64,
) -> Result<FiniteHorizon> {
    finite("a0", first.a0)?;
    finite("a1", first.a1)?;
    horizon(rec, Some(first), spectrum, steps, false)
}

/// e_N/e₀ at one curvature: from rest, or from a given first step.
fn factor(mode: &Mode, first: Option<FirstStep>, steps: u64) -> Result<f64> {
    let Some(f) = first else {
        return from_rest_mode(mode, steps);
    };
    let a = f.a0 - f.a1 * mode.lambda();
    let (this, before) = mode.lucas_pair(steps - 1);
    let v = a * this - mode.c0() * before;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::Overflow {
            what: "e_N",
            k: steps,
        })
    }
}

fn horizon(
    rec: &Recurrence,
    first: Option<FirstStep>,
    spectrum: &Spectrum,
    steps: u64,
    prune: bool,
) -> Result<FiniteHorizon> {
    if steps == 0 || steps > MAX_STEPS {
        return Err(Error::OutOfRange {
            name: "steps",
            value: steps as f64,
            expected: "1 ..= 10000000",
        });
    }
    match spectrum {
        Spectrum::Interval { mu, l } => over_interval(rec, first, *mu, *l, steps, prune),
        Spectrum::Eigenvalues(v) => {
            let mut best = FiniteHorizon {
                steps,
                worst_factor: -1.0,
                worst_lambda: v[0],
                evaluations: v.len(),
            };
            for &lam in v {
                let p = factor(&rec.mode(lam)?, first, steps)?.abs();
                if p > best.worst_factor {
                    best.worst_factor = p;
                    best.worst_lambda = lam;
                }
            }
            Ok(best)
        }
    }
}

impl Method {
    /// The exact worst ‖e_N‖/‖e₀‖ after `steps` steps from rest over `spectrum`
    /// ([`finite_horizon`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, Spectrum, tune};
    /// let s = Spectrum::from_condition_number(100.0)?;
    /// let hb = tune::heavy_ball(&s)?;
    /// let w = hb.method.finite_horizon(&s, 500)?;
    /// // the double root at both ends costs a transient: above rate^N, below 1
    /// assert!(w.worst_factor > hb.rate.powi(500) && w.worst_factor < 1e-30, "{w}");
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`finite_horizon`].
    pub fn finite_horizon(&self, spectrum: &Spectrum, steps: u64) -> Result<FiniteHorizon> {
        finite_horizon(&self.recurrence(), spectrum, steps)
    }
}

impl fmt::Display for FiniteHorizon {
    /// `after 500 steps: worst |e_N|/|e_0| = 2.1e-42 at lambda = 0.01`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "after {} steps: worst |e_N|/|e_0| = {:e} at lambda = {}",
            self.steps, self.worst_factor, self.worst_lambda
        )
    }
}

/// [`finite_horizon`] over [μ, L] (module docs); N already checked. With `prune` (from rest
/// only), a sampled maximum whose bracket's [`log_envelope`] is below the best is not refined.
fn over_interval(
    rec: &Recurrence,
    first: Option<FirstStep>,
    mu: f64,
    l: f64,
    steps: u64,
    prune: bool,
) -> Result<FiniteHorizon> {
    finite("mu", mu)?;
    finite("L", l)?;
    if mu > l {
        return Err(Error::EmptyInterval { mu, l });
    }
    finite("L - mu", l - mu)?;
    let nf = steps as f64;
    let sample = |lam: f64| -> Result<Sample> {
        let mode = rec.mode(lam)?;
        let p = factor(&mode, first, steps)?;
        Ok(Sample {
            lam,
            p: p.abs(),
            phase: phase(&mode, first, nf),
        })
    };
    if mu == l {
        let s = sample(mu)?;
        return Ok(FiniteHorizon {
            steps,
            worst_factor: s.p,
            worst_lambda: mu,
            evaluations: 1,
        });
    }
    // subdivide until neighbouring samples are within π/4 of phase, or the regime switch is
    // pinned down to the rounding floor
    let floor = 64.0 * f64::EPSILON * mu.abs().max(l.abs());
    // the regime boundaries are known in closed form (Δ(λ) = c₁² − 4c₀ is a quadratic in λ), so
    // they are start samples too: a complex-root window narrower than the grid cannot hide
    // between two real-root samples
    let mut starts: Vec<f64> = (0..START_SAMPLES)
        .map(|i| {
            let t = i as f64 / (START_SAMPLES - 1) as f64;
            if i + 1 == START_SAMPLES {
                l
            } else {
                mu + (l - mu) * t
            }
        })
        .collect();
    starts.extend(
        regime_boundaries(rec)
            .into_iter()
            .filter(|x| *x > mu && *x < l),
    );
    starts.sort_by(f64::total_cmp);
    starts.dedup();
    let mut pending: Vec<Sample> = starts.into_iter().map(sample).collect::<Result<_>>()?;
    pending.reverse();
    let mut done: Vec<Sample> = vec![pending.pop().expect("at least two start samples")];
    while let Some(b) = pending.pop() {
        let a = *done.last().expect("seeded with the first sample");
        let split = match (a.phase, b.phase) {
            (Some(pa), Some(pb)) => (pb - pa).abs() > FRAC_PI_4,
            (None, None) => false,
            _ => true,
        };
        if split && b.lam - a.lam > floor {
            let m = sample(0.5 * (a.lam + b.lam))?;
            pending.push(b);
            pending.push(m);
        } else {
            done.push(b);
        }
    }
    let mut best = done
        .iter()
        .copied()
        .fold(done[0], |m, s| if s.p > m.p { s } else { m });
    let mut evaluations = done.len();
    let f = |lam: f64| {
        rec.mode(lam)
            .and_then(|m| factor(&m, first, steps))
            .map_or(0.0, f64::abs)
    };
    // every sampled local maximum, the two ends included (a peak inside the first or last cell
    // shows only as an end sample above its neighbour)
    let last = done.len() - 1;
    for i in 0..=last {
        let (lo, hi) = (i.saturating_sub(1), (i + 1).min(last));
        if done[i].p >= done[lo].p && done[i].p >= done[hi].p && done[i].p > 0.0 && hi > lo {
            // the refinement's best is at most max(done[i].p, the envelope) ≤ best.p: no update
            if prune
                && first.is_none()
                && log_envelope(rec, done[lo].lam, done[hi].lam, steps).is_some_and(|e| {
                    e.0 + e.1 + 64.0 * f64::EPSILON * best.p.ln().abs() < best.p.ln()
                })
            {
                continue;
            }
            let (lam, p, n) = golden_max(&f, done[lo].lam, done[hi].lam, done[i]);
            evaluations += n;
            if p > best.p {
                best = Sample {
                    lam,
                    p,
                    phase: None,
                };
            }
        }
    }
    Ok(FiniteHorizon {
        steps,
        worst_factor: best.p,
        worst_lambda: best.lam,
        evaluations,
    })
}

#[derive(Clone, Copy, Debug)]
struct Sample {
    lam: f64,
    p: f64,
    /// ψ = Nθ − φ for a complex pair, `None` for real roots.
    phase: Option<f64>,
}

/// The curvatures where Δ(λ) = (p₀ − p₁λ)² − 4(q₀ − q₁λ) vanishes (the roots switch between
/// real and complex), and where c₁ or c₀ does: at most four values, in no particular order.
fn regime_boundaries(rec: &Recurrence) -> Vec<f64> {
    let (p0, p1, q0, q1) = (rec.p0(), rec.p1(), rec.q0(), rec.q1());
    let mut out = vec![];
    if p1 != 0.0 {
        out.push(p0 / p1);
    }
    if q1 != 0.0 {
        out.push(q0 / q1);
    }
    // p₁²λ² − (2p₀p₁ − 4q₁)λ + (p₀² − 4q₀) = 0, without cancellation
    let (a, b, c) = (p1 * p1, -(2.0 * p0 * p1 - 4.0 * q1), p0 * p0 - 4.0 * q0);
    let d = b * b - 4.0 * a * c;
    if a != 0.0 && d >= 0.0 {
        let q = -0.5 * (b + b.signum() * d.sqrt());
        out.push(q / a);
        if q != 0.0 {
            out.push(c / q);
        }
    }
    out.retain(|x| x.is_finite());
    out
}

/// ψ = Nθ − atan((cos θ − r)/sin θ) for a complex pair (module docs); from a first step
/// e₁ = a·e₀, φ = atan2(a − r cos θ, r sin θ) ([`finite_horizon_from`]).
fn phase(mode: &Mode, first: Option<FirstStep>, n: f64) -> Option<f64> {
    if mode.discriminant() >= 0.0 {
        return None;
    }
    let z = mode.roots()[0];
    let (r, theta) = (z.norm(), z.im.abs().atan2(z.re));
    let phi = match first {
        // B = (cos θ − r)/sin θ, φ = atan B = atan2(cos θ − r, sin θ)
        None => (theta.cos() - r).atan2(theta.sin()),
        Some(f) => {
            let a = f.a0 - f.a1 * mode.lambda();
            // a U_N − c₀U_{N−1} ∝ (a − r cos θ) sin Nθ + r sin θ cos Nθ (θ taken in (0, π))
            (a - r * theta.cos()).atan2(r * theta.sin())
        }
    };
    let psi = n * theta - phi;
    debug_assert!(psi.is_finite() && phi.abs() <= PI);
    Some(psi)
}

/// An upper bound on ln |P_N(λ)| as [`factor`] computes it from rest, for every λ ∈ [a, b]
/// (a < b): (the bound, its slack for rounding), or `None` unless both ends have complex roots
/// with room to spare and moderate coefficients (no rescaled [`Mode`]).
///
/// With a complex pair [`Mode::lucas_pair`] forms U_k = exp((k − 1) ln r + ln|sin kφ| − ln s),
/// r = √c₀, s = sin φ = √(−Δ)/(2r), so |P_N| ≤ |U_{N+1}| + c₀|U_N| ≤ r^N(1 + r)/s. Over [a, b]
/// c₀ is affine and −Δ = 4c₀ − c₁² concave in λ: r is largest and −Δ smallest at an end. The
/// ends' values are widened by the rounding of c₁, c₀ (double-double, ~10⁻³⁰ of their terms;
/// 10⁻²⁰ is allowed) and of Δ, r, s (a few ε), and the logarithm form's rounding (ε per unit of
/// each term's magnitude, the sign of ln|sin kφ| ≤ 0 only helping) by the slack
/// 10⁻⁹ + 64ε(N|ln r| + |ln s| + 8).
fn log_envelope(rec: &Recurrence, a: f64, b: f64, steps: u64) -> Option<(f64, f64)> {
    let eps = f64::EPSILON;
    let (ma, mb) = (rec.mode(a).ok()?, rec.mode(b).ok()?);
    let terms = |lam: f64| {
        let lam = lam.abs();
        [
            rec.p0().abs(),
            rec.p1().abs() * lam,
            rec.q0().abs(),
            rec.q1().abs() * lam,
        ]
    };
    let mut big = 0.0f64;
    for (m, lam) in [(&ma, a), (&mb, b)] {
        for x in terms(lam).into_iter().chain([m.c1().abs(), m.c0().abs()]) {
            big = big.max(x);
        }
    }
    if big >= 1e100 {
        return None;
    }
    // the rounding of c₀ and Δ at any λ of the bracket, absolute
    let tiny = 1e-20 * (big * big + big + 1.0);
    let dmin = ((-ma.discriminant()).min(-mb.discriminant()) - 2.0 * tiny) * (1.0 - 4.0 * eps);
    if dmin.is_nan() || dmin <= 0.0 {
        return None;
    }
    let c0max = (ma.c0().max(mb.c0()) + 2.0 * tiny) * (1.0 + 4.0 * eps);
    let rmax = c0max.sqrt() * (1.0 + 2.0 * eps);
    let smin = 0.5 * dmin.sqrt() / rmax * (1.0 - 16.0 * eps);
    if !(rmax.is_finite() && smin > 0.0) {
        return None;
    }
    let (ln_r, ln_s, n) = (rmax.ln(), smin.ln(), steps as f64);
    let log = n * ln_r + rmax.ln_1p() - ln_s;
    let slack = 1e-9 + 64.0 * eps * (n * ln_r.abs() + ln_s.abs() + 8.0);
    log.is_finite().then_some((log, slack))
}

/// Golden-section maximisation of f on [a, b] from a known interior sample (minimising −f).
fn golden_max(f: &impl Fn(f64) -> f64, a: f64, b: f64, start: Sample) -> (f64, f64, usize) {
    let calls = std::cell::Cell::new(0usize);
    let neg = |x: f64| {
        calls.set(calls.get() + 1);
        -f(x)
    };
    let (x, y) = crate::numeric::minimize::golden(&neg, a, b, (start.lam, -start.p));
    (x, -y, calls.get())
}

/// ‖T(λ)^k‖₂ in closed form (module docs): with e₋₁ = e₀, |e_k| ≤ √2 ‖T^k‖₂ |e₀|.
///
/// # Errors
///
/// T^k beyond f64 ([`Error::Overflow`]).
pub fn transient_norm(mode: &Mode, k: u64) -> Result<f64> {
    let t = mode.power(k)?;
    let (a, b, c, d) = (t[(0, 0)], t[(0, 1)], t[(1, 0)], t[(1, 1)]);
    let s = 0.5 * ((a + d).hypot(c - b) + (a - d).hypot(b + c));
    if s.is_finite() {
        Ok(s)
    } else {
        Err(Error::Overflow {
            what: "‖T^k‖", k
        })
    }
}

#[cfg(test)]
mod tests {
    use super::regime_boundaries;
    use crate::Method;

    #[test]
    fn regime_boundaries_are_the_zeros_of_the_discriminant_and_coefficients() {
        // heavy ball (α = 0.7, β = 1e-8): complex roots only for λ in a window of width ~6e-4
        // around 1/α, far narrower than a start cell; both edges must be found, by the mode's
        // own discriminant changing sign there
        for m in [
            Method::heavy_ball(0.7, 1e-8).unwrap(),
            Method::nesterov(0.3, 0.6).unwrap(),
            Method::general(0.5, 0.4, -0.2).unwrap(),
        ] {
            let rec = m.recurrence();
            let b = regime_boundaries(&rec);
            let sign = |x: f64| rec.mode(x).unwrap().discriminant() < 0.0;
            let mut switches: Vec<f64> = b
                .iter()
                .copied()
                .filter(|&x| {
                    let d = 1e-9 * x.abs().max(1.0);
                    sign(x - d) != sign(x + d)
                })
                .collect();
            // Nesterov's Δ = (1 − αλ)[…] vanishes with c₁ and c₀ at αλ = 1: one point, listed thrice
            switches.sort_by(f64::total_cmp);
            switches.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * b.abs());
            assert_eq!(switches.len(), 2, "{m:?}: {b:?}");
            // and c₁ = 0 is listed (p₀/p₁)
            let (c1, _) = rec.coefficients(rec.p0() / rec.p1());
            assert!(c1.abs() < 1e-12);
            assert!(b.contains(&(rec.p0() / rec.p1())));
        }
    }
}
