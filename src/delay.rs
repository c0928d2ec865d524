//! τ-step delayed (stale) gradients: the two-step methods with the gradient taken τ steps late,
//! as in asynchronous and federated training.
//!
//! # The delayed update
//!
//! ```text
//! x_{k+1} = x_k + β (x_k − x_{k−1}) − α ∇f(y_{k−τ}),   y_j = x_j + γ (x_j − x_{j−1})
//! ```
//!
//! with plain SGD β = γ = 0, heavy ball γ = 0, and the Nesterov form γ = β: the gradient is taken
//! at the lookahead point of the iterate τ steps back, y_{k−τ} = x_{k−τ} + β(x_{k−τ} − x_{k−τ−1}),
//! exactly what a worker computes when it read the parameters τ updates ago (history before the
//! start is x_j = x₀). τ = 0 is the three-parameter family of [`crate::method`].
//!
//! On a quadratic, along the eigenvector of curvature λ, the error obeys
//! e_{k+1} = p₀e_k − q₀e_{k−1} − λ(p₁e_{k−τ} − q₁e_{k−τ−1}) with the four numbers of
//! [`Recurrence`] (for the family p₀ = 1 + β, p₁ = α(1 + γ), q₀ = β, q₁ = αγ: the non-gradient part
//! p₀, q₀ stays current, the gradient part p₁, q₁ is delayed). Its characteristic polynomial has
//! degree τ + 2:
//!
//! ```text
//! P_λ(z) = z^τ (z² − p₀z + q₀) + λ (p₁z − q₁) = A(z) + λ B(z)
//! ```
//!
//! and for τ = 0 it is the core's z² − c₁z + c₀. Stability at one λ is decided by the Schur–Cohn
//! test in double-double ([`crate::polynomial::schur_cohn`]); the spectral radius is the largest
//! companion-matrix eigenvalue modulus (for τ = 0: the core's closed form, [`Recurrence::mode`]; for
//! τ ≥ 2 the companion matrix of the polynomial in z/2ᵉ, 2ᵉ ≈ the largest root, when the plain one
//! is not accurate: at αλ = 1e12 its coefficients span twelve orders of magnitude).
//!
//! # Worst case over an interval: no endpoint theorem is assumed
//!
//! For τ = 0 the worst curvature of [μ, L] is an endpoint ([`crate::spectrum`]). That proof needs
//! the set {λ : ρ(λ) < r} to be an intersection of half-lines, which holds for the four Jury
//! inequalities of a quadratic but not for the degree-(τ+2) table, whose entries are polynomials
//! in λ of growing degree; we know no proof for τ ≥ 1. (We have not found a counterexample
//! either: 5500 random delayed recurrences, τ ≤ 16, on random intervals, had no interior maximum
//! against a 401-point scan.) So nothing here relies on it. The worst case over an interval is
//! computed from where roots cross circles: P_λ has a root on |z| = r exactly when λ is a real
//! value of −A(z)/B(z) on that circle ([`crate::polynomial::circle_crossings`]). Roots move
//! continuously with λ and the degree does not change, so every λ ∈ [μ, L] has ρ(λ) < r iff
//! ρ(μ) < r and no crossing of radius r lies in [μ, L]. That decides stability over the interval
//! (r = 1) and, by bisection on r above the larger endpoint radius, the worst radius; if a
//! crossing exists there, the last crossings bracket an interior worst curvature, which golden
//! section on the companion radius refines. Listed eigenvalues are each analysed exactly.

use crate::error::{Error, Result, finite, positive};
use crate::linear::{Pencil, crossing_worst_case};
use crate::map::GridSpec;
use crate::method::{Family, Method};
use crate::numeric::dd::Dd;
use crate::polynomial::{
    SchurCohn, circle_crossings_within, roots, roots_scaled, schur_cohn_dd, schur_cohn_dd_stable,
    spectral_radius_aberth,
};
use crate::recurrence::Recurrence;
use crate::spectrum::Spectrum;
use num_complex::Complex64;

