//! The shared setting layer seen from the command line: the curvature the optimizer sees decides
//! flat and saddle directions (weight decay first), a float32 file's flat tolerance uses float32's
//! ε, and `--flat-tol` is accepted wherever a spectrum file is read.

use super::common::{assert_bad, f, json};
use nalgebra::DMatrix;

/// The larger root modulus of z² − c₁z + c₀, by the textbook formula (a second route to the
/// library's double-double roots).
fn radius(c1: f64, c0: f64) -> f64 {
    let d = c1 * c1 - 4.0 * c0;
    if d >= 0.0 {
        ((c1.abs() + d.sqrt()) / 2.0).max((c1.abs() - d.sqrt()).abs() / 2.0)
    } else {
        c0.sqrt()
    }
}

#[test]
fn coupled_weight_decay_is_added_before_the_saddle_split() {
    // raw λ = −5e-4 under coupled decay 1e-3: the optimizer sees +5e-4, a curvature it converges on
    let d = json(&[
        "analyze",
        "--convention",
        "pytorch",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--weight-decay",
        "0.001",
        "--lambda",
        "-0.0005",
        "1",
        "--json",
    ]);
    assert_eq!(d["saddle_directions"].as_array().unwrap().len(), 0, "{d}");
    assert_eq!(d["flat_directions"], 0);
    let want = radius(1.9 - 0.1 * 0.0005, 0.9);
    assert!((want - 0.999498).abs() < 1e-6, "{want}");
    assert!((f(&d["spectral_radius"]) - want).abs() < 1e-12, "{d}");
    assert_eq!(f(&d["worst_lambda"]), -0.0005);
    assert_eq!(d["stable"], true);
    // a raw λ the decay does not lift stays a saddle, with its escape rate
    let d = json(&[
        "analyze",
        "--convention",
        "pytorch",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--weight-decay",
        "0.001",
        "--lambda",
        "-0.5",
        "1",
        "--json",
    ]);
    let s = &d["saddle_directions"][0];
    assert_eq!(f(&s["lambda"]), -0.5);
    assert!((f(&s["growth_rate"]) - radius(1.9 + 0.1 * 0.499, 0.9)).abs() < 1e-12);
}

