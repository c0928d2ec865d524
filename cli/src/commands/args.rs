//! Arguments shared by several subcommands, and their resolution into library values.

use super::{CliError, CliResult};
use clap::{Args, ValueEnum};
use momentum::{Converted, Framework, FrameworkParams, Method, Spectrum};

/// Parse an f64 and insist it is finite.
pub fn finite_f64(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("{s} is not a finite number"))
    }
}

/// Method families on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MethodName {
    /// gradient descent
    #[value(
        alias = "gradient_descent",
        alias = "gradient-descent",
        alias = "gradient descent"
    )]
    Gd,
    /// heavy ball (Polyak)
    #[value(
        alias = "heavy_ball",
        alias = "heavy-ball",
        alias = "heavy ball",
        alias = "polyak"
    )]
    Hb,
    /// Nesterov
    #[value(alias = "nesterov", alias = "Nesterov")]
    Nag,
    /// triple momentum, tuned from --mu/--L
    #[value(
        alias = "triple_momentum",
        alias = "triple-momentum",
        alias = "triple momentum"
    )]
    Tmm,
}

/// Conventions on the command line: one per row of the library's convention table
/// ([`Framework::ALL`]), so a convention added there appears here with its aliases and help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConventionName(pub Framework);

static CONVENTIONS: std::sync::LazyLock<Vec<ConventionName>> =
    std::sync::LazyLock::new(|| Framework::ALL.into_iter().map(ConventionName).collect());

impl ValueEnum for ConventionName {
    fn value_variants<'a>() -> &'a [Self] {
        &CONVENTIONS
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(
            clap::builder::PossibleValue::new(self.0.as_str())
                .aliases(self.0.aliases().iter().copied())
                .help(self.0.about()),
        )
    }
}

impl From<ConventionName> for Framework {
    fn from(c: ConventionName) -> Self {
        c.0
    }
}

/// Hyperparameters as the user writes them.
#[derive(Args, Debug, Clone)]
pub struct HyperArgs {
    /// Learning rate / step size α (in the chosen convention).
    #[arg(long, value_name = "A", value_parser = finite_f64, allow_hyphen_values = true)]
    pub lr: Option<f64>,
    /// Momentum β (in the chosen convention).
    #[arg(long, value_name = "B", value_parser = finite_f64, allow_hyphen_values = true)]
    pub momentum: Option<f64>,
    /// Apply Nesterov's look-ahead (the framework's own switch).
    #[arg(long)]
    pub nesterov: bool,
    /// PyTorch's dampening τ.
    #[arg(long, value_name = "D", value_parser = finite_f64, allow_hyphen_values = true)]
    pub dampening: Option<f64>,
    /// Weight decay w (PyTorch/optax: coupled, λ + w; Keras, AdamW: decoupled).
    #[arg(long = "weight-decay", value_name = "W", value_parser = finite_f64, allow_hyphen_values = true)]
    pub weight_decay: Option<f64>,
    /// QHM's ν ∈ [0, 1] (--convention qhm).
    #[arg(long, value_name = "NU", value_parser = finite_f64, allow_hyphen_values = true)]
    pub nu: Option<f64>,
}

impl HyperArgs {
    pub fn params(&self, lr: f64, lookahead: Option<f64>, nesterov: bool) -> FrameworkParams {
        FrameworkParams {
            lr,
            momentum: self.momentum,
            lookahead,
            nesterov,
            dampening: self.dampening,
            weight_decay: self.weight_decay,
            nu: self.nu,
        }
    }
}

/// A method as the user writes it: family, hyperparameters, lookahead and convention (shared by
/// `analyze`, `bound` and `simulate`).
#[derive(Args, Debug, Clone)]
pub struct MethodArgs {
    /// Method family (with a framework convention, its --nesterov flag decides and this may be omitted).
    #[arg(long, value_enum)]
    pub method: Option<MethodName>,
    #[command(flatten)]
    pub hyper: HyperArgs,
    /// Lookahead γ of the general three-parameter method (canonical convention).
    #[arg(long, value_name = "G", value_parser = finite_f64, allow_hyphen_values = true)]
    pub lookahead: Option<f64>,
    /// How --lr and --momentum are written.
    #[arg(long, value_enum, default_value = "canonical")]
    pub convention: ConventionName,
}

