//! The per-row loops of a map, compiled three times on x86_64: for the baseline (SSE2), for AVX2
//! and for AVX-512F, chosen at run time by `is_x86_feature_detected!`. All copies are the same
//! Rust source and the same IEEE operations: Rust never contracts a·b + c into an FMA (the
//! AVX-512F copy implies the `fma` feature, the AVX2 copy does not enable it), so every cell is
//! bit-identical whichever copy runs; other targets (wasm32) use the portable copy.
//!
//! Per cell and endpoint: c₁ = (1 + β) − t(1 + γ), c₀ = β − tγ, Δ = c₁c₁ − 4c₀ with t = αλ, in the
//! NumPy peer's operation order (docs/DESIGN.md, "The map kernel's operation order"), then one
//! square root whose argument is chosen by the sign of Δ (c₀ for a complex pair, Δ otherwise).
//! Summaries skip the roots of a block of [`LANES`] cells when every cell of it is provably
//! unstable at the largest curvature without them ([`surely_unstable`]). Stored rows run one
//! branch-free pass ([`row_stored_body`]); heavy-ball rows (γ = 0) take one root per cell there
//! ([`row_stored_heavy_ball`]). On AVX-512 CPUs stored rows of every family whose products stay
//! in the normal range run a hand-vectorised two-root loop with fewer instructions
//! ([`avx512_stored`]); there, heavy-ball rows on increasing steps are filled by parts proven
//! from their end cells (one root per cell or none, one flag byte per part), and the other rows
//! by runs that assume their first cell's regimes and worst end and check each block with one
//! root; the facts about the steps that rows need are found once per map ([`Steps`]).
//!
//! Summary rows on AVX2 CPUs run two hand-vectorised loops with the same bits: heavy ball and
//! gradient descent (γ = 0) with one root per cell ([`avx2_heavy_ball`]), the other families
//! with one root where a monotone-rounding argument allows it and fewer operations per root
//! ([`avx2_two_roots`]); on increasing steps with λ_hi > 0 both stop at a per-row cut-off past
//! which every cell is provably unstable. Rows outside their checks take the copies above.

use crate::mode::{CRITICAL_DAMPING_ULPS, classify};
use crate::recurrence::sensitivity;

/// Cells per block: independent partial sums (the same lane assignment in every copy, so the
/// checksum is bit-identical) and the unit of the skip test.
pub(super) const LANES: usize = 8;

/// c₁, c₀ and Δ at one curvature, in the peer's order, plain f64.
#[inline(always)]
pub(super) fn coefficients_at(step: f64, (b, g): (f64, f64), lambda: f64) -> (f64, f64, f64) {
    let t = step * lambda;
    let c1 = (1.0 + b) - t * (1.0 + g);
    let c0 = b - t * g;
    (c1, c0, c1 * c1 - 4.0 * c0)
}

/// ρ from c₁, c₀, Δ with one square root: √c₀ for a complex pair, (|c₁| + √Δ)/2 otherwise (the
/// same bits as [`crate::mode::radius`]; Δ < 0 implies c₀ > 0 in f64). Also returns the root.
///
/// Written with bit masks: with `if`s on the same condition before and after the root, LLVM
/// threads them into two roots and a blend, which is the cost this form removes. ρ is
/// k·(u + s) with (k, u) = (1, +0) for a complex pair and (½, |c₁|) otherwise: the same bits.
#[inline(always)]
fn radius_and_root(c1: f64, c0: f64, disc: f64) -> (f64, f64) {
    let complex = disc < 0.0;
    let m = (complex as u64).wrapping_neg();
    let s = f64::from_bits((c0.to_bits() & m) | (disc.to_bits() & !m)).sqrt();
    let u = f64::from_bits(c1.abs().to_bits() & !m);
    let k = if complex { 1.0 } else { 0.5 };
    (k * (u + s), s)
}

#[inline(always)]
fn radius_at(step: f64, bg: (f64, f64), lambda: f64) -> f64 {
    let (c1, c0, disc) = coefficients_at(step, bg, lambda);
    radius_and_root(c1, c0, disc).0
}

/// Margin of the root-free instability test (any value ≥ (1 − 2⁻⁵³)⁻⁶ < 1 + 2⁻⁵⁰ is safe; this one
/// leaves cells within a relative ~1e-6 of the edge to the exact path).
const MARGIN: f64 = 1.0 + 1.0 / 1048576.0;

/// True only if the rounded ρ computed by [`radius_and_root`] is ≥ 1, decided without a root:
/// - Δ < 0 and c₀ ≥ 1: √c₀ ≥ √1 = 1 (the rounded root is monotone);
/// - Δ ≥ 0 and |c₁| ≥ 2 (δ = max(2 − |c₁|, 0) = 0): |c₁| + √Δ ≥ 2 before and after rounding;
/// - Δ ≥ δ²·MARGIN in f64 with δ = 2 − |c₁| > 0: the roundings of δ, δ² and the product give
///   Δ ≥ δ²(1 − u)⁴·MARGIN (u = 2⁻⁵³), so the rounded root is ≥ δ(1 − u)³·√MARGIN ≥ δ, and
///   |c₁| + √Δ ≥ 2 rounds to ≥ 2.
///
/// False for NaN (such cells take the exact path), and for cells within a relative ~1e-6 of the
/// edge, which take the exact path too.
#[inline(always)]
fn surely_unstable(c1: f64, c0: f64, disc: f64) -> bool {
    let d = (2.0 - c1.abs()).max(0.0);
    (disc < 0.0 && c0 >= 1.0) | (disc >= d * d * MARGIN)
}

/// (stable cells, Σρ over them) along one row of steps.
#[inline(always)]
fn row_summary_body(steps: &[f64], bg: (f64, f64), lo: f64, hi: f64) -> (u64, f64) {
    let mut count = [0u64; LANES];
    let mut sum = [0.0f64; LANES];
    let chunks = steps.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        // the largest curvature first: where a step is too large, it is unstable there. Adding
        // 0.0 for an unstable cell changes no partial sum, so skipping a block is exact.
        let (mut e1, mut e0, mut f) = ([0.0; LANES], [0.0; LANES], [0.0; LANES]);
        let mut unstable = 0u32;
        for k in 0..LANES {
            (e1[k], e0[k], f[k]) = coefficients_at(chunk[k], bg, hi);
            unstable += surely_unstable(e1[k], e0[k], f[k]) as u32;
        }
        if unstable == LANES as u32 {
            continue;
        }
        for k in 0..LANES {
            let (c1, c0, d) = coefficients_at(chunk[k], bg, lo);
            let r = radius_and_root(c1, c0, d)
                .0
                .max(radius_and_root(e1[k], e0[k], f[k]).0);
            let stable = r < 1.0;
            count[k] += stable as u64;
            sum[k] += if stable { r } else { 0.0 };
        }
    }
    for &a in tail {
        let r = radius_at(a, bg, lo).max(radius_at(a, bg, hi));
        if r < 1.0 {
            count[0] += 1;
            sum[0] += r;
        }
    }
    (count.iter().sum(), sum.iter().sum())
}

/// (p₀, p₁, q₀, q₁) = (1 + β, α(1 + γ), β, αγ).
#[inline(always)]
fn affine_parts(step: f64, (b, g): (f64, f64)) -> [f64; 4] {
    [1.0 + b, step * (1.0 + g), b, step * g]
}

/// The exact per-cell route (the same bits), used for blocks with a rare near-double complex pair.
#[inline(always)]
fn cell_scalar(a: f64, bg: (f64, f64), lo: f64, hi: f64) -> (f64, u8) {
    let code = |lambda: f64| {
        let (c1, _, disc) = coefficients_at(a, bg, lambda);
        let tol =
            CRITICAL_DAMPING_ULPS * f64::EPSILON * sensitivity(affine_parts(a, bg), c1, lambda);
        super::regime_code(classify(c1, disc, tol))
    };
    let (r_lo, r_hi) = (radius_at(a, bg, lo), radius_at(a, bg, hi));
    let worst_lo = r_lo > r_hi;
    (
        if worst_lo { r_lo } else { r_hi },
        code(lo) | (code(hi) << 2) | ((worst_lo as u8) << 4),
    )
}

/// An upper bound on `classify`'s double-root tolerance CRITICAL_DAMPING_ULPS·ε·S over a row at
/// curvature λ: S = 2|c₁|(|p₀| + |p₁|λ) + 4(|q₀| + |q₁|λ) grows with |α| (|c₁| ≤ |1 + β| +
/// |α|λ|1 + γ|), so its value at the row's largest |α|, with a relative 1e-9 for roundings, bounds
/// every cell's. Cells with |Δ| above it are not near a double root; the others are re-done
/// exactly. NaN bounds nothing: such rows take the exact route.
#[inline(always)]
fn tolerance_bound(a_max: f64, (b, g): (f64, f64), lambda: f64) -> f64 {
    let lam = lambda.abs();
    let (p0, p1, q0, q1) = (
        (1.0 + b).abs(),
        a_max * (1.0 + g).abs(),
        b.abs(),
        a_max * g.abs(),
    );
    let c1 = p0 + p1 * lam;
    let s = 2.0 * c1 * (p0 + p1 * lam) + 4.0 * (q0 + q1 * lam);
    CRITICAL_DAMPING_ULPS * f64::EPSILON * s * (1.0 + 1e-9)
}

/// Regime code where |Δ| exceeds the double-root tolerance (0 underdamped, 2 overdamped, 3
/// alternating, as `regime_code`), as f64 so that the stored loop stays in one vector type.
#[inline(always)]
fn plain_code(c1: f64, disc: f64) -> f64 {
    if disc < 0.0 {
        0.0
    } else if c1 > 0.0 {
        2.0
    } else {
        3.0
    }
}

/// One stored cell with both roots: (ρ, regime code as f64, Δ_lo, Δ_hi), the code as
/// [`plain_code`] at both ends plus 16 for worst-is-lo (ρ_lo > ρ_hi).
#[inline(always)]
fn two_root_cell(a: f64, bg: (f64, f64), lo: f64, hi: f64) -> (f64, f64, f64, f64) {
    let (l1, l0, ld) = coefficients_at(a, bg, lo);
    let (h1, h0, hd) = coefficients_at(a, bg, hi);
    let (r_lo, r_hi) = (radius_and_root(l1, l0, ld).0, radius_and_root(h1, h0, hd).0);
    let worst_lo = r_lo > r_hi;
    let code = plain_code(l1, ld) + 4.0 * plain_code(h1, hd) + if worst_lo { 16.0 } else { 0.0 };
    (if worst_lo { r_lo } else { r_hi }, code, ld, hd)
}

/// A stored map's steps with the facts about them that every row needs, found once per map:
/// folds with f64 `max` and `min` keep their order and run as scalar chains, which once per row
/// took about 2 of the 23 ms of a 4096² Nesterov stored map on one thread.
#[derive(Clone, Copy)]
pub(super) struct Steps<'a> {
    steps: &'a [f64],
    /// max |α| (a NaN step skipped, as `f64::max` does).
    a_max: f64,
    /// The largest |α| as bits, ≥ those of ∞ for a step that is not finite.
    top: u64,
    /// The smallest α, and whether every α is positive and finite.
    min: f64,
    positive: bool,
    /// Whether the steps never decrease (NaN breaks it).
    sorted: bool,
}

impl<'a> Steps<'a> {
    pub(super) fn new(steps: &'a [f64]) -> Self {
        Steps {
            steps,
            a_max: steps.iter().fold(0.0f64, |m, a| m.max(a.abs())),
            // folds, not `all`, so that they vectorise
            top: steps.iter().fold(0u64, |m, a| m.max(a.to_bits() << 1 >> 1)),
            min: steps.iter().fold(f64::INFINITY, |m, &a| m.min(a)),
            positive: steps
                .iter()
                .fold(true, |m, &a| m & (a > 0.0 && a < f64::INFINITY)),
            sorted: steps.windows(2).fold(true, |m, w| m & (w[0] <= w[1])),
        }
    }

    /// The first `n` steps (the same facts if that is all of them).
    fn prefix(self, n: usize) -> Self {
        if n >= self.steps.len() {
            self
        } else {
            Steps::new(&self.steps[..n])
        }
    }
}

