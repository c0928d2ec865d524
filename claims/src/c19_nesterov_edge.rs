//! C19 — "Nesterov: better convergence, reduces overshooting".
//!
//! **Claim.** Nesterov has "better convergence properties", "reduces overshooting", and its
//! look-ahead "gives NAG its theoretical and often practical edge over the classical momentum
//! method".
//!
//! **Source.** Seeds 002 and 001, [`SEED_NOTES`] and [`SEED_PRINCIPLES`]; seed 003 ([`SEED_BLOG`]):
//! the look-ahead "further improves momentum's performance, especially for convex problems".
//!
//! **Setting.** Tuned rates on [μ, L] = [0.01, 1] (κ = 100); the overshoot from rest on ½x² at
//! η = 0.1, β = 0.9.
//!
//! **Check.** The tuned rates (Polyak heavy ball, Nesterov standard and quadratic-optimal), and at
//! one common (η, β) the overshoot from rest and the rate of each. `tests/it/c19.rs` recomputes
//! the tuned rates from the literal 2 × 2 matrices at the two ends and the overshoots from the
//! seeds' heavy-ball and Nesterov lines.
//!
//! **Verdict.** Holds when it is about overshoot at equal (η, β), or beyond quadratics (C15): if
//! tuned heavy ball is faster than both Nesterov tunings on the quadratic yet Nesterov overshoots
//! less at equal (η, β), the verdict is "holds when" with that condition; it holds outright
//! otherwise.

use crate::check::{Check, SEED_BLOG, SEED_NOTES, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{iterations_per_decade_from_gap, overshoot_from_rest, rate_at, sig};
use momentum::Spectrum;
use momentum::error::Result;
use momentum::method::Method;
use momentum::tune as tuning;

/// C19 (seeds 002, 001): Nesterov has "better convergence properties", "reduces overshooting", and
/// its look-ahead "gives NAG its theoretical and often practical edge over the classical momentum
/// method".
///
/// Computed at κ = 100: tuned rates (Polyak heavy ball, Nesterov standard and quadratic-optimal);
/// and at one common (η, β) = (0.1, 0.9) on ½x² the overshoot from rest and the rate of each.
pub fn c19_nesterov_edge() -> Result<Check> {
    let (mu, l) = (0.01, 1.0);
    let hb = tuning::heavy_ball(&Spectrum::interval(mu, l)?)?;
    let nag = tuning::nesterov(&Spectrum::interval(mu, l)?)?;
    let nq = tuning::nesterov_quadratic(&Spectrum::interval(mu, l)?)?;
    let (eta, beta) = (0.1, 0.9);
    let (hb_min, _) = overshoot_from_rest(&Method::heavy_ball(eta, beta)?, 1.0, 2000)?;
    let (nag_min, _) = overshoot_from_rest(&Method::nesterov(eta, beta)?, 1.0, 2000)?;
    let hb_r = rate_at(&Method::heavy_ball(eta, beta)?, 1.0)?;
    let nag_r = rate_at(&Method::nesterov(eta, beta)?, 1.0)?;
    let ok = hb.rate < nq.rate && nq.rate < nag.rate && (-nag_min) < (-hb_min);
    Ok(Check {
        id: "C19",
        example: "claim19_nesterov_edge",
        statement:
            "Nesterov has better convergence properties than classical momentum and reduces \
            overshooting"
                .into(),
        seed: format!("{SEED_NOTES}, {SEED_PRINCIPLES}, {SEED_BLOG}"),
        setting: format!(
            "tuned rates on [μ, L] = [{mu}, {l}] (κ = 100); overshoot from rest on ½x² at η = \
            {eta}, β = {beta}"
        ),
        claimed: vec![],
        computed: vec![
            quantity("tuned heavy ball (Polyak) rate", hb.rate),
            quantity("tuned Nesterov (standard) rate", nag.rate),
            quantity("tuned Nesterov (quadratic-optimal) rate", nq.rate),
            quantity(
                "HB iterations per decade",
                iterations_per_decade_from_gap(1.0 - hb.rate),
            ),
            quantity(
                "NAG (standard) iterations per decade",
                iterations_per_decade_from_gap(1.0 - nag.rate),
            ),
            quantity("HB overshoot at η = 0.1, β = 0.9", (-hb_min).max(0.0)),
            quantity("NAG overshoot at η = 0.1, β = 0.9", (-nag_min).max(0.0)),
            quantity("HB rate at η = 0.1, β = 0.9, λ = 1", hb_r),
            quantity("NAG rate at η = 0.1, β = 0.9, λ = 1", nag_r),
        ],
        verdict: verdict_if(
            ok,
            Verdict::HoldsWhen(format!(
                "overshoot at equal (η, β): yes ({} vs {} for heavy ball at η = 0.1, β = 0.9; NAG's \
                c₀ = β(1 − ηλ) adds damping). Convergence: on quadratics tuned heavy ball is faster \
                (rate {} vs {} standard, {} quadratic-optimal Nesterov at κ = 100); Nesterov's edge \
                is its guarantee on all smooth strongly convex functions, where heavy ball can cycle \
                (C15)",
                sig((-nag_min).max(0.0), 4),
                sig((-hb_min).max(0.0), 4),
                sig(hb.rate, 4),
                sig(nag.rate, 4),
                sig(nq.rate, 4)
            )),
            || Verdict::Holds,
        ),
    })
}
