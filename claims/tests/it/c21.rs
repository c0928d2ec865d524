//! C21: the overshoot, by seed 001's literal lines.

use crate::{assert_tag, hb_lines, value};
use momentum_claims as claims;

#[test]
fn c21_overshoot_by_literal_lines() {
    let c = claims::c21_overshoot_parameter().unwrap();
    assert_tag(&c, "holds when");
    for (h, b) in [
        (0.01, 0.9),
        (0.1, 0.9),
        (0.5, 0.9),
        (0.01, 0.5),
        (0.5, 0.5),
        (1.5, 0.0),
    ] {
        let xs = hb_lines(h, b, |x| x, 1.0, 2000);
        let over = (-xs.iter().copied().fold(f64::INFINITY, f64::min)).max(0.0);
        let got = value(&c, &format!("overshoot at ηλ = {h}, β = {b}"));
        assert!(
            (got - over).abs() <= 1e-12 * over.max(1.0),
            "({h}, {b}): {got} vs {over}"
        );
    }
}
