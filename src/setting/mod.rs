//! One setting, one answer: the layer every front end (the CLI, Python, the page) stands on.
//!
//! A user writes a method as a family name, a framework convention and that framework's
//! arguments ([`Setting`]). [`Setting::resolve`] turns it into the recurrence the framework runs
//! ([`Resolved`], with [`Resolved::at_lr`] for the same setting at another learning rate and
//! [`Resolved::first_step`] for the framework's own start). [`Curvatures::split`] sorts a spectrum
//! by the curvature the optimizer *sees* (λ + w under coupled weight decay) into the curvatures
//! analysed, flat directions and saddles, with a flat tolerance from the precision the numbers
//! were stored in. [`analyze`] answers "is this setting stable on these curvatures, how fast, and
//! for which learning rates" as one document ([`Analysis`], serialisable with the `serde`
//! feature): the CLI prints it (`momentum analyze --json`), Python returns it as a dict
//! (`momentum.analyze_setting`), the page shows it. No front end decides a convention, a flat
//! direction or a fallback of its own.
//!
//! # Examples
//!
//! ```
//! use momentum::setting::{Curvatures, Setting, analyze};
//! use momentum::{Framework, Precision, Spectrum};
//!
//! // eigvalsh at a minimum: a null direction at -1e-15; torch.optim.SGD(lr=0.01, momentum=0.9)
//! let setting = Setting {
//!     framework: Framework::PyTorch,
//!     lr: Some(0.01),
//!     momentum: Some(0.9),
//!     ..Setting::default()
//! };
//! let spectrum = Spectrum::eigenvalues(vec![-1e-15, 0.01, 30.0])?;
//! let a = analyze(&setting, spectrum, None, Precision::Float64)?;
//! assert!(a.stable);
//! assert_eq!(a.flat_directions, 1);
//! assert!((a.spectral_radius - 0.998991).abs() < 1e-6);
//! # Ok::<(), momentum::Error>(())
//! ```

pub mod certify;
pub mod delay;
pub mod noise;
pub mod precondition;
pub mod schedule;
pub mod zoo;

pub use delay::Delay;
pub use noise::NoiseFloor;
pub use precondition::{Preconditioned, Preconditioner};

use crate::bounds::{self, FirstStep};
use crate::convention::{Converted, Framework, FrameworkParams, WeightDecay};
use crate::error::{Error, Result};
use crate::method::Method;
use crate::mode::Mode;
use crate::recurrence::Recurrence;
use crate::spectrum::{Directions, Precision, Spectrum};
use crate::stability::{CriticalMomentum, StepInterval, stable_steps};
use nalgebra::DMatrix;
use std::fmt;
use std::str::FromStr;

/// The `schema` field of every JSON document the front ends give; bumped when a field changes
/// meaning or goes.
pub const SCHEMA: &str = "momentum/1";

/// A method family by the name a user gives it (`--method`, `method=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodName {
    /// Gradient descent: no momentum.
    GradientDescent,
    /// Polyak's heavy ball.
    HeavyBall,
    /// Nesterov's accelerated gradient (lookahead = momentum).
    Nesterov,
    /// Van Scoy et al.'s triple momentum, tuned from an interval [μ, L].
    TripleMomentum,
}

/// (name, aliases, about) per [`MethodName`], in declaration order.
const METHOD_NAMES: [(&str, &[&str], &str); 4] = [
    (
        "gd",
        &["gradient_descent", "gradient-descent", "gradient descent"],
        "gradient descent",
    ),
    (
        "hb",
        &["heavy_ball", "heavy-ball", "heavy ball", "polyak"],
        "heavy ball (Polyak)",
    ),
    ("nag", &["nesterov"], "Nesterov"),
    (
        "tmm",
        &["triple_momentum", "triple-momentum", "triple momentum"],
        "triple momentum, tuned from the interval [mu, L]",
    ),
];

impl MethodName {
    /// Every family name, in declaration order.
    pub const ALL: [MethodName; 4] = [
        MethodName::GradientDescent,
        MethodName::HeavyBall,
        MethodName::Nesterov,
        MethodName::TripleMomentum,
    ];

    /// The short name: `gd`, `hb`, `nag`, `tmm`.
    pub fn as_str(self) -> &'static str {
        METHOD_NAMES[self as usize].0
    }

    /// Other names accepted (any case).
    pub fn aliases(self) -> &'static [&'static str] {
        METHOD_NAMES[self as usize].1
    }

    /// A one-line description (for help texts).
    pub fn about(self) -> &'static str {
        METHOD_NAMES[self as usize].2
    }
}

impl fmt::Display for MethodName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MethodName {
    type Err = Error;

    /// A name or alias, in any case.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::setting::MethodName;
    /// assert_eq!("Heavy-Ball".parse::<MethodName>()?, MethodName::HeavyBall);
    /// assert!("adam".parse::<MethodName>().is_err());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let low = s.trim().to_ascii_lowercase();
        MethodName::ALL
            .into_iter()
            .find(|m| m.as_str() == low || m.aliases().contains(&low.as_str()))
            .ok_or_else(|| {
                let names: Vec<&str> = MethodName::ALL.iter().map(|m| m.as_str()).collect();
                Error::Usage(format!(
                    "unknown method '{s}' (expected one of {})",
                    names.join(", ")
                ))
            })
    }
}

