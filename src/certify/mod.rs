//! Certified linear rates on the whole class F(μ, L) of L-smooth, μ-strongly convex functions
//! (not only quadratics), by the IQC analysis of Lessard, Recht & Packard (2016): the sector IQC
//! plus the ρ²-weighted off-by-one IQC (their Lemma 10, Theorem 4), a 4×4 LMI in
//! w = (x_k, x_{k−1}, ζ_k, u_k) with ζ_k = L y_{k−1} − ∇f(y_{k−1}):
//!
//! ```text
//! Eᵀ P E − ρ² Fᵀ P F + λ₁ S + λ₂ O(ρ) ⪯ 0,   P ⪰ 0,   λ₁, λ₂ ≥ 0
//! S = sym(p qᵀ),  O = sym(p (q − ρ² ζ)ᵀ),  p = u − μy,  q = Ly − u
//! ```
//!
//! The certified rate is the smallest ρ < 1 for which it is feasible (`None`: no certificate).
//! Two independent routes: the default [`Engine::Frequency`] (pure Rust, no BLAS, wasm32) reduces
//! the LMI by the KYP lemma to one scalar inequality on |z| = ρ,
//!
//! ```text
//! Re( D_L(z) · conj(D_μ(z)) · (1 − t z̄) ) > 0   for all |z| = ρ, some t = λ₂/(λ₁+λ₂) ∈ [0, 1]
//! ```
//!
//! with D_λ(z) = z² − c₁(λ) z + c₀(λ) the method's characteristic polynomial at curvature λ; in
//! c = cos ω this is a cubic on [−1, 1], minimised exactly. It is searched only for
//! ρ > ρ_quad (the worst-case spectral radius on quadratics, a lower bound of any certificate),
//! where the KYP storage matrix is necessarily P ⪰ 0 (a trajectory with ∇f(y) = μy makes both
//! IQC terms vanish and decays faster than ρᵏ), which removes the spurious small-ρ branch.
//! `Engine::Sdp` (feature `sdp`) solves the LMI itself with clarabel. Derivation and sources:
//! `docs/REFERENCE.md`, section "Certified rates on F(μ, L)".

mod bounded;
pub mod check;
pub mod counter;
mod dyadic;
pub mod lifted;
pub mod map;
pub mod pencil;
#[cfg(feature = "sdp")]
pub mod pep_linear;
#[cfg(feature = "sdp")]
pub mod sdp;

use crate::error::{Error, Result, positive};
use crate::method::Method;
use crate::numeric::minimize::golden;
use crate::spectrum::Spectrum;

/// Bisection stops when the bracket on ρ is this wide.
pub const RATE_TOLERANCE: f64 = 1e-10;

/// Which solver produced a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Engine {
    /// KYP frequency-domain inequality, exact cubic minimum, multiplier search (default).
    Frequency,
    /// The LMI solved by clarabel (feature `sdp`).
    Sdp,
}

impl Engine {
    /// The engine's name as the CLI and JSON spell it: `"frequency"` or `"sdp"`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(momentum::certify::Engine::Frequency.name(), "frequency");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Engine::Frequency => "frequency",
            Engine::Sdp => "sdp",
        }
    }
}

/// A certified rate on F(μ, L) next to the quadratic worst case.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Certificate {
    /// Strong convexity μ of the class.
    pub mu: f64,
    /// Smoothness L of the class.
    pub l: f64,
    /// The certified rate ρ < 1 (‖x_k − x*‖ = O(ρᵏ) on every f ∈ F(μ, L)), `None` if no ρ < 1 is
    /// certified by the sector + off-by-one IQCs.
    pub rate: Option<f64>,
    /// Worst-case spectral radius on quadratics with spectrum in [μ, L] (a lower bound of `rate`).
    pub quadratic_rate: f64,
    /// The multiplier ratio t = λ₂/(λ₁ + λ₂) found feasible at `rate` (frequency engine), if any.
    pub multiplier: Option<f64>,
    /// Which engine computed it.
    pub engine: Engine,
    /// What was decided ([`Outcome`]): certified (and checked), or why not.
    pub outcome: Outcome,
    /// The certificate itself when `rate` is `Some`: P, the multipliers and the ρ they were
    /// checked at, exactly, by [`check::verify`] (`rate` ≥ `lmi.rho`; equal unless the quadratic
    /// rate, a lower bound, is above it by rounding).
    pub lmi: Option<check::Lmi>,
}

