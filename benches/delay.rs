//! Cost of the delayed analysis at τ = 16 (degree 18): the Schur–Cohn verdict at one cell (one
//! (α, β, λ)) against the companion-matrix eigenvalues of the same polynomial, and a full
//! worst case over an interval (the crossing bisection). `cargo bench --bench delay`; numbers in
//! docs/DESIGN.md ("Delayed gradients").

use momentum::delay::{DelayMap, Delayed};
use momentum::map::GridSpec;
use momentum::polynomial::{roots, schur_cohn};
use momentum::{Family, Method, Spectrum};

fn main() {
    divan::main();
}

/// 256 cells of a heavy-ball grid at λ = 1: (α, β) ∈ (0, 0.2] × (−1, 1), τ = 16.
fn cells() -> Vec<Vec<f64>> {
    let mut v = vec![];
    for i in 0..16 {
        for j in 0..16 {
            let a = 0.2 * (i as f64 + 0.5) / 16.0;
            let b = -1.0 + 2.0 * (j as f64 + 0.5) / 16.0;
            let d: Delayed = Method::heavy_ball(a, b).unwrap().delayed(16).unwrap();
            v.push(d.polynomial(1.0).unwrap());
        }
    }
    v
}

#[divan::bench(sample_count = 200)]
fn schur_cohn_tau16(bencher: divan::Bencher) {
    let c = cells();
    bencher
        .counter(divan::counter::ItemsCount::new(c.len()))
        .bench(|| {
            c.iter()
                .filter(|p| schur_cohn(divan::black_box(p)).unwrap().stable)
                .count()
        });
}

#[divan::bench(sample_count = 50)]
fn companion_eigenvalues_tau16(bencher: divan::Bencher) {
    let c = cells();
    bencher
        .counter(divan::counter::ItemsCount::new(c.len()))
        .bench(|| {
            c.iter()
                .filter(|p| {
                    roots(divan::black_box(p))
                        .unwrap()
                        .iter()
                        .all(|z| z.norm() < 1.0)
                })
                .count()
        });
}

/// A map cell: the worst case over [0.01, 1] (verdict and radius), 16 × 16 cells, τ = 16.
#[divan::bench(sample_count = 5)]
fn worst_case_cell_tau16(bencher: divan::Bencher) {
    let s = Spectrum::interval(0.01, 1.0).unwrap();
    let g = GridSpec::new(Family::HeavyBall, 0.2, (-1.0, 1.0), (16, 16)).unwrap();
    bencher
        .counter(divan::counter::ItemsCount::new(256usize))
        .bench(|| DelayMap::compute(divan::black_box(&g), 16, &s).unwrap());
}
