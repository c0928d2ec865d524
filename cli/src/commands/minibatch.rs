//! `--batch B`, `--label-noise SIGMA`, `--data gaussian` on `analyze`, `bound`, `tune` and
//! `simulate`: the exact mean-square block of `momentum::minibatch` (least squares with Gaussian
//! features whose covariance has the given spectrum, B fresh samples per step).

use super::args::finite_f64;
use super::common::{CliError, CliResult};
use super::format::{num, rate};
use clap::{Args, ValueEnum};
use momentum::minibatch::{self, Batch, Gaussian};
use momentum::setting::Resolved;
use momentum::stability::StepInterval;
use momentum::{Framework, Recurrence, Spectrum};
use serde::Serialize;

/// The data model of `--batch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DataModel {
    /// least squares with features a ~ N(0, H), H = the spectrum (label noise ε ~ N(0, σ²))
    Gaussian,
}

/// `--batch`, `--label-noise`, `--data`, `--data-dim`, `--runs`, `--critical-speedup`.
#[derive(Args, Debug, Clone)]
pub struct BatchArgs {
    /// Minibatch size B ≥ 1: add the exact mean-square analysis of minibatch sampling
    /// (`minibatch` in the JSON). `tune` takes several (B B ...) and finds the critical batch size.
    #[arg(long, value_name = "B", num_args = 1..)]
    pub batch: Vec<String>,
    /// With --batch: label noise σ ≥ 0 (the stationary excess risk it leaves).
    #[arg(long = "label-noise", value_name = "SIGMA", value_parser = finite_f64, allow_hyphen_values = true)]
    pub label_noise: Option<f64>,
    /// With --batch: the data model (the only one now: Gaussian features, covariance = the spectrum).
    #[arg(long, value_enum, default_value = "gaussian")]
    pub data: DataModel,
    /// With --batch and an interval --mu/--L (or --kappa): the data's dimension d, eigenvalues
    /// evenly spread over [μ, L], ends included [default: 100].
    #[arg(long = "data-dim", value_name = "D")]
    pub data_dim: Option<usize>,
    /// `simulate --batch`: independent runs of real minibatch SGD averaged [default: 1000].
    #[arg(long, value_name = "R")]
    pub runs: Option<usize>,
    /// `tune --batch`: the speed-up in iterations of tuned momentum over tuned SGD that defines
    /// the critical batch size [default: 2].
    #[arg(long = "critical-speedup", value_name = "F", value_parser = finite_f64, allow_hyphen_values = true)]
    pub critical_speedup: Option<f64>,
}

/// The `minibatch` block of `analyze`, `bound` and `simulate`.
#[derive(Serialize, Debug)]
pub struct MinibatchJson {
    /// The batch size B.
    batch: u64,
    /// The data model: "gaussian".
    data: &'static str,
    /// The data's dimension n (covariance eigenvalues).
    dim: usize,
    /// "eigenvalues" (the listed spectrum) or "evenly_spread" (dim values over [mu, L]).
    covariance: &'static str,
    /// The label noise σ.
    label_noise: f64,
    /// Spectral radius of the second-moment operator: E|e_k|^2 shrinks like its k-th power
    /// (the full batch gives the square of the deterministic rate).
    mean_square_rate: f64,
    /// Mean-square stable (mean_square_rate < 1, decided exactly).
    stable: bool,
    /// The learning rates (the user's convention) stable in mean square at the held momentum;
    /// null when none.
    stable_lr: Option<StepInterval>,
    /// stable_lr.hi.
    largest_stable_lr: Option<f64>,
    /// The deterministic (full-batch) largest stable lr, for comparison.
    full_batch_largest_stable_lr: Option<f64>,
    /// With label noise and a stable setting: the stationary excess risk E[f - f*].
    #[serde(skip_serializing_if = "Option::is_none")]
    stationary_risk: Option<f64>,
    /// `bound --steps N`: E|e_N|^2/E|e_0|^2 from rest for an isotropic e_0, no label noise.
    #[serde(skip_serializing_if = "Option::is_none")]
    mean_square_factor: Option<f64>,
    /// `simulate --batch`: the Monte Carlo of real minibatch runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    simulation: Option<SimulationJson>,
}

