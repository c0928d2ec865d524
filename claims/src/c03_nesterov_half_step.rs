//! C03 — Nesterov's largest stable step is half of heavy ball's at momentum 0.5.
//!
//! **Claim.** "With γ = 0.5, the maximum stable learning rate for NAG is only half that of the
//! heavy-ball method".
//!
//! **Source.** Seed 001, [`SEED_PRINCIPLES`].
//!
//! **Setting.** λ = 1; β ∈ {0, 0.25, 0.5, 0.9}; exact Jury intervals.
//!
//! **Check.** Both largest stable steps from the crate's exact Jury interval, and their ratio,
//! which is 1/(1+2β) in general. `tests/it/c03.rs` recomputes both steps by bisection on the
//! nalgebra eigenvalues of the seeds' literal heavy-ball and Nesterov velocity updates.
//!
//! **Verdict.** Holds when the ratio is 1/(1+2β) at every β (relative 1e-14) and one half at
//! β = 0.5; wrong otherwise.

use crate::check::{Check, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{max_stable_step, rel};
use momentum::error::Result;
use momentum::method::Method;

/// C03 (seed 001): "with γ = 0.5, the maximum stable learning rate for NAG is only half that of
/// the heavy-ball method".
///
/// Computed: both largest stable steps at λ = 1 from the exact Jury interval. Closed forms (from
/// the Jury conditions, as in `momentum::stability`): heavy ball 2(1+β)/λ, Nesterov
/// (2+2β)/((1+2β)λ) for 0 ≤ β < 1, so the ratio is 1/(1+2β) — one half exactly at β = ½ and only
/// there.
pub fn c03_nesterov_half_step() -> Result<Check> {
    let lambda = 1.0;
    let mut computed = vec![];
    let mut ratio_half = f64::NAN;
    let mut ok = true;
    for beta in [0.0, 0.25, 0.5, 0.9] {
        let hb = max_stable_step(&Method::heavy_ball(1.0, beta)?, lambda)?.unwrap_or(f64::NAN);
        let nag = max_stable_step(&Method::nesterov(1.0, beta)?, lambda)?.unwrap_or(f64::NAN);
        let ratio = nag / hb;
        ok &= rel(ratio, 1.0 / (1.0 + 2.0 * beta)) < 1e-14;
        if beta == 0.5 {
            ratio_half = ratio;
            computed.push(quantity("heavy-ball η_max at β = 0.5", hb));
            computed.push(quantity("Nesterov η_max at β = 0.5", nag));
        }
        computed.push(quantity(format!("η_max ratio NAG/HB at β = {beta}"), ratio));
    }
    let holds = ok && (ratio_half - 0.5).abs() < 1e-15;
    Ok(Check {
        id: "C03",
        example: "claim03_nesterov_half_step",
        statement:
            "At momentum γ = 0.5 Nesterov's largest stable learning rate is half of heavy ball's"
                .into(),
        seed: SEED_PRINCIPLES.into(),
        setting: format!("λ = {lambda}; exact Jury intervals; the ratio is 1/(1+2β) in general"),
        claimed: vec![quantity("η_max ratio NAG/HB at β = 0.5", 0.5)],
        computed,
        verdict: verdict_if(holds, Verdict::Holds, || {
            Verdict::Wrong("the ratio at β = 0.5 is not 1/2 (see numbers)".into())
        }),
    })
}
