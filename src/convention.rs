//! Framework hyperparameters → the canonical family (docs/REFERENCE.md §6).
//!
//! Each framework writes momentum its own way; on a quadratic each one is still an affine
//! two-step recurrence. The conversions below were derived from the frameworks' update code and
//! are checked in `tests/conventions.rs` by running those update lines literally.
//!
//! | framework | heavy ball (α, β) | Nesterov (α, β, γ) | curvature seen |
//! |---|---|---|---|
//! | PyTorch `SGD(lr, momentum μ, dampening τ, weight_decay w)` | (lr(1−τ), μ) | (lr, μ, μ), needs τ = 0 | λ + w |
//! | Keras `SGD(lr, momentum μ, nesterov, weight_decay w)` | (lr, μ) | (lr, μ, μ) | decoupled decay: see below |
//! | optax `sgd(lr, momentum μ, nesterov)` [∘ `add_decayed_weights(w)`] | (lr, μ) | (lr, μ, μ) | λ + w |
//! | EWMA course form v = βv + (1−β)g, x −= αv | (α(1−β), β) | — | λ |
//! | physics form v = βv − η∇f, x += v | (η, β) | v = βv + η∇f(x − βv), x −= v: (η, β, β) | λ |
//! | Sutskever et al. (2013) v = μv − ε∇f(x [+ μv]), x += v | (ε, μ) | (ε, μ, μ) | λ |
//!
//! Keras applies weight decay to the variable before the update (x ← x − lr·w·x), which gives
//! c₁ = 1 + μ − lr(λ + w), c₀ = μ(1 − lr·w) for heavy ball and
//! c₁ = 1 + μ − lr·w − lr(1+μ)λ, c₀ = μ(1 − lr·w − lr·λ) for Nesterov: affine in λ, but not of the
//! three-parameter form (p₀ − q₀ = 1 − lr·w(1−μ) ≠ 1). It also moves the minimiser differently:
//! on ½λ(x − x*)² Keras settles at λx*/(λ + (1−μ)w), PyTorch and optax at λx*/(λ + w).
//!
//! PyTorch's first step uses an undampened buffer (buf = g₀), and its Nesterov parameters are the
//! look-ahead iterate; both change only the initial state, not the rate.
//!
//! Four more conventions go through the same table ([`Framework::ALL`]) and the same
//! [`Framework::convert`]:
//!
//! | convention | update | (α, β, γ) | curvature seen |
//! |---|---|---|---|
//! | QHM (Ma & Yarats 2019) `qhm(lr α, β, ν)` | b = βb + (1−β)g, x −= α((1−ν)g + νb) | (α(1−β), β, β(1−ν)/(1−β)) | λ |
//! | Adam `(lr α, β₁)`, v frozen | m = β₁m + (1−β₁)g, x −= αm/P | (α(1−β₁), β₁, 0) | λ of P^{-1/2}HP^{-1/2} |
//! | AdamW `(lr α, β₁, w)` | x ← x(1 − αw), then Adam | as Adam, decoupled decay αw | as Adam |
//! | RMSprop `(lr α, momentum μ)`, v frozen | b = μb + g/P, x −= αb | (α, μ, 0) | as Adam |
//!
//! QHM at ν = 0 (or β = 0) is gradient descent at step α in its iterate: the framework's state
//! is (x, b) with state matrix A = [[1 − α(1−νβ)λ, −ανβ], [(1−β)λ, β]] and output x, and a mode is
//! unobservable from x (for every start) iff it has a right eigenvector in x's kernel, (0, 1):
//! iff A₁₂ = −ανβ = 0, whatever λ (no isolated curvature cancels). Then the buffer's root β never
//! reaches x; [`Converted::method`] and [`Converted::recurrence`] describe the iterate without it
//! (every rate, worst case, stable lr interval and map is the iterate's) and
//! [`Converted::hidden_root`] keeps it for the state's rate ([`Converted::state_rate`]). In the
//! other conventions the same test gives A₁₂ ∝ β (heavy ball forms) or β(1 − ηλ) (Nesterov in the
//! physics and Sutskever forms, isolated λ = 1/η), whose hidden root is then 0: no rate changes.
//!
//! with P = diag(√v + ε), v the settled second moment (PyTorch's `exp_avg_sq`, divided by
//! 1 − β₂ᵗ for Adam; `square_avg` for RMSprop). This is the frozen-preconditioner local analysis
//! (Cohen et al. 2022): it leaves out the bias correction's early steps and the moving v.

use crate::error::{Error, Result, finite, positive};
use crate::method::Method;
use crate::numeric::dd::Dd;
use crate::recurrence::Recurrence;
use std::fmt;
use std::str::FromStr;

