//! C09 — over-, under- and critically damped, and the missing alternating regime.
//!
//! **Claim.** "Overdamped (Δ > 0): the roots are real and distinct. The error decreases
//! monotonically (or with at most one sign change)"; "Critically damped (Δ = 0) … often providing
//! the fastest non-oscillatory convergence".
//!
//! **Source.** Seed 001, [`SEED_PRINCIPLES`].
//!
//! **Setting.** Heavy ball η = 2.4, β = 0.25, λ = 1 from rest (x₀ = 1), 40 steps; a
//! critical-damping scan at ηλ = 0.04.
//!
//! **Check.** A heavy-ball setting with Δ > 0 whose dominant root is negative
//! (c₁ = 1 + β − ηλ < 0): its roots, regime and the sign changes of 40 iterations from rest; and
//! at h = ηλ = 0.04 the rate over β ∈ [0, 1) (a scan of 1000 momenta), whose minimum is at
//! critical damping β = (1 − √h)². `tests/it/c09.rs` takes the roots from nalgebra eigenvalues of
//! seed 001's literal update, counts the sign flips of its own simulation of the seed's lines, and
//! finds the fastest momentum by an eigenvalue scan.
//!
//! **Verdict.** Wrong when the setting is overdamped by the seed's criterion (Δ > 0) yet its
//! dominant root is negative, the error changes sign at every one of the 40 steps and the crate
//! classifies the mode as alternating (monotone needs c₁ > 0 too); holds otherwise.

use crate::check::{Check, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{iterate_scalar, rate_at, sig, sign_changes};
use momentum::error::Result;
use momentum::method::Method;

/// C09 (seed 001): "Overdamped (Δ > 0): the roots are real and distinct. The error decreases
/// monotonically (or with at most one sign change)"; "Critically damped (Δ = 0) … often providing
/// the fastest non-oscillatory convergence".
///
/// Computed: a heavy-ball setting with Δ > 0 whose dominant root is negative (c₁ = 1 + β − ηλ < 0),
/// its roots, regime and the sign changes of 40 iterations from rest; and at h = ηλ = 0.04 the rate
/// over β ∈ [0, 1) (scan of 1000 momenta), whose minimum is at critical damping β = (1 − √h)².
pub fn c09_damping_classes() -> Result<Check> {
    let (eta, beta, lambda) = (2.4, 0.25, 1.0);
    let m = Method::heavy_ball(eta, beta)?;
    let mode = m.recurrence().mode(lambda)?;
    let roots = mode.roots();
    let xs = iterate_scalar(&m, |x| lambda * x, 1.0, 40);
    let changes = sign_changes(&xs);
    // critical damping is the fastest momentum at fixed h < 1
    let h: f64 = 0.04;
    let beta_c = (1.0 - h.sqrt()).powi(2);
    let mut best = (f64::NAN, f64::INFINITY);
    for i in 0..1000 {
        let b = i as f64 / 1000.0;
        let r = rate_at(&Method::heavy_ball(h, b)?, 1.0)?;
        if r < best.1 {
            best = (b, r);
        }
    }
    let rate_c = rate_at(&Method::heavy_ball(h, beta_c)?, 1.0)?;
    let gd = rate_at(&Method::gradient_descent(h)?, 1.0)?;
    let wrong = mode.discriminant() > 0.0
        && roots[0].re < 0.0
        && changes == 40
        && mode.regime() == momentum::mode::Regime::Alternating;
    Ok(Check {
        id: "C09",
        example: "claim09_damping_classes",
        statement: "Overdamped (Δ > 0): error decreases monotonically (at most one sign change); \
            underdamped (Δ < 0) oscillates; critical (Δ = 0) is the fastest non-oscillatory"
            .into(),
        seed: SEED_PRINCIPLES.into(),
        setting: format!(
            "heavy ball η = {eta}, β = {beta}, λ = {lambda} from rest (x₀ = 1), 40 steps; \
            critical-damping scan at ηλ = {h}"
        ),
        claimed: vec![quantity(
            "sign changes of an overdamped error (at most)",
            1.0,
        )],
        computed: vec![
            quantity("Δ = c₁² − 4c₀", mode.discriminant()),
            quantity("c₁ = 1 + β − ηλ", mode.c1()),
            quantity("dominant root", roots[0].re),
            quantity("other root", roots[1].re),
            quantity("sign changes in 40 steps from rest", changes as f64),
            quantity("|x₄₀|/x₀", xs.last().copied().unwrap_or(f64::NAN).abs()),
            quantity("critical β = (1 − √h)² at h = 0.04", beta_c),
            quantity("rate at critical β (1 − √h)", rate_c),
            quantity("best β on a 0.001 grid", best.0),
            quantity("best rate on that grid", best.1),
            quantity("GD rate at h = 0.04 (β = 0)", gd),
        ],
        verdict: verdict_if(
            wrong,
            Verdict::Wrong(format!(
                "Δ > 0 holds two regimes: with c₁ = 1 + β − ηλ > 0 (and c₀ ≥ 0) the error is monotone \
                after at most one sign change, but with c₁ < 0 the dominant root is negative and the \
                error flips sign every step (η = {eta}, β = {beta}, λ = 1: roots {} and {}, \
                {changes} sign changes in 40 steps) — too large a step, not too much momentum. \
                Critical damping β = (1 − √ηλ)² is the fastest momentum at fixed ηλ < 1, oscillatory \
                or not (rate 1 − √ηλ = {} at ηλ = 0.04, against {} for GD)",
                sig(roots[0].re, 5),
                sig(roots[1].re, 5),
                sig(rate_c, 6),
                sig(gd, 6)
            )),
            || Verdict::Holds,
        ),
    })
}
