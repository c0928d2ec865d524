//! `certify --certificate FILE`: the exact-rational certificate, re-checked by the independent
//! `scripts/check_certificate.py` (standard library `fractions` only), and refuted once tampered.

use crate::common::{assert_bad, json, run};
use std::path::{Path, PathBuf};
use std::process::Command;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/check_certificate.py")
}

/// Exit code of the checker on `file` (None: no python3 on this machine).
fn checker(file: &Path) -> Option<i32> {
    let out = Command::new("python3")
        .arg(script())
        .arg(file)
        .output()
        .ok()?;
    Some(out.status.code().unwrap_or(-1))
}

/// The checker's exit code on `doc` changed by `f` (written next to the original).
fn tampered(
    dir: &Path,
    name: &str,
    doc: &serde_json::Value,
    f: &dyn Fn(&mut serde_json::Value),
) -> i32 {
    let mut d = doc.clone();
    f(&mut d);
    let t = dir.join(format!("tampered-{name}"));
    std::fs::write(&t, d.to_string()).unwrap();
    checker(&t).unwrap()
}

fn export(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let file = dir.join(name);
    let mut all = vec!["certify", "--certificate", file.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    file
}

#[test]
fn certificates_pass_the_independent_checker_and_tampered_ones_fail() {
    let dir = std::env::temp_dir().join(format!("momentum-certificate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: [(&str, &[&str]); 4] = [
        (
            "nesterov.json",
            &[
                "--method",
                "nesterov",
                "--lr",
                "1",
                "--momentum",
                "0.8",
                "--kappa",
                "100",
            ],
        ),
        (
            "hb.json",
            &[
                "--method",
                "hb",
                "--lr",
                "1",
                "--momentum",
                "0.3",
                "--mu",
                "0.1",
                "--L",
                "1",
            ],
        ),
        (
            "gd.json",
            &["--method", "gd", "--lr", "0.5", "--mu", "0.25", "--L", "1"],
        ),
        ("tmm.json", &["--method", "tmm", "--kappa", "25"]),
    ];
    for (name, args) in cases {
        // the one-step LMI certificate (the lifted one is tested below)
        let args = &[args, &["--window", "1"][..]].concat();
        let file = export(dir.as_path(), name, args);
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(doc["schema"], "momentum/certificate/1");
        assert_eq!(doc["class"]["name"], "smooth_strongly_convex");
        // exact rationals: "p/q" strings, and the same ρ as certify --json
        assert!(doc["rho"].as_str().unwrap().contains('/'), "{doc}");
        assert_eq!(doc["kind"], "iqc_lmi");
        let mut all = vec!["certify", "--json"];
        all.extend_from_slice(args);
        let v = json(&all);
        assert_eq!(doc["rate"], v["rate"]);
        let Some(code) = checker(&file) else {
            eprintln!("no python3: the checker is not run");
            return;
        };
        assert_eq!(code, 0, "{name}: {doc}");
        // tampered: a smaller rho, a larger step, an indefinite P, a negative multiplier
        let tamper = |f: &dyn Fn(&mut serde_json::Value)| tampered(&dir, name, &doc, f);
        assert_eq!(tamper(&|d| d["rho"] = "1/2".into()), 1, "{name}: rho");
        assert_eq!(
            tamper(&|d| d["method"]["step"] = "4".into()),
            1,
            "{name}: step"
        );
        assert_eq!(tamper(&|d| d["P"][0][0] = "-1".into()), 1, "{name}: P");
        assert_eq!(
            tamper(&|d| d["multipliers"]["sector"] = "-1/1000".into()),
            1,
            "{name}: multiplier"
        );
        assert_eq!(tamper(&|d| d["class"]["mu"] = "0".into()), 1, "{name}: mu");
    }
}

#[test]
fn lifted_certificates_pass_the_independent_checker_and_tampered_ones_fail() {
    // heavy ball β = 1/2 on F(0.1, 1): α = 2.6 has only a lifted certificate, α = 2.5 a better
    // lifted than one-step one; Polyak's heavy ball at κ = 15 (0.954622 against 0.959861)
    let dir = std::env::temp_dir().join(format!("momentum-lifted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hb = |lr: &'static str| -> Vec<&'static str> {
        vec![
            "--method",
            "hb",
            "--lr",
            lr,
            "--momentum",
            "0.5",
            "--mu",
            "0.1",
            "--L",
            "1",
        ]
    };
    let cases: [(&str, Vec<&str>); 3] = [
        ("hb26.json", hb("2.6")),
        ("hb25.json", hb("2.5")),
        (
            "polyak.json",
            vec![
                "--method",
                "hb",
                "--lr",
                "2.5267448900770924",
                "--momentum",
                "0.34759727470778223",
                "--kappa",
                "15",
            ],
        ),
    ];
    for (name, args) in cases {
        let file = export(dir.as_path(), name, &args);
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(doc["kind"], "iqc_lifted_frequency", "{name}: {doc}");
        assert_eq!(doc["window"], 3);
        let mut all = vec!["certify", "--json"];
        all.extend_from_slice(&args);
        let v = json(&all);
        assert_eq!(doc["rate"], v["rate"]);
        assert_eq!(doc["rate"], v["lifted_rate"]);
        let Some(code) = checker(&file) else {
            eprintln!("no python3: the checker is not run");
            return;
        };
        assert_eq!(code, 0, "{name}: {doc}");
        let tamper = |f: &dyn Fn(&mut serde_json::Value)| tampered(&dir, name, &doc, f);
        assert_eq!(tamper(&|d| d["rho"] = "1/2".into()), 1, "{name}: rho");
        // past the 3-cycle of α ≈ 2.645 no certificate can hold
        assert_eq!(
            tamper(&|d| d["method"]["step"] = "27/10".into()),
            1,
            "{name}: step"
        );
        assert_eq!(
            tamper(&|d| d["multipliers"]["anticausal"][0] = "-1/1000".into()),
            1,
            "{name}: weight"
        );
        assert_eq!(tamper(&|d| d["window"] = 2.into()), 1, "{name}: window");
        assert_eq!(tamper(&|d| d["class"]["mu"] = "0".into()), 1, "{name}: mu");
        assert_eq!(tamper(&|d| d["rate"] = 0.5.into()), 1, "{name}: rate");
    }
}

#[test]
fn the_certificate_goes_to_stdout_with_a_dash_and_uncertified_settings_exit_1() {
    let out = run(&[
        "certify",
        "--certificate",
        "-",
        "--method",
        "nesterov",
        "--lr",
        "1",
        "--momentum",
        "0.5",
        "--kappa",
        "9",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["kind"], "iqc_lmi");
    // heavy ball at α = 2.7, β = 1/2 on F(0.1, 1): a cycle, no certificate
    assert_bad(
        &[
            "certify",
            "--certificate",
            "-",
            "--method",
            "hb",
            "--lr",
            "2.7",
            "--momentum",
            "0.5",
            "--mu",
            "0.1",
            "--L",
            "1",
        ],
        1,
        "nothing to export",
    );
}

#[test]
fn certify_json_gives_the_verdict_in_three_zones() {
    // heavy ball on F(0.1, 1), β = 1/2: certified, a verified 3-cycle (stable on quadratics),
    // unstable on a quadratic (α ≥ 3)
    for (lr, verdict, stable) in [
        ("1", "certified", true),
        ("2.7", "counterexample", true),
        ("3.2", "counterexample", false),
    ] {
        let v = json(&[
            "certify",
            "--json",
            "--method",
            "hb",
            "--lr",
            lr,
            "--momentum",
            "0.5",
            "--mu",
            "0.1",
            "--L",
            "1",
        ]);
        assert_eq!(v["verdict"], verdict, "{v}");
        assert_eq!(v["quadratic_stable"], stable, "{v}");
        assert_eq!(v["rate"].is_null(), verdict != "certified", "{v}");
    }
}
