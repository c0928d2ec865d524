//! Every certificate is a claim, checked after it is found: the Lyapunov matrix P, the two
//! multipliers and the rate ρ are rebuilt into the 4×4 LMI of [`crate::certify`] **in exact
//! rational arithmetic** (every f64 is a dyadic rational m·2^e and is converted without
//! rounding; M, affine in m = μ/L, is scaled by L's significand to dyadic entries, then to
//! integers on `num-bigint`), and
//!
//! ```text
//! P ⪰ 0,   λ₁, λ₂ ≥ 0,   −(EᵀPE − ρ²FᵀPF + λ₁S + λ₂O(ρ)) ⪰ 0
//! ```
//!
//! is decided exactly by a symmetric elimination (a positive pivot is eliminated through its
//! Schur complement; a zero pivot needs a zero row; a negative pivot refutes), fraction-free.
//! Nothing of the search that produced the certificate (frequency inequality, clarabel, the
//! interior-point finder `find`) is trusted: a certificate that fails the check is not reported.
//!
//! Units: the LMI is the method scaled to L = 1, a = αL and m = μ/L formed **exactly** from the
//! f64 inputs (a rational product and quotient); the state is w = (x_k, x_{k−1}, ζ_k/L, u_k/L).
//! The scaling is a congruence by diag(1, 1, 1/L, 1/L) with λ multiplied by L², so the check is
//! the LMI on F(μ, L) itself.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Num, One, Signed, Zero};
use std::ops::{Neg, Sub};

use super::dyadic::Dyadic;
use crate::error::{Result, finite};
use crate::method::Method;

/// A certificate of the IQC LMI at rate ρ, in the units of the module docs.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Lmi {
    /// The rate ρ the LMI is stated at.
    pub rho: f64,
    /// The Lyapunov matrix P on (x_k, x_{k−1}, ζ_k/L), symmetric.
    pub p: [[f64; 3]; 3],
    /// The multipliers (λ₁ of the sector IQC, λ₂ of the ρ²-weighted off-by-one IQC).
    pub lambda: [f64; 2],
}

/// The LMI matrix M = EᵀPE − ρ²FᵀPF + λ₁S + λ₂O(ρ) on w = (x_k, x_{k−1}, ζ_k, u_k), for the
/// method scaled to L = 1, in any number type (exact rationals for the check, f64 for the search).
#[allow(clippy::too_many_arguments)]
pub(crate) fn lmi_matrix<T>(
    a: &T,
    beta: &T,
    gamma: &T,
    m: &T,
    rho2: &T,
    p: &[[T; 3]; 3],
    l1: &T,
    l2: &T,
) -> [[T; 4]; 4]
where
    T: Num + Clone + Neg<Output = T>,
{
    let two = T::one() + T::one();
    lmi_matrix_with(a, beta, gamma, m, rho2, p, l1, l2, |v| v / two.clone())
}

/// [`lmi_matrix`] in a ring without division: the two symmetrisations ½(xyᵀ + yxᵀ) use `half`.
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
fn lmi_matrix_with<T>(
    a: &T,
    beta: &T,
    gamma: &T,
    m: &T,
    rho2: &T,
    p: &[[T; 3]; 3],
    l1: &T,
    l2: &T,
    half: impl Fn(T) -> T,
) -> [[T; 4]; 4]
where
    T: Clone + Zero + One + Sub<Output = T> + Neg<Output = T>,
{
    let (z, o) = (T::zero(), T::one());
    // y = (1+γ)x_k − γx_{k−1}; u; ζ
    let cy = [
        o.clone() + gamma.clone(),
        -gamma.clone(),
        z.clone(),
        z.clone(),
    ];
    let cu = [z.clone(), z.clone(), z.clone(), o.clone()];
    let cz = [z.clone(), z.clone(), o.clone(), z.clone()];
    let cp: [T; 4] = std::array::from_fn(|i| cu[i].clone() - m.clone() * cy[i].clone());
    let cq: [T; 4] = std::array::from_fn(|i| cy[i].clone() - cu[i].clone());
    let cqs: [T; 4] = std::array::from_fn(|i| cq[i].clone() - rho2.clone() * cz[i].clone());
    // next state (x_{k+1}, x_k, ζ_{k+1}) and current state (x_k, x_{k−1}, ζ_k) as rows over w
    let e = [
        [
            o.clone() + beta.clone(),
            -beta.clone(),
            z.clone(),
            -a.clone(),
        ],
        [o.clone(), z.clone(), z.clone(), z.clone()],
        cq.clone(),
    ];
    let f = [
        [o.clone(), z.clone(), z.clone(), z.clone()],
        [z.clone(), o.clone(), z.clone(), z.clone()],
        [z.clone(), z.clone(), o.clone(), z.clone()],
    ];
    std::array::from_fn(|r| {
        std::array::from_fn(|c| {
            let mut v = z.clone();
            for k in 0..3 {
                for l in 0..3 {
                    v = v + p[k][l].clone()
                        * (e[k][r].clone() * e[l][c].clone()
                            - rho2.clone() * f[k][r].clone() * f[l][c].clone());
                }
            }
            let s = half(cp[r].clone() * cq[c].clone() + cq[r].clone() * cp[c].clone());
            let o = half(cp[r].clone() * cqs[c].clone() + cqs[r].clone() * cp[c].clone());
            v + l1.clone() * s + l2.clone() * o
        })
    })
}

