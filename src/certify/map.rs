//! Certified-rate maps: the (step, momentum) plane of a family ([`GridSpec`]: heavy ball,
//! Nesterov, a fixed lookahead, gradient descent) with, at every cell, the worst-case spectral
//! radius on quadratics with spectrum in [μ, L], the rate certified on the whole class
//! F(μ, L) by the frequency route of [`crate::certify`] (or none), and where no rate is
//! certified, a cycle on some f ∈ F(μ, L) ([`crate::certify::counter`]) if the search finds one.
//!
//! Every cell is in one of four zones ([`Status`]):
//! - **certified**: a rate < 1 holds on every f ∈ F(μ, L): the one-step frequency certificate,
//!   or where it fails and no cycle is found, a lifted one ([`crate::certify::lifted`], window
//!   [`DEFAULT_WINDOW`] unless [`CertifiedMap::compute_window`] says otherwise, checked exactly);
//!   a cell certified by the one-step route keeps that rate (an upper bound on the lifted one);
//! - **unstable** on quadratics (ρ_quad ≥ 1): diverges on a quadratic, which is in the class —
//!   proven divergent, kept apart so the quadratic edge shows;
//! - **counterexample**: stable on every quadratic, but a cycle of the method on some
//!   f ∈ F(μ, L) exists *at this cell's parameters*: the cell's own witness passed
//!   [`counter::verify`] (exact rationals). No monotonicity is assumed: every cell so marked has
//!   its verified witness ([`CertifiedMap::cycle`]);
//! - **undecided**: neither a certificate nor a cycle was found (proves nothing either way).
//!
//! The cycle search is the cost (a failed [`counter::find_cycle`] is about a millisecond), so a
//! row is walked from the right end of each run of uncertified stable cells (the quadratic
//! edge, where cycles are) leftwards: each cell first continues its right neighbour's cycle
//! ([`counter::continue_cycle`], a few merit evaluations and one exact check), and only when
//! that fails runs the full search; the first cell where the full search fails too ends the
//! walk, and it and the rest of the run (to its left) are undecided. So per run one failed
//! full search, whatever the grid — the lower end of the counterexample zone is where the
//! search stops, not a proven boundary: cells left of it are undecided, not certified.
//!
//! Three things make a map cheap (measured in `benches/certify.rs`):
//! - a cell unstable on quadratics (ρ_quad ≥ 1) needs no certificate search: a certified rate is
//!   never below the quadratic one, as quadratics are in the class;
//! - the feasibility test at ρ maximises the concave function f(t) = min_c Φ_t(c) over the
//!   multiplier ratio t ∈ [0, 1] (a minimum of functions affine in t) by cutting planes: each
//!   evaluation gives f(t) and a supergradient −p₁(c*), it stops at the first t with f(t) > 0
//!   (feasible), and declares infeasibility only when the two tangents prove max f ≤ 0 — exact
//!   where the default route's golden section is a search;
//! - each cell's bisection on ρ is warm-started from its left neighbour's rate (galloping out
//!   from it until the bracket [infeasible, feasible] is found, then bisecting to
//!   [`RATE_TOLERANCE`]). Every reported rate is feasible as tested, and the bracket's lower
//!   end infeasible, exactly as in a cold bisection on (ρ_quad, 1]; the two agree whenever
//!   feasibility is monotone in ρ (the assumption of any bisection; tested cell by cell against
//!   [`CertifiedMap::compute_cold`] and single [`crate::certify::certified_rate`] calls).
//!
//! Rows (one momentum each) are computed by the grid driver [`crate::map::rows`] (in parallel
//! under the feature `parallel`).

use super::counter::{self, Cycle};
use super::lifted::{self, DEFAULT_WINDOW};
use super::{Pencil, RATE_TOLERANCE, check_class, quadratic_rate};
use crate::error::{Error, Result};
use crate::map::GridSpec;

/// Largest number of cells of a certified map: 2²⁰ (a 1024 × 1024 grid, about 40 MB).
pub const MAX_CERTIFIED_CELLS: u64 = 1 << 20;

