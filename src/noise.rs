//! The noise floor: stationary and transient variance of the error under additive gradient noise
//! (docs/REFERENCE.md §"Noise floor").
//!
//! With noisy gradients ∇f + σξ_k (ξ_k independent, zero mean, identity covariance) every mode of
//! the affine recurrence becomes a linear stochastic difference equation
//!
//! ```text
//! e_{k+1} = c₁ e_k − c₀ e_{k−1} − (a₀ ξ_k − a₁ ξ_{k−1})
//! ```
//!
//! where (a₀, a₁) is how the method feeds a gradient into the update ([`NoiseInput`]):
//!
//! - **one gradient per step** (gradient descent, heavy ball, Nesterov, any lookahead γ, EWMA,
//!   Adam/RMSprop with a frozen preconditioner, Keras' decoupled decay): the gradient is taken at
//!   the lookahead point y_k = x_k + γ(x_k − x_{k−1}) and enters as −α(Hy_k + σξ_k), so the noise
//!   enters with coefficient a₀ = α = p₁ − q₁ and a₁ = 0 whatever γ is (the lookahead moves the
//!   point, not the noise's weight);
//! - **two gradients per update** (quasi-hyperbolic momentum): the update mixes the fresh
//!   gradient at x_k with the buffered one from x_{k−1}, so p₁ multiplies the noise of step k and
//!   q₁ that of step k − 1: a₀ = p₁, a₁ = q₁.
//!
//! Writing u_k = −c₀e_{k−1} + a₁ξ_{k−1}, the state s = (e, u) obeys s_{k+1} = Tᵀ s_k + bξ_k with
//! b = (−a₀, a₁), T the transition matrix of [`Recurrence::transition`]. Its stationary covariance
//! solves the discrete Lyapunov equation Σ = TᵀΣT + bbᵀ, whose (1, 1) entry is, in closed form,
//!
//! ```text
//! V(λ) = E e² / σ² = [(a₀² + a₁²)(1 + c₀) − 2c₁a₀a₁] / [(1 − c₀)(1 + c₀ − c₁)(1 + c₀ + c₁)]
//! ```
//!
//! — three of the four Jury margins in the denominator, so V is finite exactly when the mode is
//! stable and blows up at the edge of stability. For heavy ball (a₀ = α, a₁ = 0, h = αλ) it is
//! α²(1 + β)/((1 − β)h(2(1 + β) − h)), the AR(2) variance of the claims catalogue
//! (`claims/src/c16_narratives.rs`). The second route is the full-matrix solve
//! ([`full_matrix_variance`]): (I − A⊗A) vec Σ = vec(BBᵀ) for the 2n-dimensional state of a dense
//! Hessian. Started from rest (e₀ = e₋₁ = 0), the variance after N steps is exactly
//! Σ_N = Σ − (Tᵀ)ᴺ Σ Tᴺ ([`transient_variance`]).
//!
//! Small steps: heavy ball's floor is α/(2λ(1 − β)) + O(α²), which is plain SGD's at step
//! α/(1 − β) (Yuan, Ying & Sayed 2016; Kidambi et al. 2018); [`sgd_equivalence_ratio`] gives the
//! ratio as a number (→ 1 as α → 0).

use crate::convention::{Converted, Framework};
use crate::error::{Error, Result, finite, positive};
use crate::method::{Family, Method};
use crate::numeric::dd::Dd;
use crate::numeric::minimize::golden;
use crate::recurrence::{Recurrence, jury_dd};
use crate::spectrum::Spectrum;
use nalgebra::{DMatrix, Matrix2};

/// How one unit of gradient noise enters a mode: e_{k+1} = c₁e_k − c₀e_{k−1} − (a₀ξ_k − a₁ξ_{k−1}).
///
/// # Examples
///
/// ```
/// use momentum::{Method, noise::NoiseInput};
/// let rec = Method::nesterov(0.1, 0.9)?.recurrence();
/// // the gradient at the lookahead point carries its noise with weight α
/// let n = NoiseInput::single_gradient(&rec);
/// assert!((n.current - 0.1).abs() < 1e-16 && n.previous == 0.0);
/// # Ok::<(), momentum::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NoiseInput {
    /// a₀: the weight of this step's noise ξ_k.
    pub current: f64,
    /// a₁: the weight of the previous step's noise ξ_{k−1} (entering with a plus sign).
    pub previous: f64,
}

impl NoiseInput {
    /// One noisy gradient per step, taken at the lookahead point: a₀ = α = p₁ − q₁, a₁ = 0 (the
    /// model of [`crate::simulate`]).
    pub fn single_gradient(rec: &Recurrence) -> Self {
        let [_, p1, _, q1] = rec.parts();
        NoiseInput {
            current: p1.sub(q1).value(),
            previous: 0.0,
        }
    }

    /// Fresh and buffered gradients mixed in one update (QHM): a₀ = p₁, a₁ = q₁.
    pub fn two_gradients(rec: &Recurrence) -> Self {
        NoiseInput {
            current: rec.p1(),
            previous: rec.q1(),
        }
    }

    /// The model of a converted framework setting: [`NoiseInput::two_gradients`] for
    /// quasi-hyperbolic momentum, [`NoiseInput::single_gradient`] for everything else.
    pub fn for_converted(c: &Converted) -> Self {
        if c.framework == Framework::Qhm {
            Self::two_gradients(&c.recurrence)
        } else {
            Self::single_gradient(&c.recurrence)
        }
    }
}

/// E e²/σ² in closed form for one mode with coefficients (c₁, c₀) (module docs):
/// [(a₀² + a₁²)(1 + c₀) − 2c₁a₀a₁] / [(1 − c₀)(1 + c₀ − c₁)(1 + c₀ + c₁)].
///
/// # Examples
///
/// ```
/// use momentum::noise::{NoiseInput, stationary_variance_coefficients};
/// // gradient descent at h = αλ: α²/(h(2 − h))
/// let v = stationary_variance_coefficients(0.5, 0.0, NoiseInput { current: 0.1, previous: 0.0 })?;
/// assert!((v - 0.01 / (0.5 * 1.5)).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// A coefficient not finite, or a mode that is not strictly stable (a Jury margin ≤ 0:
/// [`Error::NoStationaryState`]).
pub fn stationary_variance_coefficients(c1: f64, c0: f64, input: NoiseInput) -> Result<f64> {
    finite("c1", c1)?;
    finite("c0", c0)?;
    let margins = crate::recurrence::jury(c1, c0);
    if margins.iter().any(|&g| g <= 0.0) {
        let rate = crate::mode::Mode::from_coefficients(c1, c0)?.spectral_radius();
        return Err(Error::NoStationaryState {
            lambda: None,
            spectral_radius: rate,
        });
    }
    let (a0, a1) = (input.current, input.previous);
    let num = (a0 * a0 + a1 * a1) * (1.0 + c0) - 2.0 * c1 * a0 * a1;
    Ok(num / (margins[0] * margins[2] * margins[3]))
}

/// V(λ) = E e²/σ² of the mode at curvature λ, in closed form (module docs).
///
/// # Examples
///
/// ```
/// use momentum::{Method, noise::{NoiseInput, stationary_variance}};
/// let (a, b, lam) = (0.1, 0.9, 1.0);
/// let rec = Method::heavy_ball(a, b)?.recurrence();
/// let v = stationary_variance(&rec, NoiseInput::single_gradient(&rec), lam)?;
/// let h = a * lam;
/// assert!((v - a * a * (1.0 + b) / ((1.0 - b) * h * (2.0 * (1.0 + b) - h))).abs() < 1e-12);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// λ not finite, or the mode at λ not strictly stable ([`Error::NoStationaryState`]: its
/// variance grows without bound).
pub fn stationary_variance(rec: &Recurrence, input: NoiseInput, lambda: f64) -> Result<f64> {
    variance_by(&JuryForm::new(rec), rec, input, lambda)
}

/// [`stationary_variance`] with the recurrence's λ-free part of the margins formed once (the
/// quadrature of [`floor_to`] evaluates thousands of curvatures of one recurrence).
fn variance_by(form: &JuryForm, rec: &Recurrence, input: NoiseInput, lambda: f64) -> Result<f64> {
    finite("lambda", lambda)?;
    let m = form.at(lambda);
    if !m.stable() {
        return Err(Error::NoStationaryState {
            lambda: Some(lambda),
            spectral_radius: rec.mode(lambda)?.spectral_radius(),
        });
    }
    checked_variance(m.variance(input), lambda)
}

