//! Delayed gradients and order-n polynomials, each number against an independent route: the
//! Schur–Cohn verdict against companion-matrix eigenvalues and against a simulation of the literal
//! delayed update; τ = 0 against the degree-2 core; the closed forms of SGD with delay, heavy ball
//! with one step of delay, and the undelayed edges; the interval worst case against a dense scan.

use momentum::delay::{self, Delayed, MAX_DELAY};
use momentum::linear::Pencil;
use momentum::polynomial::{circle_crossings, roots, schur_cohn, spectral_radius};
use momentum::stability::{heavy_ball_max_step, nesterov_max_step};
use momentum::{Error, Family, Method, Recurrence, Spectrum, tune};
use proptest::prelude::*;

/// Run the literal update x_{k+1} = x_k + β(x_k − x_{k−1}) − α∇f(y_{k−τ}),
/// y_j = x_j + γ(x_j − x_{j−1}), on f = ½Σλᵢxᵢ² from x_j = 1 (j ≤ 0). Returns log‖x_k‖ at every
/// step; the whole history is renormalised every 50 steps (the update is linear), so no
/// overflow or underflow.
fn simulate(m: &Method, tau: usize, lambdas: &[f64], steps: usize) -> Vec<f64> {
    let (a, b, g) = (m.step(), m.momentum(), m.lookahead());
    let d = lambdas.len();
    // history[0] = x_k, history[1] = x_{k−1}, …, history[τ+1] = x_{k−τ−1}
    let mut hist: Vec<Vec<f64>> = vec![vec![1.0; d]; tau + 2];
    let mut log_scale = 0.0;
    let mut out = Vec::with_capacity(steps);
    for k in 0..steps {
        let (xk, xk1) = (&hist[0], &hist[1]);
        let (old, old1) = (&hist[tau], &hist[tau + 1]);
        let next: Vec<f64> = (0..d)
            .map(|i| {
                let y = old[i] + g * (old[i] - old1[i]);
                xk[i] + b * (xk[i] - xk1[i]) - a * lambdas[i] * y
            })
            .collect();
        hist.pop();
        hist.insert(0, next);
        let norm = hist[0].iter().map(|x| x * x).sum::<f64>().sqrt();
        out.push(norm.ln() + log_scale);
        if k % 50 == 49 {
            let s = hist.iter().flatten().fold(0.0f64, |m, x| m.max(x.abs()));
            if s > 0.0 {
                for v in hist.iter_mut().flatten() {
                    *v /= s;
                }
                log_scale += s.ln();
            }
        }
    }
    out
}

/// The growth rate per step read from a run: (max over the last window − max over the window
/// half-way) / (steps between them), windows of 64 steps (an oscillating error's envelope).
fn measured_log_rate(logs: &[f64]) -> f64 {
    let n = logs.len();
    let w = 64;
    let top = |end: usize| logs[end - w..end].iter().copied().fold(f64::MIN, f64::max);
    (top(n) - top(n / 2)) / (n - n / 2) as f64
}

#[test]
fn schur_cohn_pins_roots_on_the_circle() {
    // (z − 1)(z − 1/2), z² + 1, (z + 1)(z − 0.1), z³ − 1: roots on the circle, not stable
    for p in [
        vec![1.0, -1.5, 0.5],
        vec![1.0, 0.0, 1.0],
        vec![1.0, 0.9, -0.1],
        vec![1.0, 0.0, 0.0, -1.0],
    ] {
        assert!(!schur_cohn(&p).unwrap().stable, "{p:?}");
    }
    // z³ − 0.999: all three roots of modulus 0.999^(1/3) < 1
    assert!(schur_cohn(&[1.0, 0.0, 0.0, -0.999]).unwrap().stable);
    // heavy ball exactly at its edge αλ = 2(1 + β): a root at −1
    let m = Method::heavy_ball(3.0, 0.5).unwrap().delayed(0).unwrap();
    assert!(!m.mode(1.0).unwrap().stable);
    assert!(m.mode(1.0 - 1e-15).unwrap().stable);
    assert!(matches!(
        schur_cohn(&[0.0, 1.0]),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        schur_cohn(&[1.0, f64::NAN]),
        Err(Error::NotFinite { .. })
    ));
}

