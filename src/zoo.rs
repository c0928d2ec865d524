//! Optimizers beyond two steps, each from its literal update rule, on the order-n core
//! ([`crate::linear`]).
//!
//! On a quadratic, along an eigenvector of curvature λ (for AdEMAMix the preconditioned
//! curvature s = λ/P of a frozen second moment, as for Adam), every optimizer below is linear in
//! its state. Writing h = lr·λ̃ with λ̃ the curvature the optimizer *sees* (λ, or λ(1 + ρλ) under
//! SAM) and scaling every buffer by lr, the updates are (g = λ̃x):
//!
//! | convention | update (buffers zero at the start) | characteristic pencil a(z) + h·b(z) |
//! |---|---|---|
//! | `ademamix` | m₁ ← β₁m₁ + (1−β₁)g, m₂ ← β₃m₂ + (1−β₃)g, x ← x − lr(m̂₁ + α m₂)/P, m̂₁ = m₁/(1−β₁ᵗ) | (z−1)(z−β₁)(z−β₃) + h z[(1−β₁)(z−β₃) + α(1−β₃)(z−β₁)] |
//! | `aggmo` | vᵢ ← βᵢvᵢ − g (i = 1…K), x ← x + (lr/K) Σ vᵢ | (z−1)Πᵢ(z−βᵢ) + (h/K) z Σᵢ Π_{j≠i}(z−βⱼ) |
//! | `sam` | g̃ = ∇f(x + ρ∇f(x)) = λ(1+ρλ)x, then `optax.sgd`: v ← βv + g̃, x ← x − lr·v (Nesterov: x ← x − lr(g̃ + βv)) | (z−1)(z−β) + h z  (Nesterov: + h((1+β)z − β)) |
//! | `schedule_free` | y = (1−β)z + βx, z ← z − lr∇f(y), x ← (1−cₜ)x + cₜz, cₜ = 1/t at step t = 1, 2, … | asymptotically (cₜ → 0): the fast mode z − 1 + h(1−β) |
//! | `lookahead` | k steps of `optax.sgd` (buffer kept), then φ ← φ + a(x − φ), x ← φ | periodic: monodromy of the k steps and the sync |
//!
//! The edges these give (h at which a root reaches the unit circle) are exact and often
//! surprising: AdEMAMix with β₁ = 0.9, β₃ = 0.9999, α = 5 is stable for h <
//! 2(1+β₁)(1+β₃)/((1−β₁)(1+β₃) + α(1−β₃)(1+β₁)) = 37.820 (Adam: 38) but only 25.721 with β₃ =
//! 0.99; Lookahead over SGD with k = 5, a = 0.5 for h < 1 + (3)^{1/5} = 2.2457 (SGD: 2); schedule-free
//! SGD with β = 0.9 for h < 2/(1−β) = 20, with a transient [`ZooMethod::transient`]: the average x
//! peaks at 126 × its start at h = 10 and 7.9e9 at h = 19 (z: 1.1e3 and 1.3e12). Sources: Pagliardini, Ablin & Grangier (2024) for AdEMAMix; Zhang, Lucas,
//! Hinton & Ba (2019) for Lookahead; Defazio et al. (2024) for schedule-free SGD; Lucas, Sun,
//! Zemel & Grosse (2019) for AggMo; Foret et al. (2021) and Andriushchenko & Flammarion (2022)
//! for (unnormalised) SAM; `docs/REFERENCE.md` §11.

use crate::convention::{Framework, FrameworkParams, reject};
use crate::error::{Error, Result, finite, positive};
use crate::linear::{LinearMode, LinearWorstCase, Pencil, Periodic};
use crate::spectrum::Spectrum;
use crate::stability::StepInterval;
use nalgebra::{DMatrix, DVector};

pub mod schedule;

/// Largest number of AggMo velocities: 16.
pub const MAX_VELOCITIES: usize = 16;

/// Largest Lookahead synchronisation period: 1000 inner steps.
pub const MAX_SYNC_PERIOD: u32 = 1000;

/// The hyperparameters of an optimizer of this module as a user writes them (the CLI's flags).
/// `None` takes the optimizer's default where it has one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZooParams {
    /// Learning rate.
    pub lr: f64,
    /// β₁ (AdEMAMix, default 0.9), b₁ (schedule-free, default 0.9), the inner or base `optax.sgd`
    /// momentum (Lookahead, SAM; default none).
    pub momentum: Option<f64>,
    /// Nesterov switch of the inner/base `optax.sgd` (Lookahead, SAM).
    pub nesterov: bool,
    /// AdEMAMix's β₃ (default 0.9999).
    pub b3: Option<f64>,
    /// AdEMAMix's α (default 5).
    pub alpha: Option<f64>,
    /// Lookahead's k (default 5).
    pub sync_period: Option<u32>,
    /// Lookahead's slow step a (default 0.5).
    pub slow_step: Option<f64>,
    /// AggMo's momenta (default 0, 0.9, 0.99).
    pub momenta: Option<Vec<f64>>,
    /// SAM's ρ (required).
    pub rho: Option<f64>,
}

