//! Certified-rate maps (`momentum::certify::map`): every cell against single certified-rate calls
//! by other routes — the default route's golden-section multiplier search with a cold bisection,
//! the map's own cold start, and (feature `sdp`) clarabel's SDP on the LMI — plus the quadratic
//! lower bound by brute-force eigenvalues and gradient descent's published exact rate.

use momentum::certify::map::{CertifiedMap, MAX_CERTIFIED_CELLS, Status};
use momentum::certify::{self, RATE_TOLERANCE};
use momentum::map::GridSpec;
use momentum::{Error, Family, Method};

/// Brute-force quadratic worst case: the largest |eigenvalue| of the 2×2 companion matrix over
/// 1001 curvatures in [μ, L] (nalgebra, no closed form) — a lower bound of the true sup.
fn quadratic_oracle(m: &Method, mu: f64, l: f64) -> f64 {
    (0..=1000)
        .map(|i| {
            let lam = mu + (l - mu) * i as f64 / 1000.0;
            let (a, b, g) = (m.step(), m.momentum(), m.lookahead());
            let t =
                nalgebra::Matrix2::new(1.0 + b - a * lam * (1.0 + g), -(b - a * lam * g), 1.0, 0.0);
            t.complex_eigenvalues()
                .iter()
                .map(|z| z.norm())
                .fold(0.0, f64::max)
        })
        .fold(0.0, f64::max)
}

fn families() -> [(Family, f64); 3] {
    // (family, largest step): the step axes cover each family's stable range at L = 1
    [
        (Family::HeavyBall, 4.0),
        (Family::Nesterov, 2.0),
        (Family::Lookahead(0.5), 2.5),
    ]
}

#[test]
fn warm_started_cells_equal_cold_bisections() {
    for (family, lr) in families() {
        let spec = GridSpec::new(family, lr, (-0.5, 1.0), (48, 40)).unwrap();
        let warm = CertifiedMap::compute(&spec, 0.04, 1.0).unwrap();
        let cold = CertifiedMap::compute_cold(&spec, 0.04, 1.0).unwrap();
        let mut worst = 0.0f64;
        for (w, c) in warm.cells().zip(cold.cells()) {
            assert_eq!(w.status(), c.status(), "{family:?} {w:?} vs {c:?}");
            if let (Some(a), Some(b)) = (w.rate, c.rate) {
                worst = worst.max((a - b).abs());
            }
        }
        println!("{family:?}: warm vs cold max |Δρ| = {worst:e}");
        assert!(worst <= 2.0 * RATE_TOLERANCE, "{worst}");
    }
}

#[test]
fn cells_equal_single_certified_rate_calls() {
    // certify::certified_rate: golden-section multiplier search, cold bisection, its own
    // quadratic rate — a different path to each number than the map's cutting planes
    let (mut worst, mut certified, mut not_certified) = (0.0f64, 0, 0);
    for (family, lr) in families() {
        for kappa in [10.0, 100.0] {
            let mu = 1.0 / kappa;
            let spec = GridSpec::new(family, lr, (-0.5, 1.0), (20, 18)).unwrap();
            let map = CertifiedMap::compute(&spec, mu, 1.0).unwrap();
            for c in map.cells() {
                let m = family.method(c.step, c.momentum).unwrap();
                let one = certify::certified_rate(&m, mu, 1.0).unwrap();
                assert!((one.quadratic_rate - c.quadratic_rate).abs() <= 1e-12);
                assert_eq!(one.rate.is_some(), c.rate.is_some(), "{m:?}: {one:?} {c:?}");
                match (one.rate, c.rate) {
                    (Some(a), Some(b)) => {
                        certified += 1;
                        worst = worst.max((a - b).abs());
                    }
                    _ => not_certified += 1,
                }
            }
        }
    }
    println!("map vs certified_rate: {certified} certified cells, max |Δρ| = {worst:e}");
    assert!(
        certified > 300 && not_certified > 300,
        "{certified} {not_certified}"
    );
    assert!(worst <= 1e-8, "{worst}");
}