/// A float32 `.npy` of H = Q diag(ev) Qᵀ, Q orthogonal from a seeded QR.
fn float32_hessian(path: &std::path::Path, ev: &[f64]) {
    let n = ev.len();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let a = DMatrix::from_fn(n, n, |_, _| next());
    let q = a.qr().q();
    let h = &q * DMatrix::from_diagonal(&nalgebra::DVector::from_column_slice(ev)) * q.transpose();
    let mut header = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({n}, {n}), }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((header.len() as u16).to_le_bytes());
    bytes.extend(header.as_bytes());
    for i in 0..n {
        for j in 0..n {
            // symmetric in float32 too: both triangles from one rounding
            let x = if i <= j { h[(i, j)] } else { h[(j, i)] };
            bytes.extend((x as f32).to_le_bytes());
        }
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_float32_null_space_is_flat_not_saddles_and_tiny_curvatures() {
    let dir = std::env::temp_dir().join(format!("momentum-setting-f32-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("h32.npy");
    let n = 400;
    let ev: Vec<f64> = (0..n)
        .map(|i| {
            if i < 200 {
                1.0 + 31.0 * i as f64 / 199.0
            } else {
                0.0
            }
        })
        .collect();
    float32_hessian(&path, &ev);
    let p = path.to_str().unwrap();
    let args = [
        "analyze",
        "--lr",
        "0.05",
        "--momentum",
        "0.9",
        "--spectrum",
        p,
    ];
    let d = json(&[&args[..], &["--json"]].concat());
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(d["spectrum"]["precision"], "float32", "{}", d["spectrum"]);
    assert_eq!(d["flat_directions"], 200, "{}", d["notes"]);
    assert_eq!(d["saddle_directions"].as_array().unwrap().len(), 0);
    let kappa = f(&d["spectrum"]["condition_number"]);
    assert!((kappa - 32.0).abs() < 0.01, "kappa {kappa}");
    let tol = f(&d["flat_tolerance"]);
    let want = 400.0 * f64::from(f32::EPSILON) * f(&d["spectrum"]["max"]);
    assert_eq!(tol, want);
    assert!(
        d["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("stored as float32")),
        "{}",
        d["notes"]
    );
    // the worst case over [1, 32] by the textbook formula: λ = 32 (α = 0.05, β = 0.9)
    let want = radius(1.9 - 0.05 * f(&d["spectrum"]["max"]), 0.9)
        .max(radius(1.9 - 0.05 * f(&d["spectrum"]["min"]), 0.9));
    assert!((f(&d["spectral_radius"]) - want).abs() < 1e-12);
}

#[test]
fn float32_round_off_with_float64_tolerance_is_what_the_old_default_saw() {
    // the same kind of file, small: f64's tolerance leaves float32 round-off as fake directions
    let dir = std::env::temp_dir().join(format!("momentum-setting-f64tol-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("h32.npy");
    let ev: Vec<f64> = (0..40)
        .map(|i| if i < 20 { 1.0 + i as f64 } else { 0.0 })
        .collect();
    float32_hessian(&path, &ev);
    let p = path.to_str().unwrap();
    let tol64 = format!("{:e}", 40.0 * f64::EPSILON * 20.0);
    let base = [
        "analyze",
        "--lr",
        "0.05",
        "--momentum",
        "0.9",
        "--spectrum",
        p,
        "--json",
    ];
    let at64 = json(&[&base[..], &["--flat-tol", &tol64]].concat());
    let default = json(&base);
    // tune reads the same file with the same default, and takes --flat-tol
    let tuned = json(&["tune", "--spectrum", p, "--json"]);
    let tuned_tol = json(&["tune", "--spectrum", p, "--flat-tol", &tol64, "--json"]);
    std::fs::remove_dir_all(&dir).ok();
    let fake = at64["saddle_directions"].as_array().unwrap().len()
        + usize::from(f(&at64["spectrum"]["min"]) < 0.5);
    assert!(fake > 0, "f64's tolerance should see round-off: {at64}");
    assert_eq!(default["flat_directions"], 20);
    assert_eq!(f(&default["spectrum"]["min"]).round(), 1.0);
    assert!((f(&tuned["mu"]) - 1.0).abs() < 1e-4, "{tuned}");
    assert!(f(&tuned_tol["mu"]) < 1e-3, "{tuned_tol}");
}

#[test]
fn flat_tol_is_refused_where_no_file_is_read() {
    assert_bad(
        &["tune", "--kappa", "100", "--flat-tol", "1e-9"],
        2,
        "--spectrum",
    );
    assert_bad(
        &[
            "analyze",
            "--lr",
            "0.1",
            "--mu",
            "1",
            "--L",
            "2",
            "--flat-tol",
            "1e-9",
        ],
        2,
        "not to an interval",
    );
}

#[test]
fn every_tuning_reports_its_margin_and_margin_asks_for_room() {
    let d = json(&["tune", "--kappa", "100", "--momentum", "0.9", "--json"]);
    let hb = &d["methods"][0];
    // heavy ball's balanced step 2(1 + β)/(μ + L) against its edge 2(1 + β)/L: margin μ/(μ + L)
    assert!((f(&hb["margin"]) - 0.01 / 1.01).abs() < 1e-12, "{hb}");
    let d = json(&[
        "tune",
        "--kappa",
        "100",
        "--momentum",
        "0.9",
        "--margin",
        "0.1",
        "--json",
    ]);
    for m in d["methods"].as_array().unwrap() {
        assert!(f(&m["margin"]) >= 0.1, "{m}");
        assert!(m["name"].as_str().unwrap().ends_with("_with_margin"), "{m}");
    }
    assert!((f(&d["methods"][0]["rate"]) - 0.9f64.sqrt()).abs() < 1e-15);
    assert_bad(
        &["tune", "--kappa", "100", "--lr", "1", "--margin", "0.1"],
        2,
        "--margin",
    );
    assert_bad(&["tune", "--kappa", "100", "--margin", "1.5"], 1, "margin");
}

#[test]
fn margin_and_flat_tol_are_refused_where_they_mean_nothing() {
    // a negative margin is out of range even when every tuning already keeps it
    assert_bad(
        &[
            "tune",
            "--kappa",
            "100",
            "--momentum",
            "0.9",
            "--margin",
            "-0.5",
        ],
        1,
        "margin = -0.5 is out of range",
    );
    assert_bad(
        &[
            "tune",
            "--kappa",
            "100",
            "--convention",
            "pytorch",
            "--momentum",
            "0.9",
            "--margin",
            "0.2",
        ],
        2,
        "drop --convention",
    );
    assert_bad(
        &[
            "certify",
            "--kappa",
            "100",
            "--method",
            "gd",
            "--lr",
            "1",
            "--flat-tol",
            "1e-3",
        ],
        2,
        "--flat-tol",
    );
    // noise and a delay together: the delayed noise floor is not modelled
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
            "--noise",
            "1",
            "--delay",
            "3",
        ],
        2,
        "not modelled",
    );
}

#[test]
fn decoupled_decay_sees_a_zero_curvature_as_the_slowest_direction() {
    // AdamW: x ← x(1 − ηw) then x −= ηm: at λ = 0 the iterate shrinks by 1 − ηw = 0.9999
    let d = json(&[
        "analyze",
        "--convention",
        "adamw",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--weight-decay",
        "0.001",
        "--lambda",
        "0",
        "1",
        "--json",
    ]);
    assert_eq!(d["flat_directions"], 0, "{d}");
    assert!((f(&d["spectral_radius"]) - 0.9999).abs() < 1e-12, "{d}");
}
