//! Closed-form tunings (docs/REFERENCE.md §4) against the numeric minimax search and brute force.

use momentum::Family;
use momentum::tune as tuning;
use momentum::tune::search::{self as minimax, worst_rate};
use momentum::{Method, Spectrum};
use proptest::prelude::*;

const KAPPAS: [f64; 5] = [2.0, 10.0, 100.0, 1e4, 1e6];

/// The rate of a method over [μ, L] by the 2n × 2n oracle: the spectral radius of the full
/// transition matrix of a diagonal Hessian with μ, L and interior points (nalgebra eigenvalues).
fn oracle_rate(m: &Method, mu: f64, l: f64) -> f64 {
    let h =
        nalgebra::DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![mu, 0.5 * (mu + l), l]));
    let t = m.recurrence().full_transition(&h);
    t.complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max)
}

#[test]
fn minimax_search_reproduces_every_family_optimum_to_1e_8() {
    for kappa in KAPPAS {
        let (mu, l) = (1.0 / kappa, 1.0);
        let pairs = [
            (
                Family::GradientDescent,
                Spectrum::interval(mu, l)
                    .and_then(|iv| tuning::gradient_descent(&iv))
                    .unwrap(),
            ),
            (
                Family::HeavyBall,
                Spectrum::interval(mu, l)
                    .and_then(|iv| tuning::heavy_ball(&iv))
                    .unwrap(),
            ),
            (
                Family::Nesterov,
                Spectrum::interval(mu, l)
                    .and_then(|iv| tuning::nesterov_quadratic(&iv))
                    .unwrap(),
            ),
        ];
        for (family, closed) in pairs {
            let found = Spectrum::interval(mu, l)
                .and_then(|iv| minimax::tune(family, &iv))
                .unwrap();
            assert!(
                (found.rate - closed.rate).abs() <= 1e-8,
                "kappa {kappa} {family:?}: search {} vs closed form {}",
                found.rate,
                closed.rate
            );
            // the parameters too: the optimum is a corner, so they are pinned as well as the rate
            let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-300);
            assert!(
                rel(found.method.step(), closed.method.step()) < 1e-6,
                "{kappa} {family:?} step"
            );
            assert!(
                (found.method.momentum() - closed.method.momentum()).abs() < 1e-6,
                "{kappa} {family:?} momentum {} vs {}",
                found.method.momentum(),
                closed.method.momentum()
            );
        }
    }
}

/// The two-pass search (`tune`) returns the bits of the reference nested search
/// (`tune_exhaustive`, ~30× the evaluations) for the families the CLI and the report tune, from
/// κ = 1.5 to 10²⁰ and off L = 1. (At κ = 1 the optimal rate is 0 and both return rounding noise
/// below 1e-16, not the same noise.)
#[test]
fn two_pass_search_returns_the_exhaustive_searchs_bits() {
    for kappa in [1.5, 2.0, 10.0, 100.0, 1e3, 1e4, 1e6, 1e9, 1e12, 1e20] {
        for (mu, l) in [(1.0 / kappa, 1.0), (3.0, 3.0 * kappa)] {
            let iv = Spectrum::interval(mu, l).unwrap();
            for family in [Family::GradientDescent, Family::HeavyBall, Family::Nesterov] {
                let fast = minimax::tune(family, &iv).unwrap();
                let slow = minimax::tune_exhaustive(family, &iv).unwrap();
                assert_eq!(
                    (fast.rate.to_bits(), fast.method.step().to_bits()),
                    (slow.rate.to_bits(), slow.method.step().to_bits()),
                    "kappa {kappa}, mu {mu}, {family:?}: {fast:?} vs {slow:?}"
                );
                assert_eq!(
                    fast.method.momentum().to_bits(),
                    slow.method.momentum().to_bits(),
                    "kappa {kappa}, mu {mu}, {family:?}"
                );
            }
        }
    }
}

#[test]
fn closed_form_rates_are_the_worst_case_radius_of_the_full_transition_matrix() {
    for kappa in [2.0, 10.0, 100.0] {
        let (mu, l) = (1.0 / kappa, 1.0);
        for t in Spectrum::interval(mu, l)
            .and_then(|iv| tuning::all(&iv))
            .unwrap()
        {
            let r = oracle_rate(&t.method, mu, l);
            // double roots (critical damping at the ends) are resolved by a general eigensolver
            // only to ~√ε
            assert!(
                (r - t.rate).abs() < 1e-6,
                "{} kappa {kappa}: {r} vs {}",
                t.kind,
                t.rate
            );
        }
    }
}

