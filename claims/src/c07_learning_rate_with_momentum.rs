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
//! **Setting.** Largest curvature L = 1, β = 0.9 (and the β range); C07b keeps a GD-stable step
//! η = 1.5/L unchanged.
//!
//! **Check.** C07a: the largest stable step of gradient descent (2/L), heavy ball (2(1+β)/L),
//! Nesterov ((2+2β)/((1+2β)L)) and of the EWMA form v = βv + (1−β)g, x −= αv, whose canonical
//! step is α(1 − β), so α < 2(1+β)/((1−β)L). C07b: the rates of the three methods at η = 1.5, the
//! factor by which Nesterov must reduce the step, and the reduction that keeps the effective step
//! η/(1 − β). `tests/it/c07.rs` recomputes every largest step by bisection on the nalgebra
//! eigenvalues of the literal GD, heavy-ball, Nesterov and EWMA-form updates, and the rates at
//! η = 1.5 from the same matrices.
//!
//! **Verdict.** C07a is wrong (heavy ball gains at most (1+β) < 2×, Nesterov's limit is smaller;
//! only the EWMA form's α grows 2×–5×) when the heavy-ball ratio is below 2 at β = 0.9 and 0.99
//! and Nesterov's below 1; it holds otherwise. C07b holds when Nesterov is used or the effective
//! step is to be kept: if the step η = 1.5 is stable for GD and heavy ball but not for Nesterov,
//! and heavy ball's largest step is never below GD's for 0 ≤ β < 1, the verdict is "holds when"
//! with that condition; wrong otherwise.

use crate::check::{Check, SEED_BLOG, SEED_NOTES, Verdict, quantity, verdict_if};
use crate::common::{max_stable_step, rate_at, sig};
use momentum::error::Result;
use momentum::method::Method;

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

/// C07a (seed 002): "Momentum allows for higher learning rates. Typical increase: 2x–5x the
/// learning rate without momentum."
///
/// Computed at the largest curvature L = 1, β = 0.9 (and the β range): the largest stable step of
/// gradient descent (2/L), heavy ball (2(1+β)/L), Nesterov ((2+2β)/((1+2β)L)) and of the EWMA form
/// v = βv + (1−β)g, x −= αv, whose canonical step is α(1 − β), so α < 2(1+β)/((1−β)L).
pub fn c07a_higher_learning_rates() -> Result<Check> {
    let (l, beta) = (1.0, 0.9);
    let step = |m: Method| -> Result<f64> { Ok(max_stable_step(&m, l)?.unwrap_or(f64::NAN)) };
    let gd = step(Method::gradient_descent(1.0)?)?;
    let hb = step(Method::heavy_ball(1.0, beta)?)?;
    let nag = step(Method::nesterov(1.0, beta)?)?;
    let ewma = step(ewma_method(1.0, beta)?)? / 1.0;
    // the EWMA form's α is the canonical step divided by (1 − β)
    let ewma_lr = ewma / (1.0 - beta);
    let mut computed = vec![
        quantity("GD η_max·L", gd),
        quantity("HB η_max·L at β = 0.9", hb),
        quantity("NAG η_max·L at β = 0.9", nag),
        quantity("EWMA-form α_max·L at β = 0.9", ewma_lr),
        quantity("ratio HB/GD at β = 0.9 (1 + β)", hb / gd),
        quantity("ratio NAG/GD at β = 0.9 ((1+β)/(1+2β))", nag / gd),
        quantity("ratio EWMA-form/GD at β = 0.9 ((1+β)/(1−β))", ewma_lr / gd),
    ];
    // β at which the EWMA-form ratio (1+β)/(1−β) is 2 and 5
    computed.push(quantity("β where the EWMA-form ratio is 2", 1.0 / 3.0));
    computed.push(quantity("β where the EWMA-form ratio is 5", 2.0 / 3.0));
    let hb_ratio_099 = step(Method::heavy_ball(1.0, 0.99)?)? / gd;
    computed.push(quantity("ratio HB/GD at β = 0.99", hb_ratio_099));
    let wrong = hb / gd < 2.0 && nag / gd < 1.0 && hb_ratio_099 < 2.0;
    Ok(Check {
        id: "C07a",
        example: "claim07_learning_rate_with_momentum",
        statement:
            "Momentum allows higher learning rates: typically 2×–5× the learning rate without \
            momentum"
                .into(),
        seed: SEED_NOTES.into(),
        setting: format!(
            "largest curvature L = {l}, β = {beta}; largest stable step, exact Jury interval"
        ),
        claimed: vec![
            quantity("lr increase, low", 2.0),
            quantity("lr increase, high", 5.0),
        ],
        computed,
        verdict: verdict_if(
            wrong,
            Verdict::Wrong(format!(
                "in the seeds' own form (v = βv + η∇f; also PyTorch, Keras, optax) heavy ball's \
                largest stable η is (1+β)× GD's — under 2× for every β < 1 ({}× at 0.9) — and \
                Nesterov's is (1+β)/(1+2β)× ({}× at 0.9: smaller). Only the EWMA form v = βv + \
                (1−β)g, x −= αv allows a larger α, by (1+β)/(1−β): 2×–5× for 1/3 ≤ β ≤ 2/3, {}× at \
                0.9",
                sig(hb / gd, 3),
                sig(nag / gd, 3),
                sig(ewma_lr / gd, 3)
            )),
            || Verdict::Holds,
        ),
    })
}

