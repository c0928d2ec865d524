//! Throughput of the issue-4 engines: the numeric minimax tuner, the exact finite-horizon bound and
//! the diagonal simulation loop. `cargo bench --bench tuning`.

use momentum::Family;
use momentum::Spectrum;
use momentum::bounds::finite_horizon;
use momentum::simulate::{Options, Quadratic, run};
use momentum::tune::{self as tuning, search as minimax};

fn main() {
    divan::main();
}

/// One full (α, β) minimax search.
#[divan::bench(args = [Family::HeavyBall, Family::Nesterov], sample_count = 10)]
fn minimax_tune(family: Family) -> f64 {
    Spectrum::interval(1e-4, 1.0)
        .and_then(|iv| minimax::tune(divan::black_box(family), &iv))
        .expect("valid")
        .rate
}

/// max over [μ, L] of |P_N| at κ = 1000 (≈ 4N closed-form evaluations).
#[divan::bench(args = [100, 1000, 10_000], sample_count = 10)]
fn finite_horizon_polyak(n: u64) -> f64 {
    let t = Spectrum::interval(1e-3, 1.0)
        .and_then(|iv| tuning::heavy_ball(&iv))
        .expect("valid");
    finite_horizon(
        &t.method.recurrence(),
        &Spectrum::interval(1e-3, 1.0).unwrap(),
        divan::black_box(n),
    )
    .expect("finite")
    .worst_factor
}

/// 100 heavy-ball steps on a diagonal quadratic of 10⁶ coordinates (10⁸ coordinate updates).
#[divan::bench(sample_count = 10)]
fn simulate_diagonal_1e6(bencher: divan::Bencher) {
    let q = Quadratic::interval(1e-3, 1.0, 1_000_000).expect("valid");
    let rec = Spectrum::interval(1e-3, 1.0)
        .and_then(|iv| tuning::heavy_ball(&iv))
        .expect("valid")
        .method
        .recurrence();
    let opts = Options {
        record_excess: false,
        ..Options::steps(100)
    };
    bencher
        .counter(divan::counter::ItemsCount::new(100_000_000usize))
        .bench(|| {
            run(&rec, divan::black_box(&q), &opts)
                .expect("runs")
                .final_error()
        });
}
