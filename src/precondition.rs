//! The preconditioned spectrum of Adam, AdamW and RMSprop with a frozen second moment
//! (docs/REFERENCE.md §"Adam with a frozen preconditioner").
//!
//! Near a minimum where the second-moment estimate v has settled, Adam's update
//! x −= α m/P with P = diag(√v + ε) is, in the coordinates y = P^{1/2}x, heavy ball in EWMA form
//! on H̃ = P^{-1/2} H P^{-1/2}: m̃ = P^{-1/2}m obeys m̃ = β₁m̃ + (1 − β₁)H̃y and y −= αm̃. So
//! every stability and rate question is the plain one asked of H̃'s eigenvalues, with step
//! α(1 − β₁) and momentum β₁ ([`crate::Framework::Adam`]); stable iff the preconditioned
//! sharpness λ_max(H̃) < (2 + 2β₁)/(α(1 − β₁)) ([`crate::convention::adam_edge`]; Cohen et al.
//! 2022). RMSprop is heavy ball (α, μ) on the same H̃.
//!
//! What this leaves out: the bias correction's first steps (m̂ = m/(1 − β₁ᵗ) rescales the early
//! steps only), and the motion of v itself (the analysis is local: it holds while v changes slowly
//! compared with the iterates).

use crate::error::{Error, Result, finite};
use crate::spectrum::Spectrum;
use nalgebra::DMatrix;

/// P = √v + ε per coordinate from a second-moment vector v (PyTorch's `exp_avg_sq`, already
/// bias-corrected, or RMSprop's `square_avg`) and ε.
///
/// # Examples
///
/// ```
/// let p = momentum::precondition::preconditioner(&[4.0, 0.0], 1e-8)?;
/// assert_eq!(p, vec![2.0 + 1e-8, 1e-8]);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// An empty vector, an entry of v negative or not finite, ε negative or not finite, or a
/// resulting P = 0 (v = 0 with ε = 0: Adam would divide by zero).
pub fn preconditioner(second_moment: &[f64], eps: f64) -> Result<Vec<f64>> {
    if second_moment.is_empty() {
        return Err(Error::EmptySpectrum);
    }
    finite("eps", eps)?;
    if eps < 0.0 {
        return Err(Error::OutOfRange {
            name: "eps",
            value: eps,
            expected: ">= 0",
        });
    }
    second_moment
        .iter()
        .map(|&v| {
            finite("second moment", v)?;
            if v < 0.0 {
                return Err(Error::OutOfRange {
                    name: "second moment",
                    value: v,
                    expected: ">= 0 (a mean of squares)",
                });
            }
            let p = v.sqrt() + eps;
            if p > 0.0 {
                Ok(p)
            } else {
                Err(Error::OutOfRange {
                    name: "sqrt(v) + eps",
                    value: p,
                    expected: "> 0 (give eps > 0 where v = 0)",
                })
            }
        })
        .collect()
}

/// The eigenvalues of P^{-1/2} diag(h) P^{-1/2} = hᵢ/Pᵢ for a diagonal Hessian h (exact).
///
/// # Examples
///
/// ```
/// let s = momentum::precondition::diagonal(&[1.0, 100.0], &[0.1, 10.0])?;
/// assert_eq!(s.listed(), vec![10.0, 10.0]);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// Lengths that differ, or a non-finite entry.
pub fn diagonal(hessian_diagonal: &[f64], p: &[f64]) -> Result<Spectrum> {
    if hessian_diagonal.len() != p.len() {
        return Err(lengths(hessian_diagonal.len(), p.len()));
    }
    Spectrum::eigenvalues(
        hessian_diagonal
            .iter()
            .zip(p)
            .map(|(&h, &d)| h / d)
            .collect::<Vec<_>>(),
    )
}

/// The eigenvalues of P^{-1/2} H P^{-1/2} for a full symmetric Hessian H (n × n).
///
/// # Examples
///
/// ```
/// use nalgebra::DMatrix;
/// let h = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
/// let s = momentum::precondition::full(&h, &[1.0, 1.0])?;
/// let l = s.listed();
/// assert!((l[0] - 1.0).abs() < 1e-14 && (l[1] - 3.0).abs() < 1e-14);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// A Hessian that is not square, not symmetric, or whose size differs from P's.
pub fn full(hessian: &DMatrix<f64>, p: &[f64]) -> Result<Spectrum> {
    if hessian.nrows() != hessian.ncols() {
        return Err(Error::NotSquare {
            rows: hessian.nrows(),
            cols: hessian.ncols(),
        });
    }
    if hessian.nrows() != p.len() {
        return Err(lengths(hessian.nrows(), p.len()));
    }
    let s: Vec<f64> = p.iter().map(|d| 1.0 / d.sqrt()).collect();
    let scaled = DMatrix::from_fn(p.len(), p.len(), |i, j| s[i] * hessian[(i, j)] * s[j]);
    Spectrum::from_symmetric_matrix(&scaled)
}

fn lengths(h: usize, p: usize) -> Error {
    Error::Unsupported(format!(
        "the Hessian has {h} coordinates but the preconditioner has {p}: they must match"
    ))
}
