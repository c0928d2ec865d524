//! C26: the mean-square edges against a dense 300 × 300 second-moment operator (NumPy `eigvals`
//! and 60 bisection steps, independent of the secular equation; numbers from the minibatch
//! helper's script, recorded in docs/DESIGN.md's minibatch section), and B → ∞ against the
//! deterministic edge 2(1 + β)/L.

use crate::{assert_tag, value};
use approx::assert_relative_eq;
use momentum_claims as claims;

#[test]
fn c26_edges_against_the_dense_operator() {
    let c = claims::c26_minibatch_noise().unwrap();
    assert_tag(&c, "holds when");
    for (beta, name, want) in [
        (0.9, "B = 1", 0.0360375650119165),
        (0.9, "B = 64", 1.7754829110820036),
        (0.0, "B = 1", 0.3369225219317129),
    ] {
        assert_relative_eq!(
            value(
                &c,
                &format!("β = {beta}: largest mean-square stable step, {name}")
            ),
            want,
            max_relative = 1e-9
        );
    }
    // full batch: the deterministic edge 2(1 + β)/L with L = 1
    for beta in [0.0, 0.5, 0.9] {
        assert_relative_eq!(
            value(
                &c,
                &format!("β = {beta}: largest mean-square stable step, full batch")
            ),
            2.0 * (1.0 + beta),
            max_relative = 1e-12
        );
    }
}
