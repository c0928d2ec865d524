//! Sets of curvatures: an interval [μ, L], a list of eigenvalues, or the eigenvalues of a symmetric
//! Hessian; and the worst case of a method over them.
//!
//! # The endpoint theorem
//!
//! For every affine recurrence c₁(λ) = p₀ − p₁λ, c₀(λ) = q₀ − q₁λ and every set S of curvatures,
//! max_{λ ∈ [min S, max S]} ρ(λ) = max(ρ(min S), ρ(max S)).
//!
//! *Proof.* Fix r > 0. All roots of z² − c₁z + c₀ lie in the open disc |z| < r iff all roots of
//! w² − (c₁/r)w + c₀/r² lie in the unit disc, which by the Jury (Schur–Cohn) test for a real
//! quadratic holds iff |c₀| < r² and |c₁| < r + c₀/r. Written out these are four strict
//! inequalities, −r² < c₀ < r², ±c₁ < r + c₀/r, and each is affine in λ because c₀ and c₁ are. The
//! set {λ : ρ(λ) < r} is therefore an intersection of four open half-lines: an interval. So ρ is
//! quasi-convex. If some λ* strictly inside [μ, L] had ρ(λ*) > max(ρ(μ), ρ(L)), pick r strictly
//! between: μ and L lie in the interval {ρ < r}, hence so does λ*, a contradiction. ∎
//!
//! A worst case over any spectrum thus costs two 2×2 root problems, whatever the dimension. The
//! theorem is about the asymptotic rate; finite-horizon worst cases (max |P_N(λ)|) are not at the
//! endpoints in general.
//!
//! # Negative curvatures
//!
//! Curvatures below zero (saddle directions) are allowed when given. There ρ ≥ 1 is the rate at
//! which the iterates *leave* the saddle along that eigenvector — the behaviour one wants — so
//! "unstable" there means "escapes", not "diverges from a minimum".

use crate::error::{Error, Result, condition_number, finite};
use crate::method::Method;
use crate::mode::Mode;
use crate::recurrence::Recurrence;
use nalgebra::DMatrix;
use std::fmt;

/// Relative asymmetry max|H − Hᵀ| / max|H| above which a matrix is rejected as non-symmetric.
///
/// 1e-6 accepts Hessians assembled in float32 (ε₃₂ ≈ 1.2e-7, so a few roundings of asymmetry)
/// and by finite differences of good accuracy, and rejects matrices that are genuinely not
/// symmetric. Accepted matrices are symmetrised as (H + Hᵀ)/2 before their eigenvalues are taken.
pub const SYMMETRY_TOLERANCE: f64 = 1e-6;

/// A set of curvatures (Hessian eigenvalues).
#[derive(Clone, Debug, PartialEq)]
pub enum Spectrum {
    /// Every curvature in [μ, L].
    Interval {
        /// Smallest curvature μ.
        mu: f64,
        /// Largest curvature L.
        l: f64,
    },
    /// Exactly these curvatures, sorted ascending.
    Eigenvalues(Vec<f64>),
}

impl Spectrum {
    /// The interval [μ, L]; μ ≤ L, both finite. μ ≤ 0 is allowed (convex, or saddle directions).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Spectrum;
    /// let s = Spectrum::interval(0.01, 1.0)?;
    /// assert_eq!(s.bounds(), (0.01, 1.0));
    /// assert_eq!(s.condition_number(), Some(100.0));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFinite`] for NaN or ±∞, [`Error::EmptyInterval`] when μ > L.
    pub fn interval(mu: f64, l: f64) -> Result<Self> {
        finite("mu", mu)?;
        finite("L", l)?;
        if mu > l {
            return Err(Error::EmptyInterval { mu, l });
        }
        Ok(Spectrum::Interval { mu, l })
    }

    /// A list of eigenvalues (at least one, all finite); kept sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = momentum::Spectrum::eigenvalues(vec![3.0, 1.0, 2.0])?;
    /// assert_eq!(s.bounds(), (1.0, 3.0));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An empty list ([`Error::EmptySpectrum`]) or a value that is not finite.
    pub fn eigenvalues(values: impl Into<Vec<f64>>) -> Result<Self> {
        let mut v: Vec<f64> = values.into();
        if v.is_empty() {
            return Err(Error::EmptySpectrum);
        }
        for &x in &v {
            finite("eigenvalue", x)?;
        }
        v.sort_by(f64::total_cmp);
        Ok(Spectrum::Eigenvalues(v))
    }

