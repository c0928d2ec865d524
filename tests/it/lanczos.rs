//! `momentum::lanczos` against operators whose spectra are known by construction (a diagonal
//! rotated by Householder reflections, matrix-free, n = 3000) and against nalgebra's dense
//! symmetric eigenvalues: clustered, tiny gaps, indefinite and repeated eigenvalues. Every
//! residual the library reports is recomputed here from its vector, and the SLQ moments are
//! held against tr(Hʲ)/n: exactly for a diagonal operator (a Rademacher probe's vᵀHʲv is
//! tr(Hʲ)/n there), within the Hutchinson estimator's own standard deviation otherwise.

use momentum::Error;
use momentum::lanczos::{self, Operator, Options, SlqOptions, Which};
use nalgebra::{DMatrix, DVector};

/// A small deterministic generator for test data (not the library's).
struct Lcg(u64);
impl Lcg {
    fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// H = P D P with P = (I − 2u₁u₁ᵀ)(I − 2u₂u₂ᵀ): eigenvalues exactly `d`, eigenvectors dense.
struct Rotated {
    d: Vec<f64>,
    u: [Vec<f64>; 2],
}

impl Rotated {
    fn new(d: Vec<f64>, seed: u64) -> Self {
        let n = d.len();
        let mut g = Lcg(seed);
        let mut unit = || {
            let v: Vec<f64> = (0..n).map(|_| g.uniform() - 0.5).collect();
            let s = v.iter().map(|x| x * x).sum::<f64>().sqrt();
            v.into_iter().map(|x| x / s).collect::<Vec<_>>()
        };
        Rotated {
            d,
            u: [unit(), unit()],
        }
    }
    fn reflect(u: &[f64], v: &mut [f64]) {
        let c = 2.0 * u.iter().zip(v.iter()).map(|(a, b)| a * b).sum::<f64>();
        v.iter_mut().zip(u).for_each(|(x, a)| *x -= c * a);
    }
}

impl Operator for Rotated {
    fn dim(&self) -> usize {
        self.d.len()
    }
    fn apply(&mut self, v: &[f64], out: &mut [f64]) -> momentum::Result<()> {
        out.copy_from_slice(v);
        Self::reflect(&self.u[1], out);
        Self::reflect(&self.u[0], out);
        out.iter_mut().zip(&self.d).for_each(|(x, d)| *x *= d);
        Self::reflect(&self.u[0], out);
        Self::reflect(&self.u[1], out);
        Ok(())
    }
}

fn sorted_desc(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| b.total_cmp(a));
    v
}

/// The returned values against `want`, and every residual recomputed from its vector.
fn check<O: Operator>(op: &mut O, got: &lanczos::Extremes, want: &[f64], abs: f64, tol: f64) {
    assert!(got.converged, "{got:?}");
    assert_eq!(got.values.len(), want.len());
    for (g, w) in got.values.iter().zip(want) {
        assert!((g - w).abs() <= abs, "got {:?}, want {want:?}", got.values);
    }
    let n = op.dim();
    for ((theta, y), r) in got.values.iter().zip(&got.vectors).zip(&got.residuals) {
        let mut hy = vec![0.0; n];
        op.apply(y, &mut hy).unwrap();
        let res = hy
            .iter()
            .zip(y)
            .map(|(a, b)| (a - theta * b).powi(2))
            .sum::<f64>()
            .sqrt();
        let unit = y.iter().map(|x| x * x).sum::<f64>().sqrt();
        assert!((unit - 1.0).abs() < 1e-10);
        // the reported residual is the true one (to the basis' orthogonality), and meets tol
        assert!(
            (res - r).abs() <= 1e-9 * got.scale + 1e-3 * r,
            "residual {res:e} reported {r:e}"
        );
        assert!(res <= 1.01 * tol * got.scale + 1e-12 * got.scale, "{res:e}");
    }
}

#[test]
fn clustered_top_of_a_3000_dimensional_operator() {
    // 2995 eigenvalues spread over [0, 1] and a cluster of five just below 10
    let n = 3000;
    let mut d: Vec<f64> = (0..n - 5).map(|i| i as f64 / (n - 5) as f64).collect();
    let cluster = [10.0, 9.9999, 9.9998, 9.9997, 9.9996];
    d.extend(cluster);
    let mut op = Rotated::new(d, 7);
    let opts = Options {
        k: 5,
        ..Options::default()
    };
    let got = lanczos::extremes(&mut op, &opts).unwrap();
    check(&mut op, &got, &cluster, 1e-9, opts.tol);
    // and the smallest end: 0, 1/2995, 2/2995 (a dense cluster at the other end)
    let low = Options {
        k: 3,
        which: Which::Smallest,
        ..Options::default()
    };
    let got = lanczos::extremes(&mut op, &low).unwrap();
    let want: Vec<f64> = (0..3).map(|i| i as f64 / 2995.0).collect();
    check(&mut op, &got, &want, 1e-9, low.tol);
}