fn checked_variance(v: f64, lambda: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::Unsupported(format!(
            "the stationary variance at lambda = {lambda:e} overflows f64"
        )))
    }
}

/// A mode's coefficients and Jury margins, each margin g₀ − λg₁ with its constant g₀ formed from
/// the four numbers in double-double before λ enters (exactly 0 for 1 − c₁ + c₀ of every
/// three-parameter method, whose margin is then αλ rounded once): no cancellation against the
/// rounded c₁, c₀, so V keeps its accuracy down to αλ = 1e-300.
#[derive(Clone, Copy, Debug)]
struct Margins {
    c0: f64,
    /// 1 − c₀
    minus: f64,
    /// 1 + c₀
    plus: f64,
    /// 1 − c₁ + c₀ (a root at +1 when 0)
    lower: f64,
    /// 1 + c₁ + c₀ (a root at −1 when 0)
    upper: f64,
}

/// The parts of a recurrence's [`Margins`] that do not depend on λ: each margin's constant g₀
/// and slope g₁, and q₀, q₁.
#[derive(Clone, Copy, Debug)]
struct JuryForm {
    constant: [Dd; 4],
    slope: [Dd; 4],
    q0: Dd,
    q1: Dd,
}

impl JuryForm {
    fn new(rec: &Recurrence) -> Self {
        let [p0, p1, q0, q1] = rec.parts();
        JuryForm {
            constant: jury_dd(p0, q0, Dd::new(1.0)),
            slope: jury_dd(p1, q1, Dd::new(0.0)),
            q0,
            q1,
        }
    }

    /// The margins at λ (the same operations as forming them from the recurrence at λ).
    fn at(&self, lambda: f64) -> Margins {
        let g = |i: usize| self.constant[i].sub(self.slope[i].mul_f64(lambda)).value();
        Margins {
            c0: self.q0.sub(self.q1.mul_f64(lambda)).value(),
            minus: g(0),
            plus: g(1),
            lower: g(2),
            upper: g(3),
        }
    }
}

impl Margins {
    fn new(rec: &Recurrence, lambda: f64) -> Self {
        JuryForm::new(rec).at(lambda)
    }

    /// Strictly stable: 1 − c₀, 1 − c₁ + c₀, 1 + c₁ + c₀ > 0 (these imply 1 + c₀ > 0).
    fn stable(&self) -> bool {
        self.minus > 0.0 && self.lower > 0.0 && self.upper > 0.0
    }

    /// V = [(a₀ − a₁)²(1 + c₀) + 2a₀a₁(1 − c₁ + c₀)] / [(1 − c₀)(1 − c₁ + c₀)(1 + c₁ + c₀)], the
    /// closed form of the module docs with its numerator regrouped around the small margin.
    fn variance(&self, input: NoiseInput) -> f64 {
        let (a0, a1) = (input.current, input.previous);
        let d = a0 - a1;
        let num = d * d * self.plus + 2.0 * a0 * a1 * self.lower;
        // divide by the small margin last: the product of all three can underflow
        num / (self.minus * self.upper) / self.lower
    }
}

/// The stationary covariance of the state (e, u) at λ by the 2 × 2 Kronecker solve (the second
/// route to [`stationary_variance`]): Σ = TᵀΣT + bbᵀ, b = (−a₀, a₁).
///
/// # Examples
///
/// ```
/// use momentum::{Method, noise::{NoiseInput, stationary_covariance, stationary_variance}};
/// let rec = Method::nesterov(0.3, 0.8)?.recurrence();
/// let n = NoiseInput::single_gradient(&rec);
/// let s = stationary_covariance(&rec, n, 0.5)?;
/// assert!((s[(0, 0)] - stationary_variance(&rec, n, 0.5)?).abs() < 1e-12);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`stationary_variance`].
pub fn stationary_covariance(
    rec: &Recurrence,
    input: NoiseInput,
    lambda: f64,
) -> Result<Matrix2<f64>> {
    let mode = rec.mode(lambda)?;
    if !mode.is_stable() {
        return Err(Error::NoStationaryState {
            lambda: Some(lambda),
            spectral_radius: mode.spectral_radius(),
        });
    }
    let a = DMatrix::from_column_slice(2, 2, rec.transition(lambda).transpose().as_slice());
    let b = DMatrix::from_column_slice(2, 1, &[-input.current, input.previous]);
    let s = lyapunov_kronecker(&a, &(&b * b.transpose()))?;
    Ok(Matrix2::new(s[(0, 0)], s[(0, 1)], s[(1, 0)], s[(1, 1)]))
}

/// E e_N²/σ² after N steps from rest (e₀ = e₋₁ = 0, no noise before step 0), exactly:
/// Σ_N = Σ − (Tᵀ)ᴺ Σ Tᴺ with Tᴺ from [`crate::Mode::power`].
///
/// # Examples
///
/// ```
/// use momentum::{Method, noise::{NoiseInput, transient_variance}};
/// let rec = Method::gradient_descent(0.5)?.recurrence();
/// let n = NoiseInput::single_gradient(&rec);
/// // one step from rest: e₁ = −α ξ₀, variance α²
/// assert!((transient_variance(&rec, n, 1.0, 1)? - 0.25).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`stationary_variance`] (the closed form needs the stationary Σ, so the mode must be
/// stable).
pub fn transient_variance(
    rec: &Recurrence,
    input: NoiseInput,
    lambda: f64,
    steps: u64,
) -> Result<f64> {
    let sigma = stationary_covariance(rec, input, lambda)?;
    let t = rec.mode(lambda)?.power(steps)?;
    let decayed = t.transpose() * sigma * t;
    Ok((sigma[(0, 0)] - decayed[(0, 0)]).max(0.0))
}

/// Solve the discrete Lyapunov equation Σ = AΣAᵀ + Q by the Kronecker form
/// (I − A⊗A) vec Σ = vec Q (an m × m state: an m² × m² linear system).
///
/// # Examples
///
/// ```
/// use nalgebra::DMatrix;
/// // scalar AR(1) e' = 0.5 e + ξ: variance 1/(1 − 0.25)
/// let s = momentum::noise::lyapunov_kronecker(
///     &DMatrix::from_element(1, 1, 0.5), &DMatrix::from_element(1, 1, 1.0))?;
/// assert!((s[(0, 0)] - 4.0 / 3.0).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// A state larger than [`MAX_KRONECKER_STATE`] ([`Error::TooMany`]), matrices of mismatched
/// sizes ([`Error::NotSquare`]), or A with an eigenvalue of modulus ≥ 1
/// ([`Error::NoStationaryState`]).
pub fn lyapunov_kronecker(a: &DMatrix<f64>, q: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let m = a.nrows();
    if a.ncols() != m {
        return Err(Error::NotSquare {
            rows: m,
            cols: a.ncols(),
        });
    }
    if q.nrows() != m || q.ncols() != m {
        return Err(Error::NotSquare {
            rows: q.nrows(),
            cols: q.ncols(),
        });
    }
    if m > MAX_KRONECKER_STATE {
        return Err(Error::TooMany {
            what: "state dimension of a Kronecker Lyapunov solve",
            count: m as u64,
            limit: MAX_KRONECKER_STATE as u64,
        });
    }
    let rho = crate::polynomial::eigenvalues(a.clone())?
        .iter()
        .fold(0.0_f64, |r, z| r.max(z.norm()));
    if rho.is_nan() || rho >= 1.0 {
        return Err(Error::NoStationaryState {
            lambda: None,
            spectral_radius: rho,
        });
    }
    let big = DMatrix::<f64>::identity(m * m, m * m) - a.kronecker(a);
    let rhs = DMatrix::from_column_slice(m * m, 1, q.as_slice());
    let sol = big.lu().solve(&rhs).ok_or(Error::NoStationaryState {
        lambda: None,
        spectral_radius: rho,
    })?;
    Ok(DMatrix::from_column_slice(m, m, sol.as_slice()))
}

