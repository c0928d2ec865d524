//! Stability maps against independent routes: each cell against the compensated per-curvature
//! analysis, each cell's class against the exact curves (except within one cell of a curve), the
//! storing and streaming computations against each other.

use momentum::Family;
use momentum::map::{Endpoint, GridSpec, StabilityMap, summary};
use momentum::stability::{family_stable_steps, regime_from_curves};
use momentum::{Error, Method, Regime, Spectrum};
use proptest::prelude::*;

fn method(family: Family, a: f64, b: f64) -> Method {
    match family {
        Family::HeavyBall => Method::heavy_ball(a, b),
        Family::Nesterov => Method::nesterov(a, b),
        Family::GradientDescent => Method::gradient_descent(a),
        Family::Lookahead(g) => Method::general(a, b, g),
    }
    .unwrap()
}

const FAMILIES: [Family; 4] = [
    Family::HeavyBall,
    Family::Nesterov,
    Family::GradientDescent,
    Family::Lookahead(0.3),
];

#[test]
fn every_cell_matches_the_per_curvature_analysis() {
    let spectrum = Spectrum::interval(0.5, 20.0).unwrap();
    for family in FAMILIES {
        let spec = GridSpec::new(family, 0.25, (-1.0, 1.0), (97, 83)).unwrap();
        let map = StabilityMap::compute(&spec, &spectrum).unwrap();
        for j in 0..83 {
            for i in 0..97 {
                let c = map.cell(i, j);
                let w = spectrum
                    .worst_case(&method(family, c.step, c.momentum).recurrence())
                    .unwrap();
                let r = w.spectral_radius();
                assert!(
                    (c.radius - r).abs() <= 1e-12 * r.max(1.0),
                    "{family:?} cell ({i},{j}): {} vs {r}",
                    c.radius
                );
                for (got, mode) in [(c.regime_lo, w.at_lo), (c.regime_hi, w.at_hi)] {
                    // the map uses plain f64 coefficients, the analysis compensated ones: they may
                    // disagree only inside a hair of a double root
                    if mode.discriminant().abs() > 1e3 * mode.discriminant_tolerance() {
                        assert_eq!(got, mode.regime(), "{family:?} cell ({i},{j})");
                    }
                }
                let worst_is_lo = w.at_lo.spectral_radius() > w.at_hi.spectral_radius();
                if (w.at_lo.spectral_radius() - w.at_hi.spectral_radius()).abs() > 1e-12 {
                    assert_eq!(c.worst == Endpoint::Lo, worst_is_lo);
                }
            }
        }
    }
}

/// The class of a point by the exact curves alone: stable from the Jury step interval at that
/// momentum, regimes from the critical-damping curves and the sign of c₁.
fn class_by_curves(family: Family, spectrum: &Spectrum, a: f64, b: f64) -> (bool, Regime, Regime) {
    let (lo, hi) = spectrum.bounds();
    let stable = family_stable_steps(family, b, spectrum).is_some_and(|iv| iv.lo < a && a < iv.hi);
    (
        stable,
        regime_from_curves(family, a, b, lo),
        regime_from_curves(family, a, b, hi),
    )
}