/// Worst-case ρ and packed flags (regime lo | regime hi << 2 | worst-is-lo << 4) along one row.
///
/// One straight pass with no branch per cell, so the CPU overlaps many cells' root latencies
/// (the former blocks of [`LANES`] with a branch each kept about one block in flight), the flags
/// built in f64 and converted once; then the rare cells within [`tolerance_bound`] of a double
/// root at either end are re-done by the exact route [`cell_scalar`].
#[inline(always)]
fn row_stored_body(
    steps: Steps,
    bg: (f64, f64),
    lo: f64,
    hi: f64,
    radii: &mut [f64],
    flags: &mut [u8],
) {
    let n = steps.steps.len().min(radii.len()).min(flags.len());
    let (steps, radii, flags) = (steps.prefix(n), &mut radii[..n], &mut flags[..n]);
    let a_max = steps.a_max;
    if heavy_ball_row(steps, bg, lo, hi) {
        return row_stored_heavy_ball(steps.steps, bg.0, lo, hi, a_max, radii, flags);
    }
    let steps = steps.steps;
    let (tol_lo, tol_hi) = (
        tolerance_bound(a_max, bg, lo),
        tolerance_bound(a_max, bg, hi),
    );
    // near unless |Δ| clears the bound at both ends (NaN anywhere: near, the exact route)
    let far = |d: f64, tol: f64| d.abs() > tol;
    let near = |l: f64, h: f64| !(far(l, tol_lo) & far(h, tol_hi));
    let mut any = false;
    for ((&a, r), f) in steps.iter().zip(radii.iter_mut()).zip(flags.iter_mut()) {
        let (rho, code, ld, hd) = two_root_cell(a, bg, lo, hi);
        *r = rho;
        // SAFETY: code is an integer in 0..=31 (plain_code is 0, 2 or 3), so it fits an i32.
        *f = unsafe { code.to_int_unchecked::<i32>() } as u8;
        any |= near(ld, hd);
    }
    if any {
        for ((&a, r), f) in steps.iter().zip(radii.iter_mut()).zip(flags.iter_mut()) {
            if near(coefficients_at(a, bg, lo).2, coefficients_at(a, bg, hi).2) {
                (*r, *f) = cell_scalar(a, bg, lo, hi);
            }
        }
    }
}

/// Whether a stored row takes [`row_stored_heavy_ball`]: γ = 0, β ≠ 0 with 4β finite, and every
/// t = αλ finite (then c₀ = β − t·0 = β at both ends, bit for bit).
#[inline(always)]
fn heavy_ball_row(steps: Steps, (b, g): (f64, f64), lo: f64, hi: f64) -> bool {
    let t_max = steps.a_max * lo.abs().max(hi.abs());
    g == 0.0
        && b != 0.0
        && (4.0 * b).is_finite()
        && t_max.is_finite()
        && steps.top < f64::INFINITY.to_bits()
}

/// Relative gap 2⁻⁵⁰ of [`heavy_ball_cell`]'s strict order.
const STRICT: f64 = f64::from_bits((1023 - 50) << 52);

/// A heavy-ball row's constants: (1 + β, β, 4β, √β).
#[derive(Clone, Copy)]
struct HeavyBallRow {
    p0: f64,
    b: f64,
    four_b: f64,
    sqrt_b: f64,
}

/// One stored heavy-ball cell with one root: (ρ, regime code as f64, Δ_lo, Δ_hi, whether the
/// cell must be re-done by [`cell_scalar`]); the same bits as [`row_stored_body`]'s two roots.
///
/// With c₀ = β at both ends, Δ = fl(c₁²) − 4β and a real pair's ρ = ½(|c₁| + √Δ) do not decrease
/// with |c₁| (every rounding is monotone). The end m with the larger |c₁| (λ_hi on a tie) gets
/// the root; the other end n has ρ = √β (a row constant) if its pair is complex, and otherwise
/// both pairs are real with ρ_n ≤ ρ_m. Then ρ_m is the maximum, and worst-is-lo is true only if
/// m = λ_lo and ρ_lo > ρ_hi strictly, which holds when fl(|c₁|_m − |c₁|_n) > 2⁻⁵⁰ρ_m: with
/// S = |c₁| + fl(√Δ) (S_lo − S_hi ≥ d = |c₁|_m − |c₁|_n), the difference fl(S_lo) − fl(S_hi)
/// is at least d(1 + u) − 2u·S_lo, which is positive (u = 2⁻⁵³); β ≠ 0 keeps both real ρ ≥ 2⁻⁵³⁷
/// (fl(c₁²) ≥ 4β > 0, or Δ ≥ −4β > 0), where halving and ρ_m·2⁻⁵⁰ are exact. Cells where the test fails (ties within rounding, ∞) are
/// re-done.
#[inline(always)]
fn heavy_ball_cell(a: f64, k: HeavyBallRow, lo: f64, hi: f64) -> (f64, f64, f64, f64, bool) {
    // c₁ = (1 + β) − t·(1 + 0) and t·1 = t exactly; Δ = c₁c₁ − 4β
    let (l1, h1) = (k.p0 - a * lo, k.p0 - a * hi);
    let (ld, hd) = (l1 * l1 - k.four_b, h1 * h1 - k.four_b);
    let (ul, uh) = (l1.abs(), h1.abs());
    let m_lo = ul > uh;
    // selects by bit masks (with `if`s LLVM takes both roots and blends, see radius_and_root)
    let mask = (m_lo as u64).wrapping_neg();
    let pick = |x: f64, y: f64| f64::from_bits((x.to_bits() & mask) | (y.to_bits() & !mask));
    let (um, un, dm, dn) = (pick(ul, uh), pick(uh, ul), pick(ld, hd), pick(hd, ld));
    let r_m = radius_and_root(um, k.b, dm).0;
    let n_complex = dn < 0.0;
    let (r_lo, r_hi) = (pick(r_m, k.sqrt_b), pick(k.sqrt_b, r_m));
    let strict = um - un > r_m * STRICT;
    let worst_lo = if n_complex {
        r_lo > r_hi
    } else {
        m_lo & strict
    };
    let r = if n_complex {
        if worst_lo { r_lo } else { r_hi }
    } else {
        r_m
    };
    let code = plain_code(l1, ld) + 4.0 * plain_code(h1, hd) + if worst_lo { 16.0 } else { 0.0 };
    (r, code, ld, hd, !n_complex & m_lo & !strict)
}

/// [`row_stored_body`] for a row that [`heavy_ball_row`] admits: one root per cell
/// ([`heavy_ball_cell`]), the cells near a double root or with an undecided order re-done by
/// [`cell_scalar`]. The same bits as the two-root pass.
#[inline(always)]
fn row_stored_heavy_ball(
    steps: &[f64],
    b: f64,
    lo: f64,
    hi: f64,
    a_max: f64,
    radii: &mut [f64],
    flags: &mut [u8],
) {
    let bg = (b, 0.0);
    let (tol_lo, tol_hi) = (
        tolerance_bound(a_max, bg, lo),
        tolerance_bound(a_max, bg, hi),
    );
    let far = |d: f64, tol: f64| d.abs() > tol;
    let near = |l: f64, h: f64| !(far(l, tol_lo) & far(h, tol_hi));
    let k = HeavyBallRow {
        p0: 1.0 + b,
        b,
        four_b: 4.0 * b,
        sqrt_b: b.sqrt(),
    };
    let mut any = false;
    for ((&a, r), f) in steps.iter().zip(radii.iter_mut()).zip(flags.iter_mut()) {
        let (rho, code, ld, hd, undecided) = heavy_ball_cell(a, k, lo, hi);
        *r = rho;
        // SAFETY: code is an integer in 0..=31 (plain_code is 0, 2 or 3), so it fits an i32.
        *f = unsafe { code.to_int_unchecked::<i32>() } as u8;
        any |= near(ld, hd) | undecided;
    }
    if any {
        for ((&a, r), f) in steps.iter().zip(radii.iter_mut()).zip(flags.iter_mut()) {
            let (_, _, ld, hd, undecided) = heavy_ball_cell(a, k, lo, hi);
            if near(ld, hd) | undecided {
                (*r, *f) = cell_scalar(a, bg, lo, hi);
            }
        }
    }
}

/// The baseline copies (SSE2 on x86_64, whatever the target offers elsewhere).
pub(super) mod portable {
    pub(in crate::map) fn row_summary(
        steps: &[f64],
        bg: (f64, f64),
        lo: f64,
        hi: f64,
    ) -> (u64, f64) {
        super::row_summary_body(steps, bg, lo, hi)
    }

    pub(in crate::map) fn row_stored(
        steps: super::Steps,
        bg: (f64, f64),
        lo: f64,
        hi: f64,
        radii: &mut [f64],
        flags: &mut [u8],
    ) {
        super::row_stored_body(steps, bg, lo, hi, radii, flags)
    }
}

/// The AVX2 copies (4 doubles per vector). Safe to call only where AVX2 is present.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    #[target_feature(enable = "avx2")]
    pub(super) fn row_summary(steps: &[f64], bg: (f64, f64), lo: f64, hi: f64) -> (u64, f64) {
        super::row_summary_body(steps, bg, lo, hi)
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn row_stored(
        steps: super::Steps,
        bg: (f64, f64),
        lo: f64,
        hi: f64,
        radii: &mut [f64],
        flags: &mut [u8],
    ) {
        super::row_stored_body(steps, bg, lo, hi, radii, flags)
    }
}

/// The first step from which every cell is unstable, for γ ≥ 0, λ_hi > 0 and increasing steps
/// (`n` if none, or λ_hi ≤ 0): c₁ and c₀ at λ_hi do not increase along the row, so once c₁ ≤ 0
/// with Δ ≥ 0 there, |c₁| and Δ do not decrease and neither does the rounded ρ; the first step
/// where it is ≥ 1 (bisection) ends the row.
#[cfg(target_arch = "x86_64")]
fn unstable_cutoff(steps: &[f64], bg: (f64, f64), hi: f64) -> usize {
    if hi <= 0.0 {
        return steps.len();
    }
    let past = |a: f64| {
        let (c1, c0, disc) = coefficients_at(a, bg, hi);
        c1 <= 0.0 && disc >= 0.0 && radius_and_root(c1, c0, disc).0 >= 1.0
    };
    steps.partition_point(|&a| !past(a))
}

/// (stable cells, Σρ) of a row from the AVX2 loops' lane counts and sums of ρ (lanes 0–3, 4–7),
/// the tail cells added to lane 0 by the per-cell route, the lanes summed in order: the
/// portable copy's order.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn lane_totals(
    count: [std::arch::x86_64::__m256i; 2],
    sum: [std::arch::x86_64::__m256d; 2],
    tail: &[f64],
    bg: (f64, f64),
    lo: f64,
    hi: f64,
) -> (u64, f64) {
    use std::arch::x86_64::{_mm256_storeu_pd, _mm256_storeu_si256};
    let (mut counts, mut sums) = ([0u64; LANES], [0.0f64; LANES]);
    for v in 0..2 {
        // SAFETY: each store writes 4 lanes into an array of LANES = 8.
        unsafe {
            _mm256_storeu_si256(counts.as_mut_ptr().add(4 * v).cast(), count[v]);
            _mm256_storeu_pd(sums.as_mut_ptr().add(4 * v), sum[v]);
        }
    }
    for &a in tail {
        let r = radius_at(a, bg, lo).max(radius_at(a, bg, hi));
        if r < 1.0 {
            counts[0] += 1;
            sums[0] += r;
        }
    }
    (counts.iter().sum(), sums.iter().sum())
}

/// The heavy-ball summary row (γ = 0: heavy ball and gradient descent) in AVX2 intrinsics, with
/// one root per cell and none beyond the row's unstable cut-off, the same bits as the portable
/// copy.
///
/// With γ = 0 every curvature has c₀ = β − t·0 = β (t finite), and Δ = fl(c₁c₁) − 4β and
/// ρ = F(|c₁|) = ½(|c₁| + √Δ) for a real pair are non-decreasing in |c₁| (each rounding is
/// monotone), √β for a complex pair. With m = max(|c₁|) and n = min(|c₁|) over the two ends,
/// Δ(n) ≤ Δ(m), so max(ρ_lo, ρ_hi) is exactly:
/// - √β when Δ(m) < 0 (both complex);
/// - F(m) when Δ(n) ≥ 0 (both real);
/// - max(F(m), √β) otherwise,
///
/// that is max(radius(m), √β if Δ(n) < 0 else 0), with one root. Rows end at
/// [`unstable_cutoff`].
#[cfg(target_arch = "x86_64")]
mod avx2_heavy_ball {
    use super::{Axis, LANES};
    use std::arch::x86_64::*;

