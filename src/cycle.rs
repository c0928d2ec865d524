//! The heavy-ball cycle of Lessard, Recht & Packard (2016, §4.6): quadratic rates do not transfer
//! to the class F(μ, L) of smooth strongly convex functions.
//!
//! The function (μ = 1, L = 25, minimiser x* = 0, continuous gradient with slopes in [1, 25]):
//!
//! ```text
//!          ⎧ 25x          x < 1          f(x) = 25x²/2
//! ∇f(x) = ⎨ x + 24       1 ≤ x < 2      f(x) = x²/2 + 24x − 12
//!          ⎩ 25x − 24     x ≥ 2          f(x) = 25x²/2 − 24x + 36
//! ```
//!
//! Polyak's tuning for [1, 25] is rational: α = 4/(√L + √μ)² = 1/9, β = ((√κ−1)/(√κ+1))² = 4/9.
//! On every piece heavy ball is affine, so a 3-cycle (a, b, c) with a fixed assignment of pieces
//! solves a 3 × 3 linear system exactly; [`heavy_ball_cycles`] solves all 27 assignments in exact
//! rational arithmetic ([`Rational`], i128) and keeps those whose points lie on their assumed
//! pieces. For Polyak's tuning there are two 3-cycles:
//!
//! - (2592, 792, −2208)/1225, pieces (high, low, low): attracting, multipliers −8/27 (double: on
//!   the slope-25 pieces the 3-step map is T(25)³, and T(25) has the double root −2/3). From
//!   x₋₁ = x₀ = 3.3 heavy ball falls into it.
//! - (2592, 792, −2208)/1367, pieces (middle, low, low): a saddle, multipliers (40 ± 16√6)/27.
//!
//! Nesterov's method and triple momentum, tuned for the same [1, 25], converge from every start
//! ([`fate`], [`basin`]): their rates are certified on the whole class.

use crate::error::{Error, Result, finite};
use crate::method::Method;
use num_complex::Complex64;
use std::cmp::Ordering;
use std::fmt;

/// Strong-convexity constant μ of the function.
pub const MU: f64 = 1.0;
/// Smoothness constant L of the function.
pub const L: f64 = 25.0;
/// Largest number of steps [`trajectory`], [`fate`] and [`basin`] accept per start.
pub const MAX_STEPS: usize = 10_000_000;
/// Largest number of starts [`basin`] accepts.
pub const MAX_STARTS: usize = 1_000_000;

/// An exact fraction num/den with i128 parts, den > 0, in lowest terms.
///
/// Arithmetic is checked: an overflow of i128 is an error, never a wrapped value.
///
/// # Examples
///
/// ```
/// use momentum::cycle::Rational;
/// let x = Rational::new(6, -4)?;
/// assert_eq!((x.numer(), x.denom()), (-3, 2));
/// assert_eq!(x.checked_add(Rational::integer(2))?, Rational::new(1, 2)?);
/// assert_eq!(x.to_string(), "-3/2");
/// # Ok::<(), momentum::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    // on magnitudes; i128::MIN is rejected before it gets here
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn overflow(a: Rational, op: &str, b: Rational) -> Error {
    Error::Unsupported(format!(
        "exact rational arithmetic overflows i128 in ({a}) {op} ({b})"
    ))
}

impl Rational {
    /// num/den in lowest terms with a positive denominator.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = momentum::cycle::Rational::new(4, 36)?;
    /// assert_eq!(r.to_string(), "1/9");
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// den = 0 ([`Error::NotPositive`] naming "denominator"), or a part equal to i128::MIN
    /// ([`Error::OutOfRange`]).
    pub fn new(num: i128, den: i128) -> Result<Self> {
        if den == 0 {
            return Err(Error::NotPositive {
                name: "denominator",
                value: 0.0,
            });
        }
        if num == i128::MIN || den == i128::MIN {
            return Err(Error::OutOfRange {
                name: "rational part",
                value: i128::MIN as f64,
                expected: "numerator and denominator above -2^127",
            });
        }
        let g = gcd(num, den);
        let s = if den < 0 { -1 } else { 1 };
        Ok(Rational {
            num: s * num / g,
            den: s * den / g,
        })
    }

