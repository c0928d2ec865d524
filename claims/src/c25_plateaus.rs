//! C25 — momentum powers through plateaus; flat regions trap gradient descent.
//!
//! **Claim.** Seed 001: momentum "helps it to power through small bumps and plateaus"; seed 002:
//! "Small local minima or flat regions can trap standard gradient descent", slow convergence
//! where "there are areas with small gradients".
//!
//! **Source.** Seeds 001 and 002, [`SEED_PRINCIPLES`] and [`SEED_NOTES`].
//!
//! **Setting.** A plateau of constant small slope g, width D, entered from rest; lengths in GD
//! steps n = D/(ηg); β = 0.9.
//!
//! **Check.** Heavy ball's distance after k steps from rest, ηg/(1−β)·(k − β(1 − βᵏ)/(1−β))
//! ([`plateau_distance`]); the steps to cross n GD-steps of plateau; the speed-up n/k for n = 10,
//! 100, 1000, 10⁴; the length n at which the speed-up reaches half its limit 1/(1−β) (bisection on
//! the continuous closed form). `tests/it/c25.rs` iterates seed 001's lines with the constant
//! gradient literally and counts the steps.
//!
//! **Verdict.** Holds when "trap" means slow and the plateau is long against 1/(1−β) steps (GD
//! always crosses a slope g > 0; on an exactly flat region from rest neither moves).

use crate::check::{Check, SEED_NOTES, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{bisect_root, sig};
use momentum::error::Result;

/// Heavy ball's distance travelled after k steps from rest on a constant gradient, in units of
/// one GD step ηg: Σ_{j=1..k} (1 − βʲ)/(1 − β) = (k − β(1 − βᵏ)/(1 − β))/(1 − β). Real k allowed.
pub fn plateau_distance(beta: f64, k: f64) -> f64 {
    (k - beta * (1.0 - beta.powf(k)) / (1.0 - beta)) / (1.0 - beta)
}

/// The steps heavy ball needs to cross a plateau n GD-steps long: the least integer k with
/// [`plateau_distance`] ≥ n.
pub fn plateau_steps(beta: f64, n: f64) -> usize {
    let mut k = 0usize;
    while plateau_distance(beta, k as f64) < n {
        k += 1;
    }
    k
}

/// C25 (seeds 001, 002): momentum "powers through plateaus"; flat regions "trap" GD.
///
/// Computed at β = 0.9: steps to cross plateaus of n = 10 … 10⁴ GD-steps ([`plateau_steps`]), the
/// speed-ups, and the plateau length at which the speed-up is half of 1/(1−β).
pub fn c25_plateaus() -> Result<Check> {
    let beta = 0.9;
    let limit = 1.0 / (1.0 - beta);
    let mut computed = vec![];
    let mut speedups = vec![];
    for n in [10.0, 100.0, 1000.0, 1e4] {
        let k = plateau_steps(beta, n);
        let s = n / k as f64;
        speedups.push((n, s));
        computed.push(quantity(format!("n = {n}: heavy-ball steps"), k as f64));
        computed.push(quantity(format!("n = {n}: speed-up over GD"), s));
    }
    // the continuous speed-up n/k(n), k(n) solving plateau_distance(k) = n
    let speedup = |n: f64| -> f64 {
        bisect_root(|k| plateau_distance(beta, k) - n, (0.0, n + 10.0)).map_or(f64::NAN, |k| n / k)
    };
    let half = bisect_root(|t| speedup(t.exp()) - 0.5 * limit, (1f64.ln(), 1e6f64.ln()))?.exp();
    computed.push(quantity("speed-up limit 1/(1−β)", limit));
    computed.push(quantity(
        "plateau length (GD steps) with half the limit",
        half,
    ));
    let ok = speedups.windows(2).all(|w| w[1].1 > w[0].1) && speedups[0].1 < 0.5 * limit;
    Ok(Check {
        id: "C25",
        example: "claim25_plateaus",
        statement: "Momentum powers through plateaus; flat regions with small gradients trap \
            gradient descent"
            .into(),
        seed: format!("{SEED_PRINCIPLES}, {SEED_NOTES}"),
        setting: format!(
            "constant small slope g over a plateau of n GD steps (width nηg), entered from rest; \
            β = {beta}"
        ),
        claimed: vec![],
        computed,
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "'trap' means slow (GD crosses any slope g > 0, in n steps; on an exactly flat \
                region from rest neither method moves) and the plateau is long against 1/(1−β) \
                steps: heavy ball's speed-up is {}, {}, {}, {} for n = 10, 100, 1000, 10⁴ GD-steps, \
                tending to 1/(1−β) = {}; it reaches half of that only for plateaus longer than {} \
                GD steps",
                sig(speedups[0].1, 3),
                sig(speedups[1].1, 3),
                sig(speedups[2].1, 4),
                sig(speedups[3].1, 4),
                sig(limit, 3),
                sig(half, 4)
            )),
            || Verdict::Wrong("the speed-up does not grow with the plateau (see numbers)".into()),
        ),
    })
}
