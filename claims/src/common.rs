//! Helpers shared by several claims: iteration of the three-parameter family, rates and stable
//! steps, the zooming minimax search, sign counting, and the number formatting of reports; then
//! the few claim-specific routines that more than one claim calls (noted on each).
//!
//! They are public (re-exported at the crate root) so that examples can print more detail; the
//! tests in `tests/it/` recompute what they return by other routes.

use momentum::error::{Error, Result};
use momentum::method::Method;
use momentum::recurrence::Recurrence;
use momentum::spectrum::Spectrum;
use momentum::stability::method_stable_steps;

/// `value` if it is finite and > 0, else the library's typed error naming it.
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64> {
    if !value.is_finite() {
        Err(Error::NotFinite { name, value })
    } else if value > 0.0 {
        Ok(value)
    } else {
        Err(Error::NotPositive { name, value })
    }
}

// ------------------------------------------------------------------------------------------------
// iteration, rates and stable steps
// ------------------------------------------------------------------------------------------------

/// Iterates x_0, …, x_n of a three-parameter method on a scalar function with gradient `grad`,
/// from rest (x_{−1} = x_0):
/// x_{k+1} = x_k + β(x_k − x_{k−1}) − α g(x_k + γ(x_k − x_{k−1})) (Lessard et al. 2016, eq. 6.1).
pub fn iterate_scalar(
    method: &Method,
    grad: impl Fn(f64) -> f64,
    x0: f64,
    steps: usize,
) -> Vec<f64> {
    let (a, b, g) = (method.step(), method.momentum(), method.lookahead());
    let mut xs = Vec::with_capacity(steps + 1);
    let (mut prev, mut cur) = (x0, x0);
    xs.push(x0);
    for _ in 0..steps {
        let d = cur - prev;
        let next = cur + b * d - a * grad(cur + g * d);
        prev = cur;
        cur = next;
        xs.push(cur);
    }
    xs
}

/// Iterates of a three-parameter method on the separable quadratic f(x) = ½Σ λᵢxᵢ² in the plane,
/// from rest: the same update as [`iterate_scalar`], coordinate-wise.
pub fn iterate_plane(
    method: &Method,
    curvatures: [f64; 2],
    x0: [f64; 2],
    steps: usize,
) -> Vec<[f64; 2]> {
    let a = iterate_scalar(method, |x| curvatures[0] * x, x0[0], steps);
    let b = iterate_scalar(method, |x| curvatures[1] * x, x0[1], steps);
    a.into_iter().zip(b).map(|(p, q)| [p, q]).collect()
}

/// Worst-case spectral radius of a method over curvatures [μ, L] (endpoint theorem, [`Spectrum`]).
pub fn worst_rate(method: &Method, mu: f64, l: f64) -> Result<f64> {
    Ok(Spectrum::interval(mu, l)?
        .worst_case(&method.recurrence())?
        .spectral_radius())
}

/// Spectral radius of a method at one curvature λ.
pub fn rate_at(method: &Method, lambda: f64) -> Result<f64> {
    Ok(method.recurrence().mode(lambda)?.spectral_radius())
}

/// The largest stable step of a method's family (same momentum and look-ahead rule) at curvature
/// λ, from the crate's exact Jury interval; `None` if no positive step is stable.
pub fn max_stable_step(method: &Method, lambda: f64) -> Result<Option<f64>> {
    Ok(method_stable_steps(method, &Spectrum::eigenvalues(vec![lambda])?)?.map(|iv| iv.hi))
}

/// Iterations per tenfold error reduction at asymptotic rate ρ, ln 10/(−ln ρ), computed as
/// ln 10/(−ln_1p(ρ − 1)) from `one_minus_rate` = 1 − ρ for accuracy when ρ is close to 1.
pub fn iterations_per_decade_from_gap(one_minus_rate: f64) -> f64 {
    std::f64::consts::LN_10 / -(-one_minus_rate).ln_1p()
}

// ------------------------------------------------------------------------------------------------
// one- and two-parameter minimax searches
// ------------------------------------------------------------------------------------------------

