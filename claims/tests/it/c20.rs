//! C20: the step windows, by a scan of the literal update.

use crate::{assert_tag, value, worst_literal};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c20_step_windows_by_scan() {
    let c = claims::c20_step_sensitivity().unwrap();
    assert_tag(&c, "holds when");
    let ends = [0.01, 1.0];
    // scan α on a fine grid with the literal heavy-ball update at β = 0.9
    let target = 0.9f64.sqrt().sqrt(); // √β to the power 1/2: twice the iterations per decade
    let inside: Vec<f64> = (1..40_000)
        .map(|i| 3.8 * i as f64 / 40_000.0)
        .filter(|&a| worst_literal(a, 0.9, false, &ends) <= target)
        .collect();
    let (lo, hi) = (inside[0], inside[inside.len() - 1]);
    assert!((lo - value(&c, "HB β = 0.9: window α_lo")).abs() < 2e-4);
    assert!((hi - value(&c, "HB β = 0.9: window α_hi")).abs() < 2e-4);
    // gradient descent's window: |1 − α λ| ≤ ρ_GD^{1/2} at both ends
    let t = (99.0f64 / 101.0).sqrt();
    assert_relative_eq!(
        value(&c, "GD: window α_lo"),
        (1.0 - t) / 0.01,
        max_relative = 1e-9
    );
    assert_relative_eq!(value(&c, "GD: window α_hi"), 1.0 + t, max_relative = 1e-9);
}
