//! C09: the alternating overdamped regime, by literal simulation and an eigenvalue scan.

use crate::{assert_tag, hb_lines, hb_velocity, radius, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c09_alternating_overdamped_by_literal_simulation() {
    let c = claims::c09_damping_classes().unwrap();
    assert_tag(&c, "wrong");
    let m = hb_velocity(2.4, 0.25, 1.0);
    let eig = m.complex_eigenvalues();
    assert!(eig.iter().all(|z| z.im == 0.0 && z.re < 0.0), "{eig:?}");
    let (c1, c0) = (1.25 - 2.4, 0.25);
    assert!(
        c1 * c1 - 4.0 * c0 > 0.0,
        "'overdamped' by the seed's criterion"
    );
    let xs = hb_lines(2.4, 0.25, |x| x, 1.0, 40);
    let flips = xs.windows(2).filter(|w| w[0] * w[1] < 0.0).count();
    assert_eq!(flips, 40);
    assert_eq!(value(&c, "sign changes in 40 steps from rest"), 40.0);
    assert_relative_eq!(value(&c, "|x₄₀|/x₀"), xs[40].abs(), max_relative = 1e-12);
    // critical damping is the fastest momentum at ηλ = 0.04 (eigenvalue scan)
    let best = (0..1000)
        .map(|i| {
            (
                i as f64 / 1000.0,
                radius(&hb_velocity(0.04, i as f64 / 1000.0, 1.0)),
            )
        })
        .fold((0.0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
    assert!((best.0 - 0.64).abs() < 1.5e-3);
    assert!((best.1 - 0.8).abs() < 1e-3);
}
