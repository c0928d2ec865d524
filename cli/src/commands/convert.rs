//! `momentum convert`: a framework's hyperparameters in canonical form.

use super::args::{ConventionName, HyperArgs};
use super::common::{CliError, CliResult};
use super::format::num;
use clap::Args;
use momentum::{Converted, Framework, Method, Recurrence, WeightDecay};
use serde::Serialize;

/// Arguments of `momentum convert`.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The convention the hyperparameters are written in.
    #[arg(long, value_enum)]
    from: ConventionName,
    #[command(flatten)]
    hyper: HyperArgs,
    /// Write the same recurrence in another framework's own arguments (or say why it cannot
    /// run it).
    #[arg(long, value_enum)]
    to: Option<ConventionName>,
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
    /// canonical (α, β, γ) the framework runs, never null; `method_on` says on which curvature
    method: Method,
    /// "lambda", "lambda_plus_weight_decay" (coupled decay) or "decoupled_decay" (Keras: the
    /// method's gradient step on λ with the weights shrunk first; read `recurrence`)
    method_on: &'static str,
    /// the method the framework runs on the curvature it sees
    framework_method: Method,
    weight_decay: WeightDecay,
    recurrence: Recurrence,
    /// An order-n optimizer (--from ademamix|lookahead|aggmo|sam) that is exactly a two-step
    /// method at these hyperparameters: that method's framework setting and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    equivalent: Option<EquivalentJson>,
    /// With --to: the target framework's own arguments, which run the same recurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<TargetJson>,
    notes: Vec<String>,
}

/// The two-step setting an order-n optimizer is.
#[derive(Serialize)]
struct EquivalentJson {
    framework: Framework,
    lr: f64,
    momentum: f64,
    nesterov: bool,
    reason: String,
}

/// The arguments to type into the target framework.
#[derive(Serialize)]
struct TargetJson {
    framework: Framework,
    lr: f64,
    momentum: f64,
    nesterov: bool,
    /// Canonical target only: a lookahead that is neither 0 nor the momentum.
    #[serde(skip_serializing_if = "Option::is_none")]
    lookahead: Option<f64>,
    /// Coupled (PyTorch, optax) or decoupled (Keras) decay carried over; `null` without.
    weight_decay: Option<f64>,
    /// The call or update lines, ready to paste.
    code: String,
    notes: Vec<String>,
}