/// A method as a user writes it: an optional family name, a framework convention and that
/// framework's arguments. `None` means "not given" (the framework's default where it has one).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Setting {
    /// The family (`--method`); with a framework its Nesterov switch decides and this may be
    /// left out.
    pub method: Option<MethodName>,
    /// How the arguments are written (`canonical`: Lessard et al.'s (α, β, γ)).
    pub framework: Framework,
    /// Learning rate (step α in the canonical convention).
    pub lr: Option<f64>,
    /// Momentum in the convention.
    pub momentum: Option<f64>,
    /// Lookahead γ of the general three-parameter method (canonical convention).
    pub lookahead: Option<f64>,
    /// The framework's Nesterov switch.
    pub nesterov: bool,
    /// PyTorch's dampening.
    pub dampening: Option<f64>,
    /// Weight decay (coupled for PyTorch/optax, decoupled for Keras/AdamW).
    pub weight_decay: Option<f64>,
    /// QHM's ν.
    pub nu: Option<f64>,
    /// The hyperparameters only the order-n optimizers have (AdEMAMix's β₃ and α, Lookahead's
    /// k and a, AggMo's momenta, SAM's ρ; [`zoo`]).
    pub extra: ZooExtra,
}

/// Hyperparameters of the order-n optimizers ([`crate::zoo::ZooParams`] without the shared
/// lr, momentum and Nesterov switch).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZooExtra {
    /// AdEMAMix's β₃ (`--b3`).
    pub b3: Option<f64>,
    /// AdEMAMix's α (`--alpha`).
    pub alpha: Option<f64>,
    /// Lookahead's k (`--sync-period`).
    pub sync_period: Option<u32>,
    /// Lookahead's a (`--slow-step`).
    pub slow_step: Option<f64>,
    /// AggMo's momenta (`--momenta`).
    pub momenta: Option<Vec<f64>>,
    /// SAM's ρ (`--rho`).
    pub rho: Option<f64>,
}

impl ZooExtra {
    /// Whether any is given.
    pub fn is_empty(&self) -> bool {
        *self == ZooExtra::default()
    }
}

fn usage(msg: &str) -> Error {
    Error::Usage(msg.to_string())
}

impl Setting {
    /// A setting with its convention and method given by name (`"pytorch"`, `"hb"`; any case,
    /// aliases allowed) and no numbers yet: the front ends fill them in.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Framework;
    /// use momentum::setting::{MethodName, Setting};
    /// let s = Setting { lr: Some(0.1), ..Setting::named("torch", Some("nesterov"))? };
    /// assert_eq!((s.framework, s.method), (Framework::PyTorch, Some(MethodName::Nesterov)));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An unknown convention ([`Error::Unsupported`]) or method ([`Error::Usage`]), naming the
    /// known ones.
    pub fn named(convention: &str, method: Option<&str>) -> Result<Setting> {
        Ok(Setting {
            method: method.map(str::parse).transpose()?,
            framework: convention.parse()?,
            ..Setting::default()
        })
    }

