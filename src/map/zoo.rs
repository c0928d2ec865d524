//! Maps of the order-n optimizers ([`crate::zoo`]: AdEMAMix, Lookahead, schedule-free SGD, AggMo,
//! SAM) in their own (lr, y) plane: every cell the worst-case rate per step over the spectrum,
//! [`ZooMethod::worst_case`] of the optimizer at the cell's lr and y, its other hyperparameters
//! held — the number `analyze --convention X` gives at those parameters.
//!
//! The row axis y ([`ZooAxis`]) is by default the optimizer's own momentum: β₁ (AdEMAMix), b₁
//! (schedule-free), the inner or base `optax.sgd` momentum (Lookahead, SAM) and, for AggMo, the
//! last of its momenta (by default 0.99 of 0, 0.9, 0.99: the longest velocity, which sets the
//! edge), the others held. AdEMAMix can sweep β₃ instead and Lookahead its slow step a.
//!
//! A cell costs one worst case of an order-n pencil (or of a k-step monodromy for Lookahead)
//! over the spectrum; rows run in parallel on the grid driver ([`super::each_row`]).

use super::{GridSpec, MAX_STORED_CELLS, Progress, Summary, each_row};
use crate::convention::Framework;
use crate::error::{Error, Result};
use crate::setting::{Setting, zoo::method};
use crate::spectrum::Spectrum;
use crate::stability::StepInterval;
use crate::zoo::{Optimizer, ZooMethod};

/// The hyperparameter along the rows of an order-n optimizer's map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ZooAxis {
    /// The optimizer's momentum (β₁, b₁, the inner/base momentum; AggMo: its last momentum).
    Momentum,
    /// AdEMAMix's β₃.
    B3,
    /// Lookahead's slow step a.
    SlowStep,
}

impl ZooAxis {
    /// The axis's name for a convention (`beta1`, `b1`, `momentum`, `last_momentum`, `b3`,
    /// `slow_step`).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::Framework;
    /// use momentum::map::zoo::ZooAxis;
    /// assert_eq!(ZooAxis::Momentum.name(Framework::Ademamix), "beta1");
    /// ```
    pub fn name(self, framework: Framework) -> &'static str {
        match (self, framework) {
            (ZooAxis::B3, _) => "b3",
            (ZooAxis::SlowStep, _) => "slow_step",
            (ZooAxis::Momentum, Framework::Ademamix) => "beta1",
            (ZooAxis::Momentum, Framework::ScheduleFree) => "b1",
            (ZooAxis::Momentum, Framework::Aggmo) => "last_momentum",
            (ZooAxis::Momentum, _) => "momentum",
        }
    }
}

/// An order-n optimizer's grid: lr along the step axis of a [`GridSpec`], the [`ZooAxis`] along
/// its momentum axis, the rest of a [`Setting`] held.
#[derive(Clone, Debug, PartialEq)]
pub struct ZooGrid {
    setting: Setting,
    axis: ZooAxis,
    axes: GridSpec,
}

impl ZooGrid {
    /// Sweep `setting`'s optimizer over `axes` (lr columns, `axis` rows). The four corner
    /// cells are resolved here, so hyperparameters the optimizer rejects fail before any work.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Framework, map::GridSpec, setting::Setting};
    /// use momentum::map::zoo::{ZooAxis, ZooGrid};
    /// let s = Setting { framework: Framework::Ademamix, ..Setting::default() };
    /// let grid = ZooGrid::new(&s, ZooAxis::Momentum, GridSpec::new(Family::HeavyBall, 40.0, (0.0, 1.0), (4, 2))?)?;
    /// assert_eq!(grid.setting_at(5.0, 0.25).momentum, Some(0.25));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A two-step convention or an axis the optimizer does not have ([`Error::Usage`]); what
    /// [`method`] refuses at a corner cell; more than [`MAX_STORED_CELLS`] cells.
    pub fn new(setting: &Setting, axis: ZooAxis, axes: GridSpec) -> Result<Self> {
        let f = setting.framework;
        if !f.is_linear() {
            return Err(Error::Usage(format!(
                "--convention {f} is a two-step method: its map is the framework map"
            )));
        }
        match (axis, f) {
            (ZooAxis::Momentum, _)
            | (ZooAxis::B3, Framework::Ademamix)
            | (ZooAxis::SlowStep, Framework::Lookahead) => {}
            _ => {
                return Err(Error::Usage(format!(
                    "the axis {} is not a hyperparameter of {f} (ademamix: beta1 or b3; lookahead: momentum or slow_step; {f}: momentum)",
                    axis.name(f)
                )));
            }
        }
        let (n, m) = axes.shape();
        let cells = n as u64 * m as u64;
        if cells > MAX_STORED_CELLS {
            return Err(Error::TooLarge {
                cells,
                limit: MAX_STORED_CELLS,
            });
        }
        let mut setting = setting.clone();
        if f == Framework::Aggmo {
            // the held momenta, resolved (defaults included) once
            let probe = Setting {
                lr: Some(1.0),
                ..setting.clone()
            };
            if let Optimizer::Aggmo { momenta } = method(&probe)?.optimizer() {
                setting.extra.momenta = Some(momenta.clone());
            }
        }
        let grid = ZooGrid {
            setting,
            axis,
            axes,
        };
        for (i, j) in [(0, 0), (n - 1, 0), (0, m - 1), (n - 1, m - 1)] {
            grid.method(axes.step(i), axes.momentum(j))?;
        }
        Ok(grid)
    }

