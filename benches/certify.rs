//! Certified rates on F(μ, L): time per certified rate (frequency route; SDP route with the
//! feature `sdp`) and a 128² certified map of heavy ball. `cargo bench --bench certify
//! [--features sdp]`; the Python side is scripts/certify_bench.py (cvxpy + Clarabel).

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