/// The verdict of a certificate search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Outcome {
    /// A rate below 1, with an LMI certificate that passed the exact check.
    Certified,
    /// The quadratic worst case is ≥ 1: no rate below 1 can hold on the class.
    QuadraticUnstable,
    /// 1 − ρ_quad is below f64's resolution near 1 (no f64 strictly between ρ_quad and 1 to
    /// state a rate at): a rate may exist but cannot be written as an f64 below 1.
    BelowResolution,
    /// The search found no rate below 1 (not proven; not a proof of divergence either).
    NotFound,
    /// The search found a rate but its certificate failed the exact check: not certified.
    CheckFailed,
}

impl Outcome {
    /// The outcome as JSON spells it (`certified`, `quadratic_unstable`, `below_resolution`,
    /// `not_found`, `check_failed`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(momentum::certify::Outcome::CheckFailed.as_str(), "check_failed");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Certified => "certified",
            Outcome::QuadraticUnstable => "quadratic_unstable",
            Outcome::BelowResolution => "below_resolution",
            Outcome::NotFound => "not_found",
            Outcome::CheckFailed => "check_failed",
        }
    }
}

impl Certificate {
    /// `true` when a rate ρ < 1 is certified.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Method, certify};
    /// let c = certify::certified_rate(&Method::gradient_descent(0.5)?, 1.0, 2.0)?;
    /// assert!(c.is_certified());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn is_certified(&self) -> bool {
        self.rate.is_some()
    }
}

/// Checks 0 < μ ≤ L, both finite.
pub(crate) fn check_class(mu: f64, l: f64) -> Result<()> {
    positive("mu", mu)?;
    positive("L", l)?;
    if mu > l {
        return Err(Error::EmptyInterval { mu, l });
    }
    Ok(())
}

/// The quadratic worst-case spectral radius over [μ, L] (lower bound of every certificate).
pub(crate) fn quadratic_rate(method: &Method, mu: f64, l: f64) -> Result<f64> {
    Ok(method
        .worst_case(&Spectrum::interval(mu, l)?)?
        .spectral_radius())
}

/// Coefficients (c₀, −c₁, 1) of D_λ(z) = z² − c₁ z + c₀ for the method scaled to L = 1
/// (a = αL, curvature λ/L): c₁ = 1 + β − aλ(1 + γ), c₀ = β − aλγ.
fn char_poly(a: f64, beta: f64, gamma: f64, lam: f64) -> [f64; 3] {
    let c1 = 1.0 + beta - a * lam * (1.0 + gamma);
    let c0 = beta - a * lam * gamma;
    [c0, -c1, 1.0]
}

/// The frequency inequality at ρ as two cubics in c = cos ω: Φ_t(c) = p₀(c) − t p₁(c), with
/// p₀ = Re(D_L conj D_μ), p₁ = Re(D_L conj D_μ z̄) on z = ρe^{iω}. Coefficients in powers of c.
pub(crate) fn cubics(a: f64, beta: f64, gamma: f64, m: f64, rho: f64) -> ([f64; 4], [f64; 4]) {
    let dl = char_poly(a, beta, gamma, 1.0);
    let dm = char_poly(a, beta, gamma, m);
    // cosine-series coefficients: Re(z^j z̄^l) = ρ^{j+l} cos((j−l)ω)
    let mut k0 = [0.0; 4];
    let mut k1 = [0.0; 4];
    for (j, &dj) in dl.iter().enumerate() {
        for (l, &dk) in dm.iter().enumerate() {
            let w = dj * dk * rho.powi((j + l) as i32);
            k0[(j as i32 - l as i32).unsigned_abs() as usize] += w;
            k1[(j as i32 - l as i32 - 1).unsigned_abs() as usize] += w * rho;
        }
    }
    (chebyshev_to_power(k0), chebyshev_to_power(k1))
}

