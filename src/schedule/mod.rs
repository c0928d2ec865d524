//! Schedules: time-varying learning rate and momentum, exactly, in each framework's own order.
//!
//! On a quadratic every curvature λ still evolves on its own, now by a product of per-step 2 × 2
//! matrices. Each step of a framework moves its own state s = (x, u) — the iterate and the
//! framework's buffer (PyTorch's `momentum_buffer`, optax's `trace`, Keras' velocity, Adam's first
//! moment; the previous iterate in the canonical form) — by
//!
//! ```text
//! s_{t+1} = (A_t + λ B_t) s_t,        e_N / e_0 = x_N  from  s_0 = (1, u_0)
//! ```
//!
//! with A_t, B_t written from the framework's update lines at step t's lr and momentum ([`Step`],
//! [`Run::new`]). x_N is a polynomial of degree ≤ N in λ. With a constant lr every convention is
//! the same canonical recurrence (§6 of docs/REFERENCE.md); with a varying lr they are not:
//! PyTorch's and optax's `v ← βv + g; x ← x − lr_t v` has canonical momentum β·lr_t/lr_{t−1}
//! (undefined after a zero lr, which the buffer survives), Keras puts lr inside the velocity.
//! Hence the framework's own state, never a converted recurrence.
//!
//! What is computed, for a [`Run`] (a setting, a [`Schedule`] and a horizon):
//!
//! | question | call |
//! |---|---|
//! | e_N/e_0 at one curvature, or its whole trajectory | [`Run::factor`], [`Run::trajectory`] |
//! | the worst \|e_N/e_0\| over [μ, L] or a list, with a certified upper bound, and the peak over t ≤ N | [`Run::worst`] |
//! | a periodic schedule's per-step rate ρ(M)^{1/p} (monodromy M of one period) | [`Periodic::rate`], [`Periodic::worst`] |
//! | the largest scale of a period that stays stable | [`Periodic::stable_scale`] |
//! | steps applied in any order | [`switching::bounds`] (joint spectral radius) |
//! | the largest peak lr / the shortest warmup under a transient bound; the best 2-cycle on a gapped spectrum | [`tune`] |
//!
//! Named shapes as optax and PyTorch write them (`warmup_cosine_decay_schedule(...)`,
//! `OneCycleLR(...)`, …) are in [`shape`].
//!
//! Sources: the endpoint theorem is a degree-2 constant-coefficient fact and fails here (warmup +
//! cosine peaks at an interior curvature); Chebyshev steps (Young 1953) reach 1/T_N((L+μ)/(L−μ));
//! cyclical heavy ball on a gapped spectrum: Goujaud, Scieur, Dieuleveut, Taylor & Pedregosa (2022).

mod horizon;
mod periodic;
pub mod shape;
pub mod switching;
pub mod tune;

pub use horizon::{Horizon, Peak};
pub use periodic::{Periodic, PeriodicRate, StableScale};

use crate::convention::{Framework, FrameworkParams};
use crate::error::{Error, Result};
use crate::setting::Resolved;
use nalgebra::Matrix2;

/// Longest horizon or period a [`Run`] accepts.
pub const MAX_STEPS: usize = 1_000_000;

/// Per-step hyperparameters: the value used at step t = 0, 1, … (what
/// `[sched(t) for t in range(T)]` gives), each list optional (the setting's constant value
/// then), in the framework's own terms.
///
/// A run longer than the lists holds their last value (what optax's schedules and a clamped
/// array index do) unless `periodic`, which repeats them.
///
/// # Examples
///
/// ```
/// use momentum::schedule::Schedule;
/// let s = Schedule::lr(vec![0.5, 2.5]).periodic();
/// assert_eq!(s.len(), Some(2));
/// assert_eq!(s.lr_at(3), Some(2.5));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Schedule {
    /// Learning rate per step.
    pub lr: Option<Vec<f64>>,
    /// Momentum per step (the framework's β, μ or β₁).
    pub momentum: Option<Vec<f64>>,
    /// Lookahead γ per step (canonical convention only).
    pub lookahead: Option<Vec<f64>>,
    /// The lists are one period, repeated forever.
    pub periodic: bool,
}

