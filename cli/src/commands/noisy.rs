//! Shared pieces of `--noise SIGMA` (the noise floor, `momentum::noise`) and of
//! `--preconditioner FILE` (Adam/AdamW/RMSprop with a frozen second moment,
//! `momentum::precondition`) for analyze, simulate and tune.

use super::args::SpectrumArgs;
use super::format::num;
use super::{CliError, CliResult};
use clap::Args;
use momentum::io::{Values, load_values};
use momentum::noise::{CurvatureVariance, NoiseInput, floor};
use momentum::{Converted, Framework, Spectrum};
use serde::Serialize;
use std::path::PathBuf;

/// Check --noise: a standard deviation.
pub fn check_sigma(sigma: f64) -> CliResult<f64> {
    if sigma < 0.0 {
        return Err(CliError::Usage(format!(
            "--noise is a standard deviation: it must be >= 0, got {sigma}"
        )));
    }
    Ok(sigma)
}

/// `--preconditioner FILE --eps E`.
#[derive(Args, Debug, Clone)]
pub struct PrecondArgs {
    /// Adam/RMSprop's settled second moment v (exp_avg_sq, bias-corrected; square_avg) as a vector
    /// file (.npy, text, JSON); the curvatures given (--lambda or --spectrum: a Hessian diagonal or
    /// a full symmetric Hessian) are then preconditioned: eigenvalues of P^-1/2 H P^-1/2,
    /// P = diag(sqrt(v) + eps). Frozen-preconditioner local analysis.
    #[arg(long, value_name = "FILE")]
    pub preconditioner: Option<PathBuf>,
    /// Adam's eps, added after the square root [default: 1e-8].
    #[arg(long, value_name = "E", value_parser = super::args::finite_f64, requires = "preconditioner")]
    pub eps: Option<f64>,
}

/// What the preconditioning did, for the JSON document.
#[derive(Serialize, Clone)]
pub struct PrecondJson {
    /// The file of v, when one was given.
    pub preconditioner: Option<String>,
    pub eps: Option<f64>,
    /// Whether the curvatures were a diagonal ("diagonal"), a full Hessian ("full"), or taken as
    /// already preconditioned ("as_given").
    pub hessian: &'static str,
    /// The largest preconditioned curvature.
    pub sharpness: f64,
    /// The largest preconditioned curvature at which this setting is stable (1 + p0 + q0)/p1.
    pub edge_sharpness: Option<f64>,
    pub analysis: &'static str,
}

const FROZEN: &str = "frozen-preconditioner local analysis: Adam/RMSprop near a minimum with the second moment v settled; leaves out the bias correction's early steps and the moving v";

impl PrecondArgs {
    /// The preconditioned spectrum when --preconditioner is given (the convention must be
    /// adam, adamw or rmsprop); `None` otherwise.
    pub fn spectrum(
        &self,
        sa: &SpectrumArgs,
        framework: Framework,
    ) -> CliResult<Option<(Spectrum, &'static str)>> {
        let Some(path) = &self.preconditioner else {
            return Ok(None);
        };
        if !framework.is_preconditioned() {
            return Err(CliError::Usage(format!(
                "--preconditioner applies to --convention adam, adamw or rmsprop, not {framework}"
            )));
        }
        let v = match load_values(path)? {
            Values::Vector(v) => v,
            Values::Matrix(m) => {
                return Err(CliError::Usage(format!(
                    "--preconditioner is a vector (exp_avg_sq, one value per coordinate), got a {}x{} matrix",
                    m.nrows(),
                    m.ncols()
                )));
            }
        };
        let p = momentum::precondition::preconditioner(&v, self.eps.unwrap_or(1e-8))?;
        if let Some(file) = &sa.spectrum {
            return Ok(Some(match load_values(file)? {
                Values::Vector(h) => (momentum::precondition::diagonal(&h, &p)?, "diagonal"),
                Values::Matrix(h) => (momentum::precondition::full(&h, &p)?, "full"),
            }));
        }
        if !sa.lambda.is_empty() {
            return Ok(Some((
                momentum::precondition::diagonal(&sa.lambda, &p)?,
                "diagonal",
            )));
        }
        Err(CliError::Usage(
            "--preconditioner needs the Hessian per coordinate: --lambda (its diagonal) or --spectrum FILE (its diagonal, or the full symmetric matrix)".into(),
        ))
    }