/// Σ k_n cos(nω) (n ≤ 3) as a polynomial in c = cos ω: cos2ω = 2c² − 1, cos3ω = 4c³ − 3c.
fn chebyshev_to_power(k: [f64; 4]) -> [f64; 4] {
    [k[0] - k[2], k[1] - 3.0 * k[3], 2.0 * k[2], 4.0 * k[3]]
}

fn cubic_at(p: &[f64; 4], c: f64) -> f64 {
    ((p[3] * c + p[2]) * c + p[1]) * c + p[0]
}

/// Exact minimum of a cubic over [−1, 1]: the endpoints and the real critical points inside.
fn cubic_min(p: &[f64; 4]) -> f64 {
    let mut best = cubic_at(p, -1.0).min(cubic_at(p, 1.0));
    // p'(c) = 3p₃c² + 2p₂c + p₁
    let (qa, qb, qc) = (3.0 * p[3], 2.0 * p[2], p[1]);
    let mut consider = |c: f64| {
        if c.is_finite() && (-1.0..=1.0).contains(&c) {
            best = best.min(cubic_at(p, c));
        }
    };
    if qa.abs() <= 1e-300 {
        if qb != 0.0 {
            consider(-qc / qb);
        }
    } else {
        let disc = qb * qb - 4.0 * qa * qc;
        if disc >= 0.0 {
            let s = disc.sqrt();
            let r = -0.5 * (qb + qb.signum() * s);
            if r != 0.0 {
                consider(r / qa);
                consider(qc / r);
            } else {
                consider(0.0);
            }
        }
    }
    best
}

/// The cubics of [`cubics`] at ρ with their scale (largest |coefficient|, at least the
/// smallest normal), for margins that do not depend on the method's units.
pub(crate) struct Pencil {
    pub(crate) p0: [f64; 4],
    pub(crate) p1: [f64; 4],
    pub(crate) scale: f64,
}

impl Pencil {
    pub(crate) fn new(a: f64, beta: f64, gamma: f64, m: f64, rho: f64) -> Self {
        let (p0, p1) = cubics(a, beta, gamma, m, rho);
        let scale = p0
            .iter()
            .chain(p1.iter())
            .fold(0.0f64, |s, v| s.max(v.abs()))
            .max(f64::MIN_POSITIVE);
        Pencil { p0, p1, scale }
    }

    /// Φ_t = p₀ − t p₁.
    pub(crate) fn at(&self, t: f64) -> [f64; 4] {
        std::array::from_fn(|i| self.p0[i] - t * self.p1[i])
    }
}

/// Scale-free margin max_t min_ω Φ_t / scale at ρ (positive ⇔ strict FDI holds) and its t.
fn frequency_margin(a: f64, beta: f64, gamma: f64, m: f64, rho: f64) -> (f64, f64) {
    let pencil = Pencil::new(a, beta, gamma, m, rho);
    let margin = |t: f64| cubic_min(&pencil.at(t)) / pencil.scale;
    let neg = |t: f64| -margin(t);
    let start = (0.0, neg(0.0));
    let (t, v) = golden(&neg, 0.0, 1.0, start);
    let v1 = neg(1.0);
    if v1 < v { (1.0, -v1) } else { (t, -v) }
}

