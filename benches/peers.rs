//! The map kernel alone, timed the way `../shared/peers/numba_map.py` times itself: one warm-up
//! call, then the best of `--repeat` calls, printed as one JSON line with the same fields
//! (`seconds`, `stable_fraction`, `checksum`). `scripts/peers.py` runs both, several times each.
//!
//! `cargo bench --bench peers -- --method hb --grid 4096 --mu 1 --L 100 --lr-max 0.04 [--stored]`
//! (`--stored` times [`StabilityMap::compute`], which keeps ρ and the regimes of every cell, as
//! the Numba peer keeps ρ; the default times [`summary`], which keeps nothing per cell).

use momentum::map::{GridSpec, StabilityMap, summary};
use momentum::{Family, Spectrum};
use std::time::Instant;

fn main() {
    let (mut method, mut grid, mut mu, mut l) = ("hb".to_string(), 4096usize, 1.0, 100.0);
    let (mut lr_max, mut repeat, mut stored) = (None, 3usize, false);
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
            "--bench" => {} // passed by `cargo bench`
            other => panic!("unknown argument {other}"),
        }
    }
    let family = match method.as_str() {
        "hb" => Family::HeavyBall,
        "nag" => Family::Nesterov,
        other => panic!("--method hb|nag, got {other}"),
    };
    let spec = GridSpec::new(family, lr_max.unwrap_or(4.0 / l), (-1.0, 1.0), (grid, grid))
        .expect("a valid grid");
    let spectrum = Spectrum::interval(mu, l).expect("an interval");
    let run = || {
        if stored {
            StabilityMap::compute(&spec, &spectrum)
                .expect("within limits")
                .summary()
        } else {
            summary(&spec, &spectrum)
        }
    };
    let mut s = run(); // warm-up: thread pool, page faults
    let mut best = f64::INFINITY;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        s = std::hint::black_box(run());
        best = best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{{\"method\": \"{method}\", \"grid\": {grid}, \"stored\": {stored}, \"seconds\": {best}, \
         \"points_per_second\": {}, \"stable_fraction\": {}, \"checksum\": {}}}",
        (grid * grid) as f64 / best,
        s.stable_fraction,
        s.checksum
    );
}