/// Minimise a function of one variable on [x₀, x₁] by a zooming grid: `first` points, then
/// rounds of 15 points on a window re-centred on the best point and shrunk by 0.6 (the best grid
/// point's neighbours stay inside, so a unimodal or quasi-convex function keeps its minimiser
/// bracketed). Returns (x, f(x)).
fn zoom_1d(
    f: &mut dyn FnMut(f64) -> Result<f64>,
    range: (f64, f64),
    first: usize,
    rounds: usize,
) -> Result<(f64, f64)> {
    let mut each = |xs: &[f64], out: &mut [f64]| -> Result<()> {
        for (&x, slot) in xs.iter().zip(out) {
            *slot = f(x)?;
        }
        Ok(())
    };
    zoom_1d_grids(&mut each, range, first, rounds)
}

/// A function evaluated on a whole grid: `f(xs, out)` writes f(xs[i]) to out[i].
type GridFn<'a> = dyn FnMut(&[f64], &mut [f64]) -> Result<()> + 'a;

/// [`zoom_1d`] with each round's grid handed to `f` at once (the grid does not depend on the
/// values within a round): `f(xs, out)` writes f(xs[i]) to out[i], or returns the error of the
/// first point in order that has one, so the search and its errors are `zoom_1d`'s.
fn zoom_1d_grids(
    f: &mut GridFn<'_>,
    (x0, x1): (f64, f64),
    first: usize,
    rounds: usize,
) -> Result<(f64, f64)> {
    let (mut c, mut h) = (0.5 * (x0 + x1), 0.5 * (x1 - x0));
    let mut v = [0.0];
    f(&[c], &mut v)?;
    let mut best = (c, v[0]);
    let mut n = first.max(3);
    let (mut xs, mut vs) = (Vec::with_capacity(n.max(15)), Vec::with_capacity(n.max(15)));
    for _ in 0..=rounds {
        xs.clear();
        xs.extend((0..n).map(|i| (c - h + 2.0 * h * i as f64 / (n - 1) as f64).clamp(x0, x1)));
        vs.resize(n, 0.0);
        f(&xs, &mut vs)?;
        for (&x, &v) in xs.iter().zip(&vs) {
            if v < best.1 {
                best = (x, v);
            }
        }
        c = best.0;
        h *= 0.6;
        n = 15;
    }
    Ok(best)
}

