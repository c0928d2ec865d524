//! `--lr-schedule` / `--momentum-schedule` / `--periodic`: schedules on `bound`, `analyze`,
//! `tune` and `simulate`, read from a file or a named shape, analysed by
//! [`momentum::setting::schedule::analyze_schedule`].

use super::args::{MethodArgs, SpectrumArgs};
use super::common::{CliError, CliResult};
use super::format::{num, rate};
use clap::Args;
use momentum::schedule::Schedule;
use momentum::schedule::shape::Shape;
use momentum::setting::schedule::{ScheduleAnalysis, analyze_schedule, schedule_minibatch};
use momentum::zoo::schedule::ZooSchedule;
use serde::Serialize;
use std::path::Path;

/// Per-step learning rate and momentum.
#[derive(Args, Debug, Clone, Default)]
pub struct ScheduleArgs {
    /// The lr of every step: a file with one value per line (the value used at step t = 0, 1, …,
    /// as `np.savetxt(f, [sched(t) for t in range(T)])` writes; .npy too), or a named shape as
    /// optax or PyTorch write it, e.g. 'warmup_cosine_decay_schedule(init_value=0,
    /// peak_value=3, warmup_steps=100, decay_steps=1000)', 'linear_schedule(1, 0.1, 50)',
    /// 'cosine_decay_schedule(1, 100)', 'exponential_decay(1, 10, 0.5)',
    /// 'piecewise_constant_schedule(1, {20: 0.5, 40: 0.1})', 'warmup_constant_schedule(0, 1,
    /// 10)', 'warmup_exponential_decay_schedule(0, 1, 10, 5, 0.8)',
    /// 'cosine_onecycle_schedule(100, 2)', 'linear_onecycle_schedule(100, 2)',
    /// 'polynomial_schedule(1, 0, 2, 50)', 'inverse_time_decay(1, 10, 0.5)' (1/t),
    /// 'warmup_stable_decay(1, 10, 80, 10)', 'cyclic(0.5, 2.5, 1)', PyTorch's
    /// 'OneCycleLR(max_lr=2, total_steps=100)' (cycles the momentum too),
    /// 'CosineAnnealingLR(T_max=100, eta_min=0)', 'StepLR(step_size=30, gamma=0.1)',
    /// 'ExponentialLR(gamma=0.95)', 'LinearLR(start_factor=0.1, total_iters=10)' (these four
    /// scale --lr). In the framework's own lr (the convention's).
    #[arg(long, value_name = "FILE|SHAPE")]
    pub lr_schedule: Option<String>,
    /// The momentum of every step, as --lr-schedule: a file, a shape, or
    /// 'nesterov_momentum()' (t/(t+3)) or 'demon(beta_init=0.9, total_steps=1000)'.
    #[arg(long, value_name = "FILE|SHAPE")]
    pub momentum_schedule: Option<String>,
    /// Read the schedule as one period repeated forever: the per-step rate of the monodromy.
    #[arg(long)]
    pub periodic: bool,
    /// (analyze) Read the schedule's distinct steps as a set applied in any order: lower and
    /// upper bounds of the joint spectral radius.
    #[arg(long, conflicts_with = "periodic")]
    pub switching: bool,
    /// (--convention ademamix) β₃ of every step, as --lr-schedule: optax.contrib.ademamix's
    /// b3_scheduler, e.g. the paper's warmup 'linear_hl_warmup_scheduler(beta_end=0.9999, beta_start=0.9, warmup=1000)'.
    #[arg(long, value_name = "FILE|SHAPE")]
    pub b3_schedule: Option<String>,
    /// (--convention ademamix) α of every step, as --lr-schedule: optax.contrib.ademamix's
    /// alpha_scheduler, e.g. the paper's warmup 'linear_schedule(0, 5, 1000)'.
    #[arg(long, value_name = "FILE|SHAPE")]
    pub alpha_schedule: Option<String>,
}

/// Where a schedule came from.
#[derive(Serialize, Clone, Debug)]
pub struct Source {
    /// "file" or "shape".
    pub kind: &'static str,
    /// The path or the call as given.
    pub value: String,
}

/// A schedule read from the flags.
pub struct Loaded {
    pub schedule: Schedule,
    pub lr: Option<Source>,
    pub momentum: Option<Source>,
}

impl ScheduleArgs {
    /// Whether any schedule flag was given (`--periodic` alone is refused by [`Self::load`]).
    pub fn given(&self) -> bool {
        self.lr_schedule.is_some()
            || self.momentum_schedule.is_some()
            || self.periodic
            || self.switching
            || self.b3_schedule.is_some()
            || self.alpha_schedule.is_some()
    }

