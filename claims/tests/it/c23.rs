//! C23: noise variances by the Lyapunov equation of the literal lines, and by simulation.

use crate::{assert_tag, hb_noise_variance, value};
use approx::assert_relative_eq;
use momentum::Method;
use momentum::simulate::{Options, Quadratic, run};
use momentum_claims as claims;

#[test]
fn c23_noise_by_lyapunov_and_simulation() {
    let c = claims::c23_noisy_gradients().unwrap();
    assert_tag(&c, "holds when");
    let gd = hb_noise_variance(0.01, 0.0, 1.0, 1.0);
    for beta in [0.5f64, 0.9] {
        let hb = hb_noise_variance(0.01, beta, 1.0, 1.0);
        assert_relative_eq!(
            value(&c, &format!("β = {beta}: HB/GD variance, same η")),
            hb / gd,
            max_relative = 1e-8
        );
        assert_relative_eq!(
            value(
                &c,
                &format!("β = {beta}: HB/GD variance, same effective step η/(1−β)")
            ),
            hb / hb_noise_variance(0.01 / (1.0 - beta), 0.0, 1.0, 1.0),
            max_relative = 1e-8
        );
    }
    // the matching scale: the Lyapunov variance there equals GD's
    let s = value(&c, "β = 0.9: step scaling matching GD's variance");
    assert_relative_eq!(
        hb_noise_variance(s * 0.01, 0.9, 1.0, 1.0),
        gd,
        max_relative = 1e-8
    );
    // a seeded simulation of the same-η ratio (β = 0.5: short correlation time)
    let sim = |m: Method| -> f64 {
        let steps = 1_000_000;
        let q = Quadratic::diagonal(vec![1.0]).unwrap();
        let t = run(
            &m.recurrence(),
            &q,
            &Options {
                steps,
                noise: 1.0,
                seed: 17,
                record_excess: false,
                ..Options::steps(steps)
            },
        )
        .unwrap();
        let tail = &t.error[steps / 10..];
        tail.iter().map(|e| e * e).sum::<f64>() / tail.len() as f64
    };
    let ratio =
        sim(Method::heavy_ball(0.01, 0.5).unwrap()) / sim(Method::gradient_descent(0.01).unwrap());
    assert_relative_eq!(
        value(&c, "β = 0.5: HB/GD variance, same η"),
        ratio,
        max_relative = 0.08
    );
}