impl Schedule {
    /// A learning-rate schedule.
    pub fn lr(values: Vec<f64>) -> Self {
        Schedule {
            lr: Some(values),
            ..Default::default()
        }
    }

    /// The same with a momentum schedule.
    pub fn with_momentum(mut self, values: Vec<f64>) -> Self {
        self.momentum = Some(values);
        self
    }

    /// The same, read as one period repeated forever.
    pub fn periodic(mut self) -> Self {
        self.periodic = true;
        self
    }

    /// The length of the given lists (`None` when none is given).
    pub fn len(&self) -> Option<usize> {
        [&self.lr, &self.momentum, &self.lookahead]
            .into_iter()
            .flatten()
            .map(Vec::len)
            .max()
    }

    /// Whether no list is given.
    pub fn is_empty(&self) -> bool {
        self.len().is_none()
    }

    fn at(&self, v: &Option<Vec<f64>>, t: usize) -> Option<f64> {
        let v = v.as_ref()?;
        let i = if self.periodic {
            t % v.len()
        } else {
            t.min(v.len() - 1)
        };
        Some(v[i])
    }

    /// The lr at step t (`None` without an lr list).
    pub fn lr_at(&self, t: usize) -> Option<f64> {
        self.at(&self.lr, t)
    }

    /// The momentum at step t (`None` without a momentum list).
    pub fn momentum_at(&self, t: usize) -> Option<f64> {
        self.at(&self.momentum, t)
    }

    fn lookahead_at(&self, t: usize) -> Option<f64> {
        self.at(&self.lookahead, t)
    }

    /// Every list non-empty, finite, of one length; lr ≥ 0.
    fn check(&self) -> Result<()> {
        let lists = [
            ("lr", &self.lr),
            ("momentum", &self.momentum),
            ("lookahead", &self.lookahead),
        ];
        let mut len = None;
        for (name, v) in lists {
            let Some(v) = v else { continue };
            if v.is_empty() {
                return Err(Error::Usage(format!("the {name} schedule is empty")));
            }
            if v.len() > MAX_STEPS {
                return Err(Error::TooMany {
                    what: "schedule length",
                    count: v.len() as u64,
                    limit: MAX_STEPS as u64,
                });
            }
            if let Some(n) = len
                && n != v.len()
            {
                return Err(Error::Usage(format!(
                    "the schedules have different lengths ({n} and {} for {name}): give one value per step in each",
                    v.len()
                )));
            }
            len = Some(v.len());
            for (t, &x) in v.iter().enumerate() {
                if !x.is_finite() {
                    return Err(Error::Schedule {
                        step: t,
                        problem: format!("the {name} {x} is not a finite number"),
                    });
                }
                if name == "lr" && x < 0.0 {
                    return Err(Error::Schedule {
                        step: t,
                        problem: format!("the lr {x} is negative"),
                    });
                }
            }
        }
        Ok(())
    }
}

/// One step of a framework on curvature λ: s' = (A + λB)s on its state s = (x, u).
///
/// # Examples
///
/// ```
/// use momentum::schedule::Step;
/// // gradient descent with lr 0.5 (the second state entry is unused)
/// let s = Step { a: [[1.0, 0.0], [0.0, 1.0]], b: [[-0.5, 0.0], [0.0, 0.0]] };
/// assert_eq!(s.apply(2.0, [1.0, 0.0]), [0.0, 0.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Step {
    /// The λ-free part A.
    pub a: [[f64; 2]; 2],
    /// The part multiplying λ, B.
    pub b: [[f64; 2]; 2],
}

