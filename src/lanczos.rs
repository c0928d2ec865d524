//! Extreme eigenvalues and spectral densities of a symmetric operator known only through its
//! products v ↦ H·v: symmetric Lanczos with full reorthogonalisation, thick restarts and
//! locking, and stochastic Lanczos quadrature.
//!
//! A network's Hessian is never formed: automatic differentiation gives H·v at the cost of about
//! two gradients. [`extremes`] turns those products into the k largest (or smallest)
//! eigenvalues, each with the residual bound that certifies it; [`density`] into a spectral
//! density whose moments are the traces of the powers of H.
//!
//! # The iteration
//!
//! Lanczos builds an orthonormal basis Q of the Krylov space span{q, Hq, H²q, …} of a seeded
//! random start q, and the projection T = QᵀHQ. Every new vector is orthogonalised against the
//! whole basis twice ("full reorthogonalisation"), so Q stays orthonormal to rounding and no
//! spurious copies of converged eigenvalues appear. With θ, s an eigenpair of T, the Ritz pair
//! (θ, y = Qs) satisfies
//!
//! ```text
//! H·y − θ·y = β·(eᵀs)·q₊          so   ‖H·y − θ·y‖ = |β·s_last| =: r,
//! ```
//!
//! q₊ the next basis vector, β its coefficient; and for symmetric H some eigenvalue lies within
//! r of θ. A wanted Ritz value is converged when r ≤ `tol`·‖T‖ (‖T‖ = max |θ| ≤ ‖H‖), and that
//! claim is then checked with one more product per wanted vector: the residuals reported are
//! ‖H·y − θ·y‖ computed, not the recurrence's estimate (which rounding can make optimistic after
//! many restarts). When the
//! basis reaches `max_dim` vectors it is restarted thickly (Wu & Simon 2000): the best Ritz
//! vectors are kept, T becomes their diagonal with the couplings β·s_last, and the iteration
//! continues from q₊ — the same relation, a bounded memory of (`max_dim` + k)·n numbers.
//!
//! # Repeated eigenvalues
//!
//! A Krylov space of one start vector holds one direction of each eigenspace: a double
//! eigenvalue is seen once. After the wanted Ritz values converge, [`extremes`] locks their
//! vectors and runs again from a fresh random start orthogonal to them; if that run finds a
//! value beyond the k-th one found so far (a second copy), it is locked too, and the check
//! repeats until the run in the orthogonal complement finds nothing better. The answer is then
//! the k extreme eigenvalues with their multiplicities (with probability one over the seeded
//! starts; `check_multiplicity: false` skips the check and its cost).
//!
//! # Stochastic Lanczos quadrature
//!
//! For a unit probe v, m Lanczos steps give the m-node Gauss quadrature of the measure
//! Σᵢ (vᵀuᵢ)² δ(λ − λᵢ): nodes θⱼ (the Ritz values) and weights τⱼ = (e₁ᵀsⱼ)², exact for every
//! polynomial of degree ≤ 2m − 1. For Rademacher probes (entries ±1/√n) E[vᵀH^j v] = tr(H^j)/n,
//! so the nodes and weights averaged over probes estimate the spectral density
//! φ(λ) = (1/n)·Σᵢ δ(λ − λᵢ) (Ghorbani, Krishnan & Xiao 2019; Yao et al. 2020, PyHessian).
//!
//! # Examples
//!
//! ```
//! use momentum::lanczos::{self, Options, Which};
//! use nalgebra::DMatrix;
//!
//! // eigenvalues 1, 2, …, 200 in the standard basis
//! let mut h = DMatrix::from_diagonal(&nalgebra::DVector::from_fn(200, |i, _| (i + 1) as f64));
//! let top = lanczos::extremes(&mut h, &Options { k: 3, ..Options::default() })?;
//! assert!(top.converged);
//! for (got, want) in top.values.iter().zip([200.0, 199.0, 198.0]) {
//!     assert!((got - want).abs() < 1e-8);
//! }
//! let low = lanczos::extremes(&mut h, &Options { which: Which::Smallest, ..Options::default() })?;
//! assert!((low.values[0] - 1.0).abs() < 1e-8);
//! # Ok::<(), momentum::Error>(())
//! ```

use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVectorView, DVectorViewMut};

