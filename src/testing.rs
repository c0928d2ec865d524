//! Helpers for your own tests (feature `testing`): assertions that print the whole verdict when
//! they fail, and proptest strategies for spectra and for methods inside their stability region.
//!
//! ```
//! use momentum::testing::{assert_rate_at_most, assert_stable};
//! use momentum::{Method, Spectrum};
//! let spectrum = Spectrum::interval(0.5, 30.0)?;
//! let sgd = Method::heavy_ball(0.05, 0.9)?; // PyTorch lr = 0.05, momentum = 0.9
//! assert_stable(&sgd, &spectrum);
//! assert_rate_at_most(&sgd, &spectrum, 0.99);
//! # Ok::<(), momentum::Error>(())
//! ```

use crate::bounds::FiniteHorizon;
use crate::method::Method;
use crate::spectrum::{Spectrum, WorstCase};

/// Assert that `method` is stable at every curvature of `spectrum`; returns the worst case.
///
/// # Panics
///
/// When it is not, or when the analysis itself fails, with the worst case (ρ, λ, regime) in the
/// message.
#[track_caller]
pub fn assert_stable(method: &Method, spectrum: &Spectrum) -> WorstCase {
    let w = worst(method, spectrum);
    assert!(w.is_stable(), "{} on {spectrum}: {w}", describe(method));
    w
}

/// Assert that the worst-case asymptotic rate ρ of `method` over `spectrum` is at most `rate`;
/// returns the worst case.
///
/// # Panics
///
/// When ρ > `rate`, with the worst case in the message.
#[track_caller]
pub fn assert_rate_at_most(method: &Method, spectrum: &Spectrum, rate: f64) -> WorstCase {
    let w = worst(method, spectrum);
    assert!(
        w.spectral_radius() <= rate,
        "{} on {spectrum}: {w}, above the required rate {rate}",
        describe(method)
    );
    w
}

/// Assert that after `steps` steps from rest no quadratic with its spectrum in `spectrum` has
/// ‖e_N‖/‖e₀‖ above `factor` (the exact finite-horizon worst case, transients included).
///
/// # Panics
///
/// When the worst factor exceeds `factor`, or the bound cannot be computed.
#[track_caller]
pub fn assert_error_after_at_most(
    method: &Method,
    spectrum: &Spectrum,
    steps: u64,
    factor: f64,
) -> FiniteHorizon {
    let fh = method
        .finite_horizon(spectrum, steps)
        .unwrap_or_else(|e| panic!("{} on {spectrum}: {e}", describe(method)));
    assert!(
        fh.worst_factor <= factor,
        "{} on {spectrum}: {fh}, above {factor}",
        describe(method)
    );
    fh
}

#[track_caller]
fn worst(method: &Method, spectrum: &Spectrum) -> WorstCase {
    method
        .worst_case(spectrum)
        .unwrap_or_else(|e| panic!("{} on {spectrum}: {e}", describe(method)))
}

fn describe(m: &Method) -> String {
    format!(
        "{} (step {}, momentum {}, lookahead {})",
        m.name(),
        m.step(),
        m.momentum(),
        m.lookahead()
    )
}

/// proptest strategies.
pub mod strategies {
    use crate::method::Method;
    use crate::spectrum::Spectrum;
    use proptest::prelude::*;

    /// Intervals [μ, L] with L in [10⁻³, 10³] and condition number κ = L/μ in [1, `max_kappa`]
    /// (log-uniform in both).
    pub fn interval(max_kappa: f64) -> impl Strategy<Value = Spectrum> {
        let top = max_kappa.max(1.0).ln();
        (-3.0f64..=3.0, 0.0..=top).prop_map(|(log_l, log_kappa)| {
            let l = 10f64.powf(log_l);
            let mu = l / log_kappa.exp();
            Spectrum::interval(mu, l).expect("0 < mu <= L by construction")
        })
    }

    /// Heavy-ball methods strictly inside their stability region over `spectrum` (μ > 0):
    /// β ∈ [0, 0.999] and α ∈ (0, 2(1+β)/L) — Jury's conditions 0 < αλ < 2(1 + β), |β| < 1 at
    /// every λ ∈ [μ, L] — with α at least 10⁻³ of that range away from both ends.
    pub fn stable_heavy_ball(spectrum: Spectrum) -> impl Strategy<Value = Method> {
        let (_, l) = spectrum.bounds();
        (0.0f64..=0.999, 0.001f64..=0.999).prop_map(move |(beta, frac)| {
            Method::heavy_ball(frac * 2.0 * (1.0 + beta) / l, beta).expect("finite, step > 0")
        })
    }

    /// Nesterov methods strictly inside their stability region over `spectrum` (μ > 0):
    /// β ∈ [0, 0.999] and α ∈ (0, 2(1+β)/((1+2β)L)), from Jury's 1 + c₁ + c₀ > 0.
    pub fn stable_nesterov(spectrum: Spectrum) -> impl Strategy<Value = Method> {
        let (_, l) = spectrum.bounds();
        (0.0f64..=0.999, 0.001f64..=0.999).prop_map(move |(beta, frac)| {
            let top = 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * l);
            Method::nesterov(frac * top, beta).expect("finite, step > 0")
        })
    }
}