#[test]
fn nesterov_standard_tuning_is_the_best_momentum_at_step_one_over_l() {
    for kappa in KAPPAS {
        let (mu, l) = (1.0 / kappa, 1.0);
        let std = Spectrum::interval(mu, l)
            .and_then(|iv| tuning::nesterov(&iv))
            .unwrap();
        let found = Spectrum::interval(mu, l)
            .and_then(|iv| tuning::nesterov_momentum_for_step(1.0 / l, &iv))
            .unwrap();
        assert!((found.rate - std.rate).abs() < 1e-12, "{kappa}");
        assert!(
            (found.method.momentum() - std.method.momentum()).abs() < 1e-9,
            "{kappa}"
        );
    }
}

#[test]
fn triple_momentum_is_not_the_quadratic_optimum_of_its_own_lookahead() {
    // Triple momentum is tuned for every smooth strongly convex function; on quadratics, with
    // its step and lookahead held, another momentum does strictly better. Both rates are checked
    // against the full transition matrix.
    let (mu, l) = (0.01, 1.0);
    let tmm = Method::triple_momentum(mu, l).unwrap();
    let better = Spectrum::interval(mu, l)
        .and_then(|iv| minimax::best_momentum(Family::Lookahead(tmm.lookahead()), tmm.step(), &iv))
        .unwrap();
    assert!((oracle_rate(&tmm, mu, l) - 0.9).abs() < 1e-6);
    let r = oracle_rate(&better.method, mu, l);
    assert!((r - better.rate).abs() < 1e-6);
    assert!(r < 0.87, "{r}");
}

