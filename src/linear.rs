//! Linear methods of any order: the one extension point for methods that are not two-step
//! recurrences (AdEMAMix, AggMo, Lookahead, schedule-free SGD, delayed gradients, …).
//!
//! On a quadratic, along an eigenvector, every such method is a linear system in the normalised
//! step h = lr·λ (λ the curvature the method sees). Two forms are accepted:
//!
//! - **stationary** ([`Pencil`]): the characteristic polynomial is affine in h,
//!
//!   ```text
//!   P_h(z) = a(z) + h·b(z),   deg b < deg a = n
//!   ```
//!
//!   which is det(zI − A − h·B) for any state matrix A + hB with a rank-one B (one gradient
//!   input, one gradient read): a(z) = det(zI − A), and b(z) = −cᵀ adj(zI − A) d for B = d cᵀ.
//!   The two-step [`crate::Recurrence`] is n = 2; a τ-step delay n = τ + 2 ([`crate::delay`]).
//! - **periodic** ([`Periodic`]): a state matrix A_j + h·B_j per step j of a period of p steps
//!   (Lookahead: k inner steps and a synchronisation). The rate per step is ρ(M(h))^{1/p} with the
//!   monodromy M(h) = A_{p−1}(h)⋯A₀(h).
//!
//! Stability at one h is decided by the Schur–Cohn test in double-double on the characteristic
//! polynomial (of the pencil, or of the monodromy). No endpoint theorem is assumed (it is a
//! degree-2 fact): the worst case over an interval of h comes from where roots cross circles,
//! exactly as for delays (for a pencil: P_h has a root on |z| = r iff h is a real value of
//! −a(z)/b(z) there, [`crate::polynomial::circle_crossings`]); for a periodic system, whose
//! monodromy is polynomial in h, by a scan (512 points per decade, plus landmarks) and refinement
//! (bisection of the verdict, golden section of the radius).

use crate::error::{Error, Result, finite};
use crate::mode::Mode;
use crate::numeric::dd::Dd;
use crate::numeric::minimize::golden;
use crate::polynomial::{
    SchurCohn, circle_crossings, circle_crossings_within, roots_scaled, schur_cohn_dd,
    schur_cohn_dd_stable, schur_cohn_dd_stable_inline,
};
use crate::spectrum::Spectrum;
use nalgebra::DMatrix;
use num_complex::Complex64;

/// Largest order n (state dimension) accepted: 66, a two-step method with its gradient
/// [`crate::delay::MAX_DELAY`] = 64 steps late.
pub const MAX_ORDER: usize = 66;

/// Largest period of a periodic system: 1024 steps.
pub const MAX_PERIOD: usize = 1024;

/// Relative accuracy of a worst-case radius over an interval.
const RADIUS_TOLERANCE: f64 = 1e-12;

/// Points per unit of log₁₀ h in the scans of periodic systems.
const SCAN_PER_DECADE: usize = 512;

/// A stationary linear method: P_h(z) = a(z) + h·b(z) (module docs), coefficients highest
/// degree first, `a` monic after normalisation.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Pencil {
    a: Vec<f64>,
    b: Vec<f64>,
    /// The coefficients the verdicts use: `a`, `b` exactly, or the double-double values they
    /// were rounded from ([`Pencil::from_dd`]).
    #[cfg_attr(feature = "serde", serde(skip))]
    exact: (Vec<Dd>, Vec<Dd>),
}

/// One normalised step h of a linear method: the verdict, the rate and the roots.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearMode {
    /// h = lr·λ.
    pub h: f64,
    /// Every root strictly inside the unit circle (Schur–Cohn, double-double).
    pub stable: bool,
    /// The rate per step: max |z| over the roots (for a periodic system ρ(M)^{1/p}).
    pub spectral_radius: f64,
    /// The roots (of the pencil, or of the monodromy's characteristic polynomial).
    pub roots: Vec<Complex64>,
    /// The Schur–Cohn table.
    pub schur_cohn: SchurCohn,
}

/// The worst case of a linear method over the normalised steps of a spectrum.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LinearWorstCase {
    /// max over the spectrum of ρ(h) (relative accuracy 10⁻¹² over an interval of a pencil).
    pub spectral_radius: f64,
    /// Where it is attained (in h).
    pub h: f64,
    /// Stable at every h of the spectrum.
    pub stable: bool,
    /// The worst h lies strictly inside an interval.
    pub interior: bool,
}

fn check_order(n: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::Unsupported(
            "a linear method needs order at least 1".into(),
        ));
    }
    if n > MAX_ORDER {
        return Err(Error::TooMany {
            what: "order",
            count: n as u64,
            limit: MAX_ORDER as u64,
        });
    }
    Ok(())
}

