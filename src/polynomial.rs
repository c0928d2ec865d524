//! Real polynomials of any degree n: the Schur–Cohn (Jury) stability test in compensated
//! arithmetic, the roots as companion-matrix eigenvalues, and where the roots of a pencil
//! A(z) + s·B(z) cross a circle |z| = r.
//!
//! The degree-2 core ([`crate::mode`]) has closed forms; a τ-step delay ([`crate::delay`]) makes the
//! characteristic polynomial of degree τ + 2, and this module is what it needs.
//!
//! # Schur–Cohn
//!
//! For p(z) = a₀zⁿ + a₁zⁿ⁻¹ + … + aₙ (coefficients highest degree first, a₀ ≠ 0) let
//! p*(z) = zⁿp(1/z) be the reversed polynomial and k = aₙ/a₀. All roots of p lie in the open unit
//! disc iff |k| < 1 and all roots of the degree n − 1 polynomial (a₀p(z) − aₙp*(z))/z do
//! (Schur 1917, Cohn 1922; Jury's table is the same recursion laid out as rows). The reduced
//! coefficients are b_i = a₀a_i − aₙa_{n−i}, i = 0..n−1, leading b₀ = a₀² − aₙ² > 0. The n numbers
//! k are the reflection coefficients; the verdict is "stable" iff every |k| < 1. Each row is
//! formed in double-double (products exact, sums to ~2⁻¹⁰⁴) and rescaled by a power of two (exact),
//! so the verdict is wrong only when a margin 1 − |k| is within ~10⁻³⁰ of zero relative to the
//! row — i.e. it is exact for all practical inputs, including the boundary cases that the inputs
//! place exactly on the unit circle. The verdict alone is first formed in f64 with a bound on
//! each sign it reads, and taken from there only where every bound settles its sign (then the
//! double-double route's verdict is the same); otherwise the double-double route decides.

use crate::error::{Error, Result, finite, positive};
use crate::numeric::dd::Dd;
use nalgebra::DMatrix;
use num_complex::Complex64;

/// The Schur–Cohn verdict of a polynomial and its reflection coefficients.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SchurCohn {
    /// All roots strictly inside the unit circle.
    pub stable: bool,
    /// Reflection coefficients k_j = (constant)/(leading) of each row, until the first with
    /// |k| ≥ 1 (there the recursion stops: the verdict is already "unstable"); empty when Jury's
    /// necessary conditions p(1)·a₀ > 0, (−1)ⁿp(−1)·a₀ > 0 already fail (a real root at or beyond ±1).
    pub reflection: Vec<f64>,
}

impl SchurCohn {
    /// The smallest margin 1 − |k_j| over the rows computed, at most 0 when unstable (∞ for a
    /// constant polynomial).
    pub fn margin(&self) -> f64 {
        let m = self
            .reflection
            .iter()
            .map(|k| 1.0 - k.abs())
            .fold(f64::INFINITY, f64::min);
        if self.stable { m } else { m.min(0.0) }
    }
}

fn check(coeffs: &[f64]) -> Result<()> {
    if coeffs.is_empty() {
        return Err(Error::Unsupported(
            "a polynomial needs at least one coefficient".into(),
        ));
    }
    for &c in coeffs {
        finite("polynomial coefficient", c)?;
    }
    if coeffs[0] == 0.0 {
        return Err(Error::OutOfRange {
            name: "leading coefficient",
            value: 0.0,
            expected: "must be nonzero (the degree is the length minus one)",
        });
    }
    Ok(())
}

/// The Schur–Cohn test: are all roots of a₀zⁿ + … + aₙ strictly inside the unit circle?
/// (module docs: reflection coefficients k = aₙ/a₀ of the rows b_i = a₀a_i − aₙa_{n−i}).
///
/// # Examples
///
/// ```
/// use momentum::polynomial::schur_cohn;
/// // z² − z + 1/4 = (z − 1/2)²: stable; z² − 1: roots ±1 on the circle: not stable
/// assert!(schur_cohn(&[1.0, -1.0, 0.25])?.stable);
/// assert!(!schur_cohn(&[1.0, 0.0, -1.0])?.stable);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// No coefficients, a coefficient that is not finite, or a zero leading coefficient.
pub fn schur_cohn(coeffs: &[f64]) -> Result<SchurCohn> {
    check(coeffs)?;
    let dd: Vec<Dd> = coeffs.iter().map(|&c| Dd::new(c)).collect();
    Ok(schur_cohn_dd(&dd))
}

/// A power of two s with |x·s| in [1, 2) (1 for x = 0 or non-finite): 2^−⌊log₂|x|⌋ with the
/// exponent clamped to ±1000. The exponent is read from the bits, which is ⌊log₂|x|⌋ as `log2`
/// computes it (a faithful log2: within an ulp, ≤ 2⁻⁴² below |e| = 1024) except for
/// significands within 2⁻⁴⁰ of 2, where a rounded log2 may reach the next integer; those and
/// subnormals take the `log2` route ([`normaliser_log2`]).
fn normaliser(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return 1.0;
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let significand = bits & ((1 << 52) - 1);
    if biased == 0 || significand >= (1 << 52) - (1 << 12) {
        return normaliser_log2(x);
    }
    let e = (biased - 1023).clamp(-1000, 1000);
    f64::from_bits(((1023 - e) as u64) << 52)
}

/// [`normaliser`] by `log2` and `powi`.
fn normaliser_log2(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return 1.0;
    }
    let e = x.abs().log2().floor() as i32;
    2f64.powi(-e.clamp(-1000, 1000))
}

/// [`schur_cohn`] on double-double coefficients (highest degree first, leading nonzero).
pub(crate) fn schur_cohn_dd(coeffs: &[Dd]) -> SchurCohn {
    if jury_rejects(coeffs) {
        return SchurCohn {
            stable: false,
            reflection: vec![],
        };
    }
    let s = normaliser(coeffs[0].hi);
    let mut row: Vec<Dd> = coeffs.iter().map(|c| c.scale(s)).collect();
    let mut reflection = Vec::with_capacity(row.len().saturating_sub(1));
    let mut next = Vec::with_capacity(row.len());
    while row.len() > 1 {
        let n = row.len() - 1;
        let (lead, tail) = (row[0], row[n]);
        reflection.push(tail.value() / lead.value());
        // |tail| < |lead|, decided on the double-double difference
        let margin = abs(lead).sub(abs(tail));
        if margin.hi <= 0.0 {
            return SchurCohn {
                stable: false,
                reflection,
            };
        }
        next.clear();
        for i in 0..n {
            next.push(lead.mul(row[i]).sub(tail.mul(row[n - i])));
        }
        let s = normaliser(next[0].hi);
        row.clear();
        row.extend(next.iter().map(|c| c.scale(s)));
    }
    SchurCohn {
        stable: true,
        reflection,
    }
}

