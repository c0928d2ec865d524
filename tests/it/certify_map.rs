//! Certified-rate maps (`momentum::certify::map`): every cell against single certified-rate calls
//! by other routes — the default route's golden-section multiplier search with a cold bisection,
//! the map's own cold start, and (feature `sdp`) clarabel's SDP on the LMI — plus the quadratic
//! lower bound by brute-force eigenvalues and gradient descent's published exact rate.

use momentum::certify::counter::{self, Cycle};
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
            // window 1: the one-step route alone (the lifted pass is tested below)
            let map = CertifiedMap::compute_window(&spec, mu, 1.0, 1).unwrap();
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
fn lifted_cells_are_the_undecided_cells_a_lifted_certificate_closes() {
    // the same grid with and without the lifted pass: cells certified one-step, cycles and
    // quadratic rates are unchanged; a cell gained by the pass was undecided, and its rate is
    // what a single lifted::certified_rate call (its own one-step search, cutting planes and
    // exact check) returns, below 1 and never below the quadratic rate
    let (mu, l, w) = (0.1, 1.0, 3);
    let spec = GridSpec::new(Family::HeavyBall, 2.9, (0.3, 0.6), (116, 12)).unwrap();
    let one = CertifiedMap::compute_window(&spec, mu, l, 1).unwrap();
    let lifted = CertifiedMap::compute_window(&spec, mu, l, w).unwrap();
    let mut gained = 0;
    for (a, b) in one.cells().zip(lifted.cells()) {
        assert_eq!(a.quadratic_rate, b.quadratic_rate);
        assert_eq!(a.cycle_period, b.cycle_period);
        if a.rate.is_some() {
            assert_eq!((a.rate, a.window), (b.rate, b.window));
            assert_eq!(b.window, Some(1));
            continue;
        }
        let Some(r) = b.rate else { continue };
        gained += 1;
        assert_eq!(a.status(), Status::Undecided, "{a:?}");
        assert_eq!(b.window, Some(w));
        let m = Family::HeavyBall.method(b.step, b.momentum).unwrap();
        let single = certify::lifted::certified_rate(&m, mu, l, w).unwrap();
        assert_eq!(single.rate, Some(r), "{b:?}");
        let cert = single.multiplier.expect("a lifted certificate");
        assert!(certify::lifted::verify(&m, mu, l, &cert).unwrap());
        assert!(r < 1.0 && r >= b.quadratic_rate, "{b:?}");
    }
    let (s1, s3) = (one.summary(), lifted.summary());
    assert_eq!(s3.lifted_cells, gained as u64);
    assert_eq!(s3.certified_cells, s1.certified_cells + s3.lifted_cells);
    assert_eq!(s3.undecided_cells + s3.lifted_cells, s1.undecided_cells);
    // heavy ball β ≈ 0.5 between the one-step edge α ≈ 2.549 and the lifted one ≈ 2.641
    assert!(gained >= 8, "{gained}");
    assert!(CertifiedMap::compute_window(&spec, mu, l, 0).is_err());
    assert!(CertifiedMap::compute_window(&spec, mu, l, 9).is_err());
}

