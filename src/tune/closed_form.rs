//! The closed-form tunings and the one-sided heavy-ball formulas (derivations in [`crate::tune`]).

use super::search;
use super::tuning::{Tuning, TuningKind, check};
use crate::error::{Error, Result, condition_number, finite, positive};
use crate::method::{Family, Method};
use crate::spectrum::Spectrum;

/// Gradient descent: α = 2/(L+μ), ρ = (κ−1)/(κ+1).
pub fn gradient_descent(spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    Ok(Tuning {
        kind: TuningKind::GradientDescent,
        method: Method::gradient_descent(2.0 / (l + mu))?,
        rate: (l - mu) / (l + mu),
    })
}

/// Polyak's heavy ball: α = 4/(√L+√μ)², β = ((√L−√μ)/(√L+√μ))², ρ = (√L−√μ)/(√L+√μ).
///
/// # Examples
///
/// ```
/// use momentum::{Spectrum, tune};
/// let t = tune::heavy_ball(&Spectrum::from_condition_number(100.0)?)?;
/// assert!((t.rate - 9.0 / 11.0).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// For every tuning here: a smallest curvature μ ≤ 0 ([`Error::NotPositive`]), κ = L/μ above
/// [`MAX_KAPPA`](super::MAX_KAPPA), or L above 4e307 ([`Error::OutOfRange`]).
pub fn heavy_ball(spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    let (sl, sm) = (l.sqrt(), mu.sqrt());
    let rate = (sl - sm) / (sl + sm);
    Ok(Tuning {
        kind: TuningKind::HeavyBall,
        method: Method::heavy_ball(4.0 / ((sl + sm) * (sl + sm)), rate * rate)?,
        rate,
    })
}

/// Nesterov's standard tuning: α = 1/L, β = γ = (√κ−1)/(√κ+1), ρ = 1 − 1/√κ.
pub fn nesterov(spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    let (sl, sm) = (l.sqrt(), mu.sqrt());
    Ok(Tuning {
        kind: TuningKind::Nesterov,
        method: Method::nesterov(1.0 / l, (sl - sm) / (sl + sm))?,
        rate: 1.0 - sm / sl,
    })
}

/// Nesterov tuned for quadratics (Lessard et al. 2016, Prop. 1): α = 4/(3L+μ),
/// β = γ = (q−2)/(q+2) with q = √(3κ+1), ρ = 1 − 2/q.
pub fn nesterov_quadratic(spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    let q = (3.0 * l / mu + 1.0).sqrt();
    Ok(Tuning {
        kind: TuningKind::NesterovQuadratic,
        method: Method::nesterov(4.0 / (3.0 * l + mu), (q - 2.0) / (q + 2.0))?,
        rate: 1.0 - 2.0 / q,
    })
}

/// Triple momentum: ρ = 1 − 1/√κ at both ends of the spectrum (see [`Method::triple_momentum`]).
pub fn triple_momentum(spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    Ok(Tuning {
        kind: TuningKind::TripleMomentum,
        method: Method::triple_momentum(mu, l)?,
        rate: 1.0 - (mu / l).sqrt(),
    })
}

/// All five, in the order of the table above.
///
/// # Errors
///
/// As [`heavy_ball`].
pub fn all(spectrum: &Spectrum) -> Result<Vec<Tuning>> {
    Ok(vec![
        gradient_descent(spectrum)?,
        heavy_ball(spectrum)?,
        nesterov(spectrum)?,
        nesterov_quadratic(spectrum)?,
        triple_momentum(spectrum)?,
    ])
}

/// Heavy ball's best momentum for a fixed step α with αL < 4:
/// β = max((1 − √(αμ))², (1 − √(αL))²), rate max(|1 − √(αμ)|, |1 − √(αL)|) (module docs).
pub fn heavy_ball_momentum_for_step(step: f64, spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    positive("step", step)?;
    if step * l >= 4.0 {
        return Err(Error::OutOfRange {
            name: "step",
            value: step,
            expected: "step * L < 4: beyond it no momentum in (-1, 1) makes heavy ball stable",
        });
    }
    let (a, b) = ((step * mu).sqrt(), (step * l).sqrt());
    let (ra, rb) = ((1.0 - a).abs(), (1.0 - b).abs());
    let rate = ra.max(rb);
    Ok(Tuning {
        kind: TuningKind::HeavyBallMomentumForStep,
        method: Method::heavy_ball(step, rate * rate)?,
        rate,
    })
}

