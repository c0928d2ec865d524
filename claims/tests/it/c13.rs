//! C13: the reversed look-ahead, by the blog's literal update.

use crate::{assert_tag, bisect_max_step, blog_nag_velocity, radius, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c13_reversed_lookahead_by_literal_blog_update() {
    let c = claims::c13_reversed_lookahead().unwrap();
    assert_tag(&c, "wrong");
    // literal blog update vs the canonical general(α, γ, −γ): same eigenvalues at several λ
    for lambda in [0.01, 0.3, 1.0] {
        let lit = radius(&blog_nag_velocity(0.05, 0.9, lambda));
        let m = claims::reversed_lookahead(0.05, 0.9).unwrap();
        let can = m.recurrence().mode(lambda).unwrap().spectral_radius();
        assert_relative_eq!(lit, can, max_relative = 1e-9);
    }
    let rev = bisect_max_step(|a| blog_nag_velocity(a, 0.9, 1.0), 10.0);
    assert_relative_eq!(rev, 1.0 / 9.0, max_relative = 1e-8);
    assert_relative_eq!(
        value(&c, "reversed: largest stable ηλ at γ = 0.9 ((1−γ)/γ)"),
        rev,
        max_relative = 1e-8
    );
    // best rate at γ = 0.9 over the step, κ = 100, by a brute-force scan of the literal update
    let brute = (1..20_000)
        .map(|i| {
            let a = rev * i as f64 / 20_000.0;
            radius(&blog_nag_velocity(a, 0.9, 0.01)).max(radius(&blog_nag_velocity(a, 0.9, 1.0)))
        })
        .fold(f64::INFINITY, f64::min);
    let claimed = value(&c, "reversed: best rate at γ = 0.9, κ = 100");
    assert!(
        brute >= claimed - 1e-9 && brute <= claimed + 1e-4,
        "{brute} vs {claimed}"
    );
    // tuned over (α, γ) by a coarse brute-force grid: not better than the minimax, worse than NAG
    let mut coarse = f64::INFINITY;
    for j in 0..100 {
        let g = j as f64 / 100.0;
        for i in 1..400 {
            let a = 4.0 * i as f64 / 400.0;
            let r =
                radius(&blog_nag_velocity(a, g, 0.01)).max(radius(&blog_nag_velocity(a, g, 1.0)));
            coarse = coarse.min(r);
        }
    }
    let tuned = value(&c, "reversed, minimax-tuned: rate");
    assert!(
        coarse >= tuned - 1e-9 && coarse <= tuned + 5e-3,
        "{coarse} vs {tuned}"
    );
    assert!(tuned > 0.9);
}
