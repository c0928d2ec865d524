//! `momentum figures`: regenerate the committed figure set; helpers shared with `map --out`.

use super::common::{CliError, CliResult};
use crate::plot::stability::{MapFigure, Mark};
use clap::Args;
use momentum::Family;
use momentum::Spectrum;
use momentum::map::{GridSpec, StabilityMap};
use momentum::tune as tuning;
use std::path::{Path, PathBuf};

/// Arguments of `momentum figures`.
#[derive(Args, Debug)]
pub struct FiguresArgs {
    /// Directory to write the figures into (created if missing).
    #[arg(long = "out-dir", value_name = "DIR", default_value = "figures")]
    out_dir: PathBuf,
    /// Also write SVG versions.
    #[arg(long)]
    svg: bool,
}

impl FiguresArgs {
    /// PNG figures into `out_dir`.
    pub fn new(out_dir: PathBuf) -> Self {
        FiguresArgs {
            out_dir,
            svg: false,
        }
    }
}

/// Draw a computed map to a file.
pub fn map_figure(map: &StabilityMap, path: &Path, fig: Option<MapFigure>) -> CliResult<()> {
    let fig = fig.unwrap_or_default();
    crate::plot::stability::save(map, &fig, path).map_err(CliError::Value)
}

/// The figure set: (file stem, what it shows).
pub const FIGURES: [(&str, &str); 16] = [
    (
        "heavy_ball_one_curvature",
        "heavy ball at one curvature, αλ ∈ (0, 4], β ∈ (−1, 1)",
    ),
    (
        "nesterov_one_curvature",
        "Nesterov at one curvature, the same axes",
    ),
    (
        "heavy_ball_worst_case",
        "heavy ball, worst case over [μ, L] = [1, 100], Polyak's tuning marked",
    ),
    (
        "nesterov_worst_case",
        "Nesterov, worst case over [1, 100], standard and quadratic-optimal tunings marked",
    ),
    (
        "stability_regions_overlay",
        "heavy ball and Nesterov stability regions overlaid",
    ),
    (
        "polyak_sweep",
        "rate against momentum at Polyak's step, κ = 10, 100, 1000: theory and simulation",
    ),
    (
        "rates_vs_kappa",
        "iterations per decade against κ: tuned methods, Chebyshev bound, search, simulation",
    ),
    (
        "error_vs_iteration",
        "κ = 1000: simulated error of the tuned methods with their exact envelopes",
    ),
    (
        "ravine_paths",
        "gradient descent, heavy ball and Nesterov paths on the seeds' ravine quadratics",
    ),
    (
        "heavy_ball_cycle",
        "Polyak-tuned heavy ball's 3-cycle on Lessard et al.'s κ = 25 function, and its basin",
    ),
    (
        "rate_vs_noise_floor",
        "κ = 100: the best rate of GD, heavy ball and Nesterov at each stationary noise floor",
    ),
    (
        "delay_stable_regions",
        "heavy ball over [0.01, 1] with the gradient τ = 0, 1, 4, 16 steps late: the stable region shrinks",
    ),
    (
        "adam_framework_map",
        "Adam with a frozen second moment in its own (lr, β₁) plane: the edge lr·S = (2 + 2β₁)/(1 − β₁)",
    ),
    (
        "certified_map_heavy_ball",
        "heavy ball, κ = 25: the rate certified on every smooth strongly convex f, and where quadratics only are stable",
    ),
    (
        "certified_map_nesterov",
        "Nesterov, κ = 25: the rate certified on every smooth strongly convex f, and where quadratics only are stable",
    ),
    (
        "rates_vs_kappa_certified",
        "quadratic rate, certified rate and PEP 10-step evidence against κ for GD, Polyak HB, Nesterov, triple momentum",
    ),
];

/// One map figure of the set.
struct Job<'a> {
    stem: &'static str,
    family: Family,
    spectrum: &'a Spectrum,
    lr_max: f64,
    range: (f64, f64),
    fig: MapFigure,
}

