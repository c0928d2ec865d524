//! `momentum map --convention X`: the plane of a framework's own lr (x) and momentum or β₁ (y),
//! its other arguments fixed (`momentum::map::framework`).

use super::args::{MapArgs, cells, log_axis, lr_max};
use super::route::{AxesJson, Kind, Report, step_axis};
use crate::commands::common::{CliError, CliResult, SCHEMA};
use crate::commands::format::num;
use crate::commands::noisy::PrecondArgs;
use crate::plot::framework::FrameworkFigure;
use crate::plot::stability::Mark;
use momentum::map::framework::{FrameworkGrid, FrameworkMap};
use momentum::map::{Endpoint, GridSpec, Progress, Summary};
use momentum::setting::MethodName;
use momentum::setting::Preconditioned;
use momentum::{Converted, Family, Framework, FrameworkParams, Spectrum, WeightDecay};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct FrameworkMapJson {
    schema: &'static str,
    convention: Framework,
    /// The canonical family the framework runs at the centre cell (as `map`'s `method`).
    method: &'static str,
    /// Always null: frameworks have no free lookahead (as `map`'s `lookahead`).
    lookahead: Option<f64>,
    /// The arguments held fixed over the map.
    fixed: FixedJson,
    #[serde(flatten)]
    axes: AxesJson,
    #[serde(flatten)]
    summary: Summary,
    /// Per grid row: the momentum and its stable learning rates (lo, hi) in the framework's lr.
    edge: Vec<EdgeJson>,
    preconditioned: Option<Preconditioned>,
    seconds: f64,
    cells_per_second: f64,
    marks: Vec<MarkJson>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct FixedJson {
    nesterov: bool,
    dampening: Option<f64>,
    weight_decay: Option<f64>,
    nu: Option<f64>,
}

#[derive(Serialize)]
pub(super) struct EdgeJson {
    momentum: f64,
    /// Smallest stable lr (exclusive); null when no lr is stable at this momentum.
    lr_lo: Option<f64>,
    /// Largest stable lr (exclusive); null when none is stable or every lr is.
    lr_hi: Option<f64>,
}

#[derive(Serialize)]
pub(super) struct MarkJson {
    lr: f64,
    momentum: f64,
    /// Worst-case spectral radius over the spectrum.
    rate: f64,
    stable: bool,
    /// The canonical (step, momentum, lookahead) this setting runs, on the curvature it sees.
    canonical: [f64; 3],
    weight_decay: WeightDecay,
}

fn method_rules(a: &MapArgs, framework: Framework) -> CliResult<bool> {
    if a.lookahead.is_some() {
        return Err(CliError::Usage(format!(
            "--lookahead is a canonical-form argument; a {framework} map holds the framework's switches (--nesterov)"
        )));
    }
    if a.delay.delay.is_some() {
        return Err(CliError::Usage(
            "--delay maps are canonical: drop --convention (or --delay)".into(),
        ));
    }
    if a.certified {
        return Err(CliError::Usage(format!(
            "--certified maps are drawn in the canonical (step, momentum) plane: drop --convention {framework} (momentum convert gives the canonical step and momentum)"
        )));
    }
    if framework == Framework::Qhm && a.conv.nu.is_none() {
        return Err(CliError::Usage(
            "a qhm map sweeps lr and beta at a fixed nu: give --nu NU (Ma & Yarats recommend 0.7)"
                .into(),
        ));
    }
    let nesterov = a.conv.nesterov;
    match a.method.map(|m| m.0) {
        None => Ok(nesterov),
        Some(MethodName::HeavyBall) if nesterov => Err(CliError::Usage(
            "--method hb conflicts with --nesterov".into(),
        )),
        Some(MethodName::HeavyBall) => Ok(false),
        Some(MethodName::Nesterov) => Ok(true),
        Some(MethodName::GradientDescent) | Some(MethodName::TripleMomentum) => {
            Err(CliError::Usage(format!(
                "a {framework} map sweeps the framework's momentum: --method gd or tmm has none (gd is the momentum-0 row); use --nesterov or nothing"
            )))
        }
    }
}

/// The y-axis name of a convention's momentum argument.
fn momentum_name(f: Framework) -> &'static str {
    match f {
        Framework::Adam | Framework::AdamW => "beta1",
        Framework::Qhm | Framework::Ewma => "beta",
        _ => "momentum",
    }
}