/// A way of writing momentum hyperparameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Framework {
    /// (α, β, γ) of Lessard et al. directly.
    #[default]
    Canonical,
    /// `torch.optim.SGD`.
    PyTorch,
    /// `keras.optimizers.SGD` (Keras 3 / tf.keras).
    Keras,
    /// `optax.sgd`, optionally after `optax.add_decayed_weights`.
    Optax,
    /// The course form v = βv + (1−β)g, x −= αv.
    Ewma,
    /// The seeds' physics form v = βv − η∇f, x += v.
    Physics,
    /// Sutskever, Martens, Dahl & Hinton (2013).
    Sutskever,
    /// Quasi-hyperbolic momentum (Ma & Yarats 2019): b = βb + (1−β)g, x −= α((1−ν)g + νb).
    Qhm,
    /// Adam with a frozen second moment: m = β₁m + (1−β₁)g, x −= αm/P on the preconditioned
    /// curvatures (module docs).
    Adam,
    /// AdamW: Adam after the decoupled decay x ← x(1 − α·w).
    AdamW,
    /// RMSprop with a frozen square average: b = μb + g/P, x −= αb on the preconditioned curvatures.
    RmsProp,
    /// AdEMAMix (Pagliardini et al. 2024, `optax.contrib.ademamix`) with a frozen second moment:
    /// two EMAs of the gradient, order 3 ([`crate::zoo`]).
    Ademamix,
    /// Lookahead (Zhang et al. 2019, `optax.lookahead`) over `optax.sgd`: k inner steps, then the
    /// slow weights move a fraction of the way ([`crate::zoo`]).
    Lookahead,
    /// Schedule-free SGD (Defazio et al. 2024, `optax.contrib.schedule_free_sgd`) ([`crate::zoo`]).
    #[cfg_attr(feature = "serde", serde(rename = "schedule_free"))]
    ScheduleFree,
    /// Aggregated momentum (Lucas et al. 2019): K velocities, order K + 1 ([`crate::zoo`]).
    Aggmo,
    /// Unnormalised sharpness-aware minimisation over `optax.sgd`: the gradient at x + ρ∇f(x)
    /// ([`crate::zoo`]).
    Sam,
}

/// One convention's names and rules: the single place a convention is described. Lookups go
/// through [`Framework::row`]; the conversion itself is [`Framework::convert`].
struct Row {
    name: &'static str,
    aliases: &'static [&'static str],
    about: &'static str,
    /// Accepts a weight decay (coupled or decoupled).
    weight_decay: bool,
    /// The canonical step depends on the momentum (EWMA-form conventions), or the decay leaves
    /// the family: no critical-damping momentum in the framework's own terms.
    step_moves_with_momentum: bool,
    /// Runs on the preconditioned curvatures P^{-1/2}HP^{-1/2} (Adam family).
    preconditioned: bool,
    /// Not a two-step method: analysed by the order-n core ([`crate::zoo`]).
    linear: bool,
}

