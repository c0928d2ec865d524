//! `momentum map --certified`: each cell coloured by the rate certified on every L-smooth
//! μ-strongly convex function (`momentum::certify::map`), in the canonical plane, or as a
//! counterexample (a verified cycle on the class), undecided, or unstable on quadratics.

use super::args::MapArgs;
use super::canonical::Plane;
use super::route::{AxesJson, Kind, Report, csv_error, lookahead, step_axis};
use crate::commands::common::{CliError, CliResult, SCHEMA};
use crate::commands::format::num;
use crate::plot::stability::{MapFigure, Mark};
use momentum::certify::map::{CertifiedMap, CertifiedSummary, MAX_CERTIFIED_CELLS};
use momentum::map::Progress;
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct CertifiedMapJson {
    schema: &'static str,
    /// "smooth_strongly_convex": the rates hold on every L-smooth μ-strongly convex f.
    class: &'static str,
    engine: &'static str,
    /// The lifted window tried where the one-step certificate fails (1: none).
    window: usize,
    method: &'static str,
    lookahead: Option<f64>,
    #[serde(flatten)]
    axes: AxesJson,
    #[serde(flatten)]
    summary: CertifiedSummary,
    seconds: f64,
    cells_per_second: f64,
    marks: Vec<CertifiedMarkJson>,
    notes: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct CertifiedMarkJson {
    lr: f64,
    momentum: f64,
    quadratic_rate: f64,
    certified_rate: Option<f64>,
}

/// The certified-rate map over the class F(μ, L) the spectrum spans.
pub(super) struct Certified {
    plane: Plane,
    mu: f64,
    l: f64,
    window: usize,
    marks: Vec<(f64, f64)>,
}

impl Certified {
    pub fn new(a: &MapArgs, mut plane: Plane) -> CliResult<Self> {
        let full = a.spectrum.spectrum()?;
        let (mu, l) = full.bounds();
        if mu.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return Err(CliError::Value(momentum::Error::NotPositive {
                name: "mu",
                value: mu,
            }));
        }
        if !matches!(full, momentum::Spectrum::Interval { .. }) {
            plane.notes.push(format!(
                "certified on the class F({}, {}) spanned by the listed eigenvalues",
                num(mu),
                num(l)
            ));
        }
        Ok(Certified {
            plane,
            mu,
            l,
            window: a.window,
            marks: a.mark.clone(),
        })
    }
}

impl Kind for Certified {
    type Map = CertifiedMap;
    type Extra = Vec<CertifiedMarkJson>;
    const BAR_FROM: Option<u64> = None;

    fn shape(&self) -> (usize, usize) {
        self.plane.spec.shape()
    }

    fn check(&self, _: &MapArgs) -> CliResult<()> {
        let (n, m) = self.shape();
        let cells = n as u64 * m as u64;
        if cells > MAX_CERTIFIED_CELLS {
            return Err(momentum::Error::TooLarge {
                cells,
                limit: MAX_CERTIFIED_CELLS,
            }
            .into());
        }
        Ok(())
    }

    fn compute(&self, _: &MapArgs, _: Option<Progress>) -> CliResult<CertifiedMap> {
        Ok(CertifiedMap::compute_window(
            &self.plane.spec,
            self.mu,
            self.l,
            self.window,
        )?)
    }

    fn finish(&mut self, _: &CertifiedMap) -> CliResult<Self::Extra> {
        let marks = self
            .marks
            .iter()
            .map(|&(lr, b)| {
                let c = momentum::certify::lifted::certified_rate(
                    &self.plane.family.method(lr, b)?,
                    self.mu,
                    self.l,
                    self.window,
                )?;
                Ok(CertifiedMarkJson {
                    lr,
                    momentum: b,
                    quadratic_rate: c.one_step.quadratic_rate,
                    certified_rate: c.rate,
                })
            })
            .collect::<momentum::Result<Vec<_>>>()?;
        Ok(marks)
    }

    fn csv(&self, map: &CertifiedMap, path: &Path) -> CliResult<()> {
        let io = csv_error(path);
        let mut w = csv::Writer::from_path(path).map_err(&io)?;
        w.write_record([
            "step",
            "momentum",
            "quadratic_rate",
            "certified_rate",
            "status",
            "multiplier",
            "cycle_period",
            "window",
        ])
        .map_err(&io)?;
        let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        for c in map.cells() {
            w.write_record([
                c.step.to_string(),
                c.momentum.to_string(),
                c.quadratic_rate.to_string(),
                opt(c.rate),
                c.status().as_str().to_string(),
                opt(c.multiplier),
                c.cycle_period.map(|p| p.to_string()).unwrap_or_default(),
                c.window.map(|w| w.to_string()).unwrap_or_default(),
            ])
            .map_err(&io)?;
        }
        w.flush()
            .map_err(|e| CliError::Io(format!("writing {}: {e}", path.display())))
    }

