//! Simulation of a method on a quadratic f(x) = ½ xᵀHx (minimiser x* = 0, so the error e_k is x_k).
//!
//! The iteration is the method's own update, in the affine form every supported method and
//! framework convention reduces to ([`Recurrence`]):
//!
//! ```text
//! x_{k+1} = p₀x_k − q₀x_{k−1} − H(p₁x_k − q₁x_{k−1}) − α σ ξ_k,   x_{−1} = x₀
//! ```
//!
//! which for (α, β, γ) is x_{k+1} = x_k + β(x_k − x_{k−1}) − α(∇f(y_k) + σξ_k) with
//! y_k = x_k + γ(x_k − x_{k−1}) and α = p₁ − q₁: ξ_k ~ N(0, I) is optional additive gradient noise,
//! drawn from a seeded ChaCha8 generator so runs are reproducible.
//!
//! Two problem forms:
//! - **diagonal** (H = diag(λ)), up to [`MAX_DIAGONAL_DIM`] coordinates: the loop works on two
//!   preallocated vectors and allocates nothing per step;
//! - **dense**, H = QΛQᵀ with Q a seeded Haar-random orthogonal matrix (QR of a Gaussian matrix
//!   with the signs of R's diagonal fixed), up to [`MAX_DENSE_DIM`]: one matrix–vector product
//!   per step into preallocated buffers (two when f is recorded).
//!
//! Both start from the same point in H's eigenbasis (all ones, or seeded Gaussian; normalised to
//! ‖e₀‖ = 1), so a dense run reproduces its diagonal twin up to rounding: an independent check of
//! the decoupling into 2 × 2 modes.
//!
//! The simulation stops early, and says so, when the error leaves the range where f64 tracks it
//! faithfully (below [`UNDERFLOW_FLOOR`] or above [`OVERFLOW_CEILING`]) — never NaN output.

use crate::bounds::FirstStep;
use crate::error::{Error, Result, finite};
use crate::recurrence::Recurrence;
use crate::spectrum::Spectrum;
use nalgebra::{DMatrix, DVector};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// Largest diagonal problem (coordinates): 10⁷, 240 MB of state.
pub const MAX_DIAGONAL_DIM: usize = 10_000_000;
/// Largest dense problem: 2048 × 2048 (32 MiB for H, the same again for the basis).
pub const MAX_DENSE_DIM: usize = 2048;
/// Most steps in one run.
pub const MAX_STEPS: usize = 10_000_000;
/// Most coordinate updates (steps × dimension, × dimension again for dense) in one run: about
/// a minute of work.
pub const MAX_WORK: u64 = 50_000_000_000;
/// Errors below this (relative to ‖e₀‖ = 1) end the run: squares of coordinates would leave the
/// normal range, and subnormal arithmetic is slow and has lost its relative accuracy.
pub const UNDERFLOW_FLOOR: f64 = 1e-140;
/// Errors above this end the run as diverged (a step that overflows outright ends it too, and
/// the non-finite value is not recorded).
pub const OVERFLOW_CEILING: f64 = 1e140;

/// A quadratic ½ xᵀHx given by its eigenvalues, optionally in a random orthogonal basis.
#[derive(Clone, Debug)]
pub struct Quadratic {
    eigenvalues: Vec<f64>,
    /// (H, Q) of the dense form.
    dense: Option<(DMatrix<f64>, DMatrix<f64>)>,
}

impl Quadratic {
    /// H = diag(eigenvalues). Every eigenvalue must be finite; negative ones (saddles) are allowed.
    pub fn diagonal(eigenvalues: Vec<f64>) -> Result<Self> {
        if eigenvalues.is_empty() {
            return Err(Error::OutOfRange {
                name: "dim",
                value: 0.0,
                expected: "at least one coordinate",
            });
        }
        if eigenvalues.len() > MAX_DIAGONAL_DIM {
            return Err(Error::TooMany {
                what: "dimension (eigenvalues)",
                count: eigenvalues.len() as u64,
                limit: MAX_DIAGONAL_DIM as u64,
            });
        }
        for &v in &eigenvalues {
            finite("eigenvalue", v)?;
        }
        Ok(Quadratic {
            eigenvalues,
            dense: None,
        })
    }

