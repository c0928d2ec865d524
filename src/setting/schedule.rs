//! A setting under a schedule: the one document `bound`/`analyze --lr-schedule`, Python and the
//! page print ([`analyze_schedule`]).

use super::{Curvatures, Setting, resolve_on};
use crate::error::{Error, Result};
use crate::schedule::{Periodic, Run, Schedule, StableScale};
use crate::spectrum::{Precision, Spectrum};

/// What the schedule was, echoed.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ScheduleSummary {
    /// Values per list (one period when periodic).
    pub length: usize,
    /// Repeated forever.
    pub periodic: bool,
    /// Smallest and largest lr used (the setting's constant lr when no lr list).
    pub lr_min: f64,
    /// Largest lr.
    pub lr_max: f64,
    /// Smallest and largest momentum used.
    pub momentum_min: f64,
    /// Largest momentum.
    pub momentum_max: f64,
    /// The run is longer than the lists and holds their last value.
    pub held_after: bool,
}

/// The finite horizon of a scheduled run: the worst |e_N/e₀| over the curvatures and the peak
/// transient, from the framework's own start.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ScheduleAnalysis {
    /// The convention the setting and schedule are written in.
    pub convention: crate::Framework,
    /// The method family at the setting's base values.
    pub family: &'static str,
    /// The schedule.
    pub schedule: ScheduleSummary,
    /// N.
    pub steps: usize,
    /// "interval" or "eigenvalues".
    pub over: &'static str,
    /// Smallest curvature analysed.
    pub mu: f64,
    /// Largest curvature analysed.
    #[cfg_attr(feature = "serde", serde(rename = "L"))]
    pub l: f64,
    /// max |e_N/e₀| over the curvatures (`None` beyond f64).
    pub worst_factor: Option<f64>,
    /// log₁₀ of it.
    pub worst_factor_log10: f64,
    /// A certified upper bound (Bernstein) of the maximum over an interval.
    pub worst_factor_bound: Option<f64>,
    /// A curvature attaining the worst factor.
    pub worst_lambda: f64,
    /// |e_N/e₀| at μ and at L: what checking the two ends would report.
    pub at_mu: f64,
    /// At L.
    #[cfg_attr(feature = "serde", serde(rename = "at_L"))]
    pub at_l: f64,
    /// The worst factor is at neither end (the endpoint theorem fails).
    pub interior: bool,
    /// max |e_t/e₀| over 1 ≤ t ≤ N and the curvatures.
    pub peak_factor: Option<f64>,
    /// log₁₀ of it.
    pub peak_factor_log10: f64,
    /// Where: the step …
    pub peak_step: usize,
    /// … and the curvature.
    pub peak_lambda: f64,
    /// worst_factor^{1/N}: the average contraction per step.
    pub effective_rate: f64,
    /// Curvatures sampled.
    pub samples: usize,
    /// The periodic analysis, for a periodic schedule.
    pub periodic: Option<PeriodicAnalysis>,
    /// How the inputs were read.
    pub notes: Vec<String>,
}

/// A periodic schedule's asymptotic verdict.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PeriodicAnalysis {
    /// The period p.
    pub period: usize,
    /// max over the curvatures of ρ(M)^{1/p}, M the monodromy of one period.
    pub spectral_radius: f64,
    /// spectral_radius < 1.
    pub stable: bool,
    /// A curvature attaining it.
    pub worst_lambda: f64,
    /// The scales of the lr period that stay stable.
    pub stable_scale: StableScale,
}

/// The base values a schedule replaces, filled from it where the setting leaves them out (a
/// positive lr for the framework's own checks; the first momentum): what every front end resolves
/// a scheduled setting with.
pub fn base_setting(setting: &Setting, schedule: &Schedule) -> Setting {
    let mut base = setting.clone();
    if let Some(v) = &schedule.lr
        && base.lr.is_none()
    {
        let peak = v.iter().copied().fold(0.0, f64::max);
        base.lr = Some(if peak > 0.0 { peak } else { 1.0 });
    }
    if base.momentum.is_none() {
        base.momentum = schedule.momentum_at(0);
    }
    base
}

