//! Stability maps of the (step, momentum) plane: the worst-case spectral radius over a spectrum at
//! every cell of a grid, with the regime at each end of the spectrum.
//!
//! By the endpoint theorem ([`crate::spectrum`]) a cell costs two 2×2 root problems whatever the
//! spectrum: about 30 floating-point operations and one square root per endpoint (none for the
//! provably unstable cells of a summary). Rows (one momentum each) are computed in parallel with
//! rayon by the grid driver ([`rows`], [`each_row`]: the one row dispatch of every map kind), each
//! by the widest kernel copy the CPU runs (AVX-512F, AVX2 or the baseline, detected at run time); a
//! summary map stores nothing per cell, a full map writes into one preallocated buffer of 9 bytes
//! per cell.
//!
//! Cells are sampled at their centres, as the NumPy peer script does (docs/DESIGN.md): step αᵢ = α_max(i + ½)/N on
//! (0, α_max], momentum βⱼ = β_min + (β_max − β_min)(j + ½)/M.

use crate::error::{Error, Result, finite, positive};
use crate::method::Family;
use crate::mode::Regime;
use crate::spectrum::Spectrum;
use std::convert::Infallible;

mod driver;
pub mod framework;
mod kernel;
pub mod zoo;

pub use driver::{RowBuffers, cells, each_row, rows};

/// Largest number of cells a full (stored) map may have: 2²⁸ = 268 million cells, 2.4 GB at 9 bytes
/// each — a 16384 × 16384 grid. Past that the buffer alone would crowd a 24 GiB machine running
/// anything else; summaries store nothing per cell and allow [`MAX_SUMMARY_CELLS`].
pub const MAX_STORED_CELLS: u64 = 1 << 28;

/// Largest number of cells a summary map may have: 2³⁴ (131072², about a minute on two cores).
pub const MAX_SUMMARY_CELLS: u64 = 1 << 34;

/// What to compute: the family, the axes and the resolution.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GridSpec {
    family: Family,
    /// Smallest step of a logarithmic step axis; `None` for the uniform axis (0, step_max].
    step_min: Option<f64>,
    step_max: f64,
    momentum_min: f64,
    momentum_max: f64,
    n_step: usize,
    n_momentum: usize,
}

impl GridSpec {
    /// Steps at the centres of `n_step` cells of (0, `step_max`], momenta at the centres of
    /// `n_momentum` cells of (`momentum_min`, `momentum_max`).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, map::GridSpec};
    /// let spec = GridSpec::new(Family::HeavyBall, 0.04, (0.0, 1.0), (64, 32))?;
    /// assert_eq!(spec.shape(), (64, 32));
    /// assert_eq!(spec.step(0), 0.04 * 0.5 / 64.0);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A step range that is not finite and > 0, a momentum range that is empty or not finite, an
    /// axis with no cells, or more than [`MAX_SUMMARY_CELLS`] cells ([`Error::TooLarge`]).
    pub fn new(
        family: Family,
        step_max: f64,
        (momentum_min, momentum_max): (f64, f64),
        (n_step, n_momentum): (usize, usize),
    ) -> Result<Self> {
        positive("lr-max", step_max)?;
        finite("momentum-min", momentum_min)?;
        finite("momentum-max", momentum_max)?;
        if let Family::Lookahead(g) = family {
            finite("lookahead", g)?;
        }
        if momentum_min >= momentum_max {
            return Err(Error::OutOfRange {
                name: "momentum-min",
                value: momentum_min,
                expected: "must be below momentum-max",
            });
        }
        for (name, n) in [("grid", n_step), ("grid-momentum", n_momentum)] {
            if n == 0 {
                return Err(Error::OutOfRange {
                    name,
                    value: 0.0,
                    expected: "at least one cell per axis",
                });
            }
        }
        let cells = n_step as u64 * n_momentum as u64;
        if cells > MAX_SUMMARY_CELLS {
            return Err(Error::TooLarge {
                cells,
                limit: MAX_SUMMARY_CELLS,
            });
        }
        Ok(GridSpec {
            family,
            step_min: None,
            step_max,
            momentum_min,
            momentum_max,
            n_step,
            n_momentum,
        })
    }

