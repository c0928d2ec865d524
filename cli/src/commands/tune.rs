//! `momentum tune`: optimal hyperparameters from κ or (μ, L), in closed form, checked by search.

use super::args::{ConventionName, DelayArgs, finite_f64};
use super::common::{CliError, CliResult};
use super::format::{num, rate};
use super::tune_method::{TuneMethod, Variant};
use clap::Args;
use momentum::Family;
use momentum::Framework;
use momentum::Spectrum;
use momentum::tune::framework as fw;
use momentum::tune::search as minimax;
use momentum::tune::{self as tuning, Tuning, TuningKind};
use serde::Serialize;

/// Arguments of `momentum tune`.
#[derive(Args, Debug)]
pub struct TuneArgs {
    /// Condition number κ = L/μ ≥ 1 (then L = 1, μ = 1/κ).
    #[arg(long, value_name = "K", value_parser = finite_f64, allow_hyphen_values = true)]
    kappa: Option<f64>,
    /// Smallest curvature μ > 0.
    #[arg(long, value_name = "M", value_parser = finite_f64, allow_hyphen_values = true)]
    mu: Option<f64>,
    /// Largest curvature L ≥ μ.
    #[arg(long = "L", value_name = "L", value_parser = finite_f64, allow_hyphen_values = true)]
    l: Option<f64>,
    /// μ and L from a spectrum file's smallest and largest eigenvalue (see `analyze --help`).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["kappa", "mu", "l"])]
    spectrum: Option<std::path::PathBuf>,
    /// With --spectrum: eigenvalues with |λ| ≤ TOL are flat directions, set apart before μ is
    /// taken [default: n·ε·max|λ| with ε of the file's dtype].
    #[arg(long = "flat-tol", value_name = "TOL", value_parser = finite_f64)]
    flat_tol: Option<f64>,
    /// Which method(s).
    #[arg(long, value_enum, default_value = "all")]
    method: TuneMethod,
    /// Hold this learning rate (in --convention's terms) and find the best momentum (heavy ball
    /// and Nesterov).
    #[arg(long, value_name = "A", value_parser = finite_f64, allow_hyphen_values = true, conflicts_with = "momentum")]
    lr: Option<f64>,
    /// Hold this momentum (in --convention's terms) and find the best learning rate (heavy ball
    /// and Nesterov).
    #[arg(long, value_name = "B", value_parser = finite_f64, allow_hyphen_values = true)]
    momentum: Option<f64>,
    /// Keep the step at least this fraction F ∈ [0, 1) below the stability edge (room for a
    /// sharpness estimated low): every tuning closer to the edge is replaced by its family's
    /// best setting with that margin.
    #[arg(long, value_name = "F", value_parser = finite_f64, allow_hyphen_values = true)]
    margin: Option<f64>,
    /// Also report the iterations to reduce the error by this factor ε ∈ (0, 1).
    #[arg(long, value_name = "EPS", value_parser = finite_f64, allow_hyphen_values = true)]
    epsilon: Option<f64>,
    /// The framework whose arguments --lr/--momentum are written in and the tunings are given
    /// in (its lr/momentum/nesterov).
    #[arg(long, value_enum)]
    convention: Option<ConventionName>,
    #[command(flatten)]
    zoo: super::args::ZooFlags,
    /// Tune the framework's Nesterov variant (as --method nag).
    #[arg(long)]
    nesterov: bool,
    /// PyTorch's dampening, held while tuning.
    #[arg(long, value_name = "D", value_parser = finite_f64, allow_hyphen_values = true)]
    dampening: Option<f64>,
    /// Weight decay, held while tuning (PyTorch/optax: coupled; Keras: decoupled).
    #[arg(long = "weight-decay", value_name = "W", value_parser = finite_f64, allow_hyphen_values = true)]
    weight_decay: Option<f64>,
    #[command(flatten)]
    delay: DelayArgs,
    /// One JSON document on stdout instead of a table.
    #[arg(long)]
    json: bool,
    /// Gradient noise σ: each tuning's noise floor per direction, and with --epsilon the fastest
    /// (α, β) per family to that RMS error under the noise.
    #[arg(long, value_name = "SIGMA", value_parser = finite_f64, allow_hyphen_values = true)]
    noise: Option<f64>,
    #[command(flatten)]
    sched: super::tune_schedule::ScheduleTuneArgs,
    #[command(flatten)]
    batch: super::minibatch::BatchArgs,
}

