//! Exact N-step worst case on the class F(μ, L) of L-smooth μ-strongly convex functions by
//! performance estimation (Drori & Teboulle 2014; Taylor, Hendrickx & Glineur 2017), solved as a
//! small SDP with clarabel (feature `sdp`).
//!
//! For a method of the family x_{k+1} = x_k + β(x_k − x_{k−1}) − α∇f(y_k),
//! y_k = x_k + γ(x_k − x_{k−1}), started from rest (x₋₁ = x₀), [`worst_case`] computes
//!
//! ```text
//! τ_N = sup { ‖x_N − x*‖² / ‖x₀ − x*‖² : f ∈ F(μ, L), any dimension }
//! ```
//!
//! Every iterate is a fixed combination of e₀ = x₀ − x* and the gradients g_k = ∇f(y_k), so the
//! problem is linear in the Gram matrix G ⪰ 0 of (e₀, g₀, …, g_{N−1}) and the values f_k = f(y_k)
//! (x* = 0, g* = 0, f* = 0). By Taylor et al.'s interpolation theorem the points (y_i, g_i, f_i),
//! i ∈ {*, 0, …, N−1}, come from some f ∈ F(μ, L) if and only if for every ordered pair i ≠ j
//!
//! ```text
//! f_i ≥ f_j + ⟨g_j, y_i − y_j⟩ + 1/(2(1 − μ/L)) · ( ‖g_i − g_j‖²/L + μ‖y_i − y_j‖²
//!                                                  − (2μ/L)⟨g_j − g_i, y_j − y_i⟩ )
//! ```
//!
//! so τ_N = max ⟨c_N c_Nᵀ, G⟩ subject to G₀₀ = 1, those N(N+1) linear inequalities and G ⪰ 0:
//! an SDP with an (N+1) × (N+1) matrix. The value is exact up to the solver's tolerance (clarabel's
//! defaults, 1e-8 on the residuals and the gap): [`PepWorstCase::gap`] reports the primal–dual gap.
//! PEPit (Goujaud et al.) solves the same problem; `tests/data/pep_reference.json` holds its values.
//!
//! Over quadratics with spectrum in [μ, L] (a subset of the class) the worst case is
//! [`crate::bounds::finite_horizon`], a lower bound on τ_N^{1/2}. For gradient descent with
//! 0 < α ≤ 2/L the two agree: τ_N = max(|1 − αμ|, |1 − αL|)^{2N}.

use crate::error::{Error, Result, finite};
use crate::method::Method;
use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettings, DefaultSolver, IPSolver, NonnegativeConeT, PSDTriangleConeT, SolverStatus,
    ZeroConeT,
};
use std::fmt;

/// Largest horizon [`worst_case`] accepts (the SDP has (N+1)(N+2)/2 + N unknowns and N(N+1)
/// inequalities).
pub const MAX_STEPS: usize = 100;

/// Largest primal–dual gap (relative to max(1, τ)) and residual with which a reduced-accuracy
/// clarabel exit (`AlmostSolved`) is still accepted; a full `Solved` exit meets 1e-10.
pub const ACCEPT: f64 = 1e-7;

/// The exact worst case after N steps on F(μ, L) (module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PepWorstCase {
    /// The method analysed.
    pub method: Method,
    /// Strong convexity μ.
    pub mu: f64,
    /// Smoothness L.
    pub l: f64,
    /// N.
    pub steps: usize,
    /// τ_N = sup ‖x_N − x*‖² / ‖x₀ − x*‖² (PEPit's form): the solver's primal value.
    pub worst_factor_squared: f64,
    /// √τ_N: the worst ‖x_N − x*‖ / ‖x₀ − x*‖.
    pub worst_factor: f64,
    /// |primal − dual| objective of the solve: the error bar of τ_N.
    pub gap: f64,
    /// Interior-point iterations.
    pub iterations: u32,
}

