//! The explorer's questions, answered by the library: plain Rust functions taking the page's
//! state as JSON text and returning JSON text (or a one-line message naming the bad value).
//!
//! The same functions run natively (tests, `examples/reference.rs`) and in the browser through
//! the plain exports in [`crate::abi`], so the Node test can compare the two builds on the
//! same inputs.

use crate::qhm;
use momentum::bounds::finite_horizon;
use momentum::certify::map::{CertifiedMap, Status};
use momentum::certify::{self as iqc, RATE_TOLERANCE};
use momentum::map::{GridSpec, StabilityMap};
use momentum::setting::{self, Curvatures, Setting};
use momentum::simulate::{Options, Quadratic, run};
use momentum::stability::{clip, critical_curves, stability_edges, stable_steps};
use momentum::{
    Converted, Family, Framework, FrameworkParams, Method, Mode, Precision, Recurrence, Spectrum,
    WeightDecay, tune,
};
use serde::Deserialize;
use serde_json::{Value, json};

/// Most eigenvalues a pasted list may hold (the page stays interactive).
pub const MAX_EIGENVALUES: usize = 100_000;
/// Most cells of one map (1024²).
pub const MAX_CELLS: usize = 1 << 20;
/// Most cells per axis of the certified-rate overlay (each stable cell is one bisection).
pub const MAX_CERTIFIED_GRID: usize = 128;
/// Most steps of one simulated run.
pub const MAX_RUN_STEPS: usize = 2000;
/// Coordinates of the simulated quadratic on an interval (evenly spaced, both ends included).
pub const RUN_DIM: usize = 64;

/// The page's state, numbers as the user typed them (parsed here, so "NaN" or "abc" is named).
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(default)]
pub struct Query {
    /// gd, hb, nag, tmm or lookahead.
    pub family: String,
    /// γ of the general lookahead family.
    pub lookahead: String,
    /// canonical, pytorch, keras, optax or ewma.
    pub convention: String,
    /// Learning rate / step in the convention.
    pub lr: String,
    /// Momentum in the convention.
    pub momentum: String,
    /// PyTorch's dampening (blank: none).
    pub dampening: String,
    /// Weight decay (blank: none).
    pub weight_decay: String,
    /// interval, kappa or list.
    pub spectrum: String,
    /// μ of the interval.
    pub mu: String,
    /// L of the interval.
    #[serde(rename = "L")]
    pub l: String,
    /// κ (interval [1/κ, 1]).
    pub kappa: String,
    /// Pasted eigenvalues: numbers separated by commas, spaces, semicolons or new lines.
    pub eigenvalues: String,
    /// Steps of the simulated run and its envelope.
    pub steps: String,
    /// QHM's ν ∈ [0, 1] (family `qhm`).
    pub nu: String,
}

fn number(name: &str, text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("{name} is empty: give a number"));
    }
    let v: f64 = t
        .parse()
        .map_err(|_| format!("{name} = '{t}' is not a number"))?;
    if !v.is_finite() {
        return Err(format!("{name} must be a finite number, got {t}"));
    }
    Ok(v)
}

fn optional(name: &str, text: &str) -> Result<Option<f64>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        number(name, text).map(Some)
    }
}

/// Parse a pasted eigenvalue list: numbers separated by commas, whitespace or semicolons
/// (brackets ignored, so a NumPy or JSON list pastes as is).
///
/// # Errors
///
/// An entry that is not a finite number (named with its position), an empty list, more than
/// [`MAX_EIGENVALUES`] entries. Flat and negative curvatures are allowed: they are set apart as
/// the CLI sets them apart ([`momentum::setting::Curvatures`]).
pub fn parse_eigenvalues(text: &str) -> Result<Vec<f64>, String> {
    let cleaned: String = text
        .chars()
        .map(|c| if "[](),;\t\r\n".contains(c) { ' ' } else { c })
        .collect();
    let mut out = Vec::new();
    for (k, tok) in cleaned.split_whitespace().enumerate() {
        let v: f64 = tok
            .parse()
            .map_err(|_| format!("eigenvalue #{} = '{tok}' is not a number", k + 1))?;
        if !v.is_finite() {
            return Err(format!("eigenvalue #{} must be finite, got {tok}", k + 1));
        }
        out.push(v);
        if out.len() > MAX_EIGENVALUES {
            return Err(format!(
                "more than {MAX_EIGENVALUES} eigenvalues: use the CLI (momentum analyze --spectrum FILE)"
            ));
        }
    }
    if out.is_empty() {
        return Err(momentum::Error::EmptySpectrum.to_string());
    }
    Ok(out)
}

/// Everything the page derives from its state: spectrum, conversion, and the family whose
/// (step, momentum) plane the map shows.
pub struct Resolved {
    /// The curvatures analysed.
    pub spectrum: Spectrum,
    /// The method the framework runs, its weight decay and its recurrence in raw curvature.
    pub converted: Converted,
    /// The family whose plane the map shows (the point is `converted.method`'s (α, β)).
    pub family: Family,
    /// The curvatures the framework's method sees (λ + w under coupled decay): the map's spectrum.
    pub map_spectrum: Spectrum,
    /// Notes for the user.
    pub notes: Vec<String>,
    /// QHM's ν when the family is `qhm`: the map's plane is then QHM's at this ν ([`crate::qhm`]),
    /// not `family`'s (which is the fixed-lookahead slice through the point).
    pub qhm_nu: Option<f64>,
    /// The framework and its arguments when the setting is written in one (`None`: canonical).
    pub params: Option<(Framework, FrameworkParams)>,
    /// How a pasted list split into the curvatures analysed, flat and saddle directions.
    pub split: Curvatures,
}

fn spectrum_of(q: &Query) -> Result<Spectrum, String> {
    let s = match q.spectrum.as_str() {
        "kappa" => Spectrum::from_condition_number(number("kappa", &q.kappa)?),
        "list" => Spectrum::eigenvalues(parse_eigenvalues(&q.eigenvalues)?),
        "interval" | "" => Spectrum::interval(number("mu", &q.mu)?, number("L", &q.l)?),
        other => return Err(format!("unknown spectrum kind '{other}'")),
    };
    let s = s.map_err(|e| e.to_string())?;
    if matches!(s, Spectrum::Interval { .. }) && s.bounds().0 <= 0.0 {
        return Err(format!(
            "mu = {} is not positive: the page analyses convex quadratics (0 < mu <= L); paste eigenvalues to include flat and saddle directions",
            s.bounds().0
        ));
    }
    Ok(s)
}