#[derive(Serialize)]
struct FrameworkJson {
    name: &'static str,
    lr: Option<f64>,
    momentum: Option<f64>,
    /// The canonical form's own lookahead γ when it is neither 0 nor the momentum (triple
    /// momentum): without it the arguments would read back as heavy ball.
    #[serde(skip_serializing_if = "Option::is_none")]
    lookahead: Option<f64>,
    nesterov: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dampening: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight_decay: Option<f64>,
    note: Option<String>,
}

#[derive(Serialize)]
struct MethodJson {
    name: String,
    step: f64,
    momentum: f64,
    lookahead: f64,
    rate: f64,
    /// 1 − step/edge: how far below the largest stable step at this momentum (null: no edge)
    margin: Option<f64>,
    iterations_per_decade: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    iterations_to_epsilon: Option<Option<f64>>,
    /// The numeric minimax search's rate for the same family (the second route), when the
    /// tuning is a family optimum.
    search_rate: Option<f64>,
    /// The rate certified on every L-smooth mu-strongly convex f (IQC, `momentum certify`);
    /// null when none below 1.
    certified_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    framework: Option<FrameworkJson>,
    /// With --noise: E|e|^2 per direction at this tuning (σ² × the per-unit floor); null if unstable.
    #[serde(skip_serializing_if = "Option::is_none")]
    noise_floor: Option<Option<f64>>,
}

#[derive(Serialize)]
struct TuneJson {
    /// The version of the JSON contract (docs/json.md).
    schema: &'static str,
    mu: f64,
    #[serde(rename = "L")]
    l: f64,
    kappa: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    epsilon: Option<f64>,
    chebyshev_rate: f64,
    methods: Vec<MethodJson>,
    notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    noise: Option<super::noisy::NoisyTuneJson>,
}

