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
//! [`worst_case_steps`] does the same for a step list, per-step coefficients (αₖ, βₖ, γₖ),
//! k = 0 … N − 1 (a schedule, issue 24): x_{k+1} = x_k + βₖ(x_k − x_{k−1}) − αₖ∇f(y_k),
//! y_k = x_k + γₖ(x_k − x_{k−1}), from rest. The SDP below is built step by step either way, and the
//! constant method is the list of N copies of it ([`worst_case_with`] is that call).
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
//! an SDP with an (N+1) × (N+1) matrix ([`Formulation::GradientPrimal`]). The default
//! ([`Formulation::IterateDual`]) solves its Lagrange dual, min τ over multipliers λ ≥ 0 with
//! τE₀₀ + Σ λ_ij M_ij − c_N c_Nᵀ ⪰ 0, in the basis of the iterates x₀ − x*, …, x_N − x* (the
//! change of basis is triangular with diagonal (1, −α, …, −α), so exact for α > 0): there
//! y_k = (1+γ)x_k − γx_{k−1} and αg_k = (1+β)x_k − βx_{k−1} − x_{k+1}, every inequality touches
//! at most 21 Gram entries. It is solved by a dedicated primal–dual interior-point method (HKM
//! direction, a dense Schur complement over (svec G, f), no BLAS; clarabel when it does not
//! converge, [`Formulation::IterateDualClarabel`] always). The value is exact up to the solver's
//! tolerance (gap ≤ 1e-9 τ or 1e-13; clarabel: 1e-12 on the residuals and the gap):
//! [`PepWorstCase::gap`] reports the primal–dual gap.
//! [`worst_case_detailed`] also returns the dual multipliers λ_ij and a worst-case function's
//! samples (y_k, g_k, f_k, x_k from an eigen-factorisation of the primal Gram matrix), each
//! re-checked without the solver ([`PepCheck`]).
//! PEPit (Goujaud et al.) solves the same problem; `tests/data/pep_reference.json` holds its values
//! (`tests/data/pep_steps_reference.json` for step lists).
//!
//! Over quadratics with spectrum in [μ, L] (a subset of the class) the worst case is
//! [`crate::bounds::finite_horizon`], a lower bound on τ_N^{1/2}. For gradient descent with
//! 0 < α ≤ 2/L the two agree: τ_N = max(|1 − αμ|, |1 − αL|)^{2N}. For a step list the quadratic
//! worst case max_λ |P_N(λ)|² (the product of the per-step 2×2 matrices) is still a lower bound,
//! but no longer the answer even for gradient descent: a step in (2/(μ+L), 2/L) followed by short
//! ones is worse on a piecewise quadratic (see [`worst_case_steps`]); Chebyshev steps, optimal on
//! quadratics (1/T_N² = 0.0057 at μ = 0.1, L = 1, N = 5), have τ_5 = 13.3 on F(μ, L).

use crate::error::{Error, Result, finite};
use crate::method::Method;
use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettings, DefaultSolver, IPSolver, NonnegativeConeT, PSDTriangleConeT, SolverStatus,
    SupportedConeT, ZeroConeT,
};
use std::fmt;

mod ipm;

/// Largest horizon [`worst_case`] accepts, and longest list [`worst_case_steps`] accepts (the SDP
/// has an (N+1) × (N+1) matrix and N(N+1) interpolation inequalities).
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

/// A sparse vector: (index, value) pairs, indices increasing and distinct.
type Sparse = Vec<(usize, f64)>;

/// Sort by index and add up repeated indices (zeros dropped).
fn merged(v: Sparse) -> Sparse {
    if v.len() > 32 {
        return merged_dense(&v);
    }
    merged_sorted(v)
}

/// [`merged`] by a stable sort on the index.
fn merged_sorted(mut v: Sparse) -> Sparse {
    v.sort_by_key(|e| e.0);
    let mut out: Sparse = Vec::with_capacity(v.len());
    for (i, x) in v {
        match out.last_mut() {
            Some(last) if last.0 == i => last.1 += x,
            _ => out.push((i, x)),
        }
    }
    out.retain(|e| e.1 != 0.0);
    out
}

/// [`merged`] without the sort, for the long lists of the interpolation rows (hundreds of
/// products over a few dozen indices): the values of each index summed in the list's order, as
/// the stable sort leaves them, so the same numbers.
fn merged_dense(v: &[(usize, f64)]) -> Sparse {
    let top = v.iter().map(|e| e.0).max().map_or(0, |i| i + 1);
    let mut sum: Vec<Option<f64>> = vec![None; top];
    for &(i, x) in v {
        sum[i] = Some(sum[i].map_or(x, |a| a + x));
    }
    sum.iter()
        .enumerate()
        .filter_map(|(i, s)| s.filter(|x| *x != 0.0).map(|x| (i, x)))
        .collect()
}

/// a·u + b·v.
fn combine(u: &Sparse, a: f64, v: &Sparse, b: f64) -> Sparse {
    merged(
        u.iter()
            .map(|&(i, x)| (i, a * x))
            .chain(v.iter().map(|&(i, x)| (i, b * x)))
            .collect(),
    )
}

/// Index of G[r][c] (r ≤ c) in clarabel's svec: upper triangle, column by column.
fn svec_index(r: usize, c: usize) -> usize {
    c * (c + 1) / 2 + r
}