    /// The integer n as n/1.
    pub const fn integer(n: i64) -> Self {
        Rational {
            num: n as i128,
            den: 1,
        }
    }

    /// The numerator (carries the sign).
    pub fn numer(&self) -> i128 {
        self.num
    }

    /// The denominator (> 0).
    pub fn denom(&self) -> i128 {
        self.den
    }

    /// The nearest f64 (within one rounding of each part and of the division).
    pub fn to_f64(&self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// self + other, exactly.
    ///
    /// # Errors
    ///
    /// An i128 overflow ([`Error::Unsupported`] naming the operands).
    pub fn checked_add(self, other: Rational) -> Result<Rational> {
        let g = gcd(self.den, other.den);
        let r = (|| {
            let l = self.den.checked_mul(other.den / g)?;
            let a = self.num.checked_mul(other.den / g)?;
            let b = other.num.checked_mul(self.den / g)?;
            Some((a.checked_add(b)?, l))
        })();
        match r {
            Some((n, d)) => Rational::new(n, d),
            None => Err(overflow(self, "+", other)),
        }
    }

    /// self − other, exactly.
    ///
    /// # Errors
    ///
    /// As [`Rational::checked_add`].
    pub fn checked_sub(self, other: Rational) -> Result<Rational> {
        self.checked_add(-other)
            .map_err(|_| overflow(self, "-", other))
    }

    /// self × other, exactly.
    ///
    /// # Errors
    ///
    /// As [`Rational::checked_add`].
    pub fn checked_mul(self, other: Rational) -> Result<Rational> {
        let g1 = gcd(self.num, other.den).max(1);
        let g2 = gcd(other.num, self.den).max(1);
        let r = (|| {
            let n = (self.num / g1).checked_mul(other.num / g2)?;
            let d = (self.den / g2).checked_mul(other.den / g1)?;
            Some((n, d))
        })();
        match r {
            Some((n, d)) => Rational::new(n, d),
            None => Err(overflow(self, "*", other)),
        }
    }

    /// self / other, exactly.
    ///
    /// # Errors
    ///
    /// Division by zero ([`Error::NotPositive`] naming "denominator"), or as
    /// [`Rational::checked_add`].
    pub fn checked_div(self, other: Rational) -> Result<Rational> {
        let inv = Rational::new(other.den, other.num)?;
        self.checked_mul(inv)
            .map_err(|_| overflow(self, "/", other))
    }

    /// The sign: −1, 0 or 1.
    pub fn signum(&self) -> i128 {
        self.num.signum()
    }
}

impl std::ops::Neg for Rational {
    type Output = Rational;
    /// −self (exact: the numerator is above i128::MIN by construction).
    fn neg(self) -> Rational {
        Rational {
            num: -self.num,
            den: self.den,
        }
    }
}

impl Ord for Rational {
    /// Exact comparison without overflow: integer parts first, then the reciprocals of the
    /// fractional parts (a continued-fraction walk).
    fn cmp(&self, other: &Self) -> Ordering {
        let (mut a, mut b, mut c, mut d) = (self.num, self.den, other.num, other.den);
        let mut flip = false;
        loop {
            let (qa, ra) = (a.div_euclid(b), a.rem_euclid(b));
            let (qc, rc) = (c.div_euclid(d), c.rem_euclid(d));
            let o = qa.cmp(&qc).then_with(|| match (ra == 0, rc == 0) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                // ra/b vs rc/d, both in (0, 1): compare the reciprocals b/ra vs d/rc reversed
                (false, false) => Ordering::Equal,
            });
            if o != Ordering::Equal || ra == 0 || rc == 0 {
                return if flip { o.reverse() } else { o };
            }
            (a, b, c, d) = (b, ra, d, rc);
            flip = !flip;
        }
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Rational {
    /// `num/den`, or `num` when den = 1.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// The three quadratic pieces of the function (module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Piece {
    /// x < 1: ∇f = 25x.
    Low,
    /// 1 ≤ x < 2: ∇f = x + 24.
    Middle,
    /// x ≥ 2: ∇f = 25x − 24.
    High,
}

impl Piece {
    /// All three, left to right.
    pub const ALL: [Piece; 3] = [Piece::Low, Piece::Middle, Piece::High];

