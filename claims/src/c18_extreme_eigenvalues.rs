//! C18 — the slowest components are at the extreme eigenvalues.
//!
//! **Claim.** "The overall convergence rate is limited by the slowest-converging component, which
//! typically corresponds to the directions associated with the smallest and largest
//! eigenvalues".
//!
//! **Source.** Seed 001, [`SEED_PRINCIPLES`].
//!
//! **Setting.** Curvatures in [0.01, 1]; the asymptotic rate max ρ(λ), and the error after
//! N = 100 steps from rest.
//!
//! **Check.** For Polyak's heavy ball, Nesterov and heavy ball at (η, β) = (1, 0.9): the largest
//! spectral radius over 2001 curvatures and at the two ends (the endpoint theorem of
//! [`momentum::spectrum`] says they are equal), and for the last one the finite-horizon worst case
//! max |P_N(λ)| after N = 100 steps ([`finite_horizon_worst`]), which is attained inside the
//! interval. `tests/it/c18.rs` takes the rate from nalgebra eigenvalues of the full transition
//! over 60 curvatures, and the finite-horizon worst case from seed 001's lines run for 100 steps
//! at 4001 curvatures.
//!
//! **Verdict.** Holds when it is about the asymptotic rate (always, by the endpoint theorem), not
//! for finite horizons: if no sampled curvature beats the ends asymptotically and the N = 100
//! worst case is interior and above the ends, the verdict is "holds when" with that condition;
//! wrong otherwise.

use crate::check::{Check, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{sig, worst_rate};
use momentum::Spectrum;
use momentum::error::Result;
use momentum::method::Method;
use momentum::recurrence::Recurrence;
use momentum::tune as tuning;

/// max_λ |P_N(λ)| over a grid of `samples` curvatures in [μ, L] and where it is attained, for
/// P₀ = P₋₁ = 1, P_(k+1) = c₁(λ)P_k − c₀(λ)P_(k−1) (the error after N steps from rest is P_N(λ)e₀;
/// derived in [`momentum::bounds`], the root crate's `src/bounds.rs`).
pub fn finite_horizon_worst(
    rec: &Recurrence,
    (mu, l): (f64, f64),
    n: usize,
    samples: usize,
) -> (f64, f64) {
    let mut best = (0.0, mu);
    for i in 0..samples {
        let lam = mu + (l - mu) * i as f64 / samples.saturating_sub(1).max(1) as f64;
        let (c1, c0) = rec.coefficients(lam);
        let (mut p_prev, mut p) = (1.0, 1.0);
        for _ in 0..n {
            (p_prev, p) = (p, c1 * p - c0 * p_prev);
        }
        if p.abs() > best.0 {
            best = (p.abs(), lam);
        }
    }
    best
}

/// C18 (seed 001): "The overall convergence rate is limited by the slowest-converging component,
/// which typically corresponds to the directions associated with the smallest and largest
/// eigenvalues".
///
/// Computed for Polyak's heavy ball, Nesterov and heavy ball at (η, β) = (1, 0.9) on [0.01, 1]:
/// the largest spectral radius over 2001 curvatures and at the two ends (the endpoint theorem of
/// [`momentum::spectrum`] says they are equal), and for the last one the finite-horizon worst case
/// max |P_N(λ)| after N = 100 steps, which is attained inside the interval.
pub fn c18_extreme_eigenvalues() -> Result<Check> {
    let (mu, l) = (0.01, 1.0);
    let methods = [
        (
            "Polyak HB",
            tuning::heavy_ball(&Spectrum::interval(mu, l)?)?.method,
        ),
        (
            "Nesterov",
            tuning::nesterov(&Spectrum::interval(mu, l)?)?.method,
        ),
        ("HB η = 1, β = 0.9", Method::heavy_ball(1.0, 0.9)?),
    ];
    let mut computed = vec![];
    let mut ok = true;
    for (name, m) in methods {
        let rec = m.recurrence();
        let mut dense: f64 = 0.0;
        for i in 0..2001 {
            let lam = mu + (l - mu) * i as f64 / 2000.0;
            dense = dense.max(rec.mode(lam)?.spectral_radius());
        }
        let ends = worst_rate(&m, mu, l)?;
        ok &= dense <= ends * (1.0 + 1e-9);
        computed.push(quantity(
            format!("{name}: max ρ over 2001 curvatures"),
            dense,
        ));
        computed.push(quantity(format!("{name}: max ρ at the two ends"), ends));
    }
    let typical = Method::heavy_ball(1.0, 0.9)?.recurrence();
    let n = 100;
    let (worst_n, at_n) = finite_horizon_worst(&typical, (mu, l), n, 4001);
    let end_n = finite_horizon_worst(&typical, (mu, mu), n, 1)
        .0
        .max(finite_horizon_worst(&typical, (l, l), n, 1).0);
    ok &= at_n > mu && at_n < l && worst_n > end_n;
    computed.push(quantity(
        "HB η = 1, β = 0.9, N = 100: max |P_N(λ)| over 4001 curvatures",
        worst_n,
    ));
    computed.push(quantity("HB η = 1, β = 0.9, N = 100: attained at λ", at_n));
    computed.push(quantity(
        "HB η = 1, β = 0.9, N = 100: max |P_N| at the two ends",
        end_n,
    ));
    Ok(Check {
        id: "C18",
        example: "claim18_extreme_eigenvalues",
        statement:
            "The overall rate is limited by the slowest component, typically at the smallest and \
            largest eigenvalues"
                .into(),
        seed: SEED_PRINCIPLES.into(),
        setting: format!(
            "curvatures in [{mu}, {l}]; asymptotic rate max ρ(λ), and the error after N = 100 \
            steps from rest"
        ),
        claimed: vec![],
        computed,
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "it is about the asymptotic rate, and there it holds always, not 'typically': every \
                two-step method's max ρ over [μ, L] is at an end (endpoint theorem, ρ is \
                quasi-convex in λ). After finitely many steps it can fail: heavy ball at η = 1, β = \
                0.9 has its worst error after 100 steps ({} of e₀) at the interior curvature λ = {}, \
                {}× the worst end ({})",
                sig(worst_n, 4),
                sig(at_n, 4),
                sig(worst_n / end_n, 3),
                sig(end_n, 4)
            )),
            || Verdict::Wrong("an interior curvature beat the ends asymptotically".into()),
        ),
    })
}
