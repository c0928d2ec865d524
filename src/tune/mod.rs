//! Optimal hyperparameters from the condition number κ = L/μ: the tunings that
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
//! and, for Nesterov, by the exact one-dimensional searches of [`search`]
//! ([`nesterov_momentum_for_step`], [`nesterov_step_for_momentum`]). Every closed form here is
//! reproduced by that numeric search in the tests.
//!
//! Derivation of the heavy-ball pair: at h = αλ the roots of z² − (1+β−h)z + β are complex with
//! modulus √β for β ≥ (1 − √h)² and real otherwise, where the larger modulus decreases in β; so
//! each ρ(λ; β) falls to its critical momentum and then rises as √β, and their maximum is least at
//! the larger critical momentum. For fixed β, ρ depends on h only through |c₁| = |1+β−h| (growing
//! in |c₁| once real), so the worst of the two ends is least when |c₁(μ)| = |c₁(L)|.
//!
//! [`search`] finds the same optima numerically — the independent route the closed forms are
//! tested against — and answers the one-sided questions for any [`Family`](crate::Family).
//! [`framework`] asks them in a framework's own arguments (EWMA lr, dampening, weight decay);
//! [`margin`] says how far a tuning is from the stability edge and finds the best one that keeps
//! a given distance.

mod closed_form;
pub mod framework;
pub mod margin;
pub mod search;
mod tuning;

pub use closed_form::{
    all, chebyshev_lower_bound, chebyshev_rate, gradient_descent, heavy_ball,
    heavy_ball_momentum_for_step, heavy_ball_step_for_momentum, nesterov,
    nesterov_momentum_for_step, nesterov_quadratic, nesterov_step_for_momentum, triple_momentum,
};
pub use tuning::{MAX_KAPPA, Tuning, TuningKind, iterations_to};
