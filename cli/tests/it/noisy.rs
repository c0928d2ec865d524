//! `--noise`, `--preconditioner` and the qhm/adam/adamw/rmsprop conventions end to end: JSON
//! numbers against closed forms typed here, and the bad-input contract.

use serde_json::Value;

use crate::common::{assert_bad, run};

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&String::from_utf8(out.stdout).unwrap()).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn analyze_noise_floor_is_the_ar2_variance() {
    // heavy ball (α, β) at λ: σ²α²(1+β)/((1−β)h(2(1+β) − h)), h = αλ
    let (a, b, s) = (0.5, 0.6, 0.1);
    let v = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.5",
        "--momentum",
        "0.6",
        "--lambda",
        "0.2",
        "1",
        "--noise",
        "0.1",
        "--json",
    ]);
    let n = &v["noise_floor"];
    let var = |lam: f64| {
        let h = a * lam;
        a * a * (1.0 + b) / ((1.0 - b) * h * (2.0 * (1.0 + b) - h))
    };
    let total = var(0.2) + var(1.0);
    assert!((f(&n["per_unit_variance"]) - total).abs() < 1e-12 * total);
    assert!((f(&n["floor"]) - s * s * total).abs() < 1e-12 * total);
    assert_eq!(n["model"], "one_gradient");
    assert_eq!(n["stationary"], true);
    assert!((f(&n["per_curvature"][0]["variance"]) - var(0.2)).abs() < 1e-12);
    // unstable: the analysis answers, the floor says there is none
    let v = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "5",
        "--momentum",
        "0.6",
        "--lambda",
        "1",
        "--noise",
        "0.1",
        "--json",
    ]);
    assert_eq!(v["noise_floor"]["stationary"], false);
    assert!(v["noise_floor"]["floor"].is_null());
    // without --noise there is no field
    let v = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.5",
        "--momentum",
        "0.6",
        "--lambda",
        "1",
        "--json",
    ]);
    assert!(v.get("noise_floor").is_none());
}

#[test]
fn qhm_converts_to_its_three_parameters() {
    let v = json(&[
        "convert",
        "--from",
        "qhm",
        "--lr",
        "1",
        "--momentum",
        "0.999",
        "--nu",
        "0.7",
        "--json",
    ]);
    let m = &v["framework_method"];
    assert!((f(&m["step"]) - 0.001).abs() < 1e-15);
    assert!((f(&m["lookahead"]) - 0.999 * 0.3 / 0.001).abs() < 1e-9);
    let r = &v["recurrence"];
    // p₁ = α(1 − νβ), q₁ = αβ(1 − ν)
    assert!((f(&r["p1"]) - (1.0 - 0.7 * 0.999)).abs() < 1e-12);
    assert!((f(&r["q1"]) - 0.999 * 0.3).abs() < 1e-12);
    let v = json(&[
        "analyze",
        "--convention",
        "qhm",
        "--lr",
        "0.5",
        "--momentum",
        "0.9",
        "--nu",
        "0.7",
        "--lambda",
        "1",
        "--noise",
        "1",
        "--json",
    ]);
    assert_eq!(v["convention"], "qhm");
    assert_eq!(v["noise_floor"]["model"], "two_gradients");
}

