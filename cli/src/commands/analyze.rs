//! `momentum analyze`: one method on one spectrum.

use super::args::{DelayArgs, MethodArgs, SpectrumArgs};
use super::common::{CliError, CliResult};
use super::format::{exact, num, rate, roots};
use clap::Args;
use momentum::setting::{self, Analysis, Input, Options};
use momentum::{Framework, WeightDecay};

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
    #[command(flatten)]
    schedule: super::schedule::ScheduleArgs,
    /// With a schedule: the horizon N (default: the schedule's length).
    #[arg(long, value_name = "N")]
    steps: Option<u64>,
    #[command(flatten)]
    batch: super::minibatch::BatchArgs,
}

/// How many curvatures a table lists before it elides the middle.
const TABLE_ROWS: usize = 12;

pub fn run(a: &AnalyzeArgs) -> CliResult<()> {
    let linear = Framework::from(a.m.convention).is_linear();
    if linear && !a.schedule.given() {
        return run_linear(a);
    }
    if a.schedule.given() {
        if a.batch.one()?.is_some() {
            return Err(CliError::Usage("analyze takes --batch with a constant setting; for a schedule, bound --lr-schedule ... --batch B gives the mean square after its steps".into()));
        }
        if a.noise.is_some() || a.delay.tau()?.is_some() || a.pre.preconditioner.is_some() {
            return Err(CliError::Usage(
                "a schedule is analysed without --noise, --delay or a preconditioner file".into(),
            ));
        }
        if linear {
            // an order-n optimizer under a schedule has no single rate: the finite horizon of
            // its exact run, as `bound` gives it
            if a.check {
                return Err(CliError::Usage(
                    "--check reads a rate; a schedule of an order-n optimizer has none: bound --lr-schedule gives its finite horizon".into(),
                ));
            }
            let (full, _) = a.spectrum.full()?;
            let (b, src) = super::bound::zoo_bound(&a.m, &full, &a.schedule, a.steps)?;
            return super::bound::print_zoo_bound(&b, src, a.json);
        }
        if a.schedule.switching {
            let s = super::schedule::switching(&a.m, &a.spectrum, &a.schedule, a.json)?;
            if a.check && !s.stable_under_any_order {
                return Err(CliError::Unstable(format!(
                    "joint spectral radius upper bound {} at lambda = {}: not proven stable",
                    s.upper, s.worst_lambda
                )));
            }
            return Ok(());
        }
        let out =
            super::schedule::run(&a.m, &a.spectrum, &a.schedule, a.steps, a.json, true, None)?;
        if a.check
            && let Some(p) = out.periodic.filter(|p| !p.stable)
        {
            return Err(CliError::Unstable(format!(
                "per-step rate {} at lambda = {}: unstable",
                p.spectral_radius, p.worst_lambda
            )));
        }
        return Ok(());
    }
    if a.steps.is_some() {
        return Err(CliError::Usage(
            "--steps goes with a schedule (--lr-schedule/--momentum-schedule); for a constant setting use `bound --steps`".into(),
        ));
    }
    let noise = a.noise.map(super::noisy::check_sigma).transpose()?;
    let framework = a.m.convention.into();
    let input = match a.pre.input(&a.spectrum, framework)? {
        Some(i) => i,
        None => {
            let (s, p) = a.spectrum.full()?;
            Input::Spectrum(s, p)
        }
    };
    let opts = Options {
        flat_tol: a.spectrum.flat_tol,
        noise,
        delay: a.delay.tau()?,
    };
    let other = (opts.delay.is_some().then_some("--delay")).or(a
        .pre
        .preconditioner
        .is_some()
        .then_some("--preconditioner"));
    let batch = match a.batch.one()? {
        Some(_) => super::minibatch::for_setting(
            &a.batch,
            &a.m.setting(),
            &a.spectrum.full()?.0,
            None,
            other,
        )?,
        None => None,
    };
    let out = setting::analyze_with(&a.m.setting(), input, &opts)?;
    if a.json {
        super::minibatch::print_json(&out, batch)?;
    } else {
        print_table(&out);
        if let Some(b) = &batch {
            super::minibatch::print_table(b);
        }
    }
    if a.check && !out.stable {
        let with = if out.delay.is_some() {
            " with delay"
        } else {
            ""
        };
        return Err(CliError::Unstable(format!(
            "rho = {} at lambda = {}{with}: unstable",
            out.spectral_radius, out.worst_lambda
        )));
    }
    Ok(())
}

/// The order-n optimizers (AdEMAMix, Lookahead, schedule-free SGD, AggMo, SAM).
fn run_linear(a: &AnalyzeArgs) -> CliResult<()> {
    if a.steps.is_some() || a.batch.one()?.is_some() {
        return Err(CliError::Usage(format!(
            "--convention {} is analysed as a constant full-batch setting here (no --steps or --batch)",
            Framework::from(a.m.convention)
        )));
    }
    let framework = a.m.convention.into();
    let input = match a.pre.input(&a.spectrum, framework)? {
        Some(i) => i,
        None => {
            let (s, p) = a.spectrum.full()?;
            Input::Spectrum(s, p)
        }
    };
    let opts = Options {
        flat_tol: a.spectrum.flat_tol,
        noise: a.noise.map(super::noisy::check_sigma).transpose()?,
        delay: a.delay.tau()?,
    };
    let out = setting::zoo::analyze(&a.m.setting(), input, &opts)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_linear(&out);
    }
    if a.check && !out.stable {
        return Err(CliError::Unstable(format!(
            "rho = {} at lambda = {}: unstable",
            out.spectral_radius, out.worst_lambda
        )));
    }
    Ok(())
}

