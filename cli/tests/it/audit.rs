//! The bad-input audit across every subcommand: each bad invocation exits non-zero (2 for usage,
//! 1 for values), prints exactly one line naming the problem, nothing on stdout, and never a
//! panic or backtrace. Then a proptest over argument vectors and the new subcommands' JSON.

use proptest::prelude::*;
use std::path::PathBuf;

use crate::common::{assert_bad, run};

/// A scratch directory of spectrum files, good and bad, unique to this process.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("momentum-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files: [(&str, &[u8]); 7] = [
        ("empty.txt", b""),
        ("comments.txt", b"# nothing here\n\n"),
        ("token.txt", b"1.0\n2.0\nthree\n"),
        ("ragged.csv", b"1,2,3\n4,5\n6,7,8\n"),
        ("asym.csv", b"2,1\n0,2\n"),
        ("nan.txt", b"1\nnan\n"),
        // an npy header promising 4 float64 and holding 1
        ("short.npy", b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }                                                                   \n\x00\x00\x00\x00\x00\x00\xf0?"),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    std::fs::write(dir.join("good.txt"), b"1\n10\n100\n").unwrap();
    dir
}

#[test]
fn bad_invocations_across_every_subcommand() {
    let dir = scratch();
    let f = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let (empty, comments, token, ragged, asym, nan, short, good) = (
        f("empty.txt"),
        f("comments.txt"),
        f("token.txt"),
        f("ragged.csv"),
        f("asym.csv"),
        f("nan.txt"),
        f("short.npy"),
        f("good.txt"),
    );
    let missing = f("missing.npy");
    let hb = ["--method", "hb", "--lr", "0.1", "--momentum", "0.9"];
    let with = |head: &[&str], tail: &[&str]| -> Vec<String> {
        head.iter().chain(tail).map(|s| s.to_string()).collect()
    };
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        // tune
        (with(&["tune", "--kappa", "0.5"], &[]), 1, "kappa"),
        (
            with(&["tune", "--kappa", "nan"], &[]),
            2,
            "not a finite number",
        ),
        (with(&["tune", "--kappa", "ten"], &[]), 2, "is not a number"),
        (with(&["tune", "--mu", "2", "--L", "1"], &[]), 1, "mu <= L"),
        (
            with(&["tune", "--mu", "0", "--L", "1"], &[]),
            1,
            "mu must be > 0",
        ),
        (
            with(&["tune", "--mu", "-1", "--L", "1"], &[]),
            1,
            "mu must be > 0",
        ),
        (with(&["tune"], &[]), 2, "--kappa"),
        // a map sweeps a family; triple momentum is a point
        (
            with(
                &["map", "--method", "tmm", "--kappa", "10", "--grid", "4"],
                &[],
            ),
            2,
            "a map sweeps a family",
        ),
        // clap's suggestion survives the folding onto one line
        (
            with(&["analyse"], &[]),
            2,
            "tip: a similar subcommand exists: 'analyze'",
        ),
        (
            with(&["analyze", "--lamda", "3"], &[]),
            2,
            "tip: a similar argument exists: '--lambda'",
        ),
        // --dim belongs to --mu/--L; its limit names it
        (
            with(
                &[
                    "simulate",
                    "--steps",
                    "5",
                    "--spectrum",
                    &good,
                    "--dim",
                    "5",
                ],
                &hb,
            ),
            2,
            "the listed spectrum fixes the dimension (3 eigenvalues): drop --dim",
        ),
        (
            with(
                &[
                    "simulate", "--steps", "5", "--mu", "1", "--L", "10", "--dim", "20000000",
                ],
                &hb,
            ),
            1,
            "dim = 20000000 is too large: the limit is 10000000",
        ),
        (
            with(&["tune", "--kappa", "10", "--mu", "1"], &[]),
            2,
            "not both",
        ),
        (
            with(&["tune", "--kappa", "10", "--epsilon", "2"], &[]),
            1,
            "epsilon",
        ),
        (
            with(
                &["tune", "--kappa", "10", "--method", "hb", "--lr", "5"],
                &[],
            ),
            1,
            "step * L < 4",
        ),
        (
            with(
                &["tune", "--kappa", "10", "--lr", "0.1", "--momentum", "0.5"],
                &[],
            ),
            2,
            "cannot be used with",
        ),
        (
            with(
                &["tune", "--kappa", "10", "--method", "gd", "--lr", "0.1"],
                &[],
            ),
            2,
            "heavy ball or Nesterov",
        ),
        (
            with(
                &["tune", "--kappa", "10", "--method", "hb", "--momentum", "1"],
                &[],
            ),
            1,
            "momentum",
        ),
        (with(&["tune", "--spectrum", &nan], &[]), 1, "nan"),
        (with(&["tune", "--kappa", "1e300"], &[]), 1, "kappa"),
        (
            with(&["tune", "--mu", "1e-300", "--L", "1e300"], &[]),
            1,
            "kappa",
        ),
        (
            with(&["tune", "--mu", "1e300", "--L", "1.7e308"], &[]),
            1,
            "L <= 4e307",
        ),
        (
            with(
                &[
                    "bound",
                    "--mu",
                    "-1e308",
                    "--L",
                    "1e308",
                    "--steps",
                    "1",
                    "--lr",
                    "1e-309",
                    "--momentum",
                    "0.5",
                ],
                &[],
            ),
            1,
            "L - mu",
        ),
        // bound
        (
            with(&["bound", "--mu", "0.1", "--L", "1", "--steps", "0"], &hb),
            1,
            "steps",
        ),
        (
            with(
                &["bound", "--mu", "0.1", "--L", "1", "--steps", "99999999999"],
                &hb,
            ),
            1,
            "steps",
        ),
        (
            with(&["bound", "--mu", "0.1", "--L", "1", "--steps", "-3"], &hb),
            2,
            "invalid value",
        ),
        (
            with(&["bound", "--mu", "2", "--L", "1", "--steps", "5"], &hb),
            1,
            "mu <= L",
        ),
        (
            with(
                &[
                    "bound", "--mu", "0.1", "--L", "1", "--steps", "5", "--method", "hb",
                ],
                &[],
            ),
            2,
            "lr is required",
        ),
        (
            with(
                &[
                    "bound",
                    "--mu",
                    "0.1",
                    "--L",
                    "1",
                    "--steps",
                    "5",
                    "--lr",
                    "-1",
                    "--momentum",
                    "0.5",
                ],
                &[],
            ),
            1,
            "step must be > 0",
        ),
        (
            with(&["bound", "--mu", "0.1", "--L", "1"], &hb),
            2,
            "--steps",
        ),
        // simulate
        (
            with(
                &[
                    "simulate", "--mu", "0.1", "--L", "1", "--dim", "0", "--steps", "5",
                ],
                &hb,
            ),
            1,
            "dim",
        ),
        (
            with(
                &[
                    "simulate", "--mu", "0.1", "--L", "1", "--steps", "5", "--noise", "-1",
                ],
                &hb,
            ),
            1,
            "noise",
        ),
        (
            with(
                &["simulate", "--mu", "0.1", "--L", "1", "--steps", "0"],
                &hb,
            ),
            1,
            "steps",
        ),
        (
            with(
                &[
                    "simulate", "--mu", "0.1", "--L", "1", "--steps", "5", "--dense", "--dim",
                    "5000",
                ],
                &hb,
            ),
            1,
            "too large",
        ),
        (
            with(
                &[
                    "simulate", "--mu", "0.1", "--L", "1", "--steps", "1000000", "--dim", "1000000",
                ],
                &hb,
            ),
            1,
            "too large",
        ),
        (
            with(
                &[
                    "simulate",
                    "--mu",
                    "0.1",
                    "--L",
                    "1",
                    "--steps",
                    "5",
                    "--csv",
                    "/nonexistent-dir/x.csv",
                ],
                &hb,
            ),
            1,
            "cannot write",
        ),
        (
            with(
                &[
                    "simulate",
                    "--mu",
                    "0.1",
                    "--L",
                    "1",
                    "--steps",
                    "5",
                    "--out",
                    "/tmp/momentum-audit.txt",
                ],
                &hb,
            ),
            1,
            ".png or .svg",
        ),
        (
            with(&["simulate", "--lambda", "nan", "--steps", "5"], &hb),
            2,
            "not a finite number",
        ),
        (
            with(
                &[
                    "simulate", "--lambda", "1", "--steps", "5", "--noise", "inf",
                ],
                &hb,
            ),
            2,
            "not a finite number",
        ),
        // spectrum files
        (
            with(&["analyze", "--spectrum", &missing], &hb),
            1,
            "missing.npy",
        ),
        (
            with(&["analyze", "--spectrum", &empty], &hb),
            1,
            "empty.txt",
        ),
        (
            with(&["analyze", "--spectrum", &comments], &hb),
            1,
            "comments.txt",
        ),
        (with(&["analyze", "--spectrum", &token], &hb), 1, "line 3"),
        (
            with(
                &[
                    "map",
                    "--spectrum",
                    &ragged,
                    "--lr-max",
                    "1",
                    "--grid",
                    "10",
                ],
                &[],
            ),
            1,
            "ragged.csv",
        ),
        (
            with(&["simulate", "--spectrum", &asym, "--steps", "5"], &hb),
            1,
            "not symmetric",
        ),
        (
            with(&["analyze", "--spectrum", &short], &hb),
            1,
            "short.npy",
        ),
        (
            with(&["analyze", "--spectrum", &good, "--lambda", "1"], &hb),
            2,
            "cannot be used with",
        ),
        (
            with(&["tune", "--spectrum", &good, "--kappa", "3"], &[]),
            2,
            "cannot be used with",
        ),
        // report, map, figures
        (
            with(&["report", "--out-dir", "/proc/momentum-cannot"], &[]),
            1,
            "cannot create",
        ),
        (
            with(
                &["map", "--lambda", "1", "--lr-max", "1", "--grid", "0"],
                &[],
            ),
            2,
            "grid",
        ),
        (
            with(
                &[
                    "map",
                    "--lambda",
                    "1",
                    "--lr-max",
                    "1",
                    "--grid",
                    "100000",
                    "--out",
                    "/tmp/momentum-audit.png",
                ],
                &[],
            ),
            1,
            "too large",
        ),
        (
            with(&["figures", "--out-dir", "/proc/momentum-cannot"], &[]),
            1,
            "cannot create",
        ),
        (with(&["frobnicate"], &[]), 2, "unrecognized subcommand"),
    ];
    assert!(cases.len() >= 30);
    for (args, code, fragment) in &cases {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_bad(&argv, *code, fragment);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn tune_json_has_the_promised_fields_and_matches_the_closed_forms() {
    let out = run(&[
        "tune",
        "--kappa",
        "100",
        "--json",
        "--convention",
        "pytorch",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["L"], 1.0);
    assert_eq!(v["mu"], 0.01);
    assert_eq!(v["kappa"], 100.0);
    let names: Vec<&str> = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "gradient_descent",
            "heavy_ball",
            "nesterov",
            "nesterov_quadratic",
            "triple_momentum"
        ]
    );
    // docs/REFERENCE.md §4, κ = 100: HB α* = 400/121, β* = 81/121, ρ = 9/11
    let hb = &v["methods"][1];
    assert!((hb["step"].as_f64().unwrap() - 400.0 / 121.0).abs() < 1e-14);
    assert!((hb["momentum"].as_f64().unwrap() - 81.0 / 121.0).abs() < 1e-14);
    assert!((hb["rate"].as_f64().unwrap() - 9.0 / 11.0).abs() < 1e-14);
    assert!((hb["search_rate"].as_f64().unwrap() - 9.0 / 11.0).abs() < 1e-8);
    assert_eq!(hb["framework"]["lr"], hb["step"]);
    assert_eq!(hb["framework"]["nesterov"], false);
    let ipd = hb["iterations_per_decade"].as_f64().unwrap();
    assert!((ipd - 10f64.ln() / (11.0f64 / 9.0).ln()).abs() < 1e-12);
    // triple momentum has no PyTorch switch: a note, no numbers
    assert!(v["methods"][4]["framework"]["lr"].is_null());
    assert!(
        v["methods"][4]["framework"]["note"]
            .as_str()
            .unwrap()
            .contains("lookahead")
    );
}