/// A framework's map: its own (lr, momentum) plane, every cell converted to the canonical
/// recurrence.
pub(super) struct FrameworkKind<'a> {
    framework: Framework,
    pre: &'a PrecondArgs,
    nesterov: bool,
    hessian: &'static str,
    spectrum: Spectrum,
    fixed: FrameworkParams,
    grid: FrameworkGrid,
    notes: Vec<String>,
    marks: Vec<(f64, f64)>,
}

/// What a framework map derives once computed: the stable-lr edge, the marks, the centre cell's
/// conversion and its preconditioning.
pub(super) struct Derived {
    edge: Vec<EdgeJson>,
    marks: Vec<MarkJson>,
    centre: Converted,
    preconditioned: Option<Preconditioned>,
}

impl<'a> FrameworkKind<'a> {
    pub fn new(a: &'a MapArgs, framework: Framework) -> CliResult<Self> {
        let nesterov = method_rules(a, framework)?;
        let pre = a.conv.pre.spectrum(&a.spectrum, framework)?;
        let hessian = pre.as_ref().map_or("as_given", |p| p.1);
        let (full, precision) = match pre {
            Some((s, _)) => (s, momentum::Precision::Float64),
            None => a.spectrum.full()?,
        };
        let analysed = momentum::setting::Curvatures::split(
            full,
            a.spectrum.flat_tol,
            precision,
            momentum::setting::decay_shift(framework, a.conv.weight_decay)?,
        )?;
        let spectrum = analysed.spectrum;
        let hi = spectrum.bounds().1;
        let mut notes = analysed.notes;
        let fixed = FrameworkParams {
            lr: 0.0,
            momentum: None,
            lookahead: None,
            nesterov,
            dampening: a.conv.dampening,
            weight_decay: a.conv.weight_decay,
            nu: a.conv.nu,
        };
        let range = (a.momentum_min.unwrap_or(0.0), a.momentum_max.unwrap_or(1.0));
        let n = cells("grid", a.grid)?;
        let m = cells("grid-momentum", a.grid_momentum.unwrap_or(a.grid))?;
        // the framework's own checks on the axes first (a probe grid on lr (0, 1])
        let probe = FrameworkGrid::new(
            framework,
            fixed,
            GridSpec::new(Family::HeavyBall, 1.0, range, (n, m))?,
        )?;
        let lr_max = lr_max(
            a,
            hi,
            "lr*L",
            || {
                let widest = default_lr_max(&probe, &spectrum, range)?;
                let widest = a.mark.iter().map(|m| 1.25 * m.0).fold(widest, f64::max);
                Ok((
                    widest,
                    format!(
                        "largest lr {widest}: 1.25x the largest stable lr at 90% of the momentum range (or past the widest --mark); --lr-max not given"
                    ),
                ))
            },
            &mut notes,
        )?;
        let axes = log_axis(a, GridSpec::new(Family::HeavyBall, lr_max, range, (n, m))?)?;
        let grid = FrameworkGrid::new(framework, fixed, axes)?;
        Ok(FrameworkKind {
            framework,
            pre: &a.conv.pre,
            nesterov,
            hessian,
            spectrum,
            fixed,
            grid,
            notes,
            marks: a.mark.clone(),
        })
    }
}

