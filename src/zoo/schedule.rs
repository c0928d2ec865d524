//! The order-n optimizers under per-step hyperparameters: warmup, cosine, any list of lr (and
//! momentum, AdEMAMix's β₃ and α) values, run by each optimizer's literal update in its raw
//! buffers.
//!
//! A schedule changes the method every step, so there is no single pencil: each curvature is
//! run exactly, step by step, from the framework's own start. The buffers are kept unscaled
//! (optax's m, not lr·m): with a varying lr the two differ, and optax keeps m. Step t = 1, 2, …
//! reads index t − 1 of every list, as optax's schedules read their count; past a list's end its
//! last value is held. Two optax details are followed literally (docs/REFERENCE.md §11):
//! - AdEMAMix's `b3_scheduler` and `alpha_scheduler` read the same count as the lr;
//! - schedule-free's averaging weight cₜ = Mₜ²/Σ_{s≤t} M_s², Mₜ = max_{s≤t} lr(s), reads the lr
//!   one step ahead (its `step_count` starts at 1) while its inner SGD step reads lr(t − 1); at a
//!   constant lr cₜ = 1/t.

use super::{Optimizer, ZooMethod};
use crate::Framework;
use crate::error::{Error, Result, finite};
use crate::schedule::{MAX_STEPS, Schedule};

/// Per-step hyperparameters of an order-n optimizer: the lr and momentum lists of a
/// [`Schedule`] and AdEMAMix's β₃ and α lists (optax's `b3_scheduler` and `alpha_scheduler`).
/// A list left out holds the method's constant value.
///
/// # Examples
///
/// ```
/// use momentum::schedule::Schedule;
/// use momentum::zoo::schedule::ZooSchedule;
/// let s = ZooSchedule { schedule: Schedule::lr(vec![0.0, 0.5, 1.0]), ..Default::default() };
/// assert_eq!(s.len(), Some(3));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZooSchedule {
    /// The lr and momentum lists (`lookahead` and `periodic` are the two-step methods' own).
    pub schedule: Schedule,
    /// AdEMAMix's β₃ per step.
    pub b3: Option<Vec<f64>>,
    /// AdEMAMix's α per step.
    pub alpha: Option<Vec<f64>>,
}

fn at(v: &Option<Vec<f64>>, i: usize) -> Option<f64> {
    let v = v.as_ref()?;
    Some(v[i.min(v.len() - 1)])
}

/// The smallest and largest value of a list.
fn range(v: &[f64]) -> [f64; 2] {
    v.iter()
        .fold([f64::INFINITY, f64::NEG_INFINITY], |[lo, hi], &x| {
            [lo.min(x), hi.max(x)]
        })
}

/// What a scheduled run used, echoed: the range of every list given.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooScheduleSummary {
    /// Values per list.
    pub length: usize,
    /// Smallest and largest lr (the constant lr when no lr list).
    pub lr: [f64; 2],
    /// Smallest and largest momentum, when scheduled.
    pub momentum: Option<[f64; 2]>,
    /// Smallest and largest β₃, when scheduled.
    pub b3: Option<[f64; 2]>,
    /// Smallest and largest α, when scheduled.
    pub alpha: Option<[f64; 2]>,
    /// The run is longer than the lists and holds their last value.
    pub held_after: bool,
}

impl ZooSchedule {
    /// The length of the given lists (`None` when none is given).
    pub fn len(&self) -> Option<usize> {
        [
            &self.schedule.lr,
            &self.schedule.momentum,
            &self.b3,
            &self.alpha,
        ]
        .into_iter()
        .flatten()
        .map(Vec::len)
        .max()
    }

    /// Whether no list is given.
    pub fn is_empty(&self) -> bool {
        self.len().is_none()
    }

    /// The range of every list and whether a run of `steps` holds their last values.
    pub fn summary(&self, lr: f64, steps: u64) -> ZooScheduleSummary {
        let length = self.len().unwrap_or(0);
        ZooScheduleSummary {
            length,
            lr: self.schedule.lr.as_deref().map_or([lr, lr], range),
            momentum: self.schedule.momentum.as_deref().map(range),
            b3: self.b3.as_deref().map(range),
            alpha: self.alpha.as_deref().map(range),
            held_after: steps > length as u64,
        }
    }