/// Whether the frequency-domain (KYP) form of the IQC condition holds strictly at ρ, for some
/// multiplier ratio t = λ₂/(λ₁ + λ₂) ∈ [0, 1]; returns that t. Only meaningful (and only
/// equivalent to the LMI with P ⪰ 0) for ρ above the quadratic rate; below it, `None`.
///
/// ```text
/// feasible(ρ) ⇔ ∃ t ∈ [0,1]: min_{|z|=ρ} Re( D_L(z) conj(D_μ(z)) (1 − t z̄) ) > 0
/// ```
///
/// # Examples
///
/// ```
/// use momentum::{Method, certify};
/// // gradient descent α = 1/L on [1, 4]: certified rate 3/4
/// let gd = Method::gradient_descent(0.25)?;
/// assert!(certify::frequency_feasible(&gd, 1.0, 4.0, 0.76)?.is_some());
/// assert!(certify::frequency_feasible(&gd, 1.0, 4.0, 0.74)?.is_none());
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// μ, L not finite and > 0, μ > L, ρ not in (0, 1], or coefficient overflow.
pub fn frequency_feasible(method: &Method, mu: f64, l: f64, rho: f64) -> Result<Option<f64>> {
    check_class(mu, l)?;
    if !(rho > 0.0 && rho <= 1.0) {
        return Err(Error::OutOfRange {
            name: "rho",
            value: rho,
            expected: "0 < rho <= 1",
        });
    }
    let q = quadratic_rate(method, mu, l)?;
    if rho <= q {
        return Ok(None);
    }
    let (t, margin) = frequency_margin(
        method.step() * l,
        method.momentum(),
        method.lookahead(),
        mu / l,
        rho,
    );
    Ok((margin > 0.0).then_some(t))
}

/// Bisection on ρ ∈ (`quadratic`, 1] of a feasibility test that returns the multiplier ratio t
/// where feasible: the smallest feasible ρ found (to [`RATE_TOLERANCE`] relative to 1 − ρ) and
/// its t, or `None` when ρ = 1 is not feasible.
pub(crate) fn bisect_rate(
    quadratic: f64,
    feasible: impl Fn(f64) -> Option<f64>,
) -> Option<(f64, f64)> {
    let mut t_hi = feasible(1.0)?;
    let (mut lo, mut hi) = (quadratic, 1.0);
    while hi - lo > RATE_TOLERANCE * (1.0 - lo).min(1.0) {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        match feasible(mid) {
            Some(t) => {
                hi = mid;
                t_hi = t;
            }
            None => lo = mid,
        }
    }
    Some((hi, t_hi))
}

/// The certified rate on F(μ, L) by the default frequency engine: the smallest ρ < 1 for which
/// the sector + weighted off-by-one IQC condition holds, to [`RATE_TOLERANCE`] relative to
/// 1 − ρ (bisection on (ρ_quad, 1]); then a certificate (P, λ) is found at that ρ by an
/// interior-point search ([`check`]) and **checked in exact rational arithmetic**
/// ([`check::verify`]): only a certificate that passes gives a rate (`outcome` says why not
/// otherwise). The rate is never below the quadratic worst case.
///
/// ```text
/// rate = inf { ρ ∈ (ρ_quad, 1) : ∃ t ∈ [0,1], min_{|z|=ρ} Re(D_L conj(D_μ)(1 − t z̄)) > 0 }
/// ```
///
/// # Examples
///
/// ```
/// use momentum::{Method, certify};
/// // triple momentum's edge is exactly 1 − 1/√κ (Van Scoy, Freeman & Lynch 2018); its LMI has no
/// // strict margin there, so the checked certificate sits a little above (1e-5 of 1 − ρ here)
/// let tmm = Method::triple_momentum(1.0, 100.0)?;
/// let c = certify::certified_rate(&tmm, 1.0, 100.0)?;
/// let rate = c.rate.unwrap();
/// assert!(rate >= 0.9 && rate - 0.9 < 1e-4);
/// assert!(certify::check::verify(&tmm, 1.0, 100.0, &c.lmi.unwrap())?);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::NotPositive`] for μ or L not finite and > 0, [`Error::EmptyInterval`] for μ > L,
/// [`Error::CoefficientOverflow`] for inputs too large to analyse.
pub fn certified_rate(method: &Method, mu: f64, l: f64) -> Result<Certificate> {
    check_class(mu, l)?;
    let quadratic = quadratic_rate(method, mu, l)?;
    let (a, beta, gamma, m) = (
        method.step() * l,
        method.momentum(),
        method.lookahead(),
        mu / l,
    );
    let mut cert = Certificate::start(mu, l, quadratic, Engine::Frequency);
    if cert.outcome != Outcome::NotFound {
        return Ok(cert);
    }
    let feasible = |rho: f64| {
        let (t, margin) = frequency_margin(a, beta, gamma, m, rho);
        (margin > 0.0).then_some(t)
    };
    let Some((hi, t_hi)) = bisect_rate(quadratic, feasible) else {
        return Ok(cert);
    };
    cert.settle(method, hi, |rho, k| check::find(a, beta, gamma, m, rho, k))?;
    if cert.rate.is_some() {
        cert.multiplier = Some(t_hi);
    }
    Ok(cert)
}

