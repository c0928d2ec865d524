//! Dense Hessians (`Spectrum::from_symmetric_matrix`, the blocked solver under the feature `dense`):
//! the eigenvalues against two independent routes — matrices Q·diag(λ)·Qᵀ of known spectrum and
//! nalgebra's own symmetric solver — and `analyze` on a Hessian file against `analyze` on the
//! spectrum it was built from (same verdicts, same flat and saddle counts).

use momentum::setting::{Setting, analyze};
use momentum::{Precision, Spectrum, io};
use nalgebra::{DMatrix, DVector};

/// A seeded orthogonal n × n matrix: Q of the QR factorisation of a uniform(−1, 1) matrix.
fn orthogonal(n: usize, seed: u64) -> DMatrix<f64> {
    let mut s = seed;
    let a = DMatrix::from_fn(n, n, |_, _| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    });
    a.qr().q()
}

/// Q·diag(λ)·Qᵀ, symmetrised (its rounding kept symmetric to the bit).
fn with_spectrum(lambda: &[f64], seed: u64) -> DMatrix<f64> {
    let q = orthogonal(lambda.len(), seed);
    let h = &q * DMatrix::from_diagonal(&DVector::from_column_slice(lambda)) * q.transpose();
    (&h + h.transpose()) * 0.5
}