impl MethodArgs {
    /// The method, by [`resolve`].
    pub fn resolve(&self, spectrum: &Spectrum) -> CliResult<Resolved> {
        resolve(
            self.method,
            self.convention,
            self.lookahead,
            &self.hyper,
            spectrum,
        )
    }
}

/// The curvatures: explicit eigenvalues or an interval.
#[derive(Args, Debug, Clone)]
pub struct SpectrumArgs {
    /// Curvatures (Hessian eigenvalues), one or more; negative values are saddle directions.
    #[arg(long = "lambda", value_name = "X", num_args = 1.., value_parser = finite_f64)]
    pub lambda: Vec<f64>,
    /// Smallest curvature μ of an interval [μ, L].
    #[arg(long, value_name = "M", value_parser = finite_f64, allow_hyphen_values = true)]
    pub mu: Option<f64>,
    /// Largest curvature L of an interval [μ, L].
    #[arg(long = "L", value_name = "L", value_parser = finite_f64, allow_hyphen_values = true)]
    pub l: Option<f64>,
    /// Eigenvalues or a symmetric Hessian from a file: .npy (float32/float64, 1-D or 2-D),
    /// text/CSV (one value per line, or a square matrix) or a PyHessian/JSON list.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["lambda", "mu", "l"])]
    pub spectrum: Option<std::path::PathBuf>,
    /// The interval [1/κ, 1] of condition number κ (L = 1): rates depend on κ alone, steps
    /// scale as 1/L.
    #[arg(long, value_name = "K", value_parser = finite_f64, conflicts_with_all = ["lambda", "mu", "l", "spectrum"])]
    pub kappa: Option<f64>,
    /// Listed eigenvalues with |λ| ≤ TOL are flat directions (ρ = 1: neither progress nor
    /// growth) and never make a setting unstable [default: n·ε·max|λ|, an eigensolver's zero].
    #[arg(long = "flat-tol", value_name = "TOL", value_parser = finite_f64)]
    pub flat_tol: Option<f64>,
}

/// The curvatures a question is answered over: the positive ones of a listed spectrum (flat and
/// saddle directions reported apart), or the interval as given.
pub struct Analysed {
    /// What the analysis runs over.
    pub spectrum: Spectrum,
    /// How a listed spectrum split; `None` for an interval or when nothing was flat or negative.
    pub directions: Option<momentum::Directions>,
    /// What the split means, for the notes.
    pub notes: Vec<String>,
}

/// Split a listed spectrum into positive, flat and saddle directions (module `momentum::spectrum`).
pub fn analysed(full: Spectrum, flat_tol: Option<f64>) -> CliResult<Analysed> {
    if matches!(full, Spectrum::Interval { .. }) {
        if flat_tol.is_some() {
            return Err(CliError::Usage(
                "--flat-tol applies to listed eigenvalues (--lambda or --spectrum), not to an interval (--mu/--L, --kappa)".into(),
            ));
        }
        return Ok(Analysed {
            spectrum: full,
            directions: None,
            notes: vec![],
        });
    }
    let tol = flat_tol.unwrap_or_else(|| full.default_flat_tolerance());
    let d = full.directions(tol)?;
    if d.flat == 0 && d.negative.is_empty() {
        return Ok(Analysed {
            spectrum: full,
            directions: None,
            notes: vec![],
        });
    }
    let Some(positive) = d.positive.clone() else {
        return Err(CliError::Value(momentum::Error::Unsupported(format!(
            "no curvature above the flat tolerance {tol:e}: {} flat and {} negative (saddle) directions; nothing converges or diverges to analyse",
            d.flat,
            d.negative.len()
        ))));
    };
    let mut notes = vec![format!(
        "stability, rate and step limits are over the {} positive curvatures; {} flat (|lambda| <= {tol:e}: rho = 1, neither progress nor growth) and {} negative (saddle: the iterates leave them, see saddle_directions) are reported apart",
        positive.listed().len(),
        d.flat,
        d.negative.len()
    )];
    if let Some(k) = positive.condition_number().filter(|&k| k > 1e8) {
        notes.push(format!(
            "kappa = {k:e} from a smallest positive curvature of {:e}: check whether it is a flat direction above the tolerance (--flat-tol)",
            positive.bounds().0
        ));
    }
    Ok(Analysed {
        spectrum: positive,
        directions: Some(d),
        notes,
    })
}