/// The curvatures analysed: a pasted list split by the curvature the method sees, as every
/// front end splits it ([`Curvatures::split`], float64 tolerance); `shift` is a coupled decay.
fn split(full: Spectrum, shift: f64) -> Result<Curvatures, String> {
    Curvatures::split(full, None, Precision::Float64, shift).map_err(|e| e.to_string())
}

/// Resolve the page's state.
///
/// # Errors
///
/// A one-line message naming the first bad value (unparsable, not finite, μ > L, an empty list,
/// a combination the framework rejects).
pub fn resolve(q: &Query) -> Result<Resolved, String> {
    let e = |e: momentum::Error| e.to_string();
    let full = spectrum_of(q)?;
    // triple momentum is tuned on the curvatures analysed; no decay moves them
    let unshifted = split(full.clone(), 0.0)?;
    let (lo, hi) = unshifted.spectrum.bounds();
    let mut notes = vec![];
    let framework: Framework = match q.convention.as_str() {
        "" => Framework::Canonical,
        c => c.parse().map_err(e)?,
    };
    let family_name = if q.family.is_empty() {
        "hb"
    } else {
        q.family.as_str()
    };
    if family_name == "qhm" || framework == Framework::Qhm {
        return resolve_qhm(q, family_name, framework, unshifted);
    }
    if framework == Framework::Canonical {
        if !q.dampening.trim().is_empty() || !q.weight_decay.trim().is_empty() {
            return Err(
                "dampening and weight decay belong to a framework: choose PyTorch, Keras or optax"
                    .into(),
            );
        }
        let (method, family) = match family_name {
            "tmm" => {
                if matches!(unshifted.spectrum, Spectrum::Eigenvalues(_)) {
                    notes.push(format!(
                        "triple momentum is tuned from the interval [{lo}, {hi}] spanned by the list"
                    ));
                }
                let m = Method::triple_momentum(lo, hi).map_err(e)?;
                (m, Family::Lookahead(m.lookahead()))
            }
            "gd" => (
                Method::gradient_descent(number("lr", &q.lr)?).map_err(e)?,
                Family::GradientDescent,
            ),
            "hb" => (
                Method::heavy_ball(number("lr", &q.lr)?, number("momentum", &q.momentum)?)
                    .map_err(e)?,
                Family::HeavyBall,
            ),
            "nag" => (
                Method::nesterov(number("lr", &q.lr)?, number("momentum", &q.momentum)?)
                    .map_err(e)?,
                Family::Nesterov,
            ),
            "lookahead" => {
                let g = number("lookahead", &q.lookahead)?;
                (
                    Method::general(number("lr", &q.lr)?, number("momentum", &q.momentum)?, g)
                        .map_err(e)?,
                    Family::Lookahead(g),
                )
            }
            other => return Err(format!("unknown family '{other}'")),
        };
        notes.extend(unshifted.notes.iter().cloned());
        return Ok(Resolved {
            map_spectrum: unshifted.spectrum.clone(),
            spectrum: unshifted.spectrum.clone(),
            converted: Converted::from(method),
            family,
            notes,
            qhm_nu: None,
            params: None,
            split: unshifted,
        });
    }
    let (momentum, nesterov, family) = match family_name {
        "gd" => (None, false, Family::GradientDescent),
        "hb" => (
            Some(number("momentum", &q.momentum)?),
            false,
            Family::HeavyBall,
        ),
        "nag" => (
            Some(number("momentum", &q.momentum)?),
            true,
            Family::Nesterov,
        ),
        other => {
            return Err(format!(
                "the {framework} convention runs gradient descent, heavy ball or Nesterov only; '{other}' needs the canonical convention"
            ));
        }
    };
    let params = FrameworkParams {
        lr: number("lr", &q.lr)?,
        momentum,
        lookahead: None,
        nesterov,
        dampening: optional("dampening", &q.dampening)?,
        weight_decay: optional("weight decay", &q.weight_decay)?,
        nu: None,
    };
    let converted = framework.convert(&params).map_err(e)?;
    notes.extend(converted.notes.iter().cloned());
    let shifted = match setting::curvature_shift(&converted) {
        0.0 => unshifted,
        s => split(full, s)?,
    };
    notes.extend(shifted.notes.iter().cloned());
    let spectrum = shifted.spectrum.clone();
    let map_spectrum = match converted.weight_decay {
        WeightDecay::Coupled(w) => {
            notes.push(format!(
                "coupled weight decay {w}: the map and the point are in the curvatures the optimizer sees, lambda + {w}"
            ));
            shift(&spectrum, w)?
        }
        WeightDecay::Decoupled(w) => {
            notes.push(format!(
                "decoupled weight decay {w} takes the recurrence out of the (step, momentum) family: the map is drawn without it; rho, roots and the run include it"
            ));
            spectrum.clone()
        }
        WeightDecay::None => spectrum.clone(),
    };
    Ok(Resolved {
        spectrum,
        converted,
        family,
        map_spectrum,
        notes,
        qhm_nu: None,
        params: Some((framework, params)),
        split: shifted,
    })
}

/// Quasi-hyperbolic momentum in its own arguments (lr, β, ν), converted by the library
/// ([`Framework::Qhm`]): step lr(1 − β), momentum β, lookahead β(1 − ν)/(1 − β).
fn resolve_qhm(
    q: &Query,
    family_name: &str,
    framework: Framework,
    split: Curvatures,
) -> Result<Resolved, String> {
    if family_name != "qhm" {
        return Err(format!(
            "the qhm convention runs quasi-hyperbolic momentum: choose the family QHM, not '{family_name}'"
        ));
    }
    if !matches!(framework, Framework::Canonical | Framework::Qhm) {
        return Err(format!(
            "QHM takes its own arguments (lr, momentum beta, nu): the convention must be canonical, not {framework}"
        ));
    }
    let params = FrameworkParams {
        lr: number("lr", &q.lr)?,
        momentum: Some(number("momentum", &q.momentum)?),
        nu: Some(number("nu", &q.nu)?),
        dampening: optional("dampening", &q.dampening)?,
        weight_decay: optional("weight decay", &q.weight_decay)?,
        ..Default::default()
    };
    let converted = Framework::Qhm.convert(&params).map_err(|e| e.to_string())?;
    let mut notes = converted.notes.clone();
    notes.extend(split.notes.iter().cloned());
    Ok(Resolved {
        map_spectrum: split.spectrum.clone(),
        spectrum: split.spectrum.clone(),
        family: Family::Lookahead(converted.method.lookahead()),
        converted,
        notes,
        qhm_nu: params.nu,
        params: Some((Framework::Qhm, params)),
        split,
    })
}

