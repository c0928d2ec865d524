//! The endpoint theorem against dense sampling, and the per-curvature worst case against the full
//! 2n × 2n transition matrix of random SPD Hessians in random orthogonal bases.

use momentum::{Error, Method, Recurrence, Spectrum};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

/// A random orthogonal matrix: Q of the QR factorisation of a Gaussian-ish matrix.
fn orthogonal(n: usize, entries: &[f64]) -> DMatrix<f64> {
    let a = DMatrix::from_iterator(n, n, entries.iter().copied().take(n * n));
    a.qr().q()
}

fn spectral_radius(m: &DMatrix<f64>) -> f64 {
    m.complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn endpoint_theorem_against_dense_sampling(
        p0 in -3.0..3.0f64, p1 in -3.0..3.0f64, q0 in -1.5..1.5f64, q1 in -3.0..3.0f64,
        mu in -2.0..2.0f64, width in 0.0..5.0f64,
    ) {
        let rec = Recurrence::new(p0, p1, q0, q1).unwrap();
        let l = mu + width;
        let worst = Spectrum::interval(mu, l).unwrap().worst_case(&rec).unwrap().spectral_radius();
        // interior points only: none may exceed the endpoints' worst case
        for i in 1..2000 {
            let lam = mu + width * i as f64 / 2000.0;
            let r = rec.mode(lam).unwrap().spectral_radius();
            prop_assert!(r <= worst * (1.0 + 1e-12) + 1e-300, "ρ({lam}) = {r} > endpoints {worst}");
        }
    }

    #[test]
    fn full_transition_matrix_agrees_with_per_curvature_worst_case(
        n in 1usize..=12,
        basis in proptest::collection::vec(-1.0..1.0f64, 144),
        eig in proptest::collection::vec(0.05..10.0f64, 12),
        a in 0.01..0.5f64, b in -0.9..0.99f64, g in -0.5..1.5f64,
    ) {
        let q = orthogonal(n, &basis);
        let d = DVector::from_iterator(n, eig.iter().copied().take(n));
        let h = &q * DMatrix::from_diagonal(&d) * q.transpose();
        let h = (&h + h.transpose()) * 0.5;
        let rec = Method::general(a, b, g).unwrap().recurrence();
        let spectrum = Spectrum::from_symmetric_matrix(&h).unwrap();
        let per_curvature = spectrum.worst_case(&rec).unwrap().spectral_radius();
        // the eigenvalues of H are recovered
        let mut sorted: Vec<f64> = eig.iter().copied().take(n).collect();
        sorted.sort_by(f64::total_cmp);
        let Spectrum::Eigenvalues(found) = &spectrum else { panic!("eigenvalues expected") };
        for (x, y) in found.iter().zip(&sorted) {
            prop_assert!((x - y).abs() <= 1e-12 * 10.0);
        }
        let full = spectral_radius(&rec.full_transition(&h));
        // away from double roots eigenvalues are good to ~1e-12; a defective (double-root) block
        // in the 2n×2n matrix is only determined to ~√ε, hence the looser bound there
        let worst = spectrum.worst_case(&rec).unwrap();
        let near_double = [worst.at_lo, worst.at_hi].iter().any(|m| m.discriminant().abs() < 1e-6);
        let tol = if near_double { 1e-6 } else { 1e-10 };
        prop_assert!((full - per_curvature).abs() <= tol * per_curvature.max(1.0),
            "full {full} vs per-curvature {per_curvature}");
    }
}

#[test]
fn interval_and_eigenvalue_lists_validate() {
    assert!(matches!(
        Spectrum::interval(2.0, 1.0),
        Err(Error::EmptyInterval { .. })
    ));
    assert!(matches!(
        Spectrum::interval(f64::NAN, 1.0),
        Err(Error::NotFinite { name: "mu", .. })
    ));
    assert!(matches!(
        Spectrum::eigenvalues(vec![]),
        Err(Error::EmptySpectrum)
    ));
    assert!(matches!(
        Spectrum::eigenvalues(vec![1.0, f64::INFINITY]),
        Err(Error::NotFinite { .. })
    ));
    let s = Spectrum::eigenvalues(vec![3.0, -1.0, 2.0]).unwrap();
    assert_eq!(s.bounds(), (-1.0, 3.0));
}

