//! C21 — "the primary hyperparameter controlling overshooting is β".
//!
//! **Claim.** "The primary hyperparameter controlling the magnitude of this overshooting is
//! indeed the momentum parameter β".
//!
//! **Source.** Seed 001, [`SEED_PRINCIPLES`].
//!
//! **Setting.** Heavy ball from rest at x₀ = 1 on ½x² (λ = 1), η = h; overshoot =
//! max(0, −min_k x_k/x₀) over 2000 steps.
//!
//! **Check.** The overshoot over a grid of h = ηλ and β
//! ([`overshoot_from_rest`]). `tests/it/c21.rs` recomputes each
//! overshoot from seed 001's velocity lines.
//!
//! **Verdict.** Holds when ηλ < 1 and β is read against the step (overshoot iff
//! β > (1 − √(ηλ))²): if gradient descent at ηλ = 1.5 overshoots by more than 0.4 and at β = 0.9
//! the overshoot at ηλ = 0.5 is more than twice that at 0.01, the verdict is "holds when" with
//! that condition; it holds outright otherwise.

use crate::check::{Check, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{overshoot_from_rest, sig};
use momentum::error::Result;
use momentum::method::Method;

/// C21 (seed 001): "The primary hyperparameter controlling the magnitude of this overshooting is
/// indeed the momentum parameter β".
///
/// Computed: the overshoot −min_k x_k/x₀ from rest on ½λx² (λ = 1) over a grid of h = ηλ and β.
pub fn c21_overshoot_parameter() -> Result<Check> {
    let mut computed = vec![];
    let mut table = vec![];
    for (h, b) in [
        (0.01, 0.9),
        (0.1, 0.9),
        (0.5, 0.9),
        (0.01, 0.5),
        (0.1, 0.5),
        (0.5, 0.5),
        (1.5, 0.0),
        (1.5, 0.5),
    ] {
        let (min_x, _) = overshoot_from_rest(&Method::heavy_ball(h, b)?, 1.0, 2000)?;
        let over = (-min_x).max(0.0);
        table.push(((h, b), over));
        computed.push(quantity(format!("overshoot at ηλ = {h}, β = {b}"), over));
    }
    let get = |h: f64, b: f64| {
        table
            .iter()
            .find(|((hh, bb), _)| *hh == h && *bb == b)
            .map_or(f64::NAN, |x| x.1)
    };
    let gd = get(1.5, 0.0);
    let ok = gd > 0.4 && get(0.5, 0.9) > 2.0 * get(0.01, 0.9);
    Ok(Check {
        id: "C21",
        example: "claim21_overshoot_parameter",
        statement:
            "The primary hyperparameter controlling the magnitude of overshooting is the momentum \
            β"
            .into(),
        seed: SEED_PRINCIPLES.into(),
        setting: "heavy ball from rest at x₀ = 1 on ½x² (λ = 1), η = h; overshoot = max(0, −min_k \
            x_k/x₀) over 2000 steps"
            .into(),
        claimed: vec![],
        computed,
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "ηλ < 1 and β is read against the step: overshoot happens iff β > (1 − √(ηλ))² and \
                its size depends on both (β = 0.9: {} at ηλ = 0.01, {} at ηλ = 0.5); with ηλ > 1 \
                gradient descent itself overshoots by {} (β = 0) — a step-size effect, not momentum",
                sig(get(0.01, 0.9), 4),
                sig(get(0.5, 0.9), 4),
                sig(gd, 3)
            )),
            || Verdict::Holds,
        ),
    })
}
