//! Certified rates on F(μ, L) for order-n methods given by a characteristic pencil
//! D_λ(z) = a(z) + lr·λ·b(z) ([`crate::linear::Pencil`]; the stationary optimizers of
//! [`crate::zoo`]), where −lr·b(z)/a(z) is the transfer from the gradient to the point it is
//! evaluated at. The sector + ρ²-weighted off-by-one condition of [`crate::certify`] holds
//! unchanged with polynomials of degree n:
//!
//! ```text
//! Re( D_L(z) · conj(D_μ(z)) · (1 − t z̄) ) > 0   for all |z| = ρ, some t ∈ [0, 1]
//! ```
//!
//! a polynomial of degree n + 1 in c = cos ω. The search (bisection on ρ ∈ (ρ_quad, 1], golden
//! section on t, the exact minimum over c from the roots of the derivative) only proposes; every
//! rate is **checked exactly** by [`verify`] (rationals from the f64 values: D_μ(ρz) Schur-stable
//! by the Schur–Cohn recursion, the polynomial positive on [−1, 1] by a Sturm sequence), and a
//! failed check means no rate. Why that is a proof: `docs/REFERENCE.md`, §9.2.

use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use super::lifted::{
    Multiplier, cos_to_power, exact, exact_weights, poly_min, positive_on_interval,
};
use super::{Certificate, Engine, LOOSENING, Outcome, bisect_rate, check_class};
use crate::error::{Error, Result, positive};
use crate::linear::Pencil;
use crate::numeric::minimize::golden;
use crate::spectrum::Spectrum;

/// A certified rate of a pencil on F(μ, L) next to its quadratic worst case.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PencilCertificate {
    /// Strong convexity μ.
    pub mu: f64,
    /// Smoothness L.
    pub l: f64,
    /// The certified rate (max of the checked ρ and `quadratic_rate`), `None` if none.
    pub rate: Option<f64>,
    /// Worst-case spectral radius over h ∈ [lr·μ, lr·L] (a lower bound of any certificate).
    pub quadratic_rate: f64,
    /// The multiplier ratio t = λ₂/(λ₁ + λ₂) of the checked certificate.
    pub multiplier: Option<f64>,
    /// Certified, or why not.
    pub outcome: Outcome,
    /// The certificate that passed [`verify`]: window 1, sector weight 1 − t, causal weight t.
    pub certificate: Option<Multiplier>,
}

/// D_λ's coefficients, lowest power first, in f64 (for the search).
fn char_poly(pencil: &Pencil, h: f64) -> Result<Vec<f64>> {
    let mut p = pencil.polynomial(h)?;
    p.reverse();
    Ok(p)
}

/// The frequency inequality at ρ as two polynomials in c = cos ω (power basis):
/// p₀ = Re(D_L conj D_μ), p₁ = Re(D_L conj D_μ z̄) on z = ρe^{iω}; Φ_t = p₀ − t p₁.
fn polys(dl: &[f64], dm: &[f64], rho: f64) -> (Vec<f64>, Vec<f64>) {
    let n = dl.len() - 1;
    let mut k0 = vec![0.0; n + 2];
    let mut k1 = vec![0.0; n + 2];
    for (j, &dj) in dl.iter().enumerate() {
        for (l, &dk) in dm.iter().enumerate() {
            let w = dj * dk * rho.powi((j + l) as i32);
            let d = j as i64 - l as i64;
            k0[d.unsigned_abs() as usize] += w;
            k1[(d - 1).unsigned_abs() as usize] += w * rho;
        }
    }
    (cos_to_power(&k0), cos_to_power(&k1))
}

