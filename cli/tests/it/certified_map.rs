//! `momentum map --certified`: the certified-rate map's CSV cells against single `momentum
//! certify` runs (another path: golden-section multiplier search, cold bisection), gradient
//! descent's exact rate on the momentum-0 row, the JSON contract, the figure, and bad input.

use crate::common::{assert_bad, f, json, run};

fn tmp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("momentum-certmap-{}-{name}", std::process::id()))
}

/// (step, momentum, quadratic_rate, certified_rate or None, status, window) per CSV row.
type Row = (f64, f64, f64, Option<f64>, String, String);

fn read_csv(path: &std::path::Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "step,momentum,quadratic_rate,certified_rate,status,multiplier,cycle_period,window"
    );
    lines
        .map(|l| {
            let v: Vec<&str> = l.split(',').collect();
            (
                v[0].parse().unwrap(),
                v[1].parse().unwrap(),
                v[2].parse().unwrap(),
                (!v[3].is_empty()).then(|| v[3].parse().unwrap()),
                v[4].to_string(),
                v[7].to_string(),
            )
        })
        .collect()
}

#[test]
fn certified_map_cells_equal_certify_runs() {
    let csv = tmp("cells.csv");
    let c = csv.to_str().unwrap();
    for method in ["hb", "nag"] {
        let args = [
            "map",
            "--certified",
            "--method",
            method,
            "--kappa",
            "25",
            "--lr-max",
            "3",
            "--momentum-min",
            "-0.2",
            "--momentum-max",
            "1",
            "--grid",
            "6",
            "--csv",
            c,
            "--quiet",
        ];
        let out = run(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows = read_csv(&csv);
        assert_eq!(rows.len(), 36);
        let mut certified = 0;
        for (step, b, q, rate, status, window) in rows {
            // a cell certified by the lifted pass (window 3) against certify's lifted search,
            // every other cell against the one-step analysis (--window 1); an uncertified cell
            // has neither
            let w = if window.is_empty() { "1" } else { &window };
            assert!(["", "1", "3"].contains(&window.as_str()), "{window}");
            if window.is_empty() && q < 1.0 {
                let v3 = crate::common::json(&[
                    "certify",
                    "--json",
                    "--method",
                    method,
                    "--lr",
                    &step.to_string(),
                    "--momentum",
                    &b.to_string(),
                    "--kappa",
                    "25",
                ]);
                assert!(v3["rate"].is_null(), "{v3}");
            }
            let v = crate::common::json(&[
                "certify",
                "--json",
                "--window",
                w,
                "--method",
                method,
                "--lr",
                &step.to_string(),
                "--momentum",
                &b.to_string(),
                "--kappa",
                "25",
            ]);
            assert!((f(&v["quadratic_rate"]) - q).abs() < 1e-12, "{v}");
            match rate {
                Some(r) => {
                    certified += 1;
                    assert_eq!(status, "certified");
                    assert!((f(&v["rate"]) - r).abs() < 1e-8, "{v} vs {r}");
                    assert!(r >= q);
                }
                None => {
                    assert!(v["rate"].is_null(), "{v}");
                    if q < 1.0 {
                        assert!(
                            ["counterexample", "undecided"].contains(&status.as_str()),
                            "{status}"
                        );
                    } else {
                        assert_eq!(status, "unstable");
                    }
                }
            }
        }
        assert!(certified >= 5, "{method}: {certified}");
    }
    std::fs::remove_file(&csv).unwrap();
}

#[test]
fn the_momentum_zero_row_is_gradient_descent() {
    let csv = tmp("gd.csv");
    let out = run(&[
        "map",
        "--certified",
        "--method",
        "hb",
        "--mu",
        "0.5",
        "--L",
        "4",
        "--lr-max",
        "0.6",
        "--grid",
        "30",
        "--grid-momentum",
        "5",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = read_csv(&csv);
    let zero: Vec<_> = rows.iter().filter(|r| r.1 == 0.0).collect();
    assert_eq!(zero.len(), 30);
    for (step, _, _, rate, _, _) in zero {
        let exact = (1.0 - step * 0.5).abs().max((1.0 - step * 4.0).abs());
        match rate {
            Some(r) => assert!((r - exact).abs() < 1e-8, "{step}: {r} vs {exact}"),
            None => assert!(exact >= 1.0 - 1e-9, "{step}: none vs {exact}"),
        }
    }
    std::fs::remove_file(&csv).unwrap();
}

#[test]
fn certified_map_json_and_figure() {
    let png = tmp("map.png");
    let v = json(&[
        "map",
        "--certified",
        "--method",
        "hb",
        "--kappa",
        "25",
        "--grid",
        "40",
        "--json",
        "--out",
        png.to_str().unwrap(),
        "--mark",
        "2.77777777777,0.44444444444",
    ]);
    assert_eq!(v["schema"], "momentum/1");
    assert_eq!(v["class"], "smooth_strongly_convex");
    assert_eq!(v["engine"], "frequency");
    assert_eq!(v["window"], 3);
    assert_eq!(v["method"], "heavy ball");
    assert_eq!(f(&v["mu"]), 0.04);
    assert_eq!(f(&v["L"]), 1.0);
    assert_eq!(v["grid"][0], 40);
    let n = |k: &str| v[k].as_u64().unwrap();
    assert_eq!(n("cells"), 1600);
    assert_eq!(
        n("certified_cells") + n("stable_not_certified_cells"),
        n("quadratic_stable_cells")
    );
    assert!(
        n("stable_not_certified_cells") > 0 && n("certified_cells") > 0,
        "{v}"
    );
    assert_eq!(
        n("counterexample_cells") + n("undecided_cells"),
        n("stable_not_certified_cells")
    );
    assert_eq!(
        n("unstable_cells") + n("quadratic_stable_cells"),
        n("cells")
    );
    assert!(n("counterexample_cells") > 0, "{v}");
    assert!(n("lifted_cells") <= n("certified_cells"), "{v}");
    let best = &v["best_certified"];
    assert!(f(&best["rate"]) >= f(&v["best_quadratic"]["quadratic_rate"]));
    // the Polyak tuning at κ = 25 > 9 + 4√5: quadratic rate (5−1)/(5+1) = 2/3, no certificate
    let mark = &v["marks"][0];
    assert!(
        (f(&mark["quadratic_rate"]) - 2.0 / 3.0).abs() < 1e-4, // the mark is rounded to 11 digits; ρ moves like √ at a double root
        "{mark}"
    );
    assert!(mark["certified_rate"].is_null(), "{mark}");
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    std::fs::remove_file(&png).unwrap();
    // human output names the three kinds of cell
    let out = run(&[
        "map",
        "--certified",
        "--method",
        "nag",
        "--kappa",
        "100",
        "--grid",
        "16",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(
        text.contains("counterexample (stable on quadratics, a verified cycle on F(mu, L))"),
        "{text}"
    );
    assert!(text.contains("best certified cell"), "{text}");
}

#[test]
fn certified_map_bad_input() {
    let base = ["map", "--certified", "--kappa", "10"];
    let with = |extra: &[&'static str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        a
    };
    assert_bad(&with(&["--grid", "8", "--delay", "2"]), 2, "--delay");
    assert_bad(
        &with(&["--grid", "8", "--method", "tmm"]),
        2,
        "triple momentum",
    );
    assert_bad(&with(&["--grid", "0"]), 2, "--grid");
    assert_bad(&with(&["--grid", "2048"]), 1, "cells");
    let gif = tmp("map.gif");
    let g = gif.to_str().unwrap();
    assert_bad(
        &[
            "map",
            "--certified",
            "--kappa",
            "10",
            "--grid",
            "8",
            "--out",
            g,
        ],
        1,
        ".png",
    );
    assert!(!gif.exists(), "a refused figure must not leave a file");
    assert_bad(
        &[
            "map",
            "--certified",
            "--lambda",
            "0",
            "--lambda",
            "1",
            "--grid",
            "4",
        ],
        1,
        "mu",
    );
    assert_bad(
        &["map", "--certified", "--mu", "2", "--L", "1", "--grid", "4"],
        1,
        "mu",
    );
}

/// A figure name with a refused extension is rejected before any file is created, on every
/// command that writes figures (the ordinary, delayed and framework maps, and simulate).
#[test]
fn refused_figure_extensions_leave_no_file() {
    let cases: [&[&str]; 4] = [
        &["map", "--kappa", "10", "--grid", "8"],
        &["map", "--kappa", "10", "--grid", "8", "--delay", "2"],
        &[
            "map",
            "--kappa",
            "10",
            "--grid",
            "8",
            "--convention",
            "pytorch",
        ],
        &[
            "simulate",
            "--method",
            "hb",
            "--lr",
            "0.1",
            "--momentum",
            "0.5",
            "--kappa",
            "10",
            "--steps",
            "20",
        ],
    ];
    for (k, args) in cases.iter().enumerate() {
        let gif = tmp(&format!("refused-{k}.gif"));
        let csv = tmp(&format!("refused-{k}.csv"));
        let mut argv = args.to_vec();
        argv.extend(["--out", gif.to_str().unwrap()]);
        if k != 1 {
            argv.extend(["--csv", csv.to_str().unwrap()]);
        }
        assert_bad(&argv, 1, ".png");
        assert!(!gif.exists(), "{args:?}: the refused figure left a file");
        assert!(!csv.exists(), "{args:?}: the refused run left a CSV");
    }
}