/// C07b (seed 003): "With momentum, the effective step size is approximately α/(1−γ) … When
/// switching from vanilla gradient descent to momentum, you may need to reduce your learning
/// rate to maintain stability."
///
/// Computed at L = 1, β = 0.9: a step that is stable for GD (η = 1.5/L, rate 0.5) kept unchanged
/// under heavy ball and Nesterov; the factor by which Nesterov must reduce it; the reduction that
/// keeps the effective step η/(1 − β).
pub fn c07b_reduce_learning_rate() -> Result<Check> {
    let (l, beta, eta) = (1.0, 0.9, 1.5);
    let gd = rate_at(&Method::gradient_descent(eta)?, l)?;
    let hb = rate_at(&Method::heavy_ball(eta, beta)?, l)?;
    let nag = rate_at(&Method::nesterov(eta, beta)?, l)?;
    let nag_max = max_stable_step(&Method::nesterov(1.0, beta)?, l)?.unwrap_or(f64::NAN);
    let gd_max = max_stable_step(&Method::gradient_descent(1.0)?, l)?.unwrap_or(f64::NAN);
    // the smallest ratio (1+β)/1 over β ∈ [0, 1): heavy ball never needs a smaller step
    let hb_min_ratio = (0..100)
        .map(|i| -> Result<f64> {
            let b = i as f64 / 100.0;
            Ok(max_stable_step(&Method::heavy_ball(1.0, b)?, l)?.unwrap_or(f64::NAN) / gd_max)
        })
        .collect::<Result<Vec<f64>>>()?
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    let ok = gd < 1.0 && hb < 1.0 && nag > 1.0 && hb_min_ratio >= 1.0;
    Ok(Check {
        id: "C07b",
        example: "claim07_learning_rate_with_momentum",
        statement:
            "Effective step α/(1−γ) (10× at γ = 0.9): reduce the learning rate when switching to \
            momentum to keep stability"
                .into(),
        seed: SEED_BLOG.into(),
        setting: format!("L = {l}, β = {beta}, a GD-stable step η = {eta}/L kept unchanged"),
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
        ],
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "Nesterov is used (GD-stable steps above (1+β)/(1+2β) = {} of GD's limit diverge: ρ = \
                {} at η = 1.5, β = 0.9) or the aim is to keep the effective step η/(1−β) (divide η \
                by 10); heavy ball needs no reduction for stability: every GD-stable η stays stable \
                for 0 ≤ β < 1 (its limit grows by 1+β; ρ = {} at η = 1.5, β = 0.9)",
                sig(nag_max / gd_max, 3),
                sig(nag, 5),
                sig(hb, 5)
            )),
            || {
                Verdict::Wrong(
                    "the stability numbers do not support the statement (see numbers)".into(),
                )
            },
        ),
    })
}
