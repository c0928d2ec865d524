//! `momentum._native.lanczos` and `spectral_density`: the library's Lanczos driven by a Python
//! callable. The callable is called from Rust with the GIL held (it is Python code: a JAX or
//! PyTorch Hessian-vector product); the vectors are copied into fresh NumPy arrays and the
//! results read back as float64. A Python exception raised by the callable stops the iteration
//! and is re-raised as it is.

use momentum::lanczos::{Options, SlqOptions, Which};
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::cell::RefCell;

/// H·v through the Python callable `hvp`; a Python exception is kept in `failed` and reported
/// to the library as an error that stops the iteration.
fn call(
    py: Python<'_>,
    hvp: &Bound<'_, PyAny>,
    failed: &RefCell<Option<PyErr>>,
    v: &[f64],
    out: &mut [f64],
) -> momentum::Result<()> {
    let stop = |e: PyErr| {
        *failed.borrow_mut() = Some(e);
        momentum::Error::Unsupported("the Hessian-vector product raised".into())
    };
    let arg = v.to_vec().into_pyarray(py);
    let y = hvp.call1((arg,)).map_err(stop)?;
    let y: PyReadonlyArray1<'_, f64> = y.extract().map_err(|e: PyErr| stop(e))?;
    let y = y
        .as_slice()
        .map_err(|e| stop(super::value_error(e.to_string())))?;
    if y.len() != out.len() {
        return Err(stop(super::value_error(format!(
            "hvp returned {} numbers for a vector of dimension {}",
            y.len(),
            out.len()
        ))));
    }
    out.copy_from_slice(y);
    Ok(())
}

/// The k extreme eigenvalues of the operator `hvp` (a callable float64 array → float64 array of
/// length `dim`), as a dict: values, residuals, converged, matvecs, restarts, runs, scale.
#[pyfunction]
#[pyo3(signature = (hvp, dim, k=1, which="largest", tol=1e-8, seed=0, max_dim=None, max_matvecs=20000, check_multiplicity=true))]
#[allow(clippy::too_many_arguments)]
pub fn lanczos<'py>(
    py: Python<'py>,
    hvp: Bound<'py, PyAny>,
    dim: usize,
    k: usize,
    which: &str,
    tol: f64,
    seed: u64,
    max_dim: Option<usize>,
    max_matvecs: usize,
    check_multiplicity: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let which = match which {
        "largest" => Which::Largest,
        "smallest" => Which::Smallest,
        other => {
            return Err(super::value_error(format!(
                "which must be 'largest' or 'smallest', got {other:?}"
            )));
        }
    };
    let failed = RefCell::new(None);
    let mut op = momentum::lanczos::try_from_fn(dim, |v: &[f64], out: &mut [f64]| {
        call(py, &hvp, &failed, v, out)
    });
    let opts = Options {
        k,
        which,
        tol,
        max_dim,
        max_matvecs,
        seed,
        check_multiplicity,
    };
    let result = momentum::lanczos::extremes(&mut op, &opts);
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    let r = result.map_err(super::err)?;
    let d = PyDict::new(py);
    d.set_item("values", r.values.into_pyarray(py))?;
    d.set_item("residuals", r.residuals.into_pyarray(py))?;
    d.set_item("converged", r.converged)?;
    d.set_item("matvecs", r.matvecs)?;
    d.set_item("restarts", r.restarts)?;
    d.set_item("runs", r.runs)?;
    d.set_item("scale", r.scale)?;
    Ok(d)
}

/// A NumPy float64 vector.
type Array<'py> = Bound<'py, numpy::PyArray1<f64>>;

/// Stochastic Lanczos quadrature of the operator `hvp`: (nodes, weights) as NumPy arrays.
#[pyfunction]
#[pyo3(signature = (hvp, dim, probes=10, steps=50, seed=0))]
pub fn spectral_density<'py>(
    py: Python<'py>,
    hvp: Bound<'py, PyAny>,
    dim: usize,
    probes: usize,
    steps: usize,
    seed: u64,
) -> PyResult<(Array<'py>, Array<'py>)> {
    let failed = RefCell::new(None);
    let mut op = momentum::lanczos::try_from_fn(dim, |v: &[f64], out: &mut [f64]| {
        call(py, &hvp, &failed, v, out)
    });
    let result = momentum::lanczos::density(
        &mut op,
        &SlqOptions {
            probes,
            steps,
            seed,
        },
    );
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    let d = result.map_err(super::err)?;
    Ok((d.nodes.into_pyarray(py), d.weights.into_pyarray(py)))
}