/// Heavy ball's best step for a fixed momentum β ∈ (−1, 1): α = 2(1+β)/(μ+L), rate
/// max(√β, (c + √(c² − 4β))/2) with c = (1+β)(L−μ)/(L+μ) (module docs).
pub fn heavy_ball_step_for_momentum(momentum: f64, spectrum: &Spectrum) -> Result<Tuning> {
    let (mu, l) = check(spectrum)?;
    finite("momentum", momentum)?;
    if !(momentum > -1.0 && momentum < 1.0) {
        return Err(Error::OutOfRange {
            name: "momentum",
            value: momentum,
            expected: "-1 < momentum < 1 (heavy ball is unstable for every step outside)",
        });
    }
    let c = (1.0 + momentum) * (l - mu) / (l + mu);
    let disc = c * c - 4.0 * momentum;
    let rate = if disc <= 0.0 {
        momentum.sqrt()
    } else {
        0.5 * (c + disc.sqrt())
    };
    Ok(Tuning {
        kind: TuningKind::HeavyBallStepForMomentum,
        method: Method::heavy_ball(2.0 * (1.0 + momentum) / (l + mu), momentum)?,
        rate,
    })
}

/// Nesterov's best momentum for a fixed step, by [`search::best_momentum`] (exact
/// breakpoints: β = ±(1 − √h)/(1 + √h) at h = αμ and αL). At α = 1/L it is the standard tuning
/// β = (√κ − 1)/(√κ + 1).
pub fn nesterov_momentum_for_step(step: f64, spectrum: &Spectrum) -> Result<Tuning> {
    let mut t = search::best_momentum(Family::Nesterov, step, spectrum)?;
    t.kind = TuningKind::NesterovMomentumForStep;
    Ok(t)
}

/// Nesterov's best step for a fixed momentum, by [`search::best_step`].
pub fn nesterov_step_for_momentum(momentum: f64, spectrum: &Spectrum) -> Result<Tuning> {
    let mut t = search::best_step(Family::Nesterov, momentum, spectrum)?;
    t.kind = TuningKind::NesterovStepForMomentum;
    Ok(t)
}

/// The Chebyshev rate σ = (√κ − 1)/(√κ + 1): no method whose iterates lie in x₀ + span of past
/// gradients converges faster on every quadratic with condition number κ (Nemirovski & Yudin
/// 1983); Polyak's heavy ball attains it.
///
/// # Examples
///
/// ```
/// assert_eq!(momentum::tune::chebyshev_rate(100.0)?, 9.0 / 11.0);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// κ not finite or below 1 ([`Error::OutOfRange`]).
pub fn chebyshev_rate(kappa: f64) -> Result<f64> {
    let s = condition_number(kappa)?.sqrt();
    Ok((s - 1.0) / (s + 1.0))
}

/// The Chebyshev lower bound on quadratics (Nemirovski & Yudin 1983): no method whose iterates
/// lie in x₀ + span of past gradients can guarantee ‖e_k‖/‖e₀‖ below
/// 1/T_k((κ+1)/(κ−1)) = 2/(σ^k + σ^{−k}), σ = [`chebyshev_rate`]; asymptotically the rate σ.
///
/// # Examples
///
/// ```
/// // one step: 1/T₁((κ+1)/(κ−1)) = (κ−1)/(κ+1), gradient descent's optimal one-step factor
/// let lb = momentum::tune::chebyshev_lower_bound(100.0, 1)?;
/// assert!((lb - 99.0 / 101.0).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// κ not finite or below 1 ([`Error::OutOfRange`]).
pub fn chebyshev_lower_bound(kappa: f64, k: u64) -> Result<f64> {
    let sigma = chebyshev_rate(kappa)?;
    if sigma == 0.0 {
        return Ok(if k == 0 { 1.0 } else { 0.0 });
    }
    // 2/(σ^k + σ^{−k}) = 2σ^k/(1 + σ^{2k}), finite for every k
    let sk = sigma.powf(k as f64);
    Ok(2.0 * sk / (1.0 + sk * sk))
}