/// Push w·⟨u, v⟩ = w·uᵀGv as coefficients over svec(G) (off-diagonal entries carry 1/√2, the
/// svec inner product; repeated indices are merged later).
fn push_inner(row: &mut Sparse, u: &Sparse, v: &Sparse, w: f64) {
    for &(i, a) in u {
        for &(j, b) in v {
            let (r, c) = (i.min(j), i.max(j));
            let coef = if r == c {
                a * b
            } else {
                a * b * std::f64::consts::FRAC_1_SQRT_2
            };
            row.push((svec_index(r, c), w * coef));
        }
    }
}

/// One interpolation point: y, g in the Gram basis, and the column of f (None for x*).
type Point = (Sparse, Sparse, Option<usize>);

/// The points (x*, y₀ … y_{N−1}) and the objective vector x_N − x* in the chosen basis of
/// dimension N + 1, from rest (x₋₁ = x₀), step k using `list[k]`'s (αₖ, βₖ, γₖ). f_k is column
/// `nv + k`.
fn points(list: &[Method], form: Formulation) -> (Vec<Point>, Sparse) {
    let steps = list.len();
    let d = steps + 1;
    let nv = d * (d + 1) / 2;
    let coef = |k: usize| (list[k].step(), list[k].momentum(), list[k].lookahead());
    let unit = |k: usize| -> Sparse { vec![(k, 1.0)] };
    let mut pts: Vec<Point> = vec![(Vec::new(), Vec::new(), None)];
    match form {
        Formulation::IterateDual | Formulation::IterateDualClarabel => {
            // basis x₀ … x_N: y_k = (1+γₖ)x_k − γₖx_{k−1}, αₖg_k = (1+βₖ)x_k − βₖx_{k−1} − x_{k+1}
            for k in 0..steps {
                let (a, b, g) = coef(k);
                let km = k.saturating_sub(1);
                let y = combine(&unit(k), 1.0 + g, &unit(km), -g);
                let gk = combine(
                    &combine(&unit(k), (1.0 + b) / a, &unit(km), -b / a),
                    1.0,
                    &unit(k + 1),
                    -1.0 / a,
                );
                pts.push((y, gk, Some(nv + k)));
            }
            (pts, unit(steps))
        }
        Formulation::GradientPrimal => {
            // basis e₀ = x₀ − x*, g₀ … g_{N−1}: run the recursion on coefficient vectors
            let dense = |v: &[f64]| -> Sparse {
                v.iter()
                    .enumerate()
                    .filter(|e| *e.1 != 0.0)
                    .map(|(i, &x)| (i, x))
                    .collect()
            };
            let mut prev = vec![0.0; d];
            prev[0] = 1.0;
            let mut x = prev.clone();
            for k in 0..steps {
                let (a, b, g) = coef(k);
                let y: Vec<f64> = (0..d).map(|i| x[i] + g * (x[i] - prev[i])).collect();
                let mut next: Vec<f64> = (0..d).map(|i| x[i] + b * (x[i] - prev[i])).collect();
                next[k + 1] -= a;
                pts.push((dense(&y), unit(k + 1), Some(nv + k)));
                prev = std::mem::replace(&mut x, next);
            }
            (pts, dense(&x))
        }
    }
}

/// The N(N+1) interpolation inequalities as rows r with ⟨r, (svec G, f)⟩ ≤ 0 (module docs).
fn interpolation_rows(pts: &[Point], mu: f64, l: f64) -> Vec<Sparse> {
    let c = 1.0 / (2.0 * (1.0 - mu / l));
    let mut rows = Vec::with_capacity(pts.len() * pts.len());
    for (i, (yi, gi, fi)) in pts.iter().enumerate() {
        for (j, (yj, gj, fj)) in pts.iter().enumerate() {
            if i == j {
                continue;
            }
            // f_j − f_i + ⟨g_j, y_i − y_j⟩ + c(‖dg‖²/L + μ‖dy‖² − (2μ/L)⟨dg, dy⟩) ≤ 0
            let mut row: Sparse = Vec::new();
            if let Some(k) = fj {
                row.push((*k, 1.0));
            }
            if let Some(k) = fi {
                row.push((*k, -1.0));
            }
            let dy = combine(yi, 1.0, yj, -1.0);
            let dg = combine(gi, 1.0, gj, -1.0);
            push_inner(&mut row, gj, &dy, 1.0);
            push_inner(&mut row, &dg, &dg, c / l);
            push_inner(&mut row, &dy, &dy, c * mu);
            push_inner(&mut row, &dg, &dy, -2.0 * c * mu / l);
            rows.push(merged(row));
        }
    }
    rows
}

/// Clarabel's data (P = 0, q, A, b, cones) of one formulation.
struct Conic {
    q: Vec<f64>,
    a: CscMatrix<f64>,
    b: Vec<f64>,
    cones: Vec<SupportedConeT<f64>>,
}

