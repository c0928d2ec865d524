//! Arguments shared by several subcommands, and their resolution into library values.

use super::common::{CliError, CliResult};
use clap::{Args, ValueEnum};
use momentum::setting::{self, Curvatures, MethodName, Resolved, Setting};
use momentum::{Framework, FrameworkParams, Precision, Spectrum};

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

/// Method families on the command line: one per row of the library's name table
/// ([`MethodName::ALL`]), with its aliases and help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodArg(pub MethodName);

static METHODS: std::sync::LazyLock<Vec<MethodArg>> =
    std::sync::LazyLock::new(|| MethodName::ALL.into_iter().map(MethodArg).collect());

impl ValueEnum for MethodArg {
    fn value_variants<'a>() -> &'a [Self] {
        &METHODS
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(
            clap::builder::PossibleValue::new(self.0.as_str())
                .aliases(self.0.aliases().iter().copied())
                .help(self.0.about()),
        )
    }
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
    #[command(flatten)]
    pub zoo: ZooFlags,
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

/// The hyperparameters only the order-n optimizers have (`--convention ademamix|lookahead|aggmo|sam`).
#[derive(Args, Debug, Clone, Default)]
pub struct ZooFlags {
    /// AdEMAMix's slow EMA β₃ (--convention ademamix; default 0.9999).
    #[arg(long, value_name = "B3", value_parser = finite_f64, allow_hyphen_values = true)]
    pub b3: Option<f64>,
    /// AdEMAMix's mixing weight α of the slow EMA (--convention ademamix; default 5).
    #[arg(long, value_name = "ALPHA", value_parser = finite_f64, allow_hyphen_values = true)]
    pub alpha: Option<f64>,
    /// Lookahead's k: inner steps per synchronisation (--convention lookahead; default 5).
    #[arg(long = "sync-period", value_name = "K")]
    pub sync_period: Option<u32>,
    /// Lookahead's slow step a ∈ (0, 1] (--convention lookahead; default 0.5).
    #[arg(long = "slow-step", value_name = "A", value_parser = finite_f64, allow_hyphen_values = true)]
    pub slow_step: Option<f64>,
    /// AggMo's momenta, comma-separated (--convention aggmo; default 0,0.9,0.99).
    #[arg(long, value_name = "B1,B2,...", value_delimiter = ',', value_parser = finite_f64, allow_hyphen_values = true)]
    pub momenta: Option<Vec<f64>>,
    /// SAM's ascent step ρ (--convention sam; the gradient at x + ρ∇f(x)).
    #[arg(long, value_name = "RHO", value_parser = finite_f64, allow_hyphen_values = true)]
    pub rho: Option<f64>,
}

impl ZooFlags {
    /// The library's [`setting::ZooExtra`].
    pub fn extra(&self) -> setting::ZooExtra {
        setting::ZooExtra {
            b3: self.b3,
            alpha: self.alpha,
            sync_period: self.sync_period,
            slow_step: self.slow_step,
            momenta: self.momenta.clone(),
            rho: self.rho,
        }
    }
}

/// A method as the user writes it: family, hyperparameters, lookahead and convention (shared by
/// `analyze`, `bound` and `simulate`).
#[derive(Args, Debug, Clone)]
pub struct MethodArgs {
    /// Method family (with a framework convention, its --nesterov flag decides and this may be omitted).
    #[arg(long, value_enum, ignore_case = true)]
    pub method: Option<MethodArg>,
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
    /// The setting these flags describe (the library's [`Setting`]).
    pub fn setting(&self) -> Setting {
        let h = &self.hyper;
        Setting {
            method: self.method.map(|m| m.0),
            framework: self.convention.into(),
            lr: h.lr,
            momentum: h.momentum,
            lookahead: self.lookahead,
            nesterov: h.nesterov,
            dampening: h.dampening,
            weight_decay: h.weight_decay,
            nu: h.nu,
            extra: h.zoo.extra(),
        }
    }

    /// The method, by [`Setting::resolve`].
    pub fn resolve(&self, spectrum: &Spectrum) -> CliResult<Resolved> {
        Ok(self.setting().resolve(spectrum)?)
    }