impl Pencil {
    /// The pencil a(z) + h·b(z); `a` is divided by its leading coefficient.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::linear::Pencil;
    /// // heavy ball β = 0.5: z² − 1.5z + 0.5 + h z, stable iff h < 2(1 + β) = 3
    /// let p = Pencil::new(vec![1.0, -1.5, 0.5], vec![1.0, 0.0])?;
    /// assert!(p.mode(2.99)?.stable && !p.mode(3.01)?.stable);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A coefficient not finite, a zero leading coefficient of `a`, an empty `b` or
    /// deg b ≥ deg a ([`Error::Unsupported`]), order above [`MAX_ORDER`].
    pub fn new(a: Vec<f64>, b: Vec<f64>) -> Result<Self> {
        for &c in a.iter().chain(&b) {
            finite("pencil coefficient", c)?;
        }
        if a.is_empty() || a[0] == 0.0 {
            return Err(Error::Unsupported(
                "the pencil's a(z) needs a nonzero leading coefficient".into(),
            ));
        }
        if b.is_empty() || b.len() >= a.len() {
            return Err(Error::Unsupported(format!(
                "the pencil's b(z) must have degree below a(z)'s ({} coefficients for b, {} for a)",
                b.len(),
                a.len()
            )));
        }
        check_order(a.len() - 1)?;
        let lead = a[0];
        let (a, b): (Vec<f64>, Vec<f64>) = (
            a.iter().map(|c| c / lead).collect(),
            b.iter().map(|c| c / lead).collect(),
        );
        let exact = (
            a.iter().map(|&c| Dd::new(c)).collect(),
            b.iter().map(|&c| Dd::new(c)).collect(),
        );
        Ok(Pencil { a, b, exact })
    }

    /// The pencil of a monic a(z) and b(z) known in double-double (a method's coefficients
    /// formed exactly, as a delayed recurrence's are): verdicts use these values, the crossing
    /// searches their roundings.
    ///
    /// # Errors
    ///
    /// As [`Pencil::new`]; a(z) not monic.
    pub(crate) fn from_dd(a: Vec<Dd>, b: Vec<Dd>) -> Result<Self> {
        if a.first().map(|c| c.value()) != Some(1.0) {
            return Err(Error::Unsupported(
                "an exact pencil needs a monic a(z)".into(),
            ));
        }
        let mut p = Pencil::new(
            a.iter().map(|c| c.value()).collect(),
            b.iter().map(|c| c.value()).collect(),
        )?;
        p.exact = (a, b);
        Ok(p)
    }

    /// The order n = deg a.
    pub fn order(&self) -> usize {
        self.a.len() - 1
    }

    /// a(z), monic, highest degree first.
    pub fn a(&self) -> &[f64] {
        &self.a
    }

    /// b(z), highest degree first.
    pub fn b(&self) -> &[f64] {
        &self.b
    }

    /// P_h(z) in double-double, highest degree first: aᵢ + bᵢ·h.
    pub(crate) fn polynomial_dd(&self, h: f64) -> Vec<Dd> {
        let (a, b) = &self.exact;
        let off = a.len() - b.len();
        a.iter()
            .enumerate()
            .map(|(i, &ai)| {
                if i >= off {
                    ai.add(b[i - off].mul_f64(h))
                } else {
                    ai
                }
            })
            .collect()
    }

    /// The exact verdict at h: every root of P_h strictly inside the unit circle (Schur–Cohn in
    /// double-double).
    pub(crate) fn is_stable(&self, h: f64) -> bool {
        schur_cohn_dd_stable(&self.polynomial_dd(h))
    }

    /// P_h(z) = a(z) + h·b(z), highest degree first (each coefficient rounded once from its
    /// double-double value).
    ///
    /// # Errors
    ///
    /// h not finite; coefficients overflowing f64 ([`Error::CoefficientOverflow`]).
    pub fn polynomial(&self, h: f64) -> Result<Vec<f64>> {
        finite("h", h)?;
        let c: Vec<f64> = self.polynomial_dd(h).iter().map(|c| c.value()).collect();
        if c.iter().any(|x| !x.is_finite()) {
            return Err(Error::CoefficientOverflow { lambda: h });
        }
        Ok(c)
    }

    /// The method at normalised step h: the Schur–Cohn verdict, the roots and ρ.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::linear::Pencil;
    /// // gradient descent: z − 1 + h, ρ = |1 − h|
    /// let m = Pencil::new(vec![1.0, -1.0], vec![1.0])?.mode(0.25)?;
    /// assert!(m.stable && (m.spectral_radius - 0.75).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Pencil::polynomial`].
    pub fn mode(&self, h: f64) -> Result<LinearMode> {
        let poly = self.polynomial(h)?;
        let sc = schur_cohn_dd(&self.polynomial_dd(h));
        // order 1 and 2 in closed form (the same bits on every target, as for the two-step core)
        let (roots, radius) = polynomial_roots(&poly)?;
        Ok(LinearMode {
            h,
            stable: sc.stable,
            spectral_radius: radius,
            roots,
            schur_cohn: sc,
        })
    }

