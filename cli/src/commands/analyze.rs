//! `momentum analyze`: one method on one spectrum.

use super::args::{DelayArgs, MethodArgs, SpectrumArgs};
use super::common::{CliError, CliResult};
use super::format::{exact, num, rate, roots};
use clap::Args;
use momentum::setting::{self, Analysis};
use momentum::stability::StepInterval;
use momentum::{Framework, Precision, Spectrum, WeightDecay};
use serde::Serialize;

/// Arguments of `momentum analyze`.
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    m: MethodArgs,
    #[command(flatten)]
    spectrum: SpectrumArgs,
    #[command(flatten)]
    delay: DelayArgs,
    /// One JSON document on stdout instead of a table.
    #[arg(long)]
    json: bool,
    /// Exit 3 when the setting is unstable (0 when stable), for use in a CI script.
    #[arg(long)]
    check: bool,
    /// Also give the noise floor under additive gradient noise of this standard deviation.
    #[arg(long, value_name = "SIGMA", value_parser = super::args::finite_f64, allow_hyphen_values = true)]
    noise: Option<f64>,
    #[command(flatten)]
    pre: super::noisy::PrecondArgs,
}

/// `analyze --json`: the library's [`Analysis`] and what the CLI adds to it.
#[derive(Serialize)]
struct AnalyzeJson {
    #[serde(flatten)]
    core: Analysis,
    /// --delay only: the delayed recurrence (docs/json.md)
    #[serde(skip_serializing_if = "Option::is_none")]
    delay: Option<super::delay::DelayJson>,
    /// With --noise: the stationary E‖e‖² per unit σ² (docs/json.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    noise_floor: Option<super::noisy::NoiseFloorJson>,
    /// With --convention adam|adamw|rmsprop: the preconditioned spectrum's edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    preconditioned: Option<super::noisy::PrecondJson>,
}

/// How many curvatures a table lists before it elides the middle.
const TABLE_ROWS: usize = 12;

pub fn run(a: &AnalyzeArgs) -> CliResult<()> {
    let sigma = a.noise.map(super::noisy::check_sigma).transpose()?;
    let pre = a.pre.spectrum(&a.spectrum, a.m.convention.into())?;
    let hessian = pre.as_ref().map_or("as_given", |p| p.1);
    let (full, precision) = match pre {
        Some((s, _)) => (s, Precision::Float64),
        None => a.spectrum.full()?,
    };
    let (r, c, precision) = a.m.resolve_on_full(&a.spectrum, full, precision)?;
    let spectrum = &c.spectrum;
    let core = setting::analysis(&r, &c, precision)?;
    let listed: Vec<f64> = core.curvatures.iter().map(|m| m.lambda).collect();
    let noise_floor = sigma
        .map(|s| {
            a.pre.noise_floor(
                &r.converted,
                spectrum,
                s,
                c.directions.as_ref(),
                &a.spectrum,
            )
        })
        .transpose()?;
    let preconditioned = a.pre.json(&r.converted, spectrum, hessian);
    let mut out = AnalyzeJson {
        core,
        delay: None,
        noise_floor,
        preconditioned,
    };
    // --delay: the same verdict fields for the delayed recurrence (cli/src/commands/delay.rs)
    if let Some(tau) = a.delay.tau()? {
        let d = super::delay::analyze(&r, spectrum, &listed, tau)?;
        let o = &mut out.core;
        o.spectral_radius = d.spectral_radius;
        o.state_spectral_radius = r.converted.state_rate(d.spectral_radius);
        o.stable = d.stable;
        o.worst_lambda = d.worst_lambda;
        o.iterations_per_decade = momentum::mode::iterations_per_decade(d.spectral_radius);
        o.stable_lr = d.largest_stable_lr.map(|hi| StepInterval { lo: 0.0, hi });
        o.largest_stable_lr = d.largest_stable_lr;
        o.critical_momentum.clear();
        o.notes.extend(d.notes);
        out.delay = Some(d.json);
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_table(&out, spectrum);
    }
    if a.check && !out.core.stable {
        return Err(CliError::Unstable(match out.delay {
            Some(_) => format!(
                "rho = {} at lambda = {} with delay: unstable",
                out.core.spectral_radius, out.core.worst_lambda
            ),
            None => spectrum.worst_case(&r.converted.recurrence)?.to_string(),
        }));
    }
    Ok(())
}

