//! Issue 11's practitioner commands, each run exactly as the issue writes it, checked against an
//! independent route (a second CLI path, a closed form, or the framework's own update lines).

use crate::common::{assert_bad, f, json, run};
use serde_json::Value;

fn four(v: &Value) -> [f64; 4] {
    let r = &v["recurrence"];
    [f(&r["p0"]), f(&r["p1"]), f(&r["q0"]), f(&r["q1"])]
}

/// `--lr 1.35e154 --momentum 0.5 --lambda 1`: c₁² overflows f64 but the roots do not.
#[test]
fn huge_step_with_representable_roots_is_analysed() {
    let v = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "1.35e154",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
        "--json",
    ]);
    assert_eq!(v["stable"], false);
    let c = &v["curvatures"][0];
    let (r1, r2) = (f(&c["roots"][0]["re"]), f(&c["roots"][1]["re"]));
    // Vieta on c₁ = 1.5 − 1.35e154, c₀ = 0.5
    assert!(((r1 + r2) / (1.5 - 1.35e154) - 1.0).abs() < 1e-15);
    assert!((r1 * r2 / 0.5 - 1.0).abs() < 1e-15);
    assert_eq!(f(&v["spectral_radius"]), r1.abs());
    assert_eq!(c["regime"], "alternating");
    // the table says it too, and the stable steps at this momentum are still (0, 3)
    let out = run(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "1.35e154",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
    ]);
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("0 < lr < 3")
    );
}

/// Weight decay never prints `"method": null`.
#[test]
fn weight_decay_keeps_the_method() {
    for conv in ["pytorch", "optax", "keras"] {
        let v = json(&[
            "analyze",
            "--convention",
            conv,
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--weight-decay",
            "0.01",
            "--lambda",
            "1",
            "--json",
        ]);
        assert_eq!(v["method"]["step"], 0.1, "{conv}");
        assert_eq!(v["method"]["momentum"], 0.9, "{conv}");
        let on = if conv == "keras" {
            "decoupled_decay"
        } else {
            "lambda_plus_weight_decay"
        };
        assert_eq!(v["method_on"], on);
    }
}

/// `convert --to`: the target's arguments, read back by `convert --from target`, run the
/// recurrence we started from (two CLI paths: express, then convert).
#[test]
fn convert_to_writes_arguments_that_run_the_same_recurrence() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--from", "pytorch", "--lr", "0.1", "--momentum", "0.9"],
            "ewma",
        ),
        (
            &[
                "--from",
                "pytorch",
                "--lr",
                "0.1",
                "--momentum",
                "0.9",
                "--nesterov",
            ],
            "keras",
        ),
        (
            &["--from", "ewma", "--lr", "0.87", "--momentum", "0.9"],
            "pytorch",
        ),
        (
            &[
                "--from",
                "keras",
                "--lr",
                "0.05",
                "--momentum",
                "0.8",
                "--nesterov",
            ],
            "sutskever",
        ),
        (
            &[
                "--from",
                "pytorch",
                "--lr",
                "0.1",
                "--momentum",
                "0.9",
                "--weight-decay",
                "0.01",
            ],
            "optax",
        ),
        (
            &[
                "--from",
                "optax",
                "--lr",
                "0.1",
                "--momentum",
                "0.9",
                "--weight-decay",
                "0.5",
            ],
            "pytorch",
        ),
        (
            &[
                "--from",
                "keras",
                "--lr",
                "0.1",
                "--momentum",
                "0.9",
                "--weight-decay",
                "0.01",
            ],
            "keras",
        ),
        (
            &[
                "--from",
                "pytorch",
                "--lr",
                "0.1",
                "--momentum",
                "0.9",
                "--dampening",
                "0.5",
            ],
            "physics",
        ),
        (
            &[
                "--from",
                "sutskever",
                "--lr",
                "0.02",
                "--momentum",
                "0.95",
                "--nesterov",
            ],
            "canonical",
        ),
    ];
    for (from, to) in cases {
        let mut args = vec!["convert"];
        args.extend_from_slice(from);
        args.extend(["--to", to, "--json"]);
        let v = json(&args);
        let t = &v["to"];
        assert_eq!(t["framework"], *to);
        let (lr, b) = (f(&t["lr"]).to_string(), f(&t["momentum"]).to_string());
        let mut back = vec![
            "convert",
            "--from",
            to,
            "--lr",
            &lr,
            "--momentum",
            &b,
            "--json",
        ];
        if t["nesterov"] == true {
            back.push("--nesterov");
        }
        let w = t["weight_decay"].as_f64().map(|w| w.to_string());
        if let Some(w) = &w {
            back.extend(["--weight-decay", w]);
        }
        let r = json(&back);
        for (x, y) in four(&v).iter().zip(four(&r)) {
            assert!(
                (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs()),
                "{args:?}: {x} vs {y}"
            );
        }
        assert!(t["code"].as_str().unwrap().contains(&lr), "{}", t["code"]);
    }
    // the PyTorch call is the one torch takes
    let v = json(&[
        "convert",
        "--from",
        "ewma",
        "--lr",
        "0.5",
        "--momentum",
        "0.9",
        "--to",
        "pytorch",
        "--json",
    ]);
    assert_eq!(
        v["to"]["code"],
        format!(
            "torch.optim.SGD(params, lr={}, momentum=0.9, nesterov=False)",
            0.5 * (1.0 - 0.9)
        )
    );
    // frameworks that cannot run it say why, in one line, exit 1
    assert_bad(
        &[
            "convert",
            "--from",
            "pytorch",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--nesterov",
            "--to",
            "ewma",
        ],
        1,
        "no Nesterov variant",
    );
    assert_bad(
        &[
            "convert",
            "--from",
            "pytorch",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--weight-decay",
            "0.01",
            "--to",
            "keras",
        ],
        1,
        "decoupled",
    );
    assert_bad(
        &[
            "convert",
            "--from",
            "keras",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--weight-decay",
            "0.01",
            "--to",
            "pytorch",
        ],
        1,
        "decoupled",
    );
    assert_bad(
        &[
            "convert",
            "--from",
            "canonical",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--to",
            "pytorch",
            "--to",
            "keras",
        ],
        2,
        "--to",
    );
    assert_bad(
        &[
            "convert",
            "--from",
            "pytorch",
            "--lr",
            "0.1",
            "--momentum",
            "-0.5",
            "--to",
            "keras",
        ],
        1,
        "momentum",
    );
}