impl SpectrumArgs {
    /// The curvatures to analyse over ([`analysed`]), with `--flat-tol`.
    pub fn analysed(&self) -> CliResult<Analysed> {
        analysed(self.spectrum()?, self.flat_tol)
    }

    pub fn spectrum(&self) -> CliResult<Spectrum> {
        if let Some(path) = &self.spectrum {
            return Ok(momentum::io::load(path)?);
        }
        if let Some(k) = self.kappa {
            return Ok(Spectrum::from_condition_number(k)?);
        }
        match (self.lambda.is_empty(), self.mu, self.l) {
            (false, None, None) => Ok(Spectrum::eigenvalues(self.lambda.clone())?),
            (false, _, _) => Err(CliError::Usage(
                "give either --lambda or --mu/--L, not both".into(),
            )),
            (true, Some(mu), Some(l)) => Ok(Spectrum::interval(mu, l)?),
            (true, Some(_), None) => Err(CliError::Usage("--mu needs --L".into())),
            (true, None, Some(_)) => Err(CliError::Usage("--L needs --mu".into())),
            (true, None, None) => Err(CliError::Usage(
                "give the curvatures: --lambda X [X ...], --mu M --L L, --kappa K or --spectrum FILE".into(),
            )),
        }
    }
}

/// A resolved method: the framework conversion plus how to rebuild it at another learning rate.
pub struct Resolved {
    pub framework: Framework,
    pub params: Option<FrameworkParams>,
    pub converted: Converted,
}

impl Resolved {
    /// The framework's own first step when it differs from a start at rest (PyTorch's
    /// undampened first step, the look-ahead parameters of a Nesterov switch, Keras' decay
    /// before the step); `None` when the two starts coincide or there is no framework.
    pub fn first_step(&self) -> momentum::Result<Option<momentum::bounds::FirstStep>> {
        let (Some(p), f) = (&self.params, self.framework) else {
            return Ok(None);
        };
        if f == Framework::Canonical {
            return Ok(None);
        }
        let rest = momentum::bounds::FirstStep::from_rest(&self.converted.recurrence);
        let s = momentum::bounds::framework_first_step(f, p)?;
        Ok((!s.agrees_with(&rest, 4.0)).then_some(s))
    }

    /// The recurrence at another learning rate (for the stability interval).
    pub fn at_lr(&self, lr: f64) -> momentum::Result<momentum::Recurrence> {
        match &self.params {
            Some(p) => Ok(self.framework.convert(&p.with_lr(lr))?.recurrence),
            None => Ok(self.converted.method.with_step(lr)?.recurrence()),
        }
    }
}

