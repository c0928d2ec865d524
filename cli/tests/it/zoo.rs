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
            "--delay",
            "1",
        ],
        2,
        "two-step",
    );
    assert_bad(
        &[
            "analyze",
            "--convention",
            "aggmo",
            "--lr",
            "1",
            "--lambda",
            "1",
            "--noise",
            "-1",
        ],
        2,
        "noise",
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
        &["convert", "--from", "aggmo", "--lr", "1", "--to", "optax"],
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

/// `analyze --convention X --noise SIGMA`: AggMo with one velocity and Lookahead with k = 1,
/// a = 1 give the two-step floor of the same optax.sgd (PyTorch's SGD is the same recurrence) to
/// the last digits; the table prints the floor.
#[test]
fn the_noise_floor_reduces_to_the_two_step_floor() {
    let spectrum = ["--lambda", "0.1", "0.7", "2", "--noise", "0.2", "--json"];
    let two = json(
        &[
            &[
                "analyze",
                "--convention",
                "pytorch",
                "--lr",
                "0.2",
                "--momentum",
                "0.8",
            ][..],
            &spectrum,
        ]
        .concat(),
    );
    let want = f(&two["noise_floor"]["floor"]);
    for args in [
        &["--convention", "aggmo", "--lr", "0.2", "--momenta", "0.8"][..],
        &[
            "--convention",
            "lookahead",
            "--lr",
            "0.2",
            "--momentum",
            "0.8",
            "--sync-period",
            "1",
            "--slow-step",
            "1",
        ],
    ] {
        let d = json(&[&["analyze"][..], args, &spectrum].concat());
        let nf = &d["noise_floor"];
        assert!(
            (f(&nf["floor"]) - want).abs() < 1e-12 * want,
            "{d} vs {want}"
        );
        assert_eq!(nf["stationary"], true);
        // E f − f* = ½σ²Σλᵢ Vᵢ from the per-curvature variances
        let half: f64 = nf["per_curvature"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| 0.5 * f(&c["lambda"]) * f(&c["variance"]) * 0.04)
            .sum();
        assert!((f(&nf["excess_loss"]) - half).abs() < 1e-14, "{nf}");
    }
    let out = run(&[
        "analyze",
        "--convention",
        "schedule_free",
        "--lr",
        "0.4",
        "--lambda",
        "1",
        "--noise",
        "1",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(text.contains("after 10000 steps"), "{text}");
    assert!(text.contains("the fast sequence z"), "{text}");
}

/// `map --convention X --json` with `extra` flags, and the CSV it writes (lr, y, radius, stable).
fn zoo_map(conv: &str, extra: &[&str]) -> (serde_json::Value, Vec<Vec<String>>) {
    let dir = std::env::temp_dir().join(format!("zoomap-{}-{conv}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("m.csv");
    let mut args = vec![
        "map",
        "--convention",
        conv,
        "--lambda",
        "0",
        "0.3",
        "1",
        "2.5",
        "--grid",
        "12",
        "--grid-momentum",
        "4",
        "--csv",
        csv.to_str().unwrap(),
        "--json",
    ];
    args.extend_from_slice(extra);
    let d = json(&args);
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (d, rows)
}

/// (convention, map flags, the same flags for analyze, the row's analyze flag, its prefix).
type MapCase<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a str, &'a str);

#[test]
fn map_cells_equal_analyze_at_the_cells_lr_bit_for_bit() {
    // (convention, map flags, the same flags for analyze, the row's analyze flag, its prefix)
    let b3 = [
        "--axis",
        "b3",
        "--momentum-min",
        "0.9",
        "--momentum-max",
        "0.9999",
    ];
    let k3 = ["--sync-period", "3"];
    let sam = ["--rho", "0.05", "--nesterov"];
    let cases: [MapCase; 7] = [
        ("ademamix", &[], &[], "--momentum", ""),
        ("ademamix", &b3, &[], "--b3", ""),
        ("lookahead", &k3, &k3, "--momentum", ""),
        (
            "lookahead",
            &["--axis", "slow-step"],
            &[],
            "--slow-step",
            "",
        ),
        ("schedule_free", &[], &[], "--momentum", ""),
        ("aggmo", &["--momenta", "0,0.5"], &[], "--momenta", "0,"),
        ("sam", &sam, &sam, "--momentum", ""),
    ];
    for (conv, extra, fixed, y_flag, prefix) in cases {
        let (d, rows) = zoo_map(conv, extra);
        assert_eq!(d["grid"], serde_json::json!([12, 4]), "{d}");
        assert_eq!(rows.len(), 48);
        let stable = rows.iter().filter(|r| r[3] == "true").count();
        assert_eq!(d["stable_cells"], stable as u64);
        assert!(stable > 0 && stable < 48, "{conv}: {stable}");
        for k in [0, 7, 18, 29, 47] {
            let r = &rows[k];
            let y = format!("{prefix}{}", r[1]);
            let mut a = vec![
                "analyze",
                "--convention",
                conv,
                "--lambda",
                "0",
                "0.3",
                "1",
                "2.5",
                "--lr",
                &r[0],
                y_flag,
                &y,
                "--json",
            ];
            a.extend_from_slice(fixed);
            let an = json(&a);
            assert_eq!(
                f(&an["spectral_radius"]).to_bits(),
                r[2].parse::<f64>().unwrap().to_bits(),
                "{conv} cell {k}: {an}"
            );
            assert_eq!(an["stable"].as_bool().unwrap().to_string(), r[3]);
            if an["stable"] == true {
                let j = k / 12;
                assert_eq!(
                    an["largest_stable_lr"], d["edge"][j]["lr_hi"],
                    "{conv} row {j}"
                );
            }
        }
    }
}

#[test]
fn map_zoo_flags_and_axes_are_checked() {
    assert_bad(
        &[
            "map",
            "--convention",
            "optax",
            "--mu",
            "1",
            "--L",
            "2",
            "--grid",
            "4",
            "--b3",
            "0.9",
        ],
        2,
        "--b3 belongs to the map of an order-n optimizer",
    );
    assert_bad(
        &[
            "map",
            "--convention",
            "aggmo",
            "--mu",
            "1",
            "--L",
            "2",
            "--grid",
            "4",
            "--axis",
            "b3",
        ],
        2,
        "not a hyperparameter of aggmo",
    );
    assert_bad(
        &[
            "map",
            "--convention",
            "sam",
            "--mu",
            "1",
            "--L",
            "2",
            "--grid",
            "4",
        ],
        2,
        "needs --rho",
    );
    assert_bad(
        &[
            "map",
            "--convention",
            "ademamix",
            "--mu",
            "1",
            "--L",
            "2",
            "--grid",
            "4",
            "--momentum-max",
            "1.5",
        ],
        1,
        "momentum",
    );
}

#[test]
fn map_figure_of_an_order_n_optimizer_is_written() {
    let dir = std::env::temp_dir().join(format!("zoomap-fig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("m.png");
    let o = run(&[
        "map",
        "--convention",
        "lookahead",
        "--axis",
        "slow-step",
        "--mu",
        "0.5",
        "--L",
        "1",
        "--grid",
        "16",
        "--mark",
        "1,0.5",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::metadata(&out).unwrap().len() > 1000);
}

#[test]
fn convert_an_order_n_optimizer_when_it_is_two_step() {
    // AggMo with equal momenta is optax.sgd: the same rate and edge by analyze on both sides
    let d = json(&[
        "convert",
        "--from",
        "aggmo",
        "--momenta",
        "0.8,0.8",
        "--lr",
        "0.3",
        "--json",
    ]);
    assert_eq!(d["equivalent"]["framework"], "optax");
    assert_eq!(d["family"], "heavy ball");
    let sides = [
        vec![
            "analyze",
            "--convention",
            "aggmo",
            "--momenta",
            "0.8,0.8",
            "--lr",
            "0.3",
        ],
        vec![
            "analyze",
            "--convention",
            "optax",
            "--momentum",
            "0.8",
            "--lr",
            "0.3",
        ],
    ];
    let [a, b] = sides.map(|mut s| {
        s.extend(["--mu", "0.2", "--L", "3", "--json"]);
        json(&s)
    });
    assert!((f(&a["spectral_radius"]) - f(&b["spectral_radius"])).abs() < 1e-12);
    assert!(
        (f(&a["largest_stable_lr"]) - f(&b["largest_stable_lr"])).abs()
            < 1e-12 * f(&b["largest_stable_lr"])
    );
    // Lookahead with k = 1 is optax.sgd at lr·a
    let d = json(&[
        "convert",
        "--from",
        "lookahead",
        "--sync-period",
        "1",
        "--slow-step",
        "0.5",
        "--momentum",
        "0.9",
        "--lr",
        "0.2",
        "--to",
        "pytorch",
        "--json",
    ]);
    assert_eq!(d["equivalent"]["lr"], 0.1);
    assert_eq!(d["to"]["lr"], 0.1);
    let sides = [
        vec![
            "analyze",
            "--convention",
            "lookahead",
            "--sync-period",
            "1",
            "--slow-step",
            "0.5",
            "--momentum",
            "0.9",
            "--lr",
            "0.2",
        ],
        vec![
            "analyze",
            "--convention",
            "pytorch",
            "--momentum",
            "0.9",
            "--lr",
            "0.1",
        ],
    ];
    let [a, b] = sides.map(|mut s| {
        s.extend(["--lambda", "0.5", "4", "--json"]);
        json(&s)
    });
    assert!(
        (f(&a["spectral_radius"]) - f(&b["spectral_radius"])).abs() < 1e-12,
        "{a} {b}"
    );
    assert!((f(&a["largest_stable_lr"]) * 0.5 - f(&b["largest_stable_lr"])).abs() < 1e-12);
    // refusals say why
    assert_bad(
        &["convert", "--from", "sam", "--rho", "0.1", "--lr", "0.1"],
        1,
        "not affine in lambda",
    );
    assert_bad(
        &["convert", "--from", "ademamix", "--lr", "0.1"],
        1,
        "order 3",
    );
    assert_bad(
        &["convert", "--from", "schedule_free", "--lr", "0.1"],
        1,
        "time-varying",
    );
    assert_bad(
        &["convert", "--from", "optax", "--lr", "0.1", "--rho", "0.1"],
        2,
        "belong to --from",
    );
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
