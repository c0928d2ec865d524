//! Every seed claim of `momentum_claims` re-checked by a second route: the numbers a check
//! reports are recomputed here from the seeds' update lines transcribed literally (velocity forms,
//! the physical oscillator, PSO, the blog's Nesterov), from nalgebra eigenvalues of the one-step
//! linear map those lines define (built column by column by applying the update to unit states),
//! by bisection or brute-force grids on those eigenvalues, and by direct simulation. Each test also
//! asserts the verdict.
//!
//! One integration-test binary (`it`): this file holds the independent machinery the claims
//! share; each claim's tests are in their own module (`c01.rs` … `c25.rs`, C07a/b in `c07.rs`,
//! C16a … C16r in `c16.rs`), and `all.rs` checks [`momentum_claims::all`] and the helpers' error
//! paths.

use momentum_claims::Check;
use nalgebra::{DMatrix, DVector, Matrix2, Vector2};

mod all;
mod c01;
mod c02;
mod c03;
mod c04;
mod c05;
mod c06;
mod c07;
mod c08;
mod c09;
mod c10;
mod c11;
mod c12;
mod c13;
mod c14;
mod c15;
mod c16;
mod c17;
mod c18;
mod c19;
mod c20;
mod c21;
mod c22;
mod c23;
mod c24;
mod c25;
mod c26;
mod zoo;

// ------------------------------------------------------------------------------------------------
// independent machinery
// ------------------------------------------------------------------------------------------------

/// The 2 × 2 matrix of a linear one-step update on a two-number state, built by applying the
/// update to the unit states.
fn step_matrix(update: impl Fn([f64; 2]) -> [f64; 2]) -> Matrix2<f64> {
    let a = update([1.0, 0.0]);
    let b = update([0.0, 1.0]);
    Matrix2::new(a[0], b[0], a[1], b[1])
}

/// Largest eigenvalue modulus (nalgebra).
fn radius(m: &Matrix2<f64>) -> f64 {
    m.complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max)
}

/// Seed 001's heavy ball, literally: v ← βv − η∇f(x), x ← x + v; state (x, v), f = ½λx².
fn hb_velocity(eta: f64, beta: f64, lambda: f64) -> Matrix2<f64> {
    step_matrix(|[x, v]| {
        let v = beta * v - eta * lambda * x;
        [x + v, v]
    })
}

/// Seed 001/002's Nesterov, literally: v ← γv + η∇f(x − γv), x ← x − v.
fn nag_velocity(eta: f64, gamma: f64, lambda: f64) -> Matrix2<f64> {
    step_matrix(|[x, v]| {
        let v = gamma * v + eta * lambda * (x - gamma * v);
        [x - v, v]
    })
}

/// Seed 003's Nesterov, literally: v ← γv + α∇J(θ + γv), θ ← θ − v.
fn blog_nag_velocity(alpha: f64, gamma: f64, lambda: f64) -> Matrix2<f64> {
    step_matrix(|[t, v]| {
        let v = gamma * v + alpha * lambda * (t + gamma * v);
        [t - v, v]
    })
}

/// Seed 002's EWMA form: v ← βv + (1 − β)∇f(x), x ← x − αv.
fn ewma_velocity(alpha: f64, beta: f64, lambda: f64) -> Matrix2<f64> {
    step_matrix(|[x, v]| {
        let v = beta * v + (1.0 - beta) * lambda * x;
        [x - alpha * v, v]
    })
}

