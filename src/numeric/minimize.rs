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
    let mut xs: Vec<f64> = (0..samples)
        .map(|i| lo + (hi - lo) * i as f64 / (samples - 1) as f64)
        .collect();
    for &h in hints {
        if h.is_finite() {
            let mut x = h;
            for _ in 0..3 {
                xs.push(x);
                x = x.next_down();
            }
            let mut x = h.next_up();
            for _ in 0..2 {
                xs.push(x);
                x = x.next_up();
            }
        }
    }
    xs.retain(|x| (lo..=hi).contains(x));
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let ys: Vec<f64> = xs.iter().map(|&x| f(x)).collect();
    let mut best = (xs[0], ys[0]);
    for (&x, &y) in xs.iter().zip(&ys) {
        if y < best.1 {
            best = (x, y);
        }
    }
    // sampled local minima, best first
    let mut minima: Vec<usize> = (0..xs.len())
        .filter(|&i| (i == 0 || ys[i] <= ys[i - 1]) && (i + 1 == xs.len() || ys[i] <= ys[i + 1]))
        .collect();
    minima.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]));
    // each is refined on the two neighbouring samples and on one grid spacing either side (a
    // breakpoint's neighbouring floats would otherwise make a degenerate bracket), whole and
    // by halves, so that a corner at the sampled point does not hide the side the optimum is on
    //
    // A bracket already refined is not refined again (on a plain grid point the neighbours are
    // the grid spacing either side, so the first two brackets coincide): golden section visits
    // the same points in the same order on the same bracket whatever its start, so a second
    // run returns either its start (a sample, no better than the best sample) or a point the
    // first run already offered — it cannot change `best`.
    let s = (hi - lo) / (samples - 1) as f64;
    let mut refined: Vec<(u64, u64)> = Vec::with_capacity(4 * REFINED);
    for &i in minima.iter().take(REFINED) {
        let x = xs[i];
        let (a, b) = (xs[i.saturating_sub(1)], xs[(i + 1).min(xs.len() - 1)]);
        let (wa, wb) = ((x - s).max(lo), (x + s).min(hi));
        for (a, b) in [(a, b), (wa, wb), (wa, x), (x, wb)] {
            let key = (a.to_bits(), b.to_bits());
            if b > a && !refined.contains(&key) {
                refined.push(key);
                let (x, y) = golden(&f, a, b, (xs[i], ys[i]));
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
