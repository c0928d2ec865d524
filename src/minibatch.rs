//! Minibatch noise on Gaussian least squares: the exact mean-square dynamics of any two-step
//! method, its mean-square rate, the stable learning rates at each batch size, the stationary
//! excess risk with label noise, and tuning across batch sizes (docs/REFERENCE.md §10).
//!
//! # The model
//!
//! f(x) = ½E[(aᵀ(x − x*) − ε)²] − ½σ² with features a ~ N(0, H) and label noise ε ~ N(0, σ²)
//! independent of a. A step draws B fresh samples and uses the minibatch gradient
//! G e − ξ with G = (1/B)Σⱼ aⱼaⱼᵀ (E G = H) and ξ = (1/B)Σⱼ aⱼεⱼ. In the affine form of
//! [`Recurrence`] the deterministic method is e′ = p₀e − q₀e₋ − H w with w = p₁e − q₁e₋ (the
//! gradient at the look-ahead point, scaled by the step; weight decay, coupled or decoupled, sits
//! in p₀, q₀ and is not sampled). The minibatch method replaces H w by G w − aξ with a = p₁ − q₁
//! (the step α: the weight one gradient carries, as in
//! [`crate::noise::NoiseInput::single_gradient`]). Every step samples one gradient, so a method
//! that mixes gradients of two steps (quasi-hyperbolic momentum) is not this model.
//!
//! # The second moments close
//!
//! For Gaussian a, E(aaᵀMaaᵀ) = 2HMH + tr(HM)H (Isserlis), so for independent samples
//! E(G M G) = HMH + (1/B)(HMH + tr(HM)H), and E(ξξᵀ) = σ²H/B, E(G M ξ) = 0 (ε has mean zero).
//! In H's eigenbasis, with c₁ = p₀ − p₁λᵢ, c₀ = q₀ − q₁λᵢ and the three moments
//! Pᵢ = E eᵢ², Qᵢ = E eᵢe₋ᵢ, Rᵢ = E e₋ᵢ²:
//!
//! ```text
//! P′ᵢ = c₁²Pᵢ − 2c₁c₀Qᵢ + c₀²Rᵢ + (1/B)(λᵢ²Yᵢ + λᵢ S) + a²σ²λᵢ/B,   Yᵢ = p₁²Pᵢ − 2p₁q₁Qᵢ + q₁²Rᵢ
//! Q′ᵢ = c₁Pᵢ − c₀Qᵢ,   R′ᵢ = Pᵢ,   S = Σⱼ λⱼYⱼ
//! ```
//!
//! (the deterministic part is E[(c₁e − c₀e₋)²]; the fluctuation G − H adds the 1/B terms). For the
//! three-parameter family p₁ = α(1+γ), q₁ = αγ this is REFERENCE §10's formula written out. The
//! diagonal entries close on themselves, so E‖e_k‖² = Σᵢ Pᵢ follows this 3n-dimensional operator
//! 𝒯 from any start; the off-diagonal entries never feed back.
//!
//! # The secular equation
//!
//! 𝒯 = 𝒜 + 𝒩: 𝒜 is block diagonal, one 3 × 3 block per direction (the deterministic
//! M ↦ T M Tᵀ on the 2 × 2 covariance of (e, e₋), eigenvalues r₁², r₁r₂, r₂² with r₁, r₂ the
//! roots), and 𝒩 adds to each Pᵢ the forcing Fᵢ = (1/B)(λᵢ²Yᵢ + λᵢS). From the forcing F put
//! into P at every step, the Y-value comes back through the transfer function
//!
//! ```text
//! hᵢ(z) = Σ_k z^{−k−1} (gᵀTᵏe₁)² = Nᵢ(z)/χᵢ(z),   χᵢ(z) = (z − c₀)((z + c₀)² − c₁²z)
//! Nᵢ(z) = p₁²z(z + c₀) − 2p₁q₁c₁z + q₁²(z + c₀)
//! ```
//!
//! (g = (p₁, −q₁); solve (z − 𝒜ᵢ)x = e₁ by back-substitution from R′ = P, Q′ = c₁P − c₀Q).
//! χᵢ(1) = (1 − c₀)(1 + c₀ − c₁)(1 + c₀ + c₁) are three Jury margins and hᵢ(1) is the additive-
//! noise stationary variance of [`crate::noise`] with inputs (a₀, a₁) = (p₁, q₁). With
//! sᵢ(z) = λᵢ²hᵢ(z)/B, z is an eigenvalue of 𝒯 outside 𝒜's spectrum iff the matrix
//! diag(s) + (1/B)λ(λ∘h)ᵀ has eigenvalue 1, i.e. (rank one on a diagonal)
//!
//! ```text
//! Φ(z) = Σᵢ sᵢ(z)/(1 − sᵢ(z)) = 1     (with every sᵢ(z) < 1).
//! ```
//!
//! # Why the criterion at z = 1 is exact
//!
//! 𝒯 maps (block-diagonal) positive semidefinite covariances to positive semidefinite ones, so its
//! spectral radius ρ(𝒯) is an eigenvalue with a PSD eigenvector (Krein–Rutman), and for real
//! z > ρ(𝒜) = ρ_det² every hᵢ(z) is a series of non-negative terms, decreasing in z, → 0 as
//! z → ∞. Then ρ(𝒯) = the largest z ≥ ρ_det² at which the non-negative matrix
//! diag(s(z)) + (1/B)λ(λ∘h(z))ᵀ has Perron root 1 (or ρ_det² when there is none), and its Perron
//! root is < 1 iff every sᵢ < 1 and Φ < 1. Since everything decreases in z:
//!
//! **mean-square stable (ρ(𝒯) < 1) ⇔ every direction deterministically stable, sᵢ(1) < 1 for all i
//! and Φ(1) < 1.** Each piece is a closed form at z = 1 with the Jury margins in double-double, so
//! [`Gaussian::is_stable`] decides from signs, not from a rounded radius; the stable-lr interval
//! is a bisection on that decision. [`Gaussian::rate`] finds ρ(𝒯) by bisection on the same
//! monotone predicate at z = 1 + t (χᵢ and Nᵢ re-expressed through the margins so nothing
//! cancels near z = 1). B = ∞ (full batch): s ≡ 0, ρ(𝒯) = ρ_det², the square of the
//! deterministic rate, and the edge is the deterministic edge.
//!
//! Plain SGD (p₁ = α, q₁ = 0, c₀ = 0, h = αλ): sᵢ = h/(B(2 − h)), so one direction at B = 1 is
//! stable iff h < 2/3, the classical E(1 − αa²)² < 1 for a ~ N(0, λ). For heavy ball
//! sᵢ = h(1 + β)/(B(1 − β)(2(1 + β) − h)) increases with α, so its stable steps form one
//! interval (0, α*); for other methods [`Gaussian::stable_steps`] returns the interval that
//! contains the smallest stable sampled step (documented there).
//!
//! # Label noise and the additive model
//!
//! With σ > 0 the forcing gains a²σ²λᵢ/B; the stationary moments solve (I − 𝒯)X = b in O(n)
//! through the same rank-one structure ([`Gaussian::stationary_risk`]: ½Σᵢλᵢ Pᵢ). The additive
//! model of Zhang et al. (2019, "Which algorithmic choices matter at which batch sizes?") keeps
//! the deterministic dynamics and adds gradient noise of covariance H/B (times a scale): its edge
//! never moves, its floor is [`additive_risk`].
//!
//! Sources: Kidambi, Netrapalli, Jain & Kakade (2018); Jain, Kakade, Kidambi, Netrapalli &
//! Sidford (2018); Paquette & Paquette (2021); Zhang et al. (2019); McCandlish, Kaplan, Amodei et
//! al. (2018, "An empirical model of large-batch training") for the critical batch size.

use crate::error::{Error, Result, finite, positive};
use crate::method::Family;
use crate::numeric::dd::Dd;
use crate::recurrence::{Recurrence, jury_dd};
use crate::spectrum::Spectrum;
use crate::stability::{StepInterval, stable_steps};

/// The batch size: B samples per step, or the full batch (B = ∞, the deterministic method).
///
/// # Examples
///
/// ```
/// use momentum::minibatch::Batch;
/// assert_eq!(Batch::new(64)?.inverse(), 1.0 / 64.0);
/// assert_eq!(Batch::Full.inverse(), 0.0);
/// assert!(Batch::new(0).is_err());
/// # Ok::<(), momentum::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Batch {
    /// B ≥ 1 samples per step.
    Size(u64),
    /// Every step sees the exact gradient.
    Full,
}

impl Batch {
    /// B samples per step, B ≥ 1.
    ///
    /// # Errors
    ///
    /// B = 0 ([`Error::OutOfRange`]).
    pub fn new(b: u64) -> Result<Batch> {
        if b == 0 {
            return Err(Error::OutOfRange {
                name: "batch",
                value: 0.0,
                expected: "an integer >= 1",
            });
        }
        Ok(Batch::Size(b))
    }

    /// 1/B (0 for the full batch).
    pub fn inverse(self) -> f64 {
        match self {
            Batch::Size(b) => 1.0 / b as f64,
            Batch::Full => 0.0,
        }
    }

    /// B as a number (+∞ for the full batch).
    pub fn size(self) -> f64 {
        match self {
            Batch::Size(b) => b as f64,
            Batch::Full => f64::INFINITY,
        }
    }
}

/// Gaussian least squares: feature covariance eigenvalues λᵢ > 0, batch size B, label noise σ.
///
/// # Examples
///
/// ```
/// use momentum::{Method, minibatch::{Batch, Gaussian}};
/// // one direction λ = 1, plain SGD at B = 1: stable iff α < 2/3 (E(1 − αa²)² < 1)
/// let g = Gaussian::eigenvalues(vec![1.0], Batch::new(1)?, 0.0)?;
/// assert!(g.is_stable(&Method::gradient_descent(0.66)?.recurrence())?);
/// assert!(!g.is_stable(&Method::gradient_descent(0.67)?.recurrence())?);
/// # Ok::<(), momentum::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Gaussian {
    eigenvalues: Vec<f64>,
    batch: Batch,
    label_noise: f64,
}

/// One direction's numbers at z = 1 + t: the deterministic margins and the transfer pieces.
#[derive(Clone, Copy)]
struct Dir {
    /// 1 + c₀
    plus: f64,
    /// 1 − c₀
    m1: f64,
    /// 1 − c₁ + c₀
    m2: f64,
    /// 1 + c₁ + c₀
    m3: f64,
}

/// Eigenvalues per block of [`Gaussian::criterion`]'s sum (a fixed order: the same bits in
/// parallel and in sequence).
const CRITERION_BLOCK: usize = 1 << 14;

