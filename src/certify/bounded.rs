//! f64 values with a rigorous bound on their distance to the exact value of the same expression,
//! the exact checks' filter ([`super::counter::verify`], [`super::lifted::verify`]): where the
//! bound settles a sign, that sign is the exact one and no big-integer arithmetic is needed;
//! where it cannot, the check decides exactly as before.

use std::ops::{Add, Mul, Sub};

/// An f64 value v and a bound e ≥ |v − exact| on its distance to the exact value of the same
/// expression (standard model: |fl(a ∘ b) − a ∘ b| ≤ u|fl(a ∘ b)| + η, u = 2⁻⁵³, η covering
/// underflow), the bound's own rounding absorbed by [`Bounded::bound`].
#[derive(Clone, Copy, Debug)]
pub(super) struct Bounded {
    pub(super) v: f64,
    pub(super) e: f64,
}

/// Unit roundoff 2⁻⁵³.
const UNIT: f64 = f64::EPSILON / 2.0;
/// Per operation, more than any underflow can lose (2⁻¹⁰⁷⁵ for a value, the same for a bound).
const ETA: f64 = 1e-300;

impl Bounded {
    /// A finite f64, exactly.
    pub(super) fn exact(v: f64) -> Bounded {
        Bounded { v, e: 0.0 }
    }

    /// A bound on |v − exact| that is itself rigorous: e (computed in < 2¹⁰ rounded operations
    /// on nonnegative terms, each losing at most a factor 1 − u) times 1 + 2⁻⁴⁰, plus η; +∞
    /// when v or e is not finite (nothing is settled then).
    pub(super) fn bound(&self) -> f64 {
        if self.v.is_finite() && self.e.is_finite() {
            up(self.e)
        } else {
            f64::INFINITY
        }
    }

    /// a/b of two finite f64 (b ≠ 0), correctly rounded: within u|a/b| + η of the quotient.
    pub(super) fn quotient(a: f64, b: f64) -> Bounded {
        let v = a / b;
        Bounded {
            v,
            e: UNIT * v.abs() + ETA,
        }
    }

    /// `Some(true)` when the value is proven > 0, `Some(false)` when proven < 0, else `None`.
    pub(super) fn positive(&self) -> Option<bool> {
        let e = self.bound();
        if self.v > e {
            Some(true)
        } else if self.v < -e {
            Some(false)
        } else {
            None
        }
    }
}

/// x (≥ 0, the result of < 2¹⁰ rounded operations on nonnegative terms) made an upper bound of
/// the exact value of those operations: times 1 + 2⁻⁴⁰, plus η.
fn up(x: f64) -> f64 {
    x * (1.0 + 2f64.powi(-40)) + ETA
}

/// Intervals [`positive_on_unit_interval`] may examine before it gives up.
const INTERVALS: usize = 4096;

/// Whether Σ pₖcᵏ > 0 for every c ∈ [−1, 1], for the exact coefficients the bounds enclose:
/// `Some(true)` when proven, `Some(false)` when the polynomial is proven negative at some point,
/// `None` when neither within [`INTERVALS`] intervals (or a value is not finite).
///
/// With V the polynomial of the f64 values and E = Σ eₖ, |P(c) − V(c)| ≤ E on [−1, 1]. [−1, 1]
/// is bisected; on [m − r, m + r] (m and r = 2⁻ᵈ exact) the Taylor coefficients bₖ of V at m
/// are formed with bounds, and V ≥ b₀ − Σₖ≥₁ |bₖ| rᵏ there, so P > 0 on it when
/// b₀ > e(b₀) + Σₖ≥₁ (|bₖ| + e(bₖ)) rᵏ + E; P(m) < 0 when b₀ < −(e(b₀) + E).
pub(super) fn positive_on_unit_interval(p: &[Bounded]) -> Option<bool> {
    if p.iter().any(|c| !(c.v.is_finite() && c.e.is_finite())) {
        return None;
    }
    let err: f64 = p.iter().map(|c| c.e).sum();
    let n = p.len();
    let mut todo = vec![(0.0f64, 1.0f64)]; // (m, r)
    let mut seen = 0;
    while let Some((m, r)) = todo.pop() {
        seen += 1;
        if seen > INTERVALS {
            return None;
        }
        // Taylor shift to m: b ← coefficients of V(m + t)
        let mut b: Vec<Bounded> = p.iter().map(|c| Bounded::exact(c.v)).collect();
        for k in 0..n.saturating_sub(1) {
            for i in (k..n - 1).rev() {
                b[i] = b[i] + b[i + 1] * Bounded::exact(m);
            }
        }
        if !b.iter().all(|c| c.v.is_finite() && c.e.is_finite()) {
            return None;
        }
        let mut spread = 0.0;
        let mut rk = 1.0;
        for c in &b[1..] {
            rk *= r;
            spread += (c.v.abs() + c.e) * rk;
        }
        if b[0].v > up(b[0].e + spread + err) {
            continue; // positive on [m − r, m + r]
        }
        if b[0].v < -up(b[0].e + err) {
            return Some(false);
        }
        // m stays a multiple of 2⁻⁵⁰ in (−1, 1): exact in f64, so the halves tile exactly
        let h = 0.5 * r;
        if h < 2f64.powi(-50) {
            return None;
        }
        todo.push((m - h, h));
        todo.push((m + h, h));
    }
    Some(true)
}

impl Add for Bounded {
    type Output = Bounded;
    fn add(self, o: Bounded) -> Bounded {
        let v = self.v + o.v;
        Bounded {
            v,
            e: self.e + o.e + UNIT * v.abs() + ETA,
        }
    }
}

impl Sub for Bounded {
    type Output = Bounded;
    fn sub(self, o: Bounded) -> Bounded {
        self + Bounded { v: -o.v, e: o.e }
    }
}

impl Mul for Bounded {
    type Output = Bounded;
    fn mul(self, o: Bounded) -> Bounded {
        let v = self.v * o.v;
        Bounded {
            v,
            e: self.v.abs() * o.e + o.v.abs() * self.e + self.e * o.e + UNIT * v.abs() + ETA,
        }
    }
}
