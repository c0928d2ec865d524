//! C11: the Rosenbrock counts, by the seeds' velocity lines and a search on another grid.

use crate::value;
use momentum_claims::{self as claims, Verdict};

/// Seed 001's heavy-ball lines (or Nesterov's, look-ahead x − γv with x ← x − v) on Rosenbrock's
/// function from (−1.2, 1): iterations to ‖x − (1, 1)‖ < 1e-6.
fn rosen_lines(eta: f64, beta: f64, nesterov: bool, cap: usize) -> Option<usize> {
    let grad = |x: f64, y: f64| {
        let r = y - x * x;
        [-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r]
    };
    let (mut p, mut v) = ([-1.2f64, 1.0f64], [0.0f64; 2]);
    for k in 0..=cap {
        if ((p[0] - 1.0).powi(2) + (p[1] - 1.0).powi(2)).sqrt() < 1e-6 {
            return Some(k);
        }
        if !(p[0].abs() < 1e6 && p[1].abs() < 1e6) {
            return None;
        }
        if nesterov {
            let g = grad(p[0] - beta * v[0], p[1] - beta * v[1]);
            for i in 0..2 {
                v[i] = beta * v[i] + eta * g[i];
                p[i] -= v[i];
            }
        } else {
            let g = grad(p[0], p[1]);
            for i in 0..2 {
                v[i] = beta * v[i] - eta * g[i];
                p[i] += v[i];
            }
        }
    }
    None
}

#[test]
fn c11_rosenbrock_counts_by_velocity_form() {
    let c = claims::c11_rosenbrock().unwrap();
    assert_eq!(c.verdict, Verdict::Holds);
    let close = |a: Option<usize>, b: f64| {
        let a = a.unwrap() as f64;
        assert!((a - b).abs() <= 1.0, "{a} vs {b}");
    };
    close(
        rosen_lines(value(&c, "tuned GD: η"), 0.0, false, 1_000_000),
        value(&c, "tuned GD: iterations"),
    );
    close(
        rosen_lines(
            value(&c, "tuned HB: η"),
            value(&c, "tuned HB: β"),
            false,
            1_000_000,
        ),
        value(&c, "tuned HB: iterations"),
    );
    close(
        rosen_lines(
            value(&c, "tuned NAG: η"),
            value(&c, "tuned NAG: β"),
            true,
            1_000_000,
        ),
        value(&c, "tuned NAG: iterations"),
    );
    close(
        rosen_lines(1e-3, 0.0, false, 1_000_000),
        value(&c, "typical GD (η = 1e-3): iterations"),
    );
    close(
        rosen_lines(1e-3, 0.9, false, 1_000_000),
        value(&c, "typical HB (η = 1e-3, β = 0.9): iterations"),
    );
    close(
        rosen_lines(1e-3, 0.9, true, 1_000_000),
        value(&c, "typical NAG (η = 1e-3, β = 0.9): iterations"),
    );
    // a coarse search of our own (other grid): momentum's best is > 10× fewer iterations
    let etas: Vec<f64> = (0..=20)
        .map(|i| 10f64.powf(-4.0 + 2.0 * i as f64 / 20.0))
        .collect();
    let best = |betas: &[f64]| {
        let mut b = usize::MAX;
        for &e in &etas {
            for &m in betas {
                if let Some(n) = rosen_lines(e, m, false, b.min(200_000)) {
                    b = b.min(n);
                }
            }
        }
        b
    };
    let gd = best(&[0.0]);
    let hb = best(&[0.5, 0.8, 0.9, 0.95]);
    assert!(hb * 10 < gd, "HB {hb}, GD {gd}");
    assert!(value(&c, "tuned GD: iterations") <= gd as f64 + 1.0);
}