/// The exact rational value of a finite f64.
fn exact(x: f64) -> Option<BigRational> {
    BigRational::from_float(x)
}

/// Exact positive semidefiniteness of a symmetric rational matrix (symmetric elimination).
#[cfg(test)]
fn is_psd(mut a: Vec<Vec<BigRational>>) -> bool {
    let n = a.len();
    let mut alive = vec![true; n];
    for _ in 0..n {
        // a negative diagonal refutes; a zero diagonal needs a zero row (then drop it)
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            if a[i][i].is_negative() {
                return false;
            }
            if a[i][i].is_zero() {
                if (0..n).any(|j| alive[j] && !a[i][j].is_zero()) {
                    return false;
                }
                alive[i] = false;
            }
        }
        let Some(k) = (0..n).find(|&i| alive[i]) else {
            return true;
        };
        // a[k][k] > 0: pass to the Schur complement
        alive[k] = false;
        let pivot = a[k][k].clone();
        let row: Vec<BigRational> = a[k].clone();
        for i in 0..n {
            if !alive[i] || row[i].is_zero() {
                continue;
            }
            let f = &row[i] / &pivot;
            for j in 0..n {
                if alive[j] {
                    let d = &f * &row[j];
                    a[i][j] -= d;
                }
            }
        }
    }
    true
}

/// Whether `lmi` certifies the rate `lmi.rho` for `method` on F(μ, L), decided exactly
/// (module docs): ρ ∈ (0, 1], P symmetric and ⪰ 0, λ ≥ 0, and the LMI matrix ⪯ 0, with a, m, ρ²
/// and every entry formed in rational arithmetic from the f64 values as given.
///
/// ```text
/// verified ⇔ P ⪰ 0 ∧ λ₁, λ₂ ≥ 0 ∧ EᵀPE − ρ²FᵀPF + λ₁S + λ₂O(ρ) ⪯ 0   (exactly)
/// ```
///
/// # Examples
///
/// ```
/// use momentum::{Method, certify::check::{Lmi, verify}};
/// // gradient descent α = 1/4 on [1, 4], rate 3/4: the certificate found, re-checked; the same
/// // (P, λ) claimed at ρ = 0.7 is refuted
/// let gd = Method::gradient_descent(0.25)?;
/// let c = momentum::certify::certified_rate(&gd, 1.0, 4.0)?;
/// let lmi = c.lmi.unwrap();
/// assert!(verify(&gd, 1.0, 4.0, &lmi)?);
/// let wrong = Lmi { rho: 0.7, ..lmi };
/// assert!(!verify(&gd, 1.0, 4.0, &wrong)?);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// μ, L not finite and > 0 or μ > L; a non-finite entry of the certificate ([`crate::Error::NotFinite`]).
pub fn verify(method: &Method, mu: f64, l: f64, lmi: &Lmi) -> Result<bool> {
    if !admissible(mu, l, lmi)? {
        return Ok(false);
    }
    let q = Dyadic::of;
    // m = μ/L = mμ·2^(eμ − eL)/mL with mL > 0 the integer mantissa of L: M is affine in m, so
    // mL·M = mL·M(0) + mμ·2^(eμ − eL)·(M(1) − M(0)), every entry dyadic (mL > 0 changes no sign)
    let (mu_d, l_d) = (q(mu), q(l));
    let a = q(method.step()) * l_d.clone();
    let (beta, gamma) = (q(method.momentum()), q(method.lookahead()));
    let rho = q(lmi.rho);
    let rho2 = rho.clone() * rho;
    let p: [[Dyadic; 3]; 3] = std::array::from_fn(|i| std::array::from_fn(|j| q(lmi.p[i][j])));
    if !is_psd_int(Dyadic::integers(p.iter().flatten(), 3)) {
        return Ok(false);
    }
    let (l1, l2) = (q(lmi.lambda[0]), q(lmi.lambda[1]));
    let at = |m: Dyadic| {
        lmi_matrix_with(&a, &beta, &gamma, &m, &rho2, &p, &l1, &l2, |v| Dyadic {
            m: v.m,
            e: v.e - 1,
        })
    };
    let (m0, m1) = (at(Dyadic::zero()), at(Dyadic::one()));
    let m_num = Dyadic {
        m: mu_d.m,
        e: mu_d.e - l_d.e,
    };
    let m_den = Dyadic { m: l_d.m, e: 0 };
    let scaled: Vec<Dyadic> = (0..16)
        .map(|k| {
            let (r, c) = (k / 4, k % 4);
            let slope = m1[r][c].clone() - m0[r][c].clone();
            -(m_den.clone() * m0[r][c].clone() + m_num.clone() * slope)
        })
        .collect();
    Ok(is_psd_int(Dyadic::integers(scaled.iter(), 4)))
}

