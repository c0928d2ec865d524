//! C16a … C16r — the narratives: what the toolkit can say, and what would test the rest.
//!
//! **Claim.** The seeds' narratives: Batch Normalization, saddle points, dropout, flat minima and
//! generalization, federated staleness, particle swarms, HMC, low-pass "preconditioning", LASSO
//! threshold-crossing, memory, local minima, GNNs, adversarial transfer, continual and
//! semi-supervised learning, and where momentum excels.
//!
//! **Source.** Seeds 000, 002 and 003, [`SEED_APPLICATIONS`], [`SEED_NOTES`] and [`SEED_BLOG`] (per
//! row).
//!
//! **Setting.** Per row, stated in its `setting`; "not a statement about quadratics" for the rows
//! out of scope.
//!
//! **Check.** Where the toolkit can speak it computes a number: BN's curvature threshold (C16a),
//! saddle escape rates (C16b), stationary noise variances ([`heavy_ball_stationary_variance`],
//! C16c), sharpness limits (C16d), stale-gradient stability (C16e), the PSO mapping (C16f), β = 1
//! dynamics (C16g), filter gains and rates (C16h), support flips of proximal heavy ball
//! ([`proximal_heavy_ball`], [`support_changes`], C16i), buffer counts (C16j), basin crossings
//! on a tilted double well ([`double_well_basins`], C16k) and stale-gradient rates in effective
//! steps (C16q); C16l … C16p and C16r get a row saying what would test them. `tests/it/c16.rs` recomputes the numbers by bisection and
//! nalgebra eigenvalues of literal updates, by `simulate::run` with noise and an EWMA of seeded
//! uniform noise, by a literal PSO run with random draws, and by soft-thresholding written by
//! cases, and (C16k) by the seed's velocity lines from the same starts with Newton's roots.
//!
//! **Verdict.** Per row: "holds when" (with the reading under which it holds) for C16a, b, c, e,
//! f, h, j and k when the computed numbers order as the reading requires, wrong otherwise; C16g
//! and C16i hold when β = 1 sits on the unit circle below ηλ = 4 and momentum adds support flips;
//! C16q is wrong when staleness leaves momentum no wider stable range at equal or equal effective
//! step; C16d, C16l … C16p and C16r are out of scope, C16d with the numbers the toolkit can give.

use crate::check::{
    Check, SEED_APPLICATIONS, SEED_BLOG, SEED_NOTES, SEED_PRINCIPLES, Verdict, out_of_scope,
    quantity, verdict_if,
};
use crate::common::{bisect_root, max_stable_step, rate_at, sig, stale_gradient_recurrence};
use momentum::error::Result;
use momentum::method::Method;
use momentum::spectrum::Spectrum;
use momentum::tune as tuning;

/// Heavy ball's stationary variance of x on ½λx² under additive gradient noise of variance σ²
/// (x_{k+1} = x_k + β(x_k − x_{k−1}) − η(λx_k + σξ_k)): an AR(2) process, whose variance is
/// (1 − a₂)σ_ε²/((1 + a₂)((1 − a₂)² − a₁²)) with a₁ = 1 + β − h, a₂ = −β, σ_ε² = η²σ², i.e.
/// (1 + β)η²σ² / ((1 − β)h(2(1 + β) − h)), h = ηλ (β = 0: η²σ²/(h(2 − h))).
pub fn heavy_ball_stationary_variance(eta: f64, beta: f64, lambda: f64, sigma: f64) -> f64 {
    let h = eta * lambda;
    (1.0 + beta) * eta * eta * sigma * sigma / ((1.0 - beta) * h * (2.0 * (1.0 + beta) - h))
}

/// Proximal heavy ball on ½(x − a)² + τ|x|: x_{k+1} = S_{ητ}(x_k + β(x_k − x_{k−1}) − η(x_k − a)),
/// S_t(y) = sign(y)·max(|y| − t, 0), from rest at x₀.
pub fn proximal_heavy_ball(
    eta: f64,
    beta: f64,
    (a, tau): (f64, f64),
    x0: f64,
    steps: usize,
) -> Vec<f64> {
    let soft = |y: f64, t: f64| y.signum() * (y.abs() - t).max(0.0);
    let (mut prev, mut cur) = (x0, x0);
    let mut out = vec![x0];
    for _ in 0..steps {
        let next = soft(cur + beta * (cur - prev) - eta * (cur - a), eta * tau);
        prev = cur;
        cur = next;
        out.push(cur);
    }
    out
}