/// `simulate --batch`: measured against exact.
#[derive(Serialize, Debug)]
pub struct SimulationJson {
    /// Runs averaged.
    runs: usize,
    /// Steps per run.
    steps: usize,
    /// Seed of the sampled data.
    seed: u64,
    /// Mean of |e_N|^2/n over the runs (e_0 ~ N(0, I), from rest, label noise included).
    measured_mean_square: f64,
    /// Its standard error.
    measured_std_error: f64,
    /// The exact E|e_N|^2/n of the moment recursion.
    exact_mean_square: f64,
}

impl BatchArgs {
    /// No --batch: the other flags of this group are refused (they would silently do nothing).
    fn check_unused(&self) -> CliResult<()> {
        if self.label_noise.is_some() || self.data_dim.is_some() || self.runs.is_some() {
            return Err(CliError::Usage(
                "--label-noise, --data-dim and --runs need --batch B".into(),
            ));
        }
        if self.critical_speedup.is_some() {
            return Err(CliError::Usage(
                "--critical-speedup needs --batch B ...".into(),
            ));
        }
        Ok(())
    }

    /// The batch sizes given (none without --batch): a usage error unless whole numbers; B = 0
    /// is the library's error.
    pub fn batches(&self) -> CliResult<Vec<Batch>> {
        if self.batch.is_empty() {
            self.check_unused()?;
        }
        self.batch
            .iter()
            .map(|s| {
                let b: u64 = s.trim().parse().map_err(|_| {
                    CliError::Usage(format!(
                        "--batch must be a whole number of samples >= 1, got '{s}'"
                    ))
                })?;
                Ok(Batch::new(b)?)
            })
            .collect()
    }

    /// One batch size at most (analyze, bound, simulate).
    pub fn one(&self) -> CliResult<Option<Batch>> {
        let b = self.batches()?;
        if b.len() > 1 {
            return Err(CliError::Usage(
                "several --batch sizes are for tune; give one here".into(),
            ));
        }
        if self.critical_speedup.is_some() {
            return Err(CliError::Usage(
                "--critical-speedup is for tune --batch B B ...".into(),
            ));
        }
        Ok(b.first().copied())
    }

    fn sigma(&self) -> CliResult<f64> {
        let s = self.label_noise.unwrap_or(0.0);
        if s < 0.0 {
            return Err(CliError::Usage(format!(
                "--label-noise is a standard deviation: it must be >= 0, got {s}"
            )));
        }
        Ok(s)
    }

    /// The Gaussian data on `spectrum` at batch `b`.
    pub fn data(&self, spectrum: &Spectrum, b: Batch) -> CliResult<Gaussian> {
        let sigma = self.sigma()?;
        if let (Spectrum::Eigenvalues(v), Some(_)) = (spectrum, self.data_dim) {
            return Err(CliError::Usage(format!(
                "--data-dim spreads eigenvalues over --mu/--L; the listed spectrum fixes the dimension ({} eigenvalues): drop --data-dim",
                v.len()
            )));
        }
        Ok(Gaussian::from_spectrum(spectrum, self.data_dim, b, sigma)?)
    }
}

/// Refuse what the model does not cover: QHM mixes the gradients of two steps, a delay or a
/// preconditioner changes what is sampled.
pub fn check_setting(resolved: &Resolved, other: Option<&str>) -> CliResult<()> {
    if resolved.framework == Framework::Qhm {
        return Err(CliError::Usage(
            "--batch models one fresh minibatch gradient per step; QHM mixes the gradients of two steps".into(),
        ));
    }
    if let Some(flag) = other {
        return Err(CliError::Usage(format!(
            "--batch does not combine with {flag}"
        )));
    }
    Ok(())
}

/// The block for a resolved setting on `data` (built from `spectrum`), with `bound --steps N`'s
/// factor when asked.
pub fn block(
    resolved: &Resolved,
    spectrum: &Spectrum,
    data: &Gaussian,
    steps: Option<u64>,
) -> CliResult<MinibatchJson> {
    let rec: Recurrence = resolved.converted.recurrence;
    let Batch::Size(b) = data.batch() else {
        return Err(CliError::Usage("--batch needs a size".into()));
    };
    let interval = data.stable_steps(|lr| resolved.at_lr(lr))?;
    let full = data
        .with_batch(Batch::Full)?
        .stable_steps(|lr| resolved.at_lr(lr))?;
    let stable = data.is_stable(&rec)?;
    let stationary_risk = if data.label_noise() > 0.0 && stable {
        Some(data.stationary_risk(&rec)?)
    } else {
        None
    };
    let mean_square_factor = match steps {
        Some(n) => Some(data.mean_square_factor(&rec, n as usize)?),
        None => None,
    };
    Ok(MinibatchJson {
        batch: b,
        data: "gaussian",
        dim: data.dim(),
        covariance: match spectrum {
            Spectrum::Interval { .. } => "evenly_spread",
            Spectrum::Eigenvalues(_) => "eigenvalues",
        },
        label_noise: data.label_noise(),
        mean_square_rate: data.rate(&rec)?,
        stable,
        stable_lr: interval,
        largest_stable_lr: interval.map(|i| i.hi),
        full_batch_largest_stable_lr: full.map(|i| i.hi),
        stationary_risk,
        mean_square_factor,
        simulation: None,
    })
}