fn shift(s: &Spectrum, w: f64) -> Result<Spectrum, String> {
    match s {
        Spectrum::Interval { mu, l } => Spectrum::interval(mu + w, l + w),
        Spectrum::Eigenvalues(v) => {
            Spectrum::eigenvalues(v.iter().map(|x| x + w).collect::<Vec<_>>())
        }
    }
    .map_err(|e| e.to_string())
}

fn family_json(r: &Resolved) -> Value {
    if let Some(nu) = r.qhm_nu {
        return json!({"name": "qhm", "lookahead": r.converted.method.lookahead(), "nu": nu});
    }
    match r.family {
        Family::GradientDescent => json!({"name": "gd", "lookahead": 0.0}),
        Family::HeavyBall => json!({"name": "hb", "lookahead": 0.0}),
        Family::Nesterov => json!({"name": "nag", "lookahead": null}),
        Family::Lookahead(g) => json!({"name": "lookahead", "lookahead": g}),
    }
}

fn mode_json(m: &Mode) -> Value {
    let r = m.roots();
    json!({
        "lambda": m.lambda(),
        "roots": [{"re": r[0].re, "im": r[0].im}, {"re": r[1].re, "im": r[1].im}],
        "spectral_radius": m.spectral_radius(),
        "regime": m.regime().as_str(),
        "stable": m.is_stable(),
        "period": m.period(),
        "iterations_per_decade": m.iterations_per_decade(),
    })
}

fn to_text(v: &Value) -> String {
    // serde_json writes non-finite floats as null; every number here is finite or an Option
    v.to_string()
}

fn parse(q: &str) -> Result<Query, String> {
    serde_json::from_str(q).map_err(|e| format!("the page state is not valid JSON: {e}"))
}

/// Worst case of the current setting: the fields of `momentum analyze --json` the page shows
/// (spectral radius, worst λ, stable learning rates), the modes at the two ends of the spectrum
/// (roots, ρ, regime, period), the point's (α, β) in the map's plane, and notes.
///
/// # Errors
///
/// As [`resolve`].
pub fn analyze(q: &str) -> Result<String, String> {
    let q = parse(q)?;
    let r = resolve(&q)?;
    let rec: Recurrence = r.converted.recurrence;
    let worst = r.spectrum.worst_case(&rec).map_err(|e| e.to_string())?;
    let (lo, hi) = r.spectrum.bounds();
    let modes = [
        rec.mode(lo).map_err(|e| e.to_string())?,
        rec.mode(hi).map_err(|e| e.to_string())?,
    ];
    let params = r.params.map(|(_, p)| p);
    let interval = stable_steps(&r.spectrum, |t| {
        setting::recurrence_at_lr(&r.converted, params.as_ref(), t)
    })
    .map_err(|e| e.to_string())?;
    let m = r.converted.method;
    let saddles = match &r.split.directions {
        Some(d) => d
            .negative
            .iter()
            .map(|&l| Ok(json!({"lambda": l, "growth_rate": rec.mode(l)?.spectral_radius()})))
            .collect::<momentum::Result<Vec<_>>>()
            .map_err(|e| e.to_string())?,
        None => vec![],
    };
    let out = json!({
        "flat_tolerance": r.split.tolerance,
        "flat_directions": r.split.directions.as_ref().map_or(0, |d| d.flat),
        "saddle_directions": saddles,
        "family": family_json(&r),
        "convention": r.converted.framework.as_str(),
        "point": {"step": m.step(), "momentum": m.momentum(), "lookahead": m.lookahead()},
        "recurrence": {"p0": rec.p0(), "p1": rec.p1(), "q0": rec.q0(), "q1": rec.q1()},
        "spectrum": {
            "kind": match r.spectrum { Spectrum::Interval { .. } => "interval", Spectrum::Eigenvalues(_) => "eigenvalues" },
            "min": lo, "max": hi,
            "count": match &r.spectrum { Spectrum::Eigenvalues(v) => Some(v.len()), Spectrum::Interval { .. } => None },
            "condition_number": r.spectrum.condition_number(),
        },
        "map_spectrum": [r.map_spectrum.bounds().0, r.map_spectrum.bounds().1],
        "spectral_radius": worst.spectral_radius(),
        "stable": worst.is_stable(),
        "worst_lambda": worst.worst().lambda(),
        "iterations_per_decade": worst.worst().iterations_per_decade(),
        "stable_lr": interval.map(|i| json!({"lo": i.lo, "hi": i.hi.is_finite().then_some(i.hi)})),
        "curvatures": [mode_json(&modes[0]), mode_json(&modes[1])],
        "notes": r.notes,
    });
    Ok(to_text(&out))
}

/// The worst-case spectral radius over the map's spectrum at every cell of an
/// `n_step` × `n_momentum` grid of steps (0, `step_max`] and momenta (`beta_min`, `beta_max`),
/// row-major with one row per momentum ([`StabilityMap::compute`], cell centres; for QHM, its
/// plane at the current ν, [`crate::qhm::map`], momenta in [0, 1]).
///
/// # Errors
///
/// As [`resolve`]; a grid that is empty or above [`MAX_CELLS`]; a bad range ([`GridSpec::new`]).
pub fn map(
    q: &str,
    step_max: f64,
    beta_min: f64,
    beta_max: f64,
    n_step: usize,
    n_momentum: usize,
) -> Result<Vec<f64>, String> {
    let r = resolve(&parse(q)?)?;
    map_of(&r, step_max, (beta_min, beta_max), (n_step, n_momentum))
}

fn map_of(
    r: &Resolved,
    step_max: f64,
    (beta_min, beta_max): (f64, f64),
    (n_step, n_momentum): (usize, usize),
) -> Result<Vec<f64>, String> {
    if n_step.saturating_mul(n_momentum) > MAX_CELLS {
        return Err(format!(
            "a map of {n_step} x {n_momentum} cells is above the page's limit of {MAX_CELLS}"
        ));
    }
    if let Some(nu) = r.qhm_nu {
        return qhm::map(
            nu,
            &r.map_spectrum,
            step_max,
            (beta_min, beta_max),
            (n_step, n_momentum),
        );
    }
    let spec = GridSpec::new(
        r.family,
        step_max,
        (beta_min, beta_max),
        (n_step, n_momentum),
    )
    .map_err(|e| e.to_string())?;
    let m = StabilityMap::compute(&spec, &r.map_spectrum).map_err(|e| e.to_string())?;
    Ok(m.radii().to_vec())
}

