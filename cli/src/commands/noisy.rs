//! Shared pieces of `--noise SIGMA` (the noise floor, `momentum::noise`) and of
//! `--preconditioner FILE` (Adam/AdamW/RMSprop with a frozen second moment,
//! `momentum::precondition`) for analyze, simulate and tune.

use super::args::SpectrumArgs;
use super::common::{CliError, CliResult};
use super::format::num;
use clap::Args;
use momentum::io::{Values, load_values};
use momentum::noise::{NoiseInput, floor};
use momentum::setting::precondition::{self, Preconditioned, Preconditioner};
use momentum::setting::{Hessian, Input, NoiseFloor};
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

impl PrecondArgs {
    /// The preconditioned spectrum when --preconditioner is given (the convention must be
    /// adam, adamw or rmsprop); `None` otherwise.
    pub fn spectrum(
        &self,
        sa: &SpectrumArgs,
        framework: Framework,
    ) -> CliResult<Option<(Spectrum, &'static str)>> {
        Ok(match self.input(sa, framework)? {
            Some(Input::Preconditioned {
                hessian,
                preconditioner,
            }) => Some(preconditioner.spectrum(&hessian)?),
            _ => None,
        })
    }

    /// The library's input for --preconditioner (the convention must be adam, adamw or
    /// rmsprop): the Hessian in the parameters' coordinates and P; `None` without the flag.
    pub fn input(&self, sa: &SpectrumArgs, framework: Framework) -> CliResult<Option<Input>> {
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
        let preconditioner = Preconditioner::from_second_moment(
            &v,
            self.eps.unwrap_or(1e-8),
            Some(path.display().to_string()),
        )?;
        let hessian = if let Some(file) = &sa.spectrum {
            match load_values(file)? {
                Values::Vector(h) => Hessian::Diagonal(h),
                Values::Matrix(h) => Hessian::Full(h),
            }
        } else if !sa.lambda.is_empty() {
            Hessian::Diagonal(sa.lambda.clone())
        } else {
            return Err(CliError::Usage(
                "--preconditioner needs the Hessian per coordinate: --lambda (its diagonal) or --spectrum FILE (its diagonal, or the full symmetric matrix)".into(),
            ));
        };
        Ok(Some(Input::Preconditioned {
            hessian,
            preconditioner,
        }))
    }

    /// The document's block for a preconditioned convention (with or without a file).
    pub fn json(
        &self,
        converted: &Converted,
        spectrum: &Spectrum,
        hessian: &'static str,
    ) -> CliResult<Option<Preconditioned>> {
        let pre = self.preconditioner.as_ref().map(|path| Preconditioner {
            p: vec![],
            eps: self.eps.unwrap_or(1e-8),
            source: Some(path.display().to_string()),
        });
        Ok(precondition::preconditioned(
            converted,
            spectrum,
            pre.as_ref(),
            hessian,
        ))
    }
}

/// Print the preconditioning block of a table.
pub fn print_precond(p: &Preconditioned) {
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

/// Print the noise-floor lines of a table.
pub fn print_noise(n: &NoiseFloor, interval: bool) {
    if !n.stationary {
        let mut why = vec![];
        if n.random_walk_directions > 0 {
            why.push(format!(
                "{} flat direction(s) random-walk: E|e|^2 grows by {} per step",
                n.random_walk_directions,
                num(n.random_walk_growth_per_step.unwrap_or(f64::NAN))
            ));
        }
        if n.divergent_directions > 0 {
            why.push(format!(
                "{} direction(s) diverge (saddles or unstable curvatures)",
                n.divergent_directions
            ));
        }
        if why.is_empty() {
            why.push("an unstable curvature's variance grows without bound".into());
        }
        println!(
            "noise floor (σ = {}): none — {}",
            num(n.sigma),
            why.join("; ")
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
    let coords = if n.coordinates == "preconditioned" {
        " in preconditioned coordinates (no --preconditioner)"
    } else {
        ""
    };
    println!("noise floor (σ = {}): {per}{coords}", num(n.sigma));
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
