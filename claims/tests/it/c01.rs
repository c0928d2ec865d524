//! C01: the heavy-ball stability region, by bisection on eigenvalues of seed 001's literal update.

use crate::{bisect_max_step, hb_velocity, radius, value};
use approx::assert_relative_eq;
use momentum_claims::{self as claims, Verdict};

#[test]
fn c01_heavy_ball_region_by_eigenvalue_bisection() {
    let c = claims::c01_heavy_ball_region().unwrap();
    assert_eq!(c.verdict, Verdict::Holds);
    let lambda = 4.0;
    for beta in [-0.9, -0.5, 0.0, 0.5, 0.9, 0.99] {
        let bis = bisect_max_step(|e| hb_velocity(e, beta, lambda), 10.0);
        assert_relative_eq!(
            value(&c, &format!("η_max at β = {beta}")),
            bis,
            max_relative = 1e-9
        );
        assert_relative_eq!(bis, 2.0 * (1.0 + beta) / lambda, max_relative = 1e-9);
        assert_eq!(value(&c, &format!("η_min at β = {beta}")), 0.0);
        // tiny steps are stable
        assert!(radius(&hb_velocity(1e-6, beta, lambda)) < 1.0);
    }
    // |β| ≥ 1: no step on a fine grid is stable
    for beta in [-1.01, -1.0, 1.0, 1.01] {
        let any =
            (1..4000).any(|i| radius(&hb_velocity(i as f64 * 1e-3, beta, lambda)) < 1.0 - 1e-12);
        assert!(!any, "β = {beta}");
        assert_eq!(
            value(
                &c,
                &format!("stable steps exist at β = {beta} (1 yes, 0 no)")
            ),
            0.0
        );
    }
}
