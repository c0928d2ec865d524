//! Lifted certificates (issue 27, "Tighter"): off-by-j multipliers j ≤ W on top of the one-step
//! IQC analysis. Oracles: the published lifted edges (heavy ball β = 0.5 on F(0.1, 1) up to
//! α ≈ 2.641, against the 3-cycle from α ≈ 2.644; Polyak's heavy ball at κ = 15 at ≈ 0.9547),
//! window 1 = the one-step numbers bit for bit, the quadratic worst case by brute force as a
//! lower bound, and the exact check re-run on every certificate.

use momentum::Method;
use momentum::certify::{self, lifted};

/// splitmix64, as in `certify.rs`.
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

/// The largest |eigenvalue| of the companion matrix over 2001 curvatures (no closed form).
fn quadratic_oracle(m: &Method, mu: f64, l: f64) -> f64 {
    (0..=2000)
        .map(|i| {
            let lam = mu + (l - mu) * i as f64 / 2000.0;
            let (a, b, g) = (m.step(), m.momentum(), m.lookahead());
            let c1 = 1.0 + b - a * lam * (1.0 + g);
            let c0 = b - a * lam * g;
            nalgebra::Matrix2::new(c1, -c0, 1.0, 0.0)
                .complex_eigenvalues()
                .iter()
                .map(|z| z.norm())
                .fold(0.0, f64::max)
        })
        .fold(0.0, f64::max)
}

fn polyak(mu: f64, l: f64) -> Method {
    let (sl, sm) = (l.sqrt(), mu.sqrt());
    let k = (l / mu).sqrt();
    Method::heavy_ball(4.0 / (sl + sm).powi(2), ((k - 1.0) / (k + 1.0)).powi(2)).unwrap()
}