/// A symmetric linear operator known through its products: y = H·v.
///
/// Implemented for [`DMatrix<f64>`] (checked square, finite and symmetric by [`Operator::check`]),
/// for closures through [`from_fn`] and [`try_from_fn`], and for `&mut O`.
///
/// # Examples
///
/// ```
/// use momentum::lanczos::{Operator, from_fn};
/// // H = diag(1, 2, 3) as a closure
/// let mut h = from_fn(3, |v: &[f64], out: &mut [f64]| {
///     for i in 0..3 { out[i] = (i + 1) as f64 * v[i] }
/// });
/// let mut out = [0.0; 3];
/// h.apply(&[1.0, 1.0, 1.0], &mut out)?;
/// assert_eq!((h.dim(), out), (3, [1.0, 2.0, 3.0]));
/// # Ok::<(), momentum::Error>(())
/// ```
pub trait Operator {
    /// The dimension n: H is n × n.
    fn dim(&self) -> usize;

    /// Writes H·v into `out` (both of length [`Operator::dim`]).
    ///
    /// # Errors
    ///
    /// Whatever the operator reports (a failed Hessian-vector product, a wrong length).
    fn apply(&mut self, v: &[f64], out: &mut [f64]) -> Result<()>;

    /// A check made once before an iteration starts; the default checks nothing.
    ///
    /// # Errors
    ///
    /// An operator that cannot be used (for a matrix: not square, not finite, not symmetric).
    fn check(&self) -> Result<()> {
        Ok(())
    }
}

impl<O: Operator + ?Sized> Operator for &mut O {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn apply(&mut self, v: &[f64], out: &mut [f64]) -> Result<()> {
        (**self).apply(v, out)
    }
    fn check(&self) -> Result<()> {
        (**self).check()
    }
}

impl Operator for DMatrix<f64> {
    fn dim(&self) -> usize {
        self.nrows()
    }

    fn apply(&mut self, v: &[f64], out: &mut [f64]) -> Result<()> {
        let n = self.nrows();
        if self.ncols() != n {
            return Err(Error::NotSquare {
                rows: n,
                cols: self.ncols(),
            });
        }
        lengths(n, v, out)?;
        let v = DVectorView::from_slice(v, n);
        let mut y = DVectorViewMut::from_slice(out, n);
        y.gemv(1.0, self, &v, 0.0);
        Ok(())
    }

    /// Square, finite and symmetric within [`crate::spectrum::SYMMETRY_TOLERANCE`] (as
    /// [`crate::Spectrum::from_symmetric_matrix`] requires).
    fn check(&self) -> Result<()> {
        let (rows, cols) = self.shape();
        if rows != cols {
            return Err(Error::NotSquare { rows, cols });
        }
        for &x in self.iter() {
            crate::error::finite("Hessian entry", x)?;
        }
        let tolerance = crate::spectrum::SYMMETRY_TOLERANCE * self.amax();
        for i in 0..rows {
            for j in (i + 1)..cols {
                let asymmetry = (self[(i, j)] - self[(j, i)]).abs();
                if asymmetry > tolerance {
                    return Err(Error::NotSymmetric {
                        row: i,
                        col: j,
                        asymmetry,
                        tolerance,
                    });
                }
            }
        }
        Ok(())
    }
}

fn lengths(n: usize, v: &[f64], out: &[f64]) -> Result<()> {
    if v.len() != n || out.len() != n {
        return Err(Error::Usage(format!(
            "H·v of an operator of dimension {n} needs vectors of length {n}, got {} and {}",
            v.len(),
            out.len()
        )));
    }
    Ok(())
}

/// An operator of dimension `dim` whose product is an infallible closure `f(v, out)`.
///
/// # Examples
///
/// ```
/// use momentum::lanczos::{self, Options};
/// // the path graph's Laplacian tridiag(−1, 2, −1) on 50 nodes: λ_max = 2 + 2cos(π/51)
/// let n = 50;
/// let mut h = lanczos::from_fn(n, move |v: &[f64], out: &mut [f64]| {
///     for i in 0..n {
///         out[i] = 2.0 * v[i] - if i > 0 { v[i - 1] } else { 0.0 } - if i + 1 < n { v[i + 1] } else { 0.0 };
///     }
/// });
/// let top = lanczos::extremes(&mut h, &Options::default())?;
/// let exact = 2.0 + 2.0 * (std::f64::consts::PI / 51.0).cos();
/// assert!((top.values[0] - exact).abs() < 1e-9);
/// # Ok::<(), momentum::Error>(())
/// ```
pub fn from_fn<F: FnMut(&[f64], &mut [f64])>(dim: usize, f: F) -> FromFn<F> {
    FromFn { dim, f }
}