    /// The method these arguments describe, converted from the framework's convention.
    /// `spectrum` is used only by triple momentum, which is tuned from its interval.
    ///
    /// Rules: `tmm` takes no lr, momentum, lookahead or Nesterov switch and no framework; `gd`
    /// takes no momentum; `hb` needs a momentum and has lookahead 0; `nag` needs a momentum and
    /// has lookahead = momentum; dampening, weight decay and ν need a framework convention.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::setting::{MethodName, Setting};
    /// use momentum::{Framework, Method, Spectrum};
    /// let s = Setting { method: Some(MethodName::Nesterov), lr: Some(0.1), momentum: Some(0.9), ..Default::default() };
    /// let r = s.resolve(&Spectrum::interval(1.0, 10.0)?)?;
    /// assert_eq!(r.converted.method, Method::nesterov(0.1, 0.9)?);
    /// let torch = Setting { framework: Framework::PyTorch, nesterov: true, ..s };
    /// assert_eq!(torch.resolve(&Spectrum::interval(1.0, 10.0)?)?.converted.method, Method::nesterov(0.1, 0.9)?);
    /// assert!(Setting::default().resolve(&Spectrum::interval(1.0, 10.0)?).is_err()); // no lr
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] for missing or conflicting arguments (the rules above); what
    /// [`Framework::convert`] or the method's constructor rejects.
    pub fn resolve(&self, spectrum: &Spectrum) -> Result<Resolved> {
        let framework = self.framework;
        let method = self.method;
        if framework.is_linear() {
            return Err(Error::Usage(format!(
                "--convention {framework} is not a two-step method: this command does not take it yet (analyze, bound and simulate do)"
            )));
        }
        if !self.extra.is_empty() {
            return Err(Error::Usage(format!(
                "--b3, --alpha, --sync-period, --slow-step, --momenta and --rho belong to ademamix, lookahead, aggmo and sam, not --convention {framework}"
            )));
        }
        if method == Some(MethodName::TripleMomentum) {
            if framework != Framework::Canonical {
                return Err(usage(
                    "method tmm is tuned from the interval [mu, L] and has no framework convention",
                ));
            }
            if self.lr.is_some()
                || self.momentum.is_some()
                || self.lookahead.is_some()
                || self.nesterov
            {
                return Err(usage(
                    "method tmm computes its own step, momentum and lookahead from mu and L: drop lr, momentum, lookahead and nesterov",
                ));
            }
            if self.dampening.is_some() || self.weight_decay.is_some() || self.nu.is_some() {
                return Err(usage(
                    "dampening, weight decay and nu need a framework convention",
                ));
            }
            let Spectrum::Interval { mu, l } = *spectrum else {
                return Err(usage(
                    "method tmm is defined from an interval: give mu and L",
                ));
            };
            let converted = Converted {
                framework,
                ..Converted::from(Method::triple_momentum(mu, l)?)
            };
            return Ok(Resolved {
                framework,
                params: None,
                converted,
            });
        }
        let lr = self.lr.ok_or_else(|| usage("lr is required"))?;
        let mut nesterov = self.nesterov;
        match method {
            Some(MethodName::GradientDescent) => {
                if self.momentum.is_some_and(|b| b != 0.0) || nesterov || self.lookahead.is_some() {
                    return Err(usage("method gd takes no momentum, lookahead or nesterov"));
                }
            }
            Some(MethodName::HeavyBall) => {
                if nesterov {
                    return Err(usage("method hb conflicts with nesterov (use method nag)"));
                }
                if self.lookahead.is_some_and(|g| g != 0.0) {
                    return Err(usage(
                        "method hb has lookahead 0; drop lookahead or leave the method out",
                    ));
                }
                if self.momentum.is_none() {
                    return Err(usage("method hb needs momentum"));
                }
            }
            Some(MethodName::Nesterov) => {
                if self.momentum.is_none() {
                    return Err(usage("method nag needs momentum"));
                }
                if self.lookahead.is_some_and(|g| Some(g) != self.momentum) {
                    return Err(usage(
                        "method nag has lookahead = momentum; drop lookahead or leave the method out",
                    ));
                }
                nesterov = true;
            }
            Some(MethodName::TripleMomentum) | None => {}
        }
        if framework == Framework::Canonical
            && (self.dampening.is_some() || self.weight_decay.is_some() || self.nu.is_some())
        {
            return Err(usage(
                "dampening, weight decay and nu belong to a framework: choose a convention (pytorch, keras, optax, adamw, qhm)",
            ));
        }
        // a lookahead equal to the momentum under method nag is just Nesterov
        let lookahead = match method {
            Some(MethodName::Nesterov | MethodName::HeavyBall) => None,
            _ => self.lookahead,
        };
        let params = FrameworkParams {
            lr,
            momentum: self.momentum,
            lookahead,
            nesterov,
            dampening: self.dampening,
            weight_decay: self.weight_decay,
            nu: self.nu,
        };
        let converted = framework.convert(&params)?;
        Ok(Resolved {
            framework,
            params: Some(params),
            converted,
        })
    }
}

/// A resolved setting: the framework's conversion plus how to rebuild it at another learning
/// rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The convention the setting was written in.
    pub framework: Framework,
    /// The framework's arguments (`None` for triple momentum, which has none).
    pub params: Option<FrameworkParams>,
    /// The method the framework runs, its weight decay and its recurrence in the raw curvature.
    pub converted: Converted,
}

impl Resolved {
    /// The recurrence of the same setting at learning rate `lr` (everything else held).
    ///
    /// # Errors
    ///
    /// What the conversion or the method's constructor rejects at that `lr`.
    pub fn at_lr(&self, lr: f64) -> Result<Recurrence> {
        recurrence_at_lr(&self.converted, self.params.as_ref(), lr)
    }

    /// The framework's own first step when it differs from a start at rest (PyTorch's
    /// undampened first step, the look-ahead parameters of a Nesterov switch, Keras' decay
    /// before the step); `None` when the two starts coincide or there is no framework.
    ///
    /// # Errors
    ///
    /// What [`bounds::framework_first_step`] rejects.
    pub fn first_step(&self) -> Result<Option<FirstStep>> {
        let (Some(p), f) = (&self.params, self.framework) else {
            return Ok(None);
        };
        if f == Framework::Canonical {
            return Ok(None);
        }
        let rest = FirstStep::from_rest(&self.converted.recurrence);
        let s = bounds::framework_first_step(f, p)?;
        Ok((!s.agrees_with(&rest, 4.0)).then_some(s))
    }

    /// What the optimizer adds to every raw curvature λ ([`curvature_shift`]): w under coupled
    /// weight decay, the framework's own shift under decoupled decay, 0 without decay.
    pub fn curvature_shift(&self) -> f64 {
        curvature_shift(&self.converted)
    }

    /// The curvature the method's (α, β, γ) act on, as the JSON field `method_on` names it:
    /// `lambda`, `lambda_plus_weight_decay` (coupled) or `decoupled_decay` (Keras, AdamW).
    pub fn method_on(&self) -> &'static str {
        method_on(&self.converted)
    }
}

/// The recurrence of a converted setting at learning rate `lr`, everything else held: the
/// framework's arguments `params` converted again at `lr`, or (no arguments: a canonical method
/// such as triple momentum) the method at step `lr`. The one "same setting at another lr" every
/// front end's stable-lr interval uses.
///
/// # Examples
///
/// ```
/// use momentum::{Framework, FrameworkParams, Method, setting::recurrence_at_lr};
/// let p = FrameworkParams { lr: 0.1, momentum: Some(0.9), ..Default::default() };
/// let c = Framework::Ewma.convert(&p)?;
/// // EWMA's step is lr(1 − β): at lr 0.5 the canonical step is 0.05
/// assert_eq!(recurrence_at_lr(&c, Some(&p), 0.5)?, Method::heavy_ball(0.5 * (1.0 - 0.9), 0.9)?.recurrence());
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What the conversion or the method's constructor rejects at that `lr`.
pub fn recurrence_at_lr(
    c: &Converted,
    params: Option<&FrameworkParams>,
    lr: f64,
) -> Result<Recurrence> {
    match params {
        Some(p) => Ok(c.framework.convert(&p.with_lr(lr))?.recurrence),
        None => Ok(c.method.with_step(lr)?.recurrence()),
    }
}