/// The periodic discrete Lyapunov equation: the covariance Σⱼ of a state s_{t+1} = Aⱼ s_t + Bⱼ ξ_t
/// (ξ white, unit covariance) before each step j = 0 … k − 1 of a period, in the stationary
/// periodic regime. Σ₀ solves Σ₀ = M Σ₀ Mᵀ + Q with the monodromy M = A_{k−1}⋯A₀ and
/// Q = Σⱼ (A_{k−1}⋯A_{j+1}) BⱼBⱼᵀ (⋯)ᵀ ([`lyapunov_kronecker`]); then Σ_{j+1} = AⱼΣⱼAⱼᵀ + BⱼBⱼᵀ.
///
/// # Examples
///
/// ```
/// use momentum::noise::lyapunov_periodic;
/// use nalgebra::DMatrix;
/// // a period of two equal steps a = 0.5, b = 1 is the stationary AR(1): 1/(1 − a²) = 4/3
/// let step = (DMatrix::from_element(1, 1, 0.5), DMatrix::from_element(1, 1, 1.0));
/// let s = lyapunov_periodic(&[step.clone(), step])?;
/// assert!((s[0][(0, 0)] - 4.0 / 3.0).abs() < 1e-14 && (s[1][(0, 0)] - 4.0 / 3.0).abs() < 1e-14);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// No step ([`Error::EmptySpectrum`]); matrices of mismatched sizes ([`Error::NotSquare`]); a
/// monodromy with an eigenvalue of modulus ≥ 1 ([`Error::NoStationaryState`]); what
/// [`lyapunov_kronecker`] refuses.
pub fn lyapunov_periodic(steps: &[(DMatrix<f64>, DMatrix<f64>)]) -> Result<Vec<DMatrix<f64>>> {
    let Some((a0, _)) = steps.first() else {
        return Err(Error::EmptySpectrum);
    };
    let n = a0.nrows();
    for (a, b) in steps {
        if a.nrows() != n || a.ncols() != n || b.nrows() != n {
            return Err(Error::NotSquare {
                rows: a.nrows(),
                cols: a.ncols(),
            });
        }
    }
    let mut m = DMatrix::<f64>::identity(n, n);
    let mut q = DMatrix::<f64>::zeros(n, n);
    for (a, b) in steps {
        m = a * m;
        q = a * q * a.transpose() + b * b.transpose();
    }
    let mut out = Vec::with_capacity(steps.len());
    let mut s = lyapunov_kronecker(&m, &q)?;
    for (a, b) in steps {
        let next = a * &s * a.transpose() + b * b.transpose();
        out.push(s);
        s = next;
    }
    Ok(out)
}

/// The mean of f over [a, b] by the adaptive Simpson quadrature of [`floor`] (relative 1e-10,
/// at most 20 000 evaluations), f(a) if a = b.
pub(crate) fn interval_mean(f: &dyn Fn(f64) -> Result<f64>, (a, b): (f64, f64)) -> Result<f64> {
    let (fa, fb) = (f(a)?, f(b)?);
    if b <= a {
        return Ok(fa);
    }
    let fm = f(0.5 * (a + b))?;
    let q = Quadrature {
        budget: 20_000,
        ..Quadrature::EXACT
    };
    Ok(simpson(&|x| f(x).unwrap_or(f64::NAN), (a, b), (fa, fm, fb), q)? / (b - a))
}

/// Largest state dimension [`lyapunov_kronecker`] accepts (a 4096 × 4096 system at 64).
pub const MAX_KRONECKER_STATE: usize = 64;

/// E‖e‖²/σ² of the recurrence on a dense symmetric Hessian H (n × n, 2n ≤
/// [`MAX_KRONECKER_STATE`]), by the full-matrix Lyapunov solve: state (e, u) ∈ ℝ²ⁿ,
/// A = [[C₁, I], [−C₀, 0]], C₁ = p₀I − p₁H, C₀ = q₀I − q₁H, B = [−a₀I; a₁I]; the trace of Σ's
/// top-left block. Independent of the eigen-decomposition: the oracle for [`floor`].
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, noise::{NoiseInput, floor, full_matrix_variance}};
/// use nalgebra::DMatrix;
/// let rec = Method::heavy_ball(0.2, 0.5)?.recurrence();
/// let n = NoiseInput::single_gradient(&rec);
/// let h = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]); // eigenvalues 1 and 3
/// let full = full_matrix_variance(&rec, n, &h)?;
/// let modes = floor(&rec, n, &Spectrum::eigenvalues(vec![1.0, 3.0])?)?;
/// assert!((full - modes.total.unwrap()).abs() < 1e-10 * full);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// A Hessian that is not square, too large, or on which the recurrence is not stable.
pub fn full_matrix_variance(
    rec: &Recurrence,
    input: NoiseInput,
    hessian: &DMatrix<f64>,
) -> Result<f64> {
    kronecker_floor(rec, input, hessian, None)
}

/// E‖x − x*‖²/σ² of a preconditioned method (Adam, AdamW, RMSprop with v frozen) in the
/// parameters' coordinates, by the full-matrix Lyapunov solve in those coordinates: the update
/// applies P⁻¹ to the noisy gradient, so the recurrence runs on M = P⁻¹H (not symmetric) with noise
/// P⁻¹σξ. No eigen-decomposition: the oracle for [`preconditioned_floor`]. n ≤
/// [`MAX_KRONECKER_STATE`]/2.
///
/// # Examples
///
/// ```
/// use momentum::{Method, noise::{NoiseInput, full_matrix_variance_preconditioned, stationary_variance}};
/// use nalgebra::DMatrix;
/// let rec = Method::heavy_ball(0.1, 0.5)?.recurrence();
/// let n = NoiseInput::single_gradient(&rec);
/// // one coordinate, h = 4, P = 2: curvature 2 in y = √P x, noise 1/√2 there, e_x = e_y/√2
/// let v = full_matrix_variance_preconditioned(&rec, n, &DMatrix::from_element(1, 1, 4.0), &[2.0])?;
/// assert!((v - stationary_variance(&rec, n, 2.0)? / 4.0).abs() < 1e-12 * v);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`full_matrix_variance`]; P of another length, or an entry not finite and > 0.
pub fn full_matrix_variance_preconditioned(
    rec: &Recurrence,
    input: NoiseInput,
    hessian: &DMatrix<f64>,
    p: &[f64],
) -> Result<f64> {
    check_preconditioner(p, hessian.nrows())?;
    kronecker_floor(rec, input, hessian, Some(p))
}

fn check_preconditioner(p: &[f64], n: usize) -> Result<()> {
    if p.len() != n {
        return Err(Error::Unsupported(format!(
            "the Hessian has {n} coordinates but the preconditioner has {}: they must match",
            p.len()
        )));
    }
    for &d in p {
        positive("preconditioner entry", d)?;
    }
    Ok(())
}

/// The Kronecker route on x: A = [[p₀I − p₁M, I], [−(q₀I − q₁M), 0]], B = [−a₀G; a₁G] with
/// M = H, G = I, or M = P⁻¹H, G = P⁻¹.
fn kronecker_floor(
    rec: &Recurrence,
    input: NoiseInput,
    hessian: &DMatrix<f64>,
    p: Option<&[f64]>,
) -> Result<f64> {
    let n = hessian.nrows();
    if hessian.ncols() != n {
        return Err(Error::NotSquare {
            rows: n,
            cols: hessian.ncols(),
        });
    }
    if 2 * n > MAX_KRONECKER_STATE {
        return Err(Error::TooMany {
            what: "dimension of a full-matrix noise floor",
            count: n as u64,
            limit: (MAX_KRONECKER_STATE / 2) as u64,
        });
    }
    let (p0, p1, q0, q1) = (rec.p0(), rec.p1(), rec.q0(), rec.q1());
    let mut a = DMatrix::zeros(2 * n, 2 * n);
    let mut b = DMatrix::zeros(2 * n, n);
    for i in 0..n {
        let g = p.map_or(1.0, |p| 1.0 / p[i]);
        for j in 0..n {
            let h = match p {
                None => hessian[(i, j)],
                Some(_) => g * hessian[(i, j)],
            };
            let id = if i == j { 1.0 } else { 0.0 };
            a[(i, j)] = p0 * id - p1 * h;
            a[(n + i, j)] = -(q0 * id - q1 * h);
        }
        a[(i, n + i)] = 1.0;
        b[(i, i)] = -input.current * g;
        b[(n + i, i)] = input.previous * g;
    }
    let s = lyapunov_kronecker(&a, &(&b * b.transpose()))?;
    Ok((0..n).map(|i| s[(i, i)]).sum())
}

