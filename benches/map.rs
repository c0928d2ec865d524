//! Throughput of worst-case stability maps over an interval (the endpoint theorem makes a cell two
//! 2×2 root problems). `cargo bench --bench map`; `scripts/peers.py` runs the kernel side by side
//! with the NumPy and Numba peers.

use momentum::Family;
use momentum::Spectrum;
use momentum::map::{GridSpec, StabilityMap, summary};

fn main() {
    divan::main();
}

fn spec(family: Family, n: usize) -> GridSpec {
    GridSpec::new(family, 0.04, (-1.0, 1.0), (n, n)).expect("a valid grid")
}

/// Summary only (what `momentum map --json` computes): nothing stored per cell.
#[divan::bench(args = [1024, 4096], sample_count = 20)]
fn summary_heavy_ball(bencher: divan::Bencher, n: usize) {
    let s = Spectrum::interval(1.0, 100.0).expect("an interval");
    let g = spec(Family::HeavyBall, n);
    bencher
        .counter(divan::counter::ItemsCount::new(n * n))
        .bench(|| summary(divan::black_box(&g), &s));
}

#[divan::bench(args = [1024, 4096], sample_count = 20)]
fn summary_nesterov(bencher: divan::Bencher, n: usize) {
    let s = Spectrum::interval(1.0, 100.0).expect("an interval");
    let g = spec(Family::Nesterov, n);
    bencher
        .counter(divan::counter::ItemsCount::new(n * n))
        .bench(|| summary(divan::black_box(&g), &s));
}

/// Every cell stored with its regimes (what `--csv` and `--out` need).
#[divan::bench(args = [1024, 4096], sample_count = 10)]
fn stored_heavy_ball(bencher: divan::Bencher, n: usize) {
    let s = Spectrum::interval(1.0, 100.0).expect("an interval");
    let g = spec(Family::HeavyBall, n);
    bencher
        .counter(divan::counter::ItemsCount::new(n * n))
        .bench(|| StabilityMap::compute(divan::black_box(&g), &s).expect("within limits"));
}

#[divan::bench(args = [1024, 4096], sample_count = 10)]
fn stored_nesterov(bencher: divan::Bencher, n: usize) {
    let s = Spectrum::interval(1.0, 100.0).expect("an interval");
    let g = spec(Family::Nesterov, n);
    bencher
        .counter(divan::counter::ItemsCount::new(n * n))
        .bench(|| StabilityMap::compute(divan::black_box(&g), &s).expect("within limits"));
}

/// Every cell stored again into an existing map's buffers (no allocation, no page faults: the
/// like-for-like row against the Numba peer, which fills a preallocated array).
#[divan::bench(args = [1024, 4096], sample_count = 10)]
fn stored_recompute_heavy_ball(bencher: divan::Bencher, n: usize) {
    let s = Spectrum::interval(1.0, 100.0).expect("an interval");
    let g = spec(Family::HeavyBall, n);
    let mut map = StabilityMap::compute(&g, &s).expect("within limits");
    bencher
        .counter(divan::counter::ItemsCount::new(n * n))
        .bench_local(|| {
            map.recompute(divan::black_box(&g), &s)
                .expect("within limits")
        });
}

/// A fixed lookahead γ = 0.5 (the general two-step family).
#[divan::bench(args = [1024, 4096], sample_count = 20)]
fn summary_lookahead(bencher: divan::Bencher, n: usize) {
    let s = Spectrum::interval(1.0, 100.0).expect("an interval");
    let g = spec(Family::Lookahead(0.5), n);
    bencher
        .counter(divan::counter::ItemsCount::new(n * n))
        .bench(|| summary(divan::black_box(&g), &s));
}
