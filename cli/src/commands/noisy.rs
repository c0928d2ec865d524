//! Shared pieces of `--noise SIGMA` (the noise floor, `momentum::noise`) and of
//! `--preconditioner FILE` (Adam/AdamW/RMSprop with a frozen second moment,
//! `momentum::precondition`) for analyze, simulate and tune.

use super::args::SpectrumArgs;
use super::common::{CliError, CliResult};
use super::format::num;
use clap::Args;
use momentum::io::{Values, load_values};
use momentum::noise::{
    CurvatureVariance, FloorReport, NoiseInput, ParameterHessian, floor, floor_of_directions,
    preconditioned_floor,
};
use momentum::{Converted, Directions, Framework, Spectrum};
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

/// The Hessian given with --preconditioner, in the parameters' coordinates.
pub enum Hessian {
    Diagonal(Vec<f64>),
    Full(nalgebra::DMatrix<f64>),
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
        if self.preconditioner.is_none() {
            return Ok(None);
        }
        if !framework.is_preconditioned() {
            return Err(CliError::Usage(format!(
                "--preconditioner applies to --convention adam, adamw or rmsprop, not {framework}"
            )));
        }
        let Some((p, h)) = self.parameters(sa)? else {
            return Ok(None);
        };
        Ok(Some(match &h {
            Hessian::Diagonal(h) => (momentum::precondition::diagonal(h, &p)?, "diagonal"),
            Hessian::Full(h) => (momentum::precondition::full(h, &p)?, "full"),
        }))
    }

    /// P = √v + ε and the Hessian in the parameters' coordinates, when --preconditioner is given.
    pub fn parameters(&self, sa: &SpectrumArgs) -> CliResult<Option<(Vec<f64>, Hessian)>> {
        let Some(path) = &self.preconditioner else {
            return Ok(None);
        };
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
                Values::Vector(h) => (p, Hessian::Diagonal(h)),
                Values::Matrix(h) => (p, Hessian::Full(h)),
            }));
        }
        if !sa.lambda.is_empty() {
            return Ok(Some((p, Hessian::Diagonal(sa.lambda.clone()))));
        }
        Err(CliError::Usage(
            "--preconditioner needs the Hessian per coordinate: --lambda (its diagonal) or --spectrum FILE (its diagonal, or the full symmetric matrix)".into(),
        ))
    }

    /// `noise_floor` of analyze: in the parameters' coordinates with --preconditioner
    /// ([`momentum::noise::preconditioned_floor`]), and over the split `directions` (flat ones
    /// random-walk, saddles diverge) otherwise.
    pub fn noise_floor(
        &self,
        c: &Converted,
        spectrum: &Spectrum,
        sigma: f64,
        directions: Option<&Directions>,
        sa: &SpectrumArgs,
    ) -> CliResult<NoiseFloorJson> {
        let pre = if c.framework.is_preconditioned() {
            self.parameters(sa)?
        } else {
            None
        };
        noise_floor_split(c, spectrum, sigma, directions, pre.as_ref())
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
    /// "parameters" (E‖x − x*‖²), or "preconditioned" (adam/adamw/rmsprop without
    /// --preconditioner: P unknown, E‖P^{1/2}(x − x*)‖²).
    pub coordinates: &'static str,
    /// Whether a stationary state exists (every direction has one).
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
    /// Directions whose variance grows linearly (flat ones: a root at +1).
    pub random_walk_directions: usize,
    /// The growth of E‖e_k‖² per step from them, σ² × random_walk_growth_per_unit_variance.
    pub random_walk_growth_per_step: Option<f64>,
    /// The same per unit σ²: (a₀ − a₁)²/(1 − c₀)² per flat direction (α²/(1 − β)², heavy ball).
    pub random_walk_growth_per_unit_variance: Option<f64>,
    /// Directions whose variance grows faster than linearly: saddles and unstable curvatures.
    pub divergent_directions: usize,
}

/// The noise floor over `spectrum` (the positive curvatures) and the flat and saddle
/// `directions` set apart from it, in the parameters' coordinates when `pre` gives P and the
/// Hessian.
pub fn noise_floor_split(
    c: &Converted,
    spectrum: &Spectrum,
    sigma: f64,
    directions: Option<&Directions>,
    pre: Option<&(Vec<f64>, Hessian)>,
) -> CliResult<NoiseFloorJson> {
    let input = NoiseInput::for_converted(c);
    let model = if input.previous != 0.0 {
        "two_gradients"
    } else {
        "one_gradient"
    };
    let coordinates = if c.framework.is_preconditioned() && pre.is_none() {
        "preconditioned"
    } else {
        "parameters"
    };
    let rec = &c.recurrence;
    let report = match (pre, directions) {
        (Some((p, h)), _) => {
            let tol = directions.map_or_else(|| spectrum.default_flat_tolerance(), |d| d.tolerance);
            let h = match h {
                Hessian::Diagonal(d) => ParameterHessian::Diagonal(d),
                Hessian::Full(m) => ParameterHessian::Full(m),
            };
            preconditioned_floor(rec, input, h, p, tol)
        }
        (None, Some(d)) => floor_of_directions(rec, input, d),
        (None, None) => floor(rec, input, spectrum).map(|f| FloorReport {
            floor: Some(f),
            random_walk_directions: 0,
            random_walk_growth_per_step: 0.0,
            divergent_directions: 0,
        }),
    };
    let s2 = sigma * sigma;
    let mut out = NoiseFloorJson {
        sigma,
        model,
        coordinates,
        stationary: false,
        per_unit_variance: None,
        mean_per_direction: None,
        floor: None,
        largest: None,
        per_curvature: vec![],
        random_walk_directions: 0,
        random_walk_growth_per_step: None,
        random_walk_growth_per_unit_variance: None,
        divergent_directions: 0,
    };
    let r = match report {
        Ok(r) => r,
        Err(momentum::Error::NoStationaryState { .. }) => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    out.random_walk_directions = r.random_walk_directions;
    out.divergent_directions = r.divergent_directions;
    if r.random_walk_directions > 0 {
        out.random_walk_growth_per_unit_variance = Some(r.random_walk_growth_per_step);
        out.random_walk_growth_per_step = Some(s2 * r.random_walk_growth_per_step);
    }
    if let Some(f) = r.floor {
        out.stationary = true;
        out.per_unit_variance = f.total;
        out.mean_per_direction = Some(f.mean_per_direction);
        out.floor = Some(s2 * f.total.unwrap_or(f.mean_per_direction));
        out.largest = Some(f.largest);
        out.per_curvature = f.curvatures;
    }
    Ok(out)
}

/// Print the noise-floor lines of a table.
pub fn print_noise(n: &NoiseFloorJson, interval: bool) {
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