impl Kind for FrameworkKind<'_> {
    type Map = FrameworkMap;
    type Extra = Derived;
    const BAR_FROM: Option<u64> = Some(1 << 20);

    fn shape(&self) -> (usize, usize) {
        self.grid.axes().shape()
    }

    fn check(&self, _: &MapArgs) -> CliResult<()> {
        Ok(())
    }

    fn compute(&self, _: &MapArgs, progress: Option<Progress>) -> CliResult<FrameworkMap> {
        Ok(FrameworkMap::compute(&self.grid, &self.spectrum, progress)?)
    }

    fn finish(&mut self, _: &FrameworkMap) -> CliResult<Derived> {
        let (grid, spectrum, framework) = (&self.grid, &self.spectrum, self.framework);
        let (n, m) = grid.axes().shape();
        let edge = (0..m)
            .map(|j| {
                let b = grid.axes().momentum(j);
                let iv = grid.stable_lrs(b, spectrum)?;
                Ok(EdgeJson {
                    momentum: b,
                    lr_lo: iv.map(|v| v.lo),
                    lr_hi: iv.map(|v| v.hi).filter(|h| h.is_finite()),
                })
            })
            .collect::<momentum::Result<Vec<_>>>()?;
        let marks = self
            .marks
            .iter()
            .map(|&(lr, b)| mark(grid, spectrum, lr, b))
            .collect::<momentum::Result<Vec<_>>>()?;
        let centre = grid.convert(n / 2, m / 2)?;
        let preconditioned =
            self.pre
                .json(&centre, spectrum, self.hessian)?
                .map(|p| Preconditioned {
                    edge_sharpness: None,
                    ..p
                });
        let notes = &mut self.notes;
        match centre.weight_decay {
            WeightDecay::Coupled(w) => notes.push(format!(
                "weight decay {w} is coupled (an L2 term): every curvature is seen as lambda + {w}"
            )),
            WeightDecay::Decoupled(w) => notes.push(format!(
                "weight decay {w} is decoupled (x <- x(1 - lr*w) before the step): it changes the recurrence's constant terms, not the curvature"
            )),
            WeightDecay::None => {}
        }
        if let Some(p) = &preconditioned {
            notes.push(format!(
                "{}: the curvatures are the preconditioned ones (eigenvalues of P^-1/2 H P^-1/2{})",
                p.analysis,
                if self.hessian == "as_given" {
                    ", taken as given: no --preconditioner"
                } else {
                    ""
                }
            ));
        }
        notes.push(format!(
            "every cell is {framework}'s arguments converted to the canonical recurrence (momentum convert) and its exact worst case over the spectrum (momentum analyze)"
        ));
        Ok(Derived {
            edge,
            marks,
            centre,
            preconditioned,
        })
    }

    fn csv(&self, map: &FrameworkMap, path: &Path) -> CliResult<()> {
        write_csv(map, path)
    }

    fn figure(&self, map: &FrameworkMap, d: &Derived, path: &Path) -> CliResult<()> {
        draw(
            map,
            &self.grid,
            &self.spectrum,
            &d.marks,
            self.hessian,
            path,
        )
    }

    fn report(self, map: FrameworkMap, d: Derived, seconds: f64) -> CliResult<Report> {
        let (framework, fixed, axes) = (self.framework, self.fixed, *self.grid.axes());
        let (lo, hi) = self.spectrum.bounds();
        let (n, m) = axes.shape();
        let range = axes.momentum_range();
        let sum = map.summary();
        let out = FrameworkMapJson {
            schema: SCHEMA,
            convention: framework,
            method: d.centre.method.name(),
            lookahead: None,
            fixed: FixedJson {
                nesterov: self.nesterov,
                dampening: fixed.dampening,
                weight_decay: fixed.weight_decay,
                nu: fixed.nu,
            },
            axes: AxesJson {
                grid: [n, m],
                mu: lo,
                l: hi,
                lr_max: axes.step_max(),
                lr_min: axes.step_min(),
                momentum_range: [range.0, range.1],
            },
            summary: sum,
            edge: d.edge,
            preconditioned: d.preconditioned,
            seconds,
            cells_per_second: sum.cells as f64 / seconds.max(1e-9),
            marks: d.marks,
            notes: self.notes,
        };
        let mut lines = vec![
            format!(
                "{framework} map over {}λ ∈ [{}, {}]: {n} × {m} cells (lr × {}), lr ∈ {}, {} ∈ ({}, {}){}",
                if framework.is_preconditioned() {
                    "preconditioned "
                } else {
                    ""
                },
                num(lo),
                num(hi),
                momentum_name(framework),
                step_axis(&axes),
                momentum_name(framework),
                num(range.0),
                num(range.1),
                fixed_text(&fixed)
            ),
            format!(
                "stable: {} of {} cells ({:.4}%); sum of ρ over stable cells {}; computed in {seconds:.3} s",
                sum.stable_cells,
                sum.cells,
                100.0 * sum.stable_fraction,
                sum.checksum
            ),
        ];
        for mk in &out.marks {
            lines.push(format!(
                "mark lr = {}, {} = {}: worst-case rho = {}{} (canonical step {}, momentum {}, lookahead {})",
                num(mk.lr),
                momentum_name(framework),
                num(mk.momentum),
                num(mk.rate),
                if mk.stable { "" } else { " (unstable)" },
                num(mk.canonical[0]),
                num(mk.canonical[1]),
                num(mk.canonical[2])
            ));
        }
        Ok(Report {
            json: serde_json::to_string(&out)?,
            lines,
            notes: out.notes,
        })
    }
}