    fn figure(&self, map: &CertifiedMap, marks: &Self::Extra, path: &Path) -> CliResult<()> {
        let fig = MapFigure {
            marks: marks
                .iter()
                .map(|mk| Mark {
                    label: format!(
                        "lr {}, β {}: certified ρ = {}",
                        num(mk.lr),
                        num(mk.momentum),
                        mk.certified_rate.map(num).unwrap_or_else(|| "none".into())
                    ),
                    step: mk.lr,
                    momentum: mk.momentum,
                })
                .collect(),
            ..Default::default()
        };
        crate::plot::certified::save(map, &fig, path).map_err(CliError::Value)
    }

    fn report(self, map: CertifiedMap, marks: Self::Extra, seconds: f64) -> CliResult<Report> {
        let Plane {
            family,
            spec,
            momentum_range,
            notes,
            ..
        } = self.plane;
        let (mu, l) = (self.mu, self.l);
        let (n, m) = spec.shape();
        let summary = map.summary();
        let out = CertifiedMapJson {
            schema: SCHEMA,
            class: "smooth_strongly_convex",
            engine: "frequency",
            window: self.window,
            method: family.name(),
            lookahead: lookahead(family),
            axes: AxesJson {
                grid: [n, m],
                mu,
                l,
                lr_max: spec.step_max(),
                lr_min: spec.step_min(),
                momentum_range: [momentum_range.0, momentum_range.1],
            },
            summary,
            seconds,
            cells_per_second: (n as u64 * m as u64) as f64 / seconds.max(1e-9),
            marks,
            notes,
        };
        let mut lines = vec![format!(
            "{} certified-rate map on F({}, {}) (every L-smooth mu-strongly convex f): {} x {} cells, step in {}, momentum in ({}, {})",
            out.method,
            num(mu),
            num(l),
            n,
            m,
            step_axis(&spec),
            num(momentum_range.0),
            num(momentum_range.1)
        )];
        let pct = |k: u64| 100.0 * k as f64 / summary.cells as f64;
        lines.push(format!(
            "certified (a rate < 1 on all of F(mu, L)): {} cells ({:.2}%); counterexample (stable on quadratics, a verified cycle on F(mu, L)): {} ({:.2}%); undecided: {} ({:.2}%); unstable on quadratics: {} ({:.2}%)",
            summary.certified_cells,
            pct(summary.certified_cells),
            summary.counterexample_cells,
            pct(summary.counterexample_cells),
            summary.undecided_cells,
            pct(summary.undecided_cells),
            summary.unstable_cells,
            pct(summary.unstable_cells)
        ));
        if out.window > 1 {
            lines.push(format!(
                "lifted certificates (window {}, tried where the one-step one and the cycle search fail): {} cells certified",
                out.window, summary.lifted_cells
            ));
        }
        if let Some(b) = summary.best_certified {
            lines.push(format!(
                "best certified cell: lr = {}, momentum = {}: certified rho = {} (quadratic rho = {})",
                num(b.step),
                num(b.momentum),
                b.rate.map(num).unwrap_or_default(),
                num(b.quadratic_rate)
            ));
        }
        if let Some(b) = summary.best_quadratic {
            lines.push(format!(
                "best quadratic cell: lr = {}, momentum = {}: quadratic rho = {}, certified rho = {}",
                num(b.step),
                num(b.momentum),
                num(b.quadratic_rate),
                b.rate.map(num).unwrap_or_else(|| "none".into())
            ));
        }
        lines.push(format!(
            "computed in {:.3} s ({} cells/s)",
            seconds,
            num(out.cells_per_second)
        ));
        for mk in &out.marks {
            lines.push(format!(
                "mark lr = {}, momentum = {}: quadratic rho = {}, certified rho = {}",
                num(mk.lr),
                num(mk.momentum),
                num(mk.quadratic_rate),
                mk.certified_rate.map(num).unwrap_or_else(|| "none".into())
            ));
        }
        Ok(Report {
            json: serde_json::to_string(&out)?,
            lines,
            notes: out.notes,
        })
    }
}
