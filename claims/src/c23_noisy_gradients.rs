//! C23 — momentum "handles noisy gradients better" and "may amplify noise".
//!
//! **Claim.** Seed 002: "Robustness: … Handles noisy gradients better"; "When to Be Cautious: …
//! Very Noisy Gradients: May amplify noise"; "Low β (0.5–0.7): … Better for noisy gradients".
//!
//! **Source.** Seed 002, [`SEED_NOTES`].
//!
//! **Setting.** ½λx², λ = 1, additive gradient noise σ = 1, η = 0.01; β = 0.5, 0.9.
//!
//! **Check.** The stationary variance of x ([`heavy_ball_stationary_variance`], the AR(2) closed
//! form) for heavy ball against GD at the same η and at the same effective step η/(1 − β), and
//! the factor s* by which heavy ball must scale η to match GD's variance at η (bisection).
//! `tests/it/c23.rs` solves the 2 × 2 Lyapunov equation of the seed's noisy lines with nalgebra
//! and runs a seeded simulation (`momentum::simulate::run`).
//!
//! **Verdict.** Holds when each half is read in its own comparison: "amplify" at equal η, "handles
//! better" at equal effective step (by a few percent only); wrong if the orderings differ.

use crate::c16_narratives::heavy_ball_stationary_variance;
use crate::check::{Check, SEED_NOTES, Verdict, quantity, verdict_if};
use crate::common::{bisect_root, sig};
use momentum::error::Result;

/// C23 (seed 002): momentum "handles noisy gradients better", yet "may amplify noise"; low β is
/// "better for noisy gradients".
///
/// Computed on ½x² with gradient noise σ = 1: heavy ball's stationary Var(x) over GD's at the same
/// η = 0.01 and at the same effective step, for β = 0.5 and 0.9, and the step scaling s* matching
/// GD's variance.
pub fn c23_noisy_gradients() -> Result<Check> {
    let (eta, lambda, sigma) = (0.01, 1.0, 1.0);
    let var = |e: f64, b: f64| heavy_ball_stationary_variance(e, b, lambda, sigma);
    let gd = var(eta, 0.0);
    let mut computed = vec![quantity("GD stationary Var(x), η = 0.01", gd)];
    let mut ok = true;
    let mut same = vec![];
    let mut eff = vec![];
    for beta in [0.5, 0.9] {
        let s = var(eta, beta) / gd;
        let e = var(eta, beta) / var(eta / (1.0 - beta), 0.0);
        ok &= s > 1.0 && e < 1.0;
        same.push(s);
        eff.push(e);
        computed.push(quantity(format!("β = {beta}: HB/GD variance, same η"), s));
        computed.push(quantity(
            format!("β = {beta}: HB/GD variance, same effective step η/(1−β)"),
            e,
        ));
    }
    let s_star = bisect_root(|s| var(s * eta, 0.9) - gd, (1e-3, 1.0))?;
    computed.push(quantity(
        "β = 0.9: step scaling matching GD's variance",
        s_star,
    ));
    ok &= same[0] < same[1];
    Ok(Check {
        id: "C23",
        example: "claim23_noisy_gradients",
        statement:
            "Momentum handles noisy gradients better, yet may amplify noise; low β is better \
            for noisy gradients"
                .into(),
        seed: SEED_NOTES.into(),
        setting: format!(
            "½λx², λ = {lambda}, additive gradient noise σ = {sigma}, η = {eta}; stationary Var(x) \
            (AR(2) closed form)"
        ),
        claimed: vec![],
        computed,
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "each half is read in its own comparison. At the same η momentum amplifies noise: \
                stationary variance {}× GD's (β = 0.5), {}× (β = 0.9) — so low β is indeed \
                better. It 'handles noise better' only at the same effective step η/(1−β), and \
                barely: {}× and {}× GD's. To match GD's variance at η, heavy ball (β = 0.9) must \
                use {}·η, about 1 − β",
                sig(same[0], 4),
                sig(same[1], 4),
                sig(eff[0], 4),
                sig(eff[1], 4),
                sig(s_star, 4)
            )),
            || Verdict::Wrong("the variance orderings differ (see numbers)".into()),
        ),
    })
}