impl Step {
    /// The matrix A + λB.
    pub fn at(&self, lambda: f64) -> Matrix2<f64> {
        let (a, b) = (self.a, self.b);
        Matrix2::new(
            a[0][0] + lambda * b[0][0],
            a[0][1] + lambda * b[0][1],
            a[1][0] + lambda * b[1][0],
            a[1][1] + lambda * b[1][1],
        )
    }

    /// (A + λB)s.
    #[inline]
    pub fn apply(&self, lambda: f64, s: [f64; 2]) -> [f64; 2] {
        let (a, b) = (self.a, self.b);
        [
            (a[0][0] + lambda * b[0][0]) * s[0] + (a[0][1] + lambda * b[0][1]) * s[1],
            (a[1][0] + lambda * b[1][0]) * s[0] + (a[1][1] + lambda * b[1][1]) * s[1],
        ]
    }

    /// A step from the update lines written with the gradient g = (λ + w)(gx·x + gu·u):
    /// x' = xx·x + xu·u + xg·g, u' = ux·x + uu·u + ug·g.
    fn lines(rows: [[f64; 3]; 2], grad: [f64; 2], w: f64) -> Step {
        let [[xx, xu, xg], [ux, uu, ug]] = rows;
        let [gx, gu] = grad;
        Step {
            a: [
                [xx + xg * w * gx, xu + xg * w * gu],
                [ux + ug * w * gx, uu + ug * w * gu],
            ],
            b: [[xg * gx, xg * gu], [ug * gx, ug * gu]],
        }
    }
}

/// A setting run under a schedule for a number of steps: the per-step matrices of the
/// framework's own update lines and its start.
///
/// | framework | state u | one step (g = (λ + w)·x, coupled decay w) |
/// |---|---|---|
/// | canonical (α, β, γ) | x₋ | x' = x + β(x − x₋) − α∇f(x + γ(x − x₋)), from rest (u₀ = x₀) |
/// | PyTorch SGD | `momentum_buffer` | b' = μb + (1 − τ)g (b' = g when created, undampened); x' = x − lr(g + μb') with Nesterov, else x − lr·b' |
/// | optax `sgd` (+`add_decayed_weights`) | `trace` | t' = g + μt; x' = x − lr(g + μt') with Nesterov, else x − lr·t' |
/// | Keras SGD | velocity | x ← x(1 − lr·w) (decoupled); v' = μv − lr·g; x' = x + v', or x + μv' − lr·g with Nesterov |
/// | EWMA | v | v' = βv + (1 − β)g; x' = x − lr·v' |
/// | physics | v | v' = βv − lr·g; x' = x + v' (Nesterov: v' = βv + lr∇f(x − βv); x' = x − v') |
/// | Sutskever | v | v' = μv − lr∇f(x + μv) with Nesterov (else ∇f(x)); x' = x + v' |
/// | QHM | b | b' = βb + (1 − β)g; x' = x − lr((1 − ν)g + νb') |
/// | Adam, AdamW (frozen preconditioner) | m | (AdamW: x ← x(1 − lr·w)); m' = β₁m + (1 − β₁)g; x' = x − lr·m' |
/// | RMSprop (frozen) | b | b' = μb + g; x' = x − lr·b' |
///
/// Buffers start at 0 (PyTorch creates its buffer at the first step with a momentum). The
/// Adam family runs on the preconditioned curvatures, without bias correction (the
/// frozen-preconditioner model of [`Framework::Adam`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    framework: Framework,
    steps: Vec<Step>,
    start: [f64; 2],
    /// The steady steps of one period (PyTorch's buffer created), for periodic schedules.
    period: Option<Vec<Step>>,
}

