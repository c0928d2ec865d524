//! The `noise_floor` block of an analysis: the stationary E‖e‖² under additive gradient noise of
//! standard deviation σ ([`crate::noise`]), with flat directions reported as random walks and
//! saddles as divergent, and in the parameters' coordinates under a frozen preconditioner.

use super::Hessian;
use crate::convention::Converted;
use crate::error::{Error, Result};
use crate::noise::{
    CurvatureVariance, FloorReport, NoiseInput, ParameterHessian, floor, floor_of_directions,
    preconditioned_floor,
};
use crate::spectrum::{Directions, Spectrum};

/// The noise floor of a setting (docs/json.md, `noise_floor`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NoiseFloor {
    /// σ, echoed.
    pub sigma: f64,
    /// `one_gradient` (a₀ = α, a₁ = 0) or `two_gradients` (QHM: a₀ = p₁, a₁ = q₁).
    pub model: &'static str,
    /// `parameters` (E‖x − x*‖²), or `preconditioned` (Adam family without its P:
    /// E‖P^{1/2}(x − x*)‖²).
    pub coordinates: &'static str,
    /// Whether a stationary state exists (every direction has one).
    pub stationary: bool,
    /// E‖e‖²/σ² summed over the listed eigenvalues (`None` for an interval or when not stationary).
    pub per_unit_variance: Option<f64>,
    /// E‖e‖²/(σ² n): mean over the eigenvalues, or over a uniform density on [μ, L].
    pub mean_per_direction: Option<f64>,
    /// σ² × per_unit_variance (eigenvalues) or σ² × mean_per_direction (interval).
    pub floor: Option<f64>,
    /// The curvature with the largest stationary variance.
    pub largest: Option<CurvatureVariance>,
    /// Stationary variance per unit σ² at the listed curvatures (interval: its two ends).
    pub per_curvature: Vec<CurvatureVariance>,
    /// Directions whose variance grows linearly (flat ones: a root at +1).
    pub random_walk_directions: usize,
    /// The growth of E‖e_k‖² per step from them, σ² × random_walk_growth_per_unit_variance.
    pub random_walk_growth_per_step: Option<f64>,
    /// The same per unit σ²: (a₀ − a₁)²/(1 − c₀)² per flat direction (α²/(1 − β)², heavy ball).
    pub random_walk_growth_per_unit_variance: Option<f64>,
    /// Directions whose variance grows faster than linearly: saddles and unstable curvatures.
    pub divergent_directions: usize,
}

/// The noise floor over `spectrum` (the curvatures analysed) and the flat and saddle
/// `directions` set apart from it, in the parameters' coordinates when `pre` gives P and the
/// Hessian.
///
/// # Errors
///
/// A negative or non-finite σ; what [`crate::noise`] rejects other than an unstable mode (which
/// is the answer `stationary: false`).
pub fn noise_floor(
    c: &Converted,
    spectrum: &Spectrum,
    sigma: f64,
    directions: Option<&Directions>,
    pre: Option<(&[f64], &Hessian)>,
) -> Result<NoiseFloor> {
    if !sigma.is_finite() || sigma < 0.0 {
        return Err(Error::OutOfRange {
            name: "noise",
            value: sigma,
            expected: "a standard deviation: finite and >= 0",
        });
    }
    let input = NoiseInput::for_converted(c);
    let model = if input.previous != 0.0 {
        "two_gradients"
    } else {
        "one_gradient"
    };
    let coordinates = if c.framework.is_preconditioned() && pre.is_none() {
        "preconditioned"
    } else {
        "parameters"
    };
    let rec = &c.recurrence;
    let report = match (pre, directions) {
        (Some((p, h)), _) => {
            let tol = directions.map_or_else(|| spectrum.default_flat_tolerance(), |d| d.tolerance);
            let h = match h {
                Hessian::Diagonal(d) => ParameterHessian::Diagonal(d),
                Hessian::Full(m) => ParameterHessian::Full(m),
            };
            preconditioned_floor(rec, input, h, p, tol)
        }
        (None, Some(d)) => floor_of_directions(rec, input, d),
        (None, None) => floor(rec, input, spectrum).map(|f| FloorReport {
            floor: Some(f),
            random_walk_directions: 0,
            random_walk_growth_per_step: 0.0,
            divergent_directions: 0,
        }),
    };
    let s2 = sigma * sigma;
    let mut out = NoiseFloor {
        sigma,
        model,
        coordinates,
        stationary: false,
        per_unit_variance: None,
        mean_per_direction: None,
        floor: None,
        largest: None,
        per_curvature: vec![],
        random_walk_directions: 0,
        random_walk_growth_per_step: None,
        random_walk_growth_per_unit_variance: None,
        divergent_directions: 0,
    };
    let r = match report {
        Ok(r) => r,
        Err(Error::NoStationaryState { .. }) => return Ok(out),
        Err(e) => return Err(e),
    };
    out.random_walk_directions = r.random_walk_directions;
    out.divergent_directions = r.divergent_directions;
    if r.random_walk_directions > 0 {
        out.random_walk_growth_per_unit_variance = Some(r.random_walk_growth_per_step);
        out.random_walk_growth_per_step = Some(s2 * r.random_walk_growth_per_step);
    }
    if let Some(f) = r.floor {
        out.stationary = true;
        out.per_unit_variance = f.total;
        out.mean_per_direction = Some(f.mean_per_direction);
        out.floor = Some(s2 * f.total.unwrap_or(f.mean_per_direction));
        out.largest = Some(f.largest);
        out.per_curvature = f.curvatures;
    }
    Ok(out)
}
