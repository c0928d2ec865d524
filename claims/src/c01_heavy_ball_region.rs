//! C01 — the heavy-ball stability region.
//!
//! **Claim.** Heavy ball on f(w) = ½λw² converges iff −1 < β < 1 and 0 < η < 2(1+β)/λ
//! (η_max linear in β).
//!
//! **Source.** Seed 001, [`SEED_PRINCIPLES`].
//!
//! **Setting.** λ = 4; β ∈ {−0.9, −0.5, 0, 0.5, 0.9, 0.99} inside the claimed range and
//! β ∈ {−1.01, −1, 1, 1.01} outside it.
//!
//! **Check.** The exact stable-step interval of the crate's Jury test at each β (its ends must be
//! 0 and 2(1+β)/λ), and whether any stable step exists for |β| ≥ 1. `tests/it/c01.rs` recomputes
//! the largest step by bisection on the nalgebra eigenvalues of seed 001's literal update
//! v ← βv − η∇f, x ← x + v, and scans a grid of steps for |β| ≥ 1.
//!
//! **Verdict.** Holds when every interval runs from exactly 0 to 2(1+β)/λ (relative error below
//! 1e-14) and no step is stable for |β| ≥ 1; wrong otherwise.

use crate::check::{Check, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::rel;
use momentum::error::Result;
use momentum::method::Method;
use momentum::spectrum::Spectrum;
use momentum::stability::method_stable_steps;

/// C01 (seed 001): heavy ball on f(w) = ½λw² converges iff −1 < β < 1 and 0 < η < 2(1+β)/λ.
///
/// Computed: the exact stable-step interval of the crate's Jury test (`region::stable_steps`) at
/// λ = 4 for β ∈ {−0.9, −0.5, 0, 0.5, 0.9, 0.99} (its ends must be 0 and 2(1+β)/λ), and the absence
/// of any stable step for β ∈ {−1.01, −1, 1, 1.01}. The Jury inequalities for
/// z² − (1 + β − ηλ)z + β are 1 − β > 0, 1 + β > 0, ηλ > 0 and 2(1 + β) − ηλ > 0: the region is
/// exactly the seed's.
pub fn c01_heavy_ball_region() -> Result<Check> {
    let lambda = 4.0;
    let mut claimed = vec![];
    let mut computed = vec![];
    let mut ok = true;
    for beta in [-0.9, -0.5, 0.0, 0.5, 0.9, 0.99] {
        let m = Method::heavy_ball(1.0, beta)?;
        let want = 2.0 * (1.0 + beta) / lambda;
        let iv = method_stable_steps(&m, &Spectrum::eigenvalues(vec![lambda])?)?;
        let (lo, hi) = iv.map_or((f64::NAN, f64::NAN), |iv| (iv.lo, iv.hi));
        ok &= lo == 0.0 && rel(hi, want) < 1e-14;
        claimed.push(quantity(format!("η_max at β = {beta}"), want));
        computed.push(quantity(format!("η_max at β = {beta}"), hi));
        computed.push(quantity(format!("η_min at β = {beta}"), lo));
    }
    for beta in [-1.01, -1.0, 1.0, 1.01] {
        let m = Method::heavy_ball(1.0, beta)?;
        let any = method_stable_steps(&m, &Spectrum::eigenvalues(vec![lambda])?)?.is_some();
        ok &= !any;
        computed.push(quantity(
            format!("stable steps exist at β = {beta} (1 yes, 0 no)"),
            f64::from(u8::from(any)),
        ));
    }
    Ok(Check {
        id: "C01",
        example: "claim01_heavy_ball_region",
        statement:
            "Heavy ball on ½λw² is stable iff −1 < β < 1 and 0 < η < 2(1+β)/λ (η_max linear in β)"
                .into(),
        seed: SEED_PRINCIPLES.into(),
        setting: format!("λ = {lambda}; exact Jury interval of the step at each β"),
        claimed,
        computed,
        verdict: verdict_if(ok, Verdict::Holds, || {
            Verdict::Wrong("the Jury interval differs from 0 < η < 2(1+β)/λ (see numbers)".into())
        }),
    })
}