#[test]
fn delay_beyond_the_limit_is_an_error_naming_it() {
    let m = Method::heavy_ball(0.1, 0.5).unwrap();
    assert!(m.delayed(MAX_DELAY).is_ok());
    let e = m.delayed(MAX_DELAY + 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "delay = 65 is too large: the limit is 64",
        "{e}"
    );
    assert!(delay::max_stable_step(Family::HeavyBall, 0.5, 1000).is_err());
    assert!(
        delay::tune(
            Family::HeavyBall,
            1000,
            &Spectrum::interval(0.1, 1.0).unwrap()
        )
        .is_err()
    );
}

#[test]
fn sgd_largest_step_is_the_closed_form_for_every_delay() {
    // 2 sin(π/(2(2τ+1))) against the crossing search bisected on the Schur–Cohn verdict
    for tau in 0..=MAX_DELAY {
        let h = delay::max_stable_step(Family::GradientDescent, 0.0, tau)
            .unwrap()
            .unwrap();
        let closed = delay::sgd_max_step(tau);
        assert!(
            (h - closed).abs() <= 1e-13 * closed,
            "tau {tau}: {h} vs {closed}"
        );
        // and on either side of it the companion eigenvalues agree: just inside ρ < 1, just outside ρ > 1
        // z^{τ+1} − z^τ + h, written out by hand
        let rho = |h: f64| {
            let p = if tau == 0 {
                vec![1.0, h - 1.0]
            } else {
                let mut p = vec![1.0, -1.0];
                p.extend(std::iter::repeat_n(0.0, tau as usize - 1));
                p.push(h);
                p
            };
            spectral_radius(&p).unwrap()
        };
        assert!(rho(closed * (1.0 - 1e-6)) < 1.0 && rho(closed * (1.0 + 1e-6)) > 1.0);
    }
    assert_eq!(delay::sgd_max_step(0), 2.0);
    assert!((delay::sgd_max_step(2) - (5f64.sqrt() - 1.0) / 2.0).abs() < 1e-15); // 2 sin(π/10)
}

#[test]
fn largest_steps_meet_the_undelayed_and_one_step_closed_forms() {
    for i in 0..40 {
        let beta = -0.95 + 1.9 * i as f64 / 39.0;
        let hb0 = delay::max_stable_step(Family::HeavyBall, beta, 0)
            .unwrap()
            .unwrap();
        assert!(
            (hb0 - heavy_ball_max_step(beta, 1.0)).abs() <= 1e-14 * hb0,
            "{beta}"
        );
        if beta >= 0.0 {
            let n0 = delay::max_stable_step(Family::Nesterov, beta, 0)
                .unwrap()
                .unwrap();
            assert!(
                (n0 - nesterov_max_step(beta, 1.0)).abs() <= 1e-14 * n0,
                "{beta}"
            );
        }
        // heavy ball with one step of delay is z(z² − (1+β)z + β + αλ): αλ < 1 − β
        let hb1 = delay::max_stable_step(Family::HeavyBall, beta, 1)
            .unwrap()
            .unwrap();
        assert!((hb1 - (1.0 - beta)).abs() <= 1e-14, "{beta}: {hb1}");
    }
    assert_eq!(
        delay::max_stable_step(Family::HeavyBall, 1.0, 3).unwrap(),
        None
    );
    // the stable step shrinks with the delay
    let hs: Vec<f64> = [0, 1, 4, 16]
        .iter()
        .map(|&t| {
            delay::max_stable_step(Family::HeavyBall, 0.9, t)
                .unwrap()
                .unwrap()
        })
        .collect();
    assert!(hs.windows(2).all(|w| w[1] < w[0]), "{hs:?}");
}

