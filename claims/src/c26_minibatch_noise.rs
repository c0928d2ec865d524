//! C26 — momentum with minibatch noise: "large batch training: helps maintain training
//! stability", "online learning: less beneficial with single samples", "very noisy gradients: may
//! amplify noise".
//!
//! **Claim.** Seed 002, "When Momentum Excels: … Large Batch Training: Helps maintain training
//! stability"; "When to Be Cautious: … Very Noisy Gradients: May amplify noise; Online Learning:
//! Less beneficial with single samples".
//!
//! **Source.** Seed 002, [`SEED_NOTES`].
//!
//! **Setting.** Least squares with Gaussian features, covariance eigenvalues 1/i (i = 1…100),
//! minibatch SGD with heavy-ball momentum, B fresh samples per step: the exact mean-square
//! dynamics ([`momentum::minibatch`], Kidambi et al. 2018; Paquette & Paquette 2021).
//!
//! **Check.** The largest mean-square stable step at B = 1, 64 and full batch for β = 0, 0.5, 0.9;
//! heavy ball's B = 1 edge against (1 − β) times SGD's (momentum as a rescaled step); the speed-up
//! of tuned momentum over tuned SGD in iterations to a 10⁻⁶ reduction of E‖e‖² at B = 1 and 256.
//! `claims/tests/it/c26.rs` checks the edges against a dense 300 × 300 second-moment operator
//! (NumPy eigenvalues and bisection, independent of the secular equation) and the full-batch
//! edges against 2(1 + β)/L.
//!
//! **Verdict.** Holds in this model: at B = 1 momentum only rescales SGD's step (its edge is
//! (1 − β) times SGD's, and tuned momentum is barely faster), larger batches widen the stable range
//! toward the full-batch 2(1 + β)/L, and at a fixed step momentum is unstable in mean square where
//! SGD is not.

use crate::check::{Check, SEED_NOTES, Verdict, quantity, verdict_if};
use crate::common::sig;
use momentum::Method;
use momentum::error::{Error, Result};
use momentum::minibatch::{Batch, Gaussian, critical_batch};

/// The covariance of the check: 1/i, i = 1…100.
pub fn c26_covariance() -> Vec<f64> {
    (1..=100).map(|i| 1.0 / i as f64).collect()
}

/// The largest mean-square stable step of heavy ball (β) at batch size `b` (`None`: full batch).
pub fn c26_edge(beta: f64, b: Option<u64>) -> Result<f64> {
    let batch = match b {
        Some(b) => Batch::new(b)?,
        None => Batch::Full,
    };
    let g = Gaussian::eigenvalues(c26_covariance(), batch, 0.0)?;
    let iv = g.stable_steps(|a| {
        Ok(if beta == 0.0 {
            Method::gradient_descent(a)?
        } else {
            Method::heavy_ball(a, beta)?
        }
        .recurrence())
    })?;
    iv.map(|i| i.hi)
        .ok_or_else(|| Error::Unsupported("no mean-square stable step".into()))
}

/// C26 (seed 002): momentum under minibatch noise — large batches help stability, single
/// samples make momentum less beneficial, noisy gradients may be amplified.
pub fn c26_minibatch_noise() -> Result<Check> {
    let mut computed = vec![];
    let mut edges = vec![];
    for beta in [0.0, 0.5, 0.9] {
        let row = [
            c26_edge(beta, Some(1))?,
            c26_edge(beta, Some(64))?,
            c26_edge(beta, None)?,
        ];
        for (name, e) in ["B = 1", "B = 64", "full batch"].iter().zip(row) {
            computed.push(quantity(
                format!("β = {beta}: largest mean-square stable step, {name}"),
                e,
            ));
        }
        edges.push(row);
    }
    let rescaled = edges[2][0] / (0.1 * edges[0][0]);
    computed.push(quantity(
        "β = 0.9 at B = 1: edge over (1 − β)·SGD's edge",
        rescaled,
    ));
    let g = Gaussian::eigenvalues(c26_covariance(), Batch::new(1)?, 0.0)?;
    let crit = critical_batch(&g, &[1, 256], 1e-6, 2.0)?;
    let (s1, s256) = (crit.rows[0].speedup, crit.rows[1].speedup);
    computed.push(quantity(
        "tuned momentum over tuned SGD, iterations to 1e-6: speed-up at B = 1",
        s1,
    ));
    computed.push(quantity("the same at B = 256", s256));
    // larger batches widen the range for every β; at B = 1 momentum is a rescaled step and barely
    // faster; at a step SGD takes (0.05 < its B = 1 edge) β = 0.9 is mean-square unstable
    let widens = edges.iter().all(|r| r[0] < r[1] && r[1] < r[2]);
    let amplifies = edges[2][0] < 0.05 && 0.05 < edges[0][0];
    let ok = widens && amplifies && (rescaled - 1.0).abs() < 0.2 && s1 < 1.5 && s256 > 2.0;
    Ok(Check {
        id: "C26",
        example: "claim26_minibatch_noise",
        statement: "Large batch training: momentum helps maintain training stability; very noisy \
            gradients: may amplify noise; online learning: less beneficial with single samples"
            .into(),
        seed: SEED_NOTES.into(),
        setting: "least squares, Gaussian features with covariance eigenvalues 1/i (i = 1…100), \
            minibatch heavy ball with B fresh samples per step: exact mean-square dynamics"
            .into(),
        claimed: vec![],
        computed,
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "the noise is minibatch noise (multiplicative). Single samples: heavy ball β = 0.9 is \
                mean-square stable only for α < {} against SGD's {} — {}·(1 − β) times SGD's, so \
                momentum only rescales the step, and tuned momentum is {}× faster than tuned SGD \
                (at B = 256: {}×). Larger batches widen the stable range toward the full-batch \
                2(1 + β)/L ({} at B = 64, {} at full batch). 'Amplify': at α = 0.05, where SGD is \
                stable, β = 0.9 is not",
                sig(edges[2][0], 4),
                sig(edges[0][0], 4),
                sig(rescaled, 4),
                sig(s1, 3),
                sig(s256, 3),
                sig(edges[2][1], 4),
                sig(edges[2][2], 4)
            )),
            || Verdict::Wrong("an ordering differs (see numbers)".into()),
        ),
    })
}
