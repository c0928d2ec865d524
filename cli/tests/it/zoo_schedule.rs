//! `bound|simulate|analyze --convention X --lr-schedule …` for the order-n optimizers: the
//! document's fields, the command line's schedule sources, analyze = bound, the refusals. The
//! numbers are checked against the conjugated step matrices in the library's tests
//! (tests/it/zoo_schedule.rs) and against real optax runs (python/tests/test_zoo_schedule_optax.py).

use super::common::{assert_bad, f, json, run};

const WARMUP: &str = "warmup_constant_schedule(0, 10, 10)";

#[test]
fn a_warmup_removes_schedule_free_transient_on_the_command_line() {
    let constant = json(&[
        "bound",
        "--convention",
        "schedule_free",
        "--lr",
        "10",
        "--lambda",
        "1",
        "--steps",
        "1000",
        "--json",
    ]);
    assert!((f(&constant["peak_factor"]) - 126.0).abs() < 1e-9);
    let warm = json(&[
        "bound",
        "--convention",
        "schedule_free",
        "--lr-schedule",
        WARMUP,
        "--lambda",
        "1",
        "--steps",
        "1000",
        "--json",
    ]);
    assert_eq!(f(&warm["peak_factor"]), 1.0);
    assert!(warm["spectral_radius"].is_null());
    let s = &warm["schedule"];
    assert_eq!(
        (s["length"].as_u64(), s["held_after"].as_bool()),
        (Some(1000), Some(false))
    );
    assert_eq!((f(&s["lr"][0]), f(&s["lr"][1])), (0.0, 10.0));
    assert_eq!(s["source"]["lr"]["kind"], "shape");
    assert!(s["momentum"].is_null() && s["source"]["momentum"].is_null());
    // analyze with a schedule answers with the same finite horizon
    let a = json(&[
        "analyze",
        "--convention",
        "schedule_free",
        "--lr-schedule",
        WARMUP,
        "--lambda",
        "1",
        "--steps",
        "1000",
        "--json",
    ]);
    assert_eq!(a, warm);
}

#[test]
fn ademamix_warmups_and_the_text() {
    let args = [
        "bound",
        "--convention",
        "ademamix",
        "--lr",
        "30",
        "--b3",
        "0.9999",
        "--lambda",
        "1",
        "--steps",
        "20000",
        "--b3-schedule",
        "linear_hl_warmup_scheduler(beta_end=0.9999, beta_start=0.9, warmup=5000)",
    ];
    let d = json(&[&args[..], &["--json"]].concat());
    assert_eq!(d["schedule"]["source"]["b3"]["kind"], "shape");
    let b3 = &d["schedule"]["b3"];
    assert!((f(&b3[0]) - (0.9 + 1e-8)).abs() < 1e-15 && (f(&b3[1]) - 0.9999).abs() < 2e-8);
    // at fixed α = 5 the β₃ ramp passes the edge 25.7 of β₃ = 0.99 (claims Z02)
    assert!(f(&d["worst_factor"]) > 1e6, "{}", d["worst_factor"]);
    let out = run(&args);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "ademamix under a schedule of 20000 values (lr 30 .. 30, b3 0.9 .. 0.9999)"
        ),
        "{text}"
    );
    assert!(
        text.contains("note: each step follows ademamix's literal update"),
        "{text}"
    );
    assert!(!text.contains("asymptotic rate"), "{text}");
}

#[test]
fn simulate_takes_momentum_schedules_where_the_optimizer_has_one() {
    let d = json(&[
        "simulate",
        "--convention",
        "lookahead",
        "--lambda",
        "0.1",
        "1",
        "--lr-schedule",
        "cosine_decay_schedule(1, 100)",
        "--momentum-schedule",
        "linear_schedule(0.5, 0.9, 100)",
        "--json",
    ]);
    assert_eq!(d["error"].as_array().unwrap().len(), 101);
    assert_eq!(d["steps"].as_u64(), Some(100));
    assert!(d["spectral_radius"].is_null());
    assert_eq!(d["schedule"]["source"]["momentum"]["kind"], "shape");
}

#[test]
fn schedules_the_optimizer_lacks_are_one_line() {
    let sam = ["--convention", "sam", "--rho", "0.1", "--lambda", "1"];
    for (args, code, fragment) in [
        (
            vec![
                "bound",
                "--convention",
                "ademamix",
                "--lr",
                "1",
                "--lambda",
                "1",
                "--momentum-schedule",
                "linear_schedule(0.5, 0.9, 10)",
            ],
            2,
            "constant b1",
        ),
        (
            vec![
                "simulate",
                "--convention",
                "aggmo",
                "--lambda",
                "1",
                "--lr-schedule",
                "cyclic(0.5, 2.5, 1)",
                "--periodic",
            ],
            2,
            "periodic schedule of --convention aggmo",
        ),
        (
            [
                &["bound"][..],
                &sam[..],
                &["--b3-schedule", "linear_schedule(0.5, 0.9, 10)"],
            ]
            .concat(),
            2,
            "AdEMAMix's",
        ),
        (
            vec![
                "bound",
                "--method",
                "hb",
                "--lr",
                "1",
                "--momentum",
                "0.5",
                "--lambda",
                "1",
                "--alpha-schedule",
                "linear_schedule(0, 5, 10)",
            ],
            2,
            "AdEMAMix's (--convention ademamix)",
        ),
        (
            [
                &["analyze"][..],
                &sam[..],
                &[
                    "--lr-schedule",
                    "cosine_decay_schedule(1, 10)",
                    "--switching",
                ],
            ]
            .concat(),
            2,
            "--switching is for the two-step methods",
        ),
        (
            [
                &["analyze"][..],
                &sam[..],
                &["--lr-schedule", "cosine_decay_schedule(1, 10)", "--check"],
            ]
            .concat(),
            2,
            "--check reads a rate",
        ),
        (
            [
                &["bound"][..],
                &sam[..],
                &["--lr-schedule", "cosine_decay_schedule(1, 10)", "--lr", "1"],
            ]
            .concat(),
            2,
            "not both",
        ),
        (
            vec![
                "bound",
                "--convention",
                "ademamix",
                "--lr",
                "1",
                "--lambda",
                "1",
                "--b3-schedule",
                "linear_schedule(0.9, 1.5, 10)",
            ],
            1,
            "b3 1",
        ),
    ] {
        assert_bad(&args, code, fragment);
    }
}
