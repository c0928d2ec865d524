//! C17: the effective mass, by solving the mapping for m.

use crate::{assert_tag, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c17_effective_mass_by_solving_the_mapping() {
    let c = claims::c17_effective_mass().unwrap();
    assert_tag(&c, "holds when");
    // solve 1 − c√(η/m) = β for m by bisection (c = 0.5, η = 0.01)
    let mass = |beta: f64| {
        let (mut lo, mut hi) = (1e-6f64, 1e6f64);
        for _ in 0..200 {
            let mid = (lo * hi).sqrt();
            if 1.0 - 0.5 * (0.01 / mid).sqrt() < beta {
                lo = mid
            } else {
                hi = mid
            }
        }
        (lo * hi).sqrt()
    };
    assert_relative_eq!(
        value(&c, "m at γ = 0.9, c and η fixed"),
        mass(0.9),
        max_relative = 1e-9
    );
    assert_relative_eq!(
        value(&c, "m(0.9)/m(0.5), c and η fixed"),
        mass(0.9) / mass(0.5),
        max_relative = 1e-9
    );
    // c and Δt fixed: m = cΔt/(1 − β) from β = 1 − cΔt/m
    assert_relative_eq!(
        value(&c, "m(0.9)/m(0.5), c and Δt fixed"),
        (0.05 / 0.1) / (0.05 / 0.5),
        max_relative = 1e-12
    );
}