    /// `dim` eigenvalues evenly spaced over [μ, L], both ends included (dim = 1 needs μ = L).
    pub fn interval(mu: f64, l: f64, dim: usize) -> Result<Self> {
        finite("mu", mu)?;
        finite("L", l)?;
        if mu > l {
            return Err(Error::EmptyInterval { mu, l });
        }
        if dim == 0 || (dim == 1 && mu < l) {
            return Err(Error::OutOfRange {
                name: "dim",
                value: dim as f64,
                expected: "at least 1, and at least 2 to span mu < L",
            });
        }
        if dim > MAX_DIAGONAL_DIM {
            return Err(Error::TooMany {
                what: "dim",
                count: dim as u64,
                limit: MAX_DIAGONAL_DIM as u64,
            });
        }
        let eig = (0..dim)
            .map(|i| {
                if i + 1 == dim {
                    l
                } else {
                    mu + (l - mu) * (i as f64 / (dim - 1).max(1) as f64)
                }
            })
            .collect();
        Self::diagonal(eig)
    }

    /// The same eigenvalues in a Haar-random orthogonal basis: H = QΛQᵀ, Q from the QR
    /// factorisation of a seeded Gaussian matrix with R's diagonal made positive.
    pub fn rotated(self, seed: u64) -> Result<Self> {
        let n = self.eigenvalues.len();
        if n > MAX_DENSE_DIM {
            return Err(Error::TooMany {
                what: "dimension of a dense Hessian",
                count: n as u64,
                limit: MAX_DENSE_DIM as u64,
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let g: DMatrix<f64> = DMatrix::from_fn(n, n, |_, _| StandardNormal.sample(&mut rng));
        let qr = g.qr();
        let (mut q, r) = (qr.q(), qr.r());
        for j in 0..n {
            if r[(j, j)] < 0.0 {
                q.column_mut(j).neg_mut();
            }
        }
        let lam = DMatrix::from_diagonal(&DVector::from_column_slice(&self.eigenvalues));
        let h: DMatrix<f64> = &q * lam * q.transpose();
        // symmetrise the rounding
        let h = (&h + h.transpose()) * 0.5;
        Ok(Quadratic {
            eigenvalues: self.eigenvalues,
            dense: Some((h, q)),
        })
    }

    /// Number of coordinates.
    pub fn dim(&self) -> usize {
        self.eigenvalues.len()
    }

    /// The eigenvalues, in the order given.
    pub fn eigenvalues(&self) -> &[f64] {
        &self.eigenvalues
    }

    /// H, when the problem is dense.
    pub fn hessian(&self) -> Option<&DMatrix<f64>> {
        self.dense.as_ref().map(|(h, _)| h)
    }

    /// The eigenvalues as a [`Spectrum`].
    pub fn spectrum(&self) -> Result<Spectrum> {
        Spectrum::eigenvalues(self.eigenvalues.clone())
    }
}

/// Where the run starts, in H's eigenbasis, before normalising to ‖e₀‖ = 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Start {
    /// Every eigen-direction equally excited.
    #[default]
    Ones,
    /// A seeded standard Gaussian vector (seed `Options::seed`, an independent stream from the noise).
    Gaussian,
}

/// Run length, noise and seed.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Options {
    /// Iterations N (1 ..= [`MAX_STEPS`]).
    pub steps: usize,
    /// Standard deviation σ ≥ 0 of the additive gradient noise.
    pub noise: f64,
    /// Seed of the noise and of a Gaussian start.
    pub seed: u64,
    /// Starting point.
    pub start: Start,
    /// Record f(x_k) − f* (costs a second matrix–vector product per step for dense problems).
    pub record_excess: bool,
}

impl Options {
    /// N noise-free steps from the all-ones start, recording f too.
    pub fn steps(steps: usize) -> Self {
        Options {
            steps,
            noise: 0.0,
            seed: 0,
            start: Start::Ones,
            record_excess: true,
        }
    }
}

/// Why a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Ending {
    /// All N steps were taken.
    Completed,
    /// ‖e_k‖ fell below [`UNDERFLOW_FLOOR`]: converged beyond what f64 tracks.
    Underflow,
    /// ‖e_k‖ rose above [`OVERFLOW_CEILING`], or f(x_k) − f* overflowed f64: diverged (or the
    /// curvatures are too large for f to be represented).
    Diverged,
}

/// The recorded run: ‖e_k‖ and f(x_k) − f* for k = 0, 1, …, as far as the run went.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Trajectory {
    /// ‖x_k − x*‖₂, k = 0 ..= steps taken (the first entry is 1).
    pub error: Vec<f64>,
    /// f(x_k) − f* = ½ e_kᵀHe_k (empty if not recorded).
    pub excess: Vec<f64>,
    /// Why the run ended.
    pub ending: Ending,
}