/// Every convention, in the order of [`Framework`]'s variants (a test holds the order).
const TABLE: [Row; 16] = [
    Row {
        name: "canonical",
        aliases: &[],
        about: "(step, momentum, lookahead) of Lessard et al.",
        weight_decay: false,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: false,
    },
    Row {
        name: "pytorch",
        aliases: &["torch"],
        about: "torch.optim.SGD",
        weight_decay: true,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: false,
    },
    Row {
        name: "keras",
        aliases: &["tf.keras", "tensorflow"],
        about: "keras.optimizers.SGD",
        weight_decay: true,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: false,
    },
    Row {
        name: "optax",
        aliases: &["jax"],
        about: "optax.sgd",
        weight_decay: true,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: false,
    },
    Row {
        name: "ewma",
        aliases: &[],
        about: "v = βv + (1−β)g, x −= αv",
        weight_decay: false,
        step_moves_with_momentum: true,
        preconditioned: false,
        linear: false,
    },
    Row {
        name: "physics",
        aliases: &[],
        about: "v = βv − η∇f, x += v",
        weight_decay: false,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: false,
    },
    Row {
        name: "sutskever",
        aliases: &[],
        about: "Sutskever et al. 2013, v = μv − ε∇f(x + μv)",
        weight_decay: false,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: false,
    },
    Row {
        name: "qhm",
        aliases: &["quasi-hyperbolic"],
        about: "quasi-hyperbolic momentum (Ma & Yarats 2019), --momentum β, --nu ν",
        weight_decay: false,
        step_moves_with_momentum: true,
        preconditioned: false,
        linear: false,
    },
    Row {
        name: "adam",
        aliases: &[],
        about: "torch.optim.Adam with a frozen exp_avg_sq (--momentum = β₁, default 0.9)",
        weight_decay: false,
        step_moves_with_momentum: true,
        preconditioned: true,
        linear: false,
    },
    Row {
        name: "adamw",
        aliases: &[],
        about: "torch.optim.AdamW with a frozen exp_avg_sq (decoupled decay)",
        weight_decay: true,
        step_moves_with_momentum: true,
        preconditioned: true,
        linear: false,
    },
    Row {
        name: "rmsprop",
        aliases: &[],
        about: "torch.optim.RMSprop with a frozen square_avg (--momentum μ)",
        weight_decay: false,
        step_moves_with_momentum: false,
        preconditioned: true,
        linear: false,
    },
    Row {
        name: "ademamix",
        aliases: &[],
        about: "optax.contrib.ademamix with a frozen nu (--momentum = β₁, --b3, --alpha)",
        weight_decay: false,
        step_moves_with_momentum: true,
        preconditioned: true,
        linear: true,
    },
    Row {
        name: "lookahead",
        aliases: &[],
        about: "optax.lookahead over optax.sgd (--sync-period k, --slow-step a, inner --lr/--momentum/--nesterov)",
        weight_decay: false,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: true,
    },
    Row {
        name: "schedule_free",
        aliases: &["schedule-free", "schedulefree", "schedule_free_sgd"],
        about: "optax.contrib.schedule_free_sgd (--momentum = b₁)",
        weight_decay: false,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: true,
    },
    Row {
        name: "aggmo",
        aliases: &[],
        about: "aggregated momentum, Lucas et al. 2019 (--momenta β₁,β₂,…)",
        weight_decay: false,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: true,
    },
    Row {
        name: "sam",
        aliases: &[],
        about: "unnormalised SAM over optax.sgd: the gradient at x + ρ∇f(x) (--rho)",
        weight_decay: false,
        step_moves_with_momentum: false,
        preconditioned: false,
        linear: true,
    },
];

impl Framework {
    /// Every convention, in declaration order.
    pub const ALL: [Framework; 16] = [
        Framework::Canonical,
        Framework::PyTorch,
        Framework::Keras,
        Framework::Optax,
        Framework::Ewma,
        Framework::Physics,
        Framework::Sutskever,
        Framework::Qhm,
        Framework::Adam,
        Framework::AdamW,
        Framework::RmsProp,
        Framework::Ademamix,
        Framework::Lookahead,
        Framework::ScheduleFree,
        Framework::Aggmo,
        Framework::Sam,
    ];

    /// The two-step conventions: every one [`Framework::convert`] accepts.
    pub const TWO_STEP: [Framework; 11] = [
        Framework::Canonical,
        Framework::PyTorch,
        Framework::Keras,
        Framework::Optax,
        Framework::Ewma,
        Framework::Physics,
        Framework::Sutskever,
        Framework::Qhm,
        Framework::Adam,
        Framework::AdamW,
        Framework::RmsProp,
    ];

    fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        self.row().name
    }

    /// Other names the command line accepts.
    pub fn aliases(self) -> &'static [&'static str] {
        self.row().aliases
    }

    /// A one-line description (for help texts).
    pub fn about(self) -> &'static str {
        self.row().about
    }

    /// Whether the convention runs on the preconditioned curvatures P^{-1/2}HP^{-1/2} of a frozen
    /// second-moment estimate (Adam, AdamW, RMSprop): its spectrum must be preconditioned first
    /// ([`crate::precondition`]).
    pub fn is_preconditioned(self) -> bool {
        self.row().preconditioned
    }

    /// Whether the convention is not a two-step method and goes through the order-n core
    /// ([`crate::zoo`], [`crate::linear`]): AdEMAMix, Lookahead, schedule-free SGD, AggMo, SAM.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Framework;
    /// assert!(Framework::Ademamix.is_linear() && !Framework::Optax.is_linear());
    /// ```
    pub fn is_linear(self) -> bool {
        self.row().linear
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Framework {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let low = s.to_ascii_lowercase();
        Framework::ALL
            .into_iter()
            .find(|f| f.as_str() == low || f.aliases().contains(&low.as_str()))
            .ok_or_else(|| {
                let names: Vec<&str> = Framework::ALL.iter().map(|f| f.as_str()).collect();
                Error::Unsupported(format!(
                    "unknown convention '{s}' (expected one of {})",
                    names.join(", ")
                ))
            })
    }
}

