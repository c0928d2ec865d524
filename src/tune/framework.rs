//! Tuning in a framework's own arguments: the best momentum for the user's lr, the best lr for
//! the user's momentum, or both, with the framework's switches (Nesterov, dampening, weight
//! decay) held as given.
//!
//! Where the framework's (lr, momentum) are the canonical (α, β) — PyTorch without dampening,
//! Keras and optax without decay — these are the questions [`super::heavy_ball_momentum_for_step`]
//! and friends answer. Elsewhere the map from arguments to the recurrence bends the search line:
//! EWMA runs α = lr·(1 − β), so holding lr and moving β moves the step too; dampening scales the
//! step; coupled decay shifts every curvature by w; Keras' decoupled decay leaves the
//! three-parameter family. The objective is therefore taken literally: for each candidate the
//! arguments go through [`Framework::convert`], and the rate is the worst-case spectral radius
//! of the resulting recurrence over the spectrum ([`Spectrum::worst_case`]: both ends of an
//! interval — the endpoint theorem holds for any recurrence affine in λ, which every framework
//! here runs). The minimiser is the crate's bracket-then-refine search (a uniform grid, then
//! golden section on the best local minima), which a square-root corner cannot fool.

use super::tuning::check;
use crate::convention::{Converted, Framework, FrameworkParams};
use crate::error::{Error, Result, positive};
use crate::numeric::minimize::minimise_1d;
use crate::spectrum::Spectrum;

/// Grid points of each one-dimensional search.
const SAMPLES: usize = 600;
/// The largest momentum searched: frameworks take β ∈ [0, 1).
const TOP_MOMENTUM: f64 = 1.0 - 1e-12;

/// A tuning written in a framework's own arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameworkTuning {
    /// The arguments to type into the framework (the held switches as given).
    pub params: FrameworkParams,
    /// What they run: the canonical method and the recurrence in the raw curvature.
    pub converted: Converted,
    /// The worst-case spectral radius over the spectrum, evaluated at `params`.
    pub rate: f64,
}

/// Worst-case ρ of the framework's arguments over `[mu, l]`; +∞ for arguments the framework
/// rejects or that overflow.
fn rate(framework: Framework, p: &FrameworkParams, spectrum: &Spectrum) -> f64 {
    framework
        .convert(p)
        .and_then(|c| spectrum.worst_case(&c.recurrence))
        .map_or(f64::INFINITY, |w| w.spectral_radius())
}

fn finish(
    framework: Framework,
    params: FrameworkParams,
    spectrum: &Spectrum,
) -> Result<FrameworkTuning> {
    let converted = framework.convert(&params)?;
    let rate = spectrum
        .worst_case(&converted.recurrence)?
        .spectral_radius();
    if rate.is_nan() || rate >= 1.0 {
        return Err(Error::Unsupported(format!(
            "no {framework} setting of this form is stable on this spectrum (best rate found {rate})"
        )));
    }
    Ok(FrameworkTuning {
        params,
        converted,
        rate,
    })
}

/// The interval the curvatures are tuned over, as an interval [μ, L] (a listed spectrum's ends).
fn interval(spectrum: &Spectrum) -> Result<Spectrum> {
    let (mu, l) = check(spectrum)?;
    Spectrum::interval(mu, l)
}

/// The momentum β ∈ [0, 1) that minimises the worst-case rate at the framework's `at.lr`, with
/// `at`'s Nesterov switch, dampening and weight decay held.
///
/// # Examples
///
/// ```
/// use momentum::{Framework, FrameworkParams, Spectrum, tune};
/// // Polyak's pair for κ = 100 is α = 1/30.25, β = (9/11)²; in EWMA arguments lr = α/(1 − β).
/// // Holding that lr, the best EWMA momentum is Polyak's β again.
/// let s = Spectrum::interval(1.0, 100.0)?;
/// let (a, b) = (4.0 / 121.0, 81.0 / 121.0);
/// let at = FrameworkParams { lr: a / (1.0 - b), ..Default::default() };
/// let t = tune::framework::best_momentum(Framework::Ewma, &at, &s)?;
/// assert!((t.params.momentum.unwrap() - b).abs() < 1e-6);
/// assert!((t.rate - 9.0 / 11.0).abs() < 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// A spectrum that is not positive and finite, a non-positive lr, or no stable momentum
/// ([`Error::Unsupported`]); what the framework rejects in the held switches.
pub fn best_momentum(
    framework: Framework,
    at: &FrameworkParams,
    spectrum: &Spectrum,
) -> Result<FrameworkTuning> {
    let s = interval(spectrum)?;
    positive("lr", at.lr)?;
    let with = |b: f64| FrameworkParams {
        momentum: Some(b),
        ..*at
    };
    let (b, _) = minimise_1d(
        |b| rate(framework, &with(b), &s),
        (0.0, TOP_MOMENTUM),
        &[],
        SAMPLES,
    );
    finish(framework, with(b), &s)
}