pub fn run(a: &ConvertArgs) -> CliResult<()> {
    let lr = a
        .hyper
        .lr
        .ok_or_else(|| super::common::CliError::Usage("--lr is required".into()))?;
    let framework: Framework = a.from.into();
    let (c, equivalent) = if framework.is_linear() {
        let h = &a.hyper;
        for (given, what) in [
            (h.dampening.is_some(), "--dampening"),
            (h.weight_decay.is_some(), "--weight-decay"),
            (h.nu.is_some(), "--nu"),
        ] {
            if given {
                return Err(CliError::Usage(format!(
                    "{what} does not apply to --from {framework}"
                )));
            }
        }
        let z = &h.zoo;
        let e = momentum::zoo::two_step_equivalent(
            framework,
            &momentum::zoo::ZooParams {
                lr,
                momentum: h.momentum,
                nesterov: h.nesterov,
                b3: z.b3,
                alpha: z.alpha,
                sync_period: z.sync_period,
                slow_step: z.slow_step,
                momenta: z.momenta.clone(),
                rho: z.rho,
            },
        )?;
        let c = e.framework.convert(&e.params)?;
        let eq = EquivalentJson {
            framework: e.framework,
            lr: e.params.lr,
            momentum: e.params.momentum.unwrap_or(0.0),
            nesterov: e.params.nesterov,
            reason: e.reason,
        };
        (c, Some(eq))
    } else {
        if !a.hyper.zoo.extra().is_empty() {
            return Err(CliError::Usage(format!(
                "--b3, --alpha, --sync-period, --slow-step, --momenta and --rho belong to --from ademamix|lookahead|schedule_free|aggmo|sam, not {framework}"
            )));
        }
        (
            framework.convert(&a.hyper.params(lr, None, a.hyper.nesterov))?,
            None,
        )
    };
    let out = ConvertJson {
        schema: super::common::SCHEMA,
        from: framework,
        family: c.method.name(),
        method: c.method,
        method_on: super::common::method_on(&c),
        framework_method: c.method,
        weight_decay: c.weight_decay,
        recurrence: c.recurrence,
        equivalent,
        to: a.to.map(|t| target(&c, t.into())).transpose()?,
        notes: c.notes.clone(),
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let m = &out.framework_method;
    if let Some(e) = &out.equivalent {
        println!(
            "{framework} = {} with lr {}, momentum {}{}: {}",
            e.framework,
            num(e.lr),
            num(e.momentum),
            if e.nesterov { ", nesterov" } else { "" },
            e.reason
        );
    }
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
    if let Some(t) = &out.to {
        println!("{framework} → {}: {}", t.framework, t.code);
        for n in &t.notes {
            println!("  note: {n}");
        }
    }
    Ok(())
}

/// The same recurrence in `to`'s own arguments, checked by converting them back.
fn target(c: &Converted, to: Framework) -> CliResult<TargetJson> {
    let cannot = |why: String| {
        CliError::Value(momentum::Error::Convention {
            framework: to.as_str(),
            reason: why,
        })
    };
    let decay = match c.weight_decay {
        WeightDecay::None => None,
        WeightDecay::Coupled(w) => match to {
            Framework::PyTorch | Framework::Optax => Some(w),
            Framework::Keras => {
                return Err(cannot(format!(
                    "Keras' weight_decay is decoupled (x shrinks by lr*w before the step), not the coupled L2 decay {w} of {}: add an L2 term 0.5*{w}*|x|^2 to the loss instead",
                    c.framework
                )));
            }
            _ => {
                return Err(cannot(format!(
                    "weight decay is not an argument of {to}: the recurrence runs on lambda + {w}; add {w}*x to the gradient (an L2 term) instead"
                )));
            }
        },
        WeightDecay::Decoupled(w) => match to {
            // the decay factors differ (Keras: step·w; AdamW: Adam's lr·w): the round trip below
            // says when they do not match
            Framework::Keras | Framework::AdamW => Some(w),
            _ => {
                return Err(cannot(format!(
                    "Keras' decoupled weight decay {w} (x shrinks by lr*w before the step) has no {to} argument: its recurrence leaves the three-parameter family"
                )));
            }
        },
    };
    let mut p = to.express(&c.method)?;
    p.weight_decay = decay;
    // the second route: the target's arguments must run the recurrence we started from
    let back = to.convert(&p)?.recurrence;
    if !back.agrees_with(&c.recurrence, 4.0) {
        let four = |r: &Recurrence| [r.p0(), r.p1(), r.q0(), r.q1()];
        let (x, y) = (four(&c.recurrence), four(&back));
        return Err(cannot(format!(
            "its arguments would run p0, p1, q0, q1 = {y:?}, not {x:?}"
        )));
    }
    let b = p.momentum.unwrap_or(0.0);
    let mut notes = vec![];
    if c.framework == Framework::PyTorch
        && matches!(c.weight_decay, WeightDecay::None | WeightDecay::Coupled(_))
        && c.notes.iter().any(|n| n.contains("dampening"))
    {
        notes.push("the dampened first step of the source is not reproduced: same recurrence and rate, a different first iterate".into());
    }
    if to.is_preconditioned() != c.framework.is_preconditioned() {
        notes.push(
            "Adam, AdamW and RMSprop run this recurrence on the preconditioned curvature P^(-1/2) H P^(-1/2) (frozen second moment), the others on H itself".into(),
        );
    }
    let code = code(to, p.lr, b, p.nesterov, p.lookahead, decay, p.nu);
    Ok(TargetJson {
        framework: to,
        lr: p.lr,
        momentum: b,
        nesterov: p.nesterov,
        lookahead: p.lookahead,
        weight_decay: decay,
        code,
        notes,
    })
}

/// The framework's own call (or update lines), with Python literals.
fn code(
    to: Framework,
    lr: f64,
    b: f64,
    nesterov: bool,
    g: Option<f64>,
    w: Option<f64>,
    nu: Option<f64>,
) -> String {
    let py = |x: bool| if x { "True" } else { "False" };
    match to {
        Framework::Canonical => match g {
            Some(g) => format!("step={lr}, momentum={b}, lookahead={g}"),
            None => format!(
                "step={lr}, momentum={b}, lookahead={}",
                if nesterov { b } else { 0.0 }
            ),
        },
        Framework::PyTorch => format!(
            "torch.optim.SGD(params, lr={lr}, momentum={b}, nesterov={}{})",
            py(nesterov),
            w.map(|w| format!(", weight_decay={w}")).unwrap_or_default()
        ),
        Framework::Keras => format!(
            "keras.optimizers.SGD(learning_rate={lr}, momentum={b}, nesterov={}{})",
            py(nesterov),
            w.map(|w| format!(", weight_decay={w}")).unwrap_or_default()
        ),
        Framework::Optax => {
            let sgd = format!(
                "optax.sgd(learning_rate={lr}, momentum={b}, nesterov={})",
                py(nesterov)
            );
            match w {
                Some(w) => format!("optax.chain(optax.add_decayed_weights({w}), {sgd})"),
                None => sgd,
            }
        }
        Framework::Ewma => format!("v = {b}*v + (1 - {b})*grad(x); x -= {lr}*v"),
        // `convert` refuses the order-n optimizers before a target is written
        Framework::Ademamix
        | Framework::Lookahead
        | Framework::ScheduleFree
        | Framework::Aggmo
        | Framework::Sam => String::new(),
        Framework::Physics | Framework::Sutskever if nesterov => {
            format!("v = {b}*v - {lr}*grad(x + {b}*v); x += v")
        }
        Framework::Physics | Framework::Sutskever => format!("v = {b}*v - {lr}*grad(x); x += v"),
        Framework::Qhm => format!(
            "qhoptim.pyt.QHM(params, lr={lr}, momentum={b}, nu={})",
            nu.unwrap_or(1.0)
        ),
        // frozen second moment: beta2 and eps enter only through the preconditioner
        Framework::Adam => format!("torch.optim.Adam(params, lr={lr}, betas=({b}, 0.999))"),
        Framework::AdamW => format!(
            "torch.optim.AdamW(params, lr={lr}, betas=({b}, 0.999), weight_decay={})",
            w.unwrap_or(0.0)
        ),
        Framework::RmsProp => format!("torch.optim.RMSprop(params, lr={lr}, momentum={b})"),
    }
}