    /// The same grid with a logarithmic step axis [`step_min`, step_max]: column i's step is
    /// step_min·(step_max/step_min)^((i + ½)/n), the centre of its cell in log α — for
    /// ill-conditioned spectra, whose useful steps span decades.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, map::GridSpec};
    /// let spec = GridSpec::new(Family::HeavyBall, 1.0, (0.0, 1.0), (4, 8))?.log_steps(1e-4)?;
    /// assert!((spec.step(0) - 10f64.powf(-3.5)).abs() < 1e-18);
    /// assert!((spec.step(3) - 10f64.powf(-0.5)).abs() < 1e-15);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `step_min` not finite, not positive, or not below the largest step
    /// ([`Error::OutOfRange`]).
    pub fn log_steps(self, step_min: f64) -> Result<Self> {
        positive("lr-min", step_min)?;
        if step_min >= self.step_max {
            return Err(Error::OutOfRange {
                name: "lr-min",
                value: step_min,
                expected: "below lr-max",
            });
        }
        Ok(GridSpec {
            step_min: Some(step_min),
            ..self
        })
    }

    /// The smallest step of a logarithmic step axis, `None` for a uniform one.
    pub fn step_min(&self) -> Option<f64> {
        self.step_min
    }

    /// The family.
    pub fn family(&self) -> Family {
        self.family
    }
    /// (cells along the step axis, cells along the momentum axis).
    pub fn shape(&self) -> (usize, usize) {
        (self.n_step, self.n_momentum)
    }
    /// Largest step (edge of the last cell).
    pub fn step_max(&self) -> f64 {
        self.step_max
    }
    /// Momentum axis range.
    pub fn momentum_range(&self) -> (f64, f64) {
        (self.momentum_min, self.momentum_max)
    }
    /// Step at the centre of column i.
    #[inline]
    pub fn step(&self, i: usize) -> f64 {
        let t = (i as f64 + 0.5) / self.n_step as f64;
        match self.step_min {
            None => self.step_max * (i as f64 + 0.5) / self.n_step as f64,
            Some(lo) => lo * (self.step_max / lo).powf(t),
        }
    }
    /// Momentum at the centre of row j.
    #[inline]
    pub fn momentum(&self, j: usize) -> f64 {
        self.momentum_min
            + (self.momentum_max - self.momentum_min) * (j as f64 + 0.5) / self.n_momentum as f64
    }
    /// Cell width along (step, momentum); on a logarithmic step axis the step width is that of
    /// log α.
    pub fn cell_size(&self) -> (f64, f64) {
        if let Some(lo) = self.step_min {
            return (
                (self.step_max / lo).ln() / self.n_step as f64,
                (self.momentum_max - self.momentum_min) / self.n_momentum as f64,
            );
        }
        (
            self.step_max / self.n_step as f64,
            (self.momentum_max - self.momentum_min) / self.n_momentum as f64,
        )
    }
}

/// The widest kernel copy this CPU runs: `"avx512f"`, `"avx2"` or `"baseline"` (SSE2 on x86_64,
/// the target's own elsewhere), detected at run time. Every copy gives the same bits.
///
/// # Examples
///
/// ```
/// assert!(["avx512f", "avx2", "baseline"].contains(&momentum::map::kernel_copy()));
/// ```
pub fn kernel_copy() -> &'static str {
    kernel::widest()
}

/// Counts over a map.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Summary {
    /// Number of cells.
    pub cells: u64,
    /// Cells with worst-case ρ < 1.
    pub stable_cells: u64,
    /// stable_cells / cells.
    pub stable_fraction: f64,
    /// Sum of the worst-case ρ over stable cells (the NumPy peer's checksum).
    pub checksum: f64,
}

/// Which end of the spectrum is worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Endpoint {
    /// λ = μ (smallest curvature).
    Lo,
    /// λ = L (largest curvature).
    Hi,
}

/// One cell of a full map.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Cell {
    /// Step at the cell centre.
    pub step: f64,
    /// Momentum at the cell centre.
    pub momentum: f64,
    /// Worst-case spectral radius over the spectrum.
    pub radius: f64,
    /// radius < 1.
    pub stable: bool,
    /// Regime at the smallest curvature.
    pub regime_lo: Regime,
    /// Regime at the largest curvature.
    pub regime_hi: Regime,
    /// The endpoint attaining the worst case (Hi on a tie).
    pub worst: Endpoint,
}

/// A computed map: worst-case radius and packed regimes, row-major (row = momentum).
#[derive(Clone, Debug)]
pub struct StabilityMap {
    spec: GridSpec,
    bounds: (f64, f64),
    radius: Vec<f64>,
    flags: Vec<u8>,
}

