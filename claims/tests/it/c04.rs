//! C04: the two-step progress ratio, by literal two-dimensional iteration and a scan of η.

use crate::{assert_tag, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c04_progress_ratio_by_literal_two_dimensional_iteration() {
    let c = claims::c04_two_step_progress().unwrap();
    assert_tag(&c, "holds when");
    // seed 001's lines on L(x, y) = ½x² + 25/2 y², shallow coordinate x from x₀ = 1
    let progress = |eta: f64, beta: f64| -> f64 {
        let (mut p, mut v) = ([1.0f64, 1.0], [0.0f64; 2]);
        for _ in 0..2 {
            let g = [p[0], 25.0 * p[1]];
            for i in 0..2 {
                v[i] = beta * v[i] - eta * g[i];
                p[i] += v[i];
            }
        }
        1.0 - p[0]
    };
    let ratio = |eta: f64, beta: f64| progress(eta, beta) / progress(eta, 0.0);
    for (eta, beta) in [
        (0.04, 0.9),
        (0.05, 0.9),
        (0.1, 0.9),
        (1.0 / 23.0, 0.9),
        (0.1, 0.874),
    ] {
        assert_relative_eq!(
            value(&c, &format!("ratio at η = {eta}, β = {beta}")),
            ratio(eta, beta),
            max_relative = 1e-12
        );
    }
    assert_relative_eq!(ratio(1.0 / 23.0, 0.9), 1.46, max_relative = 1e-12);
    // the rounding window at β = 0.9, by a brute-force scan of η
    let inside: Vec<f64> = (1..100_000)
        .map(|i| i as f64 * 1e-6)
        .filter(|&e| (ratio(e, 0.9) * 100.0).round() == 146.0)
        .collect();
    let (lo, hi) = (inside[0], inside[inside.len() - 1]);
    assert!((lo - value(&c, "smallest η rounding to 1.46 at β = 0.9")).abs() < 2e-6);
    assert!((hi - value(&c, "largest η rounding to 1.46 at β = 0.9 (exclusive)")).abs() < 2e-6);
}