impl Trajectory {
    /// Steps actually taken.
    pub fn steps_taken(&self) -> usize {
        self.error.len() - 1
    }

    /// ‖e‖ after the last step taken.
    pub fn final_error(&self) -> f64 {
        self.error[self.error.len() - 1]
    }

    /// The asymptotic rate read off the tail: with Δ = ⌊n/4⌋ of the n steps taken and window
    /// maxima E₁ = max ‖e_k‖ over k ∈ [n − 2Δ, n − Δ] and E₂ over k ∈ [n − Δ, n] (the maxima tame
    /// the oscillation of underdamped modes), ρ̂ = (E₂/E₁)^{1/Δ}. The windows share their
    /// middle index, so a decaying error peaks at their starts and a growing one at their ends,
    /// Δ steps apart either way.
    ///
    /// For a dominant mode e_k ≈ C k^m ρ^k |cos(kθ + φ)| (m = 1 for a double root, the Jordan
    /// block) the relative error of ρ̂ is at most about (m ln(3/2) + ln(1/c))/Δ, with c the
    /// smallest peak of |cos| a window of n/4 steps is sure to contain: the estimate converges
    /// like 1/n. `None` if fewer than 8 steps were taken; 0 if the error is exactly zero from
    /// n − 2Δ on. A diverged run gives ρ̂ > 1 from the steps before it stopped.
    pub fn empirical_rate(&self) -> Option<f64> {
        let n = self.steps_taken();
        if n < 8 {
            return None;
        }
        let delta = n / 4;
        let (k1, k2) = (n - 2 * delta, n - delta);
        let max = |s: &[f64]| s.iter().fold(0.0_f64, |m, &v| m.max(v));
        let (e1, e2) = (max(&self.error[k1..=k2]), max(&self.error[k2..]));
        if e1 == 0.0 {
            return Some(0.0);
        }
        Some((e2 / e1).powf(1.0 / delta as f64))
    }
}

/// Run `rec` on `problem` for `options.steps` iterations, from rest: [`run_from`] with no
/// first step and no progress observer.
///
/// # Errors
///
/// steps outside 1 ..= [`MAX_STEPS`], noise negative or not finite, or more than
/// [`MAX_WORK`] coordinate updates.
pub fn run(rec: &Recurrence, problem: &Quadratic, options: &Options) -> Result<Trajectory> {
    run_from(rec, None, problem, options, None)
}

/// At most this many steps between two progress reports of [`run_from`].
pub const PROGRESS_EVERY: usize = 1024;

/// Coordinate updates (n per step, n² when dense) between two progress reports: about 10 ms of
/// work, so that a bar moves several times a second even for 10⁷ coordinates.
pub const PROGRESS_WORK: u64 = 1 << 22;

/// [`run`], from the framework's own first step when `first` is given instead of a start from
/// rest: e₁ = a₀e₀ − a₁(He₀ + ξ₀) ([`FirstStep`], e.g. PyTorch's undampened first step from
/// [`crate::bounds::framework_first_step`]), then the recurrence. The trajectory is then the
/// framework's own iterate (PyTorch's, Keras' and optax's Nesterov parameters are the look-ahead
/// point).
///
/// `progress`, the observer, is told every min([`PROGRESS_EVERY`], [`PROGRESS_WORK`] / work per
/// step) steps taken (at least every step) the number of steps since the last report.
///
/// # Examples
///
/// ```
/// use momentum::{Framework, FrameworkParams, bounds, simulate};
/// // PyTorch, dampening 0.5: the first step is lr·g (not lr·(1 − 0.5)·g)
/// let p = FrameworkParams { lr: 0.1, momentum: Some(0.9), dampening: Some(0.5), ..Default::default() };
/// let rec = Framework::PyTorch.recurrence(&p)?;
/// let first = bounds::framework_first_step(Framework::PyTorch, &p)?;
/// let q = simulate::Quadratic::diagonal(vec![2.0])?;
/// let t = simulate::run_from(&rec, Some(first), &q, &simulate::Options::steps(1), None)?;
/// assert!((t.error[1] - 0.8).abs() < 1e-15); // |1 − 0.1·2|
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`run`].
pub fn run_from(
    rec: &Recurrence,
    first: Option<FirstStep>,
    problem: &Quadratic,
    options: &Options,
    progress: Option<crate::map::Progress>,
) -> Result<Trajectory> {
    run_inner(rec, first, None, problem, options, progress)
}