/// Primal: min −⟨C, G⟩ over (svec G, f) s.t. G₀₀ = 1, rows ≤ 0, G ⪰ 0 (C = objective ⊗ objective).
fn primal(rows: &[Sparse], objective: &Sparse, d: usize, steps: usize) -> Conic {
    let nv = d * (d + 1) / 2;
    let m = rows.len();
    let (mut ti, mut tj, mut tv) = (vec![0], vec![svec_index(0, 0)], vec![1.0]);
    let mut b = vec![1.0];
    for (r, row) in rows.iter().enumerate() {
        for &(c, v) in row {
            ti.push(1 + r);
            tj.push(c);
            tv.push(v);
        }
        b.push(0.0);
    }
    for k in 0..nv {
        ti.push(1 + m + k);
        tj.push(k);
        tv.push(-1.0);
        b.push(0.0);
    }
    let n = nv + steps;
    let mut q = vec![0.0; n];
    let mut c = Vec::new();
    push_inner(&mut c, objective, objective, -1.0);
    for (k, v) in merged(c) {
        q[k] = v;
    }
    Conic {
        q,
        a: CscMatrix::new_from_triplets(1 + m + nv, n, ti, tj, tv),
        b,
        cones: vec![ZeroConeT(1), NonnegativeConeT(m), PSDTriangleConeT(d)],
    }
}

/// Lagrange dual: min τ over (τ, λ) s.t. Σ λ_r a_r = 0 (the f columns), λ ≥ 0,
/// τE₀₀ + Σ λ_r M_r − C ⪰ 0, where row r = (svec M_r, a_r).
fn dual(rows: &[Sparse], objective: &Sparse, d: usize, steps: usize) -> Conic {
    let nv = d * (d + 1) / 2;
    let m = rows.len();
    // rows of A: [f balance (zero cone, N); −λ (nonnegative, m); −svec(τE₀₀ + ΣλM) (PSD)]
    let psd = steps + m;
    let (mut ti, mut tj, mut tv) = (vec![psd + svec_index(0, 0)], vec![0], vec![-1.0]);
    for (r, row) in rows.iter().enumerate() {
        for &(c, v) in row {
            if c >= nv {
                ti.push(c - nv);
                tv.push(v);
            } else {
                ti.push(psd + c);
                tv.push(-v);
            }
            tj.push(1 + r);
        }
        ti.push(steps + r);
        tj.push(1 + r);
        tv.push(-1.0);
    }
    let mut b = vec![0.0; psd + nv];
    let mut c = Vec::new();
    push_inner(&mut c, objective, objective, -1.0);
    for (k, v) in merged(c) {
        b[psd + k] = v;
    }
    let mut q = vec![0.0; 1 + m];
    q[0] = 1.0;
    Conic {
        q,
        a: CscMatrix::new_from_triplets(psd + nv, 1 + m, ti, tj, tv),
        b,
        cones: vec![ZeroConeT(steps), NonnegativeConeT(m), PSDTriangleConeT(d)],
    }
}

/// Which SDP [`worst_case_with`] builds; both give τ_N to the solver's tolerance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Formulation {
    /// The default: the Lagrange dual of the PEP (one multiplier per interpolation inequality),
    /// with the Gram matrix written in the basis of the iterates x₀ − x*, …, x_N − x*. Each
    /// inequality then touches a handful of Gram entries (y_k and g_k are 2- and 3-term
    /// combinations of iterates, as α > 0), and the KKT systems factor ~5× faster.
    /// It is solved by a dedicated primal–dual interior-point method (Mehrotra predictor–corrector,
    /// HKM direction, a dense Schur complement of order (N+1)(N+2)/2 + N − 1, no BLAS), with
    /// clarabel as the fallback when that does not converge.
    #[default]
    IterateDual,
    /// The same SDP as [`Formulation::IterateDual`] always handed to clarabel: the default's
    /// fallback, and the check of its dedicated solver.
    IterateDualClarabel,
    /// The PEP as first written: max ⟨C, G⟩ over the Gram matrix of (x₀ − x*, g₀, …, g_{N−1})
    /// and the values f_k (dense rows). Kept as the independent check of the default.
    GradientPrimal,
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
    worst_case_with(method, mu, l, steps, Formulation::default())
}

/// [`worst_case`] with a chosen [`Formulation`] (the two are independent routes to τ_N).
///
/// The constant method is the step list of `steps` copies of `method`: this is
/// [`worst_case_steps`] on that list (the same SDP, number for number).
///
/// # Examples
///
/// ```
/// use momentum::{Method, pep};
/// let m = Method::nesterov(0.1, 0.5)?;
/// let a = pep::worst_case_with(&m, 1.0, 10.0, 4, pep::Formulation::IterateDual)?;
/// let b = pep::worst_case_with(&m, 1.0, 10.0, 4, pep::Formulation::GradientPrimal)?;
/// assert!((a.worst_factor_squared - b.worst_factor_squared).abs() < 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`worst_case`].
pub fn worst_case_with(
    method: &Method,
    mu: f64,
    l: f64,
    steps: usize,
    form: Formulation,
) -> Result<PepWorstCase> {
    // checked before the list is built (a huge `steps` is refused without allocating it)
    check(mu, l, steps)?;
    let w = worst_case_steps(&vec![*method; steps], mu, l, form)?;
    Ok(PepWorstCase {
        method: *method,
        mu: w.mu,
        l: w.l,
        steps: w.steps,
        worst_factor_squared: w.worst_factor_squared,
        worst_factor: w.worst_factor,
        gap: w.gap,
        iterations: w.iterations,
    })
}