#[test]
fn certified_is_never_below_the_brute_force_quadratic_worst_case() {
    let mut seen = [0usize; 3];
    for (family, lr) in families() {
        let spec = GridSpec::new(family, lr, (-1.0, 1.0), (30, 30)).unwrap();
        let map = CertifiedMap::compute(&spec, 0.05, 1.0).unwrap();
        for c in map.cells() {
            let m = family.method(c.step, c.momentum).unwrap();
            let brute = quadratic_oracle(&m, 0.05, 1.0);
            assert!(c.quadratic_rate >= brute - 1e-9, "{c:?} vs {brute}");
            if let Some(r) = c.rate {
                assert!(
                    r >= brute - 1e-12 && r >= c.quadratic_rate && r < 1.0,
                    "{c:?}"
                );
            }
            match c.status() {
                Status::Unstable => assert!(brute >= 1.0 - 1e-9 && c.rate.is_none()),
                Status::StableNotCertified => assert!(c.quadratic_rate < 1.0),
                Status::Certified => {}
            }
            seen[c.status() as usize] += 1;
        }
    }
    // all three kinds of cell occur
    assert!(seen.iter().all(|&k| k > 50), "{seen:?}");
}

#[test]
fn the_momentum_zero_row_is_gradient_descent_exactly() {
    // odd number of rows over (−1, 1): the middle row's momentum is exactly 0
    for (family, lr) in families() {
        for (mu, l) in [(0.25, 1.0), (1.0, 50.0)] {
            let spec = GridSpec::new(family, lr / l, (-1.0, 1.0), (40, 9)).unwrap();
            let map = CertifiedMap::compute(&spec, mu, l).unwrap();
            for i in 0..40 {
                let c = map.cell(i, 4);
                assert_eq!(c.momentum, 0.0);
                let exact = (1.0 - c.step * mu).abs().max((1.0 - c.step * l).abs());
                if family == Family::Lookahead(0.5) {
                    continue; // a fixed lookahead is not gradient descent at β = 0
                }
                match c.rate {
                    Some(r) => assert!((r - exact).abs() < 1e-8, "{c:?} vs {exact}"),
                    None => assert!(exact >= 1.0 - 1e-9, "{c:?} vs {exact}"),
                }
            }
        }
    }
    // the gradient-descent family: every row is gradient descent
    let spec = GridSpec::new(Family::GradientDescent, 2.5, (0.0, 1.0), (50, 2)).unwrap();
    let map = CertifiedMap::compute(&spec, 0.1, 1.0).unwrap();
    for c in map.cells() {
        let exact = (1.0 - c.step * 0.1).abs().max((1.0 - c.step).abs());
        assert_eq!(c.rate.is_some(), exact < 1.0, "{c:?}");
        if let Some(r) = c.rate {
            assert!((r - exact).abs() < 1e-8);
        }
    }
}

#[test]
fn the_summary_counts_the_cells() {
    let spec = GridSpec::new(Family::HeavyBall, 4.0, (-1.0, 1.0), (32, 32)).unwrap();
    let map = CertifiedMap::compute(&spec, 0.01, 1.0).unwrap();
    let s = map.summary();
    let count = |k: Status| map.cells().filter(|c| c.status() == k).count() as u64;
    assert_eq!(s.cells, 1024);
    assert_eq!(s.certified_cells, count(Status::Certified));
    assert_eq!(
        s.stable_not_certified_cells,
        count(Status::StableNotCertified)
    );
    assert_eq!(s.quadratic_stable_cells, s.cells - count(Status::Unstable));
    let best = s.best_certified.unwrap();
    for c in map.cells() {
        if let Some(r) = c.rate {
            assert!(best.rate.unwrap() <= r);
        }
    }
}