/// The data's dimension when an interval is given without one ([`Gaussian::from_spectrum`]).
pub const DEFAULT_DIM: usize = 100;

/// The Jury margins' constant and slope parts of a recurrence, and p₁, q₁, a = p₁ − q₁.
#[derive(Clone, Copy)]
struct Coeffs {
    constant: [Dd; 4],
    slope: [Dd; 4],
    /// The same rounded to f64, for the fast path of [`Coeffs::dir`].
    constant_f: [f64; 4],
    slope_f: [f64; 4],
    p1f: f64,
    q1f: f64,
    a: f64,
}

impl Coeffs {
    fn new(rec: &Recurrence) -> Coeffs {
        let [p0, p1, q0, q1] = rec.parts();
        let constant = jury_dd(p0, q0, Dd::new(1.0));
        let slope = jury_dd(p1, q1, Dd::new(0.0));
        Coeffs {
            constant,
            slope,
            constant_f: constant.map(Dd::value),
            slope_f: slope.map(Dd::value),
            p1f: p1.value(),
            q1f: q1.value(),
            a: p1.sub(q1).value(),
        }
    }

    /// The margins at λ: in f64 when the two parts cancel by less than a factor 4 (then the
    /// result carries a few ulps, as the double-double one rounded would), in double-double
    /// otherwise (next to a deterministic edge; the exact zero constant of 1 − c₁ + c₀ is 0 in
    /// both).
    fn dir(&self, lambda: f64) -> Dir {
        let g = |i: usize| {
            let (c, sl) = (self.constant_f[i], self.slope_f[i] * lambda);
            let v = c - sl;
            if 4.0 * v.abs() >= c.abs() + sl.abs() {
                v
            } else {
                self.constant[i].sub(self.slope[i].mul_f64(lambda)).value()
            }
        };
        Dir {
            plus: g(1),
            m1: g(0),
            m2: g(2),
            m3: g(3),
        }
    }

    /// hᵢ(1 + t) = Nᵢ/χᵢ and χᵢ at z = 1 + t (module docs), both through the margins.
    fn transfer(&self, d: &Dir, t: f64) -> (f64, f64) {
        let (p1, q1) = (self.p1f, self.q1f);
        // χ(1 + t) = (1 − c₀ + t)((1 + c₀ − c₁)(1 + c₀ + c₁)(1 + t) + t(1 + c₀)(1 − c₀) + t²)
        let chi = (d.m1 + t) * (d.m2 * d.m3 * (1.0 + t) + t * d.plus * d.m1 + t * t);
        // N(1 + t) = (1 + c₀)((p₁ − q₁)² + t p₁(p₁ − 2q₁)) + t((1 + t)p₁² + q₁²) + 2p₁q₁(1 + t)(1 − c₁ + c₀)
        let n = d.plus * (self.a * self.a + t * p1 * (p1 - 2.0 * q1))
            + t * ((1.0 + t) * p1 * p1 + q1 * q1)
            + 2.0 * p1 * q1 * (1.0 + t) * d.m2;
        (n, chi)
    }
}

impl Dir {
    fn deterministic_stable(&self) -> bool {
        self.m1 > 0.0 && self.m2 > 0.0 && self.m3 > 0.0
    }
}

/// The exact mean-square criterion at z = 1 (module docs): the pieces it decides from.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Criterion {
    /// Every direction deterministically stable (Jury margins > 0).
    pub deterministic: bool,
    /// max sᵢ(1) = λᵢ²hᵢ(1)/B (must be < 1; +∞ when a direction is deterministically unstable).
    pub largest_self: f64,
    /// Φ(1) = Σ sᵢ/(1 − sᵢ) (must be < 1; +∞ when some sᵢ ≥ 1).
    pub coupling: f64,
}

impl Criterion {
    /// Mean-square stable: ρ(𝒯) < 1.
    pub fn is_stable(&self) -> bool {
        self.deterministic && self.largest_self < 1.0 && self.coupling < 1.0
    }
}

/// One block of [`Gaussian::criterion`]: every sᵢ (and sᵢ/(1 − sᵢ)) from the f64 margins in a
/// loop the compiler vectorises, or, when some direction of the block is next to a deterministic
/// edge or unstable, direction by direction through [`Coeffs::dir`]; then the block's sums in a
/// fixed order (four interleaved partial sums), the same on every target.
fn criterion_block(k: &Coeffs, inv_b: f64, chunk: &[f64]) -> Criterion {
    let unstable = Criterion {
        deterministic: false,
        largest_self: f64::INFINITY,
        coupling: f64::INFINITY,
    };
    if inv_b == 0.0 {
        let all = chunk.iter().all(|&l| k.dir(l).deterministic_stable());
        return if all {
            Criterion {
                deterministic: true,
                largest_self: 0.0,
                coupling: 0.0,
            }
        } else {
            unstable
        };
    }
    let mut selfs = vec![0.0f64; chunk.len()];
    let mut terms = vec![0.0f64; chunk.len()];
    if !criterion_terms_fast(k, inv_b, chunk, &mut selfs, &mut terms) {
        for ((&lambda, slot), term) in chunk.iter().zip(&mut selfs).zip(&mut terms) {
            let d = k.dir(lambda);
            if !d.deterministic_stable() {
                return unstable;
            }
            let (n, chi) = k.transfer(&d, 0.0);
            let s = lambda * lambda * inv_b * n / chi;
            *slot = s;
            *term = s / (1.0 - s);
        }
    }
    criterion_sums(&selfs, &terms)
}

/// max sᵢ (order-free), +∞ coupling when some sᵢ ≥ 1, else Σ sᵢ/(1 − sᵢ) as four interleaved
/// partial sums ((Σ₀ + Σ₁) + (Σ₂ + Σ₃)) + the tail in order.
fn criterion_sums(selfs: &[f64], terms: &[f64]) -> Criterion {
    let (mut mx, mut acc, mut big) = ([0.0f64; 4], [0.0f64; 4], false);
    let (s4, t4) = (selfs.chunks_exact(4), terms.chunks_exact(4));
    let (s_tail, t_tail) = (s4.remainder(), t4.remainder());
    for (s, t) in s4.zip(t4) {
        for j in 0..4 {
            mx[j] = mx[j].max(s[j]);
            big |= s[j] >= 1.0;
            acc[j] += t[j];
        }
    }
    let mut largest = (mx[0].max(mx[1])).max(mx[2].max(mx[3]));
    let mut coupling = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (&s, &t) in s_tail.iter().zip(t_tail) {
        largest = largest.max(s);
        big |= s >= 1.0;
        coupling += t;
    }
    Criterion {
        deterministic: true,
        largest_self: largest,
        coupling: if big { f64::INFINITY } else { coupling },
    }
}

/// sᵢ and sᵢ/(1 − sᵢ) of [`criterion_block`] from the f64 margins; `false` (the slots then
/// undefined) when some direction needs the double-double margins or is deterministically
/// unstable.
fn criterion_terms_fast(
    k: &Coeffs,
    inv_b: f64,
    chunk: &[f64],
    selfs: &mut [f64],
    terms: &mut [f64],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 is present on this CPU.
        return unsafe { criterion_terms_avx2(k, inv_b, chunk, selfs, terms) };
    }
    criterion_terms_body(k, inv_b, chunk, selfs, terms)
}

/// [`criterion_terms_fast`] compiled for AVX2 (4 doubles per vector; no FMA: the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn criterion_terms_avx2(
    k: &Coeffs,
    inv_b: f64,
    chunk: &[f64],
    selfs: &mut [f64],
    terms: &mut [f64],
) -> bool {
    criterion_terms_body(k, inv_b, chunk, selfs, terms)
}

#[inline(always)]
fn criterion_terms_body(
    k: &Coeffs,
    inv_b: f64,
    chunk: &[f64],
    selfs: &mut [f64],
    terms: &mut [f64],
) -> bool {
    // directions next to a deterministic edge are left to the direction-by-direction loop
    let zones = danger_zones(k);
    let (cf, sf) = (k.constant_f, k.slope_f);
    // Coeffs::transfer at t = 0: χ = m₁(m₂m₃), N = (1 + c₀)a² + 2p₁q₁m₂
    let a2 = k.a * k.a;
    let w = 2.0 * k.p1f * k.q1f;
    let mut fallback = false;
    for ((&lambda, slot), term) in chunk.iter().zip(selfs).zip(terms) {
        let m1 = cf[0] - sf[0] * lambda;
        let plus = cf[1] - sf[1] * lambda;
        let m2 = cf[2] - sf[2] * lambda;
        let m3 = cf[3] - sf[3] * lambda;
        let near = zones.iter().fold(false, |acc, &(lo, hi)| {
            acc | ((lambda > lo) & (lambda < hi))
        });
        fallback |= near | !((m1 > 0.0) & (m2 > 0.0) & (m3 > 0.0));
        let s = lambda * lambda * inv_b * (plus * a2 + w * m2) / (m1 * (m2 * m3));
        *slot = s;
        *term = s / (1.0 - s);
    }
    !fallback
}

/// One block's Φ(1 + t) = Σ sᵢ/(1 − sᵢ) (four interleaved partial sums, as
/// [`criterion_sums`]), `None` when some sᵢ(1 + t) ≥ 1 or χᵢ(1 + t) ≤ 0: from the f64 margins
/// in a vectorised loop, and direction by direction through [`Coeffs::dir`] for the directions
/// of the block next to a deterministic edge (in a danger zone). Outside the zones
/// [`Coeffs::dir`] takes the same f64 route as the loop, so its terms are kept: the same bits as
/// recomputing every direction of such a block.
fn phi_block(k: &Coeffs, inv_b: f64, chunk: &[f64], t: f64) -> Option<f64> {
    // the terms on the stack for small data (the searches call this ~10⁶ times)
    let mut stack = [0.0f64; 256];
    let mut heap = Vec::new();
    let terms: &mut [f64] = if chunk.len() <= stack.len() {
        &mut stack[..chunk.len()]
    } else {
        heap.resize(chunk.len(), 0.0);
        &mut heap
    };
    let (near, bad_outside) = phi_terms_split(k, inv_b, chunk, t, terms);
    if bad_outside {
        return None;
    }
    if near {
        let zones = danger_zones(k);
        for (&lambda, term) in chunk.iter().zip(terms.iter_mut()) {
            if zones.iter().any(|&(lo, hi)| lambda > lo && lambda < hi) {
                let (n, chi) = k.transfer(&k.dir(lambda), t);
                let s = lambda * lambda * inv_b * n / chi;
                if s.is_nan() || s >= 1.0 || chi <= 0.0 {
                    return None;
                }
                *term = s / (1.0 - s);
            }
        }
    }
    Some(sum_by_fours(terms))
}