/// The exact stability edges and critical-damping curves (at both ends of the map's spectrum) of
/// the map's family, clipped to the plotted box: `{"edges": [[[α, β], …], …], "critical_lo": …,
/// "critical_hi": …}`.
///
/// # Errors
///
/// As [`resolve`]; a step range that is not finite and > 0, or an empty momentum range.
pub fn overlays(
    q: &str,
    step_max: f64,
    beta_min: f64,
    beta_max: f64,
    samples: usize,
) -> Result<String, String> {
    let r = resolve(&parse(q)?)?;
    if !(step_max.is_finite()
        && step_max > 0.0
        && beta_min.is_finite()
        && beta_max.is_finite()
        && beta_min < beta_max)
    {
        return Err(format!(
            "bad plot range: step (0, {step_max}], momentum ({beta_min}, {beta_max})"
        ));
    }
    let samples = samples.clamp(8, 4096);
    let bx = ((0.0, step_max), (beta_min, beta_max));
    let (lo, hi) = r.map_spectrum.bounds();
    let range = (beta_min, beta_max);
    let (edges, crit_lo, crit_hi) = match r.qhm_nu {
        Some(nu) => (
            qhm::edges(nu, &r.map_spectrum, range, samples)?,
            qhm::critical(nu, lo, range, samples)?,
            qhm::critical(nu, hi, range, samples)?,
        ),
        None => (
            stability_edges(r.family, &r.map_spectrum, range, samples),
            critical_curves(r.family, lo, step_max, range, samples),
            critical_curves(r.family, hi, step_max, range, samples),
        ),
    };
    Ok(to_text(&json!({
        "edges": clip(&edges, bx.0, bx.1),
        "critical_lo": clip(&crit_lo, bx.0, bx.1),
        "critical_hi": clip(&crit_hi, bx.0, bx.1),
    })))
}

/// The closed-form optimal tunings for the interval [μ, L] spanned by the current spectrum
/// ([`tune::all`]), each with the family to jump to.
///
/// # Errors
///
/// As [`resolve`].
pub fn tunings(q: &str) -> Result<String, String> {
    let r = resolve(&parse(q)?)?;
    let (lo, hi) = r.spectrum.bounds();
    let s = Spectrum::interval(lo, hi).map_err(|e| e.to_string())?;
    let all = tune::all(&s).map_err(|e| e.to_string())?;
    let rows: Vec<Value> = all
        .iter()
        .map(|t| {
            let m = t.method;
            let family = match t.kind.as_str() {
                "gradient_descent" => "gd",
                "heavy_ball" => "hb",
                "triple_momentum" => "tmm",
                _ => "nag",
            };
            json!({
                "name": t.kind.as_str(),
                "family": family,
                "step": m.step(),
                "momentum": m.momentum(),
                "lookahead": m.lookahead(),
                "rate": t.rate,
            })
        })
        .collect();
    Ok(to_text(&json!({"interval": [lo, hi], "tunings": rows})))
}

/// The user's learning rate and momentum that put the point at canonical (`step`, `momentum`)
/// in the current convention: the step is linear in the learning rate in every convention, so
/// lr = step / (step at lr = 1); the answer is converted back and checked.
///
/// # Errors
///
/// As [`resolve`]; a step ≤ 0; a point the convention cannot reach.
pub fn express(q: &str, step: f64, momentum: f64) -> Result<String, String> {
    let mut q = parse(q)?;
    if !(step.is_finite() && step > 0.0 && momentum.is_finite()) {
        return Err(format!(
            "step must be > 0 and momentum finite, got ({step}, {momentum})"
        ));
    }
    q.momentum = momentum.to_string();
    q.lr = "1".into();
    let unit = resolve(&q)?.converted.method.step();
    let lr = step / unit;
    q.lr = lr.to_string();
    let back = resolve(&q)?.converted.method;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300);
    let family_gd = q.family == "gd";
    if !close(back.step(), step) || (!family_gd && back.momentum() != momentum) {
        return Err(format!(
            "the {} convention cannot place the point at step {step}, momentum {momentum}",
            q.convention
        ));
    }
    Ok(to_text(&json!({"lr": lr, "momentum": momentum})))
}

/// A deterministic run from rest (x₋₁ = x₀ = the all-ones vector, normalised) on the diagonal
/// quadratic with the listed eigenvalues, or [`RUN_DIM`] evenly spaced over [μ, L]
/// ([`momentum::simulate::run`]), and the exact worst case over the whole spectrum after each
/// step k ([`finite_horizon`]): the run must stay under it.
///
/// # Errors
///
/// As [`resolve`]; steps outside 1 ..= [`MAX_RUN_STEPS`]; coefficient overflow.
pub fn trajectory(q: &str) -> Result<String, String> {
    let q = parse(q)?;
    let r = resolve(&q)?;
    let steps = number("steps", &q.steps)?;
    if !(1.0..=MAX_RUN_STEPS as f64).contains(&steps) || steps.fract() != 0.0 {
        return Err(format!(
            "steps = {steps} must be a whole number in 1 ..= {MAX_RUN_STEPS}"
        ));
    }
    let steps = steps as usize;
    let e = |e: momentum::Error| e.to_string();
    let problem = match &r.spectrum {
        Spectrum::Interval { mu, l } if mu < l => Quadratic::interval(*mu, *l, RUN_DIM),
        Spectrum::Interval { mu, .. } => Quadratic::diagonal(vec![*mu]),
        Spectrum::Eigenvalues(v) => Quadratic::diagonal(v.clone()),
    }
    .map_err(e)?;
    let rec = r.converted.recurrence;
    let mut opts = Options::steps(steps);
    opts.record_excess = false;
    let t = run(&rec, &problem, &opts).map_err(e)?;
    let mut envelope = Vec::with_capacity(steps);
    for k in 1..=steps as u64 {
        match finite_horizon(&rec, &r.spectrum, k) {
            Ok(h) => envelope.push(Some(h.worst_factor)),
            // beyond f64: the page draws the envelope as far as it is representable
            Err(momentum::Error::Overflow { .. }) => envelope.push(None),
            Err(err) => return Err(err.to_string()),
        }
    }
    Ok(to_text(&json!({
        "dim": problem.dim(),
        "error": t.error,
        "ending": match t.ending {
            momentum::simulate::Ending::Completed => "completed",
            momentum::simulate::Ending::Underflow => "underflow",
            momentum::simulate::Ending::Diverged => "diverged",
        },
        "envelope": envelope,
    })))
}