const REGIMES: [Regime; 4] = [
    Regime::Underdamped,
    Regime::CriticallyDamped,
    Regime::Overdamped,
    Regime::Alternating,
];

fn regime_code(r: Regime) -> u8 {
    match r {
        Regime::Underdamped => 0,
        Regime::CriticallyDamped => 1,
        Regime::Overdamped => 2,
        Regime::Alternating => 3,
    }
}

/// A progress observer: called with the number of grid rows (or simulation steps) just
/// completed, from any thread.
///
/// It is an argument (`progress: Option<Progress>`) of the computations that take a while, with
/// one body each: [`FrameworkMap::compute`](framework::FrameworkMap::compute),
/// [`crate::simulate::run_from`] and [`crate::simulate::run_noisy`] take it directly;
/// [`StabilityMap::compute`] and [`summary`], called everywhere without one, are the
/// no-observer conveniences of [`StabilityMap::compute_with_progress`] and
/// [`summary_with_progress`].
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// Worst-case ρ, stable count and checksum without storing any cell.
///
/// # Examples
///
/// ```
/// use momentum::{Family, Spectrum, map::{GridSpec, summary}};
/// let spec = GridSpec::new(Family::HeavyBall, 0.04, (0.0, 1.0), (64, 32))?;
/// let s = summary(&spec, &Spectrum::interval(1.0, 100.0)?);
/// // heavy ball is stable for αL < 2(1 + β): the triangle below the diagonal of this grid
/// assert_eq!(s.cells, 2048);
/// assert!((s.stable_fraction - 0.75).abs() < 0.05);
/// # Ok::<(), momentum::Error>(())
/// ```
pub fn summary(spec: &GridSpec, spectrum: &Spectrum) -> Summary {
    summary_with_progress(spec, spectrum, None)
}

/// [`summary`], reporting each finished momentum row to `progress`.
pub fn summary_with_progress(
    spec: &GridSpec,
    spectrum: &Spectrum,
    progress: Option<Progress>,
) -> Summary {
    let (lo, hi) = spectrum.bounds();
    // the step axis once per map (one allocation, no division per cell)
    let axis = kernel::Axis::new((0..spec.n_step).map(|i| spec.step(i)).collect(), lo, hi);
    // rows in parallel, summed in row order: the same bits on any number of threads (a
    // parallel reduce would associate the sum as the work happened to split)
    let Ok(per_row) = rows(spec.n_momentum, 1, progress, |j, out: &mut [(u64, f64)]| {
        out[0] = kernel::row_summary(&axis, spec.family.momentum_lookahead(spec.momentum(j)));
        Ok::<(), Infallible>(())
    });
    let add = |a: (u64, f64), b: (u64, f64)| (a.0 + b.0, a.1 + b.1);
    let (stable_cells, checksum) = per_row.into_iter().fold((0, 0.0), add);
    let cells = spec.n_step as u64 * spec.n_momentum as u64;
    Summary {
        cells,
        stable_cells,
        stable_fraction: stable_cells as f64 / cells as f64,
        checksum,
    }
}

impl StabilityMap {
    /// Compute every cell (at most [`MAX_STORED_CELLS`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Spectrum, map::{GridSpec, StabilityMap}};
    /// let spec = GridSpec::new(Family::Nesterov, 0.04, (0.0, 1.0), (64, 32))?;
    /// let map = StabilityMap::compute(&spec, &Spectrum::interval(1.0, 100.0)?)?;
    /// assert!(map.cell(0, 0).stable && !map.cell(63, 31).stable);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// More than [`MAX_STORED_CELLS`] cells ([`Error::TooLarge`]).
    pub fn compute(spec: &GridSpec, spectrum: &Spectrum) -> Result<Self> {
        Self::compute_with_progress(spec, spectrum, None)
    }

    /// [`StabilityMap::compute`], reporting each finished momentum row to `progress`.
    pub fn compute_with_progress(
        spec: &GridSpec,
        spectrum: &Spectrum,
        progress: Option<Progress>,
    ) -> Result<Self> {
        let cells = spec.n_step as u64 * spec.n_momentum as u64;
        if cells > MAX_STORED_CELLS {
            return Err(Error::TooLarge {
                cells,
                limit: MAX_STORED_CELLS,
            });
        }
        let n = cells as usize;
        let mut map = StabilityMap {
            spec: *spec,
            bounds: spectrum.bounds(),
            radius: vec![0.0f64; n],
            flags: vec![0u8; n],
        };
        map.fill(progress);
        Ok(map)
    }