/// What a cell is on F(μ, L).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Status {
    /// Worst-case spectral radius ≥ 1 on quadratics: diverges on some quadratic in the class.
    Unstable,
    /// Stable on every quadratic, but a verified cycle on some f ∈ F(μ, L): no rate < 1 holds.
    Counterexample,
    /// Stable on every quadratic, no rate < 1 certified and no cycle found.
    Undecided,
    /// A rate < 1 is certified on every f ∈ F(μ, L).
    Certified,
}

impl Status {
    /// The status as CSV and JSON spell it: `unstable`, `counterexample`, `undecided`,
    /// `certified`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(momentum::certify::map::Status::Certified.as_str(), "certified");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unstable => "unstable",
            Status::Counterexample => "counterexample",
            Status::Undecided => "undecided",
            Status::Certified => "certified",
        }
    }

    /// Whether the cell is proven divergent somewhere on F(μ, L): unstable on a quadratic or a
    /// verified cycle.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::certify::map::Status;
    /// assert!(Status::Counterexample.diverges() && Status::Unstable.diverges());
    /// assert!(!Status::Undecided.diverges());
    /// ```
    pub fn diverges(self) -> bool {
        matches!(self, Status::Unstable | Status::Counterexample)
    }
}

/// One cell of a certified map.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CertifiedCell {
    /// Step α at the cell centre.
    pub step: f64,
    /// Momentum β at the cell centre.
    pub momentum: f64,
    /// Worst-case spectral radius on quadratics with spectrum in [μ, L].
    pub quadratic_rate: f64,
    /// The certified rate on F(μ, L), `None` if none below 1.
    pub rate: Option<f64>,
    /// The multiplier ratio t = λ₂/(λ₁ + λ₂) feasible at `rate`.
    pub multiplier: Option<f64>,
    /// The period of the verified cycle at this cell ([`CertifiedMap::cycle`]), if any.
    pub cycle_period: Option<usize>,
    /// The window of the certificate behind `rate`: 1 for the one-step certificate, W for a
    /// lifted one ([`crate::certify::lifted`]), `None` when no rate is certified.
    pub window: Option<usize>,
}

impl CertifiedCell {
    /// Unstable on quadratics, counterexample (a verified cycle), undecided, or certified.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, certify::map::{CertifiedMap, Status}, map::GridSpec};
    /// let spec = GridSpec::new(Family::HeavyBall, 4.0, (-1.0, 1.0), (8, 8))?;
    /// let map = CertifiedMap::compute(&spec, 0.1, 1.0)?;
    /// assert_eq!(map.cell(7, 0).status(), Status::Unstable); // α = 3.75, β = −0.875
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn status(&self) -> Status {
        if self.rate.is_some() {
            Status::Certified
        } else if self.quadratic_rate < 1.0 && self.cycle_period.is_some() {
            Status::Counterexample
        } else if self.quadratic_rate < 1.0 {
            Status::Undecided
        } else {
            Status::Unstable // ρ_quad ≥ 1 or NaN
        }
    }
}

/// The cell with the smallest rate of some kind.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BestCell {
    /// Step α at the cell centre.
    pub step: f64,
    /// Momentum β at the cell centre.
    pub momentum: f64,
    /// Its certified rate (`None` for the best quadratic cell when it is not certified).
    pub rate: Option<f64>,
    /// Its quadratic worst-case rate.
    pub quadratic_rate: f64,
}

/// Counts over a certified map.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CertifiedSummary {
    /// Number of cells.
    pub cells: u64,
    /// Cells with quadratic worst-case ρ < 1.
    pub quadratic_stable_cells: u64,
    /// Cells with a certified rate < 1.
    pub certified_cells: u64,
    /// Of those, the cells certified only by a lifted certificate (window > 1).
    pub lifted_cells: u64,
    /// Cells stable on quadratics with no certificate (`counterexample_cells` +
    /// `undecided_cells`).
    pub stable_not_certified_cells: u64,
    /// Cells stable on quadratics with a verified cycle on F(μ, L).
    pub counterexample_cells: u64,
    /// Cells stable on quadratics with neither a certificate nor a cycle.
    pub undecided_cells: u64,
    /// Cells unstable on some quadratic.
    pub unstable_cells: u64,
    /// The certified cell with the smallest certified rate.
    pub best_certified: Option<BestCell>,
    /// The cell with the smallest quadratic rate.
    pub best_quadratic: Option<BestCell>,
}

