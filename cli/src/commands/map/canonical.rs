//! `momentum map`'s canonical kind: the (step, momentum) plane of a family, by the AVX kernel
//! (`momentum::map::StabilityMap`, or the summary alone when no file is asked for). The plane's
//! axes ([`Plane`]) are shared with the delayed and certified kinds.

use super::args::{MapArgs, cells, log_axis, lr_max};
use super::route::{AxesJson, Kind, Report, csv_error, lookahead, step_axis};
use crate::commands::common::{CliError, CliResult, SCHEMA};
use crate::commands::format::num;
use crate::plot::stability::{MapFigure, Mark};
use momentum::map::{
    Endpoint, GridSpec, MAX_STORED_CELLS, Progress, StabilityMap, Summary, summary_with_progress,
};
use momentum::setting::MethodName;
use momentum::{Family, Spectrum};
use serde::Serialize;
use std::path::Path;

/// The canonical (step, momentum) plane as the arguments give it: the family, the (analysed)
/// spectrum and the grid, with the notes said on the way.
pub(super) struct Plane {
    pub family: Family,
    pub spectrum: Spectrum,
    pub spec: GridSpec,
    pub momentum_range: (f64, f64),
    pub notes: Vec<String>,
}

impl Plane {
    pub fn new(a: &MapArgs) -> CliResult<Self> {
        let momentum_range = (
            a.momentum_min.unwrap_or(-1.0),
            a.momentum_max.unwrap_or(1.0),
        );
        let analysed = a.spectrum.analysed()?;
        let spectrum = analysed.spectrum;
        let hi = spectrum.bounds().1;
        let mut notes: Vec<String> = analysed.notes;
        let family = match (a.lookahead, a.method.map_or(MethodName::HeavyBall, |m| m.0)) {
            (Some(g), _) => Family::Lookahead(g),
            (None, MethodName::HeavyBall) => Family::HeavyBall,
            (None, MethodName::Nesterov) => Family::Nesterov,
            (None, MethodName::GradientDescent) => Family::GradientDescent,
            (None, MethodName::TripleMomentum) => {
                return Err(CliError::Usage(
                    "a map sweeps a family along the momentum axis: --method hb, nag or gd, or --lookahead G; triple momentum is one point (analyze --method tmm)".into(),
                ));
            }
        };
        let lr_max = lr_max(
            a,
            hi,
            "αL",
            || {
                if hi <= 0.0 {
                    return Err(CliError::Usage(
                        "no positive largest curvature to scale the step axis by: give --lr-max"
                            .into(),
                    ));
                }
                let widest = a.mark.iter().map(|m| 1.25 * m.0).fold(4.0 / hi, f64::max);
                Ok((
                    widest,
                    format!(
                        "largest step {widest} (4/L, or past the widest --mark): --lr-max not given"
                    ),
                ))
            },
            &mut notes,
        )?;
        let n = cells("grid", a.grid)?;
        let m = cells("grid-momentum", a.grid_momentum.unwrap_or(a.grid))?;
        let spec = GridSpec::new(family, lr_max, momentum_range, (n, m))?;
        let spec = log_axis(a, spec)?;
        Ok(Plane {
            family,
            spectrum,
            spec,
            momentum_range,
            notes,
        })
    }
}

#[derive(Serialize)]
struct MapJson {
    /// The version of the JSON contract (docs/json.md).
    schema: &'static str,
    method: &'static str,
    lookahead: Option<f64>,
    #[serde(flatten)]
    axes: AxesJson,
    #[serde(flatten)]
    summary: Summary,
    seconds: f64,
    cells_per_second: f64,
    /// The settings given with --mark and their worst-case rate over the spectrum.
    marks: Vec<MarkJson>,
    notes: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct MarkJson {
    lr: f64,
    momentum: f64,
    /// Worst-case spectral radius of the family at (lr, momentum).
    rate: f64,
}

/// The canonical map: every cell stored when a file is written, else the summary alone.
pub(super) struct Canonical {
    plane: Plane,
    marks: Vec<(f64, f64)>,
    store: bool,
}

impl Canonical {
    pub fn new(a: &MapArgs, plane: Plane) -> Self {
        Canonical {
            plane,
            marks: a.mark.clone(),
            store: a.out.is_some() || a.csv.is_some(),
        }
    }
}

impl Kind for Canonical {
    type Map = (Summary, Option<StabilityMap>);
    type Extra = Vec<MarkJson>;
    // a bar only for maps that take a noticeable time (~0.1 s per 2^24 cells)
    const BAR_FROM: Option<u64> = Some(1 << 24);

    fn shape(&self) -> (usize, usize) {
        self.plane.spec.shape()
    }

