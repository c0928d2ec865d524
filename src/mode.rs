//! One curvature's mode: characteristic roots, spectral radius, regime, exact powers of T(λ).
//!
//! For z² − c₁z + c₀ with discriminant Δ = c₁² − 4c₀ (docs/REFERENCE.md §2):
//! - Δ < 0: a complex pair c₁/2 ± i√(−Δ)/2 with modulus exactly √c₀;
//! - Δ ≥ 0: the larger-magnitude root r₁ = (c₁ + sign(c₁)√Δ)/2 and r₂ = c₀/r₁ (no cancellation),
//!   spectral radius (|c₁| + √Δ)/2.
//!
//! Powers use the Cayley–Hamilton form T^k = U_k T − c₀U_{k−1} I, where
//! U_k = (r₁^k − r₂^k)/(r₁ − r₂) (a Lucas sequence; U_k → k r^{k−1} at a double root), so
//! T^k = [[U_{k+1}, −c₀U_k], [U_k, −c₀U_{k−1}]]. U_k is evaluated in a form without cancellation
//! near double roots and in log space for huge k (see [`Mode::power`]). This corrects the indices
//! printed in Goh (2017, "Why Momentum Really Works"), whose complex-root rate should also read √β.

use crate::error::{Error, Result, finite};
use crate::numeric::dd::Dd;
use crate::recurrence::{Recurrence, jury_dd};
use nalgebra::Matrix2;
use num_complex::Complex64;
use std::f64::consts::{LN_2, LN_10, PI};

/// How many relative ulps of perturbation in the inputs a discriminant may be away from zero and
/// still be called a double root: the mode is critically damped when |Δ| ≤ 16·ε·S, where
/// S = 2|c₁|(|p₀| + |p₁λ|) + 4(|q₀| + |q₁λ|) is how far Δ moves when each input moves by one
/// relative ulp. The two roots then agree to the precision the rounded inputs determine them
/// (~√ε). Why sixteen: docs/DESIGN.md, "Tolerances".
pub const CRITICAL_DAMPING_ULPS: f64 = 16.0;

/// Largest relative split √|Δ|/|c₁| of a pair still called a double root (together with the
/// ulp criterion of [`CRITICAL_DAMPING_ULPS`]): it keeps two tiny roots of opposite sign (near
/// Nesterov's deadbeat point αλ = 1) from being called a double root. Why 10⁻³: docs/DESIGN.md,
/// "Tolerances".
pub const CRITICAL_DAMPING_SPLIT: f64 = 1e-3;

/// The qualitative behaviour of the dominant mode (docs/REFERENCE.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Regime {
    /// Complex pair: the error rotates ("ripples") with period 2π/θ.
    Underdamped,
    /// Repeated real root (within [`CRITICAL_DAMPING_ULPS`]): a Jordan block, e_k ~ k·r^k.
    CriticallyDamped,
    /// Distinct real roots, dominant root positive: eventually monotone (not necessarily at first).
    Overdamped,
    /// Distinct real roots, dominant root negative (or a ± pair of equal magnitude): the error
    /// flips sign every step — too large a step, not too much momentum.
    Alternating,
}

impl Regime {
    /// The snake-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Underdamped => "underdamped",
            Regime::CriticallyDamped => "critically_damped",
            Regime::Overdamped => "overdamped",
            Regime::Alternating => "alternating",
        }
    }
}

/// The analysis of one curvature λ: e_{k+1} = c₁e_k − c₀e_{k−1}.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mode {
    lambda: f64,
    c1: f64,
    c0: f64,
    discriminant: f64,
    tolerance: f64,
    roots: [Complex64; 2],
    radius: f64,
    stable: bool,
}

impl Mode {
    /// Analyse a raw characteristic polynomial z² − c₁z + c₀ (λ recorded as 0).
    /// The double-root tolerance is taken relative to c₁² + 4|c₀|.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Mode, Regime};
    /// // z² − z + 1/4 = (z − 1/2)²
    /// let m = Mode::from_coefficients(1.0, 0.25)?;
    /// assert_eq!(m.regime(), Regime::CriticallyDamped);
    /// assert_eq!(m.spectral_radius(), 0.5);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// c₁ or c₀ not finite. (A discriminant beyond f64 is handled by exact scaling: the roots
    /// are returned whenever they are representable.)
    pub fn from_coefficients(c1: f64, c0: f64) -> Result<Self> {
        crate::error::finite("c1", c1)?;
        crate::error::finite("c0", c0)?;
        let disc = c1.mul_add(c1, -4.0 * c0);
        let stable = crate::recurrence::jury(c1, c0).iter().all(|&g| g > 0.0);
        Ok(Self::from_parts(
            0.0,
            c1,
            c0,
            disc,
            c1 * c1 + 4.0 * c0.abs(),
            stable,
        ))
    }