impl Run {
    /// The run of `setting` under `schedule` for `steps` steps (its lr and momentum replaced
    /// per step by the schedule's where given).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Spectrum, setting::Setting, schedule::{Run, Schedule}};
    /// // optax.sgd with a warmup from lr 0: the first update does not move x
    /// let setting = Setting { lr: Some(1.0), momentum: Some(0.9), ..Setting::named("optax", None)? };
    /// let r = setting.resolve(&Spectrum::interval(0.1, 1.0)?)?;
    /// let run = Run::new(&r, &Schedule::lr(vec![0.0, 0.5, 1.0]), 3)?;
    /// assert_eq!(run.trajectory(1.0)?[1], 1.0);
    /// // the second update uses the buffer g₀ + g₁: x₂ = 1 − 0.5(0.9 + 1)
    /// assert!((run.trajectory(1.0)?[2] - (1.0 - 0.5 * 1.9)).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A schedule list empty, not finite, negative lr ([`Error::Schedule`] naming the step), of
    /// different lengths, or longer than [`MAX_STEPS`]; a momentum the framework rejects at some
    /// step; triple momentum (no schedule); `steps` = 0 or above [`MAX_STEPS`].
    pub fn new(setting: &Resolved, schedule: &Schedule, steps: usize) -> Result<Run> {
        if steps == 0 || steps > MAX_STEPS {
            return Err(Error::OutOfRange {
                name: "steps",
                value: steps as f64,
                expected: "1 ..= 1000000",
            });
        }
        schedule.check()?;
        let Some(params) = setting.params else {
            return Err(Error::Usage(
                "triple momentum is tuned from [mu, L] and has no schedule: use a framework convention or --method".into(),
            ));
        };
        let framework = setting.framework;
        if schedule.lookahead.is_some() && framework != Framework::Canonical {
            return Err(Error::Usage(
                "a lookahead schedule needs the canonical convention".into(),
            ));
        }
        let builder = Builder::new(framework, params, setting)?;
        let mut created = false;
        let mut out = Vec::with_capacity(steps);
        let mut checked: Vec<f64> = vec![];
        for t in 0..steps {
            let (lr, m, g) = builder.values(schedule, t);
            if !checked.contains(&m) {
                builder.check_momentum(m, t)?;
                checked.push(m);
            }
            out.push(builder.step(lr, m, g, &mut created));
        }
        let period = if schedule.periodic {
            let p = schedule.len().unwrap_or(1);
            let mut created = true;
            let mut v = Vec::with_capacity(p);
            for t in 0..p {
                let (lr, m, g) = builder.values(schedule, t);
                if !checked.contains(&m) {
                    builder.check_momentum(m, t)?;
                    checked.push(m);
                }
                v.push(builder.step(lr, m, g, &mut created));
            }
            Some(v)
        } else {
            None
        };
        Ok(Run {
            framework,
            steps: out,
            start: builder.start(),
            period,
        })
    }

    /// A run from explicit steps and start (e.g. [`Step`]s of a method not in the table).
    ///
    /// # Errors
    ///
    /// No steps, more than [`MAX_STEPS`], or a coefficient not finite.
    pub fn from_steps(steps: Vec<Step>, start: [f64; 2]) -> Result<Run> {
        if steps.is_empty() || steps.len() > MAX_STEPS {
            return Err(Error::OutOfRange {
                name: "steps",
                value: steps.len() as f64,
                expected: "1 ..= 1000000",
            });
        }
        for (t, s) in steps.iter().enumerate() {
            if s.a.iter().chain(&s.b).flatten().any(|x| !x.is_finite()) {
                return Err(Error::Schedule {
                    step: t,
                    problem: "a step coefficient is not finite".into(),
                });
            }
        }
        if !start.iter().all(|x| x.is_finite()) {
            return Err(Error::NotFinite {
                name: "start",
                value: start[0] + start[1],
            });
        }
        Ok(Run {
            framework: Framework::Canonical,
            steps,
            start,
            period: None,
        })
    }

    /// The framework the steps were written from.
    pub fn framework(&self) -> Framework {
        self.framework
    }