/// Hyperparameters as a framework user writes them. Options that a framework lacks must be `None`.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct FrameworkParams {
    /// Learning rate (α, η, ε: the framework's own name).
    pub lr: f64,
    /// Momentum (β, μ, γ); `None` means the framework's default (no momentum).
    pub momentum: Option<f64>,
    /// Lookahead γ (canonical form only).
    pub lookahead: Option<f64>,
    /// The framework's Nesterov switch.
    pub nesterov: bool,
    /// PyTorch's dampening τ.
    pub dampening: Option<f64>,
    /// Weight decay w (PyTorch, Keras; optax as a chained `add_decayed_weights`; AdamW's
    /// decoupled decay).
    pub weight_decay: Option<f64>,
    /// QHM's ν ∈ [0, 1], the weight of the momentum buffer (QHM only; default 0.7, Ma & Yarats'
    /// recommendation).
    pub nu: Option<f64>,
}

/// How weight decay enters the recurrence.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", tag = "kind", content = "value")
)]
pub enum WeightDecay {
    /// None given (or zero).
    None,
    /// L2 added to the gradient: every curvature is seen as λ + w.
    Coupled(f64),
    /// Keras' decoupled decay x ← x(1 − lr·w) before the step.
    Decoupled(f64),
}

/// A framework's hyperparameters in canonical form.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Converted {
    /// Which framework they came from.
    pub framework: Framework,
    /// The three-parameter method the framework runs, on the curvature it sees.
    pub method: Method,
    /// How weight decay modifies that.
    pub weight_decay: WeightDecay,
    /// The recurrence in the raw curvature λ (weight decay included).
    pub recurrence: Recurrence,
    /// Facts a user should know about this conversion.
    pub notes: Vec<String>,
    /// A root of the framework's own state that the iterate never shows (unobservable from x for
    /// every start; module docs): QHM's buffer root β when νβ = 0. `method` and `recurrence`
    /// leave it out; `None` when every root reaches the iterate.
    pub hidden_root: Option<f64>,
}

impl From<Method> for Converted {
    /// A method written directly in canonical form (no framework, no weight decay): e.g. triple
    /// momentum, which no framework switch runs.
    fn from(method: Method) -> Self {
        Converted {
            framework: Framework::Canonical,
            method,
            weight_decay: WeightDecay::None,
            recurrence: method.recurrence(),
            notes: vec![],
            hidden_root: None,
        }
    }
}

impl Converted {
    /// The rate of the framework's whole state (iterate and buffers) given the iterate's rate ρ:
    /// max(ρ, |r|) with r the [`Converted::hidden_root`], ρ itself when there is none.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Framework, FrameworkParams};
    /// // QHM at ν = 0: the iterate is gradient descent at step 0.5 (rate 0.5 at λ = 1), the buffer
    /// // decays at β = 0.9
    /// let p = FrameworkParams { lr: 0.5, momentum: Some(0.9), nu: Some(0.0), ..Default::default() };
    /// let c = Framework::Qhm.convert(&p)?;
    /// let rho = c.recurrence.mode(1.0)?.spectral_radius();
    /// assert_eq!((rho, c.state_rate(rho)), (0.5, 0.9));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn state_rate(&self, rho: f64) -> f64 {
        self.hidden_root.map_or(rho, |r| rho.max(r.abs()))
    }

    /// Whether the framework's momentum argument is the canonical β with the step held when it
    /// moves, so that a critical-damping momentum can be quoted in the framework's own terms:
    /// false for the EWMA form (its step is α(1−β)) and for decoupled weight decay (its decay
    /// factor is lr·w, and the recurrence leaves the family).
    pub fn admits_critical_momentum(&self) -> bool {
        !(self.framework.row().step_moves_with_momentum
            || matches!(self.weight_decay, WeightDecay::Decoupled(_)))
    }

    /// The canonical (α, β, γ) in the raw curvature, when there is one: the method itself when no
    /// weight decay changes the curvature, otherwise whatever the recurrence admits (`None` for
    /// coupled or decoupled decay, which leave the three-parameter family).
    pub fn canonical_method(&self) -> Option<Method> {
        match self.weight_decay {
            WeightDecay::None => Some(self.method),
            _ => self.recurrence.as_method(),
        }
    }
}

pub(crate) fn reject(framework: &'static str, reason: impl Into<String>) -> Error {
    Error::Convention {
        framework,
        reason: reason.into(),
    }
}

impl FrameworkParams {
    /// The same hyperparameters with another learning rate.
    pub fn with_lr(&self, lr: f64) -> Self {
        FrameworkParams { lr, ..*self }
    }
}

impl Framework {
    /// The four-number recurrence these hyperparameters run ([`Framework::convert`]'s
    /// `recurrence`), weight decay included.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Framework, FrameworkParams, Method};
    /// let p = FrameworkParams { lr: 0.1, momentum: Some(0.9), ..Default::default() };
    /// let rec = Framework::PyTorch.recurrence(&p)?;
    /// assert_eq!(rec, Method::heavy_ball(0.1, 0.9)?.recurrence());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Framework::convert`].
    pub fn recurrence(self, p: &FrameworkParams) -> Result<Recurrence> {
        Ok(self.convert(p)?.recurrence)
    }