    /// The piece x lies on (the break points 1 and 2 belong to the piece on their right).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::cycle::Piece;
    /// assert_eq!(Piece::of(0.5), Piece::Low);
    /// assert_eq!(Piece::of(1.0), Piece::Middle);
    /// assert_eq!(Piece::of(2.0), Piece::High);
    /// ```
    pub fn of(x: f64) -> Piece {
        if x < 1.0 {
            Piece::Low
        } else if x < 2.0 {
            Piece::Middle
        } else {
            Piece::High
        }
    }

    /// [`Piece::of`] for an exact point.
    pub fn of_exact(x: Rational) -> Piece {
        if x < Rational::integer(1) {
            Piece::Low
        } else if x < Rational::integer(2) {
            Piece::Middle
        } else {
            Piece::High
        }
    }

    /// (slope, intercept) of ∇f on this piece: ∇f(x) = slope·x + intercept.
    pub fn gradient_coefficients(self) -> (i64, i64) {
        match self {
            Piece::Low => (25, 0),
            Piece::Middle => (1, 24),
            Piece::High => (25, -24),
        }
    }
}

/// f(x) (module docs): continuous, C¹, 1-strongly convex and 25-smooth, minimum f(0) = 0.
///
/// # Examples
///
/// ```
/// use momentum::cycle::value;
/// assert_eq!(value(1.0), 12.5);
/// assert_eq!(value(2.0), 38.0);
/// ```
pub fn value(x: f64) -> f64 {
    match Piece::of(x) {
        Piece::Low => 12.5 * x * x,
        Piece::Middle => 0.5 * x * x + 24.0 * x - 12.0,
        Piece::High => 12.5 * x * x - 24.0 * x + 36.0,
    }
}

/// ∇f(x) (module docs).
///
/// # Examples
///
/// ```
/// use momentum::cycle::gradient;
/// assert_eq!(gradient(1.0), 25.0);
/// assert_eq!(gradient(2.0), 26.0);
/// ```
pub fn gradient(x: f64) -> f64 {
    let (m, c) = Piece::of(x).gradient_coefficients();
    m as f64 * x + c as f64
}

/// ∇f(x) at an exact point, exactly.
///
/// # Examples
///
/// ```
/// use momentum::cycle::{Rational, gradient_exact};
/// assert_eq!(gradient_exact(Rational::new(3, 2)?)?, Rational::new(51, 2)?);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// An i128 overflow ([`Error::Unsupported`]).
pub fn gradient_exact(x: Rational) -> Result<Rational> {
    let (m, c) = Piece::of_exact(x).gradient_coefficients();
    Rational::integer(m)
        .checked_mul(x)?
        .checked_add(Rational::integer(c))
}

/// Polyak's heavy-ball tuning for [μ, L] = [1, 25], exactly: (α, β) = (1/9, 4/9).
///
/// α = 4/(√L + √μ)² = 4/36, β = ((√L − √μ)/(√L + √μ))² = (4/6)².
///
/// # Examples
///
/// ```
/// let (a, b) = momentum::cycle::polyak();
/// assert_eq!((a.to_string(), b.to_string()), ("1/9".to_string(), "4/9".to_string()));
/// ```
pub fn polyak() -> (Rational, Rational) {
    (Rational { num: 1, den: 9 }, Rational { num: 4, den: 9 })
}

/// A period-3 orbit of heavy ball on the function, exact.
#[derive(Clone, Debug, PartialEq)]
pub struct Cycle {
    /// (a, b, c): x_k = a, x_{k+1} = b, x_{k+2} = c, x_{k+3} = a; rotated to start at the largest.
    pub points: [Rational; 3],
    /// The piece of each point.
    pub pieces: [Piece; 3],
    /// M = T(c)T(b)T(a): the linear part of the 3-step map (x_k, x_{k−1}) ↦ (x_{k+3}, x_{k+2}),
    /// T(p) = [[1 + β − α·slope(p), −β], [1, 0]]; rows first.
    pub monodromy: [[Rational; 2]; 2],
    /// The eigenvalues of M (Floquet multipliers): (tr ± √(tr² − 4 det))/2.
    pub multipliers: [Complex64; 2],
}

impl Cycle {
    /// tr M, exactly.
    ///
    /// # Errors
    ///
    /// An i128 overflow ([`Error::Unsupported`]).
    pub fn trace(&self) -> Result<Rational> {
        self.monodromy[0][0].checked_add(self.monodromy[1][1])
    }