pub fn run(a: &FiguresArgs) -> CliResult<()> {
    std::fs::create_dir_all(&a.out_dir)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", a.out_dir.display())))?;
    let exts: &[&str] = if a.svg { &["png", "svg"] } else { &["png"] };
    let one = Spectrum::eigenvalues(vec![1.0])?;
    let wide = Spectrum::interval(1.0, 100.0)?;
    let (mu, l) = (1.0, 100.0);
    let interval = Spectrum::interval(mu, l)?;
    let hb = tuning::heavy_ball(&interval)?;
    let nag = tuning::nesterov(&interval)?;
    let nq = tuning::nesterov_quadratic(&interval)?;
    let mark = |name: &str, t: &tuning::Tuning| Mark {
        label: format!(
            "{name}: α = {:.4}, β = {:.4}, ρ = {:.4}",
            t.method.step(),
            t.method.momentum(),
            t.rate
        ),
        step: t.method.step(),
        momentum: t.method.momentum(),
    };
    let jobs: Vec<Job> = vec![
        Job {
            stem: FIGURES[0].0,
            family: Family::HeavyBall,
            spectrum: &one,
            lr_max: 4.0,
            range: (-1.0, 1.0),
            fig: MapFigure {
                title: Some("Heavy ball at one curvature λ: spectral radius and regimes".into()),
                normalised: true,
                marks: vec![],
            },
        },
        Job {
            stem: FIGURES[1].0,
            family: Family::Nesterov,
            spectrum: &one,
            lr_max: 4.0,
            range: (-1.0, 1.0),
            fig: MapFigure {
                title: Some("Nesterov at one curvature λ: spectral radius and regimes".into()),
                normalised: true,
                marks: vec![],
            },
        },
        Job {
            stem: FIGURES[2].0,
            family: Family::HeavyBall,
            spectrum: &wide,
            lr_max: 0.042,
            range: (-0.2, 1.0),
            fig: MapFigure {
                title: Some("Heavy ball, worst case over λ ∈ [1, 100] (κ = 100)".into()),
                normalised: false,
                marks: vec![mark("Polyak", &hb)],
            },
        },
        Job {
            stem: FIGURES[3].0,
            family: Family::Nesterov,
            spectrum: &wide,
            lr_max: 0.0145,
            range: (-0.2, 1.0),
            fig: MapFigure {
                title: Some("Nesterov, worst case over λ ∈ [1, 100] (κ = 100)".into()),
                normalised: false,
                marks: vec![mark("standard 1/L", &nag), mark("quadratic-optimal", &nq)],
            },
        },
    ];
    for job in jobs {
        let spec = GridSpec::new(job.family, job.lr_max, job.range, (1400, 1000))?;
        let map = StabilityMap::compute(&spec, job.spectrum)?;
        for ext in exts {
            let path = a.out_dir.join(format!("{}.{ext}", job.stem));
            map_figure(&map, &path, Some(job.fig.clone()))?;
            println!("wrote {}", path.display());
        }
    }
    for ext in exts {
        let path = a.out_dir.join(format!("{}.{ext}", FIGURES[4].0));
        crate::plot::overlay::save(&path).map_err(CliError::Value)?;
        println!("wrote {}", path.display());
    }
    use crate::plot::tuned;
    let lines: [fn(&Path) -> momentum::Result<()>; 6] = [
        tuned::polyak_sweep,
        tuned::rates_vs_kappa,
        tuned::error_vs_iteration,
        crate::plot::paths::ravine,
        crate::plot::cycle::save,
        crate::plot::noise::rate_vs_floor,
    ];
    for (i, draw) in lines.iter().enumerate() {
        for ext in exts {
            let path = a.out_dir.join(format!("{}.{ext}", FIGURES[5 + i].0));
            draw(&path).map_err(CliError::Value)?;
            println!("wrote {}", path.display());
        }
    }
    delay_figure(a, exts)?;
    for ext in exts {
        let path = a.out_dir.join(format!("{}.{ext}", FIGURES[12].0));
        super::mapconv::adam_figure(&path)?;
        println!("wrote {}", path.display());
    }
    certified_figures(a, exts)
}

/// The certified-rate maps of heavy ball and Nesterov at κ = 25 and the rates against κ
/// (momentum::certify::map, plot::certified).
fn certified_figures(a: &FiguresArgs, exts: &[&str]) -> CliResult<()> {
    use momentum::certify::map::CertifiedMap;
    let (mu, l) = (0.04, 1.0);
    let interval = Spectrum::interval(mu, l)?;
    let mark = |name: &str, t: &tuning::Tuning| -> CliResult<Mark> {
        let c = momentum::certify::certified_rate(&t.method, mu, l)?;
        Ok(Mark {
            label: format!(
                "{name}: α = {:.3}, β = {:.3}, ρ_quad = {:.3}, certified {}",
                t.method.step(),
                t.method.momentum(),
                t.rate,
                c.rate
                    .map(|r| format!("ρ = {r:.3}"))
                    .unwrap_or_else(|| "none".into())
            ),
            step: t.method.step(),
            momentum: t.method.momentum(),
        })
    };
    let jobs = [
        (
            FIGURES[13].0,
            Family::HeavyBall,
            3.2,
            "Heavy ball, κ = 25: rate certified on every L-smooth μ-strongly convex f",
            vec![mark("Polyak", &tuning::heavy_ball(&interval)?)?],
        ),
        (
            FIGURES[14].0,
            Family::Nesterov,
            2.1,
            "Nesterov, κ = 25: rate certified on every L-smooth μ-strongly convex f",
            vec![
                mark("standard 1/L", &tuning::nesterov(&interval)?)?,
                mark("quadratic-optimal", &tuning::nesterov_quadratic(&interval)?)?,
            ],
        ),
    ];
    for (stem, family, lr_max, title, marks) in jobs {
        let spec = GridSpec::new(family, lr_max, (-0.4, 1.0), (420, 300))?;
        let map = CertifiedMap::compute(&spec, mu, l)?;
        let fig = MapFigure {
            title: Some(title.into()),
            normalised: false,
            marks,
        };
        for ext in exts {
            let path = a.out_dir.join(format!("{stem}.{ext}"));
            crate::plot::certified::save(&map, &fig, &path).map_err(CliError::Value)?;
            println!("wrote {}", path.display());
        }
    }
    for ext in exts {
        let path = a.out_dir.join(format!("{}.{ext}", FIGURES[15].0));
        crate::plot::certified::rates_vs_kappa(&path).map_err(CliError::Value)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// The stable region of heavy ball under delays τ = 0, 1, 4, 16 (momentum::delay).
fn delay_figure(a: &FiguresArgs, exts: &[&str]) -> CliResult<()> {
    let s = Spectrum::interval(0.01, 1.0)?;
    let spec = GridSpec::new(Family::HeavyBall, 4.0, (-1.0, 1.0), (160, 120))?;
    let maps = [0, 1, 4, 16]
        .iter()
        .map(|&tau| momentum::delay::DelayMap::compute(&spec, tau, &s))
        .collect::<momentum::Result<Vec<_>>>()?;
    let refs: Vec<&momentum::delay::DelayMap> = maps.iter().collect();
    for ext in exts {
        let path = a.out_dir.join(format!("{}.{ext}", FIGURES[11].0));
        crate::plot::delay::save(&refs, &s, &path).map_err(CliError::Value)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