    /// Compute `spec` over `spectrum` again into this map's buffers, reallocating only if the
    /// grid has more cells than they hold: what a caller that redraws a map many times (or a
    /// benchmark timing the kernel alone, as `benches/peers.rs` does) wants, since a fresh
    /// 9-byte-per-cell buffer costs page faults on every first touch. The result equals
    /// [`StabilityMap::compute`]`(spec, spectrum)` cell for cell.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Spectrum, map::{GridSpec, StabilityMap}};
    /// let spectrum = Spectrum::interval(1.0, 100.0)?;
    /// let a = GridSpec::new(Family::HeavyBall, 0.04, (0.0, 1.0), (64, 32))?;
    /// let b = GridSpec::new(Family::Nesterov, 0.04, (0.0, 1.0), (64, 32))?;
    /// let mut map = StabilityMap::compute(&a, &spectrum)?;
    /// map.recompute(&b, &spectrum)?;
    /// assert_eq!(map.radii(), StabilityMap::compute(&b, &spectrum)?.radii());
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// More than [`MAX_STORED_CELLS`] cells ([`Error::TooLarge`]); the map is unchanged then.
    pub fn recompute(&mut self, spec: &GridSpec, spectrum: &Spectrum) -> Result<()> {
        let cells = spec.n_step as u64 * spec.n_momentum as u64;
        if cells > MAX_STORED_CELLS {
            return Err(Error::TooLarge {
                cells,
                limit: MAX_STORED_CELLS,
            });
        }
        self.spec = *spec;
        self.bounds = spectrum.bounds();
        self.radius.resize(cells as usize, 0.0);
        self.flags.resize(cells as usize, 0);
        self.fill(None);
        Ok(())
    }

    /// Every cell of `self.spec` over `self.bounds` into the (correctly sized) buffers.
    fn fill(&mut self, progress: Option<Progress>) {
        let spec = self.spec;
        let (lo, hi) = self.bounds;
        let steps: Vec<f64> = (0..spec.n_step).map(|i| spec.step(i)).collect();
        let steps = kernel::Steps::new(&steps);
        let buffers = (&mut self.radius[..], &mut self.flags[..]);
        let Ok(()) = each_row(buffers, spec.n_step, progress, |j, (rrow, frow)| {
            let bg = spec.family.momentum_lookahead(spec.momentum(j));
            kernel::row_stored(steps, bg, lo, hi, rrow, frow);
            Ok::<(), Infallible>(())
        });
    }

    /// The grid.
    pub fn spec(&self) -> &GridSpec {
        &self.spec
    }
    /// (μ, L) the map was computed over.
    pub fn bounds(&self) -> (f64, f64) {
        self.bounds
    }
    /// Worst-case ρ, row-major (row j = momentum j, column i = step i).
    pub fn radii(&self) -> &[f64] {
        &self.radius
    }

    /// Cell at step column i, momentum row j.
    pub fn cell(&self, i: usize, j: usize) -> Cell {
        let k = j * self.spec.n_step + i;
        let f = self.flags[k];
        let radius = self.radius[k];
        Cell {
            step: self.spec.step(i),
            momentum: self.spec.momentum(j),
            radius,
            stable: radius < 1.0,
            regime_lo: REGIMES[(f & 3) as usize],
            regime_hi: REGIMES[((f >> 2) & 3) as usize],
            worst: if f & 16 != 0 {
                Endpoint::Lo
            } else {
                Endpoint::Hi
            },
        }
    }

    /// The same counts as [`summary`], from the stored cells (rows summed in parallel, then in
    /// row order: the same bits as a serial pass).
    pub fn summary(&self) -> Summary {
        let n = self.spec.n_step;
        let Ok(per_row) = rows(
            self.spec.n_momentum,
            1,
            None,
            |j, out: &mut [(u64, f64)]| {
                out[0] = self.radius[j * n..(j + 1) * n]
                    .iter()
                    .filter(|r| **r < 1.0)
                    .fold((0u64, 0.0f64), |(c, s), r| (c + 1, s + r));
                Ok::<(), Infallible>(())
            },
        );
        let (mut count, mut sum) = (0u64, 0.0f64);
        for (c, s) in per_row {
            count += c;
            sum += s;
        }
        let cells = self.radius.len() as u64;
        Summary {
            cells,
            stable_cells: count,
            stable_fraction: count as f64 / cells as f64,
            checksum: sum,
        }
    }
}
