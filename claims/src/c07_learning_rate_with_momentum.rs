//! C07a and C07b — "2–5× higher learning rates" against "reduce your learning rate when adding
//! momentum".
//!
//! **Claim.** C07a: "Momentum allows for higher learning rates. Typical increase: 2x–5x the
//! learning rate without momentum." C07b: "With momentum, the effective step size is
//! approximately α/(1−γ) … When switching from vanilla gradient descent to momentum, you may need
//! to reduce your learning rate to maintain stability."
//!
//! **Source.** C07a: seed 002, [`SEED_NOTES`]; C07b: seed 003, [`SEED_BLOG`].
//!
//! **Setting.** Largest curvature L = 1, β = 0.9 (and the β range); tuned steps on [1/κ, 1].
//! Seed 002 gives two forms: v = βv + αg, θ −= v, and the "more common" EWMA form
//! v = βv + (1−β)g, θ −= αv (canonical step α(1 − β)). C07b keeps a GD-stable step η = 1.5/L
//! unchanged, and adds gradient noise σ = 1 on ½x².
//!
//! **Check.** C07a: the largest stable step of GD (2/L), heavy ball (2(1+β)/L), Nesterov
//! ((2+2β)/((1+2β)L)) and the EWMA form (2(1+β)/((1−β)L)); the β where the EWMA form's ratio
//! reaches 2 and 5 (bisection on the Jury limits); the ratio of the tuned EWMA-form α (Polyak's
//! step over 1 − β*) to tuned GD's step, and the κ where it is 2 and 5 (bisection). C07b: rates at
//! η = 1.5, the least HB/GD limit ratio over β, and the stationary noise variance of heavy ball
//! against GD at the same η and at η(1 − β) ([`heavy_ball_stationary_variance`]).
//! `tests/it/c07.rs` recomputes the largest steps by bisection on the nalgebra eigenvalues of the
//! literal updates, the tuned ratio from its closed form √κ(κ+1)/(2κ), and the variances from the
//! Lyapunov equation of the literal noisy lines.
//!
//! **Verdict.** C07a holds when the EWMA form is meant (its α limit is ≥ 2× GD's for β ≥ 1/3, ≥ 5×
//! for β ≥ 2/3; tuned, 2–5× for κ between the computed bounds); in the heavy-ball form the gain is
//! (1+β) < 2×. C07b is wrong for the seeds' heavy ball (no GD-stable step becomes unstable); the
//! reduction is needed for Nesterov, or to keep the noise level (≈ 1/(1−β)× GD's at equal η).

use crate::c16_narratives::heavy_ball_stationary_variance;
use crate::check::{Check, SEED_BLOG, SEED_NOTES, Verdict, quantity, verdict_if};
use crate::common::{bisect_root, max_stable_step, rate_at, sig};
use momentum::error::Result;
use momentum::method::Method;
use momentum::spectrum::Spectrum;
use momentum::tune as tuning;

fn ewma_method(lr: f64, beta: f64) -> Result<Method> {
    use momentum::convention::{Framework, FrameworkParams};
    Ok(Framework::Ewma
        .convert(&FrameworkParams {
            lr,
            momentum: Some(beta),
            ..Default::default()
        })?
        .method)
}

/// The tuned EWMA-form α (Polyak's step over 1 − β*) divided by tuned GD's step 2/(L+μ), on
/// curvatures [1/κ, 1] (the library's tuners).
pub fn tuned_ewma_step_ratio(kappa: f64) -> Result<f64> {
    let spec = Spectrum::interval(1.0 / kappa, 1.0)?;
    let hb = tuning::heavy_ball(&spec)?.method;
    let gd = tuning::gradient_descent(&spec)?.method;
    Ok(hb.step() / (1.0 - hb.momentum()) / gd.step())
}