/// max_t min_c Φ_t(c) / scale at ρ and its t (positive ⇔ the strict inequality holds).
fn margin(dl: &[f64], dm: &[f64], rho: f64) -> (f64, f64) {
    let (p0, p1) = polys(dl, dm, rho);
    let scale = p0
        .iter()
        .chain(&p1)
        .fold(0.0f64, |s, v| s.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    let at = |t: f64| -> f64 {
        let p: Vec<f64> = p0.iter().zip(&p1).map(|(a, b)| a - t * b).collect();
        poly_min(&p).0 / scale
    };
    let neg = |t: f64| -at(t);
    let (t, v) = golden(&neg, 0.0, 1.0, (0.0, neg(0.0)));
    let v1 = neg(1.0);
    if v1 < v { (1.0, -v1) } else { (t, -v) }
}

fn check_pencil_input(lr: f64, mu: f64, l: f64) -> Result<()> {
    positive("lr", lr)?;
    check_class(mu, l)
}

/// The certified rate on F(μ, L) of the method with characteristic pencil D_λ = a + lr·λ·b
/// (−lr·b/a the transfer from the gradient to its evaluation point): the smallest ρ ∈
/// (ρ_quad, 1) at which the frequency inequality holds for some t ∈ [0, 1], to
/// [`RATE_TOLERANCE`](super::RATE_TOLERANCE) of 1 − ρ, then loosened by [`LOOSENING`] until [`verify`] passes
/// exactly. The rate is never below the quadratic worst case.
///
/// ```text
/// rate = inf { ρ ∈ (ρ_quad, 1) : ∃ t ∈ [0,1], min_{|z|=ρ} Re(D_L conj(D_μ)(1 − t z̄)) > 0 }
/// ```
///
/// # Examples
///
/// ```
/// use momentum::{Method, certify, linear::Pencil};
/// // heavy ball α = 0.5, β = 0.3 as a pencil: (z − 1)(z − 0.3) + α λ z — the two-step answer
/// let p = Pencil::new(vec![1.0, -1.3, 0.3], vec![1.0, 0.0])?;
/// let c = certify::pencil::certified_rate(&p, 0.5, 1.0, 3.0)?;
/// let two_step = certify::certified_rate(&Method::heavy_ball(0.5, 0.3)?, 1.0, 3.0)?;
/// assert!((c.rate.unwrap() - two_step.rate.unwrap()).abs() < 1e-9);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// lr, μ or L not finite and positive, μ > L; coefficients overflowing f64.
pub fn certified_rate(pencil: &Pencil, lr: f64, mu: f64, l: f64) -> Result<PencilCertificate> {
    check_pencil_input(lr, mu, l)?;
    let quadratic = pencil
        .worst_case(&Spectrum::interval(lr * mu, lr * l)?)?
        .spectral_radius;
    let start = Certificate::start(mu, l, quadratic, Engine::Frequency);
    let mut cert = PencilCertificate {
        mu,
        l,
        rate: None,
        quadratic_rate: quadratic,
        multiplier: None,
        outcome: start.outcome,
        certificate: None,
    };
    if cert.outcome != Outcome::NotFound || mu == l {
        return Ok(cert);
    }
    let dl = char_poly(pencil, lr * l)?;
    let dm = char_poly(pencil, lr * mu)?;
    let feasible = |rho: f64| {
        let (t, v) = margin(&dl, &dm, rho);
        (v > 0.0).then_some(t)
    };
    let Some((hi, t_hi)) = bisect_rate(quadratic, feasible) else {
        return Ok(cert);
    };
    if hi >= 1.0 {
        return Ok(cert);
    }
    cert.outcome = Outcome::CheckFailed;
    for f in LOOSENING {
        let rho = hi + (1.0 - hi) * f;
        if rho >= 1.0 {
            break;
        }
        // the bisection's t, then the best t at the loosened ρ
        let mut ts = vec![t_hi];
        if let Some(t) = feasible(rho) {
            ts.push(t);
        }
        for t in ts {
            let m = Multiplier {
                rho,
                window: 1,
                sector: 1.0 - t,
                causal: vec![t],
                anticausal: vec![0.0],
            };
            if verify(pencil, lr, mu, l, &m)? {
                cert.rate = Some(rho.max(quadratic));
                cert.multiplier = Some(t);
                cert.certificate = Some(m);
                cert.outcome = Outcome::Certified;
                return Ok(cert);
            }
        }
    }
    Ok(cert)
}

/// D_λ in rationals (lowest power first) from the pencil's f64 coefficients, h = lr·λ exact.
fn exact_poly(pencil: &Pencil, h: &BigRational) -> Vec<BigRational> {
    let (a, b) = (pencil.a(), pencil.b());
    let off = a.len() - b.len();
    let mut p: Vec<BigRational> = a
        .iter()
        .enumerate()
        .map(|(i, &ai)| {
            let v = exact(ai);
            if i >= off {
                v + h * exact(b[i - off])
            } else {
                v
            }
        })
        .collect();
    p.reverse();
    p
}

/// Exact: every root of p (lowest power first) strictly inside the unit circle, by the
/// Schur–Cohn recursion p ↦ (p_n p − p₀ p*)/z, which keeps the count of roots inside when
/// |p₀| < |p_n|.
pub(crate) fn schur_stable(p: &[BigRational]) -> bool {
    let mut p: Vec<BigRational> = p.to_vec();
    while p.last().is_some_and(|v| v.is_zero()) {
        p.pop();
    }
    while p.len() > 1 {
        let n = p.len() - 1;
        let (p0, pn) = (p[0].clone(), p[n].clone());
        if p0.abs() >= pn.abs() {
            return false;
        }
        // q_i = p_n p_{i+1} − p₀ p_{n−1−i}, i = 0 … n−1, then made monic
        let q: Vec<BigRational> = (0..n)
            .map(|i| &pn * &p[i + 1] - &p0 * &p[n - 1 - i])
            .collect();
        let lead = q[n - 1].clone();
        if lead.is_zero() {
            return false;
        }
        p = q.into_iter().map(|v| v / &lead).collect();
    }
    !p.is_empty()
}

/// Whether `cert` certifies the rate `cert.rho` for the pencil at `lr` on F(μ, L), decided in
/// exact rational arithmetic on the f64 values as given: the weights finite and ≥ 0, not all
/// zero, a₀ ≥ 0, D_μ(ρz) Schur-stable, and the frequency polynomial with the off-by-j
/// multiplier m(z) ([`super::lifted`]) positive on c ∈ [−1, 1] (Sturm); μ < L.
///
/// ```text
/// verified ⇔ λ ≥ 0 ∧ a₀ ≥ 0 ∧ roots(D_μ) ⊂ {|z| < ρ} ∧ Re(m(z) D_L(z) conj D_μ(z)) > 0 on |z| = ρ
/// ```
///
/// # Examples
///
/// ```
/// use momentum::{certify, linear::Pencil};
/// // AggMo with momenta 0 and 0.9 (order 3) at lr = 0.5 on F(1, 4)
/// let p = Pencil::new(vec![1.0, -1.9, 0.9, 0.0], vec![1.0, -0.45, 0.0])?;
/// let c = certify::pencil::certified_rate(&p, 0.5, 1.0, 4.0)?;
/// let m = c.certificate.unwrap();
/// assert!(certify::pencil::verify(&p, 0.5, 1.0, 4.0, &m)?);
/// let wrong = certify::lifted::Multiplier { rho: m.rho - 0.01, ..m };
/// assert!(!certify::pencil::verify(&p, 0.5, 1.0, 4.0, &wrong)?);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// lr, μ, L not finite and positive or μ > L; a non-finite entry ([`Error::NotFinite`]).
pub fn verify(pencil: &Pencil, lr: f64, mu: f64, l: f64, cert: &Multiplier) -> Result<bool> {
    check_pencil_input(lr, mu, l)?;
    if mu >= l {
        return Ok(false);
    }
    let Some((lam, rho)) = exact_weights(cert)? else {
        return Ok(false);
    };
    let w = cert.window;
    let lr = exact(lr);
    let dl = exact_poly(pencil, &(&lr * exact(l)));
    let dm = exact_poly(pencil, &(&lr * exact(mu)));
    let n = dl.len() - 1;
    let mut rho_pow = vec![BigRational::one()];
    for _ in 0..(2 * n).max(2 * w) {
        let next = rho_pow.last().expect("nonempty") * &rho;
        rho_pow.push(next);
    }
    let scaled: Vec<BigRational> = dm.iter().zip(&rho_pow).map(|(d, r)| d * r).collect();
    if !schur_stable(&scaled) {
        return Ok(false);
    }
    // m(z) as a Laurent series in e^{iω}: M₀ = c + Σ wⱼ + Σ vⱼ ρ²ʲ, M₋ⱼ = −wⱼρʲ, M₊ⱼ = −vⱼρʲ
    let mut mult = vec![BigRational::zero(); 2 * w + 1];
    mult[w] = lam[0].clone();
    for j in 1..=w {
        let (wj, vj) = (&lam[j], &lam[w + j]);
        mult[w] += wj + vj * &rho_pow[2 * j];
        mult[w - j] = -(wj * &rho_pow[j]);
        mult[w + j] = -(vj * &rho_pow[j]);
    }
    // H_d = Σ_{j−l=d} D_L[j] D_μ[l] ρ^{j+l}, d = −n … n
    let mut h = vec![BigRational::zero(); 2 * n + 1];
    for (j, dj) in dl.iter().enumerate() {
        for (l, dk) in dm.iter().enumerate() {
            h[j + n - l] += dj * dk * &rho_pow[j + l];
        }
    }
    let mut comb = vec![BigRational::zero(); n + w + 1];
    for (si, ms) in mult.iter().enumerate() {
        if ms.is_zero() {
            continue;
        }
        for (di, hd) in h.iter().enumerate() {
            let k = si as i64 - w as i64 + di as i64 - n as i64;
            comb[k.unsigned_abs() as usize] += ms * hd;
        }
    }
    Ok(positive_on_interval(cos_to_power(&comb)))
}

/// Why an optimizer of [`crate::zoo`] has no certificate of this kind, or `None` when it has:
/// the certificate needs one gradient per step, evaluated at a point the pencil's b describes,
/// and a stationary system with its roots inside the circle.
pub fn refusal(method: &crate::zoo::ZooMethod) -> Option<&'static str> {
    use crate::zoo::Optimizer;
    match method.optimizer() {
        Optimizer::Ademamix { .. } | Optimizer::Aggmo { .. } => None,
        Optimizer::Sam { .. } => Some(
            "SAM evaluates two gradients per step, the second at x + rho*grad f(x): the composite map is not the gradient of a function of F(mu, L), so the one-input IQC certificate does not apply (use --steps N: the PEP treats both calls)",
        ),
        Optimizer::ScheduleFree { .. } => Some(
            "schedule-free SGD is time-varying (c_t = 1/t) and its asymptotic system (c_t -> 0) has a unit root, the frozen average: no linear rate rho < 1 holds on F(mu, L) (the average converges like a power of t); use --steps N for the exact N-step worst case (PEP)",
        ),
        Optimizer::Lookahead { .. } => Some(
            "Lookahead is periodic (k gradient inputs per synchronisation period): the one-input frequency certificate does not apply and a lifted multi-input certificate is not implemented; use --steps N for the exact N-step worst case (PEP)",
        ),
    }
}