    /// det M, exactly (= β³ whatever the pieces).
    ///
    /// # Errors
    ///
    /// An i128 overflow ([`Error::Unsupported`]).
    pub fn det(&self) -> Result<Rational> {
        let m = &self.monodromy;
        m[0][0]
            .checked_mul(m[1][1])?
            .checked_sub(m[0][1].checked_mul(m[1][0])?)
    }

    /// The points as f64.
    pub fn points_f64(&self) -> [f64; 3] {
        self.points.map(|p| p.to_f64())
    }

    /// Whether both multipliers lie strictly inside the unit circle (and no point sits on a
    /// break point, where the map is not differentiable): the cycle attracts its neighbours.
    pub fn is_attracting(&self) -> bool {
        !self.on_break_point() && self.multipliers.iter().all(|m| m.norm() < 1.0)
    }

    /// Whether a point is exactly 1 or 2, where ∇f changes slope (the multipliers are then
    /// one-sided).
    pub fn on_break_point(&self) -> bool {
        self.points
            .iter()
            .any(|&p| p == Rational::integer(1) || p == Rational::integer(2))
    }
}

/// Every 3-cycle of heavy ball x_{k+1} = x_k + β(x_k − x_{k−1}) − α∇f(x_k) on the function,
/// exactly: the 27 piece assignments, each a 3 × 3 linear system solved by Cramer's rule, kept
/// when the points lie on their pieces and are not all equal (the fixed point 0).
///
/// With d(p) = 1 + β − α·slope(p) and intercepts c(p), the cycle (a, b, c) solves
///
/// ```text
/// d(p_a) a − b − β c = α c(p_a),   −β a + d(p_b) b − c = α c(p_b),   −a − β b + d(p_c) c = α c(p_c)
/// ```
///
/// # Examples
///
/// ```
/// use momentum::cycle::{Rational, heavy_ball_cycles, polyak};
/// let (a, b) = polyak();
/// let cycles = heavy_ball_cycles(a, b)?;
/// assert_eq!(cycles.len(), 2);
/// let attracting = cycles.iter().find(|c| c.is_attracting()).unwrap();
/// assert_eq!(attracting.points[0], Rational::new(2592, 1225)?);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// step ≤ 0 ([`Error::NotPositive`]); an i128 overflow for parameters with huge parts
/// ([`Error::Unsupported`]).
pub fn heavy_ball_cycles(step: Rational, momentum: Rational) -> Result<Vec<Cycle>> {
    if step.signum() <= 0 {
        return Err(Error::NotPositive {
            name: "step",
            value: step.to_f64(),
        });
    }
    let (al, be) = (step, momentum);
    let one = Rational::integer(1);
    let d = |p: Piece| -> Result<Rational> {
        let (m, _) = p.gradient_coefficients();
        one.checked_add(be)?
            .checked_sub(al.checked_mul(Rational::integer(m))?)
    };
    let rhs = |p: Piece| -> Result<Rational> {
        let (_, c) = p.gradient_coefficients();
        al.checked_mul(Rational::integer(c))
    };
    let mut found: Vec<Cycle> = Vec::new();
    for pa in Piece::ALL {
        for pb in Piece::ALL {
            for pc in Piece::ALL {
                let nb = -be;
                let m = [[d(pa)?, -one, nb], [nb, d(pb)?, -one], [-one, nb, d(pc)?]];
                let r = [rhs(pa)?, rhs(pb)?, rhs(pc)?];
                let det = det3(&m)?;
                if det.signum() == 0 {
                    continue; // a degenerate assignment: no isolated cycle
                }
                let mut x = [Rational::integer(0); 3];
                for (j, xj) in x.iter_mut().enumerate() {
                    let mut mj = m;
                    for i in 0..3 {
                        mj[i][j] = r[i];
                    }
                    *xj = det3(&mj)?.checked_div(det)?;
                }
                let pieces = [pa, pb, pc];
                if x.iter().zip(pieces).any(|(&p, q)| Piece::of_exact(p) != q) {
                    continue;
                }
                if x[0] == x[1] && x[1] == x[2] {
                    continue;
                }
                // rotate to start at the largest point; skip rotations already found
                let k = (0..3).max_by(|&i, &j| x[i].cmp(&x[j])).unwrap_or(0);
                let points = [x[k], x[(k + 1) % 3], x[(k + 2) % 3]];
                if found.iter().any(|c| c.points == points) {
                    continue;
                }
                let pieces = [pieces[k], pieces[(k + 1) % 3], pieces[(k + 2) % 3]];
                let mut mono = [[one, Rational::integer(0)], [Rational::integer(0), one]];
                for p in pieces {
                    let t = [[d(p)?, nb], [one, Rational::integer(0)]];
                    mono = mul2(&t, &mono)?;
                }
                let tr = mono[0][0].checked_add(mono[1][1])?.to_f64();
                let dt = mono[0][0]
                    .checked_mul(mono[1][1])?
                    .checked_sub(mono[0][1].checked_mul(mono[1][0])?)?
                    .to_f64();
                let s = Complex64::new(tr * tr - 4.0 * dt, 0.0).sqrt();
                let hi = (tr + s) / 2.0;
                // the smaller root from the product, to avoid cancellation
                let lo = if hi.norm() > 0.0 {
                    Complex64::new(dt, 0.0) / hi
                } else {
                    (tr - s) / 2.0
                };
                found.push(Cycle {
                    points,
                    pieces,
                    monodromy: mono,
                    multipliers: [hi, lo],
                });
            }
        }
    }
    Ok(found)
}

/// [`heavy_ball_cycles`] at Polyak's tuning [`polyak`]: the two 3-cycles of the module docs.
///
/// # Examples
///
/// ```
/// let cycles = momentum::cycle::polyak_cycles()?;
/// assert_eq!(cycles.iter().filter(|c| c.is_attracting()).count(), 1);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// None in practice (the arithmetic stays far inside i128); the signature is that of
/// [`heavy_ball_cycles`].
pub fn polyak_cycles() -> Result<Vec<Cycle>> {
    let (a, b) = polyak();
    heavy_ball_cycles(a, b)
}

fn det3(m: &[[Rational; 3]; 3]) -> Result<Rational> {
    let minor = |r: usize, c1: usize, c2: usize| -> Result<Rational> {
        m[r][c1]
            .checked_mul(m[r + 1][c2])?
            .checked_sub(m[r][c2].checked_mul(m[r + 1][c1])?)
    };
    m[0][0]
        .checked_mul(minor(1, 1, 2)?)?
        .checked_sub(m[0][1].checked_mul(minor(1, 0, 2)?)?)?
        .checked_add(m[0][2].checked_mul(minor(1, 0, 1)?)?)
}

fn mul2(a: &[[Rational; 2]; 2], b: &[[Rational; 2]; 2]) -> Result<[[Rational; 2]; 2]> {
    let mut c = [[Rational::integer(0); 2]; 2];
    for i in 0..2 {
        for j in 0..2 {
            c[i][j] = a[i][0]
                .checked_mul(b[0][j])?
                .checked_add(a[i][1].checked_mul(b[1][j])?)?;
        }
    }
    Ok(c)
}

fn check_run(x0: f64, steps: usize) -> Result<()> {
    finite("x0", x0)?;
    if steps > MAX_STEPS {
        return Err(Error::TooMany {
            what: "steps",
            count: steps as u64,
            limit: MAX_STEPS as u64,
        });
    }
    Ok(())
}

/// The iterates x₀, …, x_steps of a method of the family on the function, from rest
/// (x₋₁ = x₀), by the literal update x_{k+1} = x_k + β(x_k − x_{k−1}) − α∇f(x_k + γ(x_k − x_{k−1})).
///
/// # Examples
///
/// ```
/// use momentum::{Method, cycle};
/// // gradient descent at 1/L from the low piece: x ↦ (1 − 25/25) x = 0 in one step
/// let xs = cycle::trajectory(&Method::gradient_descent(1.0 / 25.0)?, 0.5, 2)?;
/// assert_eq!(xs, vec![0.5, 0.0, 0.0]);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// x₀ not finite ([`Error::NotFinite`]); steps above [`MAX_STEPS`] ([`Error::TooMany`]).
pub fn trajectory(method: &Method, x0: f64, steps: usize) -> Result<Vec<f64>> {
    check_run(x0, steps)?;
    let mut xs = Vec::with_capacity(steps + 1);
    xs.push(x0);
    let (mut prev, mut x) = (x0, x0);
    for _ in 0..steps {
        (prev, x) = (x, step(method, prev, x));
        xs.push(x);
    }
    Ok(xs)
}

/// One step of the three-parameter method on the cycle function:
/// x⁺ = x + β(x − x₋) − α·f′(x + γ(x − x₋)).
#[inline(always)]
fn step(method: &Method, prev: f64, x: f64) -> f64 {
    let (a, b, g) = (method.step(), method.momentum(), method.lookahead());
    x + b * (x - prev) - a * gradient(x + g * (x - prev))
}

/// Where a run ends up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Fate {
    /// The last three iterates are within [`FATE_TOLERANCE`]·max(1, |x₀|) of x* = 0.
    Converges,
    /// The last three iterates match a rotation of the cycle with this index (in the slice given).
    Cycle(usize),
    /// An iterate overflowed f64.
    Diverges,
    /// None of the above after the steps given.
    Undecided,
}

/// Tolerance of [`fate`], relative to max(1, |x₀|).
pub const FATE_TOLERANCE: f64 = 1e-9;

/// Where the method goes from x₋₁ = x₀ after `steps` steps: to x* = 0, onto one of `cycles`, to
/// infinity, or none of these yet.
///
/// # Examples
///
/// ```
/// use momentum::{Method, cycle::{self, Fate}};
/// let cycles = cycle::polyak_cycles()?;
/// let hb = Method::heavy_ball(1.0 / 9.0, 4.0 / 9.0)?;
/// let k = cycles.iter().position(|c| c.is_attracting()).unwrap();
/// assert_eq!(cycle::fate(&hb, 3.3, &cycles, 2000)?, Fate::Cycle(k));
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`trajectory`].
pub fn fate(method: &Method, x0: f64, cycles: &[Cycle], steps: usize) -> Result<Fate> {
    check_run(x0, steps.max(3))?;
    let tail = &last_three(method, x0, steps.max(3));
    if tail.iter().any(|x| !x.is_finite()) {
        return Ok(Fate::Diverges);
    }
    let tol = FATE_TOLERANCE * x0.abs().max(1.0);
    if tail.iter().all(|x| x.abs() <= tol) {
        return Ok(Fate::Converges);
    }
    for (i, c) in cycles.iter().enumerate() {
        let p = c.points_f64();
        for r in 0..3 {
            if (0..3).all(|j| (tail[j] - p[(r + j) % 3]).abs() <= tol) {
                return Ok(Fate::Cycle(i));
            }
        }
    }
    Ok(Fate::Undecided)
}