/// Number of support changes of a sequence: k with sign(x_k) ≠ sign(x_{k−1}), where sign takes
/// the three values −, 0, +.
pub fn support_changes(xs: &[f64]) -> usize {
    let s = |x: f64| {
        if x > 0.0 {
            1
        } else if x < 0.0 {
            -1
        } else {
            0
        }
    };
    xs.windows(2).filter(|w| s(w[0]) != s(w[1])).count()
}

/// The tilted double well f(x) = x⁴/4 − x²/2 + tilt·x: its gradient.
pub fn double_well_gradient(x: f64, tilt: f64) -> f64 {
    x * x * x - x + tilt
}

/// Where gradient descent and heavy ball end on the double well (C16k).
#[derive(Clone, Debug, PartialEq)]
pub struct DoubleWell {
    /// The deep (left) minimum, the barrier top and the shallow minimum.
    pub deep: f64,
    /// The barrier top (local maximum).
    pub top: f64,
    /// The shallow (right) minimum.
    pub shallow: f64,
    /// Starts per side of the barrier.
    pub starts: usize,
    /// GD runs from the shallow side ending in the deep basin.
    pub gd_to_deep: usize,
    /// GD runs from the deep side ending in the shallow basin.
    pub gd_to_shallow: usize,
    /// Heavy-ball runs from the shallow side ending in the deep basin.
    pub hb_to_deep: usize,
    /// Heavy-ball runs from the deep side ending in the shallow basin.
    pub hb_to_shallow: usize,
    /// The least f(x₀) − f(top) over heavy-ball starts that end on the other side.
    pub lowest_crossing: f64,
}

/// Gradient descent and heavy ball (step `eta`, momentum `beta`) on x⁴/4 − x²/2 + 0.1x from rest
/// at `n` evenly spaced starts on each side of the barrier in [−2.5, 2.5] (ends excluded): how
/// many end (after `steps` steps) in the other basin. The stationary points are the roots of the
/// gradient, by bisection.
pub fn double_well_basins(eta: f64, beta: f64, n: usize, steps: usize) -> Result<DoubleWell> {
    let tilt = 0.1;
    let g = |x: f64| double_well_gradient(x, tilt);
    let f = |x: f64| x.powi(4) / 4.0 - x * x / 2.0 + tilt * x;
    let s = 1.0 / 3f64.sqrt(); // g' = 3x² − 1 vanishes at ±1/√3: the roots are bracketed
    let deep = bisect_root(g, (-3.0, -s))?;
    let top = bisect_root(g, (-s, s))?;
    let shallow = bisect_root(g, (s, 3.0))?;
    let end = |b: f64, x0: f64| {
        let m = Method::heavy_ball(eta, b)?;
        Ok::<f64, momentum::error::Error>(
            crate::common::iterate_scalar(&m, g, x0, steps)
                .last()
                .copied()
                .unwrap_or(f64::NAN),
        )
    };
    let mut out = DoubleWell {
        deep,
        top,
        shallow,
        starts: n,
        gd_to_deep: 0,
        gd_to_shallow: 0,
        hb_to_deep: 0,
        hb_to_shallow: 0,
        lowest_crossing: f64::INFINITY,
    };
    for i in 1..=n {
        let t = i as f64 / (n + 1) as f64;
        let right = top + t * (2.5 - top);
        let left = top - t * (2.5 + top);
        if end(0.0, right)? < top {
            out.gd_to_deep += 1;
        }
        if end(0.0, left)? > top {
            out.gd_to_shallow += 1;
        }
        if end(beta, right)? < top {
            out.hb_to_deep += 1;
            out.lowest_crossing = out.lowest_crossing.min(f(right) - f(top));
        }
        if end(beta, left)? > top {
            out.hb_to_shallow += 1;
            out.lowest_crossing = out.lowest_crossing.min(f(left) - f(top));
        }
    }
    Ok(out)
}

