//! Schedules on the command line: the document equals a direct evaluation of the framework's
//! update lines, named shapes and files give the same answer, the gapped cycle its closed form,
//! and bad input one line with exit 2 (usage) or 1 (value).

use super::common::{assert_bad, f, json};

/// PyTorch SGD (momentum 0.9, dampening 0.5) with a StepLR-like file: the reported worst factor
/// over listed eigenvalues is the max of |x_N| from PyTorch's own lines, typed here.
#[test]
fn bound_with_a_file_is_pytorch_run_literally() {
    let dir = std::env::temp_dir().join(format!("momentum-sched-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lr.txt");
    let lr: Vec<f64> = (0..60).map(|t| 0.5 * 0.5f64.powi(t / 20)).collect();
    std::fs::write(
        &path,
        lr.iter().map(|x| format!("{x:e}\n")).collect::<String>(),
    )
    .unwrap();
    let lams = [0.05, 0.3, 1.0, 3.0];
    let d = json(&[
        "bound",
        "--convention",
        "pytorch",
        "--momentum",
        "0.9",
        "--dampening",
        "0.5",
        "--lambda",
        "0.05",
        "0.3",
        "1",
        "3",
        "--lr-schedule",
        path.to_str().unwrap(),
        "--json",
    ]);
    let mut worst = 0.0f64;
    for lam in lams {
        let (mut x, mut buf) = (1.0f64, None::<f64>);
        for &a in &lr {
            let g = lam * x;
            let b = match buf {
                None => g,
                Some(b) => 0.9 * b + 0.5 * g,
            };
            buf = Some(b);
            x -= a * b;
        }
        worst = worst.max(x.abs());
    }
    assert_eq!(d["steps"], 60);
    assert_eq!(d["over"], "eigenvalues");
    assert!(
        (f(&d["worst_factor"]) - worst).abs() <= 1e-12 * worst,
        "{d}"
    );
    assert_eq!(d["lr_source"]["kind"], "file");
    assert_eq!(d["schedule"]["source"]["lr"]["kind"], "file");
    assert!(d["schedule"]["source"]["momentum"].is_null());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_named_shape_and_its_values_in_a_file_agree() {
    let dir = std::env::temp_dir().join(format!("momentum-shape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wc.txt");
    // optax's warmup_cosine_decay_schedule(0, 3, 20, 200) written out
    let v: String = (0..200)
        .map(|t| {
            let t = t as f64;
            let x = if t < 20.0 {
                3.0 * t / 20.0
            } else {
                1.5 * (1.0 + (std::f64::consts::PI * (t - 20.0) / 180.0).cos())
            };
            format!("{x:.17e}\n")
        })
        .collect();
    std::fs::write(&path, v).unwrap();
    let common = [
        "analyze",
        "--convention",
        "optax",
        "--momentum",
        "0.9",
        "--mu",
        "0.01",
        "--L",
        "1",
        "--json",
        "--lr-schedule",
    ];
    let a = json(
        &[
            &common[..],
            &["warmup_cosine_decay_schedule(0, 3, 20, 200)"],
        ]
        .concat(),
    );
    let b = json(&[&common[..], &[path.to_str().unwrap()]].concat());
    for k in [
        "worst_factor",
        "worst_lambda",
        "peak_factor",
        "at_mu",
        "at_L",
    ] {
        let (x, y) = (f(&a[k]), f(&b[k]));
        assert!((x - y).abs() <= 1e-9 * x.abs(), "{k}: {x} vs {y}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn periodic_heavy_ball_cycle_and_its_stable_scale() {
    let d = json(&[
        "analyze",
        "--method",
        "hb",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
        "--lr-schedule",
        "cyclic(0.5, 2.5, 1)",
        "--periodic",
        "--json",
    ]);
    // analyze --periodic: the per-step rate on top, the finite horizon under "horizon"
    let p = &d;
    assert!(d["horizon"]["worst_factor"].is_number());
    assert!((f(&p["spectral_radius"]) - (1.0 + 3f64.sqrt()) / 2.0).abs() < 1e-13);
    assert_eq!(p["stable"], false);
    // the scaled period s·(0.5, 2.5): at the edge the monodromy has an eigenvalue on the circle;
    // trace of M = (1.5 − 0.5s)(1.5 − 2.5s) − 1, det 1/4: |tr| = 1 + 1/4 at the edge
    let s = f(&p["stable_scale"]["hi"]);
    let tr = (1.5 - 0.5 * s) * (1.5 - 2.5 * s) - 1.0;
    assert!((tr.abs() - 1.25).abs() < 1e-9, "s = {s}, tr = {tr}");
}

#[test]
fn gapped_cycle_is_goujaud_et_al_closed_form() {
    let d = json(&["tune", "--gap", "0.01:0.1,0.91:1", "--json"]);
    let (c, w, g) = (0.505f64, 0.495f64, 0.405f64);
    let q0 = (2.0 * c * c - w * w - g * g) / (w * w - g * g);
    let want = (q0 + (q0 * q0 - 1.0).sqrt()).powf(-0.5);
    // the optimum puts double roots on the circle: the sampled worst rate is good to ~√ε there
    assert!((f(&d["rate"]) - want).abs() < 1e-7, "{d}");
    assert!((f(&d["closed_form_rate"]) - want).abs() < 1e-14, "{d}");
    assert!((f(&d["rate"]) - 0.70857).abs() < 5e-6);
    assert!(f(&d["polyak_rate"]) > 0.8181);
}

#[test]
fn bad_schedules_are_one_line_errors() {
    let base = [
        "bound",
        "--method",
        "hb",
        "--momentum",
        "0.5",
        "--mu",
        "0.1",
        "--L",
        "1",
    ];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        [base, extra].concat()
    }
    assert_bad(
        &with(&base, &["--lr-schedule", "no_such_schedule(1)"]),
        2,
        "unknown shape",
    );
    assert_bad(
        &with(&base, &["--lr-schedule", "linear_schedule(1.0)"]),
        2,
        "needs `end_value`",
    );
    assert_bad(
        &with(&base, &["--lr-schedule", "exponential_decay(1, 10, 0.5)"]),
        2,
        "--steps",
    );
    assert_bad(
        &with(
            &base,
            &["--lr", "0.1", "--lr-schedule", "cyclic(0.5, 2.5, 1)"],
        ),
        2,
        "not both",
    );
    assert_bad(&with(&base, &[]), 2, "--steps is required");
    // a huge run is refused before its values are allocated (was an allocation abort)
    for extra in [
        &[
            "--lr-schedule",
            "cosine_decay_schedule(1, 100)",
            "--steps",
            "4000000000",
        ][..],
        &["--lr-schedule", "cosine_decay_schedule(1, 1e12)"][..],
    ] {
        assert_bad(&with(&base, extra), 1, "schedule length");
    }
    assert_bad(
        &with(&base, &["--periodic", "--steps", "3"]),
        2,
        "--periodic and --switching need",
    );
    assert_bad(
        &with(&base, &["--lr-schedule", "/no/such/file.txt"]),
        1,
        "file.txt",
    );
    let dir = std::env::temp_dir().join(format!("momentum-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("neg.txt");
    std::fs::write(&p, "0.1\n-0.2\n").unwrap();
    assert_bad(
        &with(&base, &["--lr-schedule", p.to_str().unwrap()]),
        1,
        "schedule at step 1",
    );
    std::fs::remove_dir_all(&dir).ok();
    assert_bad(
        &["tune", "--gap", "0.1:0.01,0.5:1"],
        2,
        "gapped spectrum needs",
    );
}

#[test]
fn simulate_with_a_schedule_matches_the_exact_factor() {
    let d = json(&[
        "simulate",
        "--convention",
        "optax",
        "--momentum",
        "0.9",
        "--mu",
        "0.01",
        "--L",
        "1",
        "--dim",
        "40",
        "--dense",
        "--lr-schedule",
        "warmup_cosine_decay_schedule(0, 3, 20, 300)",
        "--json",
    ]);
    let (m, p) = (f(&d["final_error"]), f(&d["predicted_final_error"]));
    assert!((m - p).abs() <= 1e-9 * p, "{d}");
    assert!(f(&d["max_ratio_to_worst_case"]) <= 1.0 + 1e-12);
    assert_eq!(d["steps"], 300);
}

#[test]
fn switching_bounds_on_the_command_line() {
    let d = json(&[
        "analyze",
        "--method",
        "hb",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
        "--lr-schedule",
        "cyclic(0.5, 2.5, 1)",
        "--switching",
        "--json",
    ]);
    assert!(
        (f(&d["lower"]) - (1.0 + 3f64.sqrt()) / 2.0).abs() < 1e-12,
        "{d}"
    );
    assert_eq!(d["unstable_order_exists"], true);
    assert_bad(
        &[
            "analyze",
            "--method",
            "hb",
            "--momentum",
            "0.5",
            "--lambda",
            "1",
            "--switching",
        ],
        2,
        "--switching need",
    );
}