    /// Every list non-empty, of one length, at most [`MAX_STEPS`], finite and in its range (lr
    /// and α ≥ 0, momentum and β₃ in [0, 1)), and one the optimizer has.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] for a list the optimizer does not schedule (AdEMAMix's and
    /// schedule-free's β₁/b₁, AggMo's momenta, β₃ and α outside AdEMAMix, Lookahead γ lists,
    /// a periodic schedule); [`Error::Schedule`] naming the step of a bad value.
    pub fn check(&self, framework: Framework) -> Result<()> {
        let s = &self.schedule;
        let refuse = |what: &str| Err(Error::Usage(what.to_string()));
        if s.periodic {
            return refuse(&format!(
                "a periodic schedule of --convention {framework} is not analysed: bound and simulate run the schedule's steps exactly"
            ));
        }
        if s.lookahead.is_some() {
            return refuse("a lookahead (γ) schedule is the canonical convention's");
        }
        if s.momentum.is_some() {
            match framework {
                Framework::Ademamix => {
                    return refuse(
                        "optax's ademamix takes a constant b1 (--momentum); its schedules are the lr, --b3-schedule and --alpha-schedule",
                    );
                }
                Framework::ScheduleFree => {
                    return refuse(
                        "schedule_free's b1 is constant: optax recovers x from y = (1 − b1)z + b1·x with it every step",
                    );
                }
                Framework::Aggmo => {
                    return refuse(
                        "AggMo has one momentum per velocity (--momenta): schedule its lr",
                    );
                }
                _ => {}
            }
        }
        if (self.b3.is_some() || self.alpha.is_some()) && framework != Framework::Ademamix {
            return refuse(&format!(
                "--b3-schedule and --alpha-schedule are AdEMAMix's (optax.contrib.ademamix's b3_scheduler and alpha_scheduler), not --convention {framework}'s"
            ));
        }
        let lists: [(&str, &Option<Vec<f64>>, bool); 4] = [
            ("lr", &s.lr, false),
            ("momentum", &s.momentum, true),
            ("b3", &self.b3, true),
            ("alpha", &self.alpha, false),
        ];
        let mut len = None;
        for (name, v, unit) in lists {
            let Some(v) = v else { continue };
            if v.is_empty() {
                return refuse(&format!("the {name} schedule is empty"));
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
                return refuse(&format!(
                    "the schedules have different lengths ({n} and {} for {name}): give one value per step in each",
                    v.len()
                ));
            }
            len = Some(v.len());
            for (t, &x) in v.iter().enumerate() {
                let problem = if !x.is_finite() {
                    Some("is not a finite number")
                } else if x < 0.0 {
                    Some("is negative")
                } else if unit && x >= 1.0 {
                    Some("is not below 1")
                } else {
                    None
                };
                if let Some(p) = problem {
                    return Err(Error::Schedule {
                        step: t,
                        problem: format!("the {name} {x} {p}"),
                    });
                }
            }
        }
        Ok(())
    }
}