    #[inline(always)]
    pub(crate) fn from_parts(
        lambda: f64,
        c1: f64,
        c0: f64,
        disc: f64,
        sensitivity: f64,
        stable: bool,
    ) -> Self {
        if !(disc.is_finite() && sensitivity.is_finite()) {
            return Self::from_scaled(lambda, c1, c0, stable);
        }
        let tolerance = CRITICAL_DAMPING_ULPS * f64::EPSILON * sensitivity;
        let roots = if disc < 0.0 {
            let re = 0.5 * c1;
            let im = 0.5 * (-disc).sqrt();
            [Complex64::new(re, im), Complex64::new(re, -im)]
        } else {
            let r1 = 0.5 * (c1 + disc.sqrt().copysign(c1));
            let r2 = if r1 == 0.0 { 0.0 } else { c0 / r1 };
            [Complex64::new(r1, 0.0), Complex64::new(r2, 0.0)]
        };
        Mode {
            lambda,
            c1,
            c0,
            discriminant: disc,
            tolerance,
            roots,
            radius: radius(c1, c0, disc),
            stable,
        }
    }

    /// The mode when c₁ and c₀ are finite but c₁² − 4c₀ is not (|c₁| beyond ~1.3e154): the
    /// polynomial is solved as z = t·w with w² − (c₁/t)w + c₀/t² = 0 and t a power of two near
    /// |c₁|, which is exact scaling. Δ is stored as ±∞ (its sign from the scaled Δ/t²), or as 0
    /// when the scaled Δ is within the double-root tolerance; the tolerance then reads f64::MAX so
    /// that ±∞ is never called a double root.
    #[cold]
    #[inline(never)]
    fn from_scaled(lambda: f64, c1: f64, c0: f64, stable: bool) -> Self {
        // t = 2^e with e the binary exponent of the larger of |c₁|, √|c₀| (read from the bits:
        // log2 of f64::MAX rounds up to 1024)
        let big = c1.abs().max(c0.abs().sqrt());
        let e = ((big.to_bits() >> 52) & 0x7ff) as i32 - 1023;
        let t = 2f64.powi(e.clamp(-1022, 1023));
        let (c1s, c0s) = (c1 / t, c0 / t / t);
        let ds = c1s.mul_add(c1s, -4.0 * c0s);
        let tol = CRITICAL_DAMPING_ULPS * f64::EPSILON * 2.0 * (c1s * c1s + 4.0 * c0s.abs());
        let (roots, radius, disc) = if ds.abs() <= tol || ds >= 0.0 {
            let r1 = t * (0.5 * (c1s + ds.max(0.0).sqrt().copysign(c1s)));
            let r2 = if r1 == 0.0 { 0.0 } else { c0 / r1 };
            let disc = if ds.abs() <= tol { 0.0 } else { f64::INFINITY };
            let roots = [Complex64::new(r1, 0.0), Complex64::new(r2, 0.0)];
            (roots, r1.abs(), disc)
        } else {
            let (re, im) = (0.5 * c1, t * (0.5 * (-ds).sqrt()));
            let roots = [Complex64::new(re, im), Complex64::new(re, -im)];
            (roots, c0.sqrt(), f64::NEG_INFINITY)
        };
        Mode {
            lambda,
            c1,
            c0,
            discriminant: disc,
            tolerance: f64::MAX,
            roots,
            radius,
            stable,
        }
    }

    /// The curvature λ.
    pub fn lambda(&self) -> f64 {
        self.lambda
    }
    /// c₁(λ).
    #[inline]
    pub fn c1(&self) -> f64 {
        self.c1
    }
    /// c₀(λ) — the product of the roots.
    #[inline]
    pub fn c0(&self) -> f64 {
        self.c0
    }
    /// Δ = c₁² − 4c₀, computed in compensated arithmetic; ±∞ when it is beyond f64 (the roots
    /// are then found from the rescaled polynomial and are exact to rounding).
    pub fn discriminant(&self) -> f64 {
        self.discriminant
    }
    /// |Δ| below which the mode counts as critically damped (see [`CRITICAL_DAMPING_ULPS`]).
    pub fn discriminant_tolerance(&self) -> f64 {
        self.tolerance
    }
    /// The two roots, larger magnitude first (for a complex pair, positive imaginary part first).
    #[inline]
    pub fn roots(&self) -> [Complex64; 2] {
        self.roots
    }
    /// Spectral radius ρ = max |z| (√c₀ for a complex pair, (|c₁| + √Δ)/2 otherwise).
    #[inline]
    pub fn spectral_radius(&self) -> f64 {
        self.radius
    }
    /// ρ < 1: e_k → 0 from every start. Decided exactly, by the Jury margins
    /// 1 ∓ c₀ > 0 and 1 ∓ c₁ + c₀ > 0 evaluated in compensated arithmetic, not from the rounded ρ
    /// (which reads 1.0 for ρ = 1 − 1e-20). For λ < 0 (a saddle direction) ρ > 1 is the escape rate.
    #[inline]
    pub fn is_stable(&self) -> bool {
        self.stable
    }

    /// The regime of the dominant mode.
    #[inline]
    pub fn regime(&self) -> Regime {
        classify(self.c1, self.discriminant, self.tolerance)
    }