/// Largest delay τ accepted: 64.
///
/// The polynomial has degree τ + 2; one verdict costs O(τ²) double-double operations, the roots
/// O(τ³), a crossing scan O(τ²) and a worst case over an interval some sixty scans, so a tuning
/// (thousands of worst cases) at τ = 64 already takes tens of seconds. The stable step has shrunk
/// by then to about π/(4τ) of the undelayed one's scale (SGD: 2 sin(π/(2(2τ+1)))/λ).
pub const MAX_DELAY: u32 = 64;

/// Relative accuracy of the worst-case radius over an interval (bisection on r).
const RADIUS_TOLERANCE: f64 = 1e-12;

/// A recurrence whose gradient part is τ steps late (module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Delayed {
    recurrence: Recurrence,
    tau: u32,
    /// A(z) + λB(z) on the order-n core ([`crate::linear::Pencil`]), coefficients exact.
    pencil: Pencil,
}

/// Check τ ≤ [`MAX_DELAY`].
///
/// # Errors
///
/// τ > [`MAX_DELAY`] ([`Error::TooMany`]).
pub fn check_delay(tau: u64) -> Result<u32> {
    if tau > MAX_DELAY as u64 {
        return Err(Error::TooMany {
            what: "delay",
            count: tau,
            limit: MAX_DELAY as u64,
        });
    }
    Ok(tau as u32)
}

impl Delayed {
    /// The recurrence with its gradient part delayed by τ steps.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, delay::Delayed};
    /// let d = Delayed::new(Method::heavy_ball(0.1, 0.5)?.recurrence(), 2)?;
    /// // z²(z² − 1.5z + 0.5) + 0.1λz at λ = 1
    /// assert_eq!(d.polynomial(1.0)?, vec![1.0, -1.5, 0.5, 0.1, 0.0]);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// τ > [`MAX_DELAY`] ([`Error::TooMany`]).
    pub fn new(recurrence: Recurrence, tau: u32) -> Result<Self> {
        check_delay(tau as u64)?;
        let [p0, p1, q0, q1] = recurrence.parts();
        let mut a = vec![Dd::new(1.0), p0.neg(), q0];
        a.extend(std::iter::repeat_n(Dd::new(0.0), tau as usize));
        let pencil = Pencil::from_dd(a, vec![p1, q1.neg()])?;
        Ok(Delayed {
            recurrence,
            tau,
            pencil,
        })
    }

    /// The delay τ.
    pub fn tau(&self) -> u32 {
        self.tau
    }

    /// The undelayed recurrence.
    pub fn recurrence(&self) -> &Recurrence {
        &self.recurrence
    }

    fn polynomial_dd(&self, lambda: f64) -> Vec<Dd> {
        self.pencil.polynomial_dd(lambda)
    }

    /// The delayed recurrence as a stationary linear method of order τ + 2 in λ (h = λ: the
    /// step is inside p₁, q₁), the core every order-n method shares.
    pub fn linear(&self) -> &Pencil {
        &self.pencil
    }

    /// The characteristic polynomial P_λ(z) = z^τ(z² − p₀z + q₀) + λ(p₁z − q₁), degree τ + 2,
    /// coefficients highest degree first (each rounded once from its double-double value).
    ///
    /// # Errors
    ///
    /// λ not finite; coefficients overflowing f64 ([`Error::CoefficientOverflow`]).
    pub fn polynomial(&self, lambda: f64) -> Result<Vec<f64>> {
        finite("lambda", lambda)?;
        let c: Vec<f64> = self
            .polynomial_dd(lambda)
            .iter()
            .map(|c| c.value())
            .collect();
        if c.iter().any(|x| !x.is_finite()) {
            return Err(Error::CoefficientOverflow { lambda });
        }
        Ok(c)
    }

