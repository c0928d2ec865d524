//! One PEP solve (`momentum::pep::worst_case`, feature `sdp`): heavy ball at Polyak's tuning for
//! [μ, L] = [1, 10], N = 1, 5, 10 — the inputs of `scripts/pep_reference.py --bench` (PEPit +
//! cvxpy + Clarabel). `cargo bench -p momentum --features sdp --bench pep`.

use momentum::{Spectrum, pep, tune};

fn main() {
    divan::main();
}

#[divan::bench(args = [1, 5, 10], sample_count = 15)]
fn pep_polyak_kappa_10(n: usize) -> f64 {
    let s = Spectrum::interval(1.0, 10.0).expect("valid");
    let m = tune::heavy_ball(&s).expect("valid").method;
    pep::worst_case(&m, 1.0, 10.0, divan::black_box(n))
        .expect("solved")
        .worst_factor_squared
}
