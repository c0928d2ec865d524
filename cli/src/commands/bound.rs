//! `momentum bound`: the exact worst-case error factor after N steps.

use super::args::{MethodArgs, SpectrumArgs};
use super::common::{CliError, CliResult};
use super::format::{exact, num, rate};
use clap::Args;
use momentum::Spectrum;
use momentum::bounds::{self, FirstStep, finite_horizon};
use serde::Serialize;

/// Arguments of `momentum bound`.
#[derive(Args, Debug)]
pub struct BoundArgs {
    #[command(flatten)]
    m: MethodArgs,
    #[command(flatten)]
    spectrum: SpectrumArgs,
    /// The horizon N (1 ..= 10000000; with a schedule it defaults to the schedule's length).
    #[arg(long, value_name = "N")]
    steps: Option<u64>,
    #[command(flatten)]
    schedule: super::schedule::ScheduleArgs,
    /// One JSON document on stdout instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    batch: super::minibatch::BatchArgs,
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
    /// "rest" (x_{-1} = x_0) or "framework" (the framework's own first step, from zero buffers).
    start_from: &'static str,
    /// e_1 = (a0 − a1·λ) e_0: the first step the factor is computed from.
    first_step: FirstStep,
    /// Every curvature decays (ρ < 1).
    stable: bool,
    /// max over the spectrum of |P_N(λ)|: the worst ‖e_N‖/‖e_0‖ from rest (x_{-1} = x_0), a
    /// ratio of distances; null when it overflows f64 (see worst_factor_log10).
    worst_factor: Option<f64>,
    /// Its square: the worst ‖e_N‖²/‖e_0‖², the form performance-estimation tools report.
    worst_factor_squared: Option<f64>,
    /// log10 of the worst factor; when it overflows f64, log10 |P_N| at the curvature of the
    /// largest rate, a lower bound (worst_factor_exact = false).
    worst_factor_log10: f64,
    /// Whether worst_factor_log10 is the exact maximum over the spectrum.
    worst_factor_exact: bool,
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
    if momentum::Framework::from(a.m.convention).is_linear() {
        return run_linear(a);
    }
    if a.schedule.given() {
        super::schedule::run(
            &a.m,
            &a.spectrum,
            &a.schedule,
            a.steps,
            a.json,
            false,
            Some(&a.batch),
        )?;
        return Ok(());
    }
    let Some(steps) = a.steps else {
        return Err(CliError::Usage(
            "--steps is required (or a schedule, whose length it defaults to)".into(),
        ));
    };
    let batch = match a.batch.one()? {
        Some(_) => super::minibatch::for_setting(
            &a.batch,
            &a.m.setting(),
            &a.spectrum.full()?.0,
            Some(steps),
            None,
        )?,
        None => None,
    };
    let (resolved, analysed, _) = a.m.resolve_on(&a.spectrum)?;
    let spectrum = analysed.spectrum;
    let rec = resolved.converted.recurrence;
    let (mu, l) = spectrum.bounds();
    let worst = spectrum.worst_case(&rec)?;
    // an unstable setting whose factor overflows f64 is still an answer: log10 of |P_N| at the
    // curvature of the largest rate, a lower bound on the worst factor
    // a framework starts its own way (PyTorch's undampened first step, Nesterov's look-ahead
    // parameters, Keras' decay before the step): from rest only when that is the same first step
    let rest = FirstStep::from_rest(&rec);
    let first = resolved.first_step()?;
    let horizon = |steps| match first {
        Some(s) => bounds::finite_horizon_from(&rec, s, &spectrum, steps),
        None => finite_horizon(&rec, &spectrum, steps),
    };
    let (fh, is_exact) = match horizon(steps) {
        Ok(fh) => (Some(fh), true),
        Err(momentum::Error::Overflow { .. }) if !worst.is_stable() => (None, false),
        Err(e) => return Err(e.into()),
    };
    let worst_lambda = fh.map_or(worst.worst().lambda(), |f| f.worst_lambda);
    let log10 = match fh {
        Some(f) => f.worst_factor.log10(),
        None => match first {
            Some(s) => bounds::log10_from(&rec, s, worst_lambda, steps)?,
            None => bounds::log10_from_rest(&rec, worst_lambda, steps)?,
        },
    };
    let over = match spectrum {
        Spectrum::Interval { .. } => "interval",
        Spectrum::Eigenvalues(_) => "eigenvalues",
    };
    let cheb = match (&spectrum, spectrum.condition_number()) {
        (Spectrum::Interval { .. }, Some(k)) => {
            Some(momentum::tune::chebyshev_lower_bound(k, steps)?)
        }
        _ => None,
    };
    let out = BoundJson {
        schema: super::common::SCHEMA,
        convention: resolved.framework,
        family: resolved.converted.method.name(),
        framework_method: resolved.converted.method,
        recurrence: rec,
        steps,
        start_from: if first.is_some() { "framework" } else { "rest" },
        first_step: first.unwrap_or(rest),
        stable: worst.is_stable(),
        worst_factor: fh.map(|f| f.worst_factor),
        worst_factor_squared: fh.map(|f| f.worst_factor * f.worst_factor),
        worst_factor_log10: log10,
        worst_factor_exact: is_exact,
        worst_lambda,
        over,
        mu,
        l,
        spectral_radius: worst.spectral_radius(),
        chebyshev_lower_bound: cheb,
        evaluations: fh.map_or(1, |f| f.evaluations),
        notes: resolved
            .converted
            .notes
            .iter()
            .cloned()
            .chain(analysed.notes)
            .collect(),
    };
    if a.json {
        return super::minibatch::print_json(&out, batch);
    }
    let m = resolved.converted.method;
    println!(
        "{} (step {}, momentum {}, lookahead {}) on {} [{}, {}], {}",
        m.name(),
        exact(m.step()),
        exact(m.momentum()),
        exact(m.lookahead()),
        if over == "interval" {
            "every quadratic with spectrum in"
        } else {
            "the listed eigenvalues in"
        },
        num(mu),
        num(l),
        match first {
            Some(s) => format!(
                "from {}'s own first step (e_1 = ({} - {} lambda) e_0, zero buffers)",
                resolved.framework,
                num(s.a0),
                num(s.a1)
            ),
            None => "from rest (x_-1 = x_0)".into(),
        }
    );
    match out.worst_factor {
        Some(w) => println!(
            "after {} steps: worst |e_N|/|e_0| = {}  at lambda = {}",
            steps,
            rate(w),
            num(out.worst_lambda)
        ),
        None => println!(
            "after {} steps: worst |e_N|/|e_0| >= 10^{} (beyond f64)  at lambda = {}: UNSTABLE, growing by {} per step",
            steps,
            num(out.worst_factor_log10),
            num(out.worst_lambda),
            rate(out.spectral_radius)
        ),
    }
    let power = out.spectral_radius.powf(steps as f64);
    println!(
        "asymptotic rate {} (rate^N = {}; the gap is the transient)",
        rate(out.spectral_radius),
        if power.is_finite() {
            num(power)
        } else {
            format!("10^{}", num(steps as f64 * out.spectral_radius.log10()))
        }
    );
    if let Some(c) = cheb {
        println!(
            "Chebyshev lower bound for any gradient-span method: {}",
            num(c)
        );
    }
    if let Some(b) = &batch {
        super::minibatch::print_table(b);
    }
    Ok(())
}

