//! The map kernel alone, timed the way `../shared/peers/numba_map.py` times itself: one warm-up
//! call, then the best of `--repeat` calls, printed as one JSON line with the same fields
//! (`seconds`, `stable_fraction`, `checksum`). `scripts/peers.py` runs both, several times each.
//!
//! `cargo bench --bench peers -- --method hb --grid 4096 --mu 1 --L 100 --lr-max 0.04 [--stored]`
//!
//! - default: [`summary`], which keeps nothing per cell;
//! - `--stored`: [`StabilityMap::recompute`] into the buffers of a map computed once before the
//!   timed calls, as the Numba peer fills a preallocated `out` array (the peer stores ρ, 8 bytes a
//!   cell; this stores ρ and the packed regimes, 9 bytes a cell). `fresh_seconds` is
//!   [`StabilityMap::compute`] with its fresh buffer (allocation and first-touch page faults);
//!   the counts are taken after the timed calls;
//! - `--limit`: the arithmetic limit of this CPU's widest vector unit for the kernel's dominant
//!   operation, double-precision square roots: `roots_per_second` over all threads, from a
//!   branch-free loop of independent roots in the widest copy (AVX-512F, AVX2 or baseline).

use momentum::map::{GridSpec, StabilityMap, kernel_copy, summary};
use momentum::{Family, Spectrum};
use std::time::Instant;

fn sqrt_pass_portable(x: &[f64], y: &mut [f64]) {
    for (a, b) in x.iter().zip(y.iter_mut()) {
        *b = a.sqrt();
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sqrt_pass_avx2(x: &[f64], y: &mut [f64]) {
    sqrt_pass_portable(x, y)
}

#[cfg(all(target_arch = "x86_64", momentum_avx512))]
#[target_feature(enable = "avx512f")]
fn sqrt_pass_avx512(x: &[f64], y: &mut [f64]) {
    sqrt_pass_portable(x, y)
}

fn sqrt_pass(x: &[f64], y: &mut [f64]) {
    #[cfg(all(target_arch = "x86_64", momentum_avx512))]
    if std::is_x86_feature_detected!("avx512f") {
        // SAFETY: AVX-512F detected at run time.
        return unsafe { sqrt_pass_avx512(x, y) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 detected at run time.
        return unsafe { sqrt_pass_avx2(x, y) };
    }
    sqrt_pass_portable(x, y)
}

/// Square roots per second over all threads: each thread roots an L1-resident row of 2048
/// doubles over and over; the best of `repeat` timings.
fn roots_per_second(repeat: usize) -> f64 {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = 1usize << 24;
    let mut best = f64::INFINITY;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        std::thread::scope(|s| {
            for t in 0..threads {
                s.spawn(move || {
                    let x: Vec<f64> = (0..2048).map(|i| 1.0 + (i + t) as f64 * 0.37).collect();
                    let mut y = vec![0.0; 2048];
                    for _ in 0..per_thread / 2048 {
                        sqrt_pass(std::hint::black_box(&x), &mut y);
                        std::hint::black_box(&mut y);
                    }
                });
            }
        });
        best = best.min(t0.elapsed().as_secs_f64());
    }
    (threads * per_thread) as f64 / best
}

fn main() {
    let (mut method, mut grid, mut mu, mut l) = ("hb".to_string(), 4096usize, 1.0, 100.0);
    let (mut lr_max, mut repeat, mut stored, mut limit) = (None, 3usize, false, false);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().expect("a value after the flag");
        match a.as_str() {
            "--method" => method = value(),
            "--grid" => grid = value().parse().expect("--grid N"),
            "--mu" => mu = value().parse().expect("--mu X"),
            "--L" => l = value().parse().expect("--L X"),
            "--lr-max" => lr_max = Some(value().parse().expect("--lr-max X")),
            "--repeat" => repeat = value().parse().expect("--repeat N"),
            "--stored" => stored = true,
            "--limit" => limit = true,
            "--bench" => {} // passed by `cargo bench`
            other => panic!("unknown argument {other}"),
        }
    }
    if limit {
        let r = roots_per_second(repeat);
        println!(
            "{{\"copy\": \"{}\", \"threads\": {}, \"roots_per_second\": {r}}}",
            kernel_copy(),
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
        return;
    }
    let family = match method.as_str() {
        "hb" => Family::HeavyBall,
        "nag" => Family::Nesterov,
        other => panic!("--method hb|nag, got {other}"),
    };
    let spec = GridSpec::new(family, lr_max.unwrap_or(4.0 / l), (-1.0, 1.0), (grid, grid))
        .expect("a valid grid");
    let spectrum = Spectrum::interval(mu, l).expect("an interval");
    let mut best = f64::INFINITY;
    let mut fresh = f64::NAN;
    let s = if stored {
        // start rayon's pool first, so that fresh_seconds is the buffer and the kernel only
        let tiny = GridSpec::new(family, 1.0, (-1.0, 1.0), (64, 64)).expect("a valid grid");
        std::hint::black_box(summary(&tiny, &spectrum));
        let t0 = Instant::now();
        let mut map =
            std::hint::black_box(StabilityMap::compute(&spec, &spectrum)).expect("within limits");
        fresh = t0.elapsed().as_secs_f64();
        map.recompute(&spec, &spectrum).expect("within limits"); // warm-up
        for _ in 0..repeat.max(1) {
            let t0 = Instant::now();
            map.recompute(std::hint::black_box(&spec), &spectrum)
                .expect("within limits");
            std::hint::black_box(map.radii());
            best = best.min(t0.elapsed().as_secs_f64());
        }
        map.summary()
    } else {
        let mut s = summary(&spec, &spectrum); // warm-up: thread pool
        for _ in 0..repeat.max(1) {
            let t0 = Instant::now();
            s = std::hint::black_box(summary(std::hint::black_box(&spec), &spectrum));
            best = best.min(t0.elapsed().as_secs_f64());
        }
        s
    };
    println!(
        "{{\"method\": \"{method}\", \"grid\": {grid}, \"stored\": {stored}, \"copy\": \"{}\", \
         \"seconds\": {best}, \"fresh_seconds\": {}, \"points_per_second\": {}, \
         \"stable_cells\": {}, \"stable_fraction\": {}, \"checksum\": {}}}",
        kernel_copy(),
        if fresh.is_nan() {
            "null".to_string()
        } else {
            fresh.to_string()
        },
        (grid * grid) as f64 / best,
        s.stable_cells,
        s.stable_fraction,
        s.checksum
    );
}
