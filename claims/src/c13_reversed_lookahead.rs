//! C13 — Nesterov written with the look-ahead sign reversed.
//!
//! **Claim.** Nesterov written as v_{t+1} = γv_t + α∇J(θ_t + γv_t), θ_{t+1} = θ_t − v_{t+1}.
//!
//! **Source.** Seed 003, [`SEED_BLOG`].
//!
//! **Setting.** The literal check at α = 0.05, γ = 0.9, λ = 1, 200 steps; stability at one
//! curvature (ηλ); rates over [μ, L] = [0.01, 1] (κ = 100).
//!
//! **Check.** The literal update ([`seed003_nesterov_literal`]) against
//! `Method::general(α, γ, −γ)` ([`reversed_lookahead`]; same iterates), the largest stable step at
//! one curvature for γ = 0.9 (reversed, Nesterov, heavy ball), the best rate at γ = 0.9 over the
//! step for κ = 100, and the minimax-tuned (α, γ) of the reversed family. `tests/it/c13.rs`
//! compares nalgebra eigenvalues of the literal blog update with the canonical form, bisects its
//! largest step, and scans the step and (α, γ) by brute force on the literal update.
//!
//! **Verdict.** Wrong (with this sign convention the look-ahead points backwards; it must be
//! θ_t − γv_t) when the literal update is the reversed family, its stable steps are smaller than
//! Nesterov's, its best rate at γ = 0.9 is worse than both Nesterov's and heavy ball's, and even
//! tuned over (α, γ) it is slower than tuned Nesterov; holds otherwise.

use crate::check::{Check, SEED_BLOG, Verdict, quantity, verdict_if};
use crate::common::{best_step, iterate_scalar, max_stable_step, minimax, sig};
use momentum::Spectrum;
use momentum::error::Result;
use momentum::method::Method;
use momentum::tune as tuning;

/// The blog post's Nesterov update, run literally: v_{t+1} = γv_t + α∇J(θ_t + γv_t),
/// θ_{t+1} = θ_t − v_{t+1}, from v₀ = 0, on a scalar function with gradient `grad`.
///
/// Since v_t = θ_{t−1} − θ_t, the gradient is taken at θ_t − γ(θ_t − θ_{t−1}): the canonical family
/// with momentum γ and look-ahead −γ, `Method::general(α, γ, −γ)`, i.e. c₁ = 1 + γ − αλ(1 − γ),
/// c₀ = γ(1 + αλ). (The correct look-ahead θ_t − γv_t gives look-ahead +γ: Nesterov.)
pub fn seed003_nesterov_literal(
    alpha: f64,
    gamma: f64,
    grad: impl Fn(f64) -> f64,
    theta0: f64,
    steps: usize,
) -> Vec<f64> {
    let (mut theta, mut v) = (theta0, 0.0);
    let mut out = vec![theta];
    for _ in 0..steps {
        v = gamma * v + alpha * grad(theta + gamma * v);
        theta -= v;
        out.push(theta);
    }
    out
}

/// The reversed-look-ahead method in canonical form: `Method::general(α, β, −β)`.
pub fn reversed_lookahead(alpha: f64, beta: f64) -> Result<Method> {
    Method::general(alpha, beta, -beta)
}

