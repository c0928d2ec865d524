//! C22 — "Alternative formulation (more common)": the EWMA form of momentum.
//!
//! **Claim.** Seed 002 gives v = βv + αg, θ −= v, then "Alternative formulation (more common):
//! vₜ₊₁ = β * vₜ + (1-β) * ∇f(θₜ), θₜ₊₁ = θₜ - α * vₜ₊₁".
//!
//! **Source.** Seed 002, [`SEED_NOTES`].
//!
//! **Setting.** lr = 0.1, momentum 0.9 in every convention of `momentum::convention::Framework`.
//!
//! **Check.** The canonical heavy-ball step each framework's (lr, momentum) converts to, divided
//! by lr: 1 means the learning rate multiplies the raw gradient inside the velocity (the seed's
//! first form), 1 − β the EWMA form. `tests/it/c22.rs` runs the frameworks' documented update
//! lines literally (PyTorch, Keras, optax) on ½λx² and compares them with heavy ball at η = lr and
//! with the EWMA lines.
//!
//! **Verdict.** Wrong when every framework's step is lr (none uses the EWMA form); holds if some
//! framework uses the EWMA form.

use crate::check::{Check, SEED_NOTES, Verdict, quantity, verdict_if};
use crate::common::sig;
use momentum::convention::{Framework, FrameworkParams};
use momentum::error::Result;

/// The canonical step of `framework` at (lr, momentum) divided by lr.
pub fn framework_step_per_lr(framework: Framework, lr: f64, momentum: f64) -> Result<f64> {
    let m = framework
        .convert(&FrameworkParams {
            lr,
            momentum: Some(momentum),
            ..Default::default()
        })?
        .method;
    Ok(m.step() / lr)
}

/// C22 (seed 002): the EWMA form v = βv + (1−β)g, θ −= αv is "more common".
///
/// Computed: the canonical step per unit lr of PyTorch, Keras, optax and Sutskever et al. (2013)
/// at lr = 0.1, momentum 0.9 ([`framework_step_per_lr`]), and of the EWMA form for contrast.
pub fn c22_ewma_form() -> Result<Check> {
    let (lr, beta) = (0.1, 0.9);
    let frameworks = [
        Framework::PyTorch,
        Framework::Keras,
        Framework::Optax,
        Framework::Sutskever,
    ];
    let mut computed = vec![];
    let mut all_raw = true;
    for f in frameworks {
        let r = framework_step_per_lr(f, lr, beta)?;
        all_raw &= (r - 1.0).abs() < 1e-12;
        computed.push(quantity(format!("{f}: canonical step / lr"), r));
    }
    let ewma = framework_step_per_lr(Framework::Ewma, lr, beta)?;
    computed.push(quantity("EWMA form: canonical step / lr", ewma));
    Ok(Check {
        id: "C22",
        example: "claim22_ewma_form",
        statement: "The EWMA form v = βv + (1−β)∇f, θ −= αv is the more common formulation".into(),
        seed: SEED_NOTES.into(),
        setting: format!(
            "lr = {lr}, momentum = {beta} in each framework convention the toolkit covers \
            (momentum::convention)"
        ),
        claimed: vec![],
        computed,
        verdict: verdict_if(
            all_raw,
            Verdict::Wrong(format!(
                "every framework the toolkit covers — PyTorch (SGD), Keras (SGD), optax (sgd) and \
                Sutskever et al. (2013) — puts the learning rate on the raw gradient inside the \
                velocity (canonical step = lr, the seed's first form); the EWMA form's step is \
                lr·(1 − β) = {}·lr, so the same lr means a {}× smaller step. The EWMA form is \
                Adam's first moment and the course form, not the frameworks' SGD",
                sig(ewma, 3),
                sig(1.0 / ewma, 3)
            )),
            || Verdict::Holds,
        ),
    })
}