/// [`run_from`] with the noise entering as `input` says:
/// e_{k+1} = c₁e_k − c₀e_{k−1} − σ(a₀ξ_k − a₁ξ_{k−1}) per mode, the same sample ξ_k in step k's
/// fresh gradient and, a step later, in the buffered one (QHM:
/// [`crate::noise::NoiseInput::two_gradients`]); no noise before step 0. A framework start's
/// first step carries its own weight a₁ of [`FirstStep`]. With a₁ = 0 and a₀ = p₁ − q₁ this is
/// [`run_from`]'s one-gradient model.
///
/// # Errors
///
/// As [`run`]; a noise weight not finite.
pub fn run_noisy(
    rec: &Recurrence,
    first: Option<FirstStep>,
    input: crate::noise::NoiseInput,
    problem: &Quadratic,
    options: &Options,
    progress: Option<crate::map::Progress>,
) -> Result<Trajectory> {
    finite("noise weight a0", input.current)?;
    finite("noise weight a1", input.previous)?;
    run_inner(rec, first, Some(input), problem, options, progress)
}

fn run_inner(
    rec: &Recurrence,
    first: Option<FirstStep>,
    input: Option<crate::noise::NoiseInput>,
    problem: &Quadratic,
    options: &Options,
    progress: Option<crate::map::Progress>,
) -> Result<Trajectory> {
    let steps = options.steps;
    let n = problem.dim() as u64;
    let per_step = if problem.hessian().is_some() {
        n * n
    } else {
        n
    };
    let every = (PROGRESS_WORK / per_step.max(1)).clamp(1, PROGRESS_EVERY as u64) as usize;
    let tick = |k: usize| {
        if let Some(p) = progress {
            if k % every == every - 1 {
                p(every as u64);
            }
        }
    };
    if steps == 0 || steps > MAX_STEPS {
        return Err(Error::OutOfRange {
            name: "steps",
            value: steps as f64,
            expected: "1 ..= 10000000",
        });
    }
    let sigma = finite("noise", options.noise)?;
    if sigma < 0.0 {
        return Err(Error::OutOfRange {
            name: "noise",
            value: sigma,
            expected: ">= 0 (a standard deviation)",
        });
    }
    let n = problem.dim();
    let per_step = if problem.dense.is_some() {
        (n as u64) * (n as u64) * if options.record_excess { 2 } else { 1 }
    } else {
        n as u64
    };
    let work = per_step.saturating_mul(steps as u64);
    if work > MAX_WORK {
        return Err(Error::TooMany {
            what: "work (coordinate updates = dimension x steps, x dimension when dense)",
            count: work,
            limit: MAX_WORK,
        });
    }
    let start = start_vector(n, options);
    // the noise has a stream of its own: stream 0 draws a dense problem's basis and stream 1 a
    // Gaussian start, so the noise is independent of both
    let mut noise = (sigma > 0.0).then(|| {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        rng.set_stream(2);
        rng
    });
    let (p0, p1, q0, q1) = (rec.p0(), rec.p1(), rec.q0(), rec.q1());
    let ns = (p1 - q1) * sigma;
    // two-gradient noise: σa₀ on ξ_k, σa₁ on ξ_{k−1} (kept per coordinate); None: σ(p₁ − q₁) on ξ_k
    let (ns, nprev) = match input {
        Some(i) if i.previous != 0.0 => (i.current * sigma, i.previous * sigma),
        Some(i) => (i.current * sigma, 0.0),
        None => (ns, 0.0),
    };
    let mut last = vec![0.0; if nprev != 0.0 { n } else { 0 }];
    let mut error = Vec::with_capacity(steps + 1);
    let mut excess = Vec::with_capacity(if options.record_excess { steps + 1 } else { 0 });
    let ending = match &problem.dense {
        None => {
            let lam = &problem.eigenvalues;
            let mut x = start;
            let mut prev = x.clone();
            record_diagonal(lam, &x, options.record_excess, &mut error, &mut excess);
            let mut ending = Ending::Completed;
            for k in 0..steps {
                tick(k);
                #[allow(clippy::needless_range_loop)]
                for i in 0..n {
                    let (xi, pi) = (x[i], prev[i]);
                    let (mut next, nsi) = match first.filter(|_| k == 0) {
                        Some(f) => (f.a0 * xi - f.a1 * (lam[i] * xi), f.a1 * sigma),
                        None => (p0 * xi - q0 * pi - lam[i] * (p1 * xi - q1 * pi), ns),
                    };
                    if let Some(rng) = noise.as_mut() {
                        let z: f64 = StandardNormal.sample(rng);
                        next -= nsi * z;
                        if nprev != 0.0 {
                            if k > 0 {
                                next += nprev * last[i];
                            }
                            last[i] = z;
                        }
                    }
                    prev[i] = xi;
                    x[i] = next;
                }
                let e = record_diagonal(lam, &x, options.record_excess, &mut error, &mut excess);
                if let Some(end) = out_of_range(e) {
                    ending = end;
                    break;
                }
            }
            ending
        }
        Some((h, q)) => {
            let mut x = q * DVector::from_vec(start);
            let mut prev = x.clone();
            let mut y = DVector::zeros(n);
            let mut g = DVector::zeros(n);
            let mut record = |x: &DVector<f64>, g: &mut DVector<f64>| {
                let e = x.norm();
                if !e.is_finite() {
                    return e;
                }
                let f = if options.record_excess {
                    g.gemv(1.0, h, x, 0.0);
                    0.5 * x.dot(g)
                } else {
                    0.0
                };
                if !f.is_finite() {
                    return f64::INFINITY;
                }
                error.push(e);
                if options.record_excess {
                    excess.push(f);
                }
                e
            };
            record(&x, &mut g);
            let mut ending = Ending::Completed;
            for k in 0..steps {
                tick(k);
                // y = p₁x − q₁x_prev;  g = Hy (the first step of a framework start: y = a₁x)
                let (first_k, nsk) = match first.filter(|_| k == 0) {
                    Some(f) => (Some(f), f.a1 * sigma),
                    None => (None, ns),
                };
                y.copy_from(&x);
                match first_k {
                    Some(f) => y *= f.a1,
                    None => y.axpy(-q1, &prev, p1),
                }
                g.gemv(1.0, h, &y, 0.0);
                if let Some(rng) = noise.as_mut() {
                    for (i, gi) in g.iter_mut().enumerate() {
                        let z: f64 = StandardNormal.sample(rng);
                        *gi += nsk * z;
                        if nprev != 0.0 {
                            if k > 0 {
                                *gi -= nprev * last[i];
                            }
                            last[i] = z;
                        }
                    }
                }
                // prev ← p₀x − q₀prev − g (or a₀x − g), then swap so that x is the new iterate
                match first_k {
                    Some(f) => prev.axpy(f.a0, &x, 0.0),
                    None => prev.axpy(p0, &x, -q0),
                }
                prev -= &g;
                std::mem::swap(&mut x, &mut prev);
                if let Some(end) = out_of_range(record(&x, &mut g)) {
                    ending = end;
                    break;
                }
            }
            ending
        }
    };
    Ok(Trajectory {
        error,
        excess,
        ending,
    })
}