#[test]
fn adam_preconditioned_edge_and_file() {
    let dir = std::env::temp_dir().join(format!("momentum-adam-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let v_path = dir.join("v.csv");
    let h_path = dir.join("h.csv");
    std::fs::write(&v_path, "4\n0.25\n").unwrap();
    std::fs::write(&h_path, "2\n0.5\n").unwrap();
    // P = (2 + 1e-8, 0.5 + 1e-8): preconditioned curvatures ≈ 1, 1; edge 38/α at β₁ = 0.9
    let v = json(&[
        "analyze",
        "--convention",
        "adam",
        "--lr",
        "0.01",
        "--spectrum",
        h_path.to_str().unwrap(),
        "--preconditioner",
        v_path.to_str().unwrap(),
        "--json",
    ]);
    let p = &v["preconditioned"];
    assert!((f(&p["edge_sharpness"]) - 3800.0).abs() < 1e-9);
    assert!((f(&p["sharpness"]) - 1.0).abs() < 1e-7);
    assert_eq!(p["hessian"], "diagonal");
    assert!(
        p["analysis"]
            .as_str()
            .unwrap()
            .contains("frozen-preconditioner")
    );
    // heavy ball (α(1−β₁), β₁) at λ̃ = 1 is stable up to lr = 38
    assert!((f(&v["largest_stable_lr"]) - 38.0 * (1.0 + 1e-8 / 2.0)).abs() < 1e-4);
    // simulate takes the same preconditioned spectrum
    let s = json(&[
        "simulate",
        "--convention",
        "rmsprop",
        "--lr",
        "0.1",
        "--momentum",
        "0.5",
        "--lambda",
        "2",
        "0.5",
        "--preconditioner",
        v_path.to_str().unwrap(),
        "--steps",
        "50",
        "--json",
    ]);
    assert!(f(&s["predicted_rate"]) < 1.0);
    assert_bad(
        &[
            "analyze",
            "--convention",
            "pytorch",
            "--lr",
            "0.1",
            "--lambda",
            "1",
            "--preconditioner",
            v_path.to_str().unwrap(),
        ],
        2,
        "--preconditioner applies to",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "adam",
            "--lr",
            "0.1",
            "--kappa",
            "10",
            "--preconditioner",
            v_path.to_str().unwrap(),
        ],
        2,
        "--preconditioner needs",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "adam",
            "--lr",
            "0.1",
            "--lambda",
            "1",
            "2",
            "3",
            "--preconditioner",
            v_path.to_str().unwrap(),
        ],
        1,
        "must match",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn simulate_compares_measured_and_predicted_floors() {
    let v = json(&[
        "simulate",
        "--method",
        "hb",
        "--lr",
        "0.5",
        "--momentum",
        "0.6",
        "--mu",
        "0.2",
        "--L",
        "1",
        "--dim",
        "20",
        "--steps",
        "200000",
        "--noise",
        "0.3",
        "--quiet",
        "--json",
    ]);
    let (m, p) = (f(&v["measured_variance"]), f(&v["predicted_variance"]));
    assert!((m - p).abs() < 0.05 * p, "measured {m}, predicted {p}");
}

#[test]
fn noise_bad_input() {
    assert_bad(
        &[
            "analyze",
            "--method",
            "hb",
            "--lr",
            "0.5",
            "--momentum",
            "0.6",
            "--lambda",
            "1",
            "--noise",
            "-1",
        ],
        2,
        "--noise is a standard deviation",
    );
    assert_bad(
        &["convert", "--from", "qhm", "--lr", "1", "--momentum", "0.9"],
        1,
        "QHM needs both",
    );
    assert_bad(
        &[
            "convert",
            "--from",
            "adam",
            "--lr",
            "1",
            "--weight-decay",
            "0.1",
        ],
        1,
        "adamw",
    );
    assert_bad(
        &["convert", "--from", "pytorch", "--lr", "1", "--nu", "0.5"],
        1,
        "nu exists only",
    );
}

#[test]
fn qhm_at_nu_zero_reports_the_iterates_rate_and_the_state_rate_apart() {
    // x_{k+1} = (1 − αλ)x_k: the iterate converges at 0.5; the buffer's β = 0.9 never reaches it
    let v = json(&[
        "analyze",
        "--convention",
        "qhm",
        "--lr",
        "0.5",
        "--momentum",
        "0.9",
        "--nu",
        "0",
        "--lambda",
        "1",
        "--json",
    ]);
    assert_eq!(f(&v["spectral_radius"]), 0.5, "{v}");
    assert_eq!(f(&v["state_spectral_radius"]), 0.9, "{v}");
    assert_eq!(f(&v["stable_lr"]["hi"]), 2.0, "{v}");
    // a map mark at the same setting, and a setting with every root observable (ν = 0.7)
    let m = json(&[
        "map",
        "--convention",
        "qhm",
        "--nu",
        "0",
        "--lambda",
        "1",
        "--grid",
        "8",
        "--mark",
        "0.5,0.9",
        "--json",
    ]);
    assert_eq!(f(&m["marks"][0]["rate"]), 0.5, "{m}");
    let v = json(&[
        "analyze",
        "--convention",
        "qhm",
        "--lr",
        "0.5",
        "--momentum",
        "0.9",
        "--nu",
        "0.7",
        "--lambda",
        "1",
        "--json",
    ]);
    assert!(
        (f(&v["spectral_radius"]) - 0.765f64.sqrt()).abs() < 1e-15,
        "{v}"
    );
    assert_eq!(v["state_spectral_radius"], v["spectral_radius"]);
}