#[test]
fn bad_classes_and_sizes_are_typed_errors() {
    let spec = GridSpec::new(Family::HeavyBall, 1.0, (0.0, 1.0), (4, 4)).unwrap();
    assert!(matches!(
        CertifiedMap::compute(&spec, 2.0, 1.0),
        Err(Error::EmptyInterval { .. })
    ));
    assert!(matches!(
        CertifiedMap::compute(&spec, 0.0, 1.0),
        Err(Error::NotPositive { name: "mu", .. })
    ));
    for (mu, l) in [(f64::NAN, 1.0), (0.1, f64::INFINITY)] {
        assert!(matches!(
            CertifiedMap::compute(&spec, mu, l),
            Err(Error::NotFinite { .. })
        ));
    }
    let big = GridSpec::new(Family::HeavyBall, 1.0, (0.0, 1.0), (2048, 1024)).unwrap();
    assert!(matches!(
        CertifiedMap::compute(&big, 0.1, 1.0),
        Err(Error::TooLarge { limit, .. }) if limit == MAX_CERTIFIED_CELLS
    ));
}

#[cfg(feature = "sdp")]
#[test]
fn coarse_map_cells_equal_the_sdp_route() {
    use momentum::certify::Engine;
    let (mut worst, mut certified) = (0.0f64, 0);
    for (family, lr) in families() {
        let spec = GridSpec::new(family, lr, (-0.2, 1.0), (7, 6)).unwrap();
        let map = CertifiedMap::compute(&spec, 0.04, 1.0).unwrap();
        for c in map.cells() {
            let m = family.method(c.step, c.momentum).unwrap();
            let s = certify::certify(&m, 0.04, 1.0, Engine::Sdp).unwrap();
            assert_eq!(s.rate.is_some(), c.rate.is_some(), "{m:?}: {s:?} vs {c:?}");
            if let (Some(a), Some(b)) = (s.rate, c.rate) {
                certified += 1;
                worst = worst.max((a - b).abs());
            }
        }
    }
    println!("map vs sdp: {certified} certified cells, max |Δρ| = {worst:e}");
    assert!(certified >= 20, "{certified}");
    assert!(worst <= 1e-5, "{worst}");
}

#[cfg(feature = "sdp")]
#[test]
fn sdp_figures_pep_points_file_matches_fresh_solves() {
    // cli/assets/pep_points.csv is embedded by `momentum figures` (whose default build has no
    // SDP solver); examples/pep_points.rs writes it — every row is solved again here
    let text = include_str!("../../cli/assets/pep_points.csv");
    let mut rows = 0;
    for line in text.lines().skip(1) {
        let v: Vec<&str> = line.split(',').collect();
        let kappa: f64 = v[1].parse().unwrap();
        let steps: usize = v[2].parse().unwrap();
        let (factor, root): (f64, f64) = (v[3].parse().unwrap(), v[4].parse().unwrap());
        let tunings =
            momentum::tune::all(&momentum::Spectrum::interval(1.0 / kappa, 1.0).unwrap()).unwrap();
        let t = tunings.iter().find(|t| t.kind.as_str() == v[0]).unwrap();
        let w = momentum::pep::worst_case(&t.method, 1.0 / kappa, 1.0, steps).unwrap();
        assert!(
            (w.worst_factor - factor).abs() <= 1e-6 * factor.max(1.0),
            "{line}: {w}"
        );
        assert!(
            (factor.powf(1.0 / steps as f64) - root).abs() < 1e-8,
            "{line}"
        );
        // the quadratic class is inside F(μ, L): its exact N-step worst case is a lower bound
        let quad = momentum::bounds::finite_horizon(
            &t.method.recurrence(),
            &momentum::Spectrum::interval(1.0 / kappa, 1.0).unwrap(),
            steps as u64,
        )
        .unwrap();
        assert!(
            factor >= quad.worst_factor - 1e-6,
            "{line}: {}",
            quad.worst_factor
        );
        rows += 1;
    }
    assert!(rows >= 15, "{rows}");
}
