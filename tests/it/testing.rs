//! The `testing` feature's strategies and assertions, checked by other routes: every drawn method
//! is stable by the exact Jury step interval and by the 2n × 2n transition matrix's eigenvalues,
//! and the assertions fail when they should.

use momentum::stability::method_stable_steps;
use momentum::testing::strategies::{interval, stable_heavy_ball, stable_nesterov};
use momentum::testing::{assert_error_after_at_most, assert_rate_at_most, assert_stable};
use momentum::{Method, Spectrum};
use nalgebra::DMatrix;
use proptest::prelude::*;

fn full_radius(m: &Method, s: &Spectrum) -> f64 {
    let (mu, l) = s.bounds();
    let h = DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![mu, l]));
    let t = m.recurrence().full_transition(&h);
    t.complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max)
}

proptest! {
    #[test]
    fn drawn_methods_are_stable_by_two_other_routes(
        (s, hb, nag) in interval(1e4).prop_flat_map(|s| {
            (Just(s.clone()), stable_heavy_ball(s.clone()), stable_nesterov(s))
        })
    ) {
        for m in [hb, nag] {
            let iv = method_stable_steps(&m, &s).unwrap().expect("a stable interval");
            prop_assert!(iv.lo < m.step() && m.step() < iv.hi, "{m:?} outside {iv:?}");
            prop_assert!(full_radius(&m, &s) < 1.0 + 1e-9, "{m:?}");
            assert_stable(&m, &s);
        }
    }
}

#[test]
fn assertions_fail_when_they_should() {
    let s = Spectrum::interval(1.0, 30.0).unwrap();
    // h = 3 at λ = 30 with β = 0.9: stable, ρ = √0.9
    let ok = Method::heavy_ball(0.1, 0.9).unwrap();
    let w = assert_rate_at_most(&ok, &s, 0.95);
    assert!((w.spectral_radius() - 0.9f64.sqrt()).abs() < 1e-15);
    assert!(std::panic::catch_unwind(|| assert_rate_at_most(&ok, &s, 0.9)).is_err());
    // 2(1 + β)/L = 0.1267: a step of 0.13 diverges along λ = 30
    let bad = Method::heavy_ball(0.13, 0.9).unwrap();
    let msg = std::panic::catch_unwind(|| assert_stable(&bad, &s))
        .unwrap_err()
        .downcast::<String>()
        .unwrap();
    assert!(
        msg.contains("unstable") && msg.contains("lambda = 30"),
        "{msg}"
    );
    // gradient descent, step 1 on [0.5, 1]: worst error after 10 steps is 0.5^10 exactly
    let gd = Method::gradient_descent(1.0).unwrap();
    let s = Spectrum::interval(0.5, 1.0).unwrap();
    assert_error_after_at_most(&gd, &s, 10, 0.5f64.powi(10) * (1.0 + 1e-12));
    assert!(
        std::panic::catch_unwind(|| assert_error_after_at_most(
            &gd,
            &s,
            10,
            0.5f64.powi(10) * 0.99
        ))
        .is_err()
    );
}
