//! C24 — in the seeds' own ravine, at the 1.46× settings, momentum creates the oscillation it is
//! said to damp.
//!
//! **Claim.** Seed 001 on L(x, y) = ½x² + 25/2·y²: "the gradients in the steep y-direction are
//! large and frequently change sign, causing the optimizer to zigzag … The momentum method's
//! averaging process helps to cancel out these opposing gradient components, thus damping the
//! oscillations."
//!
//! **Source.** Seed 001, [`SEED_PRINCIPLES`].
//!
//! **Setting.** The settings that give C04's 1.46× progress: β = 0.9 with η = 0.04 and 0.05; from
//! rest at (1, 1), 400 steps.
//!
//! **Check.** The steps until |y| < 10⁻⁶ and the sign changes of y before then, for GD and heavy ball (direct
//! iteration, [`iterate_plane`]); heavy ball's steep-mode rate and its predicted fraction of
//! sign-changing steps arg(r)/π; the largest β for which heavy ball's steep mode is not
//! oscillating, (1 − √(25η))² if 25η < 1 (none otherwise). `tests/it/c24.rs` iterates seed 001's
//! lines v ← βv − η∇L, x ← x + v literally and takes the steep root's argument from nalgebra.
//!
//! **Verdict.** Wrong when at both settings GD's steep mode falls below 10⁻⁶ within a few steps
//! while heavy ball's keeps changing sign for many more.

use crate::check::{Check, SEED_PRINCIPLES, Verdict, quantity, verdict_if};
use crate::common::{iterate_plane, rate_at, sig, sign_changes};
use momentum::error::Result;
use momentum::method::Method;

/// The first k from which |y_j| < tol for every j ≥ k in the run (the run's length + 1 if the
/// last value is still above).
fn settle(ys: &[f64], tol: f64) -> usize {
    ys.iter().rposition(|y| y.abs() >= tol).map_or(0, |k| k + 1)
}

/// C24 (seed 001): on ½x² + 25/2·y² momentum "damps the oscillations" of the steep direction.
///
/// Computed at β = 0.9, η = 0.04 and 0.05 (C04's 1.46× settings), from rest at (1, 1), 400 steps:
/// steps until |y| < 1e-6 and sign changes of y before then for GD and heavy ball; heavy ball's steep rate and
/// its sign-change fraction arg(r)/π.
pub fn c24_ravine_oscillation() -> Result<Check> {
    let (beta, steps, tol) = (0.9, 400, 1e-6);
    let mut computed = vec![];
    let mut ok = true;
    let mut text = vec![];
    for eta in [0.04, 0.05] {
        let gd = iterate_plane(
            &Method::gradient_descent(eta)?,
            [1.0, 25.0],
            [1.0, 1.0],
            steps,
        );
        let hb = iterate_plane(
            &Method::heavy_ball(eta, beta)?,
            [1.0, 25.0],
            [1.0, 1.0],
            steps,
        );
        let gy: Vec<f64> = gd.iter().map(|p| p[1]).collect();
        let hy: Vec<f64> = hb.iter().map(|p| p[1]).collect();
        let (g_settle, h_settle) = (settle(&gy, tol), settle(&hy, tol));
        // sign changes while |y| ≥ 1e-6 (later ones are invisible)
        let (g_changes, h_changes) = (
            sign_changes(&gy[..g_settle.min(steps) + 1]),
            sign_changes(&hy[..h_settle.min(steps) + 1]),
        );
        let mode = Method::heavy_ball(eta, beta)?.recurrence().mode(25.0)?;
        // complex pair r e^{±iθ}: cos θ = c₁/(2√c₀)
        let theta = (mode.c1() / (2.0 * mode.c0().sqrt()))
            .clamp(-1.0, 1.0)
            .acos();
        let h = 25.0 * eta;
        let beta_mono = if h < 1.0 {
            (1.0 - h.sqrt()).powi(2)
        } else {
            0.0
        };
        ok &= g_settle <= 10 && h_settle > 10 * g_settle && h_changes > 5 * g_changes.max(1);
        computed.push(quantity(
            format!("η = {eta}: GD sign changes of y while |y| ≥ 1e-6"),
            g_changes as f64,
        ));
        computed.push(quantity(
            format!("η = {eta}: HB sign changes of y while |y| ≥ 1e-6"),
            h_changes as f64,
        ));
        computed.push(quantity(
            format!("η = {eta}: GD steps until |y| < 1e-6"),
            g_settle as f64,
        ));
        computed.push(quantity(
            format!("η = {eta}: HB steps until |y| < 1e-6"),
            h_settle as f64,
        ));
        computed.push(quantity(
            format!("η = {eta}: HB steep-mode rate"),
            rate_at(&Method::heavy_ball(eta, beta)?, 25.0)?,
        ));
        computed.push(quantity(
            format!("η = {eta}: HB sign-change fraction arg(r)/π"),
            theta / std::f64::consts::PI,
        ));
        computed.push(quantity(
            format!("η = {eta}: largest non-oscillating β for the steep mode"),
            beta_mono,
        ));
        text.push(format!(
            "η = {eta}: GD's y is below 1e-6 after {g_settle} step(s) ({g_changes} sign changes), \
            heavy ball's after {h_settle}, with {h_changes} sign changes (a fraction arg(r)/π = {} \
            of the steps; rate {})",
            sig(theta / std::f64::consts::PI, 3),
            sig(rate_at(&Method::heavy_ball(eta, beta)?, 25.0)?, 4)
        ));
    }
    Ok(Check {
        id: "C24",
        example: "claim24_ravine_oscillation",
        statement: "On the ravine ½x² + 25/2·y² momentum's averaging damps the steep direction's \
            oscillations"
            .into(),
        seed: SEED_PRINCIPLES.into(),
        setting: format!(
            "β = {beta}, η = 0.04 and 0.05 (the 1.46× settings of C04), from rest at (1, 1), \
            {steps} steps"
        ),
        claimed: vec![],
        computed,
        verdict: verdict_if(
            ok,
            Verdict::Wrong(format!(
                "at the settings where the seed's 1.46× holds, momentum creates the steep \
                oscillation instead of damping it: {}. The steep mode has h = 25η ≥ 1, where no β > \
                0 is non-oscillating; GD's steep factor is 1 − 25η. Damping needs a \
                step where GD itself zigzags slowly (C14)",
                text.join("; ")
            )),
            || Verdict::Holds,
        ),
    })
}