/// One curvature's stationary variance per unit σ².
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CurvatureVariance {
    /// The curvature λ.
    pub lambda: f64,
    /// V(λ) = E e²/σ² in that direction.
    pub variance: f64,
}

/// The noise floor of a recurrence over a spectrum, per unit σ².
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Floor {
    /// E‖e‖²/σ² = Σᵢ V(λᵢ) over listed eigenvalues (σ²I noise); `None` for an interval, which
    /// has no dimension.
    pub total: Option<f64>,
    /// E‖e‖²/(σ² n): the mean of V over the eigenvalues, or over a uniform density on [μ, L]
    /// (adaptive Simpson quadrature to a relative 1e-10).
    pub mean_per_direction: f64,
    /// The curvature with the largest V.
    pub largest: CurvatureVariance,
    /// V at the listed curvatures (the two ends of an interval; at most [`MAX_LISTED`] of a
    /// list, the smallest and largest beyond that).
    pub curvatures: Vec<CurvatureVariance>,
}

/// Most curvatures [`Floor::curvatures`] lists one by one.
pub const MAX_LISTED: usize = 1000;

/// The noise floor over a spectrum (σ²I gradient noise): V summed over listed eigenvalues, or its
/// mean over a uniform density on an interval.
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, noise::{NoiseInput, floor}};
/// let rec = Method::gradient_descent(0.5)?.recurrence();
/// let f = floor(&rec, NoiseInput::single_gradient(&rec), &Spectrum::eigenvalues(vec![1.0, 2.0])?)?;
/// // GD: α/(λ(2 − αλ)) per direction: 1/3 + 1/4
/// assert!((f.total.unwrap() - (1.0 / 3.0 + 0.25)).abs() < 1e-14);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// Any curvature at which the recurrence is not strictly stable ([`Error::NoStationaryState`]);
/// flat (λ = 0) and saddle directions have no stationary variance.
pub fn floor(rec: &Recurrence, input: NoiseInput, spectrum: &Spectrum) -> Result<Floor> {
    floor_to(rec, input, spectrum, Quadrature::EXACT)
}

/// How closely [`floor`] integrates over an interval: a relative tolerance and a budget of
/// integrand evaluations (past it the quadrature stops refining).
#[derive(Clone, Copy)]
struct Quadrature {
    tolerance: f64,
    budget: usize,
    /// Whether running out of budget is an error (the public floor) or an accepted estimate (the
    /// search objective of [`fastest_to`], whose winner is re-evaluated exactly).
    strict: bool,
    /// Try the closed form ([`closed_mean`]) first; the quadrature only when it cannot vouch
    /// for 1e-12.
    closed: bool,
}

impl Quadrature {
    const EXACT: Quadrature = Quadrature {
        tolerance: 1e-10,
        budget: 2_000_000,
        strict: true,
        closed: true,
    };
    const SEARCH: Quadrature = Quadrature {
        tolerance: 1e-6,
        budget: 4_000,
        strict: false,
        closed: false,
    };
}

fn floor_to(
    rec: &Recurrence,
    input: NoiseInput,
    spectrum: &Spectrum,
    q: Quadrature,
) -> Result<Floor> {
    let form = JuryForm::new(rec);
    let v = |l: f64| variance_by(&form, rec, input, l);
    match spectrum {
        Spectrum::Interval { mu, l } => {
            let (a, b) = (*mu, *l);
            let (va, vb) = (v(a)?, v(b)?);
            // the denominator's margins are affine in λ: positive at both ends, positive between
            let closed = if q.closed && b > a {
                closed_mean(&form, input, (a, b))
            } else {
                None
            };
            let mean = if let Some(m) = closed {
                m
            } else if b > a {
                let mid = v(0.5 * (a + b))?;
                simpson(&|x| v(x).unwrap_or(f64::NAN), (a, b), (va, mid, vb), q)? / (b - a)
            } else {
                va
            };
            let largest = if va >= vb {
                CurvatureVariance {
                    lambda: a,
                    variance: va,
                }
            } else {
                CurvatureVariance {
                    lambda: b,
                    variance: vb,
                }
            };
            Ok(Floor {
                total: None,
                mean_per_direction: mean,
                largest,
                curvatures: vec![
                    CurvatureVariance {
                        lambda: a,
                        variance: va,
                    },
                    CurvatureVariance {
                        lambda: b,
                        variance: vb,
                    },
                ],
            })
        }
        Spectrum::Eigenvalues(eigs) => {
            let ones = vec![1.0; eigs.len()];
            floor_weighted(rec, input, eigs, &ones)
        }
    }
}

/// The mean of V over [a, b] (a < b, V finite on it) in closed form, `None` when rounding could
/// cost more than a relative 1e-12 (near-coincident roots of the margins, cancelling terms).
///
/// V = N/(g₀g₂g₃) with N = (a₀ − a₁)²(1 + c₀) + 2a₀a₁(1 − c₁ + c₀) and every margin
/// gᵢ = kᵢ − sᵢλ affine in λ, so V is rational with simple poles at the roots rᵢ = kᵢ/sᵢ of
/// the margins that depend on λ (module docs). Margins with sᵢ = 0 are
/// constants C; for d ≥ 2 varying margins (N has degree ≤ 1 < d)
///
/// ```text
/// ∫ₐᵇ V dλ = (1/C) Σᵢ Aᵢ Iᵢ,  Aᵢ = N(rᵢ) / Πⱼ≠ᵢ gⱼ(rᵢ),  Iᵢ = ∫ₐᵇ dλ/gᵢ = ln(gᵢ(a)/gᵢ(b))/sᵢ,
/// ```
///
/// for d = 1, N/g = n₁/s + (N(r)/1)/g with n₁ the slope of N, and for d = 0 the mean of N/C.
/// Iᵢ is formed as ln1p(sᵢ(b − a)/gᵢ(b))/sᵢ (gᵢ(a) − gᵢ(b) = sᵢ(b − a)), accurate for small slopes.
fn closed_mean(form: &JuryForm, input: NoiseInput, (a, b): (f64, f64)) -> Option<f64> {
    let (a0, a1) = (input.current, input.previous);
    let d = a0 - a1;
    let (w_plus, w_lower) = (d * d, 2.0 * a0 * a1);
    let k = |i: usize| form.constant[i].value();
    let s = |i: usize| form.slope[i].value();
    // N(λ) = nk − ns λ
    let (nk, ns) = (
        w_plus * k(1) + w_lower * k(2),
        w_plus * s(1) + w_lower * s(2),
    );
    let n_at = |x: f64| nk - ns * x;
    let n_scale = |x: f64| (w_plus * k(1)).abs() + (w_lower * k(2)).abs() + (ns * x).abs();
    let (ga, gb) = (form.at(a), form.at(b));
    let mut constant = 1.0;
    // (k, s, g(a), g(b)) of the margins that vary with λ
    let mut factors: Vec<(f64, f64, f64, f64)> = Vec::with_capacity(3);
    for (i, fa, fb) in [
        (0, ga.minus, gb.minus),
        (2, ga.lower, gb.lower),
        (3, ga.upper, gb.upper),
    ] {
        if s(i) == 0.0 {
            constant *= k(i);
        } else {
            factors.push((k(i), s(i), fa, fb));
        }
    }
    let width = b - a;
    // ∫ₐᵇ dλ/g for g = k − sλ, positive on [a, b]
    let integral = |&(_, s, _, fb): &(f64, f64, f64, f64)| {
        let x = s * width / fb;
        if x.abs() < 1e-200 {
            width / fb
        } else {
            x.ln_1p() / s
        }
    };
    // (sum of terms, sum of |term| × its relative error in units of ε)
    let (total, error) = match factors.len() {
        0 => {
            let m = n_at(0.5 * (a + b));
            (m * width, m.abs() * width * 4.0)
        }
        1 => {
            let f = &factors[0];
            let r = f.0 / f.1;
            let (head, rem) = (ns / f.1 * width, n_at(r));
            let tail = rem * integral(f);
            let cond = n_scale(r) / rem.abs();
            (
                head + tail,
                head.abs() * 4.0 + tail.abs() * (8.0 + 4.0 * cond),
            )
        }
        _ => {
            let (mut total, mut error) = (0.0, 0.0);
            for (i, fi) in factors.iter().enumerate() {
                let r = fi.0 / fi.1;
                let mut denom = 1.0;
                let mut cond = 8.0 + 4.0 * n_scale(r) / n_at(r).abs();
                for (j, fj) in factors.iter().enumerate() {
                    if j != i {
                        let g = fj.0 - fj.1 * r;
                        denom *= g;
                        cond += 4.0 * (fj.0.abs() + (fj.1 * r).abs()) / g.abs();
                    }
                }
                let term = n_at(r) / denom * integral(fi);
                total += term;
                error += term.abs() * cond;
            }
            (total, error)
        }
    };
    let mean = total / width / constant;
    let trusted = mean.is_finite()
        && mean > 0.0
        && error.is_finite()
        && error * f64::EPSILON <= 1e-12 * total.abs();
    trusted.then_some(mean)
}