/// One optimizer with its hyperparameters resolved.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "optimizer", rename_all = "snake_case"))]
pub enum Optimizer {
    /// AdEMAMix.
    Ademamix {
        /// β₁.
        beta1: f64,
        /// β₃.
        beta3: f64,
        /// α.
        alpha: f64,
    },
    /// Lookahead over `optax.sgd`.
    Lookahead {
        /// k.
        sync_period: u32,
        /// a.
        slow_step: f64,
        /// The inner momentum.
        momentum: f64,
        /// The inner Nesterov switch.
        nesterov: bool,
    },
    /// Schedule-free SGD.
    ScheduleFree {
        /// b₁.
        beta: f64,
    },
    /// AggMo.
    Aggmo {
        /// β₁ … β_K.
        momenta: Vec<f64>,
    },
    /// Unnormalised SAM over `optax.sgd`.
    Sam {
        /// ρ.
        rho: f64,
        /// The base momentum.
        momentum: f64,
        /// The base Nesterov switch.
        nesterov: bool,
    },
}

/// The linear system of an optimizer per normalised step h.
#[derive(Clone, Debug, PartialEq)]
pub enum Core {
    /// Stationary: a characteristic pencil.
    Pencil(Pencil),
    /// Periodic: step matrices.
    Periodic(Periodic),
}

/// An optimizer of this module at a learning rate: its core, the curvature it sees and its exact
/// (time-varying) update.
#[derive(Clone, Debug, PartialEq)]
pub struct ZooMethod {
    framework: Framework,
    optimizer: Optimizer,
    lr: f64,
    core: Core,
}

fn poly_mul(p: &[f64], q: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; p.len() + q.len() - 1];
    for (i, a) in p.iter().enumerate() {
        for (j, b) in q.iter().enumerate() {
            out[i + j] += a * b;
        }
    }
    out
}

fn in_unit(name: &'static str, x: f64) -> Result<f64> {
    finite(name, x)?;
    if !(0.0..1.0).contains(&x) {
        return Err(Error::OutOfRange {
            name,
            value: x,
            expected: "must be in [0, 1)",
        });
    }
    Ok(x)
}

fn refuse(framework: Framework, what: &str) -> Error {
    Error::Usage(format!("{what} does not apply to --convention {framework}"))
}

/// optax.sgd's one step in (x, u = lr·v): u ← βu + hx; x ← x − u (Nesterov: x ← x − (hx + βu⁺)).
fn sgd_step(beta: f64, nesterov: bool) -> (DMatrix<f64>, DMatrix<f64>) {
    if nesterov {
        (
            DMatrix::from_row_slice(2, 2, &[1.0, -beta * beta, 0.0, beta]),
            DMatrix::from_row_slice(2, 2, &[-(1.0 + beta), 0.0, 1.0, 0.0]),
        )
    } else {
        (
            DMatrix::from_row_slice(2, 2, &[1.0, -beta, 0.0, beta]),
            DMatrix::from_row_slice(2, 2, &[-1.0, 0.0, 1.0, 0.0]),
        )
    }
}

fn sgd_pencil(beta: f64, nesterov: bool) -> Result<Pencil> {
    let a = vec![1.0, -(1.0 + beta), beta];
    let b = if nesterov {
        vec![1.0 + beta, -beta]
    } else {
        vec![1.0, 0.0]
    };
    Pencil::new(a, b)
}

