//! `--lr-schedule` / `--momentum-schedule` / `--periodic`: schedules on `bound`, `analyze`,
//! `tune` and `simulate`, read from a file or a named shape, analysed by
//! [`momentum::setting::schedule::analyze_schedule`].

use super::args::{MethodArgs, SpectrumArgs};
use super::common::{CliError, CliResult};
use super::format::{num, rate};
use clap::Args;
use momentum::schedule::Schedule;
use momentum::schedule::shape::Shape;
use momentum::setting::schedule::{ScheduleAnalysis, analyze_schedule};
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
        self.lr_schedule.is_some() || self.momentum_schedule.is_some() || self.periodic
    }

    /// Read the schedule; `steps` is the horizon asked for (a shape without its own length
    /// needs it), `base_lr` the flag --lr (PyTorch's schedulers scale it).
    pub fn load(
        &self,
        lr_flag: Option<f64>,
        momentum_flag: Option<f64>,
        steps: Option<u64>,
    ) -> CliResult<Loaded> {
        if self.lr_schedule.is_none() && self.momentum_schedule.is_none() {
            return Err(CliError::Usage(
                "--periodic needs --lr-schedule or --momentum-schedule".into(),
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
struct Json<'a> {
    schema: &'static str,
    #[serde(flatten)]
    analysis: &'a ScheduleAnalysis,
    lr_source: Option<Source>,
    momentum_source: Option<Source>,
}

/// `bound` or `analyze` with a schedule: the finite horizon (and the periodic verdict).
pub fn run(
    m: &MethodArgs,
    s: &SpectrumArgs,
    sched: &ScheduleArgs,
    steps: Option<u64>,
    json: bool,
) -> CliResult<ScheduleAnalysis> {
    let loaded = sched.load(m.hyper.lr, m.hyper.momentum, steps)?;
    let (full, precision) = s.full()?;
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
    if json {
        let out = Json {
            schema: super::common::SCHEMA,
            analysis: &a,
            lr_source: loaded.lr,
            momentum_source: loaded.momentum,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print(&a);
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