/// A setting's worst case over the spectrum, in the framework's terms.
fn mark(grid: &FrameworkGrid, spectrum: &Spectrum, lr: f64, b: f64) -> momentum::Result<MarkJson> {
    let c = grid.framework().convert(&grid.at(lr, b))?;
    let w = spectrum.worst_case(&c.recurrence)?;
    Ok(MarkJson {
        lr,
        momentum: b,
        rate: w.spectral_radius(),
        stable: w.is_stable(),
        canonical: [c.method.step(), c.method.momentum(), c.method.lookahead()],
        weight_decay: c.weight_decay,
    })
}

/// The figure set's framework map: Adam (frozen second moment) in its own (lr, β₁) plane on a
/// diagonal Hessian h with settled v, preconditioned sharpness S = max hᵢ/(√vᵢ + ε) = 22, with
/// PyTorch's default lr 1e-3 and two larger rates at β₁ = 0.9 marked (edge 38/S ≈ 1.73).
pub fn adam_figure(path: &Path) -> CliResult<()> {
    let h = [0.3, 2.0, 7.5, 11.0, 40.0];
    let v = [0.04, 1.0, 9.0, 0.25, 16.0];
    let p = momentum::precondition::preconditioner(&v, 1e-8)?;
    let spectrum = momentum::precondition::diagonal(&h, &p)?;
    let axes = GridSpec::new(Family::HeavyBall, 30.0, (0.0, 1.0), (600, 400))?.log_steps(1e-4)?;
    let grid = FrameworkGrid::new(Framework::Adam, FrameworkParams::default(), axes)?;
    let map = FrameworkMap::compute(&grid, &spectrum, None)?;
    let marks = [(1e-3, 0.9), (1.0, 0.9), (3.0, 0.9)]
        .iter()
        .map(|&(lr, b)| mark(&grid, &spectrum, lr, b))
        .collect::<momentum::Result<Vec<_>>>()?;
    draw(&map, &grid, &spectrum, &marks, "diagonal", path)
}

/// 1.25× the largest stable lr at 90% of the momentum range; else at the widest row that has one.
fn default_lr_max(
    grid: &FrameworkGrid,
    spectrum: &Spectrum,
    (b0, b1): (f64, f64),
) -> CliResult<f64> {
    let hi_at = |b: f64| -> Option<f64> {
        grid.stable_lrs(b, spectrum)
            .ok()
            .flatten()
            .map(|v| v.hi)
            .filter(|h| h.is_finite() && *h > 0.0)
    };
    let at90 = hi_at(b0 + 0.9 * (b1 - b0));
    let widest = at90.or_else(|| {
        (0..64)
            .filter_map(|k| hi_at(b0 + (b1 - b0) * (k as f64 + 0.5) / 64.0))
            .reduce(f64::max)
    });
    widest.map(|w| 1.25 * w).ok_or_else(|| {
        CliError::Usage(
            "no bounded stable learning rate to scale the lr axis by: give --lr-max".into(),
        )
    })
}

