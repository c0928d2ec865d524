//! `analyze --convention ademamix|lookahead|schedule_free|aggmo|sam`: the document's verdict
//! fields against edges derived by hand (the library's own tests check the core against literal
//! update loops; python/tests/test_zoo_optax.py against real optax runs), the table, and the
//! bad-input contract.

use super::common::{assert_bad, f, json, run};

#[test]
fn the_edges_in_the_optimizers_own_lr() {
    // AdEMAMix: 2(1+β₁)(1+β₃)/((1−β₁)(1+β₃) + α(1−β₃)(1+β₁)) over the largest curvature
    let d = json(&[
        "analyze",
        "--convention",
        "ademamix",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--b3",
        "0.99",
        "--alpha",
        "5",
        "--lambda",
        "2",
        "0.5",
        "--json",
    ]);
    let want = 2.0 * 1.9 * 1.99 / (0.1 * 1.99 + 5.0 * 0.01 * 1.9) / 2.0;
    assert!(
        (f(&d["largest_stable_lr"]) - want).abs() < 1e-12 * want,
        "{d}"
    );
    assert_eq!(d["stable"], true);
    assert_eq!(d["optimizer"]["optimizer"], "ademamix");
    assert_eq!(d["order"], 3);
    // Lookahead over SGD, k = 5, a = 0.5: 1 + 3^(1/5); per inner step ρ = |1 − a + a(1 − h)^k|^(1/k)
    let d = json(&[
        "analyze",
        "--convention",
        "lookahead",
        "--lr",
        "1.5",
        "--sync-period",
        "5",
        "--slow-step",
        "0.5",
        "--lambda",
        "1",
        "--json",
    ]);
    assert!((f(&d["largest_stable_lr"]) - (1.0 + 3f64.powf(0.2))).abs() < 1e-12);
    let per = (0.5f64 + 0.5 * (-0.5f64).powi(5)).abs().powf(0.2);
    assert!((f(&d["spectral_radius"]) - per).abs() < 1e-12, "{d}");
    assert_eq!(d["period"], 5);
    // schedule-free b₁ = 0.9: 2/(1 − b₁) = 20, with the transient of the exact run
    let d = json(&[
        "analyze",
        "--convention",
        "schedule_free",
        "--lr",
        "10",
        "--momentum",
        "0.9",
        "--lambda",
        "1",
        "--json",
    ]);
    assert!((f(&d["largest_stable_lr"]) - 20.0).abs() < 1e-12);
    assert!((f(&d["spectral_radius"]) - 0.0).abs() < 1e-12); // 1 − h(1 − b₁) = 0
    assert!((f(&d["transient"]["peak"]) - 126.0).abs() < 1e-9, "{d}");
    // AggMo with one velocity: heavy ball's 2(1 + β)
    let d = json(&[
        "analyze",
        "--convention",
        "aggmo",
        "--momenta",
        "0.9",
        "--lr",
        "1",
        "--lambda",
        "4",
        "--json",
    ]);
    assert!((f(&d["largest_stable_lr"]) - 3.8 / 4.0).abs() < 1e-14);
    let hb = json(&[
        "analyze",
        "--method",
        "hb",
        "--lr",
        "0.5",
        "--momentum",
        "0.9",
        "--lambda",
        "4",
        "--json",
    ]);
    let d = json(&[
        "analyze",
        "--convention",
        "aggmo",
        "--momenta",
        "0.9",
        "--lr",
        "0.5",
        "--lambda",
        "4",
        "--json",
    ]);
    assert!((f(&d["spectral_radius"]) - f(&hb["spectral_radius"])).abs() < 1e-12);
    // SAM: optax.sgd on λ(1 + ρλ)
    let d = json(&[
        "analyze",
        "--convention",
        "sam",
        "--rho",
        "0.1",
        "--momentum",
        "0.9",
        "--lr",
        "1",
        "--mu",
        "0.5",
        "--L",
        "2",
        "--json",
    ]);
    assert!(
        (f(&d["largest_stable_lr"]) - 3.8 / 2.4).abs() < 1e-12,
        "{d}"
    );
}