    /// The eigenvalues of a symmetric matrix (symmetric within [`SYMMETRY_TOLERANCE`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use nalgebra::DMatrix;
    /// let h = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
    /// let s = momentum::Spectrum::from_symmetric_matrix(&h)?;
    /// let (lo, hi) = s.bounds();
    /// assert!((lo - 1.0).abs() < 1e-15 && (hi - 3.0).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Not square ([`Error::NotSquare`]), empty, an entry that is not finite, or not symmetric
    /// within [`SYMMETRY_TOLERANCE`] ([`Error::NotSymmetric`]).
    pub fn from_symmetric_matrix(h: &DMatrix<f64>) -> Result<Self> {
        let (rows, cols) = h.shape();
        if rows != cols {
            return Err(Error::NotSquare { rows, cols });
        }
        if rows == 0 {
            return Err(Error::EmptySpectrum);
        }
        for &x in h.iter() {
            finite("Hessian entry", x)?;
        }
        let scale = h.amax();
        let tolerance = SYMMETRY_TOLERANCE * scale;
        let worst = worst_asymmetry(h);
        if worst.0 > tolerance {
            return Err(Error::NotSymmetric {
                row: worst.1,
                col: worst.2,
                asymmetry: worst.0,
                tolerance,
            });
        }
        if scale == 0.0 {
            return Self::eigenvalues(vec![0.0; rows]);
        }
        // decompose H/2^e with max |entry| in [½, 1) and scale back: both exact (powers of two),
        // and neither (H + Hᵀ)/2 nor the solver's sums of squares can overflow or underflow
        let e = scale.log2().floor() as i32 + 1;
        let down = 2f64.powi(-e.clamp(-1000, 1000));
        let up = 1.0 / down;
        let eig: Vec<f64> = scaled_symmetric_eigenvalues(h, down)
            .into_iter()
            .map(|x| x * up)
            .collect();
        Self::eigenvalues(eig)
    }

    /// The interval [1/κ, 1] of condition number κ = L/μ with L = 1: rates and tunings depend on
    /// κ alone, and steps scale as 1/L.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = momentum::Spectrum::from_condition_number(100.0)?;
    /// assert_eq!(s.bounds(), (0.01, 1.0));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFinite`] for NaN or ±∞, [`Error::OutOfRange`] for κ < 1.
    pub fn from_condition_number(kappa: f64) -> Result<Self> {
        Self::interval(1.0 / condition_number(kappa)?, 1.0)
    }

    /// (smallest, largest) curvature.
    pub fn bounds(&self) -> (f64, f64) {
        match self {
            Spectrum::Interval { mu, l } => (*mu, *l),
            Spectrum::Eigenvalues(v) => (v[0], v[v.len() - 1]),
        }
    }

    /// L / μ when μ > 0.
    pub fn condition_number(&self) -> Option<f64> {
        let (mu, l) = self.bounds();
        (mu > 0.0).then(|| l / mu)
    }

    /// The curvatures worth listing: the two ends of an interval, or every eigenvalue.
    pub fn listed(&self) -> Vec<f64> {
        match self {
            Spectrum::Interval { mu, l } => vec![*mu, *l],
            Spectrum::Eigenvalues(v) => v.clone(),
        }
    }

    /// The worst case of a recurrence over this spectrum, by the endpoint theorem (module docs).
    ///
    /// # Errors
    ///
    /// [`Error::CoefficientOverflow`] when the coefficients at an endpoint overflow f64.
    pub fn worst_case(&self, rec: &Recurrence) -> Result<WorstCase> {
        let (lo, hi) = self.bounds();
        let at_lo = rec.mode(lo)?;
        let at_hi = rec.mode(hi)?;
        Ok(WorstCase { at_lo, at_hi })
    }
}

/// The matrix size from which [`scaled_symmetric_eigenvalues`] takes the blocked solver.
#[cfg(feature = "dense")]
const BLOCKED_FROM: usize = 128;

#[cfg(feature = "dense")]
mod tridiagonal;