    /// The horizon N.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Always false: a run has at least one step.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The per-step matrices.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The start s₀ = (1, u₀) per unit of e₀.
    pub fn start(&self) -> [f64; 2] {
        self.start
    }

    /// The periodic part, for a periodic schedule: one period of steady steps.
    ///
    /// # Errors
    ///
    /// The schedule is not periodic ([`Error::Usage`]).
    pub fn periodic(&self) -> Result<Periodic> {
        match &self.period {
            Some(p) => Periodic::new(p.clone()),
            None => Err(Error::Usage(
                "the schedule is not periodic: a per-step rate needs a period".into(),
            )),
        }
    }

    /// e_N/e₀ at curvature λ.
    ///
    /// # Errors
    ///
    /// λ not finite, or e_N beyond f64 ([`Error::Overflow`]; [`Run::log10_factor`] is finite).
    pub fn factor(&self, lambda: f64) -> Result<f64> {
        crate::error::finite("lambda", lambda)?;
        let x = self.eval(lambda, self.steps.len());
        if x.is_finite() {
            Ok(x)
        } else {
            Err(Error::Overflow {
                what: "e_N",
                k: self.steps.len() as u64,
            })
        }
    }

    /// log₁₀|e_N/e₀| at λ, finite where e_N overflows f64 (the state is rescaled as it grows).
    ///
    /// # Errors
    ///
    /// λ not finite.
    pub fn log10_factor(&self, lambda: f64) -> Result<f64> {
        crate::error::finite("lambda", lambda)?;
        Ok(
            horizon::log2_at(&self.steps, self.start, lambda, self.steps.len())
                * std::f64::consts::LOG10_2,
        )
    }

    /// e_t/e₀ for t = 0 ..= N at curvature λ.
    ///
    /// # Errors
    ///
    /// λ not finite, or a value beyond f64.
    pub fn trajectory(&self, lambda: f64) -> Result<Vec<f64>> {
        crate::error::finite("lambda", lambda)?;
        let mut s = self.start;
        let mut out = Vec::with_capacity(self.steps.len() + 1);
        out.push(s[0]);
        for (t, st) in self.steps.iter().enumerate() {
            s = st.apply(lambda, s);
            if !s[0].is_finite() {
                return Err(Error::Overflow {
                    what: "e_t",
                    k: t as u64 + 1,
                });
            }
            out.push(s[0]);
        }
        Ok(out)
    }

    /// x_n at λ (no checks).
    fn eval(&self, lambda: f64, n: usize) -> f64 {
        let mut s = self.start;
        for st in &self.steps[..n] {
            s = st.apply(lambda, s);
        }
        s[0]
    }
}

/// Writes each step of one framework from its update lines.
struct Builder {
    framework: Framework,
    params: FrameworkParams,
    /// Coupled decay (added to the curvature) and decoupled decay (shrinks x by lr·w).
    coupled: f64,
    decoupled: f64,
    /// Canonical lookahead rule: γ_t = β_t (Nesterov) or a fixed γ.
    nesterov_lookahead: bool,
    lookahead: f64,
    /// A positive lr to validate momenta with (the framework's own checks).
    check_lr: f64,
}

impl Builder {
    fn new(framework: Framework, params: FrameworkParams, r: &Resolved) -> Result<Builder> {
        use crate::convention::WeightDecay;
        let (coupled, decoupled) = match r.converted.weight_decay {
            WeightDecay::None => (0.0, 0.0),
            WeightDecay::Coupled(w) => (w, 0.0),
            WeightDecay::Decoupled(w) => (0.0, w),
        };
        let m = &r.converted.method;
        let nesterov_lookahead = framework == Framework::Canonical
            && m.lookahead() == m.momentum()
            && m.momentum() != 0.0;
        Ok(Builder {
            framework,
            check_lr: if params.lr > 0.0 { params.lr } else { 1.0 },
            params,
            coupled,
            decoupled,
            nesterov_lookahead,
            lookahead: m.lookahead(),
        })
    }