#[test]
fn lookahead_with_momentum_reports_both_stable_intervals() {
    let d = json(&[
        "analyze",
        "--convention",
        "lookahead",
        "--lr",
        "3",
        "--momentum",
        "0.9",
        "--lambda",
        "1",
        "--json",
    ]);
    let s = d["stable_h"].as_array().unwrap();
    assert_eq!(s.len(), 2, "{d}");
    // lr = 3 sits in the second interval, which stable_lr then names
    assert_eq!(d["stable"], true);
    assert!(
        f(&d["stable_lr"]["lo"]) > 2.8 && f(&d["stable_lr"]["hi"]) < 3.6,
        "{d}"
    );
}

#[test]
fn the_table_names_the_optimizer_and_the_edge() {
    let out = run(&[
        "analyze",
        "--convention",
        "ademamix",
        "--lr",
        "1",
        "--lambda",
        "37",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(
        text.contains("ademamix") && text.contains("stable h = lr·λ: (0, 37.82"),
        "{text}"
    );
}

#[test]
fn bad_settings_are_one_line() {
    assert_bad(
        &[
            "analyze",
            "--convention",
            "sam",
            "--lr",
            "1",
            "--lambda",
            "1",
        ],
        2,
        "needs --rho",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "aggmo",
            "--momentum",
            "0.9",
            "--lr",
            "1",
            "--lambda",
            "1",
        ],
        2,
        "--momenta",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "lookahead",
            "--sync-period",
            "0",
            "--lr",
            "1",
            "--lambda",
            "1",
        ],
        1,
        "sync period",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "ademamix",
            "--b3",
            "1",
            "--lr",
            "1",
            "--lambda",
            "1",
        ],
        1,
        "b3",
    );
    assert_bad(
        &["analyze", "--convention", "ademamix", "--lambda", "1"],
        2,
        "needs --lr",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "optax",
            "--lr",
            "1",
            "--b3",
            "0.9",
            "--lambda",
            "1",
        ],
        2,
        "--b3",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "ademamix",
            "--lr",
            "1",
            "--lambda",
            "1",
            "--noise",
            "1",
        ],
        2,
        "two-step",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "sam",
            "--rho",
            "0.1",
            "--lr",
            "1",
            "--mu",
            "-1",
            "--L",
            "2",
        ],
        1,
        "SAM",
    );
    assert_bad(
        &["convert", "--from", "sam", "--lr", "1", "--to", "optax"],
        1,
        "not a two-step method",
    );
    assert_bad(
        &[
            "tune",
            "--convention",
            "ademamix",
            "--lr",
            "1",
            "--mu",
            "0.1",
            "--L",
            "1",
        ],
        2,
        "searches the learning rate",
    );
}

#[test]
fn bound_and_simulate_run_the_exact_update() {
    // schedule-free at lr·λ = 10: the average peaks at 126 (the literal loop in the library's
    // tests and in claims/tests/it/zoo.rs), then decays
    let b = json(&[
        "bound",
        "--convention",
        "schedule_free",
        "--lr",
        "10",
        "--lambda",
        "1",
        "--steps",
        "3000",
        "--json",
    ]);
    assert!((f(&b["peak_factor"]) - 126.0).abs() < 1e-9, "{b}");
    assert!(f(&b["worst_factor"]) < 1e-6 && b["contracts"] == true);
    // AggMo on two curvatures: ‖x_N‖ by the CLI against the literal update written here
    let r = json(&[
        "simulate",
        "--convention",
        "aggmo",
        "--momenta",
        "0,0.9",
        "--lr",
        "0.5",
        "--lambda",
        "0.1",
        "1",
        "--steps",
        "300",
        "--json",
    ]);
    let mut sq = 0.0;
    for l in [0.1, 1.0] {
        let (mut x, mut v) = (1.0f64, [0.0f64; 2]);
        for _ in 0..300 {
            let g = l * x;
            v = [0.0 * v[0] - g, 0.9 * v[1] - g];
            x += 0.5 / 2.0 * (v[0] + v[1]);
        }
        sq += x * x;
    }
    let want = sq.sqrt() / 2f64.sqrt();
    assert!(
        (f(&r["final_ratio"]) - want).abs() < 1e-12 * want,
        "{} vs {want}",
        r["final_ratio"]
    );
    assert_bad(
        &[
            "simulate",
            "--convention",
            "aggmo",
            "--lr",
            "0.5",
            "--mu",
            "0.1",
            "--L",
            "1",
            "--steps",
            "3",
        ],
        2,
        "listed curvatures",
    );
    assert_bad(
        &[
            "bound",
            "--convention",
            "aggmo",
            "--lr",
            "0.5",
            "--lambda",
            "1",
        ],
        2,
        "--steps",
    );
    assert_bad(
        &[
            "bound",
            "--convention",
            "aggmo",
            "--lr",
            "0.5",
            "--lambda",
            "1",
            "--steps",
            "0",
        ],
        1,
        "steps",
    );
}