/// The eigenvalues of the symmetric part (H·d + Hᵀ·d)/2 of a square, finite `h`, for a power of
/// two `d` that brings its entries into [−1, 1]: under the feature `dense` and from n =
/// [`BLOCKED_FROM`], a blocked Householder tridiagonalisation (its rank-2k updates by faer's
/// matrix product, on the rayon pool under `dense-parallel`; through a band, in two stages, for
/// large matrices) and implicit QL
/// (`spectrum/tridiagonal.rs`); nalgebra's solver below that size, without the feature, or should
/// the QL iteration not converge. Both are backward stable: each eigenvalue is within a small
/// multiple of n·ε·max|λ| of the exact one (docs/DESIGN.md, "Dense spectra"). Below
/// [`BLOCKED_FROM`] (where speed does not matter) nalgebra's scalar code gives the same bits on
/// every target, so wasm and the CLI agree exactly there; the blocked solver vectorises to each
/// target's width, and its last bits follow.
#[cfg(feature = "dense")]
fn scaled_symmetric_eigenvalues(h: &DMatrix<f64>, down: f64) -> Vec<f64> {
    let n = h.nrows();
    if n < BLOCKED_FROM {
        return nalgebra_symmetric_eigenvalues(h, down);
    }
    // the lower triangle, column-major; each entry is nalgebra's (h·d + hᵀ·d)·½ to the bit,
    // written tile by tile so that the transposed reads stay in cache
    let mut sym = vec![0.0; n * n];
    for (j0, i0) in lower_tiles(n) {
        for j in j0..(j0 + TILE).min(n) {
            let col = &mut sym[j * n..(j + 1) * n];
            for i in i0.max(j)..(i0 + TILE).min(n) {
                col[i] = (h[(i, j)] * down + h[(j, i)] * down) * 0.5;
            }
        }
    }
    // threads pay from a few hundred rows on; below, the pool's start-up costs more than it saves
    #[cfg(feature = "dense-parallel")]
    let par = if n >= 256 && rayon::current_num_threads() > 1 {
        faer::Par::rayon(0)
    } else {
        faer::Par::Seq
    };
    #[cfg(not(feature = "dense-parallel"))]
    let par = faer::Par::Seq;
    tridiagonal::eigenvalues(&mut sym, n, par)
        .unwrap_or_else(|| nalgebra_symmetric_eigenvalues(h, down))
}

/// The side of the square tiles the O(n²) passes over a matrix and its transpose walk: 64 × 64
/// f64 (32 KiB) of each stay in cache while the transposed one is read across its columns.
const TILE: usize = 64;

/// The top-left corners (column, row) of the tiles covering the lower triangle of an n × n
/// matrix (diagonal tiles included), column of tiles by column of tiles.
fn lower_tiles(n: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..n)
        .step_by(TILE)
        .flat_map(move |j0| (j0..n).step_by(TILE).map(move |i0| (j0, i0)))
}

/// (max over i < j of |h_ij − h_ji|, i, j): the first (i, j) in row-major order among the
/// maxima, (0, 0, 0) for a symmetric matrix. Walked tile by tile (cache-friendly on both h and
/// hᵀ), the tie broken by the smaller (i, j), which is what a row-major scan finds first.
fn worst_asymmetry(h: &DMatrix<f64>) -> (f64, usize, usize) {
    let n = h.nrows();
    let mut worst = (0.0, 0, 0);
    for (j0, i0) in lower_tiles(n) {
        // the lower tile at rows i0.., columns j0.. pairs with the upper one at rows j0..,
        // columns i0..: entry (r, c) below the diagonal is the pair (i, j) = (c, r), i < j
        for c in j0..(j0 + TILE).min(n) {
            for r in i0.max(c + 1)..(i0 + TILE).min(n) {
                let a = (h[(c, r)] - h[(r, c)]).abs();
                if a > worst.0 || (a == worst.0 && a > 0.0 && (c, r) < (worst.1, worst.2)) {
                    worst = (a, c, r);
                }
            }
        }
    }
    worst
}

/// [`scaled_symmetric_eigenvalues`] without the feature `dense`: nalgebra's solver.
#[cfg(not(feature = "dense"))]
fn scaled_symmetric_eigenvalues(h: &DMatrix<f64>, down: f64) -> Vec<f64> {
    nalgebra_symmetric_eigenvalues(h, down)
}

/// The eigenvalues of (H·d + Hᵀ·d)/2 by nalgebra's symmetric QR (Householder tridiagonalisation
/// and implicit shifted QR, unblocked): the route without `dense`, and the independent one the
/// tests compare the blocked solver with.
fn nalgebra_symmetric_eigenvalues(h: &DMatrix<f64>, down: f64) -> Vec<f64> {
    let sym = (h * down + h.transpose() * down) * 0.5;
    sym.symmetric_eigenvalues().iter().copied().collect()
}

/// The two endpoint modes of a spectrum, and which of them is worst.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorstCase {
    /// Mode at the smallest curvature.
    pub at_lo: Mode,
    /// Mode at the largest curvature.
    pub at_hi: Mode,
}

