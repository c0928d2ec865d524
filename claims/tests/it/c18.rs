//! C18: the extreme eigenvalues, by the full matrix and the polynomial recursion.

use crate::{assert_tag, hb_lines, value};
use approx::assert_relative_eq;
use momentum::Method;
use momentum_claims as claims;
use nalgebra::DMatrix;

#[test]
fn c18_endpoints_by_full_matrix_and_polynomial_recursion() {
    let c = claims::c18_extreme_eigenvalues().unwrap();
    assert_tag(&c, "holds when");
    // full 2n × 2n transition over 60 curvatures (crate's builder, nalgebra eigenvalues)
    let lams: Vec<f64> = (0..60).map(|i| 0.01 + 0.99 * i as f64 / 59.0).collect();
    let h = DMatrix::from_diagonal(&nalgebra::DVector::from_vec(lams));
    let m = Method::heavy_ball(1.0, 0.9).unwrap();
    let full = m
        .recurrence()
        .full_transition(&h)
        .complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max);
    assert_relative_eq!(
        value(&c, "HB η = 1, β = 0.9: max ρ at the two ends"),
        full,
        max_relative = 1e-9
    );
    // finite horizon: seed lines from rest, 100 steps, over curvatures; the worst is interior
    let worst = (0..4001)
        .map(|i| {
            let lam = 0.01 + 0.99 * i as f64 / 4000.0;
            (hb_lines(1.0, 0.9, |x| lam * x, 1.0, 100)[100].abs(), lam)
        })
        .fold((0.0, 0.0), |a, b| if b.0 > a.0 { b } else { a });
    assert_relative_eq!(
        value(
            &c,
            "HB η = 1, β = 0.9, N = 100: max |P_N(λ)| over 4001 curvatures"
        ),
        worst.0,
        max_relative = 1e-9
    );
    assert!((value(&c, "HB η = 1, β = 0.9, N = 100: attained at λ") - worst.1).abs() < 1e-9);
    let ends = hb_lines(1.0, 0.9, |x| 0.01 * x, 1.0, 100)[100]
        .abs()
        .max(hb_lines(1.0, 0.9, |x| x, 1.0, 100)[100].abs());
    assert!(worst.0 > 2.0 * ends);
}