fn fin(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The [`ScheduleAnalysis`] of `setting` under `schedule` on `full` (split into flat and saddle
/// directions as [`super::analyze_with`] does; the run covers the positive curvatures). The
/// setting's lr and momentum are the base values the schedule replaces; `steps` defaults to the
/// schedule's length.
///
/// # Examples
///
/// ```
/// use momentum::{Precision, Spectrum, setting::{Setting, schedule::analyze_schedule}, schedule::Schedule};
/// let s = Setting { lr: Some(1.0), momentum: Some(0.5), ..Setting::named("canonical", Some("hb"))? };
/// let a = analyze_schedule(&s, &Schedule::lr(vec![0.5, 2.5]).periodic(),
///     Spectrum::eigenvalues(vec![1.0])?, Precision::Float64, None, None)?;
/// let p = a.periodic.unwrap();
/// assert!(!p.stable && (p.spectral_radius - 1.3660254037844386).abs() < 1e-14);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`Run::new`] and [`Setting::resolve`] reject; no schedule list given; `steps` = 0.
pub fn analyze_schedule(
    setting: &Setting,
    schedule: &Schedule,
    full: Spectrum,
    precision: Precision,
    flat_tol: Option<f64>,
    steps: Option<usize>,
) -> Result<ScheduleAnalysis> {
    let Some(len) = schedule.len() else {
        return Err(Error::Usage(
            "no schedule given: an lr or momentum list".into(),
        ));
    };
    let base = base_setting(setting, schedule);
    let (r, c): (_, Curvatures) = resolve_on(&base, full, flat_tol, precision)?;
    let n = steps.unwrap_or(len);
    let run = Run::new(&r, schedule, n)?;
    let spectrum = &c.spectrum;
    let h = run.worst(spectrum)?;
    let (mu, l) = spectrum.bounds();
    let over = match spectrum {
        Spectrum::Interval { .. } => "interval",
        Spectrum::Eigenvalues(_) => "eigenvalues",
    };
    let params = r.params.expect("Run::new accepted the setting");
    let lrs: Vec<f64> = (0..len)
        .map(|t| schedule.lr_at(t).unwrap_or(params.lr))
        .collect();
    let default_m = if r.framework.is_preconditioned() && r.framework != crate::Framework::RmsProp {
        0.9
    } else {
        0.0
    };
    let ms: Vec<f64> = (0..len)
        .map(|t| {
            schedule
                .momentum_at(t)
                .or(params.momentum)
                .unwrap_or(default_m)
        })
        .collect();
    let lo = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ends = h.at_ends;
    let interior = over == "interval"
        && h.worst_factor_log10 > h.at_ends_log10[0].max(h.at_ends_log10[1]) + 1e-9;
    let periodic = if schedule.periodic {
        let p: Periodic = run.periodic()?;
        let w = p.worst(spectrum)?;
        let scale = Periodic::stable_scale(&r, schedule, spectrum)?;
        Some(PeriodicAnalysis {
            period: p.period(),
            spectral_radius: w.rate,
            stable: w.stable,
            worst_lambda: w.worst_lambda,
            stable_scale: scale,
        })
    } else {
        None
    };
    let mut notes = r.converted.notes.clone();
    notes.extend(c.notes.iter().cloned());
    notes.push(format!(
        "each step follows {}'s own update lines at that step's lr and momentum, from zero buffers; with a varying lr the conventions are different methods",
        r.framework
    ));
    if n > len && !schedule.periodic {
        notes.push(format!(
            "the run ({n} steps) is longer than the schedule ({len} values): the last value is held"
        ));
    }
    Ok(ScheduleAnalysis {
        convention: r.framework,
        family: r.converted.method.name(),
        schedule: ScheduleSummary {
            length: len,
            periodic: schedule.periodic,
            lr_min: lo(&lrs),
            lr_max: hi(&lrs),
            momentum_min: lo(&ms),
            momentum_max: hi(&ms),
            held_after: n > len && !schedule.periodic,
        },
        steps: n,
        over,
        mu,
        l,
        worst_factor: fin(h.worst_factor),
        worst_factor_log10: h.worst_factor_log10,
        worst_factor_bound: fin(h.worst_factor_bound),
        worst_lambda: h.worst_lambda,
        at_mu: ends[0],
        at_l: ends[1],
        interior,
        peak_factor: fin(h.peak.factor),
        peak_factor_log10: h.peak.factor_log10,
        peak_step: h.peak.step,
        peak_lambda: h.peak.lambda,
        effective_rate: match fin(h.worst_factor) {
            Some(w) => w.powf(1.0 / n as f64),
            None => (h.worst_factor_log10 / n as f64 * std::f64::consts::LN_10).exp(),
        },
        samples: h.samples,
        periodic,
        notes,
    })
}

/// The mean square of a scheduled run under minibatch sampling ([`schedule_minibatch`]).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ScheduledMinibatch {
    /// The batch size B.
    pub batch: u64,
    /// The data model ("gaussian": features a ~ N(0, H), H's eigenvalues the data's).
    pub data: &'static str,
    /// The number of covariance eigenvalues (the data's dimension).
    pub dim: usize,
    /// The label noise σ (it adds to E‖x_N − x*‖² a term the factor leaves out).
    pub label_noise: f64,
    /// Steps run.
    pub steps: usize,
    /// E‖x_N − x*‖²/E‖x₀ − x*‖² from the framework's start with an isotropic x₀, no label noise.
    pub mean_square_factor: f64,
    /// The same at the full batch (the mean over directions of the squared factors).
    pub full_batch_mean_square_factor: f64,
}

/// E‖x_N‖² of `setting` under `schedule` with minibatch gradients on `data`
/// ([`crate::minibatch::Gaussian::mean_square_factor_run`]), the setting resolved on the data's
/// eigenvalues as [`analyze_schedule`] resolves it; `steps` defaults to the schedule's length.
///
/// # Examples
///
/// ```
/// use momentum::{Precision, minibatch::{Batch, Gaussian}, schedule::Schedule};
/// use momentum::setting::{Setting, schedule::schedule_minibatch};
/// let s = Setting { momentum: Some(0.0), ..Setting::named("canonical", Some("gd"))? };
/// let data = Gaussian::eigenvalues(vec![1.0], Batch::new(1)?, 0.0)?;
/// let m = schedule_minibatch(&s, &Schedule::lr(vec![0.25, 0.5]), &data, Precision::Float64, None)?;
/// // E x² per step × (1 − 2h + 3h²): 0.6875 then 0.75
/// assert!((m.mean_square_factor - 0.6875 * 0.75).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`analyze_schedule`] rejects; the full batch as `data`'s batch (nothing is sampled).
pub fn schedule_minibatch(
    setting: &Setting,
    schedule: &Schedule,
    data: &crate::minibatch::Gaussian,
    precision: Precision,
    steps: Option<usize>,
) -> Result<ScheduledMinibatch> {
    use crate::minibatch::Batch;
    let Some(len) = schedule.len() else {
        return Err(Error::Usage(
            "no schedule given: an lr or momentum list".into(),
        ));
    };
    let Batch::Size(b) = data.batch() else {
        return Err(Error::Usage(
            "the minibatch model needs a batch size".into(),
        ));
    };
    let base = base_setting(setting, schedule);
    let spectrum = Spectrum::eigenvalues(data.listed().to_vec())?;
    let (r, _): (_, Curvatures) = resolve_on(&base, spectrum, None, precision)?;
    let n = steps.unwrap_or(len);
    let run = Run::new(&r, schedule, n)?;
    Ok(ScheduledMinibatch {
        batch: b,
        data: "gaussian",
        dim: data.dim(),
        label_noise: data.label_noise(),
        steps: n,
        mean_square_factor: data.mean_square_factor_run(&run)?,
        full_batch_mean_square_factor: data
            .with_batch(Batch::Full)?
            .mean_square_factor_run(&run)?,
    })
}

/// Steps applied in any order: the joint spectral radius of a schedule's distinct steps.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SwitchingAnalysis {
    /// The convention.
    pub convention: crate::Framework,
    /// Distinct steps switched among.
    pub distinct_steps: usize,
    /// Curvatures the bounds were taken over ("eigenvalues", or "sampled" on an interval: 65
    /// Chebyshev points, not a certificate between them).
    pub over: &'static str,
    /// max over the curvatures of the lower bound (products of the steps).
    pub lower: f64,
    /// The word (indices into the distinct steps) attaining it.
    pub lower_word: Vec<usize>,
    /// max over the curvatures of the upper bound (a common quadratic Lyapunov norm over
    /// products).
    pub upper: f64,
    /// A curvature attaining the upper bound.
    pub worst_lambda: f64,
    /// upper < 1: stable under every order.
    pub stable_under_any_order: bool,
    /// lower ≥ 1: some order diverges.
    pub unstable_order_exists: bool,
    /// The bounds meet (upper − lower ≤ 1e-9·upper).
    pub tight: bool,
}

