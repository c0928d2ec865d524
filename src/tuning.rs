//! Optimal hyperparameters from the condition number κ = L/μ (REFERENCE §4): the tunings that
//! minimise the worst-case spectral radius over λ ∈ [μ, L].
//!
//! | method | α | β (γ) | rate ρ |
//! |---|---|---|---|
//! | gradient descent | 2/(L+μ) | 0 | (κ−1)/(κ+1) |
//! | heavy ball (Polyak 1964) | 4/(√L+√μ)² | ((√κ−1)/(√κ+1))² | (√κ−1)/(√κ+1) |
//! | Nesterov, standard | 1/L | (√κ−1)/(√κ+1), γ = β | 1 − 1/√κ |
//! | Nesterov, quadratic-optimal (Lessard et al. 2016, Prop. 1) | 4/(3L+μ) | (q−2)/(q+2), q = √(3κ+1), γ = β | 1 − 2/q |
//! | triple momentum (Van Scoy et al. 2018) | (1+ρ)/L | ρ²/(2−ρ), γ = ρ²/((1+ρ)(2−ρ)) | 1 − 1/√κ |
//!
//! and the one-sided questions a practitioner asks, in closed form for heavy ball:
//!
//! - **best momentum for a fixed step** α (αL < 4): β = max over λ ∈ {μ, L} of (1 − √(αλ))², the
//!   larger critical-damping momentum, with rate max |1 − √(αλ)| ([`heavy_ball_momentum_for_step`]);
//! - **best step for a fixed momentum** β ∈ (−1, 1): α = 2(1+β)/(μ+L), which balances |c₁(μ)| =
//!   |c₁(L)|, with rate max(√β, (c + √(c² − 4β))/2), c = (1+β)(κ−1)/(κ+1)
//!   ([`heavy_ball_step_for_momentum`]);
//!
//! and, for Nesterov, by the exact one-dimensional searches of [`crate::minimax`]
//! ([`nesterov_momentum_for_step`], [`nesterov_step_for_momentum`]). Every closed form here is
//! reproduced by that numeric search in the tests.
//!
//! Derivation of the heavy-ball pair: at h = αλ the roots of z² − (1+β−h)z + β are complex with
//! modulus √β for β ≥ (1 − √h)² and real otherwise, where the larger modulus decreases in β; so
//! each ρ(λ; β) falls to its critical momentum and then rises as √β, and their maximum is least at
//! the larger critical momentum. For fixed β, ρ depends on h only through |c₁| = |1+β−h| (growing
//! in |c₁| once real), so the worst of the two ends is least when |c₁(μ)| = |c₁(L)|.

use crate::error::{Error, Result, finite, positive};
use crate::map::MapFamily;
use crate::method::Method;
use crate::roots::iterations_per_decade;
use serde::Serialize;

/// A named tuning and the rate its closed form promises.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Tuning {
    /// snake_case name.
    pub name: &'static str,
    /// The tuned method.
    pub method: Method,
    /// The closed-form worst-case rate.
    pub rate: f64,
}

impl Tuning {
    /// The family whose minimax optimum over (α, β) this tuning is, by name — gradient descent,
    /// Polyak's heavy ball and quadratic-optimal Nesterov — so that [`crate::minimax::tune`] can
    /// re-derive it; `None` for the others (standard Nesterov and triple momentum are not
    /// family optima on quadratics).
    pub fn search_family(&self) -> Option<MapFamily> {
        match self.name {
            "gradient_descent" => Some(MapFamily::GradientDescent),
            "heavy_ball" => Some(MapFamily::HeavyBall),
            "nesterov_quadratic" => Some(MapFamily::Nesterov),
            _ => None,
        }
    }

    /// ln 10 / (−ln ρ): asymptotic iterations per tenfold error reduction (`None` if ρ ≥ 1).
    pub fn iterations_per_decade(&self) -> Option<f64> {
        iterations_per_decade(self.rate)
    }