pub fn run(a: &TuneArgs) -> CliResult<()> {
    let linear = a
        .convention
        .map(Framework::from)
        .is_some_and(|f| f.is_linear());
    if !linear && !a.zoo.extra().is_empty() {
        return Err(CliError::Usage(
            "--b3, --alpha, --sync-period, --slow-step, --momenta and --rho belong to --convention ademamix, lookahead, aggmo and sam".into(),
        ));
    }
    if a.sched.given() {
        if !a.batch.batches()?.is_empty() {
            return Err(CliError::Usage(
                "a schedule tuning takes no --batch (the minibatch model takes a constant setting)"
                    .into(),
            ));
        }
        return run_schedule(a);
    }
    if a.flat_tol.is_some() && a.spectrum.is_none() {
        return Err(CliError::Usage(
            "--flat-tol sets a spectrum file's flat directions apart: give --spectrum FILE".into(),
        ));
    }
    let mut notes = vec![];
    let from_file = match &a.spectrum {
        Some(path) => {
            let full = momentum::io::load_file(path)?;
            let analysed = momentum::setting::Curvatures::split(
                full.spectrum,
                a.flat_tol,
                full.precision,
                0.0,
            )?;
            let s = analysed.spectrum;
            let (mu, l) = s.bounds();
            notes.push(format!(
                "mu and L are the smallest and largest of the {} positive eigenvalues in {} (a top-k list, such as PyHessian's, does not contain the true mu)",
                s.listed().len(),
                path.display()
            ));
            notes.extend(analysed.notes);
            Some((mu, l))
        }
        None => None,
    };
    let (mu, l) = match (a.kappa, a.mu, a.l) {
        _ if from_file.is_some() => from_file.unwrap_or_default(),
        (Some(k), None, None) => {
            let (mu, l) = Spectrum::from_condition_number(k)?.bounds();
            notes.push(format!(
                "--kappa alone: L = 1, mu = 1/kappa = {mu}; rates depend on kappa only, steps scale as 1/L"
            ));
            (mu, l)
        }
        (None, Some(mu), Some(l)) => (mu, l),
        (Some(_), _, _) => {
            return Err(CliError::Usage(
                "give either --kappa or --mu/--L, not both".into(),
            ));
        }
        (None, Some(_), None) => return Err(CliError::Usage("--mu needs --L".into())),
        (None, None, Some(_)) => return Err(CliError::Usage("--L needs --mu".into())),
        (None, None, None) => {
            return Err(CliError::Usage(
                "give the condition number: --kappa K, or --mu M --L L".into(),
            ));
        }
    };
    // validates μ > 0, L ≥ μ
    let interval = Spectrum::interval(mu, l)?;
    if let Some(f) = a.convention.map(Framework::from).filter(|f| f.is_linear()) {
        return run_linear(a, f, &interval);
    }
    if !a.batch.batch.is_empty() && a.delay.delay.is_some() {
        return Err(CliError::Usage(
            "--batch does not combine with --delay".into(),
        ));
    }
    if let Some(tau) = a.delay.tau()? {
        if a.lr.is_some() || a.momentum.is_some() || a.epsilon.is_some() || a.convention.is_some() {
            return Err(CliError::Usage(
                "--delay tunes step and momentum together: drop --lr/--momentum/--epsilon/--convention".into(),
            ));
        }
        return super::delay::tune(a.method, (mu, l), tau, a.json, notes);
    }
    let sigma = a.noise.map(super::noisy::check_sigma).transpose()?;
    let all = tuning::all(&interval)?;
    let kappa = l / mu;
    if let Some(e) = a.epsilon {
        tuning::iterations_to(0.5, e)?;
    }
    let one_sided = a.lr.is_some() || a.momentum.is_some();
    let framework: Option<Framework> = a.convention.map(Into::into);
    let switches = a.dampening.is_some() || a.weight_decay.is_some();
    if a.nesterov && matches!(a.method, TuneMethod::Hb | TuneMethod::Gd | TuneMethod::Tmm) {
        return Err(CliError::Usage(
            "--nesterov tunes the Nesterov variant: use it with --method nag or all".into(),
        ));
    }
    if let Some(f) = a.margin.filter(|f| !(0.0..1.0).contains(f)) {
        return Err(CliError::Value(momentum::Error::OutOfRange {
            name: "margin",
            value: f,
            expected: "in [0, 1): the relative distance of the step below the stability edge",
        }));
    }
    if a.margin.is_some() && a.lr.is_some() {
        return Err(CliError::Usage(
            "--margin keeps the step below the edge: use it with --momentum or alone, not with --lr".into(),
        ));
    }
    match framework {
        Some(f) if f != Framework::Canonical && (one_sided || switches) => {
            if a.margin.is_some() {
                return Err(CliError::Usage(format!(
                    "--margin is searched in canonical terms, not in {f}'s own arguments: drop --convention (or ask without --margin: each tuning's margin is reported)"
                )));
            }
            let methods = framework_tunings(a, f, &interval, &mut notes)?;
            return emit(a, &interval, kappa, methods, notes);
        }
        _ if switches => {
            return Err(CliError::Usage(
                "--dampening/--weight-decay belong to a framework: add --convention pytorch|keras|optax".into(),
            ));
        }
        _ => {}
    }
    let wanted: Vec<Tuning> = if one_sided {
        let Some(variants) = a.method.variants(a.nesterov) else {
            return Err(CliError::Usage(
                "--lr/--momentum ask for the best momentum/step of heavy ball or Nesterov: use --method hb, nag or all".into(),
            ));
        };
        let mut v = vec![];
        for variant in variants {
            // clap makes --lr and --momentum exclusive, and one of them is set here
            v.push(match (a.lr, variant) {
                (Some(s), Variant::HeavyBall) => {
                    tuning::heavy_ball_momentum_for_step(s, &interval)?
                }
                (Some(s), Variant::Nesterov) => tuning::nesterov_momentum_for_step(s, &interval)?,
                (None, Variant::HeavyBall) => {
                    tuning::heavy_ball_step_for_momentum(a.momentum.unwrap_or(0.0), &interval)?
                }
                (None, Variant::Nesterov) => {
                    tuning::nesterov_step_for_momentum(a.momentum.unwrap_or(0.0), &interval)?
                }
            });
        }
        v
    } else {
        let pick = |kind: TuningKind| all.iter().filter(|t| t.kind == kind).copied().collect();
        match a.method {
            TuneMethod::All => all.clone(),
            TuneMethod::Gd => pick(TuningKind::GradientDescent),
            TuneMethod::Hb => pick(TuningKind::HeavyBall),
            TuneMethod::Nag => pick(TuningKind::Nesterov),
            TuneMethod::NagQuadratic => pick(TuningKind::NesterovQuadratic),
            TuneMethod::Tmm => pick(TuningKind::TripleMomentum),
        }
    };
    let named: Vec<(String, Tuning)> = wanted
        .into_iter()
        .map(|t| (t.kind.as_str().to_string(), t))
        .collect();
    let named = match a.margin {
        Some(f) => with_margin(named, &interval, f, a.momentum)?,
        None => named,
    };
    let mut methods = vec![];
    for (name, t) in &named {
        let search_rate = match (t.search_family(), t.kind) {
            (Some(f), _) => Some(minimax::tune(f, &interval)?.rate),
            (None, TuningKind::HeavyBallMomentumForStep) => {
                Some(minimax::best_momentum(Family::HeavyBall, t.method.step(), &interval)?.rate)
            }
            (None, TuningKind::HeavyBallStepForMomentum) => {
                Some(minimax::best_step(Family::HeavyBall, t.method.momentum(), &interval)?.rate)
            }
            _ => None,
        };
        let fw = framework.map(|f| match f.express(&t.method) {
            Ok(p) => FrameworkJson {
                name: f.as_str(),
                lr: Some(p.lr),
                momentum: p.momentum,
                lookahead: p.lookahead,
                nesterov: Some(p.nesterov),
                dampening: None,
                weight_decay: None,
                note: None,
            },
            Err(e) => FrameworkJson {
                name: f.as_str(),
                lr: None,
                momentum: None,
                lookahead: None,
                nesterov: None,
                dampening: None,
                weight_decay: None,
                note: Some(e.to_string()),
            },
        });
        methods.push(MethodJson {
            name: name.clone(),
            step: t.method.step(),
            momentum: t.method.momentum(),
            lookahead: t.method.lookahead(),
            rate: t.rate,
            margin: None,
            iterations_per_decade: t.iterations_per_decade(),
            iterations_to_epsilon: a.epsilon.map(|e| t.iterations_to(e)).transpose()?,
            search_rate,
            certified_rate: momentum::certify::certified_rate(&t.method, mu, l)
                .ok()
                .and_then(|c| c.rate),
            framework: fw,
            noise_floor: sigma.map(|s| super::noisy::tuning_floor(&t.method, &interval, s)),
        });
    }
    emit(a, &interval, kappa, methods, notes)
}