/// Σ terms in four interleaved partial sums, then the remainder in order: the one summation
/// order of Φ's terms (so that it vectorises; every route to Φ sums this way).
fn sum_by_fours(terms: &[f64]) -> f64 {
    let (t4, tail) = (terms.chunks_exact(4), terms.chunks_exact(4).remainder());
    let mut acc = [0.0f64; 4];
    for t in t4 {
        for j in 0..4 {
            acc[j] += t[j];
        }
    }
    let mut phi = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for &term in tail {
        phi += term;
    }
    phi
}

/// The terms of [`phi_block`] from the f64 margins: `Some(true)` when every term is defined,
/// `Some(false)` when some sᵢ ≥ 1 or χᵢ ≤ 0, `None` when some direction needs the double-double
/// margins.
#[cfg(test)]
fn phi_terms_fast(
    k: &Coeffs,
    inv_b: f64,
    chunk: &[f64],
    t: f64,
    terms: &mut [f64],
) -> Option<bool> {
    let (near, bad) = phi_terms_split(k, inv_b, chunk, t, terms);
    if near { None } else { Some(!bad) }
}

/// The terms of [`phi_block`] from the f64 margins, every slot written: (some direction is in a
/// danger zone and needs [`Coeffs::dir`], some direction outside the zones has sᵢ ≥ 1 or
/// χᵢ ≤ 0).
fn phi_terms_split(
    k: &Coeffs,
    inv_b: f64,
    chunk: &[f64],
    t: f64,
    terms: &mut [f64],
) -> (bool, bool) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 is present on this CPU.
        return unsafe { phi_terms_avx2(k, inv_b, chunk, t, terms) };
    }
    phi_terms_body(k, inv_b, chunk, t, terms)
}

/// [`phi_terms_split`] compiled for AVX2 (no FMA: the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn phi_terms_avx2(
    k: &Coeffs,
    inv_b: f64,
    chunk: &[f64],
    t: f64,
    terms: &mut [f64],
) -> (bool, bool) {
    phi_terms_body(k, inv_b, chunk, t, terms)
}

#[inline(always)]
fn phi_terms_body(
    k: &Coeffs,
    inv_b: f64,
    chunk: &[f64],
    t: f64,
    terms: &mut [f64],
) -> (bool, bool) {
    let zones = danger_zones(k);
    let (cf, sf) = (k.constant_f, k.slope_f);
    let (mut near, mut bad) = (false, false);
    for (&lambda, term) in chunk.iter().zip(terms) {
        let d = Dir {
            m1: cf[0] - sf[0] * lambda,
            plus: cf[1] - sf[1] * lambda,
            m2: cf[2] - sf[2] * lambda,
            m3: cf[3] - sf[3] * lambda,
        };
        let here = zones.iter().fold(false, |acc, &(lo, hi)| {
            acc | ((lambda > lo) & (lambda < hi))
        });
        near |= here;
        let (n, chi) = k.transfer(&d, t);
        let s = lambda * lambda * inv_b * n / chi;
        bad |= (s.is_nan() | (s >= 1.0) | (chi <= 0.0)) & !here;
        *term = s / (1.0 - s);
    }
    (near, bad)
}

/// The numbers of [`phi_block`] that do not depend on t, per direction of one block: the
/// margins ([`Coeffs::dir`] inside a danger zone, the f64 ones outside, as `phi_block` takes
/// them), m₂m₃ and λ²/B; and room for the terms. [`Gaussian::rate`] evaluates Φ(1 + t) some
/// thirty times per recurrence, and each evaluation then forms only what depends on t.
struct PhiDirs {
    m1: Vec<f64>,
    plus: Vec<f64>,
    m2: Vec<f64>,
    m2m3: Vec<f64>,
    scale: Vec<f64>,
    terms: Vec<f64>,
}

impl PhiDirs {
    fn new(k: &Coeffs, inv_b: f64, chunk: &[f64]) -> PhiDirs {
        let n = chunk.len();
        let mut p = PhiDirs {
            m1: vec![0.0; n],
            plus: vec![0.0; n],
            m2: vec![0.0; n],
            m2m3: vec![0.0; n],
            scale: vec![0.0; n],
            terms: vec![0.0; n],
        };
        if p.fill(k, inv_b, chunk) {
            // the directions in a danger zone take their margins from Coeffs::dir
            let zones = danger_zones(k);
            for (i, &lambda) in chunk.iter().enumerate() {
                if zones.iter().any(|&(lo, hi)| lambda > lo && lambda < hi) {
                    let d = k.dir(lambda);
                    (p.m1[i], p.plus[i], p.m2[i]) = (d.m1, d.plus, d.m2);
                    p.m2m3[i] = d.m2 * d.m3;
                }
            }
        }
        p
    }

    /// Every direction's tables from the f64 margins; whether some direction is in a danger
    /// zone.
    fn fill(&mut self, k: &Coeffs, inv_b: f64, chunk: &[f64]) -> bool {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 is present on this CPU.
            return unsafe { self.fill_avx2(k, inv_b, chunk) };
        }
        self.fill_body(k, inv_b, chunk)
    }

    /// [`Self::fill`] compiled for AVX2 (no FMA: the same bits).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn fill_avx2(&mut self, k: &Coeffs, inv_b: f64, chunk: &[f64]) -> bool {
        self.fill_body(k, inv_b, chunk)
    }

    #[inline(always)]
    fn fill_body(&mut self, k: &Coeffs, inv_b: f64, chunk: &[f64]) -> bool {
        let zones = danger_zones(k);
        let (cf, sf) = (k.constant_f, k.slope_f);
        let n = chunk.len();
        let (m1, plus, m2) = (&mut self.m1[..n], &mut self.plus[..n], &mut self.m2[..n]);
        let (m2m3, scale) = (&mut self.m2m3[..n], &mut self.scale[..n]);
        let mut near = false;
        for (i, &lambda) in chunk.iter().enumerate() {
            near |= zones.iter().fold(false, |acc, &(lo, hi)| {
                acc | ((lambda > lo) & (lambda < hi))
            });
            m1[i] = cf[0] - sf[0] * lambda;
            plus[i] = cf[1] - sf[1] * lambda;
            m2[i] = cf[2] - sf[2] * lambda;
            m2m3[i] = m2[i] * (cf[3] - sf[3] * lambda);
            scale[i] = lambda * lambda * inv_b;
        }
        near
    }

    /// [`phi_block`] of the block at t, bit for bit: [`Coeffs::transfer`]'s operations in its
    /// order, with the t-free products read from the tables.
    fn phi(&mut self, k: &Coeffs, t: f64) -> Option<f64> {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 is present on this CPU.
            return unsafe { self.phi_avx2(k, t) };
        }
        self.phi_body(k, t)
    }

    /// [`Self::phi`] compiled for AVX2 (no FMA: the same bits).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn phi_avx2(&mut self, k: &Coeffs, t: f64) -> Option<f64> {
        self.phi_body(k, t)
    }

    #[inline(always)]
    fn phi_body(&mut self, k: &Coeffs, t: f64) -> Option<f64> {
        let (p1, q1) = (k.p1f, k.q1f);
        // Coeffs::transfer's subexpressions that do not depend on the direction
        let (t1, tt) = (1.0 + t, t * t);
        let na = k.a * k.a + t * p1 * (p1 - 2.0 * q1);
        let nb = t * ((1.0 + t) * p1 * p1 + q1 * q1);
        let w = 2.0 * p1 * q1 * (1.0 + t);
        let n = self.terms.len();
        let (m1, plus, m2) = (&self.m1[..n], &self.plus[..n], &self.m2[..n]);
        let (m2m3, scale) = (&self.m2m3[..n], &self.scale[..n]);
        let mut bad = false;
        for (i, term) in self.terms.iter_mut().enumerate() {
            let chi = (m1[i] + t) * (m2m3[i] * t1 + t * plus[i] * m1[i] + tt);
            let num = plus[i] * na + nb + w * m2[i];
            let s = scale[i] * num / chi;
            bad |= s.is_nan() | (s >= 1.0) | (chi <= 0.0);
            *term = s / (1.0 - s);
        }
        if bad {
            None
        } else {
            Some(sum_by_fours(&self.terms))
        }
    }
}

/// For each Jury margin cᵢ − slopeᵢ·λ, the λ where [`Coeffs::dir`] may leave f64 (r = slopeᵢλ/cᵢ
/// in (3/5, 5/3), widened to (1/2, 2), far beyond rounding); an empty zone where cᵢ and slopeᵢ
/// differ in sign or one is 0.
fn danger_zones(k: &Coeffs) -> [(f64, f64); 4] {
    let zone = |i: usize| {
        let (c, sl) = (k.constant_f[i], k.slope_f[i]);
        if c == 0.0 || sl == 0.0 || (c > 0.0) != (sl > 0.0) {
            (f64::INFINITY, f64::NEG_INFINITY)
        } else {
            (0.5 * (c / sl), 2.0 * (c / sl))
        }
    };
    [zone(0), zone(1), zone(2), zone(3)]
}

/// c, r with B = c·rᵀ for a rank-one 2×2 B (its largest entry's column and row); zero B gives
/// zero vectors.
fn rank_one(b: &[[f64; 2]; 2]) -> Result<([f64; 2], [f64; 2])> {
    let (mut p, mut q, mut big) = (0, 0, 0.0f64);
    for (i, row) in b.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            if v.abs() > big {
                (p, q, big) = (i, j, v.abs());
            }
        }
    }
    if big == 0.0 {
        return Ok(([0.0; 2], [0.0; 2]));
    }
    let c = [b[0][q], b[1][q]];
    let r = [b[p][0] / b[p][q], b[p][1] / b[p][q]];
    let det = b[0][0] * b[1][1] - b[0][1] * b[1][0];
    if det.abs() > 1e-12 * big * big {
        return Err(Error::Usage(
            "a step takes two gradients (its λ-part has rank 2): the minibatch model takes one per step".into(),
        ));
    }
    Ok((c, r))
}

