//! The IQC LMI of [`crate::certify`] solved as a small SDP by clarabel (feature `sdp`): the
//! independent route to the frequency engine. Variables (P ∈ S³, λ₁, λ₂, s); at a given ρ,
//!
//! ```text
//! maximise s  s.t.  −(EᵀPE − ρ²FᵀPF + λ₁S + λ₂O(ρ)) − sI ⪰ 0,  P ⪰ 0,  λ ≥ 0,  λ₁+λ₂ = 1,  s ≤ 1
//! ```
//!
//! and ρ is feasible when the optimal margin s is **positive** and the solver's (P, λ), moved into
//! the interior by s/2 (P + εI, λ clipped at 0), passes the exact check [`super::check::verify`].
//! Bisection runs on [0, 1] with no use of the quadratic rate, so the P ⪰ 0 constraint alone
//! excludes the spurious small-ρ branch.
//!
//! Until issue 27 a margin s > −1e-10 counted as feasible. That tolerance is absolute, and the
//! LMI's true margin near the rate is of the order of 1 − ρ times the entries: at κ ≥ 100 the
//! accepted infeasible slack moved the rate below the quadratic worst case (gradient descent
//! α = 1/L at κ = 1e6: 1 − 1.8e-5 against the true 1 − 1e-6), and at α = 1e-300 every ρ was
//! "feasible" within 1e-10. Requiring s > 0 and the exact check removes both.

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, PSDTriangleConeT,
    SolverStatus, SupportedConeT, ZeroConeT,
};

use super::check::{self, Lmi};
use super::{Certificate, Engine, Outcome, RATE_TOLERANCE, check_class, quadratic_rate};
use crate::error::{Error, Result};
use crate::method::Method;

type Mat4 = [[f64; 4]; 4];

#[allow(clippy::needless_range_loop)]
fn sym_outer(a: &[f64; 4], b: &[f64; 4]) -> Mat4 {
    let mut m = [[0.0; 4]; 4];
    for i in 0..4 {
        for j in 0..4 {
            m[i][j] = 0.5 * (a[i] * b[j] + b[i] * a[j]);
        }
    }
    m
}

/// svec of a symmetric n×n matrix (upper triangle by columns, off-diagonals × √2), clarabel's
/// PSD-triangle ordering.
#[allow(clippy::needless_range_loop)] // (row, col) index pairs of a triangle read clearer
fn svec<const N: usize>(m: &[[f64; N]; N]) -> Vec<f64> {
    let mut v = Vec::with_capacity(N * (N + 1) / 2);
    for col in 0..N {
        for row in 0..=col {
            v.push(if row == col {
                m[row][col]
            } else {
                m[row][col] * std::f64::consts::SQRT_2
            });
        }
    }
    v
}

/// The LMI's optimal margin s at ρ for the method scaled to L = 1 (a = αL, m = μ/L) with the
/// solver's P and λ, or `None` when clarabel reports infeasible or fails.
fn margin(a: f64, beta: f64, gamma: f64, m: f64, rho: f64) -> Option<(f64, Lmi)> {
    // w = (x_k, x_{k−1}, ζ_k, u_k)
    let cy = [1.0 + gamma, -gamma, 0.0, 0.0];
    let cu = [0.0, 0.0, 0.0, 1.0];
    let cz = [0.0, 0.0, 1.0, 0.0];
    let cp: [f64; 4] = std::array::from_fn(|i| cu[i] - m * cy[i]);
    let cq: [f64; 4] = std::array::from_fn(|i| cy[i] - cu[i]);
    let cq_shift: [f64; 4] = std::array::from_fn(|i| cq[i] - rho * rho * cz[i]);
    // next state rows E (3×4) and current state rows F (3×4)
    let e = [[1.0 + beta, -beta, 0.0, -a], [1.0, 0.0, 0.0, 0.0], cq];
    let f = [
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0],
    ];
    let s_form = sym_outer(&cp, &cq);
    let o_form = sym_outer(&cp, &cq_shift);
    // columns of A: −svec(G_i) for the PSD(4) block, −svec(basis_i) for the PSD(3) block
    let n_var = 9;
    let mut cols: Vec<Vec<f64>> = Vec::with_capacity(n_var);
    let pairs = [(0, 0), (0, 1), (1, 1), (0, 2), (1, 2), (2, 2)];
    for &(i, j) in &pairs {
        let mut basis = [[0.0; 3]; 3];
        basis[i][j] = 1.0;
        basis[j][i] = 1.0;
        let mut g = [[0.0; 4]; 4];
        for r in 0..4 {
            for c in 0..4 {
                let mut v = 0.0;
                for k in 0..3 {
                    for l in 0..3 {
                        v += basis[k][l] * (e[k][r] * e[l][c] - rho * rho * f[k][r] * f[l][c]);
                    }
                }
                g[r][c] = -v;
            }
        }
        let mut col: Vec<f64> = svec(&g).iter().map(|x| -x).collect();
        col.extend(svec(&basis).iter().map(|x| -x));
        col.extend([0.0, 0.0, 0.0, 0.0]);
        cols.push(col);
    }
    for (k, form) in [s_form, o_form].iter().enumerate() {
        let neg: Mat4 = std::array::from_fn(|r| std::array::from_fn(|c| -form[r][c]));
        let mut col: Vec<f64> = svec(&neg).iter().map(|x| -x).collect();
        col.extend([0.0; 6]);
        let mut tail = [0.0; 4];
        tail[k] = -1.0; // λ_k ≥ 0
        tail[3] = 1.0; // λ₁ + λ₂ = 1
        col.extend(tail);
        cols.push(col);
    }
    let mut ident = [[0.0; 4]; 4];
    for (i, row) in ident.iter_mut().enumerate() {
        row[i] = -1.0;
    }
    let mut col: Vec<f64> = svec(&ident).iter().map(|x| -x).collect();
    col.extend([0.0; 6]);
    col.extend([0.0, 0.0, 1.0, 0.0]); // 1 − s ≥ 0
    cols.push(col);
    let n_row = 10 + 6 + 3 + 1;
    let mut b = vec![0.0; n_row];
    b[18] = 1.0;
    b[19] = 1.0;
    // CSC from dense columns
    let (mut colptr, mut rowval, mut nzval) = (vec![0usize], Vec::new(), Vec::new());
    for col in &cols {
        for (r, &v) in col.iter().enumerate() {
            if v != 0.0 {
                rowval.push(r);
                nzval.push(v);
            }
        }
        colptr.push(rowval.len());
    }
    let a_mat = CscMatrix::new(n_row, n_var, colptr, rowval, nzval);
    let p_mat = CscMatrix::zeros((n_var, n_var));
    let mut q = vec![0.0; n_var];
    q[8] = -1.0;
    let cones: [SupportedConeT<f64>; 4] = [
        PSDTriangleConeT(4),
        PSDTriangleConeT(3),
        NonnegativeConeT(3),
        ZeroConeT(1),
    ];
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .tol_gap_abs(1e-11)
        .tol_gap_rel(1e-11)
        .tol_feas(1e-11)
        .max_iter(100)
        .build()
        .ok()?;
    let mut solver = DefaultSolver::new(&p_mat, &q, &a_mat, &b, &cones, settings).ok()?;
    solver.solve();
    match solver.solution.status {
        SolverStatus::Solved | SolverStatus::AlmostSolved => {
            let x = &solver.solution.x;
            let mut p = [[0.0; 3]; 3];
            for (k, &(i, j)) in pairs.iter().enumerate() {
                p[i][j] = x[k];
                p[j][i] = x[k];
            }
            let lmi = Lmi {
                rho,
                p,
                lambda: [x[6].max(0.0), x[7].max(0.0)],
            };
            Some((x[8], lmi))
        }
        _ => None,
    }
}