    /// Convert hyperparameters written in this framework's convention.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Framework, FrameworkParams};
    /// // the course form v = βv + (1 − β)g, x −= αv is heavy ball with step α(1 − β)
    /// let p = FrameworkParams { lr: 0.1, momentum: Some(0.9), ..Default::default() };
    /// let m = Framework::Ewma.convert(&p)?.method;
    /// assert!((m.step() - 0.01).abs() < 1e-17 && m.momentum() == 0.9);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// What the framework itself rejects ([`Error::Convention`]: e.g. PyTorch's Nesterov with
    /// dampening), and values that are not finite or out of range.
    pub fn convert(self, p: &FrameworkParams) -> Result<Converted> {
        let name = self.as_str();
        if self.is_linear() {
            return Err(reject(
                name,
                "not a two-step method: `analyze`, `bound` and `simulate --convention X` run it through the order-n core (momentum::zoo)",
            ));
        }
        finite("lr", p.lr)?;
        let momentum = finite("momentum", p.momentum.unwrap_or(0.0))?;
        let wd = finite("weight decay", p.weight_decay.unwrap_or(0.0))?;
        if let Some(d) = p.dampening {
            finite("dampening", d)?;
            if self != Framework::PyTorch {
                return Err(reject(name, "dampening exists only in PyTorch's SGD"));
            }
        }
        if let Some(g) = p.lookahead {
            finite("lookahead", g)?;
            if self != Framework::Canonical {
                return Err(reject(
                    name,
                    "a free lookahead exists only in the canonical form; frameworks use --nesterov",
                ));
            }
        }
        if p.weight_decay.is_some() && !self.row().weight_decay {
            return Err(reject(
                name,
                if self.is_preconditioned() {
                    "weight decay here is an L2 term added before the preconditioner: add w to the Hessian before preconditioning, or use adamw (decoupled)"
                } else {
                    "weight decay is a PyTorch, Keras, optax or AdamW option; add it to the curvatures instead"
                },
            ));
        }
        if let Some(nu) = p.nu {
            finite("nu", nu)?;
            if self != Framework::Qhm {
                return Err(reject(
                    name,
                    "nu exists only in quasi-hyperbolic momentum (qhm)",
                ));
            }
        }
        if wd < 0.0 {
            return Err(reject(name, format!("weight decay must be >= 0, got {wd}")));
        }
        let mut notes = Vec::new();
        let mut hidden_root = None;
        let nest = |step: f64, m: f64| {
            if p.nesterov {
                Method::nesterov(step, m)
            } else if m == 0.0 {
                Method::gradient_descent(step)
            } else {
                Method::heavy_ball(step, m)
            }
        };
        let (method, decay) = match self {
            Framework::Canonical => {
                positive("step", p.lr)?;
                let m = match (p.lookahead, p.nesterov) {
                    (Some(_), true) => {
                        return Err(reject(
                            name,
                            "give either --nesterov or --lookahead, not both",
                        ));
                    }
                    (Some(g), false) => Method::general(p.lr, momentum, g)?,
                    (None, _) => nest(p.lr, momentum)?,
                };
                (m, WeightDecay::None)
            }
            Framework::PyTorch => {
                if p.lr < 0.0 {
                    return Err(reject(name, format!("Invalid learning rate: {}", p.lr)));
                }
                if momentum < 0.0 {
                    return Err(reject(name, format!("Invalid momentum value: {momentum}")));
                }
                let damp = p.dampening.unwrap_or(0.0);
                if p.nesterov && (momentum <= 0.0 || damp != 0.0) {
                    return Err(reject(
                        name,
                        "Nesterov momentum requires a momentum and zero dampening",
                    ));
                }
                let step = if momentum == 0.0 {
                    p.lr
                } else {
                    p.lr * (1.0 - damp)
                };
                if momentum != 0.0 && damp != 0.0 {
                    if step <= 0.0 {
                        return Err(reject(
                            name,
                            format!(
                                "dampening {damp} makes the effective step lr*(1-dampening) = {step} non-positive"
                            ),
                        ));
                    }
                    notes.push(format!(
                        "dampening scales the step: alpha = lr*(1-dampening) = {step}; the first step uses the undampened gradient (initial state only, same rate)"
                    ));
                }
                if p.nesterov {
                    notes.push(
                        "PyTorch's parameters are the look-ahead iterate x_k + beta(x_k - x_{k-1}); same recurrence, same rate".into(),
                    );
                }
                (nest(step, momentum)?, coupled(wd))
            }
            Framework::Keras => {
                if !(0.0..=1.0).contains(&momentum) {
                    return Err(reject(
                        name,
                        format!("`momentum` must be a float between [0, 1], got {momentum}"),
                    ));
                }
                let decay = if wd > 0.0 {
                    notes.push("Keras decays the weights before the step (decoupled): not an L2 term, not three-parameter in lambda".into());
                    WeightDecay::Decoupled(wd)
                } else {
                    WeightDecay::None
                };
                (nest(p.lr, momentum)?, decay)
            }
            Framework::Optax => {
                if wd > 0.0 {
                    notes.push("weight decay as optax.add_decayed_weights(w) chained before optax.sgd: curvature lambda + w".into());
                }
                (nest(p.lr, momentum)?, coupled(wd))
            }
            Framework::Ewma => {
                if p.nesterov {
                    return Err(reject(name, "the EWMA course form has no Nesterov variant"));
                }
                let step = p.lr * (1.0 - momentum);
                if momentum >= 1.0 {
                    return Err(reject(
                        name,
                        format!(
                            "momentum must be < 1 (the step is lr*(1-momentum)), got {momentum}"
                        ),
                    ));
                }
                notes.push(format!(
                    "the (1-beta) factor shrinks the step: alpha = lr*(1-beta) = {step}"
                ));
                (nest(step, momentum)?, WeightDecay::None)
            }
            Framework::Physics | Framework::Sutskever => (nest(p.lr, momentum)?, WeightDecay::None),
            Framework::Qhm => {
                let (m, hidden) = qhm(p, &mut notes)?;
                hidden_root = hidden;
                (m, WeightDecay::None)
            }
            Framework::Adam | Framework::AdamW | Framework::RmsProp => {
                adam_family(self, p, wd, &mut notes)?
            }
            Framework::Ademamix
            | Framework::Lookahead
            | Framework::ScheduleFree
            | Framework::Aggmo
            | Framework::Sam => return Err(reject(name, "not a two-step method")),
        };
        let recurrence = match decay {
            WeightDecay::None => method.recurrence(),
            WeightDecay::Coupled(w) => method.recurrence().shifted(w)?,
            // Keras decays by lr·w with lr its step; AdamW by lr·w with lr Adam's own (the
            // canonical step is lr(1 − β₁))
            WeightDecay::Decoupled(w) if self == Framework::Keras => {
                keras_decoupled(&method, Dd::prod(method.step(), w))
            }
            WeightDecay::Decoupled(w) => keras_decoupled(&method, Dd::prod(p.lr, w)),
        };
        Ok(Converted {
            framework: self,
            method,
            weight_decay: decay,
            recurrence,
            notes,
            hidden_root,
        })
    }
}

