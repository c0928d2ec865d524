//! The crate's one error type.
//!
//! Every constructor validates its input and returns one of these instead of panicking or producing
//! NaN downstream. Messages name the offending value so that the command-line tool can print them as
//! they are, on one line.

use thiserror::Error;

/// Everything that can go wrong in `momentum`.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter that must be a finite number was NaN or infinite.
    #[error("{name} must be a finite number, got {}", short(*value))]
    NotFinite {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// A parameter that must be strictly positive was not.
    #[error("{name} must be > 0, got {}", short(*value))]
    NotPositive {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// A parameter was outside the range its definition allows.
    #[error("{name} = {} is out of range: {expected}", short(*value))]
    OutOfRange {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The range or condition it must satisfy.
        expected: &'static str,
    },
    /// An interval spectrum with μ > L.
    #[error("the spectrum interval needs mu <= L, got mu = {} > L = {}", short(*mu), short(*l))]
    EmptyInterval {
        /// Smallest curvature given.
        mu: f64,
        /// Largest curvature given.
        l: f64,
    },
    /// A list of eigenvalues (or a matrix) with nothing in it.
    #[error("the spectrum is empty: give at least one eigenvalue")]
    EmptySpectrum,
    /// A matrix that is not square.
    #[error("a Hessian must be square, got {rows}x{cols}")]
    NotSquare {
        /// Number of rows.
        rows: usize,
        /// Number of columns.
        cols: usize,
    },
    /// A matrix that is not symmetric within [`crate::spectrum::SYMMETRY_TOLERANCE`].
    #[error(
        "the Hessian is not symmetric: |H[{row}][{col}] - H[{col}][{row}]| = {asymmetry:e} exceeds {tolerance:e} (relative tolerance times max |H|)"
    )]
    NotSymmetric {
        /// Row of the worst asymmetric pair.
        row: usize,
        /// Column of the worst asymmetric pair.
        col: usize,
        /// The absolute asymmetry found there.
        asymmetry: f64,
        /// The absolute tolerance it exceeded.
        tolerance: f64,
    },
    /// A framework would itself reject this combination of hyperparameters.
    #[error("{framework} rejects this setting: {reason}")]
    Convention {
        /// The framework whose rule is broken.
        framework: &'static str,
        /// Why.
        reason: String,
    },
    /// Arguments that do not describe one setting: a missing or conflicting argument (a front
    /// end's usage error; the CLI exits 2 on it). The message names the arguments.
    #[error("{0}")]
    Usage(String),
    /// A method that needs something the input does not provide (e.g. triple momentum without μ, L).
    #[error("{0}")]
    Unsupported(String),
    /// Inputs so large that the characteristic polynomial's coefficients or discriminant overflow f64.
    #[error(
        "the coefficients at lambda = {lambda} overflow f64 (|c1| or |c0| beyond 1.8e308): the inputs are too large to analyse"
    )]
    CoefficientOverflow {
        /// The curvature at which it happened.
        lambda: f64,
    },
    /// A grid with more cells than the stated limit.
    #[error("a grid of {cells} cells is too large: the limit is {limit} cells")]
    TooLarge {
        /// Cells asked for.
        cells: u64,
        /// The limit that applies.
        limit: u64,
    },
    /// A size beyond its stated limit (dimensions, steps, work of a simulation).
    #[error("{what} = {count} is too large: the limit is {limit}")]
    TooMany {
        /// What was counted (e.g. "dimension").
        what: &'static str,
        /// How many were asked for.
        count: u64,
        /// The limit that applies.
        limit: u64,
    },
    /// A result that does not fit in an f64 (e.g. T^k of an unstable mode for huge k).
    #[error("{what} overflows f64 (k = {k}): the mode grows without bound")]
    Overflow {
        /// What was being computed.
        what: &'static str,
        /// The power asked for.
        k: u64,
    },
    /// A noise floor asked of a mode that is not strictly stable: its variance grows without bound.
    #[error(
        "no stationary noise floor: {} has spectral radius {} (>= 1: the variance grows without bound)",
        match lambda { Some(l) => format!("the mode at lambda = {}", short(*l)), None => "the recurrence".to_string() },
        short(*spectral_radius)
    )]
    NoStationaryState {
        /// The curvature of the unstable mode, when there is one.
        lambda: Option<f64>,
        /// Its spectral radius.
        spectral_radius: f64,
    },
    /// A schedule value the framework or the mathematics rejects, at a given step.
    #[error("schedule at step {step}: {problem}")]
    Schedule {
        /// The step t (0 for the first update).
        step: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// A spectrum file that cannot be read or parsed.
    #[error("{path}: {problem}")]
    SpectrumFile {
        /// The file.
        path: String,
        /// Where in the file (line, element) and what is wrong there.
        problem: String,
    },
}

/// A number as it reads best in a one-line message: shortest round-trip decimal when that is
/// short, scientific notation otherwise (1e308 is not printed with 309 digits).
pub(crate) fn short(x: f64) -> String {
    let plain = format!("{x}");
    if plain.len() <= 20 {
        plain
    } else {
        format!("{x:e}")
    }
}

/// Shorthand for results in this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Check that `value` is finite.
pub(crate) fn finite(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::NotFinite { name, value })
    }
}

/// Check that `value` is finite and strictly positive.
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64> {
    finite(name, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(Error::NotPositive { name, value })
    }
}

/// Check that `kappa` is a condition number: finite and ≥ 1.
pub(crate) fn condition_number(kappa: f64) -> Result<f64> {
    finite("kappa", kappa)?;
    if kappa < 1.0 {
        return Err(Error::OutOfRange {
            name: "kappa",
            value: kappa,
            expected: ">= 1 (kappa = L / mu)",
        });
    }
    Ok(kappa)
}
