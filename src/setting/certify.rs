//! A setting's certified rate on every L-smooth, μ-strongly convex function ([`crate::certify`],
//! Lessard, Recht & Packard 2016), next to its quadratic worst case: `momentum certify --json`,
//! Python's `certify_setting`, the page's certified rate.

use super::{SCHEMA, Setting};
use crate::certify::{self, Engine, RATE_TOLERANCE, lifted};
use crate::convention::{Framework, WeightDecay};
use crate::error::{Error, Result};
use crate::spectrum::Spectrum;

/// (α, β, γ) of the certified method.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Triple {
    /// Step α.
    pub step: f64,
    /// Momentum β.
    pub momentum: f64,
    /// Lookahead γ.
    pub lookahead: f64,
}

/// The certificate document (docs/json.md, `certify`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Certification {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// `smooth_strongly_convex`: F(μ, L).
    pub class: &'static str,
    /// The convention the setting was written in.
    pub convention: Framework,
    /// The canonical family's name.
    pub family: &'static str,
    /// μ.
    pub mu: f64,
    /// L.
    #[cfg_attr(feature = "serde", serde(rename = "L"))]
    pub l: f64,
    /// The canonical method certified.
    pub method: Triple,
    /// Whether a rate below 1 is certified.
    pub certified: bool,
    /// ‖x_k − x*‖ ≤ C ρᵏ on every f ∈ F(μ, L); `None` when not certified. The better of
    /// `one_step_rate` and `lifted_rate`.
    pub rate: Option<f64>,
    /// The window W of the lifted certificate (off-by-j multipliers, j ≤ W; 1: one step only).
    pub window: usize,
    /// The one-step rate (sector + off-by-one, W = 1), checked; `certificate` is its LMI.
    pub one_step_rate: Option<f64>,
    /// The lifted rate (W > 1), checked; `None` when not searched (W = 1, or the one-step rate
    /// already at the quadratic one) or not found.
    pub lifted_rate: Option<f64>,
    /// The worst case over the quadratics of the class (a lower bound of any certificate).
    pub quadratic_rate: f64,
    /// Whether the quadratic worst case is below 1.
    pub quadratic_stable: bool,
    /// `frequency` or `sdp`.
    pub engine: &'static str,
    /// The off-by-one multiplier of the certificate.
    pub multiplier: Option<f64>,
    /// The bisection's tolerance on the rate, relative to 1 − ρ.
    pub rate_tolerance: f64,
    /// [`certify::Outcome`]: `certified`, `quadratic_unstable`, `below_resolution`, `not_found`
    /// or `check_failed`.
    pub outcome: &'static str,
    /// The one-step certificate that passed the exact check (P, multipliers, ρ; units of
    /// [`certify::check`]), `None` when the one-step analysis certifies nothing.
    pub certificate: Option<certify::check::Lmi>,
    /// The lifted certificate that passed [`lifted::verify`] (weights of the off-by-j
    /// multipliers at its ρ), `None` when there is none.
    pub lifted_certificate: Option<lifted::Multiplier>,
    /// When no rate is certified and the quadratic worst case is below 1 (μ < L): a cycle of the
    /// method on some f ∈ F(μ, L) ([`certify::counter::find_cycle`], periods 2 … 6, one
    /// dimension), checked exactly; `None` when none was found (which proves nothing).
    pub counterexample: Option<certify::counter::Cycle>,
    /// The verdict in three zones: `certified` (a rate < 1 on the class), `counterexample`
    /// (proven divergent on the class: a verified cycle, or unstable on a quadratic of the class
    /// — `quadratic_stable` says which), `undecided` (neither).
    pub verdict: &'static str,
    /// What the certificate means.
    pub notes: Vec<String>,
}

/// Certify `setting` on F(μ, L) with `engine` and the default window
/// ([`lifted::DEFAULT_WINDOW`]): [`certify_window`].
///
/// # Examples
///
/// ```
/// use momentum::certify::Engine;
/// use momentum::setting::{MethodName, Setting, certify::certify};
/// use momentum::Spectrum;
/// // gradient descent with α = 2/(L + μ): the certified rate is the quadratic one, (κ−1)/(κ+1)
/// let s = Setting { method: Some(MethodName::GradientDescent), lr: Some(2.0 / 11.0), ..Default::default() };
/// let c = certify(&s, &Spectrum::interval(1.0, 10.0)?, Engine::Frequency)?;
/// assert!((c.rate.unwrap() - 9.0 / 11.0).abs() < 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Usage`] for listed eigenvalues (a certificate is over the class, an interval) or a
/// weight decay (it moves the minimiser and leaves the class); what [`Setting::resolve`] and
/// [`certify::certify`] reject.
pub fn certify(setting: &Setting, spectrum: &Spectrum, engine: Engine) -> Result<Certification> {
    certify_window(setting, spectrum, engine, lifted::DEFAULT_WINDOW)
}

