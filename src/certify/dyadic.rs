//! Exact dyadic numbers m·2^e for the certificates' exact checks ([`super::check::verify`],
//! [`super::counter::verify`]): every finite f64 is one, and sums, differences and products of
//! dyadics are dyadic, so the checks run on integers with shifts to align exponents and no gcd
//! (unnormalised: one value has many representations, all exact).

use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};
use std::ops::{Add, Mul, Neg, Sub};

/// An exact dyadic rational m·2^e (every finite f64 is one; sums, differences and products of
/// dyadics are dyadic), unnormalised: no gcd, only shifts to align exponents.
#[derive(Clone, Debug)]
pub(super) struct Dyadic {
    pub(super) m: BigInt,
    pub(super) e: i64,
}

impl Dyadic {
    /// The exact value of a finite f64: its integer significand and binary exponent.
    pub(super) fn of(x: f64) -> Dyadic {
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1u64 << 52) - 1);
        let (mant, e) = if bits << 1 == 0 {
            (0, 0)
        } else if exp == 0 {
            (frac, -1074)
        } else {
            (frac | (1u64 << 52), exp - 1075)
        };
        let m = BigInt::from(mant);
        Dyadic {
            m: if x.is_sign_negative() { -m } else { m },
            e,
        }
    }

    /// Whether the value is below zero.
    pub(super) fn is_negative(&self) -> bool {
        self.m.is_negative()
    }

    /// The values as integers of one common scale 2^(−min e) (a positive factor), as an n × n
    /// matrix of rows.
    pub(super) fn integers<'a>(
        values: impl Iterator<Item = &'a Dyadic> + Clone,
        n: usize,
    ) -> Vec<Vec<BigInt>> {
        let e0 = values.clone().map(|v| v.e).min().unwrap_or(0);
        let flat: Vec<BigInt> = values
            .map(|v| v.m.clone() << ((v.e - e0) as usize))
            .collect();
        flat.chunks(n).map(|r| r.to_vec()).collect()
    }
}

impl Add for Dyadic {
    type Output = Dyadic;
    fn add(self, o: Dyadic) -> Dyadic {
        let (lo, hi) = if self.e <= o.e { (self, o) } else { (o, self) };
        Dyadic {
            m: lo.m + (hi.m << ((hi.e - lo.e) as usize)),
            e: lo.e,
        }
    }
}

impl Sub for Dyadic {
    type Output = Dyadic;
    fn sub(self, o: Dyadic) -> Dyadic {
        self + (-o)
    }
}

impl Mul for Dyadic {
    type Output = Dyadic;
    fn mul(self, o: Dyadic) -> Dyadic {
        Dyadic {
            m: self.m * o.m,
            e: self.e + o.e,
        }
    }
}

impl Neg for Dyadic {
    type Output = Dyadic;
    fn neg(self) -> Dyadic {
        Dyadic {
            m: -self.m,
            e: self.e,
        }
    }
}

impl Zero for Dyadic {
    fn zero() -> Dyadic {
        Dyadic {
            m: BigInt::zero(),
            e: 0,
        }
    }
    fn is_zero(&self) -> bool {
        self.m.is_zero()
    }
}

impl One for Dyadic {
    fn one() -> Dyadic {
        Dyadic {
            m: BigInt::one(),
            e: 0,
        }
    }
}
