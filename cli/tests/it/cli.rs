//! End-to-end tests of the `momentum` binary: JSON contents checked against library-independent
//! closed forms, human output, and bad input (one line on stderr, exit 2 for usage, 1 otherwise).

use crate::common::{assert_bad, f, json, run};

#[test]
fn analyze_pytorch_question() {
    // "is PyTorch lr = 0.1, momentum = 0.9 stable if the top Hessian eigenvalue is 30?"
    // heavy ball, h = 3: complex pair (0.55 ∓ ...), |z| = √0.9
    let v = json(&[
        "analyze",
        "--convention",
        "pytorch",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--lambda",
        "30",
        "--json",
    ]);
    assert_eq!(v["method"]["step"], 0.1);
    assert_eq!(v["method"]["momentum"], 0.9);
    assert_eq!(v["method"]["lookahead"], 0.0);
    assert_eq!(v["recurrence"]["p0"], 1.9);
    assert!((f(&v["spectral_radius"]) - 0.9f64.sqrt()).abs() < 1e-15);
    assert_eq!(v["stable"], true);
    assert_eq!(v["worst_lambda"], 30.0);
    let c = &v["curvatures"][0];
    assert_eq!(c["regime"], "underdamped");
    // roots of z² − (1.9 − 3)z + 0.9 = z² + 1.1z + 0.9: −0.55 ± i√(0.9 − 0.3025)
    assert!((f(&c["roots"][0]["re"]) + 0.55).abs() < 1e-15);
    assert!((f(&c["roots"][0]["im"]).abs() - (0.9f64 - 0.3025).sqrt()).abs() < 1e-15);
    // largest stable lr = 2(1 + β)/λ = 3.8/30
    assert!((f(&v["largest_stable_lr"]) - 3.8 / 30.0).abs() < 1e-15);
    // critical momentum (1 − √3)²
    assert!(
        (f(&v["critical_momentum"][0]["momentum"]) - (1.0 - 3f64.sqrt()).powi(2)).abs() < 1e-15
    );
    // iterations per decade ln 10 / −ln √0.9
    assert!((f(&v["iterations_per_decade"]) - 10f64.ln() / -(0.9f64.sqrt().ln())).abs() < 1e-12);
}

#[test]
fn analyze_interval_lists_both_endpoints_and_finds_the_worst() {
    // Polyak at κ = 100, L = 1: rate 9/11 at both ends, critically damped
    let v = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        &(400.0f64 / 121.0).to_string(),
        "--momentum",
        &(81.0f64 / 121.0).to_string(),
        "--mu",
        "0.01",
        "--L",
        "1",
        "--json",
    ]);
    let cs = v["curvatures"].as_array().unwrap();
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[0]["lambda"], 0.01);
    assert_eq!(cs[1]["lambda"], 1.0);
    for c in cs {
        assert_eq!(c["regime"], "critically_damped");
        assert!((f(&c["spectral_radius"]) - 9.0 / 11.0).abs() < 1e-7);
    }
    assert!((f(&v["spectral_radius"]) - 9.0 / 11.0).abs() < 1e-7);
}