    /// Read the schedule of an order-n optimizer (`--convention ademamix|lookahead|…`): the lr
    /// and momentum lists as [`Self::load`] reads them, and AdEMAMix's β₃ and α lists; the
    /// library checks which of them the optimizer has.
    pub fn load_zoo(
        &self,
        lr_flag: Option<f64>,
        momentum_flag: Option<f64>,
        steps: Option<u64>,
    ) -> CliResult<(ZooSchedule, serde_json::Value)> {
        if self.switching {
            return Err(CliError::Usage(
                "--switching is for the two-step methods; the order-n optimizers' schedules are run step by step".into(),
            ));
        }
        let (schedule, lr, momentum) =
            if self.lr_schedule.is_some() || self.momentum_schedule.is_some() {
                let lists = ScheduleArgs {
                    b3_schedule: None,
                    alpha_schedule: None,
                    ..self.clone()
                };
                let l = lists.load(lr_flag, momentum_flag, steps)?;
                (l.schedule, l.lr, l.momentum)
            } else {
                if self.periodic {
                    return Err(CliError::Usage(
                        "--periodic needs --lr-schedule or --momentum-schedule".into(),
                    ));
                }
                (Schedule::default(), None, None)
            };
        let n = steps.map(|s| s as usize).or(schedule.len());
        let mut z = ZooSchedule {
            schedule,
            ..Default::default()
        };
        let mut sources = serde_json::json!({ "lr": lr, "momentum": momentum });
        for (name, spec, slot) in [
            ("b3", &self.b3_schedule, &mut z.b3),
            ("alpha", &self.alpha_schedule, &mut z.alpha),
        ] {
            if let Some(spec) = spec {
                let (v, _, src, _) = read(spec, n, None)?;
                *slot = Some(v);
                sources[name] = serde_json::to_value(src)?;
            }
        }
        Ok((z, sources))
    }

    /// Read the schedule; `steps` is the horizon asked for (a shape without its own length
    /// needs it), `base_lr` the flag --lr (PyTorch's schedulers scale it).
    pub fn load(
        &self,
        lr_flag: Option<f64>,
        momentum_flag: Option<f64>,
        steps: Option<u64>,
    ) -> CliResult<Loaded> {
        if self.b3_schedule.is_some() || self.alpha_schedule.is_some() {
            return Err(CliError::Usage(
                "--b3-schedule and --alpha-schedule are AdEMAMix's (--convention ademamix)".into(),
            ));
        }
        if self.lr_schedule.is_none() && self.momentum_schedule.is_none() {
            return Err(CliError::Usage(
                "--periodic and --switching need --lr-schedule or --momentum-schedule".into(),
            ));
        }
        let steps = steps.map(|s| s as usize);
        let mut schedule = Schedule {
            periodic: self.periodic,
            ..Default::default()
        };
        let (mut lr_src, mut m_src) = (None, None);
        if let Some(spec) = &self.lr_schedule {
            let (v, cycled, src, shape) = read(spec, steps, lr_flag)?;
            let base_needed = shape.as_ref().is_some_and(Shape::needs_base_lr);
            if lr_flag.is_some() && !base_needed {
                return Err(CliError::Usage(
                    "give --lr or --lr-schedule, not both: the schedule holds every step's lr"
                        .into(),
                ));
            }
            if shape.as_ref().is_some_and(Shape::is_momentum) {
                return Err(CliError::Usage(format!(
                    "`{spec}` is a momentum schedule: give it to --momentum-schedule"
                )));
            }
            schedule.lr = Some(v);
            if let Some(c) = cycled {
                if self.momentum_schedule.is_some() || momentum_flag.is_some() {
                    return Err(CliError::Usage(
                        "OneCycleLR cycles the momentum (cycle_momentum=True): drop --momentum/--momentum-schedule or pass cycle_momentum=False".into(),
                    ));
                }
                schedule.momentum = Some(c);
                m_src = Some(src.clone());
            }
            lr_src = Some(src);
        }
        if let Some(spec) = &self.momentum_schedule {
            if momentum_flag.is_some() {
                return Err(CliError::Usage(
                    "give --momentum or --momentum-schedule, not both".into(),
                ));
            }
            let n = steps.or(schedule.len());
            let (v, _, src, _) = read(spec, n, None)?;
            schedule.momentum = Some(v);
            m_src = Some(src);
        }
        Ok(Loaded {
            schedule,
            lr: lr_src,
            momentum: m_src,
        })
    }
}

/// One schedule flag: the values, the momentum a shape cycles with them, the source, the shape.
type Read = (Vec<f64>, Option<Vec<f64>>, Source, Option<Shape>);

