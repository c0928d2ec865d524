//! The exact N-step worst case on F(μ, L) of the order-n optimizers of [`crate::zoo`] by
//! performance estimation (feature `sdp`): τ_N = sup ‖x_N − x*‖² / ‖x₀ − x*‖² over every
//! f ∈ F(μ, L) for N steps of the literal (time-varying) update — AdEMAMix with its bias
//! correction, schedule-free SGD with cₜ = 1/t, Lookahead's synchronisations, SAM's two
//! gradient calls per step.
//!
//! Every step t is s ← A_t s + lr·d_t·g with A_t = T_t(0) and d_t cᵀ = T_t(λ₁) − T_t(0) at the
//! curvature λ₁ the optimizer sees as h = 1 ([`crate::zoo::ZooMethod::transition`], its state
//! matrices), g the gradient at the query cᵀs (SAM: at cᵀs + ρ·∇f(cᵀs), a second query). Run on
//! coefficient vectors over (x₀ − x*, g₀, g₁, …), every query and x_N are fixed combinations,
//! and the gradient-basis PEP of [`crate::pep`] applies unchanged (`pep::worst_case_queries`).

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result};
use crate::zoo::{Optimizer, ZooMethod};

/// Largest horizon: 100 gradient calls (N ≤ 100; SAM N ≤ 50).
pub const MAX_CALLS: usize = crate::pep::MAX_STEPS;

/// The N-step worst case of an order-n optimizer on F(μ, L).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooPep {
    /// N.
    pub steps: usize,
    /// Gradient calls (N, or 2N for SAM).
    pub gradient_calls: usize,
    /// τ_N = sup ‖x_N − x*‖² / ‖x₀ − x*‖² (PEPit's form).
    pub worst_factor_squared: f64,
    /// √τ_N.
    pub worst_factor: f64,
    /// The solver's primal–dual gap.
    pub gap: f64,
}

/// The query vector c (gradient read at cᵀs on a quadratic) of an optimizer's state.
fn query(method: &ZooMethod, n: usize) -> DVector<f64> {
    let mut c = DVector::zeros(n);
    match method.optimizer() {
        Optimizer::ScheduleFree { beta } => {
            // state (z, x): y = (1 − β)z + βx
            c[0] = 1.0 - beta;
            c[1] = *beta;
        }
        _ => c[0] = 1.0,
    }
    c
}

/// (A_t, d_t) of step t = 1, 2, … from the state matrices, checked rank one along c.
pub(crate) fn step_lines(method: &ZooMethod, t: u64) -> Result<(DMatrix<f64>, DVector<f64>)> {
    let a = method.transition(Some(t), 0.0);
    let lam = method.raw_curvature(1.0 / method.lr());
    let diff = method.transition(Some(t), lam) - &a;
    let c = query(method, a.nrows());
    let d = &diff * &c / c.norm_squared();
    let resid = (&diff - &d * c.transpose()).norm();
    if resid > 1e-9 * (1.0 + diff.norm()) {
        return Err(Error::Unsupported(format!(
            "PEP: step {t} of --convention {} does not read one gradient at c's point (residual {resid:e})",
            method.framework()
        )));
    }
    Ok((a, d))
}

/// The worst ‖x_N − x*‖² / ‖x₀ − x*‖² over F(μ, L) after N steps of the literal update from the
/// framework's start (buffers zero; schedule-free z₀ = x₀; Lookahead φ₀ = x₀), x_N the
/// optimizer's iterate ([`ZooMethod::iterate`]: schedule-free's average, Lookahead's fast
/// weights between synchronisations).
///
/// # Examples
///
/// ```
/// use momentum::Framework;
/// use momentum::zoo::{ZooMethod, ZooParams};
/// // AggMo with one momentum is heavy ball: the same PEP
/// let m = ZooMethod::new(Framework::Aggmo, &ZooParams { lr: 0.3, momenta: Some(vec![0.5]), ..Default::default() })?;
/// let z = momentum::certify::pep_linear::worst_case(&m, 0.1, 1.0, 4)?;
/// let hb = momentum::pep::worst_case(&momentum::Method::heavy_ball(0.3, 0.5)?, 0.1, 1.0, 4)?;
/// assert!((z.worst_factor_squared - hb.worst_factor_squared).abs() < 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// μ, L not finite, μ < 0 or μ ≥ L; N = 0 or more than [`MAX_CALLS`] gradient calls
/// ([`Error::OutOfRange`]); a solve that does not reach clarabel's `Solved` status.
pub fn worst_case(method: &ZooMethod, mu: f64, l: f64, steps: usize) -> Result<ZooPep> {
    let sam_rho = match method.optimizer() {
        Optimizer::Sam { rho, .. } => Some(*rho),
        _ => None,
    };
    let per = if sam_rho.is_some() { 2 } else { 1 };
    if steps == 0 || steps * per > MAX_CALLS {
        return Err(Error::OutOfRange {
            name: "steps",
            value: steps as f64,
            expected: "1 ..= 100 gradient calls (SAM: 2 a step, N <= 50)",
        });
    }
    let calls = steps * per;
    let dim = calls + 1;
    let init = method.initial();
    let n = init.len();
    // the state as coefficient vectors: row i of s = component i over (e₀, g₀, …)
    let mut s = DMatrix::<f64>::zeros(n, dim);
    s.set_column(0, &init);
    let c = query(method, n);
    let mut queries = Vec::with_capacity(calls);
    for t in 1..=steps as u64 {
        let (a, d) = step_lines(method, t)?;
        let mut q: Vec<f64> = (c.transpose() * &s).iter().copied().collect();
        let k = queries.len();
        if let Some(rho) = sam_rho {
            // g_k at x, then the gradient the step uses at x + ρ g_k
            queries.push(q.clone());
            q[k + 1] += rho;
        }
        let g = queries.len();
        queries.push(q);
        let mut next = &a * &s;
        next.column_mut(g + 1).axpy(method.lr(), &d, 1.0);
        s = next;
    }
    let mut probe = DVector::zeros(n);
    let objective: Vec<f64> = (0..dim)
        .map(|j| {
            probe.copy_from(&s.column(j));
            method.iterate(&probe)
        })
        .collect();
    let (tau, gap) = crate::pep::worst_case_queries(&queries, &objective, mu, l)?;
    Ok(ZooPep {
        steps,
        gradient_calls: calls,
        worst_factor_squared: tau,
        worst_factor: tau.sqrt(),
        gap,
    })
}