/// The shift s such that the method sees the raw curvature λ as λ + s: the recurrence has a root
/// at z = 1 (no progress, no growth: a flat direction) exactly at λ = −s, below it a real root
/// above 1 (a saddle). From 1 − c₁ + c₀ = (1 − p₀ + q₀) + (p₁ − q₁)λ: s = (1 − a₀)/a₁ with
/// a₀ = p₀ − q₀, a₁ = p₁ − q₁ in double-double. Without decay a₀ = 1 exactly and s = 0; coupled
/// decay w gives s = w (returned exactly); decoupled decay (Keras, AdamW) gives the framework's own
/// value — AdamW: w (its z = 1 root sits at λ = −w), Keras: w(1 − β).
///
/// # Examples
///
/// ```
/// use momentum::{Framework, FrameworkParams, setting::curvature_shift};
/// let p = FrameworkParams { lr: 0.1, momentum: Some(0.9), weight_decay: Some(1e-3), ..Default::default() };
/// assert_eq!(curvature_shift(&Framework::PyTorch.convert(&p)?), 1e-3);
/// assert!((curvature_shift(&Framework::AdamW.convert(&p)?) - 1e-3).abs() < 1e-14);
/// // Keras: x ← x(1 − ηw), m = βm − ηg, x += m has x fixed where ηw(1 − β) = −ηλ
/// assert!((curvature_shift(&Framework::Keras.convert(&p)?) - 1e-4).abs() < 1e-14);
/// # Ok::<(), momentum::Error>(())
/// ```
pub fn curvature_shift(c: &Converted) -> f64 {
    match c.weight_decay {
        WeightDecay::None => 0.0,
        WeightDecay::Coupled(w) => w,
        WeightDecay::Decoupled(_) => {
            let f = FirstStep::from_rest(&c.recurrence);
            if f.a1 != 0.0 && f.a1.is_finite() {
                (1.0 - f.a0) / f.a1
            } else {
                0.0
            }
        }
    }
}

/// What `framework` adds to every raw curvature for weight decay `weight_decay` across a
/// framework's (lr, momentum) plane: [`curvature_shift`] at momentum 0. Coupled decay (PyTorch,
/// optax) and AdamW's decoupled decay give w at every lr and momentum; Keras' decoupled decay
/// gives w(1 − β), which moves along the momentum axis, and the plane takes its β = 0 value w.
///
/// # Examples
///
/// ```
/// use momentum::{Framework, setting::decay_shift};
/// assert_eq!(decay_shift(Framework::PyTorch, Some(1e-3))?, 1e-3);
/// assert!((decay_shift(Framework::AdamW, Some(1e-3))? - 1e-3).abs() < 1e-15);
/// assert_eq!(decay_shift(Framework::PyTorch, None)?, 0.0);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`Framework::convert`] rejects of that decay (a framework without weight decay).
pub fn decay_shift(framework: Framework, weight_decay: Option<f64>) -> Result<f64> {
    if weight_decay.is_none() {
        return Ok(0.0);
    }
    let p = FrameworkParams {
        lr: 1.0,
        weight_decay,
        ..FrameworkParams::default()
    };
    Ok(curvature_shift(&framework.convert(&p)?))
}

/// The curvature a converted method's (α, β, γ) act on: `lambda`, `lambda_plus_weight_decay`
/// (coupled decay) or `decoupled_decay` (read the recurrence).
pub fn method_on(c: &Converted) -> &'static str {
    match c.weight_decay {
        WeightDecay::None => "lambda",
        WeightDecay::Coupled(_) => "lambda_plus_weight_decay",
        WeightDecay::Decoupled(_) => "decoupled_decay",
    }
}

/// The curvatures a question is answered over: the positive ones of a listed spectrum (flat and
/// saddle directions reported apart), or the interval as given.
#[derive(Clone, Debug, PartialEq)]
pub struct Curvatures {
    /// What the analysis runs over, in the raw curvature λ.
    pub spectrum: Spectrum,
    /// How a listed spectrum split; `None` for an interval or when nothing was flat or negative.
    pub directions: Option<Directions>,
    /// The flat tolerance applied to a listed spectrum (`None` for an interval).
    pub tolerance: Option<f64>,
    /// What the split means, for the notes.
    pub notes: Vec<String>,
}

