//! C14: the ravine paths, by the seeds' literal lines and eigenvalues.

use crate::{assert_tag, hb_lines, hb_velocity, nag_lines, radius, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c14_ravine_paths_by_literal_lines_and_figure() {
    let c = claims::c14_ravine_paths().unwrap();
    assert_tag(&c, "holds when");
    let r = claims::ravine().unwrap();
    for p in r.tuned.iter().chain(&r.same_step) {
        let m = p.method;
        // seed lines: Nesterov x ← x − v with look-ahead x − βv; heavy ball v ← βv − η∇f
        for (i, &lam) in r.curvatures.iter().enumerate() {
            let xs = if m.lookahead() != 0.0 {
                nag_lines(
                    m.step(),
                    m.momentum(),
                    |x| lam * x,
                    r.start[i],
                    claims::RAVINE_STEPS,
                )
            } else {
                hb_lines(
                    m.step(),
                    m.momentum(),
                    |x| lam * x,
                    r.start[i],
                    claims::RAVINE_STEPS,
                )
            };
            for (k, x) in xs.iter().enumerate() {
                assert!((x - p.points[k][i]).abs() < 1e-12, "{} k = {k}", p.label);
            }
        }
    }
    // per-direction rates by eigenvalues
    assert_relative_eq!(
        value(&c, "tuned, GD: rate in the steep direction (λ = 100)"),
        (1.0f64 - 200.0 / 101.0).abs(),
        max_relative = 1e-12
    );
    let hb5 = radius(&hb_velocity(2.0 / 101.0, 0.5, 100.0));
    assert_relative_eq!(
        value(
            &c,
            "same step, HB β = 0.5: rate in the steep direction (λ = 100)"
        ),
        hb5,
        max_relative = 1e-9
    );
    assert!(hb5 < 0.75);
    assert_eq!(value(&c, "tuned, GD: sign flips of x₁ in 30 steps"), 30.0);
    assert_eq!(value(&c, "tuned, NAG: sign flips of x₁ in 30 steps"), 0.0);
}
