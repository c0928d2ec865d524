//! The numbers of a file as they are (a vector or a square matrix), for inputs that are not a
//! spectrum: an optimizer's second moment (`exp_avg_sq`), a Hessian's diagonal, a Hessian to be
//! preconditioned before its eigenvalues are taken.

use super::{Array, Error, NPY_MAGIC, Result, npy, one_line, read, text};
use nalgebra::DMatrix;
use std::path::Path;

/// A file's numbers: a vector (0-D, 1-D, one row or one column) or a square matrix.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// A list of numbers.
    Vector(Vec<f64>),
    /// A square matrix.
    Matrix(DMatrix<f64>),
}

/// Read a file in any format [`super::load`] reads (.npy, text/CSV, JSON) as its raw numbers.
///
/// # Examples
///
/// ```
/// use momentum::io::{Values, load_values};
/// let path = std::env::temp_dir().join(format!("momentum-raw-doc-{}.csv", std::process::id()));
/// std::fs::write(&path, "4\n0.25\n").unwrap();
/// let v = load_values(&path);
/// std::fs::remove_file(&path).unwrap();
/// assert_eq!(v?, Values::Vector(vec![4.0, 0.25]));
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`super::load`]: an unreadable or malformed file, a non-finite element, a shape that is
/// neither a vector nor a square matrix ([`Error::SpectrumFile`]).
pub fn load_values(path: &Path) -> Result<Values> {
    let (name, bytes) = read(path)?;
    let array = if bytes.starts_with(NPY_MAGIC) {
        npy::parse(&bytes).map(|(a, _)| a)
    } else {
        text::parse(&bytes)
    }
    .map_err(|problem| Error::SpectrumFile {
        path: name.clone(),
        problem: one_line(&problem),
    })?;
    Ok(match array {
        Array::List(v) => Values::Vector(v),
        Array::Matrix {
            n,
            data,
            column_major,
        } => Values::Matrix(if column_major {
            DMatrix::from_vec(n, n, data)
        } else {
            DMatrix::from_row_slice(n, n, &data)
        }),
    })
}