impl Gaussian {
    /// The data whose covariance is `spectrum`: its listed eigenvalues, or an interval spread
    /// over `dim` evenly spaced values ([`DEFAULT_DIM`] when `None`) — what every front end builds.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Spectrum, minibatch::{Batch, Gaussian}};
    /// let g = Gaussian::from_spectrum(&Spectrum::interval(0.1, 1.0)?, None, Batch::new(4)?, 0.0)?;
    /// assert_eq!(g.dim(), 100);
    /// assert!(Gaussian::from_spectrum(&Spectrum::eigenvalues(vec![1.0])?, Some(5), Batch::Full, 0.0).is_err());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `dim` with listed eigenvalues ([`Error::Usage`]); what [`Gaussian::eigenvalues`] and
    /// [`Gaussian::interval`] reject.
    pub fn from_spectrum(
        spectrum: &Spectrum,
        dim: Option<usize>,
        batch: Batch,
        label_noise: f64,
    ) -> Result<Gaussian> {
        match spectrum {
            Spectrum::Interval { mu, l } => {
                Gaussian::interval(*mu, *l, dim.unwrap_or(DEFAULT_DIM), batch, label_noise)
            }
            Spectrum::Eigenvalues(v) => {
                if dim.is_some() {
                    return Err(Error::Usage(format!(
                        "a dimension spreads eigenvalues over an interval; the listed spectrum fixes it ({} eigenvalues)",
                        v.len()
                    )));
                }
                Gaussian::eigenvalues(v.clone(), batch, label_noise)
            }
        }
    }

    /// Listed covariance eigenvalues (all finite and > 0), batch size and label noise σ ≥ 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::minibatch::{Batch, Gaussian};
    /// let g = Gaussian::eigenvalues(vec![1.0, 0.5], Batch::Full, 0.1)?;
    /// assert_eq!(g.dim(), 2);
    /// assert!(Gaussian::eigenvalues(vec![1.0, 0.0], Batch::Full, 0.0).is_err());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// No eigenvalues ([`Error::EmptySpectrum`]), an eigenvalue not finite or not > 0 (a
    /// covariance with a null direction has no mean-square decay there), σ not finite or < 0.
    pub fn eigenvalues(eigenvalues: Vec<f64>, batch: Batch, label_noise: f64) -> Result<Gaussian> {
        if eigenvalues.is_empty() {
            return Err(Error::EmptySpectrum);
        }
        for &l in &eigenvalues {
            positive("covariance eigenvalue", l)?;
        }
        if let Batch::Size(0) = batch {
            Batch::new(0)?;
        }
        finite("label noise", label_noise)?;
        if label_noise < 0.0 {
            return Err(Error::OutOfRange {
                name: "label noise",
                value: label_noise,
                expected: "sigma >= 0",
            });
        }
        Ok(Gaussian {
            eigenvalues,
            batch,
            label_noise,
        })
    }

    /// d eigenvalues evenly spread over [μ, L], both ends included:
    /// λᵢ = μ + (L − μ)(i − 1)/(d − 1) (d = 1 needs μ = L). A discrete uniform density, not the
    /// continuum limit: the dimension d enters the coupling Σⱼ λⱼYⱼ.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::minibatch::{Batch, Gaussian};
    /// let g = Gaussian::interval(1.0, 3.0, 3, Batch::new(4)?, 0.0)?;
    /// assert_eq!(g.listed(), &[1.0, 2.0, 3.0]);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// μ or L not finite and > 0, μ > L, d = 0, d = 1 with μ ≠ L, and as [`Gaussian::eigenvalues`].
    pub fn interval(
        mu: f64,
        l: f64,
        dim: usize,
        batch: Batch,
        label_noise: f64,
    ) -> Result<Gaussian> {
        positive("mu", mu)?;
        positive("L", l)?;
        if mu > l {
            return Err(Error::EmptyInterval { mu, l });
        }
        if dim == 0 || (dim == 1 && mu != l) {
            return Err(Error::OutOfRange {
                name: "dimension",
                value: dim as f64,
                expected: ">= 2 (>= 1 when mu = L): the eigenvalues are spread over [mu, L]",
            });
        }
        let values = if dim == 1 {
            vec![mu]
        } else {
            (0..dim)
                .map(|i| {
                    if i + 1 == dim {
                        l
                    } else {
                        mu + (l - mu) * i as f64 / (dim - 1) as f64
                    }
                })
                .collect()
        };
        Gaussian::eigenvalues(values, batch, label_noise)
    }

    /// The covariance eigenvalues.
    pub fn listed(&self) -> &[f64] {
        &self.eigenvalues
    }

    /// The dimension n.
    pub fn dim(&self) -> usize {
        self.eigenvalues.len()
    }

    /// The batch size.
    pub fn batch(&self) -> Batch {
        self.batch
    }

    /// The label noise σ.
    pub fn label_noise(&self) -> f64 {
        self.label_noise
    }

    /// The same data at another batch size.
    pub fn with_batch(&self, batch: Batch) -> Result<Gaussian> {
        Gaussian::eigenvalues(self.eigenvalues.clone(), batch, self.label_noise)
    }

    /// The spectrum [min λ, max λ] (the deterministic problem's worst case lives at its ends).
    pub fn spectrum(&self) -> Result<Spectrum> {
        let (lo, hi) = self.bounds();
        Spectrum::interval(lo, hi)
    }

