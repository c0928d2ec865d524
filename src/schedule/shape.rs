//! Named schedule shapes, written as optax and PyTorch write them.
//!
//! A shape is a call: `warmup_cosine_decay_schedule(init_value=0, peak_value=3, warmup_steps=100,
//! decay_steps=1000)` — optax's function names and arguments (an `optax.` prefix is accepted, as
//! are positional arguments in optax's order), PyTorch's scheduler classes with their arguments
//! (`OneCycleLR(max_lr=2, total_steps=100)`; those that scale a base lr take it from the
//! setting's lr), and a few shapes neither ships. [`Shape::values`] gives the value used at
//! step t = 0, 1, … (optax evaluates a schedule at the update count, 0 for the first update;
//! PyTorch's scheduler holds its value for the t-th `optimizer.step()`).
//!
//! | shape | value at step t |
//! |---|---|
//! | `constant_schedule(value)` | value |
//! | `linear_schedule(init_value, end_value, transition_steps, transition_begin=0)` | polynomial with power 1 |
//! | `polynomial_schedule(init_value, end_value, power, transition_steps, transition_begin=0)` | (init − end)(1 − k/T)^power + end, k = clip(t − begin, 0, T) |
//! | `cosine_decay_schedule(init_value, decay_steps, alpha=0, exponent=1)` | init((1 − α)(½(1 + cos(π min(t, T)/T)))^exponent + α) |
//! | `exponential_decay(init_value, transition_steps, decay_rate, transition_begin=0, staircase=False, end_value=None)` | init·rate^{(t − begin)/T} (floored with staircase), init before begin, clipped at end_value |
//! | `piecewise_constant_schedule(init_value, boundaries_and_scales={b: s, …})` | init times every s with b ≤ t |
//! | `warmup_constant_schedule(init_value, peak_value, warmup_steps)` | linear to peak, then peak |
//! | `warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps, decay_steps, end_value=0, exponent=1)` | linear to peak, then cosine to end over decay_steps − warmup_steps |
//! | `warmup_exponential_decay_schedule(init_value, peak_value, warmup_steps, transition_steps, decay_rate, transition_begin=0, staircase=False, end_value=None)` | linear to peak, then exponential decay |
//! | `cosine_onecycle_schedule(transition_steps, peak_value, pct_start=0.3, div_factor=25, final_div_factor=1e4)` | cosine up from peak/div to peak at ⌊pct·T⌋, down to peak/(div·final) at T |
//! | `linear_onecycle_schedule(transition_steps, peak_value, pct_start=0.3, pct_final=0.85, div_factor=25, final_div_factor=1e4)` | linear up, down to the start at ⌊pct_final·T⌋, down to start/final at T |
//! | `inverse_time_decay(init_value, decay_steps, decay_rate, staircase=False)` | init/(1 + rate·t/T) (Keras' `InverseTimeDecay`, the 1/t schedule) |
//! | `warmup_stable_decay(peak_value, warmup_steps, stable_steps, decay_steps, init_value=0, end_value=0)` | linear up, constant, linear down |
//! | `cyclic(base_value, peak_value, half_period)` | triangle wave between base and peak |
//! | `OneCycleLR(max_lr, total_steps, pct_start=0.3, anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, div_factor=25, final_div_factor=1e4, three_phase=False)` | PyTorch's; cycles the momentum too |
//! | `CosineAnnealingLR(T_max, eta_min=0)`, `StepLR(step_size, gamma=0.1)`, `ExponentialLR(gamma)`, `LinearLR(start_factor=1/3, end_factor=1, total_iters=5)` | PyTorch's closed forms, times the base lr |
//! | `nesterov_momentum()` | momentum t/(t + 3) (Nesterov 1983's (k − 1)/(k + 2)) |
//! | `linear_hl_warmup_scheduler(beta_end, beta_start=0, warmup=1)` | AdEMAMix's β₃ warmup (Pagliardini et al. 2024, their repository's scheduler): the half-life f(β) = ln ½/ln(β + 10⁻⁸) − 1 linear in t from f(β_start) to f(β_end) over `warmup` steps, β = ½^{1/(f + 1)}; β_end after |
//! | `demon(beta_init, total_steps)` | momentum β₀(1 − t/T)/((1 − β₀) + β₀(1 − t/T)) (Chen et al. 2019, Demon) |