impl ZooMethod {
    /// The optimizer of a convention ([`Framework::is_linear`]) from its hyperparameters.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Framework;
    /// use momentum::zoo::{ZooMethod, ZooParams};
    /// let m = ZooMethod::new(Framework::Ademamix, &ZooParams { lr: 1.0, ..Default::default() })?;
    /// let edge = m.stable_steps()?[0].1; // β₁ = 0.9, β₃ = 0.9999, α = 5
    /// assert!((edge - 37.82034).abs() < 1e-5);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A two-step convention ([`Error::Usage`]); lr not finite and positive; a momentum outside
    /// [0, 1); α < 0; k = 0 or above [`MAX_SYNC_PERIOD`]; a slow step outside (0, 1]; no or
    /// more than [`MAX_VELOCITIES`] AggMo momenta; SAM without ρ or ρ < 0; a hyperparameter the
    /// optimizer does not have.
    pub fn new(framework: Framework, p: &ZooParams) -> Result<Self> {
        positive("lr", p.lr)?;
        let f = framework;
        let only = |ok: bool, what: &str| if ok { Ok(()) } else { Err(refuse(f, what)) };
        only(
            p.b3.is_none() && p.alpha.is_none() || f == Framework::Ademamix,
            "--b3/--alpha (AdEMAMix)",
        )?;
        only(
            p.sync_period.is_none() && p.slow_step.is_none() || f == Framework::Lookahead,
            "--sync-period/--slow-step (Lookahead)",
        )?;
        only(
            p.momenta.is_none() || f == Framework::Aggmo,
            "--momenta (AggMo)",
        )?;
        only(p.rho.is_none() || f == Framework::Sam, "--rho (SAM)")?;
        only(
            !p.nesterov || matches!(f, Framework::Lookahead | Framework::Sam),
            "--nesterov",
        )?;
        only(
            p.momentum.is_none() || f != Framework::Aggmo,
            "--momentum (AggMo takes --momenta)",
        )?;
        let (optimizer, core) = match f {
            Framework::Ademamix => {
                let b1 = in_unit("momentum (beta1)", p.momentum.unwrap_or(0.9))?;
                let b3 = in_unit("b3", p.b3.unwrap_or(0.9999))?;
                let alpha = finite("alpha", p.alpha.unwrap_or(5.0))?;
                if alpha < 0.0 {
                    return Err(Error::OutOfRange {
                        name: "alpha",
                        value: alpha,
                        expected: "must be >= 0",
                    });
                }
                let (c1, c2) = (1.0 - b1, alpha * (1.0 - b3));
                // α = 0 or β₃ = β₁: the factor (z − β₃) is common to a and b, a mode x never
                // shows (m₂ unused, or one EMA twice); the iterate's pencil is then order 2
                let (a, b) = if c2 == 0.0 || b1 == b3 {
                    (poly_mul(&[1.0, -1.0], &[1.0, -b1]), vec![c1 + c2, 0.0])
                } else {
                    (
                        poly_mul(&poly_mul(&[1.0, -1.0], &[1.0, -b1]), &[1.0, -b3]),
                        vec![c1 + c2, -(c1 * b3 + c2 * b1), 0.0],
                    )
                };
                (
                    Optimizer::Ademamix {
                        beta1: b1,
                        beta3: b3,
                        alpha,
                    },
                    Core::Pencil(Pencil::new(a, b)?),
                )
            }
            Framework::Aggmo => {
                let m = p.momenta.clone().unwrap_or_else(|| vec![0.0, 0.9, 0.99]);
                if m.is_empty() {
                    return Err(Error::Usage(
                        "AggMo needs at least one momentum (--momenta B1,B2,…)".into(),
                    ));
                }
                if m.len() > MAX_VELOCITIES {
                    return Err(Error::TooMany {
                        what: "AggMo momenta",
                        count: m.len() as u64,
                        limit: MAX_VELOCITIES as u64,
                    });
                }
                for &b in &m {
                    in_unit("AggMo momentum", b)?;
                }
                let k = m.len() as f64;
                // equal momenta give equal velocities from a zero start: one velocity of
                // weight (count)/K each, so that no mode x never shows enters the pencil
                let mut groups: Vec<(f64, f64)> = vec![];
                for &bi in &m {
                    match groups.iter_mut().find(|g| g.0 == bi) {
                        Some(g) => g.1 += 1.0,
                        None => groups.push((bi, 1.0)),
                    }
                }
                let mut a = vec![1.0, -1.0];
                let mut b = vec![0.0; groups.len()];
                for (i, &(bi, count)) in groups.iter().enumerate() {
                    a = poly_mul(&a, &[1.0, -bi]);
                    let mut t = vec![count / k];
                    for (j, &(bj, _)) in groups.iter().enumerate() {
                        if j != i {
                            t = poly_mul(&t, &[1.0, -bj]);
                        }
                    }
                    for (s, x) in b.iter_mut().zip(&t) {
                        *s += x;
                    }
                }
                b.push(0.0); // the factor z
                (
                    Optimizer::Aggmo { momenta: m },
                    Core::Pencil(Pencil::new(a, b)?),
                )
            }
            Framework::Sam => {
                let rho = p.rho.ok_or_else(|| {
                    Error::Usage("--convention sam needs --rho (the ascent step)".into())
                })?;
                finite("rho", rho)?;
                if rho < 0.0 {
                    return Err(Error::OutOfRange {
                        name: "rho",
                        value: rho,
                        expected: "must be >= 0",
                    });
                }
                let beta = in_unit("momentum", p.momentum.unwrap_or(0.0))?;
                (
                    Optimizer::Sam {
                        rho,
                        momentum: beta,
                        nesterov: p.nesterov,
                    },
                    Core::Pencil(sgd_pencil(beta, p.nesterov)?),
                )
            }
            Framework::ScheduleFree => {
                let beta = in_unit("momentum (b1)", p.momentum.unwrap_or(0.9))?;
                (
                    Optimizer::ScheduleFree { beta },
                    Core::Pencil(Pencil::new(vec![1.0, -1.0], vec![1.0 - beta])?),
                )
            }
            Framework::Lookahead => {
                let k = p.sync_period.unwrap_or(5);
                if k == 0 || k > MAX_SYNC_PERIOD {
                    return Err(Error::OutOfRange {
                        name: "sync period",
                        value: k as f64,
                        expected: "must be in 1..=1000",
                    });
                }
                let a = finite("slow step", p.slow_step.unwrap_or(0.5))?;
                if !(a > 0.0 && a <= 1.0) {
                    return Err(Error::OutOfRange {
                        name: "slow step",
                        value: a,
                        expected: "must be in (0, 1]",
                    });
                }
                let beta = in_unit("momentum", p.momentum.unwrap_or(0.0))?;
                let steps = lookahead_steps(k, a, beta, p.nesterov);
                // the largest h of interest: far beyond the inner edge 2(1+β)/(1+2β·nesterov)
                let h_max = 64.0 * 2.0 * (1.0 + beta);
                (
                    Optimizer::Lookahead {
                        sync_period: k,
                        slow_step: a,
                        momentum: beta,
                        nesterov: p.nesterov,
                    },
                    // an island of stability can end at the inner optimizer's own edge
                    Core::Periodic(Periodic::new(steps, h_max)?.with_landmarks(vec![
                        if p.nesterov {
                            2.0 * (1.0 + beta) / (1.0 + 2.0 * beta)
                        } else {
                            2.0 * (1.0 + beta)
                        },
                    ])?),
                )
            }
            other => {
                return Err(Error::Usage(format!(
                    "--convention {other} is a two-step method, not one of the order-n optimizers"
                )));
            }
        };
        Ok(ZooMethod {
            framework,
            optimizer,
            lr: p.lr,
            core,
        })
    }