#[test]
fn the_worst_case_over_an_interval_is_at_least_a_dense_scan_and_close_to_it() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut worst_gap: f64 = 0.0;
    for _ in 0..120 {
        let tau = 1 + (rnd() * 8.0) as u32;
        let fam =
            [Family::HeavyBall, Family::Nesterov, Family::GradientDescent][(rnd() * 3.0) as usize];
        let beta = rnd() * 1.8 - 0.9;
        let h = delay::max_stable_step(fam, beta, tau).unwrap().unwrap();
        let mu = 0.01 + rnd();
        let l = mu + rnd() * 2.0;
        let d = fam
            .method(h * (0.2 + rnd()) / l, beta)
            .unwrap()
            .delayed(tau)
            .unwrap();
        let w = d.worst_case(&Spectrum::interval(mu, l).unwrap()).unwrap();
        let scan = (0..=600)
            .map(|k| mu + (l - mu) * k as f64 / 600.0)
            .map(|x| d.mode(x).unwrap())
            .collect::<Vec<_>>();
        let max = scan.iter().map(|m| m.spectral_radius).fold(0.0, f64::max);
        assert!(w.spectral_radius >= max - 1e-12, "{w:?} vs scan {max}");
        worst_gap = worst_gap.max(w.spectral_radius - max);
        // the verdict over the interval: every sampled curvature stable when the interval is
        assert!(!w.stable || scan.iter().all(|m| m.stable), "{w:?}");
    }
    assert!(worst_gap < 1e-3, "{worst_gap}");
}