impl Curvatures {
    /// Split `full` by the curvature the optimizer sees, λ + `shift` (coupled weight decay w:
    /// shift = w), into positive, flat (|λ + shift| ≤ tol) and saddle directions
    /// ([`Spectrum::directions_seen`]). The tolerance is `flat_tol` when given, else
    /// n·ε·max|λ| with ε of `precision` (the type the numbers were stored in). An interval is
    /// analysed as given.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::setting::Curvatures;
    /// use momentum::{Precision, Spectrum};
    /// // a float32 eigvalsh: its null space comes back as ±1e-6
    /// let s = Spectrum::eigenvalues(vec![-1e-6, 2e-6, 1.0, 32.0])?;
    /// let c = Curvatures::split(s.clone(), None, Precision::Float32, 0.0)?;
    /// assert_eq!(c.directions.as_ref().unwrap().flat, 2);
    /// assert_eq!(c.spectrum.bounds(), (1.0, 32.0));
    /// // read as float64, the same numbers are one saddle and a curvature of 2e-6
    /// let c = Curvatures::split(s, None, Precision::Float64, 0.0)?;
    /// assert_eq!(c.directions.unwrap().negative, vec![-1e-6]);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] when `flat_tol` is given with an interval; a negative or non-finite
    /// tolerance; [`Error::Unsupported`] when no curvature is above the tolerance.
    pub fn split(
        full: Spectrum,
        flat_tol: Option<f64>,
        precision: Precision,
        shift: f64,
    ) -> Result<Self> {
        if matches!(full, Spectrum::Interval { .. }) {
            if flat_tol.is_some() {
                return Err(usage(
                    "flat tolerance applies to listed eigenvalues, not to an interval [mu, L]",
                ));
            }
            return Ok(Curvatures {
                spectrum: full,
                directions: None,
                tolerance: None,
                notes: vec![],
            });
        }
        let tol = flat_tol.unwrap_or_else(|| full.flat_tolerance(precision));
        let d = full.directions_seen(tol, shift)?;
        let mut notes = vec![];
        if flat_tol.is_none() && precision != Precision::Float64 {
            notes.push(format!(
                "the numbers were stored as {}: the default flat tolerance n*eps*max|lambda| = {tol:e} uses its eps = {:e}",
                precision.as_str(),
                precision.epsilon()
            ));
        }
        if d.flat == 0 && d.negative.is_empty() {
            return Ok(Curvatures {
                spectrum: full,
                directions: None,
                tolerance: Some(tol),
                notes,
            });
        }
        let Some(positive) = d.positive.clone() else {
            return Err(Error::Unsupported(format!(
                "no curvature above the flat tolerance {tol:e}: {} flat and {} negative (saddle) directions; nothing converges or diverges to analyse",
                d.flat,
                d.negative.len()
            )));
        };
        let seen = if shift == 0.0 {
            "lambda"
        } else {
            "lambda + the decay's shift"
        };
        notes.push(format!(
            "stability, rate and step limits are over the {} positive curvatures; {} flat (|{seen}| <= {tol:e}: rho = 1, neither progress nor growth) and {} negative (saddles: the iterates leave them) are reported apart",
            positive.listed().len(),
            d.flat,
            d.negative.len()
        ));
        let low = positive.bounds().0 + shift;
        let kappa = if shift == 0.0 {
            positive.condition_number()
        } else {
            Some((positive.bounds().1 + shift) / low)
        };
        if let Some(k) = kappa.filter(|&k| k > 1e8) {
            notes.push(format!(
                "kappa = {k:e} from a smallest positive curvature of {low:e}: check whether it is a flat direction above the tolerance (flat tolerance, --flat-tol)"
            ));
        }
        Ok(Curvatures {
            spectrum: positive,
            directions: Some(d),
            tolerance: Some(tol),
            notes,
        })
    }
}

/// One root of a characteristic polynomial.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Root {
    /// Real part.
    pub re: f64,
    /// Imaginary part.
    pub im: f64,
}

/// One curvature's mode, as the documents list it.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Curvature {
    /// The raw curvature λ.
    pub lambda: f64,
    /// c₁(λ) = p₀ − p₁λ.
    pub c1: f64,
    /// c₀(λ) = q₀ − q₁λ.
    pub c0: f64,
    /// c₁² − 4c₀.
    pub discriminant: f64,
    /// The two roots of z² − c₁z + c₀.
    pub roots: [Root; 2],
    /// The larger root modulus.
    pub spectral_radius: f64,
    /// `underdamped`, `critically_damped`, `overdamped` or `alternating`.
    pub regime: &'static str,
    /// ρ < 1.
    pub stable: bool,
    /// Steps per oscillation of a complex pair.
    pub period: Option<f64>,
    /// Steps per tenfold error reduction, ln 10 / −ln ρ.
    pub iterations_per_decade: Option<f64>,
}

impl From<&Mode> for Curvature {
    fn from(m: &Mode) -> Self {
        let r = m.roots();
        Curvature {
            lambda: m.lambda(),
            c1: m.c1(),
            c0: m.c0(),
            discriminant: m.discriminant(),
            roots: [
                Root {
                    re: r[0].re,
                    im: r[0].im,
                },
                Root {
                    re: r[1].re,
                    im: r[1].im,
                },
            ],
            spectral_radius: m.spectral_radius(),
            regime: m.regime().as_str(),
            stable: m.is_stable(),
            period: m.period(),
            iterations_per_decade: m.iterations_per_decade(),
        }
    }
}

/// The spectrum analysed, as the documents describe it.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SpectrumSummary {
    /// `interval` or `eigenvalues`.
    pub kind: &'static str,
    /// Smallest curvature analysed.
    pub min: f64,
    /// Largest curvature analysed.
    pub max: f64,
    /// How many eigenvalues (`None` for an interval).
    pub count: Option<usize>,
    /// max/min when min > 0.
    pub condition_number: Option<f64>,
    /// The type the numbers were stored in (sets the default flat tolerance).
    pub precision: Precision,
}