/// Run per-step framework matrices ([`crate::schedule::Run`]) on the whole vector state: with
/// each step's s' = (A + λB)s written for the Hessian, x' = A₀₀x + A₀₁u + H(B₀₀x + B₀₁u) and
/// u' = A₁₀x + A₁₁u + H(B₁₀x + B₁₁u), from x₀ = the start and u₀ = `start[1]`·x₀ (the framework's
/// zero buffer, or x₋₁ = x₀ in the canonical form). On a dense (rotated) problem H is applied as a
/// matrix, so a run checks the per-curvature decoupling that the schedule analysis relies on.
/// Noise-free; `options.noise` must be 0.
///
/// # Examples
///
/// ```
/// use momentum::{Spectrum, setting::Setting, schedule::{Run, Schedule}, simulate};
/// let s = Spectrum::eigenvalues(vec![0.5, 1.0])?;
/// let r = Setting { lr: Some(1.0), momentum: Some(0.9), ..Setting::named("optax", None)? }.resolve(&s)?;
/// let run = Run::new(&r, &Schedule::lr(vec![0.0, 0.5, 1.0]), 3)?;
/// let q = simulate::Quadratic::diagonal(vec![0.5, 1.0])?;
/// let t = simulate::run_steps(run.steps(), run.start(), &q, &simulate::Options::steps(3))?;
/// let exact = (run.factor(0.5)?.powi(2) / 2.0 + run.factor(1.0)?.powi(2) / 2.0).sqrt();
/// assert!((t.final_error() - exact).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// More steps asked than given or outside 1 ..= [`MAX_STEPS`], noise other than 0, or more than
/// [`MAX_WORK`] coordinate updates.
pub fn run_steps(
    steps: &[crate::schedule::Step],
    start: [f64; 2],
    problem: &Quadratic,
    options: &Options,
) -> Result<Trajectory> {
    let n_steps = options.steps;
    if n_steps == 0 || n_steps > MAX_STEPS || n_steps > steps.len() {
        return Err(Error::OutOfRange {
            name: "steps",
            value: n_steps as f64,
            expected: "1 ..= the number of steps given",
        });
    }
    if options.noise != 0.0 {
        return Err(Error::Usage(
            "a scheduled run is noise-free: drop the noise".into(),
        ));
    }
    let n = problem.dim();
    let per_step = match &problem.dense {
        Some(_) => 2 * (n as u64) * (n as u64),
        None => 2 * n as u64,
    };
    let work = per_step.saturating_mul(n_steps as u64);
    if work > MAX_WORK {
        return Err(Error::TooMany {
            what: "work (coordinate updates = dimension x steps, x dimension when dense)",
            count: work,
            limit: MAX_WORK,
        });
    }
    let e0 = start_vector(n, options);
    let mut x = match &problem.dense {
        Some((_, q)) => q * DVector::from_vec(e0),
        None => DVector::from_vec(e0),
    };
    let mut u = &x * start[1];
    let h_times = |v: &DVector<f64>| -> DVector<f64> {
        match &problem.dense {
            Some((h, _)) => h * v,
            None => {
                DVector::from_iterator(n, v.iter().zip(&problem.eigenvalues).map(|(a, l)| a * l))
            }
        }
    };
    let mut error = vec![x.norm()];
    let mut excess = vec![];
    let record_f = |x: &DVector<f64>| 0.5 * x.dot(&h_times(x));
    if options.record_excess {
        excess.push(record_f(&x));
    }
    let mut ending = Ending::Completed;
    for st in &steps[..n_steps] {
        let (a, b) = (st.a, st.b);
        let hx0 = h_times(&(&x * b[0][0] + &u * b[0][1]));
        let hx1 = h_times(&(&x * b[1][0] + &u * b[1][1]));
        let nx = &x * a[0][0] + &u * a[0][1] + hx0;
        let nu = &x * a[1][0] + &u * a[1][1] + hx1;
        x = nx;
        u = nu;
        let e = x.norm();
        if !e.is_finite() {
            ending = Ending::Diverged;
            break;
        }
        error.push(e);
        if options.record_excess {
            excess.push(record_f(&x));
        }
        if let Some(end) = out_of_range(e) {
            ending = end;
            break;
        }
    }
    Ok(Trajectory {
        error,
        excess,
        ending,
    })
}