/// C07a (seed 002): "Momentum allows for higher learning rates. Typical increase: 2x–5x the
/// learning rate without momentum."
///
/// Computed at the largest curvature L = 1, β = 0.9 (and the β range): the largest stable step of
/// gradient descent, heavy ball, Nesterov and the EWMA form, the β where the EWMA form's limit is
/// 2× and 5× GD's, and the κ where the tuned EWMA-form α is 2× and 5× tuned GD's step
/// ([`tuned_ewma_step_ratio`]).
pub fn c07a_higher_learning_rates() -> Result<Check> {
    let (l, beta) = (1.0, 0.9);
    let step = |m: Method| -> Result<f64> { Ok(max_stable_step(&m, l)?.unwrap_or(f64::NAN)) };
    let gd = step(Method::gradient_descent(1.0)?)?;
    let hb = step(Method::heavy_ball(1.0, beta)?)?;
    let nag = step(Method::nesterov(1.0, beta)?)?;
    // the EWMA form's α is the canonical step divided by (1 − β)
    let ewma_ratio = |b: f64| -> f64 {
        ewma_method(1.0, b)
            .and_then(|m| max_stable_step(&m, l))
            .map_or(f64::NAN, |s| s.unwrap_or(f64::NAN) / (1.0 - b) / gd)
    };
    let ewma_lr = ewma_ratio(beta) * gd;
    let b2 = bisect_root(|b| ewma_ratio(b) - 2.0, (0.01, 0.99))?;
    let b5 = bisect_root(|b| ewma_ratio(b) - 5.0, (0.01, 0.99))?;
    let tuned = |k: f64| tuned_ewma_step_ratio(k).unwrap_or(f64::NAN);
    let k2 = bisect_root(|t| tuned(t.exp()) - 2.0, (2f64.ln(), 1e6f64.ln()))?.exp();
    let k5 = bisect_root(|t| tuned(t.exp()) - 5.0, (2f64.ln(), 1e6f64.ln()))?.exp();
    let hb_ratio_099 = step(Method::heavy_ball(1.0, 0.99)?)? / gd;
    let computed = vec![
        quantity("GD η_max·L", gd),
        quantity("HB η_max·L at β = 0.9", hb),
        quantity("NAG η_max·L at β = 0.9", nag),
        quantity("EWMA-form α_max·L at β = 0.9", ewma_lr),
        quantity("ratio HB/GD at β = 0.9 (1 + β)", hb / gd),
        quantity("ratio NAG/GD at β = 0.9 ((1+β)/(1+2β))", nag / gd),
        quantity("ratio EWMA-form/GD at β = 0.9 ((1+β)/(1−β))", ewma_lr / gd),
        quantity("β where the EWMA-form ratio is 2", b2),
        quantity("β where the EWMA-form ratio is 5", b5),
        quantity("ratio HB/GD at β = 0.99", hb_ratio_099),
        quantity("tuned EWMA-form α / tuned GD step at κ = 100", tuned(100.0)),
        quantity("κ where the tuned ratio is 2", k2),
        quantity("κ where the tuned ratio is 5", k5),
    ];
    let ok = ewma_lr / gd >= 5.0 && b2 < b5 && k2 < k5 && hb_ratio_099 < 2.0;
    Ok(Check {
        id: "C07a",
        example: "claim07_learning_rate_with_momentum",
        statement:
            "Momentum allows higher learning rates: typically 2×–5× the learning rate without \
            momentum"
                .into(),
        seed: SEED_NOTES.into(),
        setting: format!(
            "largest curvature L = {l}, β = {beta}; largest stable step, exact Jury interval; tuned \
            steps on [1/κ, 1]; both of the seed's forms"
        ),
        claimed: vec![
            quantity("lr increase, low", 2.0),
            quantity("lr increase, high", 5.0),
        ],
        computed,
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "the learning rate is the α of the EWMA form v = βv + (1−β)g, θ −= αv, which the \
                seed calls 'more common': its stable α reaches (1+β)/(1−β)× GD's limit — ≥ 2× for β \
                ≥ {}, ≥ 5× for β ≥ {} ({}× at 0.9), so 2×–5× is allowed for every β ≥ {} — and the \
                tuned α is {}× tuned GD's step at κ = 100, within [2, 5] for κ from {} to {} (≈ \
                √κ/2). In the seed's other form (v = βv + αg, θ −= v; also PyTorch, Keras, optax) the \
                limit grows only by 1+β < 2 ({}× at 0.9) and Nesterov's shrinks ({}×)",
                sig(b2, 4),
                sig(b5, 4),
                sig(ewma_lr / gd, 3),
                sig(b5, 4),
                sig(tuned(100.0), 4),
                sig(k2, 4),
                sig(k5, 4),
                sig(hb / gd, 3),
                sig(nag / gd, 3)
            )),
            || Verdict::Wrong("neither form gives 2×–5× (see numbers)".into()),
        ),
    })
}

