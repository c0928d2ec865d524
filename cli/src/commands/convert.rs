//! `momentum convert`: a framework's hyperparameters in canonical form.

use super::CliResult;
use super::args::{ConventionName, HyperArgs};
use super::format::num;
use clap::Args;
use momentum::{Framework, Method, Recurrence, WeightDecay};
use serde::Serialize;

/// Arguments of `momentum convert`.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The convention the hyperparameters are written in.
    #[arg(long, value_enum)]
    from: ConventionName,
    #[command(flatten)]
    hyper: HyperArgs,
    /// One JSON document on stdout.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct ConvertJson {
    /// The version of the JSON contract (docs/json.md).
    schema: &'static str,
    from: Framework,
    family: &'static str,
    /// canonical (α, β, γ) in the raw curvature; null when not three-parameter (e.g. decay)
    method: Option<Method>,
    /// the method the framework runs on the curvature it sees
    framework_method: Method,
    weight_decay: WeightDecay,
    recurrence: Recurrence,
    notes: Vec<String>,
}

pub fn run(a: &ConvertArgs) -> CliResult<()> {
    let lr = a
        .hyper
        .lr
        .ok_or_else(|| super::CliError::Usage("--lr is required".into()))?;
    let framework: Framework = a.from.into();
    let c = framework.convert(&a.hyper.params(lr, None, a.hyper.nesterov))?;
    let out = ConvertJson {
        schema: super::SCHEMA,
        from: framework,
        family: c.method.name(),
        method: c.canonical_method(),
        framework_method: c.method,
        weight_decay: c.weight_decay,
        recurrence: c.recurrence,
        notes: c.notes.clone(),
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let m = &out.framework_method;
    println!("{framework} → {}", out.family);
    println!(
        "  canonical: step α = {}, momentum β = {}, lookahead γ = {}",
        num(m.step()),
        num(m.momentum()),
        num(m.lookahead())
    );
    match out.weight_decay {
        WeightDecay::None => {}
        WeightDecay::Coupled(w) => println!(
            "  on curvature λ + {} (L2 weight decay is a curvature shift)",
            num(w)
        ),
        WeightDecay::Decoupled(w) => println!(
            "  with decoupled weight decay {}: not three-parameter in λ, but affine:",
            num(w)
        ),
    }
    let r = &out.recurrence;
    println!(
        "  recurrence: c1(λ) = {} - {} λ,  c0(λ) = {} - {} λ",
        num(r.p0()),
        num(r.p1()),
        num(r.q0()),
        num(r.q1())
    );
    for n in &out.notes {
        println!("  note: {n}");
    }
    Ok(())
}
