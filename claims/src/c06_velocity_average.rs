//! C06 — the velocity as an exponentially weighted average; bias correction; effective step
//! α/(1−γ).
//!
//! **Claim.** The velocity v_t = βv_{t−1} + g_t is Σ β^{t−i} g_i, "an exponentially weighted
//! moving average"; bias correction v̂ = v/(1 − βᵗ) (for the EWMA form v = βv + (1−β)g); "with
//! momentum the effective step size is approximately α/(1 − γ) in the long run … 10× for
//! γ = 0.9".
//!
//! **Source.** Seeds 001, 003 and 002, [`SEED_PRINCIPLES`], [`SEED_BLOG`] and [`SEED_NOTES`].
//!
//! **Setting.** β = 0.9; a constant gradient g = 1; quadratic modes at η = 0.01.
//!
//! **Check.** The unrolled sum against the recursion (g_i = sin(i) + ½, 60 steps), the weights'
//! total, the bias-corrected EWMA of a constant gradient, the multiplier (1 − βᵗ)/(1 − β) of a
//! constant gradient (measured by iterating the velocity), the step at which it reaches 90 % of
//! 1/(1 − β), and on a quadratic heavy ball's rate against gradient descent with the effective
//! step η/(1 − β), curvature by curvature. `tests/it/c06.rs` recomputes the multipliers as direct
//! sums Σβⁱ, heavy ball's rates from nalgebra eigenvalues of seed 001's literal update, and
//! gradient descent's as |1 − ηλ|.
//!
//! **Verdict.** Holds when the gradient is constant (in the limit), or on a quadratic only where
//! ηλ ≪ (1−√β)²: if the velocity identities hold numerically (recursion = unrolled sum,
//! bias-corrected EWMA = g, multiplier → 1/(1−β), 90 % first reached at t = 22) the verdict is
//! "holds when" with that condition; wrong otherwise.

