//! The arguments of `momentum map` and what every kind of map reads from them: the canonical
//! (step, momentum) plane (canonical.rs, with --delay and --certified) and a framework's own
//! (lr, momentum) plane (framework.rs).

use crate::commands::args::{
    ConventionName, DelayArgs, MethodArg, SpectrumArgs, ZooFlags, finite_f64,
};
use crate::commands::common::{CliError, CliResult};
use crate::commands::noisy::PrecondArgs;
use clap::Args;
use momentum::map::GridSpec;
use momentum::map::zoo::ZooAxis;
use momentum::{Framework, FrameworkParams};
use std::path::PathBuf;

/// Arguments of `momentum map`.
#[derive(Args, Debug)]
pub struct MapArgs {
    /// Method family swept along the momentum axis [default: hb; with --convention the
    /// framework's --nesterov switch decides].
    #[arg(long, value_enum, ignore_case = true)]
    pub(super) method: Option<MethodArg>,
    /// A fixed lookahead γ instead (the momentum axis moves β only).
    #[arg(long, value_name = "G", value_parser = finite_f64, allow_hyphen_values = true, conflicts_with = "method")]
    pub(super) lookahead: Option<f64>,
    #[command(flatten)]
    pub(super) spectrum: SpectrumArgs,
    #[command(flatten)]
    pub(super) delay: DelayArgs,
    /// Largest step α (cells cover (0, lr-max]) [default: 4/L, the widest heavy-ball range, or
    /// 1.25× the largest --mark step when that is larger].
    #[arg(long = "lr-max", value_name = "A", value_parser = finite_f64, allow_hyphen_values = true)]
    pub(super) lr_max: Option<f64>,
    /// Mark a setting on the figure and report its worst-case rate: step,momentum (repeatable).
    #[arg(long = "mark", value_name = "LR,MOMENTUM", value_parser = parse_mark, allow_hyphen_values = true)]
    pub(super) mark: Vec<(f64, f64)>,
    /// A logarithmic step axis [lr-min, lr-max] (ill-conditioned spectra: the useful steps span
    /// decades).
    #[arg(long = "log-lr")]
    pub(super) log_lr: bool,
    /// Smallest step of the logarithmic axis [default: lr-max/10⁴, or 0.5× the smallest --mark
    /// step when that is smaller].
    #[arg(long = "lr-min", value_name = "A", value_parser = finite_f64, allow_hyphen_values = true, requires = "log_lr")]
    pub(super) lr_min: Option<f64>,
    /// Largest normalised step h = αL instead of --lr-max.
    #[arg(long = "h-max", value_name = "H", value_parser = finite_f64, allow_hyphen_values = true, conflicts_with = "lr_max")]
    pub(super) h_max: Option<f64>,
    /// Smallest momentum (edge of the first cell) [default: -1; 0 with --convention].
    #[arg(long = "momentum-min", value_name = "B", value_parser = finite_f64, allow_hyphen_values = true)]
    pub(super) momentum_min: Option<f64>,
    /// Largest momentum (edge of the last cell) [default: 1].
    #[arg(long = "momentum-max", value_name = "B", value_parser = finite_f64, allow_hyphen_values = true)]
    pub(super) momentum_max: Option<f64>,
    /// Cells along the step axis (and the momentum axis unless --grid-momentum).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub(super) grid: i64,
    /// Cells along the momentum axis.
    #[arg(long = "grid-momentum", value_name = "M", allow_hyphen_values = true)]
    pub(super) grid_momentum: Option<i64>,
    /// Write a figure (.png or .svg).
    #[arg(long, value_name = "FILE")]
    pub(super) out: Option<PathBuf>,
    /// Write one CSV row per cell.
    #[arg(long, value_name = "FILE")]
    pub(super) csv: Option<PathBuf>,
    /// One JSON document on stdout.
    #[arg(long)]
    pub(super) json: bool,
    /// No progress bar.
    #[arg(long)]
    pub(super) quiet: bool,
    /// --convention and the framework arguments held fixed (cli/src/commands/map/framework.rs).
    #[command(flatten)]
    pub(super) conv: MapConventionArgs,
    /// Colour each cell by the rate certified on every L-smooth μ-strongly convex function
    /// (IQC, frequency route; `momentum certify`) instead of the quadratic worst case; where none
    /// is certified, a counterexample (a cycle on the class, verified exactly at the cell) or
    /// undecided.
    #[arg(long, conflicts_with = "delay")]
    pub(super) certified: bool,
    /// With --certified: the window W of the lifted certificates tried where the one-step
    /// certificate and the cycle search both fail (`momentum certify --window`); 1 is the
    /// one-step analysis alone.
    #[arg(long, value_name = "W", requires = "certified", default_value_t = momentum::certify::lifted::DEFAULT_WINDOW)]
    pub(super) window: usize,
}