/// Spectra that stress a solver: spread, clustered (multiplicity 60), a null space with saddles,
/// and a wide range of magnitudes.
fn spectra(n: usize) -> Vec<(&'static str, Vec<f64>)> {
    let spread: Vec<f64> = (0..n)
        .map(|i| 0.01 + 100.0 * (i as f64 / n as f64).powi(3))
        .collect();
    let clustered: Vec<f64> = (0..n)
        .map(|i| [1.0, 1.0 + 1e-9, 50.0, 50.0][i % 4] + if i < 60 { 0.0 } else { i as f64 * 1e-3 })
        .collect();
    let null_and_saddles: Vec<f64> = (0..n)
        .map(|i| match i % 5 {
            0 => 0.0,
            1 => -0.5 - i as f64 * 1e-3,
            _ => 1.0 + i as f64,
        })
        .collect();
    let magnitudes: Vec<f64> = (0..n)
        .map(|i| 10f64.powf(-6.0 + 9.0 * i as f64 / n as f64))
        .collect();
    vec![
        ("spread", spread),
        ("clustered", clustered),
        ("null space and saddles", null_and_saddles),
        ("nine decades", magnitudes),
    ]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// The largest |x − y| over two ascending lists of one length.
fn max_gap(x: &[f64], y: &[f64]) -> f64 {
    assert_eq!(x.len(), y.len());
    x.iter()
        .zip(y)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

#[test]
fn eigenvalues_of_matrices_of_known_spectrum() {
    // n = 300 is past the size at which the parallel route (dense-parallel) uses threads
    let n = 300;
    for (k, (name, lambda)) in spectra(n).into_iter().enumerate() {
        let h = with_spectrum(&lambda, 29 + k as u64);
        let got = Spectrum::from_symmetric_matrix(&h).unwrap().listed();
        let want = sorted(lambda);
        let scale = want.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        // backward stable: each eigenvalue within a small multiple of n·ε·‖H‖ (Weyl); Q·D·Qᵀ
        // itself is off by a few ε·‖H‖ per entry
        let bound = n as f64 * f64::EPSILON * scale;
        let gap = max_gap(&got, &want);
        assert!(
            gap <= bound,
            "{name}: max |λ − λ*| = {gap:e} > n·ε·max|λ| = {bound:e}"
        );
        // and not by chance: a perturbation of one eigenvalue by 10·bound is seen
        let mut moved = want.clone();
        moved[n / 2] += 10.0 * bound;
        assert!(
            max_gap(&got, &sorted(moved)) > bound,
            "{name}: the check cannot fail"
        );
    }
}

#[test]
fn eigenvalues_agree_with_nalgebras_solver() {
    for (n, seed) in [
        (1usize, 1u64),
        (2, 2),
        (3, 3),
        (17, 4),
        (64, 5),
        (257, 6),
        (400, 7),
    ] {
        // a random symmetric matrix (both signs, entries of order 1)
        let mut s = seed;
        let a = DMatrix::from_fn(n, n, |_, _| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        });
        let h = (&a + a.transpose()) * 0.5;
        let got = Spectrum::from_symmetric_matrix(&h).unwrap().listed();
        let other = sorted(h.clone().symmetric_eigenvalues().iter().copied().collect());
        let scale = other.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let bound = 4.0 * n as f64 * f64::EPSILON * scale;
        let gap = max_gap(&got, &other);
        assert!(gap <= bound, "n = {n}: {gap:e} > {bound:e}");
        // the trace is the sum of the eigenvalues: a third route, in O(n)
        let trace: f64 = (0..n).map(|i| h[(i, i)]).sum();
        let sum: f64 = got.iter().sum();
        assert!(
            (trace - sum).abs() <= bound * n as f64,
            "n = {n}: trace {trace} != Σλ {sum}"
        );
    }
}

#[test]
fn scaled_matrices_keep_their_eigenvalues() {
    // the power-of-two scaling before the solver: near the ends of f64 the eigenvalues are those
    // of the unscaled matrix times the scale, to the solver's accuracy
    let lambda: Vec<f64> = (0..50).map(|i| (i as f64 - 10.0) / 7.0).collect();
    let h = with_spectrum(&lambda, 3);
    let base = Spectrum::from_symmetric_matrix(&h).unwrap().listed();
    for scale in [1e300, 1e-300, 2f64.powi(1000)] {
        let got = Spectrum::from_symmetric_matrix(&(&h * scale))
            .unwrap()
            .listed();
        let back: Vec<f64> = got.iter().map(|x| x / scale).collect();
        assert!(max_gap(&back, &base) <= 1e-13, "scale {scale:e}: {back:?}");
    }
}

/// A little-endian float64 or float32 `.npy` file of a row-major matrix.
fn npy(h: &DMatrix<f64>, float32: bool) -> Vec<u8> {
    let n = h.nrows();
    let descr = if float32 { "<f4" } else { "<f8" };
    let mut header =
        format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': ({n}, {n}), }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend((header.len() as u16).to_le_bytes());
    out.extend(header.as_bytes());
    for i in 0..n {
        for j in 0..n {
            if float32 {
                out.extend((h[(i, j)] as f32).to_le_bytes());
            } else {
                out.extend(h[(i, j)].to_le_bytes());
            }
        }
    }
    out
}

#[test]
fn analyze_on_a_hessian_file_gives_the_verdicts_and_counts_of_its_spectrum() {
    // a Hessian of known spectrum with a null space and saddles, saved as float64 and float32:
    // `analyze` on the file decides and counts as on the exact eigenvalues
    let n = 300;
    let lambda: Vec<f64> = (0..n)
        .map(|i| match i % 6 {
            0 => 0.0,
            1 if i < 60 => -0.25 - i as f64 * 1e-3,
            _ => 0.5 + 30.0 * i as f64 / n as f64,
        })
        .collect();
    let h = with_spectrum(&lambda, 11);
    let exact = Spectrum::eigenvalues(lambda).unwrap();
    for (lr, stable) in [(0.1, true), (0.13, false)] {
        let setting = Setting {
            lr: Some(lr),
            momentum: Some(0.9),
            ..Default::default()
        };
        for float32 in [false, true] {
            let precision = if float32 {
                Precision::Float32
            } else {
                Precision::Float64
            };
            let loaded = io::parse_file("h.npy", &npy(&h, float32)).unwrap();
            assert_eq!(loaded.precision, precision);
            let got = analyze(&setting, loaded.spectrum, None, precision).unwrap();
            let want = analyze(&setting, exact.clone(), None, precision).unwrap();
            let what = format!("lr {lr}, float32 {float32}");
            assert_eq!(got.stable, stable, "{what}");
            assert_eq!(got.stable, want.stable, "{what}");
            assert_eq!(got.flat_directions, want.flat_directions, "{what}");
            assert_eq!(got.flat_directions, n / 6, "{what}");
            assert_eq!(
                got.saddle_directions.len(),
                want.saddle_directions.len(),
                "{what}"
            );
            assert_eq!(got.saddle_directions.len(), 10, "{what}");
            assert_eq!(got.spectrum.count, want.spectrum.count, "{what}");
            // the reported numbers differ by the rounding of the eigenvalues only (float32: the
            // matrix's own rounding, ~ε₃₂·‖H‖)
            let rel = if float32 { 1e-5 } else { 1e-11 };
            let close = |a: f64, b: f64| (a - b).abs() <= rel * b.abs().max(1.0);
            assert!(close(got.spectral_radius, want.spectral_radius), "{what}");
            assert!(close(got.worst_lambda, want.worst_lambda), "{what}");
            assert!(close(got.spectrum.max, want.spectrum.max), "{what}");
            assert!(close(got.spectrum.min, want.spectrum.min), "{what}");
        }
    }
}