/// The solver's certificate at ρ moved into the interior: with margin s > 0, P + εI where
/// ε = s/(2‖M(I)‖) (‖·‖ the Frobenius norm of the LMI matrix of P = I, no multipliers), so
/// that the LMI keeps a margin s/2 and P gets one of ε. `None` when s ≤ 0.
fn interior(a: f64, beta: f64, gamma: f64, m: f64, rho: f64) -> Option<Lmi> {
    let (s, mut lmi) = margin(a, beta, gamma, m, rho)?;
    if s.is_nan() || s <= 0.0 {
        return None;
    }
    let ident = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    let mi = check::lmi_matrix(&a, &beta, &gamma, &m, &(rho * rho), &ident, &0.0, &0.0);
    let norm = mi.iter().flatten().map(|v| v * v).sum::<f64>().sqrt();
    let eps = s / (2.0 * norm.max(f64::MIN_POSITIVE));
    for (i, row) in lmi.p.iter_mut().enumerate() {
        row[i] += eps;
    }
    Some(lmi)
}

/// Whether the IQC LMI is feasible at ρ by clarabel: a positive optimal margin, and the
/// certificate (moved into the interior) passes the exact check [`check::verify`].
///
/// # Examples
///
/// ```
/// use momentum::{Method, certify::sdp};
/// let gd = Method::gradient_descent(0.25)?;
/// assert!(sdp::feasible(&gd, 1.0, 4.0, 0.76)?);
/// assert!(!sdp::feasible(&gd, 1.0, 4.0, 0.74)?);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// μ, L not finite and > 0, μ > L, or ρ outside (0, 1].
pub fn feasible(method: &Method, mu: f64, l: f64, rho: f64) -> Result<bool> {
    check_class(mu, l)?;
    if !(rho > 0.0 && rho <= 1.0) {
        return Err(Error::OutOfRange {
            name: "rho",
            value: rho,
            expected: "0 < rho <= 1",
        });
    }
    let (a, beta, gamma, m) = (
        method.step() * l,
        method.momentum(),
        method.lookahead(),
        mu / l,
    );
    match interior(a, beta, gamma, m, rho) {
        Some(lmi) => check::verify(method, mu, l, &lmi),
        None => Ok(false),
    }
}

/// The certified rate by the SDP route: bisection on ρ ∈ [0, 1] of LMI feasibility.
///
/// # Examples
///
/// ```
/// use momentum::{Method, certify::sdp};
/// let c = sdp::certified_rate(&Method::gradient_descent(0.5)?, 1.0, 3.0)?;
/// assert!((c.rate.unwrap() - 0.5).abs() < 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`super::certified_rate`].
pub fn certified_rate(method: &Method, mu: f64, l: f64) -> Result<Certificate> {
    check_class(mu, l)?;
    let quadratic = quadratic_rate(method, mu, l)?;
    let mut cert = Certificate::start(mu, l, quadratic, Engine::Sdp);
    if cert.outcome != Outcome::NotFound || !feasible(method, mu, l, 1.0)? {
        return Ok(cert);
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while hi - lo > RATE_TOLERANCE.max(1e-9) * (1.0 - lo).min(1.0) {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if feasible(method, mu, l, mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let (a, beta, gamma, m) = (
        method.step() * l,
        method.momentum(),
        method.lookahead(),
        mu / l,
    );
    cert.settle(method, hi, |rho, k| {
        if k == 0 {
            interior(a, beta, gamma, m, rho)
        } else {
            None
        }
    })?;
    if let Some(lmi) = &cert.lmi {
        let total = lmi.lambda[0] + lmi.lambda[1];
        cert.multiplier = (total > 0.0).then(|| lmi.lambda[1] / total);
    }
    Ok(cert)
}