/// Certify `setting` on F(μ, L): the one-step certificate by `engine`, then the lifted one with
/// off-by-j multipliers j ≤ `window` ([`lifted`]); the better rate (`window` = 1: the one-step
/// numbers exactly).
///
/// # Examples
///
/// ```
/// use momentum::certify::Engine;
/// use momentum::setting::{MethodName, Setting, certify::certify_window};
/// use momentum::Spectrum;
/// // heavy ball α = 2.6, β = 0.5 on F(0.1, 1): no one-step rate, a lifted one with W = 3
/// let s = Setting { method: Some(MethodName::HeavyBall), lr: Some(2.6), momentum: Some(0.5), ..Default::default() };
/// let sp = Spectrum::interval(0.1, 1.0)?;
/// assert!(!certify_window(&s, &sp, Engine::Frequency, 1)?.certified);
/// let c = certify_window(&s, &sp, Engine::Frequency, 3)?;
/// assert!(c.certified && c.one_step_rate.is_none());
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`certify()`]; [`Error::OutOfRange`] for `window` not in 1 ..= [`lifted::MAX_WINDOW`];
/// for an order-n optimizer ([`Framework::is_linear`]) [`Error::Usage`]: [`zoo_options`]'s
/// refusal of `window` ≠ 1 or the SDP engine, else what [`Setting::resolve`] says of it.
pub fn certify_window(
    setting: &Setting,
    spectrum: &Spectrum,
    engine: Engine,
    window: usize,
) -> Result<Certification> {
    if setting.framework.is_linear() {
        zoo_options(setting.framework, Some(window), engine)?;
    }
    let Spectrum::Interval { mu, l } = *spectrum else {
        return Err(Error::Usage(
            "certify is over the class F(mu, L): give an interval [mu, L], not listed eigenvalues"
                .into(),
        ));
    };
    let resolved = setting.resolve(spectrum)?;
    if resolved.converted.weight_decay != WeightDecay::None {
        return Err(Error::Usage(
            "weight decay moves the minimiser and leaves F(mu, L): certify the method without weight decay (fold it into mu and L)".into(),
        ));
    }
    let m = resolved.converted.method;
    let one = certify::certify(&m, mu, l, engine)?;
    let lift = lifted::lift(&m, mu, l, window, one)?;
    let c = &lift.one_step;
    let counterexample = if matches!(
        lift.outcome,
        certify::Outcome::NotFound | certify::Outcome::CheckFailed
    ) && mu < l
    {
        certify::counter::find_cycle(&m, mu, l, certify::counter::MAX_PERIOD)?
    } else {
        None
    };
    let mut notes = resolved.converted.notes.clone();
    notes.push("rate: ||x_k - x*|| <= C rho^k on every L-smooth mu-strongly convex f (sector + rho^2-weighted off-by-one IQCs, Lessard, Recht & Packard 2016, Theorem 4); null when no rho < 1 is certified".into());
    if window > 1 {
        notes.push(format!("lifted: off-by-j multipliers for j = 1..{window} (interpolation conditions between iterates up to {window} steps apart, both orientations; frequency inequality on |z| = rho, Megretski & Rantzer 1997), checked exactly (weights, Jury, Sturm); rate is the better of one_step_rate and lifted_rate"));
    }
    notes.push("every rate is checked: the certificate (P, multipliers) satisfies the LMI at certificate.rho in exact rational arithmetic on the f64 values; the rate is never below quadratic_rate".into());
    if counterexample.is_some() {
        notes.push("counterexample: the method cycles on a function of the class (its samples are given and satisfy the smooth strongly convex interpolation conditions exactly), so no rate < 1 holds on F(mu, L)".into());
    }
    if lift.outcome == certify::Outcome::BelowResolution {
        notes.push(
            "1 - quadratic_rate is below f64's resolution near 1: no rate < 1 can be stated in f64"
                .into(),
        );
    }
    Ok(Certification {
        schema: SCHEMA,
        class: "smooth_strongly_convex",
        convention: resolved.framework,
        family: m.name(),
        mu,
        l,
        method: Triple {
            step: m.step(),
            momentum: m.momentum(),
            lookahead: m.lookahead(),
        },
        certified: lift.rate.is_some(),
        rate: lift.rate,
        window,
        one_step_rate: c.rate,
        lifted_rate: lift.lifted_rate,
        quadratic_rate: c.quadratic_rate,
        quadratic_stable: c.quadratic_rate < 1.0,
        engine: c.engine.name(),
        multiplier: c.multiplier,
        rate_tolerance: RATE_TOLERANCE,
        outcome: lift.outcome.as_str(),
        certificate: c.lmi,
        lifted_certificate: lift.multiplier.clone(),
        verdict: if lift.rate.is_some() {
            "certified"
        } else if counterexample.is_none() && c.quadratic_rate < 1.0 {
            "undecided"
        } else {
            "counterexample" // a verified cycle, or ρ_quad ≥ 1: a quadratic of the class
        },
        counterexample,
        notes,
    })
}

