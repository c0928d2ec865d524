//! `momentum analyze`: one method on one spectrum.

use super::args::{DelayArgs, MethodArgs, SpectrumArgs};
use super::format::{num, roots};
use super::{CliError, CliResult};
use clap::Args;
use momentum::stability::{CriticalMomentum, StepInterval, stable_steps};
use momentum::{Framework, Method, Mode, Recurrence, Spectrum, WeightDecay};
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

#[derive(Serialize)]
struct RootJson {
    re: f64,
    im: f64,
}

#[derive(Serialize)]
struct CurvatureJson {
    lambda: f64,
    c1: f64,
    c0: f64,
    discriminant: f64,
    roots: [RootJson; 2],
    spectral_radius: f64,
    regime: &'static str,
    stable: bool,
    period: Option<f64>,
    iterations_per_decade: Option<f64>,
}

impl CurvatureJson {
    fn new(m: &Mode) -> Self {
        let r = m.roots();
        CurvatureJson {
            lambda: m.lambda(),
            c1: m.c1(),
            c0: m.c0(),
            discriminant: m.discriminant(),
            roots: [
                RootJson {
                    re: r[0].re,
                    im: r[0].im,
                },
                RootJson {
                    re: r[1].re,
                    im: r[1].im,
                },
            ],
            spectral_radius: m.spectral_radius(),
            regime: m.regime().as_str(),
            stable: m.is_stable(),
            period: m.period(),
            iterations_per_decade: m.iterations_per_decade(),
        }
    }
}

#[derive(Serialize)]
struct SpectrumJson {
    kind: &'static str,
    min: f64,
    max: f64,
    count: Option<usize>,
    condition_number: Option<f64>,
}

#[derive(Serialize)]
struct SaddleJson {
    lambda: f64,
    /// ρ at this curvature: the factor per step by which the iterates leave the saddle.
    growth_rate: f64,
}