#[test]
fn analyze_methods_and_regimes() {
    // Nesterov at αλ = 1: deadbeat
    let v = json(&[
        "analyze",
        "--method",
        "nag",
        "--lr",
        "1",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
        "--json",
    ]);
    assert_eq!(v["spectral_radius"], 0.0);
    assert_eq!(v["method"]["lookahead"], 0.5);
    assert_eq!(v["curvatures"][0]["regime"], "critically_damped");
    // gradient descent with a too-large step alternates and diverges: root 1 − 2.5 = −1.5
    let v = json(&[
        "analyze", "--method", "gd", "--lr", "2.5", "--lambda", "1", "--json",
    ]);
    assert_eq!(v["curvatures"][0]["regime"], "alternating");
    assert_eq!(v["stable"], false);
    assert_eq!(v["spectral_radius"], 1.5);
    // heavy ball with small step is overdamped: roots of z² − 1.49z + 0.5 (h = 0.01)
    let v = json(&[
        "analyze",
        "--lr",
        "0.01",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
        "--json",
    ]);
    assert_eq!(v["curvatures"][0]["regime"], "overdamped");
    let rho = (1.49 + (1.49f64 * 1.49 - 2.0).sqrt()) / 2.0;
    assert!((f(&v["spectral_radius"]) - rho).abs() < 1e-15);
    // general lookahead and triple momentum
    let v = json(&[
        "analyze",
        "--lr",
        "0.5",
        "--momentum",
        "0.3",
        "--lookahead",
        "0.1",
        "--lambda",
        "1",
        "2",
        "--json",
    ]);
    assert_eq!(v["recurrence"]["q1"], 0.05);
    assert_eq!(v["curvatures"].as_array().unwrap().len(), 2);
    let v = json(&[
        "analyze", "--method", "tmm", "--mu", "1", "--L", "100", "--json",
    ]);
    assert!((f(&v["spectral_radius"]) - 0.9).abs() < 1e-7);
    // saddle directions are allowed and flagged
    let v = json(&[
        "analyze",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--lambda",
        "-1",
        "5",
        "--json",
    ]);
    // stability is over the positive curvature; the saddle is reported with its growth rate,
    // the larger root of z² − 2z + 0.9 (c₁ = 1.9 + 0.1, c₀ = 0.9 at λ = −1)
    assert_eq!(v["stable"], true);
    assert_eq!(v["worst_lambda"], 5.0);
    assert_eq!(v["saddle_directions"][0]["lambda"], -1.0);
    let growth = (2.0 + 0.4f64.sqrt()) / 2.0;
    assert!((f(&v["saddle_directions"][0]["growth_rate"]) - growth).abs() < 1e-15);
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("saddle"))
    );
}

#[test]
fn analyze_keras_decay_is_not_three_parameter() {
    let v = json(&[
        "analyze",
        "--convention",
        "keras",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--weight-decay",
        "0.01",
        "--lambda",
        "2",
        "--json",
    ]);
    // never a null method: the canonical method on the curvature the framework sees
    assert_eq!(v["method"]["momentum"], 0.9);
    assert_eq!(v["method"]["step"], 0.1);
    assert_eq!(v["method_on"], "decoupled_decay");
    assert_eq!(v["framework_method"]["momentum"], 0.9);
    // c₁ = 1 + μ − lr(λ + w) = 1.699, c₀ = μ(1 − lr·w) = 0.8991
    let c = &v["curvatures"][0];
    assert!((f(&c["c1"]) - 1.699).abs() < 1e-15);
    assert!((f(&c["c0"]) - 0.8991).abs() < 1e-15);
    assert!((f(&v["spectral_radius"]) - 0.8991f64.sqrt()).abs() < 1e-15);
}

#[test]
fn convert_reports_canonical_form() {
    let v = json(&[
        "convert",
        "--from",
        "ewma",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--json",
    ]);
    assert!((f(&v["method"]["step"]) - 0.01).abs() < 1e-17);
    assert_eq!(v["method"]["momentum"], 0.9);
    let v = json(&[
        "convert",
        "--from",
        "pytorch",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--nesterov",
        "--json",
    ]);
    assert_eq!(v["method"]["lookahead"], 0.9);
    assert_eq!(v["family"], "Nesterov");
    let v = json(&[
        "convert",
        "--from",
        "pytorch",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--dampening",
        "0.5",
        "--json",
    ]);
    assert_eq!(v["method"]["step"], 0.05);
    let v = json(&[
        "convert",
        "--from",
        "optax",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--weight-decay",
        "0.5",
        "--json",
    ]);
    assert_eq!(v["method"]["momentum"], 0.9);
    assert_eq!(v["method_on"], "lambda_plus_weight_decay");
    assert_eq!(v["weight_decay"]["kind"], "coupled");
    // p₀ = 1 + μ − lr·w = 1.85
    assert!((f(&v["recurrence"]["p0"]) - 1.85).abs() < 1e-15);
    let out = run(&[
        "convert",
        "--from",
        "sutskever",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--nesterov",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Nesterov") && text.contains("lookahead γ = 0.9"),
        "{text}"
    );
}