#[test]
fn simulation_of_the_literal_update_grows_and_decays_at_the_predicted_rate() {
    let lambdas = [0.05, 0.3, 0.7, 1.0];
    let spectrum = Spectrum::eigenvalues(lambdas.to_vec()).unwrap();
    let mut checked = 0;
    for &tau in &[0usize, 1, 2, 4, 8] {
        for fam in [Family::HeavyBall, Family::Nesterov, Family::GradientDescent] {
            for &beta in &[0.0, 0.5, 0.9] {
                let h = delay::max_stable_step(fam, beta, tau as u32)
                    .unwrap()
                    .unwrap();
                for &frac in &[0.6, 0.98, 1.03] {
                    let m = fam.method(h * frac, beta).unwrap();
                    let w = m
                        .delayed(tau as u32)
                        .unwrap()
                        .worst_case(&spectrum)
                        .unwrap();
                    assert_eq!(
                        w.stable,
                        frac < 1.0,
                        "{fam:?} τ {tau} β {beta} frac {frac}: {w:?}"
                    );
                    let logs = simulate(&m, tau, &lambdas, 6000);
                    let measured = measured_log_rate(&logs);
                    let predicted = w.spectral_radius.ln();
                    assert!(
                        (measured - predicted).abs() < 2e-3,
                        "{fam:?} τ {tau} β {beta} frac {frac}: measured {measured}, predicted {predicted}"
                    );
                    // and it decays exactly when the verdict says stable
                    assert_eq!(measured < 0.0, w.stable);
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 5 * 3 * 3 * 3);
}

#[test]
fn optimal_momentum_under_delay_falls_with_the_delay() {
    let s = Spectrum::from_condition_number(100.0).unwrap();
    // τ = 0: Polyak's heavy ball, ρ = 9/11, β = (9/11)²
    let t0 = delay::tune(Family::HeavyBall, 0, &s).unwrap();
    let polyak = tune::heavy_ball(&s).unwrap();
    assert!((t0.rate - 9.0 / 11.0).abs() < 1e-6, "{t0:?}");
    assert!(
        (t0.momentum - polyak.method.momentum()).abs() < 1e-3,
        "{t0:?}"
    );
    // staleness acts like momentum: the best explicit β falls as τ grows, the rate worsens
    let t: Vec<_> = [0, 2, 4, 8]
        .iter()
        .map(|&tau| delay::tune(Family::HeavyBall, tau, &s).unwrap())
        .collect();
    assert!(t.windows(2).all(|w| w[1].momentum < w[0].momentum), "{t:?}");
    assert!(t.windows(2).all(|w| w[1].rate > w[0].rate), "{t:?}");
    // each tuning is what it says: its worst case recomputed
    for x in &t {
        let w = Method::heavy_ball(x.step, x.momentum)
            .unwrap()
            .delayed(x.tau)
            .unwrap()
            .worst_case(&s)
            .unwrap();
        assert!((w.spectral_radius - x.rate).abs() < 1e-9, "{x:?} {w:?}");
    }
}

#[test]
fn circle_crossings_find_the_known_values() {
    // z² − 2cz·… : A = z², B = 1: roots ±i√s on |z| = r at s = r², and z = ±r at s = −r²
    for r in [0.5, 1.0, 2.0] {
        let s = circle_crossings(&[1.0, 0.0, 0.0], &[1.0], r).unwrap();
        assert!(
            s.iter().any(|&x| (x - r * r).abs() < 1e-12 * r * r),
            "{s:?}"
        );
        assert!(
            s.iter().any(|&x| (x + r * r).abs() < 1e-12 * r * r),
            "{s:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn schur_cohn_agrees_with_companion_eigenvalues(
        coeffs in proptest::collection::vec(-1.5..1.5f64, 1..22),
    ) {
        let mut p = vec![1.0];
        p.extend(coeffs);
        let rho = spectral_radius(&p).unwrap();
        // companion eigenvalues are accurate to ~ε^(1/m) at an m-fold root: only decide clear cases
        prop_assume!((rho - 1.0).abs() > 1e-6);
        prop_assert_eq!(schur_cohn(&p).unwrap().stable, rho < 1.0, "{:?} rho {}", p, rho);
    }

    #[test]
    fn delay_zero_is_the_degree_two_core(
        a in 1e-3..5.0f64, b in -1.5..1.5f64, g in -1.5..1.5f64, lam in -2.0..50.0f64,
    ) {
        let rec = Method::general(a, b, g).unwrap().recurrence();
        let d = Delayed::new(rec, 0).unwrap();
        let core = rec.mode(lam).unwrap();
        // the same polynomial, coefficient for coefficient, and the same verdict
        prop_assert_eq!(d.polynomial(lam).unwrap(), rec.characteristic_polynomial(lam).to_vec());
        let m = d.mode(lam).unwrap();
        prop_assert_eq!(m.stable, core.is_stable());
        prop_assert_eq!(m.spectral_radius, core.spectral_radius());
        // and the companion route to the radius agrees (to √ε near a double root)
        let r = spectral_radius(&d.polynomial(lam).unwrap()).unwrap();
        prop_assert!((r - core.spectral_radius()).abs() <= 1e-7 * r.max(1.0));
        // the worst case over an interval is the core's endpoint worst case
        let s = Spectrum::interval(lam, lam + a).unwrap();
        let w = d.worst_case(&s).unwrap();
        let wc = rec.mode(lam).unwrap().spectral_radius().max(rec.mode(lam + a).unwrap().spectral_radius());
        prop_assert_eq!(w.spectral_radius, wc);
    }

    #[test]
    fn delayed_roots_are_roots_and_the_verdict_matches_them(
        a in 1e-3..2.0f64, b in -0.99..0.99f64, g in -1.0..1.0f64, lam in 0.0..3.0f64, tau in 1u32..17,
    ) {
        let d = Delayed::new(Recurrence::new(1.0 + b, a * (1.0 + g), b, a * g).unwrap(), tau).unwrap();
        let m = d.mode(lam).unwrap();
        let p = d.polynomial(lam).unwrap();
        prop_assert_eq!(m.roots.len(), tau as usize + 2);
        prop_assert_eq!(roots(&p).unwrap().len(), tau as usize + 2);
        prop_assume!((m.spectral_radius - 1.0).abs() > 1e-6);
        prop_assert_eq!(m.stable, m.spectral_radius < 1.0);
    }
}

/// max|z| of z^τ(z² − 1.5z + 0.5) + λ(p₁z − q₁) for heavy ball (α = 1, β = 0.5: p₁ = 1, q₁ = 0)
/// and Nesterov (α = 1, β = γ = 0.5: p₁ = 1.5, q₁ = 0.5), from mpmath at 60 digits:
/// `mp.mp.dps = 60; max(abs(z) for z in mp.polyroots(c, maxsteps=2000, extraprec=4000))` with
/// c = [1, −p₀, q₀, 0, …, 0, p₁λ, −q₁λ] (degree τ + 2), printed to 18 digits.
#[allow(clippy::excessive_precision)] // the 18 digits mpmath printed
const MPMATH_RADII: [(&str, u32, f64, f64); 32] = [
    ("hb", 2, 1e3, 10.2552865751393732),
    ("hb", 2, 1e6, 100.250521614741606),
    ("hb", 2, 1e9, 1000.250052091146),
    ("hb", 2, 1e12, 10000.2500052084115),
    ("hb", 5, 1e3, 3.3933969078623938),
    ("hb", 5, 1e6, 10.2209953374353035),
    ("hb", 5, 1e9, 31.8406891186051024),
    ("hb", 5, 1e12, 100.216949679404238),
    ("hb", 8, 1e3, 2.33455815406369743),
    ("hb", 8, 1e6, 4.80833693115371016),
    ("hb", 8, 1e9, 10.1611625174943416),
    ("hb", 8, 1e12, 21.7030405245976132),
    ("hb", 16, 1e3, 1.61766401387845771),
    ("hb", 16, 1e6, 2.35780783815438274),
    ("hb", 16, 1e9, 3.48109805013402579),
    ("hb", 16, 1e12, 5.17360330657313588),
    ("nag", 2, 1e3, 11.641630994062346),
    ("nag", 2, 1e6, 114.665866081732438),
    ("nag", 2, 1e9, 1144.90868666824378),
    ("nag", 2, 1e12, 11447.3368699441351),
    ("nag", 5, 1e3, 3.56484594634544775),
    ("nag", 5, 1e6, 10.8715674474919461),
    ("nag", 5, 1e9, 34.003287487599326),
    ("nag", 5, 1e12, 107.160113066569191),
    ("nag", 8, 1e3, 2.39768160890464783),
    ("nag", 8, 1e6, 4.98678207315777183),
    ("nag", 8, 1e9, 10.5868752592479378),
    ("nag", 8, 1e12, 22.6609004871470984),
    ("nag", 16, 1e3, 1.63320118008385239),
    ("nag", 16, 1e6, 2.39193573513119086),
    ("nag", 16, 1e9, 3.54282028733105181),
    ("nag", 16, 1e12, 5.27649520169396681),
];

#[test]
fn delayed_radius_at_large_step_times_curvature_matches_mpmath() {
    let mut worst: f64 = 0.0;
    for (name, tau, lambda, want) in MPMATH_RADII {
        let m = match name {
            "hb" => Method::heavy_ball(1.0, 0.5),
            _ => Method::nesterov(1.0, 0.5),
        }
        .unwrap();
        let got = m
            .delayed(tau)
            .unwrap()
            .mode(lambda)
            .unwrap()
            .spectral_radius;
        let rel = (got - want).abs() / want;
        assert!(
            rel < 1e-13,
            "{name} tau {tau} lambda {lambda}: {got} vs {want}"
        );
        worst = worst.max(rel);
    }
    eprintln!("largest relative error against mpmath: {worst:.1e}");
}

#[test]
fn the_delayed_recurrence_is_a_pencil_of_the_order_n_core() {
    // a delayed method is the order-(τ+2) pencil of linear::Pencil; its edge (first crossing
    // past which the verdict fails) against the core's stable_steps (a probe in every gap between
    // crossings, each boundary bisected), and against a pencil rebuilt from the rounded
    // coefficients (Pencil::new: another construction of the same polynomial)
    let mut seen = 0;
    for tau in [0u32, 1, 2, 5, 13, 40] {
        for (family, beta) in [
            (Family::GradientDescent, 0.0),
            (Family::HeavyBall, 0.5),
            (Family::HeavyBall, -0.4),
            (Family::Nesterov, 0.9),
            (Family::Nesterov, 0.3),
        ] {
            let h = delay::max_stable_step(family, beta, tau).unwrap().unwrap();
            // at α = 1 the pencil's h is λ, so its stable curvatures are the stable steps
            let d = family.method(1.0, beta).unwrap().delayed(tau).unwrap();
            let p = d.linear();
            assert_eq!(p.order(), tau as usize + 2);
            let steps = p.stable_steps().unwrap();
            assert_eq!(steps[0].0, 0.0, "{family:?} {beta} {tau}: {steps:?}");
            assert!(
                (steps[0].1 - h).abs() <= 4.0 * f64::EPSILON * h,
                "{steps:?} vs {h}"
            );
            let (a, b) = d.pencil();
            let rebuilt = Pencil::new(a, b).unwrap().edge().unwrap().unwrap();
            assert!((rebuilt - h).abs() <= 1e-12 * h, "{rebuilt} vs {h}");
            // the verdict on both sides of the edge, by the delayed mode itself
            assert!(d.mode(h * (1.0 - 1e-9)).unwrap().stable);
            assert!(!d.mode(h * (1.0 + 1e-9)).unwrap().stable);
            seen += 1;
        }
    }
    assert_eq!(seen, 30);
}

/// `DelayMap::region` is `DelayMap::compute` where a figure reads it: the same verdict at every
/// cell, the same radius bits at the stable ones, NaN at the divergent ones; over intervals
/// (the verdict-first route), listed curvatures and a point, heavy ball and Nesterov.
#[test]
fn region_map_has_the_full_maps_verdicts_and_stable_radii() {
    use momentum::delay::DelayMap;
    use momentum::map::GridSpec;
    let spectra = [
        Spectrum::interval(0.01, 1.0).unwrap(),
        Spectrum::interval(0.3, 2.0).unwrap(),
        Spectrum::eigenvalues(vec![0.05, 0.5, 1.0]).unwrap(),
        Spectrum::interval(1.0, 1.0).unwrap(),
    ];
    let (mut stable, mut divergent) = (0, 0);
    for family in [Family::HeavyBall, Family::Nesterov] {
        let spec = GridSpec::new(family, 3.0, (-0.9, 0.95), (13, 11)).unwrap();
        for s in &spectra {
            for tau in [0, 1, 2, 5, 16] {
                let full = DelayMap::compute(&spec, tau, s).unwrap();
                let region = DelayMap::region(&spec, tau, s).unwrap();
                assert_eq!(full.stable, region.stable, "{family:?} τ = {tau} {s:?}");
                for ((f, r), &ok) in full.radii.iter().zip(&region.radii).zip(&full.stable) {
                    if ok {
                        assert_eq!(f.to_bits(), r.to_bits(), "{family:?} τ = {tau} {s:?}");
                        stable += 1;
                    } else {
                        assert!(r.is_nan(), "{family:?} τ = {tau} {s:?}");
                        divergent += 1;
                    }
                }
            }
        }
    }
    assert!(
        stable > 500 && divergent > 500,
        "{stable} stable, {divergent} divergent"
    );
}