#[test]
fn tiny_gap_at_the_top() {
    // λ₁ − λ₂ = 1e-7 relative: the residual bound 1e-8·‖H‖ still separates them
    let n = 2000;
    let mut d: Vec<f64> = (0..n - 2).map(|i| 0.9 * i as f64 / n as f64).collect();
    d.extend([1.0, 1.0 - 1e-7]);
    let mut op = Rotated::new(d, 11);
    let opts = Options {
        k: 2,
        ..Options::default()
    };
    let got = lanczos::extremes(&mut op, &opts).unwrap();
    check(&mut op, &got, &[1.0, 1.0 - 1e-7], 1e-10, opts.tol);
}

#[test]
fn indefinite_both_ends() {
    let n = 1500;
    let d: Vec<f64> = (0..n)
        .map(|i| -5.0 + 8.0 * (i as f64 / (n - 1) as f64).powf(1.5))
        .collect();
    let mut op = Rotated::new(d.clone(), 3);
    let asc = {
        let mut v = d.clone();
        v.sort_by(f64::total_cmp);
        v
    };
    let desc = sorted_desc(d);
    for (which, want) in [(Which::Largest, &desc[..4]), (Which::Smallest, &asc[..4])] {
        let opts = Options {
            k: 4,
            which,
            ..Options::default()
        };
        let got = lanczos::extremes(&mut op, &opts).unwrap();
        check(&mut op, &got, want, 1e-9, opts.tol);
    }
}

#[test]
fn repeated_eigenvalues_found_with_their_multiplicity() {
    // 2.0 three times, then 1.5: one Krylov space sees 2.0 once; the locked reruns find the rest
    let n = 800;
    let mut d: Vec<f64> = (0..n - 4).map(|i| i as f64 / n as f64).collect();
    d.extend([2.0, 2.0, 2.0, 1.5]);
    let mut op = Rotated::new(d, 5);
    let opts = Options {
        k: 4,
        ..Options::default()
    };
    let got = lanczos::extremes(&mut op, &opts).unwrap();
    check(&mut op, &got, &[2.0, 2.0, 2.0, 1.5], 1e-9, opts.tol);
    assert!(got.runs >= 2, "{} runs", got.runs);
    // a double eigenvalue far above the rest, in the standard basis (H·v scales the eigenspace's
    // components exactly; only rounding in the reorthogonalisation can reveal its second
    // direction to a single run, the check's locked rerun finds it by construction)
    let d2: Vec<f64> = (0..n - 2)
        .map(|i| i as f64 / (n - 3) as f64)
        .chain([10.0, 10.0])
        .collect();
    let mut diag = lanczos::from_fn(n, |v: &[f64], out: &mut [f64]| {
        for i in 0..v.len() {
            out[i] = d2[i] * v[i];
        }
    });
    let two = Options {
        k: 2,
        ..Options::default()
    };
    let got = lanczos::extremes(&mut diag, &two).unwrap();
    check(&mut diag, &got, &[10.0, 10.0], 1e-9, two.tol);
}

#[test]
fn random_dense_matrices_against_nalgebra() {
    let mut g = Lcg(42);
    for n in [2, 3, 10, 60, 400] {
        let a = DMatrix::from_fn(n, n, |_, _| g.uniform() - 0.5);
        let mut h = (&a + a.transpose()) * 0.5;
        let dense = sorted_desc(h.clone().symmetric_eigenvalues().iter().copied().collect());
        let k = n.min(5);
        for which in [Which::Largest, Which::Smallest] {
            let opts = Options {
                k,
                which,
                seed: n as u64,
                ..Options::default()
            };
            let got = lanczos::extremes(&mut h, &opts).unwrap();
            let want: Vec<f64> = match which {
                Which::Largest => dense[..k].to_vec(),
                Which::Smallest => dense.iter().rev().take(k).copied().collect(),
            };
            check(&mut h, &got, &want, 1e-9 * got.scale, opts.tol);
        }
    }
}

