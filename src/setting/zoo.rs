//! The order-n optimizers ([`crate::zoo`]: AdEMAMix, Lookahead, schedule-free SGD, AggMo, SAM)
//! for the front ends: one document per setting, as [`super::analyze_with`] gives for the
//! two-step conventions, with the same verdict fields (`spectral_radius`, `stable`,
//! `stable_lr`, `largest_stable_lr`) in the optimizer's own learning rate.

use super::{Curvatures, Input, Options, SCHEMA, Saddle, Setting, SpectrumSummary};
use crate::convention::Framework;
use crate::error::{Error, Result};
use crate::linear::Pencil;
use crate::noise::{CurvatureVariance, interval_mean, lyapunov_kronecker, lyapunov_periodic};
use crate::spectrum::{Precision, Spectrum};
use crate::stability::StepInterval;
use crate::zoo::schedule::{ZooSchedule, ZooScheduleSummary};
use crate::zoo::{Core, Optimizer, ZooMethod, ZooParams};
use nalgebra::{DMatrix, DVector};

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
    /// With `--noise`: the noise floor ([`noise_floor`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub noise_floor: Option<ZooNoiseFloor>,
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
/// What [`method`] refuses; a delay (not modelled here); a noise floor with a preconditioner
/// file; a preconditioner for another optimizer than AdEMAMix; SAM on negative curvatures; what
/// [`noise_floor`] refuses.
pub fn analyze(setting: &Setting, input: Input, opts: &Options) -> Result<ZooAnalysis> {
    if opts.delay.is_some() {
        return Err(Error::Usage(format!(
            "delays are modelled for the two-step conventions, not --convention {}",
            setting.framework
        )));
    }
    if opts.noise.is_some() && matches!(input, Input::Preconditioned { .. }) {
        return Err(Error::Usage(format!(
            "the noise floor of --convention {} is given on the preconditioned curvatures (a spectrum), not with a preconditioner file",
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
    let noise_floor = opts
        .noise
        .map(|sigma| noise_floor(&m, &c, sigma))
        .transpose()?;
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
        noise_floor,
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
    /// The asymptotic worst rate per step ([`analyze`]'s `spectral_radius`; `null` under a
    /// schedule, which has no single rate).
    pub spectral_radius: Option<f64>,
    /// Whether every curvature run ends below its start (`worst_factor < 1`).
    pub contracts: bool,
    /// The schedule run, when there is one.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub schedule: Option<ZooScheduleSummary>,
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
    bound_scheduled(setting, spectrum, None, Some(steps))
}

/// A scheduled setting's method and steps: the base values the lists replace filled from them
/// (the peak lr, else 1; the first momentum), the horizon defaulting to the lists' length.
fn scheduled_method(
    setting: &Setting,
    sched: Option<&ZooSchedule>,
    steps: Option<u64>,
) -> Result<(ZooMethod, u64)> {
    let Some(z) = sched else {
        let steps = steps.ok_or_else(|| Error::Usage("--steps is required".into()))?;
        check_steps(steps)?;
        return Ok((method(setting)?, steps));
    };
    z.check(setting.framework)?;
    let Some(len) = z.len() else {
        return Err(Error::Usage(
            "no schedule given: an lr, momentum, b3 or alpha list".into(),
        ));
    };
    let steps = steps.unwrap_or(len as u64);
    check_steps(steps)?;
    let base = super::schedule::base_setting(setting, &z.schedule);
    Ok((method(&base)?, steps))
}

fn schedule_notes(m: &ZooMethod, sched: Option<&ZooSchedule>, steps: u64) -> Vec<String> {
    let Some(z) = sched else { return vec![] };
    let mut notes = vec![format!(
        "each step follows {}'s literal update at that step's values, its buffers unscaled as optax keeps them (m, not lr·m); step t reads index t − 1 of every list",
        m.framework()
    )];
    if m.framework() == Framework::ScheduleFree && z.schedule.lr.is_some() {
        notes.push("schedule_free: the averaging weight c_t = M_t²/Σ M_s² (M_t the largest lr so far) reads the lr one step ahead, as optax's schedule_free does (its step_count starts at 1)".into());
    }
    if steps > z.len().unwrap_or(0) as u64 {
        notes.push(format!(
            "the run ({steps} steps) is longer than the schedule ({} values): the last value is held",
            z.len().unwrap_or(0)
        ));
    }
    notes
}

/// [`bound`] under per-step hyperparameters ([`ZooSchedule`]; `None`: the constant setting).
/// `steps` defaults to the schedule's length; the setting's lr and momentum are the values a
/// list replaces.
///
/// # Examples
///
/// ```
/// use momentum::setting::{Setting, zoo};
/// use momentum::schedule::Schedule;
/// use momentum::zoo::schedule::ZooSchedule;
/// use momentum::{Framework, Spectrum};
/// // schedule-free SGD at lr 10 on λ = 1 peaks at 126; a linear warmup over 10 steps tames it
/// let s = Setting { framework: Framework::ScheduleFree, ..Setting::default() };
/// let mut lr: Vec<f64> = (0..10).map(|t| t as f64).collect();
/// lr.resize(1000, 10.0);
/// let z = ZooSchedule { schedule: Schedule::lr(lr), ..Default::default() };
/// let b = zoo::bound_scheduled(&s, &Spectrum::eigenvalues(vec![1.0])?, Some(&z), None)?;
/// assert!(b.peak_factor < 126.0 && b.spectral_radius.is_none());
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`bound`] and [`ZooSchedule::check`] refuse; no list and no steps.
pub fn bound_scheduled(
    setting: &Setting,
    spectrum: &Spectrum,
    sched: Option<&ZooSchedule>,
    steps: Option<u64>,
) -> Result<ZooBound> {
    let (m, steps) = scheduled_method(setting, sched, steps)?;
    let spectral_radius = match sched {
        None => Some(m.worst_case(spectrum)?.spectral_radius),
        Some(_) => {
            m.seen_spectrum(spectrum)?;
            None
        }
    };
    let lambdas = run_curvatures(spectrum);
    let (mut wf, mut wl, mut pf, mut pl, mut ps) = (0.0f64, lambdas[0], 0.0f64, lambdas[0], 0);
    for &l in &lambdas {
        let tr = match sched {
            None => m.trajectory(l, steps)?,
            Some(z) => m.scheduled_trajectory(l, z, steps)?,
        };
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
    let mut notes = schedule_notes(&m, sched, steps);
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
        spectral_radius,
        contracts: wf < 1.0,
        schedule: sched.map(|z| z.summary(m.lr(), steps)),
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
    /// [`analyze`]'s asymptotic rate on these curvatures (`null` under a schedule).
    pub spectral_radius: Option<f64>,
    /// The schedule run, when there is one.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub schedule: Option<ZooScheduleSummary>,
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
/// assert!((r.empirical_rate.unwrap() - r.spectral_radius.unwrap()).abs() < 1e-2);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`method`] refuses; no curvature or more than 10⁴; steps outside 1..=[`MAX_ZOO_STEPS`].
pub fn simulate(setting: &Setting, curvatures: &[f64], steps: u64) -> Result<ZooRun> {
    simulate_scheduled(setting, curvatures, None, Some(steps))
}

/// [`simulate`] under per-step hyperparameters ([`ZooSchedule`]; `None`: the constant setting);
/// `steps` defaults to the schedule's length.
///
/// # Examples
///
/// ```
/// use momentum::setting::{Setting, ZooExtra, zoo};
/// use momentum::schedule::Schedule;
/// use momentum::zoo::schedule::ZooSchedule;
/// use momentum::Framework;
/// let s = Setting { framework: Framework::Ademamix, ..Setting::default() };
/// // optax.contrib.ademamix with alpha warmed up linearly from 0 to 5 over 100 steps
/// let alpha: Vec<f64> = (0..200).map(|t| 5.0 * (t as f64 / 100.0).min(1.0)).collect();
/// let z = ZooSchedule { schedule: Schedule::lr(vec![1.0; 200]), alpha: Some(alpha), ..Default::default() };
/// let r = zoo::simulate_scheduled(&s, &[0.1, 1.0], Some(&z), None)?;
/// assert_eq!(r.error.len(), 201);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`simulate`] and [`ZooSchedule::check`] refuse; no list and no steps.
pub fn simulate_scheduled(
    setting: &Setting,
    curvatures: &[f64],
    sched: Option<&ZooSchedule>,
    steps: Option<u64>,
) -> Result<ZooRun> {
    if curvatures.is_empty() || curvatures.len() > 10_000 {
        return Err(Error::TooMany {
            what: "curvatures of a simulation",
            count: curvatures.len() as u64,
            limit: 10_000,
        });
    }
    let (m, steps) = scheduled_method(setting, sched, steps)?;
    let spectrum = Spectrum::eigenvalues(curvatures.to_vec())?;
    let rate = match sched {
        None => Some(m.worst_case(&spectrum)?.spectral_radius),
        Some(_) => None,
    };
    let mut sq = vec![0.0f64; steps as usize + 1];
    for &l in curvatures {
        let tr = match sched {
            None => m.trajectory(l, steps)?,
            Some(z) => m.scheduled_trajectory(l, z, steps)?,
        };
        for (s, x) in sq.iter_mut().zip(tr) {
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
        schedule: sched.map(|z| z.summary(m.lr(), steps)),
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

/// Steps of the exact time-varying covariance recursion behind schedule-free's noise floor.
pub const NOISE_HORIZON: u64 = TRANSIENT_STEPS;

/// The noise floor of an order-n optimizer under additive gradient noise σξ (ξ white, identity
/// covariance), in the fields of the two-step `noise_floor` ([`super::NoiseFloor`]) plus what the
/// order-n optimizers add (docs/REFERENCE.md §11, noise floor).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooNoiseFloor {
    /// σ, echoed.
    pub sigma: f64,
    /// `one_gradient` (the noise enters where the gradient does), or `sam_same_batch` (both SAM
    /// gradients carry the same noise: (1 + ρλ)σξ reaches the base optimizer).
    pub model: &'static str,
    /// `parameters`, or `preconditioned` (AdEMAMix on the curvatures λ/P of a frozen P, noise σ
    /// per preconditioned coordinate, as for the two-step Adam without its P).
    pub coordinates: &'static str,
    /// Which variance of the iterate is reported: `stationary` (the asymptotic update's
    /// Lyapunov solution), `cycle_mean` (Lookahead: the periodic solution averaged over the k
    /// states of a cycle) or `at_horizon` (schedule-free: the exact variance of the average x
    /// after [`NOISE_HORIZON`] steps from a deterministic start; it decays like 1/t).
    pub iterate: &'static str,
    /// Whether a stationary (or periodic) state exists and every direction has one; `false` for
    /// schedule-free, whose x has none (its variance tends to 0).
    pub stationary: bool,
    /// E‖x − x*‖²/σ² summed over the listed eigenvalues.
    pub per_unit_variance: Option<f64>,
    /// E‖x − x*‖²/(σ² n): mean over the eigenvalues, or over a uniform density on [μ, L].
    pub mean_per_direction: Option<f64>,
    /// σ² × per_unit_variance (eigenvalues) or σ² × mean_per_direction (interval).
    pub floor: Option<f64>,
    /// E f − f* = ½σ² Σ λᵢ Vᵢ over the eigenvalues (interval: ½σ² × the mean of λV).
    pub excess_loss: Option<f64>,
    /// The curvature with the largest variance.
    pub largest: Option<CurvatureVariance>,
    /// Variance per unit σ² at the listed curvatures (interval: its two ends).
    pub per_curvature: Vec<CurvatureVariance>,
    /// Flat directions (their variance grows without bound: a root at +1).
    pub random_walk_directions: usize,
    /// Saddles and listed curvatures the optimizer is unstable on.
    pub divergent_directions: usize,
    /// Schedule-free: the step N the variance is given at.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub horizon: Option<u64>,
    /// Lookahead: E‖x − x*‖²/σ² at the synchronisations (x = φ, the slow weights), summed
    /// (interval: the mean per direction).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub at_sync_per_unit_variance: Option<f64>,
    /// Schedule-free: lim Var(z)/σ² of the fast sequence z, lr²/(h′(2 − h′)) with h′ = lr·λ(1 − b1),
    /// summed (interval: the mean per direction).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub fast_iterate_per_unit_variance: Option<f64>,
}

/// One curvature's variances per unit σ² under an order-n optimizer ([`variance`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ZooVariance {
    /// The variance of the iterate [`ZooNoiseFloor::iterate`] names.
    pub variance: f64,
    /// Lookahead: at the synchronisations.
    pub at_sync: Option<f64>,
    /// Schedule-free: lim Var(z).
    pub fast_iterate: Option<f64>,
}

/// How one unit of gradient noise enters the state of step t (`None`: the asymptotic update) at
/// curvature λ: b = lr·w·g, where the exact update is A(h) = A(0) + h·g·cᵀ (cᵀs the point the
/// gradient is taken at: x, or schedule-free's y = (1 − b1)z + b1·x) and w = 1 + ρλ under SAM
/// (model `sam_same_batch`), else 1.
///
/// # Examples
///
/// ```
/// use momentum::Framework;
/// use momentum::setting::zoo::noise_input;
/// use momentum::zoo::{ZooMethod, ZooParams};
/// // AggMo with one velocity: w ← βw − lr·ξ, x ← x + w⁺, so x and w both receive −lr·ξ
/// let m = ZooMethod::new(Framework::Aggmo, &ZooParams { lr: 0.5, momenta: Some(vec![0.9]), ..Default::default() })?;
/// let b = noise_input(&m, None, 1.0);
/// assert!((b[0] + 0.5).abs() < 1e-15 && (b[1] + 0.5).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
pub fn noise_input(m: &ZooMethod, t: Option<u64>, lambda: f64) -> DVector<f64> {
    let n = m.state_dim();
    let mut c = DVector::zeros(n);
    let w = match *m.optimizer() {
        Optimizer::ScheduleFree { beta } => {
            (c[0], c[1]) = (1.0 - beta, beta);
            1.0
        }
        Optimizer::Sam { rho, .. } => {
            c[0] = 1.0;
            1.0 + rho * lambda
        }
        _ => {
            c[0] = 1.0;
            1.0
        }
    };
    // the update is affine in h: its difference between h₁ = lr·seen(λ₁) ≈ 1 and h = 0 is h₁·g·cᵀ
    let l1 = m.raw_curvature(1.0 / m.lr());
    let h1 = m.lr() * m.seen(l1);
    let d = m.transition(t, l1) - m.transition(t, 0.0);
    let g = d * &c / (h1 * c.dot(&c));
    g * (m.lr() * w)
}

fn unstable(lambda: f64, rate: f64) -> Error {
    Error::NoStationaryState {
        lambda: Some(lambda),
        spectral_radius: rate,
    }
}

/// The variance per unit σ² of an order-n optimizer's iterate at curvature λ under additive
/// gradient noise ([`noise_input`]): the discrete Lyapunov equation Σ = AΣAᵀ + bbᵀ of the
/// asymptotic update (AdEMAMix, AggMo, SAM; [`lyapunov_kronecker`]), its periodic form over a
/// Lookahead cycle ([`lyapunov_periodic`]; the mean over the cycle and the value at the
/// synchronisations), or for schedule-free the exact recursion Σ_t = A_tΣ_{t−1}A_tᵀ + bₜbₜᵀ from
/// Σ₀ = 0 up to [`NOISE_HORIZON`] (x, the average) with the limit of the fast sequence z.
///
/// # Examples
///
/// ```
/// use momentum::Framework;
/// use momentum::setting::zoo::variance;
/// use momentum::zoo::{ZooMethod, ZooParams};
/// // AggMo with one velocity is heavy ball: α²(1 + β)/((1 − β)h(2(1 + β) − h))
/// let (a, b) = (0.5, 0.5);
/// let m = ZooMethod::new(Framework::Aggmo, &ZooParams { lr: a, momenta: Some(vec![b]), ..Default::default() })?;
/// let v = variance(&m, 1.0)?.variance;
/// let want = a * a * (1.0 + b) / ((1.0 - b) * a * (2.0 * (1.0 + b) - a));
/// assert!((v - want).abs() < 1e-14 * want);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// λ not finite; an update (or Lookahead's monodromy, or schedule-free's fast mode) with a root
/// on or outside the unit circle ([`Error::NoStationaryState`]).
pub fn variance(m: &ZooMethod, lambda: f64) -> Result<ZooVariance> {
    crate::error::finite("lambda", lambda)?;
    let outer = |b: &DVector<f64>| b * b.transpose();
    let rate = || m.mode(lambda).map_or(f64::NAN, |md| md.spectral_radius);
    match *m.optimizer() {
        Optimizer::Lookahead { sync_period, .. } => {
            let steps: Vec<(DMatrix<f64>, DMatrix<f64>)> = (1..=sync_period as u64)
                .map(|t| {
                    let b = noise_input(m, Some(t), lambda);
                    (
                        m.transition(Some(t), lambda),
                        DMatrix::from_column_slice(b.len(), 1, b.as_slice()),
                    )
                })
                .collect();
            let s = lyapunov_periodic(&steps).map_err(|_| unstable(lambda, rate()))?;
            let mean = s.iter().map(|x| x[(0, 0)]).sum::<f64>() / s.len() as f64;
            Ok(ZooVariance {
                variance: mean,
                at_sync: Some(s[0][(0, 0)]),
                fast_iterate: None,
            })
        }
        Optimizer::ScheduleFree { beta } => {
            let hf = m.lr() * lambda * (1.0 - beta);
            if !(hf > 0.0 && hf < 2.0) {
                return Err(unstable(lambda, rate()));
            }
            // the 2×2 recursion in scalars (10⁴ steps per curvature, thousands of curvatures in
            // an interval's quadrature): z⁺ = a·z + q·x − lr·ξ, x⁺ = (1 − c)x + c·z⁺, c = 1/t
            let (lr, h) = (m.lr(), m.lr() * lambda);
            let (a, q) = (1.0 - h * (1.0 - beta), -h * beta);
            let (mut zz, mut zx, mut xx) = (0.0f64, 0.0f64, 0.0f64);
            for t in 1..=NOISE_HORIZON {
                let c = 1.0 / t as f64;
                // z⁺ = a z + q x − lr ξ
                let zz1 = a * a * zz + 2.0 * a * q * zx + q * q * xx + lr * lr;
                let zx0 = a * zx + q * xx; // Cov(z⁺, x) without the noise (ξ independent of x)
                // x⁺ = (1 − c)x + c z⁺
                let zx1 = (1.0 - c) * zx0 + c * zz1;
                let xx1 = (1.0 - c) * (1.0 - c) * xx + 2.0 * c * (1.0 - c) * zx0 + c * c * zz1;
                (zz, zx, xx) = (zz1, zx1, xx1);
            }
            Ok(ZooVariance {
                variance: xx,
                at_sync: None,
                fast_iterate: Some(m.lr() * m.lr() / (hf * (2.0 - hf))),
            })
        }
        _ => {
            let a = m.transition(None, lambda);
            let s = lyapunov_kronecker(&a, &outer(&noise_input(m, None, lambda)))
                .map_err(|_| unstable(lambda, rate()))?;
            Ok(ZooVariance {
                variance: s[(0, 0)],
                at_sync: None,
                fast_iterate: None,
            })
        }
    }
}

/// The noise floor of an order-n optimizer on the curvatures of an analysis: [`variance`]
/// summed over listed eigenvalues (or averaged over a uniform density on an interval), times
/// σ²; no floor when a direction is flat (a random walk), a saddle or unstable.
///
/// # Examples
///
/// ```
/// use momentum::setting::{Curvatures, zoo};
/// use momentum::zoo::{ZooMethod, ZooParams};
/// use momentum::{Framework, Precision, Spectrum};
/// let m = ZooMethod::new(Framework::Aggmo, &ZooParams { lr: 0.5, momenta: Some(vec![0.0]), ..Default::default() })?;
/// let c = Curvatures::split(Spectrum::eigenvalues(vec![1.0, 2.0])?, None, Precision::Float64, 0.0)?;
/// let f = zoo::noise_floor(&m, &c, 2.0)?;
/// // one velocity with β = 0 is gradient descent: α/(λ(2 − αλ)) per direction, times σ² = 4
/// assert!((f.floor.unwrap() - 4.0 * (1.0 / 3.0 + 0.25)).abs() < 1e-13);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// σ negative or not finite; an interval quadrature that does not converge.
pub fn noise_floor(m: &ZooMethod, c: &Curvatures, sigma: f64) -> Result<ZooNoiseFloor> {
    if !sigma.is_finite() || sigma < 0.0 {
        return Err(Error::OutOfRange {
            name: "noise",
            value: sigma,
            expected: "a standard deviation: finite and >= 0",
        });
    }
    let opt = m.optimizer();
    let s2 = sigma * sigma;
    let mut out = ZooNoiseFloor {
        sigma,
        model: if matches!(opt, Optimizer::Sam { .. }) {
            "sam_same_batch"
        } else {
            "one_gradient"
        },
        coordinates: if matches!(opt, Optimizer::Ademamix { .. }) {
            "preconditioned"
        } else {
            "parameters"
        },
        iterate: match opt {
            Optimizer::Lookahead { .. } => "cycle_mean",
            Optimizer::ScheduleFree { .. } => "at_horizon",
            _ => "stationary",
        },
        stationary: false,
        per_unit_variance: None,
        mean_per_direction: None,
        floor: None,
        excess_loss: None,
        largest: None,
        per_curvature: vec![],
        random_walk_directions: c.directions.as_ref().map_or(0, |d| d.flat),
        divergent_directions: c.directions.as_ref().map_or(0, |d| d.negative.len()),
        horizon: matches!(opt, Optimizer::ScheduleFree { .. }).then_some(NOISE_HORIZON),
        at_sync_per_unit_variance: None,
        fast_iterate_per_unit_variance: None,
    };
    let one = |l: f64| variance(m, l);
    let cv = |lambda: f64, v: &ZooVariance| CurvatureVariance {
        lambda,
        variance: v.variance,
    };
    let (total, mean, half_lv, sync, fast, largest, listed) = match &c.spectrum {
        Spectrum::Eigenvalues(eigs) => {
            let mut vs = Vec::with_capacity(eigs.len());
            for &l in eigs {
                match one(l) {
                    Ok(v) => vs.push(v),
                    Err(Error::NoStationaryState { .. }) => out.divergent_directions += 1,
                    Err(e) => return Err(e),
                }
            }
            if out.divergent_directions + out.random_walk_directions > 0 {
                return Ok(out);
            }
            let sum = |f: &dyn Fn(&ZooVariance) -> Option<f64>| -> Option<f64> {
                vs.iter().map(f).sum::<Option<f64>>()
            };
            let total: f64 = vs.iter().map(|v| v.variance).sum();
            let half_lv: f64 = eigs
                .iter()
                .zip(&vs)
                .map(|(l, v)| 0.5 * l * v.variance)
                .sum();
            let (k, _) = vs
                .iter()
                .enumerate()
                .fold((0, f64::NEG_INFINITY), |acc, (i, v)| {
                    if v.variance > acc.1 {
                        (i, v.variance)
                    } else {
                        acc
                    }
                });
            let n = eigs.len();
            let listed = eigs
                .iter()
                .zip(&vs)
                .enumerate()
                .filter(|(i, _)| n <= super::MAX_LISTED || *i == 0 || i + 1 == n)
                .map(|(_, (&l, v))| cv(l, v))
                .collect();
            (
                Some(total),
                total / n as f64,
                half_lv,
                sum(&|v| v.at_sync),
                sum(&|v| v.fast_iterate),
                cv(eigs[k], &vs[k]),
                listed,
            )
        }
        Spectrum::Interval { mu, l } => {
            let (a, b) = (*mu, *l);
            let (va, vb) = match (one(a), one(b)) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(Error::NoStationaryState { .. }), _)
                | (_, Err(Error::NoStationaryState { .. })) => {
                    return Ok(out);
                }
                (Err(e), _) | (_, Err(e)) => return Err(e),
            };
            let mean_of = |f: &dyn Fn(f64, &ZooVariance) -> f64| -> Result<f64> {
                interval_mean(&|x| one(x).map(|v| f(x, &v)), (a, b))
            };
            let mean = mean_of(&|_, v| v.variance)?;
            let half_lv = mean_of(&|x, v| 0.5 * x * v.variance)?;
            let sync = if va.at_sync.is_some() {
                Some(mean_of(&|_, v| v.at_sync.unwrap_or(f64::NAN))?)
            } else {
                None
            };
            let fast = if va.fast_iterate.is_some() {
                Some(mean_of(&|_, v| v.fast_iterate.unwrap_or(f64::NAN))?)
            } else {
                None
            };
            let largest = if va.variance >= vb.variance {
                cv(a, &va)
            } else {
                cv(b, &vb)
            };
            (
                None,
                mean,
                half_lv,
                sync,
                fast,
                largest,
                vec![cv(a, &va), cv(b, &vb)],
            )
        }
    };
    out.stationary = !matches!(opt, Optimizer::ScheduleFree { .. });
    out.per_unit_variance = total;
    out.mean_per_direction = Some(mean);
    out.floor = Some(s2 * total.unwrap_or(mean));
    out.excess_loss = Some(s2 * half_lv);
    out.largest = Some(largest);
    out.per_curvature = listed;
    out.at_sync_per_unit_variance = sync;
    out.fast_iterate_per_unit_variance = fast;
    Ok(out)
}
