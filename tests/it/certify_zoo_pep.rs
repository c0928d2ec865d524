//! PEP of the order-n optimizers (`certify::pep_linear`, feature `sdp`; every test name contains
//! "sdp"): AggMo with one momentum against the two-step PEP (`pep::worst_case`, its own iterate
//! basis), PEPit's values for optimizers written in PEPit from their update lines
//! (tests/data/zoo_pep_reference.json, scripts/zoo_pep_reference.py), and the worst case over the
//! class's quadratics (the literal update on a grid) as a lower bound.

use momentum::certify::pep_linear;
use momentum::zoo::{ZooMethod, ZooParams};
use momentum::{Framework, Method, pep};

fn aggmo(lr: f64, momenta: Vec<f64>) -> ZooMethod {
    ZooMethod::new(
        Framework::Aggmo,
        &ZooParams {
            lr,
            momenta: Some(momenta),
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn sdp_zoo_aggmo_with_one_momentum_is_heavy_balls_pep() {
    for (lr, beta, mu, n) in [(0.3, 0.5, 0.1, 4), (1.2, 0.2, 0.1, 3), (0.8, 0.7, 0.2, 6)] {
        let z = pep_linear::worst_case(&aggmo(lr, vec![beta]), mu, 1.0, n).unwrap();
        let hb = pep::worst_case(&Method::heavy_ball(lr, beta).unwrap(), mu, 1.0, n).unwrap();
        let rel = (z.worst_factor_squared - hb.worst_factor_squared).abs()
            / hb.worst_factor_squared.max(1e-3);
        assert!(
            rel < 1e-6,
            "{lr} {beta} {n}: {} {}",
            z.worst_factor_squared,
            hb.worst_factor_squared
        );
    }
}

fn from_case(c: &serde_json::Value) -> ZooMethod {
    let f = |k: &str| c[k].as_f64();
    let lr = f("lr").unwrap();
    let (fw, p) = match c["optimizer"].as_str().unwrap() {
        "ademamix" => (
            Framework::Ademamix,
            ZooParams {
                lr,
                momentum: f("beta1"),
                b3: f("beta3"),
                alpha: f("alpha"),
                ..Default::default()
            },
        ),
        "aggmo" => (
            Framework::Aggmo,
            ZooParams {
                lr,
                momenta: Some(
                    c["momenta"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_f64().unwrap())
                        .collect(),
                ),
                ..Default::default()
            },
        ),
        "sam" => (
            Framework::Sam,
            ZooParams {
                lr,
                rho: f("rho"),
                momentum: f("momentum"),
                ..Default::default()
            },
        ),
        "schedule_free" => (
            Framework::ScheduleFree,
            ZooParams {
                lr,
                momentum: f("beta"),
                ..Default::default()
            },
        ),
        "lookahead" => (
            Framework::Lookahead,
            ZooParams {
                lr,
                sync_period: Some(c["sync_period"].as_u64().unwrap() as u32),
                slow_step: f("slow_step"),
                momentum: f("momentum"),
                ..Default::default()
            },
        ),
        other => panic!("{other}"),
    };
    ZooMethod::new(fw, &p).unwrap()
}

#[test]
fn sdp_zoo_pep_matches_pepit_and_lies_above_the_quadratics() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/zoo_pep_reference.json"
    ))
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 6);
    let mut worst = 0.0f64;
    for c in cases {
        let m = from_case(c);
        let (mu, l) = (c["mu"].as_f64().unwrap(), c["L"].as_f64().unwrap());
        let n = c["steps"].as_u64().unwrap() as usize;
        let w = pep_linear::worst_case(&m, mu, l, n).unwrap();
        let want = c["worst_factor_squared"].as_f64().unwrap();
        let rel = (w.worst_factor_squared - want).abs() / want.max(1e-3);
        worst = worst.max(rel);
        assert!(
            rel < 2e-5,
            "{c}: {} vs PEPit {want}",
            w.worst_factor_squared
        );
        // the quadratics of the class: the literal update on 401 curvatures
        let quad = (0..=400)
            .map(|i| {
                let lam = mu + (l - mu) * i as f64 / 400.0;
                *m.trajectory(lam, n as u64).unwrap().last().unwrap()
            })
            .fold(0.0, f64::max);
        assert!(
            quad <= w.worst_factor + 1e-6,
            "{c}: quadratic {quad} > {}",
            w.worst_factor
        );
    }
    eprintln!("max relative difference to PEPit: {worst:e}");
}

#[test]
fn sdp_zoo_pep_refuses_bad_horizons() {
    let m = aggmo(0.5, vec![0.5]);
    assert!(pep_linear::worst_case(&m, 0.1, 1.0, 0).is_err());
    assert!(pep_linear::worst_case(&m, 0.1, 1.0, 101).is_err());
    assert!(pep_linear::worst_case(&m, 1.0, 1.0, 3).is_err());
    let sam = ZooMethod::new(
        Framework::Sam,
        &ZooParams {
            lr: 0.5,
            rho: Some(0.1),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(pep_linear::worst_case(&sam, 0.1, 1.0, 51).is_err());
    assert_eq!(
        pep_linear::worst_case(&sam, 0.1, 1.0, 2)
            .unwrap()
            .gradient_calls,
        4
    );
}
