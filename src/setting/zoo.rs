//! The order-n optimizers ([`crate::zoo`]: AdEMAMix, Lookahead, schedule-free SGD, AggMo, SAM)
//! for the front ends: one document per setting, as [`super::analyze_with`] gives for the
//! two-step conventions, with the same verdict fields (`spectral_radius`, `stable`,
//! `stable_lr`, `largest_stable_lr`) in the optimizer's own learning rate.

use super::{Curvatures, Input, Options, SCHEMA, Saddle, Setting, SpectrumSummary};
use crate::convention::Framework;
use crate::error::{Error, Result};
use crate::linear::Pencil;
use crate::spectrum::{Precision, Spectrum};
use crate::stability::StepInterval;
use crate::zoo::{Core, Optimizer, ZooMethod, ZooParams};

/// Steps of the exact update run for the schedule-free transient.
pub const TRANSIENT_STEPS: u64 = 10_000;

/// One curvature of an order-n optimizer.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooCurvature {
    /// The raw curvature λ.
    pub lambda: f64,
    /// The curvature the optimizer sees (SAM: λ(1 + ρλ); else λ).
    pub seen: f64,
    /// h = lr·seen.
    pub h: f64,
    /// The rate per step.
    pub spectral_radius: f64,
    /// Every root inside the unit circle.
    pub stable: bool,
}

/// The largest excursion of the exact (time-varying) update before it settles.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Transient {
    /// The curvature run (the largest analysed).
    pub lambda: f64,
    /// max over t ≤ `steps` of |x_t|/|x₀|.
    pub peak: f64,
    /// Where.
    pub at_step: u64,
    /// How many steps were run.
    pub steps: u64,
}

/// The answer for an order-n optimizer on a spectrum ([`analyze`]).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooAnalysis {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The convention.
    pub convention: Framework,
    /// The optimizer's resolved hyperparameters (`optimizer` names it).
    pub optimizer: Optimizer,
    /// The learning rate.
    pub lr: f64,
    /// The order of the linear system analysed (the pencil's degree, or the periodic state's
    /// dimension).
    pub order: usize,
    /// Steps per period (Lookahead: k; else 1).
    pub period: usize,
    /// The characteristic pencil a(z) + h·b(z) (stationary optimizers; highest degree first).
    pub pencil: Option<Pencil>,
    /// The flat tolerance applied to a listed spectrum.
    pub flat_tolerance: Option<f64>,
    /// Listed curvatures seen as flat (excluded).
    pub flat_directions: usize,
    /// Listed negative curvatures and their growth rates.
    pub saddle_directions: Vec<Saddle>,
    /// What was analysed.
    pub spectrum: SpectrumSummary,
    /// The worst rate per step over the curvatures analysed.
    pub spectral_radius: f64,
    /// Whether it is below 1.
    pub stable: bool,
    /// Where the worst case is (raw curvature).
    pub worst_lambda: f64,
    /// Steps per tenfold error reduction at the worst case.
    pub iterations_per_decade: Option<f64>,
    /// The stable learning rates containing this one (else the lowest interval).
    pub stable_lr: Option<StepInterval>,
    /// Its upper end when finite.
    pub largest_stable_lr: Option<f64>,
    /// Every stable interval of h = lr·λ̃ (upper end `null` when unbounded).
    pub stable_h: Vec<StepInterval>,
    /// Per curvature (the smallest and largest only beyond [`super::MAX_LISTED`]).
    pub curvatures: Vec<ZooCurvature>,
    /// Schedule-free: the exact time-varying run at the largest curvature.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub transient: Option<Transient>,
    /// What a user should know.
    pub notes: Vec<String>,
}

