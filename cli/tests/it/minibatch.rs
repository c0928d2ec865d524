//! `--batch B` on `analyze`, `bound`, `tune` and `simulate`: the `minibatch` block equals the
//! library's `momentum::minibatch` bit for bit, the user's convention is honoured (EWMA's lr is
//! the canonical step over 1 − β), the issue's numbers, a Monte Carlo inside its standard error,
//! and the bad-input contract.

use super::common::{assert_bad, f, json};
use momentum::minibatch::{Batch, Gaussian, critical_batch};
use momentum::setting::Setting;
use momentum::{Framework, Spectrum};

fn harmonic(n: usize) -> Vec<String> {
    (1..=n).map(|i| (1.0 / i as f64).to_string()).collect()
}

fn with<'a>(base: &[&'a str], lambdas: &'a [String]) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.push("--lambda");
    v.extend(lambdas.iter().map(String::as_str));
    v
}

#[test]
fn analyze_block_is_the_library_and_the_issues_numbers() {
    let l = harmonic(100);
    for (b, edge) in [("1", 0.0360375650119165), ("64", 1.7754829110820036)] {
        let d = json(&with(
            &[
                "analyze",
                "--method",
                "hb",
                "--lr",
                "0.05",
                "--momentum",
                "0.9",
                "--batch",
                b,
                "--json",
            ],
            &l,
        ));
        let m = &d["minibatch"];
        assert_eq!(m["batch"].as_u64().unwrap().to_string(), b);
        assert_eq!(m["data"], "gaussian");
        assert_eq!(m["dim"], 100);
        let hi = f(&m["largest_stable_lr"]);
        assert!((hi - edge).abs() < 1e-9 * edge, "B = {b}: {hi}");
        assert_eq!(f(&m["stable_lr"]["hi"]), hi);
        assert_eq!(f(&m["full_batch_largest_stable_lr"]), 3.8);
        assert_eq!(m["stable"], b == "64");
        // the document's own fields are untouched
        assert_eq!(f(&d["largest_stable_lr"]), 3.8);
    }
    // the same through the library
    // the CLI's spectrum lists the eigenvalues sorted; the sums of the criterion run in that
    // order (another order moves the edge by an ulp)
    let eig = Spectrum::eigenvalues((1..=100).map(|i| 1.0 / i as f64).collect::<Vec<_>>())
        .unwrap()
        .listed();
    let g = Gaussian::eigenvalues(eig.clone(), Batch::new(64).unwrap(), 0.0).unwrap();
    let setting = Setting {
        method: Some("hb".parse().unwrap()),
        lr: Some(0.03),
        momentum: Some(0.9),
        ..Default::default()
    };
    let r = setting
        .resolve(&Spectrum::eigenvalues(eig).unwrap())
        .unwrap();
    let iv = g.stable_steps(|lr| r.at_lr(lr)).unwrap().unwrap();
    let d = json(&with(
        &[
            "analyze",
            "--method",
            "hb",
            "--lr",
            "0.03",
            "--momentum",
            "0.9",
            "--batch",
            "64",
            "--json",
        ],
        &l,
    ));
    assert_eq!(f(&d["minibatch"]["largest_stable_lr"]), iv.hi);
    assert_eq!(
        f(&d["minibatch"]["mean_square_rate"]),
        g.rate(&r.converted.recurrence).unwrap()
    );
}

