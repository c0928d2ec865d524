//! `momentum figures`: regenerate the committed figure set, one registry of (stem, caption, draw);
//! `map_figure` is shared with `map --out`.

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
    /// Print the figure set (file stem, what it shows) and draw nothing.
    #[arg(long, conflicts_with = "svg")]
    list: bool,
}

impl FiguresArgs {
    /// PNG figures into `out_dir`.
    pub fn new(out_dir: PathBuf) -> Self {
        FiguresArgs {
            out_dir,
            svg: false,
            list: false,
        }
    }
}

/// Draw a computed map to a file.
pub fn map_figure(map: &StabilityMap, path: &Path, fig: Option<MapFigure>) -> CliResult<()> {
    let fig = fig.unwrap_or_default();
    crate::plot::stability::save(map, &fig, path).map_err(CliError::Value)
}

/// Draws a figure, already computed, to one file (called once per format).
type Drawer = Box<dyn Fn(&Path) -> CliResult<()>>;

/// How a figure is made.
#[derive(Clone, Copy)]
pub enum Draw {
    /// Straight to a file: everything is computed inside the plotter, once per format.
    Direct(fn(&Path) -> momentum::Result<()>),
    /// Computed once (a map), then drawn to each format's file.
    Computed(fn() -> CliResult<Drawer>),
}

/// One figure of the set.
#[derive(Clone, Copy)]
pub struct Figure {
    /// The file name without its extension (figures/STEM.png).
    pub stem: &'static str,
    /// What it shows.
    pub caption: &'static str,
    /// How it is drawn.
    pub draw: Draw,
}

/// The figure set, in the order `momentum figures` writes it: adding a figure is one entry here.
pub const FIGURES: &[Figure] = &[
    Figure {
        stem: "heavy_ball_one_curvature",
        caption: "heavy ball at one curvature, αλ ∈ (0, 4], β ∈ (−1, 1)",
        draw: Draw::Computed(heavy_ball_one_curvature),
    },
    Figure {
        stem: "nesterov_one_curvature",
        caption: "Nesterov at one curvature, the same axes",
        draw: Draw::Computed(nesterov_one_curvature),
    },
    Figure {
        stem: "heavy_ball_worst_case",
        caption: "heavy ball, worst case over [μ, L] = [1, 100], Polyak's tuning marked",
        draw: Draw::Computed(heavy_ball_worst_case),
    },
    Figure {
        stem: "nesterov_worst_case",
        caption: "Nesterov, worst case over [1, 100], standard and quadratic-optimal tunings marked",
        draw: Draw::Computed(nesterov_worst_case),
    },
    Figure {
        stem: "stability_regions_overlay",
        caption: "heavy ball and Nesterov stability regions overlaid",
        draw: Draw::Direct(crate::plot::overlay::save),
    },
    Figure {
        stem: "polyak_sweep",
        caption: "rate against momentum at Polyak's step, κ = 10, 100, 1000: theory and simulation",
        draw: Draw::Direct(crate::plot::tuned::polyak_sweep),
    },
    Figure {
        stem: "rates_vs_kappa",
        caption: "iterations per decade against κ: tuned methods, Chebyshev bound, search, simulation",
        draw: Draw::Direct(crate::plot::tuned::rates_vs_kappa),
    },
    Figure {
        stem: "error_vs_iteration",
        caption: "κ = 1000: simulated error of the tuned methods with their exact envelopes",
        draw: Draw::Direct(crate::plot::tuned::error_vs_iteration),
    },
    Figure {
        stem: "ravine_paths",
        caption: "gradient descent, heavy ball and Nesterov paths on the seeds' ravine quadratics",
        draw: Draw::Direct(crate::plot::paths::ravine),
    },
    Figure {
        stem: "heavy_ball_cycle",
        caption: "Polyak-tuned heavy ball's 3-cycle on Lessard et al.'s κ = 25 function, and its basin",
        draw: Draw::Direct(crate::plot::cycle::save),
    },
    Figure {
        stem: "rate_vs_noise_floor",
        caption: "κ = 100: the best rate of GD, heavy ball and Nesterov at each stationary noise floor",
        draw: Draw::Direct(crate::plot::noise::rate_vs_floor),
    },
    Figure {
        stem: "delay_stable_regions",
        caption: "heavy ball over [0.01, 1] with the gradient τ = 0, 1, 4, 16 steps late: the stable region shrinks",
        draw: Draw::Computed(delay_stable_regions),
    },
    Figure {
        stem: "adam_framework_map",
        caption: "Adam with a frozen second moment in its own (lr, β₁) plane: the edge lr·S = (2 + 2β₁)/(1 − β₁)",
        draw: Draw::Computed(adam_framework_map),
    },
    Figure {
        stem: "certified_map_heavy_ball",
        caption: "heavy ball, κ = 25: the rate certified on every smooth strongly convex f, verified cycles, undecided cells",
        draw: Draw::Computed(certified_map_heavy_ball),
    },
    Figure {
        stem: "certified_map_nesterov",
        caption: "Nesterov, κ = 25: the rate certified on every smooth strongly convex f, verified cycles, undecided cells",
        draw: Draw::Computed(certified_map_nesterov),
    },
    Figure {
        stem: "certified_zones_heavy_ball",
        caption: "heavy ball on F(0.1, 1): certified, a verified cycle on the class, undecided, unstable on quadratics; the quadratic edge",
        draw: Draw::Computed(certified_zones_heavy_ball),
    },
    Figure {
        stem: "rates_vs_kappa_certified",
        caption: "quadratic rate, certified rate and PEP 10-step evidence against κ for GD, Polyak HB, Nesterov, triple momentum",
        draw: Draw::Direct(crate::plot::certified::rates_vs_kappa),
    },
    Figure {
        stem: "schedule_envelope",
        caption: "optax.sgd(momentum=0.9) under warmup + cosine vs a constant lr at the same peak: the worst error by step, and the interior worst curvature",
        draw: Draw::Direct(crate::plot::schedule::envelope),
    },
    Figure {
        stem: "chebyshev_vs_polyak",
        caption: "worst |e_N|/|e_0| over [0.01, 1] after N steps: Chebyshev steps (1/T_N) against Polyak's heavy ball",
        draw: Draw::Direct(crate::plot::schedule::chebyshev),
    },
    Figure {
        stem: "minibatch_edge",
        caption: "heavy ball's largest mean-square stable step against the batch size, full-batch edges dashed",
        draw: Draw::Direct(super::minibatch::edge_figure),
    },
    Figure {
        stem: "minibatch_iterations",
        caption: "iterations to reduce E|e|² by 10⁶ against the batch size for heavy ball at β = 0, 0.5, 0.9, 0.99 (best step each), full batch dashed",
        draw: Draw::Direct(super::minibatch::iterations_figure),
    },
    Figure {
        stem: "ademamix_plane",
        caption: "AdEMAMix in its (lr·s, β₃) plane at α = 5 and 8: the edge falls from Adam's 38 as the slow EMA shortens",
        draw: Draw::Direct(crate::plot::zoo::ademamix_plane),
    },
    Figure {
        stem: "lookahead_plane",
        caption: "Lookahead (k = 5) in its (lr·λ, slow step) plane over SGD and over momentum 0.9: past the inner edge, and two stable intervals",
        draw: Draw::Direct(crate::plot::zoo::lookahead_plane),
    },
    Figure {
        stem: "schedule_free_transient",
        caption: "schedule-free SGD: the peak of x, y and z against lr·λ up to the edge 2/(1 − b₁)",
        draw: Draw::Direct(crate::plot::zoo::schedule_free_transient),
    },
];