impl Framework {
    /// The hyperparameters to type into this framework to run `method` (no weight decay, no
    /// dampening): the inverse of [`Framework::convert`], which maps the result back to `method`.
    ///
    /// PyTorch, Keras, optax, physics and Sutskever take lr = α, momentum = β and the Nesterov
    /// switch for γ = β; EWMA takes lr = α/(1 − β). A lookahead other than 0 or β (triple
    /// momentum, say) has no framework switch and is an [`Error::Convention`]; so is a momentum
    /// the framework itself rejects (PyTorch: β < 0; Keras: β outside [0, 1]).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Framework, Method};
    /// let p = Framework::PyTorch.express(&Method::nesterov(0.1, 0.9)?)?;
    /// assert_eq!((p.lr, p.momentum, p.nesterov), (0.1, Some(0.9), true));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A method the framework cannot run ([`Error::Convention`]: e.g. triple momentum's
    /// lookahead in PyTorch).
    pub fn express(self, method: &Method) -> Result<FrameworkParams> {
        let name = self.as_str();
        let (a, b, g) = (method.step(), method.momentum(), method.lookahead());
        if self == Framework::Canonical {
            return Ok(FrameworkParams {
                lr: a,
                momentum: Some(b),
                lookahead: (g != 0.0 && g != b).then_some(g),
                nesterov: g == b && b != 0.0,
                ..Default::default()
            });
        }
        if self == Framework::Qhm {
            return qhm_express(a, b, g);
        }
        let nesterov = g == b && b != 0.0;
        if nesterov && (self.is_preconditioned() || self == Framework::Ewma) {
            return Err(reject(
                name,
                format!("{name} has no Nesterov variant (lookahead = momentum = {b})"),
            ));
        }
        if g != 0.0 && !nesterov {
            return Err(reject(
                name,
                format!(
                    "a lookahead of {g} with momentum {b} is neither heavy ball (0) nor Nesterov (= momentum): no switch of this framework runs it"
                ),
            ));
        }
        let lr = match self {
            Framework::PyTorch if b < 0.0 => {
                return Err(reject(name, format!("Invalid momentum value: {b}")));
            }
            Framework::Keras if !(0.0..=1.0).contains(&b) => {
                return Err(reject(
                    name,
                    format!("`momentum` must be a float between [0, 1], got {b}"),
                ));
            }
            Framework::Ewma if nesterov => {
                return Err(reject(name, "the EWMA course form has no Nesterov variant"));
            }
            Framework::Ewma | Framework::Adam | Framework::AdamW if b >= 1.0 => {
                return Err(reject(name, format!("momentum must be < 1, got {b}")));
            }
            Framework::Adam | Framework::AdamW | Framework::RmsProp if b < 0.0 => {
                return Err(reject(name, format!("momentum must be >= 0, got {b}")));
            }
            Framework::Ewma | Framework::Adam | Framework::AdamW => a / (1.0 - b),
            _ => a,
        };
        Ok(FrameworkParams {
            lr,
            momentum: Some(b),
            nesterov,
            ..Default::default()
        })
    }
}