#[test]
fn every_cell_agrees_with_the_exact_curves_away_from_them() {
    for (spectrum, step_max) in [
        (Spectrum::eigenvalues(vec![1.0]).unwrap(), 4.2),
        (Spectrum::interval(1.0, 100.0).unwrap(), 0.045),
    ] {
        for family in FAMILIES {
            let (n, m) = (160, 140);
            let spec = GridSpec::new(family, step_max, (-1.0, 1.0), (n, m)).unwrap();
            let map = StabilityMap::compute(&spec, &spectrum).unwrap();
            let (da, db) = spec.cell_size();
            let (mut checked, mut skipped) = (0, 0);
            for j in 0..m {
                for i in 0..n {
                    let c = map.cell(i, j);
                    let here = class_by_curves(family, &spectrum, c.step, c.momentum);
                    // within one cell of a curve: some neighbour centre classifies differently
                    let near_curve = (-1..=1).any(|di: i32| {
                        (-1..=1).any(|dj: i32| {
                            let (a, b) = (c.step + di as f64 * da, c.momentum + dj as f64 * db);
                            a > 0.0 && class_by_curves(family, &spectrum, a, b) != here
                        })
                    });
                    if near_curve {
                        skipped += 1;
                        continue;
                    }
                    checked += 1;
                    assert_eq!(
                        (c.stable, c.regime_lo, c.regime_hi),
                        here,
                        "{family:?} {spectrum:?} cell ({i},{j}) at ({}, {})",
                        c.step,
                        c.momentum
                    );
                }
            }
            // the test is not vacuous: most cells are away from every curve
            assert!(
                checked > 4 * skipped,
                "{family:?}: checked {checked}, skipped {skipped}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn streaming_summary_equals_stored_summary(
        mu in 0.01..5.0f64, width in 0.0..50.0f64, step_max in 0.01..2.0f64,
        bmin in -1.5..0.5f64, n in 1usize..90, m in 1usize..90, fam in 0usize..4,
    ) {
        let spectrum = Spectrum::interval(mu, mu + width).unwrap();
        let spec = GridSpec::new(FAMILIES[fam], step_max, (bmin, bmin + 1.2), (n, m)).unwrap();
        let streamed = summary(&spec, &spectrum);
        let stored = StabilityMap::compute(&spec, &spectrum).unwrap();
        let direct = stored.summary();
        prop_assert_eq!(streamed.stable_cells, direct.stable_cells);
        prop_assert!((streamed.checksum - direct.checksum).abs() <= 1e-12 * direct.checksum.max(1.0));
        // and by brute force over the cells
        let count = stored.radii().iter().filter(|r| **r < 1.0).count() as u64;
        prop_assert_eq!(count, direct.stable_cells);
        prop_assert_eq!(direct.cells, (n * m) as u64);
    }
}

#[test]
fn summary_bits_do_not_depend_on_the_thread_count() {
    // rows are summed in row order: one thread and the default pool give the same checksum bits
    let spectrum = Spectrum::interval(1.0, 100.0).unwrap();
    for family in FAMILIES {
        let spec = GridSpec::new(family, 0.04, (-1.0, 1.0), (300, 700)).unwrap();
        let many = summary(&spec, &spectrum);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| summary(&spec, &spectrum));
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap()
            .install(|| summary(&spec, &spectrum));
        assert_eq!(one.stable_cells, many.stable_cells);
        assert_eq!(
            one.checksum.to_bits(),
            many.checksum.to_bits(),
            "{family:?}"
        );
        assert_eq!(
            three.checksum.to_bits(),
            many.checksum.to_bits(),
            "{family:?}"
        );
    }
}

#[test]
fn cells_sit_at_centres_like_the_numpy_peer() {
    let spec = GridSpec::new(Family::HeavyBall, 0.04, (-1.0, 1.0), (4, 2)).unwrap();
    assert_eq!(spec.step(0), 0.005);
    assert_eq!(spec.step(3), 0.035);
    assert_eq!(spec.momentum(0), -0.5);
    assert_eq!(spec.momentum(1), 0.5);
}

#[test]
fn heavy_ball_stable_fraction_has_a_closed_form() {
    // one curvature, h ∈ (0, 4], β ∈ (−1, 1): the stable set {h < 2(1+β)} is a triangle of area
    // ½·4·2 = 4 out of 8: half the plane
    let spec = GridSpec::new(Family::HeavyBall, 4.0, (-1.0, 1.0), (2000, 2000)).unwrap();
    let s = summary(&spec, &Spectrum::eigenvalues(vec![1.0]).unwrap());
    assert!(
        (s.stable_fraction - 0.5).abs() < 1e-3,
        "{}",
        s.stable_fraction
    );
}

#[test]
fn bad_grids_are_errors() {
    let hb = Family::HeavyBall;
    assert!(matches!(
        GridSpec::new(hb, 0.0, (-1.0, 1.0), (10, 10)),
        Err(Error::NotPositive { .. })
    ));
    assert!(matches!(
        GridSpec::new(hb, f64::NAN, (-1.0, 1.0), (10, 10)),
        Err(Error::NotFinite { .. })
    ));
    assert!(matches!(
        GridSpec::new(hb, 1.0, (1.0, 1.0), (10, 10)),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        GridSpec::new(hb, 1.0, (-1.0, 1.0), (0, 10)),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        GridSpec::new(hb, 1.0, (-1.0, 1.0), (1 << 20, 1 << 20)),
        Err(Error::TooLarge { .. })
    ));
    let big = GridSpec::new(hb, 1.0, (-1.0, 1.0), (1 << 15, 1 << 14)).unwrap();
    let one = Spectrum::eigenvalues(vec![1.0]).unwrap();
    assert!(matches!(
        StabilityMap::compute(&big, &one),
        Err(Error::TooLarge { .. })
    ));
}

/// `f` on a pool of `threads` threads.
fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn every_map_kind_has_the_same_bits_on_one_and_two_threads() {
    use momentum::certify::map::CertifiedMap;
    use momentum::delay::DelayMap;
    use momentum::map::framework::{FrameworkGrid, FrameworkMap};
    use momentum::{Framework, FrameworkParams};
    let spectrum = Spectrum::interval(0.5, 20.0).unwrap();
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for family in FAMILIES {
        let spec = GridSpec::new(family, 0.2, (-1.0, 1.0), (23, 17)).unwrap();
        let stored = |t| on_threads(t, || StabilityMap::compute(&spec, &spectrum).unwrap());
        let (a, b) = (stored(1), stored(2));
        assert_eq!(bits(a.radii()), bits(b.radii()), "{family:?}");
        assert_eq!(
            a.summary().checksum.to_bits(),
            b.summary().checksum.to_bits()
        );
        for (i, j) in [(0, 0), (11, 8), (22, 16)] {
            assert_eq!(a.cell(i, j), b.cell(i, j));
        }
        let delayed = |t| on_threads(t, || DelayMap::compute(&spec, 2, &spectrum).unwrap());
        let (a, b) = (delayed(1), delayed(2));
        assert_eq!(bits(&a.radii), bits(&b.radii), "{family:?}");
        assert_eq!(a.stable, b.stable);
        let certified = |t| on_threads(t, || CertifiedMap::compute(&spec, 0.5, 20.0).unwrap());
        let (a, b) = (certified(1), certified(2));
        assert!(a.cells().eq(b.cells()), "{family:?}");
    }
    let axes = GridSpec::new(Family::HeavyBall, 0.3, (0.0, 1.0), (19, 13)).unwrap();
    let grid = FrameworkGrid::new(Framework::PyTorch, FrameworkParams::default(), axes).unwrap();
    let framework = |t| on_threads(t, || FrameworkMap::compute(&grid, &spectrum, None).unwrap());
    let (a, b) = (framework(1), framework(2));
    assert_eq!(bits(a.radii()), bits(b.radii()));
    assert_eq!(a.cell(7, 5), b.cell(7, 5));
}

#[test]
fn the_driver_keeps_row_order_and_reports_the_first_error_in_row_order() {
    use momentum::map::{cells, rows};
    use std::sync::atomic::{AtomicU64, Ordering};
    for threads in [1, 2] {
        let done = AtomicU64::new(0);
        let observe = |k: u64| {
            done.fetch_add(k, Ordering::Relaxed);
        };
        let g = on_threads(threads, || {
            rows(50, 7, Some(&observe), |j, out: &mut [f64]| {
                for (i, x) in out.iter_mut().enumerate() {
                    *x = ((j * 7 + i) as f64).sqrt();
                }
                Ok::<(), String>(())
            })
        })
        .unwrap();
        assert_eq!(done.load(Ordering::Relaxed), 50);
        assert!(g.iter().enumerate().all(|(k, x)| *x == (k as f64).sqrt()));
        // cells (3, 10), (1, 20) and (0, 40) fail: the first row's first failing cell is reported
        let e = on_threads(threads, || {
            cells(50, 7, None, |i, j| match (i, j) {
                (3, 10) | (1, 20) | (0, 40) => Err(format!("{i},{j}")),
                _ => Ok(i + j),
            })
        })
        .unwrap_err();
        assert_eq!(e, "3,10");
    }
}