/// An operator of dimension `dim` whose product is a fallible closure `f(v, out) -> Result<()>`
/// (an error stops the iteration and is returned as is).
///
/// # Examples
///
/// ```
/// use momentum::{Error, lanczos::{self, Options}};
/// let mut failing = lanczos::try_from_fn(4, |_: &[f64], _: &mut [f64]| {
///     Err(Error::Unsupported("no Hessian today".into()))
/// });
/// let err = lanczos::extremes(&mut failing, &Options::default()).unwrap_err();
/// assert_eq!(err.to_string(), "no Hessian today");
/// ```
pub fn try_from_fn<F: FnMut(&[f64], &mut [f64]) -> Result<()>>(dim: usize, f: F) -> TryFromFn<F> {
    TryFromFn { dim, f }
}

/// A closure as an [`Operator`] ([`from_fn`]).
#[derive(Clone, Debug)]
pub struct FromFn<F> {
    dim: usize,
    f: F,
}

impl<F: FnMut(&[f64], &mut [f64])> Operator for FromFn<F> {
    fn dim(&self) -> usize {
        self.dim
    }
    fn apply(&mut self, v: &[f64], out: &mut [f64]) -> Result<()> {
        lengths(self.dim, v, out)?;
        (self.f)(v, out);
        Ok(())
    }
}

/// A fallible closure as an [`Operator`] ([`try_from_fn`]).
#[derive(Clone, Debug)]
pub struct TryFromFn<F> {
    dim: usize,
    f: F,
}

impl<F: FnMut(&[f64], &mut [f64]) -> Result<()>> Operator for TryFromFn<F> {
    fn dim(&self) -> usize {
        self.dim
    }
    fn apply(&mut self, v: &[f64], out: &mut [f64]) -> Result<()> {
        lengths(self.dim, v, out)?;
        (self.f)(v, out)
    }
}

/// Which end of the spectrum [`extremes`] looks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Which {
    /// The k largest (most positive) eigenvalues, reported in descending order.
    #[default]
    Largest,
    /// The k smallest (most negative) eigenvalues, reported in ascending order.
    Smallest,
}

/// The smallest `tol` [`extremes`] accepts: below it the residual of a Ritz pair can stall at
/// the rounding level of the products and the iteration never converges.
pub const MIN_TOL: f64 = 1e-14;

/// Settings of [`extremes`].
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// How many eigenvalues (1 ≤ k ≤ n) [default: 1].
    pub k: usize,
    /// Largest or smallest [default: largest].
    pub which: Which,
    /// A Ritz value θ is converged when its residual ‖H·y − θ·y‖ ≤ `tol`·max|θ|; then an
    /// eigenvalue of H lies within that residual of θ. In [[`MIN_TOL`], 1) [default: 1e-8].
    pub tol: f64,
    /// Basis vectors before a thick restart [default: 4k + 60, at most n]. Memory is about
    /// (`max_dim` + k)·n numbers; a basis much smaller than the number of eigenvalues crowding
    /// the wanted end can make restarts stall (then `converged` is false, never a wrong claim).
    pub max_dim: Option<usize>,
    /// Products H·v allowed in all (the runs of the multiplicity check and the residual checks
    /// included) [default: 20000].
    pub max_matvecs: usize,
    /// Seed of the random start vectors (SplitMix64; the same seed, the same products)
    /// [default: 0].
    pub seed: u64,
    /// After convergence, look for further copies of the eigenvalues found in the orthogonal
    /// complement of their vectors (module docs); costs at least one more converged run
    /// [default: true].
    pub check_multiplicity: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            k: 1,
            which: Which::Largest,
            tol: 1e-8,
            max_dim: None,
            max_matvecs: 20_000,
            seed: 0,
            check_multiplicity: true,
        }
    }
}

