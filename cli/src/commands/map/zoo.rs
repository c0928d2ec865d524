//! `momentum map --convention ademamix|lookahead|schedule_free|aggmo|sam`: an order-n
//! optimizer's own (lr, y) plane (`momentum::map::zoo`), y its momentum by default (`--axis`).

use super::args::{MapArgs, cells};
use super::route::{Kind, Report, step_axis};
use crate::commands::common::{CliError, CliResult, SCHEMA};
use crate::commands::format::num;
use crate::plot::framework::FrameworkFigure;
use crate::plot::stability::Mark;
use momentum::Framework;
use momentum::map::Progress;
use momentum::map::zoo::{ZooAxis, ZooMap, ZooMapDoc, ZooMapRequest, run};
use momentum::setting::{Input, Setting};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct ZooMapJson {
    #[serde(flatten)]
    doc: ZooMapDoc,
    seconds: f64,
    cells_per_second: f64,
}

/// An order-n optimizer's map: the setting and the request (computed in `compute`).
pub(super) struct ZooKind {
    setting: Setting,
    input: Input,
    req: ZooMapRequest,
}

impl ZooKind {
    pub fn new(a: &MapArgs, framework: Framework) -> CliResult<Self> {
        if a.lookahead.is_some() || a.method.is_some() {
            return Err(CliError::Usage(format!(
                "--method and --lookahead do not apply to --convention {framework} (the convention names the optimizer)"
            )));
        }
        if a.delay.delay.is_some() || a.certified {
            return Err(CliError::Usage(format!(
                "--delay and --certified maps are canonical: drop --convention {framework}"
            )));
        }
        let c = &a.conv;
        let setting = Setting {
            framework,
            nesterov: c.nesterov,
            dampening: c.dampening,
            weight_decay: c.weight_decay,
            nu: c.nu,
            extra: c.zoo.extra(),
            ..Setting::default()
        };
        let input = match c.pre.input(&a.spectrum, framework)? {
            Some(i) => i,
            None => {
                let (s, p) = a.spectrum.full()?;
                Input::Spectrum(s, p)
            }
        };
        let n = cells("grid", a.grid)?;
        let m = cells("grid-momentum", a.grid_momentum.unwrap_or(a.grid))?;
        let y_range = match (a.momentum_min, a.momentum_max) {
            (None, None) => None,
            (lo, hi) => Some((lo.unwrap_or(0.0), hi.unwrap_or(1.0))),
        };
        Ok(ZooKind {
            setting,
            input,
            req: ZooMapRequest {
                axis: c.axis.map(ZooAxis::from),
                grid: (n, m),
                lr_max: a.lr_max,
                h_max: a.h_max,
                log_lr: a.log_lr,
                lr_min: a.lr_min,
                y_range,
                flat_tol: a.spectrum.flat_tol,
                marks: a.mark.clone(),
            },
        })
    }
}

/// What the figure and the report need besides the cells.
pub(super) struct Computed {
    map: ZooMap,
    doc: ZooMapDoc,
}

impl Kind for ZooKind {
    type Map = Computed;
    type Extra = ();
    const BAR_FROM: Option<u64> = Some(1 << 14);

    fn shape(&self) -> (usize, usize) {
        self.req.grid
    }

    fn check(&self, _: &MapArgs) -> CliResult<()> {
        Ok(())
    }

    fn compute(&self, _: &MapArgs, progress: Option<Progress>) -> CliResult<Computed> {
        let (map, doc) = run(&self.setting, self.input.clone(), &self.req, progress)?;
        Ok(Computed { map, doc })
    }

    fn finish(&mut self, _: &Computed) -> CliResult<()> {
        Ok(())
    }