#[test]
fn small_basis_forces_thick_restarts_and_still_converges() {
    let n = 1000;
    let d: Vec<f64> = (0..n).map(|i| (i as f64 / n as f64).powi(3)).collect();
    let mut op = Rotated::new(d.clone(), 9);
    let opts = Options {
        k: 3,
        max_dim: Some(8),
        ..Options::default()
    };
    let got = lanczos::extremes(&mut op, &opts).unwrap();
    assert!(got.restarts > 0);
    check(&mut op, &got, &sorted_desc(d)[..3], 1e-9, opts.tol);
}

#[test]
fn seeded_and_budgeted() {
    let d: Vec<f64> = (0..500).map(|i| 1.0 + (i as f64).sqrt()).collect();
    let mut op = Rotated::new(d, 1);
    let opts = Options {
        k: 2,
        seed: 12,
        ..Options::default()
    };
    let a = lanczos::extremes(&mut op, &opts).unwrap();
    let b = lanczos::extremes(&mut op, &opts).unwrap();
    assert_eq!(a, b);
    let other = lanczos::extremes(&mut op, &Options { seed: 13, ..opts }).unwrap();
    for (x, y) in a.values.iter().zip(&other.values) {
        assert!((x - y).abs() < 1e-9);
    }
    // a budget too small to converge: honest flag and residuals larger than tol
    let short = lanczos::extremes(
        &mut op,
        &Options {
            k: 2,
            max_matvecs: 5,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(!short.converged);
    assert_eq!(short.matvecs, 5);
    assert!(short.residuals.iter().any(|&r| r > 1e-8 * short.scale));
    // Ritz values are lower bounds of the top eigenvalues (interlacing)
    let top = 1.0 + 499f64.sqrt();
    assert!(short.values[0] <= top + 1e-12);
}

#[test]
fn whole_space_and_tiny_dimensions() {
    // k = n: every eigenvalue, exactly (the Krylov space is the whole space)
    let mut h = DMatrix::from_row_slice(3, 3, &[2.0, -1.0, 0.0, -1.0, 2.0, -1.0, 0.0, -1.0, 2.0]);
    let got = lanczos::extremes(
        &mut h,
        &Options {
            k: 3,
            ..Options::default()
        },
    )
    .unwrap();
    let s = 2f64.sqrt();
    check(&mut h, &got, &[2.0 + s, 2.0, 2.0 - s], 1e-12, 1e-8);
    let mut one = DMatrix::from_element(1, 1, -3.5);
    let got = lanczos::extremes(&mut one, &Options::default()).unwrap();
    assert_eq!(got.values, vec![-3.5]);
    // the zero operator
    let mut zero = DMatrix::<f64>::zeros(20, 20);
    let got = lanczos::extremes(&mut zero, &Options::default()).unwrap();
    assert_eq!(got.values, vec![0.0]);
}

#[test]
fn bad_input_is_a_typed_error() {
    let mut h = DMatrix::<f64>::identity(4, 4);
    let e = |o: Options, h: &mut DMatrix<f64>| lanczos::extremes(h, &o).unwrap_err();
    for (o, name) in [
        (
            Options {
                k: 0,
                ..Options::default()
            },
            "k",
        ),
        (
            Options {
                k: 5,
                ..Options::default()
            },
            "k",
        ),
        (
            Options {
                tol: 1e-16,
                ..Options::default()
            },
            "tol",
        ),
        (
            Options {
                tol: 1.0,
                ..Options::default()
            },
            "tol",
        ),
        (
            Options {
                max_dim: Some(1),
                ..Options::default()
            },
            "max_dim",
        ),
        (
            Options {
                max_matvecs: 0,
                ..Options::default()
            },
            "max_matvecs",
        ),
    ] {
        assert!(
            matches!(e(o, &mut h), Error::OutOfRange { name: n, .. } if n == name),
            "{name}"
        );
    }
    assert!(matches!(
        e(
            Options {
                tol: f64::NAN,
                ..Options::default()
            },
            &mut h
        ),
        Error::NotFinite { .. }
    ));
    assert!(matches!(
        e(Options::default(), &mut DMatrix::zeros(0, 0)),
        Error::EmptySpectrum
    ));
    assert!(matches!(
        e(Options::default(), &mut DMatrix::zeros(2, 3)),
        Error::NotSquare { .. }
    ));
    let mut asym = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 0.0, 1.0]);
    assert!(matches!(
        e(Options::default(), &mut asym),
        Error::NotSymmetric { .. }
    ));
    // a closure that is not symmetric is caught by its own products
    let mut shift = lanczos::from_fn(50, |v: &[f64], out: &mut [f64]| {
        for i in 0..50 {
            out[i] = v[(i + 1) % 50];
        }
    });
    let err = lanczos::extremes(&mut shift, &Options::default()).unwrap_err();
    assert!(err.to_string().contains("not symmetric"), "{err}");
    // a product with a NaN
    let mut nan = lanczos::from_fn(5, |_: &[f64], out: &mut [f64]| out.fill(f64::NAN));
    assert!(matches!(
        lanczos::extremes(&mut nan, &Options::default()).unwrap_err(),
        Error::NotFinite { .. }
    ));
    // density: zero probes or steps
    for o in [
        SlqOptions {
            probes: 0,
            ..SlqOptions::default()
        },
        SlqOptions {
            steps: 0,
            ..SlqOptions::default()
        },
    ] {
        assert!(matches!(
            lanczos::density(&mut h, &o).unwrap_err(),
            Error::OutOfRange { .. }
        ));
    }
}