    /// The worst case over a spectrum of normalised steps: every listed h, or over an interval
    /// [h₀, h₁] the endpoints and the circle crossings inside (module docs).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Spectrum, linear::Pencil};
    /// let p = Pencil::new(vec![1.0, -1.5, 0.5], vec![1.0, 0.0])?; // heavy ball β = 0.5
    /// let w = p.worst_case(&Spectrum::interval(0.01, 2.0)?)?;
    /// assert!(w.stable && w.spectral_radius < 1.0);
    /// assert!(!p.worst_case(&Spectrum::interval(0.01, 3.5)?)?.stable);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Coefficients overflowing f64 at an h of the spectrum.
    pub fn worst_case(&self, spectrum: &Spectrum) -> Result<LinearWorstCase> {
        crossing_worst_case(
            spectrum,
            &self.a,
            &self.b,
            RADIUS_TOLERANCE,
            &|h| self.mode(h).map(|m| (m.stable, m.spectral_radius)),
            None,
        )
    }

    /// The stable normalised steps: the open intervals of h > 0 on which every root lies inside
    /// the unit circle, ends bisected to adjacent floats on the exact verdict. The last interval
    /// may be unbounded (`f64::INFINITY`).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::linear::Pencil;
    /// let s = Pencil::new(vec![1.0, -1.5, 0.5], vec![1.0, 0.0])?.stable_steps()?;
    /// assert_eq!(s.len(), 1);
    /// assert!(s[0].0 == 0.0 && (s[0].1 - 3.0).abs() < 1e-14);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Coefficients overflowing f64.
    pub fn stable_steps(&self) -> Result<Vec<(f64, f64)>> {
        let all = circle_crossings(&self.a, &self.b, 1.0)?;
        // a root on the circle at h = 0 (z = 1 for every method with memory of x) comes out as
        // ±1e-17: rounding, not a crossing
        let top = all.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let mut cuts: Vec<f64> = all.into_iter().filter(|&h| h > 1e-12 * top).collect();
        cuts.dedup();
        let stable = |h: f64| -> Result<bool> { Ok(self.is_stable(h)) };
        intervals_from_cuts(&cuts, &stable)
    }
    /// The stability edge: the end h* of the stable steps that start at 0⁺ (stable for every
    /// 0 < h < h*, not at h*; `f64::INFINITY` when stable for every h > 0), `None` when no small
    /// step is stable. h* is the first positive
    /// crossing of the unit circle ([`circle_crossings`]) past which the exact verdict is
    /// unstable, bisected to adjacent floats on that verdict.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::linear::Pencil;
    /// // Nesterov β = 0.5: z² − 1.5z + 0.5 + h(1.5z − 0.5), h* = 2(1 + β)/(1 + 2β) = 1.5
    /// let p = Pencil::new(vec![1.0, -1.5, 0.5], vec![1.5, -0.5])?;
    /// assert!((p.edge()?.unwrap() - 1.5).abs() < 1e-14);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Coefficients overflowing f64.
    pub fn edge(&self) -> Result<Option<f64>> {
        let crossings: Vec<f64> = circle_crossings(&self.a, &self.b, 1.0)?
            .into_iter()
            .filter(|&s| s > 0.0)
            .collect();
        // stable near 0⁺, probed below the first crossing that is not rounding (as in
        // `stable_steps`: a root on the circle at h = 0 comes out as a crossing at ~1e-17)
        let top = crossings.iter().fold(0.0f64, |m, &x| m.max(x));
        let first = crossings.iter().find(|&&s| s > 1e-12 * top);
        if !self.is_stable(first.map_or(1.0, |s| 0.5 * s)) {
            return Ok(None);
        }
        for s in crossings {
            if self.is_stable(s * (1.0 + 1e-7)) {
                continue;
            }
            // bracket [lo, hi] with the verdict stable at lo and not at hi, bisected to
            // adjacent floats
            let mut lo = s * (1.0 - 1e-6);
            let mut hi = s * (1.0 + 1e-7);
            if !self.is_stable(lo) {
                return Ok(Some(s));
            }
            while lo.next_up() < hi {
                let mid = 0.5 * (lo + hi);
                if self.is_stable(mid) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return Ok(Some(hi));
        }
        // no crossing past which it is unstable: stable for every h > 0
        Ok(Some(f64::INFINITY))
    }
}

/// The roots of a monic polynomial (highest degree first) and their largest modulus: zero roots
/// split off first (trailing coefficients below 10⁻¹³ of the largest: a periodic method's
/// synchronisation makes its monodromy singular, and the companion matrix of such a polynomial
/// can stall an eigenvalue iteration), then degrees 1 and 2 in closed form, higher degrees by the
/// scaled companion matrix.
fn polynomial_roots(c: &[f64]) -> Result<(Vec<Complex64>, f64)> {
    let scale = c.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let mut k = c.len();
    while k > 1 && c[k - 1].abs() <= 1e-13 * scale {
        k -= 1;
    }
    let p = &c[..k];
    let (mut roots, radius) = match p.len() {
        1 => (vec![], 0.0),
        2 => (vec![Complex64::new(-p[1] / p[0], 0.0)], (p[1] / p[0]).abs()),
        3 => {
            let m = Mode::from_coefficients(-p[1] / p[0], p[2] / p[0])?;
            (m.roots().to_vec(), m.spectral_radius())
        }
        _ => {
            let r = roots_scaled(p)?;
            let radius = r.iter().map(|z| z.norm()).fold(0.0, f64::max);
            (r, radius)
        }
    };
    roots.extend(std::iter::repeat_n(Complex64::new(0.0, 0.0), c.len() - k));
    Ok((roots, radius))
}

/// From candidate boundaries (sorted, > 0) and an exact verdict: the stable open intervals of
/// h > 0. The verdict is taken at one probe inside each gap between candidates (and beyond the
/// last, out to 10⁴⁰ times it); wherever two neighbouring probes disagree the boundary is
/// bisected between them to adjacent floats, so a boundary never jumps across another gap.
pub(crate) fn intervals_from_cuts(
    cuts: &[f64],
    stable: &dyn Fn(f64) -> Result<bool>,
) -> Result<Vec<(f64, f64)>> {
    let mut probes = vec![];
    let mut lo = 0.0;
    for &c in cuts {
        probes.push(if lo == 0.0 { 0.5 * c } else { (lo * c).sqrt() });
        lo = c;
    }
    let last = if lo == 0.0 { 1.0 } else { 2.0 * lo };
    probes.push(last);
    let mut verdicts = probes
        .iter()
        .map(|&p| stable(p))
        .collect::<Result<Vec<bool>>>()?;
    if verdicts[verdicts.len() - 1] {
        // stable beyond every candidate: look for instability further out
        let mut x = last;
        for _ in 0..40 {
            x *= 10.0;
            if !stable(x)? {
                probes.push(x);
                verdicts.push(false);
                break;
            }
        }
    }
    intervals_from_probes(&probes, &verdicts, stable)
}

/// The stable open intervals of h > 0 from increasing probes and the exact verdict at each:
/// stable near 0⁺ iff the first probe is, every change between neighbouring probes bisected to
/// adjacent floats (so a boundary never jumps across another), stable past the last probe iff
/// the last one is (the interval is then unbounded).
fn intervals_from_probes(
    probes: &[f64],
    verdicts: &[bool],
    stable: &dyn Fn(f64) -> Result<bool>,
) -> Result<Vec<(f64, f64)>> {
    let mut out: Vec<(f64, f64)> = vec![];
    let mut start = verdicts[0].then_some(0.0);
    for i in 1..probes.len() {
        if verdicts[i] == verdicts[i - 1] {
            continue;
        }
        let (mut a, mut b) = (probes[i - 1], probes[i]);
        // a has verdicts[i − 1], b has verdicts[i]
        while a.next_up() < b {
            let mid = 0.5 * (a + b);
            if stable(mid)? == verdicts[i - 1] {
                a = mid;
            } else {
                b = mid;
            }
        }
        if verdicts[i] {
            start = Some(a);
        } else if let Some(s) = start.take() {
            out.push((s, b));
        }
    }
    if let Some(s) = start {
        out.push((s, f64::INFINITY));
    }
    Ok(out)
}

/// The worst case over a spectrum of a pencil (a, b): listed values each; an interval by its
/// endpoints and the crossings of circles |z| = r inside it (bisection on r, golden section on
/// the radius near the last crossings). `mode` gives (stable, ρ) at one value, `radius` (when
/// given) the same ρ without the verdict, for the golden section. Shared by
/// [`Pencil::worst_case`] and [`crate::delay::Delayed::worst_case`].
pub(crate) fn crossing_worst_case(
    spectrum: &Spectrum,
    a: &[f64],
    b: &[f64],
    tol: f64,
    mode: &dyn Fn(f64) -> Result<(bool, f64)>,
    radius: Option<&dyn Fn(f64) -> Result<f64>>,
) -> Result<LinearWorstCase> {
    let endpoints = |pts: &[f64]| -> Result<LinearWorstCase> {
        let mut w = LinearWorstCase {
            spectral_radius: f64::NEG_INFINITY,
            h: pts[0],
            stable: true,
            interior: false,
        };
        for &x in pts {
            let (s, r) = mode(x)?;
            w.stable &= s;
            // ties go to the later value, as `Iterator::max_by` does
            if r.total_cmp(&w.spectral_radius).is_ge() {
                (w.spectral_radius, w.h) = (r, x);
            }
        }
        Ok(w)
    };
    let (mu, l) = match spectrum {
        Spectrum::Eigenvalues(v) => return endpoints(v),
        Spectrum::Interval { mu, l } => (*mu, *l),
    };
    let mut out = endpoints(&[mu, l])?;
    if mu == l || a.len() <= 2 {
        // order 1: a single real root, monotone in h
        return Ok(out);
    }
    let inside = |r: f64| -> Result<Vec<f64>> { circle_crossings_within(a, b, r, (mu, l)) };
    out.stable = out.stable && inside(1.0)?.is_empty();
    let r0 = out.spectral_radius;
    let mut lo = r0 * (1.0 + tol) + f64::MIN_POSITIVE;
    let mut cross = inside(lo)?;
    if cross.is_empty() {
        return Ok(out);
    }
    let mut step = r0.max(1e-3) * 1e-2;
    let mut hi = lo + step;
    for _ in 0..200 {
        let c = inside(hi)?;
        if c.is_empty() {
            break;
        }
        (lo, cross) = (hi, c);
        step *= 2.0;
        hi = lo + step;
    }
    while hi - lo > tol * hi {
        let mid = 0.5 * (lo + hi);
        let c = inside(mid)?;
        if c.is_empty() {
            hi = mid;
        } else {
            (lo, cross) = (mid, c);
        }
    }
    let mut best = (cross[0], lo);
    let w = (l - mu) / 64.0;
    let rho = |x: f64| match radius {
        Some(radius) => radius(x).unwrap_or(f64::NAN),
        None => mode(x).map_or(f64::NAN, |m| m.1),
    };
    for &c in cross.iter().take(8) {
        let (x, r) = golden(&|x| -rho(x), (c - w).max(mu), (c + w).min(l), (c, -rho(c)));
        if -r > best.1 {
            best = (x, -r);
        }
    }
    out.spectral_radius = best.1.max(lo);
    out.h = best.0;
    out.interior = true;
    Ok(out)
}

/// The largest order [`Periodic::characteristic`] forms on stack arrays (nalgebra's dynamic
/// products hand larger matrices to a blocked kernel with another summation order).
const SMALL_ORDER: usize = 5;

/// A periodic linear method: state matrices A_j + h·B_j for the steps j = 0 … p−1 of a period.
#[derive(Clone, Debug, PartialEq)]
pub struct Periodic {
    steps: Vec<(DMatrix<f64>, DMatrix<f64>)>,
    /// Largest h the scans look at.
    h_max: f64,
    /// Where intervals may start or end ([`Periodic::with_landmarks`]).
    landmarks: Vec<f64>,
}

impl Periodic {
    /// A period of steps (A_j, B_j), all n × n, and the largest h of interest (stability for
    /// h beyond it is not searched).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::linear::Periodic;
    /// use nalgebra::DMatrix;
    /// // two gradient-descent steps per period: ρ per step = |1 − h|
    /// let s = (DMatrix::from_element(1, 1, 1.0), DMatrix::from_element(1, 1, -1.0));
    /// let p = Periodic::new(vec![s.clone(), s], 10.0)?;
    /// assert!((p.mode(0.5)?.spectral_radius - 0.5).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// No step or more than [`MAX_PERIOD`], matrices not square of one size, entries not
    /// finite, h_max not finite and positive.
    pub fn new(steps: Vec<(DMatrix<f64>, DMatrix<f64>)>, h_max: f64) -> Result<Self> {
        if steps.is_empty() || steps.len() > MAX_PERIOD {
            return Err(Error::TooMany {
                what: "steps in a period",
                count: steps.len() as u64,
                limit: MAX_PERIOD as u64,
            });
        }
        crate::error::positive("h_max", h_max)?;
        let n = steps[0].0.nrows();
        check_order(n)?;
        for (a, b) in &steps {
            if a.shape() != (n, n) || b.shape() != (n, n) {
                return Err(Error::Unsupported(
                    "every step matrix of a periodic method must be n × n with one n".into(),
                ));
            }
            for &x in a.iter().chain(b.iter()) {
                finite("step matrix entry", x)?;
            }
        }
        Ok(Periodic {
            steps,
            h_max,
            landmarks: vec![],
        })
    }