/// A computed certified-rate map over [μ, L].
#[derive(Clone, Debug, PartialEq)]
pub struct CertifiedMap {
    spec: GridSpec,
    mu: f64,
    l: f64,
    /// Row-major (momentum j, step i).
    cells: Vec<Stored>,
}

/// A cell as stored.
#[derive(Clone, Debug, Default, PartialEq)]
struct Stored {
    quadratic: f64,
    rate: Option<f64>,
    multiplier: Option<f64>,
    cycle: Option<Cycle>,
    /// 1: one-step certificate; W: lifted (only where the one-step one failed).
    window: usize,
}

impl CertifiedMap {
    /// Every cell's quadratic worst-case rate over [μ, L], certified rate on F(μ, L) and, if
    /// stable on quadratics but not certified, a verified cycle on F(μ, L) when the search
    /// finds one; rows in parallel, each cell's bisection warm-started from its left neighbour
    /// and each row's cycle walk from its right (module docs). No cycle is searched when μ = L.
    ///
    /// ```text
    /// cell (i, j): method = family(step(i), momentum(j));  rate = certified_rate(method, μ, L)
    ///              cycle = continue_cycle(method, right neighbour's cycle) or find_cycle(method)
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, certify::map::CertifiedMap, map::GridSpec};
    /// // gradient descent (momentum 0, the middle row) is certified at max(|1−αμ|, |1−αL|)
    /// let spec = GridSpec::new(Family::HeavyBall, 2.0, (-1.0, 1.0), (16, 9))?;
    /// let map = CertifiedMap::compute(&spec, 0.25, 1.0)?;
    /// let c = map.cell(3, 4);
    /// let exact = (1.0 - c.step * 0.25).abs().max((1.0 - c.step).abs());
    /// assert!((c.rate.unwrap() - exact).abs() < 1e-8);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// μ, L not finite and > 0 or μ > L; more than [`MAX_CERTIFIED_CELLS`] cells
    /// ([`Error::TooLarge`]); coefficient overflow.
    pub fn compute(spec: &GridSpec, mu: f64, l: f64) -> Result<Self> {
        let family = spec.family();
        Self::build(spec, mu, l, true, DEFAULT_WINDOW, &|a, b| {
            family.method(a, b)
        })
    }

    /// As [`CertifiedMap::compute`] with the method of each cell made by `method(step, momentum)`
    /// instead of the grid's family (which then only names the axes): e.g. QHM at a fixed ν.
    ///
    /// ```text
    /// cell (i, j): certified_rate(method(step(i), momentum(j)), μ, L), or a cycle, as compute
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, Method, certify::map::CertifiedMap, map::GridSpec};
    /// let spec = GridSpec::new(Family::HeavyBall, 2.0, (0.0, 1.0), (6, 6))?;
    /// let a = CertifiedMap::compute(&spec, 0.1, 1.0)?;
    /// let b = CertifiedMap::compute_with(&spec, 0.1, 1.0, |s, m| Method::heavy_ball(s, m))?;
    /// assert_eq!(a, b);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`CertifiedMap::compute`], and whatever `method` returns.
    pub fn compute_with<F>(spec: &GridSpec, mu: f64, l: f64, method: F) -> Result<Self>
    where
        F: Fn(f64, f64) -> Result<crate::Method> + Sync,
    {
        Self::build(spec, mu, l, true, DEFAULT_WINDOW, &method)
    }

    /// As [`CertifiedMap::compute`] with the window W of the lifted certificates tried where the
    /// one-step certificate and the cycle search both fail (W = 1: the one-step analysis alone;
    /// [`CertifiedMap::compute`] uses [`DEFAULT_WINDOW`]).
    ///
    /// ```text
    /// cell (i, j) undecided after the one-step rate and the cycle walk:
    ///     rate = lifted::certified_rate(method, μ, L, W).rate   (checked exactly)
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, certify::map::CertifiedMap, map::GridSpec};
    /// // heavy ball β = 0.5 on F(0.1, 1): α = 2.6 (one cell, at the centre of (0, 5.2] ×
    /// // (0.45, 0.55)) has no one-step certificate, a lifted one
    /// let spec = GridSpec::new(Family::HeavyBall, 5.2, (0.45, 0.55), (1, 1))?;
    /// let one = CertifiedMap::compute_window(&spec, 0.1, 1.0, 1)?.cell(0, 0);
    /// let three = CertifiedMap::compute_window(&spec, 0.1, 1.0, 3)?.cell(0, 0);
    /// assert!(one.rate.is_none() && three.rate.unwrap() < 1.0 && three.window == Some(3));
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`CertifiedMap::compute`]; `window` not in 1 ..= [`lifted::MAX_WINDOW`]
    /// ([`Error::OutOfRange`]).
    pub fn compute_window(spec: &GridSpec, mu: f64, l: f64, window: usize) -> Result<Self> {
        lifted::check_window(window)?;
        let family = spec.family();
        Self::build(spec, mu, l, true, window, &|a, b| family.method(a, b))
    }

    /// As [`CertifiedMap::compute`] with every cell's bisection started cold on (ρ_quad, 1]:
    /// the reference the warm start is tested against.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, certify::map::CertifiedMap, map::GridSpec};
    /// let spec = GridSpec::new(Family::Nesterov, 1.5, (0.0, 1.0), (6, 6))?;
    /// let (warm, cold) = (CertifiedMap::compute(&spec, 0.1, 1.0)?, CertifiedMap::compute_cold(&spec, 0.1, 1.0)?);
    /// assert_eq!(warm.summary().certified_cells, cold.summary().certified_cells);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`CertifiedMap::compute`].
    pub fn compute_cold(spec: &GridSpec, mu: f64, l: f64) -> Result<Self> {
        let family = spec.family();
        Self::build(spec, mu, l, false, DEFAULT_WINDOW, &|a, b| {
            family.method(a, b)
        })
    }

    fn build(
        spec: &GridSpec,
        mu: f64,
        l: f64,
        warm: bool,
        window: usize,
        make: &(dyn Fn(f64, f64) -> Result<crate::Method> + Sync),
    ) -> Result<Self> {
        check_class(mu, l)?;
        let (n, m) = spec.shape();
        let cells = n as u64 * m as u64;
        if cells > MAX_CERTIFIED_CELLS {
            return Err(Error::TooLarge {
                cells,
                limit: MAX_CERTIFIED_CELLS,
            });
        }
        // a row at a time: each cell's bisection starts from its left neighbour's rate
        let all = crate::map::rows(m, n, None, |j, out: &mut [Stored]| -> Result<()> {
            let b = spec.momentum(j);
            let mut hint = None;
            for (i, cell) in out.iter_mut().enumerate() {
                let method = make(spec.step(i), b)?;
                let q = quadratic_rate(&method, mu, l)?;
                let oracle = Oracle {
                    a: method.step() * l,
                    beta: method.momentum(),
                    gamma: method.lookahead(),
                    m: mu / l,
                };
                let (rate, t) = oracle.rate(q, if warm { hint } else { None });
                hint = rate;
                *cell = Stored {
                    quadratic: q,
                    rate,
                    multiplier: t,
                    cycle: None,
                    window: 1,
                };
            }
            if mu < l {
                cycle_walk(spec, j, mu, l, make, out)?;
                lifted_pass(spec, j, mu, l, window, make, out)?;
            }
            Ok(())
        })?;
        Ok(CertifiedMap {
            spec: *spec,
            mu,
            l,
            cells: all,
        })
    }

    /// The grid.
    pub fn spec(&self) -> &GridSpec {
        &self.spec
    }

    /// The class bounds (μ, L).
    pub fn bounds(&self) -> (f64, f64) {
        (self.mu, self.l)
    }

    /// Cell (i, j): column i (step), row j (momentum).
    ///
    /// # Panics
    ///
    /// Never for i, j inside [`GridSpec::shape`]; an index outside panics like a slice index.
    pub fn cell(&self, i: usize, j: usize) -> CertifiedCell {
        let (n, _) = self.spec.shape();
        let s = &self.cells[j * n + i];
        CertifiedCell {
            step: self.spec.step(i),
            momentum: self.spec.momentum(j),
            quadratic_rate: s.quadratic,
            rate: s.rate,
            multiplier: s.multiplier,
            cycle_period: s.cycle.as_ref().map(|c| c.period),
            window: s.rate.map(|_| s.window),
        }
    }

    /// The verified cycle at cell (i, j) (a counterexample cell), checked by
    /// [`counter::verify`] against the cell's method when the map was computed.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, certify::{counter, map::{CertifiedMap, Status}}, map::GridSpec};
    /// let spec = GridSpec::new(Family::HeavyBall, 3.0, (0.0, 1.0), (12, 6))?;
    /// let map = CertifiedMap::compute(&spec, 0.1, 1.0)?;
    /// for (k, c) in map.cells().enumerate() {
    ///     let (i, j) = (k % 12, k / 12);
    ///     if c.status() == Status::Counterexample {
    ///         let m = spec.family().method(c.step, c.momentum)?;
    ///         assert!(counter::verify(&m, 0.1, 1.0, map.cycle(i, j).unwrap())?);
    ///     }
    /// }
    /// # Ok::<(), momentum::Error>(())
    /// ```
    ///
    /// # Panics
    ///
    /// Never for i, j inside [`GridSpec::shape`]; an index outside panics like a slice index.
    pub fn cycle(&self, i: usize, j: usize) -> Option<&Cycle> {
        let (n, _) = self.spec.shape();
        self.cells[j * n + i].cycle.as_ref()
    }

    /// All cells, row by row (momentum j outer, step i inner).
    pub fn cells(&self) -> impl Iterator<Item = CertifiedCell> + '_ {
        let (n, m) = self.spec.shape();
        (0..m).flat_map(move |j| (0..n).map(move |i| self.cell(i, j)))
    }

    /// Counts and the best cells.
    ///
    /// # Examples
    ///
    /// ```
    /// use momentum::{Family, certify::map::CertifiedMap, map::GridSpec};
    /// let spec = GridSpec::new(Family::HeavyBall, 4.0, (-1.0, 1.0), (12, 12))?;
    /// let s = CertifiedMap::compute(&spec, 0.04, 1.0)?.summary();
    /// assert!(s.certified_cells + s.stable_not_certified_cells == s.quadratic_stable_cells);
    /// assert!(s.best_certified.unwrap().rate.unwrap() >= s.best_quadratic.unwrap().quadratic_rate);
    /// # Ok::<(), momentum::Error>(())
    /// ```
    pub fn summary(&self) -> CertifiedSummary {
        let mut s = CertifiedSummary {
            cells: self.cells.len() as u64,
            quadratic_stable_cells: 0,
            certified_cells: 0,
            lifted_cells: 0,
            stable_not_certified_cells: 0,
            counterexample_cells: 0,
            undecided_cells: 0,
            unstable_cells: 0,
            best_certified: None,
            best_quadratic: None,
        };
        for c in self.cells() {
            let best = BestCell {
                step: c.step,
                momentum: c.momentum,
                rate: c.rate,
                quadratic_rate: c.quadratic_rate,
            };
            match c.status() {
                Status::Unstable => {
                    s.unstable_cells += 1;
                    continue;
                }
                Status::Counterexample => {
                    s.stable_not_certified_cells += 1;
                    s.counterexample_cells += 1;
                }
                Status::Undecided => {
                    s.stable_not_certified_cells += 1;
                    s.undecided_cells += 1;
                }
                Status::Certified => {
                    s.certified_cells += 1;
                    s.lifted_cells += u64::from(c.window.is_some_and(|w| w > 1));
                }
            }
            s.quadratic_stable_cells += 1;
            if s.best_quadratic
                .is_none_or(|b| c.quadratic_rate < b.quadratic_rate)
            {
                s.best_quadratic = Some(best);
            }
            let better = |r: f64| {
                s.best_certified
                    .is_none_or(|b| b.rate.is_none_or(|x| r < x))
            };
            if c.rate.is_some_and(better) {
                s.best_certified = Some(best);
            }
        }
        s
    }
}

