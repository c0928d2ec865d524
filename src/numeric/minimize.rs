//! One-dimensional minimisation that a corner cannot fool: bracket on a grid plus known
//! breakpoints, then refine by golden section (which needs only unimodality).

/// How many sampled local minima are refined.
const REFINED: usize = 4;

/// Minimise f over [lo, hi] by bracket-then-refine: sample a uniform grid of `samples` points
/// plus `hints` (breakpoints where f has corners, with their neighbouring floats), then refine
/// the best few (4) sampled local minima by golden section around them.
/// Returns (x, f(x)) of the best point evaluated.
pub(crate) fn minimise_1d(
    f: impl Fn(f64) -> f64,
    (lo, hi): (f64, f64),
    hints: &[f64],
    samples: usize,
) -> (f64, f64) {
    let xs = sample_points((lo, hi), hints, samples);
    let ys: Vec<f64> = xs.iter().map(|&x| f(x)).collect();
    refine(&f, &xs, &ys, (lo, hi), samples, REFINED, true)
}

/// The sample points of [`minimise_1d`]: a uniform grid of `samples` points of [lo, hi] plus
/// each hint with its three floats below and two above, sorted, in range, without repeats.
pub(crate) fn sample_points((lo, hi): (f64, f64), hints: &[f64], samples: usize) -> Vec<f64> {
    let mut xs: Vec<f64> = (0..samples)
        .map(|i| lo + (hi - lo) * i as f64 / (samples - 1) as f64)
        .collect();
    for &h in hints.iter().filter(|h| h.is_finite()) {
        xs.extend([h, h.next_down(), h.next_down().next_down()]);
        xs.extend([h.next_up(), h.next_up().next_up()]);
    }
    xs.retain(|x| (lo..=hi).contains(x));
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs
}

/// The best of the samples (xs, ys) and of golden section on the brackets of the best
/// `refined` sampled local minima: the two neighbouring samples and one grid spacing either side
/// (a breakpoint's neighbouring floats would otherwise make a degenerate bracket), and with
/// `halves` that spacing's halves, so that a corner at the sampled point does not hide the side
/// the optimum is on. A bracket already refined is not refined again: golden section visits the
/// same points on the same bracket whatever its start, so a second run could not change the best.
pub(crate) fn refine(
    f: &impl Fn(f64) -> f64,
    xs: &[f64],
    ys: &[f64],
    (lo, hi): (f64, f64),
    samples: usize,
    refined: usize,
    halves: bool,
) -> (f64, f64) {
    let mut best = (xs[0], ys[0]);
    for (&x, &y) in xs.iter().zip(ys) {
        if y < best.1 {
            best = (x, y);
        }
    }
    let mut minima: Vec<usize> = (0..xs.len())
        .filter(|&i| (i == 0 || ys[i] <= ys[i - 1]) && (i + 1 == xs.len() || ys[i] <= ys[i + 1]))
        .collect();
    minima.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]));
    let s = (hi - lo) / (samples - 1) as f64;
    let mut done: Vec<(u64, u64)> = Vec::with_capacity(4 * refined);
    for &i in minima.iter().take(refined) {
        let x = xs[i];
        let (a, b) = (xs[i.saturating_sub(1)], xs[(i + 1).min(xs.len() - 1)]);
        let (wa, wb) = ((x - s).max(lo), (x + s).min(hi));
        let brackets = [(a, b), (wa, wb), (wa, x), (x, wb)];
        for &(a, b) in &brackets[..if halves { 4 } else { 2 }] {
            let key = (a.to_bits(), b.to_bits());
            if b > a && !done.contains(&key) {
                done.push(key);
                let (x, y) = golden(f, a, b, (xs[i], ys[i]));
                if y < best.1 {
                    best = (x, y);
                }
            }
        }
    }
    best
}

/// Golden-section search on [a, b] for a unimodal f; `start` is a known point in the bracket.
/// Returns the best point evaluated (never worse than `start`); at most 202 evaluations, fewer
/// once the bracket is a few ulps wide.
pub(crate) fn golden(
    f: &impl Fn(f64) -> f64,
    mut a: f64,
    mut b: f64,
    start: (f64, f64),
) -> (f64, f64) {
    const R: f64 = 0.618_033_988_749_894_8;
    let mut best = start;
    let mut c = b - R * (b - a);
    let mut d = a + R * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..200 {
        if fc < best.1 {
            best = (c, fc);
        }
        if fd < best.1 {
            best = (d, fd);
        }
        if b - a <= 4.0 * f64::EPSILON * a.abs().max(b.abs()) {
            break;
        }
        if fc <= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - R * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + R * (b - a);
            fd = f(d);
        }
    }
    best
}