fn print_linear(o: &setting::zoo::ZooAnalysis) {
    let params = serde_json::to_value(&o.optimizer)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .map(|m| {
            m.iter()
                .filter(|(k, _)| *k != "optimizer")
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    println!("{}: lr = {}, {params}", o.convention, exact(o.lr));
    match &o.pencil {
        Some(p) => {
            let list = |c: &[f64]| c.iter().map(|&x| num(x)).collect::<Vec<_>>().join(", ");
            println!(
                "order {}: P_h(z) = a(z) + h·b(z), h = lr·λ; a = [{}], b = [{}] (highest degree first)",
                o.order,
                list(p.a()),
                list(p.b())
            )
        }
        None => println!(
            "order {}, periodic: {} steps per period (rate per step = ρ(monodromy)^(1/{}))",
            o.order, o.period, o.period
        ),
    }
    let sp = &o.spectrum;
    println!("spectrum: λ ∈ [{}, {}]", num(sp.min), num(sp.max));
    println!(
        "worst case: ρ = {} at λ = {} — {}",
        rate(o.spectral_radius),
        num(o.worst_lambda),
        if o.stable { "stable" } else { "UNSTABLE" }
    );
    if let Some(i) = o.iterations_per_decade {
        println!("iterations per decade: {}", num(i));
    }
    match o.stable_lr {
        Some(i) if i.hi.is_finite() => {
            println!("stable lr: ({}, {})", num(i.lo), num(i.hi))
        }
        Some(i) => println!("stable lr: ({}, ∞)", num(i.lo)),
        None => println!("stable lr: none"),
    }
    let hs: Vec<String> = o
        .stable_h
        .iter()
        .map(|i| {
            if i.hi.is_finite() {
                format!("({}, {})", num(i.lo), num(i.hi))
            } else {
                format!("({}, ∞)", num(i.lo))
            }
        })
        .collect();
    println!("stable h = lr·λ: {}", hs.join(" ∪ "));
    if let Some(t) = &o.transient {
        println!(
            "transient (exact run at λ = {}): peak |x_t/x_0| = {} at step {} of {}",
            num(t.lambda),
            num(t.peak),
            t.at_step,
            t.steps
        );
    }
    if let Some(n) = &o.noise_floor {
        print_zoo_noise(n, o.spectrum.kind == "interval");
    }
    for n in &o.notes {
        println!("note: {n}");
    }
}

fn print_zoo_noise(n: &setting::zoo::ZooNoiseFloor, interval: bool) {
    let (Some(f), Some(per)) = (n.floor, n.per_unit_variance.or(n.mean_per_direction)) else {
        println!(
            "noise floor (σ = {}): none — {} flat direction(s) random-walk, {} direction(s) diverge (saddles or unstable curvatures)",
            num(n.sigma),
            n.random_walk_directions,
            n.divergent_directions
        );
        return;
    };
    let what = match (n.iterate, n.horizon) {
        ("cycle_mean", _) => "E|x|^2 averaged over a cycle".to_string(),
        (_, Some(h)) => format!("E|x|^2 of the average x after {h} steps (decays like 1/t)"),
        _ => "stationary E|x|^2".to_string(),
    };
    let per_dir = if interval {
        " per direction (uniform density)"
    } else {
        ""
    };
    let coords = if n.coordinates == "preconditioned" {
        " in preconditioned coordinates"
    } else {
        ""
    };
    println!(
        "noise floor (σ = {}, {}): {what}{per_dir} = {} (σ² × {}){coords}",
        num(n.sigma),
        n.model,
        num(f),
        num(per)
    );
    if let Some(e) = n.excess_loss {
        println!("  excess loss E f − f* = {}", num(e));
    }
    if let Some(s) = n.at_sync_per_unit_variance {
        println!("  at the synchronisations (slow weights): σ² × {}", num(s));
    }
    if let Some(z) = n.fast_iterate_per_unit_variance {
        println!("  the fast sequence z (stationary limit): σ² × {}", num(z));
    }
    if let Some(l) = n.largest {
        println!(
            "  largest per-direction variance σ² × {} at λ = {}",
            num(l.variance),
            num(l.lambda)
        );
    }
}

fn print_table(o: &Analysis) {
    let modes = &o.curvatures;
    let interval = o.spectrum.kind == "interval";
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
    let sp = &o.spectrum;
    match sp.count {
        None => println!(
            "spectrum: λ ∈ [{}, {}]{} (worst case at an endpoint)",
            num(sp.min),
            num(sp.max),
            sp.condition_number
                .map(|k| format!(", κ = {}", num(k)))
                .unwrap_or_default()
        ),
        Some(1) => println!("spectrum: λ = {}", num(sp.min)),
        Some(n) => println!(
            "spectrum: {n} eigenvalues in [{}, {}]",
            num(sp.min),
            num(sp.max)
        ),
    }
    if let (Some(tol), true) = (
        o.flat_tolerance,
        o.flat_directions > 0 || !o.saddle_directions.is_empty(),
    ) {
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
    if let Some(p) = &o.preconditioned {
        super::noisy::print_precond(p);
    }
    if let Some(n) = &o.noise_floor {
        super::noisy::print_noise(n, interval);
    }
    for note in &o.notes {
        println!("note: {note}");
    }
}
