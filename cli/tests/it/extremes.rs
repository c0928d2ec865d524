//! `--spectrum FILE --extremes K`: the Lanczos route against the dense one on the same matrix
//! file (a rotated diagonal with known eigenvalues, written here as CSV), and its bad inputs.

use crate::common::{assert_bad, json};

/// H = (I − 2uuᵀ) diag(d) (I − 2uuᵀ) as CSV text: eigenvalues exactly `d`.
fn matrix_csv(d: &[f64]) -> String {
    let n = d.len();
    let u: Vec<f64> = (0..n).map(|i| ((i * 7 + 3) % 11) as f64 - 5.0).collect();
    let s = u.iter().map(|x| x * x).sum::<f64>().sqrt();
    let u: Vec<f64> = u.into_iter().map(|x| x / s).collect();
    let mut out = String::new();
    for i in 0..n {
        let row: Vec<String> = (0..n)
            .map(|j| {
                // (P D P)_ij with P = I − 2uuᵀ
                let pi = |k: usize| if i == k { 1.0 } else { 0.0 } - 2.0 * u[i] * u[k];
                let pj = |k: usize| if j == k { 1.0 } else { 0.0 } - 2.0 * u[j] * u[k];
                let v: f64 = (0..n).map(|k| pi(k) * d[k] * pj(k)).sum();
                format!("{v:e}")
            })
            .collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn extremes_agree_with_the_dense_decomposition() {
    let n = 120;
    let d: Vec<f64> = (0..n)
        .map(|i| 0.05 + 29.95 * (i as f64 / (n - 1) as f64).powi(2))
        .collect();
    let path = std::env::temp_dir().join(format!("momentum-extremes-{}.csv", std::process::id()));
    std::fs::write(&path, matrix_csv(&d)).unwrap();
    let p = path.to_str().unwrap();
    let setting = [
        "--convention",
        "pytorch",
        "--lr",
        "0.1",
        "--momentum",
        "0.9",
        "--json",
    ];
    let mut dense_args = vec!["analyze", "--spectrum", p];
    dense_args.extend(setting);
    let mut lanczos_args = dense_args.clone();
    lanczos_args.extend(["--extremes", "2"]);
    let dense = json(&dense_args);
    let fast = json(&lanczos_args);
    std::fs::remove_file(&path).unwrap();
    for key in ["spectral_radius", "worst_lambda"] {
        let (a, b) = (dense[key].as_f64().unwrap(), fast[key].as_f64().unwrap());
        assert!((a - b).abs() <= 1e-8 * a.abs(), "{key}: {a} vs {b}");
    }
    assert_eq!(dense["stable"], fast["stable"]);
    // the known ends: 30 and 0.05
    let w = fast["worst_lambda"].as_f64().unwrap();
    assert!((w - 0.05).abs() < 1e-9 || (w - 30.0).abs() < 1e-8, "{w}");
}

#[test]
fn extremes_bad_input() {
    let path =
        std::env::temp_dir().join(format!("momentum-extremes-list-{}.txt", std::process::id()));
    std::fs::write(&path, "1\n2\n3\n").unwrap();
    let p = path.to_str().unwrap();
    assert_bad(
        &["analyze", "--spectrum", p, "--extremes", "1", "--lr", "0.1"],
        2,
        "drop --extremes",
    );
    assert_bad(
        &["analyze", "--spectrum", p, "--extremes", "0", "--lr", "0.1"],
        2,
        "K >= 1",
    );
    std::fs::remove_file(&path).unwrap();
    assert_bad(
        &["analyze", "--lambda", "1", "--extremes", "1", "--lr", "0.1"],
        2,
        "--spectrum",
    );
}