    /// ρ of four cells: max(radius(m), √β where Δ(n) < 0).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn radius(t_lo: __m256d, t_hi: __m256d, k: &Constants) -> __m256d {
        let sign = _mm256_set1_pd(-0.0);
        // c₁ = (1 + β) − t·(1 + 0), and t·1 = t exactly
        let c_lo = _mm256_sub_pd(k.p0, t_lo);
        let c_hi = _mm256_sub_pd(k.p0, t_hi);
        let (u_lo, u_hi) = (_mm256_andnot_pd(sign, c_lo), _mm256_andnot_pd(sign, c_hi));
        let (m, n) = (_mm256_max_pd(u_lo, u_hi), _mm256_min_pd(u_lo, u_hi));
        let dm = _mm256_sub_pd(_mm256_mul_pd(m, m), k.four_b);
        let dn = _mm256_sub_pd(_mm256_mul_pd(n, n), k.four_b);
        let zero = _mm256_setzero_pd();
        let complex = _mm256_cmp_pd::<_CMP_LT_OQ>(dm, zero);
        let s = _mm256_sqrt_pd(_mm256_blendv_pd(dm, k.b, complex));
        let u = _mm256_andnot_pd(complex, m);
        let half = _mm256_blendv_pd(_mm256_set1_pd(0.5), _mm256_set1_pd(1.0), complex);
        let r = _mm256_mul_pd(half, _mm256_add_pd(u, s));
        let floor = _mm256_and_pd(_mm256_cmp_pd::<_CMP_LT_OQ>(dn, zero), k.sqrt_b);
        _mm256_max_pd(r, floor)
    }

    /// Row constants, broadcast.
    struct Constants {
        p0: __m256d,
        b: __m256d,
        four_b: __m256d,
        sqrt_b: __m256d,
    }

    /// (stable cells, Σρ over them) along one row with γ = 0. Rows with a t = αλ that is NaN
    /// or infinite, or with 4β infinite (Δ would be ∞ − ∞), take the portable copy.
    #[target_feature(enable = "avx2")]
    pub(super) fn row_summary(axis: &Axis, b: f64) -> (u64, f64) {
        let (steps, lo, hi) = (&axis.steps[..], axis.lo, axis.hi);
        if !axis.finite || !(4.0 * b).is_finite() {
            return super::portable::row_summary(steps, (b, 0.0), lo, hi);
        }
        let end = if axis.sorted {
            super::unstable_cutoff(steps, (b, 0.0), hi)
        } else {
            steps.len()
        };
        let k = Constants {
            p0: _mm256_set1_pd(1.0 + b),
            b: _mm256_set1_pd(b),
            four_b: _mm256_set1_pd(4.0 * b),
            sqrt_b: _mm256_set1_pd(b.sqrt()),
        };
        let one = _mm256_set1_pd(1.0);
        let (mut count, mut sum) = ([_mm256_setzero_si256(); 2], [_mm256_setzero_pd(); 2]);
        let chunks = steps.chunks_exact(LANES);
        let tail = chunks.remainder();
        for i in (0..chunks.len()).take(end.div_ceil(LANES)) {
            for v in 0..2 {
                let at = LANES * i + 4 * v;
                // SAFETY: at + 4 ≤ the chunks' length ≤ the length of t_lo and t_hi (= steps').
                let (t_lo, t_hi) = unsafe {
                    (
                        _mm256_loadu_pd(axis.t_lo[at..at + 4].as_ptr()),
                        _mm256_loadu_pd(axis.t_hi[at..at + 4].as_ptr()),
                    )
                };
                let r = radius(t_lo, t_hi, &k);
                let stable = _mm256_cmp_pd::<_CMP_LT_OQ>(r, one);
                // a stable lane's mask is −1 as an integer: subtracting it counts the cell
                count[v] = _mm256_sub_epi64(count[v], _mm256_castpd_si256(stable));
                sum[v] = _mm256_add_pd(sum[v], _mm256_and_pd(stable, r));
            }
        }
        super::lane_totals(count, sum, tail, (b, 0.0), lo, hi)
    }
}

/// The summary row for γ ≠ 0 (Nesterov, lookahead) in AVX2 intrinsics: one root per cell where
/// a monotonicity argument settles which end has the larger ρ, two elsewhere, fewer operations
/// per root, none past the row's unstable cut-off; the same bits as the portable copy.
///
/// - 4c₀ = fl(4β − fl(t·4γ)) is 4·fl(β − fl(tγ)) exactly (scaling by 4 commutes with rounding
///   away from overflow and underflow, which the row checks), so the root's argument is Δ or 4c₀
///   and ρ = ½(u + s) with u = |c₁| or 0: ½√(4c₀) = √c₀ exactly.
/// - max(½v, ½w) = ½max(v, w).
/// - One root where λ_lo's ρ is not below λ_hi's by monotonicity alone: for −1 < γ ≤ 0,
///   0 < λ_hi, λ_lo ≤ λ_hi and positive steps, t_lo ≤ t_hi, c₁ does not increase and c₀ does not
///   decrease with t, so while c₁ ≥ 0 and Δ ≥ 0 at λ_hi, |c₁| and Δ are at least as large at
///   λ_lo and both pairs are real: ρ_lo ≥ ρ_hi with every rounding. Those cells are a prefix of
///   the row (bisection); there only λ_lo is computed.
/// - One root on either side of the crossover where λ_hi's pair is complex (γ < 0): see
///   `crossing`.
/// - A cut-off for −1 < γ < 0 too: c₀ at λ_hi does not decrease along the row, and from
///   c₀ ≥ 1 + 2⁻⁴⁸ on every cell is unstable (a complex pair has √c₀ ≥ 1, a real one |c₁| > 2).
///   Before it, blocks past the crossover keep the root-free skip test.
/// - The cut-off for γ ≥ 0: [`unstable_cutoff`].
#[cfg(target_arch = "x86_64")]
mod avx2_two_roots {
    use super::{Axis, LANES, coefficients_at, radius_at};
    use std::arch::x86_64::*;

    /// Row constants, broadcast.
    struct Constants {
        p0: __m256d,
        p1: __m256d,
        four_b: __m256d,
        four_g: __m256d,
    }

    /// c₁, 4c₀ and Δ of four cells at one curvature.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn coefficients(t: __m256d, k: &Constants) -> [__m256d; 3] {
        let c1 = _mm256_sub_pd(k.p0, _mm256_mul_pd(t, k.p1));
        let four_c0 = _mm256_sub_pd(k.four_b, _mm256_mul_pd(t, k.four_g));
        [c1, four_c0, _mm256_sub_pd(_mm256_mul_pd(c1, c1), four_c0)]
    }

    /// |c₁| + √(Δ or 4c₀) with |c₁| dropped for a complex pair: 2ρ.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn twice_radius([c1, four_c0, disc]: [__m256d; 3]) -> __m256d {
        let complex = _mm256_cmp_pd::<_CMP_LT_OQ>(disc, _mm256_setzero_pd());
        let s = _mm256_sqrt_pd(_mm256_blendv_pd(disc, four_c0, complex));
        let u = _mm256_andnot_pd(complex, _mm256_andnot_pd(_mm256_set1_pd(-0.0), c1));
        _mm256_add_pd(u, s)
    }

    /// [`super::surely_unstable`] on four cells (c₀ ≥ 1 read as 4c₀ ≥ 4), as a lane mask.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn surely_unstable([c1, four_c0, disc]: [__m256d; 3]) -> i32 {
        let abs = _mm256_andnot_pd(_mm256_set1_pd(-0.0), c1);
        // max(v, 0) is 0 for NaN v, as f64::max
        let d = _mm256_max_pd(_mm256_sub_pd(_mm256_set1_pd(2.0), abs), _mm256_setzero_pd());
        let complex = _mm256_and_pd(
            _mm256_cmp_pd::<_CMP_LT_OQ>(disc, _mm256_setzero_pd()),
            _mm256_cmp_pd::<_CMP_GE_OQ>(four_c0, _mm256_set1_pd(4.0)),
        );
        let bound = _mm256_mul_pd(_mm256_mul_pd(d, d), _mm256_set1_pd(super::MARGIN));
        let real = _mm256_cmp_pd::<_CMP_GE_OQ>(disc, bound);
        _mm256_movemask_pd(_mm256_or_pd(complex, real))
    }

    /// Where one root suffices past the prefix, for γ < 0 and 0 < λ_lo ≤ λ_hi over positive
    /// increasing steps (the caller checks all but λ_lo > 0): (`before`, `after`, `lo_real`)
    /// such that a cell i with a complex pair at λ_hi has ρ = ρ_lo if i < `before`, and
    /// ρ = ρ_hi if `after` ≤ i < `lo_real`; (0, n, 0) when the row has no such structure.
    ///
    /// With γ ≤ 0, c₀ at λ_hi does not decrease along the row, so a complex pair's ρ = √c₀ there
    /// does not either; while λ_lo's pair has c₁ ≥ 0 and Δ ≥ 0 (the first `lo_real` steps, a
    /// prefix by the argument of the one-root prefix), its ρ does not increase. With i* the first
    /// step past the prefix where ρ_hi ≥ ρ_lo (bisection up to `end`), p = i* − 1 checked complex at
    /// λ_hi, real at λ_lo and ρ_hi(p) < ρ_lo(p): a cell i ≤ p complex at λ_hi has
    /// ρ_hi(i) ≤ ρ_hi(p) < ρ_lo(p) ≤ ρ_lo(i). With i* checked complex at λ_hi and
    /// ρ_hi(i*) ≥ ρ_lo(i*): a cell i* ≤ i < `lo_real` complex at λ_hi has
    /// ρ_hi(i) ≥ ρ_hi(i*) ≥ ρ_lo(i*) ≥ ρ_lo(i). Every comparison is of the rounded values.
    fn crossing(
        (b, g): (f64, f64),
        axis: &Axis,
        prefix: usize,
        end: usize,
    ) -> (usize, usize, usize) {
        let (steps, lo, hi) = (&axis.steps[..], axis.lo, axis.hi);
        let none = (0, steps.len(), 0);
        if !(g < 0.0 && g > -1.0 && lo > 0.0 && hi >= lo) {
            return none;
        }
        let real_lo = |a: f64| {
            let (c1, _, disc) = coefficients_at(a, (b, g), lo);
            c1 >= 0.0 && disc >= 0.0
        };
        let complex_hi = |a: f64| coefficients_at(a, (b, g), hi).2 < 0.0;
        let hi_wins = |a: f64| radius_at(a, (b, g), hi) >= radius_at(a, (b, g), lo);
        let lo_real = steps.partition_point(|&a| real_lo(a));
        let start = prefix.min(steps.len());
        let cross = start + steps[start..end.max(start)].partition_point(|&a| !hi_wins(a));
        let before = match cross.checked_sub(1).map(|p| steps[p]) {
            Some(a) if cross > start && real_lo(a) && complex_hi(a) && !hi_wins(a) => cross,
            _ => 0,
        };
        let after = match steps.get(cross) {
            Some(&a) if complex_hi(a) && hi_wins(a) => cross,
            _ => steps.len(),
        };
        (before, after, lo_real)
    }

    /// (stable cells, Σρ over them) along one row of positive increasing steps, or `None` when
    /// the row needs the portable copy (steps not positive and increasing, or some 4β or t·4γ
    /// could leave the normal range). Rows with γ < 0 or λ_hi ≤ 0 skip blocks that are
    /// provably unstable at λ_hi instead of stopping at a cut-off.
    #[target_feature(enable = "avx2")]
    pub(super) fn row_summary(axis: &Axis, (b, g): (f64, f64)) -> Option<(u64, f64)> {
        let (steps, lo, hi, sorted) = (&axis.steps[..], axis.lo, axis.hi, axis.sorted);
        let (Some(&first), Some(&last)) = (steps.first(), steps.last()) else {
            return None;
        };
        // every t·γ within [1e-270, 1e270] (|t| lies between its values at the first and last
        // step) or zero (λ = 0): 4·fl(tγ) = fl(t·4γ); and 4β finite
        let range = |x: f64| (1e-270..1e270).contains(&x.abs());
        let tame = |x: f64| x == 0.0 || range(x);
        let products = [lo, hi]
            .iter()
            .all(|&l| l == 0.0 || (range(first * l * g) && range(last * l * g)));
        if !(axis.finite && sorted && first > 0.0 && tame(b) && tame(g) && products) {
            return None;
        }
        // the cut-off where its argument holds, else root-free skips of unstable blocks
        let cut = g >= 0.0 && hi > 0.0;
        let end = if cut {
            super::unstable_cutoff(steps, (b, g), hi)
        } else if g < 0.0 && g > -1.0 && hi > 0.0 {
            // c₀ at λ_hi does not decrease along the row: from c₀ ≥ 1 + 2⁻⁴⁸ on, a complex
            // pair has √c₀ ≥ 1 and a real one |c₁| > 2 (fl(c₁²) ≥ 4c₀), so ρ ≥ 1 either way
            let past = |a: f64| coefficients_at(a, (b, g), hi).1 >= 1.0 + 16.0 * f64::EPSILON;
            steps.partition_point(|&a| !past(a))
        } else {
            steps.len()
        };
        let lo_only = if g <= 0.0 && g > -1.0 && hi > 0.0 && lo <= hi {
            steps.partition_point(|&a| {
                let (c1, _, disc) = coefficients_at(a, (b, g), hi);
                c1 >= 0.0 && disc >= 0.0
            })
        } else {
            0
        };
        let (before, after, lo_real) = crossing((b, g), axis, lo_only, end);
        let k = Constants {
            p0: _mm256_set1_pd(1.0 + b),
            p1: _mm256_set1_pd(1.0 + g),
            four_b: _mm256_set1_pd(4.0 * b),
            four_g: _mm256_set1_pd(4.0 * g),
        };
        let (two, half) = (_mm256_set1_pd(2.0), _mm256_set1_pd(0.5));
        let (mut count, mut sum) = ([_mm256_setzero_si256(); 2], [_mm256_setzero_pd(); 2]);
        let chunks = steps.chunks_exact(LANES);
        let tail = chunks.remainder();
        let load = |t: &[f64], at: usize| {
            // SAFETY: at + 4 ≤ the chunks' length ≤ the length of t (= steps').
            unsafe { _mm256_loadu_pd(t[at..at + 4].as_ptr()) }
        };
        // 2ρ of four cells into lane sums of 2ρ, halved once at the end. In a row that passed
        // the checks above every nonzero 2ρ and sum stays in the normal range, where halving
        // commutes with each rounding: ρ ≥ √|c₀| and ρ ≥ |c₁|/2, c₀ is a difference of β and
        // tγ (each 0 or above 1e-270) and c₁ of 1 + β and t(1 + γ), and the two are not both
        // below 1e-300 in such a row. A stable lane's mask is −1 as an integer: subtracting it
        // counts the cell.
        let mut add = |v: usize, w: __m256d| {
            let stable = _mm256_cmp_pd::<_CMP_LT_OQ>(w, two);
            count[v] = _mm256_sub_epi64(count[v], _mm256_castpd_si256(stable));
            sum[v] = _mm256_add_pd(sum[v], _mm256_and_pd(stable, w));
        };
        for i in (0..chunks.len()).take(end.div_ceil(LANES)) {
            let at = LANES * i;
            if at + LANES <= lo_only {
                for v in 0..2 {
                    add(
                        v,
                        twice_radius(coefficients(load(&axis.t_lo, at + 4 * v), &k)),
                    );
                }
                continue;
            }
            let high = [
                coefficients(load(&axis.t_hi, at), &k),
                coefficients(load(&axis.t_hi, at + 4), &k),
            ];
            let complex = |h: [__m256d; 3]| {
                _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_LT_OQ>(h[2], _mm256_setzero_pd()))
            };
            let all_complex = complex(high[0]) & complex(high[1]) == 0b1111;
            if all_complex && at + LANES <= before {
                for v in 0..2 {
                    add(
                        v,
                        twice_radius(coefficients(load(&axis.t_lo, at + 4 * v), &k)),
                    );
                }
                continue;
            }
            // (before the crossover the smallest curvature's ρ is the larger: no skip test)
            if !cut
                && at + LANES > before
                && surely_unstable(high[0]) & surely_unstable(high[1]) == 0b1111
            {
                continue; // unstable at the largest curvature: adds nothing
            }
            if all_complex && at >= after && at + LANES <= lo_real {
                add(0, twice_radius(high[0]));
                add(1, twice_radius(high[1]));
                continue;
            }
            let low = [
                coefficients(load(&axis.t_lo, at), &k),
                coefficients(load(&axis.t_lo, at + 4), &k),
            ];
            for v in 0..2 {
                add(
                    v,
                    _mm256_max_pd(twice_radius(low[v]), twice_radius(high[v])),
                );
            }
        }
        let halved = [_mm256_mul_pd(half, sum[0]), _mm256_mul_pd(half, sum[1])];
        Some(super::lane_totals(count, halved, tail, (b, g), lo, hi))
    }
}