/// The exact worst case after N steps of a step list on F(μ, L) ([`worst_case_steps`]): the
/// fields of [`PepWorstCase`] without the method (the caller holds the list).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PepStepsWorstCase {
    /// Strong convexity μ.
    pub mu: f64,
    /// Smoothness L.
    pub l: f64,
    /// N, the length of the list.
    pub steps: usize,
    /// τ_N = sup ‖x_N − x*‖² / ‖x₀ − x*‖²: the solver's value.
    pub worst_factor_squared: f64,
    /// √τ_N: the worst ‖x_N − x*‖ / ‖x₀ − x*‖.
    pub worst_factor: f64,
    /// |primal − dual| objective of the solve: the error bar of τ_N.
    pub gap: f64,
    /// Interior-point iterations.
    pub iterations: u32,
}

impl fmt::Display for PepStepsWorstCase {
    /// `after 5 listed steps on F(0.1, 1): worst |x_N - x*|/|x_0 - x*| = …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "after {} listed steps on F({}, {}): worst |x_N - x*|/|x_0 - x*| = {:.6} (squared {:.6}, gap {:.1e})",
            self.steps, self.mu, self.l, self.worst_factor, self.worst_factor_squared, self.gap
        )
    }
}

/// The exact worst ‖x_N − x*‖²/‖x₀ − x*‖² over every L-smooth μ-strongly convex function of the
/// time-varying method with per-step coefficients `list[k]` = (αₖ, βₖ, γₖ), k = 0 … N − 1:
///
/// ```text
/// x_{k+1} = x_k + βₖ(x_k − x_{k−1}) − αₖ∇f(x_k + γₖ(x_k − x_{k−1})),   x₋₁ = x₀ (rest)
/// ```
///
/// (β₀ and γ₀ act on x₀ − x₋₁ = 0 and so do not matter). The SDP is the constant method's (module
/// docs) with step k's coefficients in step k's rows: in [`Formulation::IterateDual`]
/// y_k = (1+γₖ)x_k − γₖx_{k−1} and αₖg_k = (1+βₖ)x_k − βₖx_{k−1} − x_{k+1}, a triangular change of
/// basis with diagonal (1, −α₀, …, −α_{N−1}), exact as every αₖ > 0. On quadratics with spectrum
/// in [μ, L] the same list gives e_N = P_N(λ)e₀ with P_N the product of the per-step 2×2 matrices
/// (REFERENCE.md §9); max |P_N|² over [μ, L] is a lower bound on τ_N. For gradient descent with
/// steps hₖ the one-step contraction gives the upper bound Πₖ max((1 − hₖμ)², (1 − hₖL)²); when
/// every hₖ ≤ 2/(μ + L) both bounds are the quadratic at λ = μ and τ_N is that. With some hₖ in
/// (2/(μ + L), 2/L) either bound can be strict. A long step followed by short ones is worse on a
/// piecewise quadratic than on any quadratic: μ = 1, L = 10, h = (0.19, 0.035, 0.065) gives
/// τ₃ = 0.659421 = the product, attained by f'(x) = Lx (x ≥ 0), μx (x < 0) from x₀ = 1, against
/// 0.534131 on quadratics; the reverse order of lengths, h = (0.05, 0.19), gives τ₂ = 0.592130 =
/// the quadratic at μ, below the product 0.731025 (docs/DESIGN.md).
///
/// # Examples
///
/// ```
/// use momentum::{Method, pep};
/// // gradient descent with steps 0.1, 0.15 ≤ 2/(μ + L) on F(1, 10): every factor is largest
/// // at λ = μ, so the worst case is the quadratic at μ, (1 − 0.1)²(1 − 0.15)²
/// let list = [Method::gradient_descent(0.1)?, Method::gradient_descent(0.15)?];
/// let w = pep::worst_case_steps(&list, 1.0, 10.0, pep::Formulation::default())?;
/// assert!((w.worst_factor_squared - (0.9f64 * 0.85).powi(2)).abs() < 1e-6, "{w}");
/// // a constant list is the constant method
/// let gd = Method::gradient_descent(0.1)?;
/// let c = pep::worst_case_steps(&[gd; 3], 1.0, 10.0, pep::Formulation::default())?;
/// assert_eq!(c.worst_factor_squared, pep::worst_case(&gd, 1.0, 10.0, 3)?.worst_factor_squared);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`worst_case`], with N = `list.len()`: μ or L not finite ([`Error::NotFinite`]); μ < 0 or
/// μ ≥ L, an empty list or one longer than [`MAX_STEPS`] ([`Error::OutOfRange`], name `steps`); a
/// solve that does not reach clarabel's `Solved` status ([`Error::Unsupported`]). The entries
/// themselves are valid by construction ([`Method`]: αₖ > 0, βₖ and γₖ finite).
pub fn worst_case_steps(
    list: &[Method],
    mu: f64,
    l: f64,
    form: Formulation,
) -> Result<PepStepsWorstCase> {
    solve(list, mu, l, form).map(|s| s.result)
}

/// One solve's variables: λ_r (one per interpolation row, in the order of `interpolation_rows`),
/// and the primal PEP's svec(G) and f_k (dual formulations only; empty for the gradient primal).
struct Solved {
    result: PepStepsWorstCase,
    multipliers: Vec<f64>,
    gram: Vec<f64>,
    values: Vec<f64>,
}