    /// The pencil (A, B) with P_λ = A + λB: A(z) = z^τ(z² − p₀z + q₀), B(z) = p₁z − q₁.
    pub fn pencil(&self) -> (Vec<f64>, Vec<f64>) {
        (self.pencil.a().to_vec(), self.pencil.b().to_vec())
    }

    /// The delayed mode at curvature λ: the Schur–Cohn verdict and the roots.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, delay::Delayed};
    /// // SGD with one step of delay: z² − z + αλ, stable iff αλ < 1
    /// let d = Method::gradient_descent(0.99)?.delayed(1)?;
    /// assert!(d.mode(1.0)?.stable);
    /// assert!(!Method::gradient_descent(1.0)?.delayed(1)?.mode(1.0)?.stable);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Delayed::polynomial`].
    pub fn mode(&self, lambda: f64) -> Result<DelayedMode> {
        finite("lambda", lambda)?;
        let dd = self.polynomial_dd(lambda);
        let poly: Vec<f64> = dd.iter().map(|c| c.value()).collect();
        if poly.iter().any(|x| !x.is_finite()) {
            return Err(Error::CoefficientOverflow { lambda });
        }
        let sc = schur_cohn_dd(&dd);
        let (roots, radius) = if self.tau == 0 {
            let m = self.recurrence.mode(lambda)?;
            (m.roots().to_vec(), m.spectral_radius())
        } else if self.tau == 1 {
            let r = roots(&poly)?;
            let radius = r.iter().map(|z| z.norm()).fold(0.0, f64::max);
            (r, radius)
        } else {
            let r = roots_scaled(&poly)?;
            let radius = r.iter().map(|z| z.norm()).fold(0.0, f64::max);
            (r, radius)
        };
        Ok(DelayedMode {
            lambda,
            tau: self.tau,
            stable: sc.stable,
            spectral_radius: radius,
            roots,
            schur_cohn: sc,
        })
    }

    /// The worst case over a spectrum: every listed eigenvalue, or for an interval the endpoints
    /// (τ = 0, the endpoint theorem) or the circle-crossing bisection (τ ≥ 1, module docs).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, Spectrum};
    /// // heavy ball with the gradient one step late is z(z² − (1+β)z + β + αλ): stable iff
    /// // αλ < 1 − β, and on [0.01, 1] at α = 0.4, β = 0.5 the slow end is the worst
    /// let w = Method::heavy_ball(0.4, 0.5)?.delayed(1)?.worst_case(&Spectrum::interval(0.01, 1.0)?)?;
    /// assert!(w.stable && !w.interior && w.lambda == 0.01, "{w:?}");
    /// assert!(!Method::heavy_ball(0.6, 0.5)?.delayed(1)?.worst_case(&Spectrum::interval(0.01, 1.0)?)?.stable);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Coefficients overflowing f64 at a curvature of the spectrum.
    pub fn worst_case(&self, spectrum: &Spectrum) -> Result<DelayedWorstCase> {
        self.worst_case_to(spectrum, RADIUS_TOLERANCE)
    }

    pub(crate) fn worst_case_to(&self, spectrum: &Spectrum, tol: f64) -> Result<DelayedWorstCase> {
        self.worst_case_by(
            spectrum,
            tol,
            &|x| self.mode(x).map(|m| (m.stable, m.spectral_radius)),
            None,
        )
    }

    /// The verdict and radius at λ for a map's colour: the Schur–Cohn verdict of [`Delayed::mode`]
    /// and the largest root modulus by the Aberth iteration (O(τ²), [`spectral_radius_aberth`]),
    /// the companion eigenvalues only where it does not settle (τ = 0: the core's closed form).
    fn verdict_and_radius(&self, lambda: f64) -> Result<(bool, f64)> {
        self.judged_radius(lambda, true)
    }

    /// [`Delayed::verdict_and_radius`]'s radius alone, for the golden section on the radius
    /// (the same radius; the verdict is not formed).
    fn radius(&self, lambda: f64) -> Result<f64> {
        self.judged_radius(lambda, false).map(|v| v.1)
    }