/// The AVX-512F copies (8 doubles per vector). Safe to call only where AVX-512F is present.
/// Compiled by rustc ≥ 1.89 (`build.rs` sets `momentum_avx512`).
#[cfg(all(target_arch = "x86_64", momentum_avx512))]
mod avx512 {
    #[target_feature(enable = "avx512f")]
    pub(super) fn row_summary(steps: &[f64], bg: (f64, f64), lo: f64, hi: f64) -> (u64, f64) {
        super::row_summary_body(steps, bg, lo, hi)
    }

    #[target_feature(enable = "avx512f")]
    pub(super) fn row_stored(
        steps: super::Steps,
        bg: (f64, f64),
        lo: f64,
        hi: f64,
        radii: &mut [f64],
        flags: &mut [u8],
    ) {
        super::row_stored_body(steps, bg, lo, hi, radii, flags)
    }
}

/// The stored row in AVX-512F intrinsics for every γ, two roots per cell with fewer
/// instructions than the compiled loop [`row_stored_body`] (the same bits):
///
/// - 4c₀ = fl(4β − fl(t·4γ)) is 4·fl(β − fl(tγ)) exactly where the row keeps every product in
///   the normal range (the checks of [`avx2_two_roots`]), so Δ = c₁c₁ − 4c₀ as before, and the
///   root's argument is Δ or 4c₀: ½√(4c₀) = √c₀ exactly; for γ = 0, 4c₀ = 4β and t·(1 + γ) = t
///   exactly, four operations fewer per block;
/// - W = |c₁| + √(Δ or 4c₀) (|c₁| dropped for a complex pair) is 2ρ at each end; ρ_lo > ρ_hi
///   exactly when W_lo > W_hi, and ρ = ½·max(W_lo, W_hi), one halving (exact: every nonzero W
///   of such a row is normal);
/// - the flag bytes are built from comparison masks as 64-bit lanes by masked ORs and narrowed
///   once (`vpmovqb`), instead of f64 arithmetic and a conversion.
///
/// Heavy-ball rows (γ = 0) take it too: on an AVX-512 CPU it ran faster than their one-root
/// loop [`row_stored_heavy_ball`] (docs/DESIGN.md, "The stored kernel", third round).
#[cfg(all(target_arch = "x86_64", momentum_avx512))]
#[allow(clippy::incompatible_msrv)]
mod avx512_stored {
    use super::{LANES, Steps, cell_scalar, coefficients_at, tolerance_bound};
    use std::arch::x86_64::*;

    /// A row's constants, broadcast.
    struct Row {
        p0: __m512d,
        p1: __m512d,
        four_b: __m512d,
        four_g: __m512d,
        lo: __m512d,
        hi: __m512d,
        tol_lo: __m512d,
        tol_hi: __m512d,
    }

    impl Row {
        #[inline]
        #[target_feature(enable = "avx512f")]
        fn new((b, g): (f64, f64), lo: f64, hi: f64, (tol_lo, tol_hi): (f64, f64)) -> Self {
            let v = _mm512_set1_pd;
            Row {
                p0: v(1.0 + b),
                p1: v(1.0 + g),
                four_b: v(4.0 * b),
                four_g: v(4.0 * g),
                lo: v(lo),
                hi: v(hi),
                tol_lo: v(tol_lo),
                tol_hi: v(tol_hi),
            }
        }
    }

    /// Whether a row's every product stays where the identities above hold: every step
    /// positive and finite, every t = αλ finite, β and γ zero or of magnitude in
    /// [1e-270, 1e270], and every t·γ zero or in that range.
    fn admitted(steps: Steps, (b, g): (f64, f64), lo: f64, hi: f64) -> bool {
        // every step positive: the largest is a_max, and |tγ| lies between its values at the
        // smallest and the largest
        let (min, max) = (steps.min, steps.a_max);
        let range = |x: f64| (1e-270..=1e270).contains(&x.abs());
        let tame = |x: f64| x == 0.0 || range(x);
        let products = [lo, hi]
            .iter()
            .all(|&l| l == 0.0 || g == 0.0 || (range(min * l * g) && range(max * l * g)));
        steps.positive
            && !steps.steps.is_empty()
            && (max * lo).is_finite()
            && (max * hi).is_finite()
            && tame(b)
            && tame(g)
            && products
    }

    /// [`super::row_stored_body`] for a row that [`admitted`] accepts, whole blocks of
    /// [`LANES`] cells in intrinsics and the rest by the compiled loop, then the cells near a
    /// double root re-done by [`cell_scalar`]; `false` (nothing written) for other rows.
    #[target_feature(enable = "avx512f,bmi2")]
    pub(super) fn row_stored(
        steps: Steps,
        (b, g): (f64, f64),
        lo: f64,
        hi: f64,
        radii: &mut [f64],
        flags: &mut [u8],
    ) -> bool {
        let n = steps.steps.len().min(radii.len()).min(flags.len());
        let (facts, radii, flags) = (steps.prefix(n), &mut radii[..n], &mut flags[..n]);
        if !admitted(facts, (b, g), lo, hi) {
            return false;
        }
        let steps = facts.steps;
        // a bound for the whole row bounds every cell's, in any part of the row
        let tol = (
            tolerance_bound(facts.a_max, (b, g), lo),
            tolerance_bound(facts.a_max, (b, g), hi),
        );
        if g == 0.0 && segments::admitted(facts, b, lo, hi) {
            segments::Row::new(steps, b, lo, hi, tol).run(radii, flags);
        } else if runs::admitted(lo, hi) {
            runs::row(facts, (b, g), lo, hi, tol, radii, flags);
        } else {
            exact(steps, (b, g), lo, hi, tol, radii, flags);
        }
        true
    }

    /// The cells of `steps` (a row [`admitted`] accepts, or a part of one) by the two-root
    /// loop [`blocks`] and the compiled tail, then the cells near a double root re-done by
    /// [`cell_scalar`]; `tol` bounds `classify`'s double-root tolerance at every cell.
    #[target_feature(enable = "avx512f,bmi2")]
    fn exact(
        steps: &[f64],
        (b, g): (f64, f64),
        lo: f64,
        hi: f64,
        (tol_lo, tol_hi): (f64, f64),
        radii: &mut [f64],
        flags: &mut [u8],
    ) {
        let n = steps.len().min(radii.len()).min(flags.len());
        let body = n / LANES * LANES;
        let k = Row::new((b, g), lo, hi, (tol_lo, tol_hi));
        let (s, r, f) = (&steps[..body], &mut radii[..body], &mut flags[..body]);
        let near = if g == 0.0 {
            blocks::<true>(s, r, f, &k)
        } else {
            blocks::<false>(s, r, f, &k)
        };
        if near {
            let far = |d: f64, tol: f64| d.abs() > tol;
            let cells = steps.iter().zip(radii.iter_mut()).zip(flags.iter_mut());
            for ((&a, r), f) in cells.take(body) {
                let (ld, hd) = (
                    coefficients_at(a, (b, g), lo).2,
                    coefficients_at(a, (b, g), hi).2,
                );
                if !(far(ld, tol_lo) & far(hd, tol_hi)) {
                    (*r, *f) = cell_scalar(a, (b, g), lo, hi);
                }
            }
        }
        let (s, r, f) = (&steps[body..n], &mut radii[body..n], &mut flags[body..n]);
        super::row_stored_body(Steps::new(s), (b, g), lo, hi, r, f);
    }

    /// Heavy-ball rows on increasing steps, filled by parts: along such a row the regimes, the
    /// worst end and |Δ|'s distance from the double-root bound change a few times only, and
    /// between those places a cell needs one root at a known end (or none), with flags that
    /// are the same for the whole part. The same bits as [`exact`], cell for cell.
    ///
    /// Why a part can be filled from its first and last cells alone. With γ = 0, c₀ = β at
    /// both ends and c₁ = fl(1 + β − fl(αλ)) does not increase along the row; Δ = fl(c₁c₁) − 4β
    /// and a real pair's ρ = G(|c₁|) = ½fl(|c₁| + √Δ) do not decrease with |c₁| (every rounding
    /// is monotone), and c₁ at λ_lo is ≥ c₁ at λ_hi. Hence, along the row:
    /// - each end's plain code runs 2 (c₁ > 0, real) → 0 (complex) → 3 (c₁ ≤ 0, real): equal at
    ///   the two cells, it is the same in between;
    /// - with that code fixed, Δ is monotone (codes 2 and 3) or largest at the two cells (code
    ///   0), so |Δ| above the bound at both cells holds in between;
    /// - worst-is-lo, ρ_lo > ρ_hi, compares G(|c₁|) at the two ends, or one of them with the
    ///   complex pair's √β: for the code pairs (2, 0), (0, 3) and (2, 3) one side never rises
    ///   and the other never falls, so the comparison is equal at the two cells only if it is
    ///   in between; (0, 0) gives ρ_lo = ρ_hi and (3, 3) |c₁|_hi ≥ |c₁|_lo, both false;
    /// - (2, 2) has |c₁|_lo ≥ |c₁|_hi but no such order of the two sides: there worst-is-lo is
    ///   proven instead, for every α ≥ α₀ once α₀(λ_hi − λ_lo) ≥ 2⁻³⁹(1 + β + √|β|) with
    ///   λ_hi − λ_lo ≥ 2⁻²⁰(λ_hi + λ_lo) (checked in f64 with a wide slack): the difference
    ///   |c₁|_lo − |c₁|_hi is then at least α(λ_hi − λ_lo) − u·α(λ_hi + λ_lo) − 2u(1 + β)
    ///   (u = 2⁻⁵³), far above the 2u·(|c₁| + √Δ)_lo that the roundings of the two sums can take
    ///   back, and the halvings are exact (β ≠ 0 keeps every real ρ normal in an admitted row).
    ///
    /// Where the fill is not proven (near a double root, a tie, the first steps of a (2, 2)
    /// part), the part is halved, and parts of fewer than [`MIN_PART`] cells go to [`exact`].
    /// The places where the regimes change are predicted from the closed forms (α where c₁ =
    /// ±2√β or 0 at either end, where c₁_lo = −c₁_hi, and the (2, 2) proof's α₀) and cut out
    /// with a few cells on each side, so that most parts pass at once.
    pub(super) mod segments {
        use super::super::{Steps, two_root_cell};
        use super::exact;
        use std::arch::x86_64::*;

