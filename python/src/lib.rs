//! `momentum._native`: the PyO3 extension behind the Python package `momentum` (python/momentum).
//!
//! Thin by design: every number comes from the `momentum` library's public API; this module only
//! moves arrays in and out (NumPy, no copies on the way out), turns [`momentum::Error`] into
//! `ValueError` with the library's own message, and releases the GIL around the long loops
//! (analyze, stability maps, bounds, simulations). The Pythonic surface (records, dtype and shape
//! checks, docstrings) is python/momentum/__init__.py.

use momentum::map::{GridSpec, StabilityMap};
use momentum::setting::{self, Curvatures, Hessian, Input, Preconditioner, Setting};
use momentum::simulate::{Ending, Options, Quadratic, Start};
use momentum::stability::{StepInterval, stable_steps};
use momentum::{
    Converted, Family, Framework, FrameworkParams, Precision, Recurrence, Spectrum, WeightDecay,
};
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;

mod lanczos;

/// The library's error as a Python `ValueError` carrying its message.
fn err(e: momentum::Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn value_error(msg: impl Into<String>) -> PyErr {
    PyValueError::new_err(msg.into())
}

fn framework(name: &str) -> PyResult<Framework> {
    name.parse::<Framework>().map_err(err)
}

/// A method as a framework runs it: the canonical (α, β, γ) when there is one, the recurrence,
/// and how to rebuild it at another learning rate (for the stable learning rates).
#[pyclass(name = "Method", module = "momentum", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyMethod {
    converted: Converted,
    /// The framework's own arguments, when the method came from `from_framework`.
    params: Option<FrameworkParams>,
}

impl PyMethod {
    fn from_method(m: momentum::Result<momentum::Method>) -> PyResult<Self> {
        Ok(PyMethod {
            converted: Converted::from(m.map_err(err)?),
            params: None,
        })
    }

    fn recurrence_(&self) -> Recurrence {
        self.converted.recurrence
    }

    /// The recurrence at another learning rate (in the method's own convention).
    fn at_lr(&self, lr: f64) -> momentum::Result<Recurrence> {
        setting::recurrence_at_lr(&self.converted, self.params.as_ref(), lr)
    }
}

#[pymethods]
impl PyMethod {
    /// Heavy ball (Polyak 1964): x⁺ = x + β(x − x⁻) − α∇f(x).
    ///
    /// Raises ValueError when the step is not finite and > 0 or the momentum is not finite.
    #[staticmethod]
    fn heavy_ball(step: f64, momentum: f64) -> PyResult<Self> {
        Self::from_method(momentum::Method::heavy_ball(step, momentum))
    }

    /// Nesterov (1983): x⁺ = x + β(x − x⁻) − α∇f(x + β(x − x⁻)).
    ///
    /// Raises ValueError when the step is not finite and > 0 or the momentum is not finite.
    #[staticmethod]
    fn nesterov(step: f64, momentum: f64) -> PyResult<Self> {
        Self::from_method(momentum::Method::nesterov(step, momentum))
    }

    /// Gradient descent x⁺ = x − α∇f(x).
    ///
    /// Raises ValueError when the step is not finite and > 0.
    #[staticmethod]
    fn gradient_descent(step: f64) -> PyResult<Self> {
        Self::from_method(momentum::Method::gradient_descent(step))
    }

    /// The three-parameter method of Lessard, Recht & Packard (2016):
    /// x⁺ = x + β(x − x⁻) − α∇f(x + γ(x − x⁻)).
    ///
    /// Raises ValueError when the step is not finite and > 0 or β, γ are not finite.
    #[staticmethod]
    fn general(step: f64, momentum: f64, lookahead: f64) -> PyResult<Self> {
        Self::from_method(momentum::Method::general(step, momentum, lookahead))
    }

    /// Triple momentum (Van Scoy, Freeman & Lynch 2018) tuned for curvatures in [mu, L]:
    /// rate 1 − √(μ/L).
    ///
    /// Raises ValueError unless 0 < mu < L are finite.
    #[staticmethod]
    #[pyo3(signature = (mu, L))]
    #[allow(non_snake_case)]
    fn triple_momentum(mu: f64, L: f64) -> PyResult<Self> {
        Self::from_method(momentum::Method::triple_momentum(mu, L))
    }

    /// Step α of the canonical method the framework runs, on the curvature `method_on` names
    /// (as the CLI's `method`: never None; with weight decay read `recurrence` for the raw λ).
    #[getter]
    fn step(&self) -> f64 {
        self.converted.method.step()
    }

    /// Momentum β of the canonical method (as for `step`).
    #[getter]
    fn momentum(&self) -> f64 {
        self.converted.method.momentum()
    }

    /// Lookahead γ of the canonical method (as for `step`).
    #[getter]
    fn lookahead(&self) -> f64 {
        self.converted.method.lookahead()
    }

