//! `certify --certificate FILE`: the checked certificate as exact rationals, for a checker that
//! shares no code with this one (`scripts/check_certificate.py`).
//!
//! Every number is the exact value of the f64 the exact checker (`momentum::certify::check`)
//! decided, written "p/q" (or an integer): the class (μ, L), the method (α, β, γ), the rate ρ of
//! the LMI, the 3×3 matrix P and the two multipliers. The LMI it satisfies is stated in the
//! document (`lmi`, `state`, `units`): anyone can rebuild it from the update line and the class.

use super::common::{CliError, CliResult};
use momentum::certify::check::exact_string;
use momentum::certify::lifted::Multiplier;
use momentum::setting::certify::Certification;
use serde_json::{Value, json};
use std::path::Path;

/// Version of the certificate document.
pub const CERTIFICATE_SCHEMA: &str = "momentum/certificate/1";

/// The certificate document of a certified setting (the certificate behind the reported rate:
/// the lifted one when it is the better, else the one-step LMI), or why there is none.
pub fn document(c: &Certification) -> CliResult<Value> {
    if let (Some(cert), Some(r)) = (&c.lifted_certificate, c.lifted_rate)
        && c.rate == Some(r)
    {
        return Ok(lifted_document(c, cert));
    }
    let Some(lmi) = c.certificate else {
        return Err(CliError::Value(momentum::Error::Unsupported(format!(
            "--certificate: nothing to export, no rate below 1 is certified (outcome {}){}",
            c.outcome,
            if c.counterexample.is_some() {
                "; certify --json gives the counterexample cycle instead"
            } else {
                ""
            }
        ))));
    };
    let q = exact_string;
    let (class, method) = class_and_method(c);
    Ok(json!({
        "schema": CERTIFICATE_SCHEMA,
        "kind": "iqc_lmi",
        "class": class,
        "method": method,
        "rho": q(lmi.rho),
        "rate": c.rate,
        "P": lmi.p.iter().map(|r| r.iter().map(|&v| q(v)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "multipliers": {
            "sector": q(lmi.lambda[0]),
            "off_by_one": q(lmi.lambda[1]),
        },
        "units": "scaled to L = 1: a = alpha L, m = mu / L (the LMI depends on a, m, beta, gamma only)",
        "state": "w = (x_k, x_{k-1}, zeta_k, u_k) with y_k = (1+gamma) x_k - gamma x_{k-1}, u_k = grad f(y_k), p_k = u_k - m y_k, q_k = y_k - u_k, zeta_{k+1} = q_k; P acts on (x_k, x_{k-1}, zeta_k)",
        "lmi": "P >= 0, multipliers >= 0, 0 < rho <= 1 and E^T P E - rho^2 F^T P F + l_sector sym(c_p c_q^T) + l_off_by_one sym(c_p (c_q - rho^2 c_zeta)^T) <= 0, E the rows of (x_{k+1}, x_k, zeta_{k+1}) and F of (x_k, x_{k-1}, zeta_k) over w, sym(v w^T) = (v w^T + w v^T)/2",
        "meaning": "||x_k - x*|| <= C rho^k on every f of the class (Lessard, Recht & Packard 2016, Theorem 4)",
        "check": "python3 scripts/check_certificate.py FILE (exact rationals, standard library only)",
    }))
}

fn class_and_method(c: &Certification) -> (Value, Value) {
    let q = exact_string;
    (
        json!({
            "name": "smooth_strongly_convex",
            "description": "every L-smooth mu-strongly convex f",
            "mu": q(c.mu),
            "L": q(c.l),
        }),
        json!({
            "family": c.family,
            "update": "y_k = (1 + gamma) x_k - gamma x_{k-1};  x_{k+1} = x_k + beta (x_k - x_{k-1}) - alpha grad f(y_k)",
            "step": q(c.method.step),
            "momentum": q(c.method.momentum),
            "lookahead": q(c.method.lookahead),
        }),
    )
}

/// The lifted (off-by-j) certificate: the weights of the frequency multiplier at ρ and the
/// frequency inequality they satisfy (`docs/REFERENCE.md` §9.1).
fn lifted_document(c: &Certification, m: &Multiplier) -> Value {
    let q = exact_string;
    let (class, method) = class_and_method(c);
    json!({
        "schema": CERTIFICATE_SCHEMA,
        "kind": "iqc_lifted_frequency",
        "class": class,
        "method": method,
        "rho": q(m.rho),
        "rate": c.rate,
        "window": m.window,
        "multipliers": {
            "sector": q(m.sector),
            "causal": m.causal.iter().map(|&v| q(v)).collect::<Vec<_>>(),
            "anticausal": m.anticausal.iter().map(|&v| q(v)).collect::<Vec<_>>(),
        },
        "units": "scaled to L = 1: a = alpha L, m = mu / L (the inequality depends on a, m, beta, gamma only)",
        "polynomials": "D_lambda(z) = z^2 - (1 + beta - a lambda (1 + gamma)) z + (beta - a lambda gamma), D_L = D_1, D_mu = D_m",
        "multiplier": "M(z) = sector + sum_j causal_j (1 - conj(z)^j) + sum_j anticausal_j (rho^(2j) - z^j), j = 1 .. window",
        "conditions": "0 < rho < 1; weights >= 0, not all 0; sector + sum_j (causal_j - anticausal_j)(1 - rho^(2j)) >= 0; both roots of D_mu inside |z| < rho; Re(M(z) D_L(z) conj(D_mu(z))) > 0 for every z with |z| = rho",
        "meaning": "||x_k - x*|| = O(rho^k) on every f of the class (the off-by-j IQCs of the interpolation conditions and the IQC theorem of Megretski & Rantzer 1997; docs/REFERENCE.md section 9.1)",
        "check": "python3 scripts/check_certificate.py FILE (exact rationals, standard library only)",
    })
}

/// Write the certificate of `c` to `path` (`-`: stdout).
pub fn write(c: &Certification, path: &Path) -> CliResult<()> {
    let text = serde_json::to_string_pretty(&document(c)?)?;
    if path == Path::new("-") {
        println!("{text}");
        return Ok(());
    }
    std::fs::write(path, text + "\n")
        .map_err(|e| CliError::Io(format!("writing {}: {e}", path.display())))
}
