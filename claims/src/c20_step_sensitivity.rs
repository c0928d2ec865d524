//! C20 — "less sensitive to learning rate choice".
//!
//! **Claim.** Momentum is "less sensitive to learning rate choice".
//!
//! **Source.** Seed 002, [`SEED_NOTES`].
//!
//! **Setting.** Worst-case rate over [0.01, 1] (κ = 100); the window is the steps whose iterations
//! per decade are within 2× of the method's best.
//!
//! **Check.** The window ([`step_window`]) as the ratio α_hi/α_lo for gradient descent, heavy ball
//! at β = 0.9 (whose best rate √β is flat over a whole interval of steps) and Polyak's heavy
//! ball. `tests/it/c20.rs` finds heavy ball's window by a fine scan of the step with the literal
//! update, and gradient descent's from |1 − αλ| in closed form.
//!
//! **Verdict.** Holds when β is above the optimal β*(κ), at the price of a slower best rate: if
//! heavy ball's window at β = 0.9 is wider than gradient descent's and its flat interval is not
//! empty, the verdict is "holds when" with that condition; wrong otherwise.

use crate::check::{Check, SEED_NOTES, Verdict, quantity, verdict_if};
use crate::common::{heavy_ball_best_rate_at_momentum, sig, worst_rate};
use momentum::Spectrum;
use momentum::error::Result;
use momentum::method::Method;
use momentum::tune as tuning;

/// The interval of steps over which a family's worst-case rate over [μ, L] stays within a factor
/// `slack` ≥ 1 of its best in iterations per decade (ρ ≤ ρ_best^(1/slack)), around the step
/// `best`: bisection on each side (the worst-case rate is quasi-convex in the step: each
/// {α : ρ(λ) < r} is an interval because c₁, c₀ are affine in α).
pub fn step_window(
    build: impl Fn(f64) -> Result<Method>,
    (mu, l): (f64, f64),
    best: f64,
    best_rate: f64,
    slack: f64,
    (a_min, a_max): (f64, f64),
) -> Result<(f64, f64)> {
    let target = best_rate.powf(1.0 / slack);
    let within = |a: f64| -> Result<bool> { Ok(worst_rate(&build(a)?, mu, l)? <= target) };
    let edge = |mut inside: f64, mut outside: f64| -> Result<f64> {
        if within(outside)? {
            return Ok(outside);
        }
        for _ in 0..100 {
            let mid = 0.5 * (inside + outside);
            if within(mid)? {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        Ok(inside)
    };
    Ok((edge(best, a_min)?, edge(best, a_max)?))
}

/// C20 (seed 002): momentum is "less sensitive to learning rate choice".
///
/// Computed at κ = 100 (L = 1): the window of steps whose rate is within 2× of each method's best
/// iterations per decade — gradient descent, heavy ball at β = 0.9 (whose best rate √β is
/// flat over a whole interval of steps) and Polyak's heavy ball — as the ratio α_hi/α_lo.
pub fn c20_step_sensitivity() -> Result<Check> {
    let (mu, l) = (0.01, 1.0);
    let gd = tuning::gradient_descent(&Spectrum::interval(mu, l)?)?;
    let (gd_lo, gd_hi) = step_window(
        Method::gradient_descent,
        (mu, l),
        gd.method.step(),
        gd.rate,
        2.0,
        (1e-9, 2.0 / l),
    )?;
    let (r09, a09_lo, a09_hi) = heavy_ball_best_rate_at_momentum(0.9, mu, l)?;
    let mid09 = 0.5 * (a09_lo + a09_hi);
    let (h9_lo, h9_hi) = step_window(
        |a| Method::heavy_ball(a, 0.9),
        (mu, l),
        mid09,
        r09,
        2.0,
        (1e-9, 3.8 / l),
    )?;
    let p = tuning::heavy_ball(&Spectrum::interval(mu, l)?)?;
    let pb = p.method.momentum();
    let (p_lo, p_hi) = step_window(
        |a| Method::heavy_ball(a, pb),
        (mu, l),
        p.method.step(),
        p.rate,
        2.0,
        (1e-9, 2.0 * (1.0 + pb) / l),
    )?;
    let ok = h9_hi / h9_lo > gd_hi / gd_lo && a09_hi > a09_lo;
    Ok(Check {
        id: "C20",
        example: "claim20_step_sensitivity",
        statement: "Momentum is less sensitive to the learning rate choice".into(),
        seed: SEED_NOTES.into(),
        setting: format!(
            "worst-case rate over [{mu}, {l}] (κ = 100); window = steps whose iterations per \
                decade are within 2× of the method's best"
        ),
        claimed: vec![],
        computed: vec![
            quantity("GD: best rate", gd.rate),
            quantity("GD: window α_lo", gd_lo),
            quantity("GD: window α_hi", gd_hi),
            quantity("GD: window ratio α_hi/α_lo", gd_hi / gd_lo),
            quantity("HB β = 0.9: best rate √β", r09),
            quantity("HB β = 0.9: steps with exactly the best rate, from", a09_lo),
            quantity("HB β = 0.9: steps with exactly the best rate, to", a09_hi),
            quantity("HB β = 0.9: window α_lo", h9_lo),
            quantity("HB β = 0.9: window α_hi", h9_hi),
            quantity("HB β = 0.9: window ratio", h9_hi / h9_lo),
            quantity("Polyak HB: best rate", p.rate),
            quantity("Polyak HB: window α_lo", p_lo),
            quantity("Polyak HB: window α_hi", p_hi),
            quantity("Polyak HB: window ratio", p_hi / p_lo),
        ],
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "β is above the optimal β*(κ): then the rate is exactly √β for every step in \
                    [(1−√β)²/μ, (1+√β)²/L] ({}–{} at β = 0.9, κ = 100) and within 2× over a {}× range of \
                    steps, against {}× for GD — bought with a slower best rate ({} vs Polyak's {}); at \
                    Polyak's β* the window is {}× wide",
                sig(a09_lo, 4),
                sig(a09_hi, 4),
                sig(h9_hi / h9_lo, 3),
                sig(gd_hi / gd_lo, 3),
                sig(r09, 4),
                sig(p.rate, 4),
                sig(p_hi / p_lo, 3)
            )),
            || Verdict::Wrong("momentum's window is not wider (see numbers)".into()),
        ),
    })
}
