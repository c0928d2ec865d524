//! C07a and C07b: the largest stable steps, by bisection on the literal updates.

use crate::{
    assert_tag, bisect_max_step, ewma_velocity, hb_velocity, nag_velocity, radius, step_matrix,
    value,
};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c07_largest_steps_by_literal_update_bisection() {
    let a = claims::c07a_higher_learning_rates().unwrap();
    assert_tag(&a, "wrong");
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
    assert_relative_eq!(
        bisect_max_step(|e| ewma_velocity(e, 1.0 / 3.0, 1.0), 100.0) / gd,
        2.0,
        max_relative = 1e-8
    );
    assert_relative_eq!(
        bisect_max_step(|e| ewma_velocity(e, 2.0 / 3.0, 1.0), 100.0) / gd,
        5.0,
        max_relative = 1e-8
    );

    let b = claims::c07b_reduce_learning_rate().unwrap();
    assert_tag(&b, "holds when");
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
}
