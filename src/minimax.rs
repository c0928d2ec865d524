//! Numeric minimax tuning: the (step, momentum) that minimise the worst-case spectral radius
//! max_{λ∈[μ, L]} ρ(λ) of a family, found by search rather than by formula — the independent
//! route that the closed forms of [`crate::tuning`] are held against.
//!
//! By the endpoint theorem ([`crate::spectrum`]) the objective is R(α, β) = max(ρ(μ), ρ(L)), two
//! 2 × 2 root problems. R is not smooth at the optimum: the optimum sits on critical-damping
//! curves, where ρ has a square-root corner (one side √c₀, the other a real root rising with
//! infinite slope), or on the crossing ρ(μ) = ρ(L). Gradient or parabolic methods stall there. The
//! search is therefore bracket-then-refine, and it cannot be fooled by a corner:
//!
//! 1. **inner** (momentum, step fixed): R(β) is sampled on a uniform grid of [`INNER_SAMPLES`]
//!    points of [−1, 1] *plus every breakpoint where ρ(μ) or ρ(L) has a corner* — the
//!    critical-damping momenta (Δ = 0), the sign changes of c₁ and c₀ — each taken with its
//!    neighbouring floats on both sides. The best sampled local minima are then refined by golden
//!    section around them (golden section needs only unimodality, and
//!    converges linearly even onto a corner);
//! 2. **outer** (step): the same bracket-then-refine over h = αL ∈ (0, [`MAX_STEP_TIMES_L`]], on
//!    the inner optimum.
//!
//! The reported rate is the objective evaluated by [`crate::Recurrence::mode`] at the returned
//! (α, β, γ): an achieved rate, not an extrapolation.

use crate::error::{Error, Result, positive};
use crate::map::MapFamily;
use crate::method::Method;
use crate::tuning::Tuning;

/// Grid points of the inner search over β ∈ [−1, 1] (plus the breakpoints).
pub const INNER_SAMPLES: usize = 400;
/// Grid points of the outer search over h = αL.
pub const OUTER_SAMPLES: usize = 400;
/// Upper end of the step search, in units of 1/L: heavy ball is stable for αL < 2(1+β) < 4 and
/// Nesterov for αL < 2(1+β)/(1+2β) ≤ 4 when β ≥ 0; 8 leaves room for negative momenta and for
/// lookahead families.
pub const MAX_STEP_TIMES_L: f64 = 8.0;
/// How many sampled local minima are refined.
const REFINED: usize = 4;

/// A family's (β, γ) from its momentum, and its method.
fn build(family: MapFamily, step: f64, momentum: f64) -> Result<Method> {
    match family {
        MapFamily::HeavyBall => Method::heavy_ball(step, momentum),
        MapFamily::Nesterov => Method::nesterov(step, momentum),
        MapFamily::GradientDescent => Method::gradient_descent(step),
        MapFamily::Lookahead(g) => Method::general(step, momentum, g),
    }
}

/// max(ρ(μ), ρ(L)) of `family` at (step, momentum); +∞ where the coefficients overflow.
pub fn worst_rate(family: MapFamily, step: f64, momentum: f64, mu: f64, l: f64) -> f64 {
    let Ok(m) = build(family, step, momentum) else {
        return f64::INFINITY;
    };
    let rec = m.recurrence();
    match (rec.mode(mu), rec.mode(l)) {
        (Ok(a), Ok(b)) => a.spectral_radius().max(b.spectral_radius()),
        _ => f64::INFINITY,
    }
}

