//! `momentum map --delay TAU`: the canonical plane with the gradient τ steps late
//! (`momentum::delay::DelayMap`).

use super::args::MapArgs;
use super::canonical::Plane;
use super::route::{Kind, Report, lookahead};
use crate::commands::common::{CliError, CliResult, SCHEMA};
use crate::commands::format::num;
use momentum::delay::DelayMap;
use momentum::map::Progress;
use momentum::setting::delay::MODEL;
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
pub(super) struct MarkJson {
    lr: f64,
    momentum: f64,
    rate: f64,
    stable: bool,
}

#[derive(Serialize)]
struct DelayMapJson {
    schema: &'static str,
    method: &'static str,
    lookahead: Option<f64>,
    delay: u32,
    model: &'static str,
    grid: [usize; 2],
    mu: f64,
    #[serde(rename = "L")]
    l: f64,
    lr_max: f64,
    momentum_range: [f64; 2],
    cells: u64,
    stable_cells: u64,
    stable_fraction: f64,
    /// The stable cell with the smallest worst-case radius: [lr, momentum, rate] (null: none).
    best_cell: Option<[f64; 3]>,
    seconds: f64,
    marks: Vec<MarkJson>,
    notes: Vec<String>,
}

/// The delayed map at delay τ.
pub(super) struct Delayed {
    plane: Plane,
    tau: u32,
    marks: Vec<(f64, f64)>,
}

impl Delayed {
    pub fn new(a: &MapArgs, plane: Plane, tau: u32) -> Self {
        Delayed {
            plane,
            tau,
            marks: a.mark.clone(),
        }
    }
}

impl Kind for Delayed {
    type Map = DelayMap;
    type Extra = Vec<MarkJson>;
    const BAR_FROM: Option<u64> = None;

    fn shape(&self) -> (usize, usize) {
        self.plane.spec.shape()
    }

    fn check(&self, a: &MapArgs) -> CliResult<()> {
        match a.csv {
            Some(_) => Err(no_csv()),
            None => Ok(()),
        }
    }

    fn compute(&self, _: &MapArgs, _: Option<Progress>) -> CliResult<DelayMap> {
        Ok(DelayMap::compute(
            &self.plane.spec,
            self.tau,
            &self.plane.spectrum,
        )?)
    }

    fn finish(&mut self, _: &DelayMap) -> CliResult<Self::Extra> {
        let (family, tau) = (self.plane.family, self.tau);
        let marks = self
            .marks
            .iter()
            .map(|&(lr, b)| {
                let w = family
                    .method(lr, b)?
                    .delayed(tau)?
                    .worst_case(&self.plane.spectrum)?;
                Ok(MarkJson {
                    lr,
                    momentum: b,
                    rate: w.spectral_radius,
                    stable: w.stable,
                })
            })
            .collect::<momentum::Result<Vec<_>>>()?;
        self.plane.notes.push(format!(
            "delay tau = {tau}: every cell is the worst case over the spectrum of the delayed recurrence ({MODEL})"
        ));
        Ok(marks)
    }

    /// Not written: refused by [`Kind::check`] before any file is created.
    fn csv(&self, _: &DelayMap, _: &Path) -> CliResult<()> {
        Err(no_csv())
    }

    fn figure(&self, map: &DelayMap, _: &Self::Extra, path: &Path) -> CliResult<()> {
        crate::plot::delay::save(&[map], &self.plane.spectrum, path).map_err(CliError::Value)
    }

    fn report(self, map: DelayMap, marks: Self::Extra, seconds: f64) -> CliResult<Report> {
        let Plane {
            family,
            spectrum,
            spec,
            notes,
            ..
        } = self.plane;
        let tau = self.tau;
        let (n, m) = spec.shape();
        let stable_cells = map.stable.iter().filter(|&&s| s).count() as u64;
        let best = (0..n * m)
            .filter(|&k| map.stable[k])
            .min_by(|&a, &b| map.radii[a].total_cmp(&map.radii[b]))
            .map(|k| [spec.step(k % n), spec.momentum(k / n), map.radii[k]]);
        let (lo, hi) = spectrum.bounds();
        let doc = DelayMapJson {
            schema: SCHEMA,
            method: family.name(),
            lookahead: lookahead(family),
            delay: tau,
            model: MODEL,
            grid: [n, m],
            mu: lo,
            l: hi,
            lr_max: spec.step_max(),
            momentum_range: [spec.momentum_range().0, spec.momentum_range().1],
            cells: (n * m) as u64,
            stable_cells,
            stable_fraction: map.stable_fraction(),
            best_cell: best,
            seconds,
            marks,
            notes,
        };
        let mut lines = vec![
            format!(
                "{} map with delay τ = {tau} over λ ∈ [{}, {}]: {n} × {m} cells, step ∈ (0, {}], momentum ∈ ({}, {})",
                doc.method,
                num(lo),
                num(hi),
                num(doc.lr_max),
                num(doc.momentum_range[0]),
                num(doc.momentum_range[1])
            ),
            format!(
                "stable: {stable_cells} of {} cells ({:.4}%), computed in {seconds:.3} s",
                doc.cells,
                100.0 * doc.stable_fraction
            ),
        ];
        if let Some([a, b, r]) = doc.best_cell {
            lines.push(format!(
                "best cell: lr = {}, momentum = {}: ρ = {}",
                num(a),
                num(b),
                num(r)
            ));
        }
        for mk in &doc.marks {
            lines.push(format!(
                "mark lr = {}, momentum = {}: worst-case rho = {}{}",
                num(mk.lr),
                num(mk.momentum),
                num(mk.rate),
                if mk.stable { "" } else { " (unstable)" }
            ));
        }
        Ok(Report {
            json: serde_json::to_string(&doc)?,
            lines,
            notes: doc.notes,
        })
    }
}

fn no_csv() -> CliError {
    CliError::Usage("--csv is not written with --delay (use --json or --out)".into())
}