impl SpectrumSummary {
    /// The summary of `spectrum`, stored in `precision`.
    pub fn of(spectrum: &Spectrum, precision: Precision) -> Self {
        let (min, max) = spectrum.bounds();
        SpectrumSummary {
            kind: match spectrum {
                Spectrum::Interval { .. } => "interval",
                Spectrum::Eigenvalues(_) => "eigenvalues",
            },
            min,
            max,
            count: match spectrum {
                Spectrum::Eigenvalues(v) => Some(v.len()),
                Spectrum::Interval { .. } => None,
            },
            condition_number: spectrum.condition_number(),
            precision,
        }
    }
}

/// A saddle direction and the factor per step by which the iterates leave it.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Saddle {
    /// The raw curvature λ.
    pub lambda: f64,
    /// ρ at this curvature: the factor per step by which the iterates leave the saddle.
    pub growth_rate: f64,
}

/// Most curvatures a document lists one by one (a file can hold millions).
pub const MAX_LISTED: usize = 1000;

/// The answer to "is this setting stable on these curvatures, how fast, for which learning
/// rates": `momentum analyze --json`, Python's `analyze_setting`, the page's summary
/// (docs/json.md lists the fields).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Analysis {
    /// The version of the JSON contract ([`SCHEMA`]).
    pub schema: &'static str,
    /// The flat tolerance applied to a listed spectrum; `None` for an interval.
    pub flat_tolerance: Option<f64>,
    /// Listed curvatures the optimizer sees as flat (ρ = 1, excluded from the analysis).
    pub flat_directions: usize,
    /// Listed curvatures the optimizer sees below −flat_tolerance, with their growth rates.
    pub saddle_directions: Vec<Saddle>,
    /// The convention the setting was written in.
    pub convention: Framework,
    /// The canonical family's name.
    pub family: &'static str,
    /// Canonical (α, β, γ) the framework runs; `method_on` says on which curvature.
    pub method: Method,
    /// [`method_on`].
    pub method_on: &'static str,
    /// The method the framework runs, on the curvature it sees (λ + w under coupled decay).
    pub framework_method: Method,
    /// How weight decay enters.
    pub weight_decay: WeightDecay,
    /// The four numbers in the raw curvature.
    pub recurrence: Recurrence,
    /// What was analysed.
    pub spectrum: SpectrumSummary,
    /// The worst spectral radius over the curvatures analysed: the iterate's rate.
    pub spectral_radius: f64,
    /// The rate of the framework's whole state, buffers included: above `spectral_radius` only
    /// when a root is hidden from the iterate (QHM with ν = 0, [`Converted::state_rate`]).
    pub state_spectral_radius: f64,
    /// Whether it is below 1.
    pub stable: bool,
    /// Where the worst case is.
    pub worst_lambda: f64,
    /// Steps per tenfold error reduction at the worst case.
    pub iterations_per_decade: Option<f64>,
    /// Stable learning rates (in the user's convention) at this momentum.
    pub stable_lr: Option<StepInterval>,
    /// Its upper end when finite.
    pub largest_stable_lr: Option<f64>,
    /// Momenta (canonical β, step held) that critically damp the endpoint curvatures.
    pub critical_momentum: Vec<CriticalMomentum>,
    /// What a user should know.
    pub notes: Vec<String>,
    /// Per curvature (the smallest and largest only beyond [`MAX_LISTED`]).
    pub curvatures: Vec<Curvature>,
    /// With a delay: the delayed recurrence ([`Options::delay`]; the verdict fields above are
    /// then the delayed ones).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub delay: Option<Delay>,
    /// With noise: the stationary E‖e‖² ([`Options::noise`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub noise_floor: Option<NoiseFloor>,
    /// For Adam, AdamW and RMSprop: the preconditioned spectrum's edge.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub preconditioned: Option<Preconditioned>,
}

/// The document of [`analyze_document`]: a two-step convention's [`Analysis`] or an order-n
/// optimizer's [`zoo::ZooAnalysis`] (serialised as the inner document).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Document {
    /// A two-step convention.
    TwoStep(Box<Analysis>),
    /// AdEMAMix, Lookahead, schedule-free SGD, AggMo or SAM.
    Linear(Box<zoo::ZooAnalysis>),
}

impl Document {
    /// Whether the setting is stable on the curvatures analysed.
    pub fn stable(&self) -> bool {
        match self {
            Document::TwoStep(a) => a.stable,
            Document::Linear(a) => a.stable,
        }
    }
}

/// The one entry point of `analyze` for every convention: [`analyze_with`] for the two-step
/// conventions, [`zoo::analyze`] for the order-n optimizers ([`Framework::is_linear`]).
///
/// # Examples
///
/// ```
/// use momentum::setting::{Document, Input, Options, Setting, analyze_document};
/// use momentum::{Framework, Precision, Spectrum};
/// let s = Setting { framework: Framework::Ademamix, lr: Some(1.0), ..Setting::default() };
/// let input = Input::Spectrum(Spectrum::eigenvalues(vec![37.0, 0.1])?, Precision::Float64);
/// let Document::Linear(a) = analyze_document(&s, input, &Options::default())? else { panic!() };
/// assert!(a.stable && (a.largest_stable_lr.unwrap() - 37.8203 / 37.0).abs() < 1e-5);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`analyze_with`] or [`zoo::analyze`].
pub fn analyze_document(setting: &Setting, input: Input, opts: &Options) -> Result<Document> {
    if setting.framework.is_linear() {
        Ok(Document::Linear(Box::new(zoo::analyze(
            setting, input, opts,
        )?)))
    } else {
        Ok(Document::TwoStep(Box::new(analyze_with(
            setting, input, opts,
        )?)))
    }
}

