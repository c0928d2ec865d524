//! The (step, momentum) plane of quasi-hyperbolic momentum at a fixed ν (Ma & Yarats 2019).
//!
//! The library converts QHM (lr, β, ν) to the three-parameter method with step α = lr(1 − β),
//! momentum β and lookahead γ(β) = β(1 − ν)/(1 − β) ([`momentum::Framework::Qhm`]). At a fixed ν
//! the lookahead moves with β, so the plane is not one of the library's fixed-lookahead map
//! families: each momentum row is the library's map row of [`Family::Lookahead`] at that row's
//! γ(β), and the edges are [`stable_steps`] of that row's method (both exact routes of the
//! library; only the sampling is here).
//!
//! At ν = 0 (and β = 0) the iterate is gradient descent at lr = α/(1 − β): the buffer's root β
//! never reaches x ([`momentum::Converted::hidden_root`]). Those rows take the library's
//! conversion ([`iterate`]): each cell's worst case is gradient descent's, the edges are its
//! stable steps, and there is no critical damping (one real root).

use momentum::map::{GridSpec, StabilityMap};
use momentum::stability::{Curve, stable_steps};
use momentum::{Family, Framework, FrameworkParams, Method, Spectrum};

/// QHM's lookahead γ = β(1 − ν)/(1 − β) at momentum β ∈ [0, 1).
///
/// ```
/// // ν = β is Nesterov (γ = β); ν = 1 is heavy ball (γ = 0)
/// assert!((momentum_web::qhm::lookahead(0.9, 0.9) - 0.9).abs() < 1e-15);
/// assert_eq!(momentum_web::qhm::lookahead(0.5, 1.0), 0.0);
/// ```
pub fn lookahead(beta: f64, nu: f64) -> f64 {
    beta * (1.0 - nu) / (1.0 - beta)
}

/// The iterate's method at canonical step α and momentum β when the library's conversion of QHM
/// (lr = α/(1 − β), β, ν) leaves a root out of it (ν = 0 or β = 0: gradient descent at lr); `None`
/// when every root reaches the iterate.
///
/// ```
/// let m = momentum_web::qhm::iterate(0.05, 0.9, 0.0).unwrap().unwrap();
/// assert_eq!((m.name(), m.momentum()), ("gradient descent", 0.0));
/// assert!((m.step() - 0.5).abs() < 1e-15);
/// assert!(momentum_web::qhm::iterate(0.05, 0.9, 0.7).unwrap().is_none());
/// ```
///
/// # Errors
///
/// What [`Framework::convert`] rejects (a step not finite and > 0, β outside [0, 1), ν outside
/// [0, 1]).
pub fn iterate(step: f64, beta: f64, nu: f64) -> Result<Option<Method>, String> {
    let p = FrameworkParams {
        lr: step / (1.0 - beta),
        momentum: Some(beta),
        nu: Some(nu),
        ..Default::default()
    };
    let c = Framework::Qhm.convert(&p).map_err(|e| e.to_string())?;
    Ok(c.hidden_root.map(|_| c.method))
}

/// Checks that a momentum range lies in QHM's [0, 1].
fn check_range(beta_min: f64, beta_max: f64) -> Result<(), String> {
    if !(beta_min >= 0.0 && beta_max <= 1.0 && beta_min < beta_max) {
        return Err(format!(
            "QHM's momentum beta is in [0, 1): the map's momentum range ({beta_min}, {beta_max}) must lie in [0, 1]"
        ));
    }
    Ok(())
}

/// Worst-case ρ over `spectrum` at the centres of an `n_step` × `n_momentum` grid of canonical
/// steps (0, `step_max`] and momenta (`beta_min`, `beta_max`) ⊂ [0, 1], row-major, one row per
/// momentum: row j is the library's map row of `Family::Lookahead(γ(β_j))` at β_j.
///
/// # Errors
///
/// A momentum range outside [0, 1]; what [`GridSpec::new`] or [`StabilityMap::compute`] reject.
pub fn map(
    nu: f64,
    spectrum: &Spectrum,
    step_max: f64,
    (beta_min, beta_max): (f64, f64),
    (n_step, n_momentum): (usize, usize),
) -> Result<Vec<f64>, String> {
    check_range(beta_min, beta_max)?;
    let e = |e: momentum::Error| e.to_string();
    let full = GridSpec::new(
        Family::HeavyBall,
        step_max,
        (beta_min, beta_max),
        (n_step, n_momentum),
    )
    .map_err(e)?;
    let half = 0.5 * (beta_max - beta_min) / n_momentum as f64;
    let mut out = Vec::with_capacity(n_step * n_momentum);
    for j in 0..n_momentum {
        let b = full.momentum(j);
        // a one-row grid centred on β_j; γ from the momentum that row really uses
        let probe =
            GridSpec::new(Family::HeavyBall, step_max, (b - half, b + half), (1, 1)).map_err(e)?;
        let b_row = probe.momentum(0);
        if iterate(step_max, b_row, nu)?.is_some() {
            // the iterate is gradient descent: each cell's own worst case
            for i in 0..n_step {
                let a = full.step(i);
                let m = method(a, b_row, nu)?;
                out.push(m.worst_case(spectrum).map_err(e)?.spectral_radius());
            }
            continue;
        }
        let spec = GridSpec::new(
            Family::Lookahead(lookahead(b_row, nu)),
            step_max,
            (b - half, b + half),
            (n_step, 1),
        )
        .map_err(e)?;
        out.extend_from_slice(StabilityMap::compute(&spec, spectrum).map_err(e)?.radii());
    }
    Ok(out)
}