/// C13 (seed 003): Nesterov written as v_{t+1} = γv_t + α∇J(θ_t + γv_t), θ_{t+1} = θ_t − v_{t+1}:
/// with this sign convention the look-ahead points backwards.
///
/// Computed: the literal update against `Method::general(α, γ, −γ)` (same iterates), the largest
/// stable step at one curvature for γ = 0.9 (reversed, Nesterov, heavy ball), the best rate at
/// γ = 0.9 over the step for κ = 100, and the minimax-tuned (α, γ) of the reversed family.
pub fn c13_reversed_lookahead() -> Result<Check> {
    let (alpha, gamma, lambda) = (0.05, 0.9, 1.0);
    let lit = seed003_nesterov_literal(alpha, gamma, |x| lambda * x, 1.0, 200);
    let can = iterate_scalar(&reversed_lookahead(alpha, gamma)?, |x| lambda * x, 1.0, 200);
    let diff = lit
        .iter()
        .zip(&can)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let h_rev = max_stable_step(&reversed_lookahead(1.0, gamma)?, 1.0)?.unwrap_or(f64::NAN);
    let h_nag = max_stable_step(&Method::nesterov(1.0, gamma)?, 1.0)?.unwrap_or(f64::NAN);
    let h_hb = max_stable_step(&Method::heavy_ball(1.0, gamma)?, 1.0)?.unwrap_or(f64::NAN);
    let (mu, l) = (0.01, 1.0);
    let (_, rev_at_09) = best_step(|a| reversed_lookahead(a, gamma), (mu, l), (1e-9, h_rev / l))?;
    let (_, nag_at_09) = best_step(|a| Method::nesterov(a, gamma), (mu, l), (1e-9, h_nag / l))?;
    let (_, hb_at_09) = best_step(|a| Method::heavy_ball(a, gamma), (mu, l), (1e-9, h_hb / l))?;
    let (ta, tb, trate) = minimax(reversed_lookahead, (mu, l), (1e-9, 4.0 / l), (0.0, 0.999))?;
    let gd = tuning::gradient_descent(&Spectrum::interval(mu, l)?)?.rate;
    let polyak = tuning::heavy_ball(&Spectrum::interval(mu, l)?)?.rate;
    let nag = tuning::nesterov(&Spectrum::interval(mu, l)?)?.rate;
    let ok = diff < 1e-12
        && h_rev < h_nag
        && rev_at_09 > nag_at_09
        && rev_at_09 > hb_at_09
        && trate > nag;
    Ok(Check {
        id: "C13",
        example: "claim13_reversed_lookahead",
        statement:
            "Nesterov: v_{t+1} = γv_t + α∇J(θ_t + γv_t), θ_{t+1} = θ_t − v_{t+1} (look-ahead θ_t \
            + γv_t)"
                .into(),
        seed: SEED_BLOG.into(),
        setting: format!(
            "literal check α = {alpha}, γ = {gamma}, λ = {lambda}, 200 steps; stability at one \
            curvature (ηλ); rates over [μ, L] = [{mu}, {l}] (κ = 100)"
        ),
        claimed: vec![],
        computed: vec![
            quantity("max |literal update − general(α, γ, −γ)|", diff),
            quantity("reversed: largest stable ηλ at γ = 0.9 ((1−γ)/γ)", h_rev),
            quantity("Nesterov: largest stable ηλ at γ = 0.9", h_nag),
            quantity("heavy ball: largest stable ηλ at γ = 0.9", h_hb),
            quantity("reversed: best rate at γ = 0.9, κ = 100", rev_at_09),
            quantity("Nesterov: best rate at γ = 0.9, κ = 100", nag_at_09),
            quantity("heavy ball: best rate at γ = 0.9, κ = 100", hb_at_09),
            quantity("reversed, minimax-tuned: α", ta),
            quantity("reversed, minimax-tuned: γ", tb),
            quantity("reversed, minimax-tuned: rate", trate),
            quantity("tuned GD rate, κ = 100", gd),
            quantity("tuned Nesterov rate, κ = 100", nag),
            quantity("tuned heavy ball rate, κ = 100", polyak),
        ],
        verdict: verdict_if(
            ok,
            Verdict::Wrong(format!(
                "with θ_(t+1) = θ_t − v_(t+1) the velocity points backwards (v_t = θ_(t−1) − θ_t), so \
                θ_t + γv_t = θ_t − γ(θ_t − θ_(t−1)) looks behind: the method is (α, β, γ) = (α, γ, \
                −γ), with c₁ = 1 + γ − αλ(1−γ), c₀ = γ(1 + αλ). Its stable steps shrink to αλ < \
                (1−γ)/γ ({} at γ = 0.9, against {} for Nesterov and {} for heavy ball), its complex \
                roots have modulus √(γ(1+αλ)) > √γ, and at κ = 100 its best rate at γ = 0.9 is {} \
                (Nesterov {}, heavy ball {}); tuned over (α, γ) it reaches only {} (at γ = {}, α = \
                {}) — better than gradient descent ({}) but far from tuned Nesterov ({}) and heavy \
                ball ({}). The look-ahead must be θ_t − γv_t (as in seeds 001 and 002)",
                sig(h_rev, 4),
                sig(h_nag, 4),
                sig(h_hb, 3),
                sig(rev_at_09, 6),
                sig(nag_at_09, 6),
                sig(hb_at_09, 6),
                sig(trate, 6),
                sig(tb, 4),
                sig(ta, 4),
                sig(gd, 6),
                sig(nag, 4),
                sig(polyak, 4)
            )),
            || Verdict::Holds,
        ),
    })
}