    /// Rotation angle θ = arg z ∈ (0, π) of a complex pair, `None` for real roots.
    /// (A pair within the critical-damping tolerance counts as a double root: `None`.)
    pub fn rotation(&self) -> Option<f64> {
        (self.regime() == Regime::Underdamped).then(|| self.angle())
    }

    fn angle(&self) -> f64 {
        self.roots[0].im.atan2(self.roots[0].re)
    }

    /// Oscillation period 2π/θ in iterations, for a complex pair.
    pub fn period(&self) -> Option<f64> {
        self.rotation().map(|t| 2.0 * PI / t)
    }

    /// Iterations for the error to shrink tenfold asymptotically: ln 10 / (−ln ρ). `None` if ρ ≥ 1.
    pub fn iterations_per_decade(&self) -> Option<f64> {
        iterations_per_decade(self.radius)
    }

    /// T(λ) = [[c₁, −c₀], [1, 0]].
    pub fn transition(&self) -> Matrix2<f64> {
        Matrix2::new(self.c1, -self.c0, 1.0, 0.0)
    }

    /// U_k = (r₁^k − r₂^k)/(r₁ − r₂) for k ≥ 0, evaluated without cancellation:
    /// - complex pair ρe^{±iθ}: U_k = ρ^{k−1} sin(kθ)/sin θ, taken with θ ∈ (0, π/2] by the
    ///   symmetry U_k(−c₁, c₀) = (−1)^{k−1} U_k(c₁, c₀), and sin θ = Im z/ρ;
    /// - real, r₁,₂ = σ(a ± d) with s = d/a < ½: U_k = σ^{k−1} a^{k−1} (1−s²)^{k/2} sinh(k·atanh s)/s
    ///   (→ k a^{k−1} as s → 0, the double root);
    /// - real with s ≥ ½: U_k = r₁^{k−1}(1 − q^k)/(1 − q), q = r₂/r₁ ∈ [−1, ⅓], so 1 − q ≥ ⅔.
    ///
    /// Magnitudes are assembled in log space, so stable modes give finite values at any k and
    /// unstable ones overflow to ±∞ rather than to NaN.
    pub fn lucas(&self, k: u64) -> f64 {
        if k == 0 {
            return 0.0;
        }
        let kf = k as f64;
        let (c1, disc) = (self.c1, self.discriminant);
        if disc < 0.0 {
            // U_k(−c₁) = (−1)^{k−1} U_k(c₁): work with the root in the right half-plane, so that
            // φ = arg ∈ (0, π/2] and sin φ = Im z/ρ carry no cancellation (θ near π would)
            let im = self.roots[0].im.abs();
            let phi = im.atan2(0.5 * c1.abs());
            let sk = (kf * phi).sin();
            if sk == 0.0 {
                return 0.0;
            }
            let log = (kf - 1.0) * self.radius.ln() + sk.abs().ln() - (im / self.radius).ln();
            let flip = c1 < 0.0 && (k - 1) % 2 == 1;
            return exp_signed(log, (sk < 0.0) != flip);
        }
        let a = 0.5 * c1.abs();
        let d = 0.5 * disc.sqrt();
        let negative_base = c1 < 0.0 && (k - 1) % 2 == 1;
        if d == 0.0 {
            if a == 0.0 {
                return if k == 1 { 1.0 } else { 0.0 };
            }
            return exp_signed(kf.ln() + (kf - 1.0) * a.ln(), negative_base);
        }
        if a > 0.0 && d < 0.5 * a {
            let s = d / a;
            let x = kf * s.atanh();
            let ln_sinh_over_s = if x < 700.0 {
                (x.sinh() / s).ln()
            } else {
                x - LN_2 + (-(-2.0 * x).exp()).ln_1p() - s.ln()
            };
            let log = (kf - 1.0) * a.ln() + 0.5 * kf * (-s * s).ln_1p() + ln_sinh_over_s;
            return exp_signed(log, negative_base);
        }
        let r1 = self.roots[0].re;
        // |r₂| ≤ |r₁| in exact arithmetic; rounding of r₂ = c₀/r₁ can put q an ulp below −1
        // (c₁ = 0: roots ±d), which would make 1 − q^k negative for even k
        let q = (self.roots[1].re / r1).max(-1.0);
        let ratio = (1.0 - q.powf(kf)) / (1.0 - q);
        if ratio == 0.0 {
            return 0.0;
        }
        let log = (kf - 1.0) * r1.abs().ln() + ratio.ln();
        exp_signed(log, r1 < 0.0 && (k - 1) % 2 == 1)
    }