/// The largest lr below which the arguments are stable at some point: found by doubling from
/// 1/L until the rate reaches 1 (every framework's stable lr set at fixed momentum is an
/// interval (0, lr_max) on a positive spectrum).
fn lr_ceiling(framework: Framework, at: &FrameworkParams, s: &Spectrum) -> f64 {
    let (_, l) = s.bounds();
    let mut hi = 1.0 / l;
    for _ in 0..200 {
        if rate(framework, &at.with_lr(hi), s) >= 1.0 {
            break;
        }
        hi *= 2.0;
    }
    hi
}

/// The lr > 0 that minimises the worst-case rate at the framework's `at.momentum`, with the
/// switches held.
///
/// # Examples
///
/// ```
/// use momentum::{Framework, FrameworkParams, Spectrum, tune};
/// // PyTorch with dampening 0.5 runs α = lr/2: the best lr is twice the best canonical step
/// let s = Spectrum::interval(1.0, 100.0)?;
/// let at = FrameworkParams { lr: 1.0, momentum: Some(0.5), dampening: Some(0.5), ..Default::default() };
/// let t = tune::framework::best_lr(Framework::PyTorch, &at, &s)?;
/// let canonical = tune::heavy_ball_step_for_momentum(0.5, &s)?;
/// assert!((t.params.lr / 2.0 / canonical.method.step() - 1.0).abs() < 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`best_momentum`].
pub fn best_lr(
    framework: Framework,
    at: &FrameworkParams,
    spectrum: &Spectrum,
) -> Result<FrameworkTuning> {
    let s = interval(spectrum)?;
    let hi = lr_ceiling(framework, at, &s);
    let (lr, _) = minimise_1d(
        |lr| {
            if lr > 0.0 {
                rate(framework, &at.with_lr(lr), &s)
            } else {
                f64::INFINITY
            }
        },
        (0.0, hi),
        &[],
        SAMPLES,
    );
    finish(framework, at.with_lr(lr), &s)
}

/// The (lr, momentum) that minimise the worst-case rate, with `at`'s switches held (its lr and
/// momentum are ignored): the best momentum at each lr, minimised over lr.
///
/// # Examples
///
/// ```
/// use momentum::{Framework, FrameworkParams, Spectrum, tune};
/// // optax with add_decayed_weights(1) on [1, 99] sees [2, 100]: Polyak's rate 9/11 for κ = 50
/// let s = Spectrum::interval(1.0, 99.0)?;
/// let at = FrameworkParams { lr: 1.0, weight_decay: Some(1.0), ..Default::default() };
/// let t = tune::framework::best(Framework::Optax, &at, &s)?;
/// let k = 50f64.sqrt();
/// assert!((t.rate - (k - 1.0) / (k + 1.0)).abs() < 1e-6);
/// // EWMA's optimum is Polyak's pair at lr = α/(1 − β), far beyond gradient descent's lr range
/// let t = tune::framework::best(Framework::Ewma, &FrameworkParams::default(), &Spectrum::interval(1.0, 100.0)?)?;
/// assert!((t.rate - 9.0 / 11.0).abs() < 1e-6, "{}", t.rate);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`best_momentum`].
pub fn best(
    framework: Framework,
    at: &FrameworkParams,
    spectrum: &Spectrum,
) -> Result<FrameworkTuning> {
    let s = interval(spectrum)?;
    // the stable lr range grows with the momentum (EWMA's step is lr·(1 − β)): take the widest
    // of a few momenta, and search log lr over eight decades below it
    let hi = [0.0, 0.5, 0.9, 0.99]
        .iter()
        .map(|&b| {
            let probe = FrameworkParams {
                momentum: Some(b),
                nesterov: at.nesterov && b > 0.0,
                ..*at
            };
            lr_ceiling(framework, &probe, &s)
        })
        .fold(0.0, f64::max);
    let top = hi.log10();
    let inner = |lr: f64| -> (f64, f64) {
        if lr <= 0.0 {
            return (0.0, f64::INFINITY);
        }
        let p = at.with_lr(lr);
        minimise_1d(
            |b| {
                rate(
                    framework,
                    &FrameworkParams {
                        momentum: Some(b),
                        ..p
                    },
                    &s,
                )
            },
            (0.0, TOP_MOMENTUM),
            &[],
            SAMPLES / 2,
        )
    };
    let (x, _) = minimise_1d(
        |x| inner(10f64.powf(x)).1,
        (top - 8.0, top),
        &[],
        SAMPLES / 2,
    );
    let lr = 10f64.powf(x);
    let (b, _) = inner(lr);
    finish(
        framework,
        FrameworkParams {
            lr,
            momentum: Some(b),
            ..*at
        },
        &s,
    )
}
