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

use crate::error::{Error, Result, finite, positive};
use crate::numeric::dd::Dd;
use crate::recurrence::Recurrence;

/// A one-parameter slice of the three-parameter family: the rule that gives the lookahead γ from
/// the momentum β. Stability maps, searches and critical-damping curves move along one.
///
/// # Examples
///
/// ```
/// use momentum::Family;
/// assert_eq!(Family::Nesterov.momentum_lookahead(0.9), (0.9, 0.9));
/// let m = Family::HeavyBall.method(0.1, 0.9)?;
/// assert_eq!((m.step(), m.momentum(), m.lookahead()), (0.1, 0.9, 0.0));
/// # Ok::<(), momentum::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Family {
    /// β = γ = 0 (the momentum axis is ignored).
    GradientDescent,
    /// Polyak (1964): γ = 0.
    HeavyBall,
    /// Nesterov (1983): γ = β.
    Nesterov,
    /// A fixed lookahead γ, whatever β.
    Lookahead(f64),
}

impl Family {
    /// (β, γ) at momentum β.
    #[inline]
    pub fn momentum_lookahead(self, momentum: f64) -> (f64, f64) {
        match self {
            Family::HeavyBall => (momentum, 0.0),
            Family::Nesterov => (momentum, momentum),
            Family::GradientDescent => (0.0, 0.0),
            Family::Lookahead(g) => (momentum, g),
        }
    }

    /// The family's method at (step, momentum).
    ///
    /// # Errors
    ///
    /// As [`Method::general`]: a step that is not finite and > 0, a momentum or lookahead that is
    /// not finite.
    pub fn method(self, step: f64, momentum: f64) -> Result<Method> {
        match self {
            Family::HeavyBall => Method::heavy_ball(step, momentum),
            Family::Nesterov => Method::nesterov(step, momentum),
            Family::GradientDescent => Method::gradient_descent(step),
            Family::Lookahead(g) => Method::general(step, momentum, g),
        }
    }

    /// A short human name.
    pub fn name(self) -> &'static str {
        match self {
            Family::HeavyBall => "heavy ball",
            Family::Nesterov => "Nesterov",
            Family::GradientDescent => "gradient descent",
            Family::Lookahead(_) => "fixed lookahead",
        }
    }
}

/// How a [`Method`] was built, for its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    GradientDescent,
    HeavyBall,
    Nesterov,
    TripleMomentum,
    General,
}

/// A validated member of the three-parameter family: step α > 0, momentum β, lookahead γ (finite).
///
/// Momentum and lookahead may take any finite value — β ≥ 1 or β ≤ −1 are legitimate questions
/// whose answer is "unstable", and the stability analysis says so.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Method {
    step: f64,
    momentum: f64,
    lookahead: f64,
    #[cfg_attr(feature = "serde", serde(skip))]
    label: Label,
}

impl Method {
    /// Gradient descent x_{k+1} = x_k − α∇f(x_k).
    ///
    /// # Examples
    ///
    /// ```
    /// let gd = momentum::Method::gradient_descent(0.1)?;
    /// assert_eq!((gd.momentum(), gd.lookahead()), (0.0, 0.0));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A step that is not finite ([`Error::NotFinite`]) or not > 0 ([`Error::NotPositive`]).
    pub fn gradient_descent(step: f64) -> Result<Self> {
        Self::build(step, 0.0, 0.0, Label::GradientDescent)
    }

    /// Polyak's heavy ball: x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Method};
    /// let hb = Method::heavy_ball(0.1, 0.9)?;
    /// assert_eq!((hb.lookahead(), hb.family()), (0.0, Family::HeavyBall));
    /// assert!(Method::heavy_ball(0.0, 0.9).is_err());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A step that is not finite and > 0, or a momentum that is not finite. Any finite momentum is
    /// accepted: β ≥ 1 is a question whose answer is "unstable".
    pub fn heavy_ball(step: f64, momentum: f64) -> Result<Self> {
        Self::build(step, momentum, 0.0, Label::HeavyBall)
    }

    /// Nesterov's accelerated gradient: the gradient is taken at the look-ahead point
    /// x_k + β(x_k − x_{k−1}), i.e. γ = β.
    ///
    /// # Examples
    ///
    /// ```
    /// let nag = momentum::Method::nesterov(0.1, 0.9)?;
    /// assert_eq!(nag.lookahead(), nag.momentum());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Method::heavy_ball`].
    pub fn nesterov(step: f64, momentum: f64) -> Result<Self> {
        Self::build(step, momentum, momentum, Label::Nesterov)
    }