/// What [`extremes`] found.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Extremes {
    /// The k eigenvalues: descending for [`Which::Largest`], ascending for [`Which::Smallest`].
    pub values: Vec<f64>,
    /// ‖H·yᵢ − θᵢ·yᵢ‖ for each value: an eigenvalue of H lies within it.
    pub residuals: Vec<f64>,
    /// The Ritz vectors yᵢ (unit length), one per value.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub vectors: Vec<Vec<f64>>,
    /// Every value met `tol` (false: the budget `max_matvecs` ran out first; the values are the
    /// best Ritz values then, and `residuals` say how far they can be off).
    pub converged: bool,
    /// max |θ| over the Ritz values seen: the scale `tol` is relative to (≤ ‖H‖).
    pub scale: f64,
    /// Products H·v used.
    pub matvecs: usize,
    /// Thick restarts made.
    pub restarts: usize,
    /// Runs made: 1 plus those of the multiplicity check.
    pub runs: usize,
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, so the start vectors do not
/// depend on a feature or on a crate's version.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit(), self.unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// Removes from `w` its components along `basis` (classical Gram–Schmidt), returning them.
fn project_out(basis: &[Vec<f64>], w: &mut [f64]) -> Vec<f64> {
    let h: Vec<f64> = basis.iter().map(|q| dot(q, w)).collect();
    for (q, &c) in basis.iter().zip(&h) {
        axpy(-c, q, w);
    }
    h
}

/// A unit Gaussian vector orthogonal to `a` and `b` (twice projected), or `None` when they span
/// the space.
fn random_orthogonal(
    n: usize,
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    rng: &mut SplitMix,
) -> Option<Vec<f64>> {
    if a.len() + b.len() >= n {
        return None;
    }
    for _ in 0..8 {
        let mut v: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let before = norm(&v);
        for _ in 0..2 {
            project_out(a, &mut v);
            project_out(b, &mut v);
        }
        let after = norm(&v);
        if after > 1e-8 * before {
            v.iter_mut().for_each(|x| *x /= after);
            return Some(v);
        }
    }
    None
}

/// The operator times ±1, so that "smallest" is "largest" of −H; products are counted and
/// checked finite.
struct Signed<'a, O: Operator + ?Sized> {
    op: &'a mut O,
    sign: f64,
    matvecs: usize,
}

impl<O: Operator + ?Sized> Signed<'_, O> {
    fn apply(&mut self, v: &[f64]) -> Result<Vec<f64>> {
        let mut out = vec![0.0; v.len()];
        self.op.apply(v, &mut out)?;
        self.matvecs += 1;
        for x in out.iter_mut() {
            if !x.is_finite() {
                return Err(Error::NotFinite {
                    name: "an entry of H·v",
                    value: *x,
                });
            }
            *x *= self.sign;
        }
        Ok(out)
    }
}

/// A Ritz pair with its residual norm.
struct Pair {
    value: f64,
    vector: Vec<f64>,
    residual: f64,
}

struct Run {
    /// The wanted Ritz pairs, largest first.
    pairs: Vec<Pair>,
    converged: bool,
    scale: f64,
    restarts: usize,
}

/// Eigenpairs of the leading p × p block of `t`, sorted by descending eigenvalue.
fn ritz(t: &DMatrix<f64>, p: usize) -> (Vec<f64>, DMatrix<f64>) {
    let block = t.view((0, 0), (p, p)).into_owned();
    let eig = block.symmetric_eigen();
    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&i, &j| eig.eigenvalues[j].total_cmp(&eig.eigenvalues[i]));
    let values: Vec<f64> = order.iter().map(|&i| eig.eigenvalues[i]).collect();
    let vectors = DMatrix::from_fn(p, p, |r, c| eig.eigenvectors[(r, order[c])]);
    (values, vectors)
}

/// Σⱼ s[j, col]·Q[j]: a Ritz vector.
fn combine(q: &[Vec<f64>], s: &DMatrix<f64>, col: usize, n: usize) -> Vec<f64> {
    let mut y = vec![0.0; n];
    for (j, qj) in q.iter().enumerate() {
        axpy(s[(j, col)], qj, &mut y);
    }
    y
}