/// The largest step of the axis: --lr-max, or --h-max / L (`h` names h in the message), or
/// `default` (its value and the note saying how it was chosen) when neither is given.
pub(super) fn lr_max(
    a: &MapArgs,
    hi: f64,
    h: &str,
    default: impl FnOnce() -> CliResult<(f64, String)>,
    notes: &mut Vec<String>,
) -> CliResult<f64> {
    match (a.lr_max, a.h_max) {
        (Some(x), None) => Ok(x),
        (None, Some(hm)) => {
            if hi <= 0.0 {
                return Err(CliError::Usage(format!(
                    "--h-max needs a positive largest curvature L (h = {h}); use --lr-max"
                )));
            }
            Ok(hm / hi)
        }
        (None, None) => {
            let (widest, note) = default()?;
            notes.push(note);
            Ok(widest)
        }
        _ => Err(CliError::Usage(
            "give --lr-max A or --h-max H, not both".into(),
        )),
    }
}

/// `spec` on a logarithmic step axis under --log-lr: from --lr-min, or by default lr_max/10⁴ (or
/// half the smallest positive --mark step when that is smaller).
pub(super) fn log_axis(a: &MapArgs, spec: GridSpec) -> CliResult<GridSpec> {
    if !a.log_lr {
        return Ok(spec);
    }
    let lr_min = a.lr_min.unwrap_or_else(|| {
        a.mark
            .iter()
            .map(|m| 0.5 * m.0)
            .filter(|&x| x > 0.0)
            .fold(spec.step_max() * 1e-4, f64::min)
    });
    Ok(spec.log_steps(lr_min)?)
}

pub(super) fn cells(name: &str, n: i64) -> CliResult<usize> {
    if n <= 0 {
        return Err(CliError::Usage(format!(
            "--{name} must be a positive number of cells, got {n}"
        )));
    }
    usize::try_from(n).map_err(|_| CliError::Usage(format!("--{name} {n} is too large")))
}

/// `LR,MOMENTUM` as two finite numbers.
fn parse_mark(s: &str) -> Result<(f64, f64), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("'{s}' is not LR,MOMENTUM (two numbers and a comma)"))?;
    let num = |t: &str| -> Result<f64, String> { finite_f64(t.trim()) };
    Ok((num(a)?, num(b)?))
}

/// The framework flags of `momentum map`.
#[derive(Args, Debug)]
pub struct MapConventionArgs {
    /// Draw the plane in this convention's own lr (x axis) and momentum / beta1 (y axis), its
    /// other arguments held at the flags below [default: canonical, the (step, momentum) plane].
    #[arg(long, value_enum)]
    pub convention: Option<ConventionName>,
    /// The framework's Nesterov switch (held fixed over the map).
    #[arg(long)]
    pub nesterov: bool,
    /// PyTorch's dampening τ (held fixed).
    #[arg(long, value_name = "D", value_parser = finite_f64, allow_hyphen_values = true)]
    pub dampening: Option<f64>,
    /// Weight decay w (PyTorch/optax: coupled, λ + w; Keras, AdamW: decoupled), held fixed.
    #[arg(long = "weight-decay", value_name = "W", value_parser = finite_f64, allow_hyphen_values = true)]
    pub weight_decay: Option<f64>,
    /// QHM's ν ∈ [0, 1] (--convention qhm), held fixed.
    #[arg(long, value_name = "NU", value_parser = finite_f64, allow_hyphen_values = true)]
    pub nu: Option<f64>,
    #[command(flatten)]
    pub pre: PrecondArgs,
    /// The order-n optimizers' own hyperparameters (held fixed).
    #[command(flatten)]
    pub zoo: ZooFlags,
    /// The row axis of an order-n optimizer's map (--convention ademamix|lookahead|
    /// schedule_free|aggmo|sam) [default: momentum: beta1, b1, the inner/base momentum, AggMo's
    /// last momentum]; ademamix also b3, lookahead also slow-step.
    #[arg(long, value_enum)]
    pub axis: Option<AxisName>,
}

/// The row axis of an order-n optimizer's map.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxisName {
    /// The optimizer's momentum (beta1 for ademamix, b1 for schedule_free, the last of aggmo's
    /// --momenta).
    Momentum,
    /// AdEMAMix's beta3.
    B3,
    /// Lookahead's slow step.
    SlowStep,
}