    /// (U_{k+1}, U_k) for k ≥ 1: [`Mode::lucas`] at both, with the logarithms and angles the
    /// two share formed once (the same operations on the same numbers, so the same bits).
    pub(crate) fn lucas_pair(&self, k: u64) -> (f64, f64) {
        if k == 0 {
            return (self.lucas(1), 0.0);
        }
        let (c1, disc) = (self.c1, self.discriminant);
        if disc < 0.0 {
            let im = self.roots[0].im.abs();
            let phi = im.atan2(0.5 * c1.abs());
            let (ln_radius, ln_sin) = (self.radius.ln(), (im / self.radius).ln());
            let at = |k: u64| {
                let kf = k as f64;
                let sk = (kf * phi).sin();
                if sk == 0.0 {
                    return 0.0;
                }
                let log = (kf - 1.0) * ln_radius + sk.abs().ln() - ln_sin;
                let flip = c1 < 0.0 && (k - 1) % 2 == 1;
                exp_signed(log, (sk < 0.0) != flip)
            };
            return (at(k + 1), at(k));
        }
        let a = 0.5 * c1.abs();
        let d = 0.5 * disc.sqrt();
        if d != 0.0 && a > 0.0 && d < 0.5 * a {
            let s = d / a;
            let (atanh, ln_a, ln_1m) = (s.atanh(), a.ln(), (-s * s).ln_1p());
            let at = |k: u64| {
                let kf = k as f64;
                let x = kf * atanh;
                let ln_sinh_over_s = if x < 700.0 {
                    (x.sinh() / s).ln()
                } else {
                    x - LN_2 + (-(-2.0 * x).exp()).ln_1p() - s.ln()
                };
                let log = (kf - 1.0) * ln_a + 0.5 * kf * ln_1m + ln_sinh_over_s;
                exp_signed(log, c1 < 0.0 && (k - 1) % 2 == 1)
            };
            return (at(k + 1), at(k));
        }
        (self.lucas(k + 1), self.lucas(k))
    }

    /// The exact power T^k = [[U_{k+1}, −c₀U_k], [U_k, −c₀U_{k−1}]] (Cayley–Hamilton; docs/REFERENCE.md §2).
    ///
    /// Accurate near double roots and for huge k; an unstable mode whose power no longer fits in
    /// an f64 is reported as [`Error::Overflow`], never as NaN.
    ///
    /// # Examples
    ///
    /// ```
    /// let m = momentum::Mode::from_coefficients(1.6, 0.9)?;
    /// let t = m.transition();
    /// assert!((m.power(3)? - t * t * t).norm() < 1e-14);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An entry beyond f64 ([`Error::Overflow`]): an unstable mode at a large k.
    pub fn power(&self, k: u64) -> Result<Matrix2<f64>> {
        if k == 0 {
            return Ok(Matrix2::identity());
        }
        let (u_next, u, u_prev) = (self.lucas(k + 1), self.lucas(k), self.lucas(k - 1));
        let m = Matrix2::new(u_next, -self.c0 * u, u, -self.c0 * u_prev);
        if m.iter().all(|x| x.is_finite()) {
            Ok(m)
        } else {
            Err(Error::Overflow { what: "T^k", k })
        }
    }
}

/// The regime from c₁, Δ and the double-root tolerance on |Δ| (shared with the map kernel).
#[inline]
pub(crate) fn classify(c1: f64, disc: f64, tolerance: f64) -> Regime {
    if disc.abs() <= tolerance && disc.abs().sqrt() <= CRITICAL_DAMPING_SPLIT * c1.abs() {
        Regime::CriticallyDamped
    } else if disc < 0.0 {
        Regime::Underdamped
    } else if c1 > 0.0 {
        Regime::Overdamped
    } else {
        Regime::Alternating
    }
}

/// Spectral radius from c₁, c₀ and Δ: √c₀ for a complex pair, (|c₁| + √Δ)/2 otherwise.
#[inline]
pub(crate) fn radius(c1: f64, c0: f64, disc: f64) -> f64 {
    if disc < 0.0 {
        c0.sqrt()
    } else {
        0.5 * (c1.abs() + disc.sqrt())
    }
}

fn exp_signed(log: f64, negative: bool) -> f64 {
    let v = log.exp();
    if negative { -v } else { v }
}

/// ln 10 / (−ln ρ): iterations per tenfold error reduction at asymptotic rate ρ; `None` if ρ ≥ 1.
pub fn iterations_per_decade(rate: f64) -> Option<f64> {
    (0.0..1.0).contains(&rate).then(|| LN_10 / -rate.ln())
}

impl Recurrence {
    /// Roots, spectral radius, regime and powers of the mode at curvature λ.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, Regime};
    /// // PyTorch lr = 0.1, momentum = 0.9 at curvature 3: complex pair of modulus √0.9
    /// let m = Method::heavy_ball(0.1, 0.9)?.recurrence().mode(3.0)?;
    /// assert_eq!(m.regime(), Regime::Underdamped);
    /// assert!((m.spectral_radius() - 0.9f64.sqrt()).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// λ not finite, or c₁(λ), c₀(λ) themselves beyond f64 ([`Error::CoefficientOverflow`]).
    /// A discriminant c₁² − 4c₀ beyond f64 is not an error: the roots come from the exactly
    /// rescaled polynomial.
    #[inline]
    pub fn mode(&self, lambda: f64) -> Result<Mode> {
        self.mode_with(lambda, stable_fast)
    }

