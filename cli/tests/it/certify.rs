//! `momentum certify`: published exact certified rates (gradient descent, triple momentum,
//! Polyak heavy ball past its edge κ = 9 + 4√5), the JSON contract, and bad input.

use serde_json::Value;

use crate::common::{assert_bad, run};

fn json(args: &[&str]) -> Value {
    let mut all = vec!["certify", "--json"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(
        out.status.success(),
        "{all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn certify_json_reproduces_the_published_rates() {
    // gradient descent: max(|1 − αμ|, |1 − αL|) = max(0.75, 0) at α = 1/4 on [1, 4]
    let v = json(&["--method", "gd", "--lr", "0.25", "--mu", "1", "--L", "4"]);
    assert_eq!(v["schema"], "momentum/1");
    assert_eq!(v["class"], "smooth_strongly_convex");
    assert_eq!(v["engine"], "frequency");
    assert_eq!(v["certified"], true);
    assert!((f(&v["rate"]) - 0.75).abs() < 1e-9, "{v}");
    assert_eq!(f(&v["method"]["step"]), 0.25);
    assert_eq!(f(&v["mu"]), 1.0);
    assert_eq!(f(&v["L"]), 4.0);
    // triple momentum: exactly 1 − 1/√κ (Van Scoy, Freeman & Lynch 2018)
    // (checked: at most 1e-3 of 1 − ρ above, never below; docs/DESIGN.md "Checked certificates")
    let v = json(&["--method", "tmm", "--kappa", "100"]);
    assert!(
        f(&v["rate"]) >= 0.9 - 1e-12 && f(&v["rate"]) - 0.9 < 1e-4,
        "{v}"
    );
    assert!((f(&v["quadratic_rate"]) - 0.9).abs() < 1e-12, "{v}");
    // Polyak heavy ball at κ = 100 > 9 + 4√5: optimal on quadratics (9/11), not certified
    let v = json(&[
        "--method",
        "hb",
        "--lr",
        &format!("{}", 4.0 / 1.21),
        "--momentum",
        &format!("{}", 0.81 / 1.21),
        "--mu",
        "0.01",
        "--L",
        "1",
    ]);
    assert_eq!(v["certified"], false);
    assert!(v["rate"].is_null());
    assert!((f(&v["quadratic_rate"]) - 9.0 / 11.0).abs() < 1e-6, "{v}");
    assert_eq!(v["quadratic_stable"], true);
    // Nesterov, α = 1/L, β = (√κ−1)/(√κ+1), κ = 100: certified between its quadratic rate and 1
    let v = json(&[
        "--method",
        "nag",
        "--lr",
        "1",
        "--momentum",
        &format!("{}", 9.0 / 11.0),
        "--kappa",
        "100",
    ]);
    let r = f(&v["rate"]);
    assert!(r > f(&v["quadratic_rate"]) && r < 1.0, "{v}");
    assert!((r - 0.927_933_1).abs() < 1e-6, "{v}");
    assert_eq!(v["method"]["lookahead"], v["method"]["momentum"]);
}

#[test]
fn certify_text_and_an_unstable_method_are_answers() {
    let out = run(&[
        "certify", "--method", "gd", "--lr", "3", "--mu", "1", "--L", "1",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("not certified"), "{text}");
    assert!(text.contains("unstable on quadratics"), "{text}");
    let v = json(&["--method", "gd", "--lr", "3", "--mu", "1", "--L", "1"]);
    assert_eq!(v["certified"], false);
    assert_eq!(v["quadratic_stable"], false);
}

#[test]
fn certify_bad_input_is_one_line() {
    let base = [
        "certify",
        "--method",
        "hb",
        "--lr",
        "0.1",
        "--momentum",
        "0.5",
    ];
    let with = |extra: &[&'static str]| {
        let mut v: Vec<&str> = base.to_vec();
        v.extend_from_slice(extra);
        v
    };
    assert_bad(&with(&["--mu", "2", "--L", "1"]), 1, "mu <= L");
    assert_bad(&with(&["--mu", "0", "--L", "1"]), 1, "mu must be > 0");
    assert_bad(&with(&["--mu", "NaN", "--L", "1"]), 2, "");
    assert_bad(&with(&["--lambda", "1", "2"]), 2, "not listed eigenvalues");
    assert_bad(&with(&["--mu", "1"]), 2, "--mu needs --L");
    assert_bad(
        &[
            "certify",
            "--method",
            "hb",
            "--lr",
            "NaN",
            "--momentum",
            "0.5",
            "--kappa",
            "10",
        ],
        2,
        "",
    );
    #[cfg(not(feature = "sdp"))]
    assert_bad(
        &with(&["--kappa", "10", "--engine", "sdp"]),
        2,
        "--features sdp",
    );
}

#[cfg(feature = "sdp")]
#[test]
fn certify_sdp_engine_agrees_with_the_frequency_engine() {
    let args = [
        "--method",
        "nag",
        "--lr",
        "1",
        "--momentum",
        "0.8",
        "--kappa",
        "50",
    ];
    let a = json(&args);
    let mut with = args.to_vec();
    with.extend(["--engine", "sdp"]);
    let b = json(&with);
    assert_eq!(b["engine"], "sdp");
    assert!((f(&a["rate"]) - f(&b["rate"])).abs() < 1e-5, "{a} {b}");
}

#[test]
fn tune_reports_each_tunings_certified_rate() {
    let out = run(&["tune", "--kappa", "100", "--json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rate = |name: &str| {
        v["methods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {v}"))["certified_rate"]
            .clone()
    };
    // gradient descent α = 2/(μ+L): (κ−1)/(κ+1) = 99/101; triple momentum 1 − 1/√κ = 0.9;
    // Polyak heavy ball at κ = 100 > 9 + 4√5: none
    assert!((f(&rate("gradient_descent")) - 99.0 / 101.0).abs() < 1e-9);
    // (the checked certificate of triple momentum lies up to 1e-3 of 1 − ρ above its edge)
    let tmm = f(&rate("triple_momentum"));
    assert!((0.9 - 1e-12..0.9 + 1e-4).contains(&tmm), "{tmm}");
    assert!(rate("heavy_ball").is_null());
}

#[test]
fn report_shows_quadratic_and_certified_rates_side_by_side() {
    let out = run(&["report", "--no-figures"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2b. Beyond quadratics"), "{text}");
    // κ = 100: triple momentum 0.9 on both; Polyak heavy ball 0.8182 on quadratics, none certified
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("2b. Beyond"))
        .take_while(|l| !l.starts_with("3."))
        .filter(|l| l.trim_start().starts_with("100 "))
        .collect();
    // triple momentum: 0.9 on quadratics, its checked certificate at most 1e-4 above
    assert!(
        rows.iter().any(|r| r.contains("triple")
            && r.split_whitespace()
                .last()
                .and_then(|v| v.parse::<f64>().ok())
                .is_some_and(|v| (0.9..0.9001).contains(&v))),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("heavy") && r.trim_end().ends_with(" -")),
        "{rows:?}"
    );
}

/// `certify --steps N`: the exact N-step worst case on F(μ, L) by PEP (feature sdp) beside the
/// quadratic one. Gradient descent's is max(|1 − αμ|, |1 − αL|)^N on both (closed form); heavy
/// ball's on the class is never below its quadratic worst case. Without the feature, a usage error.
#[test]
fn certify_steps_is_the_pep_worst_case() {
    let gd = [
        "certify", "--method", "gd", "--lr", "0.1", "--mu", "1", "--L", "10", "--steps", "3",
        "--json",
    ];
    if !cfg!(feature = "sdp") {
        crate::common::assert_bad(&gd, 2, "sdp feature");
        return;
    }
    let v = crate::common::json(&gd);
    let f = crate::common::f;
    assert!((f(&v["worst_factor"]) - 0.729).abs() < 1e-6, "{v}");
    assert!(
        (f(&v["quadratic_worst_factor"]) - 0.729).abs() < 1e-12,
        "{v}"
    );
    assert_eq!(v["steps"], 3);
    let v = crate::common::json(&[
        "certify",
        "--method",
        "hb",
        "--lr",
        "0.1",
        "--momentum",
        "0.5",
        "--mu",
        "1",
        "--L",
        "10",
        "--steps",
        "5",
        "--json",
    ]);
    assert!(
        f(&v["worst_factor"]) >= f(&v["quadratic_worst_factor"]) * (1.0 - 1e-6),
        "{v}"
    );
    assert!(
        (f(&v["worst_factor_squared"]) - f(&v["worst_factor"]).powi(2)).abs() < 1e-12,
        "{v}"
    );
}

/// Issue 27: every rate carries the certificate that passed the exact check; a rate within f64's
/// resolution of 1 is said so; `--steps` takes μ = L and tiny steps like the plain form.
#[test]
fn certify_reports_its_checked_certificate_and_the_resolution_limit() {
    let v = json(&[
        "--method",
        "hb",
        "--lr",
        "0.5",
        "--momentum",
        "0.5",
        "--mu",
        "0.1",
        "--L",
        "1",
    ]);
    assert_eq!(v["outcome"], "certified");
    let c = &v["certificate"];
    assert!(f(&c["rho"]) <= f(&v["rate"]) && f(&v["rate"]) >= f(&v["quadratic_rate"]));
    assert_eq!(c["p"].as_array().unwrap().len(), 3);
    assert_eq!(c["lambda"].as_array().unwrap().len(), 2);
    let v = json(&[
        "--method", "gd", "--lr", "1e-300", "--mu", "0.1", "--L", "1",
    ]);
    assert_eq!(
        (&v["outcome"], &v["rate"]),
        (&Value::from("below_resolution"), &Value::Null)
    );
    let out = run(&[
        "certify", "--method", "gd", "--lr", "1e-300", "--kappa", "10",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("below f64's resolution"),
        "{text}"
    );
    let v = json(&["--method", "gd", "--lr", "1", "--kappa", "1e12"]);
    assert!(
        f(&v["rate"]) < 1.0 && f(&v["rate"]) >= f(&v["quadratic_rate"]),
        "{v}"
    );
    if cfg!(feature = "sdp") {
        let v = json(&[
            "--method", "gd", "--lr", "0.5", "--mu", "1", "--L", "1", "--steps", "3",
        ]);
        assert_eq!(v["worst_factor_source"], "quadratic");
        assert!((f(&v["worst_factor"]) - 0.125).abs() < 1e-15, "{v}");
        let v = json(&[
            "--method", "gd", "--lr", "1e-300", "--kappa", "10", "--steps", "3",
        ]);
        assert_eq!(v["worst_factor_source"], "unsolved");
        assert!(
            v["worst_factor"].is_null() && v["pep_error"].is_string(),
            "{v}"
        );
        let v = json(&[
            "--method", "gd", "--lr", "1", "--kappa", "1e6", "--engine", "sdp",
        ]);
        assert!(f(&v["rate"]) >= f(&v["quadratic_rate"]), "{v}");
        assert!((f(&v["rate"]) - (1.0 - 1e-6)).abs() < 1e-9, "{v}");
    }
}

/// Issue 27: an uncertified method gets a checked cycle when one is found (heavy ball β = 1/2 on
/// F(0.1, 1) at α = 2.7; Lessard et al.'s Polyak tuning on [1, 25]); a certified one gets null.
#[test]
fn certify_json_carries_a_counterexample_cycle() {
    let v = json(&[
        "--method",
        "hb",
        "--lr",
        "2.7",
        "--momentum",
        "0.5",
        "--mu",
        "0.1",
        "--L",
        "1",
    ]);
    let c = &v["counterexample"];
    assert_eq!(
        (&c["kind"], &c["period"]),
        (&Value::from("cycle"), &Value::from(3)),
        "{v}"
    );
    for key in ["iterates", "points", "gradients"] {
        let rows = c[key].as_array().unwrap();
        assert!(rows.len() == 3 && rows.iter().all(|r| r.as_array().unwrap().len() == 1));
    }
    assert_eq!(c["values"].as_array().unwrap().len(), 3);
    // the JSON witness, read back, passes the library's exact check
    let rows = |k: &str| -> Vec<Vec<f64>> {
        c[k].as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(f).collect())
            .collect()
    };
    let cycle = momentum::certify::counter::Cycle {
        kind: "cycle",
        period: 3,
        iterates: rows("iterates"),
        points: rows("points"),
        gradients: rows("gradients"),
        values: c["values"].as_array().unwrap().iter().map(f).collect(),
    };
    let hb = momentum::Method::heavy_ball(2.7, 0.5).unwrap();
    assert!(momentum::certify::counter::verify(&hb, 0.1, 1.0, &cycle).unwrap());
    let v = json(&[
        "--method",
        "hb",
        "--lr",
        "0.5",
        "--momentum",
        "0.5",
        "--mu",
        "0.1",
        "--L",
        "1",
    ]);
    assert!(v["counterexample"].is_null());
}

/// The `--method` values `certify --help` lists (its "Possible values" block).
fn help_methods() -> Vec<String> {
    let out = run(&["certify", "--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    let block = help
        .split("--method <METHOD>")
        .nth(1)
        .and_then(|s| s.split("Possible values:").nth(1))
        .expect("certify --help lists --method's possible values");
    block
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.trim_start().starts_with("- "))
        .map(|l| {
            l.trim_start()[2..]
                .split(':')
                .next()
                .unwrap()
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn certify_methods_in_docs_json_are_exactly_those_the_cli_accepts() {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/json.md")).unwrap();
    let line = docs
        .lines()
        .find(|l| l.starts_with("`momentum certify "))
        .expect("docs/json.md has the certify synopsis");
    let list = line
        .split("--method ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("the synopsis lists --method");
    let mut documented: Vec<String> = list.split('|').map(str::to_string).collect();
    let mut accepted = help_methods();
    documented.sort();
    accepted.sort();
    assert_eq!(documented, accepted, "docs/json.md: {line}");
    // each documented name parses (the method's own argument checks may still refuse --momentum)
    for m in &documented {
        let out = run(&["certify", "--method", m, "--kappa", "4", "--json"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("invalid value"), "--method {m}: {err}");
    }
}

/// Issue 27, "Tighter": `--window` lifts the certificate (off-by-j multipliers, j ≤ W); the JSON
/// carries the window, the one-step rate beside the lifted one and the lifted certificate.
#[test]
fn certify_window_lifts_the_heavy_ball_edge() {
    let hb = |lr: &str, window: &str| {
        json(&[
            "--method",
            "hb",
            "--lr",
            lr,
            "--momentum",
            "0.5",
            "--mu",
            "0.1",
            "--L",
            "1",
            "--window",
            window,
        ])
    };
    // α = 2.6 on F(0.1, 1): no one-step rate; window 3 certifies (the lifted edge is ≈ 2.641)
    let one = hb("2.6", "1");
    assert_eq!(one["certified"], false);
    assert_eq!(one["window"], 1);
    assert!(one["lifted_rate"].is_null() && one["lifted_certificate"].is_null());
    let lifted = hb("2.6", "3");
    assert_eq!(lifted["certified"], true, "{lifted}");
    assert_eq!(lifted["window"], 3);
    assert!(lifted["one_step_rate"].is_null());
    assert!(lifted["certificate"].is_null());
    let r = f(&lifted["rate"]);
    assert_eq!(r, f(&lifted["lifted_rate"]));
    assert!(r < 1.0 && r >= f(&lifted["quadratic_rate"]));
    let cert = &lifted["lifted_certificate"];
    assert_eq!(cert["window"], 3);
    assert_eq!(cert["causal"].as_array().unwrap().len(), 3);
    assert!(f(&cert["rho"]) <= r);
    // the default window is 3; past the 3-cycle (α ≈ 2.644) nothing is certified
    assert_eq!(
        json(&[
            "--method",
            "hb",
            "--lr",
            "2.6",
            "--momentum",
            "0.5",
            "--mu",
            "0.1",
            "--L",
            "1"
        ])["window"],
        3
    );
    assert_eq!(hb("2.65", "8")["certified"], false);
    // Polyak's heavy ball at κ = 15: one step 0.9599, lifted ≈ 0.9547
    let s = 15f64.sqrt();
    let v = json(&[
        "--method",
        "hb",
        "--lr",
        &format!("{}", 4.0 / (s + 1.0).powi(2)),
        "--momentum",
        &format!("{}", ((s - 1.0) / (s + 1.0)).powi(2)),
        "--mu",
        "1",
        "--L",
        "15",
    ]);
    assert!((f(&v["one_step_rate"]) - 0.9599).abs() < 1e-4, "{v}");
    assert!((f(&v["rate"]) - 0.9547).abs() < 1e-3, "{v}");
    // window 1 is the one-step analysis: rate = one_step_rate
    let gd = json(&[
        "--method", "gd", "--lr", "0.25", "--mu", "1", "--L", "4", "--window", "1",
    ]);
    assert_eq!(gd["rate"], gd["one_step_rate"]);
    // a window out of 1 ..= 8 is one line, exit 1
    for w in ["0", "9"] {
        assert_bad(
            &[
                "certify",
                "--method",
                "hb",
                "--lr",
                "0.1",
                "--momentum",
                "0.5",
                "--mu",
                "0.1",
                "--L",
                "1",
                "--window",
                w,
            ],
            1,
            "window",
        );
    }
}

/// Issue 27: `certify --steps N --json` carries the PEP's dual multipliers and a worst-case
/// function's samples (`pep`), re-checked here: ‖x_N‖²/‖x₀‖² of the samples is τ_N.
#[cfg(feature = "sdp")]
#[test]
fn certify_steps_sdp_pep_carries_multipliers_and_samples() {
    let v = crate::common::json(&[
        "certify",
        "--method",
        "hb",
        "--lr",
        "0.1",
        "--momentum",
        "0.5",
        "--mu",
        "1",
        "--L",
        "10",
        "--steps",
        "3",
        "--json",
    ]);
    let f = crate::common::f;
    let p = &v["pep"];
    let m = p["multipliers"].as_array().unwrap();
    assert_eq!(m.len(), 12, "{p}");
    assert_eq!(m[0]["i"], "*");
    assert_eq!(m[0]["j"], 0);
    assert!(m.iter().all(|x| f(&x["value"]) >= -1e-9), "{p}");
    let s = &p["worst_case_samples"];
    let xs = s["iterates"].as_array().unwrap();
    assert_eq!(xs.len(), 4);
    assert_eq!(s["points"].as_array().unwrap().len(), 3);
    assert_eq!(s["gradients"].as_array().unwrap().len(), 3);
    assert_eq!(s["values"].as_array().unwrap().len(), 3);
    let sq =
        |x: &serde_json::Value| -> f64 { x.as_array().unwrap().iter().map(|c| f(c).powi(2)).sum() };
    let ratio = sq(&xs[3]) / sq(&xs[0]);
    assert!(
        (ratio - f(&v["worst_factor_squared"])).abs() < 1e-6,
        "{ratio} {v}"
    );
    assert_eq!(p["check"]["passed"], true, "{p}");
}