    /// The radius, and the verdict when `judge` (else `false`, for τ > 0).
    fn judged_radius(&self, lambda: f64, judge: bool) -> Result<(bool, f64)> {
        if self.tau == 0 {
            return self.mode(lambda).map(|m| (m.stable, m.spectral_radius));
        }
        finite("lambda", lambda)?;
        let dd = self.polynomial_dd(lambda);
        let poly: Vec<f64> = dd.iter().map(|c| c.value()).collect();
        if poly.iter().any(|x| !x.is_finite()) {
            return Err(Error::CoefficientOverflow { lambda });
        }
        let stable = judge && schur_cohn_dd_stable(&dd);
        let radius = match spectral_radius_aberth(&poly) {
            Some(r) => r,
            None => roots_scaled(&poly)?
                .iter()
                .map(|z| z.norm())
                .fold(0.0, f64::max),
        };
        Ok((stable, radius))
    }

    /// [`Delayed::worst_case`]'s verdict over an interval [μ, L] (τ ≥ 1, μ < L) alone, as it
    /// decides it before the radius search: the Schur–Cohn verdict at both ends (each end's
    /// coefficients checked as there) and no crossing of the unit circle inside.
    fn stable_over(&self, mu: f64, l: f64) -> Result<bool> {
        let mut stable = true;
        for x in [mu, l] {
            finite("lambda", x)?;
            let dd = self.polynomial_dd(x);
            if dd.iter().any(|c| !c.value().is_finite()) {
                return Err(Error::CoefficientOverflow { lambda: x });
            }
            stable &= schur_cohn_dd_stable(&dd);
        }
        let (a, b) = (self.pencil.a(), self.pencil.b());
        Ok(stable && circle_crossings_within(a, b, 1.0, (mu, l))?.is_empty())
    }

    fn worst_case_by(
        &self,
        spectrum: &Spectrum,
        tol: f64,
        verdict: &dyn Fn(f64) -> Result<(bool, f64)>,
        radius: Option<&dyn Fn(f64) -> Result<f64>>,
    ) -> Result<DelayedWorstCase> {
        let endpoints = |modes: &[DelayedMode]| {
            let w = modes
                .iter()
                .max_by(|a, b| a.spectral_radius.total_cmp(&b.spectral_radius))
                .expect("a spectrum has at least one curvature");
            DelayedWorstCase {
                tau: self.tau,
                spectral_radius: w.spectral_radius,
                lambda: w.lambda,
                stable: modes.iter().all(|m| m.stable),
                interior: false,
            }
        };
        let (mu, l) = match spectrum {
            Spectrum::Eigenvalues(v) => {
                let modes = v
                    .iter()
                    .map(|&x| self.mode(x))
                    .collect::<Result<Vec<_>>>()?;
                return Ok(endpoints(&modes));
            }
            Spectrum::Interval { mu, l } => (*mu, *l),
        };
        if self.tau == 0 || mu == l {
            return Ok(endpoints(&[self.mode(mu)?, self.mode(l)?]));
        }
        // the crossing search evaluates the endpoints itself
        let (a, b) = (self.pencil.a(), self.pencil.b());
        let w = crossing_worst_case(spectrum, a, b, tol, verdict, radius)?;
        Ok(DelayedWorstCase {
            tau: self.tau,
            spectral_radius: w.spectral_radius,
            lambda: w.h,
            stable: w.stable,
            interior: w.interior,
        })
    }
}

impl Method {
    /// This method with its gradient τ steps late ([`crate::delay`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let d = momentum::Method::nesterov(0.1, 0.9)?.delayed(4)?;
    /// assert_eq!(d.tau(), 4);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// τ > [`MAX_DELAY`].
    pub fn delayed(&self, tau: u32) -> Result<Delayed> {
        Delayed::new(self.recurrence(), tau)
    }
}