    /// The curvature (step, momentum, lookahead) act on: 'lambda', 'lambda_plus_weight_decay'
    /// (coupled decay: PyTorch, optax) or 'decoupled_decay' (Keras).
    #[getter]
    fn method_on(&self) -> &'static str {
        match self.converted.weight_decay {
            WeightDecay::None => "lambda",
            WeightDecay::Coupled(_) => "lambda_plus_weight_decay",
            WeightDecay::Decoupled(_) => "decoupled_decay",
        }
    }

    /// The family's name: 'heavy ball', 'Nesterov', 'gradient descent', 'triple momentum' or
    /// 'general three-parameter'.
    #[getter]
    fn name(&self) -> &'static str {
        self.converted.method.name()
    }

    /// The convention the method was written in ('canonical', 'pytorch', 'keras', …).
    #[getter]
    fn framework(&self) -> &'static str {
        self.converted.framework.as_str()
    }

    /// (p0, p1, q0, q1): e⁺ = (p0 − p1·λ)e − (q0 − q1·λ)e⁻, weight decay included.
    #[getter]
    fn recurrence(&self) -> (f64, f64, f64, f64) {
        let r = self.recurrence_();
        (r.p0(), r.p1(), r.q0(), r.q1())
    }

    /// ('none', 0.0), ('coupled', w) (L2: curvature λ + w) or ('decoupled', w) (Keras).
    #[getter]
    fn weight_decay(&self) -> (&'static str, f64) {
        match self.converted.weight_decay {
            WeightDecay::None => ("none", 0.0),
            WeightDecay::Coupled(w) => ("coupled", w),
            WeightDecay::Decoupled(w) => ("decoupled", w),
        }
    }

    /// A root of the framework's state that the iterate never shows (QHM at nu*beta = 0: its
    /// buffer's beta), left out of every rate; None when every root reaches the iterate. The
    /// state's rate is max(rate, abs(hidden_root)).
    #[getter]
    fn hidden_root(&self) -> Option<f64> {
        self.converted.hidden_root
    }

    /// Facts about the conversion from the framework, one sentence each.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.converted.notes.clone()
    }

    /// The keyword arguments that make `framework` run this method, in its own names: PyTorch
    /// {lr, momentum, nesterov}; Keras and optax {learning_rate, momentum, nesterov}; ewma,
    /// physics, sutskever {lr, momentum, nesterov}; canonical {step, momentum, lookahead}.
    ///
    /// Raises ValueError when the framework has no switch for the method (triple momentum's
    /// lookahead, a negative momentum in PyTorch, a method carrying weight decay).
    fn to_framework<'py>(&self, py: Python<'py>, framework: &str) -> PyResult<Bound<'py, PyDict>> {
        let fw = self::framework(framework)?;
        let method = match (
            self.converted.weight_decay,
            self.converted.canonical_method(),
        ) {
            (WeightDecay::None, Some(m)) => m,
            _ => {
                return Err(value_error(
                    "a method with weight decay has no weight-decay-free framework form: convert the framework's arguments directly",
                ));
            }
        };
        let p = fw.express(&method).map_err(err)?;
        let d = PyDict::new(py);
        match fw {
            Framework::Canonical => {
                d.set_item("step", method.step())?;
                d.set_item("momentum", method.momentum())?;
                d.set_item("lookahead", method.lookahead())?;
            }
            Framework::Keras | Framework::Optax => {
                d.set_item("learning_rate", p.lr)?;
                d.set_item("momentum", p.momentum.unwrap_or(0.0))?;
                d.set_item("nesterov", p.nesterov)?;
            }
            _ => {
                d.set_item("lr", p.lr)?;
                d.set_item("momentum", p.momentum.unwrap_or(0.0))?;
                d.set_item("nesterov", p.nesterov)?;
            }
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        match self.converted.canonical_method() {
            Some(m) if self.converted.framework == Framework::Canonical => format!(
                "Method({}: step={}, momentum={}, lookahead={})",
                m.name(),
                m.step(),
                m.momentum(),
                m.lookahead()
            ),
            _ => {
                let (p0, p1, q0, q1) = self.recurrence();
                format!(
                    "Method({} from {}: recurrence p0={p0}, p1={p1}, q0={q0}, q1={q1})",
                    self.converted.method.name(),
                    self.converted.framework
                )
            }
        }
    }
}

/// A framework's hyperparameters as the method they run.
///
/// framework: 'pytorch' (torch.optim.SGD), 'keras' (keras.optimizers.SGD), 'optax' (optax.sgd,
/// weight decay as a chained add_decayed_weights), 'ewma' (v = βv + (1−β)g, x −= lr·v),
/// 'physics' (v = βv − lr∇f, x += v), 'sutskever' (Sutskever et al. 2013) or 'canonical'
/// ((α, β, γ) directly, γ via `lookahead`). lr, momentum, nesterov, weight_decay, dampening are
/// the framework's own arguments; None means the framework's default.
///
/// PyTorch (lr, β) is heavy ball (α = lr, β), with nesterov=True Nesterov; dampening τ scales
/// the step to lr(1 − τ); coupled weight decay w moves every curvature λ to λ + w (then
/// `step`/`momentum`/`lookahead` are None and `recurrence` carries the decay). Keras decays the
/// weights before the step (decoupled). EWMA runs heavy ball with step lr(1 − β).
///
/// Raises ValueError with the library's message for what the framework itself rejects (e.g.
/// PyTorch's Nesterov with dampening, dampening outside PyTorch), NaN, inf, an unknown name.
///
/// >>> from_framework("pytorch", lr=0.1, momentum=0.9, nesterov=True).lookahead
/// 0.9
#[pyfunction]
#[pyo3(signature = (framework, lr, momentum=None, nesterov=false, weight_decay=None, dampening=None, lookahead=None, nu=None))]
#[allow(clippy::too_many_arguments)]
fn from_framework(
    framework: &str,
    lr: f64,
    momentum: Option<f64>,
    nesterov: bool,
    weight_decay: Option<f64>,
    dampening: Option<f64>,
    lookahead: Option<f64>,
    nu: Option<f64>,
) -> PyResult<PyMethod> {
    let fw = self::framework(framework)?;
    let params = FrameworkParams {
        lr,
        momentum,
        lookahead,
        nesterov,
        dampening,
        weight_decay,
        nu,
    };
    let converted = fw.convert(&params).map_err(err)?;
    Ok(PyMethod {
        converted,
        params: Some(params),
    })
}

/// A spectrum: an interval [mu, L] or a list of eigenvalues.
#[pyclass(name = "Spectrum", module = "momentum", frozen)]
#[derive(Clone)]
pub struct PySpectrum(Spectrum, Precision);

fn precision(name: &str) -> PyResult<Precision> {
    match name {
        "float16" => Ok(Precision::Float16),
        "float32" => Ok(Precision::Float32),
        "float64" => Ok(Precision::Float64),
        other => Err(value_error(format!(
            "precision must be 'float16', 'float32' or 'float64', got '{other}'"
        ))),
    }
}

#[pymethods]
impl PySpectrum {
    /// The interval [mu, L] (finite, mu <= L).
    #[staticmethod]
    #[pyo3(signature = (mu, L))]
    #[allow(non_snake_case)]
    fn interval(mu: f64, L: f64) -> PyResult<Self> {
        Spectrum::interval(mu, L)
            .map(|s| PySpectrum(s, Precision::Float64))
            .map_err(err)
    }

    /// A list of eigenvalues (finite, at least one), stored at `precision` ('float16',
    /// 'float32' or 'float64': sets the default flat tolerance n·ε·max|λ|).
    #[staticmethod]
    #[pyo3(signature = (values, precision="float64"))]
    fn eigenvalues(values: PyReadonlyArray1<'_, f64>, precision: &str) -> PyResult<Self> {
        let p = self::precision(precision)?;
        let v = values.as_slice().map_err(|e| value_error(e.to_string()))?;
        Spectrum::eigenvalues(v.to_vec())
            .map(|s| PySpectrum(s, p))
            .map_err(err)
    }

    /// The spectrum in a file, as `momentum analyze --spectrum FILE` reads it (.npy, text/CSV,
    /// JSON; a square matrix's eigenvalues), with the precision of a .npy's dtype.
    #[staticmethod]
    fn load(path: std::path::PathBuf) -> PyResult<Self> {
        let l = momentum::io::load_file(&path).map_err(err)?;
        Ok(PySpectrum(l.spectrum, l.precision))
    }