/// The block of a command with one `--batch` (none without it): the setting resolved on
/// `spectrum`, the data built on it; `other` names a flag given that the model does not cover.
pub fn for_setting(
    args: &BatchArgs,
    setting: &momentum::setting::Setting,
    spectrum: &Spectrum,
    steps: Option<u64>,
    other: Option<&str>,
) -> CliResult<Option<MinibatchJson>> {
    let Some(b) = args.one()? else {
        return Ok(None);
    };
    if args.runs.is_some() {
        return Err(CliError::Usage("--runs is for simulate --batch".into()));
    }
    let resolved = setting.resolve(spectrum)?;
    check_setting(&resolved, other)?;
    let data = args.data(spectrum, b)?;
    Ok(Some(block(&resolved, spectrum, &data, steps)?))
}

/// `simulate --batch`: real minibatch runs beside the exact mean square.
pub fn simulate(
    args: &BatchArgs,
    rec: &Recurrence,
    data: &Gaussian,
    steps: usize,
    seed: u64,
) -> CliResult<SimulationJson> {
    let runs = args.runs.unwrap_or(1000);
    let s = minibatch::sample_mean_square(rec, data, steps, runs, seed)?;
    let exact = data.mean_square_factor(rec, steps)? + data.label_noise_after(rec, steps)?.0;
    Ok(SimulationJson {
        runs,
        steps,
        seed,
        measured_mean_square: s.mean,
        measured_std_error: s.std_error,
        exact_mean_square: exact,
    })
}

impl MinibatchJson {
    /// Attach a simulation.
    pub fn with_simulation(mut self, s: SimulationJson) -> Self {
        self.simulation = Some(s);
        self
    }
}

/// A command's JSON document with the `minibatch` block added (flattened, so the document's own
/// fields keep their order and the block comes last).
#[derive(Serialize)]
pub struct WithMinibatch<'a, T: Serialize, B: Serialize> {
    #[serde(flatten)]
    pub document: &'a T,
    pub minibatch: B,
}

/// Print `document` as JSON, with `minibatch` appended when there is one.
pub fn print_json<T: Serialize, B: Serialize>(document: &T, block: Option<B>) -> CliResult<()> {
    let text = match block {
        Some(minibatch) => serde_json::to_string_pretty(&WithMinibatch {
            document,
            minibatch,
        })?,
        None => serde_json::to_string_pretty(document)?,
    };
    println!("{text}");
    Ok(())
}

/// The table lines of the block.
pub fn print_table(m: &MinibatchJson) {
    println!();
    println!(
        "minibatch B = {} on Gaussian least squares ({} covariance eigenvalues{}): mean-square rate {} → {}",
        m.batch,
        m.dim,
        if m.label_noise > 0.0 {
            format!(", label noise σ = {}", num(m.label_noise))
        } else {
            String::new()
        },
        rate(m.mean_square_rate),
        if m.stable {
            "STABLE in mean square"
        } else {
            "UNSTABLE in mean square"
        }
    );
    match (m.stable_lr, m.full_batch_largest_stable_lr) {
        (Some(i), full) => println!(
            "mean-square stable learning rates at this momentum: {} < lr < {} (full batch: lr < {})",
            num(i.lo),
            num(i.hi),
            full.map(num).unwrap_or_else(|| "-".into())
        ),
        (None, _) => println!("no learning rate is stable in mean square at this momentum"),
    }
    if let Some(r) = m.stationary_risk {
        println!("stationary excess risk E[f - f*] = {}", num(r));
    }
    if let Some(f) = m.mean_square_factor {
        println!(
            "E|e_N|^2 / E|e_0|^2 (isotropic e_0, from rest) = {}",
            num(f)
        );
    }
    if let Some(s) = &m.simulation {
        println!(
            "real minibatch runs ({} runs, seed {}): mean |e_N|^2/n = {} ± {} (standard error); exact {}",
            s.runs,
            s.seed,
            num(s.measured_mean_square),
            num(s.measured_std_error),
            num(s.exact_mean_square)
        );
    }
}