/// One curvature of a delayed recurrence.
#[derive(Clone, Debug, PartialEq)]
pub struct DelayedMode {
    /// The curvature λ.
    pub lambda: f64,
    /// The delay τ.
    pub tau: u32,
    /// All τ + 2 roots strictly inside the unit circle, by the Schur–Cohn test.
    pub stable: bool,
    /// max |z| over the roots (companion eigenvalues, scaled for τ ≥ 2 when the roots are far
    /// from 1; the closed form for τ = 0).
    pub spectral_radius: f64,
    /// The τ + 2 roots.
    pub roots: Vec<Complex64>,
    /// The Schur–Cohn table's reflection coefficients.
    pub schur_cohn: SchurCohn,
}

/// The worst case of a delayed recurrence over a spectrum.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DelayedWorstCase {
    /// The delay τ.
    pub tau: u32,
    /// max over the spectrum of ρ(λ) (relative accuracy 10⁻¹² over an interval).
    pub spectral_radius: f64,
    /// Where it is attained.
    pub lambda: f64,
    /// Stable at every curvature of the spectrum.
    pub stable: bool,
    /// The worst curvature lies strictly inside an interval (never for τ = 0).
    pub interior: bool,
}

/// The largest stable normalised step h* = α·λ at one curvature for a family with momentum β and
/// delay τ: stable for every 0 < αλ < h*, and not at αλ = h*. For a spectrum with largest
/// curvature L > 0 the largest stable step is h*/L ([`largest_stable_step`]). `None` when no
/// small step is stable (|β| ≥ 1; as αλ → 0⁺ the roots tend to 1, β and τ zeros, and the root at 1
/// moves inward at rate 1/(1 − β)).
///
/// h* is the edge ([`Pencil::edge`]) of the pencil z^τ(z² − (1+β)z + β) + h((1+γ)z − γ): its
/// smallest positive crossing of the unit circle past which the exact Schur–Cohn verdict is
/// unstable, bisected to the last bit. Closed forms it meets: τ = 0, 2(1+β) (heavy ball) and
/// 2(1+β)/(1+2β) (Nesterov, β ≥ 0); SGD, 2 sin(π/(2(2τ+1))) ([`sgd_max_step`]).
///
/// # Examples
///
/// ```
/// use momentum::{Family, delay};
/// let h = delay::max_stable_step(Family::GradientDescent, 0.0, 3)?.unwrap();
/// assert!((h - delay::sgd_max_step(3)).abs() < 1e-14);
/// let h = delay::max_stable_step(Family::HeavyBall, 0.5, 0)?.unwrap();
/// assert!((h - 3.0).abs() < 1e-14);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// β not finite, τ > [`MAX_DELAY`].
pub fn max_stable_step(family: Family, momentum: f64, tau: u32) -> Result<Option<f64>> {
    finite("momentum", momentum)?;
    check_delay(tau as u64)?;
    let (beta, gamma) = family.momentum_lookahead(momentum);
    if beta.abs() >= 1.0 {
        return Ok(None);
    }
    // the normalised pencil in h = αλ on the order-n core: A exact, B = (1 + γ)z − γ exact
    let one = Dd::new(1.0);
    let mut a = vec![one, one.add(Dd::new(beta)).neg(), Dd::new(beta)];
    a.extend(std::iter::repeat_n(Dd::new(0.0), tau as usize));
    let b = vec![one.add(Dd::new(gamma)), Dd::new(gamma).neg()];
    Pencil::from_dd(a, b)?.edge()
}

/// The largest stable step over a spectrum: h*/L with h* from [`max_stable_step`] and L the
/// largest curvature (the stable steps start at 0 and end there; every αλ scales together).
///
/// # Examples
///
/// ```
/// use momentum::{Family, Spectrum, delay};
/// let s = Spectrum::interval(0.1, 10.0)?;
/// let a = delay::largest_stable_step(Family::GradientDescent, 0.0, 1, &s)?.unwrap();
/// assert!((a - 0.1).abs() < 1e-15); // SGD, τ = 1: αL < 1
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`max_stable_step`]; a largest curvature ≤ 0 ([`Error::NotPositive`]).
pub fn largest_stable_step(
    family: Family,
    momentum: f64,
    tau: u32,
    spectrum: &Spectrum,
) -> Result<Option<f64>> {
    let l = positive("largest curvature", spectrum.bounds().1)?;
    Ok(max_stable_step(family, momentum, tau)?.map(|h| h / l))
}