/// The iterate's method at canonical step α and momentum β ∈ [0, 1) for this ν: the
/// three-parameter (α, β, γ(β)), or gradient descent at α/(1 − β) when ν = 0 or β = 0 ([`iterate`]).
///
/// # Errors
///
/// What [`Method::general`] or [`iterate`] reject (a step not finite and > 0).
pub fn method(step: f64, beta: f64, nu: f64) -> Result<Method, String> {
    match iterate(step, beta, nu)? {
        Some(m) => Ok(m),
        None => Method::general(step, beta, lookahead(beta, nu)).map_err(|e| e.to_string()),
    }
}

/// The momenta sampled along the momentum axis: `samples + 1` evenly spaced values of
/// [`beta_min`, `beta_max`], without β = 1 (where γ is infinite).
fn momenta(beta_min: f64, beta_max: f64, samples: usize) -> impl Iterator<Item = f64> {
    (0..=samples)
        .map(move |k| beta_min + (beta_max - beta_min) * k as f64 / samples as f64)
        .filter(|b| *b < 1.0)
}

/// The exact stability edges α_lo(β), α_hi(β) (Jury, [`stable_steps`] of the row's method),
/// sampled at momenta of [`beta_min`, `beta_max`] ⊂ [0, 1]; curves break where no step is stable.
///
/// # Errors
///
/// A momentum range outside [0, 1].
pub fn edges(
    nu: f64,
    spectrum: &Spectrum,
    (beta_min, beta_max): (f64, f64),
    samples: usize,
) -> Result<Vec<Curve>, String> {
    check_range(beta_min, beta_max)?;
    let mut curves: Vec<Curve> = Vec::new();
    let (mut hi, mut lo): (Curve, Curve) = (Vec::new(), Vec::new());
    for b in momenta(beta_min, beta_max, samples) {
        let g = lookahead(b, nu);
        let gd = iterate(1.0, b, nu).ok().flatten().is_some();
        let iv = stable_steps(spectrum, |t| match gd {
            true => Ok(Method::gradient_descent(t / (1.0 - b))?.recurrence()),
            false => Ok(Method::general(t, b, g)?.recurrence()),
        })
        .ok()
        .flatten();
        match iv {
            Some(iv) => {
                if iv.hi.is_finite() {
                    hi.push((iv.hi, b));
                }
                if iv.lo > 0.0 {
                    lo.push((iv.lo, b));
                }
            }
            None => curves.extend([std::mem::take(&mut hi), std::mem::take(&mut lo)]),
        }
    }
    curves.extend([hi, lo]);
    curves.retain(|c| c.len() > 1);
    Ok(curves)
}

/// Critical damping (a double root) at curvature λ > 0, sampled over momenta: with h = αλ,
/// A = 1 + γ(β), the discriminant (1 + β − hA)² − 4(β − hγ) vanishes where
/// A²h² + (4γ − 2A(1 + β))h + (1 − β)² = 0 (heavy ball, γ = 0: h = (1 ∓ √β)²); two branches,
/// the smaller and the larger positive root.
///
/// # Errors
///
/// A momentum range outside [0, 1], or λ not finite and > 0.
pub fn critical(
    nu: f64,
    lambda: f64,
    (beta_min, beta_max): (f64, f64),
    samples: usize,
) -> Result<Vec<Curve>, String> {
    check_range(beta_min, beta_max)?;
    if !(lambda.is_finite() && lambda > 0.0) {
        return Err(format!("lambda must be finite and > 0, got {lambda}"));
    }
    let mut out: Vec<Curve> = Vec::new();
    let (mut small, mut large): (Curve, Curve) = (Vec::new(), Vec::new());
    for b in momenta(beta_min, beta_max, samples) {
        if iterate(1.0, b, nu).ok().flatten().is_some() {
            // gradient descent's one real root: no double root in the iterate
            out.extend([std::mem::take(&mut small), std::mem::take(&mut large)]);
            continue;
        }
        let g = lookahead(b, nu);
        let a = 1.0 + g;
        let (qa, qb, qc) = (a * a, 4.0 * g - 2.0 * a * (1.0 + b), (1.0 - b) * (1.0 - b));
        let disc = qb * qb - 4.0 * qa * qc;
        if disc < 0.0 || qa == 0.0 {
            out.extend([std::mem::take(&mut small), std::mem::take(&mut large)]);
            continue;
        }
        // the root without cancellation, then the other by Vieta (product qc/qa)
        let s = disc.sqrt();
        let q = -0.5 * (qb + qb.signum() * s);
        let (r1, r2) = if q != 0.0 {
            (q / qa, qc / q)
        } else {
            (0.0, 0.0)
        };
        let (h1, h2) = (r1.min(r2), r1.max(r2));
        for (h, curve) in [(h1, &mut small), (h2, &mut large)] {
            if h > 0.0 && h.is_finite() {
                curve.push((h / lambda, b));
            } else if !curve.is_empty() {
                out.push(std::mem::take(curve));
            }
        }
    }
    out.extend([small, large]);
    out.retain(|c| c.len() > 1);
    Ok(out)
}