    /// 'float16', 'float32' or 'float64': the type the numbers were stored in.
    #[getter]
    fn precision(&self) -> &'static str {
        self.1.as_str()
    }

    /// The eigenvalues (ascending) of a listed spectrum; None for an interval.
    #[getter]
    fn values<'py>(&self, py: Python<'py>) -> Option<Bound<'py, numpy::PyArray1<f64>>> {
        match &self.0 {
            Spectrum::Eigenvalues(v) => Some(v.clone().into_pyarray(py)),
            Spectrum::Interval { .. } => None,
        }
    }

    /// (smallest, largest) curvature.
    #[getter]
    fn bounds(&self) -> (f64, f64) {
        self.0.bounds()
    }

    /// 'interval' or 'eigenvalues'.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.0 {
            Spectrum::Interval { .. } => "interval",
            Spectrum::Eigenvalues(_) => "eigenvalues",
        }
    }

    fn __repr__(&self) -> String {
        format!("Spectrum({})", self.0)
    }
}

/// One chunk of `analyze`'s columns: (c1, c0, roots, radius, regime code, stable).
type ModeColumns<'a> = (
    &'a mut [f64],
    &'a mut [f64],
    &'a mut [num_complex::Complex64],
    &'a mut [f64],
    &'a mut [u8],
    &'a mut [bool],
);

/// `Recurrence::mode` at each λ of a chunk, written into its columns; stops at the first error.
#[inline(always)]
fn fill(rec: &momentum::Recurrence, lam: &[f64], out: ModeColumns<'_>) -> momentum::Result<()> {
    let (c1, c0, roots, radius, regime, stable) = out;
    let n = lam.len();
    let (c1, c0, radius, regime, stable) = (
        &mut c1[..n],
        &mut c0[..n],
        &mut radius[..n],
        &mut regime[..n],
        &mut stable[..n],
    );
    let roots = &mut roots[..2 * n];
    for (i, &l) in lam.iter().enumerate() {
        let m = rec.mode(l)?;
        c1[i] = m.c1();
        c0[i] = m.c0();
        let [r1, r2] = m.roots();
        roots[2 * i] = r1;
        roots[2 * i + 1] = r2;
        radius[i] = m.spectral_radius();
        regime[i] = regime_code(m.regime());
        stable[i] = m.is_stable();
    }
    Ok(())
}

/// [`fill`] compiled for FMA: the compensated products of `Recurrence::mode` take one instruction
/// instead of a call (FMA is exactly rounded either way: the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
fn fill_fma(rec: &momentum::Recurrence, lam: &[f64], out: ModeColumns<'_>) -> momentum::Result<()> {
    fill(rec, lam, out)
}

/// Curvatures per parallel task of `analyze`.
/// Curvatures per parallel task of `analyze`.
const CHUNK: usize = 16384;

/// Per-curvature analysis: (c1, c0, roots (n, 2) complex, spectral radius, regime codes, stable).
///
/// The six NumPy arrays are allocated first and filled in place, chunks of curvatures in
/// parallel (`Recurrence::mode` per curvature, in a copy compiled for FMA where the CPU has it); no per-element
/// Python object, no intermediate copy.
#[pyfunction]
fn analyze<'py>(
    py: Python<'py>,
    method: &PyMethod,
    lambdas: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let lam = lambdas.as_slice().map_err(|e| value_error(e.to_string()))?;
    if lam.is_empty() {
        return Err(err(momentum::Error::EmptySpectrum));
    }
    let rec = method.recurrence_();
    let n = lam.len();
    // SAFETY (both blocks): fresh C-contiguous arrays owned here, so no other view exists; every
    // element is written below before they are returned, and an error drops them unread.
    let (c1a, c0a, roots_a, radius_a, regime_a, stable_a) = unsafe {
        (
            PyArray1::<f64>::new(py, [n], false),
            PyArray1::<f64>::new(py, [n], false),
            PyArray2::<num_complex::Complex64>::new(py, [n, 2], false),
            PyArray1::<f64>::new(py, [n], false),
            PyArray1::<u8>::new(py, [n], false),
            PyArray1::<bool>::new(py, [n], false),
        )
    };
    let slices = unsafe {
        (
            c1a.as_slice_mut(),
            c0a.as_slice_mut(),
            roots_a.as_slice_mut(),
            radius_a.as_slice_mut(),
            regime_a.as_slice_mut(),
            stable_a.as_slice_mut(),
        )
    };
    let (Ok(c1), Ok(c0), Ok(roots), Ok(radius), Ok(regime), Ok(stable)) = slices else {
        return Err(value_error("analyze: output arrays not contiguous"));
    };
    let out = py.detach(|| -> momentum::Result<()> {
        let tasks: Vec<_> = lam
            .chunks(CHUNK)
            .zip(c1.chunks_mut(CHUNK))
            .zip(c0.chunks_mut(CHUNK))
            .zip(roots.chunks_mut(2 * CHUNK))
            .zip(radius.chunks_mut(CHUNK))
            .zip(regime.chunks_mut(CHUNK))
            .zip(stable.chunks_mut(CHUNK))
            .collect();
        // every chunk runs; the error of the first failing chunk (in order) is the error, so the
        // first invalid λ (NaN, inf) is named whatever the threads did
        let results: Vec<momentum::Result<()>> = tasks
            .into_par_iter()
            .map(|((((((l, c1), c0), roots), radius), regime), stable)| {
                let out = (c1, c0, roots, radius, regime, stable);
                #[cfg(target_arch = "x86_64")]
                if std::is_x86_feature_detected!("fma") {
                    // SAFETY: FMA detected at run time.
                    return unsafe { fill_fma(&rec, l, out) };
                }
                fill(&rec, l, out)
            })
            .collect();
        results.into_iter().collect()
    });
    out.map_err(err)?;
    let d = PyDict::new(py);
    d.set_item("c1", c1a)?;
    d.set_item("c0", c0a)?;
    d.set_item("roots", roots_a)?;
    d.set_item("spectral_radius", radius_a)?;
    d.set_item("regime", regime_a)?;
    d.set_item("stable", stable_a)?;
    Ok(d)
}

/// Regime names, indexed by the codes returned by `analyze` and `stability_map`.
const REGIME_NAMES: [&str; 4] = [
    "underdamped",
    "critically_damped",
    "overdamped",
    "alternating",
];

fn regime_code(r: momentum::Regime) -> u8 {
    match r {
        momentum::Regime::Underdamped => 0,
        momentum::Regime::CriticallyDamped => 1,
        momentum::Regime::Overdamped => 2,
        momentum::Regime::Alternating => 3,
    }
}

/// The curvatures analysed: a listed spectrum split by the curvature the method sees (flat and
/// saddle directions apart), as every front end splits it (`momentum::setting::Curvatures`).
fn curvatures(
    method: &PyMethod,
    spectrum: &PySpectrum,
    flat_tol: Option<f64>,
) -> PyResult<Curvatures> {
    let shift = setting::curvature_shift(&method.converted);
    Curvatures::split(spectrum.0.clone(), flat_tol, spectrum.1, shift).map_err(err)
}