/// The most coefficients [`schur_cohn_dd_stable`] keeps on the stack.
const STACK_COEFFS: usize = 32;

/// [`schur_cohn_dd`]'s verdict alone: the same operations on stack rows (up to
/// [`STACK_COEFFS`] coefficients; longer ones take [`schur_cohn_dd`]), without the reflection
/// coefficients, so the same verdict without an allocation.
pub(crate) fn schur_cohn_dd_stable(coeffs: &[Dd]) -> bool {
    schur_cohn_dd_stable_inline(coeffs)
}

/// [`schur_cohn_dd_stable`], inlined into its caller (an FMA-enabled copy, say): the verdict
/// settled in f64 where [`schur_cohn_settled`] can, else the double-double route.
#[inline(always)]
pub(crate) fn schur_cohn_dd_stable_inline(coeffs: &[Dd]) -> bool {
    if let Some(v) = schur_cohn_settled(coeffs) {
        return v;
    }
    schur_cohn_dd_stable_route(coeffs)
}

/// 2^k for −1022 ≤ k ≤ 1023.
const fn pow2(k: i32) -> f64 {
    f64::from_bits(((1023 + k) as u64) << 52)
}

/// [`schur_cohn_dd_stable_route`]'s verdict decided in f64, `None` where that cannot be vouched
/// for. Every quantity the verdict reads the sign of (Jury's two sums, then |lead| − |tail| of
/// each row) is formed in f64 with a bound e on its distance from the exact value of the same
/// expression on the exact inputs (hi + lo): the standard model |fl(x ∘ y) − x ∘ y| ≤ u|x ∘ y|,
/// |R| ≤ |F| + e for an entry R computed as F, and 2⁻⁶⁰⁰ added to every bound (it covers the
/// bounds' own underflow). A sign is settled when |F| > (1 + 2⁻²⁰)e (the factor absorbs the
/// rounding of the bound itself). Inputs and computed entries must be 0 or of magnitude in
/// [2⁻²⁰⁰, 2²⁰⁰] (else `None`), so the power-of-two rescaling of each row (lead in [1, 2)) is
/// exact and no value underflows. The double-double route forms the same expressions with errors
/// below 2⁻⁴⁰ of these bounds (products exact, sums within ~2⁻¹⁰⁴ relative, the same magnitudes)
/// and its own power-of-two scales (which move no sign), so a sign settled here is its sign there
/// too, read in the same order: the same verdict.
#[inline(always)]
fn schur_cohn_settled(coeffs: &[Dd]) -> Option<bool> {
    const U: f64 = f64::EPSILON / 2.0;
    const INFLATE: f64 = 1.0 + pow2(-20);
    const FLOOR: f64 = pow2(-600);
    const RANGE: (f64, f64) = (pow2(-200), pow2(200));
    let len = coeffs.len();
    if len == 0 || len > STACK_COEFFS {
        return None;
    }
    let settled = |f: f64, e: f64| f.abs() > INFLATE * e;
    let in_range =
        |f: f64, e: f64| (f == 0.0 || (f.abs() >= RANGE.0 && f.abs() <= RANGE.1)) && e <= RANGE.1;
    let mut f = [0.0; STACK_COEFFS];
    let mut e = [0.0; STACK_COEFFS];
    for ((fi, ei), c) in f.iter_mut().zip(e.iter_mut()).zip(coeffs) {
        (*fi, *ei) = (c.hi, c.lo.abs() + FLOOR);
        if !in_range(*fi, *ei) {
            return None;
        }
    }
    let n = len - 1;
    if n == 0 {
        return Some(true);
    }
    // Jury: p(1) and (−1)ⁿp(−1) = Σ(−1)ⁱaᵢ, summed in order, against the sign of a₀
    let sign = f[0].signum();
    let (mut one, mut e_one, mut minus, mut e_minus) = (0.0, FLOOR, 0.0, FLOOR);
    for i in 0..len {
        one += f[i];
        e_one += e[i] + U * one.abs();
        minus += if i % 2 == 0 { f[i] } else { -f[i] };
        e_minus += e[i] + U * minus.abs();
    }
    if !settled(one, e_one) || !settled(minus, e_minus) {
        return None;
    }
    if one * sign <= 0.0 || minus * sign <= 0.0 {
        return Some(false);
    }
    let s = normaliser(f[0]);
    for i in 0..len {
        f[i] *= s;
        e[i] *= s;
    }
    let mut n = n;
    let mut next_f = [0.0; STACK_COEFFS];
    let mut next_e = [0.0; STACK_COEFFS];
    loop {
        // |lead| − |tail| > 0
        let (l, el, t, et) = (f[0], e[0], f[n], e[n]);
        let d = l.abs() - t.abs();
        if !settled(d, el + et + U * d.abs() + FLOOR) {
            return None;
        }
        if d <= 0.0 {
            return Some(false);
        }
        if n == 1 {
            return Some(true);
        }
        // the next row, bᵢ = l·fᵢ − t·f_{n−i}
        for i in 0..n {
            let (p, q) = (l * f[i], t * f[n - i]);
            let g = p - q;
            let eg = l.abs() * e[i]
                + (f[i].abs() + e[i]) * el
                + t.abs() * e[n - i]
                + (f[n - i].abs() + e[n - i]) * et
                + U * (p.abs() + q.abs() + g.abs())
                + FLOOR;
            if !in_range(g, eg) {
                return None;
            }
            (next_f[i], next_e[i]) = (g, eg);
        }
        let s = normaliser(next_f[0]);
        for i in 0..n {
            f[i] = next_f[i] * s;
            e[i] = next_e[i] * s;
        }
        n -= 1;
    }
}