use crate::error::{Error, Result};
use std::f64::consts::PI;

/// A parsed shape: its name and arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    kind: Kind,
    args: Vec<(&'static str, Val)>,
}

#[derive(Clone, Debug, PartialEq)]
enum Val {
    Num(f64),
    Bool(bool),
    Str(String),
    Dict(Vec<(f64, f64)>),
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Constant,
    Linear,
    Polynomial,
    CosineDecay,
    Exponential,
    Piecewise,
    WarmupConstant,
    WarmupCosine,
    WarmupExponential,
    CosineOnecycle,
    LinearOnecycle,
    InverseTime,
    Wsd,
    Cyclic,
    OneCycleLr,
    CosineAnnealingLr,
    StepLr,
    ExponentialLr,
    LinearLr,
    NesterovMomentum,
    Demon,
    HalfLifeWarmup,
}

/// (name, kind, parameters with defaults: `None` = required).
type Param = (&'static str, Option<Val>);

fn table() -> Vec<(&'static str, Kind, Vec<Param>)> {
    use Val::{Bool, Num, Str};
    let req = |n: &'static str| (n, None);
    let opt = |n: &'static str, v: Val| (n, Some(v));
    vec![
        ("constant_schedule", Kind::Constant, vec![req("value")]),
        (
            "linear_schedule",
            Kind::Linear,
            vec![
                req("init_value"),
                req("end_value"),
                req("transition_steps"),
                opt("transition_begin", Num(0.0)),
            ],
        ),
        (
            "polynomial_schedule",
            Kind::Polynomial,
            vec![
                req("init_value"),
                req("end_value"),
                req("power"),
                req("transition_steps"),
                opt("transition_begin", Num(0.0)),
            ],
        ),
        (
            "cosine_decay_schedule",
            Kind::CosineDecay,
            vec![
                req("init_value"),
                req("decay_steps"),
                opt("alpha", Num(0.0)),
                opt("exponent", Num(1.0)),
            ],
        ),
        (
            "exponential_decay",
            Kind::Exponential,
            vec![
                req("init_value"),
                req("transition_steps"),
                req("decay_rate"),
                opt("transition_begin", Num(0.0)),
                opt("staircase", Bool(false)),
                opt("end_value", Val::None),
            ],
        ),
        (
            "piecewise_constant_schedule",
            Kind::Piecewise,
            vec![
                req("init_value"),
                opt("boundaries_and_scales", Val::Dict(vec![])),
            ],
        ),
        (
            "warmup_constant_schedule",
            Kind::WarmupConstant,
            vec![req("init_value"), req("peak_value"), req("warmup_steps")],
        ),
        (
            "warmup_cosine_decay_schedule",
            Kind::WarmupCosine,
            vec![
                req("init_value"),
                req("peak_value"),
                req("warmup_steps"),
                req("decay_steps"),
                opt("end_value", Num(0.0)),
                opt("exponent", Num(1.0)),
            ],
        ),
        (
            "warmup_exponential_decay_schedule",
            Kind::WarmupExponential,
            vec![
                req("init_value"),
                req("peak_value"),
                req("warmup_steps"),
                req("transition_steps"),
                req("decay_rate"),
                opt("transition_begin", Num(0.0)),
                opt("staircase", Bool(false)),
                opt("end_value", Val::None),
            ],
        ),
        (
            "cosine_onecycle_schedule",
            Kind::CosineOnecycle,
            vec![
                req("transition_steps"),
                req("peak_value"),
                opt("pct_start", Num(0.3)),
                opt("div_factor", Num(25.0)),
                opt("final_div_factor", Num(1e4)),
            ],
        ),
        (
            "linear_onecycle_schedule",
            Kind::LinearOnecycle,
            vec![
                req("transition_steps"),
                req("peak_value"),
                opt("pct_start", Num(0.3)),
                opt("pct_final", Num(0.85)),
                opt("div_factor", Num(25.0)),
                opt("final_div_factor", Num(1e4)),
            ],
        ),
        (
            "inverse_time_decay",
            Kind::InverseTime,
            vec![
                req("init_value"),
                req("decay_steps"),
                req("decay_rate"),
                opt("staircase", Bool(false)),
            ],
        ),
        (
            "warmup_stable_decay",
            Kind::Wsd,
            vec![
                req("peak_value"),
                req("warmup_steps"),
                req("stable_steps"),
                req("decay_steps"),
                opt("init_value", Num(0.0)),
                opt("end_value", Num(0.0)),
            ],
        ),
        (
            "cyclic",
            Kind::Cyclic,
            vec![req("base_value"), req("peak_value"), req("half_period")],
        ),
        (
            "OneCycleLR",
            Kind::OneCycleLr,
            vec![
                req("max_lr"),
                req("total_steps"),
                opt("pct_start", Num(0.3)),
                opt("anneal_strategy", Str("cos".into())),
                opt("cycle_momentum", Bool(true)),
                opt("base_momentum", Num(0.85)),
                opt("max_momentum", Num(0.95)),
                opt("div_factor", Num(25.0)),
                opt("final_div_factor", Num(1e4)),
                opt("three_phase", Bool(false)),
            ],
        ),
        (
            "CosineAnnealingLR",
            Kind::CosineAnnealingLr,
            vec![req("T_max"), opt("eta_min", Num(0.0))],
        ),
        (
            "StepLR",
            Kind::StepLr,
            vec![req("step_size"), opt("gamma", Num(0.1))],
        ),
        ("ExponentialLR", Kind::ExponentialLr, vec![req("gamma")]),
        (
            "LinearLR",
            Kind::LinearLr,
            vec![
                opt("start_factor", Num(1.0 / 3.0)),
                opt("end_factor", Num(1.0)),
                opt("total_iters", Num(5.0)),
            ],
        ),
        ("nesterov_momentum", Kind::NesterovMomentum, vec![]),
        (
            "linear_hl_warmup_scheduler",
            Kind::HalfLifeWarmup,
            vec![
                req("beta_end"),
                opt("beta_start", Num(0.0)),
                opt("warmup", Num(1.0)),
            ],
        ),
        (
            "demon",
            Kind::Demon,
            vec![req("beta_init"), req("total_steps")],
        ),
    ]
}

/// The names [`Shape::parse`] knows, for help texts.
pub fn names() -> Vec<&'static str> {
    table().into_iter().map(|(n, _, _)| n).collect()
}

