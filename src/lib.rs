//! # momentum — stability theory of momentum optimizers on quadratics
//!
//! On f(x) = ½(x − x*)ᵀH(x − x*), every two-step method of the form (Lessard, Recht & Packard
//! 2016, eq. 6.1)
//!
//! ```text
//! x_{k+1} = x_k + β (x_k − x_{k−1}) − α ∇f( x_k + γ (x_k − x_{k−1}) )
//! ```
//!
//! — gradient descent (β = γ = 0), heavy ball (γ = 0), Nesterov (γ = β), triple momentum — splits
//! in H's eigenbasis into one scalar recurrence per curvature λ:
//!
//! ```text
//! e_{k+1} = c₁(λ) e_k − c₀(λ) e_{k−1},   c₁ = p₀ − p₁λ,   c₀ = q₀ − q₁λ
//! ```
//!
//! with p₀ = 1+β, p₁ = α(1+γ), q₀ = β, q₁ = αγ. Those four numbers are a [`Recurrence`]; every
//! framework's hyperparameters map to one ([`convention`]), Keras' decoupled weight decay included.
//!
//! At each λ the [`Mode`] gives the roots of z² − c₁z + c₀ (stable closed forms), the spectral
//! radius ρ(λ) (the asymptotic rate), the [`Regime`] (underdamped, critically damped, overdamped,
//! alternating) and the exact power T(λ)^k. Over a [`Spectrum`] the worst case is at an endpoint
//! ([`spectrum`] proves it), so a Hessian of any size costs two 2×2 root problems. [`region`] gives
//! the exact stability interval of the step and the critical-damping momenta.
//!
//! ```
//! use momentum::{Method, Spectrum};
//! // Polyak's heavy ball tuned for κ = 100 (L = 1): rate (√κ − 1)/(√κ + 1) = 9/11, with a double
//! // root at both ends of the spectrum — so the rounded inputs fix the rate to ~√ε only.
//! let m = Method::heavy_ball(400.0 / 121.0, 81.0 / 121.0)?;
//! let worst = Spectrum::interval(0.01, 1.0)?.worst_case(&m.recurrence())?;
//! assert!((worst.spectral_radius() - 9.0 / 11.0).abs() < 1e-7);
//! assert_eq!(worst.at_lo.regime(), momentum::Regime::CriticallyDamped);
//! # Ok::<(), momentum::Error>(())
//! ```
//!
//! Beyond one point:
//!
//! - [`tuning`]: the optimal (α, β, γ) from κ in closed form (gradient descent, Polyak, Nesterov
//!   standard and quadratic-optimal, triple momentum), the one-sided questions (best momentum for a
//!   step, best step for a momentum) and the Chebyshev lower bound;
//! - [`minimax`]: the same optima found by a robust numeric search — the independent route;
//! - [`bounds`]: the exact finite-horizon worst case max over λ ∈ [μ, L] of |P_N(λ)| and ‖T(λ)ᵏ‖₂;
//! - [`simulate`]: the methods run on diagonal or dense rotated quadratics, with noise, and the rate
//!   read off the tail;
//! - [`map`] and [`plot`]: the (step, momentum) plane and the figures;
//! - [`io`] (feature `io`): spectra from `.npy`, text/CSV and JSON (PyHessian) files;
//! - [`claims`]: every quantitative claim of the project's seed documents, settled with numbers.
//!
//! Sources: Polyak (1964); Nesterov (1983); Lessard, Recht & Packard (2016); Van Scoy, Freeman &
//! Lynch (2018); Goh, "Why Momentum Really Works", Distill (2017) — whose complex-root rate is √β
//! (not 2√β) and whose R^k formula has its indices swapped; [`Mode::power`] has the corrected form.
//! These are rates on quadratics: on general smooth strongly convex functions Polyak-tuned heavy
//! ball can cycle (Lessard et al. 2016, §4.6).

#![warn(missing_docs)]

pub mod bounds;
pub mod convention;
mod dd;
pub mod error;
#[cfg(feature = "io")]
pub mod io;
pub mod map;
pub mod method;
pub mod minimax;
pub mod recurrence;
pub mod region;
pub mod roots;
pub mod simulate;
pub mod spectrum;
pub mod tuning;

pub use convention::{Converted, Framework, FrameworkParams, WeightDecay};
pub use error::{Error, Result};
pub use method::{Family, Method};
pub use recurrence::Recurrence;
pub use roots::{Mode, Regime};
pub use spectrum::{Spectrum, WorstCase};