#[derive(Serialize)]
struct AnalyzeJson {
    /// The version of the JSON contract (docs/json.md).
    schema: &'static str,
    /// The flat tolerance applied to a listed spectrum; null when nothing was set apart.
    flat_tolerance: Option<f64>,
    /// Listed curvatures with |λ| ≤ flat_tolerance (ρ = 1, excluded from the analysis).
    flat_directions: usize,
    /// Listed curvatures below −flat_tolerance, each with its growth rate per step.
    saddle_directions: Vec<SaddleJson>,
    convention: Framework,
    family: &'static str,
    /// canonical (α, β, γ) the framework runs, never null; `method_on` says on which curvature
    method: Method,
    /// "lambda", "lambda_plus_weight_decay" (coupled decay) or "decoupled_decay" (Keras: the
    /// method's gradient step on λ with the weights shrunk first; read `recurrence`)
    method_on: &'static str,
    /// the method the framework runs, on the curvature it sees (λ + w under coupled decay)
    framework_method: Method,
    weight_decay: WeightDecay,
    recurrence: Recurrence,
    spectrum: SpectrumJson,
    spectral_radius: f64,
    stable: bool,
    worst_lambda: f64,
    iterations_per_decade: Option<f64>,
    /// stable learning rates (in the user's convention) at this momentum
    stable_lr: Option<StepInterval>,
    largest_stable_lr: Option<f64>,
    /// momenta (canonical β, step held) that critically damp the endpoint curvatures
    critical_momentum: Vec<CriticalMomentum>,
    notes: Vec<String>,
    curvatures: Vec<CurvatureJson>,
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

/// Most curvatures listed one by one (a file can hold millions).
const MAX_LISTED: usize = 1000;

/// How many curvatures a table lists before it elides the middle.
const TABLE_ROWS: usize = 12;

pub fn run(a: &AnalyzeArgs) -> CliResult<()> {
    let sigma = a.noise.map(super::noisy::check_sigma).transpose()?;
    let pre = a.pre.spectrum(&a.spectrum, a.m.convention.into())?;
    let hessian = pre.as_ref().map_or("as_given", |p| p.1);
    let analysed = match pre {
        Some((s, _)) => super::args::analysed(s, a.spectrum.flat_tol)?,
        None => a.spectrum.analysed()?,
    };
    let spectrum = analysed.spectrum;
    let r = a.m.resolve(&spectrum)?;
    let rec = r.converted.recurrence;
    let worst = spectrum.worst_case(&rec)?;
    let mut listed = spectrum.listed();
    let mut notes = r.converted.notes.clone();
    notes.extend(analysed.notes);
    let saddles = match &analysed.directions {
        Some(d) => d
            .negative
            .iter()
            .map(|&l| {
                Ok(SaddleJson {
                    lambda: l,
                    growth_rate: rec.mode(l)?.spectral_radius(),
                })
            })
            .collect::<momentum::Result<Vec<_>>>()?,
        None => vec![],
    };
    if listed.len() > MAX_LISTED {
        notes.push(format!(
            "{} eigenvalues: 'curvatures' lists the smallest and the largest only (the worst case is at one of them)",
            listed.len()
        ));
        listed = vec![listed[0], listed[listed.len() - 1]];
    }
    let modes: Vec<Mode> = listed
        .iter()
        .map(|&l| rec.mode(l))
        .collect::<momentum::Result<_>>()?;
    let interval = stable_steps(&spectrum, |t| r.at_lr(t))?;
    let crit = r.converted.critical_momenta(&spectrum);
    if listed.iter().any(|&l| l < 0.0) {
        notes.push("negative curvatures are saddle directions: rho > 1 there is the escape rate, so 'stable' is false by design".into());
    }
    if !r.converted.admits_critical_momentum() {
        notes.push("critical-damping momentum: not given in this convention (its step or decay depends on the momentum)".into());
    }
    let (lo, hi) = spectrum.bounds();
    let noise_floor = sigma
        .map(|s| {
            let d = analysed.directions.as_ref();
            a.pre
                .noise_floor(&r.converted, &spectrum, s, d, &a.spectrum)
        })
        .transpose()?;
    let preconditioned = a.pre.json(&r.converted, &spectrum, hessian);
    let mut out = AnalyzeJson {
        schema: super::SCHEMA,
        flat_tolerance: analysed.directions.as_ref().map(|d| d.tolerance),
        flat_directions: analysed.directions.as_ref().map_or(0, |d| d.flat),
        saddle_directions: saddles,
        convention: r.framework,
        family: r.converted.method.name(),
        method: r.converted.method,
        method_on: super::method_on(&r.converted),
        framework_method: r.converted.method,
        weight_decay: r.converted.weight_decay,
        recurrence: rec,
        spectrum: SpectrumJson {
            kind: match spectrum {
                Spectrum::Interval { .. } => "interval",
                Spectrum::Eigenvalues(_) => "eigenvalues",
            },
            min: lo,
            max: hi,
            count: match &spectrum {
                Spectrum::Eigenvalues(v) => Some(v.len()),
                Spectrum::Interval { .. } => None,
            },
            condition_number: spectrum.condition_number(),
        },
        spectral_radius: worst.spectral_radius(),
        stable: worst.is_stable(),
        worst_lambda: worst.worst().lambda(),
        iterations_per_decade: worst.worst().iterations_per_decade(),
        stable_lr: interval,
        largest_stable_lr: interval.map(|i| i.hi).filter(|h| h.is_finite()),
        critical_momentum: crit,
        notes,
        curvatures: modes.iter().map(CurvatureJson::new).collect(),
        delay: None,
        noise_floor,
        preconditioned,
    };
    // --delay: the same verdict fields for the delayed recurrence (cli/src/commands/delay.rs)
    if let Some(tau) = a.delay.tau()? {
        let d = super::delay::analyze(&r, &spectrum, &listed, tau)?;
        out.spectral_radius = d.spectral_radius;
        out.stable = d.stable;
        out.worst_lambda = d.worst_lambda;
        out.iterations_per_decade = momentum::mode::iterations_per_decade(d.spectral_radius);
        out.stable_lr = d.largest_stable_lr.map(|hi| StepInterval { lo: 0.0, hi });
        out.largest_stable_lr = d.largest_stable_lr;
        out.critical_momentum.clear();
        out.notes.extend(d.notes);
        out.delay = Some(d.json);
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_table(&out, &modes, &spectrum);
    }
    if a.check && !out.stable {
        return Err(CliError::Unstable(match out.delay {
            Some(_) => format!(
                "rho = {} at lambda = {} with delay: unstable",
                out.spectral_radius, out.worst_lambda
            ),
            None => worst.to_string(),
        }));
    }
    Ok(())
}

fn print_table(o: &AnalyzeJson, modes: &[Mode], spectrum: &Spectrum) {
    let fm = &o.framework_method;
    let conv = match o.convention {
        Framework::Canonical => String::new(),
        f => format!(" ({f} convention)"),
    };
    println!(
        "{}{}: step α = {}, momentum β = {}, lookahead γ = {}",
        o.family,
        conv,
        num(fm.step()),
        num(fm.momentum()),
        num(fm.lookahead())
    );
    match o.weight_decay {
        WeightDecay::Coupled(w) => println!(
            "weight decay {} (coupled): curvatures seen as λ + {}",
            num(w),
            num(w)
        ),
        WeightDecay::Decoupled(w) => println!("weight decay {} (decoupled)", num(w)),
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
                num(s.growth_rate)
            );
        }
    }
    println!();
    println!(
        "{:>12}  {:<30} {:>10}  {:<18} {:<7} {:>8}",
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
        println!(
            "{:>12}  {:<30} {:>10}  {:<18} {:<7} {:>8}",
            num(m.lambda()),
            roots(&m.roots()),
            num(m.spectral_radius()),
            m.regime().as_str(),
            if m.is_stable() { "yes" } else { "no" },
            m.period().map(num).unwrap_or_else(|| "-".into())
        );
    }
    println!();
    let verdict = if o.stable { "STABLE" } else { "UNSTABLE" };
    print!(
        "worst case: ρ = {} at λ = {} → {verdict}",
        num(o.spectral_radius),
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
            num(c.rate)
        );
    }
    if let Some(p) = &o.preconditioned {
        super::noisy::print_precond(p);
    }
    if let Some(n) = &o.noise_floor {
        super::noisy::print_noise(n, matches!(spectrum, Spectrum::Interval { .. }));
    }
    for note in &o.notes {
        println!("note: {note}");
    }
}