/// The noise floor with a noise variance per eigen-direction: E‖e‖²/σ² = Σᵢ sᵢ V(λᵢ), where the
/// noise covariance is σ² diag(s) in H's eigenbasis.
///
/// # Examples
///
/// ```
/// use momentum::{Method, noise::{NoiseInput, floor_weighted}};
/// let rec = Method::gradient_descent(0.5)?.recurrence();
/// let f = floor_weighted(&rec, NoiseInput::single_gradient(&rec), &[1.0, 2.0], &[2.0, 0.0])?;
/// assert!((f.total.unwrap() - 2.0 / 3.0).abs() < 1e-14);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// Lists of different or zero lengths, a variance that is negative or not finite, or an
/// unstable mode ([`Error::NoStationaryState`]).
pub fn floor_weighted(
    rec: &Recurrence,
    input: NoiseInput,
    eigenvalues: &[f64],
    variances: &[f64],
) -> Result<Floor> {
    if eigenvalues.is_empty() {
        return Err(Error::EmptySpectrum);
    }
    if variances.len() != eigenvalues.len() {
        return Err(Error::OutOfRange {
            name: "number of noise variances",
            value: variances.len() as f64,
            expected: "one per eigenvalue",
        });
    }
    let mut total = 0.0;
    let mut largest = CurvatureVariance {
        lambda: eigenvalues[0],
        variance: f64::NEG_INFINITY,
    };
    let mut listed = Vec::new();
    let n = eigenvalues.len();
    for (i, (&l, &s)) in eigenvalues.iter().zip(variances).enumerate() {
        finite("noise variance", s)?;
        if s < 0.0 {
            return Err(Error::OutOfRange {
                name: "noise variance",
                value: s,
                expected: ">= 0",
            });
        }
        let var = stationary_variance(rec, input, l)?;
        total += s * var;
        if s * var > largest.variance {
            largest = CurvatureVariance {
                lambda: l,
                variance: s * var,
            };
        }
        if n <= MAX_LISTED || i == 0 || i + 1 == n {
            listed.push(CurvatureVariance {
                lambda: l,
                variance: s * var,
            });
        }
    }
    Ok(Floor {
        total: Some(total),
        mean_per_direction: total / n as f64,
        largest,
        curvatures: listed,
    })
}

/// The noise floor over directions some of which may have none, or why there is none.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FloorReport {
    /// The stationary floor, when every direction has one (`None` otherwise: no finite floor).
    pub floor: Option<Floor>,
    /// Directions whose variance grows linearly in k: one root exactly at +1, the other inside
    /// the unit circle (flat directions, λ = 0, of every three-parameter method).
    pub random_walk_directions: usize,
    /// lim (E‖e_k‖² − E‖e_{k−1}‖²)/σ² over those directions (0 when none): (a₀ − a₁)²/(1 − c₀)² for
    /// one direction under unit noise, α²/(1 − β)² for heavy ball, gradient descent's α² (module
    /// docs); with a preconditioner, in the parameters' coordinates.
    pub random_walk_growth_per_step: f64,
    /// Directions whose variance grows faster than linearly: saddles (λ < −tolerance) and listed
    /// curvatures the setting is unstable on (exponential growth), or a flat direction without a
    /// simple root at +1.
    pub divergent_directions: usize,
}

impl FloorReport {
    /// Whether there is a stationary state.
    pub fn is_stationary(&self) -> bool {
        self.floor.is_some()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Stationary,
    RandomWalk,
    Divergent,
}

impl Margins {
    fn kind(&self) -> Kind {
        if self.stable() {
            Kind::Stationary
        } else if self.lower == 0.0 && self.minus > 0.0 && self.upper > 0.0 {
            Kind::RandomWalk
        } else {
            Kind::Divergent
        }
    }
}

/// The stationary cross-covariance E[eᵢeⱼ]/σ² of two modes driven by the same unit noise
/// (e_{k+1} = c₁e_k − c₀e_{k−1} − (a₀ξ_k − a₁ξ_{k−1}) with each mode's (c₁, c₀)): the (1, 1) entry of
/// the Stein equation X = AᵢXAⱼᵀ + bbᵀ, solved in closed form (docs/REFERENCE.md §9). With
/// c, d the two c₀ and m, n the two margins 1 − c₁ + c₀:
/// [(a₀ − a₁)²(1 − cd) + a₀a₁L] / [(1 − cd)L + dm² + cn² − (1 + cd)mn], L = (1 − d)m + (1 − c)n;
/// around the edge at −1 the same with the margins 1 + c₁ + c₀ and −a₁ (z ↦ −z). Equals V when
/// i = j.
fn cross(i: &Margins, j: &Margins, input: NoiseInput) -> f64 {
    let (c, d) = (i.c0, j.c0);
    // 1 − cd as a sum of two non-negative terms (|c|, |d| < 1)
    let omcd = if c >= 0.0 {
        i.minus + c * j.minus
    } else {
        i.plus - c * j.plus
    };
    let (m, n, a1) = if i.lower.min(j.lower) <= i.upper.min(j.upper) {
        (i.lower, j.lower, input.previous)
    } else {
        (i.upper, j.upper, -input.previous)
    };
    let a0 = input.current;
    let l = j.minus * m + i.minus * n;
    let num = (a0 - a1) * (a0 - a1) * omcd + a0 * a1 * l;
    let den = omcd * l + d * m * m + c * n * n - (1.0 + c * d) * m * n;
    num / den
}

/// The noise floor (σ²I gradient noise) over a listed spectrum split into positive, flat and
/// saddle directions ([`Spectrum::directions`]): a flat direction runs as λ = 0, a saddle at its λ.
/// Any direction without a stationary variance (a flat one random-walks, a saddle diverges) means
/// no floor, and the report says which and how fast.
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, noise::{NoiseInput, floor_of_directions}};
/// let (a, b) = (0.1, 0.5);
/// let rec = Method::heavy_ball(a, b)?.recurrence();
/// let d = Spectrum::eigenvalues(vec![0.0, 1.0, 2.0])?.directions(1e-12)?;
/// let r = floor_of_directions(&rec, NoiseInput::single_gradient(&rec), &d)?;
/// assert!(!r.is_stationary() && r.random_walk_directions == 1);
/// assert!((r.random_walk_growth_per_step - a * a / ((1.0 - b) * (1.0 - b))).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// λ not finite; an interval whose positive part is unstable ([`Error::NoStationaryState`]), or
/// an interval beside flat or saddle directions that all have a stationary variance (decoupled
/// decay) ([`Error::Unsupported`]: an interval has no number of directions to add them to).
pub fn floor_of_directions(
    rec: &Recurrence,
    input: NoiseInput,
    directions: &crate::spectrum::Directions,
) -> Result<FloorReport> {
    let mut extra = vec![0.0; directions.flat];
    extra.extend(&directions.negative);
    let listed: Vec<f64> = match &directions.positive {
        Some(Spectrum::Eigenvalues(v)) => v.iter().chain(&extra).copied().collect(),
        _ => extra.clone(),
    };
    let ones = vec![1.0; listed.len()];
    let mut report = classify(rec, input, &listed, &ones)?;
    if report.random_walk_directions + report.divergent_directions > 0 {
        return Ok(report);
    }
    report.floor = Some(match &directions.positive {
        Some(s @ Spectrum::Interval { .. }) if extra.is_empty() => floor(rec, input, s)?,
        Some(Spectrum::Interval { .. }) => {
            return Err(Error::Unsupported(
                "a noise floor over an interval and separate flat or saddle directions: give the curvatures as a list".into(),
            ));
        }
        _ => floor(rec, input, &Spectrum::eigenvalues(listed)?)?,
    });
    Ok(report)
}

