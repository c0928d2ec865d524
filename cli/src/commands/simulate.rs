//! `momentum simulate`: run a method on a quadratic and compare with the predicted rate.

use super::args::{MethodArgs, SpectrumArgs, finite_f64};
use super::common::{CliError, CliResult};
use super::format::{exact, num, rate};
use crate::plot::tuned::{LinePlot, Series, Style};
use clap::{Args, ValueEnum};
use momentum::Spectrum;
use momentum::bounds;
use momentum::simulate::{self, Ending, Options, Quadratic, Start, Trajectory};
use plotters::style::RGBColor;
use serde::Serialize;
use std::path::PathBuf;

/// Starting points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StartName {
    /// every eigen-direction equally excited
    Ones,
    /// a seeded Gaussian vector
    Gaussian,
}

/// Arguments of `momentum simulate`.
#[derive(Args, Debug)]
pub struct SimulateArgs {
    #[command(flatten)]
    m: MethodArgs,
    #[command(flatten)]
    spectrum: SpectrumArgs,
    /// Number of eigenvalues spread evenly over [mu, L] (with --mu/--L; ends included) [default: 100].
    #[arg(long, value_name = "N")]
    dim: Option<usize>,
    /// A dense Hessian in a seeded random orthogonal basis instead of a diagonal one (dim <= 2048).
    #[arg(long)]
    dense: bool,
    /// Iterations N (with a schedule: default its length).
    #[arg(long, value_name = "N")]
    steps: Option<usize>,
    #[command(flatten)]
    schedule: super::schedule::ScheduleArgs,
    /// Standard deviation of additive Gaussian gradient noise.
    #[arg(long, value_name = "SIGMA", value_parser = finite_f64, allow_hyphen_values = true, default_value_t = 0.0)]
    noise: f64,
    /// Seed of the noise, the Gaussian start and the random basis.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Starting point (normalised to |e_0| = 1), with x_-1 = x_0.
    #[arg(long, value_enum, default_value = "ones")]
    start: StartName,
    /// Write k, |e_k|, f(x_k) - f* as CSV.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Draw |e_k| against k with the predicted envelopes (.png or .svg).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// One JSON document on stdout instead of a table.
    #[arg(long)]
    json: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    pre: super::noisy::PrecondArgs,
    #[command(flatten)]
    batch: super::minibatch::BatchArgs,
}

#[derive(Serialize)]
struct SimJson {
    /// The version of the JSON contract (docs/json.md).
    schema: &'static str,
    method: &'static str,
    step: f64,
    momentum: f64,
    lookahead: f64,
    dim: usize,
    dense: bool,
    steps: usize,
    steps_taken: usize,
    ending: Ending,
    noise: f64,
    seed: u64,
    initial_error: f64,
    final_error: f64,
    final_excess: f64,
    /// Read off the tail (Trajectory::empirical_rate); meaningless once noise sets a floor.
    empirical_rate: Option<f64>,
    /// Worst spectral radius over the simulated eigenvalues.
    predicted_rate: f64,
    /// "rest" (x_{-1} = x_0) or "framework" (the framework's own first step, zero buffers).
    start_from: &'static str,
    /// e_1 = (a0 − a1·λ) e_0: the run's first step.
    first_step: bounds::FirstStep,
    /// Exact worst |e_N|/|e_0| over the simulated eigenvalues (noise-free bound), from the same
    /// start as the run (rest, or the framework's own first step).
    worst_factor: Option<f64>,
    /// With --noise: mean |e_k|^2 over the second half of the run (the measured noise floor).
    #[serde(skip_serializing_if = "Option::is_none")]
    measured_variance: Option<f64>,
    /// With --noise: the stationary E|e|^2 predicted by the Lyapunov closed form (null if unstable).
    #[serde(skip_serializing_if = "Option::is_none")]
    predicted_variance: Option<Option<f64>>,
    notes: Vec<String>,
}