/// The schedule's distinct steps as a set applied in any order (bounds of the joint spectral
/// radius, [`crate::schedule::switching::bounds`]) at every listed eigenvalue, or at 65
/// Chebyshev points of an interval.
///
/// # Examples
///
/// ```
/// use momentum::{Precision, Spectrum, setting::{Setting, schedule::analyze_switching}, schedule::Schedule};
/// let s = Setting { lr: Some(1.0), momentum: Some(0.5), ..Setting::named("canonical", Some("hb"))? };
/// let a = analyze_switching(&s, &Schedule::lr(vec![0.5, 2.5]), Spectrum::eigenvalues(vec![1.0])?,
///     Precision::Float64, None)?;
/// assert!(a.unstable_order_exists && (a.lower - 1.3660254037844386).abs() < 1e-12);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`analyze_schedule`]; more than 16 distinct steps.
pub fn analyze_switching(
    setting: &Setting,
    schedule: &Schedule,
    full: Spectrum,
    precision: Precision,
    flat_tol: Option<f64>,
) -> Result<SwitchingAnalysis> {
    let Some(len) = schedule.len() else {
        return Err(Error::Usage(
            "no schedule given: an lr or momentum list".into(),
        ));
    };
    let base = base_setting(setting, schedule);
    let (r, c) = resolve_on(&base, full, flat_tol, precision)?;
    let periodic = Schedule {
        periodic: true,
        ..schedule.clone()
    };
    let run = Run::new(&r, &periodic, len)?;
    let p = run.periodic()?;
    let mut distinct: Vec<crate::schedule::Step> = vec![];
    for st in p.steps() {
        if !distinct.contains(st) {
            distinct.push(*st);
        }
    }
    let (lams, over) = match &c.spectrum {
        Spectrum::Eigenvalues(v) => (v.clone(), "eigenvalues"),
        Spectrum::Interval { mu, l } => (
            (0..=64)
                .map(|j| {
                    0.5 * (mu + l) + 0.5 * (l - mu) * (std::f64::consts::PI * j as f64 / 64.0).cos()
                })
                .collect(),
            "sampled",
        ),
    };
    let (mut lower, mut word, mut upper, mut at) = (0.0f64, vec![], 0.0f64, lams[0]);
    for &lam in &lams {
        let mats: Vec<_> = distinct.iter().map(|s| s.at(lam)).collect();
        let b = crate::schedule::switching::bounds(&mats)?;
        if b.lower > lower {
            lower = b.lower;
            word = b.lower_word.clone();
        }
        if b.upper > upper {
            upper = b.upper;
            at = lam;
        }
    }
    Ok(SwitchingAnalysis {
        convention: r.framework,
        distinct_steps: distinct.len(),
        over,
        lower,
        lower_word: word,
        upper,
        worst_lambda: at,
        stable_under_any_order: upper < 1.0,
        unstable_order_exists: lower >= 1.0,
        tight: upper - lower <= 1e-9 * upper,
    })
}