    /// Any (α, β, γ).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Method};
    /// let m = Method::general(0.1, 0.9, 0.5)?;
    /// assert_eq!(m.family(), Family::Lookahead(0.5));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A step that is not finite and > 0, or a momentum or lookahead that is not finite.
    pub fn general(step: f64, momentum: f64, lookahead: f64) -> Result<Self> {
        Self::build(step, momentum, lookahead, Label::General)
    }

    /// Triple momentum (Van Scoy, Freeman & Lynch 2018) for curvatures in [μ, L], 0 < μ ≤ L:
    /// ρ = 1 − 1/√κ, α = (1+ρ)/L, β = ρ²/(2−ρ), γ = ρ²/((1+ρ)(2−ρ)).
    /// Its worst-case rate on quadratics is ρ, attained at both λ = μ and λ = L.
    /// (The method reports y_k = (1+δ)ξ_k − δξ_{k−1}, δ = ρ²/(1−ρ²); a fixed combination of two
    /// iterates, so it converges at the same rate as the ξ_k analysed here.)
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, Spectrum};
    /// let tmm = Method::triple_momentum(0.01, 1.0)?;
    /// let w = tmm.worst_case(&Spectrum::interval(0.01, 1.0)?)?;
    /// assert!((w.spectral_radius() - 0.9).abs() < 1e-7, "{w}");
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// μ or L not finite and > 0 ([`Error::NotPositive`]), or μ > L ([`Error::EmptyInterval`]).
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
        Self::build(step, momentum, lookahead, Label::TripleMomentum)
    }

    fn build(step: f64, momentum: f64, lookahead: f64, label: Label) -> Result<Self> {
        positive("step", step)?;
        finite("momentum", momentum)?;
        finite("lookahead", lookahead)?;
        Ok(Method {
            step,
            momentum,
            lookahead,
            label,
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
    /// The slice of the family this method lies on: the one it was built as (gradient descent,
    /// heavy ball, Nesterov), else a fixed lookahead γ (triple momentum, [`Method::general`]).
    pub fn family(&self) -> Family {
        match self.label {
            Label::GradientDescent => Family::GradientDescent,
            Label::HeavyBall => Family::HeavyBall,
            Label::Nesterov => Family::Nesterov,
            Label::TripleMomentum | Label::General => Family::Lookahead(self.lookahead),
        }
    }

    /// A human name: the family it was built as, "triple momentum" or "general three-parameter".
    pub fn name(&self) -> &'static str {
        match self.label {
            Label::GradientDescent => "gradient descent",
            Label::HeavyBall => "heavy ball",
            Label::Nesterov => "Nesterov",
            Label::TripleMomentum => "triple momentum",
            Label::General => "general three-parameter",
        }
    }

    /// The same method with another step (keeps the family's rule for the lookahead).
    ///
    /// # Errors
    ///
    /// A step that is not finite and > 0.
    pub fn with_step(&self, step: f64) -> Result<Self> {
        Self::build(step, self.momentum, self.lookahead, self.label)
    }

    /// The four-number recurrence: p₀ = 1 + β, p₁ = α(1 + γ), q₀ = β, q₁ = αγ (docs/REFERENCE.md §1),
    /// carried in compensated arithmetic so that no rounding enters before λ is applied.
    pub fn recurrence(&self) -> Recurrence {
        let (a, b, g) = (self.step, self.momentum, self.lookahead);
        let p0 = Dd::new(1.0).add(Dd::new(b));
        let q1 = Dd::prod(a, g);
        let p1 = Dd::new(a).add(q1);
        Recurrence::from_dd(p0, p1, Dd::new(b), q1)
    }
}

impl Recurrence {
    /// The (α, β, γ) of this recurrence when it is in the three-parameter family, i.e. when
    /// p₀ − q₀ = 1 and α = p₁ − q₁ > 0; then β = q₀ and γ = q₁/α. `None` otherwise.
    pub fn as_method(&self) -> Option<Method> {
        let [p0, p1, q0, q1] = self.parts();
        let one = p0.sub(q0).value();
        // exact in double-double for recurrences built from a Method; allow a few ulps for
        // recurrences typed in by hand as rounded decimals
        if (one - 1.0).abs() > 4.0 * f64::EPSILON {
            return None;
        }
        let step = p1.sub(q1).value();
        let momentum = q0.value();
        let lookahead = q1.value() / step;
        if step <= 0.0 || !lookahead.is_finite() {
            return None;
        }
        let m = if lookahead == 0.0 && momentum == 0.0 {
            Method::gradient_descent(step)
        } else if lookahead == 0.0 {
            Method::heavy_ball(step, momentum)
        } else if lookahead == momentum {
            Method::nesterov(step, momentum)
        } else {
            Method::general(step, momentum, lookahead)
        };
        m.ok()
    }
}