fn fixed_text(p: &FrameworkParams) -> String {
    let mut s = vec![];
    if p.nesterov {
        s.push("nesterov".to_string());
    }
    if let Some(d) = p.dampening {
        s.push(format!("dampening {}", num(d)));
    }
    if let Some(w) = p.weight_decay {
        s.push(format!("weight decay {}", num(w)));
    }
    if let Some(nu) = p.nu {
        s.push(format!("nu {}", num(nu)));
    }
    if s.is_empty() {
        String::new()
    } else {
        format!("; fixed: {}", s.join(", "))
    }
}

fn draw(
    map: &FrameworkMap,
    grid: &FrameworkGrid,
    spectrum: &Spectrum,
    marks: &[MarkJson],
    hessian: &str,
    path: &Path,
) -> CliResult<()> {
    let framework = grid.framework();
    let (b0, b1) = grid.axes().momentum_range();
    let edge = (0..=600)
        .filter_map(|k| {
            let b = b0 + (b1 - b0) * (k as f64 + 0.5) / 601.0;
            let iv = grid.stable_lrs(b, spectrum).ok().flatten()?;
            Some((b, iv.lo, iv.hi))
        })
        .collect();
    let (lo, hi) = spectrum.bounds();
    let over = if framework.is_preconditioned() {
        if hessian == "as_given" {
            "preconditioned λ (as given)"
        } else {
            "preconditioned λ"
        }
    } else {
        "λ"
    };
    let fig = FrameworkFigure {
        title: format!(
            "{framework}{}: worst-case ρ over {over} ∈ [{}, {}]",
            fixed_text(grid.fixed()).replace("; fixed: ", " with "),
            num(lo),
            num(hi)
        ),
        x_desc: format!("learning rate  lr  ({framework})"),
        y_desc: format!("{}  ({framework})", momentum_name(framework)),
        edge,
        marks: marks
            .iter()
            .map(|m| Mark {
                label: format!(
                    "lr {}, {} {}: ρ = {}",
                    num(m.lr),
                    momentum_name(framework),
                    num(m.momentum),
                    num(m.rate)
                ),
                step: m.lr,
                momentum: m.momentum,
            })
            .collect(),
        edge_label: "stability edge ρ = 1 (exact, through the conversion)",
    };
    crate::plot::framework::save(map, &fig, path).map_err(CliError::Value)
}

fn write_csv(map: &FrameworkMap, path: &Path) -> CliResult<()> {
    let io = |e: csv::Error| CliError::Io(format!("writing {}: {e}", path.display()));
    let mut w = csv::Writer::from_path(path).map_err(io)?;
    w.write_record([
        "lr",
        "momentum",
        "radius",
        "stable",
        "regime_mu",
        "regime_L",
        "worst",
        "step",
        "canonical_momentum",
        "lookahead",
    ])
    .map_err(io)?;
    let (n, m) = map.grid().axes().shape();
    for j in 0..m {
        for i in 0..n {
            let c = map.cell(i, j);
            let k = map.grid().convert(i, j)?.method;
            w.write_record([
                c.step.to_string(),
                c.momentum.to_string(),
                c.radius.to_string(),
                c.stable.to_string(),
                c.regime_lo.as_str().to_string(),
                c.regime_hi.as_str().to_string(),
                match c.worst {
                    Endpoint::Lo => "mu".to_string(),
                    Endpoint::Hi => "L".to_string(),
                },
                k.step().to_string(),
                k.momentum().to_string(),
                k.lookahead().to_string(),
            ])
            .map_err(io)?;
        }
    }
    w.flush()
        .map_err(|e| CliError::Io(format!("writing {}: {e}", path.display())))
}