/// Worst case over a spectrum (endpoint theorem): spectral_radius, stable, worst_lambda, regimes,
/// and the flat and saddle directions set apart.
#[pyfunction]
#[pyo3(signature = (method, spectrum, flat_tol=None))]
fn worst_case<'py>(
    py: Python<'py>,
    method: &PyMethod,
    spectrum: &PySpectrum,
    flat_tol: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let c = curvatures(method, spectrum, flat_tol)?;
    let rec = method.recurrence_();
    let w = c.spectrum.worst_case(&rec).map_err(err)?;
    let d = PyDict::new(py);
    d.set_item("flat_tolerance", c.tolerance)?;
    d.set_item(
        "flat_directions",
        c.directions.as_ref().map_or(0, |d| d.flat),
    )?;
    let saddles: Vec<(f64, f64)> = match &c.directions {
        Some(d) => d
            .negative
            .iter()
            .map(|&l| Ok((l, rec.mode(l)?.spectral_radius())))
            .collect::<momentum::Result<_>>()
            .map_err(err)?,
        None => vec![],
    };
    d.set_item("saddle_directions", saddles)?;
    d.set_item("spectral_radius", w.spectral_radius())?;
    d.set_item("stable", w.is_stable())?;
    d.set_item("worst_lambda", w.worst().lambda())?;
    d.set_item("regime", w.worst().regime().as_str())?;
    d.set_item("regime_lo", w.at_lo.regime().as_str())?;
    d.set_item("regime_hi", w.at_hi.regime().as_str())?;
    d.set_item(
        "iterations_per_decade",
        momentum::mode::iterations_per_decade(w.spectral_radius()),
    )?;
    Ok(d)
}

/// The open interval (lo, hi) of stable learning rates at this method's momentum, in its own
/// convention; hi = inf when unbounded; None when no learning rate is stable.
#[pyfunction]
#[pyo3(signature = (method, spectrum, flat_tol=None))]
fn stable_lr(
    method: &PyMethod,
    spectrum: &PySpectrum,
    flat_tol: Option<f64>,
) -> PyResult<Option<(f64, f64)>> {
    let c = curvatures(method, spectrum, flat_tol)?;
    let i: Option<StepInterval> = stable_steps(&c.spectrum, |t| method.at_lr(t)).map_err(err)?;
    Ok(i.map(|i| (i.lo, i.hi)))
}

/// Critical-damping momenta at the spectrum's ends: list of dicts (lambda, momentum, rate, root).
#[pyfunction]
fn critical_momentum<'py>(
    py: Python<'py>,
    method: &PyMethod,
    spectrum: &PySpectrum,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    method
        .converted
        .critical_momenta(&spectrum.0)
        .into_iter()
        .map(|c| {
            let d = PyDict::new(py);
            d.set_item("lambda", c.lambda)?;
            d.set_item("momentum", c.momentum)?;
            d.set_item("rate", c.rate)?;
            d.set_item("root", c.root)?;
            Ok(d)
        })
        .collect()
}

/// The closed-form tunings for the interval [mu, L] (tune::all), in the library's order.
#[pyfunction]
#[pyo3(signature = (mu, L))]
#[allow(non_snake_case)]
fn tune(mu: f64, L: f64) -> PyResult<Vec<(&'static str, PyMethod, f64)>> {
    let s = Spectrum::interval(mu, L).map_err(err)?;
    let all = momentum::tune::all(&s).map_err(err)?;
    Ok(all
        .into_iter()
        .map(|t| {
            (
                t.kind.as_str(),
                PyMethod {
                    converted: Converted::from(t.method),
                    params: None,
                },
                t.rate,
            )
        })
        .collect())
}

/// Condition number κ as the interval [1/κ, 1].
#[pyfunction]
fn condition_number_interval(kappa: f64) -> PyResult<(f64, f64)> {
    Ok(Spectrum::from_condition_number(kappa)
        .map_err(err)?
        .bounds())
}

/// (√κ − 1)/(√κ + 1).
#[pyfunction]
fn chebyshev_rate(kappa: f64) -> PyResult<f64> {
    momentum::tune::chebyshev_rate(kappa).map_err(err)
}

/// Finite-horizon bound from rest over the spectrum, as the CLI's `bound`.
#[pyfunction]
fn bound<'py>(
    py: Python<'py>,
    method: &PyMethod,
    spectrum: &PySpectrum,
    steps: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let rec = method.recurrence_();
    let s = &spectrum.0;
    let worst = s.worst_case(&rec).map_err(err)?;
    let fh = py.detach(|| momentum::bounds::finite_horizon(&rec, s, steps));
    let (fh, exact) = match fh {
        Ok(fh) => (Some(fh), true),
        Err(momentum::Error::Overflow { .. }) if !worst.is_stable() => (None, false),
        Err(e) => return Err(err(e)),
    };
    let worst_lambda = fh.map_or(worst.worst().lambda(), |f| f.worst_lambda);
    let log10 = match fh {
        Some(f) => f.worst_factor.log10(),
        None => momentum::bounds::log10_from_rest(&rec, worst_lambda, steps).map_err(err)?,
    };
    let d = PyDict::new(py);
    d.set_item("steps", steps)?;
    d.set_item("stable", worst.is_stable())?;
    d.set_item("worst_factor", fh.map(|f| f.worst_factor))?;
    d.set_item("worst_factor_log10", log10)?;
    d.set_item("worst_factor_exact", exact)?;
    d.set_item("worst_lambda", worst_lambda)?;
    d.set_item("spectral_radius", worst.spectral_radius())?;
    Ok(d)
}

/// Seeded run on a diagonal (or rotated dense) quadratic: error and excess arrays.
#[pyfunction]
#[pyo3(signature = (method, eigenvalues, steps, noise, seed, start, dense))]
#[allow(clippy::too_many_arguments)]
fn simulate<'py>(
    py: Python<'py>,
    method: &PyMethod,
    eigenvalues: PyReadonlyArray1<'py, f64>,
    steps: usize,
    noise: f64,
    seed: u64,
    start: &str,
    dense: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let eig = eigenvalues
        .as_slice()
        .map_err(|e| value_error(e.to_string()))?
        .to_vec();
    let start = match start {
        "ones" => Start::Ones,
        "gaussian" => Start::Gaussian,
        other => {
            return Err(value_error(format!(
                "start must be 'ones' or 'gaussian', got '{other}'"
            )));
        }
    };
    let rec = method.recurrence_();
    let run = py.detach(|| -> momentum::Result<_> {
        let q = Quadratic::diagonal(eig)?;
        let predicted = q.spectrum()?.worst_case(&rec)?.spectral_radius();
        let q = if dense { q.rotated(seed)? } else { q };
        let options = Options {
            steps,
            noise,
            seed,
            start,
            record_excess: true,
        };
        Ok((momentum::simulate::run(&rec, &q, &options)?, predicted))
    });
    let (t, predicted) = run.map_err(err)?;
    let d = PyDict::new(py);
    d.set_item("steps_taken", t.steps_taken())?;
    d.set_item(
        "ending",
        match t.ending {
            Ending::Completed => "completed",
            Ending::Underflow => "underflow",
            Ending::Diverged => "diverged",
        },
    )?;
    d.set_item("empirical_rate", t.empirical_rate())?;
    d.set_item("predicted_rate", predicted)?;
    d.set_item("error", t.error.into_pyarray(py))?;
    d.set_item("excess", t.excess.into_pyarray(py))?;
    Ok(d)
}

