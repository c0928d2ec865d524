//! Compensated ("double-double") arithmetic for the two coefficients and the discriminant.
//!
//! The per-curvature coefficients c₁ = p₀ − p₁λ and c₀ = q₀ − q₁λ cancel exactly where the
//! interesting things happen (Nesterov at αλ = 1 has c₁ = c₀ = 0), and the discriminant
//! Δ = c₁² − 4c₀ cancels at every double root. Evaluating them with error-free transformations
//! (Knuth's TwoSum, the FMA TwoProduct) makes the results correct to about one rounding of the
//! exact values for the f64 inputs, so the roots are as accurate as the inputs allow.

/// An unevaluated sum `hi + lo` with |lo| ≤ ulp(hi)/2.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Dd {
    pub hi: f64,
    pub lo: f64,
}

impl Dd {
    pub const fn new(x: f64) -> Self {
        Dd { hi: x, lo: 0.0 }
    }

    /// Round to the nearest f64.
    pub fn value(self) -> f64 {
        self.hi + self.lo
    }

    fn two_sum(a: f64, b: f64) -> Dd {
        let s = a + b;
        let bb = s - a;
        let e = (a - (s - bb)) + (b - bb);
        Dd { hi: s, lo: e }
    }

    fn quick_two_sum(a: f64, b: f64) -> Dd {
        let s = a + b;
        Dd {
            hi: s,
            lo: b - (s - a),
        }
    }

    /// Exact product of two f64 as a double-double.
    pub fn prod(a: f64, b: f64) -> Dd {
        let p = a * b;
        Dd {
            hi: p,
            lo: a.mul_add(b, -p),
        }
    }

    pub fn add(self, o: Dd) -> Dd {
        let s = Self::two_sum(self.hi, o.hi);
        let t = Self::two_sum(self.lo, o.lo);
        let v = Self::quick_two_sum(s.hi, s.lo + t.hi);
        Self::quick_two_sum(v.hi, v.lo + t.lo)
    }

    pub fn neg(self) -> Dd {
        Dd {
            hi: -self.hi,
            lo: -self.lo,
        }
    }

    pub fn sub(self, o: Dd) -> Dd {
        self.add(o.neg())
    }

    pub fn mul(self, o: Dd) -> Dd {
        let p = Self::prod(self.hi, o.hi);
        let cross = self.hi.mul_add(o.lo, self.lo * o.hi);
        Self::quick_two_sum(p.hi, p.lo + cross)
    }

    pub fn mul_f64(self, b: f64) -> Dd {
        self.mul(Dd::new(b))
    }

    pub fn scale(self, s: f64) -> Dd {
        // exact for powers of two
        Dd {
            hi: self.hi * s,
            lo: self.lo * s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellation_is_recovered() {
        // (1 + 2^-60) - 1 is lost in f64 but kept here.
        let a = Dd::new(1.0).add(Dd::new(2f64.powi(-60)));
        let d = a.sub(Dd::new(1.0));
        assert_eq!(d.value(), 2f64.powi(-60));
        // fl(0.1)·3 − fl(0.3): fl(0.1) = 0.1 + 5.551e-18 and fl(0.3) = 0.3 − 1.110e-17, so the exact
        // difference is 3·5.551e-18 + 1.110e-17 = 2.776e-17 = 2^-55
        let p = Dd::prod(0.1, 3.0).sub(Dd::new(0.3));
        assert_eq!(p.value(), 2f64.powi(-55));
        assert_eq!(0.1 * 3.0 - 0.3, 2f64.powi(-54)); // plain f64 rounds the product: twice too large
    }
}