    /// The period p.
    pub fn period(&self) -> usize {
        self.steps.len()
    }

    /// The order n.
    pub fn order(&self) -> usize {
        self.steps[0].0.nrows()
    }

    /// The monodromy M(h) = A_{p−1}(h)⋯A₀(h).
    pub fn monodromy(&self, h: f64) -> DMatrix<f64> {
        let n = self.order();
        let mut m = DMatrix::identity(n, n);
        for (a, b) in &self.steps {
            m = (a + b * h) * m;
        }
        m
    }

    /// The characteristic polynomial of M(h), highest degree first (Faddeev–LeVerrier; exact
    /// forms for n ≤ 2: z − m, z² − tr·z + det).
    ///
    /// # Errors
    ///
    /// h not finite, or entries overflowing f64.
    pub fn characteristic(&self, h: f64) -> Result<Vec<f64>> {
        finite("h", h)?;
        let n = self.order();
        if (3..=SMALL_ORDER).contains(&n) {
            let (c, len) = self.characteristic_small(h)?;
            return Ok(c[..len].to_vec());
        }
        self.characteristic_dynamic(h)
    }

    /// [`Periodic::characteristic`] on nalgebra's dynamic matrices (every order; for
    /// 3 ≤ n ≤ [`SMALL_ORDER`] the route [`Periodic::characteristic_small`] is held to).
    fn characteristic_dynamic(&self, h: f64) -> Result<Vec<f64>> {
        let m = self.monodromy(h);
        let n = m.nrows();
        let c = match n {
            1 => vec![1.0, -m[(0, 0)]],
            2 => vec![
                1.0,
                -(m[(0, 0)] + m[(1, 1)]),
                m[(0, 0)] * m[(1, 1)] - m[(0, 1)] * m[(1, 0)],
            ],
            _ => {
                let mut c = vec![1.0; n + 1];
                let mut mk = DMatrix::<f64>::zeros(n, n);
                for k in 1..=n {
                    let mut prod = &m * &mk;
                    for i in 0..n {
                        prod[(i, i)] += c[k - 1];
                    }
                    mk = prod;
                    c[k] = -(&m * &mk).trace() / k as f64;
                }
                c
            }
        };
        if c.iter().any(|x| !x.is_finite()) {
            return Err(Error::CoefficientOverflow { lambda: h });
        }
        Ok(c)
    }

