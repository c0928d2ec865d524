//! Stability maps in a framework's own arguments: the plane of its learning rate (x axis) and its
//! momentum or β₁ (y axis), every other argument held fixed (Nesterov switch, dampening, weight
//! decay, QHM's ν).
//!
//! Every cell goes the way a single setting goes through `analyze`: the framework's arguments
//! are converted to the four-number recurrence by [`Framework::convert`] (the one conversion table,
//! weight decay included: coupled decay shifts the curvature, decoupled decay changes the constant
//! terms), and the worst case over the spectrum is taken by [`Spectrum::worst_case`] (the endpoint
//! theorem, exact stability verdict). For Adam, AdamW and RMSprop the spectrum must be the
//! preconditioned one, P^{-1/2}HP^{-1/2} ([`crate::precondition`]).
//!
//! At a fixed momentum every convention's recurrence is affine in lr, so the stable learning rates
//! of a row form one interval, found exactly by [`crate::stability::stable_steps`]
//! ([`FrameworkGrid::stable_lrs`]): that is the stability edge in the framework's plane.
//!
//! The axes are those of a [`GridSpec`] (cell centres, uniform or logarithmic lr axis); the grid's
//! family is not used — the framework and its switches decide the method.

use super::{
    Cell, Endpoint, GridSpec, MAX_STORED_CELLS, Progress, REGIMES, Summary, each_row, regime_code,
};
use crate::convention::{Converted, Framework, FrameworkParams};
use crate::error::{Error, Result};
use crate::spectrum::{Spectrum, WorstCase};
use crate::stability::{StepInterval, stable_steps};

/// A framework, its fixed arguments, and the (lr, momentum) axes to sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameworkGrid {
    framework: Framework,
    fixed: FrameworkParams,
    axes: GridSpec,
}

impl FrameworkGrid {
    /// Sweep `framework`'s lr along the step axis of `axes` and its momentum (β₁ for Adam) along
    /// the momentum axis, holding the rest of `fixed` (`fixed.lr` and `fixed.momentum` are
    /// replaced cell by cell). The four corner cells are converted here, so arguments the
    /// framework rejects fail before any work is done.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Framework, FrameworkParams, map::GridSpec, map::framework::FrameworkGrid};
    /// let axes = GridSpec::new(Family::HeavyBall, 0.05, (0.0, 1.0), (50, 20))?;
    /// let fixed = FrameworkParams { weight_decay: Some(5e-4), ..Default::default() };
    /// let grid = FrameworkGrid::new(Framework::PyTorch, fixed, axes)?;
    /// assert_eq!(grid.params(0, 0).lr, 0.0005);
    /// assert_eq!(grid.params(0, 0).momentum, Some(0.025));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A corner cell the framework rejects ([`Error::Convention`], e.g. a negative momentum in
    /// PyTorch, β₁ ≥ 1 in Adam, Nesterov in the EWMA form), or more than [`MAX_STORED_CELLS`]
    /// cells ([`Error::TooLarge`]).
    pub fn new(framework: Framework, fixed: FrameworkParams, axes: GridSpec) -> Result<Self> {
        let (n, m) = axes.shape();
        let cells = n as u64 * m as u64;
        if cells > MAX_STORED_CELLS {
            return Err(Error::TooLarge {
                cells,
                limit: MAX_STORED_CELLS,
            });
        }
        let grid = FrameworkGrid {
            framework,
            fixed,
            axes,
        };
        let (b0, b1) = axes.momentum_range();
        for (i, j) in [(0, 0), (n - 1, 0), (0, m - 1), (n - 1, m - 1)] {
            grid.convert(i, j).map_err(|e| match e {
                // name the axis the user gave, not only the cell centre
                Error::Convention { framework, reason } => Error::Convention {
                    framework,
                    reason: format!(
                        "{reason} (cell lr = {}, momentum = {} of the momentum axis ({b0}, {b1}))",
                        axes.step(i),
                        axes.momentum(j)
                    ),
                },
                e => e,
            })?;
        }
        Ok(grid)
    }

    /// The framework.
    pub fn framework(&self) -> Framework {
        self.framework
    }
    /// The fixed arguments (lr and momentum are the axes').
    pub fn fixed(&self) -> &FrameworkParams {
        &self.fixed
    }
    /// The axes: lr at [`GridSpec::step`], momentum at [`GridSpec::momentum`].
    pub fn axes(&self) -> &GridSpec {
        &self.axes
    }

    /// The framework arguments of cell (lr column i, momentum row j).
    pub fn params(&self, i: usize, j: usize) -> FrameworkParams {
        self.at(self.axes.step(i), self.axes.momentum(j))
    }

    /// The fixed arguments with this lr and momentum.
    pub fn at(&self, lr: f64, momentum: f64) -> FrameworkParams {
        FrameworkParams {
            lr,
            momentum: Some(momentum),
            ..self.fixed
        }
    }

    /// Cell (i, j) in canonical form ([`Framework::convert`]).
    ///
    /// # Errors
    ///
    /// What [`Framework::convert`] rejects.
    pub fn convert(&self, i: usize, j: usize) -> Result<Converted> {
        self.framework.convert(&self.params(i, j))
    }