/// SGD's largest stable αλ under a delay τ: 2 sin(π/(2(2τ + 1))). The polynomial
/// z^{τ+1} − z^τ + h has a root on the unit circle at z = e^{iθ} iff h = |e^{iθ} − 1| = 2 sin(θ/2)
/// with the phase condition (τ + ½)θ = π/2 (mod 2π) — the first crossing at θ = π/(2τ + 1).
/// τ = 0 gives 2, τ = 1 gives 1.
///
/// # Examples
///
/// ```
/// assert_eq!(momentum::delay::sgd_max_step(0), 2.0);
/// assert!((momentum::delay::sgd_max_step(1) - 1.0).abs() < 1e-15);
/// ```
pub fn sgd_max_step(tau: u32) -> f64 {
    2.0 * (std::f64::consts::PI / (2.0 * (2.0 * tau as f64 + 1.0))).sin()
}

/// The best (α, β) of a family under delay τ: the smallest worst-case rate over the spectrum.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DelayTuning {
    /// The family.
    pub family: Family,
    /// The delay τ.
    pub tau: u32,
    /// Step α.
    pub step: f64,
    /// Momentum β (0 for gradient descent).
    pub momentum: f64,
    /// Worst-case spectral radius at (α, β).
    pub rate: f64,
}

/// Minimise the worst-case spectral radius over (α, β) for a family under delay τ: a grid over
/// β ∈ [−0.5, 0.995] and αL ∈ (0, h*(β)) ([`max_stable_step`]), then Nelder–Mead from the three
/// best cells (β only, by golden section, for gradient descent: α). For τ = 0 it meets the closed
/// forms (Polyak's heavy ball, tests/it/delay.rs).
///
/// # Examples
///
/// ```
/// use momentum::{Family, Spectrum, delay};
/// let s = Spectrum::from_condition_number(10.0)?;
/// let t0 = delay::tune(Family::HeavyBall, 0, &s)?;
/// let t2 = delay::tune(Family::HeavyBall, 2, &s)?;
/// assert!(t2.rate > t0.rate); // staleness costs rate
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// τ > [`MAX_DELAY`]; a spectrum whose smallest curvature is not > 0.
pub fn tune(family: Family, tau: u32, spectrum: &Spectrum) -> Result<DelayTuning> {
    check_delay(tau as u64)?;
    let (mu, l) = spectrum.bounds();
    positive("smallest curvature", mu)?;
    let rate = |step: f64, beta: f64| -> f64 {
        if step <= 0.0 || !step.is_finite() || !beta.is_finite() || beta.abs() >= 1.0 {
            return f64::INFINITY;
        }
        family
            .method(step, beta)
            .and_then(|m| m.delayed(tau))
            .and_then(|d| d.worst_case_to(spectrum, 1e-10))
            .map_or(f64::INFINITY, |w| w.spectral_radius)
    };
    if family == Family::GradientDescent {
        let h = max_stable_step(family, 0.0, tau)?.unwrap_or(2.0);
        let f = |a: f64| rate(a, 0.0);
        let (a, r) = crate::numeric::minimize::minimise_1d(f, (0.0, h / l), &[], 64);
        return Ok(DelayTuning {
            family,
            tau,
            step: a,
            momentum: 0.0,
            rate: r,
        });
    }
    // grid over (β, fraction of the largest stable step)
    let mut cells = vec![];
    let nb = 24;
    for i in 0..nb {
        let beta = -0.5 + 1.495 * i as f64 / (nb - 1) as f64;
        let Some(h) = max_stable_step(family, beta, tau)? else {
            continue;
        };
        for j in 1..=16 {
            let step = h / l * j as f64 / 17.0;
            cells.push((rate(step, beta), step, beta));
        }
    }
    cells.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best = cells[0];
    let f = |x: [f64; 2]| rate(x[0], x[1]);
    for &(r, step, beta) in cells.iter().take(3) {
        let (x, fx) = nelder_mead(&f, [step, beta], [0.1 * step, 0.05], r);
        if fx < best.0 {
            best = (fx, x[0], x[1]);
        }
    }
    Ok(DelayTuning {
        family,
        tau,
        step: best.1,
        momentum: best.2,
        rate: best.0,
    })
}