/// The solve behind [`worst_case_steps`].
fn solve(list: &[Method], mu: f64, l: f64, form: Formulation) -> Result<Solved> {
    let steps = list.len();
    check(mu, l, steps)?;
    let d = steps + 1;
    let (pts, objective) = points(list, form);
    let rows = interpolation_rows(&pts, mu, l);
    let result = |tau: f64, gap: f64, iterations: u32| PepStepsWorstCase {
        mu,
        l,
        steps,
        worst_factor_squared: tau,
        worst_factor: tau.sqrt(),
        gap,
        iterations,
    };
    if form == Formulation::IterateDual {
        let mut c = Vec::new();
        push_inner(&mut c, &objective, &objective, 1.0);
        if let Some(s) = ipm::solve(&rows, &merged(c), d, steps) {
            let tau = s.tau.max(0.0);
            return Ok(Solved {
                result: result(tau, s.gap, s.iterations),
                multipliers: s.multipliers,
                gram: s.gram,
                values: s.values,
            });
        }
    }
    let conic = match form {
        Formulation::IterateDual | Formulation::IterateDualClarabel => {
            dual(&rows, &objective, d, steps)
        }
        Formulation::GradientPrimal => primal(&rows, &objective, d, steps),
    };
    // the dual minimises τ_N itself; the primal minimises −τ_N
    let negate = matches!(form, Formulation::GradientPrimal);
    let (tau, gap, s) = solve_conic(&conic, negate, &format!("N = {steps}, mu = {mu}, L = {l}"))?;
    let m = rows.len();
    let (multipliers, gram, values) = if negate {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        // clarabel's x = (τ, λ); z = (−f on the balance rows, λ's duals, svec G)
        (
            s.x[1..].to_vec(),
            s.z[steps + m..].to_vec(),
            s.z[..steps].iter().map(|v| -v).collect(),
        )
    };
    Ok(Solved {
        result: result(tau, gap, s.iterations),
        multipliers,
        gram,
        values,
    })
}

/// The arguments every PEP solve refuses: μ, L not finite; μ < 0 or μ ≥ L; N = 0 or above
/// [`MAX_STEPS`].
fn check(mu: f64, l: f64, steps: usize) -> Result<()> {
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
    Ok(())
}

/// Tolerance of [`PepCheck`]: every residual at most this (relative to max(1, the scale of what
/// it measures)) for [`PepCheck::passed`].
pub const CHECK_TOL: f64 = 1e-6;

/// One dual multiplier λ_ij ≥ 0: the weight of the interpolation inequality
/// f_i ≥ f_j + ⟨g_j, y_i − y_j⟩ + 1/(2(1 − μ/L))(‖g_i − g_j‖²/L + μ‖y_i − y_j‖² − (2μ/L)⟨g_j − g_i, y_j − y_i⟩).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PepMultiplier {
    /// i: `None` for the minimiser x*, `Some(k)` for y_k (k = 0 … N − 1).
    pub i: Option<usize>,
    /// j, as i.
    pub j: Option<usize>,
    /// λ_ij, the solver's value (may be a rounding-size negative; [`PepCheck::min_multiplier`]).
    pub value: f64,
}

/// A worst-case instance: the samples (y_k, g_k, f_k) of a function of F(μ, L) on which the method
/// from x₀ reaches ‖x_N − x*‖² = τ_N‖x₀ − x*‖², in coordinates of dimension the numerical rank of
/// the worst-case Gram matrix, with x* = 0, ∇f(x*) = 0, f(x*) = 0 (not listed).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PepSamples {
    /// y₀ … y_{N−1}, where the gradients are taken.
    pub points: Vec<Vec<f64>>,
    /// g_k = ∇f(y_k).
    pub gradients: Vec<Vec<f64>>,
    /// f_k = f(y_k) − f(x*).
    pub values: Vec<f64>,
    /// x₀ … x_N (‖x₀‖ = 1 up to rounding).
    pub iterates: Vec<Vec<f64>>,
}

/// The solver-independent check of a [`PepDetailed`]: residuals recomputed from the returned
/// numbers alone (dense matrices built from the method's coefficients, not the solver's data).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PepCheck {
    /// min λ_ij (≥ −tol: dual feasibility of the multipliers).
    pub min_multiplier: f64,
    /// Smallest eigenvalue of S = τE₀₀ + Σ λ_ij M_ij − c_N c_Nᵀ in the iterate basis (≥ −tol: τ is
    /// then an upper bound up to tol).
    pub dual_min_eigenvalue: f64,
    /// max_k |Σ λ (coefficient of f_k)|: the multipliers must cancel the function values.
    pub balance_residual: f64,
    /// Largest ‖·‖ residual of the update lines x_{k+1} = x_k + βₖ(x_k − x_{k−1}) − αₖg_k,
    /// y_k = (1+γₖ)x_k − γₖx_{k−1} on the samples (from rest).
    pub update_residual: f64,
    /// Largest violation (≥ 0) of an interpolation inequality of F(μ, L) by the samples.
    pub interpolation_violation: f64,
    /// ‖x_N‖²/‖x₀‖² of the samples (≈ τ_N: the worst case is attained).
    pub ratio: f64,
    /// Every residual within [`CHECK_TOL`] and |ratio − τ| ≤ CHECK_TOL·max(1, τ).
    pub passed: bool,
}

/// [`worst_case_steps`] with its certificate and a worst-case function (PEPit 0.5's dual values and
/// worst-case samples), both checked here without the solver ([`PepCheck`]).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PepDetailed {
    /// τ_N and the solve's gap (the same numbers as [`worst_case_steps`] with the default
    /// formulation).
    pub worst_case: PepStepsWorstCase,
    /// λ_ij for every ordered pair i ≠ j of {*, 0, …, N − 1}, i outer, * first.
    pub multipliers: Vec<PepMultiplier>,
    /// The worst-case function's samples.
    pub samples: PepSamples,
    /// The independent check of both.
    pub check: PepCheck,
}