fn print_table(out: &AnalyzeJson, spectrum: &Spectrum) {
    let o = &out.core;
    let modes = &o.curvatures;
    let fm = &o.framework_method;
    let conv = match o.convention {
        Framework::Canonical => String::new(),
        f => format!(" ({f} convention)"),
    };
    println!(
        "{}{}: step α = {}, momentum β = {}, lookahead γ = {}",
        o.family,
        conv,
        exact(fm.step()),
        exact(fm.momentum()),
        exact(fm.lookahead())
    );
    match o.weight_decay {
        WeightDecay::Coupled(w) => println!(
            "weight decay {} (coupled): curvatures seen as λ + {}",
            exact(w),
            exact(w)
        ),
        WeightDecay::Decoupled(w) => println!("weight decay {} (decoupled)", exact(w)),
        WeightDecay::None => {}
    }
    let rec = &o.recurrence;
    println!(
        "recurrence: e[k+1] = c1 e[k] - c0 e[k-1],  c1(λ) = {} - {} λ,  c0(λ) = {} - {} λ",
        num(rec.p0()),
        num(rec.p1()),
        num(rec.q0()),
        num(rec.q1())
    );
    match spectrum {
        Spectrum::Interval { mu, l } => println!(
            "spectrum: λ ∈ [{}, {}]{} (worst case at an endpoint)",
            num(*mu),
            num(*l),
            spectrum
                .condition_number()
                .map(|k| format!(", κ = {}", num(k)))
                .unwrap_or_default()
        ),
        Spectrum::Eigenvalues(v) if v.len() == 1 => println!("spectrum: λ = {}", num(v[0])),
        Spectrum::Eigenvalues(v) => println!(
            "spectrum: {} eigenvalues in [{}, {}]",
            v.len(),
            num(v[0]),
            num(v[v.len() - 1])
        ),
    }
    if let Some(tol) = o.flat_tolerance {
        println!(
            "set apart: {} flat directions (|λ| <= {}, ρ = 1) and {} saddle directions",
            o.flat_directions,
            num(tol),
            o.saddle_directions.len()
        );
        for s in o.saddle_directions.iter().take(TABLE_ROWS) {
            println!(
                "  saddle λ = {}: the iterates leave it by a factor {} per step",
                num(s.lambda),
                rate(s.growth_rate)
            );
        }
    }
    println!();
    println!(
        "{:>12}  {:<30} {:>16}  {:<18} {:<7} {:>8}",
        "λ", "roots", "|z| max", "regime", "stable", "period"
    );
    let n = modes.len();
    for (i, m) in modes.iter().enumerate() {
        if n > TABLE_ROWS && i == TABLE_ROWS / 2 {
            println!("{:>12}  ({} more; --json lists all)", "…", n - TABLE_ROWS);
        }
        if n > TABLE_ROWS && i >= TABLE_ROWS / 2 && i < n - TABLE_ROWS / 2 {
            continue;
        }
        let z = m.roots.map(|r| num_complex::Complex64::new(r.re, r.im));
        println!(
            "{:>12}  {:<30} {:>16}  {:<18} {:<7} {:>8}",
            num(m.lambda),
            roots(&z),
            rate(m.spectral_radius),
            m.regime,
            if m.stable { "yes" } else { "no" },
            m.period.map(num).unwrap_or_else(|| "-".into())
        );
    }
    println!();
    let verdict = if o.stable { "STABLE" } else { "UNSTABLE" };
    print!(
        "worst case: ρ = {} at λ = {} → {verdict}",
        rate(o.spectral_radius),
        num(o.worst_lambda)
    );
    match o.iterations_per_decade {
        Some(it) => println!("; {} iterations per tenfold error reduction", num(it)),
        None => println!(),
    }
    match &o.stable_lr {
        Some(i) if i.hi.is_finite() => println!(
            "stable learning rates at this momentum: {} < lr < {}",
            num(i.lo),
            num(i.hi)
        ),
        Some(i) => println!("stable learning rates at this momentum: lr > {}", num(i.lo)),
        None => println!("no learning rate is stable at this momentum"),
    }
    for c in &o.critical_momentum {
        let below = if c.root < 0.0 {
            "real negative roots (the error flips sign every step)"
        } else {
            "real positive roots (no ripples)"
        };
        println!(
            "critical damping at λ = {}: momentum β = {} (rate {}); below it {below}, above it a complex pair",
            num(c.lambda),
            num(c.momentum),
            rate(c.rate)
        );
    }
    if let Some(p) = &out.preconditioned {
        super::noisy::print_precond(p);
    }
    if let Some(n) = &out.noise_floor {
        super::noisy::print_noise(n, matches!(spectrum, Spectrum::Interval { .. }));
    }
    for note in &o.notes {
        println!("note: {note}");
    }
}
