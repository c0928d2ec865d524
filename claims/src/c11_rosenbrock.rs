//! C11 — momentum on Rosenbrock's function.
//!
//! **Claim.** On Rosenbrock's function, momentum leads "to a dramatic reduction in the number of
//! iterations required for convergence" compared with gradient descent.
//!
//! **Source.** Seed 000, [`SEED_APPLICATIONS`].
//!
//! **Setting.** f = (1 − x)² + 100(y − x²)² from (−1.2, 1) at rest, stopping at
//! ‖x − (1, 1)‖ < 1e-6; grids [`rosenbrock_step_grid`] and [`rosenbrock_momentum_grid`]; a cap of
//! 10⁶ iterations.
//!
//! **Check.** Iterations to the tolerance for gradient descent, heavy ball and Nesterov, tuned by
//! a grid search over η and β ([`rosenbrock_grid_search`]) and at the typical η = 1e-3, β = 0.9.
//! `tests/it/c11.rs` reruns every reported setting with seed 001's velocity lines (and Nesterov's
//! look-ahead lines) and runs a coarser search of its own on another grid.
//!
//! **Verdict.** Holds when tuned heavy ball needs fewer iterations than tuned gradient descent
//! and does so at the typical setting too; wrong otherwise.

use crate::check::{Check, SEED_APPLICATIONS, Verdict, quantity, verdict_if};
use momentum::error::{Error, Result};
use momentum::method::Method;
use serde::Serialize;

/// Rosenbrock's function f(x, y) = (1 − x)² + 100(y − x²)², minimiser (1, 1).
pub fn rosenbrock(p: [f64; 2]) -> f64 {
    let [x, y] = p;
    (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
}

/// ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²)).
pub fn rosenbrock_gradient(p: [f64; 2]) -> [f64; 2] {
    let [x, y] = p;
    let r = y - x * x;
    [-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r]
}

/// The classical start (−1.2, 1).
pub const ROSENBROCK_START: [f64; 2] = [-1.2, 1.0];

/// Iterations of a three-parameter method on Rosenbrock's function from (−1.2, 1) at rest until
/// ‖x − (1, 1)‖ < `tol`; `None` if that takes more than `cap` iterations or the iterates leave
/// |x|, |y| < 1e6 (diverged).
pub fn rosenbrock_iterations(method: &Method, tol: f64, cap: usize) -> Option<usize> {
    let (a, b, g) = (method.step(), method.momentum(), method.lookahead());
    let (mut prev, mut cur) = (ROSENBROCK_START, ROSENBROCK_START);
    for k in 0..=cap {
        let (dx, dy) = (cur[0] - 1.0, cur[1] - 1.0);
        if dx * dx + dy * dy < tol * tol {
            return Some(k);
        }
        if !(cur[0].abs() < 1e6 && cur[1].abs() < 1e6) {
            return None;
        }
        let d = [cur[0] - prev[0], cur[1] - prev[1]];
        let grad = rosenbrock_gradient([cur[0] + g * d[0], cur[1] + g * d[1]]);
        let next = [
            cur[0] + b * d[0] - a * grad[0],
            cur[1] + b * d[1] - a * grad[1],
        ];
        prev = cur;
        cur = next;
    }
    None
}

/// The best setting of a grid search and its iteration count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GridBest {
    /// Step η.
    pub step: f64,
    /// Momentum β (0 for gradient descent).
    pub momentum: f64,
    /// Iterations to ‖x − (1, 1)‖ < tol.
    pub iterations: usize,
}

/// The step grid of the Rosenbrock search: η = 10^(−5 + 3i/60), i = 0 … 60 (1e-5 to 1e-2, ratio
/// 10^0.05 ≈ 1.122 between neighbours).
pub fn rosenbrock_step_grid() -> Vec<f64> {
    (0..=60)
        .map(|i| 10f64.powf(-5.0 + 3.0 * i as f64 / 60.0))
        .collect()
}

/// The momentum grid of the Rosenbrock search: 0, 0.02, …, 0.98, 0.99, 0.995.
pub fn rosenbrock_momentum_grid() -> Vec<f64> {
    let mut v: Vec<f64> = (0..50).map(|i| i as f64 / 50.0).collect();
    v.extend([0.99, 0.995]);
    v
}