    /// The convention.
    pub fn framework(&self) -> Framework {
        self.framework
    }

    /// The optimizer and its resolved hyperparameters.
    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    /// The learning rate.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// The linear system in h.
    pub fn core(&self) -> &Core {
        &self.core
    }

    /// The same optimizer at another learning rate.
    ///
    /// # Errors
    ///
    /// lr not finite and positive.
    pub fn at_lr(&self, lr: f64) -> Result<Self> {
        positive("lr", lr)?;
        Ok(ZooMethod { lr, ..self.clone() })
    }

    /// The curvature the optimizer sees at curvature λ: λ, or λ(1 + ρλ) under SAM (the gradient
    /// at x + ρ∇f(x) of ½λx² is λ(1 + ρλ)x).
    pub fn seen(&self, lambda: f64) -> f64 {
        match self.optimizer {
            Optimizer::Sam { rho, .. } => lambda * (1.0 + rho * lambda),
            _ => lambda,
        }
    }

    /// The curvature λ ≥ 0 at which the optimizer sees `seen`: the inverse of
    /// [`ZooMethod::seen`] (SAM: the root of λ(1 + ρλ) = seen, (−1 + √(1 + 4ρ·seen))/(2ρ)).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Framework;
    /// use momentum::zoo::{ZooMethod, ZooParams};
    /// let m = ZooMethod::new(Framework::Sam, &ZooParams { lr: 1.0, rho: Some(0.5), ..Default::default() })?;
    /// assert!((m.raw_curvature(m.seen(3.0)) - 3.0).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn raw_curvature(&self, seen: f64) -> f64 {
        match self.optimizer {
            Optimizer::Sam { rho, .. } if rho > 0.0 => {
                (-1.0 + (1.0 + 4.0 * rho * seen).sqrt()) / (2.0 * rho)
            }
            _ => seen,
        }
    }

    /// The order of the state (for Lookahead: x, the buffer and the slow weights).
    pub fn order(&self) -> usize {
        match &self.core {
            Core::Pencil(p) => p.order(),
            Core::Periodic(p) => p.order(),
        }
    }

    /// The dimension of the framework's state (schedule-free: z and x, of which the pencil keeps
    /// the fast mode; Lookahead: x, the buffer, the slow weights).
    pub fn state_dim(&self) -> usize {
        match &self.optimizer {
            Optimizer::ScheduleFree { .. } => 2,
            Optimizer::Ademamix { .. } => 3,
            Optimizer::Aggmo { momenta } => momenta.len() + 1,
            _ => self.order(),
        }
    }

    fn mode_h(&self, h: f64) -> Result<LinearMode> {
        match &self.core {
            Core::Pencil(p) => p.mode(h),
            Core::Periodic(p) => p.mode(h),
        }
    }

    /// The method at curvature λ: h = lr·λ̃ with λ̃ from [`ZooMethod::seen`].
    ///
    /// # Errors
    ///
    /// λ not finite; coefficients overflowing f64.
    pub fn mode(&self, lambda: f64) -> Result<LinearMode> {
        finite("lambda", lambda)?;
        self.mode_h(self.lr * self.seen(lambda))
    }

    /// The stable normalised steps h = lr·λ̃ > 0 (open intervals; [`Pencil::stable_steps`],
    /// [`Periodic::stable_steps`]).
    ///
    /// # Errors
    ///
    /// Coefficients overflowing f64.
    pub fn stable_steps(&self) -> Result<Vec<(f64, f64)>> {
        match &self.core {
            Core::Pencil(p) => p.stable_steps(),
            Core::Periodic(p) => p.stable_steps(),
        }
    }

    /// The curvatures seen for a spectrum of curvatures ≥ 0 (SAM maps each λ ↦ λ(1 + ρλ),
    /// increasing for λ ≥ 0, so an interval maps to an interval).
    ///
    /// # Errors
    ///
    /// A negative curvature under SAM ([`Error::Unsupported`]: λ(1 + ρλ) is not monotone there).
    pub fn seen_spectrum(&self, spectrum: &Spectrum) -> Result<Spectrum> {
        if let Optimizer::Sam { .. } = self.optimizer
            && spectrum.bounds().0 < 0.0
        {
            return Err(Error::Unsupported(
                "SAM on negative curvatures: the map λ(1 + ρλ) is not monotone there".into(),
            ));
        }
        Ok(match spectrum {
            Spectrum::Interval { mu, l } => Spectrum::interval(self.seen(*mu), self.seen(*l))?,
            Spectrum::Eigenvalues(v) => {
                Spectrum::eigenvalues(v.iter().map(|&x| self.seen(x)).collect::<Vec<f64>>())?
            }
        })
    }

    /// The worst case over a spectrum of curvatures; `h` of the result is lr·λ̃ at the worst.
    ///
    /// # Errors
    ///
    /// As [`ZooMethod::seen_spectrum`]; coefficients overflowing f64.
    pub fn worst_case(&self, spectrum: &Spectrum) -> Result<LinearWorstCase> {
        let seen = self.seen_spectrum(spectrum)?;
        let hs = match &seen {
            Spectrum::Interval { mu, l } => Spectrum::interval(self.lr * mu, self.lr * l)?,
            Spectrum::Eigenvalues(v) => {
                Spectrum::eigenvalues(v.iter().map(|&x| self.lr * x).collect::<Vec<f64>>())?
            }
        };
        match &self.core {
            Core::Pencil(p) => p.worst_case(&hs),
            Core::Periodic(p) => p.worst_case(&hs),
        }
    }

    /// The stable learning rates on a spectrum of curvatures > 0: the interval of lr containing
    /// the current one when it is stable (else the lowest), with lr·λ̃ inside a stable interval
    /// of h for every λ̃ seen — for an interval of curvatures one and the same interval of h,
    /// for listed curvatures any (the sets S/λ̃ intersected). `None` when no lr is stable.
    ///
    /// # Errors
    ///
    /// As [`ZooMethod::worst_case`]; a curvature ≤ 0 ([`Error::NotPositive`]).
    pub fn stable_lr(&self, spectrum: &Spectrum) -> Result<Option<StepInterval>> {
        let seen = self.seen_spectrum(spectrum)?;
        let (lo, hi) = seen.bounds();
        positive("smallest curvature", lo)?;
        let steps = self.stable_steps()?;
        let found: Vec<StepInterval> = match &seen {
            // a continuum: lr·[lo, hi] inside one interval of h
            Spectrum::Interval { .. } => steps
                .iter()
                .map(|&(a, b)| StepInterval {
                    lo: a / lo,
                    hi: b / hi,
                })
                .filter(|i| i.lo < i.hi)
                .collect(),
            // listed curvatures may sit in different intervals of h: intersect the sets S/λ
            Spectrum::Eigenvalues(v) => {
                let mut set: Vec<StepInterval> = steps
                    .iter()
                    .map(|&(a, b)| StepInterval {
                        lo: a / hi,
                        hi: b / hi,
                    })
                    .collect();
                let mut distinct = v.clone();
                distinct.sort_by(f64::total_cmp);
                distinct.dedup();
                for &l in &distinct {
                    let mut next = vec![];
                    for i in &set {
                        for &(a, b) in &steps {
                            let (x, y) = (i.lo.max(a / l), i.hi.min(b / l));
                            if x < y {
                                next.push(StepInterval { lo: x, hi: y });
                            }
                        }
                    }
                    set = next;
                    if set.is_empty() {
                        break;
                    }
                }
                set.sort_by(|a, b| a.lo.total_cmp(&b.lo));
                set
            }
        };
        Ok(found
            .iter()
            .find(|i| i.lo < self.lr && self.lr < i.hi)
            .or(found.first())
            .copied())
    }

    /// The exact one-step update of the framework's state at step t = 1, 2, … (time-varying
    /// parts included: AdEMAMix's bias correction 1/(1 − β₁ᵗ), schedule-free's cₜ = 1/t,
    /// Lookahead's synchronisation after every k-th step) at curvature λ; `None` for t gives
    /// the asymptotic (t → ∞) update.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Framework;
    /// use momentum::zoo::{ZooMethod, ZooParams};
    /// let m = ZooMethod::new(Framework::Aggmo, &ZooParams { lr: 0.5, momenta: Some(vec![0.5]), ..Default::default() })?;
    /// // one velocity: heavy ball, x ← x + 0.5 v with v ← 0.5 v − λx
    /// let t = m.transition(Some(1), 1.0);
    /// assert_eq!(t.nrows(), 2);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn transition(&self, t: Option<u64>, lambda: f64) -> DMatrix<f64> {
        let h = self.lr * self.seen(lambda);
        match &self.optimizer {
            Optimizer::Ademamix {
                beta1,
                beta3,
                alpha,
            } => {
                // state (x, u₁ = lr·m₁, u₂ = lr·m₂) (over P)
                let corr = t.map_or(1.0, |t| 1.0 / (1.0 - beta1.powi(t.min(1 << 20) as i32)));
                let (u1x, u2x) = ((1.0 - beta1) * h, (1.0 - beta3) * h);
                DMatrix::from_row_slice(
                    3,
                    3,
                    &[
                        1.0 - corr * u1x - alpha * u2x,
                        -corr * beta1,
                        -alpha * beta3,
                        u1x,
                        *beta1,
                        0.0,
                        u2x,
                        0.0,
                        *beta3,
                    ],
                )
            }
            Optimizer::Aggmo { momenta } => {
                // state (x, w₁…w_K), wᵢ = lr·vᵢ: wᵢ ← βᵢwᵢ − hx; x ← x + (1/K)Σwᵢ⁺
                let k = momenta.len();
                let mut m = DMatrix::zeros(k + 1, k + 1);
                m[(0, 0)] = 1.0 - h;
                for (i, &b) in momenta.iter().enumerate() {
                    m[(0, i + 1)] = b / k as f64;
                    m[(i + 1, 0)] = -h;
                    m[(i + 1, i + 1)] = b;
                }
                m
            }
            Optimizer::Sam {
                momentum, nesterov, ..
            } => {
                let (a, b) = sgd_step(*momentum, *nesterov);
                a + b * h
            }
            Optimizer::ScheduleFree { beta } => {
                // state (z, x); y = (1−β)z + βx; z ← z − h·y; x ← (1−c)x + c·z⁺ with c = 1/t
                // at step t = 1, 2, … (optax: the weight lr² over the sum of lr², so c = 1 first)
                let c = t.map_or(0.0, |t| 1.0 / t as f64);
                let (zz, zx) = (1.0 - h * (1.0 - beta), -h * beta);
                DMatrix::from_row_slice(2, 2, &[zz, zx, c * zz, (1.0 - c) + c * zx])
            }
            Optimizer::Lookahead {
                sync_period,
                slow_step,
                momentum,
                nesterov,
            } => {
                let k = *sync_period as u64;
                let steps = lookahead_steps(*sync_period, *slow_step, *momentum, *nesterov);
                let j = t.map_or(0, |t| ((t - 1) % k) as usize);
                let (a, b) = &steps[j];
                a + b * h
            }
        }
    }

    /// The state at the start for x₀ = 1 (buffers zero; schedule-free z₀ = x₀; Lookahead's slow
    /// weights φ₀ = x₀).
    pub fn initial(&self) -> DVector<f64> {
        let n = self.state_dim();
        let mut s = DVector::zeros(n);
        s[0] = 1.0;
        match self.optimizer {
            Optimizer::ScheduleFree { .. } => s[1] = 1.0,
            Optimizer::Lookahead { .. } => s[2] = 1.0,
            _ => {}
        }
        s
    }

    /// The iterate of a state: x (schedule-free: the average x, which is where optax evaluates
    /// with `schedule_free_eval_params`; Lookahead: the slow weights after a synchronisation,
    /// the fast ones in between).
    pub fn iterate(&self, state: &DVector<f64>) -> f64 {
        match self.optimizer {
            Optimizer::ScheduleFree { .. } => state[1],
            _ => state[0],
        }
    }

    /// |x_t| for t = 0 … steps from x₀ = 1 at curvature λ, by the exact update
    /// ([`ZooMethod::transition`]).
    ///
    /// # Errors
    ///
    /// λ not finite; more than 10⁷ steps ([`Error::TooMany`]).
    pub fn trajectory(&self, lambda: f64, steps: u64) -> Result<Vec<f64>> {
        finite("lambda", lambda)?;
        if steps > 10_000_000 {
            return Err(Error::TooMany {
                what: "steps",
                count: steps,
                limit: 10_000_000,
            });
        }
        let mut s = self.initial();
        let mut out = Vec::with_capacity(steps as usize + 1);
        out.push(self.iterate(&s).abs());
        for t in 1..=steps {
            s = self.transition(Some(t), lambda) * s;
            out.push(self.iterate(&s).abs());
        }
        Ok(out)
    }

    /// The transient of the exact update at curvature λ: the largest |x_t|/|x₀| over t ≤ steps
    /// and where it is reached.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Framework;
    /// use momentum::zoo::{ZooMethod, ZooParams};
    /// let m = ZooMethod::new(Framework::ScheduleFree, &ZooParams { lr: 10.0, ..Default::default() })?;
    /// let (peak, _) = m.transient(1.0, 2000)?; // lr·λ = 10, half the edge 20
    /// assert!(peak > 100.0);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ZooMethod::trajectory`].
    pub fn transient(&self, lambda: f64, steps: u64) -> Result<(f64, u64)> {
        let tr = self.trajectory(lambda, steps)?;
        let (t, p) = tr.iter().enumerate().fold(
            (0, 0.0),
            |acc, (i, &x)| if x > acc.1 { (i, x) } else { acc },
        );
        Ok((p, t as u64))
    }
}

