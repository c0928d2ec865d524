//! C05: the oscillator schemes, by integrators of their own and eigenvalues of the explicit map.

use crate::{assert_tag, bisect_max_step, hb_lines, radius, step_matrix, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c05_oscillator_schemes_by_own_integrators() {
    let c = claims::c05_physics_discretisation().unwrap();
    assert_tag(&c, "holds when");
    // semi-implicit Euler written with the momentum p = m·v
    let (m, fr, dt) = (2.0, 0.5, 0.1);
    let (eta, beta) = (dt * dt / m, 1.0 - fr * dt / m);
    let mut worst: f64 = 0.0;
    for lambda in [1.0, 25.0] {
        let (mut x, mut p) = (1.0, 0.0);
        let hb = hb_lines(eta, beta, |y| lambda * y, 1.0, 400);
        for h in &hb[1..] {
            p += dt * (-lambda * x - fr * p / m);
            x += dt * p / m;
            worst = worst.max((x - h).abs());
        }
    }
    assert!(worst < 1e-12, "{worst}");
    assert!(value(&c, "max |x_HB − x_semi-implicit Euler|") < 1e-12);
    // explicit Euler: the one-step map on (x, v) at λ = 25, eigenvalues
    let explicit =
        |lambda: f64| step_matrix(|[x, v]| [x + dt * v, v + dt / m * (-lambda * x - fr * v)]);
    let r25 = radius(&explicit(25.0));
    assert_relative_eq!(
        value(&c, "explicit Euler: spectral radius at λ = 25"),
        r25,
        max_relative = 1e-12
    );
    assert!(r25 > 1.0);
    let edge = bisect_max_step(explicit, 100.0);
    assert_relative_eq!(
        value(&c, "explicit Euler: largest stable λ, (1 − β)/η"),
        edge,
        max_relative = 1e-8
    );
    assert!(value(&c, "max |x_HB − x_explicit Euler|") > 1.0);
}