/// [`schur_cohn_dd_stable`] in double-double throughout (its f64 filter's fallback, and the
/// route the filter is tested against).
#[inline(always)]
pub(crate) fn schur_cohn_dd_stable_route(coeffs: &[Dd]) -> bool {
    if coeffs.len() > STACK_COEFFS {
        return schur_cohn_dd(coeffs).stable;
    }
    if jury_rejects(coeffs) {
        return false;
    }
    let s = normaliser(coeffs[0].hi);
    let mut row = [Dd::new(0.0); STACK_COEFFS];
    let mut next = [Dd::new(0.0); STACK_COEFFS];
    for (r, c) in row.iter_mut().zip(coeffs) {
        *r = c.scale(s);
    }
    let mut len = coeffs.len();
    while len > 1 {
        let n = len - 1;
        let (lead, tail) = (row[0], row[n]);
        if abs(lead).sub(abs(tail)).hi <= 0.0 {
            return false;
        }
        for i in 0..n {
            next[i] = lead.mul(row[i]).sub(tail.mul(row[n - i]));
        }
        let s = normaliser(next[0].hi);
        for (r, c) in row.iter_mut().zip(&next[..n]) {
            *r = c.scale(s);
        }
        len = n;
    }
    true
}

/// Jury's two necessary conditions, p(1)·a₀ > 0 and (−1)ⁿp(−1)·a₀ > 0, failed: true when one
/// fails.
#[inline(always)]
fn jury_rejects(coeffs: &[Dd]) -> bool {
    // plain sums of the coefficients: a root exactly at z = ±1 (where the inputs put it, e.g.
    // the edge αλ = 2(1 + β) of heavy ball) is then decided without the rounding of the
    // Schur–Cohn products
    let n = coeffs.len() - 1;
    let sign = coeffs[0].hi.signum();
    let at_one = coeffs.iter().fold(Dd::new(0.0), |acc, &c| acc.add(c));
    let at_minus_one = coeffs
        .iter()
        .enumerate()
        .fold(Dd::new(0.0), |acc, (i, &c)| {
            // coefficient i multiplies z^{n−i}; (−1)ⁿ·(−1)^{n−i} = (−1)^i
            if i % 2 == 0 { acc.add(c) } else { acc.sub(c) }
        });
    n > 0 && (at_one.hi * sign <= 0.0 || at_minus_one.hi * sign <= 0.0)
}

fn abs(x: Dd) -> Dd {
    if x.hi < 0.0 { x.neg() } else { x }
}

/// The roots of a₀zⁿ + … + aₙ as the eigenvalues of its companion matrix (first row −a_i/a₀,
/// ones below the diagonal), by nalgebra's real Schur decomposition (on M + σI, minus σ, where
/// nalgebra's iteration would not converge within 30n sweeps). A root of multiplicity m is found to about ε^{1/m} — the second
/// route to the verdict, not the verdict.
///
/// # Examples
///
/// ```
/// use momentum::polynomial::roots;
/// let mut r: Vec<f64> = roots(&[1.0, -3.0, 2.0])?.iter().map(|z| z.re).collect();
/// r.sort_by(f64::total_cmp);
/// assert!((r[0] - 1.0).abs() < 1e-14 && (r[1] - 2.0).abs() < 1e-14);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`schur_cohn`]; [`Error::Unsupported`] if the QR iteration does not converge (not seen).
pub fn roots(coeffs: &[f64]) -> Result<Vec<Complex64>> {
    check(coeffs)?;
    let n = coeffs.len() - 1;
    if n == 0 {
        return Ok(vec![]);
    }
    let mut c = DMatrix::<f64>::zeros(n, n);
    for j in 0..n {
        c[(0, j)] = -coeffs[j + 1] / coeffs[0];
    }
    for i in 1..n {
        c[(i, i - 1)] = 1.0;
    }
    for x in c.iter() {
        if !x.is_finite() {
            return Err(Error::CoefficientOverflow { lambda: f64::NAN });
        }
    }
    eigenvalues(c)
}

/// Francis sweeps allowed per eigenvalue in [`eigenvalues`] before it shifts the matrix
/// (LAPACK's `dhseqr` allows 30).
const SWEEPS_PER_EIGENVALUE: usize = 30;

/// The eigenvalues of a real square matrix by nalgebra's real Schur form, the same bits as its
/// `complex_eigenvalues` where that converges within 30n sweeps.
///
/// nalgebra deflates a subdiagonal entry h only when |h| ≤ ε(|left diagonal| + |right diagonal|),
/// and its double-shift QR has no exceptional shifts: where the diagonal tends to zero — a
/// spectrum symmetric about 0 (z⁴ − 0.68z² + 1.27, z⁴ − 3z² + 2) or a nilpotent companion (z³) —
/// it sweeps for ever. Then the eigenvalues are those of M + σI minus σ, σ = 0.618j·max|mᵢⱼ| at
/// the j-th retry (absolute error ~ε(‖M‖ + σ), the accuracy of the plain route).
///
/// # Errors
///
/// [`Error::Unsupported`] if three shifts do not converge either or M is not finite.
pub(crate) fn eigenvalues(m: DMatrix<f64>) -> Result<Vec<Complex64>> {
    let n = m.nrows();
    let budget = SWEEPS_PER_EIGENVALUE * n.max(1);
    let scale = m.camax();
    if scale == 0.0 {
        return Ok(vec![Complex64::new(0.0, 0.0); n]);
    }
    let fail = || {
        Error::Unsupported(format!(
            "the eigenvalues of a {n} x {n} matrix: the QR iteration did not converge"
        ))
    };
    if !scale.is_finite() {
        return Err(fail());
    }
    if let Some(s) = nalgebra::Schur::try_new(m.clone(), f64::EPSILON, budget) {
        return Ok(s.complex_eigenvalues().iter().copied().collect());
    }
    for j in 1..=3 {
        let sigma = 0.618 * j as f64 * scale;
        let shifted = &m + DMatrix::<f64>::identity(n, n) * sigma;
        if let Some(s) = nalgebra::Schur::try_new(shifted, f64::EPSILON, budget) {
            return Ok(s.complex_eigenvalues().iter().map(|z| z - sigma).collect());
        }
    }
    Err(fail())
}

