//! C03: Nesterov's half step, by bisection on the literal heavy-ball and Nesterov updates.

use crate::{bisect_max_step, hb_velocity, nag_velocity, value};
use approx::assert_relative_eq;
use momentum_claims::{self as claims, Verdict};

#[test]
fn c03_nesterov_half_by_literal_update_bisection() {
    let c = claims::c03_nesterov_half_step().unwrap();
    assert_eq!(c.verdict, Verdict::Holds);
    let hb = bisect_max_step(|e| hb_velocity(e, 0.5, 1.0), 10.0);
    let nag = bisect_max_step(|e| nag_velocity(e, 0.5, 1.0), 10.0);
    assert_relative_eq!(hb, 3.0, max_relative = 1e-9);
    assert_relative_eq!(nag, 1.5, max_relative = 1e-9);
    assert_relative_eq!(
        value(&c, "heavy-ball η_max at β = 0.5"),
        hb,
        max_relative = 1e-9
    );
    assert_relative_eq!(
        value(&c, "Nesterov η_max at β = 0.5"),
        nag,
        max_relative = 1e-9
    );
    for beta in [0.0, 0.25, 0.5, 0.9] {
        let r = bisect_max_step(|e| nag_velocity(e, beta, 1.0), 10.0)
            / bisect_max_step(|e| hb_velocity(e, beta, 1.0), 10.0);
        assert_relative_eq!(
            value(&c, &format!("η_max ratio NAG/HB at β = {beta}")),
            r,
            max_relative = 1e-8
        );
    }
}