/// Turn --method/--convention/--lr/... into a method, with the flag rules of `analyze`.
pub fn resolve(
    method: Option<MethodName>,
    convention: ConventionName,
    lookahead: Option<f64>,
    h: &HyperArgs,
    spectrum: &Spectrum,
) -> CliResult<Resolved> {
    let framework: Framework = convention.into();
    if method == Some(MethodName::Tmm) {
        if framework != Framework::Canonical {
            return Err(CliError::Usage(
                "--method tmm is tuned from --mu/--L and has no framework convention".into(),
            ));
        }
        if h.lr.is_some() || h.momentum.is_some() || lookahead.is_some() || h.nesterov {
            return Err(CliError::Usage(
                "--method tmm computes its own step, momentum and lookahead from --mu/--L: drop --lr/--momentum/--lookahead/--nesterov".into(),
            ));
        }
        if h.dampening.is_some() || h.weight_decay.is_some() {
            return Err(CliError::Usage(
                "--dampening/--weight-decay need a framework --convention".into(),
            ));
        }
        let Spectrum::Interval { mu, l } = *spectrum else {
            return Err(CliError::Usage(
                "--method tmm is defined from an interval: give --mu and --L".into(),
            ));
        };
        let converted = Converted {
            framework,
            ..Converted::from(Method::triple_momentum(mu, l)?)
        };
        return Ok(Resolved {
            framework,
            params: None,
            converted,
        });
    }
    let lr =
        h.lr.ok_or_else(|| CliError::Usage("--lr is required".into()))?;
    let mut nesterov = h.nesterov;
    match method {
        Some(MethodName::Gd) => {
            if h.momentum.is_some_and(|b| b != 0.0) || nesterov || lookahead.is_some() {
                return Err(CliError::Usage(
                    "--method gd takes no --momentum, --lookahead or --nesterov".into(),
                ));
            }
        }
        Some(MethodName::Hb) => {
            if nesterov {
                return Err(CliError::Usage(
                    "--method hb conflicts with --nesterov (use --method nag)".into(),
                ));
            }
            if lookahead.is_some_and(|g| g != 0.0) {
                return Err(CliError::Usage(
                    "--method hb has lookahead 0; drop --lookahead or omit --method".into(),
                ));
            }
            if h.momentum.is_none() {
                return Err(CliError::Usage("--method hb needs --momentum".into()));
            }
        }
        Some(MethodName::Nag) => {
            if h.momentum.is_none() {
                return Err(CliError::Usage("--method nag needs --momentum".into()));
            }
            if lookahead.is_some_and(|g| Some(g) != h.momentum) {
                return Err(CliError::Usage(
                    "--method nag has lookahead = momentum; drop --lookahead or omit --method"
                        .into(),
                ));
            }
            nesterov = true;
        }
        // Tmm returned above
        Some(MethodName::Tmm) | None => {}
    }
    if framework == Framework::Canonical
        && (h.dampening.is_some() || h.weight_decay.is_some() || h.nu.is_some())
    {
        return Err(CliError::Usage(
            "--dampening/--weight-decay/--nu belong to a framework: add --convention pytorch|keras|optax|adamw|qhm"
                .into(),
        ));
    }
    // a lookahead equal to the momentum under --method nag is just Nesterov
    let lookahead = if method == Some(MethodName::Nag) {
        None
    } else {
        lookahead.filter(|_| method != Some(MethodName::Hb))
    };
    let params = h.params(lr, lookahead, nesterov);
    let converted = framework.convert(&params)?;
    Ok(Resolved {
        framework,
        params: Some(params),
        converted,
    })
}

/// `--delay TAU`, shared by `analyze`, `map` and `tune` (cli/src/commands/delay.rs).
#[derive(Args, Debug, Clone)]
pub struct DelayArgs {
    /// Gradient delay τ in steps (stale/asynchronous gradients): the gradient is taken at the
    /// (lookahead) point of τ steps ago; 0 ≤ τ ≤ 64 (the polynomial has degree τ + 2).
    #[arg(long, value_name = "TAU", allow_hyphen_values = true)]
    pub delay: Option<String>,
}

impl DelayArgs {
    /// τ: a usage error unless a whole number ≥ 0; beyond `momentum::delay::MAX_DELAY` the
    /// library's error (exit 1).
    pub fn tau(&self) -> CliResult<Option<u32>> {
        let Some(s) = &self.delay else {
            return Ok(None);
        };
        let t: u64 = s.trim().parse().map_err(|_| {
            CliError::Usage(format!(
                "--delay must be a whole number of steps 0..={}, got '{s}'",
                momentum::delay::MAX_DELAY
            ))
        })?;
        Ok(Some(momentum::delay::check_delay(t)?))
    }
}
