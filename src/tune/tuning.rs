//! What a tuning is: the tuned method, its kind and its worst-case rate, and the checks every
//! tuning applies to its (μ, L).

use crate::error::{Error, Result, finite, positive};
use crate::method::{Family, Method};
use crate::mode::iterations_per_decade;
use crate::spectrum::Spectrum;
use std::fmt;

/// Which tuning a [`Tuning`] is: a closed form from κ, a one-sided closed form or search, or a
/// numeric search over a family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TuningKind {
    /// Gradient descent, α = 2/(L+μ).
    GradientDescent,
    /// Polyak's heavy ball (1964).
    HeavyBall,
    /// Nesterov's standard tuning, α = 1/L.
    Nesterov,
    /// Nesterov tuned for quadratics (Lessard, Recht & Packard 2016, Prop. 1).
    NesterovQuadratic,
    /// Triple momentum (Van Scoy, Freeman & Lynch 2018).
    TripleMomentum,
    /// Heavy ball's best momentum for a given step (closed form).
    HeavyBallMomentumForStep,
    /// Heavy ball's best step for a given momentum (closed form).
    HeavyBallStepForMomentum,
    /// Nesterov's best momentum for a given step (search).
    NesterovMomentumForStep,
    /// Nesterov's best step for a given momentum (search).
    NesterovStepForMomentum,
    /// A family's best momentum for a given step, by search.
    BestMomentum,
    /// A family's best step for a given momentum, by search.
    BestStep,
    /// A family's minimax (α, β), by search.
    Minimax,
    /// A family's best step for a given momentum with a margin below the edge ([`crate::tune::margin`]).
    BestStepWithMargin,
    /// A family's minimax (α, β) with a margin below the edge ([`crate::tune::margin`]).
    MinimaxWithMargin,
}

impl TuningKind {
    /// The five closed-form tunings from κ, in the order [`crate::tune::all`] returns them.
    pub const CLOSED_FORMS: [TuningKind; 5] = [
        TuningKind::GradientDescent,
        TuningKind::HeavyBall,
        TuningKind::Nesterov,
        TuningKind::NesterovQuadratic,
        TuningKind::TripleMomentum,
    ];

    /// The snake_case name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            TuningKind::GradientDescent => "gradient_descent",
            TuningKind::HeavyBall => "heavy_ball",
            TuningKind::Nesterov => "nesterov",
            TuningKind::NesterovQuadratic => "nesterov_quadratic",
            TuningKind::TripleMomentum => "triple_momentum",
            TuningKind::HeavyBallMomentumForStep => "heavy_ball_momentum_for_step",
            TuningKind::HeavyBallStepForMomentum => "heavy_ball_step_for_momentum",
            TuningKind::NesterovMomentumForStep => "nesterov_momentum_for_step",
            TuningKind::NesterovStepForMomentum => "nesterov_step_for_momentum",
            TuningKind::BestMomentum => "best_momentum",
            TuningKind::BestStep => "best_step",
            TuningKind::Minimax => "minimax",
            TuningKind::BestStepWithMargin => "best_step_with_margin",
            TuningKind::MinimaxWithMargin => "minimax_with_margin",
        }
    }

    /// The family whose minimax optimum over (α, β) this closed form is — gradient descent,
    /// Polyak's heavy ball and quadratic-optimal Nesterov — so that [`crate::tune::search`] can
    /// re-derive it; `None` for the others (standard Nesterov and triple momentum are not family
    /// optima on quadratics).
    pub fn search_family(self) -> Option<Family> {
        match self {
            TuningKind::GradientDescent => Some(Family::GradientDescent),
            TuningKind::HeavyBall => Some(Family::HeavyBall),
            TuningKind::NesterovQuadratic => Some(Family::Nesterov),
            _ => None,
        }
    }
}

impl fmt::Display for TuningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Display for Tuning {
    /// `heavy_ball: step 3.305785…, momentum 0.669421…, lookahead 0, rate 0.818181…`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: step {}, momentum {}, lookahead {}, rate {}",
            self.kind,
            self.method.step(),
            self.method.momentum(),
            self.method.lookahead(),
            self.rate
        )
    }
}

/// A tuned method, what kind of tuning produced it, and the worst-case rate it achieves.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Tuning {
    /// Which tuning (serialised as its snake_case `name`).
    #[cfg_attr(feature = "serde", serde(rename = "name"))]
    pub kind: TuningKind,
    /// The tuned method.
    pub method: Method,
    /// The closed-form worst-case rate.
    pub rate: f64,
}

impl Tuning {
    /// The family whose minimax optimum over (α, β) this tuning is (see
    /// [`TuningKind::search_family`]).
    pub fn search_family(&self) -> Option<Family> {
        self.kind.search_family()
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

/// The (μ, L) of a spectrum to tune for: its smallest and largest curvature, checked by
/// [`check_interval`].
pub(crate) fn check(spectrum: &Spectrum) -> Result<(f64, f64)> {
    let (mu, l) = spectrum.bounds();
    check_interval(mu, l)?;
    Ok((mu, l))
}

/// μ, L > 0, μ ≤ L, κ ≤ [`MAX_KAPPA`], and 4L representable (the closed forms divide by 3L + μ).
fn check_interval(mu: f64, l: f64) -> Result<()> {
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