/// The exact N-step worst case of a step list ([`worst_case_steps`], [`Formulation::IterateDual`])
/// with the dual multipliers λ_ij and the worst-case samples, each verified without the solver.
///
/// The multipliers are the dual formulation's variables; the Gram matrix G of (x₀, …, x_N) and the
/// values f_k are the primal PEP's (the dedicated solver's u; clarabel's dual variables of the PSD
/// and equality cones when it falls back).
/// G = VΛVᵀ gives the iterates as the rows of VΛ₊^{1/2} (eigenvalues above 1e-10·max kept: the
/// dimension is the numerical rank), and then y_k = (1+γₖ)x_k − γₖx_{k−1},
/// g_k = ((1+βₖ)x_k − βₖx_{k−1} − x_{k+1})/αₖ. [`PepCheck`] re-derives the dual matrix and the
/// interpolation inequalities densely from the coefficients and reports every residual.
///
/// # Examples
///
/// ```
/// use momentum::{Method, pep};
/// let hb = Method::heavy_ball(0.1, 0.5)?;
/// let w = pep::worst_case_detailed(&[hb; 3], 1.0, 10.0)?;
/// assert!(w.check.passed, "{:?}", w.check);
/// assert!((w.check.ratio - w.worst_case.worst_factor_squared).abs() < 1e-6);
/// assert_eq!(w.multipliers.len(), 4 * 3); // (N + 1)N ordered pairs
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`worst_case_steps`]; a symmetric eigen-decomposition that fails to converge
/// ([`Error::Unsupported`]).
pub fn worst_case_detailed(list: &[Method], mu: f64, l: f64) -> Result<PepDetailed> {
    let Solved {
        result: w,
        multipliers: lam,
        gram: psd,
        values,
    } = solve(list, mu, l, Formulation::IterateDual)?;
    let n = list.len();
    let d = n + 1;
    let m = (n + 1) * n;
    let tau = w.worst_factor_squared;
    if lam.len() != m || psd.len() != d * (d + 1) / 2 || values.len() != n {
        return Err(Error::Unsupported(
            "the PEP solution has an unexpected size".into(),
        ));
    }
    // the pairs in the order of interpolation_rows: point p = 0 is x*, p = k + 1 is y_k
    let label = |p: usize| p.checked_sub(1);
    let mut multipliers = Vec::with_capacity(m);
    let mut r = 0;
    for i in 0..d {
        for j in 0..d {
            if i != j {
                multipliers.push(PepMultiplier {
                    i: label(i),
                    j: label(j),
                    value: lam[r],
                });
                r += 1;
            }
        }
    }
    // the primal: G = smat(svec G)
    let mut g = nalgebra::DMatrix::<f64>::zeros(d, d);
    for c in 0..d {
        for rr in 0..=c {
            let v = psd[svec_index(rr, c)];
            let v = if rr == c {
                v
            } else {
                v * std::f64::consts::FRAC_1_SQRT_2
            };
            g[(rr, c)] = v;
            g[(c, rr)] = v;
        }
    }
    let eig = nalgebra::SymmetricEigen::try_new(g, f64::EPSILON, 10_000).ok_or_else(|| {
        Error::Unsupported("the worst-case Gram matrix's eigen-decomposition failed".into())
    })?;
    let top = eig.eigenvalues.iter().copied().fold(0.0f64, f64::max);
    let keep: Vec<usize> = (0..d)
        .filter(|&k| eig.eigenvalues[k] > 1e-10 * top.max(f64::MIN_POSITIVE))
        .collect();
    let iterates: Vec<Vec<f64>> = (0..d)
        .map(|row| {
            keep.iter()
                .map(|&k| eig.eigenvectors[(row, k)] * eig.eigenvalues[k].sqrt())
                .collect()
        })
        .collect();
    let r_dim = keep.len();
    let lin = |terms: &[(f64, &Vec<f64>)]| -> Vec<f64> {
        (0..r_dim)
            .map(|c| terms.iter().map(|(a, v)| a * v[c]).sum())
            .collect()
    };
    let coef = |k: usize| (list[k].step(), list[k].momentum(), list[k].lookahead());
    let mut points = Vec::with_capacity(n);
    let mut gradients = Vec::with_capacity(n);
    for k in 0..n {
        let (a, b, c) = coef(k);
        let (xk, xp) = (&iterates[k], &iterates[k.saturating_sub(1)]);
        points.push(lin(&[(1.0 + c, xk), (-c, xp)]));
        gradients.push(lin(&[
            ((1.0 + b) / a, xk),
            (-b / a, xp),
            (-1.0 / a, &iterates[k + 1]),
        ]));
    }
    let samples = PepSamples {
        points,
        gradients,
        values,
        iterates,
    };
    let check = verify(list, mu, l, tau, &multipliers, &samples);
    Ok(PepDetailed {
        worst_case: w,
        multipliers,
        samples,
        check,
    })
}

fn dot(u: &[f64], v: &[f64]) -> f64 {
    u.iter().zip(v).map(|(a, b)| a * b).sum()
}

fn sub(u: &[f64], v: &[f64]) -> Vec<f64> {
    u.iter().zip(v).map(|(a, b)| a - b).collect()
}