/// Why the current setting has no certificate on F(μ, L), as `momentum certify` refuses it:
/// a pasted list (certificates are over the class, not a spectrum), or weight decay (it moves
/// the minimiser and leaves the class).
fn uncertifiable(r: &Resolved) -> Option<&'static str> {
    if matches!(r.spectrum, Spectrum::Eigenvalues(_)) {
        return Some(
            "certified rates are over the class F(mu, L): choose [mu, L] or kappa, not an eigenvalue list",
        );
    }
    if r.converted.weight_decay != WeightDecay::None {
        return Some(
            "weight decay moves the minimiser and leaves F(mu, L): certified rates are shown without it",
        );
    }
    None
}

/// The point's certified rate on every L-smooth, μ-strongly convex function
/// ([`momentum::certify::certified_rate`], the frequency route), with the fields of
/// `momentum certify --json`: `{"available", "reason", "mu", "L", "method", "verdict",
/// "cycle_period", "certified", "rate", "quadratic_rate", "quadratic_stable", "multiplier",
/// "rate_tolerance"}` (`verdict`: `certified`, `counterexample` — a verified cycle
/// (`cycle_period`) or unstable on quadratics — or `undecided`); `available: false` with the
/// reason for a list or weight decay.
///
/// # Errors
///
/// As [`resolve`].
pub fn certify(q: &str) -> Result<String, String> {
    let r = resolve(&parse(q)?)?;
    if let Some(reason) = uncertifiable(&r) {
        return Ok(to_text(
            &json!({"available": false, "reason": reason, "certified": false, "rate": null}),
        ));
    }
    let (mu, l) = r.spectrum.bounds();
    let m = r.converted.method;
    let c = iqc::certified_rate(&m, mu, l).map_err(|e| e.to_string())?;
    let stable = c.quadratic_rate < 1.0;
    let cycle = if !c.is_certified() && stable && mu < l {
        iqc::counter::find_cycle(&m, mu, l, iqc::counter::MAX_PERIOD).map_err(|e| e.to_string())?
    } else {
        None
    };
    let verdict = if c.is_certified() {
        "certified"
    } else if cycle.is_some() || !stable {
        "counterexample"
    } else {
        "undecided"
    };
    Ok(to_text(&json!({
        "available": true,
        "reason": null,
        "mu": mu,
        "L": l,
        "method": {"step": m.step(), "momentum": m.momentum(), "lookahead": m.lookahead()},
        "verdict": verdict,
        "cycle_period": cycle.map(|c| c.period),
        "certified": c.is_certified(),
        "rate": c.rate,
        "quadratic_rate": c.quadratic_rate,
        "quadratic_stable": c.quadratic_rate < 1.0,
        "multiplier": c.multiplier,
        "rate_tolerance": RATE_TOLERANCE,
    })))
}

/// The certified rate on F(μ, L) at the centres of an `n` × `n` grid of the map's plane (steps
/// (0, `step_max`], momenta (`beta_min`, `beta_max`), row-major, one row per momentum):
/// `{"available", "reason", "n", "quadratic_stable": [0|1, …], "rates": [ρ | null, …],
/// "stable_cells", "certified_cells", "zones": [0|1|2|3, …], "counterexample_cells",
/// "undecided_cells", "lifted_cells", "window"}`, the zones 0 unstable on quadratics, 1
/// counterexample (a cycle verified at the cell), 2 undecided, 3 certified (one-step, or lifted
/// with the default window where that fails and no cycle is found): the library's
/// [`momentum::certify::map::CertifiedMap`] (warm-started bisections, the row's cycle walk), as
/// `momentum map --certified`.
///
/// # Errors
///
/// As [`map`]; `n` outside 1 ..= [`MAX_CERTIFIED_GRID`].
pub fn certified_map(
    q: &str,
    step_max: f64,
    beta_min: f64,
    beta_max: f64,
    n: usize,
) -> Result<String, String> {
    let r = resolve(&parse(q)?)?;
    if !(1..=MAX_CERTIFIED_GRID).contains(&n) {
        return Err(format!(
            "the certified overlay has 1 ..= {MAX_CERTIFIED_GRID} cells per axis, got {n}"
        ));
    }
    if let Some(reason) = uncertifiable(&r) {
        return Ok(to_text(
            &json!({"available": false, "reason": reason, "n": n}),
        ));
    }
    let spec = GridSpec::new(r.family, step_max, (beta_min, beta_max), (n, n))
        .map_err(|e| e.to_string())?;
    let (mu, l) = r.spectrum.bounds();
    let map = match r.qhm_nu {
        Some(nu) => CertifiedMap::compute_with(&spec, mu, l, |a, b| {
            qhm::method(a, b, nu).map_err(momentum::Error::Unsupported)
        }),
        None => CertifiedMap::compute(&spec, mu, l),
    }
    .map_err(|e| e.to_string())?;
    let cells: Vec<_> = map.cells().collect();
    let zone = |st: Status| match st {
        Status::Unstable => 0u8,
        Status::Counterexample => 1,
        Status::Undecided => 2,
        Status::Certified => 3,
    };
    let s = map.summary();
    Ok(to_text(&json!({
        "available": true,
        "reason": null,
        "n": n,
        "mu": mu,
        "L": l,
        "quadratic_stable": cells.iter().map(|c| (c.quadratic_rate < 1.0) as u8).collect::<Vec<_>>(),
        "rates": cells.iter().map(|c| c.rate).collect::<Vec<_>>(),
        "zones": cells.iter().map(|c| zone(c.status())).collect::<Vec<_>>(),
        "stable_cells": s.quadratic_stable_cells,
        "certified_cells": s.certified_cells,
        "counterexample_cells": s.counterexample_cells,
        "undecided_cells": s.undecided_cells,
        "lifted_cells": s.lifted_cells,
        "window": momentum::certify::lifted::DEFAULT_WINDOW,
    })))
}

/// A setting written as the CLI's flags (`convention`, `method`, `lr`, …), for
/// [`analyze_setting`]; numbers as JSON numbers.
#[derive(Deserialize, Debug, Default)]
#[serde(default, deny_unknown_fields)]
struct SettingArgs {
    convention: Option<String>,
    method: Option<String>,
    lr: Option<f64>,
    momentum: Option<f64>,
    lookahead: Option<f64>,
    nesterov: bool,
    dampening: Option<f64>,
    weight_decay: Option<f64>,
    nu: Option<f64>,
    b3: Option<f64>,
    alpha: Option<f64>,
    sync_period: Option<u32>,
    slow_step: Option<f64>,
    momenta: Option<Vec<f64>>,
    rho: Option<f64>,
}