/// The certificate document of an order-n optimizer of [`crate::zoo`] (`certify --convention X
/// --json` for X = ademamix, aggmo; docs/json.md, `certify`): the fields of [`Certification`]
/// that apply, the optimizer in place of the two-step method, and its pencil.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooCertification {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// `smooth_strongly_convex`: F(μ, L).
    pub class: &'static str,
    /// The convention (the optimizer's name).
    pub convention: Framework,
    /// The optimizer's resolved hyperparameters.
    pub optimizer: crate::zoo::Optimizer,
    /// The learning rate.
    pub lr: f64,
    /// μ (for AdEMAMix: of the preconditioned function, the curvatures the update sees).
    pub mu: f64,
    /// L.
    #[cfg_attr(feature = "serde", serde(rename = "L"))]
    pub l: f64,
    /// The order n of the pencil (degree of a).
    pub order: usize,
    /// a(z), highest degree first: D_λ(z) = a(z) + lr·λ·b(z).
    pub pencil_a: Vec<f64>,
    /// b(z), highest degree first; −lr·b/a is the transfer from the gradient to x.
    pub pencil_b: Vec<f64>,
    /// Whether a rate below 1 is certified.
    pub certified: bool,
    /// ‖x_k − x*‖ ≤ C ρᵏ on every f ∈ F(μ, L); `None` when not certified.
    pub rate: Option<f64>,
    /// 1: the one-step (sector + off-by-one) certificate; no lifted search for these.
    pub window: usize,
    /// The same as `rate` (one step).
    pub one_step_rate: Option<f64>,
    /// Always `None` (not searched).
    pub lifted_rate: Option<f64>,
    /// The worst case over the quadratics of the class (a lower bound of any certificate).
    pub quadratic_rate: f64,
    /// Whether the quadratic worst case is below 1.
    pub quadratic_stable: bool,
    /// `frequency`.
    pub engine: &'static str,
    /// The off-by-one multiplier ratio t of the certificate.
    pub multiplier: Option<f64>,
    /// The bisection's tolerance on the rate, relative to 1 − ρ.
    pub rate_tolerance: f64,
    /// [`certify::Outcome`] as text.
    pub outcome: &'static str,
    /// The certificate that passed [`certify::pencil::verify`] (window 1: sector weight 1 − t,
    /// causal weight t, at its ρ).
    pub certificate: Option<lifted::Multiplier>,
    /// `certified`, `counterexample` (unstable on a quadratic of the class) or `undecided`.
    pub verdict: &'static str,
    /// What the certificate means.
    pub notes: Vec<String>,
}

