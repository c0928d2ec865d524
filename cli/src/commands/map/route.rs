//! The one route every `momentum map` takes, whatever the kind of map: refuse outputs before
//! creating any file, compute (through the library's grid driver) with a progress bar, derive
//! the marks, write the CSV and the figure, print the JSON document or the text summary. What
//! differs between the kinds — the computation, the CSV columns, the figure, the document — is a
//! [`Kind`]; a new kind of map implements it and adds a line to `map::run`.

use super::args::MapArgs;
use crate::commands::common::{CliResult, check_extension, check_writable, progress_bar};
use crate::commands::format::num;
use momentum::Family;
use momentum::map::{GridSpec, Progress};
use std::path::Path;
use std::time::Instant;

/// One kind of map: its pieces of the route ([`route`] runs them in order).
pub(super) trait Kind {
    /// The computed map.
    type Map;
    /// What the outputs need beyond the map, derived once it is computed (the marks' rates, ...).
    type Extra;
    /// Maps of at least this many cells show a progress bar (`None`: never).
    const BAR_FROM: Option<u64>;
    /// (step, momentum) cells.
    fn shape(&self) -> (usize, usize);
    /// Refusals that come before any output file is created (cell limits, outputs the kind does
    /// not write).
    fn check(&self, a: &MapArgs) -> CliResult<()>;
    /// Every cell, telling `progress` of each finished row.
    fn compute(&self, a: &MapArgs, progress: Option<Progress>) -> CliResult<Self::Map>;
    /// The marks and whatever else the figure and the document need.
    fn finish(&mut self, map: &Self::Map) -> CliResult<Self::Extra>;
    /// One CSV row per cell.
    fn csv(&self, map: &Self::Map, path: &Path) -> CliResult<()>;
    /// The figure (.png or .svg).
    fn figure(&self, map: &Self::Map, extra: &Self::Extra, path: &Path) -> CliResult<()>;
    /// The JSON document and the text summary.
    fn report(self, map: Self::Map, extra: Self::Extra, seconds: f64) -> CliResult<Report>;
}

/// What a map prints: the JSON document (`--json`) or the summary lines, then its notes.
pub(super) struct Report {
    pub json: String,
    pub lines: Vec<String>,
    pub notes: Vec<String>,
}

/// Run a kind of map to its outputs.
pub(super) fn route<K: Kind>(a: &MapArgs, mut kind: K) -> CliResult<()> {
    kind.check(a)?;
    // a bad extension is refused before any file is created
    if let Some(out) = &a.out {
        check_extension(out)?;
    }
    for p in [&a.out, &a.csv].into_iter().flatten() {
        check_writable(p)?;
    }
    let (n, m) = kind.shape();
    let t0 = Instant::now();
    let bar = K::BAR_FROM
        .filter(|&from| n as u64 * m as u64 >= from)
        .and_then(|_| progress_bar(m as u64, "map rows", a.quiet || a.json));
    let tick = |k: u64| {
        if let Some(b) = &bar {
            b.inc(k);
        }
    };
    let progress: Option<Progress> = bar.as_ref().map(|_| &tick as _);
    let map = kind.compute(a, progress)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let seconds = t0.elapsed().as_secs_f64();
    let extra = kind.finish(&map)?;
    if let Some(path) = &a.csv {
        kind.csv(&map, path)?;
    }
    if let Some(path) = &a.out {
        kind.figure(&map, &extra, path)?;
    }
    let report = kind.report(map, extra, seconds)?;
    if a.json {
        println!("{}", report.json);
        return Ok(());
    }
    for line in &report.lines {
        println!("{line}");
    }
    for note in &report.notes {
        println!("note: {note}");
    }
    for p in [&a.out, &a.csv].into_iter().flatten() {
        println!("wrote {}", p.display());
    }
    Ok(())
}

/// The step axis as the summaries state it: `(0, max]`, or `[min, max] (log scale)`.
pub(super) fn step_axis(spec: &GridSpec) -> String {
    match spec.step_min() {
        Some(x) => format!("[{}, {}] (log scale)", num(x), num(spec.step_max())),
        None => format!("(0, {}]", num(spec.step_max())),
    }
}

/// A family's fixed lookahead, as the documents state it (`null` for the named families).
pub(super) fn lookahead(family: Family) -> Option<f64> {
    match family {
        Family::Lookahead(g) => Some(g),
        _ => None,
    }
}

/// A CSV writer's error, naming the file.
pub(super) fn csv_error(
    path: &Path,
) -> impl Fn(csv::Error) -> crate::commands::common::CliError + '_ {
    move |e| crate::commands::common::CliError::Io(format!("writing {}: {e}", path.display()))
}

/// The grid's axes as every map document states them (flattened into each kind's document, in
/// this order).
#[derive(serde::Serialize)]
pub(super) struct AxesJson {
    /// Cells along the step and the momentum axis.
    pub grid: [usize; 2],
    /// The spectrum's ends.
    pub mu: f64,
    #[serde(rename = "L")]
    pub l: f64,
    /// The largest step (or lr) of the step axis.
    pub lr_max: f64,
    /// The smallest step of a logarithmic step axis (--log-lr); null for a uniform axis.
    pub lr_min: Option<f64>,
    /// The momentum axis' ends.
    pub momentum_range: [f64; 2],
}