/// Nelder–Mead on two variables from `x0` with initial simplex offsets `d`; restarts twice from
/// the best point. Returns the best point and value.
fn nelder_mead(
    f: &impl Fn([f64; 2]) -> f64,
    x0: [f64; 2],
    d: [f64; 2],
    f0: f64,
) -> ([f64; 2], f64) {
    let mut best = (x0, f0);
    let mut scale = d;
    for _ in 0..3 {
        let x = best.0;
        let mut s = [
            (x, best.1),
            ([x[0] + scale[0], x[1]], 0.0),
            ([x[0], x[1] + scale[1]], 0.0),
        ];
        s[1].1 = f(s[1].0);
        s[2].1 = f(s[2].0);
        for _ in 0..300 {
            s.sort_by(|a, b| a.1.total_cmp(&b.1));
            let c = [(s[0].0[0] + s[1].0[0]) / 2.0, (s[0].0[1] + s[1].0[1]) / 2.0];
            let at = |t: f64| [c[0] + t * (s[2].0[0] - c[0]), c[1] + t * (s[2].0[1] - c[1])];
            let xr = at(-1.0);
            let fr = f(xr);
            if fr < s[0].1 {
                let xe = at(-2.0);
                let fe = f(xe);
                s[2] = if fe < fr { (xe, fe) } else { (xr, fr) };
            } else if fr < s[1].1 {
                s[2] = (xr, fr);
            } else {
                let xc = at(0.5);
                let fc = f(xc);
                if fc < s[2].1 {
                    s[2] = (xc, fc);
                } else {
                    for k in 1..3 {
                        let p = [(s[0].0[0] + s[k].0[0]) / 2.0, (s[0].0[1] + s[k].0[1]) / 2.0];
                        s[k] = (p, f(p));
                    }
                }
            }
            let spread = (s[2].1 - s[0].1).abs();
            let size = (s[2].0[0] - s[0].0[0]).abs() / x[0].abs().max(1e-300)
                + (s[2].0[1] - s[0].0[1]).abs();
            if spread < 1e-13 && size < 1e-10 {
                break;
            }
        }
        s.sort_by(|a, b| a.1.total_cmp(&b.1));
        if s[0].1 < best.1 {
            best = s[0];
        }
        scale = [scale[0] * 0.1, scale[1] * 0.1];
    }
    best
}

/// Most cells a delayed stability map may have: 2¹⁸ = 262144 (a 512 × 512 grid). A cell costs a
/// worst case over the spectrum (about a millisecond at τ = 16 over an interval), against tens of
/// nanoseconds for the undelayed map of [`crate::map`].
pub const MAX_MAP_CELLS: u64 = 1 << 18;

/// The worst-case spectral radius and verdict of a family under delay τ at every cell of a
/// [`GridSpec`] (cell centres, as [`crate::map`]).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DelayMap {
    /// The grid.
    pub spec: GridSpec,
    /// The delay τ.
    pub tau: u32,
    /// ρ at cell (i, j) (step i, momentum j) at index j·n + i.
    pub radii: Vec<f64>,
    /// The verdict at the same index.
    pub stable: Vec<bool>,
}