/// Row j's cycle walk (module docs): from the right end of each run of uncertified cells stable
/// on quadratics, leftwards, continuing the right neighbour's cycle, else a full search; the run
/// is abandoned at the first cell where both fail.
fn cycle_walk(
    spec: &GridSpec,
    j: usize,
    mu: f64,
    l: f64,
    make: &(dyn Fn(f64, f64) -> Result<crate::Method> + Sync),
    out: &mut [Stored],
) -> Result<()> {
    let open = |s: &Stored| s.rate.is_none() && s.quadratic < 1.0;
    let b = spec.momentum(j);
    let mut i = out.len();
    while i > 0 {
        i -= 1;
        if !open(&out[i]) {
            continue;
        }
        let mut prev: Option<Vec<Vec<f64>>> = None;
        loop {
            let method = make(spec.step(i), b)?;
            let near = match &prev {
                Some(x) => counter::continue_cycle(&method, mu, l, x)?,
                None => None,
            };
            let found = match near {
                Some(c) => Some(c),
                None => counter::find_cycle(&method, mu, l, counter::MAX_PERIOD)?,
            };
            let Some(c) = found else {
                // the walk ends: the rest of this run stays undecided
                while i > 0 && open(&out[i - 1]) {
                    i -= 1;
                }
                break;
            };
            prev = Some(c.iterates.clone());
            out[i].cycle = Some(c);
            if i == 0 || !open(&out[i - 1]) {
                break;
            }
            i -= 1;
        }
    }
    Ok(())
}

