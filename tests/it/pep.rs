//! PEP on F(μ, L) (feature `sdp`; every test name contains "sdp", which is how .ci/run selects
//! them). Independent routes: N = 1 against the one-step closed form; gradient descent's N-step
//! closed form; the quadratic-class worst case (`bounds::finite_horizon`) as a lower bound; PEPit's
//! own values (tests/data/pep_reference.json, from scripts/pep_reference.py).

use momentum::{Error, Method, Spectrum, pep, tune};

fn methods(mu: f64, l: f64) -> Vec<Method> {
    let s = Spectrum::interval(mu, l).unwrap();
    let mut v: Vec<Method> = tune::all(&s)
        .unwrap()
        .into_iter()
        .map(|t| t.method)
        .collect();
    v.push(Method::heavy_ball(0.5 / l, 0.7).unwrap());
    v.push(Method::general(1.2 / l, 0.4, -0.3).unwrap());
    v.push(Method::nesterov(1.9 / l, 0.1).unwrap());
    v
}

#[test]
fn sdp_one_step_is_the_closed_form() {
    // from rest x₁ = x₀ − α∇f(x₀), whatever β, γ: worst |x₁ − x*| = max(|1 − αμ|, |1 − αL|)
    for (mu, l) in [(1.0, 10.0), (0.1, 1.0), (2.0, 50.0)] {
        for m in methods(mu, l) {
            let a = m.step();
            let want = (1.0 - a * mu).abs().max((1.0 - a * l).abs()).powi(2);
            let w = pep::worst_case(&m, mu, l, 1).unwrap();
            assert!(
                (w.worst_factor_squared - want).abs() <= 1e-7 * want.max(1.0),
                "{m:?}: {} vs {want}",
                w.worst_factor_squared
            );
        }
    }
}

#[test]
fn sdp_gradient_descent_n_steps_is_the_closed_form() {
    let (mu, l) = (1.0f64, 10.0f64);
    for a in [0.5 / l, 1.0 / l, 2.0 / (l + mu), 1.5 / l] {
        for n in [2, 5, 10, 20] {
            let want = (1.0 - a * mu)
                .abs()
                .max((1.0 - a * l).abs())
                .powi(2 * n as i32);
            let w = pep::worst_case(&Method::gradient_descent(a).unwrap(), mu, l, n).unwrap();
            assert!(
                (w.worst_factor_squared - want).abs() <= 1e-6 * want + 1e-8,
                "alpha {a}, N {n}: {} vs {want}",
                w.worst_factor_squared
            );
        }
    }
}

#[test]
fn sdp_pep_is_at_least_the_quadratic_worst_case() {
    let (mu, l) = (1.0, 10.0);
    let s = Spectrum::interval(mu, l).unwrap();
    for m in methods(mu, l) {
        for n in [1usize, 2, 3, 5, 8, 12] {
            let w = pep::worst_case(&m, mu, l, n).unwrap();
            let q = m.finite_horizon(&s, n as u64).unwrap().worst_factor;
            assert!(
                // interior-point accuracy on these degenerate SDPs: ~1e-6 relative (DESIGN.md)
                w.worst_factor >= q * (1.0 - 1e-5) - 1e-7,
                "{m:?} N = {n}: PEP {} < quadratic {q}",
                w.worst_factor
            );
            assert!(w.gap < 1e-6, "{w}");
        }
    }
}

#[test]
fn sdp_matches_pepit_reference_values() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/pep_reference.json"
    ))
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 30);
    let mut worst = 0.0f64;
    for c in cases {
        let f = |k: &str| c[k].as_f64().unwrap();
        let m = Method::general(f("step"), f("momentum"), f("lookahead")).unwrap();
        let n = c["steps"].as_u64().unwrap() as usize;
        let w = pep::worst_case(&m, f("mu"), f("L"), n).unwrap();
        let want = f("worst_factor_squared");
        let rel = (w.worst_factor_squared - want).abs() / want;
        worst = worst.max(rel);
        // both are interior-point solves of a degenerate SDP (no strict complementarity): they
        // agree to ~1e-6 relative, not to their 1e-8 stopping residuals (DESIGN.md)
        assert!(
            rel < 2e-5,
            "{} N = {n}: {} vs PEPit {want}",
            c["method"],
            w.worst_factor_squared
        );
    }
    eprintln!("max relative difference to PEPit: {worst:e}");
}