/// Relative Newton correction |p(z)/p'(z)|/max|z| below which [`roots_scaled`] keeps the roots
/// of the plain companion matrix.
const KEEP_PLAIN_ROOTS: f64 = 1e-14;

/// The roots of a₀zⁿ + … + aₙ (highest degree first), accurate when the root moduli are far from 1.
///
/// The plain companion matrix ([`roots`]) of such a polynomial is badly balanced and its
/// eigenvalues lose relative accuracy (a delayed polynomial at αλ = 1e12, τ = 8: 140× off). Here
/// the variable is changed to z = s·w, s = 2ᵉ the power of two nearest R = max_k |a_k/a₀|^{1/k}
/// (Fujiwara: every root has |z| ≤ 2R, the largest ≥ R/n), so that the largest roots of the
/// polynomial in w have modulus ~1 and keep their relative accuracy; scaling by 2ᵉ is exact.
/// Roots much smaller than the largest come out to ~ε·max|z| absolute. When e = 0, or when every
/// plain root's Newton correction is below 10⁻¹⁴ of the largest modulus, the plain roots are
/// returned as they are (same bits as [`roots`]). Otherwise the set (plain or scaled) with the
/// smaller Newton corrections is kept and each root polished by guarded Newton steps: scaling
/// hurts when every root sits near one circle (αλ = 1e-3, τ = 64: z⁶⁴(z − 1)(z − β) + small).
///
/// # Errors
///
/// As [`roots`].
pub(crate) fn roots_scaled(coeffs: &[f64]) -> Result<Vec<Complex64>> {
    let plain = roots(coeffs)?;
    let lead = coeffs[0];
    let r = coeffs
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, c)| **c != 0.0)
        .map(|(k, c)| (c / lead).abs().powf(1.0 / k as f64))
        .fold(0.0, f64::max);
    let e = if r > 0.0 && r.is_finite() {
        r.log2().round() as i32
    } else {
        0
    };
    if e == 0 || newton_corrections_below(coeffs, &plain, KEEP_PLAIN_ROOTS) {
        return Ok(plain);
    }
    // a_k / s^k by k exact multiplications by 2⁻ᵉ: each moves monotonically towards the final
    // value, so nothing overflows on the way
    let inv = 2f64.powi(-e);
    let scaled: Vec<f64> = coeffs
        .iter()
        .enumerate()
        .map(|(k, &c)| (0..k).fold(c, |acc, _| acc * inv))
        .collect();
    let s = 2f64.powi(e);
    let scaled: Vec<Complex64> = roots(&scaled)?.into_iter().map(|w| w * s).collect();
    // the scaling helps when the largest roots dominate (large αλ) and hurts when every root sits
    // near one circle (small αλ, long delay: z^τ(z − 1)(z − β) + tiny): keep the set with the
    // smaller Newton corrections, then polish it
    let best = if worst_correction(coeffs, &scaled) < worst_correction(coeffs, &plain) {
        scaled
    } else {
        plain
    };
    Ok(polish(coeffs, best))
}

/// p(z) and p'(z) by Horner in f64.
fn value_and_slope(coeffs: &[f64], z: Complex64) -> (Complex64, Complex64) {
    let (mut p, mut dp) = (Complex64::new(0.0, 0.0), Complex64::new(0.0, 0.0));
    for &c in coeffs {
        dp = dp * z + p;
        p = p * z + c;
    }
    (p, dp)
}

/// max over the roots of |p(z)/p'(z)| relative to max|z| (+∞ on a zero p' or a non-finite value).
fn worst_correction(coeffs: &[f64], roots: &[Complex64]) -> f64 {
    let top = roots.iter().map(|z| z.norm()).fold(0.0, f64::max);
    roots
        .iter()
        .map(|&z| {
            let (p, dp) = value_and_slope(coeffs, z);
            let c = (p / dp).norm() / top;
            if c.is_finite() { c } else { f64::INFINITY }
        })
        .fold(0.0, f64::max)
}

/// Up to 8 Newton steps per root, each kept only when it lowers |p| and moves the root by less
/// than half its distance to the nearest other root (so two roots never merge into one).
fn polish(coeffs: &[f64], mut roots: Vec<Complex64>) -> Vec<Complex64> {
    for k in 0..roots.len() {
        let gap = roots
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != k)
            .map(|(_, w)| (w - roots[k]).norm())
            .fold(f64::INFINITY, f64::min);
        let mut z = roots[k];
        let (mut p, mut dp) = value_and_slope(coeffs, z);
        for _ in 0..8 {
            let step = p / dp;
            if !step.norm().is_finite() || step.norm() >= 0.5 * gap {
                break;
            }
            let next = z - step;
            let (np, ndp) = value_and_slope(coeffs, next);
            if np.norm().partial_cmp(&p.norm()) != Some(std::cmp::Ordering::Less) {
                break;
            }
            (z, p, dp) = (next, np, ndp);
        }
        roots[k] = z;
    }
    roots
}

/// Whether every root z has |p(z)/p'(z)| ≤ tol·max|z| (Horner in f64; false on a zero p').
fn newton_corrections_below(coeffs: &[f64], roots: &[Complex64], tol: f64) -> bool {
    worst_correction(coeffs, roots) <= tol
}

/// The largest root modulus max|z| of a₀zⁿ + … + aₙ, from [`roots`] (0 for degree 0).
///
/// # Examples
///
/// ```
/// // z³ − 1/8: three roots of modulus 1/2
/// let r = momentum::polynomial::spectral_radius(&[1.0, 0.0, 0.0, -0.125])?;
/// assert!((r - 0.5).abs() < 1e-12);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`schur_cohn`].
pub fn spectral_radius(coeffs: &[f64]) -> Result<f64> {
    Ok(roots(coeffs)?.iter().map(|z| z.norm()).fold(0.0, f64::max))
}

/// Horner evaluation of a real polynomial (highest degree first) at a complex point.
#[inline]
pub(crate) fn horner(coeffs: &[f64], z: Complex64) -> Complex64 {
    coeffs
        .iter()
        .fold(Complex64::new(0.0, 0.0), |acc, &c| acc * z + c)
}

/// Angles per unit of degree sampled on the half circle by [`circle_crossings`].
pub const CROSSING_SAMPLES_PER_DEGREE: usize = 32;