/// Each tuning whose margin is below `f` replaced by its family's best with margin ≥ f
/// (`momentum::tune::margin`): the best step at the held momentum, or the best (α, β); its
/// name gets `_with_margin`.
fn with_margin(
    wanted: Vec<(String, Tuning)>,
    interval: &Spectrum,
    f: f64,
    momentum: Option<f64>,
) -> CliResult<Vec<(String, Tuning)>> {
    let mut out = vec![];
    for (name, t) in wanted {
        let m = tuning::margin::margin(&t.method, interval)?;
        out.push(match m {
            Some(m) if m < f => {
                let family = t.method.family();
                let tuned = match momentum {
                    Some(b) => tuning::margin::best_step(family, b, interval, f)?,
                    None => tuning::margin::tune(family, interval, f)?,
                };
                (format!("{name}_with_margin"), tuned)
            }
            _ => (name, t),
        });
    }
    Ok(out)
}

/// `--batch B ...`: the tunings across batch sizes on the spectrum file's positive eigenvalues,
/// or on `interval` spread over `--data-dim` values.
fn batch_tunings(
    a: &TuneArgs,
    interval: &Spectrum,
) -> CliResult<Option<super::minibatch::TuneBatchJson>> {
    match (&a.spectrum, a.batch.batch.is_empty()) {
        (Some(p), false) => {
            let full = momentum::io::load_file(p)?;
            let split = momentum::setting::Curvatures::split(
                full.spectrum,
                a.flat_tol,
                full.precision,
                0.0,
            )?;
            super::minibatch::tune(&a.batch, &split.spectrum, a.epsilon)
        }
        _ => super::minibatch::tune(&a.batch, interval, a.epsilon),
    }
}