fn read(spec: &str, steps: Option<usize>, base_lr: Option<f64>) -> CliResult<Read> {
    if Shape::looks_like_call(spec) && !Path::new(spec).exists() {
        let shape = Shape::parse(spec)?;
        let n = steps.or(shape.natural_len()).ok_or_else(|| {
            CliError::Usage(format!("`{spec}` has no length of its own: give --steps"))
        })?;
        let v = shape.values(n, base_lr)?;
        return Ok((
            v.lr,
            v.momentum,
            Source {
                kind: "shape",
                value: spec.to_string(),
            },
            Some(shape),
        ));
    }
    let values = match momentum::io::load_values(Path::new(spec))? {
        momentum::io::Values::Vector(v) => v,
        momentum::io::Values::Matrix(m) if m.nrows() == 1 => m.iter().copied().collect(),
        momentum::io::Values::Matrix(m) => {
            return Err(CliError::Value(momentum::Error::SpectrumFile {
                path: spec.to_string(),
                problem: format!(
                    "a schedule is one value per line, got a {}x{} matrix",
                    m.nrows(),
                    m.ncols()
                ),
            }));
        }
    };
    Ok((
        values,
        None,
        Source {
            kind: "file",
            value: spec.to_string(),
        },
        None,
    ))
}

/// The scheduled document with the schema and the sources.
#[derive(Serialize)]
struct Json<'a, T: Serialize> {
    schema: &'static str,
    #[serde(flatten)]
    analysis: &'a T,
    lr_source: Option<Source>,
    momentum_source: Option<Source>,
}

/// `bound` or `analyze` with a schedule: the finite horizon (and the periodic verdict). With
/// `asymptotic` (analyze) a periodic schedule's document has the per-step rate on top
/// ([`ScheduleAnalysis::periodic_document`]).
pub fn run(
    m: &MethodArgs,
    s: &SpectrumArgs,
    sched: &ScheduleArgs,
    steps: Option<u64>,
    json: bool,
    asymptotic: bool,
    batch: Option<&super::minibatch::BatchArgs>,
) -> CliResult<ScheduleAnalysis> {
    let loaded = sched.load(m.hyper.lr, m.hyper.momentum, steps)?;
    let (full, precision) = s.full()?;
    let data = match batch {
        Some(args) => match args.one()? {
            Some(b) => {
                if args.runs.is_some() {
                    return Err(CliError::Usage("--runs is for simulate --batch".into()));
                }
                Some(args.data(&full, b)?)
            }
            None => None,
        },
        None => None,
    };
    let mut setting = m.setting();
    // a PyTorch scheduler's base lr was used to build the values; the schedule replaces it
    if loaded.schedule.lr.is_some() {
        setting.lr = None;
    }
    let a = analyze_schedule(
        &setting,
        &loaded.schedule,
        full,
        precision,
        s.flat_tol,
        steps.map(|x| x as usize),
    )?;
    let minibatch = match &data {
        Some(d) => Some(schedule_minibatch(
            &setting,
            &loaded.schedule,
            d,
            precision,
            steps.map(|x| x as usize),
        )?),
        None => None,
    };
    if json {
        let source = serde_json::json!({ "lr": loaded.lr, "momentum": loaded.momentum });
        let mut v = match a.periodic_document().filter(|_| asymptotic) {
            Some(p) => serde_json::to_value(Json {
                schema: super::common::SCHEMA,
                analysis: &p,
                lr_source: loaded.lr,
                momentum_source: loaded.momentum,
            })?,
            None => serde_json::to_value(Json {
                schema: super::common::SCHEMA,
                analysis: &a,
                lr_source: loaded.lr,
                momentum_source: loaded.momentum,
            })?,
        };
        // where the schedule came from, inside the schedule too ({"lr", "momentum"}: file or shape)
        if let Some(s) = v.get_mut("schedule").and_then(|s| s.as_object_mut()) {
            s.insert("source".into(), source);
        }
        if let (Some(mb), Some(obj)) = (&minibatch, v.as_object_mut()) {
            obj.insert("minibatch".into(), serde_json::to_value(mb)?);
        }
        let text = serde_json::to_string_pretty(&v)?;
        println!("{text}");
    } else {
        print(&a);
        if let Some(mb) = &minibatch {
            println!();
            println!(
                "minibatch B = {} on Gaussian least squares ({} covariance eigenvalues): E‖x_N − x*‖²/E‖x₀ − x*‖² after {} steps = {} (full batch: {})",
                mb.batch,
                mb.dim,
                mb.steps,
                num(mb.mean_square_factor),
                num(mb.full_batch_mean_square_factor)
            );
            if mb.label_noise > 0.0 {
                println!("  (label noise adds a term the factor leaves out)");
            }
        }
    }
    Ok(a)
}