/// C07b (seed 003): "With momentum, the effective step size is approximately α/(1−γ) … When
/// switching from vanilla gradient descent to momentum, you may need to reduce your learning
/// rate to maintain stability."
///
/// Computed at L = 1, β = 0.9: a step that is stable for GD (η = 1.5/L, rate 0.5) kept unchanged
/// under heavy ball and Nesterov; the least HB/GD limit ratio over β; Nesterov's needed
/// reduction; stationary noise variance of heavy ball against GD at η = 0.01 and at η(1 − β).
pub fn c07b_reduce_learning_rate() -> Result<Check> {
    let (l, beta, eta) = (1.0, 0.9, 1.5);
    let gd = rate_at(&Method::gradient_descent(eta)?, l)?;
    let hb = rate_at(&Method::heavy_ball(eta, beta)?, l)?;
    let nag = rate_at(&Method::nesterov(eta, beta)?, l)?;
    let nag_max = max_stable_step(&Method::nesterov(1.0, beta)?, l)?.unwrap_or(f64::NAN);
    let gd_max = max_stable_step(&Method::gradient_descent(1.0)?, l)?.unwrap_or(f64::NAN);
    // the smallest ratio of limits over β ∈ [0, 1): heavy ball never needs a smaller step
    let hb_min_ratio = (0..100)
        .map(|i| -> Result<f64> {
            let b = i as f64 / 100.0;
            Ok(max_stable_step(&Method::heavy_ball(1.0, b)?, l)?.unwrap_or(f64::NAN) / gd_max)
        })
        .collect::<Result<Vec<f64>>>()?
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    // gradient noise σ = 1 on ½x²: heavy ball at the same η, and at η(1 − β), against GD at η
    let small = 0.01;
    let var_gd = heavy_ball_stationary_variance(small, 0.0, l, 1.0);
    let same = heavy_ball_stationary_variance(small, beta, l, 1.0) / var_gd;
    let reduced = heavy_ball_stationary_variance(small * (1.0 - beta), beta, l, 1.0) / var_gd;
    let wrong = gd < 1.0 && hb < 1.0 && hb_min_ratio >= 1.0 && nag > 1.0 && same > 1.0;
    Ok(Check {
        id: "C07b",
        example: "claim07_learning_rate_with_momentum",
        statement:
            "Effective step α/(1−γ) (10× at γ = 0.9): reduce the learning rate when switching to \
            momentum to keep stability"
                .into(),
        seed: SEED_BLOG.into(),
        setting: format!(
            "L = {l}, β = {beta}, a GD-stable step η = {eta}/L kept unchanged; gradient noise σ = 1 \
            on ½x² at η = {small}"
        ),
        claimed: vec![quantity(
            "effective step multiplier 1/(1 − γ) at γ = 0.9",
            10.0,
        )],
        computed: vec![
            quantity("GD rate at η = 1.5", gd),
            quantity("HB rate at η = 1.5, β = 0.9", hb),
            quantity("NAG rate at η = 1.5, β = 0.9", nag),
            quantity("smallest HB/GD η_max ratio over β ∈ [0, 1)", hb_min_ratio),
            quantity(
                "NAG η_max/GD η_max at β = 0.9 (needed reduction)",
                nag_max / gd_max,
            ),
            quantity("reduction keeping the effective step η/(1−β)", 1.0 - beta),
            quantity("HB/GD noise variance at the same η", same),
            quantity("HB at η(1−β) / GD at η: noise variance", reduced),
        ],
        verdict: verdict_if(
            wrong,
            Verdict::Wrong(format!(
                "for the seed's heavy ball no reduction is needed for stability: its limit 2(1+β)/L \
                is never below GD's 2/L (least ratio {} over β ∈ [0, 1)), so every GD-stable η \
                stays stable (ρ = {} at η = 1.5, β = 0.9). The reasons to reduce η are others: \
                gradient noise — at the same η heavy ball's stationary variance is {}× GD's, and \
                at η(1 − β) it is {}× — or Nesterov, whose limit is (1+β)/(1+2β) = {} of GD's (ρ = \
                {} at η = 1.5)",
                sig(hb_min_ratio, 3),
                sig(hb, 5),
                sig(same, 4),
                sig(reduced, 4),
                sig(nag_max / gd_max, 3),
                sig(nag, 5)
            )),
            || {
                Verdict::HoldsWhen(
                    "a GD-stable step became unstable under heavy ball (see numbers)".into(),
                )
            },
        ),
    })
}
