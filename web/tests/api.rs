//! The explorer's native API against closed forms and the library's other routes.

use momentum_web::api;
use serde_json::Value;

const BASE: &str = r#"{"family":"hb","convention":"canonical","lr":"0.02","momentum":"0.5","spectrum":"interval","mu":"1","L":"100","steps":"60"}"#;

/// The base state with some fields replaced.
fn with(fields: &[(&str, &str)]) -> String {
    let mut v: Value = serde_json::from_str(BASE).unwrap();
    for (k, x) in fields {
        v[*k] = Value::String(x.to_string());
    }
    v.to_string()
}

fn json(s: Result<String, String>) -> Value {
    serde_json::from_str(&s.expect("an answer")).unwrap()
}

#[test]
fn polyak_tuning_from_the_table_has_rate_9_over_11() {
    // jump to the table's heavy-ball row, as the page does, and read ρ back through analyze
    let t = json(api::tunings(BASE));
    let hb = t["tunings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "heavy_ball")
        .unwrap();
    let (a, b) = (
        hb["step"].as_f64().unwrap(),
        hb["momentum"].as_f64().unwrap(),
    );
    // Polyak: α = 4/(√L + √μ)², β = ((√κ − 1)/(√κ + 1))²
    assert!((a - 4.0 / 121.0).abs() < 1e-15 && (b - (9.0f64 / 11.0).powi(2)).abs() < 1e-15);
    let (a, b) = (a.to_string(), b.to_string());
    let r = json(api::analyze(&with(&[("lr", &a), ("momentum", &b)])));
    assert!((r["spectral_radius"].as_f64().unwrap() - 9.0 / 11.0).abs() < 1e-7);
}

#[test]
fn the_map_matches_heavy_balls_closed_form_edge() {
    // heavy ball on [μ, L] is stable iff 0 < α < 2(1 + β)/L and |β| < 1: compare every cell
    // (α_max = 0.037 keeps the edge off the cell centres)
    let (n, amax) = (96, 0.037);
    let radii = api::map(BASE, amax, -1.0, 1.0, n, n).unwrap();
    let mut disagree = 0;
    for j in 0..n {
        let b = -1.0 + 2.0 * (j as f64 + 0.5) / n as f64;
        for i in 0..n {
            let a = amax * (i as f64 + 0.5) / n as f64;
            let closed = a < 2.0 * (1.0 + b) / 100.0;
            if closed != (radii[j * n + i] < 1.0) {
                disagree += 1;
            }
        }
    }
    assert_eq!(disagree, 0);
}

#[test]
fn dragging_in_a_framework_lands_on_the_point() {
    for conv in [
        vec![("convention", "ewma")],
        vec![("convention", "pytorch"), ("dampening", "0.25")],
        vec![("convention", "keras")],
    ] {
        let e = json(api::express(&with(&conv), 0.013, 0.7));
        let lr = e["lr"].as_f64().unwrap().to_string();
        let mut moved = conv.clone();
        moved.extend([("lr", lr.as_str()), ("momentum", "0.7")]);
        let p = json(api::analyze(&with(&moved)))["point"].clone();
        assert!(
            (p["step"].as_f64().unwrap() - 0.013).abs() < 1e-15,
            "{conv:?}: {p}"
        );
        assert_eq!(p["momentum"].as_f64().unwrap(), 0.7, "{conv:?}");
    }
}

#[test]
fn bad_input_is_a_message_naming_the_value() {
    for (state, want) in [
        (with(&[("mu", "1000")]), "mu <= L"),
        (with(&[("lr", "NaN")]), "lr must be a finite number"),
        (with(&[("lr", "abc")]), "'abc' is not a number"),
        (with(&[("spectrum", "list"), ("eigenvalues", " ")]), "empty"),
        (
            with(&[("spectrum", "list"), ("eigenvalues", "1, 2, three")]),
            "'three'",
        ),
        (with(&[("steps", "2.5")]), "steps"),
        ("not json".to_string(), "not valid JSON"),
    ] {
        let got = api::trajectory(&state).unwrap_err();
        assert!(got.contains(want) && !got.contains('\n'), "{got}");
    }
}

/// A QHM state (lr, β, ν) on [1, 100].
fn qhm(lr: &str, beta: &str, nu: &str) -> String {
    with(&[
        ("family", "qhm"),
        ("lr", lr),
        ("momentum", beta),
        ("nu", nu),
    ])
}

#[test]
fn qhm_map_cells_equal_the_library_conversion() {
    // each cell (α, β) is QHM at lr = α/(1 − β), β, ν: its worst case by Framework::Qhm and
    // Spectrum::worst_case (the general route), against the page's row-by-row kernel map
    use momentum::{Framework, FrameworkParams, Spectrum};
    let s = Spectrum::interval(1.0, 100.0).unwrap();
    for nu in [0.0, 0.3, 0.7, 1.0] {
        let q = qhm("0.02", "0.5", &nu.to_string());
        let (n, amax) = (24, 0.05);
        let radii = api::map(&q, amax, 0.0, 1.0, n, n).unwrap();
        let mut worst = 0.0f64;
        for j in 0..n {
            let b = (j as f64 + 0.5) / n as f64;
            for i in 0..n {
                let a = amax * (i as f64 + 0.5) / n as f64;
                let p = FrameworkParams {
                    lr: a / (1.0 - b),
                    momentum: Some(b),
                    nu: Some(nu),
                    ..Default::default()
                };
                let rec = Framework::Qhm.convert(&p).unwrap().recurrence;
                let want = s.worst_case(&rec).unwrap().spectral_radius();
                let got = radii[j * n + i];
                worst = worst.max((got - want).abs() / want.max(1e-300));
            }
        }
        assert!(worst < 1e-9, "nu = {nu}: max relative difference {worst}");
    }
}

#[test]
fn qhm_edges_and_critical_curves_are_where_the_roots_say() {
    use momentum::{Method, Spectrum};
    let s = Spectrum::interval(1.0, 100.0).unwrap();
    let nu = 0.7;
    let g = |b: f64| momentum_web::qhm::lookahead(b, nu);
    // on the upper edge ρ = 1 (just inside stable, just outside not)
    let edges = momentum_web::qhm::edges(nu, &s, (0.0, 0.99), 60).unwrap();
    let mut checked = 0;
    for (a, b) in edges.iter().flatten() {
        let inside = Method::general(a * (1.0 - 1e-9), *b, g(*b)).unwrap();
        let outside = Method::general(a * (1.0 + 1e-9), *b, g(*b)).unwrap();
        assert!(inside.worst_case(&s).unwrap().is_stable(), "({a}, {b})");
        assert!(!outside.worst_case(&s).unwrap().is_stable(), "({a}, {b})");
        checked += 1;
    }
    assert!(checked > 50);
    // on a critical curve at λ the two roots coincide (a double root splits by ~√ε: 1e-6 absolute
    // is a step error of ~1e-12)
    for lam in [1.0, 100.0] {
        let curves = momentum_web::qhm::critical(nu, lam, (0.0, 0.99), 50).unwrap();
        assert!(!curves.is_empty());
        for (a, b) in curves.iter().flatten() {
            let m = Method::general(*a, *b, g(*b)).unwrap();
            let z = m.recurrence().mode(lam).unwrap().roots();
            assert!((z[0] - z[1]).norm() <= 1e-6, "{lam}: ({a}, {b}) {z:?}");
        }
    }
    // heavy ball (ν = 1): the closed form α = (1 ∓ √β)²/λ
    let hb = momentum_web::qhm::critical(1.0, 4.0, (0.0, 0.9), 9).unwrap();
    for (a, b) in hb.iter().flatten() {
        let lo = (1.0 - b.sqrt()).powi(2) / 4.0;
        let hi = (1.0 + b.sqrt()).powi(2) / 4.0;
        assert!(
            (a - lo).abs() < 1e-15 || (a - hi).abs() < 1e-15,
            "({a}, {b})"
        );
    }
}

#[test]
fn qhm_state_converts_and_bad_nu_is_named() {
    // ν = β is Nesterov at step lr(1 − β): the same ρ as the canonical Nesterov state
    let a = json(api::analyze(&qhm("0.04", "0.8", "0.8")));
    let n = json(api::analyze(&with(&[
        ("family", "nag"),
        ("lr", "0.008000000000000002"),
        ("momentum", "0.8"),
    ])));
    let step = a["point"]["step"].as_f64().unwrap();
    assert!((step - 0.04 * 0.2).abs() < 1e-17, "{step}");
    assert!((a["point"]["lookahead"].as_f64().unwrap() - 0.8).abs() < 1e-15);
    let (ra, rn) = (
        a["spectral_radius"].as_f64().unwrap(),
        n["spectral_radius"].as_f64().unwrap(),
    );
    assert!((ra - rn).abs() < 1e-12, "{ra} vs {rn}");
    assert_eq!(a["family"]["name"], "qhm");
    for (state, want) in [
        (qhm("0.04", "0.8", "1.5"), "nu must be in [0, 1]"),
        (qhm("0.04", "0.8", "-0.1"), "nu must be in [0, 1]"),
        (qhm("0.04", "0.8", ""), "nu is empty"),
        (qhm("0.04", "1.2", "0.5"), "beta must be in [0, 1)"),
        (
            with(&[("convention", "qhm"), ("nu", "0.5")]),
            "choose the family QHM",
        ),
    ] {
        let got = api::analyze(&state).unwrap_err();
        assert!(got.contains(want) && !got.contains('\n'), "{got}");
    }
    let mut q: serde_json::Value = serde_json::from_str(&qhm("0.04", "0.8", "0.7")).unwrap();
    q["convention"] = "pytorch".into();
    assert!(
        api::analyze(&q.to_string())
            .unwrap_err()
            .contains("convention must be canonical")
    );
    // dragging in QHM keeps ν and lands on the point
    let e = json(api::express(&qhm("0.04", "0.8", "0.7"), 0.006, 0.6));
    let lr = e["lr"].as_f64().unwrap().to_string();
    let p = json(api::analyze(&qhm(&lr, "0.6", "0.7")))["point"].clone();
    assert!((p["step"].as_f64().unwrap() - 0.006).abs() < 1e-15, "{p}");
}

#[test]
fn certified_overlay_is_exact_for_gradient_descent_and_inside_the_stable_cells() {
    // gradient descent on F(μ, L): the certified rate is max(|1 − αμ|, |1 − αL|) for 0 < α < 2/L
    let gd = with(&[("family", "gd")]);
    let (n, amax) = (16, 0.025);
    let c = json(api::certified_map(&gd, amax, -1.0, 1.0, n));
    let rates = c["rates"].as_array().unwrap();
    let mut count = 0;
    for j in 0..n {
        for i in 0..n {
            let a = amax * (i as f64 + 0.5) / n as f64;
            let exact = (1.0 - a).abs().max((1.0 - 100.0 * a).abs());
            match rates[j * n + i].as_f64() {
                Some(r) => {
                    assert!((r - exact).abs() < 1e-8, "α = {a}: {r} vs {exact}");
                    count += 1;
                }
                None => assert!(exact >= 1.0 - 1e-9, "α = {a} is not certified"),
            }
        }
    }
    assert!(count > 100);
    // heavy ball: certified cells are stable on quadratics and never faster than them
    let hb = with(&[]);
    let c = json(api::certified_map(&hb, 0.04, -1.0, 1.0, 20));
    let radii = api::map(&hb, 0.04, -1.0, 1.0, 20, 20).unwrap();
    let rates = c["rates"].as_array().unwrap();
    let mut certified = 0;
    for (k, r) in rates.iter().enumerate() {
        if let Some(r) = r.as_f64() {
            assert!(
                radii[k] < 1.0 && r >= radii[k] - 1e-9 && r < 1.0,
                "cell {k}"
            );
            certified += 1;
        }
    }
    assert_eq!(certified, c["certified_cells"].as_u64().unwrap() as usize);
    assert!(certified > 0 && certified < c["stable_cells"].as_u64().unwrap() as usize);
    // triple momentum's point is certified at 1 − 1/√κ (Van Scoy et al. 2018): the checked
    // certificate sits a hair above, where the exact check of its LMI passes (issue 27)
    let t = json(api::certify(&with(&[("family", "tmm")])));
    let r = t["rate"].as_f64().unwrap();
    assert!((0.9..0.9 + 2e-6).contains(&r), "{t}");
    // a list or weight decay: unavailable, with the reason
    let l = json(api::certify(&with(&[
        ("spectrum", "list"),
        ("eigenvalues", "1 5 100"),
    ])));
    assert_eq!(l["available"], false);
    assert!(l["reason"].as_str().unwrap().contains("F(mu, L)"));
}

#[test]
fn pasted_flat_and_saddle_eigenvalues_are_set_apart_as_the_cli_does() {
    // eigvalsh at a minimum under PyTorch lr 0.01, momentum 0.9: the CLI's answer, ρ at λ = 0.01
    let q = r#"{"family":"hb","convention":"pytorch","lr":"0.01","momentum":"0.9","spectrum":"list","eigenvalues":"-1e-15, -0.5, 0.01, 30","steps":"60"}"#;
    let r = json(api::analyze(q));
    let c1 = 1.9 - 0.01 * 0.01;
    let want = (c1 + (c1 * c1 - 3.6f64).sqrt()) / 2.0;
    assert!(
        (r["spectral_radius"].as_f64().unwrap() - want).abs() < 1e-14,
        "{r}"
    );
    assert_eq!(r["flat_directions"], 1);
    assert_eq!(r["saddle_directions"][0]["lambda"], -0.5);
    assert_eq!(r["stable"], true);
    // the shared document says the same
    let doc = json(api::analyze_setting(
        r#"{"setting":{"convention":"pytorch","lr":0.01,"momentum":0.9},"spectrum":{"lambda":[-1e-15,-0.5,0.01,30]}}"#,
        &[],
    ));
    assert_eq!(doc["spectral_radius"], r["spectral_radius"]);
    assert_eq!(doc["stable_lr"], r["stable_lr"]);
    // coupled decay lifts a slightly negative raw curvature: no saddle, ρ at λ + w = 5e-4
    let q = r#"{"family":"hb","convention":"pytorch","lr":"0.1","momentum":"0.9","weight_decay":"0.001","spectrum":"list","eigenvalues":"-0.0005 1","steps":"60"}"#;
    let r = json(api::analyze(q));
    let c1 = 1.9 - 0.1 * 0.0005;
    assert!(
        (r["spectral_radius"].as_f64().unwrap() - (c1 + (c1 * c1 - 3.6f64).sqrt()) / 2.0).abs()
            < 1e-14
    );
    assert_eq!(r["saddle_directions"].as_array().unwrap().len(), 0);
}

#[test]
fn analyze_setting_refuses_with_the_librarys_words() {
    let err = api::analyze_setting(
        r#"{"setting":{"convention":"pytorch","momentum":0.9},"spectrum":{"mu":1,"L":2}}"#,
        &[],
    )
    .unwrap_err();
    assert_eq!(err, "lr is required");
    let err = api::analyze_setting(
        r#"{"setting":{"lr":0.1},"spectrum":{"file":"h.npy"}}"#,
        b"not numpy",
    )
    .unwrap_err();
    assert!(err.starts_with("h.npy: not a NumPy .npy file"), "{err}");
    let err = api::analyze_setting(r#"{"setting":{"lr":0.1},"spectrum":{}}"#, &[]).unwrap_err();
    assert!(err.contains("one of"), "{err}");
}

#[test]
fn qhm_at_nu_zero_maps_and_edges_are_gradient_descents() {
    // ν = 0: x_{k+1} = (1 − lr·λ)x_k with lr = α/(1 − β); the buffer's root β is not the rate
    use momentum::Spectrum;
    // on [1, 2] gradient descent reaches 1/3, so β dominates the state's rate on most rows
    let s = Spectrum::interval(1.0, 2.0).unwrap();
    let q = with(&[
        ("family", "qhm"),
        ("lr", "0.2"),
        ("momentum", "0.5"),
        ("nu", "0"),
        ("L", "2"),
    ]);
    let (n, amax) = (16, 0.5);
    let radii = api::map(&q, amax, 0.0, 1.0, n, n).unwrap();
    for j in 0..n {
        let b = (j as f64 + 0.5) / n as f64;
        for i in 0..n {
            let lr = amax * (i as f64 + 0.5) / n as f64 / (1.0 - b);
            let want = (1.0 - lr).abs().max((1.0 - 2.0 * lr).abs());
            let got = radii[j * n + i];
            assert!(
                (got - want).abs() < 1e-12,
                "cell ({i}, {j}): {got} vs {want}"
            );
        }
    }
    // the upper edge is lr = 2/L: α = 2(1 − β)/L
    let edges = momentum_web::qhm::edges(0.0, &s, (0.0, 0.9), 30).unwrap();
    assert!(!edges.is_empty());
    let mut checked = 0;
    for c in &edges {
        for &(a, b) in c {
            assert!((a - (1.0 - b)).abs() < 1e-12, "({a}, {b})");
            checked += 1;
        }
    }
    assert!(checked > 20, "{edges:?}");
    assert!(
        momentum_web::qhm::critical(0.0, 2.0, (0.0, 0.9), 30)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn aggmo_with_one_velocity_maps_as_heavy_ball() {
    // AggMo with one momentum β is heavy ball at step lr: the order-n map (zoo_map, the pencil's
    // circle-crossing search) against the two-step map (api::map, the degree-2 recurrence) cell by
    // cell, and the closed-form edge lr·L < 2(1 + β)
    let (n, m, lr_max) = (40, 30, 0.043);
    let q = format!(
        r#"{{"setting": {{"convention": "aggmo", "momenta": [0.5]}}, "spectrum": {{"mu": 1, "L": 100}},
            "map": {{"grid": [{n}, {m}], "lr_max": {lr_max}}}}}"#
    );
    let z = json(api::zoo_map(&q));
    let radii: Vec<f64> = z["radii"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let hb = api::map(BASE, lr_max, 0.0, 1.0, n, m).unwrap();
    assert_eq!(radii.len(), hb.len());
    let mut worst = 0.0f64;
    for j in 0..m {
        let b = (j as f64 + 0.5) / m as f64;
        for i in 0..n {
            let k = j * n + i;
            let lr = lr_max * (i as f64 + 0.5) / n as f64;
            let stable = z["stable"][k].as_bool().unwrap();
            assert_eq!(stable, lr * 100.0 < 2.0 * (1.0 + b), "cell ({i}, {j})");
            if stable {
                worst = worst.max((radii[k] - hb[k]).abs());
            }
        }
    }
    assert!(worst < 1e-12, "AggMo vs heavy ball: {worst}");
    assert_eq!(z["doc"]["axis"], "last_momentum");
}

#[test]
fn the_zoo_certificate_refuses_a_window_and_the_sdp_engine_through_the_shared_layer() {
    use momentum::Framework;
    use momentum::certify::Engine;
    use momentum::setting::certify::zoo_options;
    let q = |extra: &str| {
        format!(
            r#"{{"setting": {{"convention": "aggmo", "lr": 0.5, "momenta": [0.3]}}, "spectrum": {{"mu": 0.1, "L": 1}}{extra}}}"#
        )
    };
    let w = api::certify_setting(&q(r#", "window": 3"#)).unwrap_err();
    let shared = zoo_options(Framework::Aggmo, Some(3), Engine::Frequency).unwrap_err();
    assert_eq!(w, shared.to_string());
    let e = api::certify_setting(&q(r#", "engine": "sdp""#)).unwrap_err();
    assert_eq!(
        e,
        zoo_options(Framework::Aggmo, None, Engine::Sdp)
            .unwrap_err()
            .to_string()
    );
    // window 1 is the certificate itself: certified, at or above the quadratic rate
    let one = json(api::certify_setting(&q(r#", "window": 1"#)));
    assert_eq!(one, json(api::certify_setting(&q(""))));
    assert!(one["rate"].as_f64().unwrap() >= one["quadratic_rate"].as_f64().unwrap());
    assert!(
        api::certify_setting(&q(r#", "engine": "lmi""#))
            .unwrap_err()
            .contains("lmi")
    );
}

#[test]
fn zoo_map_refuses_a_two_step_convention_and_an_unknown_axis() {
    let two = r#"{"setting": {"convention": "pytorch", "momentum": 0.9}, "spectrum": {"mu": 1, "L": 10}}"#;
    assert!(api::zoo_map(two).unwrap_err().contains("two-step"));
    let axis = r#"{"setting": {"convention": "sam", "rho": 0.1}, "spectrum": {"mu": 1, "L": 10}, "map": {"axis": "beta"}}"#;
    assert!(api::zoo_map(axis).unwrap_err().contains("'beta'"));
    let big = r#"{"setting": {"convention": "sam", "rho": 0.1}, "spectrum": {"mu": 1, "L": 10}, "map": {"grid": [2000, 2000]}}"#;
    assert!(api::zoo_map(big).unwrap_err().contains("cells"));
}
