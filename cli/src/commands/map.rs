//! `momentum map`: the (step, momentum) plane, cell by cell.

use super::common::{CliError, CliResult, check_writable};
use super::format::num;
use super::map_args::{MapArgs, cells, log_axis, lr_max};
use crate::plot::stability::{MapFigure, Mark};
use momentum::Family;
use momentum::map::{GridSpec, StabilityMap, Summary, summary_with_progress};
use momentum::setting::MethodName;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

#[derive(Serialize)]
struct MapJson {
    /// The version of the JSON contract (docs/json.md).
    schema: &'static str,
    method: &'static str,
    lookahead: Option<f64>,
    grid: [usize; 2],
    mu: f64,
    #[serde(rename = "L")]
    l: f64,
    lr_max: f64,
    /// The smallest step of a logarithmic step axis (--log-lr); null for a uniform axis.
    lr_min: Option<f64>,
    momentum_range: [f64; 2],
    #[serde(flatten)]
    summary: Summary,
    seconds: f64,
    cells_per_second: f64,
    /// The settings given with --mark and their worst-case rate over the spectrum.
    marks: Vec<MarkJson>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct MarkJson {
    lr: f64,
    momentum: f64,
    /// Worst-case spectral radius of the family at (lr, momentum).
    rate: f64,
}

pub fn run(a: &MapArgs) -> CliResult<()> {
    if let Some(framework) = a.conv.framework(a.certified)? {
        return super::mapconv::run(a, framework);
    }
    let (momentum_min, momentum_max) = (
        a.momentum_min.unwrap_or(-1.0),
        a.momentum_max.unwrap_or(1.0),
    );
    let analysed = a.spectrum.analysed()?;
    let spectrum = analysed.spectrum;
    let (lo, hi) = spectrum.bounds();
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
                    "no positive largest curvature to scale the step axis by: give --lr-max".into(),
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
    let spec = GridSpec::new(family, lr_max, (momentum_min, momentum_max), (n, m))?;
    let spec = log_axis(a, spec)?;
    if a.certified {
        return certified(a, &spec, family, lr_max, notes);
    }
    if let Some(tau) = a.delay.tau()? {
        if a.csv.is_some() {
            return Err(CliError::Usage(
                "--csv is not written with --delay (use --json or --out)".into(),
            ));
        }
        if let Some(out) = &a.out {
            super::common::check_extension(out)?;
            check_writable(out)?;
        }
        return super::delay::map(
            &spec,
            &spectrum,
            tau,
            &a.mark,
            a.out.as_deref(),
            a.json,
            notes,
        );
    }
    let store = a.out.is_some() || a.csv.is_some();
    let cells = n as u64 * m as u64;
    if store && cells > momentum::map::MAX_STORED_CELLS {
        // say so before any output file is created
        return Err(momentum::Error::TooLarge {
            cells,
            limit: momentum::map::MAX_STORED_CELLS,
        }
        .into());
    }
    if let Some(out) = &a.out {
        super::common::check_extension(out)?;
    }
    for p in [&a.out, &a.csv].into_iter().flatten() {
        check_writable(p)?;
    }
    let t0 = Instant::now();
    // a bar only for maps that take a noticeable time (~0.1 s per 2^24 cells)
    let bar = (cells >= 1 << 24)
        .then(|| super::common::progress_bar(m as u64, "map rows", a.quiet || a.json))
        .flatten();
    let tick = |k: u64| {
        if let Some(b) = &bar {
            b.inc(k);
        }
    };
    let progress: Option<momentum::map::Progress> = bar.as_ref().map(|_| &tick as _);
    let (sum, map) = if store {
        let map = StabilityMap::compute_with_progress(&spec, &spectrum, progress)?;
        (map.summary(), Some(map))
    } else {
        (summary_with_progress(&spec, &spectrum, progress), None)
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let seconds = t0.elapsed().as_secs_f64();
    if let (Some(map), Some(path)) = (&map, &a.csv) {
        write_csv(map, path)?;
    }
    let marks = a
        .mark
        .iter()
        .map(|&(lr, b)| {
            let rate = family
                .method(lr, b)?
                .worst_case(&spectrum)?
                .spectral_radius();
            Ok(MarkJson {
                lr,
                momentum: b,
                rate,
            })
        })
        .collect::<momentum::Result<Vec<_>>>()?;
    if let (Some(map), Some(path)) = (&map, &a.out) {
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
        super::figures::map_figure(map, path, Some(fig))?;
    }
    let out = MapJson {
        schema: super::common::SCHEMA,
        method: family.name(),
        lookahead: match family {
            Family::Lookahead(g) => Some(g),
            _ => None,
        },
        grid: [n, m],
        mu: lo,
        l: hi,
        lr_max,
        lr_min: spec.step_min(),
        momentum_range: [momentum_min, momentum_max],
        summary: sum,
        seconds,
        cells_per_second: sum.cells as f64 / seconds.max(1e-9),
        marks,
        notes,
    };
    if a.json {
        println!("{}", serde_json::to_string(&out)?);
    } else {
        println!(
            "{} map over λ ∈ [{}, {}]: {} × {} cells (step × momentum), step ∈ {}, momentum ∈ ({}, {})",
            out.method,
            num(lo),
            num(hi),
            n,
            m,
            match spec.step_min() {
                Some(x) => format!("[{}, {}] (log scale)", num(x), num(lr_max)),
                None => format!("(0, {}]", num(lr_max)),
            },
            num(momentum_min),
            num(momentum_max)
        );
        println!(
            "stable: {} of {} cells ({:.4}%); sum of ρ over stable cells {}",
            sum.stable_cells,
            sum.cells,
            100.0 * sum.stable_fraction,
            sum.checksum
        );
        println!(
            "computed in {:.3} s ({} cells/s)",
            seconds,
            num(out.cells_per_second)
        );
        for mk in &out.marks {
            println!(
                "mark lr = {}, momentum = {}: worst-case rho = {}{}",
                num(mk.lr),
                num(mk.momentum),
                num(mk.rate),
                if mk.rate < 1.0 { "" } else { " (unstable)" }
            );
        }
        for note in &out.notes {
            println!("note: {note}");
        }
        for p in [&a.out, &a.csv].into_iter().flatten() {
            println!("wrote {}", p.display());
        }
    }
    Ok(())
}

fn write_csv(map: &StabilityMap, path: &Path) -> CliResult<()> {
    let io = |e: csv::Error| CliError::Io(format!("writing {}: {e}", path.display()));
    let mut w = csv::Writer::from_path(path).map_err(io)?;
    w.write_record([
        "step",
        "momentum",
        "radius",
        "stable",
        "regime_mu",
        "regime_L",
        "worst",
    ])
    .map_err(io)?;
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
                    momentum::map::Endpoint::Lo => "mu".to_string(),
                    momentum::map::Endpoint::Hi => "L".to_string(),
                },
            ])
            .map_err(io)?;
        }
    }
    w.flush()
        .map_err(|e| CliError::Io(format!("writing {}: {e}", path.display())))
}