/// Lookahead's step matrices A_j + h·B_j in the state (x, u = lr·v, φ): k inner `optax.sgd`
/// steps (φ held), the last followed by φ ← φ + a(x − φ), x ← φ (the buffer kept).
fn lookahead_steps(k: u32, a: f64, beta: f64, nesterov: bool) -> Vec<(DMatrix<f64>, DMatrix<f64>)> {
    let (sa, sb) = sgd_step(beta, nesterov);
    let mut inner_a = DMatrix::zeros(3, 3);
    let mut inner_b = DMatrix::zeros(3, 3);
    inner_a.view_mut((0, 0), (2, 2)).copy_from(&sa);
    inner_b.view_mut((0, 0), (2, 2)).copy_from(&sb);
    inner_a[(2, 2)] = 1.0;
    // sync: φ⁺ = (1 − a)φ + a·x, x⁺ = φ⁺, u kept
    let sync = DMatrix::from_row_slice(3, 3, &[a, 0.0, 1.0 - a, 0.0, 1.0, 0.0, a, 0.0, 1.0 - a]);
    let mut steps = vec![(inner_a.clone(), inner_b.clone()); k as usize];
    steps[k as usize - 1] = (&sync * &inner_a, &sync * &inner_b);
    steps
}

/// The two-step framework setting that runs exactly the same iterates as an order-n optimizer
/// (this module), when there is one ([`two_step_equivalent`]).
#[derive(Clone, Debug, PartialEq)]
pub struct TwoStepEquivalent {
    /// The two-step framework.
    pub framework: Framework,
    /// Its arguments.
    pub params: FrameworkParams,
    /// Why the two run the same iterates.
    pub reason: String,
}

