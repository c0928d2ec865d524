//! `map --convention X`: maps in a framework's own (lr, momentum) plane, end to end. The default
//! map against `--convention canonical` (same bytes), PyTorch against the canonical kernel's
//! CSV, edges against the closed forms of the EWMA form and of Adam (Cohen et al. 2022), marks
//! against `analyze` of the same setting, and the bad-input contract.

use crate::common::{assert_bad, f, json, run};
use std::path::PathBuf;

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("momentum-mapconv-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// (lr, momentum, radius, stable) of every CSV row.
fn rows(path: &PathBuf) -> Vec<(f64, f64, f64, bool)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (
                c[0].parse().unwrap(),
                c[1].parse().unwrap(),
                c[2].parse().unwrap(),
                c[3] == "true",
            )
        })
        .collect()
}

#[test]
fn canonical_convention_is_the_canonical_map_byte_for_byte() {
    let d = dir("canon");
    for extra in [
        &["--method", "hb"][..],
        &["--method", "nag", "--log-lr"][..],
    ] {
        let (a, b) = (d.join("a.csv"), d.join("b.csv"));
        let base = [
            "map", "--mu", "0.01", "--L", "35", "--grid", "37", "--quiet",
        ];
        for (path, conv) in [(&a, &[][..]), (&b, &["--convention", "canonical"][..])] {
            let mut args: Vec<&str> = base.to_vec();
            args.extend(extra);
            args.extend(conv);
            args.extend(["--csv", path.to_str().unwrap()]);
            assert!(run(&args).status.success(), "{args:?}");
        }
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    }
}

#[test]
fn pytorch_map_equals_the_canonical_map_cell_by_cell() {
    let d = dir("torch");
    let (a, b) = (d.join("canonical.csv"), d.join("pytorch.csv"));
    let common = [
        "map",
        "--mu",
        "0.5",
        "--L",
        "20",
        "--grid",
        "61",
        "--grid-momentum",
        "43",
        "--lr-max",
        "0.25",
        "--momentum-min",
        "0",
        "--momentum-max",
        "1",
    ];
    let mut args = common.to_vec();
    args.extend(["--csv", a.to_str().unwrap()]);
    assert!(run(&args).status.success());
    let mut args = common.to_vec();
    args.extend(["--convention", "pytorch", "--csv", b.to_str().unwrap()]);
    assert!(run(&args).status.success());
    let (ra, rb) = (rows(&a), rows(&b));
    assert_eq!(ra.len(), 61 * 43);
    let mut stable = 0;
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!((x.0, x.1), (y.0, y.1));
        assert!((x.2 - y.2).abs() <= 1e-12 * x.2.max(1.0), "{x:?} vs {y:?}");
        if (x.2 - 1.0).abs() > 1e-12 {
            assert_eq!(x.3, y.3, "{x:?} vs {y:?}");
        }
        stable += usize::from(y.3);
    }
    assert!(stable > 500 && stable < 61 * 43 - 500, "{stable}");
}

#[test]
fn ewma_edge_follows_its_closed_form() {
    // course form: heavy ball at step lr(1 − β): stable iff lr < 2(1 + β)/(L(1 − β))
    let l = 10.0;
    let v = json(&[
        "map",
        "--convention",
        "ewma",
        "--mu",
        "0.1",
        "--L",
        "10",
        "--grid",
        "40",
        "--log-lr",
        "--json",
    ]);
    assert_eq!(v["schema"], "momentum/1");
    assert_eq!(v["convention"], "ewma");
    assert_eq!(v["method"], "heavy ball");
    assert!(v["lookahead"].is_null() && f(&v["cells_per_second"]) > 0.0);
    assert_eq!(v["momentum_range"][0], 0.0);
    let edge = v["edge"].as_array().unwrap();
    assert_eq!(edge.len(), 40);
    for e in edge {
        let b = f(&e["momentum"]);
        let want = 2.0 * (1.0 + b) / (l * (1.0 - b));
        assert!((f(&e["lr_hi"]) - want).abs() <= 1e-13 * want, "{e}");
        assert_eq!(f(&e["lr_lo"]), 0.0);
    }
    // the default axis reaches 1.25x the edge at 90% of the momentum range
    let b90 = 0.9;
    let want = 1.25 * 2.0 * (1.0 + b90) / (l * (1.0 - b90));
    assert!((f(&v["lr_max"]) - want).abs() <= 1e-12 * want);
    assert!((f(&v["lr_min"]) - want * 1e-4).abs() <= 1e-12 * want);
}

