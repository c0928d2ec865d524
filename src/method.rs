//! The three-parameter family of Lessard, Recht & Packard (2016, eq. 6.1):
//!
//! ```text
//! x_{k+1} = x_k + β (x_k − x_{k−1}) − α ∇f( x_k + γ (x_k − x_{k−1}) )
//! ```
//!
//! gradient descent (β = γ = 0), Polyak's heavy ball (γ = 0), Nesterov's accelerated gradient
//! (γ = β) and Van Scoy, Freeman & Lynch's triple momentum are all points of it. On a quadratic it
//! reduces to the four-number [`Recurrence`] with
//! p₀ = 1 + β, p₁ = α(1 + γ), q₀ = β, q₁ = αγ.

use crate::dd::Dd;
use crate::error::{Error, Result, finite, positive};
use crate::recurrence::Recurrence;
use serde::Serialize;

/// Which named member of the family a [`Method`] was built as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Family {
    /// β = γ = 0.
    GradientDescent,
    /// Polyak (1964): γ = 0.
    HeavyBall,
    /// Nesterov (1983): γ = β.
    Nesterov,
    /// Van Scoy, Freeman & Lynch (2018), tuned from (μ, L).
    TripleMomentum,
    /// Any other (α, β, γ).
    General,
}

impl Family {
    /// A human name.
    pub fn name(self) -> &'static str {
        match self {
            Family::GradientDescent => "gradient descent",
            Family::HeavyBall => "heavy ball",
            Family::Nesterov => "Nesterov",
            Family::TripleMomentum => "triple momentum",
            Family::General => "general three-parameter",
        }
    }
}

/// A validated member of the three-parameter family: step α > 0, momentum β, lookahead γ (finite).
///
/// Momentum and lookahead may take any finite value — β ≥ 1 or β ≤ −1 are legitimate questions
/// whose answer is "unstable", and the stability analysis says so.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Method {
    step: f64,
    momentum: f64,
    lookahead: f64,
    #[serde(skip)]
    family: Family,
}

impl Method {
    /// Gradient descent x_{k+1} = x_k − α∇f(x_k).
    pub fn gradient_descent(step: f64) -> Result<Self> {
        Self::build(step, 0.0, 0.0, Family::GradientDescent)
    }

    /// Polyak's heavy ball: x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}).
    pub fn heavy_ball(step: f64, momentum: f64) -> Result<Self> {
        Self::build(step, momentum, 0.0, Family::HeavyBall)
    }

    /// Nesterov's accelerated gradient: the gradient is taken at the look-ahead point
    /// x_k + β(x_k − x_{k−1}), i.e. γ = β.
    pub fn nesterov(step: f64, momentum: f64) -> Result<Self> {
        Self::build(step, momentum, momentum, Family::Nesterov)
    }

    /// Any (α, β, γ).
    pub fn general(step: f64, momentum: f64, lookahead: f64) -> Result<Self> {
        Self::build(step, momentum, lookahead, Family::General)
    }

    /// Triple momentum (Van Scoy, Freeman & Lynch 2018) for curvatures in [μ, L], 0 < μ ≤ L:
    /// ρ = 1 − 1/√κ, α = (1+ρ)/L, β = ρ²/(2−ρ), γ = ρ²/((1+ρ)(2−ρ)).
    /// Its worst-case rate on quadratics is ρ, attained at both λ = μ and λ = L.
    /// (The method reports y_k = (1+δ)ξ_k − δξ_{k−1}, δ = ρ²/(1−ρ²); a fixed combination of two
    /// iterates, so it converges at the same rate as the ξ_k analysed here.)
    pub fn triple_momentum(mu: f64, l: f64) -> Result<Self> {
        positive("mu", mu)?;
        positive("L", l)?;
        if mu > l {
            return Err(Error::EmptyInterval { mu, l });
        }
        let rho = 1.0 - (mu / l).sqrt();
        let step = (1.0 + rho) / l;
        let momentum = rho * rho / (2.0 - rho);
        let lookahead = rho * rho / ((1.0 + rho) * (2.0 - rho));
        Self::build(step, momentum, lookahead, Family::TripleMomentum)
    }

    fn build(step: f64, momentum: f64, lookahead: f64, family: Family) -> Result<Self> {
        positive("step", step)?;
        finite("momentum", momentum)?;
        finite("lookahead", lookahead)?;
        Ok(Method {
            step,
            momentum,
            lookahead,
            family,
        })
    }

    /// Step size α.
    pub fn step(&self) -> f64 {
        self.step
    }
    /// Momentum β.
    pub fn momentum(&self) -> f64 {
        self.momentum
    }
    /// Lookahead γ (0 for heavy ball, β for Nesterov).
    pub fn lookahead(&self) -> f64 {
        self.lookahead
    }
    /// The named family this method was built as.
    pub fn family(&self) -> Family {
        self.family
    }

    /// The same method with another step (keeps the family's rule for the lookahead).
    pub fn with_step(&self, step: f64) -> Result<Self> {
        Self::build(step, self.momentum, self.lookahead, self.family)
    }

    /// The four-number recurrence: p₀ = 1 + β, p₁ = α(1 + γ), q₀ = β, q₁ = αγ (REFERENCE §1),
    /// carried in compensated arithmetic so that no rounding enters before λ is applied.
    pub fn recurrence(&self) -> Recurrence {
        let (a, b, g) = (self.step, self.momentum, self.lookahead);
        let p0 = Dd::new(1.0).add(Dd::new(b));
        let q1 = Dd::prod(a, g);
        let p1 = Dd::new(a).add(q1);
        Recurrence::from_dd(p0, p1, Dd::new(b), q1)
    }
}