    /// The convention.
    pub fn framework(&self) -> Framework {
        self.setting.framework
    }
    /// The row axis.
    pub fn axis(&self) -> ZooAxis {
        self.axis
    }
    /// The axes: lr at [`GridSpec::step`], the row axis at [`GridSpec::momentum`].
    pub fn axes(&self) -> &GridSpec {
        &self.axes
    }

    /// The setting at this lr and row value y (what `analyze --convention X` takes).
    pub fn setting_at(&self, lr: f64, y: f64) -> Setting {
        let mut s = self.setting.clone();
        s.lr = Some(lr);
        match (self.axis, &mut s.extra.momenta) {
            (ZooAxis::B3, _) => s.extra.b3 = Some(y),
            (ZooAxis::SlowStep, _) => s.extra.slow_step = Some(y),
            (ZooAxis::Momentum, Some(v)) if s.framework == Framework::Aggmo => {
                if let Some(last) = v.last_mut() {
                    *last = y;
                }
            }
            (ZooAxis::Momentum, _) => s.momentum = Some(y),
        }
        s
    }

    /// The optimizer at this lr and row value.
    ///
    /// # Errors
    ///
    /// What [`method`] refuses.
    pub fn method(&self, lr: f64, y: f64) -> Result<ZooMethod> {
        method(&self.setting_at(lr, y))
    }

    /// The stable learning rates over `spectrum` (μ > 0) at row value y: the interval of
    /// [`ZooMethod::stable_lr`] containing the smallest lr of the axis (else the lowest);
    /// `None` when none is stable or μ ≤ 0.
    ///
    /// # Errors
    ///
    /// What [`method`] and [`ZooMethod::stable_lr`] refuse.
    pub fn stable_lrs(&self, y: f64, spectrum: &Spectrum) -> Result<Option<StepInterval>> {
        if spectrum.bounds().0 <= 0.0 {
            return Ok(None);
        }
        self.method(self.axes.step(0), y)?.stable_lr(spectrum)
    }
}

/// A computed map of an order-n optimizer, row-major (row j = y j, column i = lr i).
#[derive(Clone, Debug)]
pub struct ZooMap {
    grid: ZooGrid,
    spectrum: Spectrum,
    bounds: (f64, f64),
    radius: Vec<f64>,
    stable: Vec<bool>,
    worst: Vec<f64>,
}

/// One cell of a [`ZooMap`].
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooCell {
    /// The learning rate.
    pub lr: f64,
    /// The row value.
    pub y: f64,
    /// The worst rate per step over the spectrum ([`ZooMethod::worst_case`]).
    pub radius: f64,
    /// Every root inside the unit circle at every curvature.
    pub stable: bool,
    /// The (raw) curvature of the worst case.
    pub worst_lambda: f64,
}