/// C16 (seeds 000, 002, 003): the narratives — Batch Normalization, dropout, saddle points,
/// flat minima and generalization, federated staleness, particle swarms, HMC, low-pass
/// "preconditioning", LASSO threshold-crossing, memory, local minima, GNNs, adversarial
/// transfer, continual and semi-supervised learning. Where the toolkit can speak it computes a
/// number (BN's curvature threshold, saddle escape rates, noise variances, sharpness limits,
/// stale-gradient stability, the PSO mapping, β = 1 dynamics, support flips); the rest get a
/// row saying what would test them.
pub fn c16_narratives() -> Result<Vec<Check>> {
    let mut out = vec![];

    // (a) Batch Normalization rescales curvature
    {
        let (eta, beta, lambda) = (0.1, 0.9, 10.0);
        let m = Method::heavy_ball(eta, beta)?;
        let s_star = max_stable_step(&m, lambda)?.unwrap_or(f64::NAN) / eta;
        let r1 = rate_at(&m, lambda)?;
        let below = rate_at(&m, 0.99 * s_star * lambda)?;
        let above = rate_at(&m, 1.01 * s_star * lambda)?;
        out.push(Check {
            id: "C16a",
            example: "claim16_narratives",
            statement: "BN rescales gradients: a (β, η) stable without BN may become unstable with it".into(),
            seed: SEED_APPLICATIONS.into(),
            setting: format!("BN as a curvature scaling λ → sλ; heavy ball η = {eta}, β = {beta}, λ = {lambda} (ηλ \
                = 1)"),
            claimed: vec![],
            computed: vec![
                quantity("rate at s = 1", r1),
                quantity("threshold s* = 2(1+β)/(ηλ)", s_star),
                quantity("rate at s = 0.99 s*", below),
                quantity("rate at s = 1.01 s*", above),
            ],
            verdict: verdict_if(r1 < 1.0 && below < 1.0 && above > 1.0, Verdict::HoldsWhen(format!(
                "the effective curvature grows by more than s* = 2(1+β)/(ηλ) = {} here: the same (η, \
                    β) is stable (ρ = {}) below and diverges above it",
                sig(s_star, 4), sig(r1, 4))), || Verdict::Wrong("no threshold found".into())),
        });
    }

    // (b) saddle points
    {
        let (eta, beta, lambda) = (0.1, 0.9, -0.01);
        let gd = rate_at(&Method::gradient_descent(eta)?, lambda)?;
        let hb = rate_at(&Method::heavy_ball(eta, beta)?, lambda)?;
        let nag = rate_at(&Method::nesterov(eta, beta)?, lambda)?;
        let per10 = |r: f64| std::f64::consts::LN_10 / r.ln();
        out.push(Check {
            id: "C16b",
            example: "claim16_narratives",
            statement: "GD gets trapped at saddle points; momentum's accumulated velocity cruises past them".into(),
            seed: SEED_BLOG.into(),
            setting: format!("escape along a negative curvature λ = {lambda}: growth factor per step (spectral \
                radius > 1), η = {eta}, β = {beta}"),
            claimed: vec![],
            computed: vec![
                quantity("GD growth factor per step", gd),
                quantity("HB growth factor per step", hb),
                quantity("NAG growth factor per step", nag),
                quantity("GD steps per tenfold escape", per10(gd)),
                quantity("HB steps per tenfold escape", per10(hb)),
                quantity("NAG steps per tenfold escape", per10(nag)),
            ],
            verdict: verdict_if(hb > gd && gd > 1.0, Verdict::HoldsWhen(format!(
                "'trapped' means slow, not stuck (GD escapes too, unless started exactly on the \
                    saddle's stable manifold): per step GD grows the escaping component by {}, heavy \
                    ball by {} (≈ 1 + η|λ|/(1−β)), so heavy ball escapes {}× faster",
                sig(gd, 6), sig(hb, 6), sig(per10(gd) / per10(hb), 3))), || Verdict::Wrong("momentum does not escape faster here".into())),
        });
    }

    // (c) dropout / noisy gradients
    {
        let (eta, beta, lambda, sigma) = (0.01, 0.9, 1.0, 1.0);
        let gd = heavy_ball_stationary_variance(eta, 0.0, lambda, sigma);
        let hb = heavy_ball_stationary_variance(eta, beta, lambda, sigma);
        let gd_eff = heavy_ball_stationary_variance(eta / (1.0 - beta), 0.0, lambda, sigma);
        let ewma = (1.0 - beta) / (1.0 + beta);
        out.push(Check {
            id: "C16c",
            example: "claim16_narratives",
            statement: "Momentum averages dropout's noisy gradients, reducing the variance of the update \
                direction: more stable training".into(),
            seed: format!("{SEED_APPLICATIONS}, {SEED_NOTES}"),
            setting: format!("additive gradient noise σ = {sigma} on ½λx², λ = {lambda}; stationary variance of x \
                (AR(2) closed form); η = {eta}, β = {beta}"),
            claimed: vec![],
            computed: vec![
                quantity("EWMA velocity: noise variance factor (1−β)/(1+β)", ewma),
                quantity("GD stationary Var(x), η = 0.01", gd),
                quantity("HB stationary Var(x), η = 0.01, β = 0.9", hb),
                quantity("GD stationary Var(x), effective step η/(1−β) = 0.1", gd_eff),
                quantity("ratio HB/GD at the same η", hb / gd),
                quantity("ratio HB/GD at the same effective step", hb / gd_eff),
            ],
            verdict: verdict_if(hb > gd && hb < gd_eff, Verdict::HoldsWhen(format!(
                "it is about the velocity: an EWMA of independent noise has {} of its variance. The \
                    iterates are not steadier: on a quadratic heavy ball's stationary spread is {}× GD's \
                    at the same η and {}× GD's at the same effective step η/(1−β) — no gain beyond \
                    taking a smaller effective step",
                sig(ewma, 4), sig(hb / gd, 4), sig(hb / gd_eff, 4))), || Verdict::Wrong("variance ordering unexpected".into())),
        });
    }

    // (d) flat minima and generalization
    {
        let (eta, beta) = (0.1, 0.9);
        let gd = max_stable_step(&Method::gradient_descent(1.0)?, 1.0)?.unwrap_or(f64::NAN) / eta;
        let hb = max_stable_step(&Method::heavy_ball(1.0, beta)?, 1.0)?.unwrap_or(f64::NAN) / eta;
        let nag = max_stable_step(&Method::nesterov(1.0, beta)?, 1.0)?.unwrap_or(f64::NAN) / eta;
        out.push(Check {
            id: "C16d",
            example: "claim16_narratives",
            statement: "Momentum finds flatter minima, which generalize better".into(),
            seed: format!("{SEED_NOTES}, {SEED_BLOG}"),
            setting: format!("linear stability of a minimum with sharpness λ_max at η = {eta}, β = {beta}"),
            claimed: vec![],
            computed: vec![
                quantity("sharpest stable minimum, GD (2/η)", gd),
                quantity("sharpest stable minimum, HB (2(1+β)/η)", hb),
                quantity("sharpest stable minimum, NAG (2(1+β)/((1+2β)η))", nag),
            ],
            verdict: Verdict::OutOfScope(format!(
                "generalization needs trained models and held-out data (e.g. the test error and \
                    Hessian sharpness of networks trained with and without momentum at matched effective \
                    step). What the toolkit can say: the linear-stability filter on minima admits \
                    sharpness up to {} for GD, {} for heavy ball and {} for Nesterov at η = 0.1, β = 0.9 \
                    — at equal η heavy ball tolerates sharper minima, not flatter ones",
                sig(gd, 4), sig(hb, 4), sig(nag, 4))),
        });
    }

    // (e) federated learning: staleness; (q) "a more stable convergence trajectory"
    {
        let beta = 0.9;
        let spec = Spectrum::eigenvalues(vec![1.0])?;
        let stale =
            momentum::stability::stable_steps(&spec, |t| stale_gradient_recurrence(t, beta))?
                .map_or(f64::NAN, |iv| iv.hi);
        let stale_gd =
            momentum::stability::stable_steps(&spec, |t| stale_gradient_recurrence(t, 0.0))?
                .map_or(f64::NAN, |iv| iv.hi);
        let fresh = max_stable_step(&Method::heavy_ball(1.0, beta)?, 1.0)?.unwrap_or(f64::NAN);
        // in effective steps η/(1 − β)
        let stale_eff = stale / (1.0 - beta);
        out.push(Check {
            id: "C16e",
            example: "claim16_narratives",
            statement: "Server momentum's (FedAvgM) stability is influenced by heterogeneity and \
                communication latency".into(),
            seed: SEED_APPLICATIONS.into(),
            setting: format!("one round of staleness: x_(k+1) = x_k + β(x_k − x_(k−1)) − η∇f(x_(k−1)), β = {beta}, \
                λ = 1 (exact Jury interval)"),
            claimed: vec![],
            computed: vec![
                quantity("largest stable ηλ, fresh gradients (heavy ball)", fresh),
                quantity("largest stable ηλ, one-step stale gradients", stale),
                quantity("largest stable ηλ, one-step stale, β = 0", stale_gd),
                quantity("largest stable effective step ηλ/(1−β), one-step stale", stale_eff),
            ],
            verdict: verdict_if(stale < fresh, Verdict::HoldsWhen(format!(
                "read as latency vs stability: one round of staleness shrinks the stable steps from \
                    ηλ < 2(1+β) = {} to ηλ < 1 − β = {} at β = 0.9. Momentum makes staleness worse at \
                    equal step (without momentum the limit only halves, to {}), not at equal effective \
                    step: ηλ/(1−β) < {} with momentum, ηλ < {} without. Drift between heterogeneous \
                    clients is not a quadratic-spectrum question; it would be tested by simulating \
                    FedAvgM on clients with different minimisers",
                sig(fresh, 3), sig(stale, 3), sig(stale_gd, 3), sig(stale_eff, 3), sig(stale_gd, 3))),
                || Verdict::Wrong("staleness did not shrink the stable range".into())),
        });
        let stale_rate = |eta: f64, b: f64| -> Result<f64> {
            Ok(stale_gradient_recurrence(eta, b)?
                .mode(1.0)?
                .spectral_radius())
        };
        // at the effective step 0.05 (stable both ways): rates with and without momentum
        let (r_hb, r_gd) = (
            stale_rate(0.05 * (1.0 - beta), beta)?,
            stale_rate(0.05, 0.0)?,
        );
        out.push(Check {
            id: "C16q",
            example: "claim16_narratives",
            statement: "Server momentum bridges the gap between update rounds and provides a more \
                stable convergence trajectory".into(),
            seed: SEED_APPLICATIONS.into(),
            setting: format!("one round of staleness as in C16e, β = {beta}, λ = 1; equal step and equal \
                effective step η/(1−β) = 0.05"),
            claimed: vec![],
            computed: vec![
                quantity("stale stable range, momentum / none, equal step", stale / stale_gd),
                quantity("stale stable range, momentum / none, equal effective step", stale_eff / stale_gd),
                quantity("stale rate, momentum, effective step 0.05", r_hb),
                quantity("stale rate, no momentum, step 0.05", r_gd),
            ],
            verdict: verdict_if(stale < stale_gd && stale_eff <= stale_gd * (1.0 + 1e-12), Verdict::Wrong(format!(
                "under staleness momentum does not make the trajectory more stable: at equal step its \
                    stable range is {}× that without momentum, at equal effective step {}× (the same \
                    limit); at the effective step 0.05 its rate is {} against {} without",
                sig(stale / stale_gd, 3), sig(stale_eff / stale_gd, 3), sig(r_hb, 5), sig(r_gd, 5))),
                || Verdict::HoldsWhen("momentum widened the stale stable range (see numbers)".into())),
        });
    }

    // (f) particle swarm optimization
    {
        let (w, c) = (0.7298, 1.49618);
        let eta_max_draw = 2.0 * c;
        let hb_limit = max_stable_step(&Method::heavy_ball(1.0, w)?, 1.0)?.unwrap_or(f64::NAN);
        let rate_mean = rate_at(&Method::heavy_ball(c, w)?, 1.0)?;
        let rate_worst = rate_at(&Method::heavy_ball(eta_max_draw, w)?, 1.0)?;
        out.push(Check {
            id: "C16f",
            example: "claim16_narratives",
            statement: "Near the optimum a PSO particle's update is the heavy-ball update: inertia ↔ β, \
                cognitive and social terms ↔ a stochastic learning rate".into(),
            seed: SEED_APPLICATIONS.into(),
            setting: format!("v ← wv + c₁r₁(p − x) + c₂r₂(g − x), x ← x + v with p = g = x*; Clerc–Kennedy w = \
                {w}, c₁ = c₂ = {c}, r ~ U[0, 1]"),
            claimed: vec![],
            computed: vec![
                quantity("largest draw η = c₁ + c₂", eta_max_draw),
                quantity("heavy-ball limit 2(1 + w) (curvature 1)", hb_limit),
                quantity("rate at the mean draw η = 1.49618", rate_mean),
                quantity("rate at the largest draw", rate_worst),
            ],
            verdict: verdict_if(eta_max_draw < hb_limit, Verdict::HoldsWhen(format!(
                "p = g = x*: then v ← wv − (c₁r₁ + c₂r₂)(x − x*) is heavy ball with β = w, η = c₁r₁ + \
                    c₂r₂ on ½‖x − x*‖² — curvature 1 whatever f is (PSO never sees f's curvature). \
                    Clerc–Kennedy's constants keep every draw inside heavy ball's region (η ≤ {} < 2(1 + \
                    w) = {}); at the mean draw the rate is {}",
                sig(eta_max_draw, 5), sig(hb_limit, 5), sig(rate_mean, 4))), || Verdict::Wrong("the draws leave the stable region".into())),
        });
    }

    // (g) HMC: no friction
    {
        let mut computed = vec![];
        let mut ok = true;
        for h in [0.5, 2.0, 3.9, 4.1] {
            let r = rate_at(&Method::heavy_ball(h, 1.0)?, 1.0)?;
            ok &= (h < 4.0) == ((r - 1.0).abs() < 1e-12);
            computed.push(quantity(format!("β = 1: spectral radius at ηλ = {h}"), r));
        }
        computed.push(quantity(
            "β = 0.9: spectral radius at ηλ = 2",
            rate_at(&Method::heavy_ball(2.0, 0.9)?, 1.0)?,
        ));
        out.push(Check {
            id: "C16g",
            example: "claim16_narratives",
            statement: "Optimization pairs momentum with dissipation; HMC's exact Hamiltonian dynamics \
                conserve energy".into(),
            seed: SEED_APPLICATIONS.into(),
            setting: "heavy ball with β = 1 (no friction) is the leapfrog/Störmer–Verlet scheme x_(k+1) − \
                2x_k + x_(k−1) = −η∇f(x_k)".into(),
            claimed: vec![],
            computed,
            verdict: verdict_if(ok, Verdict::Holds, || Verdict::Wrong("β = 1 does not sit on the unit circle".into())),
        });
    }

    // (h) low-pass filter, implicit preconditioning
    {
        let beta: f64 = 0.9;
        let gain = |w: f64| (1.0 - beta) / (1.0 - 2.0 * beta * w.cos() + beta * beta).sqrt();
        let kappa: f64 = 100.0;
        let hb = tuning::heavy_ball(&Spectrum::interval(1.0 / kappa, 1.0)?)?.rate;
        let gd_sqrt = tuning::gradient_descent(&Spectrum::interval(1.0 / kappa.sqrt(), 1.0)?)?.rate;
        out.push(Check {
            id: "C16h",
            example: "claim16_narratives",
            statement: "Momentum is a low-pass filter on gradients, an implicit preconditioner damping \
                high-curvature oscillation and reinforcing low-curvature progress".into(),
            seed: format!("{SEED_APPLICATIONS}, {SEED_BLOG}"),
            setting: format!("EWMA v = βv + (1−β)g, β = {beta}: gain at frequency ω; tuned rates at κ = {kappa}"),
            claimed: vec![],
            computed: vec![
                quantity("EWMA gain at ω = 0 (constant gradient)", gain(0.0)),
                quantity("EWMA gain at ω = π (sign-alternating gradient)", gain(std::f64::consts::PI)),
                quantity("tuned heavy-ball rate at κ = 100", hb),
                quantity("tuned GD rate at κ = √100 = 10", gd_sqrt),
            ],
            verdict: verdict_if((hb - gd_sqrt).abs() < 1e-12, Verdict::HoldsWhen(format!(
                "read as filtering and as an effect on the rate: gradients alternating in sign pass \
                    with gain (1−β)/(1+β) = {}, constant ones with gain 1; and tuned heavy ball at \
                    condition κ converges exactly like tuned GD at condition √κ ({} both) — as if \
                    preconditioned to √κ. It is not a preconditioner in the matrix sense: it changes no \
                    eigenvector",
                sig(gain(std::f64::consts::PI), 4), sig(hb, 6))), || Verdict::Wrong("rate equivalence failed".into())),
        });
    }

    // (i) LASSO: oscillatory threshold-crossing
    {
        let (eta, a, tau, x0, steps) = (0.5, 0.5, 1.0, 3.0, 200);
        let mut computed = vec![];
        let mut flips = vec![];
        for beta in [0.0, 0.5, 0.9] {
            let xs = proximal_heavy_ball(eta, beta, (a, tau), x0, steps);
            let n = support_changes(&xs);
            flips.push(n);
            computed.push(quantity(format!("support changes, β = {beta}"), n as f64));
            computed.push(quantity(
                format!("|x_200|, β = {beta}"),
                xs.last().copied().unwrap_or(f64::NAN).abs(),
            ));
        }
        let (f0, f9) = (
            flips.first().copied().unwrap_or(0),
            flips.last().copied().unwrap_or(0),
        );
        out.push(Check {
            id: "C16i",
            example: "claim16_narratives",
            statement: "Proximal heavy ball on LASSO can overshoot zero: 'oscillatory threshold-crossing', \
                the support flip-flops".into(),
            seed: SEED_APPLICATIONS.into(),
            setting: format!("½(x − {a})² + {tau}|x| (minimiser 0), proximal heavy ball η = {eta} from rest at x₀ \
                = {x0}, {steps} steps"),
            claimed: vec![],
            computed,
            verdict: verdict_if(f9 > f0, Verdict::Holds, || Verdict::Wrong("no extra support flips with momentum".into())),
        });
    }

    // (j) memory
    {
        out.push(Check {
            id: "C16j",
            example: "claim16_narratives",
            statement: "Momentum needs a velocity per parameter: it doubles memory compared to SGD".into(),
            seed: SEED_NOTES.into(),
            setting: "parameter-sized buffers kept by the optimizer (weights, gradient, velocity)".into(),
            claimed: vec![quantity("memory factor", 2.0)],
            computed: vec![
                quantity("persistent buffers, SGD (weights)", 1.0),
                quantity("persistent buffers, momentum (weights, velocity)", 2.0),
                quantity("buffers during a step, SGD (weights, gradient)", 2.0),
                quantity("buffers during a step, momentum", 3.0),
            ],
            verdict: Verdict::HoldsWhen(
                "only weights and optimizer state are counted (2×); with the gradient it is 1.5×, and \
                    activations, which usually dominate training memory, are unchanged".into(),
            ),
        });
    }

    // out of scope
    // (k) small local minima: a tilted double well
    {
        let dw = double_well_basins(0.1, 0.9, 201, 1500)?;
        out.push(Check {
            id: "C16k",
            example: "claim16_narratives",
            statement: "Accumulated momentum can push through small local minima (small uphill \
                sections)".into(),
            seed: format!("{SEED_PRINCIPLES}, {SEED_NOTES}, {SEED_BLOG}"),
            setting: format!("f(x) = x⁴/4 − x²/2 + 0.1x: deep minimum {}, barrier top {}, shallow minimum {}; \
                η = 0.1, from rest at {} starts on each side of the barrier in [−2.5, 2.5], 1500 steps",
                sig(dw.deep, 6), sig(dw.top, 6), sig(dw.shallow, 6), dw.starts),
            claimed: vec![],
            computed: vec![
                quantity("deep minimum", dw.deep),
                quantity("barrier top", dw.top),
                quantity("shallow minimum", dw.shallow),
                quantity("GD: shallow-side starts ending deep", dw.gd_to_deep as f64),
                quantity("GD: deep-side starts ending shallow", dw.gd_to_shallow as f64),
                quantity("HB β = 0.9: shallow-side starts ending deep", dw.hb_to_deep as f64),
                quantity("HB β = 0.9: deep-side starts ending shallow", dw.hb_to_shallow as f64),
                quantity("HB: lowest start height above the barrier that crosses", dw.lowest_crossing),
                quantity("starts per side", dw.starts as f64),
            ],
            verdict: verdict_if(dw.gd_to_deep == 0 && dw.gd_to_shallow == 0 && dw.hb_to_deep > 0, Verdict::HoldsWhen(format!(
                "the ball starts high enough above the barrier (the lowest crossing start on the grid \
                    is {} above its top) — then heavy ball crosses where GD never does ({} of {} shallow-side starts \
                    end in the deep minimum, none for GD). It is not selective for small minima: {} \
                    of {} deep-side starts leave the deep basin for the shallow one",
                sig(dw.lowest_crossing, 3), dw.hb_to_deep, dw.starts, dw.hb_to_shallow, dw.starts)),
                || Verdict::Wrong("momentum crossed no barrier GD did not".into())),
        });
    }
    out.push(out_of_scope(
        "C16r",
        "Saddle points are far more common than local minima in high-dimensional parameter spaces",
        SEED_BLOG,
        "a statement about the critical points of network losses (Dauphin et al. 2014); would be \
            tested by the Hessian index of critical points found on trained models. C16b gives \
            the escape rates once at a saddle",
    ));
    out.push(out_of_scope(
        "C16l",
        "GNNs: momentum lets the optimizer learn deeper filters and can accelerate oversmoothing",
        SEED_APPLICATIONS,
        "a claim about learned graph filters; would be tested by training GNNs on a benchmark \
            with and without momentum and tracking the Dirichlet energy of node features over \
            depth. Not expressible as a two-step recurrence on a fixed quadratic",
    ));
    out.push(out_of_scope(
        "C16m",
        "Momentum-based attacks find low-frequency perturbations that transfer across models",
        SEED_APPLICATIONS,
        "an empirical claim about networks (MI-FGSM); would be tested by transfer success \
            rates of attacks with and without momentum between independently trained models. The \
            toolkit has no model or input space",
    ));
    out.push(out_of_scope(
        "C16n",
        "Continual learning: momentum accelerates catastrophic forgetting; adaptive β limits it",
        SEED_APPLICATIONS,
        "would be tested on a task sequence (e.g. permuted MNIST) by measuring old-task \
            accuracy over training for fixed vs adaptive β. On two quadratic tasks the toolkit \
            could only give the rate at which the new task's minimum is approached (its rate), \
            not the loss on the old task",
    ));
    out.push(out_of_scope(
        "C16o",
        "Semi-supervised learning: optimizer momentum and temporal-ensembling EMA form \
            coupled filters whose time constants must be matched",
        SEED_APPLICATIONS,
        "the coupled system (parameters + EMA targets) is a linear recurrence of order three \
            per curvature, beyond the two-step form analysed here; would be tested by extending \
            the companion matrix to three steps and scanning the EMA and momentum time constants",
    ));
    out.push(out_of_scope(
        "C16p",
        "Where momentum excels or needs care: CNNs, very deep nets, large batches; RL, online \
            learning, fine-tuning",
        SEED_NOTES,
        "domain reports, not quantitative statements; each would need a benchmark comparison \
            with matched effective step sizes",
    ));
    Ok(out)
}