/// The optimizer a setting describes ([`Framework::is_linear`] conventions).
///
/// # Errors
///
/// No lr; a family name (`--method`) given; what [`ZooMethod::new`] refuses.
pub fn method(setting: &Setting) -> Result<ZooMethod> {
    if setting.method.is_some() {
        return Err(Error::Usage(format!(
            "--method does not apply to --convention {} (the convention names the optimizer)",
            setting.framework
        )));
    }
    for (given, what) in [
        (setting.lookahead.is_some(), "--lookahead"),
        (setting.dampening.is_some(), "--dampening"),
        (setting.weight_decay.is_some(), "--weight-decay"),
        (setting.nu.is_some(), "--nu"),
    ] {
        if given {
            return Err(Error::Usage(format!(
                "{what} does not apply to --convention {}",
                setting.framework
            )));
        }
    }
    let lr = setting
        .lr
        .ok_or_else(|| Error::Usage(format!("--convention {} needs --lr", setting.framework)))?;
    let e = &setting.extra;
    ZooMethod::new(
        setting.framework,
        &ZooParams {
            lr,
            momentum: setting.momentum,
            nesterov: setting.nesterov,
            b3: e.b3,
            alpha: e.alpha,
            sync_period: e.sync_period,
            slow_step: e.slow_step,
            momenta: e.momenta.clone(),
            rho: e.rho,
        },
    )
}