impl fmt::Display for PepWorstCase {
    /// `after 10 steps on F(1, 10): worst |x_N - x*|/|x_0 - x*| = 0.4211 (squared 0.1773)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "after {} steps on F({}, {}): worst |x_N - x*|/|x_0 - x*| = {:.6} (squared {:.6}, gap {:.1e})",
            self.steps, self.mu, self.l, self.worst_factor, self.worst_factor_squared, self.gap
        )
    }
}

/// Coefficients of x_k and y_k (k = 0 … N) in the basis (e₀, g₀, …, g_{N−1}), from rest.
fn iterates(method: &Method, steps: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let d = steps + 1;
    let (a, b, g) = (method.step(), method.momentum(), method.lookahead());
    let mut prev = vec![0.0; d];
    prev[0] = 1.0;
    let mut x = prev.clone();
    let mut ys = Vec::with_capacity(steps);
    for k in 0..steps {
        let y: Vec<f64> = (0..d).map(|i| x[i] + g * (x[i] - prev[i])).collect();
        let mut next: Vec<f64> = (0..d).map(|i| x[i] + b * (x[i] - prev[i])).collect();
        next[k + 1] -= a;
        ys.push(y);
        prev = std::mem::replace(&mut x, next);
    }
    (ys, x)
}

/// Index of G[r][c] (r ≤ c) in clarabel's svec: upper triangle, column by column.
fn svec_index(r: usize, c: usize) -> usize {
    c * (c + 1) / 2 + r
}

/// Add ⟨u, v⟩ = uᵀGv, times `w`, to a row over svec(G) (off-diagonal entries carry √2).
fn add_inner(row: &mut [f64], u: &[f64], v: &[f64], w: f64) {
    let d = u.len();
    for c in 0..d {
        for r in 0..=c {
            let coef = if r == c {
                u[r] * v[r]
            } else {
                (u[r] * v[c] + u[c] * v[r]) * std::f64::consts::FRAC_1_SQRT_2
            };
            if coef != 0.0 {
                row[svec_index(r, c)] += w * coef;
            }
        }
    }
}