    /// The characteristic polynomial for 3 ≤ n ≤ [`SMALL_ORDER`] on stack arrays (its n + 1
    /// coefficients first, and n + 1): the monodromy and Faddeev–LeVerrier in the operation
    /// order nalgebra uses for dynamic matrices of these sizes (product entries summed from the
    /// first term, k ascending, each new term added to the sum, which IEEE addition makes
    /// order-free; the trace summed from +0), so the bits of
    /// [`Periodic::characteristic_dynamic`].
    fn characteristic_small(&self, h: f64) -> Result<([f64; SMALL_ORDER + 1], usize)> {
        match self.order() {
            3 => self.faddeev_small::<3>(h),
            4 => self.faddeev_small::<4>(h),
            5 => self.faddeev_small::<5>(h),
            _ => unreachable!("characteristic_small is called for 3 ≤ n ≤ 5"),
        }
    }

    fn faddeev_small<const N: usize>(&self, h: f64) -> Result<([f64; SMALL_ORDER + 1], usize)> {
        fn product<const N: usize>(a: &[[f64; N]; N], b: &[[f64; N]; N]) -> [[f64; N]; N] {
            let mut p = [[0.0; N]; N];
            for (pi, ai) in p.iter_mut().zip(a) {
                for (j, pij) in pi.iter_mut().enumerate() {
                    let mut s = ai[0] * b[0][j];
                    for k in 1..N {
                        s += ai[k] * b[k][j];
                    }
                    *pij = s;
                }
            }
            p
        }
        let mut m = [[0.0; N]; N];
        for (i, row) in m.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        for (a, b) in &self.steps {
            let (a, b) = (a.as_slice(), b.as_slice());
            let mut step = [[0.0; N]; N];
            for (i, row) in step.iter_mut().enumerate() {
                for (k, x) in row.iter_mut().enumerate() {
                    // column-major storage
                    *x = a[i + k * N] + b[i + k * N] * h;
                }
            }
            m = product(&step, &m);
        }
        let mut c = [1.0; SMALL_ORDER + 1];
        let mut mk = [[0.0; N]; N];
        for k in 1..=N {
            let mut prod = product(&m, &mk);
            for (i, row) in prod.iter_mut().enumerate() {
                row[i] += c[k - 1];
            }
            mk = prod;
            // tr(M·M_k) from the diagonal entries of the product alone, each formed as
            // `product` forms it
            let mut trace = 0.0;
            for (i, mi) in m.iter().enumerate() {
                let mut s = mi[0] * mk[0][i];
                for (j, mij) in mi.iter().enumerate().skip(1) {
                    s += mij * mk[j][i];
                }
                trace += s;
            }
            c[k] = -trace / k as f64;
        }
        if c[..=N].iter().any(|x| !x.is_finite()) {
            return Err(Error::CoefficientOverflow { lambda: h });
        }
        Ok((c, N + 1))
    }