/// The last three iterates of [`trajectory`]`(method, x0, steps)` (steps ≥ 3), bit for bit,
/// without storing the run. An iterate is a function of the state (x_{n−1}, x_n), so once a
/// state repeats the state p steps before it bit for bit (checked every 64 steps, p = 1 … 6:
/// the fixed point 0, the 3-cycles, NaN), x_m = x_{m−p} for every later m and the tail is read
/// off the last p iterates.
fn last_three(method: &Method, x0: f64, steps: usize) -> [f64; 3] {
    const W: usize = 8;
    // win[m % W] = x_m for the last W iterates
    let mut win = [x0; W];
    let (mut prev, mut x) = (x0, x0);
    let mut n = 0;
    while n < steps {
        (prev, x) = (x, step(method, prev, x));
        n += 1;
        win[n % W] = x;
        if n % 64 == 0 {
            let at = |m: usize| win[m % W].to_bits();
            for p in 1..=6 {
                if at(n) == at(n - p) && at(n - 1) == at(n - 1 - p) {
                    // x_m for m ≥ n − p + 1: the iterate of its residue in the last p
                    let read = |m: usize| {
                        let m = if m <= n {
                            m
                        } else {
                            n + 1 - p + (m - (n + 1 - p)) % p
                        };
                        win[m % W]
                    };
                    #[cfg(test)]
                    tests::PERIODIC_EXITS.with(|c| c.set(c.get() + 1));
                    return [read(steps - 2), read(steps - 1), read(steps)];
                }
            }
        }
    }
    [win[(steps - 2) % W], win[(steps - 1) % W], win[steps % W]]
}