fn factor(v: Option<f64>, log10: f64) -> String {
    match v {
        Some(x) => rate(x),
        None => format!("10^{}", num(log10)),
    }
}

fn print(a: &ScheduleAnalysis) {
    let s = &a.schedule;
    println!(
        "{} ({}) under a {}schedule of {} values (lr {} .. {}, momentum {} .. {}), {} steps from its own start, on {} [{}, {}]",
        a.convention,
        a.family,
        if s.periodic { "periodic " } else { "" },
        s.length,
        num(s.lr_min),
        num(s.lr_max),
        num(s.momentum_min),
        num(s.momentum_max),
        a.steps,
        if a.over == "interval" {
            "every quadratic with spectrum in"
        } else {
            "the listed eigenvalues in"
        },
        num(a.mu),
        num(a.l)
    );
    println!(
        "after {} steps: worst |e_N|/|e_0| = {}  at lambda = {}{}",
        a.steps,
        factor(a.worst_factor, a.worst_factor_log10),
        num(a.worst_lambda),
        match a.worst_factor_bound {
            Some(b) if a.over == "interval" => format!("  (certified <= {})", rate(b)),
            _ => String::new(),
        }
    );
    println!(
        "  at mu: {}   at L: {}{}",
        rate(a.at_mu),
        rate(a.at_l),
        if a.interior {
            "   -> the worst curvature is interior: checking the ends is not enough"
        } else {
            ""
        }
    );
    println!(
        "peak transient: |e_t|/|e_0| = {} at step {}, lambda = {}",
        factor(a.peak_factor, a.peak_factor_log10),
        a.peak_step,
        num(a.peak_lambda)
    );
    println!("average contraction per step: {}", rate(a.effective_rate));
    if let Some(p) = &a.periodic {
        println!(
            "periodic (period {}): per-step rate rho(M)^(1/p) = {} at lambda = {}: {}",
            p.period,
            rate(p.spectral_radius),
            num(p.worst_lambda),
            if p.stable { "stable" } else { "UNSTABLE" }
        );
        let sc = &p.stable_scale;
        if sc.unbounded {
            println!("  stable at every lr scale tried (up to 2^40)");
        } else if sc.hi > 0.0 {
            println!(
                "  stable for lr scaled by s < {} (peak lr < {})",
                num(sc.hi),
                num(sc.peak_lr)
            );
        } else {
            println!("  unstable at every lr scale");
        }
    }
    for n in &a.notes {
        println!("note: {n}");
    }
}

/// How `simulate` builds its problem.
pub struct SimOptions {
    pub dim: Option<usize>,
    pub dense: bool,
    pub seed: u64,
    pub gaussian: bool,
}

#[derive(Serialize)]
struct SimJson {
    schema: &'static str,
    convention: momentum::Framework,
    dim: usize,
    dense: bool,
    steps: usize,
    steps_taken: usize,
    ending: momentum::simulate::Ending,
    initial_error: f64,
    final_error: f64,
    /// The exact |e_N|/|e_0| of this start: √(Σ e₀ᵢ² x_N(λᵢ)²), from the per-curvature analysis.
    predicted_final_error: Option<f64>,
    /// The worst case over the simulated eigenvalues (any start), max_λ |x_N(λ)|.
    worst_factor: f64,
    /// max over t of measured |e_t| / (max over the eigenvalues of |x_t(λ)|): ≤ 1 (the worst case
    /// bounds every start).
    max_ratio_to_worst_case: f64,
}