/// The certified rate of an optimizer of [`crate::zoo`] on F(μ, L) (μ, L the curvatures it
/// sees: for AdEMAMix those of the preconditioned function), by [`certified_rate`] on its
/// pencil; the stationary update (AdEMAMix's bias correction at its limit 1).
///
/// # Examples
///
/// ```
/// use momentum::Framework;
/// use momentum::zoo::{ZooMethod, ZooParams};
/// let m = ZooMethod::new(Framework::Aggmo, &ZooParams { lr: 0.5, momenta: Some(vec![0.0, 0.5]), ..Default::default() })?;
/// let c = momentum::certify::pencil::certify_zoo(&m, 1.0, 4.0)?;
/// assert!(c.rate.unwrap() >= c.quadratic_rate && c.rate.unwrap() < 1.0);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Usage`] with the reason for SAM, schedule-free SGD and Lookahead
/// ([`refusal`]); what [`certified_rate`] rejects.
pub fn certify_zoo(method: &crate::zoo::ZooMethod, mu: f64, l: f64) -> Result<PencilCertificate> {
    if let Some(why) = refusal(method) {
        return Err(Error::Usage(format!(
            "certify --convention {}: {why}",
            method.framework()
        )));
    }
    let crate::zoo::Core::Pencil(p) = method.core() else {
        return Err(Error::Unsupported("a periodic system has no pencil".into()));
    };
    certified_rate(p, method.lr(), mu, l)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(num: i64, den: i64) -> BigRational {
        BigRational::new(num.into(), den.into())
    }

    #[test]
    fn schur_cohn_decides_roots_inside() {
        // (z − 1/2)(z + 1/3)(z − 9/10) inside; (z − 1/2)(z − 11/10) not; z² + 1 on the circle
        let inside = vec![r(3, 20), r(-1, 60), r(-16, 15), r(1, 1)];
        assert!(schur_stable(&inside));
        let outside = vec![r(11, 20), r(-8, 5), r(1, 1)];
        assert!(!schur_stable(&outside));
        assert!(!schur_stable(&[r(1, 1), r(0, 1), r(1, 1)]));
    }

    #[test]
    fn frequency_polys_reduce_to_the_two_step_cubics() {
        let (a, beta, gamma, m, rho) = (0.7, 0.4, 0.2, 0.1, 0.8);
        let p = Pencil::new(
            vec![1.0, -(1.0 + beta), beta],
            vec![a * (1.0 + gamma), -a * gamma],
        )
        .unwrap();
        let (dl, dm) = (char_poly(&p, 1.0).unwrap(), char_poly(&p, m).unwrap());
        let (p0, p1) = polys(&dl, &dm, rho);
        let (c0, c1) = super::super::cubics(a, beta, gamma, m, rho);
        for i in 0..4 {
            assert!((p0[i] - c0[i]).abs() < 1e-14 && (p1[i] - c1[i]).abs() < 1e-14);
        }
    }
}