/// Sort listed curvatures by [`Kind`] (weights wᵢ of the noise reaching each; the random walks'
/// growth summed as Σ wᵢ² g). The floor is left to the caller.
fn classify(
    rec: &Recurrence,
    input: NoiseInput,
    listed: &[f64],
    weights: &[f64],
) -> Result<FloorReport> {
    let mut r = FloorReport {
        floor: None,
        random_walk_directions: 0,
        random_walk_growth_per_step: 0.0,
        divergent_directions: 0,
    };
    for (&l, &w) in listed.iter().zip(weights) {
        finite("lambda", l)?;
        let m = Margins::new(rec, l);
        match m.kind() {
            Kind::Stationary => {}
            Kind::RandomWalk => {
                r.random_walk_directions += 1;
                r.random_walk_growth_per_step += w * w * walk_growth(&m, &m, input);
            }
            Kind::Divergent => r.divergent_directions += 1,
        }
    }
    Ok(r)
}

/// Two random walks (roots 1 and c₀ each) under the same unit noise: E[eᵢeⱼ] grows by
/// (a₀ − a₁)²/((1 − cᵢ)(1 − cⱼ)) per step (the squared sum of each increment's impulse response).
fn walk_growth(i: &Margins, j: &Margins, input: NoiseInput) -> f64 {
    let d = input.current - input.previous;
    d * d / (i.minus * j.minus)
}

/// The Hessian of [`preconditioned_floor`], in the parameters' coordinates.
#[derive(Clone, Copy, Debug)]
pub enum ParameterHessian<'a> {
    /// Its diagonal (a diagonal Hessian).
    Diagonal(&'a [f64]),
    /// The full symmetric matrix.
    Full(&'a DMatrix<f64>),
}

/// The noise floor of Adam, AdamW or RMSprop with the second moment frozen (P = √v + ε per
/// coordinate, [`crate::precondition::preconditioner`]) in the parameters' coordinates x, under
/// σ²I noise on the gradient.
///
/// In y = P^{1/2}x the method is the recurrence on H̃ = P^{-1/2}HP^{-1/2} = UΛUᵀ, and the gradient
/// noise σξ reaches y as σP^{-1/2}ξ. In H̃'s eigenbasis z = Uᵀy the modes are decoupled but their
/// noises are not: their covariance is σ²W, W = UᵀP⁻¹U. Mode i is a linear filter of its own noise
/// sequence, so E\[zᵢzⱼ\] = σ²WᵢⱼKᵢⱼ with Kᵢⱼ the cross-covariance of modes i and j under one common
/// unit noise (Kᵢᵢ = V(λᵢ)), and x = P^{-1/2}Uz gives
///
/// ```text
/// E‖x − x*‖²/σ² = tr(W Σ_z)/σ² = Σᵢⱼ Wᵢⱼ² Kᵢⱼ
/// ```
///
/// — Σᵢ V(hᵢ/Pᵢ)/Pᵢ² for a diagonal Hessian (W = P⁻¹). Exact for both forms, in O(n²) pairs after
/// the O(n³) eigen-decomposition (full). A curvature of H̃ within ±`flat_tolerance` runs as λ = 0.
/// [`Floor::curvatures`] lists each mode's row Σⱼ Wᵢⱼ²Kᵢⱼ of the double sum at its λ̃ᵢ (ascending).
///
/// # Examples
///
/// ```
/// use momentum::{Method, noise::{NoiseInput, ParameterHessian, preconditioned_floor, stationary_variance}};
/// let rec = Method::heavy_ball(0.01, 0.9)?.recurrence();
/// let n = NoiseInput::single_gradient(&rec);
/// // h = (4, 0.02), P = (2, 0.01): both preconditioned curvatures 2, weights 1/P² = 1/4 and 10⁴
/// let r = preconditioned_floor(&rec, n, ParameterHessian::Diagonal(&[4.0, 0.02]), &[2.0, 0.01], 0.0)?;
/// let v = stationary_variance(&rec, n, 2.0)?;
/// assert!((r.floor.unwrap().total.unwrap() - v * (0.25 + 1e4)).abs() < 1e-12 * v * 1e4);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// Lengths that differ, an empty or non-finite input, P not > 0, a full Hessian not square or not
/// symmetric, a negative or non-finite tolerance.
pub fn preconditioned_floor(
    rec: &Recurrence,
    input: NoiseInput,
    hessian: ParameterHessian<'_>,
    p: &[f64],
    flat_tolerance: f64,
) -> Result<FloorReport> {
    finite("flat tolerance", flat_tolerance)?;
    if flat_tolerance < 0.0 {
        return Err(Error::OutOfRange {
            name: "flat tolerance",
            value: flat_tolerance,
            expected: ">= 0",
        });
    }
    if p.is_empty() {
        return Err(Error::EmptySpectrum);
    }
    let n = p.len();
    // (λ̃ᵢ, W) with W = None for the diagonal W = P⁻¹
    let (lams, w): (Vec<f64>, Option<DMatrix<f64>>) = match hessian {
        ParameterHessian::Diagonal(h) => {
            check_preconditioner(p, h.len())?;
            crate::precondition::diagonal(h, p)?; // validation: finite entries
            (h.iter().zip(p).map(|(&h, &d)| h / d).collect(), None)
        }
        ParameterHessian::Full(h) => {
            if h.nrows() != h.ncols() {
                return Err(Error::NotSquare {
                    rows: h.nrows(),
                    cols: h.ncols(),
                });
            }
            check_preconditioner(p, h.nrows())?;
            // validation (square, symmetric, finite) as the spectrum is built
            crate::precondition::full(h, p)?;
            let s: Vec<f64> = p.iter().map(|d| 1.0 / d.sqrt()).collect();
            let scaled = DMatrix::from_fn(n, n, |i, j| s[i] * h[(i, j)] * s[j]);
            // decompose at a power-of-two scale (as Spectrum::from_symmetric_matrix): exact
            let e = scaled.amax().max(f64::MIN_POSITIVE).log2().floor() as i32 + 1;
            let down = 2f64.powi(-e.clamp(-1000, 1000));
            let sym = (&scaled * down + scaled.transpose() * down) * 0.5;
            let eig = sym.symmetric_eigen();
            let lams = eig.eigenvalues.iter().map(|x| x / down).collect();
            // W = BᵀB, B = P^{-1/2}U
            let b = DMatrix::from_fn(n, n, |i, j| s[i] * eig.eigenvectors[(i, j)]);
            (lams, Some(b.transpose() * b))
        }
    };
    let eff: Vec<f64> = lams
        .iter()
        .map(|&l| if l.abs() <= flat_tolerance { 0.0 } else { l })
        .collect();
    let margins: Vec<Margins> = eff.iter().map(|&l| Margins::new(rec, l)).collect();
    let mut report = match &w {
        None => {
            let wd: Vec<f64> = p.iter().map(|d| 1.0 / d).collect();
            classify(rec, input, &eff, &wd)?
        }
        Some(w) => {
            let mut r = classify(rec, input, &eff, &vec![0.0; n])?;
            // the random walks' growth with their cross terms
            let walks: Vec<usize> = (0..n)
                .filter(|&i| margins[i].kind() == Kind::RandomWalk)
                .collect();
            for &i in &walks {
                for &j in &walks {
                    r.random_walk_growth_per_step +=
                        w[(i, j)] * w[(i, j)] * walk_growth(&margins[i], &margins[j], input);
                }
            }
            r
        }
    };
    if report.random_walk_directions + report.divergent_directions > 0 {
        return Ok(report);
    }
    let mut rows = vec![0.0; n];
    for i in 0..n {
        let v = checked_variance(margins[i].variance(input), eff[i])?;
        match &w {
            None => rows[i] = v / p[i] / p[i],
            Some(w) => {
                rows[i] += w[(i, i)] * w[(i, i)] * v;
                for j in i + 1..n {
                    let t = w[(i, j)] * w[(i, j)] * cross(&margins[i], &margins[j], input);
                    rows[i] += t;
                    rows[j] += t;
                }
            }
        }
    }
    let total: f64 = rows.iter().sum();
    if !total.is_finite() {
        return Err(Error::Unsupported(
            "the preconditioned noise floor overflows f64".into(),
        ));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| lams[i].total_cmp(&lams[j]));
    let at = |i: usize| CurvatureVariance {
        lambda: lams[i],
        variance: rows[i],
    };
    let largest = at((0..n)
        .max_by(|&i, &j| rows[i].total_cmp(&rows[j]))
        .unwrap_or(0));
    let curvatures = order
        .iter()
        .enumerate()
        .filter(|&(k, _)| n <= MAX_LISTED || k == 0 || k + 1 == n)
        .map(|(_, &i)| at(i))
        .collect();
    report.floor = Some(Floor {
        total: Some(total),
        mean_per_direction: total / n as f64,
        largest,
        curvatures,
    });
    Ok(report)
}

/// Adaptive Simpson on [a, b] to the relative tolerance of `q`, depth ≤ 40, at most `q.budget`
/// evaluations.
fn simpson(
    f: &impl Fn(f64) -> f64,
    (a, b): (f64, f64),
    (fa, fm, fb): (f64, f64, f64),
    q: Quadrature,
) -> Result<f64> {
    struct Run<'a, F> {
        f: &'a F,
        left: std::cell::Cell<usize>,
    }
    fn rec<F: Fn(f64) -> f64>(
        run: &Run<'_, F>,
        (a, b): (f64, f64),
        (fa, fm, fb): (f64, f64, f64),
        whole: f64,
        tol: f64,
        depth: u32,
    ) -> f64 {
        let m = 0.5 * (a + b);
        let (lm, rm) = (0.5 * (a + m), 0.5 * (m + b));
        let (flm, frm) = ((run.f)(lm), (run.f)(rm));
        run.left.set(run.left.get().saturating_sub(2));
        let left = (m - a) / 6.0 * (fa + 4.0 * flm + fm);
        let right = (b - m) / 6.0 * (fm + 4.0 * frm + fb);
        let delta = left + right - whole;
        if depth == 0 || run.left.get() == 0 || delta.abs() <= 15.0 * tol || !delta.is_finite() {
            return left + right + delta / 15.0;
        }
        rec(run, (a, m), (fa, flm, fm), left, 0.5 * tol, depth - 1)
            + rec(run, (m, b), (fm, frm, fb), right, 0.5 * tol, depth - 1)
    }
    let whole = (b - a) / 6.0 * (fa + 4.0 * fm + fb);
    let run = Run {
        f,
        left: std::cell::Cell::new(q.budget),
    };
    let out = rec(
        &run,
        (a, b),
        (fa, fm, fb),
        whole,
        q.tolerance * whole.abs(),
        40,
    );
    if !out.is_finite() || (q.strict && run.left.get() == 0) {
        return Err(Error::Unsupported(format!(
            "the noise-floor integral over the interval did not converge to a relative {:e} within {} evaluations",
            q.tolerance, q.budget
        )));
    }
    Ok(out)
}