#[test]
fn the_users_convention_and_label_noise() {
    // EWMA: v = βv + (1−β)g, x −= lr·v is heavy ball at α = lr(1 − β): its mean-square edge in
    // lr is the canonical one over 1 − β
    let l = harmonic(20);
    let canon = json(&with(
        &[
            "analyze",
            "--method",
            "hb",
            "--lr",
            "0.01",
            "--momentum",
            "0.8",
            "--batch",
            "4",
            "--json",
        ],
        &l,
    ));
    let ewma = json(&with(
        &[
            "analyze",
            "--convention",
            "ewma",
            "--lr",
            "0.05",
            "--momentum",
            "0.8",
            "--batch",
            "4",
            "--label-noise",
            "0.5",
            "--json",
        ],
        &l,
    ));
    let a = f(&canon["minibatch"]["largest_stable_lr"]);
    let e = f(&ewma["minibatch"]["largest_stable_lr"]);
    assert!((e * (1.0 - 0.8) - a).abs() < 1e-12 * a, "{e} vs {a}");
    // same canonical setting (0.05 · 0.2 = 0.01): same rate
    let (r1, r2) = (
        f(&canon["minibatch"]["mean_square_rate"]),
        f(&ewma["minibatch"]["mean_square_rate"]),
    );
    assert!((r1 - r2).abs() < 1e-13, "{r1} vs {r2}");
    // the label-noise risk is the library's
    let eig: Vec<f64> = (1..=20).map(|i| 1.0 / i as f64).collect();
    let g = Gaussian::eigenvalues(eig, Batch::new(4).unwrap(), 0.5).unwrap();
    let p = momentum::FrameworkParams {
        lr: 0.05,
        momentum: Some(0.8),
        ..Default::default()
    };
    let rec = Framework::Ewma.convert(&p).unwrap().recurrence;
    assert_eq!(
        f(&ewma["minibatch"]["stationary_risk"]),
        g.stationary_risk(&rec).unwrap()
    );
    assert!(canon["minibatch"].get("stationary_risk").is_none());
}

#[test]
fn bound_factor_and_interval_data() {
    let d = json(&[
        "bound",
        "--method",
        "nag",
        "--lr",
        "0.2",
        "--momentum",
        "0.5",
        "--mu",
        "0.1",
        "--L",
        "1",
        "--steps",
        "30",
        "--batch",
        "8",
        "--data-dim",
        "10",
        "--json",
    ]);
    let m = &d["minibatch"];
    assert_eq!(m["covariance"], "evenly_spread");
    assert_eq!(m["dim"], 10);
    let g = Gaussian::interval(0.1, 1.0, 10, Batch::new(8).unwrap(), 0.0).unwrap();
    let rec = momentum::Method::nesterov(0.2, 0.5).unwrap().recurrence();
    assert_eq!(
        f(&m["mean_square_factor"]),
        g.mean_square_factor(&rec, 30).unwrap()
    );
    assert_eq!(f(&m["mean_square_rate"]), g.rate(&rec).unwrap());
}

#[test]
fn simulate_measures_what_the_moments_predict() {
    let d = json(&[
        "simulate",
        "--method",
        "hb",
        "--lr",
        "0.3",
        "--momentum",
        "0.5",
        "--lambda",
        "1",
        "0.5",
        "0.2",
        "--steps",
        "15",
        "--batch",
        "2",
        "--label-noise",
        "0.2",
        "--runs",
        "20000",
        "--seed",
        "3",
        "--json",
    ]);
    let s = &d["minibatch"]["simulation"];
    let (mean, se, exact) = (
        f(&s["measured_mean_square"]),
        f(&s["measured_std_error"]),
        f(&s["exact_mean_square"]),
    );
    assert!((mean - exact).abs() < 4.0 * se, "{mean} ± {se} vs {exact}");
    let g = Gaussian::eigenvalues(vec![1.0, 0.5, 0.2], Batch::new(2).unwrap(), 0.2).unwrap();
    let rec = momentum::Method::heavy_ball(0.3, 0.5).unwrap().recurrence();
    let lib = g.mean_square_factor(&rec, 15).unwrap() + g.label_noise_after(&rec, 15).unwrap().0;
    assert_eq!(exact, lib);
}

