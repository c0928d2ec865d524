//! The `delay` block of an analysis: the gradient τ steps late ([`crate::delay`]).

use super::{Resolved, Root};
use crate::convention::WeightDecay;
use crate::delay;
use crate::error::{Error, Result};
use crate::method::Method;
use crate::spectrum::Spectrum;

/// The delayed model, as the documents state it.
pub const MODEL: &str = "x[k+1] = x[k] + beta (x[k] - x[k-1]) - alpha grad f(y[k-tau]), y[j] = x[j] + gamma (x[j] - x[j-1])";

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
/// One curvature's delayed mode.
pub struct DelayCurvature {
    /// The curvature λ.
    pub lambda: f64,
    /// The largest root modulus of the delayed polynomial.
    pub spectral_radius: f64,
    /// Every root inside the unit circle (Schur–Cohn).
    pub stable: bool,
    /// Smallest 1 − |k| over the Schur–Cohn reflection coefficients (≤ 0 when unstable).
    pub schur_cohn_margin: f64,
    /// The τ + 2 roots.
    pub roots: Vec<Root>,
}

/// The `delay` block of an analysis (docs/json.md).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Delay {
    /// τ.
    pub tau: u32,
    /// [`MODEL`].
    pub model: &'static str,
    /// τ + 2.
    pub polynomial_degree: u32,
    /// The worst case without the delay (τ = 0), for comparison.
    pub undelayed_spectral_radius: f64,
    /// Whether the undelayed method is stable.
    pub undelayed_stable: bool,
    /// The worst curvature lies strictly inside the interval (not at an endpoint).
    pub interior_worst: bool,
    /// Largest stable canonical step α at this momentum under the delay (null: none).
    pub largest_stable_step: Option<f64>,
    /// The delayed modes at the listed curvatures.
    pub curvatures: Vec<DelayCurvature>,
}

/// What an analysis replaces and adds under a delay.
#[derive(Clone, Debug, PartialEq)]
pub struct DelayAnalysis {
    /// The delayed worst case.
    pub spectral_radius: f64,
    /// Whether it is below 1.
    pub stable: bool,
    /// Where.
    pub worst_lambda: f64,
    /// Largest stable learning rate in the user's convention at this momentum.
    pub largest_stable_lr: Option<f64>,
    /// What the delay means.
    pub notes: Vec<String>,
    /// The block for the document.
    pub json: Delay,
}

/// The delayed worst case of the resolved method over the spectrum, with the
/// delayed modes at the `listed` curvatures.
/// # Errors
///
/// [`Error::Usage`] with weight decay; what [`crate::delay`] rejects.
pub fn analyze(
    r: &Resolved,
    spectrum: &Spectrum,
    listed: &[f64],
    tau: u32,
) -> Result<DelayAnalysis> {
    if r.converted.weight_decay != WeightDecay::None {
        return Err(Error::Usage(
            "a delay with weight decay: whether the decay term is stale too depends on the system; analyze without weight decay".into(),
        ));
    }
    let m: Method = r.converted.method;
    let d = m.delayed(tau)?;
    let w = d.worst_case(spectrum)?;
    let w0 = m.worst_case(spectrum)?;
    let (l_max, family) = (spectrum.bounds().1, m.family());
    let step = if l_max > 0.0 {
        delay::max_stable_step(family, m.momentum(), tau)?.map(|h| h / l_max)
    } else {
        None
    };
    let lr = r.params.as_ref().map_or(m.step(), |p| p.lr);
    let curvatures = listed
        .iter()
        .map(|&x| {
            let md = d.mode(x)?;
            Ok(DelayCurvature {
                lambda: x,
                spectral_radius: md.spectral_radius,
                stable: md.stable,
                schur_cohn_margin: md.schur_cohn.margin(),
                roots: md
                    .roots
                    .iter()
                    .map(|z| Root { re: z.re, im: z.im })
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut notes = vec![format!(
        "delay tau = {tau}: the gradient is taken at y[k-{tau}] ({MODEL}); characteristic polynomial of degree {} decided by the Schur-Cohn test; spectral_radius, stable, worst_lambda and the step limits are the delayed ones, 'curvatures' lists the undelayed modes and delay.curvatures the delayed ones",
        tau + 2
    )];
    if matches!(spectrum, Spectrum::Interval { .. }) && tau > 0 {
        notes.push("under a delay the worst curvature of an interval need not be an endpoint: it is found from where roots cross circles (docs/REFERENCE.md, delayed gradients)".into());
    }
    Ok(DelayAnalysis {
        spectral_radius: w.spectral_radius,
        stable: w.stable,
        worst_lambda: w.lambda,
        largest_stable_lr: step.map(|s| s * lr / m.step()),
        notes,
        json: Delay {
            tau,
            model: MODEL,
            polynomial_degree: tau + 2,
            undelayed_spectral_radius: w0.spectral_radius(),
            undelayed_stable: w0.is_stable(),
            interior_worst: w.interior,
            largest_stable_step: step,
            curvatures,
        },
    })
}