/// The interpolation inequality (i, j) as "lhs ≤ 0": f_j − f_i + ⟨g_j, y_i − y_j⟩ + c(…).
fn interpolation_lhs(
    (yi, gi, fi): (&[f64], &[f64], f64),
    (yj, gj, fj): (&[f64], &[f64], f64),
    mu: f64,
    l: f64,
) -> f64 {
    let c = 1.0 / (2.0 * (1.0 - mu / l));
    let dy = sub(yi, yj);
    let dg = sub(gi, gj);
    fj - fi
        + dot(gj, &dy)
        + c * (dot(&dg, &dg) / l + mu * dot(&dy, &dy) - 2.0 * mu / l * dot(&dg, &dy))
}

/// [`PepCheck`] from the returned numbers and the method's coefficients only.
fn verify(
    list: &[Method],
    mu: f64,
    l: f64,
    tau: f64,
    multipliers: &[PepMultiplier],
    s: &PepSamples,
) -> PepCheck {
    let n = list.len();
    let d = n + 1;
    let coef = |k: usize| (list[k].step(), list[k].momentum(), list[k].lookahead());
    // (a) the dual: dense coefficient vectors of y_k, g_k over the iterates x₀ … x_N
    let e = |k: usize| -> Vec<f64> { (0..d).map(|i| f64::from(u8::from(i == k))).collect() };
    let zero = vec![0.0; d];
    let mut ys = vec![zero.clone()];
    let mut gs = vec![zero.clone()];
    for k in 0..n {
        let (a, b, c) = coef(k);
        let (ek, ep, en) = (e(k), e(k.saturating_sub(1)), e(k + 1));
        ys.push((0..d).map(|i| (1.0 + c) * ek[i] - c * ep[i]).collect());
        gs.push(
            (0..d)
                .map(|i| ((1.0 + b) * ek[i] - b * ep[i] - en[i]) / a)
                .collect(),
        );
    }
    let idx = |p: Option<usize>| p.map_or(0, |k| k + 1);
    let cc = 1.0 / (2.0 * (1.0 - mu / l));
    let mut sm = nalgebra::DMatrix::<f64>::zeros(d, d);
    sm[(0, 0)] += tau;
    sm[(n, n)] -= 1.0;
    let mut balance = vec![0.0; n];
    let mut min_multiplier = f64::INFINITY;
    for p in multipliers {
        let (i, j) = (idx(p.i), idx(p.j));
        let lam = p.value;
        min_multiplier = min_multiplier.min(lam);
        if let Some(k) = p.j {
            balance[k] += lam;
        }
        if let Some(k) = p.i {
            balance[k] -= lam;
        }
        let dy = sub(&ys[i], &ys[j]);
        let dg = sub(&gs[i], &gs[j]);
        // sym(u vᵀ) weighted
        let mut add = |u: &[f64], v: &[f64], w: f64| {
            for r in 0..d {
                for c in 0..d {
                    sm[(r, c)] += lam * w * 0.5 * (u[r] * v[c] + v[r] * u[c]);
                }
            }
        };
        add(&gs[j], &dy, 1.0);
        add(&dg, &dg, cc / l);
        add(&dy, &dy, cc * mu);
        add(&dg, &dy, -2.0 * cc * mu / l);
    }
    let scale = sm.iter().fold(1.0f64, |a, v| a.max(v.abs()));
    let dual_min_eigenvalue = nalgebra::SymmetricEigen::try_new(sm, f64::EPSILON, 10_000)
        .map_or(f64::NEG_INFINITY, |e| e.eigenvalues.min());
    let balance_residual = balance.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    // (b) the samples
    let x = &s.iterates;
    let mut update_residual = 0.0f64;
    for k in 0..n {
        let (a, b, c) = coef(k);
        let xp = &x[k.saturating_sub(1)];
        let next: Vec<f64> = (0..x[k].len())
            .map(|i| x[k][i] + b * (x[k][i] - xp[i]) - a * s.gradients[k][i])
            .collect();
        let y: Vec<f64> = (0..x[k].len())
            .map(|i| (1.0 + c) * x[k][i] - c * xp[i])
            .collect();
        let r1 = sub(&next, &x[k + 1]);
        let r2 = sub(&y, &s.points[k]);
        update_residual = update_residual
            .max(dot(&r1, &r1).sqrt())
            .max(dot(&r2, &r2).sqrt());
    }
    let origin = vec![0.0; x[0].len()];
    let sample = |p: usize| -> (&[f64], &[f64], f64) {
        if p == 0 {
            (&origin, &origin, 0.0)
        } else {
            (&s.points[p - 1], &s.gradients[p - 1], s.values[p - 1])
        }
    };
    let mut interpolation_violation = 0.0f64;
    let mut size = 1.0f64;
    for i in 0..d {
        for j in 0..d {
            if i != j {
                interpolation_violation =
                    interpolation_violation.max(interpolation_lhs(sample(i), sample(j), mu, l));
            }
        }
        if i > 0 {
            size = size.max(dot(&s.gradients[i - 1], &s.gradients[i - 1]) / l);
        }
    }
    let ratio = dot(&x[n], &x[n]) / dot(&x[0], &x[0]);
    let passed = min_multiplier >= -CHECK_TOL * scale
        && dual_min_eigenvalue >= -CHECK_TOL * scale
        && balance_residual <= CHECK_TOL * scale
        && update_residual <= CHECK_TOL
        && interpolation_violation <= CHECK_TOL * size
        && (ratio - tau).abs() <= CHECK_TOL * tau.max(1.0);
    PepCheck {
        min_multiplier,
        dual_min_eigenvalue,
        balance_residual,
        update_residual,
        interpolation_violation,
        ratio,
        passed,
    }
}