/// Largest η in (0, hi) with spectral radius < 1, by bisection (stable steps form an interval
/// starting at 0 for these methods).
fn bisect_max_step(m: impl Fn(f64) -> Matrix2<f64>, hi: f64) -> f64 {
    let (mut lo, mut hi) = (1e-12, hi);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if radius(&m(mid)) < 1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Iterates x₀ … x_n of seed 001's heavy-ball lines on a scalar gradient, from v₀ = 0.
fn hb_lines(eta: f64, beta: f64, grad: impl Fn(f64) -> f64, x0: f64, n: usize) -> Vec<f64> {
    let (mut x, mut v) = (x0, 0.0);
    let mut out = vec![x];
    for _ in 0..n {
        v = beta * v - eta * grad(x);
        x += v;
        out.push(x);
    }
    out
}

/// Iterates of the seeds' Nesterov lines v ← γv + η∇f(x − γv), x ← x − v, from v₀ = 0.
fn nag_lines(eta: f64, gamma: f64, grad: impl Fn(f64) -> f64, x0: f64, n: usize) -> Vec<f64> {
    let (mut x, mut v) = (x0, 0.0);
    let mut out = vec![x];
    for _ in 0..n {
        v = gamma * v + eta * grad(x - gamma * v);
        x -= v;
        out.push(x);
    }
    out
}

fn value(c: &Check, name: &str) -> f64 {
    c.value(name)
        .unwrap_or_else(|| panic!("{}: no computed value named {name:?}", c.id))
}

fn assert_tag(c: &Check, tag: &str) {
    assert_eq!(c.verdict.tag(), tag, "{}: verdict {}", c.id, c.verdict);
}

/// Worst-case radius over curvatures of a heavy-ball (γ = 0) or Nesterov (γ = β) pair, from the
/// literal matrices.
fn worst_literal(eta: f64, beta: f64, nesterov: bool, lambdas: &[f64]) -> f64 {
    lambdas
        .iter()
        .map(|&l| {
            radius(&if nesterov {
                nag_velocity(eta, beta, l)
            } else {
                hb_velocity(eta, beta, l)
            })
        })
        .fold(0.0, f64::max)
}

/// Stationary variance of the first state component of s ← A s + b ξ (ξ white, unit variance):
/// the discrete Lyapunov equation P = A P Aᵀ + b bᵀ solved as the 4 × 4 linear system
/// (I − A ⊗ A) vec P = vec(b bᵀ) (nalgebra LU).
fn lyapunov_variance(a: &Matrix2<f64>, b: &Vector2<f64>) -> f64 {
    let ad = DMatrix::from_fn(2, 2, |i, j| a[(i, j)]);
    let m = DMatrix::<f64>::identity(4, 4) - ad.kronecker(&ad);
    let bb = b * b.transpose();
    let rhs = DVector::from_column_slice(bb.as_slice());
    let p = m
        .lu()
        .solve(&rhs)
        .expect("A is stable, so I − A ⊗ A is invertible");
    p[0]
}

/// Seed 001's heavy-ball lines with noisy gradient λx + σξ: the stationary Var(x) by
/// [`lyapunov_variance`] on the state (x, v).
fn hb_noise_variance(eta: f64, beta: f64, lambda: f64, sigma: f64) -> f64 {
    let a = hb_velocity(eta, beta, lambda);
    // the noise enters v as −ησξ and x through x + v
    lyapunov_variance(&a, &Vector2::new(-eta * sigma, -eta * sigma))
}

/// Heavy ball's best worst-case rate over [1/κ, 1] at momentum β by scanning the step on the
/// literal matrices: 4000 steps on (0, 2(1+β)), then three refinements of 400 steps around the
/// best.
fn scanned_best_rate(beta: f64, kappa: f64) -> f64 {
    let ends = [1.0 / kappa, 1.0];
    let f = |e: f64| worst_literal(e, beta, false, &ends);
    let (mut lo, mut hi) = (0.0, 2.0 * (1.0 + beta));
    let mut best = f64::INFINITY;
    for n in [4000, 400, 400, 400] {
        let h = (hi - lo) / n as f64;
        let mut arg = lo;
        for i in 1..n {
            let e = lo + h * i as f64;
            let r = f(e);
            if r < best {
                best = r;
                arg = e;
            }
        }
        (lo, hi) = ((arg - 2.0 * h).max(1e-12), arg + 2.0 * h);
    }
    best
}
