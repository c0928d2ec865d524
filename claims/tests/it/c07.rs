//! C07a and C07b: the largest stable steps, by bisection on the literal updates.

use crate::{
    assert_tag, bisect_max_step, ewma_velocity, hb_noise_variance, hb_velocity, nag_velocity,
    radius, step_matrix, value,
};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c07_largest_steps_by_literal_update_bisection() {
    let a = claims::c07a_higher_learning_rates().unwrap();
    assert_tag(&a, "holds when");
    let gd = bisect_max_step(|e| step_matrix(|[x, _]| [x - e * x, 0.0]), 10.0);
    let hb = bisect_max_step(|e| hb_velocity(e, 0.9, 1.0), 10.0);
    let nag = bisect_max_step(|e| nag_velocity(e, 0.9, 1.0), 10.0);
    let ewma = bisect_max_step(|e| ewma_velocity(e, 0.9, 1.0), 100.0);
    assert_relative_eq!(gd, 2.0, max_relative = 1e-9);
    assert_relative_eq!(
        a.value("ratio HB/GD at β = 0.9 (1 + β)").unwrap(),
        hb / gd,
        max_relative = 1e-8
    );
    assert_relative_eq!(
        a.value("ratio NAG/GD at β = 0.9 ((1+β)/(1+2β))").unwrap(),
        nag / gd,
        max_relative = 1e-8
    );
    assert_relative_eq!(
        a.value("ratio EWMA-form/GD at β = 0.9 ((1+β)/(1−β))")
            .unwrap(),
        ewma / gd,
        max_relative = 1e-8
    );
    // heavy ball's ratio stays below 2 for every β < 1; the EWMA form's passes 2 and 5 at 1/3, 2/3
    for beta in [0.5, 0.9, 0.99, 0.999] {
        assert!(bisect_max_step(|e| hb_velocity(e, beta, 1.0), 10.0) / gd < 2.0);
    }
    // the computed β thresholds: the literal EWMA update's limit is 2× and 5× GD's there
    for (name, target) in [
        ("β where the EWMA-form ratio is 2", 2.0),
        ("β where the EWMA-form ratio is 5", 5.0),
    ] {
        let b = value(&a, name);
        assert_relative_eq!(
            bisect_max_step(|e| ewma_velocity(e, b, 1.0), 100.0) / gd,
            target,
            max_relative = 1e-8
        );
    }
    // tuned ratio: closed form √κ(κ+1)/(2κ) (EWMA α = Polyak step/(1−β*) = √κ, GD 2κ/(κ+1))
    let closed = |k: f64| k.sqrt() * (k + 1.0) / (2.0 * k);
    assert_relative_eq!(
        value(&a, "tuned EWMA-form α / tuned GD step at κ = 100"),
        closed(100.0),
        max_relative = 1e-9
    );
    for (name, target) in [
        ("κ where the tuned ratio is 2", 2.0),
        ("κ where the tuned ratio is 5", 5.0),
    ] {
        assert_relative_eq!(closed(value(&a, name)), target, max_relative = 1e-9);
    }

    let b = claims::c07b_reduce_learning_rate().unwrap();
    assert_tag(&b, "wrong");
    assert_relative_eq!(
        value(&b, "HB rate at η = 1.5, β = 0.9"),
        radius(&hb_velocity(1.5, 0.9, 1.0)),
        max_relative = 1e-9
    );
    let nag15 = radius(&nag_velocity(1.5, 0.9, 1.0));
    assert_relative_eq!(
        value(&b, "NAG rate at η = 1.5, β = 0.9"),
        nag15,
        max_relative = 1e-9
    );
    assert!(nag15 > 1.0);
    // every GD-stable step stays stable for heavy ball: the literal limits, β on a grid
    for beta in [0.0, 0.3, 0.6, 0.9, 0.99] {
        assert!(bisect_max_step(|e| hb_velocity(e, beta, 1.0), 10.0) >= 2.0 - 1e-9);
    }
    // noise: the Lyapunov equation of the literal noisy lines
    let gd_var = hb_noise_variance(0.01, 0.0, 1.0, 1.0);
    assert_relative_eq!(
        value(&b, "HB/GD noise variance at the same η"),
        hb_noise_variance(0.01, 0.9, 1.0, 1.0) / gd_var,
        max_relative = 1e-8
    );
    assert_relative_eq!(
        value(&b, "HB at η(1−β) / GD at η: noise variance"),
        hb_noise_variance(0.001, 0.9, 1.0, 1.0) / gd_var,
        max_relative = 1e-8
    );
}