/// `simulate` with a schedule: the framework's per-step matrices run on the whole vector (dense:
/// H as a matrix), beside the exact per-curvature answer.
pub fn simulate(
    m: &MethodArgs,
    s: &SpectrumArgs,
    sched: &ScheduleArgs,
    steps: Option<usize>,
    o: SimOptions,
    json: bool,
) -> CliResult<()> {
    use momentum::Spectrum;
    use momentum::schedule::Run;
    use momentum::simulate::{Options, Quadratic, Start, run_steps};
    let loaded = sched.load(m.hyper.lr, m.hyper.momentum, steps.map(|x| x as u64))?;
    let spectrum = s.spectrum()?;
    let problem = match (&spectrum, o.dim) {
        (Spectrum::Interval { mu, l }, dim) => Quadratic::interval(*mu, *l, dim.unwrap_or(100))?,
        (Spectrum::Eigenvalues(v), None) => Quadratic::diagonal(v.clone())?,
        (Spectrum::Eigenvalues(_), Some(_)) => {
            return Err(CliError::Usage(
                "--dim spreads eigenvalues over --mu/--L; drop it with a listed spectrum".into(),
            ));
        }
    };
    let problem = if o.dense {
        problem.rotated(o.seed)?
    } else {
        problem
    };
    let mut setting = m.setting();
    if loaded.schedule.lr.is_some() {
        setting.lr = None;
    }
    let r =
        momentum::setting::schedule::base_setting(&setting, &loaded.schedule).resolve(&spectrum)?;
    let n = steps.or(loaded.schedule.len()).unwrap_or(1);
    let run = Run::new(&r, &loaded.schedule, n)?;
    let options = Options {
        start: if o.gaussian {
            Start::Gaussian
        } else {
            Start::Ones
        },
        seed: o.seed,
        record_excess: false,
        ..Options::steps(n)
    };
    let t = run_steps(run.steps(), run.start(), &problem, &options)?;
    let lams = problem.eigenvalues().to_vec();
    let listed = Spectrum::eigenvalues(lams.clone())?;
    let env = run.envelope(&listed)?;
    let mut ratio = 0.0f64;
    for (k, e) in t.error.iter().enumerate().skip(1) {
        ratio = ratio.max(e / 10f64.powf(env[k - 1].0));
    }
    // the exact error of the all-ones start (weights 1/√n per eigen-direction); a Gaussian
    // start's weights are not kept
    let predicted = match options.start {
        Start::Ones => {
            let mut s2 = 0.0;
            for &lam in &lams {
                s2 += run.factor(lam)?.powi(2);
            }
            Some((s2 / lams.len() as f64).sqrt())
        }
        Start::Gaussian => None,
    };
    let worst = run.worst(&listed)?.worst_factor;
    let out = SimJson {
        schema: super::common::SCHEMA,
        convention: r.framework,
        dim: problem.dim(),
        dense: o.dense,
        steps: n,
        steps_taken: t.steps_taken(),
        ending: t.ending,
        initial_error: t.error[0],
        final_error: t.final_error(),
        predicted_final_error: predicted,
        worst_factor: worst,
        max_ratio_to_worst_case: ratio,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "{} under the schedule, {} steps on a {} quadratic of dimension {}:",
        r.framework,
        n,
        if o.dense {
            "dense (rotated)"
        } else {
            "diagonal"
        },
        problem.dim()
    );
    println!(
        "measured |e_N|/|e_0| = {}   exact for this start: {}   worst over the eigenvalues: {}",
        rate(out.final_error),
        predicted.map_or_else(|| "n/a (gaussian start)".into(), rate),
        rate(worst)
    );
    println!(
        "max over steps of measured / worst case = {} (<= 1: the per-curvature analysis bounds every start)",
        num(ratio)
    );
    Ok(())
}

/// `analyze --switching`: the schedule's distinct steps applied in any order.
pub fn switching(
    m: &MethodArgs,
    s: &SpectrumArgs,
    sched: &ScheduleArgs,
    json: bool,
) -> CliResult<momentum::setting::schedule::SwitchingAnalysis> {
    let loaded = sched.load(m.hyper.lr, m.hyper.momentum, None)?;
    let (full, precision) = s.full()?;
    let mut setting = m.setting();
    if loaded.schedule.lr.is_some() {
        setting.lr = None;
    }
    let a = momentum::setting::schedule::analyze_switching(
        &setting,
        &loaded.schedule,
        full,
        precision,
        s.flat_tol,
    )?;
    if json {
        #[derive(Serialize)]
        struct J<'a> {
            schema: &'static str,
            #[serde(flatten)]
            a: &'a momentum::setting::schedule::SwitchingAnalysis,
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&J {
                schema: super::common::SCHEMA,
                a: &a
            })?
        );
    } else {
        println!(
            "{} steps of {} applied in any order, over {}:",
            a.distinct_steps,
            a.convention,
            if a.over == "eigenvalues" {
                "the listed eigenvalues"
            } else {
                "65 sampled curvatures of the interval"
            }
        );
        println!(
            "joint spectral radius in [{}, {}] (lower: the product {:?} repeated; upper: a common quadratic Lyapunov norm, worst at lambda = {})",
            rate(a.lower),
            rate(a.upper),
            a.lower_word,
            num(a.worst_lambda)
        );
        println!(
            "{}",
            if a.stable_under_any_order {
                "stable under every order"
            } else if a.unstable_order_exists {
                "UNSTABLE: some order of the steps grows"
            } else {
                "undecided: the bounds straddle 1"
            }
        );
    }
    Ok(a)
}
