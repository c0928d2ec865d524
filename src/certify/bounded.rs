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
            self.e * (1.0 + 2f64.powi(-40)) + ETA
        } else {
            f64::INFINITY
        }
    }
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