/// Minimise f over [lo, hi] by bracket-then-refine: sample a uniform grid of `samples` points
/// plus `hints` (breakpoints where f has corners, with their neighbouring floats), then refine
/// the best few (4) sampled local minima by golden section around them.
/// Returns (x, f(x)) of the best point evaluated.
pub fn minimise_1d(
    f: impl Fn(f64) -> f64,
    (lo, hi): (f64, f64),
    hints: &[f64],
    samples: usize,
) -> (f64, f64) {
    let mut xs: Vec<f64> = (0..samples)
        .map(|i| lo + (hi - lo) * i as f64 / (samples - 1) as f64)
        .collect();
    for &h in hints {
        if h.is_finite() {
            let mut x = h;
            for _ in 0..3 {
                xs.push(x);
                x = x.next_down();
            }
            let mut x = h.next_up();
            for _ in 0..2 {
                xs.push(x);
                x = x.next_up();
            }
        }
    }
    xs.retain(|x| (lo..=hi).contains(x));
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let ys: Vec<f64> = xs.iter().map(|&x| f(x)).collect();
    let mut best = (xs[0], ys[0]);
    for (&x, &y) in xs.iter().zip(&ys) {
        if y < best.1 {
            best = (x, y);
        }
    }
    // sampled local minima, best first
    let mut minima: Vec<usize> = (0..xs.len())
        .filter(|&i| (i == 0 || ys[i] <= ys[i - 1]) && (i + 1 == xs.len() || ys[i] <= ys[i + 1]))
        .collect();
    minima.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]));
    // each is refined on the two neighbouring samples and on one grid spacing either side (a
    // breakpoint's neighbouring floats would otherwise make a degenerate bracket), whole and
    // by halves, so that a corner at the sampled point does not hide the side the optimum is on
    let s = (hi - lo) / (samples - 1) as f64;
    for &i in minima.iter().take(REFINED) {
        let x = xs[i];
        let (a, b) = (xs[i.saturating_sub(1)], xs[(i + 1).min(xs.len() - 1)]);
        let (wa, wb) = ((x - s).max(lo), (x + s).min(hi));
        for (a, b) in [(a, b), (wa, wb), (wa, x), (x, wb)] {
            if b > a {
                let (x, y) = golden(&f, a, b, (xs[i], ys[i]));
                if y < best.1 {
                    best = (x, y);
                }
            }
        }
    }
    best
}

/// Golden-section search on [a, b] for a unimodal f; `start` is a known point in the bracket.
/// Returns the best point evaluated (never worse than `start`); at most 202 evaluations, fewer
/// once the bracket is a few ulps wide.
pub(crate) fn golden(
    f: &impl Fn(f64) -> f64,
    mut a: f64,
    mut b: f64,
    start: (f64, f64),
) -> (f64, f64) {
    const R: f64 = 0.618_033_988_749_894_8;
    let mut best = start;
    let mut c = b - R * (b - a);
    let mut d = a + R * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..200 {
        if fc < best.1 {
            best = (c, fc);
        }
        if fd < best.1 {
            best = (d, fd);
        }
        if b - a <= 4.0 * f64::EPSILON * a.abs().max(b.abs()) {
            break;
        }
        if fc <= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - R * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + R * (b - a);
            fd = f(d);
        }
    }
    best
}

/// Momenta where ρ(λ) of the family has a corner at step α, for λ ∈ {μ, L}: critical damping
/// (Δ = 0) and the zeros of c₁ and c₀.
pub fn momentum_breakpoints(family: MapFamily, step: f64, lambdas: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0];
    for &lam in lambdas {
        let h = step * lam;
        let sh = h.abs().sqrt();
        match family {
            MapFamily::HeavyBall => {
                out.extend([(1.0 - sh) * (1.0 - sh), (1.0 + sh) * (1.0 + sh), h - 1.0]);
            }
            MapFamily::Nesterov => {
                // Δ = (1−h)[(1+β)²(1−h) − 4β]: β = ±(1−√h)/(1+√h) and the reciprocals
                let r = (1.0 - sh) / (1.0 + sh);
                out.extend([r, -r, 1.0 / r, -1.0 / r]);
            }
            MapFamily::GradientDescent => {}
            MapFamily::Lookahead(g) => {
                // Δ = (1+β−a)² − 4(β−b), a = α(1+γ)λ, b = αγλ: β = 1 + a ± 2√(αλ)
                let a = step * (1.0 + g) * lam;
                out.extend([
                    1.0 + a - 2.0 * sh,
                    1.0 + a + 2.0 * sh,
                    a - 1.0,
                    step * g * lam,
                ]);
            }
        }
    }
    out
}