#[test]
fn bound_json_is_the_exact_worst_case() {
    // one step from rest: |1 − αλ| at the worse end of [0.5, 2] with α = 0.8: max(0.6, 0.6)
    let out = run(&[
        "bound",
        "--method",
        "hb",
        "--lr",
        "0.8",
        "--momentum",
        "0.3",
        "--mu",
        "0.5",
        "--L",
        "2",
        "--steps",
        "1",
        "--json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["steps"], 1);
    assert!((v["worst_factor"].as_f64().unwrap() - 0.6).abs() < 1e-15);
    assert!(v["worst_lambda"].as_f64().is_some());
}

#[test]
fn simulate_json_rate_matches_the_prediction() {
    let out = run(&[
        "simulate",
        "--method",
        "nag",
        "--lr",
        "0.5",
        "--momentum",
        "0.6",
        "--mu",
        "0.1",
        "--L",
        "1",
        "--dim",
        "50",
        "--steps",
        "2000",
        "--start",
        "gaussian",
        "--json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let emp = v["empirical_rate"].as_f64().unwrap();
    let pred = v["predicted_rate"].as_f64().unwrap();
    assert!((emp / pred - 1.0).abs() < 0.01, "{emp} vs {pred}");
    let fin = v["final_error"].as_f64().unwrap();
    assert!(fin <= v["worst_factor"].as_f64().unwrap() * (1.0 + 1e-9));
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("analyze"),
        Just("tune"),
        Just("bound"),
        Just("simulate"),
        Just("map"),
        Just("convert"),
        Just("--lr"),
        Just("--momentum"),
        Just("--mu"),
        Just("--L"),
        Just("--lambda"),
        Just("--steps"),
        Just("--dim"),
        Just("--noise"),
        Just("--kappa"),
        Just("--grid"),
        Just("--lr-max"),
        Just("--json"),
        Just("--method"),
        Just("hb"),
        Just("nag"),
        Just("gd"),
        Just("tmm"),
        Just("--convention"),
        Just("pytorch"),
        Just("--nesterov"),
        Just("--dense"),
        Just("--epsilon"),
        Just("nan"),
        Just("-inf"),
        Just("1e400"),
        Just("-1e-300"),
        Just("abc"),
        Just(""),
        Just("0"),
        Just("-0"),
        Just("1e9"),
        Just("--spectrum"),
        Just("/nonexistent"),
    ]
    .prop_map(str::to_string)
    .boxed()
    .prop_union(
        (-1000i32..1000)
            .prop_map(|i| format!("{}", f64::from(i) / 100.0))
            .boxed(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any argument vector: exit 0 with output, or 1/2 with one line on stderr; never a panic.
    #[test]
    fn arbitrary_argument_vectors_never_panic(args in proptest::collection::vec(token(), 0..10)) {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&argv);
        let err = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        prop_assert!(matches!(code, Some(0..=2)), "{args:?}: {code:?} {err}");
        prop_assert!(!err.contains("panicked"), "{args:?}: {err}");
        if code != Some(0) {
            prop_assert_eq!(err.trim_end().lines().count(), 1, "{:?}: {}", args, err);
        }
    }
}

#[test]
fn a_reader_that_goes_away_is_not_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    // ~400 kB of JSON, far past a pipe's buffer: the writes after the reader closes fail
    let lambdas: Vec<String> = (1..=1000)
        .map(|i| format!("{}", i as f64 / 1000.0))
        .collect();
    let mut args = vec![
        "analyze",
        "--lr",
        "0.5",
        "--momentum",
        "0.5",
        "--json",
        "--lambda",
    ];
    args.extend(lambdas.iter().map(String::as_str));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_momentum"))
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut out = child.stdout.take().unwrap();
        let mut buf = [0u8; 64];
        out.read_exact(&mut buf).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(o.status.code(), Some(101), "{err}");
}