#[test]
fn sdp_up_to_twenty_steps_and_bad_input() {
    let s = Spectrum::interval(1.0, 25.0).unwrap();
    let hb = tune::heavy_ball(&s).unwrap().method;
    let w = pep::worst_case(&hb, 1.0, 25.0, 20).unwrap();
    let q = hb.finite_horizon(&s, 20).unwrap().worst_factor;
    assert!(
        w.worst_factor >= q - 1e-6 && w.worst_factor.is_finite(),
        "{w}"
    );
    assert_eq!(w.worst_factor, w.worst_factor_squared.sqrt());
    let gd = Method::gradient_descent(0.1).unwrap();
    for (mu, l, n) in [(1.0, 1.0, 3), (2.0, 1.0, 3), (-1.0, 10.0, 3)] {
        assert!(matches!(
            pep::worst_case(&gd, mu, l, n),
            Err(Error::OutOfRange { name: "mu", .. })
        ));
    }
    assert!(matches!(
        pep::worst_case(&gd, f64::NAN, 10.0, 3),
        Err(Error::NotFinite { name: "mu", .. })
    ));
    for n in [0, pep::MAX_STEPS + 1] {
        assert!(matches!(
            pep::worst_case(&gd, 1.0, 10.0, n),
            Err(Error::OutOfRange { name: "steps", .. })
        ));
    }
}

#[test]
fn sdp_iterate_dual_matches_gradient_primal_on_random_methods() {
    // the default (dual, iterate basis) against the first formulation (primal, gradient basis):
    // different SDPs with the same optimum τ_N
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut uniform = |lo: f64, hi: f64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        lo + (hi - lo) * (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut worst, mut primal_failures) = (0.0f64, 0);
    for case in 0..48 {
        let l = 10f64.powf(uniform(0.3, 2.0));
        let mu = 1.0;
        let m = Method::general(
            uniform(0.05, 2.2) / l,
            uniform(-0.5, 0.95),
            uniform(-0.5, 1.0),
        )
        .unwrap();
        let n = 1 + case % 8;
        let a = pep::worst_case_with(&m, mu, l, n, pep::Formulation::IterateDual).unwrap();
        // the dense primal stalls (AlmostSolved above pep::ACCEPT) on a few of these
        let Ok(b) = pep::worst_case_with(&m, mu, l, n, pep::Formulation::GradientPrimal) else {
            eprintln!("primal did not solve: {m:?} L = {l} N = {n}; dual {a}");
            primal_failures += 1;
            continue;
        };
        let rel = (a.worst_factor_squared - b.worst_factor_squared).abs()
            / b.worst_factor_squared.max(1e-3);
        worst = worst.max(rel);
        assert!(rel < 1e-5, "{m:?} L = {l} N = {n}: {a} vs {b}");
    }
    assert!(primal_failures <= 4, "{primal_failures} of 48");
    // a tiny step (g_k = (x-differences)/α has 1/α coefficients in the iterate basis)
    let m = Method::heavy_ball(1e-3 / 10.0, 0.5).unwrap();
    let a = pep::worst_case_with(&m, 1.0, 10.0, 6, pep::Formulation::IterateDual).unwrap();
    let b = pep::worst_case_with(&m, 1.0, 10.0, 6, pep::Formulation::GradientPrimal).unwrap();
    let rel = (a.worst_factor_squared - b.worst_factor_squared).abs() / b.worst_factor_squared;
    assert!(rel < 1e-5, "{a} vs {b}");
    eprintln!(
        "max relative |dual - primal| over {} random methods: {worst:e}; tiny step {rel:e}",
        48 - primal_failures
    );
}