/// Evenly spaced eigenvalues over [mu, L], both ends included (simulate's interval problem).
#[pyfunction]
#[pyo3(signature = (mu, L, dim))]
#[allow(non_snake_case)]
fn interval_eigenvalues(mu: f64, L: f64, dim: usize) -> PyResult<Vec<f64>> {
    Ok(Quadratic::interval(mu, L, dim)
        .map_err(err)?
        .eigenvalues()
        .to_vec())
}

/// Stability map: (radius (n_momentum, n_step), regime codes at the worst end, steps, momenta).
#[pyfunction]
#[pyo3(signature = (family, lookahead, spectrum, lr_max, n_step, n_momentum, momentum_min, momentum_max))]
#[allow(clippy::too_many_arguments)]
fn stability_map<'py>(
    py: Python<'py>,
    family: &str,
    lookahead: Option<f64>,
    spectrum: &PySpectrum,
    lr_max: f64,
    n_step: usize,
    n_momentum: usize,
    momentum_min: f64,
    momentum_max: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let fam = match (family, lookahead) {
        (_, Some(g)) => Family::Lookahead(g),
        ("heavy_ball" | "hb", None) => Family::HeavyBall,
        ("nesterov" | "nag", None) => Family::Nesterov,
        ("gradient_descent" | "gd", None) => Family::GradientDescent,
        (other, None) => {
            return Err(value_error(format!(
                "family must be 'heavy_ball', 'nesterov' or 'gradient_descent', got '{other}'"
            )));
        }
    };
    let spec = GridSpec::new(
        fam,
        lr_max,
        (momentum_min, momentum_max),
        (n_step, n_momentum),
    )
    .map_err(err)?;
    let s = &spectrum.0;
    let map = py.detach(|| -> momentum::Result<_> {
        let map = StabilityMap::compute(&spec, s)?;
        let mut regime = Vec::with_capacity(n_step * n_momentum);
        for j in 0..n_momentum {
            for i in 0..n_step {
                let c = map.cell(i, j);
                regime.push(regime_code(match c.worst {
                    momentum::map::Endpoint::Lo => c.regime_lo,
                    momentum::map::Endpoint::Hi => c.regime_hi,
                }));
            }
        }
        Ok((map, regime))
    });
    let (map, regime) = map.map_err(err)?;
    let shape = (n_momentum, n_step);
    let radius = Array2::from_shape_vec(shape, map.radii().to_vec())
        .map_err(|e| value_error(e.to_string()))?;
    let regime = Array2::from_shape_vec(shape, regime).map_err(|e| value_error(e.to_string()))?;
    let d = PyDict::new(py);
    d.set_item("radius", radius.into_pyarray(py))?;
    d.set_item("regime", regime.into_pyarray(py))?;
    d.set_item(
        "steps",
        (0..n_step)
            .map(|i| spec.step(i))
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item(
        "momenta",
        (0..n_momentum)
            .map(|j| spec.momentum(j))
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    Ok(d)
}

/// A setting from the CLI's flag names: [lr, momentum, lookahead, dampening, weight_decay, nu].
fn setting_of(
    convention: &str,
    method: Option<&str>,
    [lr, momentum, lookahead, dampening, weight_decay, nu]: [Option<f64>; 6],
    nesterov: bool,
) -> PyResult<Setting> {
    Ok(Setting {
        lr,
        momentum,
        lookahead,
        nesterov,
        dampening,
        weight_decay,
        nu,
        ..Setting::named(convention, method).map_err(err)?
    })
}

/// `momentum certify --json` for a setting written as the CLI's flags (frequency engine): the
/// library's `setting::certify_window` document as JSON text (`window`: the lifted
/// certificate's window, `--window`).
#[pyfunction]
#[pyo3(signature = (spectrum, convention="canonical", method=None, lr=None, momentum=None, lookahead=None, nesterov=false, dampening=None, weight_decay=None, nu=None, window=momentum::certify::lifted::DEFAULT_WINDOW))]
#[allow(clippy::too_many_arguments)]
fn certify_setting(
    py: Python<'_>,
    spectrum: &PySpectrum,
    convention: &str,
    method: Option<&str>,
    lr: Option<f64>,
    momentum: Option<f64>,
    lookahead: Option<f64>,
    nesterov: bool,
    dampening: Option<f64>,
    weight_decay: Option<f64>,
    nu: Option<f64>,
    window: usize,
) -> PyResult<String> {
    let s = setting_of(
        convention,
        method,
        [lr, momentum, lookahead, dampening, weight_decay, nu],
        nesterov,
    )?;
    let sp = spectrum.0.clone();
    let c = py
        .detach(|| {
            setting::certify::certify_window(&s, &sp, momentum::certify::Engine::Frequency, window)
        })
        .map_err(err)?;
    serde_json::to_string(&c).map_err(|e| value_error(e.to_string()))
}

/// `momentum analyze --json` for a setting written as the CLI's flags: the library's
/// `setting::analyze_with` document as JSON text (the Python wrapper parses it). With
/// `second_moment` (Adam's v) the curvatures are the Hessian `hessian` (its diagonal) or
/// `hessian_matrix`, preconditioned by P = √v + eps; otherwise `spectrum`.
#[pyfunction]
#[pyo3(signature = (spectrum, convention="canonical", method=None, lr=None, momentum=None, lookahead=None, nesterov=false, dampening=None, weight_decay=None, nu=None, flat_tol=None, noise=None, delay=None, second_moment=None, eps=1e-8, source=None, hessian=None, hessian_matrix=None, b3=None, alpha=None, sync_period=None, slow_step=None, momenta=None, rho=None))]
#[allow(clippy::too_many_arguments)]
fn analyze_setting(
    py: Python<'_>,
    spectrum: Option<&PySpectrum>,
    convention: &str,
    method: Option<&str>,
    lr: Option<f64>,
    momentum: Option<f64>,
    lookahead: Option<f64>,
    nesterov: bool,
    dampening: Option<f64>,
    weight_decay: Option<f64>,
    nu: Option<f64>,
    flat_tol: Option<f64>,
    noise: Option<f64>,
    delay: Option<u64>,
    second_moment: Option<PyReadonlyArray1<'_, f64>>,
    eps: f64,
    source: Option<String>,
    hessian: Option<PyReadonlyArray1<'_, f64>>,
    hessian_matrix: Option<numpy::PyReadonlyArray2<'_, f64>>,
    b3: Option<f64>,
    alpha: Option<f64>,
    sync_period: Option<u32>,
    slow_step: Option<f64>,
    momenta: Option<Vec<f64>>,
    rho: Option<f64>,
) -> PyResult<String> {
    let mut s = setting_of(
        convention,
        method,
        [lr, momentum, lookahead, dampening, weight_decay, nu],
        nesterov,
    )?;
    let input = match (second_moment, spectrum) {
        (Some(v), _) => {
            let v = v.as_slice().map_err(|e| value_error(e.to_string()))?;
            let preconditioner = Preconditioner::from_second_moment(v, eps, source).map_err(err)?;
            let hessian = match (hessian, hessian_matrix) {
                (Some(h), None) => Hessian::Diagonal(
                    h.as_slice()
                        .map_err(|e| value_error(e.to_string()))?
                        .to_vec(),
                ),
                (None, Some(m)) => {
                    let a = m.as_array();
                    let (r, c) = a.dim();
                    Hessian::Full(nalgebra::DMatrix::from_fn(r, c, |i, j| a[[i, j]]))
                }
                _ => {
                    return Err(value_error(
                        "a preconditioner needs the Hessian per coordinate: its diagonal or the full symmetric matrix",
                    ));
                }
            };
            Input::Preconditioned {
                hessian,
                preconditioner,
            }
        }
        (None, Some(sp)) => Input::Spectrum(sp.0.clone(), sp.1),
        (None, None) => return Err(value_error("give the spectrum")),
    };
    let delay = delay
        .map(momentum::delay::check_delay)
        .transpose()
        .map_err(err)?;
    let opts = setting::Options {
        flat_tol,
        noise,
        delay,
    };
    s.extra = setting::ZooExtra {
        b3,
        alpha,
        sync_period,
        slow_step,
        momenta,
        rho,
    };
    let a = py
        .detach(|| setting::analyze_document(&s, input, &opts))
        .map_err(err)?;
    serde_json::to_string(&a).map_err(|e| value_error(e.to_string()))
}

/// The order-n optimizers' finite horizons and tuning (`momentum bound|simulate|tune --convention
/// X --json`): `what` is "bound", "simulate" or "tune"; the library's `setting::zoo` document as
/// JSON text. `steps` is required by bound and simulate; simulate takes listed curvatures.
/// The setting of an order-n optimizer (`zoo_run`, `zoo_map`): the convention's row with these
/// flags; `ValueError` for a two-step convention.
fn zoo_setting(
    what: &str,
    convention: &str,
    lr: Option<f64>,
    momentum: Option<f64>,
    nesterov: bool,
    extra: setting::ZooExtra,
) -> PyResult<Setting> {
    let s = Setting {
        lr,
        momentum,
        nesterov,
        extra,
        ..Setting::named(convention, None).map_err(err)?
    };
    if !s.framework.is_linear() {
        return Err(value_error(format!(
            "zoo_{what} takes ademamix, lookahead, schedule_free, aggmo or sam, not {convention}"
        )));
    }
    Ok(s)
}

#[pyfunction]
#[pyo3(signature = (what, spectrum, convention, lr=None, momentum=None, nesterov=false, steps=None, b3=None, alpha=None, sync_period=None, slow_step=None, momenta=None, rho=None, lr_schedule=None, momentum_schedule=None, b3_schedule=None, alpha_schedule=None))]
#[allow(clippy::too_many_arguments)]
fn zoo_run(
    py: Python<'_>,
    what: &str,
    spectrum: &PySpectrum,
    convention: &str,
    lr: Option<f64>,
    momentum: Option<f64>,
    nesterov: bool,
    steps: Option<u64>,
    b3: Option<f64>,
    alpha: Option<f64>,
    sync_period: Option<u32>,
    slow_step: Option<f64>,
    momenta: Option<Vec<f64>>,
    rho: Option<f64>,
    lr_schedule: Option<Vec<f64>>,
    momentum_schedule: Option<Vec<f64>>,
    b3_schedule: Option<Vec<f64>>,
    alpha_schedule: Option<Vec<f64>>,
) -> PyResult<String> {
    let extra = setting::ZooExtra {
        b3,
        alpha,
        sync_period,
        slow_step,
        momenta,
        rho,
    };
    let s = zoo_setting(what, convention, lr, momentum, nesterov, extra)?;
    let sp = spectrum.0.clone();
    let given = lr_schedule.is_some()
        || momentum_schedule.is_some()
        || b3_schedule.is_some()
        || alpha_schedule.is_some();
    let sched = given.then(|| momentum::zoo::schedule::ZooSchedule {
        schedule: momentum::schedule::Schedule {
            lr: lr_schedule,
            momentum: momentum_schedule,
            ..Default::default()
        },
        b3: b3_schedule,
        alpha: alpha_schedule,
    });
    if sched.is_some() && !matches!(what, "bound" | "simulate") {
        return Err(value_error(format!(
            "zoo_{what} takes a constant setting: schedules are run by zoo_bound and zoo_simulate"
        )));
    }
    let text = match what {
        "bound" => {
            let b = py
                .detach(|| setting::zoo::bound_scheduled(&s, &sp, sched.as_ref(), steps))
                .map_err(err)?;
            serde_json::to_string(&b)
        }
        "simulate" => {
            let Spectrum::Eigenvalues(v) = &sp else {
                return Err(value_error(
                    "simulate runs listed curvatures, not an interval",
                ));
            };
            let r = py
                .detach(|| setting::zoo::simulate_scheduled(&s, v, sched.as_ref(), steps))
                .map_err(err)?;
            serde_json::to_string(&r)
        }
        "tune" => {
            let t = py.detach(|| setting::zoo::tune(&s, &sp)).map_err(err)?;
            serde_json::to_string(&t)
        }
        "certify" => {
            let c = py
                .detach(|| setting::certify::certify_zoo(&s, &sp))
                .map_err(err)?;
            serde_json::to_string(&c)
        }
        other => return Err(value_error(format!("unknown zoo run '{other}'"))),
    };
    text.map_err(|e| value_error(e.to_string()))
}

/// An order-n optimizer's map (`momentum map --convention X --json`): the library's
/// `map::zoo::run` document as JSON text, with the cells' rates (`radius`, one list per row)
/// and verdicts (`stable`) added.
#[pyfunction]
#[pyo3(signature = (spectrum, convention, n_lr, n_y, axis=None, lr_max=None, h_max=None, log_lr=false, lr_min=None, y_range=None, flat_tol=None, marks=None, nesterov=false, b3=None, alpha=None, sync_period=None, slow_step=None, momenta=None, rho=None))]
#[allow(clippy::too_many_arguments)]
fn zoo_map(
    py: Python<'_>,
    spectrum: &PySpectrum,
    convention: &str,
    n_lr: usize,
    n_y: usize,
    axis: Option<&str>,
    lr_max: Option<f64>,
    h_max: Option<f64>,
    log_lr: bool,
    lr_min: Option<f64>,
    y_range: Option<(f64, f64)>,
    flat_tol: Option<f64>,
    marks: Option<Vec<(f64, f64)>>,
    nesterov: bool,
    b3: Option<f64>,
    alpha: Option<f64>,
    sync_period: Option<u32>,
    slow_step: Option<f64>,
    momenta: Option<Vec<f64>>,
    rho: Option<f64>,
) -> PyResult<String> {
    use momentum::map::zoo::{ZooAxis, ZooMapRequest};
    let extra = setting::ZooExtra {
        b3,
        alpha,
        sync_period,
        slow_step,
        momenta,
        rho,
    };
    let s = zoo_setting("map", convention, None, None, nesterov, extra)?;
    let axis = match axis {
        None | Some("momentum") => ZooAxis::Momentum,
        Some("b3") => ZooAxis::B3,
        Some("slow_step") => ZooAxis::SlowStep,
        Some(other) => {
            return Err(value_error(format!(
                "axis must be 'momentum', 'b3' or 'slow_step', got '{other}'"
            )));
        }
    };
    if n_lr == 0 || n_y == 0 {
        return Err(value_error("grid must have at least one cell per axis"));
    }
    let req = ZooMapRequest {
        axis: Some(axis),
        grid: (n_lr, n_y),
        lr_max,
        h_max,
        log_lr,
        lr_min,
        y_range,
        flat_tol,
        marks: marks.unwrap_or_default(),
    };
    let input = setting::Input::Spectrum(spectrum.0.clone(), spectrum.1);
    let (map, doc) = py
        .detach(|| momentum::map::zoo::run(&s, input, &req, None))
        .map_err(err)?;
    let mut v = serde_json::to_value(&doc).map_err(|e| value_error(e.to_string()))?;
    let rows = |f: &dyn Fn(usize, usize) -> serde_json::Value| -> serde_json::Value {
        (0..n_y)
            .map(|j| (0..n_lr).map(|i| f(i, j)).collect::<Vec<_>>())
            .collect::<Vec<_>>()
            .into()
    };
    if let serde_json::Value::Object(o) = &mut v {
        o.insert("radius".into(), rows(&|i, j| map.cell(i, j).radius.into()));
        o.insert("stable".into(), rows(&|i, j| map.cell(i, j).stable.into()));
    }
    serde_json::to_string(&v).map_err(|e| value_error(e.to_string()))
}

/// `bound --lr-schedule … --batch B --json`'s `minibatch` object: the library's
/// `setting::schedule::schedule_minibatch` on Gaussian data whose covariance is the spectrum
/// (listed eigenvalues, or (mu, L) spread over `dim` values, default 100), as JSON text.
#[pyfunction]
#[pyo3(signature = (spectrum, batch, convention="canonical", method=None, lr=None, momentum=None, lookahead=None, nesterov=false, dampening=None, weight_decay=None, nu=None, lr_schedule=None, momentum_schedule=None, periodic=false, steps=None, label_noise=0.0, dim=None))]
#[allow(clippy::too_many_arguments)]
fn schedule_minibatch(
    py: Python<'_>,
    spectrum: &PySpectrum,
    batch: u64,
    convention: &str,
    method: Option<&str>,
    lr: Option<f64>,
    momentum: Option<f64>,
    lookahead: Option<f64>,
    nesterov: bool,
    dampening: Option<f64>,
    weight_decay: Option<f64>,
    nu: Option<f64>,
    lr_schedule: Option<Vec<f64>>,
    momentum_schedule: Option<Vec<f64>>,
    periodic: bool,
    steps: Option<usize>,
    label_noise: f64,
    dim: Option<usize>,
) -> PyResult<String> {
    use momentum::minibatch::{Batch, Gaussian};
    let s = setting_of(
        convention,
        method,
        [lr, momentum, lookahead, dampening, weight_decay, nu],
        nesterov,
    )?;
    let b = Batch::new(batch).map_err(err)?;
    if let (Spectrum::Eigenvalues(v), Some(_)) = (&spectrum.0, dim) {
        return Err(value_error(format!(
            "dim spreads eigenvalues over (mu, L); the listed spectrum fixes the dimension ({} eigenvalues): drop dim",
            v.len()
        )));
    }
    let data = Gaussian::from_spectrum(&spectrum.0, dim, b, label_noise).map_err(err)?;
    let sched = momentum::schedule::Schedule {
        lr: lr_schedule,
        momentum: momentum_schedule,
        lookahead: None,
        periodic,
    };
    let precision = spectrum.1;
    let m = py
        .detach(|| {
            momentum::setting::schedule::schedule_minibatch(&s, &sched, &data, precision, steps)
        })
        .map_err(err)?;
    serde_json::to_string(&m).map_err(|e| value_error(e.to_string()))
}

/// `momentum analyze --lr-schedule … --json` for a setting written as the CLI's flags: the
/// library's `setting::schedule::analyze_schedule` document as JSON text.
#[pyfunction]
#[pyo3(signature = (spectrum, convention="canonical", method=None, lr=None, momentum=None, lookahead=None, nesterov=false, dampening=None, weight_decay=None, nu=None, flat_tol=None, lr_schedule=None, momentum_schedule=None, periodic=false, steps=None))]
#[allow(clippy::too_many_arguments)]
fn analyze_schedule(
    py: Python<'_>,
    spectrum: &PySpectrum,
    convention: &str,
    method: Option<&str>,
    lr: Option<f64>,
    momentum: Option<f64>,
    lookahead: Option<f64>,
    nesterov: bool,
    dampening: Option<f64>,
    weight_decay: Option<f64>,
    nu: Option<f64>,
    flat_tol: Option<f64>,
    lr_schedule: Option<Vec<f64>>,
    momentum_schedule: Option<Vec<f64>>,
    periodic: bool,
    steps: Option<usize>,
) -> PyResult<String> {
    let s = setting_of(
        convention,
        method,
        [lr, momentum, lookahead, dampening, weight_decay, nu],
        nesterov,
    )?;
    let sched = momentum::schedule::Schedule {
        lr: lr_schedule,
        momentum: momentum_schedule,
        lookahead: None,
        periodic,
    };
    let (sp, precision) = (spectrum.0.clone(), spectrum.1);
    let a = py
        .detach(|| {
            momentum::setting::schedule::analyze_schedule(
                &s, &sched, sp, precision, flat_tol, steps,
            )
        })
        .map_err(err)?;
    // `analyze --periodic`'s document for a periodic schedule, the finite horizon otherwise
    match a.periodic_document() {
        Some(p) => serde_json::to_string(&p),
        None => serde_json::to_string(&a),
    }
    .map_err(|e| value_error(e.to_string()))
}

/// The values of a named shape (`warmup_cosine_decay_schedule(...)`, `OneCycleLR(...)`, …) at
/// t = 0 … n − 1 (n: `steps`, else the shape's own length), and the momentum it cycles (or None).
#[pyfunction]
#[pyo3(signature = (spec, steps=None, base_lr=None))]
fn shape_values(
    spec: &str,
    steps: Option<usize>,
    base_lr: Option<f64>,
) -> PyResult<(Vec<f64>, Option<Vec<f64>>)> {
    let shape = momentum::schedule::shape::Shape::parse(spec).map_err(err)?;
    let n = steps
        .or(shape.natural_len())
        .ok_or_else(|| value_error(format!("`{spec}` has no length of its own: give steps")))?;
    let v = shape.values(n, base_lr).map_err(err)?;
    Ok((v.lr, v.momentum))
}

/// Whether a named shape scales the optimizer's lr (PyTorch's schedulers other than
/// OneCycleLR: `Shape::needs_base_lr`), so that an lr given with it is its base, not a second lr.
#[pyfunction]
fn shape_needs_base_lr(spec: &str) -> PyResult<bool> {
    let shape = momentum::schedule::shape::Shape::parse(spec).map_err(err)?;
    Ok(shape.needs_base_lr())
}

/// The exact mean-square analysis of `method` under minibatch sampling of Gaussian least squares
/// (`momentum::minibatch`): the CLI's `minibatch` block as JSON text. The covariance is
/// `eigenvalues` (sorted as the CLI's spectrum sorts them, so the sums run in the same order) or
/// `interval` = (mu, L, dim), dim values evenly spread.
#[pyfunction]
#[pyo3(signature = (method, batch, eigenvalues=None, interval=None, label_noise=0.0, steps=None))]
fn minibatch(
    py: Python<'_>,
    method: &PyMethod,
    batch: u64,
    eigenvalues: Option<PyReadonlyArray1<'_, f64>>,
    interval: Option<(f64, f64, usize)>,
    label_noise: f64,
    steps: Option<usize>,
) -> PyResult<String> {
    use momentum::minibatch::{Batch, Gaussian};
    let b = Batch::new(batch).map_err(err)?;
    let (data, covariance) = match (eigenvalues, interval) {
        (Some(v), None) => {
            let v = v
                .as_slice()
                .map_err(|e| value_error(e.to_string()))?
                .to_vec();
            let listed = Spectrum::eigenvalues(v).map_err(err)?.listed();
            (
                Gaussian::eigenvalues(listed, b, label_noise).map_err(err)?,
                "eigenvalues",
            )
        }
        (None, Some((mu, l, dim))) => (
            Gaussian::interval(mu, l, dim, b, label_noise).map_err(err)?,
            "evenly_spread",
        ),
        _ => return Err(value_error("give the eigenvalues or (mu, L) with dim")),
    };
    if method.converted.framework == Framework::Qhm {
        return Err(value_error(
            "batch models one fresh minibatch gradient per step; QHM mixes the gradients of two steps",
        ));
    }
    let rec = method.recurrence_();
    let doc = py
        .detach(|| -> momentum::Result<serde_json::Value> {
            let iv = data.stable_steps(|lr| method.at_lr(lr))?;
            let full = data
                .with_batch(Batch::Full)?
                .stable_steps(|lr| method.at_lr(lr))?;
            let stable = data.is_stable(&rec)?;
            let mut d = serde_json::json!({
                "batch": batch,
                "data": "gaussian",
                "dim": data.dim(),
                "covariance": covariance,
                "label_noise": data.label_noise(),
                "mean_square_rate": data.rate(&rec)?,
                "stable": stable,
                "stable_lr": iv.map(|i| serde_json::json!({"lo": i.lo, "hi": i.hi})),
                "largest_stable_lr": iv.map(|i| i.hi),
                "full_batch_largest_stable_lr": full.map(|i| i.hi),
            });
            if data.label_noise() > 0.0 && stable {
                d["stationary_risk"] = data.stationary_risk(&rec)?.into();
            }
            if let Some(n) = steps {
                d["mean_square_factor"] = data.mean_square_factor(&rec, n)?.into();
            }
            Ok(d)
        })
        .map_err(err)?;
    serde_json::to_string(&doc).map_err(|e| value_error(e.to_string()))
}

/// A file's numbers as they are (`momentum.io`): a 1-D array, or a square 2-D matrix.
#[pyfunction]
fn load_values<'py>(py: Python<'py>, path: std::path::PathBuf) -> PyResult<Bound<'py, PyAny>> {
    Ok(match momentum::io::load_values(&path).map_err(err)? {
        momentum::io::Values::Vector(v) => v.into_pyarray(py).into_any(),
        momentum::io::Values::Matrix(m) => {
            let (r, c) = m.shape();
            Array2::from_shape_fn((r, c), |(i, j)| m[(i, j)])
                .into_pyarray(py)
                .into_any()
        }
    })
}