    fn check(&self, _: &MapArgs) -> CliResult<()> {
        let (n, m) = self.shape();
        let cells = n as u64 * m as u64;
        if self.store && cells > MAX_STORED_CELLS {
            // say so before any output file is created
            return Err(momentum::Error::TooLarge {
                cells,
                limit: MAX_STORED_CELLS,
            }
            .into());
        }
        Ok(())
    }

    fn compute(&self, _: &MapArgs, progress: Option<Progress>) -> CliResult<Self::Map> {
        let (spec, spectrum) = (&self.plane.spec, &self.plane.spectrum);
        Ok(if self.store {
            let map = StabilityMap::compute_with_progress(spec, spectrum, progress)?;
            (map.summary(), Some(map))
        } else {
            (summary_with_progress(spec, spectrum, progress), None)
        })
    }

    fn finish(&mut self, _: &Self::Map) -> CliResult<Self::Extra> {
        let marks = self
            .marks
            .iter()
            .map(|&(lr, b)| {
                let rate = self
                    .plane
                    .family
                    .method(lr, b)?
                    .worst_case(&self.plane.spectrum)?
                    .spectral_radius();
                Ok(MarkJson {
                    lr,
                    momentum: b,
                    rate,
                })
            })
            .collect::<momentum::Result<Vec<_>>>()?;
        Ok(marks)
    }

    fn csv(&self, (_, map): &Self::Map, path: &Path) -> CliResult<()> {
        match map {
            Some(map) => write_csv(map, path),
            None => Ok(()),
        }
    }

    fn figure(&self, (_, map): &Self::Map, marks: &Self::Extra, path: &Path) -> CliResult<()> {
        let Some(map) = map else { return Ok(()) };
        let fig = MapFigure {
            marks: marks
                .iter()
                .map(|m| Mark {
                    label: format!(
                        "lr {}, β {}: ρ = {}",
                        num(m.lr),
                        num(m.momentum),
                        num(m.rate)
                    ),
                    step: m.lr,
                    momentum: m.momentum,
                })
                .collect(),
            ..Default::default()
        };
        crate::commands::figures::map_figure(map, path, Some(fig))
    }

    fn report(self, (sum, _): Self::Map, marks: Self::Extra, seconds: f64) -> CliResult<Report> {
        let Plane {
            family,
            spectrum,
            spec,
            momentum_range,
            notes,
        } = self.plane;
        let (lo, hi) = spectrum.bounds();
        let (n, m) = spec.shape();
        let out = MapJson {
            schema: SCHEMA,
            method: family.name(),
            lookahead: lookahead(family),
            axes: AxesJson {
                grid: [n, m],
                mu: lo,
                l: hi,
                lr_max: spec.step_max(),
                lr_min: spec.step_min(),
                momentum_range: [momentum_range.0, momentum_range.1],
            },
            summary: sum,
            seconds,
            cells_per_second: sum.cells as f64 / seconds.max(1e-9),
            marks,
            notes,
        };
        let mut lines = vec![
            format!(
                "{} map over λ ∈ [{}, {}]: {} × {} cells (step × momentum), step ∈ {}, momentum ∈ ({}, {})",
                out.method,
                num(lo),
                num(hi),
                n,
                m,
                step_axis(&spec),
                num(momentum_range.0),
                num(momentum_range.1)
            ),
            format!(
                "stable: {} of {} cells ({:.4}%); sum of ρ over stable cells {}",
                sum.stable_cells,
                sum.cells,
                100.0 * sum.stable_fraction,
                sum.checksum
            ),
            format!(
                "computed in {:.3} s ({} cells/s)",
                seconds,
                num(out.cells_per_second)
            ),
        ];
        for mk in &out.marks {
            lines.push(format!(
                "mark lr = {}, momentum = {}: worst-case rho = {}{}",
                num(mk.lr),
                num(mk.momentum),
                num(mk.rate),
                if mk.rate < 1.0 { "" } else { " (unstable)" }
            ));
        }
        Ok(Report {
            json: serde_json::to_string(&out)?,
            lines,
            notes: out.notes,
        })
    }
}

fn write_csv(map: &StabilityMap, path: &Path) -> CliResult<()> {
    let io = csv_error(path);
    let mut w = csv::Writer::from_path(path).map_err(&io)?;
    w.write_record([
        "step",
        "momentum",
        "radius",
        "stable",
        "regime_mu",
        "regime_L",
        "worst",
    ])
    .map_err(&io)?;
    let (n, m) = map.spec().shape();
    for j in 0..m {
        for i in 0..n {
            let c = map.cell(i, j);
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
            ])
            .map_err(&io)?;
        }
    }
    w.flush()
        .map_err(|e| CliError::Io(format!("writing {}: {e}", path.display())))
}