/// The order-n optimizers: the exact time-varying run of N steps on each curvature.
fn run_linear(a: &BoundArgs) -> CliResult<()> {
    if a.batch.one()?.is_some() {
        return Err(CliError::Usage(format!(
            "--convention {} is bounded on the full batch (no --batch)",
            momentum::Framework::from(a.m.convention)
        )));
    }
    let (spectrum, _) = a.spectrum.full()?;
    let b = zoo_bound(&a.m, &spectrum, &a.schedule, a.steps)?;
    print_zoo_bound(&b.0, b.1, a.json)
}

/// The order-n optimizers' bound, constant or under a schedule: the document and where the
/// schedule came from (`bound` and `analyze --lr-schedule`).
pub(super) fn zoo_bound(
    m: &MethodArgs,
    spectrum: &Spectrum,
    schedule: &super::schedule::ScheduleArgs,
    steps: Option<u64>,
) -> CliResult<(momentum::setting::zoo::ZooBound, Option<serde_json::Value>)> {
    let mut setting = m.setting();
    if !schedule.given() {
        let Some(steps) = steps else {
            return Err(CliError::Usage("--steps is required".into()));
        };
        return Ok((
            momentum::setting::zoo::bound(&setting, spectrum, steps)?,
            None,
        ));
    }
    let (z, sources) = schedule.load_zoo(m.hyper.lr, m.hyper.momentum, steps)?;
    // a PyTorch scheduler's base lr was used to build the values; the schedule replaces it
    if z.schedule.lr.is_some() {
        setting.lr = None;
    }
    let b = momentum::setting::zoo::bound_scheduled(&setting, spectrum, Some(&z), steps)?;
    Ok((b, Some(sources)))
}

fn run_count(n: usize) -> String {
    format!("{n} curvature{}", if n == 1 { "" } else { "s" })
}

pub(super) fn print_zoo_bound(
    b: &momentum::setting::zoo::ZooBound,
    sources: Option<serde_json::Value>,
    json: bool,
) -> CliResult<()> {
    if json {
        let mut v = serde_json::to_value(b)?;
        if let (Some(src), Some(s)) = (
            sources,
            v.get_mut("schedule").and_then(|s| s.as_object_mut()),
        ) {
            s.insert("source".into(), src);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    match &b.schedule {
        None => println!(
            "{} lr = {}: after {} steps, worst |x_N/x_0| = {} at λ = {} ({} run, {})",
            b.convention,
            exact(b.lr),
            b.steps,
            num(b.worst_factor),
            num(b.worst_lambda),
            run_count(b.curvatures_run),
            b.over
        ),
        Some(s) => {
            let range = |name: &str, r: Option<[f64; 2]>| {
                r.map_or(String::new(), |[lo, hi]| {
                    format!(", {name} {} .. {}", num(lo), num(hi))
                })
            };
            println!(
                "{} under a schedule of {} values (lr {} .. {}{}{}{}): after {} steps, worst |x_N/x_0| = {} at λ = {} ({} run, {})",
                b.convention,
                s.length,
                num(s.lr[0]),
                num(s.lr[1]),
                range("momentum", s.momentum),
                range("b3", s.b3),
                range("alpha", s.alpha),
                b.steps,
                num(b.worst_factor),
                num(b.worst_lambda),
                run_count(b.curvatures_run),
                b.over
            )
        }
    }
    println!(
        "peak |x_t/x_0| = {} at λ = {}, step {}{}",
        num(b.peak_factor),
        num(b.peak_lambda),
        b.peak_step,
        b.spectral_radius.map_or(String::new(), |r| format!(
            "; asymptotic rate per step {}",
            rate(r)
        ))
    );
    for n in &b.notes {
        println!("note: {n}");
    }
    Ok(())
}