#[test]
fn certified_is_never_below_the_brute_force_quadratic_worst_case() {
    let mut seen = [0usize; 4];
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
                Status::Counterexample | Status::Undecided => {
                    assert!(c.quadratic_rate < 1.0 && c.rate.is_none())
                }
                Status::Certified => {}
            }
            seen[c.status() as usize] += 1;
        }
    }
    // unstable, counterexample and certified cells all occur (undecided ones are the rest)
    assert!(
        [0, 1, 3].iter().all(|&k| seen[k] > 50) && seen[2] < seen[1],
        "{seen:?}"
    );
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
    assert_eq!(s.counterexample_cells, count(Status::Counterexample));
    assert_eq!(s.undecided_cells, count(Status::Undecided));
    assert_eq!(s.unstable_cells, count(Status::Unstable));
    assert_eq!(
        s.stable_not_certified_cells,
        s.counterexample_cells + s.undecided_cells
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

/// The second route for a counterexample cell, without the interpolation inequalities: in one
/// dimension f ∈ F(μ, L) has f'(y_k) = g_k iff, sorted by y, every difference quotient of the
/// samples lies in [μ, L]; the piecewise-linear f' through them (slope μ outside) is then such a
/// function, and iterating the method on it (f64) from (x_{p−1}, x₀) must repeat the cycle.
fn cycles_on_an_explicit_function(m: &Method, mu: f64, l: f64, c: &Cycle) -> bool {
    let x: Vec<f64> = c.iterates.iter().map(|r| r[0]).collect();
    let p = x.len();
    let (a, b, g) = (m.step(), m.momentum(), m.lookahead());
    // the samples (y_k, g_k) recomputed here from the iterates and the update line
    let mut pts: Vec<(f64, f64)> = (0..p)
        .map(|k| {
            let (xp, xk, xn) = (x[(k + p - 1) % p], x[k], x[(k + 1) % p]);
            ((1.0 + g) * xk - g * xp, ((1.0 + b) * xk - b * xp - xn) / a)
        })
        .collect();
    pts.sort_by(|u, v| u.0.total_cmp(&v.0));
    let scale = x.iter().fold(1.0f64, |s, v| s.max(v.abs()));
    let tol = 1e-9 * scale;
    for w in pts.windows(2) {
        let (dy, dg) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        if dy.abs() <= tol {
            if dg.abs() > 1e-6 * scale {
                return false; // one point, two gradients
            }
        } else if !(dg >= mu * dy - tol && dg <= l * dy + tol) {
            return false;
        }
    }
    let grad = |y: f64| {
        if y <= pts[0].0 {
            return pts[0].1 + mu * (y - pts[0].0);
        }
        for w in pts.windows(2) {
            if y <= w[1].0 {
                let dy = w[1].0 - w[0].0;
                let s = if dy > tol { (w[1].1 - w[0].1) / dy } else { mu };
                return w[0].1 + s * (y - w[0].0);
            }
        }
        let last = pts[p - 1];
        last.1 + mu * (y - last.0)
    };
    let (mut prev, mut cur) = (x[p - 1], x[0]);
    for k in 0..2 * p {
        let next = cur + b * (cur - prev) - a * grad((1.0 + g) * cur - g * prev);
        if (next - x[(k + 1) % p]).abs() > 1e-6 * scale {
            return false;
        }
        (prev, cur) = (cur, next);
    }
    true
}

#[test]
fn counterexample_cells_cycle_by_two_routes() {
    // every counterexample cell: its witness passes counter::verify (exact rationals) and the
    // one-dimensional slope test plus iteration on an explicit function of the class
    let mut checked = 0;
    for (family, lr) in families() {
        for (mu, l) in [(0.1, 1.0), (0.5, 20.0)] {
            let spec = GridSpec::new(family, lr / l, (-0.5, 1.0), (24, 20)).unwrap();
            let map = CertifiedMap::compute(&spec, mu, l).unwrap();
            for j in 0..20 {
                for i in 0..24 {
                    let c = map.cell(i, j);
                    let m = family.method(c.step, c.momentum).unwrap();
                    match (c.status(), map.cycle(i, j)) {
                        (Status::Counterexample, Some(cy)) => {
                            assert_eq!(c.cycle_period, Some(cy.period));
                            assert!(counter::verify(&m, mu, l, cy).unwrap(), "{c:?}");
                            assert!(
                                cycles_on_an_explicit_function(&m, mu, l, cy),
                                "{c:?} {cy:?}"
                            );
                            checked += 1;
                        }
                        (Status::Counterexample, None) => panic!("{c:?} without its cycle"),
                        (_, Some(_)) => panic!("{c:?} has a cycle but is not a counterexample"),
                        _ => {}
                    }
                }
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn the_heavy_ball_counterexample_zone_starts_near_the_issue_s_step() {
    // issue 27: heavy ball β = 1/2 on F(0.1, 1) has a 3-cycle from α ≈ 2.645; no cycle where a
    // rate is certified (a cycle there would contradict the certificate)
    let spec = GridSpec::new(Family::HeavyBall, 4.0, (0.45, 0.55), (400, 1)).unwrap();
    let map = CertifiedMap::compute(&spec, 0.1, 1.0).unwrap();
    let first = map
        .cells()
        .find(|c| c.status() == Status::Counterexample)
        .unwrap();
    assert!((first.step - 2.645).abs() < 0.03, "{first:?}");
    for c in map.cells() {
        assert!(!(c.rate.is_some() && c.cycle_period.is_some()), "{c:?}");
    }
}