#[test]
fn matrices_must_be_square_and_symmetric() {
    let rect = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
    assert!(matches!(
        Spectrum::from_symmetric_matrix(&rect),
        Err(Error::NotSquare { rows: 2, cols: 3 })
    ));
    let skew = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 0.0, 3.0]);
    let e = Spectrum::from_symmetric_matrix(&skew).unwrap_err();
    assert!(e.to_string().contains("not symmetric"), "{e}");
    // float32-level asymmetry (1e-7 relative) is accepted and symmetrised
    let almost = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0 + 2e-7, 3.0]);
    let s = Spectrum::from_symmetric_matrix(&almost).unwrap();
    let (lo, hi) = s.bounds();
    // eigenvalues of [[2,1],[1,3]]: (5 ∓ √5)/2
    assert!((lo - (5.0 - 5f64.sqrt()) / 2.0).abs() < 1e-6);
    assert!((hi - (5.0 + 5f64.sqrt()) / 2.0).abs() < 1e-6);
    let empty = DMatrix::<f64>::zeros(0, 0);
    assert!(matches!(
        Spectrum::from_symmetric_matrix(&empty),
        Err(Error::EmptySpectrum)
    ));
}

#[test]
fn worst_case_over_eigenvalues_is_the_max_over_all_of_them() {
    // quasi-convexity: the max over a list equals the max of its two extremes
    let rec = Method::heavy_ball(0.03, 0.5).unwrap().recurrence();
    let values: Vec<f64> = (0..200).map(|i| 1.0 + (i as f64).powf(1.3)).collect();
    let by_all = values
        .iter()
        .map(|&l| rec.mode(l).unwrap().spectral_radius())
        .fold(0.0, f64::max);
    let s = Spectrum::eigenvalues(values).unwrap();
    assert_eq!(s.worst_case(&rec).unwrap().spectral_radius(), by_all);
}

#[test]
fn saddle_directions_escape() {
    // λ < 0: ρ > 1 is the escape rate; for heavy ball at λ = −1 the dominant root exceeds 1 + α
    let rec = Method::heavy_ball(0.1, 0.9).unwrap().recurrence();
    let m = rec.mode(-1.0).unwrap();
    assert!(!m.is_stable());
    assert!(m.spectral_radius() > 1.1);
    // and it is what a simulation shows: e_{k+1}/e_k → ρ
    let (mut prev, mut cur) = (1.0f64, 1.0f64);
    for _ in 0..400 {
        let (c1, c0) = rec.coefficients(-1.0);
        (prev, cur) = (cur, c1 * cur - c0 * prev);
    }
    assert!((cur / prev - m.spectral_radius()).abs() < 1e-10);
}

#[test]
fn matrices_near_the_ends_of_f64_keep_their_eigenvalues() {
    // [[a, b], [b, a]] has eigenvalues a ± b; at 1e300 the sums of squares of a plain solver
    // overflow, at 1e-310 they underflow
    for (a, b) in [
        (1e300, 4e299),
        (1.5e308, 2e307),
        (3e-310, 1e-310),
        (2.0, 1.0),
    ] {
        let h = nalgebra::DMatrix::from_row_slice(2, 2, &[a, b, b, a]);
        let s = momentum::Spectrum::from_symmetric_matrix(&h).unwrap();
        let v = s.listed();
        assert!((v[0] - (a - b)).abs() <= 1e-15 * a, "{a} {b}: {v:?}");
        assert!((v[1] - (a + b)).abs() <= 1e-15 * a, "{a} {b}: {v:?}");
    }
}

proptest::proptest! {
    /// Directions partition a listed spectrum: every eigenvalue is counted once, on the side of
    /// the tolerance its sign and size put it.
    #[test]
    fn directions_partition_the_eigenvalues(
        v in proptest::collection::vec(-10.0..10.0f64, 1..40),
        tol in 0.0..3.0f64,
    ) {
        let s = Spectrum::eigenvalues(v.clone()).unwrap();
        let d = s.directions(tol).unwrap();
        let pos: Vec<f64> = d.positive.as_ref().map(|p| p.listed()).unwrap_or_default();
        proptest::prop_assert_eq!(pos.len() + d.flat + d.negative.len(), v.len());
        proptest::prop_assert!(pos.iter().all(|&x| x > tol));
        proptest::prop_assert!(d.negative.iter().all(|&x| x < -tol));
        let flat = v.iter().filter(|x| x.abs() <= tol).count();
        proptest::prop_assert_eq!(d.flat, flat);
    }
}

#[test]
fn directions_reject_a_bad_tolerance_and_keep_a_clear_interval() {
    let s = Spectrum::interval(0.5, 2.0).unwrap();
    assert!(s.directions(-1.0).is_err());
    assert!(s.directions(f64::NAN).is_err());
    let d = s.directions(0.1).unwrap();
    assert_eq!((d.positive, d.flat, d.negative.len()), (Some(s), 0, 0));
    // an interval through zero: its part above the tolerance, one flat direction, μ a saddle
    let d = Spectrum::interval(-1.0, 2.0)
        .unwrap()
        .directions(0.1)
        .unwrap();
    assert_eq!(d.positive.unwrap().bounds(), (0.1, 2.0));
    assert_eq!((d.flat, d.negative), (1, vec![-1.0]));
}
