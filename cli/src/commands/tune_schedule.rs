//! `tune` with a schedule: the largest scale of an lr schedule under a transient bound, the
//! shortest warmup of a shape, and the best two-step heavy-ball cycle on a gapped spectrum
//! ([`momentum::schedule::tune`]).

use super::args::finite_f64;
use super::common::{CliError, CliResult, SCHEMA};
use super::format::{num, rate};
use super::schedule::ScheduleArgs;
use clap::Args;
use momentum::schedule::Schedule;
use momentum::schedule::shape::Shape;
use momentum::schedule::tune::{self as stune, CycleTuning, ScaleTuning, WarmupTuning};
use momentum::setting::{Setting, resolve_on};
use momentum::{Precision, Spectrum};
use serde::Serialize;

/// Tuning flags that go with a schedule.
#[derive(Args, Debug, Clone, Default)]
pub struct ScheduleTuneArgs {
    #[command(flatten)]
    pub schedule: ScheduleArgs,
    /// With --lr-schedule: the largest scale of the schedule whose peak transient max |e_t/e_0|
    /// (over t ≤ N and the spectrum) stays ≤ P.
    #[arg(long, value_name = "P", value_parser = finite_f64)]
    pub max_peak: Option<f64>,
    /// With a warmup shape in --lr-schedule and --max-peak: the fewest warmup steps that keep the
    /// peak below it.
    #[arg(long)]
    pub shortest_warmup: bool,
    /// The best two-step heavy-ball cycle on a spectrum with a gap: two intervals 'A1:B1,A2:B2'
    /// (Goujaud et al. 2022).
    #[arg(long, value_name = "A1:B1,A2:B2")]
    pub gap: Option<String>,
    /// The horizon N with a schedule (default: its length).
    #[arg(long, value_name = "N")]
    pub steps: Option<u64>,
}

impl ScheduleTuneArgs {
    pub fn given(&self) -> bool {
        self.schedule.given()
            || self.gap.is_some()
            || self.max_peak.is_some()
            || self.shortest_warmup
    }
}

#[derive(Serialize)]
struct Json<T: Serialize> {
    schema: &'static str,
    kind: &'static str,
    #[serde(flatten)]
    tuning: T,
    notes: Vec<String>,
}

fn gap(spec: &str) -> CliResult<[(f64, f64); 2]> {
    let bad = || CliError::Usage(format!("--gap expects 'A1:B1,A2:B2', got '{spec}'"));
    let parts: Vec<(f64, f64)> = spec
        .split(',')
        .map(|p| {
            let (a, b) = p.split_once(':').ok_or_else(bad)?;
            let a: f64 = a.trim().parse().map_err(|_| bad())?;
            let b: f64 = b.trim().parse().map_err(|_| bad())?;
            Ok((a, b))
        })
        .collect::<CliResult<_>>()?;
    match parts.as_slice() {
        [x, y] => Ok([*x, *y]),
        _ => Err(bad()),
    }
}

/// Run the schedule tunings; `setting` carries the convention and held arguments, `spectrum`
/// the curvatures.
pub fn run(
    a: &ScheduleTuneArgs,
    mut setting: Setting,
    spectrum: Option<Spectrum>,
    json: bool,
) -> CliResult<()> {
    if let Some(g) = &a.gap {
        if a.schedule.given() || a.max_peak.is_some() || a.shortest_warmup {
            return Err(CliError::Usage(
                "--gap tunes its own two-step cycle: drop --lr-schedule/--max-peak/--shortest-warmup".into(),
            ));
        }
        let t = stune::gapped_cycle(gap(g)?)?;
        return print_cycle(&t, json);
    }
    let Some(max_peak) = a.max_peak else {
        return Err(CliError::Usage(
            "tune with a schedule needs --max-peak P (the bound on the peak transient)".into(),
        ));
    };
    let Some(spec) = &a.schedule.lr_schedule else {
        return Err(CliError::Usage("--max-peak needs --lr-schedule".into()));
    };
    let spectrum = spectrum.ok_or_else(|| {
        CliError::Usage("give the curvatures: --kappa, --mu/--L or --spectrum".into())
    })?;
    let steps = a.steps.map(|s| s as usize);
    let (r, c) = {
        let mut base = setting.clone();
        base.lr = Some(1.0);
        resolve_on(&base, spectrum, None, Precision::Float64)?
    };
    let notes = vec![format!(
        "each step follows {}'s own update lines; the peak is max |e_t/e_0| over 1 <= t <= N and the curvatures",
        r.framework
    )];
    if a.shortest_warmup {
        if !Shape::looks_like_call(spec) {
            return Err(CliError::Usage(
                "--shortest-warmup needs a named shape with warmup_steps in --lr-schedule".into(),
            ));
        }
        let shape = Shape::parse(spec)?;
        let n = steps.or(shape.natural_len()).ok_or_else(|| {
            CliError::Usage("this shape has no length of its own: give --steps".into())
        })?;
        let t = stune::shortest_warmup(&r, &shape, &c.spectrum, n, max_peak)?;
        return print_warmup(&t, json, notes);
    }
    setting.lr = None;
    let loaded = a.schedule.load(None, setting.momentum, a.steps)?;
    let sched: Schedule = loaded.schedule;
    let n = steps.or(sched.len()).unwrap_or(1);
    let t = stune::largest_scale(&r, &sched, &c.spectrum, n, max_peak)?;
    print_scale(&t, json, notes)
}

fn print_cycle(t: &CycleTuning, json: bool) -> CliResult<()> {
    if json {
        let out = Json {
            schema: SCHEMA,
            kind: "gapped_cycle",
            tuning: t,
            notes: vec!["heavy ball (canonical) with the two steps alternating; rate per step = the monodromy's rho^(1/2) over both intervals".into()],
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "two-step heavy-ball cycle: steps {} and {} alternating, momentum {}",
        num(t.steps[0]),
        num(t.steps[1]),
        num(t.momentum)
    );
    println!(
        "per-step rate {} (Polyak's constant heavy ball on the hull: {}){}",
        rate(t.rate),
        rate(t.polyak_rate),
        match t.closed_form_rate {
            Some(c) => format!("; closed form (Goujaud et al. 2022) {}", rate(c)),
            None => String::new(),
        }
    );
    Ok(())
}

fn print_warmup(t: &WarmupTuning, json: bool, notes: Vec<String>) -> CliResult<()> {
    if json {
        let out = Json {
            schema: SCHEMA,
            kind: "shortest_warmup",
            tuning: t,
            notes,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "shortest warmup: {} steps keep the peak transient at {} <= {}{}",
        t.warmup_steps,
        num(t.peak_factor),
        num(t.max_peak),
        match t.peak_one_less {
            Some(p) => format!(" ({} steps: {})", t.warmup_steps - 1, num(p)),
            None => String::new(),
        }
    );
    println!("worst |e_N|/|e_0| with it: {}", rate(t.worst_factor));
    Ok(())
}

fn print_scale(t: &ScaleTuning, json: bool, notes: Vec<String>) -> CliResult<()> {
    if json {
        let out = Json {
            schema: SCHEMA,
            kind: "largest_scale",
            tuning: t,
            notes,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "largest scale of the schedule with peak transient <= {}: {} (peak lr {})",
        num(t.max_peak),
        num(t.scale),
        num(t.peak_lr)
    );
    println!(
        "at that scale: peak {}, worst |e_N|/|e_0| {}",
        num(t.peak_factor),
        rate(t.worst_factor)
    );
    Ok(())
}