#[test]
fn human_output_is_a_table_with_a_verdict() {
    let out = run(&[
        "analyze",
        "--convention",
        "pytorch",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--lambda",
        "30",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("underdamped"));
    assert!(text.contains("STABLE"));
    assert!(text.contains("0.948683"));
    assert!(text.contains("0 < lr < 0.126667"), "{text}");
}

/// Bad invocations: (arguments, expected exit code, a fragment the one stderr line must contain).
const BAD: &[(&[&str], i32, &str)] = &[
    (
        &["analyze", "--lr", "nan", "--lambda", "1"],
        2,
        "not a finite number",
    ),
    (
        &["analyze", "--lr", "inf", "--lambda", "1"],
        2,
        "not a finite number",
    ),
    (
        &[
            "analyze",
            "--lr",
            "0.1",
            "--momentum",
            "-inf",
            "--lambda",
            "1",
        ],
        2,
        "not a finite number",
    ),
    (
        &["analyze", "--lr", "abc", "--lambda", "1"],
        2,
        "not a number",
    ),
    (
        &["analyze", "--lr", "0", "--lambda", "1"],
        1,
        "step must be > 0",
    ),
    (
        &["analyze", "--lr", "-0.1", "--lambda", "1"],
        1,
        "step must be > 0",
    ),
    (
        &["analyze", "--lr", "0.1", "--mu", "2", "--L", "1"],
        1,
        "mu <= L",
    ),
    (
        &["analyze", "--lr", "0.1", "--mu", "2"],
        2,
        "--mu needs --L",
    ),
    (&["analyze", "--lr", "0.1"], 2, "give the curvatures"),
    (
        &[
            "analyze", "--lr", "0.1", "--lambda", "1", "--mu", "1", "--L", "2",
        ],
        2,
        "not both",
    ),
    (&["analyze", "--lambda", "1"], 2, "lr is required"),
    (
        &["analyze", "--method", "sgd", "--lr", "0.1", "--lambda", "1"],
        2,
        "invalid value 'sgd'",
    ),
    (
        &[
            "analyze",
            "--convention",
            "mxnet",
            "--lr",
            "0.1",
            "--lambda",
            "1",
        ],
        2,
        "invalid value 'mxnet'",
    ),
    (
        &[
            "analyze",
            "--method",
            "hb",
            "--nesterov",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--lambda",
            "1",
        ],
        2,
        "conflicts",
    ),
    (
        &["analyze", "--method", "hb", "--lr", "0.1", "--lambda", "1"],
        2,
        "needs momentum",
    ),
    (
        &[
            "analyze",
            "--method",
            "gd",
            "--lr",
            "0.1",
            "--momentum",
            "0.5",
            "--lambda",
            "1",
        ],
        2,
        "takes no momentum",
    ),
    (
        &["analyze", "--method", "tmm", "--lambda", "1"],
        2,
        "give mu and L",
    ),
    (
        &[
            "analyze", "--method", "tmm", "--lr", "0.1", "--mu", "1", "--L", "2",
        ],
        2,
        "computes its own",
    ),
    (
        &[
            "analyze",
            "--lr",
            "0.1",
            "--weight-decay",
            "0.1",
            "--lambda",
            "1",
        ],
        2,
        "belong to a framework",
    ),
    (
        &[
            "analyze",
            "--convention",
            "pytorch",
            "--nesterov",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--dampening",
            "0.1",
            "--lambda",
            "1",
        ],
        1,
        "zero dampening",
    ),
    (
        &[
            "analyze",
            "--convention",
            "keras",
            "--lr",
            "0.1",
            "--momentum",
            "1.5",
            "--lambda",
            "1",
        ],
        1,
        "between [0, 1]",
    ),
    (
        &[
            "analyze",
            "--convention",
            "ewma",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--nesterov",
            "--lambda",
            "1",
        ],
        1,
        "no Nesterov",
    ),
    (
        &[
            "analyze",
            "--lr",
            "1e300",
            "--momentum",
            "1e300",
            "--lambda",
            "1e300",
        ],
        1,
        "overflow",
    ),
    (&["analyze", "--frobnicate"], 2, "unexpected argument"),
    (&["convert", "--lr", "0.1"], 2, "--from"),
    (&["convert", "--from", "pytorch"], 2, "lr is required"),
    (
        &[
            "convert",
            "--from",
            "keras",
            "--lr",
            "0.1",
            "--dampening",
            "0.5",
        ],
        1,
        "dampening exists only in PyTorch",
    ),
    (
        &[
            "convert",
            "--from",
            "pytorch",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--weight-decay",
            "-1",
        ],
        1,
        "weight decay must be >= 0",
    ),
    (&["bogus"], 2, "unrecognized subcommand"),
    (
        &[
            "map", "--mu", "1", "--L", "100", "--lr-max", "0.04", "--grid", "0",
        ],
        2,
        "--grid must be a positive",
    ),
    (
        &[
            "map", "--mu", "1", "--L", "100", "--lr-max", "0.04", "--grid", "-5",
        ],
        2,
        "--grid must be a positive",
    ),
    (
        &[
            "map", "--mu", "1", "--L", "100", "--lr-max", "0", "--grid", "8",
        ],
        1,
        "lr-max must be > 0",
    ),
    (
        &[
            "map", "--mu", "1", "--L", "100", "--lr-max", "-1", "--grid", "8",
        ],
        1,
        "lr-max must be > 0",
    ),
    (
        &[
            "map", "--mu", "1", "--L", "100", "--grid", "8", "--lr-max", "1", "--h-max", "2",
        ],
        2,
        "--lr-max",
    ),
    (
        &[
            "map",
            "--mu",
            "1",
            "--L",
            "100",
            "--lr-max",
            "0.04",
            "--grid",
            "8",
            "--momentum-min",
            "0.5",
            "--momentum-max",
            "0.5",
        ],
        1,
        "below momentum-max",
    ),
    (
        &[
            "map", "--mu", "1", "--L", "100", "--lr-max", "0.04", "--grid", "1000000",
        ],
        1,
        "too large",
    ),
    (
        &[
            "map",
            "--mu",
            "1",
            "--L",
            "100",
            "--lr-max",
            "0.04",
            "--grid",
            "20000",
            "--csv",
            "/tmp/momentum-test-too-big.csv",
        ],
        1,
        "too large",
    ),
    (
        &[
            "map",
            "--mu",
            "1",
            "--L",
            "100",
            "--lr-max",
            "0.04",
            "--grid",
            "8",
            "--csv",
            "/nonexistent-dir/x.csv",
        ],
        1,
        "cannot write",
    ),
    (
        &[
            "map",
            "--mu",
            "1",
            "--L",
            "100",
            "--lr-max",
            "0.04",
            "--grid",
            "8",
            "--out",
            "/tmp/momentum-test.gif",
        ],
        1,
        ".png or .svg",
    ),
    (
        &[
            "map",
            "--mu",
            "1",
            "--L",
            "100",
            "--lr-max",
            "0.04",
            "--grid",
            "8",
            "--method",
            "nag",
            "--lookahead",
            "0.2",
        ],
        2,
        "cannot be used with",
    ),
    (
        &[
            "map", "--mu", "1", "--L", "100", "--lr-max", "nan", "--grid", "8",
        ],
        2,
        "not a finite number",
    ),
];

#[test]
fn bad_input_gets_one_line_and_the_right_exit_code() {
    for (args, code, fragment) in BAD {
        assert_bad(args, *code, fragment);
    }
}

#[test]
fn map_json_matches_the_closed_form_stable_fraction() {
    // heavy ball at one curvature, h ∈ (0, 4], β ∈ (−1, 1): the stable triangle is half the plane
    let v = json(&[
        "map", "--lambda", "1", "--lr-max", "4", "--grid", "1000", "--json",
    ]);
    assert_eq!(v["grid"], serde_json::json!([1000, 1000]));
    assert!((f(&v["stable_fraction"]) - 0.5).abs() < 2e-3);
    assert!(f(&v["checksum"]) > 0.0);
    // --h-max is the same grid in normalised units
    let w = json(&[
        "map", "--mu", "2", "--L", "2", "--h-max", "4", "--grid", "1000", "--json",
    ]);
    assert_eq!(v["stable_fraction"], w["stable_fraction"]);
}

#[test]
fn map_writes_csv_and_figures() {
    let dir = std::env::temp_dir().join(format!("momentum-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("map.csv");
    let png = dir.join("map.png");
    let svg = dir.join("map.svg");
    for out in [&png, &svg] {
        let o = run(&[
            "map",
            "--method",
            "nag",
            "--mu",
            "1",
            "--L",
            "100",
            "--lr-max",
            "0.02",
            "--grid",
            "30",
            "--grid-momentum",
            "20",
            "--csv",
            csv.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "step,momentum,radius,stable,regime_mu,regime_L,worst"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 600);
    // first row: the first cell centre, step 0.02·0.5/30, momentum −1 + 2·0.5/20
    let first: Vec<&str> = rows[0].split(',').collect();
    assert!((first[0].parse::<f64>().unwrap() - 0.02 * 0.5 / 30.0).abs() < 1e-18);
    assert!((first[1].parse::<f64>().unwrap() + 0.95).abs() < 1e-15);
    let png_bytes = std::fs::read(&png).unwrap();
    assert_eq!(&png_bytes[1..4], b"PNG");
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let o = run(&["figures", "--out-dir", dir.join("figs").to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_dir(dir.join("figs")).unwrap().count(), 24);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reviewer_regressions() {
    // negative curvatures in exponent or leading-dot form, as Python's repr writes them
    let v = json(&[
        "analyze",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--lambda",
        "-1e-5",
        "-.5",
        "-1.5e+3",
        "2",
        "--json",
    ]);
    // read as numbers, not flags: three saddle directions set apart, one curvature analysed
    let ls: Vec<f64> = v["saddle_directions"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["curvatures"].as_array().unwrap())
        .map(|c| f(&c["lambda"]))
        .collect();
    assert_eq!(ls, vec![-1500.0, -0.5, -1e-5, 2.0]);
    // the reported method is the one built, not one rebuilt from rounded coefficients
    let v = json(&[
        "analyze",
        "--method",
        "nag",
        "--lr",
        "0.0023211645281910115",
        "--momentum",
        "0.8561062591526652",
        "--lambda",
        "2.5892394227831144",
        "--json",
    ]);
    assert_eq!(v["method"]["lookahead"], v["method"]["momentum"]);
    // extreme scales of lr·λ: the stable interval is still (0, 2(1+β)/L)
    for args in [
        ["--lr", "1e-30", "--lambda", "1"],
        ["--lr", "1e30", "--lambda", "1"],
        ["--lr", "0.1", "--lambda", "1e-33"],
    ] {
        let mut a = vec!["analyze", "--momentum", "0.9", "--json"];
        a.extend(args);
        let v = json(&a);
        let lam: f64 = args[3].parse().unwrap();
        assert_eq!(f(&v["stable_lr"]["lo"]), 0.0);
        assert!((f(&v["stable_lr"]["hi"]) - 3.8 / lam).abs() <= 1e-14 * 3.8 / lam);
    }
    // an interval with μ = L still lists its two endpoints
    let v = json(&[
        "analyze",
        "--lr",
        "0.1",
        "--momentum",
        "0.5",
        "--mu",
        "2",
        "--L",
        "2",
        "--json",
    ]);
    assert_eq!(v["curvatures"].as_array().unwrap().len(), 2);
    // bare invocation: one line
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(o.stderr)
            .unwrap()
            .trim_end()
            .lines()
            .count(),
        1
    );
    // huge numbers in messages are short
    let o = run(&["analyze", "--lr", "0.1", "--mu", "1e300", "--L", "1e299"]);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.len() < 120 && err.contains("1e300"), "{err}");
}

#[test]
fn help_and_version_exit_zero() {
    assert!(run(&["--help"]).status.success());
    assert!(run(&["analyze", "--help"]).status.success());
    assert!(run(&["--version"]).status.success());
}

#[test]
fn every_json_document_names_its_schema() {
    let docs = [
        vec![
            "analyze",
            "--method",
            "hb",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--lambda",
            "30",
            "--json",
        ],
        vec![
            "convert",
            "--from",
            "pytorch",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--json",
        ],
        vec!["tune", "--kappa", "100", "--json"],
        vec![
            "bound",
            "--method",
            "hb",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--mu",
            "1",
            "--L",
            "10",
            "--steps",
            "5",
            "--json",
        ],
        vec![
            "simulate",
            "--method",
            "hb",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--mu",
            "1",
            "--L",
            "10",
            "--steps",
            "50",
            "--json",
        ],
        vec![
            "map", "--method", "hb", "--mu", "1", "--L", "10", "--lr-max", "0.4", "--grid", "16",
            "--json",
        ],
    ];
    for args in docs {
        let v = json(&args);
        assert_eq!(v["schema"], "momentum/1", "{args:?}");
    }
}

#[test]
fn analyze_check_exits_3_when_unstable_and_0_when_stable() {
    // PyTorch lr = 0.1, momentum = 0.9: stable up to λ = 2(1 + β)/lr = 38
    let at = |lambda: &str| {
        run(&[
            "analyze",
            "--convention",
            "pytorch",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--lambda",
            lambda,
            "--check",
        ])
    };
    let ok = at("37.9");
    assert_eq!(ok.status.code(), Some(0));
    assert!(ok.stderr.is_empty());
    let bad = at("38.1");
    assert_eq!(bad.status.code(), Some(3));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("unstable: rho = ") && err.contains("lambda = 38.1"),
        "{err}"
    );
    // the answer is still printed
    assert!(!bad.stdout.is_empty());
}

/// A Hessian's null space comes back from eigvalsh as ±3e-15: flat directions, never the reason a
/// setting is unstable; stability, rate and step limit are over the positive curvatures.
#[test]
fn flat_and_negative_directions_of_a_real_hessian_spectrum() {
    let dir = std::env::temp_dir().join(format!("momentum-flat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("eigvalsh.txt");
    std::fs::write(&file, "-3.0e-15\n2.1e-15\n-0.02\n0.01\n0.5\n30\n").unwrap();
    let path = file.to_str().unwrap();
    let v = json(&[
        "analyze",
        "--convention",
        "pytorch",
        "--lr",
        "0.01",
        "--momentum",
        "0.9",
        "--spectrum",
        path,
        "--json",
    ]);
    // n·ε·max|λ| = 6 · 2.2e-16 · 30
    assert_eq!(f(&v["flat_tolerance"]), 6.0 * f64::EPSILON * 30.0);
    assert_eq!(v["flat_directions"], 2);
    assert_eq!(v["saddle_directions"].as_array().unwrap().len(), 1);
    assert_eq!(v["stable"], true);
    assert_eq!(v["spectrum"]["min"], 0.01);
    // heavy ball at λ = 0.01: h = 1e-4 < (1 − √0.9)², so real roots; the larger is the rate
    let (c1, c0): (f64, f64) = (1.9 - 1e-4, 0.9);
    let rate = (c1 + (c1 * c1 - 4.0 * c0).sqrt()) / 2.0;
    assert!((f(&v["spectral_radius"]) - rate).abs() < 1e-12);
    // 2(1 + β)/30
    assert!((f(&v["largest_stable_lr"]) - 3.8 / 30.0).abs() < 1e-15);
    // the same spectrum tunes over its positive part, and bound runs over it
    let t = json(&["tune", "--spectrum", path, "--method", "hb", "--json"]);
    assert_eq!((f(&t["mu"]), f(&t["L"])), (0.01, 30.0));
    let b = json(&[
        "bound",
        "--method",
        "hb",
        "--lr",
        "0.01",
        "--momentum",
        "0.9",
        "--spectrum",
        path,
        "--steps",
        "10",
        "--json",
    ]);
    assert_eq!(b["over"], "eigenvalues");
    // bound echoes its inputs
    assert_eq!(b["family"], "heavy ball");
    assert_eq!(b["framework_method"]["step"], 0.01);
    assert_eq!(b["recurrence"]["q0"], 0.9);
    assert!(f(&b["worst_factor"]) < 1.0);
    // a larger tolerance sets 0.01 apart too
    let v = json(&[
        "analyze",
        "--lr",
        "0.01",
        "--momentum",
        "0.9",
        "--spectrum",
        path,
        "--flat-tol",
        "0.05",
        "--json",
    ]);
    assert_eq!(
        (v["flat_directions"].as_u64(), v["spectrum"]["min"].as_f64()),
        (Some(4), Some(0.5))
    );
    // nothing above the tolerance: an answer that says so, exit 1
    let flat = dir.join("flat.txt");
    // (all of them at 1e-15: relative to the largest |λ| nothing is flat, so the tolerance is given)
    std::fs::write(&flat, "-3e-15\n2e-15\n").unwrap();
    assert_bad(
        &[
            "analyze",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--spectrum",
            flat.to_str().unwrap(),
            "--flat-tol",
            "1e-12",
        ],
        1,
        "no curvature above the flat tolerance",
    );
    // the tolerance is for listed eigenvalues, not an interval
    assert_bad(
        &[
            "analyze",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--mu",
            "0",
            "--L",
            "1",
            "--flat-tol",
            "1e-9",
        ],
        2,
        "flat tolerance applies to listed eigenvalues",
    );
    // a near-zero smallest curvature above the tolerance is named
    let near = dir.join("near.txt");
    std::fs::write(&near, "1e-9\n0.5\n30\n").unwrap();
    let v = json(&[
        "analyze",
        "--lr",
        "0.01",
        "--momentum",
        "0.9",
        "--spectrum",
        near.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(v["flat_directions"], 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Triple momentum written in the canonical convention keeps its lookahead, so that the printed
/// arguments, read back by `analyze --convention canonical`, are triple momentum again.
#[test]
fn canonical_tuning_keeps_the_lookahead_and_reads_back() {
    let t = json(&[
        "tune",
        "--kappa",
        "100",
        "--method",
        "tmm",
        "--convention",
        "canonical",
        "--json",
    ]);
    let m = &t["methods"][0];
    let fw = &m["framework"];
    assert_eq!(fw["lookahead"], m["lookahead"]);
    let (lr, b, g) = (
        fw["lr"].to_string(),
        fw["momentum"].to_string(),
        fw["lookahead"].to_string(),
    );
    let v = json(&[
        "analyze",
        "--convention",
        "canonical",
        "--lr",
        &lr,
        "--momentum",
        &b,
        "--lookahead",
        &g,
        "--mu",
        "0.01",
        "--L",
        "1",
        "--json",
    ]);
    // triple momentum's rate on [μ, L] is 1 − √(μ/L) = 0.9; read without its lookahead the same
    // (α, β) is heavy ball, with another rate
    assert!(
        (f(&v["spectral_radius"]) - 0.9).abs() < 1e-7,
        "{}",
        v["spectral_radius"]
    );
    let hb = json(&[
        "analyze",
        "--convention",
        "canonical",
        "--lr",
        &lr,
        "--momentum",
        &b,
        "--mu",
        "0.01",
        "--L",
        "1",
        "--json",
    ]);
    assert!(
        (f(&hb["spectral_radius"]) - 0.9).abs() > 1e-2,
        "{}",
        hb["spectral_radius"]
    );
}

/// `--kappa` means the same interval [1/κ, 1] everywhere, and every method name the tool prints
/// is accepted back by `--method`.
#[test]
fn kappa_everywhere_and_printed_names_are_accepted() {
    let hb = ["--lr", "2", "--momentum", "0.6"];
    let by_kappa = json(
        &[
            &["analyze", "--method", "hb", "--kappa", "100", "--json"][..],
            &hb,
        ]
        .concat(),
    );
    let by_ends = json(
        &[
            &[
                "analyze", "--method", "hb", "--mu", "0.01", "--L", "1", "--json",
            ][..],
            &hb,
        ]
        .concat(),
    );
    assert_eq!(by_kappa["spectral_radius"], by_ends["spectral_radius"]);
    assert_eq!(by_kappa["stable_lr"], by_ends["stable_lr"]);
    let b = json(
        &[
            &[
                "bound", "--method", "hb", "--kappa", "100", "--steps", "20", "--json",
            ][..],
            &hb,
        ]
        .concat(),
    );
    assert_eq!((f(&b["mu"]), f(&b["L"])), (0.01, 1.0));
    let m = json(&[
        "map", "--method", "nag", "--kappa", "100", "--lr-max", "4", "--grid", "8", "--json",
    ]);
    assert_eq!((f(&m["mu"]), f(&m["L"])), (0.01, 1.0));
    assert_bad(
        &[
            "analyze", "--kappa", "100", "--mu", "1", "--L", "2", "--lr", "1",
        ],
        2,
        "--kappa",
    );
    // names as `analyze`, `tune` and the JSON print them
    for (name, family) in [
        ("heavy ball", "heavy ball"),
        ("heavy_ball", "heavy ball"),
        ("nesterov", "Nesterov"),
    ] {
        let v = json(&[
            "analyze",
            "--method",
            name,
            "--lr",
            "0.5",
            "--momentum",
            "0.5",
            "--lambda",
            "1",
            "--json",
        ]);
        assert_eq!(v["family"], family, "{name}");
    }
    let t = json(&[
        "tune",
        "--kappa",
        "100",
        "--method",
        "nesterov_quadratic",
        "--json",
    ]);
    assert_eq!(t["methods"][0]["name"], "nesterov_quadratic");
    let t = json(&[
        "tune",
        "--kappa",
        "100",
        "--method",
        "triple_momentum",
        "--json",
    ]);
    assert_eq!(t["methods"][0]["name"], "triple_momentum");
}

/// `map --mark` reports each setting's worst-case rate, and the step axis defaults to 4/L.
#[test]
fn map_marks_settings_and_picks_a_step_range() {
    let v = json(&[
        "map", "--method", "hb", "--kappa", "100", "--grid", "8", "--mark", "1,0.5", "--json",
    ]);
    assert_eq!(f(&v["lr_max"]), 4.0);
    // heavy ball α = 1, β = 0.5 at λ = μ = 0.01: real roots of z² − 1.49z + 0.5, the larger wins
    let (c1, c0): (f64, f64) = (1.49, 0.5);
    let rate = (c1 + (c1 * c1 - 4.0 * c0).sqrt()) / 2.0;
    assert!((f(&v["marks"][0]["rate"]) - rate).abs() < 1e-14);
    assert_bad(
        &["map", "--kappa", "100", "--grid", "8", "--mark", "1;0.5"],
        2,
        "LR,MOMENTUM",
    );
    assert_bad(
        &["map", "--kappa", "100", "--grid", "8", "--mark", "1,nan"],
        2,
        "not a finite number",
    );
}

/// The real-NumPy fixture: a 6 × 6 Hessian in a random basis with eigenvalues 0, 0, −0.02, 0.01,
/// 0.5, 30 (tests/data/spectra/make_fixtures.py).
#[test]
fn a_numpy_hessian_with_a_null_space_and_a_saddle() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/spectra/hessian_null_saddle.npy"
    );
    let v = json(&[
        "analyze",
        "--convention",
        "pytorch",
        "--lr",
        "0.01",
        "--momentum",
        "0.9",
        "--spectrum",
        path,
        "--json",
    ]);
    assert_eq!(v["flat_directions"], 2);
    assert_eq!(v["stable"], true);
    let saddle = &v["saddle_directions"][0];
    assert!((f(&saddle["lambda"]) + 0.02).abs() < 1e-12);
    // at λ = −0.02: c₁ = 1.9 + 2e-4, c₀ = 0.9, the larger real root
    let c1: f64 = 1.9 + 2e-4;
    let growth = (c1 + (c1 * c1 - 3.6).sqrt()) / 2.0;
    assert!((f(&saddle["growth_rate"]) - growth).abs() < 1e-9);
    assert!((f(&v["spectrum"]["min"]) - 0.01).abs() < 1e-12);
    assert!((f(&v["largest_stable_lr"]) - 3.8 / 30.0).abs() < 1e-12);
}

/// `bound` on an unstable setting answers: not stable, the growth rate, and log10 of the factor
/// when it is beyond f64 (a lower bound, at the curvature of the largest rate).
#[test]
fn bound_on_an_unstable_setting_is_an_answer() {
    let args = [
        "bound",
        "--method",
        "hb",
        "--lr",
        "1",
        "--momentum",
        "0.9",
        "--mu",
        "1",
        "--L",
        "30",
    ];
    let v = json(&[&args[..], &["--steps", "1000", "--json"]].concat());
    assert_eq!(v["stable"], false);
    assert!(v["worst_factor"].is_null());
    assert_eq!(v["worst_factor_exact"], false);
    assert_eq!(v["worst_lambda"], 30.0);
    // |P_N| ≈ C·ρᴺ with ρ = 28.07 (c₁ = −28.1, c₀ = 0.9 at λ = 30)
    let c1: f64 = -28.1;
    let rho = (c1.abs() + (c1 * c1 - 3.6).sqrt()) / 2.0;
    let lg = f(&v["worst_factor_log10"]);
    assert!((lg - 1000.0 * rho.log10()).abs() < 2.0, "{lg}");
    // few steps: still finite, exact, and not stable
    let v = json(&[&args[..], &["--steps", "10", "--json"]].concat());
    assert_eq!(
        (v["stable"].as_bool(), v["worst_factor_exact"].as_bool()),
        (Some(false), Some(true))
    );
    assert!((f(&v["worst_factor_log10"]) - f(&v["worst_factor"]).log10()).abs() < 1e-12);
}