/// Print the tunings as JSON or as a table.
fn emit(
    a: &TuneArgs,
    interval: &Spectrum,
    kappa: f64,
    mut methods: Vec<MethodJson>,
    notes: Vec<String>,
) -> CliResult<()> {
    let (mu, l) = interval.bounds();
    for m in &mut methods {
        m.margin = match momentum::Method::general(m.step, m.momentum, m.lookahead) {
            Ok(method) => tuning::margin::margin(&method, interval)?,
            Err(_) => None,
        };
    }
    let sigma = a.noise.map(super::noisy::check_sigma).transpose()?;
    let batch = batch_tunings(a, interval)?;
    let out = TuneJson {
        schema: super::common::SCHEMA,
        mu,
        l,
        kappa,
        epsilon: a.epsilon,
        chebyshev_rate: tuning::chebyshev_rate(kappa)?,
        methods,
        notes,
        noise: sigma
            .map(|s| super::noisy::fastest(interval, s, a.epsilon))
            .transpose()?,
    };
    if a.json {
        return super::minibatch::print_json(&out, batch);
    }
    print_table(&out);
    if let Some(b) = &batch {
        super::minibatch::print_tune(b);
    }
    if let Some(n) = &out.noise {
        println!();
        for m in &out.methods {
            if let Some(f) = m.noise_floor {
                println!(
                    "{:<30} noise floor E|e|^2 per direction (σ = {}): {}",
                    m.name,
                    num(n.sigma),
                    f.map(num).unwrap_or_else(|| "none (unstable)".into())
                );
            }
        }
        super::noisy::print_fastest(n);
    }
    Ok(())
}