/// [`fate`] for `count` starts x₀ evenly spaced on [lo, hi] (both ends included), each from rest:
/// the basin of each cycle along the line x₋₁ = x₀. Returns (x₀, fate) pairs.
///
/// # Examples
///
/// ```
/// use momentum::{Method, cycle::{self, Fate}};
/// let cycles = cycle::polyak_cycles()?;
/// let hb = Method::heavy_ball(1.0 / 9.0, 4.0 / 9.0)?;
/// let scan = cycle::basin(&hb, &cycles, (-4.0, 4.0), 81, 2000)?;
/// assert!(scan.iter().any(|(_, f)| matches!(f, Fate::Cycle(_))));
/// assert!(scan.iter().any(|(_, f)| *f == Fate::Converges));
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// lo, hi not finite or lo ≥ hi with count > 1 ([`Error::OutOfRange`]), count = 0 or above
/// [`MAX_STARTS`], steps above [`MAX_STEPS`] ([`Error::TooMany`]).
pub fn basin(
    method: &Method,
    cycles: &[Cycle],
    (lo, hi): (f64, f64),
    count: usize,
    steps: usize,
) -> Result<Vec<(f64, Fate)>> {
    finite("lo", lo)?;
    finite("hi", hi)?;
    if count == 0 || count > MAX_STARTS {
        return Err(Error::TooMany {
            what: "starts",
            count: count as u64,
            limit: MAX_STARTS as u64,
        });
    }
    if count > 1 && lo >= hi {
        return Err(Error::OutOfRange {
            name: "lo",
            value: lo,
            expected: "lo < hi",
        });
    }
    let h = if count > 1 {
        (hi - lo) / (count - 1) as f64
    } else {
        0.0
    };
    (0..count)
        .map(|i| {
            let x0 = if i + 1 == count && count > 1 {
                hi
            } else {
                lo + h * i as f64
            };
            Ok((x0, fate(method, x0, cycles, steps)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Runs [`last_three`] left at a repeated state, on this thread.
        pub(super) static PERIODIC_EXITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn last_three_is_the_trajectorys_tail() {
        // the tuned methods on the cycle function and random settings (converging, cycling,
        // diverging to NaN), starts on [−20, 20] and ±0, horizons around multiples of 64:
        // the tail bit for bit, and the periodic exit taken
        let s = crate::spectrum::Spectrum::interval(MU, L).unwrap();
        let mut methods = vec![
            crate::tune::heavy_ball(&s).unwrap().method,
            crate::tune::nesterov(&s).unwrap().method,
            crate::tune::triple_momentum(&s).unwrap().method,
        ];
        let mut seed = 0x5851_f42d_4c95_7f2du64;
        let mut uniform =
            |lo: f64, hi: f64| lo + (hi - lo) * crate::numeric::lcg_uniform(&mut seed);
        for _ in 0..40 {
            let (a, b, g) = (uniform(0.0, 0.3), uniform(-0.5, 1.0), uniform(-0.5, 1.0));
            methods.push(Method::general(a, b, g).unwrap());
        }
        let mut cases = 0;
        for m in &methods {
            for k in 0..60 {
                let x0 = match k {
                    0 => 0.0,
                    1 => -0.0,
                    _ => uniform(-20.0, 20.0),
                };
                for steps in [3, 63, 64, 65, 66, 130, 191, 1000, 3000] {
                    let xs = trajectory(m, x0, steps).unwrap();
                    let want: Vec<u64> = xs[xs.len() - 3..].iter().map(|v| v.to_bits()).collect();
                    let got: Vec<u64> = last_three(m, x0, steps)
                        .iter()
                        .map(|v| v.to_bits())
                        .collect();
                    assert_eq!(got, want, "{m:?} x0 {x0} steps {steps}");
                    cases += 1;
                }
            }
        }
        assert_eq!(cases, 43 * 60 * 9);
        let exits = PERIODIC_EXITS.with(|c| c.get());
        assert!(exits > 2000, "{exits}");
    }
}