/// The primal PEP ([`Formulation::GradientPrimal`]) for any method whose gradient queries and
/// final iterate are fixed linear combinations of e₀ = x₀ − x* and the gradients g₀ … g_{m−1}
/// (coefficient vectors of length m + 1, query k before gradient k is known: its entries past
/// k are zero): τ = max ‖Σ objective_i b_i‖² over F(μ, L) with ‖e₀‖ = 1 (b = (e₀, g₀, …)).
/// Returns (τ, the solver's primal–dual gap). Used by `certify::pep_linear` for the order-n
/// optimizers (two queries per step for SAM, time-varying lines for the others).
///
/// # Errors
///
/// As [`worst_case`] (m plays N); a coefficient vector of the wrong length.
pub(crate) fn worst_case_queries(
    queries: &[Vec<f64>],
    objective: &[f64],
    mu: f64,
    l: f64,
) -> Result<(f64, f64)> {
    let m = queries.len();
    check(mu, l, m)?;
    let d = m + 1;
    if objective.len() != d || queries.iter().any(|q| q.len() != d) {
        return Err(Error::Unsupported(
            "PEP: every coefficient vector has length (number of gradients) + 1".into(),
        ));
    }
    let nv = d * (d + 1) / 2;
    let dense = |v: &[f64]| -> Sparse {
        v.iter()
            .enumerate()
            .filter(|e| *e.1 != 0.0)
            .map(|(i, &x)| (i, x))
            .collect()
    };
    let mut pts: Vec<Point> = vec![(Vec::new(), Vec::new(), None)];
    for (k, q) in queries.iter().enumerate() {
        pts.push((dense(q), vec![(k + 1, 1.0)], Some(nv + k)));
    }
    let rows = interpolation_rows(&pts, mu, l);
    let conic = primal(&rows, &dense(objective), d, m);
    let (tau, gap, _) = solve_conic(&conic, true, &format!("{m} gradients, mu = {mu}, L = {l}"))?;
    Ok((tau, gap))
}

/// Clarabel on one PEP conic at the tight tolerances of `docs/DESIGN.md`: τ (the objective,
/// negated for a primal, which minimises −τ), the duality gap and the solution. Clarabel's
/// reduced-accuracy exit is accepted when its own gap and residuals meet [`ACCEPT`].
///
/// # Errors
///
/// The SDP not set up, or not solved to [`ACCEPT`] (`what` names the problem).
fn solve_conic(
    conic: &Conic,
    negate: bool,
    what: &str,
) -> Result<(f64, f64, clarabel::solver::DefaultSolution<f64>)> {
    let p = CscMatrix::zeros((conic.q.len(), conic.q.len()));
    let settings = DefaultSettings {
        verbose: false,
        tol_gap_abs: 1e-12,
        tol_gap_rel: 1e-12,
        tol_feas: 1e-12,
        max_iter: 400,
        ..DefaultSettings::default()
    };
    let mut solver =
        DefaultSolver::new(&p, &conic.q, &conic.a, &conic.b, &conic.cones, settings)
            .map_err(|e| Error::Unsupported(format!("the PEP SDP could not be set up: {e}")))?;
    solver.solve();
    let s = &solver.solution;
    let value = if negate { -s.obj_val } else { s.obj_val };
    let tau = value.max(0.0);
    let gap = (s.obj_val - s.obj_val_dual).abs();
    let close = gap <= ACCEPT * tau.max(1.0) && s.r_prim <= ACCEPT && s.r_dual <= ACCEPT;
    let ok = match s.status {
        SolverStatus::Solved => true,
        SolverStatus::AlmostSolved => close,
        _ => false,
    };
    if !ok || !tau.is_finite() {
        return Err(Error::Unsupported(format!(
            "the PEP SDP ({what}) did not solve: clarabel status {:?}, gap {gap:e}",
            s.status
        )));
    }
    Ok((tau, gap, solver.solution))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dense merge gives the sorted merge's list bit for bit: repeated indices summed in
    /// list order (not associative in floating point), cancellations to ±0 dropped.
    #[test]
    fn dense_merge_is_the_sorted_merge() {
        let mut state = 3u64;
        for case in 0..500 {
            let len = case % 300;
            let top = 1 + case % 40;
            let v: Sparse = (0..len)
                .map(|k| {
                    let i = (crate::numeric::lcg_uniform(&mut state) * top as f64) as usize;
                    let x = crate::numeric::lcg_uniform(&mut state) - 0.5;
                    // exact cancellations and signed zeros now and then
                    let x = match k % 17 {
                        3 => 0.1,
                        4 => -0.1,
                        5 => -0.0,
                        _ => x * 10f64.powi(k % 7 - 3),
                    };
                    (i, x)
                })
                .collect();
            let (a, b) = (merged_dense(&v), merged_sorted(v));
            assert_eq!(a.len(), b.len(), "{case}");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!((x.0, x.1.to_bits()), (y.0, y.1.to_bits()), "{case}");
            }
        }
    }
}