    /// (lr, momentum, lookahead) at step t.
    fn values(&self, s: &Schedule, t: usize) -> (f64, f64, f64) {
        let lr = s.lr_at(t).unwrap_or(self.params.lr);
        let default_m = match self.framework {
            Framework::Adam | Framework::AdamW => 0.9,
            _ => 0.0,
        };
        let m = s
            .momentum_at(t)
            .or(self.params.momentum)
            .unwrap_or(default_m);
        let g = match s.lookahead_at(t) {
            Some(g) => g,
            None if self.nesterov_lookahead => m,
            None => self.lookahead,
        };
        (lr, m, g)
    }

    /// The framework's own verdict on momentum m (at a positive lr).
    fn check_momentum(&self, m: f64, t: usize) -> Result<()> {
        let p = FrameworkParams {
            lr: self.check_lr,
            momentum: Some(m),
            lookahead: if self.framework == Framework::Canonical && !self.nesterov_lookahead {
                Some(self.lookahead)
            } else {
                self.params.lookahead
            },
            nesterov: self.params.nesterov && self.framework != Framework::Canonical,
            ..self.params
        };
        self.framework
            .convert(&p)
            .map(|_| ())
            .map_err(|e| Error::Schedule {
                step: t,
                problem: e.to_string(),
            })
    }

    fn start(&self) -> [f64; 2] {
        match self.framework {
            Framework::Canonical => [1.0, 1.0],
            _ => [1.0, 0.0],
        }
    }

    /// One step at (lr, momentum m, lookahead g); `created`: PyTorch's buffer exists.
    fn step(&self, lr: f64, m: f64, g: f64, created: &mut bool) -> Step {
        let w = self.coupled;
        let at_x = [1.0, 0.0];
        let nest = self.params.nesterov;
        match self.framework {
            Framework::Canonical => {
                Step::lines([[1.0 + m, -m, -lr], [1.0, 0.0, 0.0]], [1.0 + g, -g], 0.0)
            }
            Framework::PyTorch => {
                if m == 0.0 {
                    // no buffer update at a zero momentum (torch.optim.SGD skips it)
                    return Step::lines([[1.0, 0.0, -lr], [0.0, 1.0, 0.0]], at_x, w);
                }
                let (keep, c) = if *created {
                    (m, 1.0 - self.params.dampening.unwrap_or(0.0))
                } else {
                    (0.0, 1.0)
                };
                *created = true;
                sgd_lines(lr, m, keep, c, nest, w)
            }
            Framework::Optax => sgd_lines(lr, m, m, 1.0, nest, w),
            Framework::Keras => {
                let d = 1.0 - lr * self.decoupled;
                if nest {
                    Step::lines([[d, m * m, -lr * (1.0 + m)], [0.0, m, -lr]], at_x, 0.0)
                } else {
                    Step::lines([[d, m, -lr], [0.0, m, -lr]], at_x, 0.0)
                }
            }
            Framework::Ewma => Step::lines(
                [[1.0, -lr * m, -lr * (1.0 - m)], [0.0, m, 1.0 - m]],
                at_x,
                0.0,
            ),
            Framework::Physics if nest => {
                Step::lines([[1.0, -m, -lr], [0.0, m, lr]], [1.0, -m], 0.0)
            }
            Framework::Sutskever if nest => {
                Step::lines([[1.0, m, -lr], [0.0, m, -lr]], [1.0, m], 0.0)
            }
            Framework::Physics | Framework::Sutskever => {
                Step::lines([[1.0, m, -lr], [0.0, m, -lr]], at_x, 0.0)
            }
            Framework::Qhm => {
                let nu = self.params.nu.unwrap_or(0.0);
                Step::lines(
                    [
                        [1.0, -lr * nu * m, -lr * ((1.0 - nu) + nu * (1.0 - m))],
                        [0.0, m, 1.0 - m],
                    ],
                    at_x,
                    0.0,
                )
            }
            Framework::Adam | Framework::AdamW => {
                let d = 1.0 - lr * self.decoupled;
                Step::lines(
                    [[d, -lr * m, -lr * (1.0 - m)], [0.0, m, 1.0 - m]],
                    at_x,
                    0.0,
                )
            }
            Framework::RmsProp => Step::lines([[1.0, -lr * m, -lr], [0.0, m, 1.0]], at_x, 0.0),
            // a schedule resolves its framework through `convert`, which refuses these
            Framework::Ademamix
            | Framework::Lookahead
            | Framework::ScheduleFree
            | Framework::Aggmo
            | Framework::Sam => Step::lines([[1.0, 0.0, -lr], [0.0, 1.0, 0.0]], at_x, 0.0),
        }
    }
}

