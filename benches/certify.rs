//! Certified rates on F(μ, L): time per certified rate (frequency route; SDP route with the
//! feature `sdp`) and a 128² certified map of heavy ball. `cargo bench --bench certify
//! [--features sdp]`; `certified_map_*`: the same plane by `certify::map::CertifiedMap` (set
//! RAYON_NUM_THREADS=1 for one core). The Python side is scripts/certify_bench.py (cvxpy + Clarabel).

use momentum::Method;
use momentum::certify;

fn main() {
    divan::main();
}

fn nesterov100() -> Method {
    Method::nesterov(1.0, 9.0 / 11.0).unwrap()
}

#[divan::bench]
fn frequency_rate_nesterov_kappa100() -> Option<f64> {
    certify::certified_rate(divan::black_box(&nesterov100()), 0.01, 1.0)
        .unwrap()
        .rate
}

/// Polyak's heavy ball at κ = 15: window 1 (the one-step rate alone) and 3 (the default lift).
#[divan::bench(args = [1, 3])]
fn lifted_rate_polyak_kappa15(window: usize) -> Option<f64> {
    let s = 15f64.sqrt();
    let m = Method::heavy_ball(4.0 / (s + 1.0).powi(2), ((s - 1.0) / (s + 1.0)).powi(2)).unwrap();
    certify::lifted::certified_rate(divan::black_box(&m), 1.0, 15.0, window)
        .unwrap()
        .rate
}

#[cfg(feature = "sdp")]
#[divan::bench]
fn sdp_rate_nesterov_kappa100() -> Option<f64> {
    certify::certify(
        divan::black_box(&nesterov100()),
        0.01,
        1.0,
        certify::Engine::Sdp,
    )
    .unwrap()
    .rate
}

#[divan::bench(sample_count = 3)]
fn frequency_map_heavy_ball_128x128() -> usize {
    let n = 128;
    let mut certified = 0;
    for i in 0..n {
        for j in 0..n {
            let step = 4.0 * (i as f64 + 0.5) / n as f64;
            let momentum = (j as f64 + 0.5) / n as f64;
            let m = Method::heavy_ball(step, momentum).unwrap();
            if certify::certified_rate(&m, 0.01, 1.0)
                .unwrap()
                .rate
                .is_some()
            {
                certified += 1;
            }
        }
    }
    certified
}

/// The same 128² plane (heavy ball over [0.01, 1], step (0, 4], momentum (0, 1)) as one
/// `CertifiedMap`: cutting-plane multiplier test, warm-started bisections, rows in parallel.
#[divan::bench(sample_count = 10)]
fn certified_map_heavy_ball_128x128() -> u64 {
    let spec =
        momentum::map::GridSpec::new(momentum::Family::HeavyBall, 4.0, (0.0, 1.0), (128, 128))
            .unwrap();
    certify::map::CertifiedMap::compute(divan::black_box(&spec), 0.01, 1.0)
        .unwrap()
        .summary()
        .certified_cells
}

/// As above with every bisection started cold (the warm start's share of the speed-up).
#[divan::bench(sample_count = 10)]
fn certified_map_heavy_ball_128x128_cold() -> u64 {
    let spec =
        momentum::map::GridSpec::new(momentum::Family::HeavyBall, 4.0, (0.0, 1.0), (128, 128))
            .unwrap();
    certify::map::CertifiedMap::compute_cold(divan::black_box(&spec), 0.01, 1.0)
        .unwrap()
        .summary()
        .certified_cells
}

/// Nesterov's 128² plane over [0.01, 1], step (0, 2], momentum (0, 1).
#[divan::bench(sample_count = 10)]
fn certified_map_nesterov_128x128() -> u64 {
    let spec =
        momentum::map::GridSpec::new(momentum::Family::Nesterov, 2.0, (0.0, 1.0), (128, 128))
            .unwrap();
    certify::map::CertifiedMap::compute(divan::black_box(&spec), 0.01, 1.0)
        .unwrap()
        .summary()
        .certified_cells
}