    fn bounds(&self) -> (f64, f64) {
        self.eigenvalues
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &l| {
                (a.min(l), b.max(l))
            })
    }

    /// The exact mean-square criterion at z = 1: deterministic stability of every direction,
    /// max sᵢ(1) and Φ(1) = Σ sᵢ/(1 − sᵢ), sᵢ = λᵢ²hᵢ(1)/B (module docs).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, minibatch::{Batch, Gaussian}};
    /// // SGD on one direction: s = h/(B(2 − h)); h = 0.5, B = 1: s = 1/3, Φ = 1/2
    /// let g = Gaussian::eigenvalues(vec![1.0], Batch::new(1)?, 0.0)?;
    /// let c = g.criterion(&Method::gradient_descent(0.5)?.recurrence());
    /// assert!((c.coupling - 0.5).abs() < 1e-15 && c.is_stable());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn criterion(&self, rec: &Recurrence) -> Criterion {
        let k = Coeffs::new(rec);
        let inv_b = self.batch.inverse();
        // fixed blocks summed in order, each block in order: the same bits whether the blocks run
        // in parallel (feature `parallel`) or one after another (wasm)
        let parts = self.blocks(|chunk| criterion_block(&k, inv_b, chunk));
        let mut crit = Criterion {
            deterministic: true,
            largest_self: 0.0,
            coupling: 0.0,
        };
        for p in parts {
            if !p.deterministic {
                return p;
            }
            crit.largest_self = crit.largest_self.max(p.largest_self);
            crit.coupling += p.coupling;
        }
        crit
    }

    /// Mean-square stable: ρ(𝒯) < 1, decided exactly at z = 1 ([`Gaussian::criterion`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, minibatch::{Batch, Gaussian}};
    /// let g = Gaussian::eigenvalues((1..=100).map(|i| 1.0 / i as f64).collect(), Batch::new(1)?, 0.0)?;
    /// // heavy ball β = 0.9 at batch 1: the edge is α ≈ 0.03604, not the full-batch 3.8
    /// assert!(g.is_stable(&Method::heavy_ball(0.036, 0.9)?.recurrence())?);
    /// assert!(!g.is_stable(&Method::heavy_ball(0.0361, 0.9)?.recurrence())?);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// None in practice (kept for uniformity with the other entry points).
    pub fn is_stable(&self, rec: &Recurrence) -> Result<bool> {
        Ok(self.criterion(rec).is_stable())
    }

    /// `f` on the eigenvalues in fixed blocks of [`CRITERION_BLOCK`], in order (in parallel under
    /// the feature `parallel` when there is more than one block).
    fn blocks<T: Send>(&self, f: impl Fn(&[f64]) -> T + Sync + Send) -> Vec<T> {
        #[cfg(feature = "parallel")]
        if self.eigenvalues.len() > CRITERION_BLOCK {
            use rayon::prelude::*;
            return self
                .eigenvalues
                .par_chunks(CRITERION_BLOCK)
                .map(f)
                .collect();
        }
        self.eigenvalues.chunks(CRITERION_BLOCK).map(f).collect()
    }

    /// Φ(1 + t) − 1 when every sᵢ(1 + t) < 1 (z above every direction's own pole), else `None`
    /// (z is then below ρ(𝒯)); the blocks' sums added in order.
    fn phi_minus_one(&self, k: &Coeffs, t: f64) -> Option<f64> {
        let inv_b = self.batch.inverse();
        if self.eigenvalues.len() <= CRITERION_BLOCK {
            // one block: the sum below without collecting the parts
            let phi = 0.0 + phi_block(k, inv_b, &self.eigenvalues, t)?;
            return Some(phi - 1.0);
        }
        let parts = self.blocks(|chunk| phi_block(k, inv_b, chunk, t));
        let mut phi = 0.0;
        for p in parts {
            phi += p?;
        }
        Some(phi - 1.0)
    }

    /// The mean-square rate ρ(𝒯): the spectral radius of the second-moment operator, so that
    /// E‖e_k‖² shrinks like ρ(𝒯)ᵏ (its square root is the per-step rate of the root mean square
    /// error). ρ(𝒯) ≥ ρ_det² with equality at the full batch.
    ///
    /// A bracketing search in z on the monotone predicate "every sᵢ(z) < 1 and Φ(z) ≤ 1" over
    /// (ρ_det², ∞), to a relative 4ε: false position (Illinois) on 1/Φ − 1, which is nearly
    /// linear next to a direction's pole, the line through the last two upper points where the
    /// lower end is undefined, bisection (geometric in z − ρ_det²) otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, minibatch::{Batch, Gaussian}};
    /// // SGD, one direction, B = 1: P′ = E(1 − αa²)² P = (1 − 2h + 3h²) P
    /// let g = Gaussian::eigenvalues(vec![1.0], Batch::new(1)?, 0.0)?;
    /// let r = g.rate(&Method::gradient_descent(0.25)?.recurrence())?;
    /// assert!((r - (1.0 - 0.5 + 3.0 / 16.0)).abs() < 1e-14);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Spectrum::worst_case`] at the extreme eigenvalues.
    pub fn rate(&self, rec: &Recurrence) -> Result<f64> {
        let rho = self.spectrum()?.worst_case(rec)?.spectral_radius();
        let floor = rho * rho;
        if self.batch == Batch::Full {
            return Ok(floor);
        }
        let k = Coeffs::new(rec);
        // one block: its t-free numbers once (`phi_minus_one`'s bits, `PhiDirs::phi`)
        let mut dirs = (self.eigenvalues.len() <= CRITERION_BLOCK)
            .then(|| PhiDirs::new(&k, self.batch.inverse(), &self.eigenvalues));
        // q(z) = 1/Φ(z) − 1: ≥ 0 from ρ(𝒯) up, < 0 or undefined below; next to a direction's pole
        // (where ρ(𝒯) sits when one slow direction dominates) Φ ≈ c/(z − p), so q is nearly linear
        let mut q = |z: f64| {
            let v = match dirs.as_mut() {
                Some(d) => d.phi(&k, z - 1.0).map(|phi| (0.0 + phi) - 1.0),
                None => self.phi_minus_one(&k, z - 1.0),
            };
            v.map(|v| 1.0 / (v + 1.0) - 1.0)
        };
        // bracket: q(lo) undefined or < 0, q(hi) ≥ 0; z = 1 first when it is stable
        let mut lo = (floor, None::<f64>);
        let mut hi = if floor < 1.0 && self.criterion(rec).is_stable() {
            1.0
        } else {
            (2.0 * floor).max(1.0)
        };
        let mut qhi = loop {
            match q(hi) {
                Some(v) if v >= 0.0 => break v,
                v => {
                    lo = (hi, v);
                    hi *= 2.0;
                    if !hi.is_finite() {
                        return Ok(f64::INFINITY);
                    }
                }
            }
        };
        let mut prev_hi: Option<(f64, f64)> = None;
        // a point of (zl, hi): geometric in the distance above the floor across more than a
        // factor 4 (the rate may sit anywhere from ulps to orders of magnitude above it), else
        // the midpoint
        let split = |zl: f64, hi: f64| {
            let tiny = f64::EPSILON * floor.abs().max(f64::MIN_POSITIVE);
            let (dl, dh) = ((zl - floor).max(tiny), hi - floor);
            let z = if dh > 4.0 * dl {
                floor + dl.sqrt() * dh.sqrt()
            } else {
                0.5 * (zl + hi)
            };
            if z > zl && z < hi { z } else { 0.5 * (zl + hi) }
        };
        // Illinois false position on q where both ends are defined; where the lower end is not,
        // the line through the last two upper points (then bisection when it leaves the bracket)
        let (mut last, mut same) = (0i8, 0u32);
        for _ in 0..300 {
            let (zl, ql) = lo;
            if hi - zl <= 4.0 * f64::EPSILON * hi || qhi == 0.0 {
                break;
            }
            let line = |(z1, q1): (f64, f64), (z2, q2): (f64, f64)| z2 - q2 * (z2 - z1) / (q2 - q1);
            let secant = match ql {
                Some(ql) if ql.is_finite() && same < 3 => {
                    let z = line((zl, ql), (hi, qhi));
                    Some(if z > zl && z < hi { z } else { split(zl, hi) })
                }
                None => prev_hi
                    .filter(|&(_, qp)| qp.is_finite() && qhi.is_finite() && qp != qhi)
                    .map(|p| line(p, (hi, qhi)))
                    .filter(|&z| z > zl && z < hi),
                _ => None,
            };
            let mid = secant.unwrap_or_else(|| split(zl, hi));
            if mid <= zl || mid >= hi {
                break;
            }
            let end = match q(mid) {
                Some(v) if v >= 0.0 => {
                    prev_hi = Some((hi, qhi));
                    hi = mid;
                    qhi = v;
                    -1
                }
                v => {
                    lo = (mid, v);
                    1
                }
            };
            if secant.is_none() || lo.1.is_none() {
                same = 0;
            } else if end == last {
                same += 1;
                // Illinois: halve the weight of the end that stays
                if end < 0 {
                    if let Some(ql) = lo.1.as_mut() {
                        *ql *= 0.5;
                    }
                } else {
                    qhi *= 0.5;
                }
            } else {
                same = 0;
            }
            last = end;
        }
        Ok(hi)
    }

    /// The steps t of a family `build(t)` that are stable in mean square: an open interval
    /// (lo, hi) inside the deterministic stable interval of [`stable_steps`] (so `build` must be
    /// affine in t, as every family and framework convention is).
    ///
    /// The deterministic interval is sampled at 32 points (geometrically, a factor 4 apart, when
    /// it starts at 0), the largest mean-square stable sample found from the top, and the edge
    /// refined between it and the next sample by false position (Illinois) on ln Φ(1) against
    /// ln t (Φ grows like a power of t), with bisection where Φ is undefined (geometric in
    /// x/(1 − x) over the deterministic interval, x its relative position), to adjacent
    /// floats, each decision by the exact criterion
    /// of [`Gaussian::criterion`]. The stable run is taken to reach down to the smallest sample
    /// when that one is stable (else its lower end is refined the same way). For gradient
    /// descent and heavy ball the stable set is exactly one interval (module docs); for other
    /// methods this is the assumption. Returns `None` when no sample is stable.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, minibatch::{Batch, Gaussian}};
    /// let g = Gaussian::eigenvalues(vec![1.0], Batch::new(1)?, 0.0)?;
    /// let iv = g.stable_steps(|t| Ok(Method::gradient_descent(t)?.recurrence()))?.unwrap();
    /// assert!(iv.lo == 0.0 && (iv.hi - 2.0 / 3.0).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// What `build` returns.
    pub fn stable_steps(
        &self,
        build: impl Fn(f64) -> Result<Recurrence>,
    ) -> Result<Option<StepInterval>> {
        let Some(det) = stable_steps(&self.spectrum()?, &build)? else {
            return Ok(None);
        };
        if self.batch == Batch::Full {
            return Ok(Some(det));
        }
        // Some(1 − Φ(1)) where every direction is stable with sᵢ < 1 (stable iff > 0), else None
        let margin = |t: f64| -> Result<Option<f64>> {
            let c = self.criterion(&build(t)?);
            Ok((c.deterministic && c.largest_self < 1.0).then_some(1.0 - c.coupling))
        };
        let is_ok = |m: Option<f64>| matches!(m, Some(v) if v > 0.0);
        let hi_cap = if det.hi.is_finite() {
            det.hi
        } else {
            det.lo.max(1.0) * 1e6
        };
        // largest first
        let samples: Vec<f64> = if det.lo == 0.0 {
            (1..=32).map(|k| hi_cap * 0.25f64.powi(k)).collect()
        } else {
            (1..32)
                .rev()
                .map(|k| det.lo + (hi_cap - det.lo) * k as f64 / 32.0)
                .collect()
        };
        let mut top = None;
        let mut above = None;
        for (i, &t) in samples.iter().enumerate() {
            let m = margin(t)?;
            if is_ok(m) {
                top = Some((i, m.unwrap_or(0.0)));
                break;
            }
            above = m;
        }
        let Some((i1, m1)) = top else {
            return Ok(None);
        };
        // a point between a and b in the domain (d_lo, d_hi): the midpoint in x/(1 − x),
        // x = (t − d_lo)/(d_hi − d_lo), where the two are more than a factor 4 apart in it
        // (geometric next to either end of the domain), else the plain midpoint; from the end
        // d_hi itself (the deterministic edge) an eighth of the way there
        let (d_lo, d_hi) = (det.lo, hi_cap);
        let split = |a: f64, b: f64| -> f64 {
            let x = |t: f64| (t - d_lo) / (d_hi - d_lo);
            let (xa, xb) = (x(a), x(b));
            let mid = 0.5 * (a + b);
            if xa <= 0.0 || xb <= 0.0 {
                return mid;
            }
            if xa >= 1.0 || xb >= 1.0 {
                let inner = if xa >= 1.0 { b } else { a };
                return d_hi - (d_hi - inner) / 8.0;
            }
            let (ua, ub) = ((xa / (1.0 - xa)).ln(), (xb / (1.0 - xb)).ln());
            if (ua - ub).abs() <= 4f64.ln() {
                return mid;
            }
            let e = (0.5 * (ua + ub)).exp();
            let t = d_lo + (d_hi - d_lo) * (e / (1.0 + e));
            if (t - a) * (t - b) < 0.0 { t } else { mid }
        };
        // the edge between a stable point `ok` (margin m_ok > 0) and an unstable one `bad` (its
        // margin m_bad): Illinois false position on g = ln Φ(1) = ln(1 − m) against ln t (Φ
        // grows like a power of t, so g is nearly linear in ln t), linear where an end is 0 or
        // Φ = 0, bisection (geometric across more than a factor 2) where Φ is undefined
        let refine = |ok: f64, m_ok: f64, bad: f64, m_bad: Option<f64>| -> Result<f64> {
            let g = |m: f64| (1.0 - m).ln();
            let (mut ok, mut g_ok, mut bad) = (ok, g(m_ok), bad);
            let mut g_bad = m_bad.map(g);
            let mut prev_ok: Option<(f64, f64)> = None;
            let (mut last, mut same) = (0i8, 0u32);
            for _ in 0..400 {
                // ln t only across a wide bracket (exp∘ln would blur a narrow one)
                let logs = ok > 0.0 && bad > 0.0 && (bad / ok).max(ok / bad) > 1.01;
                let mid_bisect = split(ok, bad);
                let loglog = |(t1, g1): (f64, f64), (t2, g2): (f64, f64)| {
                    let (u1, u2) = (t1.ln(), t2.ln());
                    (u1 - g1 * (u2 - u1) / (g2 - g1)).exp()
                };
                let inside = |z: f64| (z - ok) * (z - bad) < 0.0;
                let secant = match g_bad {
                    Some(gb) if gb.is_finite() && g_ok.is_finite() && same < 3 => {
                        let z = if logs {
                            loglog((ok, g_ok), (bad, gb))
                        } else {
                            ok - g_ok * (bad - ok) / (gb - g_ok)
                        };
                        Some(if inside(z) { z } else { mid_bisect })
                    }
                    // Φ undefined at `bad`: extrapolate from the last two stable points
                    None => prev_ok
                        .filter(|&(tp, gp): &(f64, f64)| {
                            logs && tp > 0.0 && gp.is_finite() && g_ok.is_finite() && gp != g_ok
                        })
                        .map(|p| loglog(p, (ok, g_ok)))
                        .filter(|&z| inside(z)),
                    _ => None,
                };
                let mid = secant.unwrap_or(mid_bisect);
                if mid == ok || mid == bad {
                    break;
                }
                let m = margin(mid)?;
                let end = if is_ok(m) {
                    prev_ok = Some((ok, g_ok));
                    ok = mid;
                    g_ok = g(m.unwrap_or(0.0));
                    1
                } else {
                    bad = mid;
                    g_bad = m.map(g);
                    -1
                };
                if secant.is_none() {
                    same = 0;
                } else if end == last {
                    same += 1;
                    // Illinois: halve the g of the end that stays
                    if end > 0 {
                        g_bad = g_bad.map(|v| 0.5 * v);
                    } else {
                        g_ok *= 0.5;
                    }
                } else {
                    same = 0;
                }
                last = end;
            }
            Ok(bad)
        };
        let (upper, m_upper) = if i1 == 0 {
            (hi_cap, margin(hi_cap)?)
        } else {
            (samples[i1 - 1], above)
        };
        let hi = refine(samples[i1], m1, upper, m_upper)?;
        let smallest = samples.len() - 1;
        let m_small = margin(samples[smallest])?;
        let lo = if is_ok(m_small) {
            det.lo
        } else {
            // walk down from the top stable sample to the run's lower end
            let mut i0 = i1;
            let mut m0 = m1;
            let mut below = m_small;
            while i0 + 1 < samples.len() {
                let m = margin(samples[i0 + 1])?;
                if !is_ok(m) {
                    below = m;
                    break;
                }
                i0 += 1;
                m0 = m.unwrap_or(0.0);
            }
            refine(samples[i0], m0, samples[i0 + 1], below)?
        };
        Ok(Some(StepInterval { lo, hi }))
    }

    /// E‖e_N‖²/E‖e₀‖² after `steps` steps from rest (e₋₁ = e₀) with E e₀e₀ᵀ = I, without label
    /// noise (the homogeneous part; label noise adds a term that does not depend on e₀): the
    /// recursion of the module docs run N times, O(nN).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, minibatch::{Batch, Gaussian}};
    /// let g = Gaussian::eigenvalues(vec![1.0], Batch::new(1)?, 0.0)?;
    /// // SGD: (1 − 2h + 3h²)^N
    /// let f = g.mean_square_factor(&Method::gradient_descent(0.25)?.recurrence(), 10)?;
    /// assert!((f - (0.6875f64).powi(10)).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// None in practice.
    pub fn mean_square_factor(&self, rec: &Recurrence, steps: usize) -> Result<f64> {
        let n = self.dim();
        let mut state = vec![[1.0f64; 3]; n];
        self.run_moments(rec, &mut state, steps, 0.0);
        Ok(state.iter().map(|s| s[0]).sum::<f64>() / n as f64)
    }

    /// E‖x_N‖²/E‖x₀‖² of a run under a schedule ([`Run`](crate::schedule::Run): each step in its framework's own
    /// state s = (x, u), s' = (A_k + λB_k)s, from the run's start with E x₀x₀ᵀ = I), without label
    /// noise. B_k = c·rᵀ (the gradient's input c times the point r·s where it is taken), so per
    /// direction the state's second moment Sᵢ = E sᵢsᵢᵀ follows
    /// Sᵢ' = MᵢSᵢMᵢᵀ + c cᵀ (λᵢ²yᵢ + λᵢ Σⱼ λⱼyⱼ)/B with Mᵢ = A_k + λᵢB_k and yᵢ = rᵀSᵢr
    /// (E[(Ĝ − H)Y(Ĝ − H)] = (HYH + tr(HY)H)/B for Gaussian features): O(nN). With a constant
    /// schedule it is [`Gaussian::mean_square_factor`] in the framework's own coordinates.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Spectrum, minibatch::{Batch, Gaussian}, schedule::{Run, Schedule}};
    /// use momentum::setting::Setting;
    /// // SGD, one direction λ = 1, B = 1: each step multiplies E x² by 1 − 2h + 3h², h = lr
    /// let g = Gaussian::eigenvalues(vec![1.0], Batch::new(1)?, 0.0)?;
    /// let s = Setting { lr: Some(0.5), momentum: Some(0.0), ..Setting::named("canonical", Some("gd"))? };
    /// let r = s.resolve(&Spectrum::eigenvalues(vec![1.0])?)?;
    /// let run = Run::new(&r, &Schedule::lr(vec![0.25, 0.5]), 2)?;
    /// let f = g.mean_square_factor_run(&run)?;
    /// assert!((f - 0.6875 * 0.75).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A step whose λ-part is not of rank one (no single gradient input: none of the
    /// frameworks' own runs).
    pub fn mean_square_factor_run(&self, run: &crate::schedule::Run) -> Result<f64> {
        let inv_b = self.batch.inverse();
        let st = run.start();
        let s0 = [st[0] * st[0], st[0] * st[1], st[1] * st[1]];
        // per direction [S₀₀, S₀₁, S₁₁]
        let mut state = vec![s0; self.dim()];
        for step in run.steps() {
            let (c, r) = rank_one(&step.b)?;
            let y =
                |s: &[f64; 3]| r[0] * r[0] * s[0] + 2.0 * r[0] * r[1] * s[1] + r[1] * r[1] * s[2];
            let total: f64 = self
                .eigenvalues
                .iter()
                .zip(&state)
                .map(|(&l, s)| l * y(s))
                .sum();
            for (&l, s) in self.eigenvalues.iter().zip(state.iter_mut()) {
                let m = step.at(l);
                let (m00, m01, m10, m11) = (m[(0, 0)], m[(0, 1)], m[(1, 0)], m[(1, 1)]);
                // M S Mᵀ for symmetric S = [[a, b], [b, d]]
                let [a, b, d] = *s;
                let (r0a, r0b) = (m00 * a + m01 * b, m00 * b + m01 * d);
                let (r1a, r1b) = (m10 * a + m11 * b, m10 * b + m11 * d);
                let noise = inv_b * (l * l * y(s) + l * total);
                *s = [
                    r0a * m00 + r0b * m01 + c[0] * c[0] * noise,
                    r0a * m10 + r0b * m11 + c[0] * c[1] * noise,
                    r1a * m10 + r1b * m11 + c[1] * c[1] * noise,
                ];
            }
        }
        let x0 = s0[0];
        Ok(state.iter().map(|s| s[0]).sum::<f64>() / (self.dim() as f64 * x0))
    }

    /// Run the moment recursion `steps` times in place, with label-noise variance `sigma2`.
    fn run_moments(&self, rec: &Recurrence, state: &mut [[f64; 3]], steps: usize, sigma2: f64) {
        let (p1, q1) = (rec.p1(), rec.q1());
        let a = Coeffs::new(rec).a;
        let inv_b = self.batch.inverse();
        let coeffs: Vec<(f64, f64)> = self
            .eigenvalues
            .iter()
            .map(|&l| rec.coefficients(l))
            .collect();
        for _ in 0..steps {
            let s: f64 = self
                .eigenvalues
                .iter()
                .zip(state.iter())
                .map(|(&l, &[p, q, r])| l * (p1 * p1 * p - 2.0 * p1 * q1 * q + q1 * q1 * r))
                .sum();
            for ((&l, &(c1, c0)), st) in self.eigenvalues.iter().zip(&coeffs).zip(state.iter_mut())
            {
                let [p, q, r] = *st;
                let y = p1 * p1 * p - 2.0 * p1 * q1 * q + q1 * q1 * r;
                let pn = c1 * c1 * p - 2.0 * c1 * c0 * q
                    + c0 * c0 * r
                    + inv_b * (l * l * y + l * s + a * a * sigma2 * l);
                *st = [pn, c1 * p - c0 * q, p];
            }
        }
    }

    /// The stationary excess risk E[f − f*] = ½Σᵢ λᵢPᵢ under label noise σ (0 when σ = 0 or at
    /// the full batch), from (I − 𝒯)X = b solved through the rank-one structure in O(n):
    /// with εᵢ = a²σ²λᵢ/B, Yᵢ = hᵢ(λᵢS/B + εᵢ)/(1 − sᵢ),
    /// S = [Σ λᵢhᵢεᵢ/(1 − sᵢ)]/(1 − Φ), Pᵢ = (1 + c₀)/χᵢ(1) · ((λᵢ²Yᵢ + λᵢS)/B + εᵢ).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, minibatch::{Batch, Gaussian}};
    /// // SGD, one direction λ = 1, B = 1: P = α²σ²/(1 − (1 − 2h + 3h²)), risk P/2
    /// let g = Gaussian::eigenvalues(vec![1.0], Batch::new(1)?, 1.0)?;
    /// let r = g.stationary_risk(&Method::gradient_descent(0.25)?.recurrence())?;
    /// assert!((r - 0.5 * 0.0625 / 0.3125).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Not stable in mean square ([`Error::NoStationaryState`]).
    pub fn stationary_risk(&self, rec: &Recurrence) -> Result<f64> {
        let crit = self.criterion(rec);
        if !crit.is_stable() {
            return Err(Error::NoStationaryState {
                lambda: None,
                spectral_radius: self.rate(rec)?.sqrt(),
            });
        }
        let inv_b = self.batch.inverse();
        let sigma2 = self.label_noise * self.label_noise;
        if inv_b == 0.0 || sigma2 == 0.0 {
            return Ok(0.0);
        }
        let k = Coeffs::new(rec);
        let eps = |l: f64| k.a * k.a * sigma2 * l * inv_b;
        let mut num = 0.0;
        for &l in &self.eigenvalues {
            let d = k.dir(l);
            let (n, chi) = k.transfer(&d, 0.0);
            let h = n / chi;
            let s = l * l * inv_b * h;
            num += l * h * eps(l) / (1.0 - s);
        }
        let big_s = num / (1.0 - crit.coupling);
        let mut risk = 0.0;
        for &l in &self.eigenvalues {
            let d = k.dir(l);
            let (n, chi) = k.transfer(&d, 0.0);
            let h = n / chi;
            let s = l * l * inv_b * h;
            let y = h * (l * big_s * inv_b + eps(l)) / (1.0 - s);
            let force = (l * l * y + l * big_s) * inv_b + eps(l);
            risk += 0.5 * l * d.plus / chi * force;
        }
        Ok(risk)
    }

    /// What label noise alone builds up in `steps` steps started at the optimum (e₀ = e₋₁ = 0):
    /// (E‖e_N‖²/n, the excess risk ½Σᵢλᵢ E eᵢ²), by the moment recursion. The moments are
    /// affine in the start, so from an isotropic start E‖e_N‖²/n is this plus
    /// [`Gaussian::mean_square_factor`]. Tends to [`Gaussian::stationary_risk`] when stable.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, minibatch::{Batch, Gaussian}};
    /// let g = Gaussian::eigenvalues(vec![1.0, 0.1], Batch::new(2)?, 0.5)?;
    /// let rec = Method::heavy_ball(0.2, 0.5)?.recurrence();
    /// let (_, risk) = g.label_noise_after(&rec, 5000)?;
    /// assert!((risk - g.stationary_risk(&rec)?).abs() < 1e-12);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// None in practice.
    pub fn label_noise_after(&self, rec: &Recurrence, steps: usize) -> Result<(f64, f64)> {
        let mut state = vec![[0.0f64; 3]; self.dim()];
        self.run_moments(rec, &mut state, steps, self.label_noise * self.label_noise);
        let mean = state.iter().map(|s| s[0]).sum::<f64>() / self.dim() as f64;
        let risk = self
            .eigenvalues
            .iter()
            .zip(&state)
            .map(|(&l, s)| 0.5 * l * s[0])
            .sum();
        Ok((mean, risk))
    }
}

