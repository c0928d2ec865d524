//! C25: plateau crossing by seed 001's lines with a constant gradient.

use crate::{assert_tag, value};
use momentum_claims as claims;

/// Steps of v ← βv − ηg, x ← x + v (constant slope, η g = 1) from rest to travel n.
fn literal_steps(beta: f64, n: f64) -> usize {
    let (mut x, mut v, mut k) = (0.0f64, 0.0f64, 0usize);
    while x < n - 1e-9 {
        v = beta * v + 1.0;
        x += v;
        k += 1;
    }
    k
}

#[test]
fn c25_plateau_steps_by_iteration() {
    let c = claims::c25_plateaus().unwrap();
    assert_tag(&c, "holds when");
    for n in [10.0, 100.0, 1000.0, 1e4] {
        let k = literal_steps(0.9, n);
        assert_eq!(value(&c, &format!("n = {n}: heavy-ball steps")), k as f64);
        assert_eq!(
            value(&c, &format!("n = {n}: speed-up over GD")),
            n / k as f64
        );
    }
    // half the limit: the literal speed-up is below 5 well before, above 5 well after
    let half = value(&c, "plateau length (GD steps) with half the limit");
    let s = |n: f64| n / literal_steps(0.9, n) as f64;
    assert!(s(0.7 * half) < 5.0 && s(1.5 * half) > 5.0, "{half}");
    // the limit by a long literal run
    assert!((s(1e6) - value(&c, "speed-up limit 1/(1−β)")).abs() < 1e-3);
}