fn bad(spec: &str, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!("schedule `{spec}`: {why}"))
}

impl Shape {
    /// Whether `spec` looks like a call `name(...)` rather than a file name.
    pub fn looks_like_call(spec: &str) -> bool {
        let s = spec.trim();
        s.ends_with(')') && s.contains('(')
    }

    /// Parse a call such as `warmup_cosine_decay_schedule(0, 3, 100, 1000)` or
    /// `optax.linear_schedule(init_value=1, end_value=0.1, transition_steps=50)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::schedule::shape::Shape;
    /// let s = Shape::parse("optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=3.0, warmup_steps=100, decay_steps=1000)")?;
    /// assert_eq!(s.values(1000, None)?.lr.len(), 1000);
    /// assert_eq!(s.values(1000, None)?.lr[100], 3.0);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An unknown name or argument, a missing required argument, a value of the wrong type
    /// ([`Error::Usage`], naming it).
    pub fn parse(spec: &str) -> Result<Shape> {
        let s = spec.trim();
        let open = s
            .find('(')
            .ok_or_else(|| bad(spec, "expected name(arguments)"))?;
        if !s.ends_with(')') {
            return Err(bad(spec, "expected name(arguments)"));
        }
        let full = s[..open].trim();
        let name = full.rsplit('.').next().unwrap_or(full);
        let body = &s[open + 1..s.len() - 1];
        let tab = table();
        let Some((_, kind, params)) = tab.iter().find(|(n, _, _)| *n == name) else {
            return Err(bad(
                spec,
                format!("unknown shape `{name}`; known: {}", names().join(", ")),
            ));
        };
        let mut given: Vec<(&'static str, Val)> = vec![];
        for (i, arg) in split_args(body)
            .map_err(|e| bad(spec, e))?
            .into_iter()
            .enumerate()
        {
            let (key, raw) = match top_level_eq(&arg) {
                Some(k) => (
                    Some(arg[..k].trim().to_string()),
                    arg[k + 1..].trim().to_string(),
                ),
                None => (None, arg.trim().to_string()),
            };
            let pname = match key {
                Some(k) => params
                    .iter()
                    .find(|(p, _)| *p == k)
                    .map(|(p, _)| *p)
                    .ok_or_else(|| {
                        bad(
                            spec,
                            format!(
                                "`{name}` has no argument `{k}`; it takes {}",
                                params.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
                            ),
                        )
                    })?,
                None => {
                    if given.len() != i {
                        return Err(bad(spec, "a positional argument after a keyword one"));
                    }
                    params.get(i).map(|p| p.0).ok_or_else(|| {
                        bad(
                            spec,
                            format!("`{name}` takes at most {} arguments", params.len()),
                        )
                    })?
                }
            };
            if given.iter().any(|(p, _)| *p == pname) {
                return Err(bad(spec, format!("`{pname}` given twice")));
            }
            given.push((pname, parse_val(&raw).map_err(|e| bad(spec, e))?));
        }
        let mut args = vec![];
        for (p, default) in params {
            match given.iter().find(|(g, _)| g == p) {
                Some((_, v)) => args.push((*p, v.clone())),
                None => match default {
                    Some(d) => args.push((*p, d.clone())),
                    None => return Err(bad(spec, format!("`{name}` needs `{p}`"))),
                },
            }
        }
        let shape = Shape { kind: *kind, args };
        shape.validate().map_err(|e| bad(spec, e))?;
        Ok(shape)
    }

    fn num(&self, name: &str) -> f64 {
        match self.args.iter().find(|(n, _)| *n == name) {
            Some((_, Val::Num(x))) => *x,
            _ => f64::NAN,
        }
    }

    fn opt_num(&self, name: &str) -> Option<f64> {
        match self.args.iter().find(|(n, _)| *n == name) {
            Some((_, Val::Num(x))) => Some(*x),
            _ => None,
        }
    }

    fn flag(&self, name: &str) -> bool {
        matches!(
            self.args.iter().find(|(n, _)| *n == name),
            Some((_, Val::Bool(true)))
        )
    }

    fn validate(&self) -> std::result::Result<(), String> {
        for (n, v) in &self.args {
            let ok = match v {
                Val::Num(x) => x.is_finite(),
                Val::Bool(_) => matches!(*n, "staircase" | "cycle_momentum" | "three_phase"),
                Val::Str(s) => *n == "anneal_strategy" && (s == "cos" || s == "linear"),
                Val::Dict(d) => {
                    *n == "boundaries_and_scales"
                        && d.iter().all(|(b, s)| b.is_finite() && s.is_finite())
                }
                Val::None => matches!(*n, "end_value"),
            };
            if !ok {
                return Err(format!("`{n}` has an invalid value {v:?}"));
            }
            if matches!(v, Val::Num(_))
                && matches!(*n, "staircase" | "cycle_momentum" | "three_phase")
            {
                return Err(format!("`{n}` must be True or False"));
            }
        }
        let steps = [
            "transition_steps",
            "decay_steps",
            "warmup_steps",
            "total_steps",
            "T_max",
            "step_size",
            "half_period",
            "stable_steps",
            "total_iters",
            "warmup",
        ];
        for n in steps {
            if let Some(x) = self.opt_num(n)
                && (x < 0.0 || x.fract() != 0.0)
            {
                return Err(format!("`{n}` must be a whole number >= 0, got {x}"));
            }
        }
        let positive = ["T_max", "step_size", "half_period", "total_steps"];
        for n in positive {
            if let Some(x) = self.opt_num(n)
                && x <= 0.0
            {
                return Err(format!("`{n}` must be > 0"));
            }
        }
        if self.kind == Kind::HalfLifeWarmup {
            for n in ["beta_end", "beta_start"] {
                if !(0.0..1.0).contains(&self.num(n)) {
                    return Err(format!("`{n}` must be in [0, 1)"));
                }
            }
        }
        if self.kind == Kind::Demon && !(0.0..1.0).contains(&self.num("beta_init")) {
            return Err("`beta_init` must be in [0, 1)".into());
        }
        if self.kind == Kind::WarmupCosine && self.num("decay_steps") < self.num("warmup_steps") {
            return Err("`decay_steps` counts the warmup too: it must be >= warmup_steps".into());
        }
        Ok(())
    }

    /// The same shape with the numeric argument `name` set to `value`.
    ///
    /// # Errors
    ///
    /// The shape has no such argument, or the new value is invalid for it ([`Error::Usage`]).
    pub fn with(&self, name: &str, value: f64) -> Result<Shape> {
        let mut s = self.clone();
        let Some(slot) = s.args.iter_mut().find(|(n, _)| *n == name) else {
            return Err(Error::Usage(format!("this shape has no argument `{name}`")));
        };
        slot.1 = Val::Num(value);
        s.validate().map_err(Error::Usage)?;
        Ok(s)
    }

    /// The largest warmup the shape allows (warmup + cosine: its decay_steps).
    pub fn warmup_cap(&self) -> Option<usize> {
        (self.kind == Kind::WarmupCosine).then(|| self.num("decay_steps") as usize)
    }

    /// Whether the values scale a base lr (PyTorch's schedulers other than OneCycleLR).
    pub fn needs_base_lr(&self) -> bool {
        matches!(
            self.kind,
            Kind::CosineAnnealingLr | Kind::StepLr | Kind::ExponentialLr | Kind::LinearLr
        )
    }

    /// Whether this shape is a momentum schedule by nature (`nesterov_momentum`, `demon`).
    pub fn is_momentum(&self) -> bool {
        matches!(self.kind, Kind::NesterovMomentum | Kind::Demon)
    }

    /// The length the shape defines (its decay or cycle length), if any.
    pub fn natural_len(&self) -> Option<usize> {
        let n = |s: &str| self.num(s) as usize;
        Some(match self.kind {
            Kind::Linear | Kind::Polynomial => n("transition_begin") + n("transition_steps"),
            Kind::CosineDecay | Kind::WarmupCosine => n("decay_steps"),
            Kind::CosineOnecycle | Kind::LinearOnecycle => n("transition_steps"),
            Kind::Wsd => n("warmup_steps") + n("stable_steps") + n("decay_steps"),
            Kind::Cyclic => 2 * n("half_period"),
            Kind::OneCycleLr | Kind::Demon => n("total_steps"),
            Kind::CosineAnnealingLr => n("T_max"),
            Kind::HalfLifeWarmup => n("warmup"),
            _ => return None,
        })
        .filter(|&l| l > 0)
    }

    /// The values at t = 0 … n − 1 (with `base_lr` for the shapes that scale one).
    ///
    /// # Errors
    ///
    /// A shape that needs a base lr without one ([`Error::Usage`]); more than
    /// [`super::MAX_STEPS`] values ([`Error::TooMany`], before anything is allocated).
    pub fn values(&self, n: usize, base_lr: Option<f64>) -> Result<Values> {
        if n > super::MAX_STEPS {
            return Err(Error::TooMany {
                what: "schedule length",
                count: n as u64,
                limit: super::MAX_STEPS as u64,
            });
        }
        let base = if self.needs_base_lr() {
            base_lr.ok_or_else(|| {
                Error::Usage(
                    "this PyTorch scheduler scales the optimizer's lr: give the base --lr too"
                        .into(),
                )
            })?
        } else {
            1.0
        };
        let mut lr = Vec::with_capacity(n);
        let mut momentum = Vec::new();
        for t in 0..n {
            let (v, m) = self.at(t as f64, base);
            lr.push(v);
            if let Some(m) = m {
                momentum.push(m);
            }
        }
        Ok(Values {
            lr,
            momentum: (momentum.len() == n && n > 0).then_some(momentum),
        })
    }

    /// (value, momentum) at step t; `base`: the lr PyTorch's schedulers scale.
    fn at(&self, t: f64, base: f64) -> (f64, Option<f64>) {
        let g = |s: &str| self.num(s);
        let v = match self.kind {
            Kind::Constant => g("value"),
            Kind::Linear => poly(
                g("init_value"),
                g("end_value"),
                1.0,
                g("transition_steps"),
                g("transition_begin"),
                t,
            ),
            Kind::Polynomial => poly(
                g("init_value"),
                g("end_value"),
                g("power"),
                g("transition_steps"),
                g("transition_begin"),
                t,
            ),
            Kind::CosineDecay => cosine(
                g("init_value"),
                g("decay_steps"),
                g("alpha"),
                g("exponent"),
                t,
            ),
            Kind::Exponential => self.exponential(g("init_value"), t),
            Kind::Piecewise => {
                let mut v = g("init_value");
                if let Some((_, Val::Dict(d))) = self
                    .args
                    .iter()
                    .find(|(n, _)| *n == "boundaries_and_scales")
                {
                    let mut d = d.clone();
                    d.sort_by(|a, b| a.0.total_cmp(&b.0));
                    for (b, s) in d {
                        if t >= b {
                            v *= s;
                        }
                    }
                }
                v
            }
            Kind::WarmupConstant => {
                let w = g("warmup_steps");
                if t < w {
                    poly(g("init_value"), g("peak_value"), 1.0, w, 0.0, t)
                } else {
                    g("peak_value")
                }
            }
            Kind::WarmupCosine => {
                let (w, peak, end) = (g("warmup_steps"), g("peak_value"), g("end_value"));
                if t < w {
                    poly(g("init_value"), peak, 1.0, w, 0.0, t)
                } else {
                    let alpha = if peak == 0.0 { 0.0 } else { end / peak };
                    cosine(peak, g("decay_steps") - w, alpha, g("exponent"), t - w)
                }
            }
            Kind::WarmupExponential => {
                let w = g("warmup_steps");
                if t < w {
                    poly(g("init_value"), g("peak_value"), 1.0, w, 0.0, t)
                } else {
                    self.exponential(g("peak_value"), t - w)
                }
            }
            Kind::CosineOnecycle => {
                let (tt, peak, div) = (g("transition_steps"), g("peak_value"), g("div_factor"));
                let init = peak / div;
                interpolate(
                    true,
                    &[0.0, (g("pct_start") * tt).trunc(), tt],
                    &[init, peak, init / g("final_div_factor")],
                    t,
                )
            }
            Kind::LinearOnecycle => {
                let (tt, peak, div) = (g("transition_steps"), g("peak_value"), g("div_factor"));
                let init = peak / div;
                interpolate(
                    false,
                    &[
                        0.0,
                        (g("pct_start") * tt).trunc(),
                        (g("pct_final") * tt).trunc(),
                        tt,
                    ],
                    &[init, peak, init, init / g("final_div_factor")],
                    t,
                )
            }
            Kind::InverseTime => {
                let mut p = t / g("decay_steps");
                if self.flag("staircase") {
                    p = p.floor();
                }
                g("init_value") / (1.0 + g("decay_rate") * p)
            }
            Kind::Wsd => {
                let (w, s, d) = (g("warmup_steps"), g("stable_steps"), g("decay_steps"));
                let peak = g("peak_value");
                if t < w {
                    poly(g("init_value"), peak, 1.0, w, 0.0, t)
                } else if t < w + s {
                    peak
                } else {
                    poly(peak, g("end_value"), 1.0, d, w + s, t)
                }
            }
            Kind::Cyclic => {
                let h = g("half_period");
                let phase = t % (2.0 * h);
                let frac = if phase <= h {
                    phase / h
                } else {
                    2.0 - phase / h
                };
                g("base_value") + (g("peak_value") - g("base_value")) * frac
            }
            Kind::OneCycleLr => return self.one_cycle(t),
            // eta_min is absolute in PyTorch
            Kind::CosineAnnealingLr => {
                let e = g("eta_min");
                e + (base - e) * 0.5 * (1.0 + (PI * t / g("T_max")).cos())
            }
            Kind::StepLr => base * g("gamma").powf((t / g("step_size")).floor()),
            Kind::ExponentialLr => base * g("gamma").powf(t),
            Kind::LinearLr => {
                let (s, e, n) = (g("start_factor"), g("end_factor"), g("total_iters"));
                base * if n == 0.0 {
                    e
                } else {
                    s + (e - s) * t.min(n) / n
                }
            }
            Kind::NesterovMomentum => t / (t + 3.0),
            Kind::Demon => {
                let (b0, tt) = (g("beta_init"), g("total_steps"));
                let r = (1.0 - t / tt).max(0.0);
                b0 * r / ((1.0 - b0) + b0 * r)
            }
            Kind::HalfLifeWarmup => {
                let (end, w) = (g("beta_end"), g("warmup"));
                if t < w {
                    let half_life = |b: f64| 0.5f64.ln() / (b + 1e-8).ln() - 1.0;
                    let a = t / w;
                    let f = (1.0 - a) * half_life(g("beta_start")) + a * half_life(end);
                    0.5f64.powf(1.0 / (f + 1.0))
                } else {
                    end
                }
            }
        };
        (v, None)
    }

    fn exponential(&self, init: f64, t: f64) -> f64 {
        let (steps, rate, begin) = (
            self.num("transition_steps"),
            self.num("decay_rate"),
            self.num("transition_begin"),
        );
        let count = t - begin;
        if count <= 0.0 || steps <= 0.0 {
            return init;
        }
        let mut p = count / steps;
        if self.flag("staircase") {
            p = p.floor();
        }
        let v = init * rate.powf(p);
        match self.opt_num("end_value") {
            Some(e) if rate < 1.0 => v.max(e),
            Some(e) => v.min(e),
            None => v,
        }
    }

    /// PyTorch's OneCycleLR: phases end at pct·T − 1 and T − 1 (three-phase: also 2pct·T − 2).
    fn one_cycle(&self, t: f64) -> (f64, Option<f64>) {
        let g = |s: &str| self.num(s);
        let total = g("total_steps");
        let init = g("max_lr") / g("div_factor");
        let min = init / g("final_div_factor");
        let (mx, bm, mm) = (g("max_lr"), g("base_momentum"), g("max_momentum"));
        let cos = !matches!(
            self.args.iter().find(|(n, _)| *n == "anneal_strategy"),
            Some((_, Val::Str(s))) if s == "linear"
        );
        let up = g("pct_start") * total - 1.0;
        let phases: Vec<(f64, f64, f64, f64, f64)> = if self.flag("three_phase") {
            vec![
                (up, init, mx, mm, bm),
                (2.0 * g("pct_start") * total - 2.0, mx, init, bm, mm),
                (total - 1.0, init, min, mm, mm),
            ]
        } else {
            vec![(up, init, mx, mm, bm), (total - 1.0, mx, min, bm, mm)]
        };
        let anneal = |a: f64, b: f64, pct: f64| {
            if cos {
                b + (a - b) / 2.0 * ((PI * pct).cos() + 1.0)
            } else {
                (b - a) * pct + a
            }
        };
        let mut start = 0.0;
        let last = phases.len() - 1;
        for (i, &(end, l0, l1, m0, m1)) in phases.iter().enumerate() {
            if t <= end || i == last {
                let pct = (t - start) / (end - start);
                let m = self.flag("cycle_momentum").then(|| anneal(m0, m1, pct));
                return (anneal(l0, l1, pct), m);
            }
            start = end;
        }
        unreachable!("the last phase always matches")
    }
}

/// The values of a shape at t = 0 … n − 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Values {
    /// The shape's values (an lr, or a momentum for momentum shapes).
    pub lr: Vec<f64>,
    /// The momentum the shape cycles with it (PyTorch's OneCycleLR), if any.
    pub momentum: Option<Vec<f64>>,
}