    fn csv(&self, c: &Computed, path: &Path) -> CliResult<()> {
        let io = super::route::csv_error(path);
        let mut w = csv::Writer::from_path(path).map_err(&io)?;
        w.write_record(["lr", c.doc.axis, "radius", "stable", "worst_lambda"])
            .map_err(&io)?;
        let (n, m) = c.map.grid().axes().shape();
        for j in 0..m {
            for i in 0..n {
                let x = c.map.cell(i, j);
                w.write_record([
                    x.lr.to_string(),
                    x.y.to_string(),
                    x.radius.to_string(),
                    x.stable.to_string(),
                    x.worst_lambda.to_string(),
                ])
                .map_err(&io)?;
            }
        }
        w.flush()
            .map_err(|e| CliError::Io(format!("writing {}: {e}", path.display())))
    }

    fn figure(&self, c: &Computed, _: &(), path: &Path) -> CliResult<()> {
        let f = self.setting.framework;
        let grid = c.map.grid();
        let (lo, hi) = c.map.bounds();
        // the exact edge on 601 rows, as the framework maps draw it
        let (b0, b1) = grid.axes().momentum_range();
        let edge = (0..=600)
            .filter_map(|k| {
                let y = b0 + (b1 - b0) * (k as f64 + 0.5) / 601.0;
                let iv = grid.stable_lrs(y, c.map.spectrum()).ok().flatten()?;
                Some((y, iv.lo, iv.hi))
            })
            .collect();
        let y_name = c.doc.axis;
        let fig = FrameworkFigure {
            title: if lo == hi {
                format!("{f}: ρ per step at λ = {}", num(lo))
            } else {
                format!(
                    "{f}: worst-case ρ per step over λ ∈ [{}, {}]",
                    num(lo),
                    num(hi)
                )
            },
            x_desc: format!("learning rate  lr  ({f})"),
            y_desc: format!("{y_name}  ({f})"),
            edge,
            marks: c
                .doc
                .marks
                .iter()
                .map(|m| Mark {
                    label: format!(
                        "lr {}, {y_name} {}: ρ = {}",
                        num(m.lr),
                        num(m.y),
                        num(m.rate)
                    ),
                    step: m.lr,
                    momentum: m.y,
                })
                .collect(),
            edge_label: "stability edge ρ = 1 (exact, the order-n core)",
        };
        let cells = |i: usize, j: usize| {
            let x = c.map.cell(i, j);
            (x.radius, x.stable)
        };
        crate::plot::framework::save_cells(grid.axes(), &cells, &fig, path).map_err(CliError::Value)
    }

    fn report(self, c: Computed, _: (), seconds: f64) -> CliResult<Report> {
        let doc = c.doc;
        let f = doc.convention;
        let axes = *c.map.grid().axes();
        let s = doc.summary;
        let mut lines = vec![
            format!(
                "{f} map over λ ∈ [{}, {}]: {} × {} cells (lr × {}), lr ∈ {}, {} ∈ ({}, {})",
                num(doc.mu),
                num(doc.l),
                doc.grid[0],
                doc.grid[1],
                doc.axis,
                step_axis(&axes),
                doc.axis,
                num(doc.y_range[0]),
                num(doc.y_range[1]),
            ),
            format!(
                "stable: {} of {} cells ({:.4}%); sum of ρ over stable cells {}; computed in {seconds:.3} s",
                s.stable_cells,
                s.cells,
                100.0 * s.stable_fraction,
                s.checksum
            ),
        ];
        if let Some([lr, y, r]) = doc.best_cell {
            lines.push(format!(
                "best cell: lr = {}, {} = {}: ρ = {}",
                num(lr),
                doc.axis,
                num(y),
                num(r)
            ));
        }
        for mk in &doc.marks {
            lines.push(format!(
                "mark lr = {}, {} = {}: worst-case rho = {}{}",
                num(mk.lr),
                doc.axis,
                num(mk.y),
                num(mk.rate),
                if mk.stable { "" } else { " (unstable)" }
            ));
        }
        let notes = doc.notes.clone();
        let out = ZooMapJson {
            cells_per_second: s.cells as f64 / seconds.max(1e-9),
            doc,
            seconds,
        };
        debug_assert_eq!(out.doc.schema, SCHEMA);
        Ok(Report {
            json: serde_json::to_string(&out)?,
            lines,
            notes,
        })
    }
}