#[derive(Serialize)]
struct CertifiedMapJson {
    schema: &'static str,
    /// "smooth_strongly_convex": the rates hold on every L-smooth μ-strongly convex f.
    class: &'static str,
    engine: &'static str,
    method: &'static str,
    lookahead: Option<f64>,
    grid: [usize; 2],
    mu: f64,
    #[serde(rename = "L")]
    l: f64,
    lr_max: f64,
    lr_min: Option<f64>,
    momentum_range: [f64; 2],
    #[serde(flatten)]
    summary: momentum::certify::map::CertifiedSummary,
    seconds: f64,
    cells_per_second: f64,
    marks: Vec<CertifiedMarkJson>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct CertifiedMarkJson {
    lr: f64,
    momentum: f64,
    quadratic_rate: f64,
    certified_rate: Option<f64>,
}

/// `map --certified`: the certified-rate map (momentum::certify::map).
fn certified(
    a: &MapArgs,
    spec: &GridSpec,
    family: Family,
    lr_max: f64,
    mut notes: Vec<String>,
) -> CliResult<()> {
    use momentum::certify::map::{CertifiedMap, MAX_CERTIFIED_CELLS};
    let full = a.spectrum.spectrum()?;
    let (mu, l) = full.bounds();
    if mu.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Err(CliError::Value(momentum::Error::NotPositive {
            name: "mu",
            value: mu,
        }));
    }
    if !matches!(full, momentum::Spectrum::Interval { .. }) {
        notes.push(format!(
            "certified on the class F({}, {}) spanned by the listed eigenvalues",
            num(mu),
            num(l)
        ));
    }
    let (n, m) = spec.shape();
    let cells = n as u64 * m as u64;
    if cells > MAX_CERTIFIED_CELLS {
        return Err(momentum::Error::TooLarge {
            cells,
            limit: MAX_CERTIFIED_CELLS,
        }
        .into());
    }
    // a bad extension is refused before any file is created
    if let Some(out) = &a.out {
        super::common::check_extension(out)?;
    }
    for p in [&a.out, &a.csv].into_iter().flatten() {
        check_writable(p)?;
    }
    let t0 = Instant::now();
    let map = CertifiedMap::compute(spec, mu, l)?;
    let seconds = t0.elapsed().as_secs_f64();
    let summary = map.summary();
    let marks = a
        .mark
        .iter()
        .map(|&(lr, b)| {
            let c = momentum::certify::certified_rate(&family.method(lr, b)?, mu, l)?;
            Ok(CertifiedMarkJson {
                lr,
                momentum: b,
                quadratic_rate: c.quadratic_rate,
                certified_rate: c.rate,
            })
        })
        .collect::<momentum::Result<Vec<_>>>()?;
    if let Some(path) = &a.csv {
        write_certified_csv(&map, path)?;
    }
    if let Some(path) = &a.out {
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
        crate::plot::certified::save(&map, &fig, path).map_err(CliError::Value)?;
    }
    let out = CertifiedMapJson {
        schema: super::common::SCHEMA,
        class: "smooth_strongly_convex",
        engine: "frequency",
        method: family.name(),
        lookahead: match family {
            Family::Lookahead(g) => Some(g),
            _ => None,
        },
        grid: [n, m],
        mu,
        l,
        lr_max,
        lr_min: spec.step_min(),
        momentum_range: [
            a.momentum_min.unwrap_or(-1.0),
            a.momentum_max.unwrap_or(1.0),
        ],
        summary,
        seconds,
        cells_per_second: cells as f64 / seconds.max(1e-9),
        marks,
        notes,
    };
    if a.json {
        println!("{}", serde_json::to_string(&out)?);
        return Ok(());
    }
    println!(
        "{} certified-rate map on F({}, {}) (every L-smooth mu-strongly convex f): {} x {} cells, step in {}, momentum in ({}, {})",
        out.method,
        num(mu),
        num(l),
        n,
        m,
        match spec.step_min() {
            Some(x) => format!("[{}, {}] (log scale)", num(x), num(lr_max)),
            None => format!("(0, {}]", num(lr_max)),
        },
        num(a.momentum_min.unwrap_or(-1.0)),
        num(a.momentum_max.unwrap_or(1.0))
    );
    let pct = |k: u64| 100.0 * k as f64 / summary.cells as f64;
    println!(
        "stable on quadratics: {} cells ({:.2}%); certified: {} ({:.2}%); stable on quadratics but not certified: {} ({:.2}%)",
        summary.quadratic_stable_cells,
        pct(summary.quadratic_stable_cells),
        summary.certified_cells,
        pct(summary.certified_cells),
        summary.stable_not_certified_cells,
        pct(summary.stable_not_certified_cells)
    );
    if let Some(b) = summary.best_certified {
        println!(
            "best certified cell: lr = {}, momentum = {}: certified rho = {} (quadratic rho = {})",
            num(b.step),
            num(b.momentum),
            b.rate.map(num).unwrap_or_default(),
            num(b.quadratic_rate)
        );
    }
    if let Some(b) = summary.best_quadratic {
        println!(
            "best quadratic cell: lr = {}, momentum = {}: quadratic rho = {}, certified rho = {}",
            num(b.step),
            num(b.momentum),
            num(b.quadratic_rate),
            b.rate.map(num).unwrap_or_else(|| "none".into())
        );
    }
    println!(
        "computed in {:.3} s ({} cells/s)",
        seconds,
        num(out.cells_per_second)
    );
    for mk in &out.marks {
        println!(
            "mark lr = {}, momentum = {}: quadratic rho = {}, certified rho = {}",
            num(mk.lr),
            num(mk.momentum),
            num(mk.quadratic_rate),
            mk.certified_rate.map(num).unwrap_or_else(|| "none".into())
        );
    }
    for note in &out.notes {
        println!("note: {note}");
    }
    for p in [&a.out, &a.csv].into_iter().flatten() {
        println!("wrote {}", p.display());
    }
    Ok(())
}

fn write_certified_csv(map: &momentum::certify::map::CertifiedMap, path: &Path) -> CliResult<()> {
    let io = |e: csv::Error| CliError::Io(format!("writing {}: {e}", path.display()));
    let mut w = csv::Writer::from_path(path).map_err(io)?;
    w.write_record([
        "step",
        "momentum",
        "quadratic_rate",
        "certified_rate",
        "status",
        "multiplier",
    ])
    .map_err(io)?;
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for c in map.cells() {
        w.write_record([
            c.step.to_string(),
            c.momentum.to_string(),
            c.quadratic_rate.to_string(),
            opt(c.rate),
            c.status().as_str().to_string(),
            opt(c.multiplier),
        ])
        .map_err(io)?;
    }
    w.flush()
        .map_err(|e| CliError::Io(format!("writing {}: {e}", path.display())))
}