/// A Monte Carlo estimate: the sample mean of ‖e_N‖²/n over independent runs and its standard
/// error (sample standard deviation / √runs).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Sampled {
    /// Mean of ‖e_N‖²/n.
    pub mean: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Runs averaged.
    pub runs: usize,
}

/// Real minibatch runs on sampled Gaussian data: each of `runs` runs draws e₀ ~ N(0, I), starts
/// from rest and takes `steps` steps e′ = p₀e − q₀e₋ − (1/B)Σⱼ aⱼ(aⱼᵀw − aεⱼ), w = p₁e − q₁e₋,
/// with B fresh samples aⱼ ~ N(0, diag λ), εⱼ ~ N(0, σ²) per step (a seeded ChaCha8 stream; the
/// full batch uses G = H, no label noise). Returns ‖e_N‖²/n averaged, to hold against
/// [`Gaussian::mean_square_factor`] + [`Gaussian::label_noise_after`]. Cost O(runs·steps·B·n).
///
/// # Examples
///
/// ```
/// use momentum::{Method, minibatch::{Batch, Gaussian, sample_mean_square}};
/// let g = Gaussian::eigenvalues(vec![1.0, 0.3], Batch::new(2)?, 0.0)?;
/// let rec = Method::heavy_ball(0.3, 0.5)?.recurrence();
/// let s = sample_mean_square(&rec, &g, 8, 4000, 1)?;
/// let exact = g.mean_square_factor(&rec, 8)?;
/// assert!((s.mean - exact).abs() < 5.0 * s.std_error);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// `runs` < 2 ([`Error::OutOfRange`]).
#[cfg(feature = "simulate")]
pub fn sample_mean_square(
    rec: &Recurrence,
    data: &Gaussian,
    steps: usize,
    runs: usize,
    seed: u64,
) -> Result<Sampled> {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};
    if runs < 2 {
        return Err(Error::OutOfRange {
            name: "runs",
            value: runs as f64,
            expected: ">= 2",
        });
    }
    let (p0, p1, q0, q1) = (rec.p0(), rec.p1(), rec.q0(), rec.q1());
    let a = Coeffs::new(rec).a;
    let n = data.dim();
    let lam = data.listed();
    let root: Vec<f64> = lam.iter().map(|l| l.sqrt()).collect();
    let sigma = data.label_noise();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut sum, mut sum2) = (0.0, 0.0);
    let (mut e, mut prev, mut w, mut g, mut x) = (
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n],
    );
    for _ in 0..runs {
        for i in 0..n {
            e[i] = StandardNormal.sample(&mut rng);
            prev[i] = e[i];
        }
        for _ in 0..steps {
            for i in 0..n {
                w[i] = p1 * e[i] - q1 * prev[i];
            }
            match data.batch() {
                Batch::Full => {
                    for i in 0..n {
                        g[i] = lam[i] * w[i];
                    }
                }
                Batch::Size(b) => {
                    g.iter_mut().for_each(|v| *v = 0.0);
                    for _ in 0..b {
                        let mut dot = 0.0;
                        for i in 0..n {
                            let z: f64 = StandardNormal.sample(&mut rng);
                            x[i] = root[i] * z;
                            dot += x[i] * w[i];
                        }
                        if sigma > 0.0 {
                            let eps: f64 = StandardNormal.sample(&mut rng);
                            dot -= a * sigma * eps;
                        }
                        for i in 0..n {
                            g[i] += x[i] * dot;
                        }
                    }
                    let inv = 1.0 / b as f64;
                    g.iter_mut().for_each(|v| *v *= inv);
                }
            }
            for i in 0..n {
                let next = p0 * e[i] - q0 * prev[i] - g[i];
                prev[i] = e[i];
                e[i] = next;
            }
        }
        let v = e.iter().map(|v| v * v).sum::<f64>() / n as f64;
        sum += v;
        sum2 += v * v;
    }
    let r = runs as f64;
    let mean = sum / r;
    let var = ((sum2 - r * mean * mean) / (r - 1.0)).max(0.0);
    Ok(Sampled {
        mean,
        std_error: (var / r).sqrt(),
        runs,
    })
}

