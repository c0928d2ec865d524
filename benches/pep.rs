//! One PEP solve (`momentum::pep`, feature `sdp`): heavy ball at Polyak's tuning for [μ, L] =
//! [1, 10], N = 1, 5, 10 — the inputs of `scripts/pep_reference.py --bench` (PEPit + cvxpy +
//! Clarabel); both sides in one command: `scripts/pep_bench.sh`. The default
//! (`pep_polyak_kappa_10`: the dual in the iterate basis, dedicated interior-point method), the
//! same SDP through clarabel (`…_clarabel`) and the first formulation (`…_gradient_primal`).

use momentum::{Method, Spectrum, pep, tune};

fn main() {
    divan::main();
}

fn polyak() -> Method {
    let s = Spectrum::interval(1.0, 10.0).expect("valid");
    tune::heavy_ball(&s).expect("valid").method
}

#[divan::bench(args = [1, 5, 10], sample_count = 15)]
fn pep_polyak_kappa_10(n: usize) -> f64 {
    pep::worst_case(&polyak(), 1.0, 10.0, divan::black_box(n))
        .expect("solved")
        .worst_factor_squared
}

#[divan::bench(args = [1, 5, 10], sample_count = 15)]
fn pep_polyak_kappa_10_clarabel(n: usize) -> f64 {
    let form = pep::Formulation::IterateDualClarabel;
    pep::worst_case_with(&polyak(), 1.0, 10.0, divan::black_box(n), form)
        .expect("solved")
        .worst_factor_squared
}

#[divan::bench(args = [1, 5, 10], sample_count = 15)]
fn pep_polyak_kappa_10_gradient_primal(n: usize) -> f64 {
    let form = pep::Formulation::GradientPrimal;
    pep::worst_case_with(&polyak(), 1.0, 10.0, divan::black_box(n), form)
        .expect("solved")
        .worst_factor_squared
}