    /// Resolve on the spectrum of `s` and split it by the curvature the method sees
    /// ([`setting::resolve_on`]).
    pub fn resolve_on(&self, s: &SpectrumArgs) -> CliResult<(Resolved, Curvatures, Precision)> {
        let (full, precision) = s.full()?;
        self.resolve_on_full(s, full, precision)
    }

    /// [`MethodArgs::resolve_on`] for a spectrum already read (e.g. preconditioned).
    pub fn resolve_on_full(
        &self,
        s: &SpectrumArgs,
        full: Spectrum,
        precision: Precision,
    ) -> CliResult<(Resolved, Curvatures, Precision)> {
        let (r, c) = setting::resolve_on(&self.setting(), full, s.flat_tol, precision)?;
        Ok((r, c, precision))
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
    /// With --spectrum holding a symmetric matrix: only its K largest and K smallest
    /// eigenvalues, by Lanczos on products H·v instead of the dense decomposition (a large
    /// Hessian; the verdicts over a list depend on its two ends).
    #[arg(long, value_name = "K")]
    pub extremes: Option<usize>,
    /// Listed eigenvalues with |λ| ≤ TOL are flat directions (ρ = 1: neither progress nor
    /// growth) and never make a setting unstable [default: n·ε·max|λ|, ε of the numbers' type:
    /// float32 for a float32 .npy, float64 otherwise].
    #[arg(long = "flat-tol", value_name = "TOL", value_parser = finite_f64)]
    pub flat_tol: Option<f64>,
}

impl SpectrumArgs {
    /// The curvatures to analyse over for a question without a setting (no weight decay):
    /// [`Curvatures::split`] with `--flat-tol` or the default of the numbers' precision.
    pub fn analysed(&self) -> CliResult<Curvatures> {
        let (full, precision) = self.full()?;
        Ok(Curvatures::split(full, self.flat_tol, precision, 0.0)?)
    }

    /// The spectrum as given, with the precision its numbers were stored in (a `.npy` file's
    /// dtype; float64 otherwise).
    pub fn full(&self) -> CliResult<(Spectrum, Precision)> {
        if let Some(k) = self.extremes {
            return Ok((
                super::extremes::extremes(self.spectrum.as_deref(), k)?,
                Precision::Float64,
            ));
        }
        if let Some(path) = &self.spectrum {
            let l = load_file(path)?;
            return Ok((l.spectrum, l.precision));
        }
        Ok((self.spectrum()?, Precision::Float64))
    }

    /// The spectrum as given (a file's eigenvalues, the list, the interval).
    pub fn spectrum(&self) -> CliResult<Spectrum> {
        if let Some(k) = self.extremes {
            return super::extremes::extremes(self.spectrum.as_deref(), k);
        }
        if let Some(path) = &self.spectrum {
            return Ok(load_file(path)?.spectrum);
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

/// [`momentum::io::load_file`] with one line on stderr when a dense Hessian is still being read
/// or decomposed after a second ("decomposing a 3000×3000 Hessian…"), only when stderr is a
/// terminal (pipes, CI logs, tests and --json stdout stay clean, as with the progress bars).
fn load_file(path: &std::path::Path) -> CliResult<momentum::io::Loaded> {
    use std::io::IsTerminal;
    use std::sync::mpsc;
    if !std::io::stderr().is_terminal() {
        return Ok(momentum::io::load_file(path)?);
    }
    let (tx, rx) = mpsc::channel::<usize>();
    let watch = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
        let mut n = None;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(dim) => n = Some(dim),
                // the load finished (the sender is gone) within the second: say nothing
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
            }
        }
        match n {
            Some(n) => eprintln!("decomposing a {n}×{n} Hessian…"),
            None => eprintln!("reading the spectrum file…"),
        }
        // a matrix found after the message about reading it: one more line, then wait
        if let (None, Ok(n)) = (n, rx.recv()) {
            eprintln!("decomposing a {n}×{n} Hessian…");
        }
    });
    let loaded = momentum::io::load_file_with(path, &mut |n| {
        let _ = tx.send(n);
    });
    drop(tx);
    let _ = watch.join();
    Ok(loaded?)
}