fn tuned<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {v}"))
}

/// `tune --convention ewma --lr 0.03` reads 0.03 as EWMA's lr (the command), and tune
/// answers in the user's convention with the framework switches accepted.
#[test]
fn tune_reads_lr_in_the_users_convention() {
    let v = json(&[
        "tune",
        "--convention",
        "ewma",
        "--lr",
        "0.03",
        "--mu",
        "1",
        "--L",
        "100",
        "--json",
    ]);
    let m = tuned(&v, "heavy_ball_momentum_for_lr");
    assert_eq!(f(&m["framework"]["lr"]), 0.03);
    let b = f(&m["framework"]["momentum"]);
    // EWMA runs α = lr·(1 − β)
    assert!((f(&m["step"]) - 0.03 * (1.0 - b)).abs() < 1e-17);
    // second route: Polyak's optimum for κ = 100 written in EWMA arguments is found again when
    // its lr (or its momentum) is held
    let (a, beta) = (4.0 / 121.0, 81.0 / 121.0);
    let lr = (a / (1.0 - beta)).to_string();
    let v = json(&[
        "tune",
        "--convention",
        "ewma",
        "--lr",
        &lr,
        "--mu",
        "1",
        "--L",
        "100",
        "--json",
    ]);
    let m = tuned(&v, "heavy_ball_momentum_for_lr");
    assert!((f(&m["framework"]["momentum"]) - beta).abs() < 1e-6, "{m}");
    assert!((f(&m["rate"]) - 9.0 / 11.0).abs() < 1e-6);
    let v = json(&[
        "tune",
        "--convention",
        "ewma",
        "--momentum",
        &beta.to_string(),
        "--mu",
        "1",
        "--L",
        "100",
        "--json",
    ]);
    let m = tuned(&v, "heavy_ball_lr_for_momentum");
    assert!(
        (f(&m["framework"]["lr"]) / (a / (1.0 - beta)) - 1.0).abs() < 1e-6,
        "{m}"
    );
    // PyTorch's dampening halves the step: the best lr at momentum 0.5 is twice the closed form
    // α = 2(1 + β)/(μ + L)
    let v = json(&[
        "tune",
        "--convention",
        "pytorch",
        "--dampening",
        "0.5",
        "--momentum",
        "0.5",
        "--method",
        "hb",
        "--mu",
        "1",
        "--L",
        "100",
        "--json",
    ]);
    let m = tuned(&v, "heavy_ball_lr_for_momentum");
    assert!(
        (f(&m["framework"]["lr"]) / (2.0 * 3.0 / 101.0) - 1.0).abs() < 1e-6,
        "{m}"
    );
    assert_eq!(f(&m["framework"]["dampening"]), 0.5);
    // coupled weight decay w: the optimizer sees [μ + w, L + w], where Polyak's rate is
    // (√κ' − 1)/(√κ' + 1), κ' = (L + w)/(μ + w)
    let v = json(&[
        "tune",
        "--convention",
        "pytorch",
        "--weight-decay",
        "0.01",
        "--mu",
        "1",
        "--L",
        "100",
        "--method",
        "hb",
        "--json",
    ]);
    let k = (100.01f64 / 1.01).sqrt();
    let m = tuned(&v, "heavy_ball");
    assert!((f(&m["rate"]) - (k - 1.0) / (k + 1.0)).abs() < 1e-6, "{m}");
    assert_eq!(f(&m["framework"]["weight_decay"]), 0.01);
    // --nesterov and --method nesterov are accepted; at lr = 0.01 = 1/L Nesterov's best momentum
    // is the standard (1 − √(αμ))/(1 + √(αμ)) = 0.9/1.1 with rate 1 − √(αμ) = 0.9
    for args in [
        vec!["--nesterov", "--convention", "pytorch"],
        vec!["--method", "nesterov", "--convention", "pytorch"],
        vec!["--method", "nesterov"],
    ] {
        let mut a = vec!["tune", "--lr", "0.01", "--mu", "1", "--L", "100", "--json"];
        a.extend(args.iter().copied());
        let v = json(&a);
        let ms = v["methods"].as_array().unwrap();
        assert_eq!(ms.len(), 1, "{a:?}");
        assert!(
            (f(&ms[0]["momentum"]) - 0.9 / 1.1).abs() < 1e-6,
            "{a:?}: {}",
            ms[0]
        );
        assert!((f(&ms[0]["rate"]) - 0.9).abs() < 1e-6);
    }
    assert_bad(
        &["tune", "--weight-decay", "0.1", "--kappa", "10"],
        2,
        "--convention",
    );
    assert_bad(
        &["tune", "--nesterov", "--method", "hb", "--kappa", "10"],
        2,
        "--nesterov",
    );
    assert_bad(
        &[
            "tune",
            "--convention",
            "ewma",
            "--nesterov",
            "--lr",
            "0.1",
            "--kappa",
            "10",
        ],
        1,
        "no Nesterov variant",
    );
    assert_bad(
        &[
            "tune",
            "--convention",
            "pytorch",
            "--lr",
            "-0.1",
            "--kappa",
            "10",
        ],
        1,
        "lr",
    );
}