/// One thick-restart Lanczos run for the `want` largest eigenvalues of the signed operator
/// restricted to the orthogonal complement of `locked`.
fn run<O: Operator + ?Sized>(
    op: &mut Signed<'_, O>,
    locked: &[Vec<f64>],
    want: usize,
    tol: f64,
    max_dim: usize,
    max_matvecs: usize,
    rng: &mut SplitMix,
) -> Result<Run> {
    let n = op.op.dim();
    let avail = n - locked.len();
    let want = want.min(avail);
    let m_max = max_dim.max(want + 1).min(avail);
    let mut q: Vec<Vec<f64>> = Vec::with_capacity(m_max);
    let mut t = DMatrix::<f64>::zeros(m_max, m_max);
    // coupling of the next vector to the basis: H·Q = Q·T + next·bᵀ
    let mut b: Vec<f64> = Vec::new();
    let mut next = match random_orthogonal(n, locked, &[], rng) {
        Some(v) => v,
        None => {
            return Ok(Run {
                pairs: Vec::new(),
                converged: true,
                scale: 0.0,
                restarts: 0,
            });
        }
    };
    let mut scale = 0.0f64;
    let mut restarts = 0;
    let mut best: Option<(Vec<f64>, DMatrix<f64>, Vec<f64>)> = None;
    let mut verify_after = 0;
    while op.matvecs < max_matvecs {
        let mut w = op.apply(&next)?;
        q.push(next);
        let p = q.len();
        let mut h = project_out(&q, &mut w);
        let h2 = project_out(&q, &mut w);
        for (a, c) in h.iter_mut().zip(h2) {
            *a += c;
        }
        for _ in 0..2 {
            project_out(locked, &mut w);
        }
        // symmetry: q_iᵀ(H q_p) must equal q_pᵀ(H q_i) = b_i
        scale = scale.max(h[p - 1].abs());
        for (i, &bi) in b.iter().enumerate() {
            let gap = (h[i] - bi).abs();
            let size = scale.max(bi.abs()).max(h[i].abs());
            if gap > 1e-3 * size && gap > 1e-300 {
                return Err(Error::Unsupported(format!(
                    "the operator is not symmetric: two products that must agree (q_iᵀHq_j = q_jᵀHq_i) differ by {gap:e}, {:.1e} of their size",
                    gap / size
                )));
            }
        }
        // T is the exact projection QᵀHQ: its entries are the products just computed (the
        // couplings b are what the recurrence predicts; using them instead lets the rounding
        // of kept Ritz vectors grow from restart to restart)
        for (i, &hi) in h.iter().enumerate() {
            t[(i, p - 1)] = hi;
            t[(p - 1, i)] = hi;
        }
        let beta = norm(&w);
        let (values, s) = ritz(&t, p);
        scale = scale.max(values.iter().fold(0.0f64, |a, v| a.max(v.abs())));
        let residuals: Vec<f64> = (0..p).map(|i| (beta * s[(p - 1, i)]).abs()).collect();
        let exhausted = p == avail;
        let invariant = exhausted || beta <= 1e-13 * scale.max(f64::MIN_POSITIVE);
        let claimed = p >= want && residuals[..want].iter().all(|&r| r <= tol * scale);
        if (claimed && op.matvecs >= verify_after) || exhausted {
            // the claim is checked with one product per wanted vector: the reported residuals
            // are ‖H·y − θ·y‖ themselves, not the recurrence's estimate
            let mut pairs = Vec::with_capacity(want);
            for (i, &value) in values.iter().enumerate().take(want) {
                let vector = combine(&q, &s, i, n);
                let hy = op.apply(&vector)?;
                let residual = norm(
                    &hy.iter()
                        .zip(&vector)
                        .map(|(a, y)| a - value * y)
                        .collect::<Vec<_>>(),
                );
                pairs.push(Pair {
                    value,
                    vector,
                    residual,
                });
            }
            if exhausted || pairs.iter().all(|p| p.residual <= tol * scale) {
                return Ok(Run {
                    pairs,
                    converged: true,
                    scale,
                    restarts,
                });
            }
            // the estimate was optimistic: go on, and check again half a basis later
            verify_after = op.matvecs + m_max / 2;
        }
        best = Some((values.clone(), s.clone(), residuals.clone()));
        b = vec![0.0; p];
        if !invariant {
            w.iter_mut().for_each(|x| *x /= beta);
            b[p - 1] = beta;
        }
        if p == m_max {
            // thick restart: keep the best Ritz vectors, T their diagonal, couplings b·S
            let keep = (want + (m_max - want) / 2).min(m_max - 1).max(1);
            let kept: Vec<Vec<f64>> = (0..keep).map(|i| combine(&q, &s, i, n)).collect();
            let coupling: Vec<f64> = (0..keep).map(|i| dot(&b, s.column(i).as_slice())).collect();
            q = kept;
            b = coupling;
            // the kept block is SᵀTS, computed rather than assumed diagonal: the eigensolver's
            // vectors of a tight cluster are orthonormal but not exact eigenvectors, and T must
            // stay the projection QᵀHQ for the Ritz values to stay Rayleigh quotients
            let sk = s.columns(0, keep).into_owned();
            let block = sk.transpose() * t.view((0, 0), (p, p)) * &sk;
            t.fill(0.0);
            for i in 0..keep {
                for j in 0..keep {
                    t[(i, j)] = 0.5 * (block[(i, j)] + block[(j, i)]);
                }
            }
            restarts += 1;
        }
        next = if invariant {
            b.iter_mut().for_each(|x| *x = 0.0);
            match random_orthogonal(n, locked, &q, rng) {
                Some(v) => v,
                None => break,
            }
        } else {
            w
        };
    }
    // the budget ran out: the best Ritz values so far, with their residuals
    let p = q.len();
    let pairs = match best {
        Some((values, s, residuals)) if s.nrows() == p => (0..want.min(p))
            .map(|i| Pair {
                value: values[i],
                vector: combine(&q, &s, i, n),
                residual: residuals[i],
            })
            .collect(),
        _ => {
            // after a restart the kept basis is itself the best Ritz vectors
            (0..want.min(p))
                .map(|i| Pair {
                    value: t[(i, i)],
                    vector: q[i].clone(),
                    residual: b.get(i).copied().unwrap_or(f64::INFINITY).abs(),
                })
                .collect()
        }
    };
    Ok(Run {
        pairs,
        converged: false,
        scale,
        restarts,
    })
}