fn brute_force(f: impl Fn(f64) -> f64, lo: f64, hi: f64, n: usize) -> (f64, f64) {
    (0..=n)
        .map(|i| lo + (hi - lo) * i as f64 / n as f64)
        .map(|x| (x, f(x)))
        .fold(
            (f64::NAN, f64::INFINITY),
            |b, p| if p.1 < b.1 { p } else { b },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn heavy_ball_best_momentum_for_a_step(log_kappa in 0.0f64..5.0, h in 0.01f64..3.99) {
        let (mu, l) = (10f64.powf(-log_kappa), 1.0);
        let closed = Spectrum::interval(mu, l).and_then(|iv| tuning::heavy_ball_momentum_for_step(h, &iv)).unwrap();
        // the search, and a 20 001-point brute force over β ∈ [−1, 1]
        let search = Spectrum::interval(mu, l).and_then(|iv| minimax::best_momentum(Family::HeavyBall, h, &iv)).unwrap();
        let (_, brute) = brute_force(|b| worst_rate(Family::HeavyBall, h, b, mu, l), -1.0, 1.0, 20_000);
        prop_assert!((search.rate - closed.rate).abs() < 1e-9, "{} vs {}", search.rate, closed.rate);
        prop_assert!(closed.rate <= brute + 1e-12, "closed {} brute {}", closed.rate, brute);
        prop_assert!(brute - closed.rate < 2e-2);
        // the rate is what the method achieves
        let w = Spectrum::interval(mu, l).unwrap().worst_case(&closed.method.recurrence()).unwrap();
        prop_assert!((w.spectral_radius() - closed.rate).abs() < 1e-7);
    }

    #[test]
    fn heavy_ball_best_step_for_a_momentum(log_kappa in 0.0f64..5.0, b in -0.95f64..0.999) {
        let (mu, l) = (10f64.powf(-log_kappa), 1.0);
        let closed = Spectrum::interval(mu, l).and_then(|iv| tuning::heavy_ball_step_for_momentum(b, &iv)).unwrap();
        let search = Spectrum::interval(mu, l).and_then(|iv| minimax::best_step(Family::HeavyBall, b, &iv)).unwrap();
        let (_, brute) = brute_force(|a| worst_rate(Family::HeavyBall, a, b, mu, l), 1e-9, 4.0, 40_000);
        prop_assert!((search.rate - closed.rate).abs() < 1e-9, "{} vs {}", search.rate, closed.rate);
        prop_assert!(closed.rate <= brute + 1e-12);
        let w = Spectrum::interval(mu, l).unwrap().worst_case(&closed.method.recurrence()).unwrap();
        prop_assert!((w.spectral_radius() - closed.rate).abs() < 1e-7);
    }

    #[test]
    fn nesterov_one_sided_searches_beat_brute_force(log_kappa in 0.0f64..5.0, x in 0.01f64..0.99) {
        let (mu, l) = (10f64.powf(-log_kappa), 1.0);
        let h = 2.0 * x;
        let best_b = Spectrum::interval(mu, l).and_then(|iv| tuning::nesterov_momentum_for_step(h, &iv)).unwrap();
        let (_, brute) = brute_force(|b| worst_rate(Family::Nesterov, h, b, mu, l), -1.0, 1.0, 20_000);
        prop_assert!(best_b.rate <= brute + 1e-12, "{} vs {}", best_b.rate, brute);
        let beta = 2.0 * x - 1.0;
        let best_a = Spectrum::interval(mu, l).and_then(|iv| tuning::nesterov_step_for_momentum(beta, &iv)).unwrap();
        let (_, brute) = brute_force(|a| worst_rate(Family::Nesterov, a, beta, mu, l), 1e-9, 8.0, 40_000);
        prop_assert!(best_a.rate <= brute + 1e-12, "{} vs {}", best_a.rate, brute);
    }

    #[test]
    fn iterations_to_epsilon_is_the_first_k_with_rho_to_the_k_below_epsilon(
        rate in 0.01f64..0.999, e in 1.0f64..12.0,
    ) {
        let eps = 10f64.powf(-e);
        let n = tuning::iterations_to(rate, eps).unwrap().unwrap();
        let mut k = 0u32;
        let mut r = 1.0f64;
        while r > eps { r *= rate; k += 1; }
        // ρ^k by repeated multiplication crosses ε at ⌈n⌉ (up to rounding right at an integer)
        prop_assert!((k as f64 - n.ceil()).abs() <= 1.0 && (k as f64 - n) >= -1e-9, "{k} vs {n}");
    }
}

#[test]
fn chebyshev_lower_bound_is_one_over_the_chebyshev_polynomial() {
    for kappa in [2.0, 10.0, 100.0, 1e4] {
        let x: f64 = (kappa + 1.0) / (kappa - 1.0);
        let (mut t_prev, mut t) = (1.0f64, x);
        for k in 1..60u64 {
            let lb = tuning::chebyshev_lower_bound(kappa, k).unwrap();
            assert!(
                (lb - 1.0 / t).abs() <= 1e-12 * lb,
                "{kappa} {k}: {lb} vs {}",
                1.0 / t
            );
            (t_prev, t) = (t, 2.0 * x * t - t_prev);
        }
        // its asymptotic rate is Polyak's heavy-ball rate
        let hb = Spectrum::interval(1.0 / kappa, 1.0)
            .and_then(|iv| tuning::heavy_ball(&iv))
            .unwrap();
        // over k ∈ [k₁, 2k₁] with σ^{2k₁} ≈ e^{−600}: 1 + σ^{2k} is 1 to the last bit, and nothing
        // underflows
        let k1 = (300.0 / -hb.rate.ln()) as u64;
        let r = (tuning::chebyshev_lower_bound(kappa, 2 * k1).unwrap()
            / tuning::chebyshev_lower_bound(kappa, k1).unwrap())
        .powf(1.0 / k1 as f64);
        assert!((r - hb.rate).abs() < 1e-9, "{r} vs {}", hb.rate);
    }
    assert!(tuning::chebyshev_lower_bound(0.5, 3).is_err());
    // the rate alone is the square root of Polyak's momentum ((√κ − 1)/(√κ + 1))²
    for kappa in [1.0, 2.0, 100.0, 1e8] {
        let hb = Spectrum::interval(1.0 / kappa, 1.0)
            .and_then(|iv| tuning::heavy_ball(&iv))
            .unwrap();
        let sigma = tuning::chebyshev_rate(kappa).unwrap();
        assert!(
            (sigma - hb.method.momentum().sqrt()).abs() < 1e-15,
            "{kappa}"
        );
    }
    assert!(tuning::chebyshev_rate(0.5).is_err());
    assert!(tuning::chebyshev_rate(f64::NAN).is_err());
}

#[test]
fn one_sided_tunings_reject_what_has_no_answer() {
    assert!(
        Spectrum::interval(0.1, 1.0)
            .and_then(|iv| tuning::heavy_ball_momentum_for_step(4.0, &iv))
            .is_err()
    );
    assert!(
        Spectrum::interval(0.1, 1.0)
            .and_then(|iv| tuning::heavy_ball_step_for_momentum(1.0, &iv))
            .is_err()
    );
    assert!(
        Spectrum::interval(0.1, 1.0)
            .and_then(|iv| tuning::heavy_ball_step_for_momentum(f64::NAN, &iv))
            .is_err()
    );
    assert!(tuning::iterations_to(0.5, 1.0).is_err());
    assert!(tuning::iterations_to(0.5, 0.0).is_err());
    assert_eq!(tuning::iterations_to(1.0, 0.1).unwrap(), None);
    assert!(
        Spectrum::interval(2.0, 1.0)
            .and_then(|iv| minimax::tune(Family::HeavyBall, &iv))
            .is_err()
    );
    assert!(
        Spectrum::interval(0.0, 1.0)
            .and_then(|iv| minimax::tune(Family::HeavyBall, &iv))
            .is_err()
    );
}

/// Tuning in a framework's arguments against brute force: the EWMA momentum found for a held lr
/// is the best of 20 001 evenly spaced momenta (each converted and its worst case taken), and
/// no grid point beats it.
#[test]
fn framework_tuning_matches_a_brute_force_grid() {
    use momentum::{Framework, FrameworkParams};
    let s = Spectrum::interval(0.5, 80.0).unwrap();
    for (fw, lr, nesterov, wd) in [
        (Framework::Ewma, 0.03, false, None),
        (Framework::Keras, 0.01, true, Some(0.2)),
        (Framework::PyTorch, 0.02, false, Some(0.05)),
    ] {
        let at = FrameworkParams {
            lr,
            nesterov,
            weight_decay: wd,
            ..Default::default()
        };
        let t = momentum::tune::framework::best_momentum(fw, &at, &s).unwrap();
        let grid = (0..20_001)
            .map(|i| i as f64 / 20_001.0)
            .filter_map(|b| {
                let p = FrameworkParams {
                    momentum: Some(b),
                    ..at
                };
                let rec = fw.convert(&p).ok()?.recurrence;
                Some(s.worst_case(&rec).ok()?.spectral_radius())
            })
            .fold(f64::INFINITY, f64::min);
        assert!(t.rate <= grid + 1e-12, "{fw}: {} vs grid {grid}", t.rate);
        assert!(grid - t.rate < 1e-3, "{fw}: {} vs grid {grid}", t.rate);
        // the reported rate is the rate of the reported arguments
        let again = s
            .worst_case(&fw.convert(&t.params).unwrap().recurrence)
            .unwrap()
            .spectral_radius();
        assert_eq!(again, t.rate);
    }
}

/// max over the ends of the larger root modulus of z² − (1 + β − αλ)z + β (heavy ball), by the
/// textbook formula: a route independent of the library's roots.
fn hb_worst(a: f64, b: f64, ends: [f64; 2]) -> f64 {
    ends.iter()
        .map(|&l| {
            let c1 = 1.0 + b - a * l;
            let d = c1 * c1 - 4.0 * b;
            if d < 0.0 {
                b.sqrt()
            } else {
                (c1.abs() + d.sqrt()) / 2.0
            }
        })
        .fold(0.0, f64::max)
}

#[test]
fn a_margin_is_kept_and_nothing_on_a_brute_force_grid_beats_it() {
    use momentum::tune::margin;
    let s = Spectrum::from_condition_number(100.0).unwrap();
    let ends = [0.01, 1.0];
    for f in [0.05, 0.1, 0.3] {
        let t = margin::tune(Family::HeavyBall, &s, f).unwrap();
        let (a, b) = (t.method.step(), t.method.momentum());
        // heavy ball's edge is 2(1 + β)/L in closed form
        assert!(
            1.0 - a / (2.0 * (1.0 + b)) >= f,
            "margin {f}: step {a} at β {b}"
        );
        assert!((t.rate - hb_worst(a, b, ends)).abs() < 1e-12);
        // every grid point that keeps the margin is no better (to the grid's resolution)
        let mut best = f64::INFINITY;
        for j in 0..=800 {
            let b = j as f64 / 800.0 * 0.999;
            let cap = (1.0 - f) * 2.0 * (1.0 + b);
            for i in 1..=800 {
                best = best.min(hb_worst(cap * i as f64 / 800.0, b, ends));
            }
        }
        assert!(
            t.rate <= best + 1e-9,
            "margin {f}: search {} vs grid {best}",
            t.rate
        );
        assert!(
            t.rate >= 9.0 / 11.0,
            "never better than Polyak's unconstrained optimum"
        );
    }
    // at a fixed momentum the best step keeps √β while there is room, at the largest tied step
    let t = margin::best_step(Family::HeavyBall, 0.9, &s, 0.1).unwrap();
    assert!(
        (t.method.step() - 0.9 * 3.8).abs() < 1e-12,
        "{}",
        t.method.step()
    );
    assert!((t.rate - 0.9f64.sqrt()).abs() < 1e-15);
    assert!(margin::tune(Family::HeavyBall, &s, 1.0).is_err());
    assert!(margin::tune(Family::HeavyBall, &s, -0.1).is_err());
}

/// `worst_rate` reads only the spectral radius of the two end modes, by a path that skips the
/// rest of the mode (issue 29): it must give the bits of `mode(λ).spectral_radius()` at both
/// ends, +∞ exactly where a mode is an error, over ordinary settings and over steps and
/// curvatures so large that Δ (or its sensitivity) leaves f64 and the rescaled route is taken.
fn worst_rate_by_modes(family: Family, step: f64, momentum: f64, mu: f64, l: f64) -> f64 {
    let Ok(m) = family.method(step, momentum) else {
        return f64::INFINITY;
    };
    let rec = m.recurrence();
    match (rec.mode(mu), rec.mode(l)) {
        (Ok(a), Ok(b)) => a.spectral_radius().max(b.spectral_radius()),
        _ => f64::INFINITY,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn worst_rate_is_the_modes_spectral_radius_bit_for_bit(
        fam in 0usize..4,
        log_step in -3.0f64..310.0,
        momentum in -1.5f64..1.5,
        log_mu in -300.0f64..0.0,
        log_l in 0.0f64..150.0,
        g in -2.0f64..2.0,
    ) {
        let family = [Family::GradientDescent, Family::HeavyBall, Family::Nesterov, Family::Lookahead(g)][fam];
        let (step, mu, l) = (10f64.powf(log_step), 10f64.powf(log_mu), 10f64.powf(log_l));
        let fast = worst_rate(family, step, momentum, mu, l);
        let slow = worst_rate_by_modes(family, step, momentum, mu, l);
        prop_assert_eq!(fast.to_bits(), slow.to_bits(), "{:?} α {} β {} μ {} L {}: {} vs {}", family, step, momentum, mu, l, fast, slow);
    }
}

#[test]
fn worst_rate_bits_at_the_searched_points() {
    // the points the searches visit: the grids of `tune` at κ = 100 and 1e4, and a few extremes
    // (α = 0 is an error of the method: +∞ both ways; a step near f64::MAX overflows c₁)
    for kappa in [100.0, 1e4] {
        let (mu, l) = (1.0 / kappa, 1.0);
        for i in 0..=80 {
            let step = minimax::MAX_STEP_TIMES_L * i as f64 / 80.0;
            for j in 0..=40 {
                let b = -1.0 + 2.0 * j as f64 / 40.0;
                for family in [Family::HeavyBall, Family::Nesterov, Family::Lookahead(0.3)] {
                    let fast = worst_rate(family, step, b, mu, l);
                    let slow = worst_rate_by_modes(family, step, b, mu, l);
                    assert_eq!(fast.to_bits(), slow.to_bits(), "{family:?} {step} {b}");
                }
            }
        }
    }
    for (step, b, mu, l) in [
        (1e300, 0.5, 1.0, 1e8),
        (1.7e308, 0.9, 1.0, 2.0),
        (1e154, -0.99, 1e-300, 1e3),
    ] {
        for family in [Family::HeavyBall, Family::Nesterov, Family::GradientDescent] {
            let fast = worst_rate(family, step, b, mu, l);
            let slow = worst_rate_by_modes(family, step, b, mu, l);
            assert_eq!(
                fast.to_bits(),
                slow.to_bits(),
                "{family:?} {step} {b} {mu} {l}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `interval_rate` (the claims' searches) against the full route it stands for:
    /// `Spectrum::interval(μ, L).worst_case(rec).spectral_radius()`, bit for bit, and `None`
    /// exactly where that route is an error.
    #[test]
    fn interval_rate_is_the_worst_case_bit_for_bit(
        log_step in -3.0f64..310.0,
        momentum in -1.5f64..1.5,
        lookahead in -2.0f64..2.0,
        log_mu in -300.0f64..0.0,
        log_l in 0.0f64..150.0,
    ) {
        let (step, mu, l) = (10f64.powf(log_step), 10f64.powf(log_mu), 10f64.powf(log_l));
        let m = Method::general(step, momentum, lookahead);
        prop_assume!(m.is_ok());
        let rec = m.unwrap().recurrence();
        let fast = minimax::interval_rate(&rec, mu, l);
        let slow = Spectrum::interval(mu, l)
            .unwrap()
            .worst_case(&rec)
            .map(|w| w.spectral_radius())
            .ok();
        prop_assert_eq!(fast.map(f64::to_bits), slow.map(f64::to_bits), "α {} β {} γ {} μ {} L {}", step, momentum, lookahead, mu, l);
    }
}