    /// The method at normalised step h: verdict (Schur–Cohn on M(h)'s characteristic
    /// polynomial), the per-step rate ρ(M)^{1/p} and M's eigenvalues.
    ///
    /// # Errors
    ///
    /// As [`Periodic::characteristic`].
    pub fn mode(&self, h: f64) -> Result<LinearMode> {
        let c = self.characteristic(h)?;
        let dd: Vec<Dd> = c.iter().map(|&x| Dd::new(x)).collect();
        let sc = schur_cohn_dd(&dd);
        let (roots, r) = polynomial_roots(&c)?;
        Ok(LinearMode {
            h,
            stable: sc.stable,
            spectral_radius: r.powf(1.0 / self.period() as f64),
            roots,
            schur_cohn: sc,
        })
    }

    /// The exact verdict alone (Schur–Cohn on M(h)'s characteristic polynomial).
    fn verdict(&self, h: f64) -> Result<bool> {
        if (3..=SMALL_ORDER).contains(&self.order()) {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("fma") {
                // SAFETY: the CPU has FMA (checked just above).
                return unsafe { self.verdict_small_fma(h) };
            }
            return self.verdict_small(h);
        }
        let c = self.characteristic(h)?;
        let dd: Vec<Dd> = c.iter().map(|&x| Dd::new(x)).collect();
        Ok(schur_cohn_dd_stable(&dd))
    }

