//! Certified rates on F(μ, L) (IQC: Lessard, Recht & Packard 2016, Theorem 4 with the sector and
//! weighted off-by-one IQCs): the published exact cases, the quadratic lower bound by an
//! eigenvalue oracle, and (feature `sdp`) the frequency (KYP) route against clarabel's SDP.

use momentum::Method;
use momentum::certify;
use proptest::prelude::*;

/// splitmix64: a reproducible stream of uniforms for the fixed random suites.
struct Draw(u64);

impl Draw {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }
}

/// Quadratic worst case by brute force: the largest |eigenvalue| of the 2×2 companion matrix
/// over 2001 curvatures in [μ, L] (nalgebra eigenvalues, no closed form).
fn quadratic_oracle(m: &Method, mu: f64, l: f64) -> f64 {
    (0..=2000)
        .map(|i| {
            let lam = mu + (l - mu) * i as f64 / 2000.0;
            let (a, b, g) = (m.step(), m.momentum(), m.lookahead());
            let c1 = 1.0 + b - a * lam * (1.0 + g);
            let c0 = b - a * lam * g;
            let t = nalgebra::Matrix2::new(c1, -c0, 1.0, 0.0);
            t.complex_eigenvalues()
                .iter()
                .map(|z| z.norm())
                .fold(0.0, f64::max)
        })
        .fold(0.0, f64::max)
}

fn polyak(kappa: f64) -> Method {
    let s = kappa.sqrt();
    // μ = 1/κ, L = 1: α = 4/(√L + √μ)², β = ((√κ − 1)/(√κ + 1))²
    Method::heavy_ball(
        4.0 * kappa / (s + 1.0).powi(2),
        ((s - 1.0) / (s + 1.0)).powi(2),
    )
    .unwrap()
}

fn nesterov_standard(kappa: f64) -> Method {
    let s = kappa.sqrt();
    Method::nesterov(1.0, (s - 1.0) / (s + 1.0)).unwrap()
}