/// The checks of [`verify`] before the matrices: errors for a non-finite entry, `false` for
/// ρ ∉ (0, 1], a negative λ or an asymmetric P.
fn admissible(mu: f64, l: f64, lmi: &Lmi) -> Result<bool> {
    super::check_class(mu, l)?;
    finite("rho", lmi.rho)?;
    for row in &lmi.p {
        for &v in row {
            finite("P", v)?;
        }
    }
    for &v in &lmi.lambda {
        finite("lambda", v)?;
    }
    if !(lmi.rho > 0.0 && lmi.rho <= 1.0) || lmi.lambda.iter().any(|&v| v < 0.0) {
        return Ok(false);
    }
    Ok(!(0..3).any(|i| (0..3).any(|j| lmi.p[i][j] != lmi.p[j][i])))
}

/// The former route of [`verify`], kept as its test: every quantity a reduced `BigRational`
/// (a gcd after each operation), M formed with m = μ/L itself, then [`is_psd`].
#[cfg(test)]
fn verify_rational(method: &Method, mu: f64, l: f64, lmi: &Lmi) -> Result<bool> {
    if !admissible(mu, l, lmi)? {
        return Ok(false);
    }
    let q = |x: f64| exact(x).expect("checked finite");
    let a = q(method.step()) * q(l);
    let m = q(mu) / q(l);
    let (beta, gamma) = (q(method.momentum()), q(method.lookahead()));
    let rho = q(lmi.rho);
    let rho2 = &rho * &rho;
    let p: [[BigRational; 3]; 3] = std::array::from_fn(|i| std::array::from_fn(|j| q(lmi.p[i][j])));
    if !is_psd(p.iter().map(|r| r.to_vec()).collect()) {
        return Ok(false);
    }
    let mat = lmi_matrix(
        &a,
        &beta,
        &gamma,
        &m,
        &rho2,
        &p,
        &q(lmi.lambda[0]),
        &q(lmi.lambda[1]),
    );
    let neg: Vec<Vec<BigRational>> = mat
        .iter()
        .map(|r| r.iter().map(|v| -v.clone()).collect())
        .collect();
    Ok(is_psd(neg))
}

/// Exact positive semidefiniteness of a symmetric integer matrix: the rational elimination's
/// decisions, fraction-free (Bareiss): after the pivots S are eliminated an entry is det A[S+i, S+j] = det A[S, S] × the rational elimination's Schur complement
/// entry (Sylvester's identity; the division by the previous pivot is exact), and
/// det A[S, S] > 0, so every sign and zero the rational elimination tests is the same here.
fn is_psd_int(mut a: Vec<Vec<BigInt>>) -> bool {
    let n = a.len();
    let mut alive = vec![true; n];
    let mut prev = BigInt::one();
    for _ in 0..n {
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            if a[i][i].is_negative() {
                return false;
            }
            if a[i][i].is_zero() {
                if (0..n).any(|j| alive[j] && !a[i][j].is_zero()) {
                    return false;
                }
                alive[i] = false;
            }
        }
        let Some(k) = (0..n).find(|&i| alive[i]) else {
            return true;
        };
        alive[k] = false;
        let pivot = a[k][k].clone();
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            for j in 0..n {
                if alive[j] {
                    let v = &pivot * &a[i][j] - &a[i][k] * &a[k][j];
                    a[i][j] = v / &prev;
                }
            }
        }
        prev = pivot;
    }
    true
}