#[test]
fn adam_map_with_a_preconditioner_file() {
    let d = dir("adam");
    let v_path = d.join("v.txt");
    std::fs::write(&v_path, "4\n0.25\n1e-4\n").unwrap();
    let (h, v, eps) = ([2.0, 5.0, 0.3], [4.0, 0.25, 1e-4], 1e-8);
    let sharpness = (0..3)
        .map(|i| h[i] / (f64::sqrt(v[i]) + eps))
        .fold(0.0, f64::max);
    let png = d.join("adam.png");
    let base = [
        "map",
        "--convention",
        "adam",
        "--lambda",
        "2",
        "5",
        "0.3",
        "--preconditioner",
        v_path.to_str().unwrap(),
        "--grid",
        "30",
        "--log-lr",
        "--mark",
        "0.01,0.9",
        "--mark",
        "0.3,0.5",
    ];
    let mut args = base.to_vec();
    args.push("--json");
    let doc = json(&args);
    assert_eq!(doc["preconditioned"]["hessian"], "diagonal");
    assert!((f(&doc["L"]) - sharpness).abs() <= 1e-15 * sharpness);
    // Cohen et al. (2022): stable iff the preconditioned sharpness < (2 + 2β₁)/(lr(1 − β₁))
    for e in doc["edge"].as_array().unwrap() {
        let b = f(&e["momentum"]);
        let want = (2.0 + 2.0 * b) / (sharpness * (1.0 - b));
        assert!((f(&e["lr_hi"]) - want).abs() <= 1e-13 * want, "{e}");
    }
    // each mark is what analyze says of the same setting
    for (k, (lr, b)) in [("0.01", "0.9"), ("0.3", "0.5")].into_iter().enumerate() {
        let a = json(&[
            "analyze",
            "--convention",
            "adam",
            "--lr",
            lr,
            "--momentum",
            b,
            "--lambda",
            "2",
            "5",
            "0.3",
            "--preconditioner",
            v_path.to_str().unwrap(),
            "--json",
        ]);
        let m = &doc["marks"][k];
        assert_eq!(f(&m["rate"]), f(&a["spectral_radius"]));
        assert_eq!(m["stable"], a["stable"]);
        let lr: f64 = lr.parse().unwrap();
        let b: f64 = b.parse().unwrap();
        assert_eq!(m["stable"], lr * sharpness < (2.0 + 2.0 * b) / (1.0 - b));
    }
    // the figure
    let mut args = base.to_vec();
    args.extend(["--out", png.to_str().unwrap()]);
    let out = run(&args);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("adam map over preconditioned"), "{text}");
    assert!(text.contains("frozen-preconditioner"), "{text}");
    assert_eq!(&std::fs::read(&png).unwrap()[1..4], b"PNG");
}

#[test]
fn marks_with_weight_decay_agree_with_analyze() {
    for (conv, extra) in [
        (
            "pytorch",
            &["--weight-decay", "0.5", "--dampening", "0.3"][..],
        ),
        ("pytorch", &["--weight-decay", "0.5", "--nesterov"][..]),
        ("keras", &["--weight-decay", "2", "--nesterov"][..]),
        ("qhm", &["--nu", "0.7"][..]),
        ("adamw", &["--weight-decay", "0.4"][..]),
    ] {
        let mut args = vec![
            "map",
            "--convention",
            conv,
            "--mu",
            "0.2",
            "--L",
            "12",
            "--grid",
            "9",
            "--mark",
            "0.05,0.8",
            "--json",
        ];
        args.extend(extra);
        let doc = json(&args);
        assert_eq!(doc["convention"], conv);
        let mut a = vec![
            "analyze",
            "--convention",
            conv,
            "--lr",
            "0.05",
            "--momentum",
            "0.8",
            "--mu",
            "0.2",
            "--L",
            "12",
            "--json",
        ];
        a.extend(extra);
        let an = json(&a);
        assert_eq!(
            f(&doc["marks"][0]["rate"]),
            f(&an["spectral_radius"]),
            "{conv} {extra:?}"
        );
        assert_eq!(doc["marks"][0]["stable"], an["stable"]);
        assert_eq!(doc["marks"][0]["weight_decay"], an["weight_decay"]);
    }
}

#[test]
fn bad_framework_maps_are_one_line() {
    let iv = ["--mu", "1", "--L", "10", "--grid", "8"];
    let bad = |extra: &[&str], code: i32, fragment: &str| {
        let mut args = vec!["map"];
        args.extend(extra);
        args.extend(iv);
        assert_bad(&args, code, fragment);
    };
    // a flag the framework does not have: a usage error naming the frameworks that have it
    bad(
        &["--convention", "ewma", "--nesterov"],
        2,
        "--nesterov is not an argument of ewma",
    );
    bad(
        &["--convention", "rmsprop", "--nu", "0.5"],
        2,
        "an argument of: qhm)",
    );
    bad(
        &["--convention", "pytorch", "--preconditioner", "v.npy"],
        2,
        "an argument of: adam|adamw|rmsprop)",
    );
    bad(&["--nu", "0.5"], 2, "add --convention qhm");
    bad(&["--certified", "--nu", "0.5"], 2, "--certified maps");
    bad(
        &["--convention", "adam", "--momentum-max", "1.5"],
        1,
        "momentum axis (0, 1.5)",
    );
    bad(
        &["--convention", "pytorch", "--momentum-min", "-0.5"],
        1,
        "Invalid momentum value",
    );
    bad(&["--convention", "qhm"], 2, "--nu");
    bad(
        &["--convention", "pytorch", "--lookahead", "0.3"],
        2,
        "--lookahead",
    );
    bad(&["--convention", "pytorch", "--delay", "2"], 2, "--delay");
    bad(
        &["--convention", "pytorch", "--method", "gd"],
        2,
        "--method gd",
    );
    bad(
        &["--convention", "pytorch", "--method", "hb", "--nesterov"],
        2,
        "--nesterov",
    );
    bad(&["--weight-decay", "0.1"], 2, "--convention");
    bad(&["--nesterov"], 2, "--method nag");
    bad(
        &[
            "--convention",
            "pytorch",
            "--nesterov",
            "--dampening",
            "0.5",
        ],
        1,
        "zero dampening",
    );
    bad(
        &["--convention", "keras", "--weight-decay", "-1"],
        1,
        "weight decay",
    );
    bad(
        &["--convention", "ewma", "--dampening", "0.5"],
        2,
        "--dampening is not an argument of ewma (it is an argument of: pytorch)",
    );
    bad(&["--convention", "sgd"], 2, "sgd");
}