/// The two-step setting an order-n optimizer reduces to, exactly (same iterates from the same
/// start, not only the same rate):
///
/// - AggMo whose momenta are all β: every velocity is the same v, x ← x + lr·v with
///   v ← βv − g: `optax.sgd(lr, β)`;
/// - AdEMAMix with α = 0: the slow EMA is never used: Adam with lr and β₁ (same bias
///   correction, frozen second moment);
/// - Lookahead with slow step 1 (φ ← x: the slow weights follow the fast ones) is its inner
///   `optax.sgd(lr, β)`; with k = 1 the sync after every step gives φ ← φ − a·lr·(v or the
///   Nesterov direction): `optax.sgd(a·lr, β)`;
/// - SAM with ρ = 0 is its base `optax.sgd`.
///
/// Everything else is refused with the reason: distinct AggMo momenta, AdEMAMix with α > 0 and
/// Lookahead with k > 1 and a < 1 have an order-3 or higher (or periodic) recurrence; SAM with
/// ρ > 0 sees λ(1 + ρλ), not affine in λ; schedule-free SGD is time-varying (cₜ = 1/t).
///
/// # Examples
///
/// ```
/// use momentum::Framework;
/// use momentum::zoo::two_step_equivalent;
/// use momentum::zoo::ZooParams;
/// let p = ZooParams { lr: 0.5, momenta: Some(vec![0.9, 0.9]), ..Default::default() };
/// let e = two_step_equivalent(Framework::Aggmo, &p)?;
/// assert_eq!((e.framework, e.params.lr, e.params.momentum), (Framework::Optax, 0.5, Some(0.9)));
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`ZooMethod::new`] refuses; [`Error::Convention`] with the reason when the
/// optimizer is not a two-step method at these hyperparameters.
pub fn two_step_equivalent(framework: Framework, p: &ZooParams) -> Result<TwoStepEquivalent> {
    let m = ZooMethod::new(framework, p)?;
    let name = framework.as_str();
    let sgd = |lr: f64, momentum: f64, nesterov: bool, reason: String| TwoStepEquivalent {
        framework: Framework::Optax,
        params: FrameworkParams {
            lr,
            momentum: Some(momentum),
            nesterov,
            ..Default::default()
        },
        reason,
    };
    match m.optimizer() {
        Optimizer::Aggmo { momenta } => {
            let b = momenta[0];
            if momenta.iter().any(|&x| x != b) {
                return Err(reject(
                    name,
                    format!(
                        "AggMo with distinct momenta {momenta:?} has order {} (one velocity per distinct momentum plus x), not a two-step method",
                        m.order()
                    ),
                ));
            }
            Ok(sgd(
                p.lr,
                b,
                false,
                format!(
                    "every velocity is the same v: x <- x + lr*v, v <- {b}*v - g, which is optax.sgd(lr, momentum={b})"
                ),
            ))
        }
        Optimizer::Ademamix {
            beta1,
            beta3,
            alpha,
        } => {
            if *alpha != 0.0 {
                return Err(reject(
                    name,
                    format!(
                        "AdEMAMix with alpha = {alpha} mixes a second EMA (beta3 = {beta3}): order 3, not a two-step method (alpha = 0 is Adam)"
                    ),
                ));
            }
            Ok(TwoStepEquivalent {
                framework: Framework::Adam,
                params: FrameworkParams {
                    lr: p.lr,
                    momentum: Some(*beta1),
                    ..Default::default()
                },
                reason: format!(
                    "alpha = 0: the slow EMA never enters the step; the fast EMA with its bias correction is Adam's first moment (beta1 = {beta1}), on the same preconditioned curvatures"
                ),
            })
        }
        Optimizer::Lookahead {
            sync_period,
            slow_step,
            momentum,
            nesterov,
        } => {
            if *slow_step == 1.0 {
                Ok(sgd(
                    p.lr,
                    *momentum,
                    *nesterov,
                    "slow step 1: the slow weights take the fast ones at every sync, so Lookahead is its inner optax.sgd".into(),
                ))
            } else if *sync_period == 1 {
                Ok(sgd(
                    slow_step * p.lr,
                    *momentum,
                    *nesterov,
                    format!(
                        "k = 1: a sync after every step moves the slow weights by {slow_step} x the inner step (buffer kept): optax.sgd at lr*{slow_step}"
                    ),
                ))
            } else {
                Err(reject(
                    name,
                    format!(
                        "Lookahead with k = {sync_period} and slow step {slow_step} is periodic with a 3-dimensional state (x, buffer, slow weights), not a two-step method (k = 1 or slow step 1 is)"
                    ),
                ))
            }
        }
        Optimizer::Sam {
            rho,
            momentum,
            nesterov,
        } => {
            if *rho != 0.0 {
                return Err(reject(
                    name,
                    format!(
                        "SAM with rho = {rho} sees the curvature lambda(1 + {rho}*lambda), not affine in lambda: no two-step method runs it on every curvature (analyze --convention sam gives its rates)"
                    ),
                ));
            }
            Ok(sgd(
                p.lr,
                *momentum,
                *nesterov,
                "rho = 0: no ascent step, SAM is its base optax.sgd".into(),
            ))
        }
        Optimizer::ScheduleFree { beta } => Err(reject(
            name,
            format!(
                "schedule-free SGD averages with weights c_t = 1/t: time-varying, no constant two-step method runs it (its asymptotic fast mode is gradient descent at lr*(1 - {beta}))"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(lr: f64) -> ZooParams {
        ZooParams {
            lr,
            ..Default::default()
        }
    }

    #[test]
    fn pencils_are_the_determinants_of_the_asymptotic_updates() {
        // det(zI − T(h)) by Faddeev–LeVerrier against the closed-form pencil, at several h
        let cases = [
            (Framework::Ademamix, params(1.0)),
            (
                Framework::Aggmo,
                ZooParams {
                    momenta: Some(vec![0.0, 0.9, 0.99]),
                    ..params(1.0)
                },
            ),
            (
                Framework::Sam,
                ZooParams {
                    rho: Some(0.1),
                    momentum: Some(0.8),
                    nesterov: true,
                    ..params(1.0)
                },
            ),
        ];
        for (f, p) in cases {
            let m = ZooMethod::new(f, &p).unwrap();
            let Core::Pencil(pencil) = m.core() else {
                panic!()
            };
            for h in [0.01, 0.7, 3.0, 40.0] {
                let t = m.at_lr(h).unwrap().transition(None, 1.0);
                let z = Periodic::new(vec![(t, DMatrix::zeros(m.state_dim(), m.state_dim()))], 1.0)
                    .unwrap()
                    .characteristic(0.0)
                    .unwrap();
                let want = pencil.polynomial(h * m.seen(1.0) / 1.0).unwrap();
                for (x, y) in z.iter().zip(&want) {
                    assert!(
                        (x - y).abs() < 1e-12 * (1.0 + y.abs()),
                        "{f} h={h}: {z:?} {want:?}"
                    );
                }
            }
        }
    }
}
