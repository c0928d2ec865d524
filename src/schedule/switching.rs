//! Steps applied in any order: bounds on the joint spectral radius.
//!
//! For a set {A₁, …, A_m} of 2 × 2 step matrices (one curvature), the worst growth rate over
//! every switching sequence is the joint spectral radius ρ̂ = lim_k max_{|w| = k} ‖A_w‖^{1/k}.
//! For every k and every norm,
//!
//! ```text
//! max_{|w| = k} ρ(A_w)^{1/k}  ≤  ρ̂  ≤  max_{|w| = k} ‖A_w‖_P^{1/k}
//! ```
//!
//! (Rota & Strang 1960; Jungers 2009). The upper side uses an ellipsoidal norm
//! ‖A‖_P = ‖LᵀAL⁻ᵀ‖₂, P = LLᵀ — a common quadratic Lyapunov function — whose P is chosen to
//! minimise max_i ‖A_i‖_P (Nelder–Mead over L = [[1, 0], [p, e^r]]); any P gives a valid bound,
//! and it is evaluated directly, independently of the search. Words up to a length with at most
//! 2¹⁶ of them are enumerated; the bounds meet when a product's radius equals a norm bound.

use crate::error::{Error, Result};
use nalgebra::Matrix2;

/// Lower and upper bounds on the joint spectral radius of a set of matrices.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct JsrBounds {
    /// max over enumerated words w of ρ(A_w)^{1/|w|}.
    pub lower: f64,
    /// The word attaining it (indices into the set, applied first to last).
    pub lower_word: Vec<usize>,
    /// min over lengths k of max_{|w| = k} ‖A_w‖_P^{1/k}.
    pub upper: f64,
    /// The length k of the upper bound.
    pub upper_length: usize,
    /// The Lyapunov matrix P (the norm of the upper bound).
    pub lyapunov: [[f64; 2]; 2],
    /// Longest word enumerated.
    pub max_length: usize,
}

/// Spectral norm of a 2 × 2 matrix in closed form.
fn norm2(m: &Matrix2<f64>) -> f64 {
    let (a, b, c, d) = (m[(0, 0)], m[(0, 1)], m[(1, 0)], m[(1, 1)]);
    0.5 * ((a + d).hypot(c - b) + (a - d).hypot(b + c))
}

/// Spectral radius of a 2 × 2 matrix from its trace and determinant.
fn radius(m: &Matrix2<f64>) -> f64 {
    let tr = m[(0, 0)] + m[(1, 1)];
    let det = m[(0, 0)] * m[(1, 1)] - m[(0, 1)] * m[(1, 0)];
    let disc = tr * tr - 4.0 * det;
    if disc < 0.0 {
        det.abs().sqrt()
    } else {
        0.5 * (tr.abs() + disc.sqrt())
    }
}

/// ‖A‖_P with P = LLᵀ, L = [[1, 0], [p, q]]: ‖LᵀAL⁻ᵀ‖₂.
fn p_norm(a: &Matrix2<f64>, p: f64, q: f64) -> f64 {
    let l = Matrix2::new(1.0, 0.0, p, q);
    let lt = l.transpose();
    // L⁻ᵀ = (Lᵀ)⁻¹ = [[1, −p/q], [0, 1/q]]
    let lit = Matrix2::new(1.0, -p / q, 0.0, 1.0 / q);
    norm2(&(lt * a * lit))
}