use crate::check::{Check, SEED_BLOG, SEED_NOTES, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{rate_at, rel, sig};
use momentum::error::Result;
use momentum::method::Method;

/// How many times a constant gradient's step heavy ball has taken after t steps from rest:
/// v_t = Σ_{i<t} βⁱ·g = g(1 − βᵗ)/(1 − β), so the multiplier is (1 − βᵗ)/(1 − β) → 1/(1 − β).
pub fn constant_gradient_multiplier(beta: f64, t: u32) -> f64 {
    // (1 − βᵗ)/(1 − β) without cancellation for β near 1: −expm1(t ln β)/(1 − β)
    if beta == 1.0 {
        return f64::from(t);
    }
    -(f64::from(t) * beta.ln()).exp_m1() / (1.0 - beta)
}

/// C06 (seeds 001, 003, 002): the velocity v_t = βv_{t−1} + g_t is Σ β^{t−i} g_i, "an
/// exponentially weighted moving average"; bias correction v̂ = v/(1 − βᵗ) (for the EWMA form
/// v = βv + (1−β)g); "with momentum the effective step size is approximately α/(1 − γ) in the long
/// run … 10× for γ = 0.9".
///
/// Computed: the unrolled sum against the recursion (g_i = sin(i) + ½, 60 steps), the weights'
/// total, the bias-corrected EWMA of a constant gradient, the multiplier (1 − βᵗ)/(1 − β) of a
/// constant gradient (measured by iterating the velocity), the step at which it reaches 90 % of
/// 1/(1 − β), and on a quadratic heavy ball's rate against gradient descent with the effective
/// step η/(1 − β), curvature by curvature.
pub fn c06_velocity_average() -> Result<Check> {
    let beta: f64 = 0.9;
    // (1) unrolled sum vs recursion
    let g: Vec<f64> = (1..=60).map(|i| (i as f64).sin() + 0.5).collect();
    let mut v = 0.0;
    let mut worst_unroll: f64 = 0.0;
    for t in 1..=g.len() {
        v = beta * v + g[t - 1];
        let sum: f64 = (1..=t).map(|i| beta.powi((t - i) as i32) * g[i - 1]).sum();
        worst_unroll = worst_unroll.max((v - sum).abs() / sum.abs().max(1.0));
    }
    // (2) bias-corrected EWMA of a constant gradient is exactly the gradient
    let mut m = 0.0;
    let mut worst_bias: f64 = 0.0;
    let mut first_uncorrected = f64::NAN;
    for t in 1..=100 {
        m = beta * m + (1.0 - beta) * 1.0;
        if t == 1 {
            first_uncorrected = m;
        }
        worst_bias = worst_bias.max((m / (1.0 - beta.powi(t)) - 1.0).abs());
    }
    // (3) multiplier of a constant gradient, by iterating the velocity
    let mut vel = 0.0;
    let mut mult = Vec::new();
    let mut t90 = 0u32;
    for t in 1..=200u32 {
        vel = beta * vel + 1.0;
        mult.push(vel);
        if t90 == 0 && vel >= 0.9 / (1.0 - beta) {
            t90 = t;
        }
    }
    let at = |t: usize| mult.get(t - 1).copied().unwrap_or(f64::NAN);
    // (4) quadratic: heavy ball (η, β) against GD with the effective step η/(1 − β)
    let eta = 0.01;
    let hb = Method::heavy_ball(eta, beta)?;
    let gd_eff = Method::gradient_descent(eta / (1.0 - beta))?;
    let mut computed = vec![
        quantity(
            "max relative |recursion − unrolled sum|, 60 steps",
            worst_unroll,
        ),
        quantity(
            "total weight Σβ^{t−i} after t = 10 (an average would have 1)",
            constant_gradient_multiplier(beta, 10),
        ),
        quantity("uncorrected EWMA of g = 1 at t = 1", first_uncorrected),
        quantity(
            "max |v̂_t − g|, bias-corrected EWMA of constant g, t ≤ 100",
            worst_bias,
        ),
        quantity("multiplier after t = 1", at(1)),
        quantity("multiplier after t = 10", at(10)),
        quantity("multiplier after t = 50", at(50)),
        quantity("multiplier after t = 200", at(200)),
        quantity(
            "first t with multiplier ≥ 90 % of 1/(1 − β)",
            f64::from(t90),
        ),
    ];
    for lambda in [0.01, 0.1, 1.0, 10.0, 25.0] {
        computed.push(quantity(
            format!("HB rate at λ = {lambda} (η = {eta})"),
            rate_at(&hb, lambda)?,
        ));
        computed.push(quantity(
            format!("GD rate with η/(1 − β) = 0.1 at λ = {lambda}"),
            rate_at(&gd_eff, lambda)?,
        ));
    }
    let limit = 1.0 / (1.0 - beta);
    let (hb_slow, gd_slow) = (rate_at(&hb, 0.01)?, rate_at(&gd_eff, 0.01)?);
    let (hb_1, gd_1) = (rate_at(&hb, 1.0)?, rate_at(&gd_eff, 1.0)?);
    let gd_25 = rate_at(&gd_eff, 25.0)?;
    let holds =
        worst_unroll < 1e-13 && worst_bias < 1e-13 && rel(at(200), limit) < 1e-9 && t90 == 22;
    Ok(Check {
        id: "C06",
        example: "claim06_velocity_average",
        statement:
            "Velocity v_t = Σβ^{t−i}g_i is an exponentially weighted average; bias correction \
            v/(1−βᵗ); effective step α/(1−γ) in the long run (10× at γ = 0.9)"
                .into(),
        seed: format!("{SEED_PRINCIPLES}, {SEED_BLOG}, {SEED_NOTES}"),
        setting: format!("β = {beta}; constant gradient g = 1; quadratic modes at η = {eta}"),
        claimed: vec![quantity("long-run multiplier 1/(1 − γ) at γ = 0.9", 10.0)],
        computed,
        verdict: verdict_if(
            holds,
            Verdict::HoldsWhen(format!(
                "the unrolled sum is exact (v₀ = 0), but it is a weighted sum with total weight \
                (1−βᵗ)/(1−β), not an average; the average is the EWMA form v = βv + (1−β)g, whose \
                bias-corrected v/(1−βᵗ) equals a constant gradient exactly. The 10× multiplier holds \
                for a constant gradient in the limit ({} after 10 steps, 90 % only after {t90}); on \
                a quadratic heavy ball behaves like GD with step η/(1−β) only where ηλ ≪ (1−√β)² (λ \
                = 0.01: rate {} vs {}); at λ = 1 it is {} vs {}, and at λ = 25 GD with the effective \
                step diverges (rate {}) while heavy ball converges ({})",
                sig(at(10), 5),
                sig(hb_slow, 6),
                sig(gd_slow, 6),
                sig(hb_1, 4),
                sig(gd_1, 4),
                sig(gd_25, 3),
                sig(hb_1, 4)
            )),
            || Verdict::Wrong("the velocity identities fail numerically (see numbers)".into()),
        ),
    })
}