    /// [`Periodic::verdict`] for 3 ≤ n ≤ [`SMALL_ORDER`], on the stack.
    #[inline(always)]
    fn verdict_small(&self, h: f64) -> Result<bool> {
        finite("h", h)?;
        let (c, len) = self.characteristic_small(h)?;
        let mut dd = [Dd::new(0.0); SMALL_ORDER + 1];
        for (d, &x) in dd.iter_mut().zip(&c[..len]) {
            *d = Dd::new(x);
        }
        Ok(schur_cohn_dd_stable_inline(&dd[..len]))
    }

    /// [`Periodic::verdict_small`] with the double-double products' fused multiply-adds as
    /// instructions instead of calls to the correctly rounded `fma` routine (the same results;
    /// the products of the monodromy stay unfused).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "fma")]
    fn verdict_small_fma(&self, h: f64) -> Result<bool> {
        self.verdict_small(h)
    }

    /// Values of h where stable intervals are known to be able to start or end (Lookahead: the
    /// inner optimizer's own edge), probed on both sides by [`Periodic::stable_steps`] so that
    /// an island ending there is not missed between two scan points.
    ///
    /// # Errors
    ///
    /// A landmark not finite and positive.
    pub fn with_landmarks(mut self, landmarks: Vec<f64>) -> Result<Self> {
        for &x in &landmarks {
            crate::error::positive("landmark", x)?;
        }
        self.landmarks = landmarks;
        Ok(self)
    }

    fn scan(&self, lo: f64, hi: f64) -> Vec<f64> {
        let lo = lo.max(self.h_max * 1e-9);
        let decades = (hi / lo).log10().max(0.0);
        let m = ((decades * SCAN_PER_DECADE as f64) as usize).clamp(64, 1 << 16);
        (0..=m)
            .map(|i| lo * (hi / lo).powf(i as f64 / m as f64))
            .collect()
    }

    /// The stable normalised steps in (0, h_max]: the exact verdict on a scan (512 points per
    /// decade, plus points on both sides of each landmark), every change between two neighbouring
    /// points bisected to adjacent floats; a stable island narrower than the scan spacing and
    /// away from the landmarks can be missed. An interval still stable at h_max is reported
    /// unbounded.
    ///
    /// # Errors
    ///
    /// Entries overflowing f64.
    pub fn stable_steps(&self) -> Result<Vec<(f64, f64)>> {
        let mut pts = self.scan(self.h_max * 1e-9, self.h_max);
        for &l in &self.landmarks {
            if l < self.h_max {
                for f in [
                    1.0 - 1e-6,
                    1.0 - 1e-9,
                    1.0 - 1e-12,
                    1.0 + 1e-12,
                    1.0 + 1e-9,
                    1.0 + 1e-6,
                ] {
                    pts.push(l * f);
                }
            }
        }
        pts.sort_by(f64::total_cmp);
        pts.dedup();
        let verdicts = pts
            .iter()
            .map(|&h| self.verdict(h))
            .collect::<Result<Vec<bool>>>()?;
        intervals_from_probes(&pts, &verdicts, &|h| self.verdict(h))
    }