    /// The learning rates (in this framework's terms) that are stable over `spectrum` at this
    /// momentum, the other arguments fixed: an open interval (lo, hi), `None` when there is none.
    /// The recurrence is affine in lr at a fixed momentum for every convention, so this is
    /// [`stable_steps`] on the converted recurrence: exact, e.g. 2(1 + β)/(L(1 − β)) for the EWMA
    /// form and (2 + 2β₁)/(S(1 − β₁)) for Adam at preconditioned sharpness S.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Framework, FrameworkParams, Spectrum};
    /// use momentum::map::{GridSpec, framework::FrameworkGrid};
    /// let axes = GridSpec::new(Family::HeavyBall, 1.0, (0.0, 1.0), (4, 4))?;
    /// let grid = FrameworkGrid::new(Framework::Adam, FrameworkParams::default(), axes)?;
    /// // Cohen et al. (2022): Adam at beta1 = 0.9 is stable below a sharpness of 38/lr
    /// let iv = grid.stable_lrs(0.9, &Spectrum::interval(1.0, 380.0)?)?.unwrap();
    /// assert!((iv.hi - 0.1).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A momentum the framework rejects ([`Framework::convert`]).
    pub fn stable_lrs(&self, momentum: f64, spectrum: &Spectrum) -> Result<Option<StepInterval>> {
        stable_steps(spectrum, |lr| {
            self.framework.recurrence(&self.at(lr, momentum))
        })
    }
}

/// A computed framework map: the worst-case ρ and the exact stability verdict of every cell,
/// row-major (row j = momentum j, column i = lr i).
#[derive(Clone, Debug)]
pub struct FrameworkMap {
    grid: FrameworkGrid,
    bounds: (f64, f64),
    radius: Vec<f64>,
    /// bits 0–1 regime at μ, 2–3 regime at L, 4 worst at μ, 5 stable.
    flags: Vec<u8>,
}

fn cell_of(grid: &FrameworkGrid, spectrum: &Spectrum, i: usize, j: usize) -> Result<WorstCase> {
    spectrum.worst_case(&grid.convert(i, j)?.recurrence)
}

impl FrameworkMap {
    /// Every cell: convert, then the worst case over `spectrum` (rows in parallel under the
    /// `parallel` feature), telling the observer `progress` of each finished momentum row.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Framework, FrameworkParams, Spectrum};
    /// use momentum::map::{GridSpec, framework::{FrameworkGrid, FrameworkMap}};
    /// // the EWMA course form at lr 0.5 is heavy ball at step 0.5(1 − β)
    /// let axes = GridSpec::new(Family::HeavyBall, 1.0, (0.0, 1.0), (2, 2))?;
    /// let grid = FrameworkGrid::new(Framework::Ewma, FrameworkParams::default(), axes)?;
    /// let s = Spectrum::interval(0.5, 4.0)?;
    /// let map = FrameworkMap::compute(&grid, &s, None)?;
    /// let want = momentum::Method::heavy_ball(0.75 * 0.75, 0.75)?.worst_case(&s)?;
    /// assert_eq!(map.cell(1, 1).radius, want.spectral_radius());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A cell the framework rejects ([`Framework::convert`]; the first in row order), or coefficients
    /// beyond f64 ([`Error::CoefficientOverflow`]).
    pub fn compute(
        grid: &FrameworkGrid,
        spectrum: &Spectrum,
        progress: Option<Progress>,
    ) -> Result<Self> {
        let (n, m) = grid.axes.shape();
        let mut radius = vec![0.0f64; n * m];
        let mut flags = vec![0u8; n * m];
        each_row(
            (&mut radius[..], &mut flags[..]),
            n,
            progress,
            |j, (rrow, frow): (&mut [f64], &mut [u8])| {
                for i in 0..n {
                    let w = cell_of(grid, spectrum, i, j)?;
                    let lo_worse = w.at_lo.spectral_radius() > w.at_hi.spectral_radius();
                    rrow[i] = w.spectral_radius();
                    frow[i] = regime_code(w.at_lo.regime())
                        | regime_code(w.at_hi.regime()) << 2
                        | u8::from(lo_worse) << 4
                        | u8::from(w.is_stable()) << 5;
                }
                Ok(())
            },
        )?;
        Ok(FrameworkMap {
            grid: *grid,
            bounds: spectrum.bounds(),
            radius,
            flags,
        })
    }

    /// The grid.
    pub fn grid(&self) -> &FrameworkGrid {
        &self.grid
    }
    /// (smallest, largest) curvature the map was computed over (preconditioned for Adam's family).
    pub fn bounds(&self) -> (f64, f64) {
        self.bounds
    }
    /// Worst-case ρ, row-major (row j = momentum j, column i = lr i).
    pub fn radii(&self) -> &[f64] {
        &self.radius
    }

    /// Cell at lr column i, momentum row j: `step` is the framework's lr, `momentum` its momentum
    /// (β₁ for Adam), `stable` the exact verdict of [`WorstCase::is_stable`].
    pub fn cell(&self, i: usize, j: usize) -> Cell {
        let (n, _) = self.grid.axes.shape();
        let k = j * n + i;
        let f = self.flags[k];
        Cell {
            step: self.grid.axes.step(i),
            momentum: self.grid.axes.momentum(j),
            radius: self.radius[k],
            stable: f & 32 != 0,
            regime_lo: REGIMES[(f & 3) as usize],
            regime_hi: REGIMES[((f >> 2) & 3) as usize],
            worst: if f & 16 != 0 {
                Endpoint::Lo
            } else {
                Endpoint::Hi
            },
        }
    }

    /// Cells stable by the exact verdict, their fraction, and Σρ over them.
    pub fn summary(&self) -> Summary {
        let (count, sum) = self
            .radius
            .iter()
            .zip(&self.flags)
            .filter(|(_, f)| **f & 32 != 0)
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