/// PyTorch's SGD, one coordinate of curvature λ from x₀ = 1 (its buffer starts as the first
/// gradient, undampened): |x_N|.
fn torch_sgd(lr: f64, b: f64, damp: f64, nesterov: bool, lam: f64, n: usize) -> f64 {
    let (mut x, mut buf) = (1.0f64, None::<f64>);
    for _ in 0..n {
        let g = lam * x;
        let nb = buf.map_or(g, |v| b * v + (1.0 - damp) * g);
        buf = Some(nb);
        x -= lr * if nesterov { g + b * nb } else { nb };
    }
    x.abs()
}

/// `bound`/`simulate --convention pytorch --dampening` start as PyTorch starts.
#[test]
fn bound_and_simulate_start_as_the_framework_starts() {
    for (n, lam) in [(1usize, 2.0), (3, 2.0), (25, 7.5)] {
        let (ns, ls) = (n.to_string(), lam.to_string());
        let v = json(&[
            "bound",
            "--convention",
            "pytorch",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--dampening",
            "0.5",
            "--lambda",
            &ls,
            "--steps",
            &ns,
            "--json",
        ]);
        assert_eq!(v["start_from"], "framework");
        let want = torch_sgd(0.1, 0.9, 0.5, false, lam, n);
        assert!((f(&v["worst_factor"]) - want).abs() <= 1e-13 * want, "{v}");
        let v = json(&[
            "simulate",
            "--convention",
            "pytorch",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--dampening",
            "0.5",
            "--lambda",
            &ls,
            "--steps",
            &ns,
            "--json",
        ]);
        assert_eq!(v["start_from"], "framework");
        assert!((f(&v["final_error"]) - want).abs() <= 1e-13 * want, "{v}");
        assert!((f(&v["worst_factor"]) - want).abs() <= 1e-13 * want, "{v}");
        // PyTorch's Nesterov parameters are the look-ahead point: e₁ = 1 − lr(1 + β)λ
        let v = json(&[
            "bound",
            "--convention",
            "pytorch",
            "--lr",
            "0.01",
            "--momentum",
            "0.9",
            "--nesterov",
            "--lambda",
            &ls,
            "--steps",
            &ns,
            "--json",
        ]);
        let want = torch_sgd(0.01, 0.9, 0.0, true, lam, n);
        assert!((f(&v["worst_factor"]) - want).abs() <= 1e-13 * want, "{v}");
    }
    // without a framework switch the start is the same as from rest, and is reported as such
    let v = json(&[
        "bound",
        "--convention",
        "pytorch",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--mu",
        "1",
        "--L",
        "10",
        "--steps",
        "20",
        "--json",
    ]);
    assert_eq!(v["start_from"], "rest");
    assert_eq!(f(&v["first_step"]["a0"]), 1.0);
}