    /// The worst case over a spectrum of normalised steps: listed values each; an interval by
    /// its endpoints and a scan refined by golden section.
    ///
    /// # Errors
    ///
    /// Entries overflowing f64.
    pub fn worst_case(&self, spectrum: &Spectrum) -> Result<LinearWorstCase> {
        let pts: Vec<f64> = match spectrum {
            Spectrum::Eigenvalues(v) => v.clone(),
            Spectrum::Interval { mu, l } if mu == l => vec![*mu],
            Spectrum::Interval { mu, l } => {
                let mut p = if *mu > 0.0 {
                    self.scan(*mu, *l)
                } else {
                    (0..=4096)
                        .map(|i| mu + (l - mu) * i as f64 / 4096.0)
                        .collect()
                };
                p[0] = *mu;
                *p.last_mut().expect("scan has points") = *l;
                p
            }
        };
        let mut w = LinearWorstCase {
            spectral_radius: f64::NEG_INFINITY,
            h: pts[0],
            stable: true,
            interior: false,
        };
        let mut at = 0;
        for (i, &x) in pts.iter().enumerate() {
            let m = self.mode(x)?;
            w.stable &= m.stable;
            if m.spectral_radius > w.spectral_radius {
                (w.spectral_radius, w.h, at) = (m.spectral_radius, x, i);
            }
        }
        if let Spectrum::Interval { .. } = spectrum
            && at > 0
            && at + 1 < pts.len()
        {
            let rho = |x: f64| self.mode(x).map_or(f64::NAN, |m| m.spectral_radius);
            let (x, r) = golden(
                &|x| -rho(x),
                pts[at - 1],
                pts[at + 1],
                (w.h, -w.spectral_radius),
            );
            if -r > w.spectral_radius {
                (w.spectral_radius, w.h) = (-r, x);
            }
            w.interior = true;
        }
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Uniform in [−1, 1) from a 64-bit LCG, a fifth of the draws exactly ±0 or ±1.
    fn draw(state: &mut u64) -> f64 {
        let u = crate::numeric::lcg_uniform(state);
        match (*state >> 3) % 10 {
            0 => 0.0,
            1 => -0.0,
            2 => 1.0,
            3 => -1.0,
            _ => 2.0 * u - 1.0,
        }
    }

    #[test]
    fn stack_characteristic_has_the_bits_of_the_dynamic_route() {
        let mut state = 29;
        for n in 3..=SMALL_ORDER {
            for trial in 0..400 {
                let period = 1 + trial % 7;
                let steps: Vec<_> = (0..period)
                    .map(|_| {
                        let a = DMatrix::from_fn(n, n, |_, _| draw(&mut state));
                        let b = DMatrix::from_fn(n, n, |_, _| draw(&mut state));
                        (a, b)
                    })
                    .collect();
                let p = Periodic::new(steps, 10.0).unwrap();
                for h in [0.0, -0.0, 1e-300, 0.37, 3.0 * draw(&mut state), 1e200] {
                    let fast = p.characteristic(h);
                    let slow = p.characteristic_dynamic(h);
                    match (&fast, &slow) {
                        (Ok(f), Ok(s)) => {
                            let bits =
                                |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                            assert_eq!(bits(f), bits(s), "n = {n}, h = {h}");
                            let dd: Vec<Dd> = s.iter().map(|&x| Dd::new(x)).collect();
                            assert_eq!(p.verdict(h).unwrap(), schur_cohn_dd(&dd).stable);
                        }
                        (Err(_), Err(_)) => assert!(p.verdict(h).is_err()),
                        _ => panic!("n = {n}, h = {h}: {fast:?} against {slow:?}"),
                    }
                }
                assert!(p.characteristic(f64::NAN).is_err() && p.verdict(f64::INFINITY).is_err());
            }
        }
    }

    #[test]
    fn faddeev_leverrier_matches_the_closed_forms() {
        // a 3 × 3 monodromy with known eigenvalues 0.5, −0.25, 0.1 (triangular)
        let a = DMatrix::from_row_slice(3, 3, &[0.5, 1.0, 2.0, 0.0, -0.25, 3.0, 0.0, 0.0, 0.1]);
        let p = Periodic::new(vec![(a, DMatrix::zeros(3, 3))], 1.0).unwrap();
        let c = p.characteristic(0.3).unwrap();
        // (z − 0.5)(z + 0.25)(z − 0.1) = z³ − 0.35 z² − 0.1 z + 0.0125
        for (x, y) in c.iter().zip([1.0, -0.35, -0.1, 0.0125]) {
            assert!((x - y).abs() < 1e-15, "{c:?}");
        }
    }
}