/// Best iteration count over a grid of (η, β) for a family `build(η, β)`, to tolerance `tol`.
///
/// Iterative deepening: the whole grid is run with a cap of 1000 iterations, then 4000, 16000, …
/// up to `cap`, stopping at the first cap under which some setting converges; within a pass each
/// run is also capped at the best count so far. Settings that neither converge nor diverge (a
/// bounded chaotic orbit at too large a step) thus cost no more than the winner. Ties go to the
/// larger step, then the smaller momentum. `None` if nothing converges within `cap`.
pub fn rosenbrock_grid_search(
    build: impl Fn(f64, f64) -> Result<Method>,
    steps: &[f64],
    momenta: &[f64],
    tol: f64,
    cap: usize,
) -> Result<Option<GridBest>> {
    let mut pass_cap = 1000usize.min(cap);
    loop {
        let mut best: Option<GridBest> = None;
        for &eta in steps.iter().rev() {
            for &beta in momenta {
                let limit = best.map_or(pass_cap, |b| b.iterations);
                if let Some(n) = rosenbrock_iterations(&build(eta, beta)?, tol, limit) {
                    if best.is_none_or(|b| n < b.iterations) {
                        best = Some(GridBest {
                            step: eta,
                            momentum: beta,
                            iterations: n,
                        });
                    }
                }
            }
        }
        if best.is_some() || pass_cap >= cap {
            return Ok(best);
        }
        pass_cap = (pass_cap * 4).min(cap);
    }
}

/// C11 (seed 000): on Rosenbrock's function, momentum leads "to a dramatic reduction in the number
/// of iterations required for convergence" compared with gradient descent.
///
/// Computed: iterations from (−1.2, 1) at rest to ‖x − (1, 1)‖ < 1e-6 — tuned (grid search over
/// η and β, see [`rosenbrock_step_grid`], [`rosenbrock_momentum_grid`]) and at the typical
/// η = 1e-3, β = 0.9.
pub fn c11_rosenbrock() -> Result<Check> {
    let tol = 1e-6;
    let cap = 1_000_000;
    let steps = rosenbrock_step_grid();
    let momenta = rosenbrock_momentum_grid();
    let gd = rosenbrock_grid_search(|e, _| Method::gradient_descent(e), &steps, &[0.0], tol, cap)?;
    let hb = rosenbrock_grid_search(Method::heavy_ball, &steps, &momenta, tol, cap)?;
    let nag = rosenbrock_grid_search(Method::nesterov, &steps, &momenta, tol, cap)?;
    let (Some(gd), Some(hb), Some(nag)) = (gd, hb, nag) else {
        return Err(Error::Unsupported(
            "a Rosenbrock grid search found no converging setting".into(),
        ));
    };
    let typical = |m: Method| rosenbrock_iterations(&m, tol, cap).map_or(f64::NAN, |n| n as f64);
    let t_gd = typical(Method::gradient_descent(1e-3)?);
    let t_hb = typical(Method::heavy_ball(1e-3, 0.9)?);
    let t_nag = typical(Method::nesterov(1e-3, 0.9)?);
    let computed = vec![
        quantity("tuned GD: η", gd.step),
        quantity("tuned GD: iterations", gd.iterations as f64),
        quantity("tuned HB: η", hb.step),
        quantity("tuned HB: β", hb.momentum),
        quantity("tuned HB: iterations", hb.iterations as f64),
        quantity("tuned NAG: η", nag.step),
        quantity("tuned NAG: β", nag.momentum),
        quantity("tuned NAG: iterations", nag.iterations as f64),
        quantity(
            "tuned GD/HB iteration ratio",
            gd.iterations as f64 / hb.iterations as f64,
        ),
        quantity("typical GD (η = 1e-3): iterations", t_gd),
        quantity("typical HB (η = 1e-3, β = 0.9): iterations", t_hb),
        quantity("typical NAG (η = 1e-3, β = 0.9): iterations", t_nag),
        quantity("typical GD/HB iteration ratio", t_gd / t_hb),
    ];
    let ok = hb.iterations < gd.iterations && t_hb < t_gd;
    Ok(Check {
        id: "C11",
        example: "claim11_rosenbrock",
        statement:
            "On the Rosenbrock function momentum needs far fewer iterations than gradient descent"
                .into(),
        seed: SEED_APPLICATIONS.into(),
        setting: format!(
            "f = (1 − x)² + 100(y − x²)² from (−1.2, 1) at rest, stop at ‖x − (1, 1)‖ < {tol}; \
                grid η = 10^(−5 + 3i/60), i ≤ 60, β ∈ {{0, 0.02, …, 0.98, 0.99, 0.995}}; cap {cap} \
                iterations"
        ),
        claimed: vec![],
        computed,
        verdict: verdict_if(ok, Verdict::Holds, || {
            Verdict::Wrong("momentum did not need fewer iterations (see numbers)".into())
        }),
    })
}