/// The stationary excess risk of the additive-noise model of Zhang et al. (2019): deterministic
/// dynamics plus gradient noise of covariance scale·H/B, so
/// ½Σᵢ λᵢ · (scale·λᵢ/B) · Vᵢ with Vᵢ the stationary variance per unit noise of
/// [`crate::noise::stationary_variance`] (one gradient per step). Its stability edge is the
/// deterministic one at every B.
///
/// # Examples
///
/// ```
/// use momentum::{Method, minibatch::{Batch, additive_risk}};
/// // SGD at h = αλ: V = α²/(h(2 − h)); λ = 1, α = 0.5, B = 4: ½ · ¼ · 0.25/0.75
/// let r = additive_risk(&Method::gradient_descent(0.5)?.recurrence(), &[1.0], Batch::new(4)?, 1.0)?;
/// assert!((r - 0.5 * 0.25 * 0.25 / 0.75).abs() < 1e-15);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// A direction not strictly stable ([`Error::NoStationaryState`]), scale not finite or < 0.
pub fn additive_risk(
    rec: &Recurrence,
    eigenvalues: &[f64],
    batch: Batch,
    scale: f64,
) -> Result<f64> {
    finite("noise scale", scale)?;
    if scale < 0.0 {
        return Err(Error::OutOfRange {
            name: "noise scale",
            value: scale,
            expected: ">= 0",
        });
    }
    let input = crate::noise::NoiseInput::single_gradient(rec);
    let mut risk = 0.0;
    for &l in eigenvalues {
        let v = crate::noise::stationary_variance(rec, input, l)?;
        risk += 0.5 * l * scale * l * batch.inverse() * v;
    }
    Ok(risk)
}

/// The best (step, momentum) of one family in mean square at one batch size.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BatchTuning {
    /// The family tuned.
    pub family: Family,
    /// The step α.
    pub step: f64,
    /// The momentum β (0 for gradient descent).
    pub momentum: f64,
    /// The mean-square rate ρ(𝒯) there.
    pub rate: f64,
    /// Iterations for E‖e‖² to fall by the target factor at that rate: ln(target)/ln ρ(𝒯).
    pub iterations: f64,
}

/// Golden-section refinement of a 1-D function after a uniform grid: (x, f(x)) of the best point.
fn grid_golden(f: &mut impl FnMut(f64) -> f64, lo: f64, hi: f64, samples: usize) -> (f64, f64) {
    let xs: Vec<f64> = (0..samples)
        .map(|i| lo + (hi - lo) * (i as f64 + 0.5) / samples as f64)
        .collect();
    let ys: Vec<f64> = xs.iter().map(|&x| f(x)).collect();
    let (mut bi, mut by) = (0, ys[0]);
    for (i, &y) in ys.iter().enumerate() {
        if y < by {
            (bi, by) = (i, y);
        }
    }
    let w = (hi - lo) / samples as f64;
    let (mut a, mut b) = ((xs[bi] - w).max(lo), (xs[bi] + w).min(hi));
    let g = 0.5 * (5f64.sqrt() - 1.0);
    let (mut x1, mut x2) = (b - g * (b - a), a + g * (b - a));
    let (mut f1, mut f2) = (f(x1), f(x2));
    let mut best = (xs[bi], by);
    for _ in 0..60 {
        if b - a <= 1e-12 * (a.abs() + b.abs()) {
            break;
        }
        if f1 <= f2 {
            b = x2;
            (x2, f2) = (x1, f1);
            x1 = b - g * (b - a);
            f1 = f(x1);
        } else {
            a = x1;
            (x1, f1) = (x2, f2);
            x2 = a + g * (b - a);
            f2 = f(x2);
        }
    }
    for (x, y) in [(x1, f1), (x2, f2)] {
        if y < best.1 {
            best = (x, y);
        }
    }
    best
}

/// The best (step, momentum) of `family` in mean square (smallest ρ(𝒯)) on `data` at its batch
/// size, and the iterations for E‖e‖² to fall by `target` (e.g. 1e-6) at that rate.
///
/// The step is searched over the mean-square stable interval at each momentum (a 24-point grid
/// in log-step over its upper three decades, then golden section); the momentum over [0, 0.9999)
/// the same way in the variable −log(1 − β) (gradient descent: β = 0 only). A careful but
/// sampled search: the grid spacing sets what it can miss.
///
/// # Examples
///
/// ```
/// use momentum::{Family, minibatch::{Batch, Gaussian, tune}};
/// // one direction, full batch: gradient descent's best step is 1/λ (rate 0)
/// let g = Gaussian::eigenvalues(vec![2.0], Batch::Full, 0.0)?;
/// let t = tune(&g, Family::GradientDescent, 1e-6)?;
/// assert!(t.rate < 1e-10 && (t.step - 0.5).abs() < 1e-5);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// `target` not in (0, 1); no stable step at some momentum searched is not an error (that
/// momentum is skipped), none at all is ([`Error::Unsupported`]).
pub fn tune(data: &Gaussian, family: Family, target: f64) -> Result<BatchTuning> {
    finite("target", target)?;
    if !(target > 0.0 && target < 1.0) {
        return Err(Error::OutOfRange {
            name: "target",
            value: target,
            expected: "a reduction factor in (0, 1)",
        });
    }
    let mut err = None;
    let mut best_at = |beta: f64| -> (f64, f64) {
        let run = || -> Result<(f64, f64)> {
            let iv = data.stable_steps(|t| Ok(family.method(t, beta)?.recurrence()))?;
            let Some(iv) = iv else {
                return Ok((f64::NAN, f64::INFINITY));
            };
            let hi = iv.hi;
            let lo = iv.lo.max(hi * 1e-3);
            let mut f = |u: f64| {
                let t = u.exp();
                family
                    .method(t, beta)
                    .and_then(|m| data.rate(&m.recurrence()))
                    .unwrap_or(f64::INFINITY)
            };
            let (u, r) = grid_golden(&mut f, lo.ln(), (hi * (1.0 - 1e-12)).ln(), 24);
            Ok((u.exp(), r))
        };
        match run() {
            Ok(v) => v,
            Err(e) => {
                err.get_or_insert(e);
                (f64::NAN, f64::INFINITY)
            }
        }
    };
    let (step, momentum, rate) = if family == Family::GradientDescent {
        let (t, r) = best_at(0.0);
        (t, 0.0, r)
    } else {
        let mut f = |v: f64| best_at(1.0 - (-v).exp()).1;
        // v = −ln(1 − β) ∈ [0, ln 1e4]
        let (v, _) = grid_golden(&mut f, 0.0, 1e4f64.ln(), 24);
        let beta = 1.0 - (-v).exp();
        let (t, r) = best_at(beta);
        (t, beta, r)
    };
    if let Some(e) = err {
        return Err(e);
    }
    if !rate.is_finite() || rate >= 1.0 {
        return Err(Error::Unsupported(format!(
            "no mean-square stable setting of {} found",
            family.name()
        )));
    }
    Ok(BatchTuning {
        family,
        step,
        momentum,
        rate,
        iterations: target.ln() / rate.ln(),
    })
}