    /// ln(1/ε) / (−ln ρ): asymptotic iterations to reduce the error by a factor ε ∈ (0, 1)
    /// (`None` if ρ ≥ 1). Asymptotic: the transient of a double root adds O(log) iterations,
    /// which [`crate::bounds`] quantifies exactly.
    pub fn iterations_to(&self, epsilon: f64) -> Result<Option<f64>> {
        iterations_to(self.rate, epsilon)
    }
}

/// ln(1/ε) / (−ln ρ) for ε ∈ (0, 1); `None` if ρ ≥ 1 (0 iterations-per-anything is reported as
/// 0 for ρ = 0).
pub fn iterations_to(rate: f64, epsilon: f64) -> Result<Option<f64>> {
    finite("epsilon", epsilon)?;
    if !(epsilon > 0.0 && epsilon < 1.0) {
        return Err(Error::OutOfRange {
            name: "epsilon",
            value: epsilon,
            expected: "0 < epsilon < 1 (the factor the error is reduced by)",
        });
    }
    finite("rate", rate)?;
    Ok((0.0..1.0).contains(&rate).then(|| epsilon.ln() / rate.ln()))
}

/// Largest condition number tuned: beyond 10³⁰, 1/√κ is below the f64 resolution of 1 and the
/// tuned momenta round to exactly 1 (rate 1).
pub const MAX_KAPPA: f64 = 1e30;

/// μ, L > 0, μ ≤ L, κ ≤ [`MAX_KAPPA`], and 4L representable (the closed forms divide by 3L + μ).
pub(crate) fn check(mu: f64, l: f64) -> Result<()> {
    positive("mu", mu)?;
    positive("L", l)?;
    if mu > l {
        return Err(Error::EmptyInterval { mu, l });
    }
    if l / mu > MAX_KAPPA {
        return Err(Error::OutOfRange {
            name: "kappa",
            value: l / mu,
            expected: "kappa = L/mu <= 1e30: beyond, 1/sqrt(kappa) is lost in f64 and the tuned momenta round to 1",
        });
    }
    if !(4.0 * l).is_finite() {
        return Err(Error::OutOfRange {
            name: "L",
            value: l,
            expected: "L <= 4e307 (the tunings divide by 3L + mu)",
        });
    }
    Ok(())
}

/// Gradient descent: α = 2/(L+μ), ρ = (κ−1)/(κ+1).
pub fn gradient_descent(mu: f64, l: f64) -> Result<Tuning> {
    check(mu, l)?;
    Ok(Tuning {
        name: "gradient_descent",
        method: Method::gradient_descent(2.0 / (l + mu))?,
        rate: (l - mu) / (l + mu),
    })
}

/// Polyak's heavy ball: α = 4/(√L+√μ)², β = ((√L−√μ)/(√L+√μ))², ρ = (√L−√μ)/(√L+√μ).
pub fn heavy_ball(mu: f64, l: f64) -> Result<Tuning> {
    check(mu, l)?;
    let (sl, sm) = (l.sqrt(), mu.sqrt());
    let rate = (sl - sm) / (sl + sm);
    Ok(Tuning {
        name: "heavy_ball",
        method: Method::heavy_ball(4.0 / ((sl + sm) * (sl + sm)), rate * rate)?,
        rate,
    })
}

/// Nesterov's standard tuning: α = 1/L, β = γ = (√κ−1)/(√κ+1), ρ = 1 − 1/√κ.
pub fn nesterov(mu: f64, l: f64) -> Result<Tuning> {
    check(mu, l)?;
    let (sl, sm) = (l.sqrt(), mu.sqrt());
    Ok(Tuning {
        name: "nesterov",
        method: Method::nesterov(1.0 / l, (sl - sm) / (sl + sm))?,
        rate: 1.0 - sm / sl,
    })
}

/// Nesterov tuned for quadratics (Lessard et al. 2016, Prop. 1): α = 4/(3L+μ),
/// β = γ = (q−2)/(q+2) with q = √(3κ+1), ρ = 1 − 2/q.
pub fn nesterov_quadratic(mu: f64, l: f64) -> Result<Tuning> {
    check(mu, l)?;
    let q = (3.0 * l / mu + 1.0).sqrt();
    Ok(Tuning {
        name: "nesterov_quadratic",
        method: Method::nesterov(4.0 / (3.0 * l + mu), (q - 2.0) / (q + 2.0))?,
        rate: 1.0 - 2.0 / q,
    })
}