/// Where the curvatures come from, for [`analyze_setting`].
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct SpectrumArg {
    lambda: Option<Vec<f64>>,
    mu: Option<f64>,
    #[serde(rename = "L")]
    l: Option<f64>,
    kappa: Option<f64>,
    /// A file's name: its bytes are the second argument.
    file: Option<String>,
}

/// What [`analyze_setting`] asks beyond the worst case (the CLI's `--noise`, `--delay`).
#[derive(Deserialize, Debug, Default)]
#[serde(default, deny_unknown_fields)]
struct OptionArgs {
    noise: Option<f64>,
    delay: Option<u64>,
}

/// The request of [`analyze_setting`].
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct SettingQuery {
    setting: SettingArgs,
    spectrum: SpectrumArg,
    #[serde(default)]
    flat_tol: Option<f64>,
    #[serde(default)]
    options: OptionArgs,
}

/// The setting and the spectrum of a request (the CLI's flags as JSON; a file's bytes).
fn setting_of(q: &SettingQuery, file: &[u8]) -> Result<(Setting, Spectrum, Precision), String> {
    let e = |e: momentum::Error| e.to_string();
    let a = &q.setting;
    let setting = Setting {
        lr: a.lr,
        momentum: a.momentum,
        lookahead: a.lookahead,
        nesterov: a.nesterov,
        dampening: a.dampening,
        weight_decay: a.weight_decay,
        nu: a.nu,
        extra: setting::ZooExtra {
            b3: a.b3,
            alpha: a.alpha,
            sync_period: a.sync_period,
            slow_step: a.slow_step,
            momenta: a.momenta.clone(),
            rho: a.rho,
        },
        ..Setting::named(
            a.convention.as_deref().unwrap_or("canonical"),
            a.method.as_deref(),
        )
        .map_err(e)?
    };
    let s = &q.spectrum;
    let (full, precision) = match (&s.lambda, s.mu, s.l, s.kappa, &s.file) {
        (Some(v), None, None, None, None) => (
            Spectrum::eigenvalues(v.clone()).map_err(e)?,
            Precision::Float64,
        ),
        (None, Some(mu), Some(l), None, None) => {
            (Spectrum::interval(mu, l).map_err(e)?, Precision::Float64)
        }
        (None, None, None, Some(k), None) => (
            Spectrum::from_condition_number(k).map_err(e)?,
            Precision::Float64,
        ),
        (None, None, None, None, Some(name)) => {
            let l = momentum::io::parse_file(name, file).map_err(e)?;
            (l.spectrum, l.precision)
        }
        _ => {
            return Err("the spectrum is one of {lambda}, {mu, L}, {kappa} or {file}".to_string());
        }
    };
    Ok((setting, full, precision))
}

/// `momentum analyze --json` in the browser: the library's [`setting::analyze_with`] document
/// for `{"setting": {...the CLI's flags...}, "spectrum": {"lambda": [...]} | {"mu", "L"} |
/// {"kappa"} | {"file": name}, "flat_tol": null, "options": {"noise": σ, "delay": τ}}`; `file` is the content of a spectrum file (.npy, text,
/// JSON) when the spectrum names one, read as the CLI reads it (a float32 `.npy` keeps float32's
/// flat tolerance).
///
/// # Errors
///
/// The library's message: a malformed request, a bad file, what the setting's resolution or the
/// analysis rejects (the CLI's messages, word for word).
pub fn analyze_setting(q: &str, file: &[u8]) -> Result<String, String> {
    let q: SettingQuery =
        serde_json::from_str(q).map_err(|e| format!("the request is not valid: {e}"))?;
    let e = |e: momentum::Error| e.to_string();
    let (setting, full, precision) = setting_of(&q, file)?;
    let opts = setting::Options {
        flat_tol: q.flat_tol,
        noise: q.options.noise,
        delay: q
            .options
            .delay
            .map(momentum::delay::check_delay)
            .transpose()
            .map_err(e)?,
    };
    let doc = setting::analyze_document(&setting, setting::Input::Spectrum(full, precision), &opts)
        .map_err(e)?;
    serde_json::to_string(&doc).map_err(|e| e.to_string())
}

/// The request of [`certify_setting`]: a setting and an interval, and the CLI's `--window` and
/// `--engine` (`frequency` or `sdp`).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct CertifyQuery {
    setting: SettingArgs,
    spectrum: SpectrumArg,
    #[serde(default)]
    window: Option<usize>,
    #[serde(default)]
    engine: Option<String>,
}

/// `momentum certify --json` in the browser: the library's [`setting::certify::certify_window`]
/// document, or [`setting::certify::certify_zoo_with`]'s for the order-n optimizers, for
/// `{"setting": {...the CLI's flags...}, "spectrum": {"mu", "L"} | {"kappa"}, "window": W,
/// "engine": "frequency" | "sdp"}` (`window`, `engine` optional: the CLI's defaults).
///
/// # Errors
///
/// The library's message, word for word the CLI's (an order-n optimizer with a window ≠ 1 or
/// the SDP engine: [`setting::certify::zoo_options`]'s refusal); an engine not named
/// `frequency` or `sdp`.
pub fn certify_setting(q: &str) -> Result<String, String> {
    let q: CertifyQuery =
        serde_json::from_str(q).map_err(|e| format!("the request is not valid: {e}"))?;
    let engine = match q.engine.as_deref() {
        None | Some("frequency") => iqc::Engine::Frequency,
        Some("sdp") => iqc::Engine::Sdp,
        Some(other) => {
            return Err(format!(
                "engine = '{other}' is not an engine: frequency or sdp"
            ));
        }
    };
    let window = q.window;
    let sq = SettingQuery {
        setting: q.setting,
        spectrum: q.spectrum,
        flat_tol: None,
        options: OptionArgs::default(),
    };
    let (setting, spectrum, _) = setting_of(&sq, &[])?;
    // the order-n optimizers: the same shared layer as `certify --convention X`
    if setting.framework.is_linear() {
        let c = setting::certify::certify_zoo_with(&setting, &spectrum, window, engine)
            .map_err(|e| e.to_string())?;
        return serde_json::to_string(&c).map_err(|e| e.to_string());
    }
    let w = window.unwrap_or(iqc::lifted::DEFAULT_WINDOW);
    let c = setting::certify::certify_window(&setting, &spectrum, engine, w)
        .map_err(|e| e.to_string())?;
    serde_json::to_string(&c).map_err(|e| e.to_string())
}

