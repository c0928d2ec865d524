//! Arbitrary f64 — NaN, ±∞, subnormals, huge and tiny values — into every public constructor and
//! analysis entry point: each returns Ok or a typed Err, never panics, and an Ok never carries NaN.

use momentum::stability::{critical_momentum, method_stable_steps};
use momentum::{Family, Framework, FrameworkParams, Method, Mode, Recurrence, Spectrum};
use nalgebra::DMatrix;
use proptest::num::f64::ANY;
use proptest::prelude::*;

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        ANY,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE / 4.0),
        Just(f64::MAX),
        -10.0..10.0f64,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn methods_and_modes_never_panic(a in any_f64(), b in any_f64(), g in any_f64(), lam in any_f64()) {
        for m in [
            Method::gradient_descent(a),
            Method::heavy_ball(a, b),
            Method::nesterov(a, b),
            Method::general(a, b, g),
            Method::triple_momentum(a, b),
        ]
        .into_iter()
        .flatten()
        {
            if let Ok(mode) = m.recurrence().mode(lam) {
                prop_assert!(!mode.spectral_radius().is_nan(), "NaN radius from an Ok mode");
                prop_assert!(mode.roots().iter().all(|z| !z.re.is_nan() && !z.im.is_nan()));
                let _ = mode.regime();
                let _ = mode.power(7);
                let _ = mode.power(u64::MAX / 2);
            }
            if let Ok(s) = Spectrum::interval(lam.min(g), lam.max(g)) {
                let _ = s.worst_case(&m.recurrence());
                let _ = method_stable_steps(&m, &s);
            }
            let _ = critical_momentum(Family::HeavyBall, a, lam);
            let _ = critical_momentum(Family::Nesterov, a, lam);
        }
        if let Ok(r) = Recurrence::new(a, b, g, lam) {
            let _ = r.mode(a);
            let _ = r.shifted(b);
            let _ = r.as_method();
        }
        let _ = Mode::from_coefficients(a, b).map(|m| m.power(3));
        let _ = Spectrum::eigenvalues(vec![a, b, g]);
        let _ = Spectrum::from_symmetric_matrix(&DMatrix::from_row_slice(2, 2, &[a, b, g, lam]));
        for fw in Framework::ALL {
            for nesterov in [false, true] {
                let p = FrameworkParams { lr: a, momentum: Some(b), lookahead: None, nesterov, dampening: Some(g).filter(|_| fw == Framework::PyTorch), weight_decay: Some(lam), nu: Some(g).filter(|_| fw == Framework::Qhm) };
                let _ = fw.convert(&p);
            }
        }
    }

    #[test]
    fn finite_inputs_give_finite_analysis(a in 1e-6..1e6f64, b in -5.0..5.0f64, g in -5.0..5.0f64, lam in -1e6..1e6f64) {
        let m = Method::general(a, b, g).unwrap();
        let mode = m.recurrence().mode(lam).unwrap();
        prop_assert!(mode.spectral_radius().is_finite());
        prop_assert!(mode.roots().iter().all(|z| z.re.is_finite() && z.im.is_finite()));
        // a power either is finite or is reported as overflow
        match mode.power(1_000_000) {
            Ok(p) => prop_assert!(p.iter().all(|x| x.is_finite())),
            Err(e) => {
                let overflow = matches!(e, momentum::Error::Overflow { .. });
                prop_assert!(overflow, "unexpected error {}", e);
            }
        }
    }
}