#[test]
fn tune_finds_polyaks_step_for_aggmo_with_one_velocity() {
    // AggMo with the single momentum β* = ((√κ − 1)/(√κ + 1))² is heavy ball: the best lr is
    // Polyak's 4/(√L + √μ)² and the rate (√κ − 1)/(√κ + 1)
    let beta = (9.0f64 / 11.0).powi(2);
    let b = format!("{beta:?}");
    let t = json(&[
        "tune",
        "--convention",
        "aggmo",
        "--momenta",
        &b,
        "--mu",
        "0.01",
        "--L",
        "1",
        "--json",
    ]);
    assert!((f(&t["spectral_radius"]) - 9.0 / 11.0).abs() < 1e-7, "{t}");
    assert!((f(&t["lr"]) - 4.0 / 1.21).abs() < 1e-4, "{t}");
}

#[test]
fn zoo_certify_gives_the_checked_rate_and_aggmo_with_one_momentum_is_heavy_ball() {
    let z = json(&[
        "certify",
        "--convention",
        "aggmo",
        "--lr",
        "0.5",
        "--momenta",
        "0.3",
        "--mu",
        "0.2",
        "--L",
        "1",
        "--json",
    ]);
    let hb = json(&[
        "certify",
        "--method",
        "hb",
        "--lr",
        "0.5",
        "--momentum",
        "0.3",
        "--mu",
        "0.2",
        "--L",
        "1",
        "--window",
        "1",
        "--json",
    ]);
    assert_eq!(z["verdict"], "certified");
    assert!((f(&z["rate"]) - f(&hb["rate"])).abs() < 1e-9, "{z} {hb}");
    assert_eq!(z["certificate"]["window"], 1);
    let a = json(&[
        "certify",
        "--convention",
        "ademamix",
        "--lr",
        "0.8",
        "--momentum",
        "0.6",
        "--b3",
        "0.9",
        "--alpha",
        "1",
        "--mu",
        "0.1",
        "--L",
        "1",
        "--json",
    ]);
    assert_eq!(a["order"], 3);
    assert_eq!(a["outcome"], "certified");
    assert!(f(&a["rate"]) >= f(&a["quadratic_rate"]) && f(&a["rate"]) < 1.0);
}

#[test]
fn zoo_certify_refuses_with_the_reason() {
    for (conv, extra, fragment) in [
        ("sam", vec!["--rho", "0.05"], "two gradients"),
        ("schedule_free", vec![], "unit root"),
        ("lookahead", vec![], "periodic"),
    ] {
        let mut args = vec!["certify", "--convention", conv, "--lr", "0.5"];
        args.extend(extra);
        args.extend(["--mu", "0.1", "--L", "1"]);
        assert_bad(&args, 2, fragment);
    }
    let base = [
        "certify",
        "--convention",
        "aggmo",
        "--lr",
        "0.5",
        "--mu",
        "0.1",
        "--L",
        "1",
    ];
    for (flags, fragment) in [
        (vec!["--window", "3"], "--window"),
        (vec!["--engine", "sdp"], "sdp"),
        (vec!["--certificate", "-"], "--certificate"),
    ] {
        let mut args = base.to_vec();
        args.extend(flags);
        assert_bad(&args, 2, fragment);
    }
}