/// A Hessian in the parameters' coordinates: its diagonal, or the full symmetric matrix.
#[derive(Clone, Debug, PartialEq)]
pub enum Hessian {
    /// The diagonal of a diagonal Hessian.
    Diagonal(Vec<f64>),
    /// The full symmetric matrix.
    Full(DMatrix<f64>),
}

/// The curvatures a setting is analysed on.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// The curvatures the method runs on, and the precision they were stored in (for the Adam
    /// family: already preconditioned).
    Spectrum(Spectrum, Precision),
    /// A Hessian in the parameters' coordinates and Adam's frozen preconditioner: the method runs
    /// on the eigenvalues of P^{-1/2}HP^{-1/2}, the noise floor is in the parameters' coordinates.
    Preconditioned {
        /// The Hessian.
        hessian: Hessian,
        /// P = √v + ε.
        preconditioner: Preconditioner,
    },
}

/// What an analysis asks beyond the worst case.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Options {
    /// The flat tolerance for listed eigenvalues (default n·ε·max|λ| with ε of their precision).
    pub flat_tol: Option<f64>,
    /// σ of additive gradient noise: adds the noise floor.
    pub noise: Option<f64>,
    /// The gradient's delay τ in steps: the verdict becomes the delayed one.
    pub delay: Option<u32>,
}

/// Analyse `setting` on `full`: resolve it, split the spectrum by the curvature the optimizer
/// sees ([`Curvatures::split`] with `flat_tol` or the default for `precision`), and give the
/// worst case, the stable learning rates at this momentum, the critical-damping momenta and
/// every listed curvature's mode.
///
/// # Examples
///
/// ```
/// use momentum::setting::{Setting, analyze};
/// use momentum::{Framework, Precision, Spectrum};
/// // coupled weight decay 1e-3 on a raw eigenvalue -5e-4: the optimizer sees +5e-4
/// let s = Setting {
///     framework: Framework::PyTorch,
///     lr: Some(0.1), momentum: Some(0.9), weight_decay: Some(0.001),
///     ..Default::default()
/// };
/// let a = analyze(&s, Spectrum::eigenvalues(vec![-5e-4, 1.0])?, None, Precision::Float64)?;
/// assert!(a.saddle_directions.is_empty());
/// assert_eq!(a.worst_lambda, -5e-4);
/// assert!((a.spectral_radius - 0.999498).abs() < 1e-6);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`Setting::resolve`] and [`Curvatures::split`] reject, and
/// [`Error::CoefficientOverflow`] when the coefficients overflow f64.
pub fn analyze(
    setting: &Setting,
    full: Spectrum,
    flat_tol: Option<f64>,
    precision: Precision,
) -> Result<Analysis> {
    let opts = Options {
        flat_tol,
        ..Options::default()
    };
    analyze_with(setting, Input::Spectrum(full, precision), &opts)
}

/// [`analyze`] with everything a front end can ask: the input (a spectrum, or a Hessian under
/// Adam's frozen preconditioner) and [`Options`] (flat tolerance, the noise floor, a delay).
///
/// # Examples
///
/// ```
/// use momentum::setting::{Input, MethodName, Options, Setting, analyze_with};
/// use momentum::{Precision, Spectrum};
/// let s = Setting { method: Some(MethodName::HeavyBall), lr: Some(0.1), momentum: Some(0.5), ..Default::default() };
/// let input = Input::Spectrum(Spectrum::eigenvalues(vec![1.0])?, Precision::Float64);
/// let a = analyze_with(&s, input, &Options { noise: Some(1.0), ..Default::default() })?;
/// // one curvature, heavy ball: V = α²(1 + β)/((1 − β)(1 + β − αλ)... ) per unit σ², stationary
/// assert!(a.noise_floor.unwrap().stationary);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`analyze`]; a negative noise; a delay with weight decay ([`Error::Usage`]); what the
/// preconditioner rejects; the preconditioner with a convention that is not Adam's family.
pub fn analyze_with(setting: &Setting, input: Input, opts: &Options) -> Result<Analysis> {
    let (full, precision, pre) = match input {
        Input::Spectrum(s, p) => (s, p, None),
        Input::Preconditioned {
            hessian,
            preconditioner,
        } => {
            if !setting.framework.is_preconditioned() {
                return Err(Error::Usage(format!(
                    "a preconditioner applies to the conventions adam, adamw or rmsprop, not {}",
                    setting.framework
                )));
            }
            let (s, kind) = preconditioner.spectrum(&hessian)?;
            (s, Precision::Float64, Some((hessian, preconditioner, kind)))
        }
    };
    if opts.noise.is_some() && opts.delay.is_some() {
        return Err(Error::Usage(
            "the noise floor under a delay is not modelled: ask for the noise floor without the delay, or the delayed verdict without noise".into(),
        ));
    }
    let (r, c) = resolve_on(setting, full, opts.flat_tol, precision)?;
    let mut a = analysis(&r, &c, precision)?;
    if let Some(sigma) = opts.noise {
        let p = pre.as_ref().map(|(h, p, _)| (p.p.as_slice(), h));
        a.noise_floor = Some(noise::noise_floor(
            &r.converted,
            &c.spectrum,
            sigma,
            c.directions.as_ref(),
            p,
        )?);
    }
    a.preconditioned = precondition::preconditioned(
        &r.converted,
        &c.spectrum,
        pre.as_ref().map(|(_, p, _)| p),
        pre.as_ref().map_or("as_given", |(_, _, k)| k),
    );
    if let Some(tau) = opts.delay {
        let listed: Vec<f64> = a.curvatures.iter().map(|m| m.lambda).collect();
        let d = delay::analyze(&r, &c.spectrum, &listed, tau)?;
        a.spectral_radius = d.spectral_radius;
        a.state_spectral_radius = r.converted.state_rate(d.spectral_radius);
        a.stable = d.stable;
        a.worst_lambda = d.worst_lambda;
        a.iterations_per_decade = crate::mode::iterations_per_decade(d.spectral_radius);
        a.stable_lr = d.largest_stable_lr.map(|hi| StepInterval { lo: 0.0, hi });
        a.largest_stable_lr = d.largest_stable_lr;
        a.critical_momentum.clear();
        a.notes.extend(d.notes);
        a.delay = Some(d.json);
        // the saddles' escape rates under the same delay
        if !a.saddle_directions.is_empty() {
            let delayed = r.converted.method.delayed(tau)?;
            for s in &mut a.saddle_directions {
                s.growth_rate = delayed.mode(s.lambda)?.spectral_radius;
            }
        }
    }
    Ok(a)
}