    /// The JSON block for a preconditioned convention (with or without a file).
    pub fn json(
        &self,
        converted: &Converted,
        spectrum: &Spectrum,
        hessian: &'static str,
    ) -> Option<PrecondJson> {
        if !converted.framework.is_preconditioned() {
            return None;
        }
        let r = &converted.recurrence;
        Some(PrecondJson {
            preconditioner: self
                .preconditioner
                .as_ref()
                .map(|p| p.display().to_string()),
            eps: self
                .preconditioner
                .as_ref()
                .map(|_| self.eps.unwrap_or(1e-8)),
            hessian,
            sharpness: spectrum.bounds().1,
            edge_sharpness: (r.q1() == 0.0 && r.p1() > 0.0)
                .then(|| (1.0 + r.p0() + r.q0()) / r.p1()),
            analysis: FROZEN,
        })
    }
}

/// Print the preconditioning block of a table.
pub fn print_precond(p: &PrecondJson) {
    let how = match p.hessian {
        "as_given" => "curvatures taken as already preconditioned (no --preconditioner)",
        "full" => "eigenvalues of P^-1/2 H P^-1/2 (full Hessian)",
        _ => "h_i / P_i (Hessian diagonal)",
    };
    println!(
        "preconditioned: {how}; sharpness {}{}",
        num(p.sharpness),
        p.edge_sharpness
            .map(|e| format!(", edge of stability {}", num(e)))
            .unwrap_or_default()
    );
}

/// The `noise_floor` block of `analyze --json`.
#[derive(Serialize)]
pub struct NoiseFloorJson {
    /// σ, echoed.
    pub sigma: f64,
    /// "one_gradient" (a₀ = α, a₁ = 0) or "two_gradients" (QHM: a₀ = p₁, a₁ = q₁).
    pub model: &'static str,
    /// Whether a stationary state exists (every analysed curvature stable).
    pub stationary: bool,
    /// E‖e‖²/σ² summed over the listed eigenvalues (null for an interval or when not stationary).
    pub per_unit_variance: Option<f64>,
    /// E‖e‖²/(σ² n): mean over the eigenvalues, or over a uniform density on [μ, L].
    pub mean_per_direction: Option<f64>,
    /// σ² × per_unit_variance (eigenvalues) or σ² × mean_per_direction (interval).
    pub floor: Option<f64>,
    /// The curvature with the largest stationary variance.
    pub largest: Option<CurvatureVariance>,
    /// Stationary variance per unit σ² at the listed curvatures (interval: its two ends).
    pub per_curvature: Vec<CurvatureVariance>,
}

/// The noise floor of a converted setting on a spectrum (not stationary → `stationary: false`).
pub fn noise_floor(c: &Converted, spectrum: &Spectrum, sigma: f64) -> CliResult<NoiseFloorJson> {
    let input = NoiseInput::for_converted(c);
    let model = if input.previous != 0.0 {
        "two_gradients"
    } else {
        "one_gradient"
    };
    match floor(&c.recurrence, input, spectrum) {
        Ok(f) => {
            let s2 = sigma * sigma;
            Ok(NoiseFloorJson {
                sigma,
                model,
                stationary: true,
                per_unit_variance: f.total,
                mean_per_direction: Some(f.mean_per_direction),
                floor: Some(s2 * f.total.unwrap_or(f.mean_per_direction)),
                largest: Some(f.largest),
                per_curvature: f.curvatures,
            })
        }
        Err(momentum::Error::NoStationaryState { .. }) => Ok(NoiseFloorJson {
            sigma,
            model,
            stationary: false,
            per_unit_variance: None,
            mean_per_direction: None,
            floor: None,
            largest: None,
            per_curvature: vec![],
        }),
        Err(e) => Err(e.into()),
    }
}

