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
//! with p₀ = 1+β, p₁ = α(1+γ), q₀ = β, q₁ = αγ. Everything this crate computes is a function of
//! those four numbers, evaluated at the right curvatures. Data flows one way, and so do the
//! module imports (checked by `scripts/module_graph.py` in CI):
//!
//! ```text
//! framework hyperparameters ──convention──▶ Method (α, β, γ) ──▶ Recurrence (p₀, p₁, q₀, q₁)
//!   Recurrence at λ ──▶ Mode: roots, spectral radius ρ, regime, exact powers T(λ)^k
//!   over a Spectrum ([μ, L] or eigenvalues; endpoint theorem) ──▶ WorstCase
//!   ──▶ stability (exact stable steps, critical momenta) ──▶ map (the (α, β) plane)
//!   ──▶ tune (closed forms and search) ──▶ bounds (finite horizon) ──▶ simulate, io
//! ```
//!
//! | you have | you ask | call |
//! |---|---|---|
//! | a [`Method`] and a [`Spectrum`] | is it stable, at what rate? | [`Method::worst_case`] |
//! | the same | the worst error after N steps | [`Method::finite_horizon`] |
//! | PyTorch/Keras/optax arguments | the recurrence they run | [`Framework::convert`], [`Framework::recurrence`] |
//! | a [`Recurrence`] and one λ | roots, ρ, regime, Tᵏ | [`Recurrence::mode`] |
//! | a [`Spectrum`] (or κ) | the optimal (α, β, γ) | [`tune::heavy_ball`], [`tune::all`], [`tune::search`] |
//! | a [`Family`] and a grid | the stability map | [`map::StabilityMap::compute`], [`map::summary`] |
//! | a method and a spectrum | the interval of stable steps | [`stability::stable_steps`] |
//! | a Hessian's eigenvalues | which directions are flat or saddles | [`Spectrum::directions`] |
//! | an unstable method | how far it has grown after N steps | [`bounds::log10_from_rest`] |
//! | a [`Method`] and [μ, L] | a rate on every smooth strongly convex f (IQC) | [`certify::certified_rate`] |
//! | a method, Gaussian data's covariance and a batch size B | mean-square rate, stable lr, critical batch size | [`minibatch::Gaussian::rate`], [`minibatch::Gaussian::stable_steps`], [`minibatch::critical_batch`] |
//! | a method, a spectrum and gradient noise σ | the stationary E‖e‖² (noise floor) | [`noise::floor`], [`noise::fastest_to`] |
//! | Adam's `exp_avg_sq` and a Hessian | the preconditioned spectrum (frozen v) | [`precondition::preconditioner`], [`precondition::full`] |
//! | a method and a gradient τ steps late | stability and rate of the delayed recurrence | [`delay::Delayed`], [`Method::delayed`] |
//! | Polyak's tuning on a non-quadratic | the exact 3-cycle of Lessard et al. | [`cycle::polyak_cycles`] |
//! | a framework's arguments and a held lr | the best momentum in the framework's terms | [`tune::framework::best_momentum`] |
//! | a framework's arguments | the finite horizon from its own first step | [`bounds::framework_first_step`], [`bounds::finite_horizon_from`] |
//! | Hessian-vector products (or a large matrix) | the k extreme eigenvalues; a spectral density | [`lanczos::extremes`], [`lanczos::density`] |
//!
//! ```
//! use momentum::{Method, Regime, Spectrum, tune};
//! // Polyak's heavy ball tuned for κ = 100: rate (√κ − 1)/(√κ + 1) = 9/11, with a double root at
//! // both ends of the spectrum — so the rounded inputs fix the rate to ~√ε only.
//! let spectrum = Spectrum::from_condition_number(100.0)?;
//! let polyak = tune::heavy_ball(&spectrum)?;
//! let worst = polyak.method.worst_case(&spectrum)?;
//! assert!(worst.is_stable(), "{worst}");
//! assert!((worst.spectral_radius() - 9.0 / 11.0).abs() < 1e-7);
//! assert_eq!(worst.at_lo.regime(), Regime::CriticallyDamped);
//! # Ok::<(), momentum::Error>(())
//! ```
//!
//! Modules, in the order of the data flow: [`recurrence`], [`mode`], [`method`], [`convention`],
//! [`spectrum`], [`stability`], [`map`], [`tune`], [`bounds`], `simulate` (feature `simulate`)
//! and `io` (feature `io`: spectra from `.npy`, text/CSV and JSON/PyHessian files). Beside the
//! degree-2 core: [`polynomial`] and [`delay`] (order-n recurrences, stale gradients),
//! [`noise`] (stationary variance), [`lanczos`] (extreme eigenvalues from Hessian-vector
//! products), [`precondition`] (Adam/RMSprop with a frozen second moment),
//! and beyond quadratics [`certify`] (IQC rates on smooth strongly convex functions), [`cycle`]
//! (the heavy-ball cycle) and `pep` (feature `sdp`: exact N-step worst cases).
//!
//! Cargo features: `parallel` (rayon maps), `serde` (`Serialize` on results), `simulate` (seeded
//! runs on diagonal and rotated quadratics), `io` (spectrum files) are on by default; `testing`
//! adds proptest strategies and assertion helpers for your own tests; `sdp` adds clarabel's
//! semidefinite solver (system OpenBLAS) for `pep` and the SDP route of `certify`. With
//! `default-features = false` the crate needs only nalgebra, num-complex and thiserror, and
//! builds for `wasm32-unknown-unknown`.
//!
//! Sources: Polyak (1964); Nesterov (1983); Lessard, Recht & Packard (2016); Van Scoy, Freeman &
//! Lynch (2018); Goh, "Why Momentum Really Works", Distill (2017) — whose complex-root rate is √β
//! (not 2√β) and whose R^k formula has its indices swapped; [`Mode::power`] has the corrected
//! form. The mathematics with its sources is in `docs/REFERENCE.md`. These are rates on
//! quadratics: on general smooth strongly convex functions Polyak-tuned heavy ball can cycle
//! (Lessard et al. 2016, §4.6).

#![warn(missing_docs)]

// Feature `sdp`: clarabel's PSD cone calls BLAS/LAPACK (dsyevr_, dgemm_, …) through the
// provider-less blas-src/lapack-src; the system OpenBLAS (Debian: libopenblas-dev) provides both,
// linked here without a build script or a download.
#[cfg(feature = "sdp")]
#[link(name = "openblas")]
unsafe extern "C" {}

mod numeric;

pub mod bounds;
pub mod certify;
pub mod convention;
pub mod cycle;
pub mod delay;
pub mod error;
#[cfg(feature = "io")]
pub mod io;
pub mod lanczos;
pub mod linear;
pub mod map;
pub mod method;
pub mod minibatch;
pub mod mode;
pub mod noise;
#[cfg(feature = "sdp")]
pub mod pep;
pub mod polynomial;
pub mod precondition;
pub mod recurrence;
pub mod schedule;
pub mod setting;
#[cfg(feature = "simulate")]
pub mod simulate;
pub mod spectrum;
pub mod stability;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tune;
pub mod zoo;

pub use convention::{Converted, Framework, FrameworkParams, WeightDecay};
pub use error::{Error, Result};
pub use method::{Family, Method};
pub use mode::{Mode, Regime};
pub use recurrence::Recurrence;
pub use spectrum::{Directions, Precision, Spectrum, WorstCase};
pub use tune::{Tuning, TuningKind};
