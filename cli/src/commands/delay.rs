//! `--delay TAU` for `analyze` and `tune`: the gradient τ steps late (library module
//! `momentum::delay`). The flag is defined once in `args.rs`; this file holds what those commands
//! do with it (`map --delay` is a kind of map: map/delayed.rs).

use super::common::{CliError, CliResult};
use super::format::num;
use super::tune_method::TuneMethod;
use momentum::delay::{self, DelayTuning};
use momentum::{Family, Spectrum};
use serde::Serialize;

/// The delayed model, as JSON documents state it.
pub use momentum::setting::delay::MODEL;

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
