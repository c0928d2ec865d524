//! C24: seed 001's heavy-ball lines on its ravine, literally.

use crate::{assert_tag, hb_lines, hb_velocity, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c24_steep_mode_by_the_seed_lines() {
    let c = claims::c24_ravine_oscillation().unwrap();
    assert_tag(&c, "wrong");
    for eta in [0.04, 0.05] {
        // y-coordinate of v ← βv − η∇L, x ← x + v on L = ½x² + 25/2·y², from (1, 1) at rest
        let hy = hb_lines(eta, 0.9, |y| 25.0 * y, 1.0, 400);
        let gy = hb_lines(eta, 0.0, |y| 25.0 * y, 1.0, 400);
        let first_small = |ys: &[f64]| {
            (0..ys.len())
                .find(|&k| ys[k..].iter().all(|y| y.abs() < 1e-6))
                .unwrap()
        };
        let (hk, gk) = (first_small(&hy), first_small(&gy));
        // sign changes, an exact zero (y₁ = 0 at η = 0.04) carrying no sign
        let flips = |ys: &[f64]| {
            let nz: Vec<f64> = ys.iter().copied().filter(|y| *y != 0.0).collect();
            nz.windows(2).filter(|w| w[0] * w[1] < 0.0).count()
        };
        assert_eq!(
            value(&c, &format!("η = {eta}: HB steps until |y| < 1e-6")),
            hk as f64
        );
        assert_eq!(
            value(&c, &format!("η = {eta}: GD steps until |y| < 1e-6")),
            gk as f64
        );
        assert_eq!(
            value(
                &c,
                &format!("η = {eta}: HB sign changes of y while |y| ≥ 1e-6")
            ),
            flips(&hy[..=hk]) as f64
        );
        // the fraction of sign-changing steps from nalgebra's eigenvalue argument
        let ev = hb_velocity(eta, 0.9, 25.0).complex_eigenvalues();
        let frac = ev[0].arg().abs() / std::f64::consts::PI;
        assert_relative_eq!(
            value(&c, &format!("η = {eta}: HB sign-change fraction arg(r)/π")),
            frac,
            max_relative = 1e-9
        );
        assert!((flips(&hy[..=hk]) as f64 / hk as f64 - frac).abs() < 0.02);
        assert!(gk <= 10 && hk > 10 * gk);
    }
}