impl ZooMap {
    /// Every cell: the worst case over `spectrum` of the optimizer at the cell's lr and y.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Framework, Spectrum, map::GridSpec, setting::{Setting, ZooExtra}};
    /// use momentum::map::zoo::{ZooAxis, ZooGrid, ZooMap};
    /// // AggMo with one velocity β is heavy ball at step lr: stable for lr·L < 2(1 + β)
    /// let s = Setting { framework: Framework::Aggmo, extra: ZooExtra { momenta: Some(vec![0.5]), ..Default::default() }, ..Setting::default() };
    /// let grid = ZooGrid::new(&s, ZooAxis::Momentum, GridSpec::new(Family::HeavyBall, 4.0, (0.0, 1.0), (8, 4))?)?;
    /// let map = ZooMap::compute(&grid, &Spectrum::interval(0.1, 1.0)?, None)?;
    /// assert!(map.cell(0, 0).stable && !map.cell(7, 0).stable); // lr 0.25 and 3.75 at β = 0.125
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// What [`method`] or [`ZooMethod::worst_case`] refuse at a cell (the first in row order).
    pub fn compute(
        grid: &ZooGrid,
        spectrum: &Spectrum,
        progress: Option<Progress>,
    ) -> Result<Self> {
        let (n, m) = grid.axes.shape();
        let mut cells = vec![(0.0f64, false, 0.0f64); n * m];
        each_row(
            &mut cells[..],
            n,
            progress,
            |j, row: &mut [(f64, bool, f64)]| {
                // the core does not depend on lr: one optimizer per row, moved along it
                let base = grid.method(grid.axes.step(0), grid.axes.momentum(j))?;
                for (i, out) in row.iter_mut().enumerate() {
                    let md = base.at_lr(grid.axes.step(i))?;
                    let w = md.worst_case(spectrum)?;
                    *out = (w.spectral_radius, w.stable, md.raw_curvature(w.h / md.lr()));
                }
                Ok::<(), Error>(())
            },
        )?;
        let radius = cells.iter().map(|c| c.0).collect();
        let stable = cells.iter().map(|c| c.1).collect();
        let worst = cells.iter().map(|c| c.2).collect();
        Ok(ZooMap {
            grid: grid.clone(),
            spectrum: spectrum.clone(),
            bounds: spectrum.bounds(),
            radius,
            stable,
            worst,
        })
    }

    /// The grid.
    pub fn grid(&self) -> &ZooGrid {
        &self.grid
    }
    /// The curvatures the map was computed over (flat and negative ones of a list set apart).
    pub fn spectrum(&self) -> &Spectrum {
        &self.spectrum
    }
    /// (smallest, largest) curvature the map was computed over.
    pub fn bounds(&self) -> (f64, f64) {
        self.bounds
    }
    /// Worst-case rates, row-major (row j = y j, column i = lr i).
    pub fn radii(&self) -> &[f64] {
        &self.radius
    }

    /// Cell at lr column i, row j.
    pub fn cell(&self, i: usize, j: usize) -> ZooCell {
        let (n, _) = self.grid.axes.shape();
        let k = j * n + i;
        ZooCell {
            lr: self.grid.axes.step(i),
            y: self.grid.axes.momentum(j),
            radius: self.radius[k],
            stable: self.stable[k],
            worst_lambda: self.worst[k],
        }
    }

    /// Cells stable by the exact verdict, their fraction, and the sum of their rates.
    pub fn summary(&self) -> Summary {
        let (count, sum) = self
            .radius
            .iter()
            .zip(&self.stable)
            .filter(|(_, s)| **s)
            .fold((0u64, 0.0f64), |(c, s), (r, _)| (c + 1, s + r));
        let cells = self.radius.len() as u64;
        Summary {
            cells,
            stable_cells: count,
            stable_fraction: count as f64 / cells as f64,
            checksum: sum,
        }
    }
}

/// The default largest lr of a map: 1.25× the largest stable lr over `spectrum` at 90% of the
/// row range (else the widest of 64 rows that has a bounded one); `None` when no row has.
///
/// # Errors
///
/// What [`ZooGrid::stable_lrs`] refuses.
pub fn default_lr_max(grid: &ZooGrid, spectrum: &Spectrum) -> Result<Option<f64>> {
    let (b0, b1) = grid.axes.momentum_range();
    let hi_at = |y: f64| -> Result<Option<f64>> {
        Ok(grid
            .stable_lrs(y, spectrum)?
            .map(|v| v.hi)
            .filter(|h| h.is_finite() && *h > 0.0))
    };
    let mut widest = hi_at(b0 + 0.9 * (b1 - b0))?;
    if widest.is_none() {
        for k in 0..64 {
            if let Some(h) = hi_at(b0 + (b1 - b0) * (k as f64 + 0.5) / 64.0)? {
                widest = Some(widest.map_or(h, |w: f64| w.max(h)));
            }
        }
    }
    Ok(widest.map(|w| 1.25 * w))
}

/// How a front end asks for an order-n optimizer's map ([`run`]); `None` takes the default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZooMapRequest {
    /// The row axis ([`ZooAxis::Momentum`] when `None`).
    pub axis: Option<ZooAxis>,
    /// Cells along lr and along the row axis.
    pub grid: (usize, usize),
    /// The largest lr [default: [`default_lr_max`]].
    pub lr_max: Option<f64>,
    /// The largest h = lr·L instead of `lr_max`.
    pub h_max: Option<f64>,
    /// A logarithmic lr axis [lr_min, lr_max].
    pub log_lr: bool,
    /// Its smallest lr [default: lr_max/10⁴, or half the smallest mark's lr when smaller].
    pub lr_min: Option<f64>,
    /// The row range [default: (0, 1)].
    pub y_range: Option<(f64, f64)>,
    /// The flat tolerance of a listed spectrum (as `analyze`'s `--flat-tol`).
    pub flat_tol: Option<f64>,
    /// Settings (lr, y) to evaluate and report.
    pub marks: Vec<(f64, f64)>,
}