/// The real values s at which A(z) + s·B(z) has a root on the circle |z| = r (B of lower degree
/// than A; both highest degree first).
///
/// On z = re^{iθ} a root needs s = −A(z)/B(z) real, i.e. Im(A(z)·conj B(z)) = 0. That function of
/// θ is a trigonometric polynomial of degree ≤ deg A, so it has at most 2·deg A zeros on the
/// circle; it is sampled at [`CROSSING_SAMPLES_PER_DEGREE`]·(deg A + 1) angles of [0, π] (real
/// coefficients: the lower half circle mirrors the upper), each sign change is bisected to the
/// last bit of θ, and the two real points z = ±r are added directly. A zero of even multiplicity
/// (a root touching the circle without crossing it) between two samples can be missed; it
/// changes no verdict on an open set. As s moves, roots can leave or enter the disc |z| < r only
/// at these values (the leading coefficient does not depend on s), which is how
/// [`crate::delay`] decides an interval of curvatures or steps.
///
/// # Examples
///
/// ```
/// use momentum::polynomial::circle_crossings;
/// // z² + s: roots ±i√s, on the unit circle at s = 1 (and z = ±1 at s = −1)
/// let s = circle_crossings(&[1.0, 0.0, 0.0], &[1.0], 1.0)?;
/// assert!(s.iter().any(|&x| (x - 1.0).abs() < 1e-12));
/// assert!(s.iter().any(|&x| (x + 1.0).abs() < 1e-12));
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// A coefficient that is not finite, r not finite and > 0, an empty B or a zero leading
/// coefficient of A.
pub fn circle_crossings(a: &[f64], b: &[f64], r: f64) -> Result<Vec<f64>> {
    Ok(crossings(a, b, r, None)?.0)
}

/// [`circle_crossings`] inside the window [lo, hi] (what filtering its list gives, the same
/// bits): a sign change whose crossing is proven to lie outside the window is not bisected.
///
/// # Errors
///
/// As [`circle_crossings`].
pub(crate) fn circle_crossings_within(
    a: &[f64],
    b: &[f64],
    r: f64,
    window: (f64, f64),
) -> Result<Vec<f64>> {
    let mut out = crossings(a, b, r, Some(window))?.0;
    out.retain(|s| (window.0..=window.1).contains(s));
    Ok(out)
}

