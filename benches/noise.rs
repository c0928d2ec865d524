//! Noise floor over a large spectrum: Σᵢ V(λᵢ) for 10⁶ eigenvalues (one Jury check and one
//! closed form each), and the interval mean by adaptive Simpson. `cargo bench --bench noise`.

use momentum::noise::{NoiseInput, floor};
use momentum::{Method, Spectrum};

fn main() {
    divan::main();
}

fn million() -> Spectrum {
    let n = 1_000_000;
    Spectrum::eigenvalues(
        (0..n)
            .map(|i| 0.01 + 0.99 * i as f64 / (n - 1) as f64)
            .collect::<Vec<_>>(),
    )
    .expect("eigenvalues")
}

/// Heavy ball at Polyak-like (α, β) over 10⁶ listed eigenvalues in [0.01, 1].
#[divan::bench(sample_count = 10)]
fn floor_million_eigenvalues(bencher: divan::Bencher) {
    let s = million();
    let rec = Method::heavy_ball(0.5, 0.8).expect("method").recurrence();
    let input = NoiseInput::single_gradient(&rec);
    bencher
        .counter(divan::counter::ItemsCount::new(1_000_000usize))
        .bench(|| floor(&rec, input, divan::black_box(&s)));
}

/// The same method's mean floor over the interval [0.01, 1] (adaptive Simpson, relative 1e-10).
#[divan::bench(sample_count = 50)]
fn floor_interval(bencher: divan::Bencher) {
    let s = Spectrum::interval(0.01, 1.0).expect("interval");
    let rec = Method::heavy_ball(0.5, 0.8).expect("method").recurrence();
    let input = NoiseInput::single_gradient(&rec);
    bencher.bench(|| floor(&rec, input, divan::black_box(&s)));
}
