//! One PEP solve (`momentum::pep`, feature `sdp`): heavy ball at Polyak's tuning for [μ, L] =
//! [1, 10], N = 1, 5, 10 — the inputs of `scripts/pep_reference.py --bench` (PEPit + cvxpy +
//! Clarabel); both sides in one command: `scripts/pep_bench.sh`. The default
//! (`pep_polyak_kappa_10`: the dual in the iterate basis, dedicated interior-point method), the
//! same SDP through clarabel (`…_clarabel`) and the first formulation (`…_gradient_primal`).

use momentum::{Method, Spectrum, pep, tune};

fn main() {
    if std::env::var_os("PEP_BENCH_CPU").is_some() {
        cpu_medians();
    } else {
        divan::main();
    }
}

/// Process CPU time in seconds (Linux's CLOCK_PROCESS_CPUTIME_ID, Python's `time.process_time`):
/// on a shared machine it counts this solve's work, not the other processes' turns.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn cpu_seconds() -> f64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec (two 64-bit fields on 64-bit Linux) into `t`.
    let rc = unsafe { clock_gettime(2, &mut t) };
    assert_eq!(rc, 0, "clock_gettime");
    t.sec as f64 + t.nsec as f64 * 1e-9
}

/// `PEP_BENCH_CPU=1 cargo bench --features sdp --bench pep`: median CPU time of 15 solves per row
/// (the same rows as divan's), the figure `scripts/pep_reference.py --bench` prints as "cpu".
fn cpu_medians() {
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    for (name, form) in [
        ("pep_polyak_kappa_10", pep::Formulation::IterateDual),
        (
            "pep_polyak_kappa_10_clarabel",
            pep::Formulation::IterateDualClarabel,
        ),
        (
            "pep_polyak_kappa_10_gradient_primal",
            pep::Formulation::GradientPrimal,
        ),
    ] {
        for n in [1, 5, 10] {
            let mut t: Vec<f64> = (0..15)
                .map(|_| {
                    let t0 = cpu_seconds();
                    let w = pep::worst_case_with(&polyak(), 1.0, 10.0, n, form).expect("solved");
                    divan::black_box(w);
                    cpu_seconds() - t0
                })
                .collect();
            t.sort_by(f64::total_cmp);
            println!("cpu {name:38} N={n:2}  median {:8.3} ms", t[7] * 1e3);
        }
    }
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