/// The largest α certified for heavy ball β = 0.5 on F(0.1, 1) with window W (bisection).
fn heavy_ball_edge(window: usize) -> f64 {
    let (mut lo, mut hi) = (2.3, 2.8);
    for _ in 0..30 {
        let mid = 0.5 * (lo + hi);
        let m = Method::heavy_ball(mid, 0.5).unwrap();
        if lifted::certified_rate(&m, 0.1, 1.0, window)
            .unwrap()
            .rate
            .is_some()
        {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[test]
fn heavy_ball_edge_moves_from_the_one_step_2_549_to_the_lifted_2_641() {
    let one = heavy_ball_edge(1);
    let lifted = heavy_ball_edge(lifted::DEFAULT_WINDOW);
    assert!((one - 2.549).abs() < 1e-3, "{one}");
    assert!((lifted - 2.641).abs() < 1e-3, "{lifted}");
    // and below the 3-cycle (α ≈ 2.644–2.645): a certificate there would be a contradiction
    assert!(lifted < 2.644);
    let cycle = Method::heavy_ball(2.645, 0.5).unwrap();
    let c = lifted::certified_rate(&cycle, 0.1, 1.0, lifted::MAX_WINDOW).unwrap();
    assert!(c.rate.is_none(), "{c:?}");
}

#[test]
fn polyak_heavy_ball_at_kappa_15_is_lifted_from_0_9599_to_0_9547() {
    let m = polyak(1.0, 15.0);
    let c = lifted::certified_rate(&m, 1.0, 15.0, lifted::DEFAULT_WINDOW).unwrap();
    let one = c.one_step.rate.unwrap();
    let rate = c.rate.unwrap();
    assert!((one - 0.9599).abs() < 1e-4, "{one}");
    assert!((rate - 0.9547).abs() < 1e-3, "{rate}");
    assert_eq!(c.lifted_rate, Some(rate));
    assert!(lifted::verify(&m, 1.0, 15.0, c.multiplier.as_ref().unwrap()).unwrap());
}

#[test]
fn window_one_is_the_one_step_analysis_bit_for_bit() {
    let methods = [
        (Method::gradient_descent(0.25).unwrap(), 1.0, 4.0),
        (Method::heavy_ball(0.5, 0.5).unwrap(), 0.1, 1.0),
        (Method::heavy_ball(2.5, 0.5).unwrap(), 0.1, 1.0),
        (polyak(1.0, 15.0), 1.0, 15.0),
        (Method::nesterov(1.0, 9.0 / 11.0).unwrap(), 0.01, 1.0),
        (Method::triple_momentum(1.0, 100.0).unwrap(), 1.0, 100.0),
        (Method::general(0.8, 0.6, 0.3).unwrap(), 0.05, 1.0),
    ];
    for (m, mu, l) in methods {
        let old = certify::certified_rate(&m, mu, l).unwrap();
        let w1 = lifted::certified_rate(&m, mu, l, 1).unwrap();
        assert_eq!(w1.rate.map(f64::to_bits), old.rate.map(f64::to_bits));
        assert_eq!(w1.one_step, old);
        assert_eq!(w1.outcome, old.outcome);
        assert!(w1.lifted_rate.is_none() && w1.multiplier.is_none());
        // the default window keeps the one-step certificate and never does worse
        let w3 = lifted::certified_rate(&m, mu, l, 3).unwrap();
        assert_eq!(w3.one_step, old);
        if let Some(r) = old.rate {
            assert!(w3.rate.unwrap() <= r);
        }
    }
}

#[test]
fn exact_methods_keep_their_one_step_numbers() {
    // gradient descent and triple momentum are exact already: nothing to gain, nothing changes
    for (m, mu, l) in [
        (Method::gradient_descent(2.0 / 11.0).unwrap(), 1.0, 10.0),
        (Method::gradient_descent(0.5).unwrap(), 1.0, 3.0),
        (Method::triple_momentum(1.0, 100.0).unwrap(), 1.0, 100.0),
        (Method::triple_momentum(1.0, 1000.0).unwrap(), 1.0, 1000.0),
    ] {
        let old = certify::certified_rate(&m, mu, l).unwrap();
        let c = lifted::certified_rate(&m, mu, l, lifted::DEFAULT_WINDOW).unwrap();
        assert_eq!(
            c.rate.map(f64::to_bits),
            old.rate.map(f64::to_bits),
            "{m:?}"
        );
    }
}

/// A random method of heavy ball, Nesterov or general γ, κ up to 1e6, loosely tuned; every
/// fourth a heavy ball with a step near its quadratic edge 2(1 + β)/L (where lifting matters).
fn random_method(draw: &mut Draw, i: usize, kappa: f64) -> Method {
    let s = kappa.sqrt();
    match i % 4 {
        3 => {
            let beta = draw.range(0.1, 0.9);
            Method::heavy_ball(2.0 * (1.0 + beta) * draw.range(0.6, 1.0), beta)
        }
        0 => Method::heavy_ball(
            draw.range(0.1, 1.6) * kappa / (s + 1.0).powi(2) * 4.0,
            ((s - 1.0) / (s + 1.0)).powi(2) * draw.range(0.3, 1.0),
        ),
        1 => Method::nesterov(
            draw.range(0.3, 1.5),
            (s - 1.0) / (s + 1.0) * draw.range(0.6, 1.0),
        ),
        _ => Method::general(
            draw.range(0.05, 2.5),
            draw.range(-0.2, 0.95),
            draw.range(-0.2, 1.2),
        ),
    }
    .unwrap()
}

/// ≥ 200 random methods: lifted ≤ one-step, ≥ the quadratic worst case (and its brute-force
/// oracle), every lifted certificate passing the exact check when re-run here.
#[test]
fn lifted_rates_are_between_the_quadratic_and_the_one_step_rates_on_240_random_methods() {
    let mut draw = Draw(2727);
    let (mut certified, mut improved, mut rescued) = (0, 0, 0);
    let started = std::time::Instant::now();
    for i in 0..240 {
        let kappa = 10f64.powf(draw.range(0.0, 6.0));
        let (mu, l) = (1.0 / kappa, 1.0);
        let m = random_method(&mut draw, i, kappa);
        let c = lifted::certified_rate(&m, mu, l, lifted::DEFAULT_WINDOW).unwrap();
        let q = c.one_step.quadratic_rate;
        if let Some(r) = c.rate {
            certified += 1;
            assert!(r < 1.0 && r >= q, "{m:?} κ {kappa}: {c:?}");
            if kappa < 1e4 {
                assert!(r >= quadratic_oracle(&m, mu, l) - 1e-12, "{m:?} κ {kappa}");
            }
            match c.one_step.rate {
                Some(one) => {
                    assert!(r <= one);
                    if r < one {
                        improved += 1;
                    }
                }
                None => rescued += 1,
            }
        }
        if let Some(lr) = c.lifted_rate {
            let cert = c
                .multiplier
                .as_ref()
                .expect("a lifted rate has its certificate");
            assert!(lr >= cert.rho && lr >= q);
            assert!(lifted::verify(&m, mu, l, cert).unwrap(), "{m:?} κ {kappa}");
        } else {
            assert!(c.multiplier.is_none());
        }
    }
    println!(
        "{certified} of 240 certified, {improved} improved, {rescued} only lifted, in {:?}",
        started.elapsed()
    );
    assert!(
        certified >= 100 && improved + rescued >= 12,
        "{certified} {improved} {rescued}"
    );
}

#[test]
fn a_tampered_lifted_certificate_fails_the_exact_check() {
    let m = Method::heavy_ball(2.6, 0.5).unwrap();
    let c = lifted::certified_rate(&m, 0.1, 1.0, 3).unwrap();
    let cert = c.multiplier.unwrap();
    assert!(lifted::verify(&m, 0.1, 1.0, &cert).unwrap());
    // a smaller ρ, a bolder step, a wider class, a negative weight, all-zero weights, a wrong
    // window, ρ = 1: refuted
    let lower = lifted::Multiplier {
        rho: cert.rho - 1e-3,
        ..cert.clone()
    };
    assert!(!lifted::verify(&m, 0.1, 1.0, &lower).unwrap());
    let bolder = Method::heavy_ball(2.65, 0.5).unwrap();
    assert!(!lifted::verify(&bolder, 0.1, 1.0, &cert).unwrap());
    assert!(!lifted::verify(&m, 0.05, 1.0, &cert).unwrap());
    let mut neg = cert.clone();
    neg.causal[1] = -1e-300;
    assert!(!lifted::verify(&m, 0.1, 1.0, &neg).unwrap());
    let zero = lifted::Multiplier {
        sector: 0.0,
        causal: vec![0.0; 3],
        anticausal: vec![0.0; 3],
        ..cert.clone()
    };
    assert!(!lifted::verify(&m, 0.1, 1.0, &zero).unwrap());
    let short = lifted::Multiplier {
        window: 2,
        ..cert.clone()
    };
    assert!(!lifted::verify(&m, 0.1, 1.0, &short).unwrap());
    // dropping the anticausal part loses the certificate (it is what the lifting adds here)
    let causal_only = lifted::Multiplier {
        anticausal: vec![0.0; 3],
        ..cert.clone()
    };
    assert!(!lifted::verify(&m, 0.1, 1.0, &causal_only).unwrap());
    let mut nan = cert;
    nan.sector = f64::NAN;
    assert!(lifted::verify(&m, 0.1, 1.0, &nan).is_err());
}

#[test]
fn windows_out_of_range_are_typed_errors() {
    let m = Method::heavy_ball(0.5, 0.5).unwrap();
    assert!(lifted::certified_rate(&m, 0.1, 1.0, 0).is_err());
    assert!(lifted::certified_rate(&m, 0.1, 1.0, lifted::MAX_WINDOW + 1).is_err());
    assert!(lifted::certified_rate(&m, 1.0, 0.1, 3).is_err());
}