/// `tune --batch B B ...`: tuned GD, heavy ball and Nesterov per B, and the critical batch size.
#[derive(Serialize, Debug)]
pub struct TuneBatchJson {
    /// The data model: "gaussian".
    data: &'static str,
    /// The data's dimension.
    dim: usize,
    /// The reduction of E|e|^2 the iterations are counted to.
    target: f64,
    /// Rows per batch size, the tunings in the canonical (α, β), and the critical batch size.
    #[serde(flatten)]
    result: minibatch::CriticalBatch,
}

/// Tune across the batch sizes of `args` on `spectrum`; the target is `epsilon` squared (the
/// error reduction ε of `tune --epsilon` is a reduction ε² of E|e|²), 1e-6 by default.
pub fn tune(
    args: &BatchArgs,
    spectrum: &Spectrum,
    epsilon: Option<f64>,
) -> CliResult<Option<TuneBatchJson>> {
    let batches = args.batches()?;
    if batches.is_empty() {
        return Ok(None);
    }
    if args.runs.is_some() {
        return Err(CliError::Usage("--runs is for simulate --batch".into()));
    }
    let sizes: Vec<u64> = batches
        .iter()
        .map(|b| match b {
            Batch::Size(s) => *s,
            Batch::Full => u64::MAX,
        })
        .collect();
    let data = args.data(spectrum, batches[0])?;
    let target = epsilon.map_or(1e-6, |e| e * e);
    let factor = args.critical_speedup.unwrap_or(2.0);
    let result = minibatch::critical_batch(&data, &sizes, target, factor)?;
    Ok(Some(TuneBatchJson {
        data: "gaussian",
        dim: data.dim(),
        target,
        result,
    }))
}

/// The table of `tune --batch`.
pub fn print_tune(t: &TuneBatchJson) {
    println!();
    println!(
        "minibatch on Gaussian least squares ({} dims): best (α, β) in mean square, iterations to reduce E|e|^2 by {}",
        t.dim,
        num(t.target)
    );
    println!(
        "{:>8}  {:>28}  {:>34}  {:>34}  {:>8}",
        "B",
        "gradient descent α (iters)",
        "heavy ball α, β (iters)",
        "Nesterov α, β (iters)",
        "speedup"
    );
    for r in &t.result.rows {
        let [g, h, n] = &r.tunings;
        println!(
            "{:>8}  {:>28}  {:>34}  {:>34}  {:>8}",
            r.batch.map_or("full".into(), |b| b.to_string()),
            format!("{} ({})", num(g.step), num(g.iterations.ceil())),
            format!(
                "{}, {} ({})",
                num(h.step),
                num(h.momentum),
                num(h.iterations.ceil())
            ),
            format!(
                "{}, {} ({})",
                num(n.step),
                num(n.momentum),
                num(n.iterations.ceil())
            ),
            num(r.speedup)
        );
    }
    match t.result.critical {
        Some(b) => println!(
            "critical batch size: {b} (from it on tuned momentum needs >= {}x fewer iterations than tuned SGD)",
            num(t.result.factor)
        ),
        None => println!(
            "no listed batch size where tuned momentum needs >= {}x fewer iterations than tuned SGD",
            num(t.result.factor)
        ),
    }
}

