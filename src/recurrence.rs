//! The affine four-number form that every two-step linear method reduces to on a quadratic.
//!
//! For a curvature λ (an eigenvalue of the Hessian) the error obeys
//!
//! ```text
//! e_{k+1} = c₁(λ) e_k − c₀(λ) e_{k−1},   c₁(λ) = p₀ − p₁λ,   c₀(λ) = q₀ − q₁λ
//! ```
//!
//! with transition matrix T(λ) = [[c₁, −c₀], [1, 0]] on the state (e_k, e_{k−1}) and characteristic
//! polynomial z² − c₁z + c₀ (docs/REFERENCE.md §1; Lessard, Recht & Packard 2016, §6). The three-parameter
//! family is p₀ = 1+β, p₁ = α(1+γ), q₀ = β, q₁ = αγ; Keras' decoupled weight decay is not in that
//! family but is affine (see [`crate::convention`]).

use crate::error::{Result, finite};
use crate::numeric::dd::Dd;
use nalgebra::{DMatrix, Matrix2};

/// c₁(λ) = p₀ − p₁λ, c₀(λ) = q₀ − q₁λ. The coefficients are held as exact double-double values so
/// that their evaluation at λ loses nothing to cancellation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recurrence {
    p0: Dd,
    p1: Dd,
    q0: Dd,
    q1: Dd,
}

impl Recurrence {
    /// A recurrence from its four numbers (all finite).
    ///
    /// # Examples
    ///
    /// ```
    /// // heavy ball α = 0.1, β = 0.9 written out: p₀ = 1.9, p₁ = 0.1, q₀ = 0.9, q₁ = 0
    /// let r = momentum::Recurrence::new(1.9, 0.1, 0.9, 0.0)?;
    /// let (c1, c0) = r.coefficients(3.0);
    /// assert!((c1 - 1.6).abs() < 1e-15 && c0 == 0.9);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Any of the four not finite ([`crate::Error::NotFinite`]).
    pub fn new(p0: f64, p1: f64, q0: f64, q1: f64) -> Result<Self> {
        finite("p0", p0)?;
        finite("p1", p1)?;
        finite("q0", q0)?;
        finite("q1", q1)?;
        Ok(Self::from_dd(
            Dd::new(p0),
            Dd::new(p1),
            Dd::new(q0),
            Dd::new(q1),
        ))
    }

    pub(crate) fn from_dd(p0: Dd, p1: Dd, q0: Dd, q1: Dd) -> Self {
        Recurrence { p0, p1, q0, q1 }
    }

    /// The same p₁, q₁ with new constant terms p₀, q₀.
    pub(crate) fn with_constants(&self, p0: Dd, q0: Dd) -> Self {
        Recurrence { p0, q0, ..*self }
    }

    /// The four numbers in double-double, [p₀, p₁, q₀, q₁].
    pub(crate) fn parts(&self) -> [Dd; 4] {
        [self.p0, self.p1, self.q0, self.q1]
    }

    /// p₀ (rounded to f64).
    pub fn p0(&self) -> f64 {
        self.p0.value()
    }
    /// p₁ (rounded to f64).
    pub fn p1(&self) -> f64 {
        self.p1.value()
    }
    /// q₀ (rounded to f64).
    pub fn q0(&self) -> f64 {
        self.q0.value()
    }
    /// q₁ (rounded to f64).
    pub fn q1(&self) -> f64 {
        self.q1.value()
    }

    /// The same recurrence seen through a curvature shift λ ↦ λ + s (coupled L2 weight decay s):
    /// p₀ ↦ p₀ − p₁s, q₀ ↦ q₀ − q₁s.
    pub fn shifted(&self, s: f64) -> Result<Self> {
        finite("curvature shift", s)?;
        Ok(Recurrence {
            p0: self.p0.sub(self.p1.mul_f64(s)),
            p1: self.p1,
            q0: self.q0.sub(self.q1.mul_f64(s)),
            q1: self.q1,
        })
    }