#[test]
fn tune_across_batch_sizes_is_the_librarys() {
    let d = json(&[
        "tune",
        "--kappa",
        "20",
        "--batch",
        "64",
        "1",
        "--data-dim",
        "12",
        "--json",
    ]);
    let m = &d["minibatch"];
    let g = Gaussian::interval(0.05, 1.0, 12, Batch::Full, 0.0).unwrap();
    let lib = critical_batch(&g, &[1, 64], 1e-6, 2.0).unwrap();
    let rows = m["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["batch"], 1);
    for (row, l) in rows.iter().zip(&lib.rows) {
        assert_eq!(f(&row["speedup"]), l.speedup);
        for (t, lt) in row["tunings"].as_array().unwrap().iter().zip(&l.tunings) {
            assert_eq!(f(&t["rate"]), lt.rate);
            assert_eq!(f(&t["step"]), lt.step);
        }
    }
    assert_eq!(m["critical"].as_u64(), lib.critical);
    assert_eq!(f(&m["target"]), 1e-6);
}

#[test]
fn bad_batch_input_is_one_line() {
    let base = [
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--lambda",
        "1",
        "0.1",
    ];
    let bad = |extra: &[&str], code: i32, frag: &str| {
        let mut v = base.to_vec();
        v.extend(extra);
        assert_bad(&v, code, frag);
    };
    bad(&["--batch", "0"], 1, "batch");
    bad(&["--batch", "2.5"], 2, "--batch must be a whole number");
    bad(&["--batch", "many"], 2, "--batch must be a whole number");
    bad(&["--batch", "4", "--label-noise", "-1"], 2, "--label-noise");
    bad(&["--label-noise", "0.1"], 2, "need --batch");
    bad(&["--batch", "1", "2"], 2, "for tune");
    bad(&["--batch", "4", "--data-dim", "5"], 2, "--data-dim");
    bad(&["--batch", "4", "--delay", "1"], 2, "--delay");
    bad(&["--batch", "4", "--runs", "10"], 2, "--runs");
    assert_bad(
        &[
            "analyze",
            "--method",
            "hb",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--lambda",
            "1",
            "0",
            "--batch",
            "4",
        ],
        1,
        "covariance eigenvalue",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "qhm",
            "--lr",
            "0.1",
            "--momentum",
            "0.9",
            "--nu",
            "0.7",
            "--lambda",
            "1",
            "--batch",
            "4",
        ],
        2,
        "QHM",
    );
    assert_bad(
        &[
            "tune",
            "--kappa",
            "10",
            "--batch",
            "1",
            "--critical-speedup",
            "0.5",
        ],
        1,
        "factor",
    );
    assert_bad(
        &[
            "simulate", "--method", "gd", "--lr", "0.1", "--lambda", "1", "--steps", "5",
            "--batch", "2", "--runs", "1",
        ],
        1,
        "runs",
    );
}

#[test]
fn bound_under_a_schedule_with_a_batch() {
    // a constant schedule file: the state-space run's mean square equals the constant bound's
    let dir = std::env::temp_dir().join(format!("momentum-mb-sched-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lr.txt");
    std::fs::write(&file, "0.3\n".repeat(25)).unwrap();
    let common = [
        "bound",
        "--method",
        "hb",
        "--momentum",
        "0.7",
        "--mu",
        "0.1",
        "--L",
        "1",
        "--batch",
        "4",
        "--data-dim",
        "12",
        "--json",
    ];
    let mut sched = common.to_vec();
    sched.extend(["--lr-schedule", file.to_str().unwrap()]);
    let mut constant = common.to_vec();
    constant.extend(["--lr", "0.3", "--steps", "25"]);
    let (s, c) = (json(&sched), json(&constant));
    let (a, b) = (
        f(&s["minibatch"]["mean_square_factor"]),
        f(&c["minibatch"]["mean_square_factor"]),
    );
    assert!((a - b).abs() <= 1e-12 * b, "{a} vs {b}");
    assert_eq!(s["minibatch"]["steps"], 25);
    assert_eq!(s["minibatch"]["batch"], 4);
    // a warmup to a peak the batch cannot take: the full batch converges, the minibatch does not
    let shape = "warmup_cosine_decay_schedule(init_value=0, peak_value=1.5, warmup_steps=10, decay_steps=100)";
    let mut v = common.to_vec();
    v.extend(["--lr-schedule", shape]);
    let d = json(&v);
    let m = &d["minibatch"];
    let g = Gaussian::interval(0.1, 1.0, 12, Batch::new(4).unwrap(), 0.0).unwrap();
    let setting = Setting {
        momentum: Some(0.7),
        ..Setting::named("canonical", Some("hb")).unwrap()
    };
    let schedule = momentum::schedule::Schedule::lr(
        momentum::schedule::shape::Shape::parse(shape)
            .unwrap()
            .values(100, None)
            .unwrap()
            .lr,
    );
    let lib = momentum::setting::schedule::schedule_minibatch(
        &setting,
        &schedule,
        &g,
        momentum::Precision::Float64,
        None,
    )
    .unwrap();
    assert_eq!(f(&m["mean_square_factor"]), lib.mean_square_factor);
    assert!(lib.mean_square_factor > 1.0 && lib.full_batch_mean_square_factor < 1e-3);
    std::fs::remove_dir_all(&dir).ok();
}