/// Tunings searched in the framework's own arguments (`momentum::tune::framework`): --lr or
/// --momentum read in the framework's terms, its switches held.
fn framework_tunings(
    a: &TuneArgs,
    f: Framework,
    interval: &Spectrum,
    notes: &mut Vec<String>,
) -> CliResult<Vec<MethodJson>> {
    let Some(variants) = a.method.variants(a.nesterov) else {
        return Err(CliError::Usage(format!(
            "in {f}'s arguments only heavy ball and Nesterov are tuned: use --method hb, nag or all"
        )));
    };
    let sigma = a.noise.map(super::noisy::check_sigma).transpose()?;
    let mut out = vec![];
    for variant in variants {
        let nesterov = variant == Variant::Nesterov;
        let at = momentum::FrameworkParams {
            lr: a.lr.unwrap_or(1.0),
            momentum: a.momentum,
            nesterov,
            dampening: a.dampening,
            weight_decay: a.weight_decay,
            ..Default::default()
        };
        let (name, t) = match (a.lr, a.momentum, variant) {
            (Some(_), _, Variant::HeavyBall) => (
                "heavy_ball_momentum_for_lr",
                fw::best_momentum(f, &at, interval),
            ),
            (Some(_), _, Variant::Nesterov) => (
                "nesterov_momentum_for_lr",
                fw::best_momentum(f, &at, interval),
            ),
            (None, Some(_), Variant::HeavyBall) => {
                ("heavy_ball_lr_for_momentum", fw::best_lr(f, &at, interval))
            }
            (None, Some(_), Variant::Nesterov) => {
                ("nesterov_lr_for_momentum", fw::best_lr(f, &at, interval))
            }
            (None, None, Variant::HeavyBall) => ("heavy_ball", fw::best(f, &at, interval)),
            (None, None, Variant::Nesterov) => ("nesterov", fw::best(f, &at, interval)),
        };
        let t = match t {
            Ok(t) => t,
            // a variant the framework rejects (EWMA has no Nesterov) is a note, not a failure,
            // unless it was the only one asked for
            Err(e @ momentum::Error::Convention { .. })
                if a.method == TuneMethod::All && !a.nesterov =>
            {
                notes.push(format!("{name}: {e}"));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let m = t.converted.method;
        let rate = t.rate;
        out.push(MethodJson {
            name: name.to_string(),
            step: m.step(),
            momentum: m.momentum(),
            lookahead: m.lookahead(),
            rate,
            margin: None,
            iterations_per_decade: momentum::mode::iterations_per_decade(rate),
            iterations_to_epsilon: a
                .epsilon
                .map(|e| tuning::iterations_to(rate, e))
                .transpose()?,
            search_rate: None,
            // weight decay changes the objective the method minimises: no certificate on F(μ, L)
            certified_rate: matches!(t.converted.weight_decay, momentum::WeightDecay::None)
                .then(|| {
                    momentum::certify::certified_rate(&m, interval.bounds().0, interval.bounds().1)
                })
                .and_then(|c| c.ok())
                .and_then(|c| c.rate),
            noise_floor: sigma.map(|s| super::noisy::tuning_floor(&m, interval, s)),
            framework: Some(FrameworkJson {
                name: f.as_str(),
                lr: Some(t.params.lr),
                momentum: t.params.momentum,
                lookahead: None,
                nesterov: Some(nesterov),
                dampening: t.params.dampening,
                weight_decay: t.params.weight_decay,
                note: None,
            }),
        });
    }
    notes.push(format!(
        "searched in {f}'s own arguments (lr, momentum) with its switches held: each candidate is converted and its worst-case rate over [mu, L] taken (momentum::tune::framework)"
    ));
    if let Some(w) = a.weight_decay.filter(|&w| w > 0.0) {
        notes.push(match f {
            Framework::Keras => {
                format!("Keras' decoupled decay {w} shrinks the weights by lr*w before each step")
            }
            _ => format!(
                "coupled weight decay {w}: the optimizer sees every curvature as lambda + {w}"
            ),
        });
    }
    if out.is_empty() {
        return Err(CliError::Value(momentum::Error::Unsupported(
            notes.join("; "),
        )));
    }
    Ok(out)
}

fn print_table(t: &TuneJson) {
    println!(
        "mu = {}, L = {}, kappa = {}   (Chebyshev lower bound: rate {})",
        num(t.mu),
        num(t.l),
        num(t.kappa),
        rate(t.chebyshev_rate)
    );
    for n in &t.notes {
        println!("note: {n}");
    }
    println!();
    let eps = t
        .epsilon
        .map(|e| format!("  iters to {}", num(e)))
        .unwrap_or_default();
    println!(
        "{:<40} {:>12} {:>10} {:>10} {:>16} {:>10} {:>10} {:>12} {:>10}{eps}",
        "method",
        "step",
        "momentum",
        "lookahead",
        "rate",
        "margin",
        "iters/dec",
        "search rate",
        "certified"
    );
    for m in &t.methods {
        let opt = |x: Option<f64>| x.map(num).unwrap_or_else(|| "-".into());
        let e = match m.iterations_to_epsilon {
            Some(v) => format!("  {:>12}", opt(v)),
            None => String::new(),
        };
        println!(
            "{:<40} {:>12} {:>10} {:>10} {:>16} {:>10} {:>10} {:>12} {:>10}{e}",
            m.name,
            num(m.step),
            num(m.momentum),
            num(m.lookahead),
            rate(m.rate),
            m.margin
                .map(|x| format!("{}%", num(100.0 * x)))
                .unwrap_or_else(|| "-".into()),
            opt(m.iterations_per_decade),
            opt(m.search_rate),
            opt(m.certified_rate)
        );
    }
    if t.methods.iter().any(|m| m.framework.is_some()) {
        println!();
        for m in &t.methods {
            if let Some(f) = &m.framework {
                match (&f.note, f.lr, f.momentum) {
                    (Some(note), _, _) => println!("{:<30} {}: {note}", m.name, f.name),
                    (None, Some(lr), Some(b)) => println!(
                        "{:<30} {}: lr={lr}, momentum={b}{}",
                        m.name,
                        f.name,
                        match (f.lookahead, f.nesterov) {
                            (Some(g), _) => format!(", lookahead={g}"),
                            (None, Some(true)) => ", nesterov=True".into(),
                            _ => String::new(),
                        }
                    ),
                    _ => {}
                }
            }
        }
    }
}

/// `tune` with a schedule or a gap ([`super::tune_schedule`]).
fn run_schedule(a: &TuneArgs) -> CliResult<()> {
    use momentum::setting::{MethodName, Setting};
    if a.lr.is_some() || a.epsilon.is_some() || a.noise.is_some() || a.margin.is_some() {
        return Err(CliError::Usage(
            "a schedule tuning holds the schedule's shape: drop --lr/--epsilon/--noise/--margin"
                .into(),
        ));
    }
    if a.delay.tau()?.is_some() {
        return Err(CliError::Usage("a schedule tuning takes no --delay".into()));
    }
    let spectrum = match (&a.spectrum, a.kappa, a.mu, a.l) {
        (Some(path), ..) => {
            let f = momentum::io::load_file(path)?;
            Some(
                momentum::setting::Curvatures::split(f.spectrum, a.flat_tol, f.precision, 0.0)?
                    .spectrum,
            )
        }
        (None, Some(k), None, None) => Some(Spectrum::from_condition_number(k)?),
        (None, None, Some(mu), Some(l)) => Some(Spectrum::interval(mu, l)?),
        (None, None, None, None) => None,
        _ => {
            return Err(CliError::Usage(
                "give --kappa, or --mu and --L, or --spectrum".into(),
            ));
        }
    };
    let method = match a.method {
        TuneMethod::Gd => Some(MethodName::GradientDescent),
        TuneMethod::Hb => Some(MethodName::HeavyBall),
        TuneMethod::Nag => Some(MethodName::Nesterov),
        TuneMethod::All => None,
        _ => {
            return Err(CliError::Usage(
                "a schedule tuning runs one method: --method gd, hb or nag (or a framework's own with --convention)".into(),
            ));
        }
    };
    let setting = Setting {
        method,
        framework: a
            .convention
            .map_or(momentum::Framework::Canonical, Into::into),
        lr: None,
        momentum: a.momentum,
        lookahead: None,
        nesterov: a.nesterov,
        dampening: a.dampening,
        weight_decay: a.weight_decay,
        nu: None,
        extra: Default::default(),
    };
    super::tune_schedule::run(&a.sched, setting, spectrum, a.json)
}

/// The order-n optimizers: the best lr over [μ, L] (resolved as for the two-step tunings) with the
/// other hyperparameters held (`setting::zoo::tune`).
fn run_linear(a: &TuneArgs, f: Framework, spectrum: &Spectrum) -> CliResult<()> {
    if a.lr.is_some()
        || a.margin.is_some()
        || a.epsilon.is_some()
        || a.dampening.is_some()
        || a.weight_decay.is_some()
        || a.noise.is_some()
        || a.delay.tau()?.is_some()
        || a.sched.given()
        || !a.batch.batches()?.is_empty()
        || !matches!(a.method, TuneMethod::All)
    {
        return Err(CliError::Usage(format!(
            "tune --convention {f} searches the learning rate with the optimizer's other flags held (--momentum, --nesterov, --b3, --alpha, --sync-period, --slow-step, --momenta, --rho); nothing else"
        )));
    }
    let setting = momentum::setting::Setting {
        framework: f,
        momentum: a.momentum,
        nesterov: a.nesterov,
        extra: a.zoo.extra(),
        ..Default::default()
    };
    let t = momentum::setting::zoo::tune(&setting, spectrum)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&t)?);
    } else {
        let (lo, hi) = spectrum.bounds();
        println!(
            "{f} on [{}, {}]: best lr = {}, worst-case rate {} at λ = {} ({} iterations per decade; {} worst cases evaluated)",
            super::format::num(lo),
            super::format::num(hi),
            super::format::num(t.lr),
            super::format::rate(t.spectral_radius),
            super::format::num(t.worst_lambda),
            t.iterations_per_decade
                .map_or("—".into(), super::format::num),
            t.evaluations
        );
    }
    Ok(())
}