        #[cfg(test)]
        thread_local! {
            /// Cells filled by parts on this thread (tests check that the fill ran).
            pub(in crate::map) static FILLED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }

        /// Parts shorter than this go to [`exact`] without a test.
        pub(super) const MIN_PART: usize = 16;
        /// Cells taken by [`exact`] on each side of a predicted change.
        const GUARD: usize = 4;
        /// The (2, 2) proof's bound on α(λ_hi − λ_lo)/(1 + β + √|β|).
        const MARGIN: f64 = f64::from_bits((1023 - 39) << 52);
        /// The (2, 2) proof's bound on (λ_hi − λ_lo)/(λ_hi + λ_lo).
        const SPREAD: f64 = f64::from_bits((1023 - 20) << 52);

        /// Whether a row that [`super::admitted`] accepts, with γ = 0, is filled by parts:
        /// β ≠ 0, the steps increasing, 0 < λ_lo < λ_hi apart by a relative 2⁻²⁰.
        pub(in crate::map) fn admitted(steps: Steps, b: f64, lo: f64, hi: f64) -> bool {
            b != 0.0
                && steps.sorted
                && steps.steps.len() >= 2 * MIN_PART
                && lo > 0.0
                && hi > lo
                && hi - lo >= SPREAD * (hi + lo)
        }

        /// One cell's state: ρ, its flag byte, and whether |Δ| clears the double-root bound
        /// at both ends.
        #[derive(Clone, Copy)]
        struct State {
            rho: f64,
            code: u8,
            far: bool,
        }

        /// How a part is filled: every ρ one value, or the real root at λ_lo or at λ_hi.
        #[derive(Clone, Copy)]
        enum Fill {
            Constant,
            Real(f64),
        }

        /// A heavy-ball row and what its parts share.
        pub(in crate::map) struct Row<'a> {
            steps: &'a [f64],
            b: f64,
            lo: f64,
            hi: f64,
            tol: (f64, f64),
            /// The (2, 2) proof's threshold on α·(λ_hi − λ_lo).
            strict: f64,
        }

        impl<'a> Row<'a> {
            pub(in crate::map) fn new(
                steps: &'a [f64],
                b: f64,
                lo: f64,
                hi: f64,
                tol: (f64, f64),
            ) -> Self {
                let strict = MARGIN * ((1.0 + b).abs() + b.abs().sqrt());
                Row {
                    steps,
                    b,
                    lo,
                    hi,
                    tol,
                    strict,
                }
            }

            fn state(&self, i: usize) -> State {
                let (rho, code, ld, hd) =
                    two_root_cell(self.steps[i], (self.b, 0.0), self.lo, self.hi);
                State {
                    rho,
                    // an integer in 0..=31
                    code: code as u8,
                    far: ld.abs() > self.tol.0 && hd.abs() > self.tol.1,
                }
            }

            /// The fill of cells i0..i1 (i1 exclusive) if the argument above covers it.
            fn uniform(&self, i0: usize, i1: usize) -> Option<(Fill, State)> {
                let (s, e) = (self.state(i0), self.state(i1 - 1));
                if !(s.far && e.far && s.code == e.code) {
                    return None;
                }
                let (cl, ch, worst_lo) = (s.code & 3, (s.code >> 2) & 3, s.code >> 4 == 1);
                let proven = |a: f64| a * (self.hi - self.lo) >= self.strict;
                let fill = match (cl, ch, worst_lo) {
                    (0, 0, false) | (2, 0, false) | (0, 3, true) => Fill::Constant,
                    (2, 0, true) | (2, 3, true) => Fill::Real(self.lo),
                    (2, 2, true) if proven(self.steps[i0]) => Fill::Real(self.lo),
                    (0, 3, false) | (2, 3, false) | (3, 3, false) => Fill::Real(self.hi),
                    _ => return None,
                };
                // a constant part's ρ is √β at both cells
                match fill {
                    Fill::Constant if s.rho.to_bits() != e.rho.to_bits() => None,
                    _ => Some((fill, s)),
                }
            }

            /// Cells i0..i1: filled if proven, else halved, else by [`exact`].
            fn part(&self, i0: usize, i1: usize, radii: &mut [f64], flags: &mut [u8]) {
                if i1 - i0 >= MIN_PART {
                    if let Some((fill, s)) = self.uniform(i0, i1) {
                        #[cfg(test)]
                        FILLED.with(|c| c.set(c.get() + i1 - i0));
                        flags[i0..i1].fill(s.code);
                        let r = &mut radii[i0..i1];
                        match fill {
                            Fill::Constant => r.fill(s.rho),
                            // SAFETY: `admitted` rows run only where AVX-512F was detected.
                            Fill::Real(lambda) => unsafe {
                                real_roots(
                                    &self.steps[i0..i1],
                                    r,
                                    1.0 + self.b,
                                    lambda,
                                    4.0 * self.b,
                                )
                            },
                        }
                        return;
                    }
                    if i1 - i0 >= 2 * MIN_PART {
                        let m = i0 + (i1 - i0) / 2;
                        self.part(i0, m, radii, flags);
                        self.part(m, i1, radii, flags);
                        return;
                    }
                }
                // SAFETY: as above.
                unsafe {
                    exact(
                        &self.steps[i0..i1],
                        (self.b, 0.0),
                        self.lo,
                        self.hi,
                        self.tol,
                        &mut radii[i0..i1],
                        &mut flags[i0..i1],
                    )
                }
            }

            /// Where the closed forms put a change along the row, as step indices, sorted.
            fn changes(&self) -> Vec<usize> {
                let (b, lo, hi) = (self.b, self.lo, self.hi);
                let p0 = 1.0 + b;
                let two_root = 2.0 * b.abs().sqrt();
                let mut at = Vec::with_capacity(9);
                for lambda in [lo, hi] {
                    at.push(p0 / lambda);
                    if b > 0.0 {
                        at.push((p0 - two_root) / lambda);
                        at.push((p0 + two_root) / lambda);
                    }
                }
                at.push(2.0 * p0 / (lo + hi));
                at.push(self.strict / (hi - lo));
                let mut k: Vec<usize> = at
                    .iter()
                    .filter(|a| a.is_finite() && **a > 0.0)
                    .map(|&a| self.steps.partition_point(|&s| s < a))
                    .collect();
                k.sort_unstable();
                k.dedup();
                k
            }

            /// The whole row.
            pub(in crate::map) fn run(&self, radii: &mut [f64], flags: &mut [u8]) {
                let n = self.steps.len().min(radii.len()).min(flags.len());
                let mut start = 0;
                for k in self.changes() {
                    let (cut_lo, cut_hi) = (k.saturating_sub(GUARD).max(start), (k + GUARD).min(n));
                    if cut_lo >= cut_hi {
                        continue;
                    }
                    if cut_lo > start {
                        self.part(start, cut_lo, radii, flags);
                    }
                    self.part(cut_lo, cut_hi, radii, flags);
                    start = cut_hi;
                }
                if start < n {
                    self.part(start, n, radii, flags);
                }
            }
        }