/// One row's stable learning rates in a [`ZooMapDoc`].
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooEdge {
    /// The row value.
    pub y: f64,
    /// Smallest stable lr (exclusive); `None` when none is stable.
    pub lr_lo: Option<f64>,
    /// Largest stable lr (exclusive); `None` when none is stable or every lr is.
    pub lr_hi: Option<f64>,
}

/// A marked setting of a [`ZooMapDoc`].
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooMark {
    /// lr.
    pub lr: f64,
    /// The row value.
    pub y: f64,
    /// Its worst-case rate per step.
    pub rate: f64,
    /// Whether stable.
    pub stable: bool,
}

/// The document of an order-n optimizer's map (`map --convention X --json` and Python's
/// `zoo_map`, less the timing).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZooMapDoc {
    /// [`crate::setting::SCHEMA`].
    pub schema: &'static str,
    /// The convention.
    pub convention: Framework,
    /// The optimizer's hyperparameters at the centre cell (`optimizer` names it).
    pub optimizer: Optimizer,
    /// The row axis's name ([`ZooAxis::name`]).
    pub axis: &'static str,
    /// Cells along lr and along the row axis.
    pub grid: [usize; 2],
    /// The smallest curvature analysed.
    pub mu: f64,
    /// The largest.
    #[cfg_attr(feature = "serde", serde(rename = "L"))]
    pub l: f64,
    /// The largest lr of the axis.
    pub lr_max: f64,
    /// The smallest lr of a logarithmic axis (`None`: uniform on (0, lr_max]).
    pub lr_min: Option<f64>,
    /// The row axis's ends.
    pub y_range: [f64; 2],
    /// Counts over the cells.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub summary: Summary,
    /// The stable cell with the smallest rate: [lr, y, rate] (`None`: no stable cell).
    pub best_cell: Option<[f64; 3]>,
    /// Per row, its stable learning rates ([`ZooGrid::stable_lrs`]).
    pub edge: Vec<ZooEdge>,
    /// The marked settings.
    pub marks: Vec<ZooMark>,
    /// What a user should know.
    pub notes: Vec<String>,
}