impl From<AxisName> for ZooAxis {
    fn from(a: AxisName) -> Self {
        match a {
            AxisName::Momentum => ZooAxis::Momentum,
            AxisName::B3 => ZooAxis::B3,
            AxisName::SlowStep => ZooAxis::SlowStep,
        }
    }
}

impl MapConventionArgs {
    /// The framework when the plane is a framework's (not canonical); a usage error for a
    /// framework flag without one.
    ///
    /// `certified`: the map is a certified-rate map, which is drawn in the canonical plane only.
    pub fn framework(&self, certified: bool) -> CliResult<Option<Framework>> {
        let framework = self.convention.map(Framework::from);
        if let Some(f) = framework.filter(|f| f.is_linear()) {
            // the optimizer checks its own flags (setting::zoo::method)
            if self.pre.preconditioner.is_some() && !f.is_preconditioned() {
                return Err(CliError::Usage(format!(
                    "--preconditioner is not an argument of {f} (it is an argument of: adam|adamw|rmsprop|ademamix)"
                )));
            }
            return Ok(Some(f));
        }
        let zoo_flag = [
            (self.zoo.b3.is_some(), "--b3"),
            (self.zoo.alpha.is_some(), "--alpha"),
            (self.zoo.sync_period.is_some(), "--sync-period"),
            (self.zoo.slow_step.is_some(), "--slow-step"),
            (self.zoo.momenta.is_some(), "--momenta"),
            (self.zoo.rho.is_some(), "--rho"),
            (self.axis.is_some(), "--axis"),
        ]
        .into_iter()
        .find_map(|(on, flag)| on.then_some(flag));
        if let Some(flag) = zoo_flag {
            return Err(CliError::Usage(format!(
                "{flag} belongs to the map of an order-n optimizer: --convention ademamix|lookahead|schedule_free|aggmo|sam"
            )));
        }
        match framework {
            Some(Framework::Canonical) | None => {
                if let Some(flag) = self.given().first() {
                    let hint = if certified {
                        "--certified maps are drawn in the canonical (step, momentum) plane: drop it"
                            .to_string()
                    } else if *flag == "--nesterov" {
                        "use --method nag, or add --convention ".to_string() + &names(flag)
                    } else {
                        format!("add --convention {}", names(flag))
                    };
                    return Err(CliError::Usage(format!(
                        "{flag} belongs to a framework's map: {hint}"
                    )));
                }
                Ok(None)
            }
            Some(f) => {
                // a flag the framework does not have: a usage error before any cell is converted
                if let Some(flag) = self
                    .given()
                    .into_iter()
                    .find(|flag| !frameworks_with(flag).contains(&f))
                {
                    return Err(CliError::Usage(format!(
                        "{flag} is not an argument of {f} (it is an argument of: {})",
                        names(flag)
                    )));
                }
                Ok(Some(f))
            }
        }
    }

    /// The framework flags given on the command line.
    fn given(&self) -> Vec<&'static str> {
        [
            (self.nesterov, "--nesterov"),
            (self.dampening.is_some(), "--dampening"),
            (self.weight_decay.is_some(), "--weight-decay"),
            (self.nu.is_some(), "--nu"),
            (self.pre.preconditioner.is_some(), "--preconditioner"),
        ]
        .into_iter()
        .filter_map(|(on, flag)| on.then_some(flag))
        .collect()
    }
}

/// The frameworks that have `flag` among their own arguments, asked of the library's conversion
/// (a setting with only that flag set, lr 0.01, momentum 0.5; QHM with its ν), so the list follows
/// `Framework::convert` rather than a copy of its rules.
fn frameworks_with(flag: &str) -> Vec<Framework> {
    Framework::TWO_STEP
        .into_iter()
        .filter(|&f| f != Framework::Canonical)
        .filter(|&f| {
            if flag == "--preconditioner" {
                return f.is_preconditioned();
            }
            let mut p = FrameworkParams {
                lr: 0.01,
                momentum: Some(0.5),
                ..Default::default()
            };
            match flag {
                "--nesterov" => p.nesterov = true,
                "--dampening" => p.dampening = Some(0.1),
                "--weight-decay" => p.weight_decay = Some(0.01),
                "--nu" => p.nu = Some(0.5),
                _ => return false,
            }
            if f == Framework::Qhm && p.nu.is_none() {
                p.nu = Some(0.7);
            }
            f.convert(&p).is_ok()
        })
        .collect()
}

/// `a|b|c`: the frameworks that have `flag`.
fn names(flag: &str) -> String {
    let v: Vec<String> = frameworks_with(flag)
        .iter()
        .map(|f| f.to_string())
        .collect();
    v.join("|")
}