        /// ρ = ½(|c₁| + √(c₁c₁ − 4β)) with c₁ = (1 + β) − αλ for every step: the real pair's
        /// radius in [`exact`]'s operations (p0 = 1 + β, four_b = 4β).
        #[target_feature(enable = "avx512f")]
        fn real_roots(steps: &[f64], radii: &mut [f64], p0: f64, lambda: f64, four_b: f64) {
            let n = steps.len().min(radii.len());
            let body = n / 8 * 8;
            let v = _mm512_set1_pd;
            let (vp0, vl, vb, half) = (v(p0), v(lambda), v(four_b), v(0.5));
            for at in (0..body).step_by(8) {
                // SAFETY: at + 8 ≤ n ≤ both lengths.
                unsafe {
                    let a = _mm512_loadu_pd(steps.as_ptr().add(at));
                    let c1 = _mm512_sub_pd(vp0, _mm512_mul_pd(a, vl));
                    let d = _mm512_sub_pd(_mm512_mul_pd(c1, c1), vb);
                    let w = _mm512_add_pd(_mm512_abs_pd(c1), _mm512_sqrt_pd(d));
                    _mm512_storeu_pd(radii.as_mut_ptr().add(at), _mm512_mul_pd(half, w));
                }
            }
            for (r, &a) in radii[body..n].iter_mut().zip(&steps[body..n]) {
                let c1 = p0 - a * lambda;
                *r = 0.5 * (c1.abs() + (c1 * c1 - four_b).sqrt());
            }
        }
    }

    /// Rows that [`segments`] does not take (γ ≠ 0 above all), by runs of cells that share
    /// their flags: the first cell of a run is computed by [`two_root_cell`], and its regimes
    /// and worst end are then assumed for the cells that follow, each block of [`LANES`]
    /// checked before it is stored, with one root, at the worst end m, instead of two. The
    /// same bits as [`exact`]; a block that fails its check ends the run and goes to [`exact`].
    ///
    /// The check of a cell, with W = |c₁| + √Δ (real pair) or √(4c₀) (complex pair) as
    /// [`blocks`] computes it (2ρ):
    /// - each end's plain code as assumed: Δ < −tol for a complex pair, Δ > tol and the sign of
    ///   c₁ for a real one (so |Δ| clears the double-root bound, and the code is `classify`'s);
    /// - W_m in [2⁻⁴⁰⁰, 2⁴⁰⁰] (its square and ½W_m are then exact enough, see below);
    /// - W_n < W_m strictly at the other end n, without its root (u = 2⁻⁵³):
    ///   - complex n, X = 4c₀ > 0: fl(X·(1 + 2⁻⁴⁸)) < fl(W_m·W_m) gives X < W_m²(1 − 2⁻⁴⁹),
    ///     so fl(√X) < W_m;
    ///   - real n: h = fl(fl(W_m·(1 − 2⁻⁴⁶)) − |c₁|) > 2⁻⁴³⁰ and fl(Δ·(1 + 2⁻⁴⁸)) < fl(h·h)
    ///     give h < h*(1 + u) with h* = W_m(1 − 2⁻⁵⁰) − |c₁|, then Δ < h*²(1 − 2⁻⁴⁹), so
    ///     fl(√Δ) < h* and fl(|c₁| + fl(√Δ)) < W_m.
    ///
    /// Then ρ = ½·max(W_lo, W_hi) = ½W_m and worst-is-lo is m = λ_lo, as in [`blocks`].
    pub(super) mod runs {
        use super::super::{LANES, Steps, two_root_cell};
        use super::{Row, exact};
        use std::arch::x86_64::*;

        /// The proofs' factors and bounds (see the module's docs).
        const ABOVE: f64 = 1.0 + 16.0 * f64::EPSILON; // 1 + 2⁻⁴⁸
        const BELOW: f64 = 1.0 - 64.0 * f64::EPSILON; // 1 − 2⁻⁴⁶
        const W_MIN: f64 = f64::from_bits((1023 - 400) << 52);
        const W_MAX: f64 = f64::from_bits((1023 + 400) << 52);
        const H_MIN: f64 = f64::from_bits((1023 - 430) << 52);

        #[cfg(test)]
        thread_local! {
            /// Cells stored by runs on this thread (tests check that runs ran).
            pub(in crate::map) static RUN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }

        /// Whether a row that [`super::admitted`] accepts is done by runs: two distinct ends
        /// (with λ_lo = λ_hi every cell is a tie, which no run can prove).
        pub(in crate::map) fn admitted(lo: f64, hi: f64) -> bool {
            lo != hi
        }

        /// The whole row.
        #[target_feature(enable = "avx512f,bmi2")]
        pub(in crate::map) fn row(
            steps: Steps,
            (b, g): (f64, f64),
            lo: f64,
            hi: f64,
            tol: (f64, f64),
            radii: &mut [f64],
            flags: &mut [u8],
        ) {
            let bounded = bounded(steps.a_max, (b, g), lo, hi, tol);
            let steps = steps.steps;
            let n = steps.len().min(radii.len()).min(flags.len());
            let k = Row::new((b, g), lo, hi, tol);
            let mut i = 0;
            while n - i >= 2 * LANES {
                let (_, code, ld, hd) = two_root_cell(steps[i], (b, g), lo, hi);
                if ld.abs() > tol.0 && hd.abs() > tol.1 {
                    // an integer in 0..=31
                    let code = code as u8;
                    let (s, r, f) = (&steps[i..n], &mut radii[i..n], &mut flags[i..n]);
                    let done = run(s, r, f, &k, code, bounded);
                    #[cfg(test)]
                    RUN.with(|c| c.set(c.get() + done));
                    i += done;
                }
                // the block that ended the run (or whose first cell is near a double root)
                let end = (i + LANES).min(n);
                let (s, r, f) = (&steps[i..end], &mut radii[i..end], &mut flags[i..end]);
                exact(s, (b, g), lo, hi, tol, r, f);
                i = end;
            }
            let (s, r, f) = (&steps[i..n], &mut radii[i..n], &mut flags[i..n]);
            exact(s, (b, g), lo, hi, tol, r, f);
        }

        /// One run with `code`'s regimes and worst end: the cells stored (whole blocks, up to
        /// the first block whose check fails).
        #[target_feature(enable = "avx512f")]
        fn run(
            steps: &[f64],
            radii: &mut [f64],
            flags: &mut [u8],
            k: &Row,
            code: u8,
            bounded: bool,
        ) -> usize {
            if bounded {
                dispatch::<true>(steps, radii, flags, k, code)
            } else {
                dispatch::<false>(steps, radii, flags, k, code)
            }
        }

        /// [`run`] with `BOUNDED` known.
        #[target_feature(enable = "avx512f")]
        fn dispatch<const BOUNDED: bool>(
            steps: &[f64],
            radii: &mut [f64],
            flags: &mut [u8],
            k: &Row,
            code: u8,
        ) -> usize {
            let (cl, ch, worst_lo) = (code & 3, (code >> 2) & 3, code >> 4 == 1);
            let (cm, cn) = if worst_lo { (cl, ch) } else { (ch, cl) };
            let pos = (cl == 2, ch == 2);
            let go = match (worst_lo, cm != 0, cn != 0) {
                (true, true, true) => blocks::<BOUNDED, true, true, true>,
                (true, true, false) => blocks::<BOUNDED, true, true, false>,
                (true, false, true) => blocks::<BOUNDED, true, false, true>,
                (true, false, false) => blocks::<BOUNDED, true, false, false>,
                (false, true, true) => blocks::<BOUNDED, false, true, true>,
                (false, true, false) => blocks::<BOUNDED, false, true, false>,
                (false, false, true) => blocks::<BOUNDED, false, false, true>,
                (false, false, false) => blocks::<BOUNDED, false, false, false>,
            };
            go(steps, radii, flags, k, pos, code)
        }

        /// Whether every W that a checked block can compute lies in [W_MIN, W_MAX], so that the
        /// blocks need not check it: the codes' checks give Δ > tol (real) or 4c₀ > tol
        /// (complex), so W ≥ fl(√tol); and |c₁| ≤ C = |1 + β| + T|1 + γ|, |4c₀| ≤ F = |4β| +
        /// T|4γ| with T = max|α|·max|λ| bound W ≤ |c₁| + √(c₁² + |4c₀|) ≤ 2C + √F (with a
        /// relative 1e-6 for the roundings).
        fn bounded(a_max: f64, (b, g): (f64, f64), lo: f64, hi: f64, tol: (f64, f64)) -> bool {
            let slack = 1.0 + 1e-6;
            let t = a_max * lo.abs().max(hi.abs()) * slack;
            let c = ((1.0 + b).abs() + t * (1.0 + g).abs()) * slack;
            let f = ((4.0 * b).abs() + t * (4.0 * g).abs()) * slack;
            let w = (2.0 * c + f.sqrt()) * slack;
            w < W_MAX && tol.0.sqrt() >= W_MIN && tol.1.sqrt() >= W_MIN
        }

        /// Blocks of a run whose worst end is λ_lo if `M_LO`, with a real pair there if
        /// `M_REAL` and at the other end if `N_REAL`; `pos` the signs of c₁ > 0 (real ends);
        /// W's range is not checked if `BOUNDED` ([`bounded`]).
        #[target_feature(enable = "avx512f")]
        fn blocks<const BOUNDED: bool, const M_LO: bool, const M_REAL: bool, const N_REAL: bool>(
            steps: &[f64],
            radii: &mut [f64],
            flags: &mut [u8],
            k: &Row,
            (pos_lo, pos_hi): (bool, bool),
            code: u8,
        ) -> usize {
            let (lo_real, hi_real) = if M_LO {
                (M_REAL, N_REAL)
            } else {
                (N_REAL, M_REAL)
            };
            let zero = _mm512_setzero_pd();
            let v = _mm512_set1_pd;
            let (above, below, half) = (v(ABOVE), v(BELOW), v(0.5));
            let (w_min, w_max, h_min) = (v(W_MIN), v(W_MAX), v(H_MIN));
            let word = u64::from_ne_bytes([code; LANES]);
            // (c₁, 4c₀, Δ) at one end, and whether its plain code is as assumed with |Δ| > tol
            let end = |a: __m512d, lambda: __m512d, tol: __m512d, real: bool, pos: bool| {
                let t = _mm512_mul_pd(a, lambda);
                let c1 = _mm512_sub_pd(k.p0, _mm512_mul_pd(t, k.p1));
                let four_c0 = _mm512_sub_pd(k.four_b, _mm512_mul_pd(t, k.four_g));
                let disc = _mm512_sub_pd(_mm512_mul_pd(c1, c1), four_c0);
                let ok = if real {
                    let sign = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(c1, zero);
                    let sign = if pos { sign } else { !sign };
                    _mm512_mask_cmp_pd_mask::<_CMP_GT_OQ>(sign, disc, tol)
                } else {
                    let minus = _mm512_sub_pd(zero, tol);
                    _mm512_cmp_pd_mask::<_CMP_LT_OQ>(disc, minus)
                };
                (c1, four_c0, disc, ok)
            };
            let n = steps.len().min(radii.len()).min(flags.len()) / LANES * LANES;
            for at in (0..n).step_by(LANES) {
                // SAFETY: at + LANES ≤ the common length of the three slices.
                unsafe {
                    let a = _mm512_loadu_pd(steps.as_ptr().add(at));
                    let l = end(a, k.lo, k.tol_lo, lo_real, pos_lo);
                    let h = end(a, k.hi, k.tol_hi, hi_real, pos_hi);
                    let ((c1m, fm, dm, _), (c1n, fn_, dn, _)) = if M_LO { (l, h) } else { (h, l) };
                    let w = if M_REAL {
                        _mm512_add_pd(_mm512_abs_pd(c1m), _mm512_sqrt_pd(dm))
                    } else {
                        _mm512_sqrt_pd(fm)
                    };
                    let ok = if BOUNDED {
                        l.3 & h.3
                    } else {
                        l.3 & h.3
                            & _mm512_mask_cmp_pd_mask::<_CMP_LT_OQ>(
                                _mm512_cmp_pd_mask::<_CMP_GT_OQ>(w, w_min),
                                w,
                                w_max,
                            )
                    };
                    let ok = if N_REAL {
                        let gap = _mm512_sub_pd(_mm512_mul_pd(w, below), _mm512_abs_pd(c1n));
                        let ok = _mm512_mask_cmp_pd_mask::<_CMP_GT_OQ>(ok, gap, h_min);
                        _mm512_mask_cmp_pd_mask::<_CMP_LT_OQ>(
                            ok,
                            _mm512_mul_pd(dn, above),
                            _mm512_mul_pd(gap, gap),
                        )
                    } else {
                        _mm512_mask_cmp_pd_mask::<_CMP_LT_OQ>(
                            ok,
                            _mm512_mul_pd(fn_, above),
                            _mm512_mul_pd(w, w),
                        )
                    };
                    if ok != 0xff {
                        return at;
                    }
                    _mm512_storeu_pd(radii.as_mut_ptr().add(at), _mm512_mul_pd(half, w));
                    flags
                        .as_mut_ptr()
                        .add(at)
                        .cast::<u64>()
                        .write_unaligned(word);
                }
            }
            n
        }
    }

    /// One bit per lane of an 8-bit mask, spread to bit 0 of that lane's byte.
    #[inline]
    #[target_feature(enable = "bmi2")]
    fn spread(mask: u8) -> u64 {
        _pdep_u64(mask as u64, 0x0101_0101_0101_0101)
    }

    /// The stored cells of `steps` (whole blocks of [`LANES`]), γ = 0 if `HB`; whether some
    /// cell is near a double root (|Δ| within the tolerance bound at an end).
    #[inline]
    #[target_feature(enable = "avx512f,bmi2")]
    fn blocks<const HB: bool>(steps: &[f64], radii: &mut [f64], flags: &mut [u8], k: &Row) -> bool {
        let (zero, half) = (_mm512_setzero_pd(), _mm512_set1_pd(0.5));
        let abs_bits = _mm512_set1_epi64(i64::MAX);
        // c₁, 4c₀, Δ at one end; W = |c₁| + √(Δ or 4c₀) (2ρ); the masks of a complex pair, of
        // c₁ > 0 and of |Δ| above the double-root bound (under `far`: both ends)
        let end = |a: __m512d, lambda: __m512d, tol: __m512d, far: __mmask8| {
            let t = _mm512_mul_pd(a, lambda);
            // γ = 0: t·(1 + 0) = t and 4β − t·0 = 4β exactly (t finite)
            let (c1, four_c0) = if HB {
                (_mm512_sub_pd(k.p0, t), k.four_b)
            } else {
                (
                    _mm512_sub_pd(k.p0, _mm512_mul_pd(t, k.p1)),
                    _mm512_sub_pd(k.four_b, _mm512_mul_pd(t, k.four_g)),
                )
            };
            let disc = _mm512_sub_pd(_mm512_mul_pd(c1, c1), four_c0);
            let complex = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(disc, zero);
            let s = _mm512_sqrt_pd(_mm512_mask_blend_pd(complex, disc, four_c0));
            let u = _mm512_maskz_and_epi64(!complex, _mm512_castpd_si512(c1), abs_bits);
            let w = _mm512_add_pd(_mm512_castsi512_pd(u), s);
            let positive = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(c1, zero);
            let far = _mm512_mask_cmp_pd_mask::<_CMP_GT_OQ>(far, _mm512_abs_pd(disc), tol);
            (w, !complex, positive, far)
        };
        let mut near = false;
        for at in (0..steps.len().min(radii.len()).min(flags.len()) / LANES * LANES).step_by(LANES)
        {
            // SAFETY: at + LANES ≤ the common length of the three slices.
            unsafe {
                let a = _mm512_loadu_pd(steps.as_ptr().add(at));
                let (w_lo, real_lo, p_lo, far) = end(a, k.lo, k.tol_lo, 0xff);
                let (w_hi, real_hi, p_hi, far) = end(a, k.hi, k.tol_hi, far);
                let worst_lo = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(w_hi, w_lo);
                let r = _mm512_mul_pd(half, _mm512_max_pd(w_lo, w_hi));
                _mm512_storeu_pd(radii.as_mut_ptr().add(at), r);
                // code = plain_code(lo) + 4·plain_code(hi) + 16·worst-is-lo: 2 for a real pair,
                // 3 if also c₁ ≤ 0, 0 for a complex one; in 64-bit lanes, then one byte each
                let code = spread(real_lo & !p_lo)
                    | spread(real_lo) << 1
                    | spread(real_hi & !p_hi) << 2
                    | spread(real_hi) << 3
                    | spread(worst_lo) << 4;
                flags
                    .as_mut_ptr()
                    .add(at)
                    .cast::<[u8; LANES]>()
                    .write_unaligned(code.to_le_bytes());
                near |= far != 0xff;
            }
        }
        near
    }
}

/// Whether the AVX-512F stored loop runs on this CPU (it needs BMI2 too).
#[cfg(all(target_arch = "x86_64", momentum_avx512))]
#[inline]
fn has_avx512_stored() -> bool {
    has_avx512() && std::is_x86_feature_detected!("bmi2")
}

/// Whether the AVX2 copies run on this CPU (`is_x86_feature_detected!` caches its answer).
#[cfg(target_arch = "x86_64")]
#[inline]
fn has_avx2() -> bool {
    std::is_x86_feature_detected!("avx2")
}

/// Whether the AVX-512F copies run on this CPU.
#[cfg(all(target_arch = "x86_64", momentum_avx512))]
#[inline]
fn has_avx512() -> bool {
    std::is_x86_feature_detected!("avx512f")
}

/// The widest copy this CPU runs: "avx512f", "avx2" or "baseline" (reported by benchmarks).
pub(super) fn widest() -> &'static str {
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    if has_avx512() {
        return "avx512f";
    }
    #[cfg(target_arch = "x86_64")]
    {
        if has_avx2() {
            return "avx2";
        }
    }
    "baseline"
}

/// A map's step axis with its products t = αλ at both ends of the spectrum, computed once per
/// map for the summary rows (the same products the per-cell formulas take).
pub(super) struct Axis {
    steps: Vec<f64>,
    t_lo: Vec<f64>,
    t_hi: Vec<f64>,
    lo: f64,
    hi: f64,
    /// Whether the steps never decrease (the cut-offs need it).
    sorted: bool,
    /// Whether every t at both ends is finite (not NaN, no overflow).
    finite: bool,
}

impl Axis {
    pub(super) fn new(steps: Vec<f64>, lo: f64, hi: f64) -> Self {
        let t_lo: Vec<f64> = steps.iter().map(|a| a * lo).collect();
        let t_hi: Vec<f64> = steps.iter().map(|a| a * hi).collect();
        Axis {
            finite: t_lo.iter().chain(&t_hi).all(|t| t.is_finite()),
            sorted: steps.windows(2).all(|w| w[0] <= w[1]),
            t_lo,
            t_hi,
            steps,
            lo,
            hi,
        }
    }
}