/// Row j's lifted pass: every cell still undecided after the cycle walk (stable on quadratics,
/// no one-step rate, no cycle) tries the lifted certificate of window W, kept only when it passed
/// [`lifted::verify`] (inside [`lifted::certified_rate`]).
fn lifted_pass(
    spec: &GridSpec,
    j: usize,
    mu: f64,
    l: f64,
    window: usize,
    make: &(dyn Fn(f64, f64) -> Result<crate::Method> + Sync),
    out: &mut [Stored],
) -> Result<()> {
    if window == 1 {
        return Ok(());
    }
    let b = spec.momentum(j);
    for (i, cell) in out.iter_mut().enumerate() {
        if cell.rate.is_some()
            || cell.cycle.is_some()
            || cell.quadratic.partial_cmp(&1.0) != Some(std::cmp::Ordering::Less)
        {
            continue;
        }
        let method = make(spec.step(i), b)?;
        let lifted = lifted::certified_rate(&method, mu, l, window)?;
        if let (Some(r), Some(_)) = (lifted.rate, lifted.lifted_rate) {
            cell.rate = Some(r);
            cell.window = window;
        }
    }
    Ok(())
}

/// The frequency condition of one method, scaled to L = 1 (see [`crate::certify`]).
struct Oracle {
    a: f64,
    beta: f64,
    gamma: f64,
    m: f64,
}