/// Is this setting stable on these curvatures, how fast, for which learning rates — for the
/// order-n optimizers, as [`super::analyze_with`] answers it for the two-step ones.
///
/// # Examples
///
/// ```
/// use momentum::setting::{Input, Options, Setting, ZooExtra, zoo};
/// use momentum::{Framework, Precision, Spectrum};
/// let s = Setting {
///     framework: Framework::Lookahead,
///     lr: Some(1.0),
///     extra: ZooExtra { sync_period: Some(5), slow_step: Some(0.5), ..Default::default() },
///     ..Setting::default()
/// };
/// let input = Input::Spectrum(Spectrum::eigenvalues(vec![1.0])?, Precision::Float64);
/// let a = zoo::analyze(&s, input, &Options::default())?;
/// assert!(a.stable);
/// assert!((a.largest_stable_lr.unwrap() - 2.2457).abs() < 1e-4); // SGD alone: 2
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`method`] refuses; a noise floor or delay asked for (not modelled here); a
/// preconditioner for another optimizer than AdEMAMix; SAM on negative curvatures.
pub fn analyze(setting: &Setting, input: Input, opts: &Options) -> Result<ZooAnalysis> {
    if opts.noise.is_some() || opts.delay.is_some() {
        return Err(Error::Usage(format!(
            "the noise floor and delays are modelled for the two-step conventions, not --convention {}",
            setting.framework
        )));
    }
    let m = method(setting)?;
    let (full, precision) = match input {
        Input::Spectrum(s, p) => (s, p),
        Input::Preconditioned {
            hessian,
            preconditioner,
        } => {
            if !setting.framework.is_preconditioned() {
                return Err(Error::Usage(format!(
                    "a preconditioner applies to adam, adamw, rmsprop or ademamix, not {}",
                    setting.framework
                )));
            }
            (preconditioner.spectrum(&hessian)?.0, Precision::Float64)
        }
    };
    let c = Curvatures::split(full, opts.flat_tol, precision, 0.0)?;
    let spectrum = &c.spectrum;
    let worst = m.worst_case(spectrum)?;
    let mut listed = spectrum.listed();
    let mut notes = c.notes.clone();
    if listed.len() > super::MAX_LISTED {
        listed = vec![listed[0], listed[listed.len() - 1]];
    }
    let curvatures = listed
        .iter()
        .map(|&l| {
            let md = m.mode(l)?;
            Ok(ZooCurvature {
                lambda: l,
                seen: m.seen(l),
                h: md.h,
                spectral_radius: md.spectral_radius,
                stable: md.stable,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let saddles = match &c.directions {
        Some(d) => d
            .negative
            .iter()
            .map(|&l| {
                Ok(Saddle {
                    lambda: l,
                    growth_rate: m.mode(l)?.spectral_radius,
                })
            })
            .collect::<Result<Vec<_>>>()?,
        None => vec![],
    };
    let (lo, hi) = spectrum.bounds();
    let stable_lr = if lo > 0.0 {
        m.stable_lr(spectrum)?
    } else {
        None
    };
    let stable_h = m
        .stable_steps()?
        .into_iter()
        .map(|(lo, hi)| StepInterval { lo, hi })
        .collect();
    // the worst h back to a raw curvature: invert h = lr·seen(λ)
    let worst_lambda = m.raw_curvature(worst.h / m.lr());
    let mut transient = None;
    match m.optimizer() {
        Optimizer::ScheduleFree { .. } => {
            notes.push(format!(
                "schedule-free: spectral_radius is the fast mode z − 1 + h(1 − b1) of the asymptotic system (c_t → 0); the averaged iterate x then decays like a power of t, not geometrically; 'transient' is the exact run of {TRANSIENT_STEPS} steps"
            ));
            if hi > 0.0 {
                let (peak, at_step) = m.transient(hi, TRANSIENT_STEPS)?;
                transient = Some(Transient {
                    lambda: hi,
                    peak,
                    at_step,
                    steps: TRANSIENT_STEPS,
                });
            }
        }
        Optimizer::Ademamix { .. } => notes.push(
            "ademamix: the asymptotic system (m1's bias correction 1/(1 − b1^t) → 1) on the preconditioned curvatures; the second moment is frozen as for adam".into(),
        ),
        Optimizer::Lookahead { .. } => notes.push(
            "lookahead: spectral_radius is per inner step, ρ(M)^(1/k) of the k-step monodromy; the inner optax.sgd buffer is kept across synchronisations".into(),
        ),
        Optimizer::Sam { .. } => notes.push(
            "sam: the base optax.sgd sees λ(1 + ρλ) (unnormalised ascent step), so stable_lr is in the base optimizer's lr at this rho".into(),
        ),
        Optimizer::Aggmo { .. } => {}
    }
    let (pencil, period) = match m.core() {
        Core::Pencil(p) => (Some(p.clone()), 1),
        Core::Periodic(p) => (None, p.period()),
    };
    let rate = worst.spectral_radius;
    Ok(ZooAnalysis {
        schema: SCHEMA,
        convention: setting.framework,
        optimizer: m.optimizer().clone(),
        lr: m.lr(),
        order: m.order(),
        period,
        pencil,
        flat_tolerance: c.tolerance,
        flat_directions: c.directions.as_ref().map_or(0, |d| d.flat),
        saddle_directions: saddles,
        spectrum: SpectrumSummary::of(spectrum, precision),
        spectral_radius: rate,
        stable: worst.stable,
        worst_lambda,
        iterations_per_decade: crate::mode::iterations_per_decade(rate),
        stable_lr,
        largest_stable_lr: stable_lr.map(|i| i.hi).filter(|h| h.is_finite()),
        stable_h,
        curvatures,
        transient,
        notes,
    })
}

/// Largest horizon of [`bound`] and [`simulate`]: 10⁶ steps.
pub const MAX_ZOO_STEPS: u64 = 1_000_000;

/// Curvatures of an interval [`bound`] runs: log-spaced (linear when μ ≤ 0), endpoints included.
pub const INTERVAL_SAMPLES: usize = 257;

/// The finite-horizon answer of [`bound`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooBound {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The convention.
    pub convention: Framework,
    /// The optimizer's resolved hyperparameters.
    pub optimizer: Optimizer,
    /// The learning rate.
    pub lr: f64,
    /// N.
    pub steps: u64,
    /// `eigenvalues` (every listed one run) or `interval` (a grid of [`INTERVAL_SAMPLES`]).
    pub over: &'static str,
    /// How many curvatures were run.
    pub curvatures_run: usize,
    /// max over the curvatures run of |x_N/x₀| (the framework's own start: buffers zero).
    pub worst_factor: f64,
    /// Where.
    pub worst_lambda: f64,
    /// max over the curvatures run and t ≤ N of |x_t/x₀|.
    pub peak_factor: f64,
    /// Where, and when.
    pub peak_lambda: f64,
    /// The step of the peak.
    pub peak_step: u64,
    /// The asymptotic worst rate per step ([`analyze`]'s `spectral_radius`).
    pub spectral_radius: f64,
    /// Whether every curvature run ends below its start (`worst_factor < 1`).
    pub contracts: bool,
    /// What a user should know.
    pub notes: Vec<String>,
}

fn check_steps(steps: u64) -> Result<()> {
    if steps == 0 || steps > MAX_ZOO_STEPS {
        return Err(Error::OutOfRange {
            name: "steps",
            value: steps as f64,
            expected: "must be in 1..=1000000",
        });
    }
    Ok(())
}

fn run_curvatures(spectrum: &Spectrum) -> Vec<f64> {
    match spectrum {
        Spectrum::Eigenvalues(v) => v.clone(),
        Spectrum::Interval { mu, l } if mu == l => vec![*mu],
        Spectrum::Interval { mu, l } => {
            let n = INTERVAL_SAMPLES - 1;
            (0..=n)
                .map(|i| {
                    let t = i as f64 / n as f64;
                    if *mu > 0.0 {
                        mu * (l / mu).powf(t)
                    } else {
                        mu + (l - mu) * t
                    }
                })
                .collect()
        }
    }
}

/// The error after N steps of the exact (time-varying) update, from the framework's own start,
/// worst over the curvatures: every listed eigenvalue, or a grid of an interval.
///
/// # Examples
///
/// ```
/// use momentum::setting::{Setting, zoo};
/// use momentum::{Framework, Spectrum};
/// let s = Setting { framework: Framework::ScheduleFree, lr: Some(10.0), ..Setting::default() };
/// let b = zoo::bound(&s, &Spectrum::eigenvalues(vec![1.0])?, 1000)?;
/// assert!((b.peak_factor - 126.0).abs() < 1e-9 && b.worst_factor < 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`method`] refuses; steps outside 1..=[`MAX_ZOO_STEPS`]; SAM on negative curvatures.
pub fn bound(setting: &Setting, spectrum: &Spectrum, steps: u64) -> Result<ZooBound> {
    check_steps(steps)?;
    let m = method(setting)?;
    let worst = m.worst_case(spectrum)?;
    let lambdas = run_curvatures(spectrum);
    let (mut wf, mut wl, mut pf, mut pl, mut ps) = (0.0f64, lambdas[0], 0.0f64, lambdas[0], 0);
    for &l in &lambdas {
        let tr = m.trajectory(l, steps)?;
        let last = tr[tr.len() - 1];
        if last >= wf || last.is_nan() {
            (wf, wl) = (last, l);
        }
        for (t, &x) in tr.iter().enumerate() {
            if x > pf {
                (pf, pl, ps) = (x, l, t as u64);
            }
        }
    }
    let mut notes = vec![];
    if let Spectrum::Interval { .. } = spectrum {
        notes.push(format!(
            "an interval is run on {INTERVAL_SAMPLES} curvatures (log-spaced): the worst factor is the worst of those, not a bound over the whole interval"
        ));
    }
    Ok(ZooBound {
        schema: SCHEMA,
        convention: setting.framework,
        optimizer: m.optimizer().clone(),
        lr: m.lr(),
        steps,
        over: match spectrum {
            Spectrum::Interval { .. } => "interval",
            Spectrum::Eigenvalues(_) => "eigenvalues",
        },
        curvatures_run: lambdas.len(),
        worst_factor: wf,
        worst_lambda: wl,
        peak_factor: pf,
        peak_lambda: pl,
        peak_step: ps,
        spectral_radius: worst.spectral_radius,
        contracts: wf < 1.0,
        notes,
    })
}

/// A run of the exact update on the diagonal quadratic ½Σλᵢxᵢ² from x₀ = (1, …, 1) (every
/// buffer zero): ‖x_t‖ for t = 0 … N.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooRun {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The convention.
    pub convention: Framework,
    /// The optimizer's resolved hyperparameters.
    pub optimizer: Optimizer,
    /// The learning rate.
    pub lr: f64,
    /// N.
    pub steps: u64,
    /// The curvatures (one coordinate each).
    pub curvatures: Vec<f64>,
    /// ‖x_t‖₂, t = 0 … N.
    pub error: Vec<f64>,
    /// ‖x_N‖/‖x₀‖.
    pub final_ratio: f64,
    /// The rate per step over the last half of the run, (‖x_N‖/‖x_{N/2}‖)^{1/(N − N/2)}.
    pub empirical_rate: Option<f64>,
    /// [`analyze`]'s asymptotic rate on these curvatures.
    pub spectral_radius: f64,
}

/// Run the exact update on a diagonal quadratic with these curvatures (listed; at most 10⁴).
///
/// # Examples
///
/// ```
/// use momentum::setting::{Setting, ZooExtra, zoo};
/// use momentum::Framework;
/// let s = Setting {
///     framework: Framework::Aggmo,
///     lr: Some(0.5),
///     extra: ZooExtra { momenta: Some(vec![0.0, 0.9]), ..Default::default() },
///     ..Setting::default()
/// };
/// let r = zoo::simulate(&s, &[0.1, 1.0], 400)?;
/// assert!((r.empirical_rate.unwrap() - r.spectral_radius).abs() < 1e-2);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`method`] refuses; no curvature or more than 10⁴; steps outside 1..=[`MAX_ZOO_STEPS`].
pub fn simulate(setting: &Setting, curvatures: &[f64], steps: u64) -> Result<ZooRun> {
    check_steps(steps)?;
    if curvatures.is_empty() || curvatures.len() > 10_000 {
        return Err(Error::TooMany {
            what: "curvatures of a simulation",
            count: curvatures.len() as u64,
            limit: 10_000,
        });
    }
    let m = method(setting)?;
    let spectrum = Spectrum::eigenvalues(curvatures.to_vec())?;
    let rate = m.worst_case(&spectrum)?.spectral_radius;
    let mut sq = vec![0.0f64; steps as usize + 1];
    for &l in curvatures {
        for (s, x) in sq.iter_mut().zip(m.trajectory(l, steps)?) {
            *s += x * x;
        }
    }
    let error: Vec<f64> = sq.iter().map(|s| s.sqrt()).collect();
    let n = steps as usize;
    let half = n / 2;
    let empirical_rate = (n - half > 0 && error[half] > 0.0 && error[n].is_finite())
        .then(|| (error[n] / error[half]).powf(1.0 / (n - half) as f64))
        .filter(|r| r.is_finite());
    Ok(ZooRun {
        schema: SCHEMA,
        convention: setting.framework,
        optimizer: m.optimizer().clone(),
        lr: m.lr(),
        steps,
        curvatures: curvatures.to_vec(),
        final_ratio: error[n] / error[0],
        error,
        empirical_rate,
        spectral_radius: rate,
    })
}

/// The learning rate of an order-n optimizer with the smallest worst-case rate over a spectrum,
/// its other hyperparameters held ([`tune`]).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooTuning {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The convention.
    pub convention: Framework,
    /// The optimizer's resolved hyperparameters (at the best lr).
    pub optimizer: Optimizer,
    /// The best learning rate.
    pub lr: f64,
    /// Its worst-case rate per step.
    pub spectral_radius: f64,
    /// Where.
    pub worst_lambda: f64,
    /// Steps per tenfold error reduction.
    pub iterations_per_decade: Option<f64>,
    /// The stable learning rates (the interval searched).
    pub stable_lr: Option<StepInterval>,
    /// How many worst cases were evaluated.
    pub evaluations: usize,
}

/// The best learning rate (smallest worst-case rate over `spectrum`, μ > 0) with every other
/// hyperparameter of `setting` held: a scan of 120 log-spaced learning rates over the stable
/// interval (the interval of [`ZooMethod::stable_lr`] with the largest upper end) from 10⁻⁴ of its
/// top, then golden section between the neighbours of the best. A numeric search: the minimax
/// is not convex in general, and the scan's resolution (1/30 of a decade) sets what it can miss.
///
/// # Examples
///
/// ```
/// use momentum::setting::{Setting, ZooExtra, zoo};
/// use momentum::{Framework, Method, Spectrum};
/// // AggMo with one velocity is heavy ball: Polyak's rate (√κ − 1)/(√κ + 1) at β = β*
/// let beta = ((10.0f64 - 1.0) / (10.0 + 1.0)).powi(2);
/// let s = Setting {
///     framework: Framework::Aggmo,
///     lr: Some(1.0),
///     extra: ZooExtra { momenta: Some(vec![beta]), ..Default::default() },
///     ..Setting::default()
/// };
/// let t = zoo::tune(&s, &Spectrum::interval(0.01, 1.0)?)?;
/// assert!((t.spectral_radius - 9.0 / 11.0).abs() < 1e-6, "{}", t.spectral_radius);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`method`] refuses (the setting's lr is only a starting point and may be left out); a
/// smallest curvature ≤ 0; no stable learning rate.
pub fn tune(setting: &Setting, spectrum: &Spectrum) -> Result<ZooTuning> {
    let mut s = setting.clone();
    s.lr = Some(s.lr.unwrap_or(1.0));
    let m = method(&s)?;
    let seen = m.seen_spectrum(spectrum)?;
    let (lo, hi) = seen.bounds();
    crate::error::positive("smallest curvature", lo)?;
    let interval = m
        .stable_steps()?
        .into_iter()
        .map(|(a, b)| StepInterval {
            lo: a / lo,
            hi: b / hi,
        })
        .filter(|i| i.lo < i.hi)
        .max_by(|x, y| x.hi.total_cmp(&y.hi))
        .ok_or_else(|| Error::Unsupported("no stable learning rate on this spectrum".into()))?;
    let top = if interval.hi.is_finite() {
        interval.hi
    } else {
        1e6 / hi
    };
    let bottom = (top * 1e-4).max(interval.lo);
    let mut evaluations = 0usize;
    let mut rate = |lr: f64| -> Result<f64> {
        evaluations += 1;
        let w = m.at_lr(lr)?.worst_case(spectrum)?;
        Ok(if w.stable {
            w.spectral_radius
        } else {
            f64::INFINITY
        })
    };
    let n = 120;
    let lrs: Vec<f64> = (1..n)
        .map(|i| bottom * (top / bottom).powf(i as f64 / n as f64))
        .collect();
    let mut rates = Vec::with_capacity(lrs.len());
    for &lr in &lrs {
        rates.push(rate(lr)?);
    }
    let k = (0..rates.len())
        .min_by(|&a, &b| rates[a].total_cmp(&rates[b]))
        .expect("the scan has points");
    // golden section on [lr_{k−1}, lr_{k+1}]
    let (mut a, mut b) = (
        if k > 0 { lrs[k - 1] } else { bottom },
        if k + 1 < lrs.len() { lrs[k + 1] } else { top },
    );
    let g = 0.5 * (5f64.sqrt() - 1.0);
    let (mut best, mut best_rate) = (lrs[k], rates[k]);
    for _ in 0..60 {
        let (c, d) = (b - g * (b - a), a + g * (b - a));
        let (rc, rd) = (rate(c)?, rate(d)?);
        for (x, r) in [(c, rc), (d, rd)] {
            if r < best_rate {
                (best, best_rate) = (x, r);
            }
        }
        if rc < rd {
            b = d;
        } else {
            a = c;
        }
        if b - a < 1e-12 * b {
            break;
        }
    }
    let tuned = m.at_lr(best)?;
    let w = tuned.worst_case(spectrum)?;
    let worst_lambda = tuned.raw_curvature(w.h / best);
    let r = w.spectral_radius;
    Ok(ZooTuning {
        schema: SCHEMA,
        convention: setting.framework,
        optimizer: tuned.optimizer().clone(),
        lr: best,
        spectral_radius: r,
        worst_lambda,
        iterations_per_decade: crate::mode::iterations_per_decade(r),
        stable_lr: Some(interval),
        evaluations,
    })
}