impl ZooMethod {
    /// |x_t| for t = 0 … steps from x₀ = 1 at curvature λ under per-step hyperparameters, by
    /// the optimizer's literal update in its unscaled buffers (module docs): the constant
    /// values of `self` where a list is left out.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Framework;
    /// use momentum::schedule::Schedule;
    /// use momentum::zoo::{ZooMethod, ZooParams, schedule::ZooSchedule};
    /// let m = ZooMethod::new(Framework::Aggmo, &ZooParams { lr: 0.5, momenta: Some(vec![0.0]), ..Default::default() })?;
    /// // one zero momentum: gradient descent, x ← (1 − lr·λ)x at lr 0.5 then 1.5
    /// let s = ZooSchedule { schedule: Schedule::lr(vec![0.5, 1.5]), ..Default::default() };
    /// let x = m.scheduled_trajectory(1.0, &s, 2)?;
    /// assert_eq!(x, vec![1.0, 0.5, 0.25]);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// What [`ZooSchedule::check`] refuses; λ not finite; more than 10⁷ steps.
    pub fn scheduled_trajectory(
        &self,
        lambda: f64,
        sched: &ZooSchedule,
        steps: u64,
    ) -> Result<Vec<f64>> {
        finite("lambda", lambda)?;
        sched.check(self.framework)?;
        if steps > 10_000_000 {
            return Err(Error::TooMany {
                what: "steps",
                count: steps,
                limit: 10_000_000,
            });
        }
        let s = self.seen(lambda);
        let lr = |i: usize| sched.schedule.lr_at(i).unwrap_or(self.lr);
        let mom = |i: usize, m: f64| sched.schedule.momentum_at(i).unwrap_or(m);
        let mut out = Vec::with_capacity(steps as usize + 1);
        out.push(1.0);
        match &self.optimizer {
            Optimizer::Ademamix {
                beta1,
                beta3,
                alpha,
            } => {
                let (mut x, mut m1, mut m2) = (1.0f64, 0.0f64, 0.0f64);
                let mut power = 1.0f64; // β₁ᵗ
                for t in 1..=steps {
                    let i = (t - 1) as usize;
                    let (b3, a) = (
                        at(&sched.b3, i).unwrap_or(*beta3),
                        at(&sched.alpha, i).unwrap_or(*alpha),
                    );
                    let g = s * x;
                    power *= beta1;
                    m1 = beta1 * m1 + (1.0 - beta1) * g;
                    m2 = b3 * m2 + (1.0 - b3) * g;
                    x -= lr(i) * (m1 / (1.0 - power) + a * m2);
                    out.push(x.abs());
                }
            }
            Optimizer::Aggmo { momenta } => {
                let k = momenta.len() as f64;
                let (mut x, mut v) = (1.0f64, vec![0.0f64; momenta.len()]);
                for t in 1..=steps {
                    let g = s * x;
                    let mut sum = 0.0;
                    for (vi, b) in v.iter_mut().zip(momenta) {
                        *vi = b * *vi - g;
                        sum += *vi;
                    }
                    x += lr((t - 1) as usize) / k * sum;
                    out.push(x.abs());
                }
            }
            Optimizer::Sam {
                momentum, nesterov, ..
            } => {
                let (mut x, mut m) = (1.0f64, 0.0f64);
                for t in 1..=steps {
                    let i = (t - 1) as usize;
                    (x, m) = sgd(x, m, s * x, lr(i), mom(i, *momentum), *nesterov);
                    out.push(x.abs());
                }
            }
            Optimizer::Lookahead {
                sync_period,
                slow_step,
                momentum,
                nesterov,
            } => {
                let (mut x, mut m, mut phi) = (1.0f64, 0.0f64, 1.0f64);
                for t in 1..=steps {
                    let i = (t - 1) as usize;
                    (x, m) = sgd(x, m, s * x, lr(i), mom(i, *momentum), *nesterov);
                    if t % *sync_period as u64 == 0 {
                        phi += slow_step * (x - phi);
                        x = phi;
                    }
                    out.push(x.abs());
                }
            }
            Optimizer::ScheduleFree { beta } => {
                let (mut z, mut x) = (1.0f64, 1.0f64);
                let (mut max_lr, mut total) = (0.0f64, 0.0f64);
                for t in 1..=steps {
                    let y = (1.0 - beta) * z + beta * x;
                    z -= lr((t - 1) as usize) * s * y;
                    max_lr = max_lr.max(lr(t as usize));
                    let w = max_lr * max_lr;
                    total += w;
                    let c = if total > 0.0 { w / total } else { 0.0 };
                    x = (1.0 - c) * x + c * z;
                    out.push(x.abs());
                }
            }
        }
        Ok(out)
    }
}

/// One `optax.sgd` step on the gradient g in its unscaled trace m: m ← βm + g, x ← x − lr·m
/// (Nesterov: x ← x − lr(g + βm)).
fn sgd(x: f64, m: f64, g: f64, lr: f64, beta: f64, nesterov: bool) -> (f64, f64) {
    let m = beta * m + g;
    let step = if nesterov { g + beta * m } else { m };
    (x - lr * step, m)
}