    /// The mode with the Jury decision taken by `stable(self, c₁, c₀, λ)`: [`stable_fast`] for
    /// every caller, [`stable_exact`] for the tests that hold the two to the same bits.
    #[inline(always)]
    fn mode_with(
        &self,
        lambda: f64,
        stable: impl Fn(&Recurrence, Dd, Dd, f64) -> bool,
    ) -> Result<Mode> {
        finite("lambda", lambda)?;
        let (c1, c0) = self.coefficients_dd(lambda);
        let disc = c1.mul(c1).sub(c0.scale(4.0)).value();
        let stable = stable(self, c1, c0, lambda);
        let [p0, p1, q0, q1] = self.parts();
        let (c1, c0) = (c1.value(), c0.value());
        if !(c1.is_finite() && c0.is_finite()) {
            return Err(Error::CoefficientOverflow { lambda });
        }
        let sens = crate::recurrence::sensitivity([p0.hi, p1.hi, q0.hi, q1.hi], c1, lambda);
        Ok(Mode::from_parts(lambda, c1, c0, disc, sens, stable))
    }

    /// `self.mode(lambda)?.spectral_radius()` without the rest of the mode (the Jury margins,
    /// the roots): the same operations on the same numbers, so the same bits, for the searches
    /// that evaluate ρ millions of times ([`crate::tune::search`]). `None` where [`Self::mode`]
    /// is an error.
    pub(crate) fn spectral_radius_at(&self, lambda: f64) -> Option<f64> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU has FMA (checked just above).
            return unsafe { self.spectral_radius_at_fma(lambda) };
        }
        self.spectral_radius_at_body(lambda)
    }

    /// [`Self::spectral_radius_at`] with the double-double products' fused multiply-adds as
    /// instructions instead of calls to the correctly rounded `fma` routine (the same results).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "fma")]
    fn spectral_radius_at_fma(&self, lambda: f64) -> Option<f64> {
        self.spectral_radius_at_body(lambda)
    }

    #[inline(always)]
    fn spectral_radius_at_body(&self, lambda: f64) -> Option<f64> {
        if !lambda.is_finite() {
            return None;
        }
        let (c1, c0) = self.coefficients_dd(lambda);
        let disc = c1.mul(c1).sub(c0.scale(4.0)).value();
        let (c1, c0) = (c1.value(), c0.value());
        if !(c1.is_finite() && c0.is_finite()) {
            return None;
        }
        if disc.is_finite() {
            let [p0, p1, q0, q1] = self.parts();
            let sens = crate::recurrence::sensitivity([p0.hi, p1.hi, q0.hi, q1.hi], c1, lambda);
            if sens.is_finite() {
                return Some(radius(c1, c0, disc));
            }
        }
        // Δ or its sensitivity beyond f64: the rescaled route of `Mode::from_parts` (stability
        // is not read here)
        Some(Mode::from_scaled(lambda, c1, c0, false).radius)
    }
}