/// optax's polynomial_schedule.
fn poly(init: f64, end: f64, power: f64, steps: f64, begin: f64, t: f64) -> f64 {
    if steps <= 0.0 {
        return init;
    }
    let k = (t - begin).clamp(0.0, steps);
    (init - end) * (1.0 - k / steps).powf(power) + end
}

/// optax's cosine_decay_schedule.
fn cosine(init: f64, steps: f64, alpha: f64, exponent: f64, t: f64) -> f64 {
    if steps <= 0.0 {
        return init;
    }
    let k = t.min(steps);
    let c = 0.5 * (1.0 + (PI * k / steps).cos());
    init * ((1.0 - alpha) * c.powf(exponent) + alpha)
}

/// optax's piecewise_interpolate_schedule over bounds with values at them.
fn interpolate(cos: bool, bounds: &[f64], values: &[f64], t: f64) -> f64 {
    for i in 0..bounds.len() - 1 {
        let (a, b) = (bounds[i], bounds[i + 1]);
        if a <= t && t < b {
            let pct = (t - a) / (b - a);
            let (s, e) = (values[i], values[i + 1]);
            return if cos {
                e + (s - e) / 2.0 * ((PI * pct).cos() + 1.0)
            } else {
                s + pct * (e - s)
            };
        }
    }
    if t >= *bounds.last().expect("bounds") {
        *values.last().expect("values")
    } else {
        0.0
    }
}