/// Print the noise-floor lines of a table.
pub fn print_noise(n: &NoiseFloorJson, interval: bool) {
    if !n.stationary {
        println!(
            "noise floor (σ = {}): none — an unstable curvature's variance grows without bound",
            num(n.sigma)
        );
        return;
    }
    let per = if interval {
        format!(
            "E|e|^2 per direction = {} (σ² × {}, uniform density on the interval)",
            num(n.floor.unwrap_or(f64::NAN)),
            num(n.mean_per_direction.unwrap_or(f64::NAN))
        )
    } else {
        format!(
            "stationary E|e|^2 = {} (σ² × {})",
            num(n.floor.unwrap_or(f64::NAN)),
            num(n.per_unit_variance.unwrap_or(f64::NAN))
        )
    };
    println!("noise floor (σ = {}): {per}", num(n.sigma));
    if let Some(l) = n.largest {
        println!(
            "  largest per-direction variance σ² × {} at λ = {}",
            num(l.variance),
            num(l.lambda)
        );
    }
}

/// `tune --noise SIGMA [--epsilon EPS]`: each tuning's floor, and the fastest settings under noise.
#[derive(Serialize)]
pub struct NoisyTuneJson {
    /// σ, echoed.
    pub sigma: f64,
    /// With --epsilon: per family, the (α, β) that reach an RMS error ε per direction
    /// (E|e|^2 <= ε² from |e_0|^2 = 1 per direction, uniform density on [μ, L]) fastest.
    pub fastest: Vec<FastestJson>,
}

/// One family's fastest setting under noise.
#[derive(Serialize)]
pub struct FastestJson {
    pub family: &'static str,
    pub step: f64,
    pub momentum: f64,
    pub lookahead: f64,
    pub rate: f64,
    /// E|e|^2 per direction per unit σ² at that setting.
    pub floor_per_unit_variance: f64,
    /// Predicted iterations: ln((ε² − σ²F))/(2 ln ρ).
    pub iterations: f64,
}

/// The floor per direction (per unit σ², times σ²) of a method on an interval; `None` if unstable.
pub fn tuning_floor(m: &momentum::Method, interval: &Spectrum, sigma: f64) -> Option<f64> {
    let rec = m.recurrence();
    floor(&rec, NoiseInput::single_gradient(&rec), interval)
        .ok()
        .map(|f| sigma * sigma * f.mean_per_direction)
}

/// The fastest settings of GD, heavy ball and Nesterov under σ to RMS error ε.
pub fn fastest(interval: &Spectrum, sigma: f64, epsilon: Option<f64>) -> CliResult<NoisyTuneJson> {
    let mut out = vec![];
    if let Some(e) = epsilon {
        for family in [
            momentum::Family::GradientDescent,
            momentum::Family::HeavyBall,
            momentum::Family::Nesterov,
        ] {
            let t = momentum::noise::fastest_to(family, interval, sigma, e * e)?;
            out.push(FastestJson {
                family: family.name(),
                step: t.method.step(),
                momentum: t.method.momentum(),
                lookahead: t.method.lookahead(),
                rate: t.rate,
                floor_per_unit_variance: t.floor_per_unit_variance,
                iterations: t.iterations,
            });
        }
    }
    Ok(NoisyTuneJson {
        sigma,
        fastest: out,
    })
}

/// Print the noise section of `tune`.
pub fn print_fastest(n: &NoisyTuneJson) {
    if n.fastest.is_empty() {
        return;
    }
    println!();
    println!(
        "fastest to the RMS error ε under noise σ = {} (E|e|^2 per direction, uniform density; model ρ^2N + σ²F):",
        num(n.sigma)
    );
    println!(
        "{:<18} {:>12} {:>10} {:>10} {:>12} {:>12}",
        "family", "step", "momentum", "rate", "floor/σ²", "iterations"
    );
    for f in &n.fastest {
        println!(
            "{:<18} {:>12} {:>10} {:>10} {:>12} {:>12}",
            f.family,
            num(f.step),
            num(f.momentum),
            num(f.rate),
            num(f.floor_per_unit_variance),
            num(f.iterations)
        );
    }
}
