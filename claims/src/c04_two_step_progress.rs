//! C04 — "1.46 times the progress" after two iterations.
//!
//! **Claim.** On L(x, y) = ½x² + 25/2·y², "after two iterations, the momentum method can make …
//! 1.46 times the progress of standard GD" in the shallow direction x.
//!
//! **Source.** Seed 001, [`SEED_PRINCIPLES`].
//!
//! **Setting.** The shallow direction x (λ = 1), from rest at x₀ (x₋₁ = x₀); progress = x₀ − x₂.
//! The seed gives neither η nor β.
//!
//! **Check.** The ratio from two iterations of each method (not the formula) at natural settings,
//! the settings on the line β = 0.46(2 − η) that give exactly 1.46, and the window of η that
//! rounds to 1.46 at β = 0.9; the ratio is 1 + β/(2 − ηλ) ([`two_step_progress_ratio`]).
//! `tests/it/c04.rs` iterates seed 001's velocity lines on the two-dimensional L and finds the
//! rounding window by a brute-force scan of η.
//!
//! **Verdict.** Holds when β = 0.46(2 − η): if two iterations at η = 0.04, β = 0.9 give a ratio
//! within 0.005 of 1.46 that agrees with the formula, the verdict is "holds when" with that
//! condition and the window at β = 0.9; wrong otherwise.

use crate::check::{Check, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{iterate_scalar, rel, sig};
use momentum::error::Result;
use momentum::method::Method;

/// The ratio of progress x₀ − x₂ after two iterations from rest (x_{−1} = x₀) on curvature λ,
/// heavy ball (η, β) over gradient descent (η):
///
/// GD: x₂ = (1 − h)²x₀; HB: x₁ = (1 − h)x₀, x₂ = (1 − h)x₁ − βhx₀ (h = ηλ), so
/// progress_GD = h(2 − h)x₀, progress_HB = h(2 − h + β)x₀ and the ratio is 1 + β/(2 − h).
pub fn two_step_progress_ratio(eta: f64, beta: f64, lambda: f64) -> f64 {
    1.0 + beta / (2.0 - eta * lambda)
}

/// C04 (seed 001): on L(x, y) = ½x² + 25/2·y², "after two iterations, the momentum method can make
/// … 1.46 times the progress of standard GD" in the shallow direction x.
///
/// The ratio depends on (η, β): 1 + β/(2 − η) (λ = 1, [`two_step_progress_ratio`]); it is 1.46
/// exactly on the line β = 0.46(2 − η). The seed gives neither η nor β. Computed: the ratio from
/// two iterations of each method (not the formula) at natural settings, and the settings that
/// give 1.46.
pub fn c04_two_step_progress() -> Result<Check> {
    let ratio_by_iteration = |eta: f64, beta: f64| -> Result<f64> {
        let gd = iterate_scalar(&Method::gradient_descent(eta)?, |x| x, 1.0, 2);
        let hb = iterate_scalar(&Method::heavy_ball(eta, beta)?, |x| x, 1.0, 2);
        Ok((1.0 - hb[2]) / (1.0 - gd[2]))
    };
    let mut computed = vec![];
    for (eta, beta) in [
        (0.04, 0.9),
        (0.05, 0.9),
        (0.1, 0.9),
        (1.0 / 23.0, 0.9),
        (0.1, 0.874),
    ] {
        computed.push(quantity(
            format!("ratio at η = {eta}, β = {beta}"),
            ratio_by_iteration(eta, beta)?,
        ));
    }
    // the 1.46 line and the rounding window at β = 0.9
    computed.push(quantity(
        "η giving exactly 1.46 at β = 0.9 (2 − 0.9/0.46 = 1/23)",
        2.0 - 0.9 / 0.46,
    ));
    computed.push(quantity(
        "β giving exactly 1.46 at η = 0.1 (0.46·1.9)",
        0.46 * 1.9,
    ));
    let eta_lo = 2.0 - 0.9 / 0.455;
    let eta_hi = 2.0 - 0.9 / 0.465;
    computed.push(quantity("smallest η rounding to 1.46 at β = 0.9", eta_lo));
    computed.push(quantity(
        "largest η rounding to 1.46 at β = 0.9 (exclusive)",
        eta_hi,
    ));
    let r = ratio_by_iteration(0.04, 0.9)?;
    let r05 = ratio_by_iteration(0.05, 0.9)?;
    let r1 = ratio_by_iteration(0.1, 0.9)?;
    let holds = (r - 1.46).abs() < 0.005 && rel(r, two_step_progress_ratio(0.04, 0.9, 1.0)) < 1e-12;
    Ok(Check {
        id: "C04",
        example: "claim04_two_step_progress",
        statement:
            "After two iterations on ½x² + 25/2·y² momentum makes 1.46× the progress of GD in the \
            shallow direction"
                .into(),
        seed: SEED_PRINCIPLES.into(),
        setting:
            "shallow direction x (λ = 1), from rest at x₀ (x₋₁ = x₀); progress = x₀ − x₂; ratio = \
            1 + β/(2 − ηλ)"
                .into(),
        claimed: vec![quantity("progress ratio HB/GD after two iterations", 1.46)],
        computed,
        verdict: verdict_if(
            holds,
            Verdict::HoldsWhen(format!(
                "β = 0.46(2 − η) (the ratio is 1 + β/(2 − ηλ), λ = 1); the seed states neither η nor \
                β. With β = 0.9 the ratio rounds to 1.46 for {} ≤ η < {} (η = 0.04: {}, η = 0.05: \
                {}; exactly 1.46 at η = 1/23); η = 0.1, β = 0.9 gives {}, and η = 0.1 needs β = \
                0.874",
                sig(eta_lo, 4),
                sig(eta_hi, 4),
                sig(r, 7),
                sig(r05, 7),
                sig(r1, 7)
            )),
            || Verdict::Wrong("two iterations do not reproduce 1.46 at η = 0.04, β = 0.9".into()),
        ),
    })
}