/// Triple momentum: ρ = 1 − 1/√κ at both ends of the spectrum (see [`Method::triple_momentum`]).
pub fn triple_momentum(mu: f64, l: f64) -> Result<Tuning> {
    check(mu, l)?;
    Ok(Tuning {
        name: "triple_momentum",
        method: Method::triple_momentum(mu, l)?,
        rate: 1.0 - (mu / l).sqrt(),
    })
}

/// All five, in the order of the table above.
pub fn all(mu: f64, l: f64) -> Result<Vec<Tuning>> {
    Ok(vec![
        gradient_descent(mu, l)?,
        heavy_ball(mu, l)?,
        nesterov(mu, l)?,
        nesterov_quadratic(mu, l)?,
        triple_momentum(mu, l)?,
    ])
}

/// Heavy ball's best momentum for a fixed step α with αL < 4:
/// β = max((1 − √(αμ))², (1 − √(αL))²), rate max(|1 − √(αμ)|, |1 − √(αL)|) (module docs).
pub fn heavy_ball_momentum_for_step(step: f64, mu: f64, l: f64) -> Result<Tuning> {
    check(mu, l)?;
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
        name: "heavy_ball_momentum_for_step",
        method: Method::heavy_ball(step, rate * rate)?,
        rate,
    })
}

/// Heavy ball's best step for a fixed momentum β ∈ (−1, 1): α = 2(1+β)/(μ+L), rate
/// max(√β, (c + √(c² − 4β))/2) with c = (1+β)(L−μ)/(L+μ) (module docs).
pub fn heavy_ball_step_for_momentum(momentum: f64, mu: f64, l: f64) -> Result<Tuning> {
    check(mu, l)?;
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
        name: "heavy_ball_step_for_momentum",
        method: Method::heavy_ball(2.0 * (1.0 + momentum) / (l + mu), momentum)?,
        rate,
    })
}

/// Nesterov's best momentum for a fixed step, by [`crate::minimax::best_momentum`] (exact
/// breakpoints: β = ±(1 − √h)/(1 + √h) at h = αμ and αL). At α = 1/L it is the standard tuning
/// β = (√κ − 1)/(√κ + 1).
pub fn nesterov_momentum_for_step(step: f64, mu: f64, l: f64) -> Result<Tuning> {
    let mut t = crate::minimax::best_momentum(MapFamily::Nesterov, step, mu, l)?;
    t.name = "nesterov_momentum_for_step";
    Ok(t)
}

/// Nesterov's best step for a fixed momentum, by [`crate::minimax::best_step`].
pub fn nesterov_step_for_momentum(momentum: f64, mu: f64, l: f64) -> Result<Tuning> {
    let mut t = crate::minimax::best_step(MapFamily::Nesterov, momentum, mu, l)?;
    t.name = "nesterov_step_for_momentum";
    Ok(t)
}

/// The Chebyshev lower bound on quadratics (Nemirovski & Yudin; REFERENCE §4): no method whose
/// iterates lie in x₀ + span of past gradients can guarantee ‖e_k‖/‖e₀‖ below
/// 1/T_k((κ+1)/(κ−1)) = 2/(σ^k + σ^{−k}), σ = (√κ−1)/(√κ+1); asymptotically the rate σ.
pub fn chebyshev_lower_bound(kappa: f64, k: u32) -> Result<f64> {
    finite("kappa", kappa)?;
    if kappa < 1.0 {
        return Err(Error::OutOfRange {
            name: "kappa",
            value: kappa,
            expected: ">= 1 (kappa = L / mu)",
        });
    }
    let s = kappa.sqrt();
    let sigma = (s - 1.0) / (s + 1.0);
    if sigma == 0.0 {
        return Ok(if k == 0 { 1.0 } else { 0.0 });
    }
    // 2/(σ^k + σ^{−k}) = 2σ^k/(1 + σ^{2k}), finite for every k
    let sk = sigma.powf(f64::from(k));
    Ok(2.0 * sk / (1.0 + sk * sk))
}
