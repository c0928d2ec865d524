//! Numerical building blocks shared by the analysis modules: double-double arithmetic and
//! one-dimensional minimisation. Nothing here knows about momentum methods.

pub(crate) mod dd;
pub(crate) mod minimize;

/// |x − y| ≤ `ulps`·ε·max(|x|, |y|): equal up to `ulps` relative units in the last place.
pub(crate) fn within_ulps(x: f64, y: f64, ulps: f64) -> bool {
    (x - y).abs() <= ulps * f64::EPSILON * x.abs().max(y.abs())
}