/// Bounds on the joint spectral radius of `mats` (module docs).
///
/// # Examples
///
/// ```
/// use momentum::schedule::switching::bounds;
/// use nalgebra::Matrix2;
/// // heavy ball β = 0.5 at λ = 1 with steps 0.5 and 2.5: the alternating word grows by
/// // (1 + √3)/2 per step, and no order does worse
/// let t = |a: f64| Matrix2::new(1.5 - a, -0.5, 1.0, 0.0);
/// let b = bounds(&[t(0.5), t(2.5)])?;
/// assert!((b.lower - (1.0 + 3f64.sqrt()) / 2.0).abs() < 1e-12);
/// assert!(b.upper >= b.lower && b.upper < b.lower * 1.05, "{b:?}");
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// No matrices, more than 16, or an entry not finite.
pub fn bounds(mats: &[Matrix2<f64>]) -> Result<JsrBounds> {
    let m = mats.len();
    if m == 0 || m > 16 {
        return Err(Error::OutOfRange {
            name: "number of steps to switch among",
            value: m as f64,
            expected: "1 ..= 16",
        });
    }
    if mats.iter().any(|a| a.iter().any(|x| !x.is_finite())) {
        return Err(Error::NotFinite {
            name: "switching matrix entry",
            value: f64::NAN,
        });
    }
    // words up to length K with m^K ≤ 2^16 (at least 1, at most 24)
    let mut k_max = 1usize;
    while k_max < 24 && (m as f64).powi(k_max as i32 + 1) <= 65536.0 {
        k_max += 1;
    }
    // the norm: minimise max_i ‖A_i‖_P by Nelder–Mead over (p, r), q = e^r
    let f = |v: [f64; 2]| -> f64 {
        let q = v[1].clamp(-30.0, 30.0).exp();
        mats.iter().map(|a| p_norm(a, v[0], q)).fold(0.0, f64::max)
    };
    let mut best = ([0.0, 0.0], f([0.0, 0.0]));
    for start in [[0.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]] {
        let (x, y) = nelder_mead(&f, start, 0.5, 400);
        if y < best.1 {
            best = (x, y);
        }
    }
    let (p, q) = (best.0[0], best.0[1].clamp(-30.0, 30.0).exp());
    // enumerate words by length, products kept per word (m^k of them)
    let mut lower = (0.0f64, vec![0usize]);
    let mut upper = (f64::INFINITY, 1usize);
    let mut level: Vec<(Vec<usize>, Matrix2<f64>)> = vec![(vec![], Matrix2::identity())];
    for k in 1..=k_max {
        let mut next = Vec::with_capacity(level.len() * m);
        let mut worst_norm = 0.0f64;
        for (w, prod) in &level {
            for (i, a) in mats.iter().enumerate() {
                let pr = a * prod;
                let r = radius(&pr).powf(1.0 / k as f64);
                if r > lower.0 {
                    let mut word = w.clone();
                    word.push(i);
                    lower = (r, word);
                }
                worst_norm = worst_norm.max(p_norm(&pr, p, q).powf(1.0 / k as f64));
                let mut word = w.clone();
                word.push(i);
                next.push((word, pr));
            }
        }
        if worst_norm < upper.0 {
            upper = (worst_norm, k);
        }
        level = next;
    }
    Ok(JsrBounds {
        lower: lower.0,
        lower_word: lower.1,
        upper: upper.0,
        upper_length: upper.1,
        lyapunov: [[1.0, p], [p, p * p + q * q]],
        max_length: k_max,
    })
}

/// Nelder–Mead in N dimensions (standard coefficients, initial simplex `step` wide), at most
/// `iters` iterations.
pub(crate) fn nelder_mead<const N: usize>(
    f: &impl Fn([f64; N]) -> f64,
    start: [f64; N],
    step: f64,
    iters: usize,
) -> ([f64; N], f64) {
    let mut s: Vec<[f64; N]> = vec![start; N + 1];
    for (i, v) in s.iter_mut().skip(1).enumerate() {
        v[i] += step * start[i].abs().max(1.0);
    }
    let mut y: Vec<f64> = s.iter().map(|v| f(*v)).collect();
    for _ in 0..iters {
        let mut idx: Vec<usize> = (0..=N).collect();
        idx.sort_by(|&a, &b| y[a].total_cmp(&y[b]));
        let (b, m, w) = (idx[0], idx[N - 1], idx[N]);
        if (y[w] - y[b]).abs() <= 1e-15 * y[b].abs().max(1e-300) {
            break;
        }
        let mut c = [0.0; N];
        for &i in &idx[..N] {
            for d in 0..N {
                c[d] += s[i][d] / N as f64;
            }
        }
        let pt = |t: f64| {
            let mut p = [0.0; N];
            for d in 0..N {
                p[d] = c[d] + t * (s[w][d] - c[d]);
            }
            p
        };
        let r = pt(-1.0);
        let yr = f(r);
        if yr < y[b] {
            let e = pt(-2.0);
            let ye = f(e);
            if ye < yr {
                (s[w], y[w]) = (e, ye);
            } else {
                (s[w], y[w]) = (r, yr);
            }
        } else if yr < y[m] {
            (s[w], y[w]) = (r, yr);
        } else {
            let cp = pt(0.5);
            let yc = f(cp);
            if yc < y[w] {
                (s[w], y[w]) = (cp, yc);
            } else {
                let sb = s[b];
                for i in 0..=N {
                    if i != b {
                        for d in 0..N {
                            s[i][d] = (s[i][d] + sb[d]) / 2.0;
                        }
                        y[i] = f(s[i]);
                    }
                }
            }
        }
    }
    let i = (0..=N).min_by(|&a, &b| y[a].total_cmp(&y[b])).unwrap_or(0);
    (s[i], y[i])
}