/// The k largest or smallest eigenvalues of a symmetric operator from products H·v alone, each
/// with its residual bound (module docs: Lanczos with full reorthogonalisation, thick restarts,
/// locking and a multiplicity check).
///
/// For each returned θᵢ with unit vector yᵢ, rᵢ = ‖H·yᵢ − θᵢ·yᵢ‖ ≤ `tol`·`scale` when
/// `converged`, and some eigenvalue of H lies in [θᵢ − rᵢ, θᵢ + rᵢ]; the error of θᵢ is in
/// practice of order rᵢ²/gap (the Ritz values converge quadratically in the residual).
///
/// # Examples
///
/// ```
/// use momentum::lanczos::{self, Options, Which};
/// use nalgebra::DMatrix;
/// // an indefinite 3 × 3 matrix: eigenvalues −2, 1, 4
/// let mut h = DMatrix::from_row_slice(3, 3, &[1.0, 0.0, 0.0, 0.0, 1.0, 3.0, 0.0, 3.0, 1.0]);
/// let low = lanczos::extremes(&mut h, &Options { k: 2, which: Which::Smallest, ..Options::default() })?;
/// assert!((low.values[0] + 2.0).abs() < 1e-10 && (low.values[1] - 1.0).abs() < 1e-10);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// n = 0 ([`Error::EmptySpectrum`]); k = 0 or k > n, `tol` outside [[`MIN_TOL`], 1),
/// `max_dim` < 2 or `max_matvecs` = 0 ([`Error::OutOfRange`]); the operator's own check
/// ([`Operator::check`]) and the errors of its products; a product with a NaN or infinite entry
/// ([`Error::NotFinite`]); products that show the operator is not symmetric
/// ([`Error::Unsupported`]).
pub fn extremes<O: Operator + ?Sized>(op: &mut O, options: &Options) -> Result<Extremes> {
    let n = op.dim();
    if n == 0 {
        return Err(Error::EmptySpectrum);
    }
    let k = options.k;
    if k == 0 || k > n {
        return Err(Error::OutOfRange {
            name: "k",
            value: k as f64,
            expected: "1 <= k <= the dimension n",
        });
    }
    let tol = crate::error::finite("tol", options.tol)?;
    if !(MIN_TOL..1.0).contains(&tol) {
        return Err(Error::OutOfRange {
            name: "tol",
            value: tol,
            expected: "1e-14 <= tol < 1",
        });
    }
    if let Some(d) = options.max_dim {
        if d < 2 {
            return Err(Error::OutOfRange {
                name: "max_dim",
                value: d as f64,
                expected: ">= 2",
            });
        }
    }
    if options.max_matvecs == 0 {
        return Err(Error::OutOfRange {
            name: "max_matvecs",
            value: 0.0,
            expected: ">= 1",
        });
    }
    op.check()?;
    let max_dim = options.max_dim.unwrap_or(4 * k + 60).min(n);
    let sign = match options.which {
        Which::Largest => 1.0,
        Which::Smallest => -1.0,
    };
    let mut signed = Signed {
        op,
        sign,
        matvecs: 0,
    };
    let mut rng = SplitMix(options.seed);
    let first = run(
        &mut signed,
        &[],
        k,
        tol,
        max_dim,
        options.max_matvecs,
        &mut rng,
    )?;
    let mut converged = first.converged;
    let mut scale = first.scale;
    let mut restarts = first.restarts;
    let mut runs = 1;
    let mut found = first.pairs;
    if converged && options.check_multiplicity {
        loop {
            if found.len() >= n || signed.matvecs >= options.max_matvecs {
                converged = found.len() >= n;
                break;
            }
            let locked: Vec<Vec<f64>> = found.iter().map(|p| p.vector.clone()).collect();
            let check = run(
                &mut signed,
                &locked,
                1,
                tol,
                max_dim,
                options.max_matvecs,
                &mut rng,
            )?;
            runs += 1;
            restarts += check.restarts;
            scale = scale.max(check.scale);
            if !check.converged {
                converged = false;
                break;
            }
            let mut values: Vec<f64> = found.iter().map(|p| p.value).collect();
            values.sort_by(|a, b| b.total_cmp(a));
            let kth = values[k - 1];
            let better: Vec<Pair> = check
                .pairs
                .into_iter()
                .filter(|p| p.value > kth + tol * scale)
                .collect();
            if better.is_empty() {
                break;
            }
            found.extend(better);
        }
    }
    found.sort_by(|a, b| b.value.total_cmp(&a.value));
    found.truncate(k);
    Ok(Extremes {
        values: found.iter().map(|p| sign * p.value).collect(),
        residuals: found.iter().map(|p| p.residual).collect(),
        vectors: found.into_iter().map(|p| p.vector).collect(),
        converged,
        scale,
        matvecs: signed.matvecs,
        restarts,
        runs,
    })
}