/// Relative loosenings of 1 − ρ at which a certificate is sought and checked, in turn: the
/// search's ρ moved up by 1e-9(1 − ρ) (a margin for the finder), then 1e-7 … 1e-3 of it when the
/// check fails. Most certificates pass at the first; the LMIs with no strict margin at their
/// rate (triple momentum) need more: at κ = 100 and 1000, 1e-5 and 1e-4.
pub const LOOSENING: [f64; 6] = [1e-9, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3];

impl Certificate {
    /// No rate yet; the outcome says whether a search is worth it (`NotFound`) or not.
    pub(crate) fn start(mu: f64, l: f64, quadratic: f64, engine: Engine) -> Certificate {
        let outcome = if quadratic.is_nan() || quadratic > 1.0 {
            Outcome::QuadraticUnstable
        } else if quadratic >= 1.0 - 2.0 * f64::EPSILON {
            Outcome::BelowResolution
        } else {
            Outcome::NotFound
        };
        Certificate {
            mu,
            l,
            rate: None,
            quadratic_rate: quadratic,
            multiplier: None,
            engine,
            outcome,
            lmi: None,
        }
    }

    /// From a search's rate `found` (feasible by that search): find a certificate at it (or at a
    /// slightly looser ρ, [`LOOSENING`]) with `candidate` (up to three attempts at each ρ, the
    /// finder's own variants), check it exactly, and record the rate
    /// max(ρ, ρ_quad) only if the check passes.
    pub(crate) fn settle(
        &mut self,
        method: &Method,
        found: f64,
        mut candidate: impl FnMut(f64, usize) -> Option<check::Lmi>,
    ) -> Result<()> {
        if found.is_nan() || found >= 1.0 {
            self.outcome = Outcome::NotFound;
            return Ok(());
        }
        self.outcome = Outcome::CheckFailed;
        for f in LOOSENING {
            let rho = found + (1.0 - found) * f;
            if rho >= 1.0 {
                break;
            }
            for attempt in 0..4 {
                if let Some(lmi) = candidate(rho, attempt)
                    && check::verify(method, self.mu, self.l, &lmi)?
                {
                    self.rate = Some(lmi.rho.max(self.quadratic_rate));
                    self.lmi = Some(lmi);
                    self.outcome = Outcome::Certified;
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

/// The certified rate by the chosen engine ([`Engine::Sdp`] needs the feature `sdp`).
///
/// # Examples
///
/// ```
/// use momentum::{Method, certify::{self, Engine}};
/// let c = certify::certify(&Method::gradient_descent(0.5)?, 1.0, 3.0, Engine::Frequency)?;
/// assert!((c.rate.unwrap() - 0.5).abs() < 1e-9);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`certified_rate`]; [`Error::Unsupported`] for `Engine::Sdp` without the feature `sdp`.
pub fn certify(method: &Method, mu: f64, l: f64, engine: Engine) -> Result<Certificate> {
    match engine {
        Engine::Frequency => certified_rate(method, mu, l),
        #[cfg(feature = "sdp")]
        Engine::Sdp => sdp::certified_rate(method, mu, l),
        #[cfg(not(feature = "sdp"))]
        Engine::Sdp => Err(Error::Unsupported(
            "the sdp engine needs the cargo feature `sdp` (clarabel on the system OpenBLAS)"
                .to_string(),
        )),
    }
}