impl Oracle {
    /// Some t with min_c Φ_t(c) > 0 at ρ, or `None` when the cutting planes prove there is none
    /// (or the bracket on t has shrunk to rounding).
    fn feasible(&self, rho: f64) -> Option<f64> {
        let pencil = Pencil::new(self.a, self.beta, self.gamma, self.m, rho);
        let scale = pencil.scale;
        // f(t) = min_c (p₀ − t p₁)(c) / scale and the supergradient −p₁(c*)/scale
        let eval = |t: f64| {
            let (c, v) = cubic_argmin(&pencil.at(t));
            (v / scale, -cubic_at(&pencil.p1, c) / scale)
        };
        let (mut a, (mut fa, mut ga)) = (0.0, eval(0.0));
        if fa > 0.0 {
            return Some(0.0);
        }
        let (mut b, (mut fb, mut gb)) = (1.0, eval(1.0));
        if fb > 0.0 {
            return Some(1.0);
        }
        // concave: a maximiser inside (0, 1) needs f increasing at 0 and decreasing at 1
        if ga <= 0.0 || gb >= 0.0 {
            return None;
        }
        for _ in 0..200 {
            // the two tangents bound f on [a, b]; their crossing is the bound's maximum
            let s = ((fb - gb * b) - (fa - ga * a)) / (ga - gb);
            let bound = fa + ga * (s - a);
            let w = b - a;
            if bound.is_nan() || bound <= 0.0 || w <= 4.0 * f64::EPSILON {
                return None;
            }
            let t = s.clamp(a + 0.05 * w, b - 0.05 * w);
            let (ft, gt) = eval(t);
            if ft > 0.0 {
                return Some(t);
            }
            if gt > 0.0 {
                (a, fa, ga) = (t, ft, gt);
            } else if gt < 0.0 {
                (b, fb, gb) = (t, ft, gt);
            } else {
                return None; // 0 is a supergradient: t is a maximiser and f(t) ≤ 0
            }
        }
        None
    }