impl DelayMap {
    /// Compute the map (rows in parallel with the `parallel` feature). Radii are to a relative
    /// 10⁻⁸ over an interval (a colour, not a tuning); the radius at one curvature is the Aberth
    /// iteration's largest root modulus (the companion eigenvalues where it does not settle), the
    /// verdict the Schur–Cohn test of [`Delayed::mode`].
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Spectrum, delay::DelayMap, map::GridSpec};
    /// let spec = GridSpec::new(Family::HeavyBall, 4.0, (-1.0, 1.0), (8, 8))?;
    /// let m = DelayMap::compute(&spec, 4, &Spectrum::interval(0.1, 1.0)?)?;
    /// assert!(m.stable_fraction() > 0.0 && m.stable_fraction() < 0.5);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// More than [`MAX_MAP_CELLS`] cells ([`Error::TooLarge`]), τ > [`MAX_DELAY`], coefficients
    /// overflowing f64 at some cell.
    pub fn compute(spec: &GridSpec, tau: u32, spectrum: &Spectrum) -> Result<Self> {
        Self::compute_to(spec, tau, spectrum, false)
    }

    /// The map a figure of the stable region reads: [`DelayMap::compute`]'s verdicts, and its
    /// radii (the same bits) at the stable cells; a divergent cell's radius is not computed
    /// (NaN). Over an interval (τ ≥ 1) the verdict comes first — Schur–Cohn at both ends, the
    /// unit circle's crossings inside — and the radius search runs only where it is stable.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Spectrum, delay::DelayMap, map::GridSpec};
    /// let spec = GridSpec::new(Family::HeavyBall, 4.0, (-1.0, 1.0), (8, 8))?;
    /// let s = Spectrum::interval(0.1, 1.0)?;
    /// let (full, region) = (DelayMap::compute(&spec, 4, &s)?, DelayMap::region(&spec, 4, &s)?);
    /// assert_eq!(full.stable, region.stable);
    /// for ((f, r), &stable) in full.radii.iter().zip(&region.radii).zip(&full.stable) {
    ///     assert!(if stable { f == r } else { r.is_nan() });
    /// }
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`DelayMap::compute`] (a divergent cell's radius, not computed, raises none).
    pub fn region(spec: &GridSpec, tau: u32, spectrum: &Spectrum) -> Result<Self> {
        Self::compute_to(spec, tau, spectrum, true)
    }

    /// [`DelayMap::compute`], or with `region` [`DelayMap::region`].
    fn compute_to(spec: &GridSpec, tau: u32, spectrum: &Spectrum, region: bool) -> Result<Self> {
        check_delay(tau as u64)?;
        let (n, m) = spec.shape();
        let cells = n as u64 * m as u64;
        if cells > MAX_MAP_CELLS {
            return Err(Error::TooLarge {
                cells,
                limit: MAX_MAP_CELLS,
            });
        }
        let flat = crate::map::cells(m, n, None, |i, j| -> Result<(f64, bool)> {
            let d = spec
                .family()
                .method(spec.step(i), spec.momentum(j))?
                .delayed(tau)?;
            if region
                && tau > 0
                && let Spectrum::Interval { mu, l } = *spectrum
                && mu < l
                && !d.stable_over(mu, l)?
            {
                return Ok((f64::NAN, false));
            }
            let w = d.worst_case_by(
                spectrum,
                1e-8,
                &|x| d.verdict_and_radius(x),
                Some(&|x| d.radius(x)),
            )?;
            let r = if region && !w.stable {
                f64::NAN
            } else {
                w.spectral_radius
            };
            Ok((r, w.stable))
        })?;
        Ok(DelayMap {
            spec: *spec,
            tau,
            radii: flat.iter().map(|c| c.0).collect(),
            stable: flat.iter().map(|c| c.1).collect(),
        })
    }

    /// The fraction of cells that are stable.
    pub fn stable_fraction(&self) -> f64 {
        self.stable.iter().filter(|&&s| s).count() as f64 / self.stable.len() as f64
    }
}