/// Settings of [`density`].
#[derive(Clone, Debug, PartialEq)]
pub struct SlqOptions {
    /// Rademacher probe vectors averaged over (≥ 1) [default: 10].
    pub probes: usize,
    /// Lanczos steps per probe, m (≥ 1): m nodes, exact for polynomials of degree ≤ 2m − 1
    /// [default: 50].
    pub steps: usize,
    /// Seed of the probes [default: 0].
    pub seed: u64,
}

impl Default for SlqOptions {
    fn default() -> Self {
        SlqOptions {
            probes: 10,
            steps: 50,
            seed: 0,
        }
    }
}

/// A spectral density from stochastic Lanczos quadrature: point masses `weights` at `nodes`
/// (summing to 1), estimating φ(λ) = (1/n)·Σᵢ δ(λ − λᵢ).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Density {
    /// Quadrature nodes (Ritz values), probe after probe.
    pub nodes: Vec<f64>,
    /// Their weights (first components of the Ritz vectors squared, divided by the probes).
    pub weights: Vec<f64>,
    /// Probes averaged over.
    pub probes: usize,
    /// Products H·v used.
    pub matvecs: usize,
}

impl Density {
    /// The j-th moment Σ wᵢ·θᵢʲ, an estimate of tr(Hʲ)/n (for j ≤ 2m − 1 it is the average
    /// over the probes of vᵀHʲv exactly).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::lanczos::{self, SlqOptions};
    /// use nalgebra::{DMatrix, DVector};
    /// // diagonal H: every Rademacher probe gives tr(Hʲ)/n exactly
    /// let mut h = DMatrix::from_diagonal(&DVector::from_vec(vec![1.0, 2.0, 3.0, 4.0]));
    /// let d = lanczos::density(&mut h, &SlqOptions { probes: 2, steps: 4, seed: 1 })?;
    /// assert!((d.moment(0) - 1.0).abs() < 1e-12);
    /// assert!((d.moment(2) - 7.5).abs() < 1e-12);   // (1 + 4 + 9 + 16)/4
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn moment(&self, j: i32) -> f64 {
        self.nodes
            .iter()
            .zip(&self.weights)
            .map(|(x, w)| w * x.powi(j))
            .sum()
    }

