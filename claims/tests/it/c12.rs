//! C12: the typical momenta, by a brute-force step scan of the literal update.

use crate::{assert_tag, bisect_max_step, hb_velocity, value, worst_literal};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c12_typical_momenta_by_brute_force_step_scan() {
    let c = claims::c12_typical_momenta().unwrap();
    assert_tag(&c, "wrong");
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
