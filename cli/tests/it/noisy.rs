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

/// xorshift64 + Box–Muller.
fn gaussians(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    move || {
        let (u, v) = (uniform(), uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// Issue 23: `analyze --convention adam --preconditioner --noise` gives E‖x − x*‖² in the
/// parameters' coordinates. Against PyTorch's Adam update typed here (m̂/(√v + ε), v frozen,
/// gradients Hx + σξ), 16 seeds; the old answer (the preconditioned spectrum's floor) was
/// ~10⁴ times too small here (the second coordinate has P = 0.01).
#[test]
fn adam_noise_floor_is_in_the_parameters_coordinates() {
    let dir = std::env::temp_dir().join(format!("momentum-adam-noise-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (v_path, h_path) = (dir.join("v.csv"), dir.join("h.csv"));
    let v: [f64; 3] = [4.0, 1e-4, 1.0];
    let h = [[3.0, 0.01, 0.5], [0.01, 0.005, 0.002], [0.5, 0.002, 1.5]];
    std::fs::write(&v_path, "4\n1e-4\n1\n").unwrap();
    let rows: Vec<String> = h
        .iter()
        .map(|r| {
            r.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    std::fs::write(&h_path, rows.join("\n") + "\n").unwrap();
    let (lr, beta1, eps, sigma) = (0.05, 0.6, 1e-8, 0.1);
    let out = json(&[
        "analyze",
        "--convention",
        "adam",
        "--lr",
        "0.05",
        "--momentum",
        "0.6",
        "--spectrum",
        h_path.to_str().unwrap(),
        "--preconditioner",
        v_path.to_str().unwrap(),
        "--noise",
        "0.1",
        "--json",
    ]);
    let n = &out["noise_floor"];
    let floor = f(&n["floor"]);
    let mut total = 0.0;
    let seeds = 16;
    for seed in 0..seeds {
        let mut gauss = gaussians(seed + 1);
        let (mut x, mut m) = ([1.0; 3], [0.0; 3]);
        let (steps, burn) = (60_000, 2_000);
        let mut acc = 0.0;
        for t in 1..=steps {
            let g: Vec<f64> = (0..3)
                .map(|i| (0..3).map(|j| h[i][j] * x[j]).sum::<f64>() + sigma * gauss())
                .collect();
            for i in 0..3 {
                m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
                let m_hat = m[i] / (1.0 - beta1.powi(t.min(10_000)));
                x[i] -= lr * m_hat / (v[i].sqrt() + eps);
            }
            if t > burn {
                acc += x.iter().map(|y| y * y).sum::<f64>();
            }
        }
        total += acc / (steps - burn) as f64;
    }
    let sim = total / seeds as f64;
    assert!(
        (sim - floor).abs() < 0.05 * sim,
        "literal Adam {sim}, analyze {floor}"
    );
    // a diagonal Hessian by --lambda: Σᵢ V(hᵢ/Pᵢ)/Pᵢ²
    let out = json(&[
        "analyze",
        "--convention",
        "rmsprop",
        "--lr",
        "0.01",
        "--momentum",
        "0.5",
        "--lambda",
        "3",
        "0.005",
        "1.5",
        "--preconditioner",
        v_path.to_str().unwrap(),
        "--noise",
        "1",
        "--json",
    ]);
    let (a, b) = (0.01, 0.5);
    let want: f64 = [(3.0, 2.0), (0.005, 0.01), (1.5, 1.0)]
        .iter()
        .map(|&(h, s): &(f64, f64)| {
            let p = s + 1e-8;
            let hh = a * h / p;
            a * a * (1.0 + b) / ((1.0 - b) * hh * (2.0 * (1.0 + b) - hh)) / (p * p)
        })
        .sum();
    let got = f(&out["noise_floor"]["floor"]);
    assert!((got - want).abs() < 1e-10 * want, "{got} vs {want}");
    // without a file the curvatures are taken as preconditioned, and the floor says so
    let out = json(&[
        "analyze",
        "--convention",
        "adam",
        "--lr",
        "0.05",
        "--lambda",
        "1",
        "--noise",
        "1",
        "--json",
    ]);
    assert_eq!(out["noise_floor"]["coordinates"], "preconditioned");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 23: flat directions random-walk and saddles diverge under noise; analyze reports them
/// and no finite floor (it reported the positive curvatures' floor as stationary).
#[test]
fn flat_and_saddle_directions_have_no_noise_floor() {
    let (a, b, s) = (0.2, 0.8, 0.1);
    let v = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.2",
        "--momentum",
        "0.8",
        "--lambda",
        "0",
        "0.5",
        "1",
        "--noise",
        "0.1",
        "--json",
    ]);
    let n = &v["noise_floor"];
    assert_eq!(n["stationary"], false);
    assert!(n["floor"].is_null() && n["per_unit_variance"].is_null());
    assert_eq!(n["random_walk_directions"], 1);
    assert_eq!(n["divergent_directions"], 0);
    // heavy ball at λ = 0: e_k − e_{k−1} is AR(1) with sum of impulse response −α/(1 − β)
    let g = a * a / ((1.0 - b) * (1.0 - b));
    assert!((f(&n["random_walk_growth_per_unit_variance"]) - g).abs() < 1e-12 * g);
    assert!((f(&n["random_walk_growth_per_step"]) - s * s * g).abs() < 1e-12 * g);
    let v = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.2",
        "--momentum",
        "0.8",
        "--lambda",
        "-0.1",
        "0.5",
        "1",
        "--noise",
        "0.1",
        "--json",
    ]);
    let n = &v["noise_floor"];
    assert_eq!(n["stationary"], false);
    assert!(n["floor"].is_null());
    assert_eq!(n["divergent_directions"], 1);
    assert!(n["random_walk_growth_per_step"].is_null());
    // positive curvatures only: unchanged
    let v = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.2",
        "--momentum",
        "0.8",
        "--lambda",
        "0.5",
        "1",
        "--noise",
        "0.1",
        "--json",
    ]);
    assert_eq!(v["noise_floor"]["stationary"], true);
    assert_eq!(v["noise_floor"]["random_walk_directions"], 0);
}

/// Issue 23: simulate --convention qhm injects the noise as QHM's update does (one sample in the
/// fresh gradient and, a step later, in the buffer) and agrees with analyze's two-gradient floor;
/// it fed one gradient per step before (7–12 % off here).
#[test]
fn simulate_qhm_noise_agrees_with_analyze() {
    let common = [
        "--convention",
        "qhm",
        "--lr",
        "0.8",
        "--momentum",
        "0.6",
        "--nu",
        "0.7",
        "--lambda",
        "0.3",
        "0.6",
        "0.9",
        "1.2",
        "--noise",
        "0.5",
        "--json",
    ];
    let an = json(&[&["analyze"][..], &common].concat());
    let floor = f(&an["noise_floor"]["floor"]);
    assert_eq!(an["noise_floor"]["model"], "two_gradients");
    // 4 modes × 4·10⁵ steps, correlation times of a few steps: relative standard error < 0.5 %
    for seed in ["1", "2"] {
        let sim = json(
            &[
                &["simulate", "--steps", "800000", "--quiet", "--seed", seed][..],
                &common,
            ]
            .concat(),
        );
        let (m, p) = (f(&sim["measured_variance"]), f(&sim["predicted_variance"]));
        assert!(
            (p - floor).abs() < 1e-12 * floor,
            "predicted {p}, analyze {floor}"
        );
        assert!(
            (m - floor).abs() < 0.03 * floor,
            "measured {m}, analyze {floor}"
        );
    }
    // the dense form injects the same way
    let sim = json(
        &[
            &["simulate", "--steps", "200000", "--quiet", "--dense"][..],
            &common,
        ]
        .concat(),
    );
    let m = f(&sim["measured_variance"]);
    assert!(
        (m - floor).abs() < 0.05 * floor,
        "dense: measured {m}, analyze {floor}"
    );
}