/// Steps where ρ(λ) has a corner at momentum β, for λ ∈ {μ, L}.
pub fn step_breakpoints(family: MapFamily, momentum: f64, lambdas: &[f64]) -> Vec<f64> {
    let (b, g) = family.momentum_lookahead(momentum);
    // Δ = 0 ⇔ (1+γ)²h² − 2[(1+β)(1+γ) − 2γ]h + (1−β)² = 0; c₁ = 0 ⇔ h = (1+β)/(1+γ)
    let qa = (1.0 + g) * (1.0 + g);
    let qb = (1.0 + b) * (1.0 + g) - 2.0 * g;
    let qc = (1.0 - b) * (1.0 - b);
    let disc = (qb * qb - qa * qc).max(0.0).sqrt();
    let mut hs = vec![(1.0 + b) / (1.0 + g)];
    if qa > 0.0 {
        hs.extend([(qb - disc) / qa, (qb + disc) / qa]);
    }
    let mut out = vec![];
    for &lam in lambdas {
        if lam > 0.0 {
            out.extend(hs.iter().map(|h| h / lam));
        }
    }
    out
}

/// The best momentum β ∈ [−1, 1] for a fixed step, by search.
pub fn best_momentum(family: MapFamily, step: f64, mu: f64, l: f64) -> Result<Tuning> {
    crate::tuning::check(mu, l)?;
    positive("step", step)?;
    let hints = momentum_breakpoints(family, step, &[mu, l]);
    let (b, r) = minimise_1d(
        |b| worst_rate(family, step, b, mu, l),
        (-1.0, 1.0),
        &hints,
        INNER_SAMPLES,
    );
    finish("best_momentum", family, step, b, r)
}

/// The best step α ∈ (0, [`MAX_STEP_TIMES_L`]/L] for a fixed momentum, by search.
pub fn best_step(family: MapFamily, momentum: f64, mu: f64, l: f64) -> Result<Tuning> {
    crate::tuning::check(mu, l)?;
    let top = MAX_STEP_TIMES_L / l;
    let hints = step_breakpoints(family, momentum, &[mu, l]);
    let (a, r) = minimise_1d(
        |a| {
            if a > 0.0 {
                worst_rate(family, a, momentum, mu, l)
            } else {
                f64::INFINITY
            }
        },
        (0.0, top),
        &hints,
        OUTER_SAMPLES,
    );
    finish("best_step", family, a, momentum, r)
}

/// The minimax (α, β) of a family over [μ, L], by nested search (module docs).
pub fn tune(family: MapFamily, mu: f64, l: f64) -> Result<Tuning> {
    crate::tuning::check(mu, l)?;
    let inner = |a: f64| -> (f64, f64) {
        if a <= 0.0 {
            return (0.0, f64::INFINITY);
        }
        if family == MapFamily::GradientDescent {
            return (0.0, worst_rate(family, a, 0.0, mu, l));
        }
        let hints = momentum_breakpoints(family, a, &[mu, l]);
        minimise_1d(
            |b| worst_rate(family, a, b, mu, l),
            (-1.0, 1.0),
            &hints,
            INNER_SAMPLES,
        )
    };
    // steps where the inner optimum changes branch are not known in closed form for every
    // family; the grid is uniform in h = αL, and the corners of gradient descent (αμ + αL = 2)
    // and of the heavy-ball optimum (√(αμ) + √(αL) = 2) are added as hints
    let (sm, sl) = (mu.sqrt(), l.sqrt());
    let hints = [2.0 / (mu + l), 4.0 / ((sm + sl) * (sm + sl)), 1.0 / l];
    let (a, _) = minimise_1d(
        |a| inner(a).1,
        (0.0, MAX_STEP_TIMES_L / l),
        &hints,
        OUTER_SAMPLES,
    );
    let (b, r) = inner(a);
    finish("minimax", family, a, b, r)
}

fn finish(
    name: &'static str,
    family: MapFamily,
    step: f64,
    momentum: f64,
    rate: f64,
) -> Result<Tuning> {
    if !rate.is_finite() {
        return Err(Error::Unsupported(format!(
            "no finite worst-case rate found for {} (the spectrum is too extreme for f64)",
            family.name()
        )));
    }
    Ok(Tuning {
        name,
        method: build(family, step, momentum)?,
        rate,
    })
}