pub fn run(a: &SimulateArgs) -> CliResult<()> {
    if momentum::Framework::from(a.m.convention).is_linear() {
        return run_linear(a);
    }
    // the extension first: a refused --out must not leave an empty file behind
    if let Some(p) = &a.out {
        super::common::check_extension(p)?;
    }
    for p in [&a.csv, &a.out].into_iter().flatten() {
        super::common::check_writable(p)?;
    }
    if a.spectrum.flat_tol.is_some() {
        return Err(CliError::Usage(
            "--flat-tol sets directions apart for analyze, bound and map; simulate runs the Hessian as given (flat directions stay put, saddles grow)".into(),
        ));
    }
    if a.schedule.given() {
        if a.batch.one()?.is_some() {
            return Err(CliError::Usage("a schedule is analysed without --batch (the minibatch model takes a constant setting)".into()));
        }
        if a.noise != 0.0 || a.pre.preconditioner.is_some() || a.csv.is_some() || a.out.is_some() {
            return Err(CliError::Usage(
                "a scheduled simulation takes no --noise, preconditioner, --csv or --out".into(),
            ));
        }
        let opts = super::schedule::SimOptions {
            dim: a.dim,
            dense: a.dense,
            seed: a.seed,
            gaussian: matches!(a.start, StartName::Gaussian),
        };
        return super::schedule::simulate(&a.m, &a.spectrum, &a.schedule, a.steps, opts, a.json);
    }
    let Some(steps) = a.steps else {
        return Err(CliError::Usage("--steps is required".into()));
    };
    let spectrum = match a.pre.spectrum(&a.spectrum, a.m.convention.into())? {
        Some((s, _)) => s,
        None => a.spectrum.spectrum()?,
    };
    let resolved = a.m.resolve(&spectrum)?;
    let rec = resolved.converted.recurrence;
    let problem = match (&spectrum, a.dim) {
        (Spectrum::Interval { mu, l }, dim) => Quadratic::interval(*mu, *l, dim.unwrap_or(100))?,
        (Spectrum::Eigenvalues(v), None) => Quadratic::diagonal(v.clone())?,
        (Spectrum::Eigenvalues(v), Some(_)) => {
            return Err(CliError::Usage(format!(
                "--dim spreads eigenvalues over --mu/--L; the listed spectrum fixes the dimension ({} eigenvalues): drop --dim",
                v.len()
            )));
        }
    };
    let batch = match a.batch.one()? {
        Some(b) => {
            let other = (a.noise != 0.0).then_some("--noise").or(a
                .pre
                .preconditioner
                .is_some()
                .then_some("--preconditioner"));
            super::minibatch::check_setting(&resolved, other)?;
            let listed = Spectrum::eigenvalues(problem.eigenvalues().to_vec())?;
            let data = a.batch.data(&listed, b)?;
            let sim = super::minibatch::simulate(&a.batch, &rec, &data, steps, a.seed)?;
            let block = super::minibatch::block(&resolved, &spectrum, &data, Some(steps as u64))?;
            Some(block.with_simulation(sim))
        }
        None => None,
    };
    let problem = if a.dense {
        problem.rotated(a.seed)?
    } else {
        problem
    };
    let options = Options {
        steps,
        noise: a.noise,
        seed: a.seed,
        start: match a.start {
            StartName::Ones => Start::Ones,
            StartName::Gaussian => Start::Gaussian,
        },
        record_excess: true,
    };
    let work = (steps as u64).saturating_mul(if a.dense {
        (problem.dim() as u64).pow(2)
    } else {
        problem.dim() as u64
    });
    let bar = (work >= 200_000_000)
        .then(|| super::common::progress_bar(steps as u64, "simulating", a.quiet || a.json))
        .flatten();
    let tick = |k: u64| {
        if let Some(b) = &bar {
            b.inc(k);
        }
    };
    let progress: Option<momentum::map::Progress> = bar.as_ref().map(|_| &tick as _);
    // a framework starts its own way (PyTorch's undampened first step, ...)
    let first = resolved.first_step()?;
    // QHM's update mixes two gradients, so one noise sample enters two steps (as analyze models it)
    let input = momentum::noise::NoiseInput::for_converted(&resolved.converted);
    let tr = if input.previous != 0.0 {
        simulate::run_noisy(&rec, first, input, &problem, &options, progress)?
    } else {
        simulate::run_from(&rec, first, &problem, &options, progress)?
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let predicted = Spectrum::eigenvalues(problem.eigenvalues().to_vec())?
        .worst_case(&rec)?
        .spectral_radius();
    let mut notes = resolved.converted.notes.clone();
    if a.noise > 0.0 {
        notes.push(
            "with noise the error settles at a noise floor; the empirical rate then measures the floor, not the method".into(),
        );
    }
    match tr.ending {
        Ending::Underflow => notes.push(format!(
            "stopped after {} steps: |e| fell below {:e}, where f64 no longer tracks it",
            tr.steps_taken(),
            simulate::UNDERFLOW_FLOOR
        )),
        Ending::Diverged => notes.push(format!(
            "stopped after {} steps: |e| exceeded {:e} (diverging)",
            tr.steps_taken(),
            simulate::OVERFLOW_CEILING
        )),
        Ending::Completed => {}
    }
    if let Some(f) = first {
        notes.push(format!(
            "started as {} starts (zero buffers): e_1 = ({} - {} lambda) e_0, then the recurrence",
            resolved.framework, f.a0, f.a1
        ));
    }
    let worst_factor = worst_over(&rec, first, problem.eigenvalues(), tr.steps_taken() as u64);
    let (measured_variance, predicted_variance) = if a.noise > 0.0 {
        let tail = &tr.error[tr.error.len() / 2..];
        let measured = tail.iter().map(|e| e * e).sum::<f64>() / tail.len() as f64;
        let predicted = momentum::noise::floor(
            &rec,
            input,
            &Spectrum::eigenvalues(problem.eigenvalues().to_vec())?,
        )
        .ok()
        .and_then(|f| f.total)
        .map(|t| a.noise * a.noise * t);
        notes.push(format!(
            "noise floor: measured mean |e|^2 over the last {} steps vs the stationary E|e|^2 of the Lyapunov closed form ({}); the average is over correlated steps, so expect a few percent on short runs",
            tail.len(),
            if input.previous != 0.0 {
                "two noisy gradients per update, weights p1 and q1 (QHM)"
            } else {
                "one noisy gradient per step, weight alpha = p1 - q1"
            }
        ));
        if a.pre.preconditioner.is_some() {
            notes.push("with --preconditioner the run and its noise floor are in the preconditioned coordinates y = P^1/2 x (analyze --noise gives the floor in the parameters' coordinates)".into());
        }
        (Some(measured), Some(predicted))
    } else {
        (None, None)
    };
    let m = resolved.converted.method;
    let out = SimJson {
        schema: super::common::SCHEMA,
        method: m.name(),
        step: m.step(),
        momentum: m.momentum(),
        lookahead: m.lookahead(),
        dim: problem.dim(),
        dense: a.dense,
        steps,
        steps_taken: tr.steps_taken(),
        ending: tr.ending,
        noise: a.noise,
        seed: a.seed,
        initial_error: tr.error[0],
        final_error: tr.final_error(),
        final_excess: tr.excess.last().copied().unwrap_or(f64::NAN),
        empirical_rate: tr.empirical_rate(),
        predicted_rate: predicted,
        start_from: if first.is_some() { "framework" } else { "rest" },
        first_step: first.unwrap_or_else(|| bounds::FirstStep::from_rest(&rec)),
        worst_factor,
        measured_variance,
        predicted_variance,
        notes,
    };
    if let Some(p) = &a.csv {
        write_csv(p, &tr)?;
    }
    if let Some(p) = &a.out {
        figure(p, &tr, &out, &rec, first, problem.eigenvalues())?;
    }
    if a.json {
        return super::minibatch::print_json(&out, batch);
    }
    println!(
        "{} (step {}, momentum {}, lookahead {}) on {} eigenvalues in [{}, {}]{}, {} steps from rest",
        out.method,
        exact(out.step),
        exact(out.momentum),
        exact(out.lookahead),
        out.dim,
        num(spectrum.bounds().0),
        num(spectrum.bounds().1),
        if a.dense {
            ", dense rotated Hessian"
        } else {
            ""
        },
        out.steps_taken
    );
    println!(
        "final |e|/|e_0| = {}   f - f* = {}",
        num(out.final_error),
        num(out.final_excess)
    );
    if let Some(w) = out.worst_factor {
        println!(
            "exact worst case over these eigenvalues after {} steps: {}",
            out.steps_taken,
            num(w)
        );
    }
    println!(
        "empirical rate {}   predicted (spectral radius) {}",
        out.empirical_rate.map(num).unwrap_or_else(|| "-".into()),
        rate(out.predicted_rate)
    );
    if let Some(m) = out.measured_variance {
        println!(
            "noise floor: measured mean |e|^2 {}   predicted stationary E|e|^2 {}",
            num(m),
            out.predicted_variance
                .flatten()
                .map(num)
                .unwrap_or_else(|| "none (unstable)".into())
        );
    }
    for n in &out.notes {
        println!("note: {n}");
    }
    if let Some(b) = &batch {
        super::minibatch::print_table(b);
    }
    Ok(())
}

/// max over the eigenvalues of |P_N(λ)|, when it fits in f64.
fn worst_over(
    rec: &momentum::Recurrence,
    first: Option<bounds::FirstStep>,
    eig: &[f64],
    n: u64,
) -> Option<f64> {
    if n == 0 {
        return Some(1.0);
    }
    let s = Spectrum::eigenvalues(eig.to_vec()).ok()?;
    let w = match first {
        Some(f) => bounds::finite_horizon_from(rec, f, &s, n),
        None => bounds::finite_horizon(rec, &s, n),
    };
    w.ok().map(|w| w.worst_factor)
}

fn write_csv(path: &std::path::Path, tr: &Trajectory) -> CliResult<()> {
    let io = |e: csv::Error| CliError::Io(format!("writing {}: {e}", path.display()));
    let mut w = csv::Writer::from_path(path).map_err(io)?;
    w.write_record(["k", "error", "excess"]).map_err(io)?;
    for (k, e) in tr.error.iter().enumerate() {
        let f = tr.excess.get(k).copied().unwrap_or(f64::NAN);
        w.write_record([k.to_string(), format!("{e:e}"), format!("{f:e}")])
            .map_err(io)?;
    }
    w.flush()
        .map_err(|e| CliError::Io(format!("writing {}: {e}", path.display())))
}

fn figure(
    path: &std::path::Path,
    tr: &Trajectory,
    s: &SimJson,
    rec: &momentum::Recurrence,
    first: Option<bounds::FirstStep>,
    eig: &[f64],
) -> CliResult<()> {
    let n = tr.steps_taken();
    let pts: Vec<(f64, f64)> = tr
        .error
        .iter()
        .enumerate()
        .filter(|(_, e)| **e > 0.0)
        .map(|(k, &e)| (k as f64, e))
        .collect();
    // the exact worst case over the simulated eigenvalues at up to 200 horizons (cost bounded)
    let mut bound = vec![(0.0, 1.0)];
    if eig.len() as u64 * 200 <= 50_000_000 {
        for i in 1..=200usize {
            let k = (n * i).div_ceil(200).max(1);
            if let Some(w) = worst_over(rec, first, eig, k as u64) {
                bound.push((k as f64, w));
            }
        }
    }
    let rho = s.predicted_rate;
    let asym: Vec<(f64, f64)> = (0..=200)
        .map(|i| {
            let k = n as f64 * i as f64 / 200.0;
            (k, rho.powf(k))
        })
        .collect();
    let all = pts.iter().chain(&bound).chain(&asym).map(|p| p.1);
    let (lo, hi) = all.fold((f64::INFINITY, 0.0f64), |(a, b), y| {
        if y > 0.0 && y.is_finite() {
            (a.min(y), b.max(y))
        } else {
            (a, b)
        }
    });
    let lo = 10f64.powf(lo.max(1e-300).log10().floor());
    let hi = 10f64.powf(hi.log10().ceil().max(lo.log10() + 1.0));
    let plot = LinePlot {
        title: format!(
            "{} (α = {}, β = {}), {} eigenvalues{}",
            s.method,
            num(s.step),
            num(s.momentum),
            s.dim,
            if s.noise > 0.0 {
                format!(", noise σ = {}", num(s.noise))
            } else {
                String::new()
            }
        ),
        x_label: "iteration  k".into(),
        y_label: "error  ‖x_k − x*‖ / ‖x_0 − x*‖".into(),
        x_log: false,
        y_log: true,
        x_range: (0.0, n.max(1) as f64),
        y_range: (lo, hi),
        series: vec![
            Series {
                label: "simulated".into(),
                points: pts,
                colour: RGBColor(31, 119, 180),
                style: Style::Line,
            },
            Series {
                label: "exact worst case over these eigenvalues, max |P_k(λ)|".into(),
                points: bound,
                colour: RGBColor(214, 39, 40),
                style: Style::Dashed,
            },
            Series {
                label: format!("ρ^k, ρ = {}", num(rho)),
                points: asym,
                colour: RGBColor(0, 0, 0),
                style: Style::Dotted,
            },
        ],
        vlines: vec![],
        legend_upper: true,
    };
    plot.save(path).map_err(CliError::Value)
}

/// The order-n optimizers: the exact update on the diagonal quadratic of the listed curvatures.
fn run_linear(a: &SimulateArgs) -> CliResult<()> {
    if a.batch.one()?.is_some()
        || a.noise != 0.0
        || a.pre.preconditioner.is_some()
        || a.csv.is_some()
        || a.out.is_some()
        || a.dim.is_some()
        || a.dense
        || !matches!(a.start, StartName::Ones)
    {
        return Err(CliError::Usage(format!(
            "--convention {} is simulated on listed curvatures from x0 = 1 with --steps or a schedule (no --batch, --noise, preconditioner, --csv, --out, --dim, --dense or --start)",
            momentum::Framework::from(a.m.convention)
        )));
    }
    let (spectrum, _) = a.spectrum.full()?;
    let momentum::Spectrum::Eigenvalues(v) = spectrum else {
        return Err(CliError::Usage(
            "simulate runs listed curvatures (--lambda or --spectrum), not an interval".into(),
        ));
    };
    let steps = a.steps.map(|s| s as u64);
    let mut setting = a.m.setting();
    let (r, sources) = if a.schedule.given() {
        let (z, sources) = a
            .schedule
            .load_zoo(a.m.hyper.lr, a.m.hyper.momentum, steps)?;
        if z.schedule.lr.is_some() {
            setting.lr = None;
        }
        let r = momentum::setting::zoo::simulate_scheduled(&setting, &v, Some(&z), steps)?;
        (r, Some(sources))
    } else {
        let Some(steps) = steps else {
            return Err(CliError::Usage("--steps is required".into()));
        };
        (momentum::setting::zoo::simulate(&setting, &v, steps)?, None)
    };
    if a.json {
        let mut j = serde_json::to_value(&r)?;
        if let (Some(src), Some(s)) = (
            sources,
            j.get_mut("schedule").and_then(|s| s.as_object_mut()),
        ) {
            s.insert("source".into(), src);
        }
        println!("{}", serde_json::to_string_pretty(&j)?);
    } else if !a.quiet {
        println!(
            "{} lr = {} on {} curvatures, {} steps: |x_N|/|x_0| = {}",
            r.convention,
            super::format::exact(r.lr),
            r.curvatures.len(),
            r.steps,
            super::format::num(r.final_ratio)
        );
        println!(
            "rate over the last half: {}{}",
            r.empirical_rate.map_or("—".into(), super::format::rate),
            r.spectral_radius.map_or(String::new(), |x| format!(
                "; asymptotic rate per step {}",
                super::format::rate(x)
            ))
        );
    }
    Ok(())
}