/// QHM's (α, β, ν) for a three-parameter method: the inverse of [`qhm`]'s map, α = step/(1 − β),
/// ν = 1 − γ(1 − β)/β (ν = 1 when γ = 0).
fn qhm_express(step: f64, beta: f64, gamma: f64) -> Result<FrameworkParams> {
    let name = Framework::Qhm.as_str();
    if !(0.0..1.0).contains(&beta) {
        return Err(reject(name, format!("beta must be in [0, 1), got {beta}")));
    }
    let nu = if gamma == 0.0 {
        1.0
    } else if beta == 0.0 {
        return Err(reject(
            name,
            format!("a lookahead of {gamma} needs a momentum > 0 in QHM"),
        ));
    } else {
        1.0 - gamma * (1.0 - beta) / beta
    };
    if !(0.0..=1.0).contains(&nu) {
        return Err(reject(
            name,
            format!(
                "lookahead {gamma} at momentum {beta} needs nu = {nu}, outside [0, 1] (QHM's lookahead is at most beta/(1 - beta))"
            ),
        ));
    }
    Ok(FrameworkParams {
        lr: step / (1.0 - beta),
        momentum: Some(beta),
        nu: Some(nu),
        ..Default::default()
    })
}

/// Quasi-hyperbolic momentum (Ma & Yarats 2019) on curvature λ:
/// b_k = βb_{k−1} + (1−β)g_k, x_{k+1} = x_k − α((1−ν)g_k + νb_k) gives
/// c₁ = 1 + β − α(1 − νβ)λ, c₀ = β − αβ(1 − ν)λ: the three-parameter method with step
/// α(1 − β), momentum β and lookahead γ = β(1 − ν)/(1 − β) (ν = 1: heavy ball in EWMA form;
/// ν = β: Nesterov). At νβ = 0 the polynomial is (z − β)(z − 1 + αλ) and the root β is the
/// buffer's alone (module docs): the iterate is gradient descent at step α, and β is returned as
/// the hidden root.
fn qhm(p: &FrameworkParams, notes: &mut Vec<String>) -> Result<(Method, Option<f64>)> {
    let name = Framework::Qhm.as_str();
    let (Some(beta), Some(nu)) = (p.momentum, p.nu) else {
        return Err(reject(
            name,
            "QHM needs both --momentum (beta) and --nu (nu)",
        ));
    };
    if p.nesterov {
        return Err(reject(
            name,
            "QHM has no Nesterov switch (nu = beta is Nesterov)",
        ));
    }
    positive("lr", p.lr)?;
    if !(0.0..1.0).contains(&beta) {
        return Err(reject(name, format!("beta must be in [0, 1), got {beta}")));
    }
    if !(0.0..=1.0).contains(&nu) {
        return Err(reject(name, format!("nu must be in [0, 1], got {nu}")));
    }
    if nu == 0.0 || beta == 0.0 {
        notes.push(format!(
            "QHM with nu*beta = 0 is gradient descent at step lr = {} in its iterate: the buffer's root beta = {beta} never reaches x (unobservable), so it is left out of the rate; state_spectral_radius includes it",
            p.lr
        ));
        return Ok((Method::gradient_descent(p.lr)?, Some(beta)));
    }
    let step = p.lr * (1.0 - beta);
    let gamma = beta * (1.0 - nu) / (1.0 - beta);
    notes.push(format!(
        "QHM is the three-parameter method with step lr*(1-beta) = {step}, momentum beta and lookahead beta*(1-nu)/(1-beta) = {gamma}; its gradient noise enters through the fresh and the buffered gradient (two weights, not one)"
    ));
    let m = if gamma == 0.0 {
        Method::heavy_ball(step, beta)?
    } else {
        Method::general(step, beta, gamma)?
    };
    Ok((m, None))
}

