//! `--delay TAU` for `analyze`, `map` and `tune`: the gradient τ steps late (library module
//! `momentum::delay`). The flag is defined once in `args.rs`; this file holds what each command
//! does with it.

use super::common::{CliError, CliResult};
use super::format::num;
use super::tune_method::TuneMethod;
use momentum::delay::{self, DelayMap, DelayTuning};
use momentum::map::GridSpec;
use momentum::{Family, Spectrum};
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

/// The delayed model, as JSON documents state it.
pub use momentum::setting::delay::MODEL;

#[derive(Serialize)]
struct MarkJson {
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

/// `map --delay`: the delayed map, its summary, and a figure with `--out`.
pub fn map(
    spec: &GridSpec,
    spectrum: &Spectrum,
    tau: u32,
    marks: &[(f64, f64)],
    out: Option<&Path>,
    json: bool,
    mut notes: Vec<String>,
) -> CliResult<()> {
    let t0 = Instant::now();
    let map = DelayMap::compute(spec, tau, spectrum)?;
    let seconds = t0.elapsed().as_secs_f64();
    let family = spec.family();
    let (n, m) = spec.shape();
    let stable_cells = map.stable.iter().filter(|&&s| s).count() as u64;
    let best = (0..n * m)
        .filter(|&k| map.stable[k])
        .min_by(|&a, &b| map.radii[a].total_cmp(&map.radii[b]))
        .map(|k| [spec.step(k % n), spec.momentum(k / n), map.radii[k]]);
    let marks = marks
        .iter()
        .map(|&(lr, b)| {
            let w = family.method(lr, b)?.delayed(tau)?.worst_case(spectrum)?;
            Ok(MarkJson {
                lr,
                momentum: b,
                rate: w.spectral_radius,
                stable: w.stable,
            })
        })
        .collect::<momentum::Result<Vec<_>>>()?;
    notes.push(format!(
        "delay tau = {tau}: every cell is the worst case over the spectrum of the delayed recurrence ({MODEL})"
    ));
    if let Some(path) = out {
        crate::plot::delay::save(&[&map], spectrum, path).map_err(CliError::Value)?;
    }
    let (lo, hi) = spectrum.bounds();
    let doc = DelayMapJson {
        schema: super::common::SCHEMA,
        method: family.name(),
        lookahead: match family {
            Family::Lookahead(g) => Some(g),
            _ => None,
        },
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
    if json {
        println!("{}", serde_json::to_string(&doc)?);
        return Ok(());
    }
    println!(
        "{} map with delay τ = {tau} over λ ∈ [{}, {}]: {n} × {m} cells, step ∈ (0, {}], momentum ∈ ({}, {})",
        doc.method,
        num(lo),
        num(hi),
        num(doc.lr_max),
        num(doc.momentum_range[0]),
        num(doc.momentum_range[1])
    );
    println!(
        "stable: {stable_cells} of {} cells ({:.4}%), computed in {seconds:.3} s",
        doc.cells,
        100.0 * doc.stable_fraction
    );
    if let Some([a, b, r]) = doc.best_cell {
        println!(
            "best cell: lr = {}, momentum = {}: ρ = {}",
            num(a),
            num(b),
            num(r)
        );
    }
    for mk in &doc.marks {
        println!(
            "mark lr = {}, momentum = {}: worst-case rho = {}{}",
            num(mk.lr),
            num(mk.momentum),
            num(mk.rate),
            if mk.stable { "" } else { " (unstable)" }
        );
    }
    for note in &doc.notes {
        println!("note: {note}");
    }
    if let Some(p) = out {
        println!("wrote {}", p.display());
    }
    Ok(())
}

#[derive(Serialize)]
struct TunedJson {
    #[serde(flatten)]
    tuning: DelayTuning,
    iterations_per_decade: Option<f64>,
    /// The same family tuned without delay (τ = 0).
    undelayed: DelayTuning,
}

#[derive(Serialize)]
struct DelayTuneJson {
    schema: &'static str,
    delay: u32,
    model: &'static str,
    mu: f64,
    #[serde(rename = "L")]
    l: f64,
    condition_number: f64,
    tunings: Vec<TunedJson>,
    notes: Vec<String>,
}

/// `tune --delay`: the (α, β) minimising the delayed worst-case rate, per family.
pub fn tune(
    method: TuneMethod,
    (mu, l): (f64, f64),
    tau: u32,
    json: bool,
    mut notes: Vec<String>,
) -> CliResult<()> {
    let families = match method {
        TuneMethod::All => vec![Family::GradientDescent, Family::HeavyBall, Family::Nesterov],
        TuneMethod::Gd => vec![Family::GradientDescent],
        TuneMethod::Hb => vec![Family::HeavyBall],
        TuneMethod::Nag => vec![Family::Nesterov],
        TuneMethod::NagQuadratic | TuneMethod::Tmm => {
            return Err(CliError::Usage(
                "--delay tunes by search: --method all, gd, hb or nag".into(),
            ));
        }
    };
    let spectrum = Spectrum::interval(mu, l)?;
    let tunings = families
        .iter()
        .map(|&f| {
            let t = delay::tune(f, tau, &spectrum)?;
            Ok(TunedJson {
                tuning: t,
                iterations_per_decade: momentum::mode::iterations_per_decade(t.rate),
                undelayed: delay::tune(f, 0, &spectrum)?,
            })
        })
        .collect::<momentum::Result<Vec<_>>>()?;
    notes.push(format!(
        "delay tau = {tau}: (step, momentum) minimise the worst-case spectral radius of the delayed recurrence over [mu, L] by grid and Nelder-Mead search ({MODEL}); 'undelayed' is the same search at tau = 0"
    ));
    let doc = DelayTuneJson {
        schema: super::common::SCHEMA,
        delay: tau,
        model: MODEL,
        mu,
        l,
        condition_number: l / mu,
        tunings,
        notes,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!(
        "tuned with delay τ = {tau} over λ ∈ [{}, {}] (κ = {})",
        num(mu),
        num(l),
        num(l / mu)
    );
    println!(
        "{:<18} {:>12} {:>10} {:>10} {:>12}   {:>10} {:>10}",
        "method", "step", "momentum", "rate", "iter/decade", "β at τ=0", "ρ at τ=0"
    );
    for t in &doc.tunings {
        println!(
            "{:<18} {:>12} {:>10} {:>10} {:>12}   {:>10} {:>10}",
            t.tuning.family.name(),
            num(t.tuning.step),
            num(t.tuning.momentum),
            num(t.tuning.rate),
            t.iterations_per_decade
                .map(num)
                .unwrap_or_else(|| "-".into()),
            num(t.undelayed.momentum),
            num(t.undelayed.rate)
        );
    }
    for note in &doc.notes {
        println!("note: {note}");
    }
    Ok(())
}