/// The extension module `momentum._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyMethod>()?;
    m.add_class::<PySpectrum>()?;
    m.add("REGIMES", REGIME_NAMES.to_vec())?;
    m.add_function(wrap_pyfunction!(from_framework, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_setting, m)?)?;
    m.add_function(wrap_pyfunction!(zoo_run, m)?)?;
    m.add_function(wrap_pyfunction!(zoo_map, m)?)?;
    m.add_function(wrap_pyfunction!(load_values, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_schedule, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_minibatch, m)?)?;
    m.add_function(wrap_pyfunction!(shape_values, m)?)?;
    m.add_function(wrap_pyfunction!(shape_needs_base_lr, m)?)?;
    m.add_function(wrap_pyfunction!(certify_setting, m)?)?;
    m.add_function(wrap_pyfunction!(worst_case, m)?)?;
    m.add_function(wrap_pyfunction!(stable_lr, m)?)?;
    m.add_function(wrap_pyfunction!(critical_momentum, m)?)?;
    m.add_function(wrap_pyfunction!(tune, m)?)?;
    m.add_function(wrap_pyfunction!(condition_number_interval, m)?)?;
    m.add_function(wrap_pyfunction!(chebyshev_rate, m)?)?;
    m.add_function(wrap_pyfunction!(bound, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(interval_eigenvalues, m)?)?;
    m.add_function(wrap_pyfunction!(stability_map, m)?)?;
    m.add_function(wrap_pyfunction!(minibatch, m)?)?;
    m.add_function(wrap_pyfunction!(lanczos::lanczos, m)?)?;
    m.add_function(wrap_pyfunction!(lanczos::spectral_density, m)?)?;
    Ok(())
}
