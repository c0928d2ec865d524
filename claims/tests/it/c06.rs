//! C06: the velocity identities, by direct sums and eigenvalues.

use crate::{assert_tag, hb_velocity, radius, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c06_velocity_identities_by_direct_sums_and_eigenvalues() {
    let c = claims::c06_velocity_average().unwrap();
    assert_tag(&c, "holds when");
    let beta: f64 = 0.9;
    let direct = |t: i32| (0..t).map(|i| beta.powi(i)).sum::<f64>();
    assert_relative_eq!(
        value(&c, "multiplier after t = 10"),
        direct(10),
        max_relative = 1e-14
    );
    assert_relative_eq!(
        value(&c, "multiplier after t = 50"),
        direct(50),
        max_relative = 1e-14
    );
    assert_relative_eq!(
        value(&c, "multiplier after t = 200"),
        10.0,
        max_relative = 1e-8
    );
    let t90 = (1..).find(|&t| direct(t) >= 9.0).unwrap();
    assert_eq!(
        value(&c, "first t with multiplier ≥ 90 % of 1/(1 − β)"),
        f64::from(t90)
    );
    assert_eq!(t90, 22);
    for lambda in [0.01, 0.1, 1.0, 10.0, 25.0] {
        let hb = radius(&hb_velocity(0.01, beta, lambda));
        assert_relative_eq!(
            value(&c, &format!("HB rate at λ = {lambda} (η = 0.01)")),
            hb,
            max_relative = 1e-7
        );
        let gd: f64 = (1.0 - 0.1 * lambda).abs();
        assert!(
            (value(&c, &format!("GD rate with η/(1 − β) = 0.1 at λ = {lambda}")) - gd).abs()
                < 1e-12
        );
    }
}
