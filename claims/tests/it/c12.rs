//! C12: the typical momenta, by a brute-force step scan of the literal update.

use crate::{
    assert_tag, bisect_max_step, hb_noise_variance, hb_velocity, scanned_best_rate, value,
    worst_literal,
};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c12_typical_momenta_by_brute_force_step_scan() {
    let c = claims::c12_typical_momenta().unwrap();
    assert_tag(&c, "holds when");
    let ends = [0.01, 1.0];
    let mut best_rates = vec![];
    for beta in [0.5, 0.9, 0.95, 0.99] {
        let top = bisect_max_step(|e| hb_velocity(e, beta, 1.0), 10.0);
        assert_relative_eq!(
            value(&c, &format!("β = {beta}: largest stable η")),
            top,
            max_relative = 1e-8
        );
        let brute = (1..20_000)
            .map(|i| worst_literal(top * i as f64 / 20_000.0, beta, false, &ends))
            .fold(f64::INFINITY, f64::min);
        let claimed = value(&c, &format!("β = {beta}: best rate"));
        assert!(
            brute >= claimed - 1e-9 && brute <= claimed + 2e-3,
            "β = {beta}: {brute} vs {claimed}"
        );
        best_rates.push((beta, brute));
        // on the flat interval the rate is exactly √β
        let (lo, hi) = (
            value(&c, &format!("β = {beta}: best η from")),
            value(&c, &format!("β = {beta}: best η to")),
        );
        if hi > lo {
            for f in [0.1, 0.5, 0.9] {
                let w = worst_literal(lo + f * (hi - lo), beta, false, &ends);
                assert!((w - beta.sqrt()).abs() < 1e-7, "β = {beta}: {w}");
            }
        }
    }
    let fastest = best_rates
        .iter()
        .fold((0.0, 2.0), |a, b| if b.1 < a.1 { *b } else { a });
    assert_eq!(fastest.0, 0.5);
}

#[test]
fn c12_crossovers_by_step_scan_either_side() {
    let c = claims::c12_typical_momenta().unwrap();
    // each crossover: the scanned order of the two best rates flips between 0.98κ* and 1.02κ*
    for (name, b1, b2) in [
        ("κ above which β = 0.5 is slower than 0.9", 0.5, 0.9),
        ("κ above which β = 0.95 is faster than 0.9", 0.95, 0.9),
        ("κ above which β = 0.99 is faster than 0.95", 0.99, 0.95),
    ] {
        let k = value(&c, name);
        let below = scanned_best_rate(b1, 0.98 * k) - scanned_best_rate(b2, 0.98 * k);
        let above = scanned_best_rate(b1, 1.02 * k) - scanned_best_rate(b2, 1.02 * k);
        assert!(
            (below < 0.0) != (above < 0.0),
            "{name}: {k}: {below} {above}"
        );
    }
    // the seed's order at κ = 1e4, by the scan
    let s = |b: f64| scanned_best_rate(b, 1e4);
    assert!(s(0.95) < s(0.9) && s(0.9) < s(0.5) && s(0.95) < s(0.99));
    // noise: the AR(2) closed form against the Lyapunov equation of the literal lines
    let gd = hb_noise_variance(0.01, 0.0, 1.0, 1.0);
    for beta in [0.5, 0.9, 0.95, 0.99] {
        assert_relative_eq!(
            value(
                &c,
                &format!("β = {beta}: noise variance / GD's at η = 0.01")
            ),
            hb_noise_variance(0.01, beta, 1.0, 1.0) / gd,
            max_relative = 1e-8
        );
    }
}