/// Whether an order-n optimizer's certificate ([`certify_zoo`]) can be asked with these options:
/// it is the one-step frequency certificate on the optimizer's pencil, so a lifted `window` ≠ 1
/// and [`Engine::Sdp`] are refused (`None`: the window not given). The one place that decides
/// it for `certify --convention X`, Python's `certify_setting` and the page.
///
/// # Examples
///
/// ```
/// use momentum::Framework;
/// use momentum::certify::Engine;
/// use momentum::setting::certify::zoo_options;
/// assert!(zoo_options(Framework::Aggmo, Some(1), Engine::Frequency).is_ok());
/// let e = zoo_options(Framework::Aggmo, Some(3), Engine::Frequency).unwrap_err();
/// assert!(e.to_string().starts_with("--window: the lifted"));
/// assert!(zoo_options(Framework::Sam, None, Engine::Sdp).is_err());
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Usage`] for [`Engine::Sdp`] (first) or a window other than 1, naming the
/// convention.
pub fn zoo_options(framework: Framework, window: Option<usize>, engine: Engine) -> Result<()> {
    if engine != Engine::Frequency {
        return Err(Error::Usage(format!(
            "--engine sdp is for the two-step methods; --convention {framework} is certified by the frequency route"
        )));
    }
    if window.is_some_and(|w| w != 1) {
        return Err(Error::Usage(format!(
            "--window: the lifted (off-by-j) certificate is for the two-step methods; --convention {framework} has the one-step certificate (window 1)"
        )));
    }
    Ok(())
}

/// [`certify_zoo`] after [`zoo_options`]: the order-n certificate asked with a window and an
/// engine, as `certify --convention X --window W --engine E` asks it.
///
/// # Examples
///
/// ```
/// use momentum::certify::Engine;
/// use momentum::setting::{Setting, ZooExtra, certify::{certify_zoo, certify_zoo_with}};
/// use momentum::{Framework, Spectrum};
/// let s = Setting { framework: Framework::Aggmo, lr: Some(0.5), extra: ZooExtra { momenta: Some(vec![0.3]), ..Default::default() }, ..Setting::default() };
/// let sp = Spectrum::interval(1.0, 3.0)?;
/// assert_eq!(certify_zoo_with(&s, &sp, Some(1), Engine::Frequency)?, certify_zoo(&s, &sp)?);
/// assert!(certify_zoo_with(&s, &sp, Some(2), Engine::Frequency).is_err());
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`zoo_options`] and [`certify_zoo`] refuse.
pub fn certify_zoo_with(
    setting: &Setting,
    spectrum: &Spectrum,
    window: Option<usize>,
    engine: Engine,
) -> Result<ZooCertification> {
    zoo_options(setting.framework, window, engine)?;
    certify_zoo(setting, spectrum)
}

/// Certify an order-n optimizer ([`Framework::is_linear`]) on F(μ, L): the frequency
/// certificate of [`certify::pencil`] on its characteristic pencil, checked exactly.
/// AdEMAMix (preconditioner frozen, bias correction at its limit) and AggMo are certified;
/// SAM, schedule-free SGD and Lookahead are refused with the reason
/// ([`certify::pencil::refusal`]).
///
/// # Examples
///
/// ```
/// use momentum::setting::{Setting, ZooExtra, certify::certify_zoo};
/// use momentum::{Framework, Spectrum};
/// let s = Setting {
///     framework: Framework::Aggmo,
///     lr: Some(0.5),
///     extra: ZooExtra { momenta: Some(vec![0.3]), ..Default::default() },
///     ..Setting::default()
/// };
/// let c = certify_zoo(&s, &Spectrum::interval(1.0, 3.0)?)?;
/// assert!(c.certified && c.rate.unwrap() >= c.quadratic_rate);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Usage`] for listed eigenvalues or a two-step convention; what
/// [`super::zoo::method`] refuses; [`Error::Usage`] for SAM, schedule-free SGD and Lookahead; what [`certify::pencil::certified_rate`] rejects.
pub fn certify_zoo(setting: &Setting, spectrum: &Spectrum) -> Result<ZooCertification> {
    let Spectrum::Interval { mu, l } = *spectrum else {
        return Err(Error::Usage(
            "certify is over the class F(mu, L): give an interval [mu, L], not listed eigenvalues"
                .into(),
        ));
    };
    if !setting.framework.is_linear() {
        return Err(Error::Usage(format!(
            "--convention {} is a two-step method: certify it with certify_window",
            setting.framework
        )));
    }
    let m = super::zoo::method(setting)?;
    let c = certify::pencil::certify_zoo(&m, mu, l)?;
    let crate::zoo::Core::Pencil(p) = m.core() else {
        return Err(Error::Unsupported("a periodic system has no pencil".into()));
    };
    let mut notes = vec![
        "rate: ||x_k - x*|| <= C rho^k on every L-smooth mu-strongly convex f (sector + rho^2-weighted off-by-one IQCs on the optimizer's characteristic pencil D(z) = a(z) + lr*lambda*b(z), frequency inequality Re(D_L conj(D_mu) (1 - t conj z)) > 0 on |z| = rho); null when no rho < 1 is certified".into(),
        "every rate is checked in exact rational arithmetic on the f64 values: D_mu(rho z) Schur-stable (Schur-Cohn) and the frequency polynomial in cos(omega) positive on [-1, 1] (Sturm); the rate is never below quadratic_rate".into(),
        "the stationary update on F(mu, L) in the curvatures the optimizer sees; one-step certificate only (window 1)".into(),
    ];
    if m.framework() == Framework::Ademamix {
        notes.push("AdEMAMix: second moment frozen (mu, L are curvatures of the preconditioned function H/P) and m1's bias correction at its limit 1".into());
    }
    if mu == l {
        notes.push("mu = L: the class is the quadratics L/2|x - x*|^2 + c; the IQC certificate needs mu < L (quadratic_rate is the answer there)".into());
    }
    let certified = c.rate.is_some();
    Ok(ZooCertification {
        schema: SCHEMA,
        class: "smooth_strongly_convex",
        convention: setting.framework,
        optimizer: m.optimizer().clone(),
        lr: m.lr(),
        mu,
        l,
        order: p.order(),
        pencil_a: p.a().to_vec(),
        pencil_b: p.b().to_vec(),
        certified,
        rate: c.rate,
        window: 1,
        one_step_rate: c.rate,
        lifted_rate: None,
        quadratic_rate: c.quadratic_rate,
        quadratic_stable: c.quadratic_rate < 1.0,
        engine: Engine::Frequency.name(),
        multiplier: c.multiplier,
        rate_tolerance: RATE_TOLERANCE,
        outcome: c.outcome.as_str(),
        certificate: c.certificate,
        verdict: if certified {
            "certified"
        } else if c.quadratic_rate < 1.0 {
            "undecided"
        } else {
            "counterexample"
        },
        notes,
    })
}