impl WorstCase {
    /// The worse endpoint mode (the larger spectral radius; the largest curvature on a tie).
    pub fn worst(&self) -> &Mode {
        if self.at_lo.spectral_radius() > self.at_hi.spectral_radius() {
            &self.at_lo
        } else {
            &self.at_hi
        }
    }
    /// max over the spectrum of ρ(λ).
    pub fn spectral_radius(&self) -> f64 {
        self.worst().spectral_radius()
    }
    /// Stable at every curvature of the spectrum: at both ends (the stable set is an interval),
    /// each decided exactly by [`Mode::is_stable`].
    pub fn is_stable(&self) -> bool {
        self.at_lo.is_stable() && self.at_hi.is_stable()
    }
}

/// A listed spectrum's curvatures sorted by what a method does along them: above `tolerance` a
/// curvature the method converges (or diverges) on, within ±`tolerance` a flat direction (ρ = 1
/// for every method: neither progress nor growth, e.g. a Hessian's null space that an
/// eigensolver returns as ±3e-15), below −`tolerance` a saddle direction that the iterates leave.
#[derive(Clone, Debug, PartialEq)]
pub struct Directions {
    /// The curvatures above the tolerance, `None` when there are none.
    pub positive: Option<Spectrum>,
    /// How many curvatures are flat, |λ| ≤ tolerance.
    pub flat: usize,
    /// The saddle curvatures λ < −tolerance, ascending.
    pub negative: Vec<f64>,
    /// The tolerance used.
    pub tolerance: f64,
}

/// The precision the numbers of a spectrum were stored in: its unit roundoff ε sets the default
/// flat tolerance n·ε·max|λ| (a float32 Hessian's null space comes back as ±1e-5, not ±1e-14).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Precision {
    /// IEEE half precision (NumPy `float16`), ε = 2⁻¹⁰.
    Float16,
    /// IEEE single precision (NumPy `float32`, PyTorch's default), ε = 2⁻²³.
    Float32,
    /// IEEE double precision, ε = 2⁻⁵²: typed numbers, text and JSON files, integers.
    #[default]
    Float64,
}

impl Precision {
    /// The machine epsilon of the type: 2⁻¹⁰, 2⁻²³ or 2⁻⁵².
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Precision;
    /// assert_eq!(Precision::Float32.epsilon(), f32::EPSILON as f64);
    /// assert_eq!(Precision::Float64.epsilon(), f64::EPSILON);
    /// ```
    pub fn epsilon(self) -> f64 {
        match self {
            Precision::Float16 => 2f64.powi(-10),
            Precision::Float32 => f64::from(f32::EPSILON),
            Precision::Float64 => f64::EPSILON,
        }
    }

    /// NumPy's name of the type: `float16`, `float32`, `float64`.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Float16 => "float16",
            Precision::Float32 => "float32",
            Precision::Float64 => "float64",
        }
    }
}

impl Spectrum {
    /// The default flat tolerance n·ε·max|λ| for n listed eigenvalues (n = 1 for an interval),
    /// with f64's ε: [`Spectrum::flat_tolerance`] at [`Precision::Float64`].
    pub fn default_flat_tolerance(&self) -> f64 {
        self.flat_tolerance(Precision::Float64)
    }