/// The map part of a [`ZooMapQuery`] (the CLI's `map --convention X` flags).
#[derive(Deserialize, Debug, Default)]
#[serde(default, deny_unknown_fields)]
struct ZooMapArgs {
    axis: Option<String>,
    grid: Option<[usize; 2]>,
    lr_max: Option<f64>,
    h_max: Option<f64>,
    y_range: Option<[f64; 2]>,
    marks: Vec<[f64; 2]>,
}

/// The request of [`zoo_map`].
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ZooMapQuery {
    setting: SettingArgs,
    spectrum: SpectrumArg,
    #[serde(default)]
    flat_tol: Option<f64>,
    #[serde(default)]
    map: ZooMapArgs,
}

/// `momentum map --convention X --json` in the browser for the order-n optimizers: `{"doc": the
/// library's [`momentum::map::zoo::ZooMapDoc`], "radii": [ρ per cell, row-major, row j = y j],
/// "stable": [the exact verdict per cell]}` for `{"setting": {...the CLI's flags...},
/// "spectrum", "flat_tol", "map": {"axis": "momentum" | "b3" | "slow_step", "grid": [n_lr,
/// n_y], "lr_max", "h_max", "y_range": [lo, hi], "marks": [[lr, y], ...]}}` (each optional: the
/// CLI's defaults; grid 64 × 64). Every cell is `analyze --convention X`'s `spectral_radius` at
/// its lr and y ([`momentum::map::zoo::run`]).
///
/// # Errors
///
/// A two-step convention (its map is [`map`]); an axis the optimizer has not; more than
/// [`MAX_CELLS`] cells; what [`momentum::map::zoo::run`] refuses, word for word the CLI's.
pub fn zoo_map(q: &str) -> Result<String, String> {
    use momentum::map::zoo::{ZooAxis, ZooMapRequest, run};
    let q: ZooMapQuery =
        serde_json::from_str(q).map_err(|e| format!("the request is not valid: {e}"))?;
    let m = q.map;
    let axis = match m.axis.as_deref() {
        None | Some("momentum") => ZooAxis::Momentum,
        Some("b3") => ZooAxis::B3,
        Some("slow_step") => ZooAxis::SlowStep,
        Some(other) => {
            return Err(format!(
                "axis = '{other}' is not an axis: momentum, b3 or slow_step"
            ));
        }
    };
    let grid = m.grid.unwrap_or([64, 64]);
    if grid[0].saturating_mul(grid[1]) > MAX_CELLS {
        return Err(format!(
            "a {} x {} map has more than {MAX_CELLS} cells: use the CLI (momentum map --convention X)",
            grid[0], grid[1]
        ));
    }
    let sq = SettingQuery {
        setting: q.setting,
        spectrum: q.spectrum,
        flat_tol: q.flat_tol,
        options: OptionArgs::default(),
    };
    let (setting, full, precision) = setting_of(&sq, &[])?;
    if !setting.framework.is_linear() {
        return Err(format!(
            "convention {} is a two-step method: its map is the (step, momentum) plane",
            setting.framework
        ));
    }
    let req = ZooMapRequest {
        axis: Some(axis),
        grid: (grid[0], grid[1]),
        lr_max: m.lr_max,
        h_max: m.h_max,
        log_lr: false,
        lr_min: None,
        y_range: m.y_range.map(|[a, b]| (a, b)),
        flat_tol: q.flat_tol,
        marks: m.marks.iter().map(|&[a, b]| (a, b)).collect(),
    };
    let (map, doc) = run(
        &setting,
        setting::Input::Spectrum(full, precision),
        &req,
        None,
    )
    .map_err(|e| e.to_string())?;
    let (n, rows) = (grid[0], grid[1]);
    let stable: Vec<bool> = (0..rows)
        .flat_map(|j| (0..n).map(move |i| (i, j)))
        .map(|(i, j)| map.cell(i, j).stable)
        .collect();
    Ok(to_text(
        &json!({"doc": doc, "radii": map.radii(), "stable": stable}),
    ))
}

/// The schedule of a [`ScheduleQuery`]: an optax/PyTorch-style shape or a list per step.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ScheduleArg {
    #[serde(default)]
    lr_schedule: Option<ScheduleValues>,
    #[serde(default)]
    momentum_schedule: Option<ScheduleValues>,
    /// AdEMAMix's β₃ per step (`--b3-schedule`).
    #[serde(default)]
    b3_schedule: Option<ScheduleValues>,
    /// AdEMAMix's α per step (`--alpha-schedule`).
    #[serde(default)]
    alpha_schedule: Option<ScheduleValues>,
    #[serde(default)]
    periodic: bool,
    #[serde(default)]
    steps: Option<usize>,
}

#[derive(Deserialize, Debug)]
#[serde(untagged)]
enum ScheduleValues {
    Shape(String),
    List(Vec<f64>),
}

/// A schedule flag's values and the momentum a shape cycles with them.
type LrAndMomentum = (Option<Vec<f64>>, Option<Vec<f64>>);

/// The request of [`analyze_schedule`].
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ScheduleQuery {
    setting: SettingArgs,
    spectrum: SpectrumArg,
    #[serde(default)]
    flat_tol: Option<f64>,
    schedule: ScheduleArg,
}

