//! C15: the three-cycle, by solving the cycle's equations; Nesterov by the seeds' lines.

use crate::{assert_tag, nag_lines, value};
use momentum::Spectrum;
use momentum::tune as tuning;
use momentum_claims as claims;

#[test]
fn c15_three_cycle_by_solving_the_cycle_equations() {
    let c = claims::c15_quadratic_caveat().unwrap();
    assert_tag(&c, "holds when");
    assert_eq!(value(&c, "HB cycle period"), 3.0);
    let pts: Vec<f64> = (1..=3)
        .map(|i| value(&c, &format!("HB cycle point {i}")))
        .collect();
    // the cycle a → b → c → a of x⁺ = x + β(x − x₋) − α∇f(x), with ∇f = s·x + t on each point's
    // piece: three linear equations, solved with nalgebra
    let (alpha, beta) = (1.0 / 9.0, 4.0 / 9.0);
    let piece = |x: f64| {
        if x < 1.0 {
            (25.0, 0.0)
        } else if x < 2.0 {
            (1.0, 24.0)
        } else {
            (25.0, -24.0)
        }
    };
    let mut m = nalgebra::Matrix3::zeros();
    let mut rhs = nalgebra::Vector3::zeros();
    for i in 0..3 {
        let (cur, prev, next) = (i, (i + 2) % 3, (i + 1) % 3);
        let (s, t) = piece(pts[cur]);
        // x_next − (1 + β − αs)x_cur + βx_prev = −αt
        m[(i, next)] += 1.0;
        m[(i, cur)] -= 1.0 + beta - alpha * s;
        m[(i, prev)] += beta;
        rhs[i] = -alpha * t;
    }
    let sol = m.lu().solve(&rhs).unwrap();
    for i in 0..3 {
        assert!((sol[i] - pts[i]).abs() < 1e-9, "{sol} vs {pts:?}");
        assert_eq!(
            piece(sol[i]),
            piece(pts[i]),
            "the solution stays on the assumed pieces"
        );
    }
    assert!((value(&c, "HB cycle amplitude (max − min)") - (sol.max() - sol.min())).abs() < 1e-9);
    // Nesterov (seed lines) converges from the same start
    let grad = claims::lessard_gradient;
    let q = Spectrum::interval(1.0, 25.0)
        .and_then(|iv| tuning::nesterov_quadratic(&iv))
        .unwrap()
        .method;
    let xs = nag_lines(q.step(), q.momentum(), grad, 3.3, 2000);
    assert!(xs[2000].abs() < 1e-100);
    let k = xs.iter().position(|x| x.abs() < 1e-10).unwrap();
    assert!(
        (k as f64 - value(&c, "NAG (quadratic-optimal) first k with |x_k| < 1e-10")).abs() <= 1.0
    );
    let s = nag_lines(0.04, 2.0 / 3.0, grad, 3.3, 10);
    assert!(s[10].abs() < 1e-12);
}
