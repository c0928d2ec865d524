//! `momentum bound`: the exact worst-case error factor after N steps.

use super::CliResult;
use super::args::{MethodArgs, SpectrumArgs};
use super::format::num;
use clap::Args;
use momentum::Spectrum;
use momentum::bounds::finite_horizon;
use serde::Serialize;

/// Arguments of `momentum bound`.
#[derive(Args, Debug)]
pub struct BoundArgs {
    #[command(flatten)]
    m: MethodArgs,
    #[command(flatten)]
    spectrum: SpectrumArgs,
    /// The horizon N (1 ..= 10000000).
    #[arg(long, value_name = "N")]
    steps: u64,
    /// One JSON document on stdout instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct BoundJson {
    /// The version of the JSON contract (docs/json.md).
    schema: &'static str,
    /// The inputs, echoed: the convention they were read in, the method's name, the method the
    /// framework runs and its recurrence.
    convention: momentum::Framework,
    family: &'static str,
    framework_method: momentum::Method,
    recurrence: momentum::Recurrence,
    steps: u64,
    /// max over the spectrum of |P_N(λ)|: the worst ‖e_N‖/‖e_0‖ from rest (x_{-1} = x_0), a
    /// ratio of distances.
    worst_factor: f64,
    /// Its square: the worst ‖e_N‖²/‖e_0‖², the form performance-estimation tools report.
    worst_factor_squared: f64,
    worst_lambda: f64,
    /// "interval" (maximised over [mu, L]) or "eigenvalues" (over the listed values).
    over: &'static str,
    mu: f64,
    #[serde(rename = "L")]
    l: f64,
    /// The asymptotic worst rate; spectral_radius^N is not a bound (transients).
    spectral_radius: f64,
    /// No gradient-span method guarantees less on [mu, L] (Chebyshev), when mu > 0.
    chebyshev_lower_bound: Option<f64>,
    evaluations: usize,
    notes: Vec<String>,
}

pub fn run(a: &BoundArgs) -> CliResult<()> {
    let analysed = a.spectrum.analysed()?;
    let spectrum = analysed.spectrum;
    let resolved = a.m.resolve(&spectrum)?;
    let rec = resolved.converted.recurrence;
    let (mu, l) = spectrum.bounds();
    let fh = finite_horizon(&rec, &spectrum, a.steps)?;
    let over = match spectrum {
        Spectrum::Interval { .. } => "interval",
        Spectrum::Eigenvalues(_) => "eigenvalues",
    };
    let worst = spectrum.worst_case(&rec)?;
    let cheb = match (&spectrum, spectrum.condition_number()) {
        (Spectrum::Interval { .. }, Some(k)) => {
            Some(momentum::tune::chebyshev_lower_bound(k, a.steps)?)
        }
        _ => None,
    };
    let out = BoundJson {
        schema: super::SCHEMA,
        convention: resolved.framework,
        family: resolved.converted.method.name(),
        framework_method: resolved.converted.method,
        recurrence: rec,
        steps: a.steps,
        worst_factor: fh.worst_factor,
        worst_factor_squared: fh.worst_factor * fh.worst_factor,
        worst_lambda: fh.worst_lambda,
        over,
        mu,
        l,
        spectral_radius: worst.spectral_radius(),
        chebyshev_lower_bound: cheb,
        evaluations: fh.evaluations,
        notes: resolved
            .converted
            .notes
            .iter()
            .cloned()
            .chain(analysed.notes)
            .collect(),
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let m = resolved.converted.method;
    println!(
        "{} (step {}, momentum {}, lookahead {}) on {} [{}, {}], from rest (x_-1 = x_0)",
        m.name(),
        num(m.step()),
        num(m.momentum()),
        num(m.lookahead()),
        if over == "interval" {
            "every quadratic with spectrum in"
        } else {
            "the listed eigenvalues in"
        },
        num(mu),
        num(l)
    );
    println!(
        "after {} steps: worst |e_N|/|e_0| = {}  at lambda = {}",
        a.steps,
        num(out.worst_factor),
        num(out.worst_lambda)
    );
    println!(
        "asymptotic rate {} (rate^N = {}; the gap is the transient)",
        num(out.spectral_radius),
        num(out.spectral_radius.powf(a.steps as f64))
    );
    if let Some(c) = cheb {
        println!(
            "Chebyshev lower bound for any gradient-span method: {}",
            num(c)
        );
    }
    Ok(())
}