/// PyTorch/optax SGD: b' = keep·b + c·g, x' = x − lr(g + m·b') with Nesterov, else x − lr·b'.
fn sgd_lines(lr: f64, m: f64, keep: f64, c: f64, nesterov: bool, w: f64) -> Step {
    let x_row = if nesterov {
        [1.0, -lr * m * keep, -lr * (1.0 + m * c)]
    } else {
        [1.0, -lr * keep, -lr * c]
    };
    Step::lines([x_row, [0.0, keep, c]], [1.0, 0.0], w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Spectrum;
    use crate::bounds::{finite_horizon_from, framework_first_step};
    use crate::setting::Setting;

    /// A constant schedule is the constant setting: e_N from the native products equals the
    /// closed form (Lucas sequences) from the framework's own first step.
    #[test]
    fn constant_schedule_equals_the_closed_form_for_every_framework() {
        let cases: &[(&str, &str)] = &[
            ("canonical", "hb"),
            ("canonical", "nag"),
            ("pytorch", ""),
            ("pytorch+nesterov", ""),
            ("pytorch+dampening", ""),
            ("pytorch+wd", ""),
            ("optax", ""),
            ("optax+nesterov", ""),
            ("keras", ""),
            ("keras+nesterov+wd", ""),
            ("ewma", ""),
            ("physics", ""),
            ("physics+nesterov", ""),
            ("sutskever", ""),
            ("sutskever+nesterov", ""),
            ("qhm", ""),
            ("adam", ""),
            ("adamw+wd", ""),
            ("rmsprop", ""),
        ];
        let spectrum = Spectrum::interval(0.05, 1.0).unwrap();
        for (name, method) in cases {
            let mut parts = name.split('+');
            let fw = parts.next().unwrap();
            let mut s = Setting::named(fw, (!method.is_empty()).then_some(*method)).unwrap();
            s.lr = Some(0.7);
            s.momentum = Some(0.6);
            for p in parts {
                match p {
                    "nesterov" => s.nesterov = true,
                    "dampening" => s.dampening = Some(0.3),
                    "wd" => s.weight_decay = Some(0.05),
                    _ => unreachable!(),
                }
            }
            if fw == "qhm" {
                s.nu = Some(0.7);
            }
            let r = s.resolve(&spectrum).unwrap();
            let first = framework_first_step(r.framework, r.params.as_ref().unwrap()).unwrap();
            for n in [1usize, 2, 7, 40] {
                let run = Run::new(&r, &Schedule::default(), n).unwrap();
                for lam in [0.05, 0.3, 0.77, 1.0] {
                    let want = finite_horizon_from(
                        &r.converted.recurrence,
                        first,
                        &Spectrum::eigenvalues(vec![lam]).unwrap(),
                        n as u64,
                    )
                    .unwrap()
                    .worst_factor;
                    let got = run.factor(lam).unwrap().abs();
                    assert!(
                        (got - want).abs() <= 1e-12 * want.max(1e-3),
                        "{name} N={n} λ={lam}: {got} vs {want}"
                    );
                }
            }
        }
    }
}
