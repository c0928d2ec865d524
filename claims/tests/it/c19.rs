//! C19: Nesterov's edge, by the literal updates.

use crate::{assert_tag, hb_lines, nag_lines, value, worst_literal};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c19_nesterov_edge_by_literal_updates() {
    let c = claims::c19_nesterov_edge().unwrap();
    assert_tag(&c, "holds when");
    let hb = worst_literal(400.0 / 121.0, 81.0 / 121.0, false, &[0.01, 1.0]);
    let nag = worst_literal(1.0, 9.0 / 11.0, true, &[0.01, 1.0]);
    assert!((value(&c, "tuned heavy ball (Polyak) rate") - hb).abs() < 1e-7);
    assert!((value(&c, "tuned Nesterov (standard) rate") - nag).abs() < 1e-7);
    let over = |xs: Vec<f64>| -xs.iter().copied().fold(f64::INFINITY, f64::min);
    assert_relative_eq!(
        value(&c, "HB overshoot at η = 0.1, β = 0.9"),
        over(hb_lines(0.1, 0.9, |x| x, 1.0, 2000)),
        max_relative = 1e-9
    );
    assert_relative_eq!(
        value(&c, "NAG overshoot at η = 0.1, β = 0.9"),
        over(nag_lines(0.1, 0.9, |x| x, 1.0, 2000)),
        max_relative = 1e-9
    );
}
