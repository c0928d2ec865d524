//! `--delay TAU` on `analyze`, `map` and `tune`: JSON against closed forms (SGD's
//! 2 sin(π/(2(2τ+1))), heavy ball's 1 − β at τ = 1, τ = 0 equal to the undelayed document) and
//! the bad-input contract (negative, fractional, overflowing and too-large delays).

use super::common::{assert_bad, run};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn analyze_delay_zero_is_the_undelayed_verdict() {
    let base = [
        "analyze",
        "--method",
        "nag",
        "--lr",
        "0.3",
        "--momentum",
        "0.8",
        "--mu",
        "0.1",
        "--L",
        "2",
        "--json",
    ];
    let plain = json(&base);
    let mut with = base.to_vec();
    with.extend(["--delay", "0"]);
    let d = json(&with);
    for k in ["spectral_radius", "stable", "worst_lambda"] {
        assert_eq!(plain[k], d[k], "{k}");
    }
    assert_eq!(d["delay"]["tau"], 0);
    assert_eq!(d["delay"]["polynomial_degree"], 2);
    assert!(plain.get("delay").is_none());
    // the largest stable lr at τ = 0 is the core's
    let a = plain["largest_stable_lr"].as_f64().unwrap();
    let b = d["largest_stable_lr"].as_f64().unwrap();
    assert!((a - b).abs() <= 1e-12 * a, "{a} vs {b}");
}

#[test]
fn analyze_delay_meets_the_closed_forms() {
    // SGD with delay τ over [0.1, 10]: largest stable step 2 sin(π/(2(2τ+1)))/L
    for tau in [1u32, 3, 16] {
        let t = tau.to_string();
        let d = json(&[
            "analyze", "--method", "gd", "--lr", "0.001", "--mu", "0.1", "--L", "10", "--delay",
            &t, "--json",
        ]);
        let closed = 2.0 * (std::f64::consts::PI / (2.0 * (2.0 * tau as f64 + 1.0))).sin() / 10.0;
        let got = d["largest_stable_lr"].as_f64().unwrap();
        assert!(
            (got - closed).abs() <= 1e-12 * closed,
            "τ {tau}: {got} vs {closed}"
        );
        assert_eq!(d["stable"], true);
        assert_eq!(
            d["delay"]["curvatures"][0]["roots"]
                .as_array()
                .unwrap()
                .len(),
            tau as usize + 2
        );
    }
    // heavy ball, τ = 1: z(z² − (1+β)z + β + αλ), stable iff αL < 1 − β; its rate at λ is the
    // core's with c₀ = β + αλ: at λ = 1, α = 0.3, β = 0.5 a complex pair of modulus √0.8
    let d = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.3",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
        "--delay",
        "1",
        "--json",
    ]);
    assert!((d["spectral_radius"].as_f64().unwrap() - 0.8f64.sqrt()).abs() < 1e-14);
    assert!((d["largest_stable_lr"].as_f64().unwrap() - 0.5).abs() < 1e-15);
    assert_eq!(d["schema"], "momentum/1");
    // PyTorch's lr is α: same limit through a convention
    let p = json(&[
        "analyze",
        "--convention",
        "pytorch",
        "--lr",
        "0.3",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
        "--delay",
        "1",
        "--json",
    ]);
    assert_eq!(p["largest_stable_lr"], d["largest_stable_lr"]);
    // past the edge: unstable, and --check exits 3
    let out = run(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.51",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
        "--delay",
        "1",
        "--check",
    ]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn map_and_tune_with_delay() {
    // SGD with τ = 1 on one curvature: stable iff αλ < 1 — half of the step axis (0, 2]
    let m = json(&[
        "map", "--method", "gd", "--lambda", "1", "--lr-max", "2", "--grid", "10", "--delay", "1",
        "--json",
    ]);
    assert_eq!(m["delay"], 1);
    assert_eq!(m["stable_fraction"], 0.5);
    let t = json(&[
        "tune", "--kappa", "10", "--method", "hb", "--delay", "2", "--json",
    ]);
    let tuned = &t["tunings"][0];
    assert_eq!(tuned["tau"], 2);
    // the delay lowers the best momentum and costs rate
    assert!(tuned["momentum"].as_f64() < tuned["undelayed"]["momentum"].as_f64());
    assert!(tuned["rate"].as_f64() > tuned["undelayed"]["rate"].as_f64());
    // the undelayed search meets Polyak's rate (√κ − 1)/(√κ + 1)
    let polyak = (10f64.sqrt() - 1.0) / (10f64.sqrt() + 1.0);
    assert!((tuned["undelayed"]["rate"].as_f64().unwrap() - polyak).abs() < 1e-6);
}

#[test]
fn bad_delays_are_one_line_with_an_exit_code() {
    let hb = [
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.1",
        "--momentum",
        "0.5",
        "--kappa",
        "10",
        "--delay",
    ];
    for (tau, code, fragment) in [
        (
            "-1",
            2,
            "--delay must be a whole number of steps 0..=64, got '-1'",
        ),
        ("2.5", 2, "got '2.5'"),
        ("nan", 2, "got 'nan'"),
        ("99999999999999999999999", 2, "whole number"),
        ("65", 1, "delay = 65 is too large: the limit is 64"),
        ("1000000", 1, "the limit is 64"),
    ] {
        let mut args = hb.to_vec();
        args.push(tau);
        assert_bad(&args, code, fragment);
    }
    assert_bad(
        &["tune", "--kappa", "10", "--delay", "-3"],
        2,
        "whole number",
    );
    assert_bad(
        &["map", "--kappa", "10", "--grid", "4", "--delay", "100"],
        1,
        "the limit is 64",
    );
    assert_bad(
        &[
            "map",
            "--kappa",
            "10",
            "--grid",
            "4",
            "--delay",
            "2",
            "--csv",
            "/tmp/never.csv",
        ],
        2,
        "--csv",
    );
    assert_bad(
        &["map", "--kappa", "10", "--grid", "1000", "--delay", "2"],
        1,
        "too large",
    );
    assert_bad(
        &["tune", "--kappa", "10", "--method", "tmm", "--delay", "2"],
        2,
        "--delay tunes by search",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "pytorch",
            "--lr",
            "0.1",
            "--momentum",
            "0.5",
            "--weight-decay",
            "0.01",
            "--kappa",
            "10",
            "--delay",
            "2",
        ],
        2,
        "a delay with weight decay",
    );
}