/// The κ where a tuning's verdict switches from certified to not, by bisection in log κ.
fn threshold(
    tuning: impl Fn(f64) -> Method,
    certified: impl Fn(&Method, f64) -> bool,
    (mut lo, mut hi): (f64, f64),
) -> f64 {
    assert!(certified(&tuning(lo), lo) && !certified(&tuning(hi), hi));
    while hi / lo > 1.0 + 1e-9 {
        let mid = (lo * hi).sqrt();
        if certified(&tuning(mid), mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[test]
fn gradient_descent_is_certified_at_max_of_its_two_end_rates() {
    let mut draw = Draw(12);
    for _ in 0..300 {
        let mu = 10f64.powf(draw.range(-3.0, 1.0));
        let l = mu * 10f64.powf(draw.range(0.0, 4.0));
        let step = draw.range(0.01, 2.3) / l;
        let expected = (1.0 - step * mu).abs().max((1.0 - step * l).abs());
        let c = certify::certified_rate(&Method::gradient_descent(step).unwrap(), mu, l).unwrap();
        if expected < 1.0 - 1e-8 {
            let rate = c.rate.unwrap_or_else(|| panic!("{step} {mu} {l}: {c:?}"));
            assert!(
                (rate - expected).abs() < 1e-9,
                "{step} {mu} {l}: {rate} vs {expected}"
            );
        } else if expected > 1.0 {
            assert_eq!(c.rate, None, "{step} {mu} {l}");
        }
    }
}

#[test]
fn triple_momentum_is_certified_at_one_minus_inverse_root_kappa() {
    for kappa in [1.5, 2.0, 10.0, 100.0, 1e3, 1e4, 1e5] {
        let m = Method::triple_momentum(1.0, kappa).unwrap();
        let c = certify::certified_rate(&m, 1.0, kappa).unwrap();
        let expected = 1.0 - 1.0 / kappa.sqrt();
        let rate = c.rate.unwrap();
        assert!(
            (rate - expected).abs() < 1e-8,
            "κ {kappa}: {rate} vs {expected}"
        );
    }
}

#[test]
fn nesterov_standard_tuning_is_certified_below_one_and_above_its_quadratic_rate() {
    for kappa in [2.0, 10.0, 100.0, 1e3, 1e4, 1e5] {
        let m = nesterov_standard(kappa);
        let c = certify::certified_rate(&m, 1.0 / kappa, 1.0).unwrap();
        let rate = c.rate.unwrap_or_else(|| panic!("κ {kappa}: {c:?}"));
        assert!(rate < 1.0 && rate >= quadratic_oracle(&m, 1.0 / kappa, 1.0) - 1e-12);
        // and never better than triple momentum's 1 − 1/√κ, the fastest certified rate
        assert!(rate >= 1.0 - 1.0 / kappa.sqrt() - 1e-9, "κ {kappa}: {rate}");
    }
}

#[test]
fn polyak_heavy_ball_loses_its_certificate_as_kappa_grows() {
    let freq = |m: &Method, k: f64| {
        certify::certified_rate(m, 1.0 / k, 1.0)
            .unwrap()
            .is_certified()
    };
    let kappa = threshold(polyak, freq, (1.01, 1e3));
    println!("Polyak heavy ball: certified up to κ = {kappa:.9}");
    // the edge found numerically is (2 + √5)² = 9 + 4√5 = 17.944271909…
    let closed = 9.0 + 4.0 * 5f64.sqrt();
    assert!((kappa / closed - 1.0).abs() < 1e-8, "{kappa} vs {closed}");
    // certified just below, not just above (1% either side), by the frequency route
    assert!(freq(&polyak(kappa * 0.99), kappa * 0.99));
    assert!(!freq(&polyak(kappa * 1.01), kappa * 1.01));
    assert!(!freq(&polyak(100.0), 100.0));
}

#[test]
fn the_frequency_rate_is_the_edge_of_feasibility() {
    let mut draw = Draw(7);
    let mut checked = 0;
    for _ in 0..200 {
        let kappa = 10f64.powf(draw.range(0.3, 3.0));
        let m = Method::general(
            draw.range(0.2, 1.8),
            draw.range(0.0, 0.95),
            draw.range(0.0, 1.0),
        )
        .unwrap();
        let c = certify::certified_rate(&m, 1.0 / kappa, 1.0).unwrap();
        if let Some(rate) = c.rate
            && rate < 1.0 - 1e-6
        {
            checked += 1;
            let feasible = |r: f64| {
                certify::frequency_feasible(&m, 1.0 / kappa, 1.0, r)
                    .unwrap()
                    .is_some()
            };
            assert!(feasible(rate + 1e-9) && feasible((rate + 1.0) / 2.0));
            assert!(!feasible(rate - 1e-8), "{m:?} κ {kappa}: {rate}");
        }
    }
    assert!(checked > 20, "{checked}");
}

#[test]
fn bad_classes_are_typed_errors() {
    let gd = Method::gradient_descent(0.1).unwrap();
    assert!(certify::certified_rate(&gd, 2.0, 1.0).is_err());
    assert!(certify::certified_rate(&gd, f64::NAN, 1.0).is_err());
    assert!(certify::certified_rate(&gd, 0.0, 1.0).is_err());
    assert!(certify::certified_rate(&gd, 1.0, f64::INFINITY).is_err());
    assert!(certify::frequency_feasible(&gd, 1.0, 2.0, 1.5).is_err());
    // an unstable method is simply not certified
    let c = certify::certified_rate(&Method::gradient_descent(3.0).unwrap(), 1.0, 1.0).unwrap();
    assert_eq!(c.rate, None);
    assert!(c.quadratic_rate > 1.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn certified_is_never_below_the_quadratic_worst_case(
        step in 0.05f64..1.9, momentum in -0.2f64..0.95, lookahead in -0.2f64..1.2,
        log_kappa in 0.1f64..3.0,
    ) {
        let kappa = 10f64.powf(log_kappa);
        let m = Method::general(step, momentum, lookahead).unwrap();
        let c = certify::certified_rate(&m, 1.0 / kappa, 1.0).unwrap();
        let oracle = quadratic_oracle(&m, 1.0 / kappa, 1.0);
        if let Some(rate) = c.rate {
            prop_assert!(rate >= oracle - 1e-12, "{rate} < {oracle}");
        }
        prop_assert!((c.quadratic_rate - oracle).abs() < 1e-4 * oracle.max(1.0) || oracle < c.quadratic_rate);
    }
}

#[cfg(feature = "sdp")]
mod sdp {
    use super::*;
    use momentum::certify::Engine;

    /// Random methods, half near the tuned families (so that many are certified), half anywhere.
    fn random_methods(n: usize) -> Vec<(Method, f64)> {
        let mut draw = Draw(2026);
        (0..n)
            .map(|i| {
                let kappa = 10f64.powf(draw.range(0.2, 2.5));
                let s = kappa.sqrt();
                let m = match i % 4 {
                    0 => Method::nesterov(
                        draw.range(0.3, 1.3),
                        (s - 1.0) / (s + 1.0) * draw.range(0.8, 1.0),
                    ),
                    1 => Method::heavy_ball(
                        draw.range(0.1, 1.0) * kappa / (s + 1.0).powi(2) * 4.0,
                        ((s - 1.0) / (s + 1.0)).powi(2) * draw.range(0.3, 1.0),
                    ),
                    2 => Method::gradient_descent(draw.range(0.1, 2.1)),
                    _ => Method::general(
                        draw.range(0.1, 1.8),
                        draw.range(0.0, 0.9),
                        draw.range(0.0, 1.0),
                    ),
                };
                (m.unwrap(), kappa)
            })
            .collect()
    }

    #[test]
    fn sdp_and_frequency_routes_agree_on_120_random_methods() {
        let (mut worst, mut certified) = (0.0f64, 0);
        for (m, kappa) in random_methods(120) {
            let f = certify::certified_rate(&m, 1.0 / kappa, 1.0).unwrap();
            let s = certify::certify(&m, 1.0 / kappa, 1.0, Engine::Sdp).unwrap();
            assert_eq!(
                f.rate.is_some(),
                s.rate.is_some(),
                "{m:?} κ {kappa}: {f:?} vs {s:?}"
            );
            if let (Some(a), Some(b)) = (f.rate, s.rate) {
                certified += 1;
                worst = worst.max((a - b).abs());
                assert!((a - b).abs() <= 1e-5, "{m:?} κ {kappa}: {a} vs {b}");
            }
        }
        println!("sdp vs frequency: {certified} certified of 120, max |Δρ| = {worst:e}");
        assert!(certified >= 40, "{certified}");
    }

    #[test]
    fn sdp_reproduces_gradient_descent_and_triple_momentum() {
        let mut draw = Draw(5);
        for _ in 0..20 {
            let (mu, l) = (draw.range(0.01, 1.0), draw.range(1.0, 10.0));
            let step = draw.range(0.05, 1.95) / l;
            let expected = (1.0 - step * mu).abs().max((1.0 - step * l).abs());
            let c = certify::certify(&Method::gradient_descent(step).unwrap(), mu, l, Engine::Sdp)
                .unwrap();
            assert!(
                (c.rate.unwrap() - expected).abs() < 1e-6,
                "{c:?} vs {expected}"
            );
        }
        // triple momentum: the LMI is tight at its rate (no strict margin), so the interior
        // point solver stops ~1e-4 above 1 − 1/√κ; the frequency route gets it to 1e-8.
        for kappa in [10.0, 100.0, 1000.0] {
            let c = certify::certify(
                &Method::triple_momentum(1.0, kappa).unwrap(),
                1.0,
                kappa,
                Engine::Sdp,
            )
            .unwrap();
            let expected = 1.0 - 1.0 / f64::sqrt(kappa);
            let rate = c.rate.unwrap();
            assert!(
                rate >= expected - 1e-6 && rate - expected < 1e-3,
                "κ {kappa}: {rate} vs {expected}"
            );
        }
    }

    #[test]
    fn sdp_finds_the_same_polyak_heavy_ball_threshold() {
        let freq = |m: &Method, k: f64| {
            certify::certified_rate(m, 1.0 / k, 1.0)
                .unwrap()
                .is_certified()
        };
        let sdp = |m: &Method, k: f64| {
            certify::certify(m, 1.0 / k, 1.0, Engine::Sdp)
                .unwrap()
                .is_certified()
        };
        let kf = threshold(polyak, freq, (1.01, 1e3));
        let ks = threshold(polyak, sdp, (1.01, 1e3));
        println!("Polyak heavy ball certified up to κ = {kf:.6} (frequency), {ks:.6} (sdp)");
        assert!((kf / ks - 1.0).abs() < 1e-3, "{kf} vs {ks}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn sdp_certified_is_never_below_the_quadratic_worst_case(
            step in 0.05f64..1.9, momentum in 0.0f64..0.9, lookahead in 0.0f64..1.0,
            log_kappa in 0.1f64..2.0,
        ) {
            let kappa = 10f64.powf(log_kappa);
            let m = Method::general(step, momentum, lookahead).unwrap();
            let c = certify::certify(&m, 1.0 / kappa, 1.0, Engine::Sdp).unwrap();
            if let Some(rate) = c.rate {
                prop_assert!(rate >= quadratic_oracle(&m, 1.0 / kappa, 1.0) - 1e-6);
            }
        }
    }
}