/// The crossings of [`circle_crossings`], and how many sign changes or arcs of samples were
/// left unevaluated because the window excludes their crossings.
///
/// Two proven exclusions, for every θ within w of a point θ₀ where A, B were evaluated. With
/// S = Σ|a_k|r^k, S′ = Σk|a_k|r^k (T, T′ for B; |dA/dθ| = |zA′(z)| ≤ S′):
///
/// - signed: −Re(A·conj B) is within w(S′T + ST′) of its value at θ₀ and |B| within wT′, so
///   the crossing s = −Re(A·conj B)/|B|² lies in an interval;
/// - magnitude: A = z^t·Q, B = z^u·R (trailing zeros split off), so |A| = r^t|Q| moves only
///   by r^t·wΣk|q_k|r^k, and at a crossing (Im(A·conj B) = 0 to rounding) |s| = |A|/|B|.
///
/// Each bound is widened by a generous bound on the evaluations' rounding (64(n + 4)ε of the
/// absolute sums); when the interval misses the window by a relative 10⁻⁹ more, the sign change
/// is not bisected, or the samples of an arc of up to 16 spacings are not evaluated (a sign
/// change or zero among them only gives a value the window drops).
fn crossings(
    a: &[f64],
    b: &[f64],
    r: f64,
    window: Option<(f64, f64)>,
) -> Result<(Vec<f64>, usize)> {
    check(a)?;
    if b.is_empty() {
        return Err(Error::Unsupported(
            "the pencil's B has no coefficients".into(),
        ));
    }
    for &c in b {
        finite("polynomial coefficient", c)?;
    }
    positive("radius", r)?;
    let m = CROSSING_SAMPLES_PER_DEGREE * a.len();
    let at = |theta: f64| -> (Complex64, Complex64) {
        let z = Complex64::from_polar(r, theta);
        (horner(a, z), horner(b, z))
    };
    // A, B without their trailing zeros, for the magnitude bound
    let stripped =
        |c: &[f64]| -> usize { c.len() - c[1..].iter().rev().take_while(|&&x| x == 0.0).count() };
    let (q, rr) = (&a[..stripped(a)], &b[..stripped(b)]);
    // a point: its angle, Im(A·conj B), A·conj B, B, Q, R
    #[derive(Clone, Copy)]
    struct Pt {
        theta: f64,
        f: f64,
        g: Complex64,
        pb: Complex64,
        q: Complex64,
        r: Complex64,
    }
    let eval = |theta: f64| -> Pt {
        let z = Complex64::from_polar(r, theta);
        let (pa, pb) = (horner(a, z), horner(b, z));
        let g = pa * pb.conj();
        let (q, r) = if window.is_some() {
            (horner(q, z), horner(rr, z))
        } else {
            (Complex64::new(0.0, 0.0), Complex64::new(0.0, 0.0))
        };
        Pt {
            theta,
            f: g.im,
            g,
            pb,
            q,
            r,
        }
    };
    let sums = |c: &[f64]| -> (f64, f64) {
        let n = c.len();
        c.iter().enumerate().fold((0.0, 0.0), |(s, s1), (i, &x)| {
            let k = n - 1 - i;
            let t = x.abs() * r.powi(k as i32);
            (s + t, s1 + k as f64 * t)
        })
    };
    let ((sa, sa1), (sb, sb1)) = (sums(a), sums(b));
    let ((sq, sq1), (sr, sr1)) = (sums(q), sums(rr));
    let (rt, ru) = (
        r.powi((a.len() - q.len()) as i32),
        r.powi((b.len() - rr.len()) as i32),
    );
    let unit = 64.0 * (a.len() + b.len() + 4) as f64 * f64::EPSILON;
    let (ea, eb) = (unit * (sa + sa1), unit * (sb + sb1));
    let (eq, er) = (unit * (sq + sq1), unit * (sr + sr1));
    let eg = ea * (sb + eb) + sa * eb + unit * sa * sb;
    let slope = sa1 * sb + sa * sb1;
    // |Im(A·conj B)| at a crossing the bisection (or a zero sample) returns
    let flat = 2.0 * eg + 8.0 * f64::EPSILON * std::f64::consts::PI * slope;
    // true when every crossing within w of the point p is outside the window
    let outside = |p: &Pt, w: f64| -> bool {
        let Some((lo, hi)) = window else {
            return false;
        };
        // signed
        let spread = w * slope + 2.0 * eg;
        let (nl, nh) = (-p.g.re - spread, -p.g.re + spread);
        let (bl, bh) = (
            p.pb.norm() - 2.0 * eb - w * sb1,
            p.pb.norm() + 2.0 * eb + w * sb1,
        );
        if bl.is_nan() || bl <= 0.0 {
            return false;
        }
        let (dl, dh) = (bl * bl * (1.0 - unit), bh * bh * (1.0 + unit));
        let smax = if nh >= 0.0 { nh / dl } else { nh / dh };
        let smin = if nl >= 0.0 { nl / dh } else { nl / dl };
        let slack = 1e-9 * (smin.abs() + smax.abs()) + f64::MIN_POSITIVE;
        if smax < lo - slack || smin > hi + slack {
            return true;
        }
        // magnitude
        let a_hi = rt * (p.q.norm() + w * sq1 + 2.0 * eq) + ea;
        let a_lo = rt * (p.q.norm() - w * sq1 - 2.0 * eq) - ea;
        let b_hi = ru * (p.r.norm() + w * sr1 + 2.0 * er) + eb;
        let b_lo = ru * (p.r.norm() - w * sr1 - 2.0 * er) - eb;
        if b_lo.is_nan() || b_lo <= 0.0 {
            return false;
        }
        let abs_max = a_hi * b_hi * (1.0 + unit) / (b_lo * b_lo * (1.0 - unit));
        let abs_min = (a_lo * b_lo - 2.0 * flat) * (1.0 - unit) / (b_hi * b_hi * (1.0 + unit));
        let inner = if lo <= 0.0 && hi >= 0.0 {
            0.0
        } else {
            lo.abs().min(hi.abs())
        };
        let outer = lo.abs().max(hi.abs());
        abs_max * (1.0 + 1e-9) < inner || abs_min * (1.0 - 1e-9) > outer
    };
    let mut out = vec![];
    for z in [r, -r] {
        let pb = horner(b, Complex64::new(z, 0.0)).re;
        if pb != 0.0 {
            out.push(-horner(a, Complex64::new(z, 0.0)).re / pb);
        }
    }
    // the samples: m − 1 interior angles, plus one 1/1024 of a spacing from each end (the
    // endpoints themselves are exact zeros, the real crossings added above)
    let pi = std::f64::consts::PI;
    let edge = pi / m as f64 / 1024.0;
    let mut thetas = vec![edge];
    thetas.extend((1..m).map(|j| pi * j as f64 / m as f64));
    thetas.push(pi - edge);
    let mut skipped = 0;
    let mut prev = eval(thetas[0]);
    let mut j = 1;
    while j < thetas.len() {
        // an arc of up to 16 spacings from the last sample whose crossings are all outside the
        // window: its inner samples are not evaluated, the walk resumes at its far end
        if window.is_some()
            && let Some(far) = [16, 8, 4, 2].into_iter().find_map(|k| {
                let far = (j - 1 + k).min(thetas.len() - 1);
                (far > j && outside(&prev, thetas[far] - prev.theta)).then_some(far)
            })
        {
            prev = eval(thetas[far]);
            skipped += 1;
            j = far + 1;
            continue;
        }
        let t = thetas[j];
        j += 1;
        let p = eval(t);
        let f = p.f;
        let zero = if f == 0.0 {
            Some(t)
        } else if f.signum() != prev.f.signum() && prev.f != 0.0 {
            let (mut lo, mut hi, flo) = (prev.theta, t, prev.f);
            let mut skip = outside(&prev, t - prev.theta);
            if !skip {
                for _ in 0..64 {
                    let mid = 0.5 * (lo + hi);
                    if mid <= lo || mid >= hi {
                        break;
                    }
                    let pm = eval(mid);
                    if pm.f == 0.0 {
                        (lo, hi) = (mid, mid);
                        break;
                    }
                    // the rest of the bracket is within hi − lo of mid
                    if outside(&pm, hi - lo) {
                        skip = true;
                        break;
                    }
                    if pm.f.signum() == flo.signum() {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
            }
            if skip {
                skipped += 1;
                None
            } else {
                Some(0.5 * (lo + hi))
            }
        } else {
            None
        };
        if let Some(t0) = zero {
            let (pa, pb) = at(t0);
            let d = pb.norm_sqr();
            if d > 0.0 {
                out.push(-(pa * pb.conj()).re / d);
            }
        }
        prev = p;
    }
    out.retain(|s| s.is_finite());
    out.sort_by(f64::total_cmp);
    Ok((out, skipped))
}

/// The largest root modulus of a₀zⁿ + … + aₙ (highest degree first, a₀ ≠ 0, finite) by the
/// Aberth–Ehrlich iteration, or `None` when it does not settle to a relative 10⁻¹³ within 80
/// sweeps (clustered or multiple roots: the caller then takes the companion eigenvalues of
/// [`roots_scaled`]). Exact zero roots (trailing zero coefficients) are split off first. Each
/// sweep moves every root by w = (p/p′)/(1 − (p/p′)Σₖ≠ⱼ 1/(zⱼ − zₖ)), starting on the circle of
/// the roots' geometric-mean modulus |aₙ/a₀|^{1/n}: O(n²) work per sweep against the O(n³)
/// Hessenberg–QR of the companion matrix, and no allocation beyond the n roots.
pub(crate) fn spectral_radius_aberth(coeffs: &[f64]) -> Option<f64> {
    let end = coeffs.iter().rposition(|&c| c != 0.0)?;
    let c = &coeffs[..=end];
    let n = c.len() - 1;
    if n == 0 {
        return Some(0.0);
    }
    if c.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let r0 = (c[n] / c[0]).abs().powf(1.0 / n as f64);
    if !(r0.is_finite() && r0 > 0.0) {
        return None;
    }
    let mut z: Vec<Complex64> = (0..n)
        .map(|j| {
            let t = std::f64::consts::TAU * j as f64 / n as f64 + 0.4;
            Complex64::from_polar(r0, t)
        })
        .collect();
    for _ in 0..80 {
        let mut largest = 0.0f64;
        for j in 0..n {
            let zj = z[j];
            // p and p′ by one Horner pass
            let (mut p, mut dp) = (Complex64::new(c[0], 0.0), Complex64::new(0.0, 0.0));
            for &a in &c[1..] {
                dp = dp * zj + p;
                p = p * zj + a;
            }
            if p == Complex64::new(0.0, 0.0) {
                continue;
            }
            let ratio = p / dp;
            let mut sum = Complex64::new(0.0, 0.0);
            for (k, zk) in z.iter().enumerate() {
                if k != j {
                    sum += (zj - zk).inv();
                }
            }
            let w = ratio / (Complex64::new(1.0, 0.0) - ratio * sum);
            if !w.is_finite() {
                return None;
            }
            z[j] = zj - w;
            largest = largest.max(w.norm());
        }
        let radius = z.iter().map(|x| x.norm()).fold(0.0, f64::max);
        if largest <= 1e-13 * radius {
            return Some(radius);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Even quartics z⁴ + pz² + q, on which nalgebra's QR alone sweeps for ever (the first found
    /// by a random search): the roots ±√w of w² + pw + q = 0, each found to 1e-12; z³ (a
    /// nilpotent companion) to ε^{1/3}; and where nalgebra converges, its bits
    /// ((z − 1)(z − 2)(z − 3)).
    #[test]
    fn companion_roots_of_even_quartics_converge() {
        for (p, q) in [
            (-0.6801487620904675, 1.2736372696443374),
            (0.0, 1.0),
            (1.0, 1.0),
        ] {
            let found = roots(&[1.0, 0.0, p, 0.0, q]).unwrap();
            let disc = Complex64::new(p * p - 4.0 * q, 0.0).sqrt();
            let mut expected = vec![];
            for w in [(-p + disc) / 2.0, (-p - disc) / 2.0] {
                expected.extend([w.sqrt(), -w.sqrt()]);
            }
            assert_eq!(found.len(), 4);
            for z in &found {
                let gap = expected
                    .iter()
                    .map(|e| (e - z).norm())
                    .fold(f64::INFINITY, f64::min);
                assert!(gap < 1e-12, "p {p}, q {q}: {z} not among {expected:?}");
            }
            for e in &expected {
                assert!(
                    found.iter().any(|z| (e - z).norm() < 1e-12),
                    "{e} missing: {found:?}"
                );
            }
        }
        for z in roots(&[1.0, 0.0, 0.0, 0.0]).unwrap() {
            assert!(z.norm() < 1e-4, "{z}");
        }
        let c = DMatrix::from_row_slice(3, 3, &[6., -11., 6., 1., 0., 0., 0., 1., 0.]);
        let plain: Vec<Complex64> = c.complex_eigenvalues().iter().copied().collect();
        let ours = roots(&[1.0, -6.0, 11.0, -6.0]).unwrap();
        assert_eq!(format!("{plain:?}"), format!("{ours:?}"));
    }

    /// The windowed crossings against the filtered full list, bit for bit, on delayed heavy-ball
    /// and Nesterov pencils z^τ(z² − (1+β)z + β) + s·α((1+γ)z − γ) (τ = 1 … 16) at radii around
    /// the unit circle, over the delay map's window [0.01, 1] and random ones; and the window
    /// does drop brackets.
    #[test]
    fn windowed_crossings_are_the_filtered_crossings() {
        let mut state = 11u64;
        let mut next = || crate::numeric::lcg_uniform(&mut state);
        let (mut skipped, mut kept) = (0, 0);
        for trial in 0..1500 {
            let tau = 1 + trial % 16;
            let alpha = 4.0 * next();
            let beta = 2.0 * next() - 1.0;
            let gamma = if trial % 2 == 0 { 0.0 } else { beta };
            let mut a = vec![0.0; tau + 3];
            (a[0], a[1], a[2]) = (1.0, -(1.0 + beta), beta);
            let b = [alpha * (1.0 + gamma), -alpha * gamma];
            let r = 0.2 + next();
            let window = if trial % 3 == 0 {
                (0.01, 1.0)
            } else {
                let (x, y) = (4.0 * next() - 1.0, 4.0 * next() - 1.0);
                (x.min(y), x.max(y))
            };
            let all: Vec<f64> = circle_crossings(&a, &b, r)
                .unwrap()
                .into_iter()
                .filter(|s| (window.0..=window.1).contains(s))
                .collect();
            let within = circle_crossings_within(&a, &b, r, window).unwrap();
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(&within),
                bits(&all),
                "τ = {tau}, α = {alpha}, β = {beta}, r = {r}"
            );
            skipped += crossings(&a, &b, r, Some(window)).unwrap().1;
            kept += all.len();
        }
        assert!(
            skipped > kept,
            "{skipped} brackets dropped, {kept} crossings kept"
        );
    }

    /// The exponent read from the bits against `log2`: powers of two and their neighbours,
    /// significands near 2, random values over the whole range, subnormals, zero, infinities.
    #[test]
    fn normaliser_is_the_log2_normaliser() {
        let mut state = 5u64;
        let mut xs = vec![
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            5e-324,
            1e-310,
        ];
        for e in -1074..=1023 {
            let p = 2f64.powi(e);
            for x in [p, p.next_up(), p.next_down(), 2.0 * p.next_down(), 1.5 * p] {
                xs.extend([x, -x]);
            }
        }
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            xs.push(f64::from_bits(state));
        }
        for x in xs {
            assert_eq!(
                normaliser(x).to_bits(),
                normaliser_log2(x).to_bits(),
                "{x:e}"
            );
        }
    }

    /// The stack verdict against the full Schur–Cohn on random double-double polynomials of
    /// degree 0 … 40 (beyond the stack's 32 coefficients too), half of them with every root
    /// inside the unit circle (products of factors with roots of modulus < 1), and on the
    /// edges z = ±1.
    #[test]
    fn stack_schur_cohn_verdict_is_the_full_verdict() {
        let mut state = 7u64;
        let mut next = || crate::numeric::lcg_uniform(&mut state);
        let (mut stable, mut total) = (0, 0);
        for trial in 0..6000 {
            let degree = trial % 41;
            let mut c = vec![Dd::new(1.0)];
            for _ in 0..degree {
                // multiply by (z − r), r in (−1.1, 1.1) or (−0.95, 0.95)
                let r = (2.0 * next() - 1.0) * if trial % 2 == 0 { 1.1 } else { 0.95 };
                let mut d = c.clone();
                d.push(Dd::new(0.0));
                for i in 1..d.len() {
                    d[i] = d[i].sub(c[i - 1].mul_f64(r));
                }
                c = d;
            }
            let full = schur_cohn_dd(&c).stable;
            assert_eq!(schur_cohn_dd_stable(&c), full, "degree {degree}");
            stable += usize::from(full);
            total += 1;
        }
        assert!(
            stable > total / 4 && stable < total,
            "{stable} of {total} stable"
        );
        for edge in [[1.0, -1.0], [1.0, 1.0]] {
            let c: Vec<Dd> = edge.iter().map(|&x| Dd::new(x)).collect();
            assert!(!schur_cohn_dd_stable(&c) && !schur_cohn_dd(&c).stable);
        }
    }

    /// The f64 filter's settled verdicts against the double-double route on polynomials of
    /// degree 1 … 31 built in double-double from real roots and conjugate pairs near the unit
    /// circle (moduli 1 ± 10⁻¹⁶ … 10⁻¹, some exactly 1), with rescaled and tiny coefficients:
    /// every settled verdict is the route's, and both verdicts and unsettled cases occur.
    #[test]
    fn settled_schur_cohn_is_the_double_double_verdict() {
        let mut state = 11u64;
        let mut next = || crate::numeric::lcg_uniform(&mut state);
        let (mut yes, mut no, mut open) = (0, 0, 0);
        for trial in 0..40_000 {
            let degree = 1 + trial % 31;
            let mut c = vec![Dd::new(1.0)];
            let mut d = 0;
            while d < degree {
                let gap = [1e-16, 1e-13, 1e-9, 1e-5, 1e-2, 1e-1, 0.0][(next() * 7.0) as usize];
                let modulus = 1.0 + (2.0 * next() - 1.0) * gap;
                let factor = if d + 2 <= degree && next() < 0.6 {
                    // z² − 2r cos θ z + r²
                    let theta = std::f64::consts::PI * next();
                    vec![
                        Dd::new(-2.0 * modulus * theta.cos()),
                        Dd::prod(modulus, modulus),
                    ]
                } else {
                    vec![Dd::new(if next() < 0.5 { -modulus } else { modulus })]
                };
                let mut p = c.clone();
                p.extend(std::iter::repeat_n(Dd::new(0.0), factor.len()));
                for (k, fk) in factor.iter().enumerate() {
                    for i in 0..c.len() {
                        p[i + k + 1] = p[i + k + 1].add(c[i].mul(*fk));
                    }
                }
                d += factor.len();
                c = p;
            }
            let scale = [1.0, 3.0, 1e-30, 1e40, -0.5][trial % 5];
            let c: Vec<Dd> = c.iter().map(|x| x.mul_f64(scale)).collect();
            let route = schur_cohn_dd_stable_route(&c);
            match schur_cohn_settled(&c) {
                Some(v) => {
                    assert_eq!(v, route, "{c:?}");
                    if v { yes += 1 } else { no += 1 }
                }
                None => open += 1,
            }
            assert_eq!(schur_cohn_dd_stable(&c), route);
        }
        assert!(yes > 1000 && no > 1000 && open > 1000, "{yes} {no} {open}");
    }

    /// The Aberth radius against the companion eigenvalues' ([`roots_scaled`]) on delayed
    /// heavy-ball and Nesterov polynomials z^τ(z² − (1+β)z + β) + h((1+γ)z − γ) over the delay
    /// maps' ranges (h ∈ (0, 4], β ∈ (−1, 1), τ = 1 … 16).
    #[test]
    fn aberth_radius_is_the_companion_radius() {
        let (mut settled, mut cases) = (0, 0);
        for tau in [1usize, 2, 4, 8, 16] {
            for i in 0..40 {
                let h = 4.0 * (i as f64 + 0.5) / 40.0;
                for j in 0..30 {
                    let beta = -1.0 + 2.0 * (j as f64 + 0.5) / 30.0;
                    for gamma in [0.0, beta] {
                        let mut c = vec![1.0, -(1.0 + beta), beta];
                        c.extend(std::iter::repeat_n(0.0, tau));
                        let n = c.len();
                        c[n - 2] += h * (1.0 + gamma);
                        c[n - 1] -= h * gamma;
                        let companion = roots_scaled(&c)
                            .unwrap()
                            .iter()
                            .map(|z| z.norm())
                            .fold(0.0, f64::max);
                        cases += 1;
                        if let Some(r) = spectral_radius_aberth(&c) {
                            settled += 1;
                            assert!(
                                (r - companion).abs() <= 1e-9 * companion,
                                "tau {tau}, h {h}, beta {beta}, gamma {gamma}: {r} vs {companion}"
                            );
                        }
                    }
                }
            }
        }
        assert!(settled * 10 >= cases * 9, "{settled} of {cases}");
        // an exact zero root and a double root at 1/2: (z − 1/2)² z
        assert_eq!(spectral_radius_aberth(&[1.0, 2.0, 0.0]), Some(2.0));
        assert!(
            spectral_radius_aberth(&[1.0, -1.0, 0.25, 0.0]).is_none_or(|r| (r - 0.5).abs() < 1e-6)
        );
    }

    #[test]
    fn reflection_of_a_quadratic_is_the_jury_test() {
        // z² − c₁z + c₀: k₁ = c₀, then (1 − c₀²)z − c₁(1 − c₀): k₂ = −c₁/(1 + c₀)
        let sc = schur_cohn(&[1.0, -0.5, 0.25]).unwrap();
        assert!(sc.stable);
        assert_eq!(sc.reflection[0], 0.25);
        assert!((sc.reflection[1] + 0.5 / 1.25).abs() < 1e-16);
    }
}
