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

/// Runs side by side in [`rosenbrock_grid_search`].
const LANES: usize = 4;

/// [`rosenbrock_iterations`] of up to [`LANES`] methods under one cap, the runs side by side
/// (independent chains, lanes of one vector): each lane runs the same operations on its own
/// numbers, so the same iterates, and stops being read once it is decided. Lanes past
/// `methods.len()` are `None`.
fn rosenbrock_iterations_lanes(methods: &[Method], tol: f64, cap: usize) -> [Option<usize>; LANES] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        return unsafe { rosenbrock_lanes_avx2(methods, tol, cap) };
    }
    rosenbrock_lanes_body(methods, tol, cap)
}

/// [`rosenbrock_iterations_lanes`] compiled for AVX2 (no FMA: the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn rosenbrock_lanes_avx2(methods: &[Method], tol: f64, cap: usize) -> [Option<usize>; LANES] {
    rosenbrock_lanes_body(methods, tol, cap)
}

#[inline(always)]
fn rosenbrock_lanes_body(methods: &[Method], tol: f64, cap: usize) -> [Option<usize>; LANES] {
    let mut out = [None; LANES];
    let n = methods.len().min(LANES);
    if n == 0 {
        return out;
    }
    // idle lanes repeat the first method (their answers are not read)
    let lane = |j: usize| methods[if j < n { j } else { 0 }];
    let a: [f64; LANES] = std::array::from_fn(|j| lane(j).step());
    let b: [f64; LANES] = std::array::from_fn(|j| lane(j).momentum());
    let g: [f64; LANES] = std::array::from_fn(|j| lane(j).lookahead());
    let [x0, y0] = ROSENBROCK_START;
    let (mut px, mut py, mut cx, mut cy) = ([x0; LANES], [y0; LANES], [x0; LANES], [y0; LANES]);
    let mut open: [bool; LANES] = std::array::from_fn(|j| j < n);
    for k in 0..=cap {
        // rosenbrock_iterations' two tests in every lane, read only where a lane ends
        let mut ends = false;
        for j in 0..LANES {
            let (dx, dy) = (cx[j] - 1.0, cy[j] - 1.0);
            let done = (dx * dx + dy * dy < tol * tol) | !(cx[j].abs() < 1e6 && cy[j].abs() < 1e6);
            ends |= done & open[j];
        }
        if ends {
            for j in 0..n {
                let (dx, dy) = (cx[j] - 1.0, cy[j] - 1.0);
                if !open[j] {
                    continue;
                }
                if dx * dx + dy * dy < tol * tol {
                    (out[j], open[j]) = (Some(k), false);
                } else if !(cx[j].abs() < 1e6 && cy[j].abs() < 1e6) {
                    open[j] = false;
                }
            }
            if !open.contains(&true) {
                return out;
            }
        }
        for j in 0..LANES {
            let d = [cx[j] - px[j], cy[j] - py[j]];
            let grad = rosenbrock_gradient([cx[j] + g[j] * d[0], cy[j] + g[j] * d[1]]);
            let next = [
                cx[j] + b[j] * d[0] - a[j] * grad[0],
                cy[j] + b[j] * d[1] - a[j] * grad[1],
            ];
            (px[j], py[j]) = (cx[j], cy[j]);
            (cx[j], cy[j]) = (next[0], next[1]);
        }
    }
    out
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
            // four momenta at a time under the cap in force at the first of them (caps only
            // fall; a run's answer under a larger cap is its answer, or a count past its cap)
            for chunk in momenta.chunks(LANES) {
                let mut methods = Vec::with_capacity(LANES);
                let mut failed = None;
                for &beta in chunk {
                    match build(eta, beta) {
                        Ok(m) => methods.push(m),
                        Err(e) => {
                            failed = Some(e);
                            break;
                        }
                    }
                }
                let cap_now = best.map_or(pass_cap, |b| b.iterations);
                let found = rosenbrock_iterations_lanes(&methods, tol, cap_now);
                for (&beta, n) in chunk.iter().zip(found.into_iter().take(methods.len())) {
                    // a count above the cap a run would have had (the best count so far, or
                    // the pass cap while there is none) is not below that best: not taken
                    if let Some(n) = n {
                        if best.is_none_or(|b| n < b.iterations) {
                            best = Some(GridBest {
                                step: eta,
                                momentum: beta,
                                iterations: n,
                            });
                        }
                    }
                }
                if let Some(e) = failed {
                    return Err(e);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The former grid search: one run at a time, each under the cap in force.
    fn grid_search_by_runs(
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

    /// Each lane against `rosenbrock_iterations` (converging, diverging and capped runs, one to
    /// four lanes), and the grid search against the run-by-run one: the same best setting and
    /// count, or the same error.
    #[test]
    fn lanes_give_the_run_by_run_answers() {
        let (mut some, mut none) = (0, 0);
        let steps = rosenbrock_step_grid();
        for (i, &eta) in steps.iter().enumerate().step_by(3) {
            let momenta = [0.0, 0.5, 0.9, 0.99, 0.3, 0.995, 0.7];
            for width in 1..=LANES {
                for cap in [0, 1, 50, 3000, 40_000] {
                    let group = &momenta[i % 3..i % 3 + width];
                    let methods: Vec<Method> = group
                        .iter()
                        .map(|&b| {
                            if i % 2 == 0 {
                                Method::heavy_ball(eta, b).unwrap()
                            } else {
                                Method::nesterov(eta, b).unwrap()
                            }
                        })
                        .collect();
                    let got = rosenbrock_iterations_lanes(&methods, 1e-6, cap);
                    for (j, m) in methods.iter().enumerate() {
                        let want = rosenbrock_iterations(m, 1e-6, cap);
                        assert_eq!(got[j], want, "η {eta} β {} cap {cap}", group[j]);
                        if want.is_some() { some += 1 } else { none += 1 }
                    }
                    assert!(got[methods.len()..].iter().all(Option::is_none));
                }
            }
        }
        assert!(some > 20 && none > 20, "{some} {none}");
        let (steps, momenta) = (rosenbrock_step_grid(), rosenbrock_momentum_grid());
        for (tol, cap) in [(1e-6, 1_000_000), (1e-3, 5000), (1e-6, 700)] {
            let new = rosenbrock_grid_search(Method::heavy_ball, &steps, &momenta, tol, cap);
            let old = grid_search_by_runs(Method::heavy_ball, &steps, &momenta, tol, cap);
            assert_eq!(new.unwrap(), old.unwrap());
            let nag = |e, b| Method::nesterov(e, b);
            let new = rosenbrock_grid_search(nag, &steps[20..], &momenta[3..], tol, cap);
            let old = grid_search_by_runs(nag, &steps[20..], &momenta[3..], tol, cap);
            assert_eq!(new.unwrap(), old.unwrap());
        }
        // ties inside a group of lanes (equal momenta, a family that ignores β): the first wins
        let ties = [0.5, 0.9, 0.5, 0.9, 0.9, 0.5, 0.7, 0.7, 0.9];
        let ignore = |e: f64, b: f64| Method::heavy_ball(e, 0.9 + 0.0 * b);
        for build in [Method::heavy_ball as fn(f64, f64) -> Result<Method>, ignore] {
            let new = rosenbrock_grid_search(build, &steps, &ties, 1e-4, 100_000).unwrap();
            let old = grid_search_by_runs(build, &steps, &ties, 1e-4, 100_000).unwrap();
            assert_eq!(
                new.map(|b| b.momentum.to_bits()),
                old.map(|b| b.momentum.to_bits())
            );
            assert_eq!(new, old);
        }
        let failing = |e: f64, b: f64| {
            if b > 0.5 && e > 1e-3 {
                Err(Error::Unsupported(format!("{e} {b}")))
            } else {
                Method::heavy_ball(e, b)
            }
        };
        let new = rosenbrock_grid_search(failing, &steps, &momenta, 1e-6, 10_000);
        let old = grid_search_by_runs(failing, &steps, &momenta, 1e-6, 10_000);
        assert_eq!(new.unwrap_err().to_string(), old.unwrap_err().to_string());
    }
}