/// Exactness helper for tests and docs: the rational value of an f64 as "num/den".
///
/// # Examples
///
/// ```
/// assert_eq!(momentum::certify::check::exact_string(0.75), "3/4");
/// ```
pub fn exact_string(x: f64) -> String {
    match exact(x) {
        Some(r) => {
            if r.denom() == &BigInt::from(1) {
                r.numer().to_string()
            } else {
                format!("{}/{}", r.numer(), r.denom())
            }
        }
        None => x.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The finder: an interior-point search for (P, λ) at a given ρ, in f64. Its output is only a
// candidate for `verify`.

type Mat = nalgebra::DMatrix<f64>;

/// Number of unknowns: P (6), t = λ₂ (λ₁ = 1 − t), s (the margin).
const NV: usize = 8;
const PAIRS: [(usize, usize); 6] = [(0, 0), (0, 1), (1, 1), (0, 2), (1, 2), (2, 2)];

/// An N × N matrix as rows, on the stack.
type Sq<const N: usize> = [[f64; N]; N];

/// One affine matrix constraint C(x) = C₀ + Σ xᵢ Cᵢ ≻ 0, N × N. `zero[i]`: Cᵢ is all zeros
/// (its terms in the barrier's gradient and Hessian are exact zeros and are skipped).
struct Affine<const N: usize> {
    c0: Sq<N>,
    ci: [Sq<N>; NV],
    zero: [bool; NV],
}

impl<const N: usize> Affine<N> {
    fn new(c0: Sq<N>, ci: [Sq<N>; NV]) -> Self {
        let zero = std::array::from_fn(|k| ci[k].iter().flatten().all(|&v| v == 0.0));
        Affine { c0, ci, zero }
    }

    /// C₀ + Σ xᵢ Cᵢ, entry by entry in the order of the terms (terms with xᵢ = 0 left out).
    fn at(&self, x: &[f64; NV]) -> Sq<N> {
        let mut m = self.c0;
        for (c, &v) in self.ci.iter().zip(x) {
            if v != 0.0 {
                for (row, crow) in m.iter_mut().zip(c) {
                    for (e, ce) in row.iter_mut().zip(crow) {
                        *e += ce * v;
                    }
                }
            }
        }
        m
    }
}

/// −A entry by entry.
fn neg<const N: usize>(a: &Sq<N>) -> Sq<N> {
    a.map(|r| r.map(|v| -v))
}

/// The lower Cholesky factor of a symmetric matrix (its lower triangle read), `None` when a
/// pivot is zero, negative or NaN. The operations of nalgebra's `Cholesky::new` in its order
/// (column j: axpy of the earlier columns from row j down, then the square root and the
/// division), so the same bits.
#[allow(clippy::needless_range_loop)]
fn cholesky<const N: usize>(mut m: Sq<N>) -> Option<Sq<N>> {
    for j in 0..N {
        for k in 0..j {
            let factor = -m[j][k];
            for i in j..N {
                // y = a·x + y (addition commutes exactly in IEEE 754)
                m[i][j] += factor * m[i][k];
            }
        }
        let diag = m[j][j];
        if diag == 0.0 || diag.is_nan() || diag < 0.0 {
            return None;
        }
        let d = diag.sqrt();
        m[j][j] = d;
        for row in m.iter_mut().skip(j + 1) {
            row[j] /= d;
        }
    }
    Some(m)
}

/// log det C = 2 Σ ln Lᵢᵢ from C's Cholesky factor.
fn log_det<const N: usize>(l: &Sq<N>) -> f64 {
    2.0 * (0..N).map(|i| l[i][i].ln()).sum::<f64>()
}

/// C⁻¹ from C's Cholesky factor L: each column of the identity through L y = e (forward) and
/// Lᵀ x = y (backward, the dot products summed from 0 in order), as nalgebra's
/// `Cholesky::inverse` does, so the same bits.
fn chol_inverse<const N: usize>(l: &Sq<N>) -> Sq<N> {
    let mut res = [[0.0; N]; N];
    for c in 0..N {
        let mut b = [0.0; N];
        b[c] = 1.0;
        for i in 0..N {
            let coeff = b[i] / l[i][i];
            b[i] = coeff;
            for r in i + 1..N {
                b[r] += -coeff * l[r][i];
            }
        }
        for i in (0..N).rev() {
            let mut dot = 0.0;
            for k in i + 1..N {
                dot += l[k][i] * b[k];
            }
            b[i] = (b[i] - dot) / l[i][i];
        }
        for r in 0..N {
            res[r][c] = b[r];
        }
    }
    res
}

/// A·B with each entry summed in order from its first product (nalgebra's small-matrix gemm).
fn mul<const N: usize>(a: &Sq<N>, b: &Sq<N>) -> Sq<N> {
    std::array::from_fn(|r| {
        std::array::from_fn(|c| {
            let mut v = a[r][0] * b[0][c];
            for k in 1..N {
                v += a[r][k] * b[k][c];
            }
            v
        })
    })
}

/// The five constraints of the finder: −M − sI ≻ 0 (4 × 4), P ≻ 0 (3 × 3), tr P < cap, t > 0,
/// 1 − t > 0, in that order (the order of the barrier's sums).
struct Constraints {
    lmi: Affine<4>,
    p: Affine<3>,
    cap: Affine<1>,
    t_lo: Affine<1>,
    t_hi: Affine<1>,
}

fn constraints(a: f64, beta: f64, gamma: f64, m: f64, rho: f64, cap: f64) -> Constraints {
    let r2 = rho * rho;
    let zero3 = [[0.0; 3]; 3];
    let build =
        |p: &[[f64; 3]; 3], l1: f64, l2: f64| lmi_matrix(&a, &beta, &gamma, &m, &r2, p, &l1, &l2);
    let s_form = build(&zero3, 1.0, 0.0);
    let o_form = build(&zero3, 0.0, 1.0);
    // C1 = −M − sI = −S − Σ pₖGₖ − t(O − S) − sI
    let mut c1 = [[[0.0; 4]; 4]; NV];
    let mut c2 = [zero3; NV];
    let mut c3 = [[[0.0]]; NV];
    for (k, &(i, j)) in PAIRS.iter().enumerate() {
        let mut basis = zero3;
        basis[i][j] = 1.0;
        basis[j][i] = 1.0;
        c1[k] = neg(&build(&basis, 0.0, 0.0));
        c2[k] = basis;
        c3[k] = [[if i == j { -1.0 } else { 0.0 }]];
    }
    c1[6] = std::array::from_fn(|r| std::array::from_fn(|c| s_form[r][c] - o_form[r][c]));
    c1[7] = neg(&std::array::from_fn(|r| {
        std::array::from_fn(|c| if r == c { 1.0 } else { 0.0 })
    }));
    let scalar = |c0: f64, ct: f64| {
        Affine::new(
            [[c0]],
            std::array::from_fn(|k| [[if k == 6 { ct } else { 0.0 }]]),
        )
    };
    Constraints {
        lmi: Affine::new(neg(&s_form), c1),
        p: Affine::new(zero3, c2),
        cap: Affine::new([[cap]], c3),
        t_lo: scalar(0.0, 1.0),
        t_hi: scalar(1.0, -1.0),
    }
}

/// The Cholesky factors of the five constraints at one x and their log dets, in the order of
/// the barrier's sums; formed once per point (a line search's accepted trial is the next
/// centring step's x, and x stays when τ grows).
struct Factors {
    lmi: Sq<4>,
    p: Sq<3>,
    cap: Sq<1>,
    t_lo: Sq<1>,
    t_hi: Sq<1>,
    logs: [f64; 5],
}

/// The factors at x, `None` outside the domain (a constraint not positive definite).
fn factors(cons: &Constraints, x: &[f64; NV]) -> Option<Factors> {
    let lmi = cholesky(cons.lmi.at(x))?;
    let p = cholesky(cons.p.at(x))?;
    let cap = cholesky(cons.cap.at(x))?;
    let t_lo = cholesky(cons.t_lo.at(x))?;
    let t_hi = cholesky(cons.t_hi.at(x))?;
    let logs = [
        log_det(&lmi),
        log_det(&p),
        log_det(&cap),
        log_det(&t_lo),
        log_det(&t_hi),
    ];
    Some(Factors {
        lmi,
        p,
        cap,
        t_lo,
        t_hi,
        logs,
    })
}

/// φ(x) = τ s + Σ log det Cⱼ(x) alone (line searches), with the factors; `None` outside the
/// domain.
fn barrier_value(cons: &Constraints, tau: f64, x: &[f64; NV]) -> Option<(f64, Factors)> {
    let f = factors(cons, x)?;
    let mut val = tau * x[NV - 1];
    for lg in f.logs {
        val += lg;
    }
    val.is_finite().then_some((val, f))
}

/// One constraint's terms of the gradient (tr Wᵢ) and Hessian (−tr WᵢWₖ) with Wᵢ = C(x)⁻¹Cᵢ,
/// from C(x)'s Cholesky factor `l`, added to `g` and `h`. The sums run in the order of the
/// former dynamic-matrix code; the terms of an all-zero Cᵢ are exact zeros and are skipped
/// (adding +0 to a sum started at +0 changes no bit).
#[allow(clippy::needless_range_loop)]
fn add_barrier_terms<const N: usize>(
    c: &Affine<N>,
    l: &Sq<N>,
    g: &mut [f64; NV],
    h: &mut [[f64; NV]; NV],
) {
    let inv = chol_inverse(l);
    let w: [Sq<N>; NV] = std::array::from_fn(|i| {
        if c.zero[i] {
            [[0.0; N]; N]
        } else {
            mul(&inv, &c.ci[i])
        }
    });
    for i in 0..NV {
        if c.zero[i] {
            continue;
        }
        let mut tr = 0.0;
        for (a, row) in w[i].iter().enumerate() {
            tr += row[a];
        }
        g[i] += tr;
        for k in i..NV {
            if c.zero[k] {
                continue;
            }
            // −tr(WᵢWₖ) without forming the product
            let mut v = 0.0;
            for a in 0..N {
                for b in 0..N {
                    v -= w[i][a][b] * w[k][b][a];
                }
            }
            h[i][k] += v;
            if k != i {
                h[k][i] += v;
            }
        }
    }
}

/// φ(x) = τ s + Σ log det Cⱼ(x), its gradient and Hessian, from the factors `f` at x; `None`
/// when φ is not finite.
fn barrier(
    cons: &Constraints,
    tau: f64,
    x: &[f64; NV],
    f: &Factors,
) -> Option<(f64, [f64; NV], Mat)> {
    let mut val = tau * x[NV - 1];
    let mut g = [0.0; NV];
    g[NV - 1] = tau;
    let mut h = [[0.0; NV]; NV];
    add_barrier_terms(&cons.lmi, &f.lmi, &mut g, &mut h);
    add_barrier_terms(&cons.p, &f.p, &mut g, &mut h);
    add_barrier_terms(&cons.cap, &f.cap, &mut g, &mut h);
    add_barrier_terms(&cons.t_lo, &f.t_lo, &mut g, &mut h);
    add_barrier_terms(&cons.t_hi, &f.t_hi, &mut g, &mut h);
    for lg in f.logs {
        val += lg;
    }
    val.is_finite()
        .then(|| (val, g, Mat::from_fn(NV, NV, |i, k| h[i][k])))
}

/// The Newton direction −H⁻¹g of a concave barrier, with the Hessian equilibrated by its
/// diagonal first (the unknowns differ in scale by many orders near the edge).
fn newton_step(h: &Mat, g: &nalgebra::DVector<f64>) -> Option<nalgebra::DVector<f64>> {
    let n = g.len();
    let d: Vec<f64> = (0..n)
        .map(|i| 1.0 / (-h[(i, i)]).max(f64::MIN_POSITIVE).sqrt())
        .collect();
    let hs = Mat::from_fn(n, n, |i, j| -h[(i, j)] * d[i] * d[j]);
    let gs = nalgebra::DVector::from_fn(n, |i, _| g[i] * d[i]);
    let y = match hs.clone().cholesky() {
        Some(c) => c.solve(&gs),
        None => hs.lu().solve(&gs)?,
    };
    let step = nalgebra::DVector::from_fn(n, |i, _| y[i] * d[i]);
    step.iter().all(|v| v.is_finite()).then_some(step)
}

/// A candidate (P, λ) at ρ for the method scaled to L = 1, with margin s > 0 in f64 (−M ⪰ sI),
/// by a log-barrier path-following on max s; `None` when none is found. Only a candidate:
/// [`verify`] decides.
pub(crate) fn find(a: f64, beta: f64, gamma: f64, m: f64, rho: f64, attempt: usize) -> Option<Lmi> {
    // P is bounded by tr P ≤ cap: −M_uu ≥ s forces (a,0,1)P(a,0,1)ᵀ < 1, but other directions may
    // be free (Nesterov at a = 1: P + c(1,0,−1)(1,0,−1)ᵀ stays feasible for every c ≥ 0), and a
    // barrier drives P along them to the cap, where rounding P to f64 costs more than the margin.
    // So the smallest cap first; `attempt` 1 and 2 take larger ones (when 0 fails the check).
    let c = [1e1, 1e3, 1e5, 1e7].get(attempt)?;
    find_capped(a, beta, gamma, m, rho, c * (1.0 + 1.0 / (a * a)))
}

fn find_capped(a: f64, beta: f64, gamma: f64, m: f64, rho: f64, cap: f64) -> Option<Lmi> {
    find_capped_with(a, beta, gamma, m, rho, cap, true)
}

/// [`find_capped`]; `skip_fixed`: leave a centring loop at a fixed point (its test turns it off).
fn find_capped_with(
    a: f64,
    beta: f64,
    gamma: f64,
    m: f64,
    rho: f64,
    cap: f64,
    skip_fixed: bool,
) -> Option<Lmi> {
    if !cap.is_finite() {
        return None;
    }
    let cons = constraints(a, beta, gamma, m, rho, cap);
    let mut x = [0.0; NV];
    let p0 = 1e-3 / (1.0 + a * a);
    x[0] = p0;
    x[2] = p0;
    x[5] = p0;
    x[6] = 0.5;
    // start: s below the smallest eigenvalue of −M(P₀)
    x[NV - 1] = 0.0;
    let m0 = cons.lmi.at(&x);
    let lam = Mat::from_fn(4, 4, |i, j| m0[i][j])
        .symmetric_eigenvalues()
        .min();
    x[NV - 1] = lam - 1.0;
    let nu = 10.0;
    let mut tau = 1.0;
    let mut fx = factors(&cons, &x)?;
    for _outer in 0..40 {
        // centre by damped Newton
        for _ in 0..50 {
            let (v, g, h) = barrier(&cons, tau, &x, &fx)?;
            let gv = nalgebra::DVector::from_column_slice(&g);
            let step = newton_step(&h, &gv)?;
            let dec = gv.dot(&step);
            if !(dec.is_finite()) {
                return None;
            }
            if dec < 1e-8 {
                break;
            }
            let mut t = 1.0;
            let mut accepted = None;
            for _ in 0..60 {
                let mut y = x;
                for i in 0..NV {
                    y[i] += t * step[i];
                }
                if let Some((vy, fy)) = barrier_value(&cons, tau, &y)
                    && vy >= v + 0.25 * t * dec
                {
                    accepted = Some((y, fy));
                    break;
                }
                t *= 0.5;
            }
            let Some((y, fy)) = accepted else {
                break;
            };
            // a step that rounds back to x, bit for bit, is a fixed point: every later Newton
            // iteration at this τ would repeat this one exactly, so they are skipped
            if skip_fixed && y.map(f64::to_bits) == x.map(f64::to_bits) {
                #[cfg(test)]
                tests::SKIPS.with(|c| c.set(c.get() + 1));
                break;
            }
            x = y;
            fx = fy;
        }
        let s = x[NV - 1];
        if s > 0.0 && nu / tau <= s {
            break;
        }
        if s + nu / tau < 0.0 {
            return None; // even the optimum is infeasible
        }
        tau *= 16.0;
    }
    if x[NV - 1] <= 0.0 {
        return None;
    }
    let mut p = [[0.0; 3]; 3];
    for (k, &(i, j)) in PAIRS.iter().enumerate() {
        p[i][j] = x[k];
        p[j][i] = x[k];
    }
    let t = x[6].clamp(0.0, 1.0);
    Some(Lmi {
        rho,
        p,
        lambda: [1.0 - t, t],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Centring loops left at a fixed point by this thread's finder runs.
        pub(super) static SKIPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    fn r(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn the_dyadic_check_decides_as_the_rational_one() {
        // certificates found by the search, then moved: ρ lowered, P scaled, λ shifted, an entry
        // of P nudged by an ulp; both routes must agree on every one (and both verdicts occur)
        let (mut pass, mut fail) = (0, 0);
        let methods = [
            (Method::gradient_descent(0.25).unwrap(), 1.0, 4.0),
            (Method::heavy_ball(0.4, 0.2).unwrap(), 0.5, 3.0),
            (
                Method::nesterov(1.0, 0.8181818181818181).unwrap(),
                0.01,
                1.0,
            ),
            (Method::triple_momentum(1.0, 100.0).unwrap(), 1.0, 100.0),
            (Method::general(0.3, 0.5, 0.25).unwrap(), 0.1, 1.7),
            (Method::gradient_descent(3e-3).unwrap(), 7.0, 300.0),
        ];
        for (m, mu, l) in methods {
            let c = crate::certify::certified_rate(&m, mu, l).unwrap();
            let Some(lmi) = c.lmi else { continue };
            let mut cands = vec![lmi];
            for f in [1.0 - 1e-12, 1.0 - 1e-6, 0.9] {
                cands.push(Lmi {
                    rho: lmi.rho * f,
                    ..lmi
                });
            }
            for f in [1e-9, 0.5, 2.0, 1e6] {
                cands.push(Lmi {
                    p: lmi.p.map(|r| r.map(|v| v * f)),
                    ..lmi
                });
            }
            for d in [-1e-3, 1e-3, -0.5] {
                let lambda = [lmi.lambda[0] + d, lmi.lambda[1] - d];
                cands.push(Lmi { lambda, ..lmi });
            }
            for (i, j) in [(0, 0), (0, 1), (2, 2)] {
                let mut p = lmi.p;
                for v in [f64::next_up(p[i][j]), f64::next_down(p[i][j])] {
                    p[i][j] = v;
                    p[j][i] = v;
                    cands.push(Lmi { p, ..lmi });
                }
            }
            for cand in cands {
                let fast = verify(&m, mu, l, &cand).unwrap();
                assert_eq!(fast, verify_rational(&m, mu, l, &cand).unwrap(), "{cand:?}");
                if fast { pass += 1 } else { fail += 1 }
            }
        }
        assert!(pass > 10 && fail > 10, "{pass} {fail}");
    }

    #[test]
    fn skipping_fixed_points_keeps_the_finders_bits() {
        // every finder run of the certified rates of GD, HB, NAG and triple momentum at κ from 2
        // to 1e3 (the caps and loosenings `certified_rate` tries): the same candidate, bit for
        // bit, with and without the shortcut, and the shortcut is taken
        let bits = |c: Option<Lmi>| {
            c.map(|l| {
                let p = l.p.iter().flatten();
                std::iter::once(&l.rho)
                    .chain(p)
                    .chain(&l.lambda)
                    .map(|v| v.to_bits())
                    .collect::<Vec<_>>()
            })
        };
        let mut runs = 0;
        for k in [2.0, 9.0, 30.0, 200.0, 1000.0] {
            let s = crate::spectrum::Spectrum::interval(1.0 / k, 1.0).unwrap();
            for t in crate::tune::all(&s).unwrap() {
                let m = &t.method;
                let Ok(c) = crate::certify::certified_rate(m, 1.0 / k, 1.0) else {
                    continue;
                };
                let rho0 = c.lmi.map_or(0.99, |l| l.rho);
                for f in [0.0, 1e-7, 1e-5, 1e-3] {
                    let rho = rho0 + (1.0 - rho0) * f;
                    for cap in [1e1, 1e3, 1e5, 1e7] {
                        let a = m.step();
                        let cap = cap * (1.0 + 1.0 / (a * a));
                        let args = (a, m.momentum(), m.lookahead(), 1.0 / k, rho, cap);
                        let run = |skip| {
                            let (a, b, g, mm, r, c) = args;
                            find_capped_with(a, b, g, mm, r, c, skip)
                        };
                        assert_eq!(bits(run(true)), bits(run(false)), "{args:?}");
                        runs += 1;
                    }
                }
            }
        }
        assert!(runs > 300 && SKIPS.with(|c| c.get()) > 0, "{runs}");
    }

    #[test]
    fn the_integer_elimination_decides_as_the_rational_one() {
        // small symmetric integer matrices, every entry in −2..=2 on a 3 × 3 pattern
        let mut seen = [0, 0];
        for code in 0..5i64.pow(6) {
            let mut c = code;
            let mut digit = || {
                let d = c % 5 - 2;
                c /= 5;
                d
            };
            let (a, b, d, e, f, g) = (digit(), digit(), digit(), digit(), digit(), digit());
            let m = [[a, b, d], [b, e, f], [d, f, g]];
            let int = m.map(|r| r.map(BigInt::from).to_vec()).to_vec();
            let rat = m.map(|r| r.map(r_).to_vec()).to_vec();
            let got = is_psd_int(int);
            assert_eq!(got, is_psd(rat), "{m:?}");
            seen[got as usize] += 1;
        }
        assert!(seen[0] > 100 && seen[1] > 100, "{seen:?}");
    }

    fn r_(n: i64) -> BigRational {
        BigRational::from_integer(BigInt::from(n))
    }

    #[test]
    fn exact_psd_by_elimination() {
        // [[1, 1], [1, 1]] is PSD (singular), [[1, 2], [2, 1]] is not, [[0, 1], [1, 0]] is not
        assert!(is_psd(vec![vec![r(1, 1), r(1, 1)], vec![r(1, 1), r(1, 1)]]));
        assert!(!is_psd(vec![
            vec![r(1, 1), r(2, 1)],
            vec![r(2, 1), r(1, 1)]
        ]));
        assert!(!is_psd(vec![
            vec![r(0, 1), r(1, 1)],
            vec![r(1, 1), r(0, 1)]
        ]));
        // a 3×3 with a 1e-30-sized negative Schur complement
        let eps = r(1, 1) / BigRational::from_integer(BigInt::from(10).pow(30u32));
        let m = |d: BigRational| {
            vec![
                vec![r(1, 1), r(1, 1), r(0, 1)],
                vec![r(1, 1), r(1, 1) + d, r(0, 1)],
                vec![r(0, 1), r(0, 1), r(1, 1)],
            ]
        };
        assert!(is_psd(m(eps.clone())));
        assert!(!is_psd(m(-eps)));
    }
}