/// Split at top-level commas (not inside braces or quotes).
fn split_args(body: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = vec![];
    let (mut depth, mut cur, mut quote) = (0i32, String::new(), None::<char>);
    for c in body.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                cur.push(c);
            }
            (None, '{' | '[' | '(') => {
                depth += 1;
                cur.push(c);
            }
            (None, '}' | ']' | ')') => {
                depth -= 1;
                if depth < 0 {
                    return Err("unbalanced brackets".into());
                }
                cur.push(c);
            }
            (None, ',') if depth == 0 => out.push(std::mem::take(&mut cur)),
            (None, c) => cur.push(c),
        }
    }
    if depth != 0 || quote.is_some() {
        return Err("unbalanced brackets or quotes".into());
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    } else if !out.is_empty() {
        // a trailing comma is allowed, an empty argument is not
        if out.iter().any(|a| a.trim().is_empty()) {
            return Err("an empty argument".into());
        }
    }
    if out.iter().any(|a| a.trim().is_empty()) {
        return Err("an empty argument".into());
    }
    Ok(out)
}

/// The position of a top-level `=` (a keyword argument).
fn top_level_eq(arg: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in arg.char_indices() {
        match c {
            '{' | '[' | '(' | '\'' | '"' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            '=' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

fn parse_val(raw: &str) -> std::result::Result<Val, String> {
    let r = raw.trim();
    match r {
        "True" | "true" => return Ok(Val::Bool(true)),
        "False" | "false" => return Ok(Val::Bool(false)),
        "None" => return Ok(Val::None),
        _ => {}
    }
    if (r.starts_with('\'') && r.ends_with('\'') || r.starts_with('"') && r.ends_with('"'))
        && r.len() >= 2
    {
        return Ok(Val::Str(r[1..r.len() - 1].to_string()));
    }
    if r.starts_with('{') && r.ends_with('}') {
        let inner = &r[1..r.len() - 1];
        let mut d = vec![];
        for item in inner.split(',').filter(|s| !s.trim().is_empty()) {
            let (k, v) = item
                .split_once(':')
                .ok_or_else(|| format!("expected {{step: scale, ...}}, got `{item}`"))?;
            d.push((num(k)?, num(v)?));
        }
        return Ok(Val::Dict(d));
    }
    Ok(Val::Num(num(r)?))
}

fn num(s: &str) -> std::result::Result<f64, String> {
    let s = s.trim();
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("`{s}` is not a finite number"))
    }
}
