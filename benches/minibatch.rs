//! Minibatch mean-square stability over 10⁶ listed eigenvalues (the covariance 1/i, i = 1…10⁶):
//! one exact criterion pass, the stable lr interval of heavy ball β = 0.9 at batch 1 and 64, and
//! the mean-square rate. `cargo bench --bench minibatch`.

use momentum::Method;
use momentum::minibatch::{Batch, Gaussian};

fn main() {
    divan::main();
}

fn data(batch: u64) -> Gaussian {
    let eig: Vec<f64> = (1..=1_000_000).map(|i| 1.0 / i as f64).collect();
    Gaussian::eigenvalues(eig, Batch::new(batch).expect("batch"), 0.0).expect("data")
}

/// One exact criterion pass (the unit of every decision).
#[divan::bench(sample_count = 20)]
fn criterion_pass(bencher: divan::Bencher) {
    let g = data(1);
    let rec = Method::heavy_ball(0.001, 0.9).expect("method").recurrence();
    bencher
        .counter(divan::counter::ItemsCount::new(1_000_000usize))
        .bench(|| g.criterion(divan::black_box(&rec)));
}

/// The mean-square stable lr interval of heavy ball β = 0.9 (the edge), at batch 1 and 64.
#[divan::bench(args = [1, 64], sample_count = 10)]
fn stable_lr(bencher: divan::Bencher, batch: u64) {
    let g = data(batch);
    bencher.bench(|| {
        g.stable_steps(|a| Ok(Method::heavy_ball(a, 0.9)?.recurrence()))
            .expect("edge")
    });
}

/// The mean-square rate ρ(𝒯) at lr 0.01, β = 0.9, batch 64.
#[divan::bench(sample_count = 10)]
fn rate(bencher: divan::Bencher) {
    let g = data(64);
    let rec = Method::heavy_ball(0.01, 0.9).expect("method").recurrence();
    bencher.bench(|| g.rate(divan::black_box(&rec)).expect("rate"));
}