/// Four [`Recurrence::spectral_radius_at`]s in the lanes of AVX2 vectors: `a` and `b` each at
/// λ₁ and λ₂, `[a(λ₁), a(λ₂), b(λ₁), b(λ₂)]`. Every lane runs the scalar route's operations on
/// its own numbers (the double-double steps of [`Dd`], the FMAs as `vfmadd`, correctly rounded
/// √), so each radius has the scalar bits; `None` unless all four take the scalar route's
/// common branch (c₁, c₀, Δ and its sensitivity finite; λ₁, λ₂ must be finite).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn spectral_radii_x4(
    a: &Recurrence,
    b: &Recurrence,
    lam1: f64,
    lam2: f64,
) -> Option<[f64; 4]> {
    use std::arch::x86_64::*;
    type V = __m256d;
    let sign = _mm256_set1_pd(-0.0);
    let neg = |x: V| _mm256_xor_pd(x, sign);
    let abs = |x: V| _mm256_andnot_pd(sign, x);
    let add = |x: V, y: V| _mm256_add_pd(x, y);
    let sub = |x: V, y: V| _mm256_sub_pd(x, y);
    let mul = |x: V, y: V| _mm256_mul_pd(x, y);
    // Dd's steps on (hi, lo) vectors
    let two_sum = |x: V, y: V| {
        let s = add(x, y);
        let bb = sub(s, x);
        (s, add(sub(x, sub(s, bb)), sub(y, bb)))
    };
    let quick_two_sum = |x: V, y: V| {
        let s = add(x, y);
        (s, sub(y, sub(s, x)))
    };
    let dd_add = |(xh, xl): (V, V), (yh, yl): (V, V)| {
        let (sh, sl) = two_sum(xh, yh);
        let (th, tl) = two_sum(xl, yl);
        let (vh, vl) = quick_two_sum(sh, add(sl, th));
        quick_two_sum(vh, add(vl, tl))
    };
    let dd_sub = |x: (V, V), (yh, yl): (V, V)| dd_add(x, (neg(yh), neg(yl)));
    let dd_mul = |(xh, xl): (V, V), (yh, yl): (V, V)| {
        let p = mul(xh, yh);
        let plo = _mm256_fmadd_pd(xh, yh, neg(p));
        let cross = _mm256_fmadd_pd(xh, yl, mul(xl, yh));
        quick_two_sum(p, add(plo, cross))
    };
    let [a0, a1, a2, a3] = a.parts();
    let [b0, b1, b2, b3] = b.parts();
    // lanes (low to high): a at λ₁, a at λ₂, b at λ₁, b at λ₂
    let pair = |x: Dd, y: Dd| {
        (
            _mm256_setr_pd(x.hi, x.hi, y.hi, y.hi),
            _mm256_setr_pd(x.lo, x.lo, y.lo, y.lo),
        )
    };
    let (p0, p1, q0, q1) = (pair(a0, b0), pair(a1, b1), pair(a2, b2), pair(a3, b3));
    let lam = _mm256_setr_pd(lam1, lam2, lam1, lam2);
    let lam_dd = (lam, _mm256_setzero_pd());
    let c1 = dd_sub(p0, dd_mul(p1, lam_dd));
    let c0 = dd_sub(q0, dd_mul(q1, lam_dd));
    let four = _mm256_set1_pd(4.0);
    let disc_dd = dd_sub(dd_mul(c1, c1), (mul(c0.0, four), mul(c0.1, four)));
    let disc = add(disc_dd.0, disc_dd.1);
    let (c1v, c0v) = (add(c1.0, c1.1), add(c0.0, c0.1));
    // crate::recurrence::sensitivity
    let l = abs(lam);
    let sens = add(
        mul(
            mul(_mm256_set1_pd(2.0), abs(c1v)),
            add(abs(p0.0), mul(abs(p1.0), l)),
        ),
        mul(four, add(abs(q0.0), mul(abs(q1.0), l))),
    );
    let inf = _mm256_set1_pd(f64::INFINITY);
    let finite = |x: V| _mm256_cmp_pd::<_CMP_LT_OQ>(abs(x), inf);
    let ok = _mm256_and_pd(
        _mm256_and_pd(finite(c1v), finite(c0v)),
        _mm256_and_pd(finite(disc), finite(sens)),
    );
    if _mm256_movemask_pd(ok) != 0b1111 {
        return None;
    }
    // radius(c₁, c₀, Δ)
    let complex = _mm256_sqrt_pd(c0v);
    let real = mul(_mm256_set1_pd(0.5), add(abs(c1v), _mm256_sqrt_pd(disc)));
    let below = _mm256_cmp_pd::<_CMP_LT_OQ>(disc, _mm256_setzero_pd());
    let r = _mm256_blendv_pd(real, complex, below);
    let mut out = [0.0f64; 4];
    // SAFETY: `out` holds four f64 (unaligned store).
    unsafe { _mm256_storeu_pd(out.as_mut_ptr(), r) };
    Some(out)
}

/// ρ < 1 from the Jury margins 1 ∓ c₀ > 0 and 1 ∓ c₁ + c₀ > 0, decided exactly (the reference).
///
/// The margins from c₁, c₀ in double-double decide every margin larger than their rounding
/// (~1e-32 of the coefficients). Below that, each margin is re-formed as the affine
/// g(λ) = g₀ − λg₁ whose constant part is built from the four numbers before λ enters (exactly 0
/// for the 1 − c₁ + c₀ margin of every method), so a margin of αλ = 1e-33 keeps its sign, which
/// c₁ = 1 + β − αλ rounded to double-double would not.
#[inline(never)]
fn stable_exact(rec: &Recurrence, c1: Dd, c0: Dd, lambda: f64) -> bool {
    let margins = jury_dd(c1, c0, Dd::new(1.0));
    let floor = 1e-30 * (1.0 + c1.hi.abs() + c0.hi.abs());
    if margins.iter().all(|g| g.value().abs() > floor) {
        margins.iter().all(|g| g.value() > 0.0)
    } else {
        let [p0, p1, q0, q1] = rec.parts();
        let constant = jury_dd(p0, q0, Dd::new(1.0));
        let slope = jury_dd(p1, q1, Dd::new(0.0));
        constant
            .iter()
            .zip(&slope)
            .all(|(g0, g1)| g0.sub(g1.mul_f64(lambda)).value() > 0.0)
    }
}