/// The N-step worst case of an order-n optimizer on F(μ, L) by PEP next to its quadratics
/// (`certify --convention X --steps N --json`, feature `sdp`).
#[cfg(feature = "sdp")]
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooHorizon {
    /// N.
    pub steps: u64,
    /// Gradient calls in the N steps (SAM: 2N).
    pub gradient_calls: usize,
    /// sup ‖x_N − x*‖/‖x₀ − x*‖ over F(μ, L) of the literal update from the framework's start.
    pub worst_factor: f64,
    /// Its square (PEPit's form).
    pub worst_factor_squared: f64,
    /// max |x_N/x₀| of the exact update over the quadratics of the class, on
    /// [`super::zoo::INTERVAL_SAMPLES`] log-spaced curvatures (a lower bound of `worst_factor`).
    pub quadratic_worst_factor: f64,
    /// `pep`.
    pub worst_factor_source: &'static str,
    /// The PEP solver's primal–dual gap.
    pub pep_gap: f64,
}

/// [`ZooHorizon`] of a setting ([`certify::pep_linear::worst_case`] and
/// [`super::zoo::bound`] on the same interval).
///
/// # Examples
///
/// ```
/// use momentum::setting::{Setting, ZooExtra, certify::zoo_horizon};
/// use momentum::{Framework, Spectrum};
/// let s = Setting { framework: Framework::Sam, lr: Some(0.5), extra: ZooExtra { rho: Some(0.1), ..Default::default() }, ..Setting::default() };
/// let h = zoo_horizon(&s, &Spectrum::interval(0.1, 1.0)?, 3)?;
/// assert!(h.worst_factor >= h.quadratic_worst_factor - 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Usage`] for listed eigenvalues; what [`super::zoo::method`],
/// [`certify::pep_linear::worst_case`] and [`super::zoo::bound`] refuse.
#[cfg(feature = "sdp")]
pub fn zoo_horizon(setting: &Setting, spectrum: &Spectrum, steps: u64) -> Result<ZooHorizon> {
    let Spectrum::Interval { mu, l } = *spectrum else {
        return Err(Error::Usage(
            "certify is over the class F(mu, L): give an interval [mu, L], not listed eigenvalues"
                .into(),
        ));
    };
    let m = super::zoo::method(setting)?;
    let n = usize::try_from(steps).unwrap_or(usize::MAX);
    let pep = certify::pep_linear::worst_case(&m, mu, l, n)?;
    let quad = super::zoo::bound(setting, spectrum, steps)?;
    Ok(ZooHorizon {
        steps,
        gradient_calls: pep.gradient_calls,
        worst_factor: pep.worst_factor,
        worst_factor_squared: pep.worst_factor_squared,
        quadratic_worst_factor: quad.worst_factor,
        worst_factor_source: "pep",
        pep_gap: pep.gap,
    })
}