fn out_of_range(e: f64) -> Option<Ending> {
    if e < UNDERFLOW_FLOOR {
        Some(Ending::Underflow)
    } else if e.is_nan() || e > OVERFLOW_CEILING {
        Some(Ending::Diverged)
    } else {
        None
    }
}

/// Push ‖x‖ (and ½Σλx²) unless either overflowed (then nothing is pushed and ∞ is returned, which
/// ends the run as diverged); return ‖x‖. Within the floor and ceiling the squares stay normal
/// f64 numbers, so the plain sums are accurate.
fn record_diagonal(
    lam: &[f64],
    x: &[f64],
    f: bool,
    error: &mut Vec<f64>,
    excess: &mut Vec<f64>,
) -> f64 {
    let (mut s, mut fx) = (0.0, 0.0);
    for (&l, &v) in lam.iter().zip(x) {
        s += v * v;
        fx += l * v * v;
    }
    let e = s.sqrt();
    if !(e.is_finite() && (!f || (0.5 * fx).is_finite())) {
        return f64::INFINITY;
    }
    error.push(e);
    if f {
        excess.push(0.5 * fx);
    }
    e
}

/// e₀ in the eigenbasis, normalised.
fn start_vector(n: usize, options: &Options) -> Vec<f64> {
    let mut v = match options.start {
        Start::Ones => vec![1.0; n],
        Start::Gaussian => {
            // a stream of its own, so the start does not depend on whether noise is on
            let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
            rng.set_stream(1);
            let mut v: Vec<f64> = (0..n).map(|_| StandardNormal.sample(&mut rng)).collect();
            if v.iter().all(|&x| x == 0.0) {
                v[0] = 1.0;
            }
            v
        }
    };
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    v.iter_mut().for_each(|x| *x /= norm);
    v
}