/// The exact worst ‖x_N − x*‖²/‖x₀ − x*‖² of `method` after `steps` steps from rest over every
/// L-smooth μ-strongly convex function (module docs), by an interior-point SDP solve.
///
/// # Examples
///
/// ```
/// use momentum::{Method, pep};
/// // gradient descent at 1/L: (1 − μ/L)^{2N}
/// let w = pep::worst_case(&Method::gradient_descent(0.1)?, 1.0, 10.0, 3)?;
/// assert!((w.worst_factor_squared - 0.9f64.powi(6)).abs() < 1e-6, "{w}");
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// μ or L not finite ([`Error::NotFinite`]); μ < 0 or μ ≥ L, steps = 0 or above [`MAX_STEPS`]
/// ([`Error::OutOfRange`]); a solve that does not reach clarabel's `Solved` status
/// ([`Error::Unsupported`] naming the status).
pub fn worst_case(method: &Method, mu: f64, l: f64, steps: usize) -> Result<PepWorstCase> {
    finite("mu", mu)?;
    finite("L", l)?;
    if mu < 0.0 {
        return Err(Error::OutOfRange {
            name: "mu",
            value: mu,
            expected: ">= 0",
        });
    }
    if mu >= l {
        return Err(Error::OutOfRange {
            name: "mu",
            value: mu,
            expected: "< L (the interpolation conditions need L > mu)",
        });
    }
    if steps == 0 || steps > MAX_STEPS {
        return Err(Error::OutOfRange {
            name: "steps",
            value: steps as f64,
            expected: "1 ..= 100",
        });
    }
    let d = steps + 1;
    let nv = d * (d + 1) / 2;
    let n = nv + steps;
    let (ys, xn) = iterates(method, steps);
    // points: index 0 = x* (y = 0, g = 0, f = 0), index k + 1 = y_k with g = basis k + 1
    let zero = vec![0.0; d];
    let basis = |k: usize| {
        let mut e = vec![0.0; d];
        e[k] = 1.0;
        e
    };
    let pts: Vec<(Vec<f64>, Vec<f64>, Option<usize>)> = std::iter::once((zero.clone(), zero, None))
        .chain(
            ys.iter()
                .enumerate()
                .map(|(k, y)| (y.clone(), basis(k + 1), Some(nv + k))),
        )
        .collect();
    let kappa_term = 1.0 / (2.0 * (1.0 - mu / l));
    let mut rows: Vec<Vec<f64>> = Vec::with_capacity(pts.len() * pts.len());
    for (i, (yi, gi, fi)) in pts.iter().enumerate() {
        for (j, (yj, gj, fj)) in pts.iter().enumerate() {
            if i == j {
                continue;
            }
            // f_j − f_i + ⟨g_j, y_i − y_j⟩ + κ-term ≤ 0
            let mut row = vec![0.0; n];
            if let Some(c) = fj {
                row[*c] += 1.0;
            }
            if let Some(c) = fi {
                row[*c] -= 1.0;
            }
            let dy: Vec<f64> = yi.iter().zip(yj).map(|(a, b)| a - b).collect();
            let dg: Vec<f64> = gi.iter().zip(gj).map(|(a, b)| a - b).collect();
            add_inner(&mut row, gj, &dy, 1.0);
            add_inner(&mut row, &dg, &dg, kappa_term / l);
            add_inner(&mut row, &dy, &dy, kappa_term * mu);
            // −(2μ/L)⟨g_j − g_i, y_j − y_i⟩ = −(2μ/L)⟨dg, dy⟩
            add_inner(&mut row, &dg, &dy, -kappa_term * 2.0 * mu / l);
            rows.push(row);
        }
    }
    let m_ineq = rows.len();
    // A z + s = b: [G₀₀ = 1 (zero cone); inequalities (nonnegative cone); −svec(G) (PSD cone)]
    let (mut ti, mut tj, mut tv) = (vec![0], vec![svec_index(0, 0)], vec![1.0]);
    let mut b = vec![1.0];
    for (r, row) in rows.iter().enumerate() {
        for (c, &v) in row.iter().enumerate() {
            if v != 0.0 {
                ti.push(1 + r);
                tj.push(c);
                tv.push(v);
            }
        }
        b.push(0.0);
    }
    for k in 0..nv {
        ti.push(1 + m_ineq + k);
        tj.push(k);
        tv.push(-1.0);
        b.push(0.0);
    }
    let a = CscMatrix::new_from_triplets(1 + m_ineq + nv, n, ti, tj, tv);
    let p = CscMatrix::zeros((n, n));
    let mut q = vec![0.0; n];
    add_inner(&mut q, &xn, &xn, -1.0);
    let cones = [ZeroConeT(1), NonnegativeConeT(m_ineq), PSDTriangleConeT(d)];
    let settings = DefaultSettings {
        verbose: false,
        tol_gap_abs: 1e-12,
        tol_gap_rel: 1e-12,
        tol_feas: 1e-12,
        max_iter: 400,
        ..DefaultSettings::default()
    };
    let mut solver = DefaultSolver::new(&p, &q, &a, &b, &cones, settings)
        .map_err(|e| Error::Unsupported(format!("the PEP SDP could not be set up: {e}")))?;
    solver.solve();
    let s = &solver.solution;
    let tau = (-s.obj_val).max(0.0);
    let gap = (s.obj_val - s.obj_val_dual).abs();
    // accept clarabel's reduced-accuracy exit when its own gap and residuals meet ACCEPT
    let close = gap <= ACCEPT * tau.max(1.0) && s.r_prim <= ACCEPT && s.r_dual <= ACCEPT;
    let ok = match s.status {
        SolverStatus::Solved => true,
        SolverStatus::AlmostSolved => close,
        _ => false,
    };
    if !ok || !tau.is_finite() {
        return Err(Error::Unsupported(format!(
            "the PEP SDP (N = {steps}, mu = {mu}, L = {l}) did not solve: clarabel status {:?}, gap {gap:e}",
            s.status
        )));
    }
    Ok(PepWorstCase {
        method: *method,
        mu,
        l,
        steps,
        worst_factor_squared: tau,
        worst_factor: tau.sqrt(),
        gap,
        iterations: s.iterations,
    })
}
