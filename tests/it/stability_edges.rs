//! Closed-form stability edges and critical-damping momenta (docs/REFERENCE.md §3) against the generic
//! Jury interval, the regime classifier and brute-force scans.

use approx::assert_relative_eq;
use momentum::stability::{
    critical_momentum, heavy_ball_max_step, method_stable_steps, nesterov_max_step,
};
use momentum::{Family, Method, Regime, Spectrum};
use proptest::prelude::*;

proptest! {
    #[test]
    fn edges_hold_at_every_scale(
        b in -0.99..0.99f64, log_step in -30.0..30.0f64, log_lam in -30.0..30.0f64, nag: bool,
    ) {
        // the interval does not depend on the step it is asked at, and is exact at any scale of αλ
        let (step, lam) = (10f64.powf(log_step), 10f64.powf(log_lam));
        let s = Spectrum::eigenvalues(vec![lam]).unwrap();
        let m = if nag { Method::nesterov(step, b.abs()) } else { Method::heavy_ball(step, b) }.unwrap();
        let iv = method_stable_steps(&m, &s).unwrap().unwrap();
        let expect = if nag { nesterov_max_step(b.abs(), lam) } else { heavy_ball_max_step(b, lam) };
        prop_assert_eq!(iv.lo, 0.0);
        prop_assert!((iv.hi - expect).abs() <= 1e-14 * expect, "{} vs {expect}", iv.hi);
    }

    #[test]
    fn heavy_ball_edge_matches_jury_interval(b in -0.99..0.99f64, mu in 0.01..1.0f64, l in 1.0..100.0f64) {
        let s = Spectrum::interval(mu, l).unwrap();
        let iv = method_stable_steps(&Method::heavy_ball(0.01, b).unwrap(), &s).unwrap().unwrap();
        prop_assert!((iv.hi - heavy_ball_max_step(b, l)).abs() <= 1e-12 * iv.hi);
        prop_assert_eq!(iv.lo, 0.0);
    }

    #[test]
    fn nesterov_edge_matches_jury_interval(b in 0.0..0.999f64, mu in 0.01..1.0f64, l in 1.0..100.0f64) {
        let s = Spectrum::interval(mu, l).unwrap();
        let iv = method_stable_steps(&Method::nesterov(0.01, b).unwrap(), &s).unwrap().unwrap();
        prop_assert!((iv.hi - nesterov_max_step(b, l)).abs() <= 1e-12 * iv.hi);
    }

    #[test]
    fn edges_agree_with_the_spectral_radius_either_side(b in -0.95..0.95f64, g in -1.0..1.5f64, l in 0.5..50.0f64) {
        // just inside the interval ρ < 1, just outside ρ ≥ 1 (brute force through the roots)
        let s = Spectrum::interval(l / 10.0, l).unwrap();
        let m = Method::general(0.01, b, g).unwrap();
        if let Some(iv) = method_stable_steps(&m, &s).unwrap() {
            prop_assume!(iv.hi.is_finite() && iv.hi > 1.001 * iv.lo);
            let rho = |t: f64| s.worst_case(&m.with_step(t).unwrap().recurrence()).unwrap().spectral_radius();
            prop_assert!(rho(iv.hi * (1.0 - 1e-6)) < 1.0);
            prop_assert!(rho(iv.hi * (1.0 + 1e-6)) >= 1.0);
            if iv.lo > 0.0 {
                prop_assert!(rho(iv.lo * (1.0 + 1e-6)) < 1.0);
                prop_assert!(rho(iv.lo * (1.0 - 1e-6)) >= 1.0);
            }
        }
    }

    #[test]
    fn critical_momentum_is_a_double_root(h in 0.0001..3.9f64, lam in 0.1..10.0f64) {
        let step = h / lam;
        let c = critical_momentum(Family::HeavyBall, step, lam).unwrap();
        let m = Method::heavy_ball(step, c.momentum).unwrap().recurrence().mode(lam).unwrap();
        prop_assert_eq!(m.regime(), Regime::CriticallyDamped);
        // a double root of rounded inputs splits by up to ~√ε: absolute agreement to 1e-7
            prop_assert!((m.spectral_radius() - c.rate).abs() <= 1e-7);
        if h < 1.0 {
            let c = critical_momentum(Family::Nesterov, step, lam).unwrap();
            let m = Method::nesterov(step, c.momentum).unwrap().recurrence().mode(lam).unwrap();
            prop_assert_eq!(m.regime(), Regime::CriticallyDamped);
            // a double root of rounded inputs splits by up to ~√ε: absolute agreement to 1e-7
            prop_assert!((m.spectral_radius() - c.rate).abs() <= 1e-7);
        }
    }
}