/// The figure `minibatch_edge`: heavy ball's largest mean-square stable step against the batch
/// size on Gaussian data with covariance eigenvalues 1/i, i = 1..100, for β = 0, 0.5, 0.9, 0.99,
/// each with its full-batch edge 2(1 + β)/L (L = 1) dashed.
pub fn edge_figure(path: &std::path::Path) -> momentum::Result<()> {
    use crate::plot::tuned::{LinePlot, METHOD_COLOURS, Series, Style};
    let eig: Vec<f64> = (1..=100).map(|i| 1.0 / i as f64).collect();
    let batches: Vec<u64> = (0..=40)
        .map(|k| 10f64.powf(k as f64 * 5.0 / 40.0).round() as u64)
        .collect();
    let mut series = vec![];
    for (j, beta) in [0.0, 0.5, 0.9, 0.99].into_iter().enumerate() {
        let colour = METHOD_COLOURS[j];
        let mut points = vec![];
        for &b in &batches {
            let g = Gaussian::eigenvalues(eig.clone(), Batch::new(b)?, 0.0)?;
            if let Some(iv) =
                g.stable_steps(|t| Ok(momentum::Method::heavy_ball(t, beta)?.recurrence()))?
            {
                points.push((b as f64, iv.hi));
            }
        }
        series.push(Series {
            label: format!("β = {beta}"),
            points,
            colour,
            style: Style::Line,
        });
        let full = momentum::stability::heavy_ball_max_step(beta, 1.0);
        series.push(Series {
            label: format!("full batch 2(1 + β)/L = {full}"),
            points: vec![(1.0, full), (1e5, full)],
            colour,
            style: Style::Dashed,
        });
    }
    LinePlot {
        title: "Heavy ball on Gaussian least squares (covariance 1/i, i = 1..100): largest mean-square stable step".into(),
        x_label: "batch size  B".into(),
        y_label: "largest stable step  α".into(),
        x_log: true,
        y_log: true,
        x_range: (1.0, 1e5),
        y_range: (1e-3, 10.0),
        series,
        vlines: vec![],
        legend_upper: false,
    }
    .save(path)
}

/// Figure `minibatch_iterations`: iterations to reduce E‖e‖² by 10⁶ against the batch size, for
/// heavy ball at β = 0, 0.5, 0.9, 0.99, each with its best step at that B (the smallest
/// mean-square rate over a 400-point logarithmic grid of stable steps), and the full-batch
/// iterations of the same β as dashed asymptotes.
pub fn iterations_figure(path: &std::path::Path) -> momentum::Result<()> {
    use crate::plot::tuned::{LinePlot, METHOD_COLOURS, Series, Style};
    let eig: Vec<f64> = (1..=100).map(|i| 1.0 / i as f64).collect();
    let batches: Vec<u64> = (0..=30)
        .map(|k| 10f64.powf(k as f64 * 5.0 / 30.0).round() as u64)
        .collect();
    let target = 1e-6f64;
    // iterations at the best step for β on `g` (None: nothing stable)
    let best = |g: &Gaussian, beta: f64| -> momentum::Result<Option<f64>> {
        let build = |t: f64| Ok(momentum::Method::heavy_ball(t, beta)?.recurrence());
        let Some(iv) = g.stable_steps(build)? else {
            return Ok(None);
        };
        let mut r = f64::INFINITY;
        for i in 1..400 {
            let t = iv.hi * 10f64.powf(-4.0 * (1.0 - i as f64 / 400.0));
            r = r.min(g.rate(&build(t)?)?);
        }
        Ok((r < 1.0).then(|| target.ln() / r.ln()))
    };
    let mut series = vec![];
    for (j, beta) in [0.0, 0.5, 0.9, 0.99].into_iter().enumerate() {
        let colour = METHOD_COLOURS[j];
        let mut points = vec![];
        for &b in &batches {
            let g = Gaussian::eigenvalues(eig.clone(), Batch::new(b)?, 0.0)?;
            if let Some(n) = best(&g, beta)? {
                points.push((b as f64, n));
            }
        }
        series.push(Series {
            label: format!("heavy ball β = {beta}, best step at each B"),
            points,
            colour,
            style: Style::Line,
        });
        let full = Gaussian::eigenvalues(eig.clone(), Batch::Full, 0.0)?;
        if let Some(n) = best(&full, beta)? {
            series.push(Series {
                label: format!("β = {beta}, full batch: {n:.0}"),
                points: vec![(1.0, n), (1e5, n)],
                colour,
                style: Style::Dashed,
            });
        }
    }
    LinePlot {
        title:
            "Iterations to reduce E|e|² by 10⁶ against the batch size (covariance 1/i, i = 1..100)"
                .into(),
        x_label: "batch size  B".into(),
        y_label: "iterations (best step for each β and B)".into(),
        x_log: true,
        y_log: true,
        x_range: (1.0, 1e5),
        y_range: (50.0, 2e4),
        series,
        vlines: vec![],
        legend_upper: true,
    }
    .save(path)
}