/// `momentum analyze --lr-schedule … --json` in the browser: `{"analysis": the library's
/// [`setting::schedule::analyze_schedule`] document, "envelope": [log10 max over the curvatures
/// of |e_t/e_0|, t = 1 … N]}` for `{"setting", "spectrum", "flat_tol", "schedule":
/// {"lr_schedule": "warmup_cosine_decay_schedule(…)" | [values], "momentum_schedule", "periodic",
/// "steps"}}` (a shape's length is its own unless `steps` is given).
///
/// # Errors
///
/// The library's message, word for word the CLI's.
pub fn analyze_schedule(q: &str) -> Result<String, String> {
    use momentum::schedule::{Schedule, shape::Shape};
    let q: ScheduleQuery =
        serde_json::from_str(q).map_err(|e| format!("the request is not valid: {e}"))?;
    let e = |e: momentum::Error| e.to_string();
    let sq = SettingQuery {
        setting: q.setting,
        spectrum: q.spectrum,
        flat_tol: q.flat_tol,
        options: OptionArgs::default(),
    };
    let (mut setting, full, precision) = setting_of(&sq, &[])?;
    let base_lr = setting.lr;
    let steps = q.schedule.steps;
    let values = |v: &Option<ScheduleValues>, n: Option<usize>| -> Result<LrAndMomentum, String> {
        Ok(match v {
            None => (None, None),
            Some(ScheduleValues::List(l)) => (Some(l.clone()), None),
            Some(ScheduleValues::Shape(spec)) => {
                let shape = Shape::parse(spec).map_err(e)?;
                let n = n
                    .or(shape.natural_len())
                    .ok_or_else(|| format!("`{spec}` has no length of its own: give the steps"))?;
                // the library refuses a schedule above MAX_STEPS after it has its values: one too
                // long to hold in the page's memory is refused before (a failed allocation traps)
                if n > 16 * momentum::schedule::MAX_STEPS {
                    return Err(e(momentum::Error::TooMany {
                        what: "schedule length",
                        count: n as u64,
                        limit: momentum::schedule::MAX_STEPS as u64,
                    }));
                }
                let v = shape.values(n, base_lr).map_err(e)?;
                (Some(v.lr), v.momentum)
            }
        })
    };
    let (lr, cycled) = values(&q.schedule.lr_schedule, steps)?;
    let n = steps.or(lr.as_ref().map(Vec::len));
    let (mut momentum, _) = values(&q.schedule.momentum_schedule, n)?;
    if cycled.is_some() {
        if momentum.is_some() || setting.momentum.is_some() {
            return Err("OneCycleLR cycles the momentum (cycle_momentum=True): drop the momentum or pass cycle_momentum=False".into());
        }
        momentum = cycled;
    }
    if lr.is_some() {
        setting.lr = None;
    }
    let schedule = Schedule {
        lr,
        momentum,
        lookahead: None,
        periodic: q.schedule.periodic,
    };
    if setting.framework.is_linear() {
        let n = steps.or(schedule.len());
        // the order-n optimizers: the finite horizon of their exact run, as `analyze
        // --convention X --lr-schedule …` (no envelope: the page draws none for them)
        let z = momentum::zoo::schedule::ZooSchedule {
            schedule,
            b3: values(&q.schedule.b3_schedule, n)?.0,
            alpha: values(&q.schedule.alpha_schedule, n)?.0,
        };
        let b = setting::zoo::bound_scheduled(&setting, &full, Some(&z), steps.map(|s| s as u64))
            .map_err(e)?;
        let mut doc = serde_json::to_value(b).map_err(|e| e.to_string())?;
        if let Some(o) = doc.as_object_mut() {
            o.remove("schema");
        }
        return Ok(to_text(&json!({ "analysis": doc, "envelope": null })));
    }
    if q.schedule.b3_schedule.is_some() || q.schedule.alpha_schedule.is_some() {
        return Err(
            "--b3-schedule and --alpha-schedule are AdEMAMix's (--convention ademamix)".into(),
        );
    }
    let a = setting::schedule::analyze_schedule(
        &setting,
        &schedule,
        full.clone(),
        precision,
        q.flat_tol,
        steps,
    )
    .map_err(e)?;
    let env = setting::schedule::schedule_envelope(
        &setting, &schedule, full, precision, q.flat_tol, steps,
    )
    .map_err(e)?;
    // `analyze --periodic`'s document for a periodic schedule, the finite horizon otherwise
    let doc = match a.periodic_document() {
        Some(p) => serde_json::to_value(p),
        None => serde_json::to_value(a),
    }
    .map_err(|e| e.to_string())?;
    Ok(to_text(&json!({ "analysis": doc, "envelope": env })))
}

/// The mean-square stability edge at batch size `batch` on the map's plane (`momentum::minibatch`:
/// Gaussian least squares whose covariance is the map's curvatures — an interval as `dim` evenly
/// spread values): for `rows` momenta in [β_min, β_max] the largest mean-square stable step of
/// the map's family, and the stable step interval at the point's own momentum —
/// `{"betas": [...], "hi": [α or null], "at_point": {"lo", "hi"} | null}`.
///
/// # Errors
///
/// A batch that is not a whole number ≥ 1, a dimension that is not one ≥ 2, QHM's own plane, and
/// what the page's resolution rejects.
pub fn minibatch_edge(
    q: &str,
    batch: f64,
    dim: f64,
    beta_min: f64,
    beta_max: f64,
    rows: usize,
) -> Result<String, String> {
    use momentum::minibatch::{Batch, Gaussian};
    let r = resolve(&parse(q)?)?;
    let e = |e: momentum::Error| e.to_string();
    if r.qhm_nu.is_some() {
        return Err("the mean-square edge is drawn in the (step, momentum) plane of gd, heavy ball, Nesterov or a fixed lookahead, not QHM's".into());
    }
    if !(batch >= 1.0 && batch.fract() == 0.0 && batch <= 1e15) {
        return Err(format!(
            "batch size B = {batch} must be a whole number >= 1"
        ));
    }
    let b = Batch::new(batch as u64).map_err(e)?;
    let data = match &r.map_spectrum {
        Spectrum::Interval { mu, l } => {
            if !(dim >= 2.0 && dim.fract() == 0.0 && dim <= 1e6) {
                return Err(format!(
                    "data dim = {dim} must be a whole number in 2 ..= 1000000"
                ));
            }
            Gaussian::interval(*mu, *l, dim as usize, b, 0.0)
        }
        Spectrum::Eigenvalues(v) => Gaussian::eigenvalues(v.clone(), b, 0.0),
    }
    .map_err(e)?;
    let family = r.family;
    let edge = |beta: f64| -> Result<Option<momentum::stability::StepInterval>, String> {
        data.stable_steps(|a| Ok(family.method(a, beta)?.recurrence()))
            .map_err(e)
    };
    let rows = rows.clamp(2, 2000);
    let mut betas = Vec::with_capacity(rows);
    let mut hi = Vec::with_capacity(rows);
    for i in 0..rows {
        let beta = beta_min + (beta_max - beta_min) * i as f64 / (rows - 1) as f64;
        betas.push(beta);
        hi.push(match family.method(1.0, beta) {
            Ok(_) => edge(beta)?.map(|iv| iv.hi),
            Err(_) => None,
        });
    }
    let at_point = edge(r.converted.method.momentum())?;
    Ok(to_text(&json!({
        "betas": betas,
        "hi": hi,
        "at_point": at_point.map(|iv| json!({ "lo": iv.lo, "hi": iv.hi })),
        "dim": data.dim(),
    })))
}