pub fn run(a: &FiguresArgs) -> CliResult<()> {
    if a.list {
        for figure in FIGURES {
            println!("{:<26} {}", figure.stem, figure.caption);
        }
        return Ok(());
    }
    std::fs::create_dir_all(&a.out_dir)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", a.out_dir.display())))?;
    let exts: &[&str] = if a.svg { &["png", "svg"] } else { &["png"] };
    for figure in FIGURES {
        let drawer: Drawer = match figure.draw {
            Draw::Direct(draw) => Box::new(move |path| draw(path).map_err(CliError::Value)),
            Draw::Computed(compute) => compute()?,
        };
        for ext in exts {
            let path = a.out_dir.join(format!("{}.{ext}", figure.stem));
            drawer(&path)?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// A tuning marked on a map: its name, step, momentum and rate.
fn mark(name: &str, t: &tuning::Tuning) -> Mark {
    Mark {
        label: format!(
            "{name}: α = {:.4}, β = {:.4}, ρ = {:.4}",
            t.method.step(),
            t.method.momentum(),
            t.rate
        ),
        step: t.method.step(),
        momentum: t.method.momentum(),
    }
}

/// A stability map of `family` over `spectrum`, steps (0, lr_max], momenta `range`, 1400 × 1000.
fn stability_map(
    family: Family,
    spectrum: &Spectrum,
    lr_max: f64,
    range: (f64, f64),
    fig: MapFigure,
) -> CliResult<Drawer> {
    let spec = GridSpec::new(family, lr_max, range, (1400, 1000))?;
    let map = StabilityMap::compute(&spec, spectrum)?;
    Ok(Box::new(move |path| {
        map_figure(&map, path, Some(fig.clone()))
    }))
}

fn one_curvature(family: Family, title: &str) -> CliResult<Drawer> {
    let one = Spectrum::eigenvalues(vec![1.0])?;
    let fig = MapFigure {
        title: Some(title.into()),
        normalised: true,
        marks: vec![],
    };
    stability_map(family, &one, 4.0, (-1.0, 1.0), fig)
}

fn heavy_ball_one_curvature() -> CliResult<Drawer> {
    one_curvature(
        Family::HeavyBall,
        "Heavy ball at one curvature λ: spectral radius and regimes",
    )
}

fn nesterov_one_curvature() -> CliResult<Drawer> {
    one_curvature(
        Family::Nesterov,
        "Nesterov at one curvature λ: spectral radius and regimes",
    )
}

fn heavy_ball_worst_case() -> CliResult<Drawer> {
    let wide = Spectrum::interval(1.0, 100.0)?;
    let fig = MapFigure {
        title: Some("Heavy ball, worst case over λ ∈ [1, 100] (κ = 100)".into()),
        normalised: false,
        marks: vec![mark("Polyak", &tuning::heavy_ball(&wide)?)],
    };
    stability_map(Family::HeavyBall, &wide, 0.042, (-0.2, 1.0), fig)
}

fn nesterov_worst_case() -> CliResult<Drawer> {
    let wide = Spectrum::interval(1.0, 100.0)?;
    let fig = MapFigure {
        title: Some("Nesterov, worst case over λ ∈ [1, 100] (κ = 100)".into()),
        normalised: false,
        marks: vec![
            mark("standard 1/L", &tuning::nesterov(&wide)?),
            mark("quadratic-optimal", &tuning::nesterov_quadratic(&wide)?),
        ],
    };
    stability_map(Family::Nesterov, &wide, 0.0145, (-0.2, 1.0), fig)
}

/// Adam with a frozen second moment in its own (lr, β₁) plane (`map --convention adam`).
fn adam_framework_map() -> CliResult<Drawer> {
    Ok(Box::new(super::map::framework::adam_figure))
}

/// A certified-rate map at κ = 25 (μ = 0.04, L = 1) with the family's tunings marked
/// (momentum::certify::map, plot::certified).
fn certified_map(
    family: Family,
    lr_max: f64,
    title: &str,
    tunings: &[(&str, tuning::Tuning)],
) -> CliResult<Drawer> {
    use momentum::certify::map::CertifiedMap;
    let (mu, l) = (0.04, 1.0);
    let marks = tunings
        .iter()
        .map(|(name, t)| -> CliResult<Mark> {
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
        })
        .collect::<CliResult<Vec<_>>>()?;
    let spec = GridSpec::new(family, lr_max, (-0.4, 1.0), (420, 300))?;
    let map = CertifiedMap::compute(&spec, mu, l)?;
    let fig = MapFigure {
        title: Some(title.into()),
        normalised: false,
        marks,
    };
    Ok(Box::new(move |path| {
        crate::plot::certified::save(&map, &fig, path).map_err(CliError::Value)
    }))
}

fn certified_map_heavy_ball() -> CliResult<Drawer> {
    let interval = Spectrum::interval(0.04, 1.0)?;
    certified_map(
        Family::HeavyBall,
        3.2,
        "Heavy ball, κ = 25: rate certified on every L-smooth μ-strongly convex f",
        &[("Polyak", tuning::heavy_ball(&interval)?)],
    )
}

fn certified_map_nesterov() -> CliResult<Drawer> {
    let interval = Spectrum::interval(0.04, 1.0)?;
    certified_map(
        Family::Nesterov,
        2.1,
        "Nesterov, κ = 25: rate certified on every L-smooth μ-strongly convex f",
        &[
            ("standard 1/L", tuning::nesterov(&interval)?),
            ("quadratic-optimal", tuning::nesterov_quadratic(&interval)?),
        ],
    )
}

/// Heavy ball on F(0.1, 1) in three zones: certified, a verified cycle on the class, undecided
/// (plus unstable on quadratics), with the quadratic stability edge (momentum::certify::map).
fn certified_zones_heavy_ball() -> CliResult<Drawer> {
    use momentum::certify::map::CertifiedMap;
    let spec = GridSpec::new(Family::HeavyBall, 4.0, (0.0, 1.0), (320, 240))?;
    let map = CertifiedMap::compute(&spec, 0.1, 1.0)?;
    let s = map.summary();
    let pct = |k: u64| 100.0 * k as f64 / s.cells as f64;
    let fig = MapFigure {
        title: Some(format!(
            "Heavy ball on F(0.1, 1): certified {:.0}%, cycle {:.0}%, undecided {:.0}%, unstable on quadratics {:.0}%",
            pct(s.certified_cells),
            pct(s.counterexample_cells),
            pct(s.undecided_cells),
            pct(s.unstable_cells)
        )),
        normalised: false,
        marks: vec![],
    };
    Ok(Box::new(move |path| {
        crate::plot::certified::save_zones(&map, &fig, path).map_err(CliError::Value)
    }))
}

/// The stable region of heavy ball under delays τ = 0, 1, 4, 16 (momentum::delay).
fn delay_stable_regions() -> CliResult<Drawer> {
    let s = Spectrum::interval(0.01, 1.0)?;
    let spec = GridSpec::new(Family::HeavyBall, 4.0, (-1.0, 1.0), (160, 120))?;
    // verdict first, the radius search only at stable cells: the divergent ones are grey (none
    // of them had a radius below 1, which the colour scale would read, in the full maps)
    let maps = [0, 1, 4, 16]
        .iter()
        .map(|&tau| momentum::delay::DelayMap::region(&spec, tau, &s))
        .collect::<momentum::Result<Vec<_>>>()?;
    Ok(Box::new(move |path| {
        let refs: Vec<&momentum::delay::DelayMap> = maps.iter().collect();
        crate::plot::delay::save(&refs, &s, path).map_err(CliError::Value)
    }))
}
