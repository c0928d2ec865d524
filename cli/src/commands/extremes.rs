//! `--spectrum FILE --extremes K`: the K largest and K smallest eigenvalues of a Hessian matrix
//! by Lanczos (`momentum::lanczos`) instead of the dense decomposition, with a note on stderr
//! saying what that list is and is not.

use super::common::{CliError, CliResult};
use momentum::Spectrum;
use momentum::io::{Values, load_values};
use momentum::lanczos::{self, Options, Which};
use std::path::Path;

/// The 2K extreme eigenvalues of the symmetric matrix in `path` (all of them when 2K ≥ n).
pub fn extremes(path: Option<&Path>, k: usize) -> CliResult<Spectrum> {
    let Some(path) = path else {
        return Err(CliError::Usage(
            "--extremes needs --spectrum FILE holding a Hessian matrix".into(),
        ));
    };
    if k == 0 {
        return Err(CliError::Usage("--extremes takes K >= 1".into()));
    }
    let mut h = match load_values(path)? {
        Values::Matrix(m) => m,
        Values::Vector(_) => {
            return Err(CliError::Usage(format!(
                "--extremes needs a Hessian matrix; {} holds a list of eigenvalues already: drop --extremes",
                path.display()
            )));
        }
    };
    let n = h.nrows();
    if 2 * k >= n {
        return Ok(Spectrum::from_symmetric_matrix(&h)?);
    }
    let mut values = Vec::with_capacity(2 * k);
    let mut worst = 0.0f64;
    let mut matvecs = 0;
    for which in [Which::Largest, Which::Smallest] {
        let found = lanczos::extremes(
            &mut h,
            &Options {
                k,
                which,
                ..Options::default()
            },
        )?;
        if !found.converged {
            return Err(CliError::Value(momentum::Error::Unsupported(format!(
                "{}: Lanczos did not reach its tolerance in {} products; drop --extremes for the dense decomposition",
                path.display(),
                found.matvecs
            ))));
        }
        worst = found
            .residuals
            .iter()
            .fold(worst, |a, r| a.max(r / found.scale.max(f64::MIN_POSITIVE)));
        matvecs += found.matvecs;
        values.extend(found.values);
    }
    // the rate over a list is set by its smallest and largest positive curvatures: when the
    // smallest found are not positive, the smallest positive one lies unlisted in between
    let positive_end = values[k..].iter().any(|&v| v > 0.0);
    eprintln!(
        "note: {}: the {k} largest and {k} smallest of {n} eigenvalues, by Lanczos ({matvecs} products H·v, residuals <= {worst:.0e} of max|λ|); flat and saddle counts cover only these {}{}",
        path.display(),
        2 * k,
        if positive_end {
            ""
        } else {
            "; the smallest positive curvature is not among them, so the rate shown is over the listed curvatures only (stability of heavy ball and Nesterov with 0 <= β < 1 is set by the largest)"
        }
    );
    Ok(Spectrum::eigenvalues(values)?)
}
