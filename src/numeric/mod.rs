//! Numerical building blocks shared by the analysis modules: double-double arithmetic and
//! one-dimensional minimisation. Nothing here knows about momentum methods.

pub(crate) mod dd;
pub(crate) mod minimize;

/// |x − y| ≤ `ulps`·ε·max(|x|, |y|): equal up to `ulps` relative units in the last place.
pub(crate) fn within_ulps(x: f64, y: f64, ulps: f64) -> bool {
    (x - y).abs() <= ulps * f64::EPSILON * x.abs().max(y.abs())
}

/// The tests' seeded draws: one step of a 64-bit LCG (Knuth's MMIX constants) on `state`, then
/// its top 53 bits as a uniform in [0, 1).
#[cfg(test)]
pub(crate) fn lcg_uniform(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*state >> 11) as f64 / (1u64 << 53) as f64
}