/// The best worst-case rate over [μ, L] of a one-parameter family `build(α)` for α ∈ [a₀, a₁]
/// (a₀ > 0): a zooming grid on α (41 points, then 48 rounds of 15 on a window shrunk by 0.6).
/// Returns (α, ρ).
///
/// For fixed momentum and look-ahead the worst-case rate is quasi-convex in α — each
/// {α : ρ(λ) < r} is an interval, c₁ and c₀ being affine in α — so the zoom keeps the minimiser
/// bracketed. No derivative is used: the optimum is typically a kink.
pub fn best_step(
    build: impl Fn(f64) -> Result<Method>,
    (mu, l): (f64, f64),
    (a0, a1): (f64, f64),
) -> Result<(f64, f64)> {
    positive("smallest step", a0)?;
    let spectrum = Spectrum::interval(mu, l)?;
    let (mut recs, mut rates) = (Vec::new(), Vec::new());
    // each grid's radii at once (`interval_rates`, `interval_rate`'s bits); the full route only
    // for its error; the first error in grid order, as point by point
    let mut f = |xs: &[f64], out: &mut [f64]| -> Result<()> {
        recs.clear();
        let mut failed = None;
        for &a in xs {
            match build(a) {
                Ok(m) => recs.push(m.recurrence()),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        rates.resize(recs.len(), None);
        momentum::tune::search::interval_rates(&recs, mu, l, &mut rates);
        for ((rec, rate), slot) in recs.iter().zip(&rates).zip(out) {
            *slot = match rate {
                Some(r) => *r,
                None => spectrum.worst_case(rec)?.spectral_radius(),
            };
        }
        failed.map_or(Ok(()), Err)
    };
    zoom_1d_grids(&mut f, (a0, a1), 41, 48)
}

/// A numeric minimax: the (α, β) minimising the worst-case rate over [μ, L] of a two-parameter
/// family `build(α, β)` in the box α ∈ [a₀, a₁] (a₀ > 0), β ∈ [b₀, b₁]. Nested searches: for each
/// β the best α by [`best_step`]; over β a zooming grid (101 points, then 40 rounds of 15), which
/// assumes the best rate at fixed β is unimodal in β (true for heavy ball, Nesterov and the
/// reversed look-ahead family of C13). Returns (α, β, ρ).
///
/// Working in one variable at a time matters: near Polyak's optimum the set of (α, β) with rate
/// √β is a wedge about 100 times thinner in β than in α (κ = 10⁴), which a two-dimensional grid
/// misses.
pub fn minimax(
    build: impl Fn(f64, f64) -> Result<Method>,
    (mu, l): (f64, f64),
    (a0, a1): (f64, f64),
    (b0, b1): (f64, f64),
) -> Result<(f64, f64, f64)> {
    let mut alpha_at = 0.0;
    let mut inner = |b: f64| -> Result<f64> {
        let (a, r) = best_step(|a| build(a, b), (mu, l), (a0, a1))?;
        alpha_at = a;
        Ok(r)
    };
    let (b, _) = zoom_1d(&mut inner, (b0, b1), 101, 40)?;
    let (a, r) = best_step(|a| build(a, b), (mu, l), (a0, a1))?;
    let _ = alpha_at;
    Ok((a, b, r))
}

// ------------------------------------------------------------------------------------------------
// counting and formatting
// ------------------------------------------------------------------------------------------------

/// Number of sign changes in a sequence (exact zeros are skipped).
pub fn sign_changes(xs: &[f64]) -> usize {
    let signs: Vec<bool> = xs.iter().filter(|x| **x != 0.0).map(|x| *x > 0.0).collect();
    signs.windows(2).filter(|w| w[0] != w[1]).count()
}

pub(crate) fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(f64::MIN_POSITIVE)
}

/// A value as printed in reports: the shortest decimal that reads back to the same f64 (so the
/// number is exact), in scientific notation below 1e-4 and from 1e9 on.
pub fn format_value(x: f64) -> String {
    if x != 0.0 && x.is_finite() && (x.abs() < 1e-4 || x.abs() >= 1e9) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// `x` rounded to `digits` significant digits, for the prose of a verdict (the exact values are in
/// [`Check::computed`](crate::Check::computed)).
pub fn sig(x: f64, digits: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = digits.max(1);
    let mag = x.abs().log10().floor() as i32;
    if !(-4..9).contains(&mag) {
        format!("{:.*e}", digits - 1, x)
    } else {
        let dec = (digits as i32 - 1 - mag).max(0) as usize;
        format!("{x:.dec$}")
    }
}

// ------------------------------------------------------------------------------------------------
// routines of particular claims that other claims reuse
// ------------------------------------------------------------------------------------------------

// C05, used by C17.
/// Semi-implicit (symplectic) Euler for m v̇ = −∇f(x) − c v, ẋ = v on f = ½Σλᵢxᵢ², from rest:
/// v ← v + (Δt/m)(−∇f(x) − c v) (forward Euler for the velocity), then x ← x + Δt·v with the
/// *new* velocity. With u = Δt·v this is u ← (1 − cΔt/m)u − (Δt²/m)∇f(x), x ← x + u: heavy ball
/// with β = 1 − cΔt/m, η = Δt²/m (the seed's mapping).
pub fn oscillator_semi_implicit(
    (m, c, dt): (f64, f64, f64),
    curvatures: [f64; 2],
    x0: [f64; 2],
    steps: usize,
) -> Vec<[f64; 2]> {
    let mut x = x0;
    let mut v = [0.0; 2];
    let mut out = vec![x];
    for _ in 0..steps {
        for i in 0..2 {
            v[i] += dt / m * (-curvatures[i] * x[i] - c * v[i]);
            x[i] += dt * v[i];
        }
        out.push(x);
    }
    out
}

// C05, used by C16e.
/// The explicit-Euler (stale-gradient) recurrence x_{k+1} = x_k + β(x_k − x_{k−1}) − η∇f(x_{k−1}):
/// c₁ = 1 + β, c₀ = β + ηλ, i.e. p₀ = 1 + β, p₁ = 0, q₀ = β, q₁ = −η. Jury: stable iff
/// 0 < ηλ < 1 − β (the |c₀| < 1 condition binds), against 0 < ηλ < 2(1 + β) for heavy ball.
pub fn stale_gradient_recurrence(eta: f64, beta: f64) -> Result<Recurrence> {
    Recurrence::new(1.0 + beta, 0.0, beta, -eta)
}

// C05 and C17.
pub(crate) fn max_abs_diff(a: &[[f64; 2]], b: &[[f64; 2]]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(p, q)| (p[0] - q[0]).abs().max((p[1] - q[1]).abs()))
        .fold(0.0, f64::max)
}

// C10, used by C19 and C21.
/// From rest at x₀ = 1 on ½λx² (x* = 0, the boundary): the smallest x_k over k ≤ `steps` and the
/// number of sign changes. The sign pattern is computed on the recurrence rescaled by its
/// spectral radius ρ (w_k = x_k/ρᵏ: w_{k+1} = (c₁/ρ)w_k − (c₀/ρ²)w_{k−1}), so horizons of 10⁵
/// steps neither underflow nor lose a sign; the smallest x_k is taken in the original scale.
pub fn overshoot_from_rest(method: &Method, lambda: f64, steps: usize) -> Result<(f64, usize)> {
    let mode = method.recurrence().mode(lambda)?;
    let (c1, c0) = (mode.c1(), mode.c0());
    let rho = mode.spectral_radius();
    if rho.is_nan() || rho <= 0.0 {
        return Err(Error::Unsupported(
            "the mode has spectral radius 0: nothing to rescale".into(),
        ));
    }
    let (a, b) = (c1 / rho, c0 / (rho * rho));
    // x₁ = (1 − h)x₀ from rest for every member of the family with x₋₁ = x₀: c₁ − c₀
    let (mut prev, mut cur): (f64, f64) = (1.0, c1 - c0);
    let mut scaled_prev = 1.0;
    let mut scaled = cur / rho;
    let mut min_x = cur.min(1.0);
    let mut changes = usize::from(cur < 0.0);
    for _ in 1..steps {
        // the original-scale sequence is frozen once it reaches the subnormal range (slow, and
        // below anything the minimum can still learn from; the signs come from the scaled one)
        let next = if cur.abs().max(prev.abs()) > 1e-290 {
            c1 * cur - c0 * prev
        } else {
            cur
        };
        let next_scaled = a * scaled - b * scaled_prev;
        if (next_scaled < 0.0) != (scaled < 0.0) && next_scaled != 0.0 && scaled != 0.0 {
            changes += 1;
        }
        min_x = min_x.min(next);
        (prev, cur) = (cur, next);
        (scaled_prev, scaled) = (scaled, next_scaled);
        // keep the scaled values of order one (a double root makes them grow like k)
        let m = scaled.abs().max(scaled_prev.abs());
        if m > 1e100 {
            scaled /= m;
            scaled_prev /= m;
        }
    }
    Ok((min_x, changes))
}

// C12, used by C20.
/// Heavy ball's best worst-case rate over curvatures [μ, L] at a fixed momentum 0 ≤ β < 1, over
/// all steps, and the steps attaining it.
///
/// At λ the rate depends on |c₁| = |1 + β − αλ| only (c₀ = β): it is √β while |c₁| ≤ 2√β and
/// (|c₁| + √(c₁² − 4β))/2 beyond, increasing. The worst of the two ends is smallest when
/// |c₁(μ)| = |c₁(L)|, i.e. α = 2(1+β)/(L+μ), where |c₁| = c = (1+β)(κ−1)/(κ+1). So the best rate
/// is √β if c ≤ 2√β — attained for every α in [(1−√β)²/μ, (1+√β)²/L] — and
/// (c + √(c² − 4β))/2 otherwise, at α = 2(1+β)/(L+μ) only. Returns (rate, α_lo, α_hi).
pub fn heavy_ball_best_rate_at_momentum(beta: f64, mu: f64, l: f64) -> Result<(f64, f64, f64)> {
    positive("mu", mu)?;
    positive("L", l)?;
    if mu > l {
        return Err(Error::EmptyInterval { mu, l });
    }
    if !(0.0..1.0).contains(&beta) {
        return Err(Error::OutOfRange {
            name: "momentum",
            value: beta,
            expected: "0 <= beta < 1",
        });
    }
    let c = (1.0 + beta) * (l - mu) / (l + mu);
    let sb = beta.sqrt();
    if c <= 2.0 * sb {
        Ok((sb, (1.0 - sb).powi(2) / mu, (1.0 + sb).powi(2) / l))
    } else {
        let a = 2.0 * (1.0 + beta) / (l + mu);
        Ok((0.5 * (c + (c * c - 4.0 * beta).sqrt()), a, a))
    }
}

// C07a, C12, C23 and C24.
/// A root of `f` in [lo, hi] by bisection (f(lo) and f(hi) of opposite signs), 200 halvings;
/// an error if the bracket holds no sign change.
pub fn bisect_root(f: impl Fn(f64) -> f64, (lo, hi): (f64, f64)) -> Result<f64> {
    let (mut a, mut b) = (lo, hi);
    let fa = f(a);
    if fa.is_nan() || f(b).is_nan() || (fa > 0.0) == (f(b) > 0.0) {
        return Err(Error::Unsupported(format!(
            "no sign change of the function on [{lo}, {hi}]"
        )));
    }
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if (f(m) > 0.0) == (fa > 0.0) {
            a = m;
        } else {
            b = m;
        }
    }
    Ok(0.5 * (a + b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The former `best_step`: one point at a time through [`zoom_1d`] and `interval_rate`.
    fn best_step_by_points(
        build: impl Fn(f64) -> Result<Method>,
        (mu, l): (f64, f64),
        (a0, a1): (f64, f64),
    ) -> Result<(f64, f64)> {
        positive("smallest step", a0)?;
        let spectrum = Spectrum::interval(mu, l)?;
        let mut f = |a: f64| -> Result<f64> {
            let rec = build(a)?.recurrence();
            match momentum::tune::search::interval_rate(&rec, mu, l) {
                Some(r) => Ok(r),
                None => Ok(spectrum.worst_case(&rec)?.spectral_radius()),
            }
        };
        zoom_1d(&mut f, (a0, a1), 41, 48)
    }

    /// `best_step` (each grid at once, `interval_rates`) against the point-by-point search: the
    /// same (α, ρ) bit for bit, or the same error, for heavy ball, Nesterov and fixed lookaheads,
    /// ranges that reach overflowing coefficients and a `build` that fails past a step.
    #[test]
    fn best_step_by_grids_is_best_step_by_points() {
        let (mut found, mut errors) = (0, 0);
        for (mu, l) in [
            (0.01, 1.0),
            (1e-4, 1.0),
            (0.25, 4.0),
            (1.0, 1.0),
            (1.0, 1e10),
        ] {
            for (a0, a1) in [(1e-6, 4.0), (1e-6, 1e308), (0.5, 0.5000001)] {
                for b in [0.0, 0.3, 0.81, 0.9999, -0.5, 1.2] {
                    for kind in 0..5 {
                        let build = |a: f64| match kind {
                            0 => Method::heavy_ball(a, b),
                            1 => Method::nesterov(a, b),
                            2 => Method::general(a, b, -0.7),
                            3 => Method::general(a, b, 2.5),
                            _ if a > 1.5 => Err(Error::Unsupported(format!("step {a}"))),
                            _ => Method::heavy_ball(a, b),
                        };
                        let got = best_step(build, (mu, l), (a0, a1));
                        let want = best_step_by_points(build, (mu, l), (a0, a1));
                        match (got, want) {
                            (Ok((a, r)), Ok((wa, wr))) => {
                                assert_eq!(
                                    (a.to_bits(), r.to_bits()),
                                    (wa.to_bits(), wr.to_bits())
                                );
                                found += 1;
                            }
                            (Err(e), Err(w)) => {
                                assert_eq!(e.to_string(), w.to_string());
                                errors += 1;
                            }
                            (g, w) => panic!("{g:?} against {w:?}"),
                        }
                    }
                }
            }
        }
        assert!(found > 300 && errors > 20, "{found} {errors}");
    }
}