    /// The flat tolerance n·ε·max|λ| for numbers stored at `precision` (ε its machine epsilon):
    /// the rounding an eigensolver leaves on an exact zero eigenvalue, as NumPy's `matrix_rank`
    /// reckons it.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Precision, Spectrum};
    /// let s = Spectrum::eigenvalues(vec![-1e-5, 1e-6, 1.0, 32.0])?;
    /// assert_eq!(s.flat_tolerance(Precision::Float64), 4.0 * f64::EPSILON * 32.0);
    /// // float32 round-off on a null space is about 1e-5 here: flat, not a saddle
    /// assert_eq!(s.directions(s.flat_tolerance(Precision::Float32))?.flat, 2);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn flat_tolerance(&self, precision: Precision) -> f64 {
        let (lo, hi) = self.bounds();
        let n = match self {
            Spectrum::Interval { .. } => 1,
            Spectrum::Eigenvalues(v) => v.len(),
        };
        n as f64 * precision.epsilon() * lo.abs().max(hi.abs())
    }

    /// Sort the curvatures into positive, flat (|λ| ≤ `tolerance`) and negative ones. An
    /// interval is kept whole when μ > `tolerance`; otherwise its part above the tolerance is the
    /// positive part, and it counts one flat direction when it reaches [−tol, tol] and keeps μ as
    /// its one negative curvature when μ < −tol. [`Spectrum::directions_seen`] with no shift.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Spectrum;
    /// // eigvalsh of a Hessian with a two-dimensional null space
    /// let s = Spectrum::eigenvalues(vec![-3e-15, 2e-15, -0.5, 0.25, 4.0, 30.0])?;
    /// let d = s.directions(s.default_flat_tolerance())?;
    /// assert_eq!(d.flat, 2);
    /// assert_eq!(d.negative, vec![-0.5]);
    /// assert_eq!(d.positive.unwrap().bounds(), (0.25, 30.0));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A tolerance that is negative or not finite.
    pub fn directions(&self, tolerance: f64) -> Result<Directions> {
        self.directions_seen(tolerance, 0.0)
    }

    /// Sort the curvatures by the curvature the optimizer sees, λ + `shift` (coupled weight decay
    /// w: shift = w): positive when λ + shift > tolerance, flat when |λ + shift| ≤ tolerance,
    /// negative (a saddle) below −tolerance. The parts keep the raw λ, on which a converted
    /// recurrence is written.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Spectrum;
    /// // a data-only Hessian with a slightly negative eigenvalue, under weight decay 1e-3:
    /// // the optimizer sees +5e-4 there, a curvature it converges on
    /// let s = Spectrum::eigenvalues(vec![-5e-4, 1.0])?;
    /// let d = s.directions_seen(s.default_flat_tolerance(), 1e-3)?;
    /// assert_eq!((d.flat, d.negative.len()), (0, 0));
    /// assert_eq!(d.positive.unwrap().listed(), vec![-5e-4, 1.0]);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A tolerance that is negative or not finite, a shift that is not finite.
    pub fn directions_seen(&self, tolerance: f64, shift: f64) -> Result<Directions> {
        finite("flat tolerance", tolerance)?;
        finite("curvature shift", shift)?;
        if tolerance < 0.0 {
            return Err(Error::OutOfRange {
                name: "flat tolerance",
                value: tolerance,
                expected: ">= 0",
            });
        }
        let seen = |x: f64| x + shift;
        Ok(match self {
            Spectrum::Interval { mu, l } => {
                let (mu, l) = (*mu, *l);
                Directions {
                    positive: if seen(mu) > tolerance {
                        Some(self.clone())
                    } else if seen(l) > tolerance {
                        Some(Spectrum::Interval {
                            mu: (tolerance - shift).min(l),
                            l,
                        })
                    } else {
                        None
                    },
                    flat: usize::from(seen(mu) <= tolerance && seen(l) >= -tolerance),
                    negative: if seen(mu) < -tolerance {
                        vec![mu]
                    } else {
                        vec![]
                    },
                    tolerance,
                }
            }
            Spectrum::Eigenvalues(v) => {
                let positive: Vec<f64> =
                    v.iter().copied().filter(|&x| seen(x) > tolerance).collect();
                Directions {
                    positive: (!positive.is_empty()).then_some(Spectrum::Eigenvalues(positive)),
                    flat: v.iter().filter(|&&x| seen(x).abs() <= tolerance).count(),
                    negative: v
                        .iter()
                        .copied()
                        .filter(|&x| seen(x) < -tolerance)
                        .collect(),
                    tolerance,
                }
            }
        })
    }
}

impl fmt::Display for Spectrum {
    /// `[0.01, 1]` for an interval, `3 eigenvalues in [0.5, 4]` for a list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spectrum::Interval { mu, l } => write!(f, "[{mu}, {l}]"),
            Spectrum::Eigenvalues(v) => {
                let (lo, hi) = self.bounds();
                write!(f, "{} eigenvalues in [{lo}, {hi}]", v.len())
            }
        }
    }
}

impl fmt::Display for WorstCase {
    /// `rho = 0.948683 at lambda = 30 (underdamped): stable`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.worst();
        write!(
            f,
            "rho = {} at lambda = {} ({}): {}",
            w.spectral_radius(),
            w.lambda(),
            w.regime().as_str(),
            if self.is_stable() {
                "stable"
            } else {
                "unstable"
            }
        )
    }
}

impl Method {
    /// The worst case of this method over a spectrum: the larger spectral radius of the two
    /// endpoint modes (the endpoint theorem, module docs).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, Spectrum};
    /// // PyTorch's lr = 0.1, momentum = 0.9 against a top Hessian eigenvalue of 30
    /// let w = Method::heavy_ball(0.1, 0.9)?.worst_case(&Spectrum::interval(1.0, 30.0)?)?;
    /// assert!(w.is_stable(), "{w}");
    /// assert!((w.spectral_radius() - 0.9f64.sqrt()).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::CoefficientOverflow`] when the coefficients at an endpoint overflow f64.
    pub fn worst_case(&self, spectrum: &Spectrum) -> Result<WorstCase> {
        spectrum.worst_case(&self.recurrence())
    }
}