/// An order-n optimizer's map from a setting and a request, with its document: the spectrum
/// resolved as `analyze --convention X` resolves it (flat and negative curvatures of a list set
/// apart; AdEMAMix's preconditioned Hessian), so a cell's rate is `analyze`'s `spectral_radius`
/// at the cell's lr and y, bit for bit.
///
/// # Examples
///
/// ```
/// use momentum::{Framework, Precision, Spectrum};
/// use momentum::setting::{Input, Setting};
/// use momentum::map::zoo::{ZooMapRequest, run};
/// let s = Setting { framework: Framework::ScheduleFree, ..Setting::default() };
/// let input = Input::Spectrum(Spectrum::eigenvalues(vec![1.0])?, Precision::Float64);
/// let req = ZooMapRequest { grid: (40, 10), lr_max: Some(40.0), ..Default::default() };
/// let (_, doc) = run(&s, input, &req, None)?;
/// // the fast mode z − 1 + lr·λ(1 − b₁) is stable for lr < 2/(1 − b₁)
/// assert!((doc.edge[0].lr_hi.unwrap() - 2.0 / (1.0 - 0.05)).abs() < 1e-9);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// What [`ZooGrid::new`], [`GridSpec::new`], [`GridSpec::log_steps`] and [`ZooMap::compute`]
/// refuse; `lr_max` and `h_max` both given; `h_max` with L ≤ 0; no bounded stable lr to default
/// the lr axis to.
pub fn run(
    setting: &Setting,
    input: crate::setting::Input,
    req: &ZooMapRequest,
    progress: Option<Progress>,
) -> Result<(ZooMap, ZooMapDoc)> {
    use crate::method::Family;
    use crate::setting::{Curvatures, Input};
    use crate::spectrum::Precision;
    let f = setting.framework;
    let (full, precision) = match input {
        Input::Spectrum(s, p) => (s, p),
        Input::Preconditioned {
            hessian,
            preconditioner,
        } => {
            if !f.is_preconditioned() {
                return Err(Error::Usage(format!(
                    "a preconditioner applies to adam, adamw, rmsprop or ademamix, not {f}"
                )));
            }
            (preconditioner.spectrum(&hessian)?.0, Precision::Float64)
        }
    };
    let c = Curvatures::split(full, req.flat_tol, precision, 0.0)?;
    let spectrum = c.spectrum;
    let mut notes = c.notes;
    let (lo, hi) = spectrum.bounds();
    let axis = req.axis.unwrap_or(ZooAxis::Momentum);
    let range = req.y_range.unwrap_or((0.0, 1.0));
    let probe = ZooGrid::new(
        setting,
        axis,
        GridSpec::new(Family::HeavyBall, 1.0, range, req.grid)?,
    )?;
    let lr_max = match (req.lr_max, req.h_max) {
        (Some(x), None) => x,
        (None, Some(h)) => {
            if hi <= 0.0 {
                return Err(Error::Usage(
                    "--h-max needs a positive largest curvature L (h = lr*L); use --lr-max".into(),
                ));
            }
            h / hi
        }
        (None, None) => {
            let widest = default_lr_max(&probe, &spectrum)?.ok_or_else(|| {
                Error::Usage(
                    "no bounded stable learning rate to scale the lr axis by: give --lr-max".into(),
                )
            })?;
            let widest = req.marks.iter().map(|m| 1.25 * m.0).fold(widest, f64::max);
            notes.push(format!(
                "largest lr {widest}: 1.25x the largest stable lr at 90% of the {} range (or past the widest mark); --lr-max not given",
                axis.name(f)
            ));
            widest
        }
        _ => {
            return Err(Error::Usage(
                "give --lr-max A or --h-max H, not both".into(),
            ));
        }
    };
    let mut axes = GridSpec::new(Family::HeavyBall, lr_max, range, req.grid)?;
    if req.log_lr {
        let lr_min = req.lr_min.unwrap_or_else(|| {
            req.marks
                .iter()
                .map(|m| 0.5 * m.0)
                .filter(|&x| x > 0.0)
                .fold(lr_max * 1e-4, f64::min)
        });
        axes = axes.log_steps(lr_min)?;
    } else if req.lr_min.is_some() {
        return Err(Error::Usage("--lr-min needs --log-lr".into()));
    }
    let grid = ZooGrid::new(&probe.setting, axis, axes)?;
    let map = ZooMap::compute(&grid, &spectrum, progress)?;
    let (n, m) = axes.shape();
    let edge = (0..m)
        .map(|j| {
            let y = axes.momentum(j);
            let iv = grid.stable_lrs(y, &spectrum)?;
            Ok(ZooEdge {
                y,
                lr_lo: iv.map(|v| v.lo),
                lr_hi: iv.map(|v| v.hi).filter(|h| h.is_finite()),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let marks = req
        .marks
        .iter()
        .map(|&(lr, y)| {
            let w = grid.method(lr, y)?.worst_case(&spectrum)?;
            Ok(ZooMark {
                lr,
                y,
                rate: w.spectral_radius,
                stable: w.stable,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let best_cell = (0..n * m)
        .filter(|&k| map.stable[k])
        .min_by(|&a, &b| map.radius[a].total_cmp(&map.radius[b]))
        .map(|k| [axes.step(k % n), axes.momentum(k / n), map.radius[k]]);
    let centre = grid.method(axes.step(n / 2), axes.momentum(m / 2))?;
    notes.push(format!(
        "every cell is the worst case over the spectrum of {f} at the cell's lr and {} (analyze --convention {f} at those parameters)",
        axis.name(f)
    ));
    if f == Framework::Aggmo && axis == ZooAxis::Momentum {
        notes.push("aggmo: the rows sweep the last of --momenta, the others held".into());
    }
    if let Optimizer::Lookahead { .. } = centre.optimizer() {
        notes.push(
            "lookahead: the rate is per inner step, rho(M)^(1/k) of the k-step monodromy".into(),
        );
    }
    if let Optimizer::ScheduleFree { .. } = centre.optimizer() {
        notes.push("schedule-free: the rate is the fast mode of the asymptotic system (c_t -> 0); the averaged iterate decays like a power of t".into());
    }
    let summary = map.summary();
    let doc = ZooMapDoc {
        schema: crate::setting::SCHEMA,
        convention: f,
        optimizer: centre.optimizer().clone(),
        axis: axis.name(f),
        grid: [n, m],
        mu: lo,
        l: hi,
        lr_max,
        lr_min: axes.step_min(),
        y_range: [range.0, range.1],
        summary,
        best_cell,
        edge,
        marks,
        notes,
    };
    Ok((map, doc))
}