#[test]
fn nesterov_at_half_momentum_has_half_the_heavy_ball_step() {
    // seed claim: at β = 0.5, (2+2β)/((1+2β)L) = 1.5/L against 2(1+β)/L = 3/L
    let s = Spectrum::interval(1.0, 1.0).unwrap();
    let hb = method_stable_steps(&Method::heavy_ball(0.1, 0.5).unwrap(), &s)
        .unwrap()
        .unwrap();
    let nag = method_stable_steps(&Method::nesterov(0.1, 0.5).unwrap(), &s)
        .unwrap()
        .unwrap();
    assert_relative_eq!(hb.hi, 3.0, max_relative = 1e-14);
    assert_relative_eq!(nag.hi, 1.5, max_relative = 1e-14);
}

#[test]
fn nesterov_outside_unit_momentum_needs_the_full_jury_test() {
    // β = 1.2, α = 0.9, κ = 3 (L = 1): stable, although β > 1
    let s = Spectrum::interval(1.0 / 3.0, 1.0).unwrap();
    let w = s
        .worst_case(&Method::nesterov(0.9, 1.2).unwrap().recurrence())
        .unwrap();
    assert!(w.is_stable(), "ρ = {}", w.spectral_radius());
    // for β < 0 the |c₀| < 1 condition binds: β = −0.9, large steps make c₀ = β(1 − h) < −1
    let iv = method_stable_steps(
        &Method::nesterov(0.1, -0.9).unwrap(),
        &Spectrum::interval(1.0, 1.0).unwrap(),
    )
    .unwrap()
    .unwrap();
    // c₀ = −0.9(1 − t) > −1 ⇔ t < 1 + 1/0.9; the closed form (2+2β)/(1+2β) = 0.25 is wrong here
    assert!((iv.hi - nesterov_max_step(-0.9, 1.0)).abs() > 0.1);
    let rho = |t: f64| {
        Method::nesterov(t, -0.9)
            .unwrap()
            .recurrence()
            .mode(1.0)
            .unwrap()
            .spectral_radius()
    };
    assert!(rho(iv.hi * 0.999) < 1.0 && rho(iv.hi * 1.001) > 1.0);
}

#[test]
fn heavy_ball_regime_boundaries_by_brute_force() {
    // h = αλ scan at β = 0.36 (√β = 0.6): overdamped below 0.16, underdamped to 2.56,
    // alternating to 2.72, divergent beyond
    let beta = 0.36;
    for i in 1..4000 {
        let h = i as f64 * 0.001;
        let m = Method::heavy_ball(h, beta)
            .unwrap()
            .recurrence()
            .mode(1.0)
            .unwrap();
        let expect = if h < 0.16 - 1e-9 {
            Regime::Overdamped
        } else if h <= 0.16 + 1e-9 || (h - 2.56).abs() < 1e-9 {
            Regime::CriticallyDamped
        } else if h < 2.56 {
            Regime::Underdamped
        } else {
            Regime::Alternating
        };
        assert_eq!(m.regime(), expect, "h = {h}");
        assert_eq!(m.is_stable(), h < 2.72 - 1e-12, "h = {h}");
    }
}

#[test]
fn critical_momentum_reports_the_double_root_with_its_sign() {
    use momentum::stability::critical_momentum;
    use momentum::{Family, Method};
    for (family, h) in [
        (Family::HeavyBall, 0.3),
        (Family::HeavyBall, 2.5),
        (Family::Nesterov, 0.3),
        (Family::Nesterov, 0.9),
    ] {
        let c = critical_momentum(family, h, 1.0).unwrap();
        let m = match family {
            Family::HeavyBall => Method::heavy_ball(h, c.momentum),
            _ => Method::nesterov(h, c.momentum),
        }
        .unwrap();
        // the roots of z² − c₁z + c₀ at that momentum: both ≈ the reported double root
        let (c1, c0) = m.recurrence().coefficients(1.0);
        assert!((0.5 * c1 - c.root).abs() < 1e-12, "{family:?} {h}");
        assert!((c0 - c.root * c.root).abs() < 1e-12, "{family:?} {h}");
        assert_eq!(c.root < 0.0, family == Family::HeavyBall && h > 1.0);
        assert_eq!(c.rate, c.root.abs());
    }
}