/// The worst |e_t/e₀| over the curvatures for t = 1 … N (log₁₀), as [`analyze_schedule`]
/// resolves the setting ([`Run::envelope`]: the Chebyshev-angle samples of an interval, within
/// the certified slack below the true maximum).
///
/// # Errors
///
/// As [`analyze_schedule`].
pub fn schedule_envelope(
    setting: &Setting,
    schedule: &Schedule,
    full: Spectrum,
    precision: Precision,
    flat_tol: Option<f64>,
    steps: Option<usize>,
) -> Result<Vec<f64>> {
    let Some(len) = schedule.len() else {
        return Err(Error::Usage(
            "no schedule given: an lr or momentum list".into(),
        ));
    };
    let base = base_setting(setting, schedule);
    let (r, c) = resolve_on(&base, full, flat_tol, precision)?;
    let run = Run::new(&r, schedule, steps.unwrap_or(len))?;
    Ok(run
        .envelope(&c.spectrum)?
        .into_iter()
        .map(|(v, _)| v)
        .collect())
}

/// `analyze --periodic`'s document: the asymptotic verdict of a periodic schedule on top
/// (`spectral_radius` = max over the curvatures of ρ(M)^{1/p}, `stable`, `worst_lambda`), the
/// finite horizon of the first N steps under `horizon`.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PeriodicDocument {
    /// The convention.
    pub convention: crate::Framework,
    /// The method family at the base values.
    pub family: &'static str,
    /// The schedule (one period).
    pub schedule: ScheduleSummary,
    /// "interval" or "eigenvalues".
    pub over: &'static str,
    /// Smallest curvature analysed.
    pub mu: f64,
    /// Largest curvature analysed.
    #[cfg_attr(feature = "serde", serde(rename = "L"))]
    pub l: f64,
    /// The period p.
    pub period: usize,
    /// max over the curvatures of ρ(M)^{1/p}: the per-step rate.
    pub spectral_radius: f64,
    /// spectral_radius < 1.
    pub stable: bool,
    /// A curvature attaining it.
    pub worst_lambda: f64,
    /// The lr scales of the period that stay stable.
    pub stable_scale: StableScale,
    /// The finite horizon of the first N steps (its `periodic` is null here).
    pub horizon: ScheduleAnalysis,
    /// How the inputs were read.
    pub notes: Vec<String>,
}

impl ScheduleAnalysis {
    /// The periodic verdict on top, this finite horizon under it (`None` unless periodic).
    pub fn periodic_document(&self) -> Option<PeriodicDocument> {
        let p = self.periodic.clone()?;
        let mut horizon = self.clone();
        horizon.periodic = None;
        let notes = std::mem::take(&mut horizon.notes);
        Some(PeriodicDocument {
            convention: self.convention,
            family: self.family,
            schedule: self.schedule.clone(),
            over: self.over,
            mu: self.mu,
            l: self.l,
            period: p.period,
            spectral_radius: p.spectral_radius,
            stable: p.stable,
            worst_lambda: p.worst_lambda,
            stable_scale: p.stable_scale,
            horizon,
            notes,
        })
    }
}