/// [`stable_exact`]'s answer, from four f64 margins wherever they decide it, else from it.
///
/// Why the f64 margins decide (u = 2⁻⁵³; c₁ = h₁ + l₁, c₀ = h₀ + l₀ in double-double, so
/// |lᵢ| ≤ u|hᵢ|; S = 1 + |h₁| + |h₀|): let M be a margin of the double-double values, e.g.
/// M = 1 − (h₁ + l₁) + (h₀ + l₀), and m = fl(fl(1 − h₁) + h₀) its f64 copy (1 ∓ c₀: one rounding).
/// Dropping l₁, l₀ moves it by ≤ u(|h₁| + |h₀|) ≤ uS, the two roundings by ≤ u|1 − h₁| ≤ uS and
/// ≤ u|m| ≤ u(1 + u)S, so |m − M| ≤ 3.01uS. The bound is computed as B = 8uS (its own roundings
/// are far inside the factor 2 over 4uS). If every |m| > B, then |M| > 4.9uS, each M has m's sign,
/// and the double-double margin g (within u|M| + O(u²S) of M) has it too, with |g| > 4.8uS, far
/// above `stable_exact`'s floor 1e-30·S (uS ≈ 1.1e-16·S): `stable_exact` takes its first branch
/// and answers "every g > 0", which is "every m > 0". Otherwise (a margin within B of 0, or NaN
/// and ±∞ from coefficients beyond f64) the answer is `stable_exact`'s.
#[inline(always)]
fn stable_fast(rec: &Recurrence, c1: Dd, c0: Dd, lambda: f64) -> bool {
    let (h1, h0) = (c1.hi, c0.hi);
    let b = 4.0 * f64::EPSILON * (1.0 + h1.abs() + h0.abs()); // 8u·S
    let m = [1.0 - h0, 1.0 + h0, (1.0 - h1) + h0, (1.0 + h1) + h0];
    if m.iter().all(|g| g.abs() > b) {
        m.iter().all(|&g| g > 0.0)
    } else {
        stable_exact(rec, c1, c0, lambda)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared-logarithm pair against two calls of `lucas`, bit for bit, in every regime
    /// (complex, near-double and double real roots, well-separated real roots, negative c₁).
    #[test]
    fn lucas_pair_has_the_bits_of_lucas() {
        let mut state = 3u64;
        let mut next = || crate::numeric::lcg_uniform(&mut state);
        let mut regimes = [0usize; 3];
        for trial in 0..3000 {
            let c1 = 4.2 * next() - 2.1;
            let c0 = match trial % 3 {
                0 => 2.2 * next() - 1.1,
                // Δ = c₁² − 4c₀ small: near-double real or complex roots
                1 => 0.25 * c1 * c1 * (1.0 + 1e-3 * (2.0 * next() - 1.0)),
                _ => 0.25 * c1 * c1,
            };
            let m = Mode::from_coefficients(c1, c0).unwrap();
            regimes[usize::from(m.discriminant < 0.0) + usize::from(m.discriminant == 0.0) * 2] +=
                1;
            for k in [0, 1, 2, 3, 7, 50, 599, 600, 5000, 1 << 20] {
                let (u1, u0) = m.lucas_pair(k);
                assert_eq!(
                    (u1.to_bits(), u0.to_bits()),
                    (m.lucas(k + 1).to_bits(), m.lucas(k).to_bits()),
                    "c1 = {c1}, c0 = {c0}, k = {k}"
                );
            }
        }
        assert!(regimes[0] > 100 && regimes[1] > 100, "{regimes:?}");
    }

    /// Every field of two modes, bit for bit (f64 `==` would let −0 = +0 through).
    fn bits(m: &Mode) -> Vec<u64> {
        let mut v = vec![
            m.lambda.to_bits(),
            m.c1.to_bits(),
            m.c0.to_bits(),
            m.discriminant.to_bits(),
            m.tolerance.to_bits(),
            m.radius.to_bits(),
            m.stable as u64,
        ];
        for r in m.roots {
            v.extend([r.re.to_bits(), r.im.to_bits()]);
        }
        v
    }

    fn next(seed: &mut u64) -> f64 {
        // xorshift64*, uniform in [0, 1)
        *seed ^= *seed >> 12;
        *seed ^= *seed << 25;
        *seed ^= *seed >> 27;
        (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn ulps(x: f64, k: i64) -> f64 {
        if x == 0.0 {
            return k as f64 * 5e-324;
        }
        f64::from_bits((x.to_bits() as i64 + k) as u64)
    }

    /// λ where a Jury margin g(λ) = g₀ − λg₁ or Δ(λ) vanishes, and their ulp neighbours, plus
    /// tiny, huge and signed-zero curvatures.
    fn adversarial(rec: &Recurrence) -> Vec<f64> {
        let [p0, p1, q0, q1] = [rec.p0(), rec.p1(), rec.q0(), rec.q1()];
        let mut edges = vec![
            (1.0 - q0) / -q1,
            (1.0 + q0) / q1,
            (1.0 - p0 + q0) / (q1 - p1),
            (1.0 + p0 + q0) / (p1 + q1),
            0.0,
            -0.0,
            1.0 / p1,
        ];
        // Δ(λ) = (p₀ − p₁λ)² − 4(q₀ − q₁λ) = 0: a quadratic in λ
        let (a, b, c) = (p1 * p1, -2.0 * p0 * p1 + 4.0 * q1, p0 * p0 - 4.0 * q0);
        let d = b * b - 4.0 * a * c;
        if d >= 0.0 && a != 0.0 {
            edges.extend([(-b + d.sqrt()) / (2.0 * a), (-b - d.sqrt()) / (2.0 * a)]);
        }
        let mut out = vec![
            5e-324,
            -5e-324,
            1e-300,
            1e-30,
            1e30,
            1e150,
            1e300,
            -1e300,
            f64::MAX,
        ];
        for e in edges.into_iter().filter(|e| e.is_finite()) {
            out.extend((-4..=4).map(|k| ulps(e, k)));
        }
        out
    }

    #[test]
    fn the_f64_jury_decision_is_the_exact_one_bit_for_bit() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut recs = Vec::new();
        for &(a, b) in &[
            (0.1, 0.9),
            (0.01, 0.5),
            (1.0, 0.0),
            (0.3, -0.7),
            (1e-8, 0.999_999),
        ] {
            recs.push(Recurrence::new(1.0 + b, a, b, 0.0).unwrap()); // heavy ball
            recs.push(Recurrence::new(1.0 + b, a * (1.0 + b), b, a * b).unwrap()); // Nesterov
        }
        for _ in 0..200 {
            let mut r = || 4.0 * next(&mut seed) - 2.0;
            recs.push(Recurrence::new(r(), r().abs(), r(), r()).unwrap());
        }
        let (mut fallback, mut stable, mut unstable) = (0usize, 0usize, 0usize);
        let mut check = |rec: &Recurrence, l: f64| {
            let fast = rec.mode_with(l, stable_fast);
            let exact = rec.mode_with(l, stable_exact);
            match (&fast, &exact) {
                (Ok(f), Ok(e)) => {
                    assert_eq!(bits(f), bits(e), "λ = {l:e}, {rec:?}");
                    if e.stable { stable += 1 } else { unstable += 1 }
                }
                (Err(f), Err(e)) => assert_eq!(f.to_string(), e.to_string()),
                _ => panic!("one errs, one does not at λ = {l:e}"),
            }
            if let Ok(e) = exact {
                let (c1, c0) = rec.coefficients_dd(l);
                let b = 4.0 * f64::EPSILON * (1.0 + c1.hi.abs() + c0.hi.abs());
                let m = [
                    1.0 - c0.hi,
                    1.0 + c0.hi,
                    (1.0 - c1.hi) + c0.hi,
                    (1.0 + c1.hi) + c0.hi,
                ];
                fallback += !m.iter().all(|g| g.abs() > b) as usize;
                assert_eq!(bits(&rec.mode(l).unwrap()), bits(&e));
            }
        };
        for rec in &recs {
            for l in adversarial(rec) {
                check(rec, l);
            }
            for _ in 0..5_000 {
                let l =
                    (1e4 * next(&mut seed) - 10.0) * 10f64.powi((next(&mut seed) * 8.0) as i32 - 4);
                check(rec, l);
            }
        }
        // the adversarial inputs reach the exact route, and both answers occur
        assert!(fallback > 100, "{fallback} fallbacks");
        assert!(
            stable > 1000 && unstable > 1000,
            "{stable} stable, {unstable} unstable"
        );
    }

    /// `spectral_radii_x4`'s lanes against `spectral_radius_at` one at a time, bit for bit
    /// (lanes that leave the common branch included): methods with non-zero low parts (1 + β,
    /// αγ), random four-number recurrences, adversarial and random curvatures. (`interval_rates`
    /// against `interval_rate`: `tune::search`'s tests.)
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn four_lane_radii_have_the_scalar_bits() {
        if !(std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma"))
        {
            return;
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut recs = Vec::new();
        for _ in 0..300 {
            let (a, b, g) = (
                10f64.powf(6.0 * next(&mut seed) - 4.0),
                3.0 * next(&mut seed) - 1.5,
                4.0 * next(&mut seed) - 2.0,
            );
            recs.push(crate::Method::general(a, b, g).unwrap().recurrence());
            recs.push(crate::Method::heavy_ball(a, b).unwrap().recurrence());
            recs.push(crate::Method::nesterov(a, b).unwrap().recurrence());
        }
        for _ in 0..100 {
            let mut r = || 4.0 * next(&mut seed) - 2.0;
            recs.push(Recurrence::new(r(), r().abs(), r(), r()).unwrap());
        }
        // coefficients, Δ or its sensitivity beyond f64 at large λ
        recs.push(crate::Method::heavy_ball(1e300, 0.5).unwrap().recurrence());
        recs.push(
            crate::Method::general(1e200, 0.5, 1e100)
                .unwrap()
                .recurrence(),
        );
        let (mut some, mut none) = (0usize, 0usize);
        for (i, pair) in recs.windows(2).enumerate() {
            let (a, b) = (&pair[0], &pair[1]);
            let mut lams = adversarial(a);
            lams.extend(adversarial(b));
            lams.extend((0..20).map(|_| {
                (1e4 * next(&mut seed) - 10.0) * 10f64.powi((next(&mut seed) * 8.0) as i32 - 4)
            }));
            for (j, w) in lams.windows(2).enumerate() {
                let (l1, l2) = if (i + j) % 2 == 0 {
                    (w[0], w[1])
                } else {
                    (w[1], w[0])
                };
                // SAFETY: AVX2 and FMA checked above.
                match unsafe { spectral_radii_x4(a, b, l1, l2) } {
                    Some(r) => {
                        some += 1;
                        let want = [(a, l1), (a, l2), (b, l1), (b, l2)]
                            .map(|(rec, l)| rec.spectral_radius_at(l).unwrap().to_bits());
                        assert_eq!(r.map(f64::to_bits), want, "{a:?} {b:?} {l1:e} {l2:e}");
                    }
                    None => none += 1,
                }
            }
        }
        assert!(some > 10_000 && none > 100, "{some} {none}");
    }
}