/// One batch size's tunings: gradient descent, heavy ball, Nesterov.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BatchRow {
    /// The batch size B (`None`: the full batch).
    pub batch: Option<u64>,
    /// Gradient descent, heavy ball, Nesterov, in that order.
    pub tunings: [BatchTuning; 3],
    /// Iterations of tuned gradient descent over those of the better tuned momentum method.
    pub speedup: f64,
}

/// Tunings across batch sizes and the critical batch size.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CriticalBatch {
    /// One row per batch size, in increasing B.
    pub rows: Vec<BatchRow>,
    /// The speed-up factor asked for.
    pub factor: f64,
    /// The smallest listed B from which on (for it and every larger listed B) tuned momentum
    /// needs at least `factor` times fewer iterations than tuned SGD; `None` if none.
    pub critical: Option<u64>,
}

/// Tuned gradient descent, heavy ball and Nesterov at each batch size, and the **critical batch
/// size**: the smallest B in `batches` from which on the better tuned momentum method reaches the
/// target in at least `factor` times fewer iterations than tuned SGD.
///
/// The notion follows Zhang et al. (2019, §4: momentum and preconditioning pay off only above a
/// critical batch size, below it every method behaves like SGD at a rescaled step) and McCandlish
/// et al. (2018: the batch size beyond which larger batches stop cutting the steps to a target
/// proportionally); here it is read in the exact mean-square model of this module, with tuned
/// SGD as the baseline, so it depends on the stated factor and target.
///
/// # Examples
///
/// ```
/// use momentum::minibatch::{Gaussian, Batch, critical_batch};
/// let g = Gaussian::eigenvalues((1..=20).map(|i| 1.0 / i as f64).collect(), Batch::Full, 0.0)?;
/// let c = critical_batch(&g, &[1, 1024], 1e-6, 1.5)?;
/// // at B = 1 momentum barely helps; at B = 1024 it nearly gets the deterministic √κ speed-up
/// assert!(c.rows[0].speedup < 1.5 && c.rows[1].speedup > 1.5 && c.critical == Some(1024));
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// A batch size of 0, `factor` not finite and ≥ 1, and as [`tune`].
pub fn critical_batch(
    data: &Gaussian,
    batches: &[u64],
    target: f64,
    factor: f64,
) -> Result<CriticalBatch> {
    finite("factor", factor)?;
    if factor < 1.0 {
        return Err(Error::OutOfRange {
            name: "factor",
            value: factor,
            expected: ">= 1",
        });
    }
    let mut batches = batches.to_vec();
    batches.sort_unstable();
    batches.dedup();
    let mut rows = Vec::with_capacity(batches.len());
    for &b in &batches {
        let d = data.with_batch(Batch::new(b)?)?;
        let t = [
            tune(&d, Family::GradientDescent, target)?,
            tune(&d, Family::HeavyBall, target)?,
            tune(&d, Family::Nesterov, target)?,
        ];
        let speedup = t[0].iterations / t[1].iterations.min(t[2].iterations);
        rows.push(BatchRow {
            batch: Some(b),
            tunings: t,
            speedup,
        });
    }
    let mut critical = None;
    for (row, &b) in rows.iter().zip(&batches).rev() {
        if row.speedup >= factor {
            critical = Some(b);
        } else {
            break;
        }
    }
    Ok(CriticalBatch {
        rows,
        factor,
        critical,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Method;

    /// Methods whose margins have both signs of constant and slope (HB, NAG, GD), and λ from far
    /// inside the stable range to past the deterministic edge.
    fn cases() -> Vec<(Recurrence, Vec<f64>)> {
        let recs = [
            Method::heavy_ball(0.5, 0.9).unwrap().recurrence(),
            Method::nesterov(0.7, 0.8).unwrap().recurrence(),
            Method::gradient_descent(0.3).unwrap().recurrence(),
        ];
        let mut lams: Vec<f64> = (0..4000).map(|i| 1e-8 * 1.0065f64.powi(i)).collect();
        lams.retain(|&l| l < 40.0);
        recs.into_iter().map(|r| (r, lams.clone())).collect()
    }

    #[test]
    fn the_vectorised_terms_equal_the_direction_by_direction_ones_bit_for_bit() {
        let mut fast_blocks = 0;
        for (rec, lams) in cases() {
            let k = Coeffs::new(&rec);
            let zones = danger_zones(&k);
            for b in [1.0, 1.0 / 64.0] {
                for chunk in lams.chunks(37) {
                    let (mut s1, mut t1) = (vec![0.0; chunk.len()], vec![0.0; chunk.len()]);
                    let ok = criterion_terms_fast(&k, b, chunk, &mut s1, &mut t1);
                    let stable = chunk.iter().all(|&l| k.dir(l).deterministic_stable());
                    let inside = chunk
                        .iter()
                        .any(|&l| zones.iter().any(|z| l > z.0 && l < z.1));
                    // the fast loop declines exactly where a direction is unstable or needs dd
                    assert_eq!(ok, stable && !inside, "{chunk:?}");
                    if !ok {
                        continue;
                    }
                    fast_blocks += 1;
                    for (i, &l) in chunk.iter().enumerate() {
                        let (n, chi) = k.transfer(&k.dir(l), 0.0);
                        let s = l * l * b * n / chi;
                        assert_eq!(s.to_bits(), s1[i].to_bits(), "λ = {l}");
                        assert_eq!((s / (1.0 - s)).to_bits(), t1[i].to_bits());
                    }
                    for t in [0.0, 1e-3, -1e-3, 0.5] {
                        let mut t2 = vec![0.0; chunk.len()];
                        let got = phi_terms_fast(&k, b, chunk, t, &mut t2);
                        assert_eq!(got.is_some(), !inside);
                        let mut defined = true;
                        for (i, &l) in chunk.iter().enumerate() {
                            let (n, chi) = k.transfer(&k.dir(l), t);
                            let s = l * l * b * n / chi;
                            defined &= !(s.is_nan() || s >= 1.0 || chi <= 0.0);
                            if got == Some(true) {
                                assert_eq!((s / (1.0 - s)).to_bits(), t2[i].to_bits());
                            }
                        }
                        if let Some(g) = got {
                            assert_eq!(g, defined);
                        }
                    }
                }
            }
        }
        assert!(fast_blocks > 100, "{fast_blocks}");
    }

    /// The former fallback of [`phi_block`]: every direction through [`Coeffs::dir`].
    fn phi_block_by_direction(k: &Coeffs, inv_b: f64, chunk: &[f64], t: f64) -> Option<f64> {
        let mut terms = vec![0.0f64; chunk.len()];
        for (&lambda, term) in chunk.iter().zip(&mut terms) {
            let (n, chi) = k.transfer(&k.dir(lambda), t);
            let s = lambda * lambda * inv_b * n / chi;
            if s.is_nan() || s >= 1.0 || chi <= 0.0 {
                return None;
            }
            *term = s / (1.0 - s);
        }
        Some(sum_by_fours(&terms))
    }

    #[test]
    fn a_block_next_to_an_edge_sums_the_bits_of_the_direction_by_direction_route() {
        let (mut mixed, mut defined) = (0, 0);
        for (rec, lams) in cases() {
            let k = Coeffs::new(&rec);
            let zones = danger_zones(&k);
            for b in [1.0, 1.0 / 64.0, 1e-6] {
                for chunk in lams.chunks(37) {
                    let inside = chunk
                        .iter()
                        .any(|&l| zones.iter().any(|z| l > z.0 && l < z.1));
                    for t in [0.0, 1e-3, -1e-3, 0.5] {
                        let got = phi_block(&k, b, chunk, t);
                        let want = phi_block_by_direction(&k, b, chunk, t);
                        assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{chunk:?}");
                        mixed += inside as usize;
                        defined += (inside && got.is_some()) as usize;
                    }
                }
            }
        }
        assert!(mixed > 50 && defined > 10, "{mixed} {defined}");
    }

    /// `PhiDirs::phi` (the t-free numbers tabulated once) against `phi_block`, bit for bit:
    /// blocks inside, next to and past the deterministic edges, t from below −1 to 4.
    #[test]
    fn tabulated_directions_give_phi_blocks_bits() {
        let mut state = 29u64;
        let (mut some, mut none, mut mixed) = (0, 0, 0);
        for (rec, lams) in cases() {
            let k = Coeffs::new(&rec);
            let zones = danger_zones(&k);
            for b in [1.0, 1.0 / 64.0, 1e-6] {
                for width in [1, 3, 37, 100] {
                    for chunk in lams.chunks(width).step_by(7) {
                        let mut dirs = PhiDirs::new(&k, b, chunk);
                        let inside = chunk
                            .iter()
                            .any(|&l| zones.iter().any(|z| l > z.0 && l < z.1));
                        let mut ts = vec![0.0, -0.0, 1e-3, -1e-3, 0.5, -1.0, 1e-300];
                        ts.extend((0..12).map(|_| {
                            let u = crate::numeric::lcg_uniform(&mut state);
                            5.5 * u - 1.5
                        }));
                        for t in ts {
                            let want = phi_block(&k, b, chunk, t);
                            let got = dirs.phi(&k, t);
                            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "t = {t}");
                            if got.is_some() {
                                some += 1;
                                mixed += inside as usize;
                            } else {
                                none += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(
            some > 1000 && none > 1000 && mixed > 50,
            "{some} {none} {mixed}"
        );
    }

    #[test]
    fn the_danger_zone_covers_every_lambda_where_dir_leaves_f64() {
        for (rec, lams) in cases() {
            let k = Coeffs::new(&rec);
            let zones = danger_zones(&k);
            for &l in &lams {
                for (i, zone) in zones.iter().enumerate() {
                    let (c, sl) = (k.constant_f[i], k.slope_f[i] * l);
                    let f64_kept = 4.0 * (c - sl).abs() >= c.abs() + sl.abs();
                    if !f64_kept {
                        assert!(l > zone.0 && l < zone.1, "margin {i} at λ = {l}");
                    }
                }
            }
        }
    }
}