    /// Whether `other` runs the same recurrence: each of p₀, p₁, q₀, q₁ (rounded to f64) agrees
    /// to within `ulps` relative units in the last place, |a − b| ≤ ulps·ε·max(|a|, |b|).
    ///
    /// Conversions between framework arguments round, so a recurrence converted to another
    /// framework and back agrees with itself to a few ulps, not bit for bit.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Framework, FrameworkParams, Method};
    /// let hb = Method::heavy_ball(0.1, 0.9)?.recurrence();
    /// // PyTorch lr 0.1, momentum 0.9 is heavy ball α = 0.1, β = 0.9
    /// let p = FrameworkParams { lr: 0.1, momentum: Some(0.9), ..Default::default() };
    /// let torch = Framework::PyTorch.convert(&p)?.recurrence;
    /// assert!(torch.agrees_with(&hb, 4.0));
    /// assert!(!torch.agrees_with(&Method::heavy_ball(0.1, 0.8)?.recurrence(), 4.0));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn agrees_with(&self, other: &Recurrence, ulps: f64) -> bool {
        let four = |r: &Recurrence| [r.p0(), r.p1(), r.q0(), r.q1()];
        four(self)
            .iter()
            .zip(four(other))
            .all(|(&a, b)| crate::numeric::within_ulps(a, b, ulps))
    }

    /// (c₁(λ), c₀(λ)) rounded once from their exact values.
    pub fn coefficients(&self, lambda: f64) -> (f64, f64) {
        let (c1, c0) = self.coefficients_dd(lambda);
        (c1.value(), c0.value())
    }

    pub(crate) fn coefficients_dd(&self, lambda: f64) -> (Dd, Dd) {
        (
            self.p0.sub(self.p1.mul_f64(lambda)),
            self.q0.sub(self.q1.mul_f64(lambda)),
        )
    }

    /// Transition matrix T(λ) = [[c₁, −c₀], [1, 0]] on the state (e_k, e_{k−1}).
    pub fn transition(&self, lambda: f64) -> Matrix2<f64> {
        let (c1, c0) = self.coefficients(lambda);
        Matrix2::new(c1, -c0, 1.0, 0.0)
    }

    /// Characteristic polynomial z² − c₁z + c₀ as its coefficients [1, −c₁, c₀] (highest degree first).
    pub fn characteristic_polynomial(&self, lambda: f64) -> [f64; 3] {
        let (c1, c0) = self.coefficients(lambda);
        [1.0, -c1, c0]
    }

    /// The full 2n × 2n transition matrix for a symmetric Hessian H (n × n):
    /// [[p₀I − p₁H, −(q₀I − q₁H)], [I, 0]] acting on (e_k, e_{k−1}) ∈ ℝ²ⁿ.
    /// Its spectral radius equals the largest per-curvature radius; it is the independent oracle the
    /// tests hold the per-curvature analysis against.
    pub fn full_transition(&self, hessian: &DMatrix<f64>) -> DMatrix<f64> {
        let n = hessian.nrows();
        let mut t = DMatrix::zeros(2 * n, 2 * n);
        let (p0, p1, q0, q1) = (self.p0(), self.p1(), self.q0(), self.q1());
        for i in 0..n {
            for j in 0..n {
                let h = hessian[(i, j)];
                let id = if i == j { 1.0 } else { 0.0 };
                t[(i, j)] = p0 * id - p1 * h;
                t[(i, n + j)] = -(q0 * id - q1 * h);
            }
            t[(n + i, i)] = 1.0;
        }
        t
    }
}

/// The Jury inequalities 1 − c₀, 1 + c₀, 1 − c₁ + c₀, 1 + c₁ + c₀, each of which must be > 0.
#[inline]
pub fn jury(c1: f64, c0: f64) -> [f64; 4] {
    [1.0 - c0, 1.0 + c0, 1.0 - c1 + c0, 1.0 + c1 + c0]
}

/// The Jury margins 1 − c₀, 1 + c₀, 1 − c₁ + c₀, 1 + c₁ + c₀ with the constant `one` (1 for the
/// constant part of an affine margin, 0 for its slope).
pub(crate) fn jury_dd(c1: Dd, c0: Dd, one: Dd) -> [Dd; 4] {
    [
        one.sub(c0),
        one.add(c0),
        one.sub(c1).add(c0),
        one.add(c1).add(c0),
    ]
}

/// How far Δ = c₁² − 4c₀ moves when each of p₀, p₁, q₀, q₁ and λ moves by one relative ulp:
/// S = 2|c₁|(|p₀| + |p₁λ|) + 4(|q₀| + |q₁λ|) (see [`crate::mode::CRITICAL_DAMPING_ULPS`]).
#[inline]
pub(crate) fn sensitivity([p0, p1, q0, q1]: [f64; 4], c1: f64, lambda: f64) -> f64 {
    let lam = lambda.abs();
    2.0 * c1.abs() * (p0.abs() + p1.abs() * lam) + 4.0 * (q0.abs() + q1.abs() * lam)
}

#[cfg(feature = "serde")]
impl serde::Serialize for Recurrence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Recurrence", 4)?;
        st.serialize_field("p0", &self.p0())?;
        st.serialize_field("p1", &self.p1())?;
        st.serialize_field("q0", &self.q0())?;
        st.serialize_field("q1", &self.q1())?;
        st.end()
    }
}
