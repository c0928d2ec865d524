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

use crate::error::{Error, Result, positive};
use crate::method::Method;
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

fn check(mu: f64, l: f64) -> Result<()> {
    positive("mu", mu)?;
    positive("L", l)?;
    if mu > l {
        return Err(Error::EmptyInterval { mu, l });
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
