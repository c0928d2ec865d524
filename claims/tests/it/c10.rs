//! C10: the conservative momentum, by an unscaled simulation of seed 001's lines.

use crate::{assert_tag, hb_lines, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c10_conservative_momentum_by_unscaled_simulation() {
    let c = claims::c10_conservative_momentum().unwrap();
    assert_tag(&c, "holds when");
    let beta_c = 0.64;
    // own run of seed 001's lines, stopped when |x| reaches the subnormal range
    let crosses = |beta: f64, steps: usize| -> bool {
        let (mut x, mut v) = (1.0f64, 0.0f64);
        for _ in 0..steps {
            v = beta * v - 0.04 * x;
            x += v;
            if x < 0.0 {
                return true;
            }
            if x.abs() < 1e-300 {
                return false;
            }
        }
        false
    };
    for b in [0.5, 0.63, 0.639_99] {
        assert!(!crosses(b, 100_000), "β = {b}");
    }
    for b in [0.6401, 0.65, 0.7, 0.9] {
        assert!(crosses(b, 100_000), "β = {b}");
        assert!(value(&c, &format!("sign changes at β = {b}")) > 0.0);
    }
    assert_eq!(value(&c, "sign changes at β = β_c"), 0.0);
    // the threshold by bisection on this simulation (resolution limited by underflow to ~1e-5)
    let (mut lo, mut hi) = (0.5, 0.9);
    for _ in 0..40 {
        let mid = 0.5 * (lo + hi);
        if crosses(mid, 100_000) {
            hi = mid
        } else {
            lo = mid
        }
    }
    assert!((0.5 * (lo + hi) - beta_c).abs() < 2e-5, "{lo} {hi}");
    let sim = value(
        &c,
        "overshoot threshold by bisection on simulation (20000 steps)",
    );
    assert!((sim - beta_c).abs() < 1e-6, "{sim}");
    // ηλ = 1.44: the first step overshoots whatever β
    for b in [0.0, 0.04, 0.5, 0.9] {
        let xs = hb_lines(1.44, b, |x| x, 1.0, 1);
        assert_relative_eq!(xs[1], -0.44, max_relative = 1e-12);
    }
}