    /// The density smoothed by a Gaussian of width σ: Σ wᵢ·exp(−(x − θᵢ)²/2σ²)/(σ√2π).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::lanczos::Density;
    /// let d = Density { nodes: vec![0.0], weights: vec![1.0], probes: 1, matvecs: 1 };
    /// let peak = d.smoothed(0.0, 1.0)?;
    /// assert!((peak - 1.0 / (2.0 * std::f64::consts::PI).sqrt()).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// σ not finite and > 0, x not finite.
    pub fn smoothed(&self, x: f64, sigma: f64) -> Result<f64> {
        crate::error::positive("sigma", sigma)?;
        crate::error::finite("x", x)?;
        let c = 1.0 / (sigma * (std::f64::consts::TAU).sqrt());
        Ok(self
            .nodes
            .iter()
            .zip(&self.weights)
            .map(|(t, w)| w * c * (-(x - t).powi(2) / (2.0 * sigma * sigma)).exp())
            .sum())
    }
}

/// A spectral density of a symmetric operator by stochastic Lanczos quadrature (module docs):
/// per Rademacher probe v (entries ±1/√n), `steps` Lanczos steps with full reorthogonalisation
/// (fewer when the Krylov space closes: the quadrature is then exact), nodes θⱼ and weights
/// (e₁ᵀsⱼ)²/probes.
///
/// # Examples
///
/// ```
/// use momentum::lanczos::{self, SlqOptions};
/// use nalgebra::{DMatrix, DVector};
/// let mut h = DMatrix::from_diagonal(&DVector::from_fn(100, |i, _| i as f64 / 100.0));
/// let d = lanczos::density(&mut h, &SlqOptions::default())?;
/// assert!((d.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// assert!((d.moment(1) - 0.495).abs() < 1e-12);             // tr(H)/n
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// n = 0 ([`Error::EmptySpectrum`]); `probes` or `steps` = 0 ([`Error::OutOfRange`]); the
/// operator's check and the errors of its products; a NaN or infinite entry in a product
/// ([`Error::NotFinite`]).
pub fn density<O: Operator + ?Sized>(op: &mut O, options: &SlqOptions) -> Result<Density> {
    let n = op.dim();
    if n == 0 {
        return Err(Error::EmptySpectrum);
    }
    for (name, v) in [("probes", options.probes), ("steps", options.steps)] {
        if v == 0 {
            return Err(Error::OutOfRange {
                name,
                value: 0.0,
                expected: ">= 1",
            });
        }
    }
    op.check()?;
    let mut signed = Signed {
        op,
        sign: 1.0,
        matvecs: 0,
    };
    let mut rng = SplitMix(options.seed);
    let m = options.steps.min(n);
    let mut nodes = Vec::new();
    let mut weights = Vec::new();
    let share = 1.0 / options.probes as f64;
    let entry = 1.0 / (n as f64).sqrt();
    for _ in 0..options.probes {
        let mut next: Vec<f64> = (0..n)
            .map(|_| if rng.next() >> 63 == 0 { entry } else { -entry })
            .collect();
        let mut q: Vec<Vec<f64>> = Vec::with_capacity(m);
        let mut t = DMatrix::<f64>::zeros(m, m);
        let mut scale = 0.0f64;
        loop {
            let mut w = signed.apply(&next)?;
            q.push(next);
            let p = q.len();
            let mut h = project_out(&q, &mut w);
            let h2 = project_out(&q, &mut w);
            for (a, c) in h.iter_mut().zip(h2) {
                *a += c;
            }
            t[(p - 1, p - 1)] = h[p - 1];
            let beta = norm(&w);
            scale = scale.max(h[p - 1].abs()).max(beta);
            if p == m || beta <= 1e-13 * scale.max(f64::MIN_POSITIVE) {
                let (values, s) = ritz(&t, p);
                for (i, v) in values.into_iter().enumerate() {
                    nodes.push(v);
                    weights.push(share * s[(0, i)] * s[(0, i)]);
                }
                break;
            }
            t[(p, p - 1)] = beta;
            t[(p - 1, p)] = beta;
            w.iter_mut().for_each(|x| *x /= beta);
            next = w;
        }
    }
    Ok(Density {
        nodes,
        weights,
        probes: options.probes,
        matvecs: signed.matvecs,
    })
}
