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