/// The small-step equivalence of heavy ball and SGD as a number: heavy ball's floor at (α, β)
/// divided by gradient descent's at step α/(1 − β), on the same spectrum (→ 1 as α → 0: Yuan,
/// Ying & Sayed 2016; Kidambi et al. 2018). For one curvature it is
/// (1 + β)(2 − h/(1 − β)) / (2(1 + β) − h), h = αλ.
///
/// # Examples
///
/// ```
/// use momentum::{Spectrum, noise::sgd_equivalence_ratio};
/// let s = Spectrum::interval(0.01, 1.0)?;
/// let r = sgd_equivalence_ratio(1e-4, 0.9, &s)?;
/// assert!((r - 1.0).abs() < 1e-3);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// β ≥ 1 or not finite, a step not > 0, or either method unstable on the spectrum.
pub fn sgd_equivalence_ratio(step: f64, momentum: f64, spectrum: &Spectrum) -> Result<f64> {
    positive("step", step)?;
    finite("momentum", momentum)?;
    if momentum >= 1.0 {
        return Err(Error::OutOfRange {
            name: "momentum",
            value: momentum,
            expected: "< 1 (the SGD step alpha/(1 - beta))",
        });
    }
    let hb = Method::heavy_ball(step, momentum)?.recurrence();
    let gd = Method::gradient_descent(step / (1.0 - momentum))?.recurrence();
    let f = |r: &Recurrence| floor(r, NoiseInput::single_gradient(r), spectrum);
    Ok(f(&hb)?.mean_per_direction / f(&gd)?.mean_per_direction)
}

/// The (α, β) of a family that reaches E‖e‖² ≤ ε fastest under gradient noise σ, and the
/// iteration count the model predicts.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NoisyTuning {
    /// The method found.
    pub method: Method,
    /// Its worst-case rate ρ.
    pub rate: f64,
    /// Its floor E‖e‖²/σ² (per direction for an interval, total for eigenvalues).
    pub floor_per_unit_variance: f64,
    /// Predicted iterations N = ln((ε − σ²F)/E₀) / (2 ln ρ).
    pub iterations: f64,
}

/// Grid points of [`fastest_to`] along log α.
pub const FASTEST_STEPS: usize = 60;
/// Grid points of [`fastest_to`] along β.
pub const FASTEST_MOMENTA: usize = 40;

/// The model objective of [`fastest_to`]: iterations until ρ^{2N}E₀ + σ²F ≤ ε, with E₀ = 1 (per
/// direction for an interval, ‖e₀‖² for eigenvalues), F the floor per unit σ²; +∞ where the
/// floor is at or above ε or the method is unstable.
///
/// # Examples
///
/// ```
/// use momentum::{Method, Spectrum, noise::iterations_to_floor};
/// let s = Spectrum::interval(0.1, 1.0)?;
/// let n = iterations_to_floor(&Method::heavy_ball(0.5, 0.3)?, &s, 0.01, 1e-2)?;
/// assert!(n.is_finite() && n > 0.0);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// σ < 0 or ε ≤ 0 or either not finite.
pub fn iterations_to_floor(
    method: &Method,
    spectrum: &Spectrum,
    sigma: f64,
    epsilon: f64,
) -> Result<f64> {
    Ok(evaluate(
        method,
        spectrum,
        check_noise(sigma)?,
        positive("epsilon", epsilon)?,
        true,
    )
    .0)
}

fn check_noise(sigma: f64) -> Result<f64> {
    finite("noise", sigma)?;
    if sigma < 0.0 {
        return Err(Error::OutOfRange {
            name: "noise",
            value: sigma,
            expected: ">= 0 (a standard deviation)",
        });
    }
    Ok(sigma)
}

/// (iterations, rate, floor) of the model objective; iterations +∞ when unreachable.
fn evaluate(
    method: &Method,
    spectrum: &Spectrum,
    sigma: f64,
    epsilon: f64,
    exact: bool,
) -> (f64, f64, f64) {
    let rec = method.recurrence();
    let Ok(w) = spectrum.worst_case(&rec) else {
        return (f64::INFINITY, f64::NAN, f64::NAN);
    };
    let rate = w.spectral_radius();
    if !w.is_stable() {
        return (f64::INFINITY, rate, f64::INFINITY);
    }
    let q = if exact {
        Quadrature::EXACT
    } else {
        Quadrature::SEARCH
    };
    let Ok(fl) = floor_to(&rec, NoiseInput::single_gradient(&rec), spectrum, q) else {
        return (f64::INFINITY, rate, f64::INFINITY);
    };
    let f = fl.total.unwrap_or(fl.mean_per_direction);
    let gap = epsilon - sigma * sigma * f;
    if gap <= 0.0 {
        return (f64::INFINITY, rate, f);
    }
    if gap >= 1.0 {
        return (0.0, rate, f);
    }
    if rate == 0.0 {
        return (1.0, rate, f);
    }
    (gap.ln() / (2.0 * rate.ln()), rate, f)
}