/// Adam, AdamW and RMSprop with a frozen second moment: heavy ball on the preconditioned
/// curvatures, in EWMA form (step lr(1 − β₁), momentum β₁) for Adam/AdamW and in PyTorch's
/// form (step lr, momentum μ) for RMSprop.
fn adam_family(
    fw: Framework,
    p: &FrameworkParams,
    wd: f64,
    notes: &mut Vec<String>,
) -> Result<(Method, WeightDecay)> {
    let name = fw.as_str();
    if p.lr <= 0.0 {
        return Err(reject(name, format!("Invalid learning rate: {}", p.lr)));
    }
    if p.nesterov {
        return Err(reject(
            name,
            "no Nesterov switch here (NAdam is a different method)",
        ));
    }
    let (method, edge) = if fw == Framework::RmsProp {
        let mu = p.momentum.unwrap_or(0.0);
        if mu < 0.0 {
            return Err(reject(name, format!("Invalid momentum value: {mu}")));
        }
        let m = if mu == 0.0 {
            Method::gradient_descent(p.lr)?
        } else {
            Method::heavy_ball(p.lr, mu)?
        };
        (m, 2.0 * (1.0 + mu) / p.lr)
    } else {
        let b1 = p.momentum.unwrap_or(0.9);
        if !(0.0..1.0).contains(&b1) {
            return Err(reject(
                name,
                format!("Invalid beta parameter at index 0: {b1}"),
            ));
        }
        if p.momentum.is_none() {
            notes.push("beta1 = 0.9 (the framework default; --momentum sets it)".into());
        }
        let step = p.lr * (1.0 - b1);
        let m = if b1 == 0.0 {
            Method::gradient_descent(step)?
        } else {
            Method::heavy_ball(step, b1)?
        };
        (m, adam_edge(p.lr, b1)?)
    };
    notes.push(format!(
        "frozen-preconditioner local analysis: the curvatures are the eigenvalues of P^-1/2 H P^-1/2, P = diag(sqrt(v) + eps) with v the settled second moment (exp_avg_sq, bias-corrected); it leaves out the bias correction's early steps and the moving v; stable iff the preconditioned sharpness < {edge:.6e}"
    ));
    let decay = if fw == Framework::AdamW && wd > 0.0 {
        notes.push(format!(
            "AdamW decays the weights by lr*w = {} before the step (decoupled, as Keras): not three-parameter in lambda",
            p.lr * wd
        ));
        WeightDecay::Decoupled(wd)
    } else {
        WeightDecay::None
    };
    Ok((method, decay))
}

/// Adam's edge of stability under a frozen preconditioner: the preconditioned sharpness below
/// which heavy ball in EWMA form (step α(1 − β₁), momentum β₁) is stable,
/// (2 + 2β₁)/(α(1 − β₁)) — 38/α at β₁ = 0.9 (Cohen et al. 2022).
///
/// # Examples
///
/// ```
/// let e = momentum::convention::adam_edge(1e-3, 0.9)?;
/// assert!((e - 38_000.0).abs() < 1e-8);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// α not finite and > 0, or β₁ outside [0, 1).
pub fn adam_edge(lr: f64, beta1: f64) -> Result<f64> {
    positive("lr", lr)?;
    finite("beta1", beta1)?;
    if !(0.0..1.0).contains(&beta1) {
        return Err(Error::OutOfRange {
            name: "beta1",
            value: beta1,
            expected: "in [0, 1)",
        });
    }
    Ok((2.0 + 2.0 * beta1) / (lr * (1.0 - beta1)))
}

fn coupled(w: f64) -> WeightDecay {
    if w > 0.0 {
        WeightDecay::Coupled(w)
    } else {
        WeightDecay::None
    }
}

/// Keras SGD with decoupled decay D = 1 − lr·w applied before the update, on curvature λ:
/// heavy ball  x⁺ = Dx + m,          m = μm − lr·λx   ⇒ c₁ = D + μ − lr·λ,        c₀ = μD;
/// Nesterov    x⁺ = Dx + μm − lr·λx, m = μm − lr·λx   ⇒ c₁ = D + μ − lr(1+μ)λ,    c₀ = μ(D − lr·λ).
/// Both keep the method's p₁, q₁ and replace p₀ = 1 + μ − lr·w, q₀ = μ(1 − lr·w). AdamW is the
/// heavy-ball case with step α(1 − β₁), μ = β₁ and decay lrw = α·w.
fn keras_decoupled(method: &Method, lrw: Dd) -> Recurrence {
    let mu = method.momentum();
    let p0 = Dd::new(1.0).add(Dd::new(mu)).sub(lrw);
    let q0 = Dd::new(mu).sub(lrw.mul_f64(mu));
    method.recurrence().with_constants(p0, q0)
}