/// Resolve `setting` and split `full` by the curvature it sees: the two steps every question on
/// a setting starts with. Triple momentum (tuned from its interval, no decay) is resolved on the
/// split spectrum, every other method before the split (its decay decides the split).
///
/// # Errors
///
/// As [`Setting::resolve`] and [`Curvatures::split`].
pub fn resolve_on(
    setting: &Setting,
    full: Spectrum,
    flat_tol: Option<f64>,
    precision: Precision,
) -> Result<(Resolved, Curvatures)> {
    if setting.method == Some(MethodName::TripleMomentum) {
        let c = Curvatures::split(full, flat_tol, precision, 0.0)?;
        return Ok((setting.resolve(&c.spectrum)?, c));
    }
    let r = setting.resolve(&full)?;
    let c = Curvatures::split(full, flat_tol, precision, r.curvature_shift())?;
    Ok((r, c))
}

/// The [`Analysis`] of a resolved setting on split curvatures.
///
/// # Errors
///
/// [`Error::CoefficientOverflow`] when the coefficients overflow f64.
pub fn analysis(r: &Resolved, c: &Curvatures, precision: Precision) -> Result<Analysis> {
    let spectrum = &c.spectrum;
    let rec = r.converted.recurrence;
    let worst = spectrum.worst_case(&rec)?;
    let mut listed = spectrum.listed();
    let mut notes = r.converted.notes.clone();
    notes.extend(c.notes.iter().cloned());
    let saddles = match &c.directions {
        Some(d) => d
            .negative
            .iter()
            .map(|&l| {
                Ok(Saddle {
                    lambda: l,
                    growth_rate: rec.mode(l)?.spectral_radius(),
                })
            })
            .collect::<Result<Vec<_>>>()?,
        None => vec![],
    };
    if listed.len() > MAX_LISTED {
        notes.push(format!(
            "{} eigenvalues: 'curvatures' lists the smallest and the largest only (the worst case is at one of them)",
            listed.len()
        ));
        listed = vec![listed[0], listed[listed.len() - 1]];
    }
    let modes: Vec<Mode> = listed.iter().map(|&l| rec.mode(l)).collect::<Result<_>>()?;
    let interval = stable_steps(spectrum, |t| r.at_lr(t))?;
    let shift = r.curvature_shift();
    if listed.iter().any(|&l| l + shift < 0.0) {
        notes.push("negative curvatures are saddle directions: rho > 1 there is the escape rate, so 'stable' is false by design".into());
    }
    if !r.converted.admits_critical_momentum() {
        notes.push("critical-damping momentum: not given in this convention (its step or decay depends on the momentum)".into());
    }
    let w = worst.worst();
    Ok(Analysis {
        schema: SCHEMA,
        flat_tolerance: c.tolerance,
        flat_directions: c.directions.as_ref().map_or(0, |d| d.flat),
        saddle_directions: saddles,
        convention: r.framework,
        family: r.converted.method.name(),
        method: r.converted.method,
        method_on: r.method_on(),
        framework_method: r.converted.method,
        weight_decay: r.converted.weight_decay,
        recurrence: rec,
        spectrum: SpectrumSummary::of(spectrum, precision),
        spectral_radius: worst.spectral_radius(),
        state_spectral_radius: r.converted.state_rate(worst.spectral_radius()),
        stable: worst.is_stable(),
        worst_lambda: w.lambda(),
        iterations_per_decade: w.iterations_per_decade(),
        stable_lr: interval,
        largest_stable_lr: interval.map(|i| i.hi).filter(|h| h.is_finite()),
        critical_momentum: r.converted.critical_momenta(spectrum),
        notes,
        curvatures: modes.iter().map(Curvature::from).collect(),
        delay: None,
        noise_floor: None,
        preconditioned: None,
    })
}