/// The (α, β) of `family` that reach E‖e‖² ≤ ε fastest under σ (model of
/// [`iterations_to_floor`]), by search: a grid over log α from 10⁻⁸/L to 8/L (plus the
/// deterministic minimax tuning's step and that step shrunk by powers of 10) times
/// β = 1 − 10ᵗ, t ∈ [−6, 0] (plus the minimax β; β = 0 only for gradient descent), then
/// alternating golden-section refinements of log α and t within one grid cell of the
/// best point, until neither moves.
///
/// # Examples
///
/// ```
/// use momentum::{Family, Spectrum, noise::fastest_to};
/// let s = Spectrum::interval(0.01, 1.0)?;
/// let t = fastest_to(Family::HeavyBall, &s, 0.1, 1e-3)?;
/// assert!(t.floor_per_unit_variance * 0.01 < 1e-3 && t.iterations.is_finite());
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// σ < 0, ε ≤ 0, a spectrum with λ ≤ 0, or no setting that reaches ε
/// ([`Error::Unsupported`]).
pub fn fastest_to(
    family: Family,
    spectrum: &Spectrum,
    sigma: f64,
    epsilon: f64,
) -> Result<NoisyTuning> {
    let sigma = check_noise(sigma)?;
    let epsilon = positive("epsilon", epsilon)?;
    let (mu, l) = spectrum.bounds();
    positive("smallest curvature", mu)?;
    let det = crate::tune::search::tune(family, &Spectrum::interval(mu, l)?)?;
    let top = (crate::tune::search::MAX_STEP_TIMES_L / l).log10();
    let bottom = (1e-8 / l).log10();
    let obj = |b: f64, la: f64| -> f64 {
        match family.method(10f64.powf(la), b) {
            Ok(m) => evaluate(&m, spectrum, sigma, epsilon, false).0,
            Err(_) => f64::INFINITY,
        }
    };
    let mut las: Vec<f64> = (0..FASTEST_STEPS)
        .map(|i| bottom + (top - bottom) * i as f64 / (FASTEST_STEPS - 1) as f64)
        .collect();
    las.extend((0..8).map(|k| det.method.step().log10() - k as f64));
    las.retain(|x| (bottom..=top).contains(x));
    las.sort_by(f64::total_cmp);
    // β runs over 1 − 10^t, t ∈ [−6, 0]: the optimum crowds towards 1 as the noise falls
    let (tlo, thi) = (-6.0, 0.0);
    let beta = |t: f64| 1.0 - 10f64.powf(t);
    let mut ts: Vec<f64> = if family == Family::GradientDescent {
        vec![0.0]
    } else {
        (0..FASTEST_MOMENTA)
            .map(|j| tlo + (thi - tlo) * j as f64 / (FASTEST_MOMENTA - 1) as f64)
            .chain(
                [(1.0 - det.method.momentum()).log10()]
                    .into_iter()
                    .filter(|t| (tlo..=thi).contains(t)),
            )
            .collect()
    };
    ts.sort_by(f64::total_cmp);
    let mut best = (0.0, las[0], f64::INFINITY);
    for &t in &ts {
        for &la in &las {
            let v = obj(beta(t), la);
            if v < best.2 {
                best = (t, la, v);
            }
        }
    }
    if !best.2.is_finite() {
        return Err(Error::Unsupported(format!(
            "no {} setting reaches E|e|^2 <= {epsilon:e} under noise sigma = {sigma:e}",
            family.name()
        )));
    }
    let dt = (thi - tlo) / (FASTEST_MOMENTA - 1) as f64;
    let dla = (top - bottom) / (FASTEST_STEPS - 1) as f64;
    let (mut t, mut la, mut v) = best;
    for _ in 0..6 {
        let before = v;
        let (x, y) = golden(
            &|x| obj(beta(t), x),
            (la - dla).max(bottom),
            (la + dla).min(top),
            (la, v),
        );
        (la, v) = (x, y);
        if family != Family::GradientDescent {
            let (x, y) = golden(
                &|x| obj(beta(x), la),
                (t - dt).max(tlo),
                (t + dt).min(thi),
                (t, v),
            );
            (t, v) = (x, y);
        }
        if v >= before * (1.0 - 1e-12) {
            break;
        }
    }
    let b = if family == Family::GradientDescent {
        0.0
    } else {
        beta(t)
    };
    let method = family.method(10f64.powf(la), b)?;
    let (n, rate, f) = evaluate(&method, spectrum, sigma, epsilon, true);
    if !n.is_finite() {
        return Err(Error::Unsupported(format!(
            "no {} setting reaches E|e|^2 <= {epsilon:e} under noise sigma = {sigma:e}",
            family.name()
        )));
    }
    Ok(NoisyTuning {
        method,
        rate,
        floor_per_unit_variance: f,
        iterations: n,
    })
}

#[cfg(test)]
mod tests {
    use super::{JuryForm, NoiseInput, Quadrature, closed_mean, simpson, variance_by};
    use crate::method::{Family, Method};

    /// The closed form against the adaptive Simpson quadrature (relative 1e-10) it replaces, over
    /// the rate-vs-floor figure's families and grid corners, lookaheads and QHM's two inputs.
    #[test]
    fn closed_form_floor_matches_the_quadrature() {
        // the floor's own quadrature stops at an estimated relative 1e-10; a tighter one is
        // the reference, so that the comparison measures the closed form's error
        let quadrature = Quadrature {
            closed: false,
            tolerance: 1e-13,
            ..Quadrature::EXACT
        };
        let (mut closed, mut cases, mut worst) = (0, 0, 0.0f64);
        let mut methods = vec![];
        for i in 0..=12 {
            let alpha = 10f64.powf(-5.0 + 5.6 * i as f64 / 12.0);
            for t in [-3.0, -2.0, -1.0, -0.3, 0.0] {
                let beta = 1.0 - 10f64.powf(t);
                for f in [Family::GradientDescent, Family::HeavyBall, Family::Nesterov] {
                    methods.push(f.method(alpha, beta).map(|m| m.recurrence()));
                }
                for g in [-0.3, 0.5, 2.0] {
                    methods.push(Method::general(alpha, beta, g).map(|m| m.recurrence()));
                }
            }
        }
        for rec in methods.into_iter().flatten() {
            let form = JuryForm::new(&rec);
            let inputs = [
                NoiseInput::single_gradient(&rec),
                NoiseInput::two_gradients(&rec),
            ];
            for input in inputs {
                for (a, b) in [(0.01, 1.0), (1e-4, 1.0), (0.5, 0.75), (1.0, 100.0)] {
                    let v = |x: f64| variance_by(&form, &rec, input, x);
                    let (Ok(va), Ok(vb), Ok(vm)) = (v(a), v(b), v(0.5 * (a + b))) else {
                        continue;
                    };
                    let f = |x: f64| v(x).unwrap_or(f64::NAN);
                    let Ok(q) = simpson(&f, (a, b), (va, vm, vb), quadrature) else {
                        continue;
                    };
                    let q = q / (b - a);
                    cases += 1;
                    if let Some(c) = closed_mean(&form, input, (a, b)) {
                        closed += 1;
                        let rel = (c - q).abs() / q;
                        worst = worst.max(rel);
                        assert!(rel <= 1e-10, "{rec:?} {input:?} [{a}, {b}]: {c} vs {q}");
                    }
                }
            }
        }
        // the closed form answers nearly every stable case (the quadrature is the fallback)
        assert!(
            cases > 500 && closed * 10 >= cases * 9,
            "{closed} of {cases}"
        );
        assert!(worst > 0.0, "the two routes differ in rounding somewhere");
    }

    /// Heavy ball on one interval by hand: α²(1 + β)/(1 − β) · ∫ dλ/(αλ(2(1 + β) − αλ)).
    #[test]
    fn closed_form_floor_is_heavy_balls_logarithm() {
        let (alpha, beta, a, b): (f64, f64, f64, f64) = (0.3, 0.6, 0.01, 1.0);
        let rec = Method::heavy_ball(alpha, beta).unwrap().recurrence();
        let form = JuryForm::new(&rec);
        let c = 2.0 * (1.0 + beta) / alpha;
        // 1/(λ(c − λ)) = (1/c)(1/λ + 1/(c − λ))
        let integral = (b / a).ln() / c + ((c - a) / (c - b)).ln() / c;
        let expected =
            alpha * alpha * (1.0 + beta) / (1.0 - beta) / (alpha * alpha) * integral / (b - a);
        let got = closed_mean(&form, NoiseInput::single_gradient(&rec), (a, b)).unwrap();
        assert!(
            (got - expected).abs() <= 1e-14 * expected,
            "{got} vs {expected}"
        );
    }
}