    /// (rate, multiplier) by bisection on (ρ_quad, 1], from a bracket around `hint` if given.
    fn rate(&self, q: f64, hint: Option<f64>) -> (Option<f64>, Option<f64>) {
        if !(q.is_finite() && q < 1.0) {
            return (None, None);
        }
        // ρ ≤ ρ_quad is infeasible by definition (the quadratic lower bound)
        let feas = |rho: f64| {
            if rho <= q { None } else { self.feasible(rho) }
        };
        let (mut lo, mut hi, mut t_hi);
        match hint {
            None => {
                let Some(t) = feas(1.0) else {
                    return (None, None);
                };
                (lo, hi, t_hi) = (q, 1.0, t);
            }
            Some(h) => {
                let mut d = 1e-6;
                let start = (h.max(q) + d).min(1.0);
                if let Some(t) = feas(start) {
                    // gallop down to an infeasible lower end
                    (hi, t_hi) = (start, t);
                    loop {
                        lo = (hi - d).max(q);
                        match feas(lo) {
                            Some(t) if lo > q => {
                                (hi, t_hi) = (lo, t);
                                d *= 4.0;
                            }
                            _ => break,
                        }
                    }
                } else {
                    // gallop up to a feasible upper end
                    lo = start;
                    loop {
                        if lo >= 1.0 {
                            return (None, None);
                        }
                        d *= 4.0;
                        let up = (lo + d).min(1.0);
                        if let Some(t) = feas(up) {
                            (hi, t_hi) = (up, t);
                            break;
                        }
                        lo = up;
                    }
                }
            }
        }
        while hi - lo > RATE_TOLERANCE {
            let mid = 0.5 * (lo + hi);
            match feas(mid) {
                Some(t) => (hi, t_hi) = (mid, t),
                None => lo = mid,
            }
        }
        if hi < 1.0 {
            return (Some(hi), Some(t_hi));
        }
        match feas(1.0 - RATE_TOLERANCE) {
            Some(t) => (Some(1.0 - RATE_TOLERANCE), Some(t)),
            None => (None, None),
        }
    }
}

fn cubic_at(p: &[f64; 4], c: f64) -> f64 {
    ((p[3] * c + p[2]) * c + p[1]) * c + p[0]
}

/// Exact minimiser and minimum of a cubic over [−1, 1]: endpoints and interior critical points.
fn cubic_argmin(p: &[f64; 4]) -> (f64, f64) {
    let mut best = (-1.0, cubic_at(p, -1.0));
    let mut consider = |c: f64| {
        if c.is_finite() && (-1.0..=1.0).contains(&c) {
            let v = cubic_at(p, c);
            if v < best.1 {
                best = (c, v);
            }
        }
    };
    consider(1.0);
    // p'(c) = 3p₃c² + 2p₂c + p₁
    let (qa, qb, qc) = (3.0 * p[3], 2.0 * p[2], p[1]);
    if qa.abs() <= 1e-300 {
        if qb != 0.0 {
            consider(-qc / qb);
        }
    } else {
        let disc = qb * qb - 4.0 * qa * qc;
        if disc >= 0.0 {
            let r = -0.5 * (qb + qb.signum() * disc.sqrt());
            if r != 0.0 {
                consider(r / qa);
                consider(qc / r);
            } else {
                consider(0.0);
            }
        }
    }
    best
}