/// `map --method nag --mu 0.01 --L 35` with a log step axis and marks: the stored cells sit at
/// log-spaced steps (CSV), each cell's ρ is the worst case of `analyze` at that setting (a second
/// path), and the figure is written.
#[test]
fn map_with_a_log_step_axis_and_marks() {
    let dir = std::env::temp_dir().join(format!("momentum-log-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("m.csv");
    let png = dir.join("m.png");
    let v = json(&[
        "map",
        "--method",
        "nag",
        "--mu",
        "0.01",
        "--L",
        "35",
        "--grid",
        "40",
        "--log-lr",
        "--lr-min",
        "1e-5",
        "--lr-max",
        "0.1",
        "--mark",
        "0.01,0.9",
        "--mark",
        "0.02,0.5",
        "--csv",
        csv.to_str().unwrap(),
        "--out",
        png.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(f(&v["lr_min"]), 1e-5);
    assert_eq!(v["marks"].as_array().unwrap().len(), 2);
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(3).map(|x| x.parse().unwrap()).collect())
        .collect();
    // column i's step is 1e-5·(1e4)^((i + ½)/40)
    for (i, r) in rows.iter().take(40).enumerate() {
        let want = 1e-5 * 1e4f64.powf((i as f64 + 0.5) / 40.0);
        assert!(
            (r[0] / want - 1.0).abs() < 1e-12,
            "column {i}: {} vs {want}",
            r[0]
        );
    }
    for r in rows.iter().step_by(97) {
        let a = json(&[
            "analyze",
            "--method",
            "nag",
            "--lr",
            &r[0].to_string(),
            "--momentum",
            &r[1].to_string(),
            "--mu",
            "0.01",
            "--L",
            "35",
            "--json",
        ]);
        let rho = f(&a["spectral_radius"]);
        if rho < 1.0 {
            assert!((rho - r[2]).abs() <= 1e-12, "{r:?} vs analyze {rho}");
        }
    }
    for m in v["marks"].as_array().unwrap() {
        let a = json(&[
            "analyze",
            "--method",
            "nag",
            "--lr",
            &f(&m["lr"]).to_string(),
            "--momentum",
            &f(&m["momentum"]).to_string(),
            "--mu",
            "0.01",
            "--L",
            "35",
            "--json",
        ]);
        assert_eq!(f(&a["spectral_radius"]), f(&m["rate"]));
    }
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    assert_bad(
        &["map", "--lr-min", "1e-3", "--grid", "8", "--kappa", "10"],
        2,
        "--log-lr",
    );
    assert_bad(
        &[
            "map", "--log-lr", "--lr-min", "1", "--lr-max", "0.5", "--grid", "8", "--kappa", "10",
        ],
        1,
        "lr-min",
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `report --kappa`, `--spectrum` and a setting: the same sections for the user's case.
#[test]
fn report_about_my_setting() {
    let dir = std::env::temp_dir().join(format!("momentum-report-{}", std::process::id()));
    let out = run(&[
        "report",
        "--kappa",
        "100",
        "--convention",
        "pytorch",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "$ momentum analyze --kappa 100 --convention pytorch --lr 0.1 --momentum 0.9",
        "$ momentum tune --mu 0.01 --L 1 --convention pytorch",
        "--steps 100",
        "--mark 0.1,0.9",
        // the setting's own numbers, as analyze computes them: ρ = max root at λ = 0.01
        "0.988873",
        // Polyak's tuning in PyTorch's arguments
        "pytorch: lr=3.30578",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    assert!(dir.join("your_map.png").exists());
    std::fs::remove_dir_all(&dir).ok();
    // a spectrum file alone: the spectrum and the tunings
    let spec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/spectra/hessian_null_saddle.npy"
    );
    let out = run(&["report", "--spectrum", spec, "--no-figures"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("flat") && text.contains("$ momentum tune --mu"),
        "{text}"
    );
    // a setting without curvatures is a usage error, in one line
    assert_bad(
        &["report", "--lr", "0.1", "--momentum", "0.9"],
        2,
        "curvatures",
    );
}
