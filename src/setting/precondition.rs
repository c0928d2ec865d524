//! The `preconditioned` block of an analysis: Adam, AdamW and RMSprop run on the curvatures
//! P^{-1/2}HP^{-1/2} of a frozen second moment, P = √v + ε ([`crate::precondition`]).

use super::Hessian;
use crate::convention::Converted;
use crate::error::Result;
use crate::precondition;
use crate::spectrum::Spectrum;

/// Adam's frozen preconditioner as a user gives it: the settled second moment v (exp_avg_sq,
/// bias-corrected; RMSprop's square_avg) and ε, with where v came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Preconditioner {
    /// P = √v + ε per coordinate.
    pub p: Vec<f64>,
    /// ε.
    pub eps: f64,
    /// Where v came from (a file name), for the document.
    pub source: Option<String>,
}

impl Preconditioner {
    /// P = √v + ε from the second moment `v` ([`precondition::preconditioner`]).
    ///
    /// # Errors
    ///
    /// What [`precondition::preconditioner`] rejects: an empty v, a negative or non-finite entry,
    /// ε ≤ 0.
    pub fn from_second_moment(v: &[f64], eps: f64, source: Option<String>) -> Result<Self> {
        Ok(Preconditioner {
            p: precondition::preconditioner(v, eps)?,
            eps,
            source,
        })
    }

    /// The preconditioned curvatures of `hessian` and how it was given (`diagonal`, `full`).
    ///
    /// # Errors
    ///
    /// What [`precondition::diagonal`] and [`precondition::full`] reject (sizes that differ, a
    /// matrix that is not symmetric).
    pub fn spectrum(&self, hessian: &Hessian) -> Result<(Spectrum, &'static str)> {
        Ok(match hessian {
            Hessian::Diagonal(h) => (precondition::diagonal(h, &self.p)?, "diagonal"),
            Hessian::Full(h) => (precondition::full(h, &self.p)?, "full"),
        })
    }
}

/// What the preconditioning did (docs/json.md, `preconditioned`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Preconditioned {
    /// Where v came from, when a preconditioner was given.
    pub preconditioner: Option<String>,
    /// ε, when a preconditioner was given.
    pub eps: Option<f64>,
    /// `diagonal` or `full` (a Hessian in the parameters' coordinates, preconditioned here), or
    /// `as_given` (curvatures taken as already preconditioned).
    pub hessian: &'static str,
    /// The largest preconditioned curvature.
    pub sharpness: f64,
    /// The largest preconditioned curvature at which this setting is stable, (1 + p₀ + q₀)/p₁.
    pub edge_sharpness: Option<f64>,
    /// What the model leaves out.
    pub analysis: &'static str,
}

const FROZEN: &str = "frozen-preconditioner local analysis: Adam/RMSprop near a minimum with the second moment v settled; leaves out the bias correction's early steps and the moving v";

/// The block for a preconditioned convention (`None` for every other convention).
pub fn preconditioned(
    c: &Converted,
    spectrum: &Spectrum,
    pre: Option<&Preconditioner>,
    hessian: &'static str,
) -> Option<Preconditioned> {
    if !c.framework.is_preconditioned() {
        return None;
    }
    let r = &c.recurrence;
    Some(Preconditioned {
        preconditioner: pre.and_then(|p| p.source.clone()),
        eps: pre.map(|p| p.eps),
        hessian,
        sharpness: spectrum.bounds().1,
        edge_sharpness: (r.q1() == 0.0 && r.p1() > 0.0).then(|| (1.0 + r.p0() + r.q0()) / r.p1()),
        analysis: FROZEN,
    })
}