#[test]
fn slq_moments_are_traces_exactly_on_a_diagonal_operator() {
    // Rademacher probes on a diagonal H: vᵀHʲv = tr(Hʲ)/n for every probe, and m-node Gauss
    // quadrature is exact up to degree 2m − 1
    let n = 2000;
    let d: Vec<f64> = (0..n)
        .map(|i| -1.0 + 3.0 * (i as f64 / n as f64).powi(2))
        .collect();
    let mut h = lanczos::from_fn(n, |v: &[f64], out: &mut [f64]| {
        for i in 0..v.len() {
            out[i] = d[i] * v[i];
        }
    });
    let m = 12;
    let dens = lanczos::density(
        &mut h,
        &SlqOptions {
            probes: 3,
            steps: m,
            seed: 4,
        },
    )
    .unwrap();
    assert_eq!(dens.nodes.len(), 3 * m);
    assert_eq!(dens.matvecs, 3 * m);
    for j in 0..(2 * m as i32) {
        let trace = d.iter().map(|x| x.powi(j)).sum::<f64>() / n as f64;
        let got = dens.moment(j);
        assert!(
            (got - trace).abs() <= 1e-10 * trace.abs().max(1.0),
            "j = {j}: {got} vs {trace}"
        );
    }
    // the smoothed density integrates to one (trapezoid over a wide grid)
    let (lo, hi, steps) = (-2.0, 3.0, 5000);
    let dx = (hi - lo) / steps as f64;
    let integral: f64 = (0..=steps)
        .map(|i| dens.smoothed(lo + i as f64 * dx, 0.05).unwrap() * dx)
        .sum();
    assert!((integral - 1.0).abs() < 1e-6, "{integral}");
}

#[test]
fn slq_moments_on_a_rotated_operator_within_hutchinson_error() {
    // dense H with known eigenvalues; the estimate's standard deviation for Rademacher probes
    // is √(2(‖A‖_F² − Σ A_ii²))/n per probe, A = Hʲ (computed here densely)
    let n = 300;
    let d: Vec<f64> = (0..n).map(|i| (i as f64 / n as f64) - 0.3).collect();
    let mut op = Rotated::new(d.clone(), 21);
    let mut h = DMatrix::zeros(n, n);
    for c in 0..n {
        let mut e = vec![0.0; n];
        e[c] = 1.0;
        let mut col = vec![0.0; n];
        op.apply(&e, &mut col).unwrap();
        h.set_column(c, &DVector::from_vec(col));
    }
    let probes = 40;
    let dens = lanczos::density(
        &mut op,
        &SlqOptions {
            probes,
            steps: 20,
            seed: 8,
        },
    )
    .unwrap();
    assert!((dens.moment(0) - 1.0).abs() < 1e-12);
    let mut a = DMatrix::identity(n, n);
    for j in 1..=6 {
        a = &a * &h;
        let trace = d.iter().map(|x| x.powi(j)).sum::<f64>() / n as f64;
        assert!((a.trace() / n as f64 - trace).abs() < 1e-12);
        let off = a.norm_squared() - a.diagonal().norm_squared();
        let sd = (2.0 * off).sqrt() / n as f64 / (probes as f64).sqrt();
        let got = dens.moment(j);
        assert!(
            (got - trace).abs() <= 4.0 * sd + 1e-12,
            "j = {j}: {got} vs {trace} (sd {sd:e})"
        );
    }
}