/// (stable cells, Σρ over them) along one row: the widest copy this CPU runs.
pub(super) fn row_summary(axis: &Axis, bg: (f64, f64)) -> (u64, f64) {
    let (steps, lo, hi) = (&axis.steps[..], axis.lo, axis.hi);
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        if bg.1 == 0.0 {
            // SAFETY: the CPU supports AVX2, checked at run time by is_x86_feature_detected!.
            return unsafe { avx2_heavy_ball::row_summary(axis, bg.0) };
        }
        // SAFETY: as above.
        if let Some(r) = unsafe { avx2_two_roots::row_summary(axis, bg) } {
            return r;
        }
    }
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    if has_avx512() {
        // SAFETY: the CPU supports AVX-512F, checked at run time by is_x86_feature_detected!.
        return unsafe { avx512::row_summary(steps, bg, lo, hi) };
    }
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU supports AVX2, checked at run time by is_x86_feature_detected!.
        return unsafe { avx2::row_summary(steps, bg, lo, hi) };
    }
    portable::row_summary(steps, bg, lo, hi)
}

/// Worst-case ρ and packed flags along one row: the widest copy this CPU runs.
pub(super) fn row_stored(
    steps: Steps,
    bg: (f64, f64),
    lo: f64,
    hi: f64,
    radii: &mut [f64],
    flags: &mut [u8],
) {
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    if has_avx512_stored() {
        // SAFETY: the CPU supports AVX-512F and BMI2, checked at run time.
        if unsafe { avx512_stored::row_stored(steps, bg, lo, hi, radii, flags) } {
            return;
        }
    }
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    if has_avx512() {
        // SAFETY: the CPU supports AVX-512F, checked at run time by is_x86_feature_detected!.
        return unsafe { avx512::row_stored(steps, bg, lo, hi, radii, flags) };
    }
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        // SAFETY: the CPU supports AVX2, checked at run time by is_x86_feature_detected!.
        return unsafe { avx2::row_stored(steps, bg, lo, hi, radii, flags) };
    }
    portable::row_stored(steps, bg, lo, hi, radii, flags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Family;
    use crate::map::GridSpec;
    use crate::mode::radius;

    /// The kernel before one root per endpoint: both roots taken, one selected; the regime by
    /// [`classify`] (the reference every copy must match bit for bit).
    fn reference_cell(a: f64, bg: (f64, f64), lo: f64, hi: f64) -> (f64, u8) {
        let at = |lambda: f64| {
            let (c1, c0, disc) = coefficients_at(a, bg, lambda);
            let real = 0.5 * (c1.abs() + disc.abs().sqrt());
            let complex = c0.max(0.0).sqrt();
            let r = if disc < 0.0 { complex } else { real };
            assert_eq!(r.to_bits(), radius(c1, c0, disc).to_bits());
            let tol =
                CRITICAL_DAMPING_ULPS * f64::EPSILON * sensitivity(affine_parts(a, bg), c1, lambda);
            (r, crate::map::regime_code(classify(c1, disc, tol)))
        };
        let ((r_lo, g_lo), (r_hi, g_hi)) = (at(lo), at(hi));
        let worst_lo = r_lo > r_hi;
        (
            if worst_lo { r_lo } else { r_hi },
            g_lo | (g_hi << 2) | ((worst_lo as u8) << 4),
        )
    }

    fn reference_row_summary(steps: &[f64], bg: (f64, f64), lo: f64, hi: f64) -> (u64, f64) {
        let mut count = [0u64; LANES];
        let mut sum = [0.0f64; LANES];
        let chunks = steps.chunks_exact(LANES);
        let tail = chunks.remainder();
        for chunk in chunks {
            for k in 0..LANES {
                let r = reference_cell(chunk[k], bg, lo, hi).0;
                count[k] += (r < 1.0) as u64;
                sum[k] += if r < 1.0 { r } else { 0.0 };
            }
        }
        for &a in tail {
            let r = reference_cell(a, bg, lo, hi).0;
            if r < 1.0 {
                count[0] += 1;
                sum[0] += r;
            }
        }
        (count.iter().sum(), sum.iter().sum())
    }

    /// Grids: the NumPy peer's edge grid (its diagonal i = j lies on the heavy-ball edge
    /// αL = 2(1 + β)), odd sizes with tails, a wide step range, and a near-double complex pair.
    fn grids() -> Vec<(GridSpec, f64, f64)> {
        let mut out = Vec::new();
        for family in [
            Family::HeavyBall,
            Family::Nesterov,
            Family::Lookahead(0.3),
            Family::Lookahead(-0.4),
            Family::GradientDescent,
        ] {
            out.push((
                GridSpec::new(family, 0.04, (-1.0, 1.0), (512, 512)).unwrap(),
                1.0,
                100.0,
            ));
            // steps long enough for λ_lo's pair to turn complex and negative along a row
            out.push((
                GridSpec::new(family, 4.0, (-1.0, 1.0), (256, 64)).unwrap(),
                0.5,
                2.0,
            ));
            // negative curvature at one end, then at both (no cut-off: λ_hi ≤ 0), a log axis
            out.push((
                GridSpec::new(family, 0.5, (-1.0, 1.0), (128, 41)).unwrap(),
                -2.0,
                5.0,
            ));
            out.push((
                GridSpec::new(family, 0.5, (-1.0, 1.0), (64, 17)).unwrap(),
                -3.0,
                -0.5,
            ));
            // both ends the same (every cell a tie: worst-is-lo false), and ends whose Δ or ρ
            // leave f64 or come near underflow
            for (lo, hi) in [(7.0, 7.0), (0.0, 0.0), (1e150, 1e200), (1e-310, 1e-300)] {
                out.push((
                    GridSpec::new(family, 0.5, (-1.0, 1.0), (67, 19)).unwrap(),
                    lo,
                    hi,
                ));
            }
            out.push((
                GridSpec::new(family, 0.04, (-1.0, 1.0), (256, 64))
                    .unwrap()
                    .log_steps(1e-5)
                    .unwrap(),
                1.0,
                100.0,
            ));
            out.push((
                GridSpec::new(family, 0.25, (-1.0, 1.0), (97, 83)).unwrap(),
                0.5,
                20.0,
            ));
            out.push((
                GridSpec::new(family, 4.2, (-1.5, 1.5), (203, 61)).unwrap(),
                1.0,
                1.0,
            ));
            out.push((
                GridSpec::new(family, 1e3, (-3.0, 3.0), (64, 64)).unwrap(),
                1e-3,
                1e4,
            ));
            // step 0.25 (column 0) at λ = 4: αλ = 1, gradient descent's double root (Δ = 0): the
            // exact re-do path
            out.push((
                GridSpec::new(family, 10.0, (-1.0, 1.0), (20, 9)).unwrap(),
                4.0,
                8.0,
            ));
        }
        out
    }

    /// (name, row summary, stored radii, stored flags) of one kernel copy.
    type CopyOutput = (&'static str, (u64, f64), Vec<f64>, Vec<u8>);

    #[test]
    fn every_copy_matches_the_reference_bit_for_bit() {
        let (mut edge_cells, mut double_roots) = (0, 0);
        for (spec, lo, hi) in grids() {
            let (n, m) = spec.shape();
            let steps: Vec<f64> = (0..n).map(|i| spec.step(i)).collect();
            for j in 0..m {
                let bg = spec.family().momentum_lookahead(spec.momentum(j));
                let want = reference_row_summary(&steps, bg, lo, hi);
                let cells: Vec<(f64, u8)> = steps
                    .iter()
                    .map(|&a| reference_cell(a, bg, lo, hi))
                    .collect();
                edge_cells += cells.iter().filter(|c| (c.0 - 1.0).abs() < 1e-15).count();
                double_roots += cells.iter().filter(|c| c.1 & 3 == 1).count();
                let mut copies: Vec<CopyOutput> = Vec::new();
                let (mut r, mut f) = (vec![0.0; n], vec![0u8; n]);
                portable::row_stored(Steps::new(&steps), bg, lo, hi, &mut r, &mut f);
                copies.push(("portable", portable::row_summary(&steps, bg, lo, hi), r, f));
                let (mut r, mut f) = (vec![0.0; n], vec![0u8; n]);
                row_stored(Steps::new(&steps), bg, lo, hi, &mut r, &mut f);
                let axis = Axis::new(steps.clone(), lo, hi);
                copies.push(("dispatched", row_summary(&axis, bg), r, f));
                // the same cells in decreasing order: no cut-off applies (other lane sums)
                let reversed: Vec<f64> = steps.iter().rev().copied().collect();
                let down = row_summary(&Axis::new(reversed.clone(), lo, hi), bg);
                let want_down = reference_row_summary(&reversed, bg, lo, hi);
                assert_eq!(down.0, want_down.0, "{:?} reversed row {j}", spec.family());
                assert_eq!(down.1.to_bits(), want_down.1.to_bits(), "reversed row {j}");
                #[cfg(target_arch = "x86_64")]
                if has_avx2() {
                    let (mut r, mut f) = (vec![0.0; n], vec![0u8; n]);
                    // SAFETY: AVX2 detected by is_x86_feature_detected! just above.
                    let s = unsafe {
                        avx2::row_stored(Steps::new(&steps), bg, lo, hi, &mut r, &mut f);
                        avx2::row_summary(&steps, bg, lo, hi)
                    };
                    copies.push(("avx2", s, r, f));
                }
                #[cfg(all(target_arch = "x86_64", momentum_avx512))]
                if has_avx512() {
                    let (mut r, mut f) = (vec![0.0; n], vec![0u8; n]);
                    // SAFETY: AVX-512F detected by is_x86_feature_detected! just above.
                    let s = unsafe {
                        avx512::row_stored(Steps::new(&steps), bg, lo, hi, &mut r, &mut f);
                        avx512::row_summary(&steps, bg, lo, hi)
                    };
                    copies.push(("avx512f", s, r, f));
                }
                for (name, s, r, f) in copies {
                    let ctx = format!("{name} {:?} row {j}", spec.family());
                    assert_eq!(s.0, want.0, "{ctx}");
                    assert_eq!(s.1.to_bits(), want.1.to_bits(), "{ctx}");
                    for (i, c) in cells.iter().enumerate() {
                        assert_eq!((r[i].to_bits(), f[i]), (c.0.to_bits(), c.1), "{ctx} i {i}");
                    }
                }
            }
        }
        // the edge grids put cells within a rounding of ρ = 1: the test is not vacuous there
        assert!(edge_cells > 100, "{edge_cells}");
        // and critically damped cells, which the stored loop re-does by the exact route
        assert!(double_roots > 0, "{double_roots}");
    }

    #[test]
    fn rows_outside_the_fast_paths_match_the_reference() {
        // found by an adversarial review: 4β = ∞ made Δ = ∞ − ∞ in the heavy-ball loop, and NaN
        // steps or curvatures passed its old finiteness check; these rows take the portable copy
        let nan = f64::NAN;
        let uniform: Vec<f64> = (1..=8).map(|i| 0.5 * i as f64).collect();
        let mut with_nan: Vec<f64> = (1..=8).map(|i| 0.1 * i as f64).collect();
        with_nan[3] = nan;
        let rows = [
            (
                uniform.clone(),
                (f64::from_bits(0x7fd0_0000_0000_0000), 0.0),
                1.0,
                2.0,
            ),
            (uniform.clone(), (1e308, 0.0), 1.0, 100.0),
            (uniform.clone(), (f64::MAX, 0.0), 1.0, 100.0),
            (with_nan.clone(), (0.5, 0.0), 1.0, 2.0),
            (with_nan, (0.5, 0.5), 1.0, 2.0),
            (uniform.clone(), (0.5, 0.0), 1.0, nan),
            (uniform.clone(), (0.5, 0.0), nan, 2.0),
            (uniform.clone(), (0.5, 0.5), 1.0, nan),
            (uniform, (1e308, 1e308), 1.0, 2.0),
        ];
        for (steps, bg, lo, hi) in rows {
            let want = portable::row_summary(&steps, bg, lo, hi);
            let got = row_summary(&Axis::new(steps, lo, hi), bg);
            let same = got.1.to_bits() == want.1.to_bits() || (got.1.is_nan() && want.1.is_nan());
            assert!(
                got.0 == want.0 && same,
                "{bg:?} {lo} {hi}: {got:?} {want:?}"
            );
        }
        // and through the public API: heavy ball at β ≈ 4.6e307 is unstable everywhere
        let spec = GridSpec::new(Family::HeavyBall, 1.0, (4.6e307, 4.7e307), (16, 4)).unwrap();
        let s = crate::map::summary(&spec, &crate::Spectrum::interval(1.0, 100.0).unwrap());
        assert_eq!(s.stable_cells, 0);
    }

    #[test]
    fn heavy_ball_rows_match_two_roots_at_the_double_root() {
        // 800 steps a rounding apart around αλ_hi = 1 + β + 2√β (c₁ = −2√β, a double root at
        // λ_hi): where λ_lo's pair is complex, a real and a complex pair meet (the max(·, √β))
        let (lo, hi) = (1.0, 2.0);
        let (mut real, mut complex) = (0, 0);
        for k in 1..200 {
            let b = k as f64 / 201.0;
            let centre = (1.0 + b + 2.0 * b.sqrt()) / hi;
            let steps: Vec<f64> = (-400i64..400)
                .map(|u| f64::from_bits((centre.to_bits() as i64 + u) as u64))
                .collect();
            for &a in &steps {
                if coefficients_at(a, (b, 0.0), lo).2 < 0.0 {
                    let d = coefficients_at(a, (b, 0.0), hi).2;
                    (real, complex) = if d >= 0.0 {
                        (real + 1, complex)
                    } else {
                        (real, complex + 1)
                    };
                }
            }
            let want = reference_row_summary(&steps, (b, 0.0), lo, hi);
            let got = row_summary(&Axis::new(steps, lo, hi), (b, 0.0));
            assert_eq!(
                (got.0, got.1.to_bits()),
                (want.0, want.1.to_bits()),
                "β {b}"
            );
        }
        assert!(real > 1000 && complex > 1000, "{real} {complex}");
    }

    #[test]
    fn stored_heavy_ball_rows_match_two_roots_where_the_ends_tie() {
        // steps a rounding apart around α(λ_lo + λ_hi) = 2(1 + β), where c₁ at λ_lo and λ_hi
        // have nearly opposite values: real pairs with ρ_lo and ρ_hi equal or an ulp apart, the
        // cells whose strict order the one-root loop cannot prove and re-does
        let (lo, hi) = (1.0, 3.0);
        let (mut undecided, mut ties) = (0, 0);
        for k in -100..100 {
            let b = k as f64 / 1601.0;
            if b == 0.0 {
                continue;
            }
            let centre = 2.0 * (1.0 + b) / (lo + hi);
            let steps = window(centre);
            let row = HeavyBallRow {
                p0: 1.0 + b,
                b,
                four_b: 4.0 * b,
                sqrt_b: b.sqrt(),
            };
            for &a in &steps {
                undecided += heavy_ball_cell(a, row, lo, hi).4 as usize;
                let (c_lo, c_hi) = (
                    coefficients_at(a, (b, 0.0), lo),
                    coefficients_at(a, (b, 0.0), hi),
                );
                let tie = radius_at(a, (b, 0.0), lo) == radius_at(a, (b, 0.0), hi);
                ties += (tie && c_lo.0.abs() > c_hi.0.abs() && c_hi.2 >= 0.0) as usize;
            }
            let n = steps.len();
            let (mut r, mut f) = (vec![0.0; n], vec![0u8; n]);
            row_stored(Steps::new(&steps), (b, 0.0), lo, hi, &mut r, &mut f);
            let (mut pr, mut pf) = (vec![0.0; n], vec![0u8; n]);
            portable::row_stored(Steps::new(&steps), (b, 0.0), lo, hi, &mut pr, &mut pf);
            for (i, &a) in steps.iter().enumerate() {
                let want = reference_cell(a, (b, 0.0), lo, hi);
                assert_eq!(
                    (r[i].to_bits(), f[i]),
                    (want.0.to_bits(), want.1),
                    "β {b} i {i}"
                );
                assert_eq!(
                    (pr[i].to_bits(), pf[i]),
                    (want.0.to_bits(), want.1),
                    "β {b} i {i}"
                );
            }
        }
        // real ties with the larger |c₁| at λ_lo exist (worst-is-lo must be false there), and
        // the loop sent cells to the exact route
        assert!(ties > 10 && undecided >= ties, "{ties} {undecided}");
    }

    #[test]
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    fn the_avx512_stored_loop_matches_two_roots_where_the_ends_cross() {
        if !has_avx512_stored() {
            return; // nothing to compare on this CPU
        }
        // steps a rounding apart around the crossing where ρ_hi overtakes ρ_lo (found by
        // bisection with both roots), for Nesterov, lookahead and heavy-ball rows: the
        // worst-is-lo flag there comes from W_lo > W_hi, which must be the strict order of ρ
        let (lo, hi) = (1.0, 100.0);
        let (mut lo_worst, mut hi_worst, mut ties, mut crossings) = (0, 0, 0, 0);
        for family in [Family::Nesterov, Family::Lookahead(0.3), Family::HeavyBall] {
            for k in 1..160 {
                let beta = -1.0 + k as f64 / 80.0;
                let bg = family.momentum_lookahead(beta);
                let hi_wins = |a: f64| radius_at(a, bg, hi) >= radius_at(a, bg, lo);
                let grid: Vec<f64> = (1..=4096).map(|i| 0.04 * i as f64 / 4096.0).collect();
                let i = grid.partition_point(|&a| !hi_wins(a));
                if i == 0 || i == grid.len() {
                    continue; // no crossing on this row
                }
                // the first f64 where λ_hi wins, between two grid steps (positive f64 order as
                // their bits do)
                let (mut a, mut b) = (grid[i - 1].to_bits(), grid[i].to_bits());
                while b - a > 1 {
                    let m = a + (b - a) / 2;
                    (a, b) = if hi_wins(f64::from_bits(m)) {
                        (a, m)
                    } else {
                        (m, b)
                    };
                }
                crossings += 1;
                let centre = f64::from_bits(b);
                let steps = window(centre);
                let n = steps.len();
                let (mut r, mut f) = (vec![0.0; n], vec![0u8; n]);
                // SAFETY: AVX-512F and BMI2 detected just above.
                let taken = unsafe {
                    avx512_stored::row_stored(Steps::new(&steps), bg, lo, hi, &mut r, &mut f)
                };
                assert!(taken, "{family:?} β {beta}: the row was not admitted");
                let (mut pr, mut pf) = (vec![0.0; n], vec![0u8; n]);
                portable::row_stored(Steps::new(&steps), bg, lo, hi, &mut pr, &mut pf);
                for (j, &a) in steps.iter().enumerate() {
                    let want = reference_cell(a, bg, lo, hi);
                    let ctx = format!("{family:?} β {beta} α {a:e}");
                    assert_eq!((r[j].to_bits(), f[j]), (want.0.to_bits(), want.1), "{ctx}");
                    assert_eq!(
                        (pr[j].to_bits(), pf[j]),
                        (want.0.to_bits(), want.1),
                        "{ctx}"
                    );
                    let (r_lo, r_hi) = (radius_at(a, bg, lo), radius_at(a, bg, hi));
                    lo_worst += (r_lo > r_hi) as usize;
                    hi_worst += (r_lo < r_hi) as usize;
                    ties += (r_lo == r_hi) as usize;
                }
            }
        }
        // the windows hold both orders and exact ties (heavy ball: both pairs complex, ρ = √β)
        assert!(
            crossings > 200 && lo_worst > 10_000 && hi_worst > 10_000 && ties > 100,
            "{crossings} {lo_worst} {hi_worst} {ties}"
        );
    }

    /// 600 steps a rounding apart around `centre` (positive steps are ordered as their bits).
    fn window(centre: f64) -> Vec<f64> {
        (-300i64..300)
            .map(|u| f64::from_bits((centre.to_bits() as i64 + u) as u64))
            .collect()
    }

    /// Runs one row through the AVX-512 stored copy and compares it with the reference cell by
    /// cell; the number of cells.
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    fn avx512_row_is_the_reference(steps: &[f64], bg: (f64, f64), lo: f64, hi: f64) -> usize {
        let n = steps.len();
        let (mut r, mut f) = (vec![0.0; n], vec![0u8; n]);
        // SAFETY: the callers return early unless AVX-512F and BMI2 are detected.
        let taken =
            unsafe { avx512_stored::row_stored(Steps::new(steps), bg, lo, hi, &mut r, &mut f) };
        assert!(taken, "β, γ {bg:?}: the row was not admitted");
        for (i, &a) in steps.iter().enumerate() {
            let want = reference_cell(a, bg, lo, hi);
            let ctx = format!("λ [{lo}, {hi}] β, γ {bg:?} α {a:e}");
            assert_eq!((r[i].to_bits(), f[i]), (want.0.to_bits(), want.1), "{ctx}");
        }
        n
    }

    #[test]
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    fn heavy_ball_parts_match_two_roots_at_every_change() {
        use avx512_stored::segments::FILLED;
        if !has_avx512_stored() {
            return; // nothing to compare on this CPU
        }
        // rows of heavy ball on increasing steps: a plain grid, and windows of steps a rounding
        // apart around every place where a regime, the worst end or the (2, 2) proof changes
        // (c₁ = ±2√β or 0 at either end, c₁_lo = −c₁_hi, α₀), where parts are cut and halved
        let (mut cells, mut changes) = (0usize, 0usize);
        FILLED.with(|c| c.set(0));
        for (lo, hi) in [
            (1.0, 100.0),
            (0.5, 2.0),
            (1e-3, 1e4),
            (3.0, 3.0 * (1.0 + 1e-5)),
        ] {
            for k in -40..40 {
                let b = (k as f64 + 0.5) / 40.0;
                let p0 = 1.0 + b;
                let grid: Vec<f64> = (1..=2048)
                    .map(|i| 4.0 * p0 / lo * i as f64 / 2048.0)
                    .collect();
                cells += avx512_row_is_the_reference(&grid, (b, 0.0), lo, hi);
                let root = 2.0 * b.abs().sqrt();
                let margin = f64::from_bits((1023 - 39) << 52) * (p0.abs() + b.abs().sqrt());
                let at = [
                    p0 / lo,
                    p0 / hi,
                    2.0 * p0 / (lo + hi),
                    (p0 - root) / lo,
                    (p0 + root) / lo,
                    (p0 - root) / hi,
                    (p0 + root) / hi,
                    margin / (hi - lo),
                ];
                for centre in at.into_iter().filter(|a| a.is_finite() && *a > 0.0) {
                    changes += 1;
                    cells += avx512_row_is_the_reference(&window(centre), (b, 0.0), lo, hi);
                }
            }
        }
        // most cells were filled by parts, not by the two-root loop
        let filled = FILLED.with(|c| c.get());
        assert!(
            changes > 500 && filled > cells * 3 / 4,
            "{changes} {filled} of {cells}"
        );
    }

    #[test]
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    fn runs_match_two_roots_where_the_regimes_change() {
        use avx512_stored::runs::RUN;
        if !has_avx512_stored() {
            return; // nothing to compare on this CPU
        }
        // Nesterov and lookahead rows: a plain grid, and windows of steps a rounding apart
        // around every α where a code changes at either end (c₁ = 0 or Δ = 0), where runs end
        // and their checks must fail rather than store a wrong cell
        let (mut cells, mut windows) = (0usize, 0usize);
        RUN.with(|c| c.set(0));
        for family in [
            Family::Nesterov,
            Family::Lookahead(0.3),
            Family::Lookahead(-0.4),
        ] {
            for (lo, hi) in [(1.0, 100.0), (0.5, 2.0), (1e-3, 1e4)] {
                for k in -20..20 {
                    let bg @ (b, g) = family.momentum_lookahead((k as f64 + 0.5) / 20.0);
                    let grid: Vec<f64> = (1..=2048).map(|i| 4.0 / hi * i as f64 / 2048.0).collect();
                    cells += avx512_row_is_the_reference(&grid, bg, lo, hi);
                    // Δ = 0 where p₁²t² − (2p₀p₁ − 4γ)t + p₀² − 4β = 0; c₁ = 0 at t = p₀/p₁
                    let (p0, p1) = (1.0 + b, 1.0 + g);
                    let (qa, qb, qc) = (p1 * p1, 2.0 * p0 * p1 - 4.0 * g, p0 * p0 - 4.0 * b);
                    let root = (qb * qb - 4.0 * qa * qc).max(0.0).sqrt();
                    for t in [p0 / p1, (qb - root) / (2.0 * qa), (qb + root) / (2.0 * qa)] {
                        for centre in [t / lo, t / hi] {
                            if centre.is_finite() && centre > 0.0 {
                                windows += 1;
                                cells += avx512_row_is_the_reference(&window(centre), bg, lo, hi);
                            }
                        }
                    }
                }
            }
        }
        // most cells were stored by runs, not by the two-root loop
        let run = RUN.with(|c| c.get());
        assert!(
            windows > 300 && run > cells * 2 / 3,
            "{windows} {run} of {cells}"
        );
    }

    #[test]
    fn the_root_free_test_never_calls_a_stable_cell_unstable() {
        // cells straddling the heavy-ball edge at λ = 1: c₁ = 1 + β − t, c₀ = β, t ∈ 2(1+β)(1 ± 1e-12)
        for k in 0..20_000 {
            let b = -0.999 + 1.998 * k as f64 / 20_000.0;
            for s in [-1e-9, -1e-12, -1e-15, 0.0, 1e-15, 1e-12, 1e-9] {
                let t = 2.0 * (1.0 + b) * (1.0 + s);
                let (c1, c0, d) = coefficients_at(t, (b, 0.0), 1.0);
                if surely_unstable(c1, c0, d) {
                    assert!(radius_and_root(c1, c0, d).0 >= 1.0, "β {b} t {t}");
                }
            }
        }
    }
}
