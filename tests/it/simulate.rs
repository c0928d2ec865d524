//! Simulation against the exact per-curvature powers, the dense rotated twin, and the rates.

use momentum::simulate::{self, Ending, Options, Quadratic, Start};
use momentum::{Method, Spectrum};
use proptest::prelude::*;

#[test]
fn one_curvature_follows_the_exact_polynomial() {
    // e_k = P_k(λ) e₀ with P_k = U_{k+1} − c₀U_k (x₋₁ = x₀), from the closed-form T^k
    for (m, lam) in [
        (Method::heavy_ball(0.5, 0.9).unwrap(), 1.3),
        (Method::nesterov(0.3, 0.7).unwrap(), 2.0),
        (Method::heavy_ball(1.0, 0.25).unwrap(), 1.0), // double root
        (Method::gradient_descent(0.9).unwrap(), 2.0), // alternating
    ] {
        let rec = m.recurrence();
        let q = Quadratic::diagonal(vec![lam]).unwrap();
        let tr = simulate::run(&rec, &q, &Options::steps(300)).unwrap();
        let mode = rec.mode(lam).unwrap();
        for (k, &e) in tr.error.iter().enumerate() {
            let t = mode.power(k as u64).unwrap();
            let p = (t[(0, 0)] + t[(0, 1)]).abs();
            assert!(
                (e - p).abs() <= 1e-11 * (1.0 + k as f64) * p.max(1e-300) + 1e-300,
                "{m:?} k {k}: {e} vs {p}"
            );
        }
    }
}

#[test]
fn a_dense_rotated_problem_is_its_diagonal_twin() {
    let eig: Vec<f64> = (0..40).map(|i| 0.01 + i as f64 * 0.025).collect();
    let rec = Method::nesterov(1.0, 0.8).unwrap().recurrence();
    let opts = Options {
        start: Start::Gaussian,
        seed: 7,
        ..Options::steps(400)
    };
    let diag = simulate::run(&rec, &Quadratic::diagonal(eig.clone()).unwrap(), &opts).unwrap();
    let q = Quadratic::diagonal(eig).unwrap().rotated(11).unwrap();
    // the basis is orthogonal and H has the eigenvalues asked for
    let h = q.hessian().unwrap().clone();
    let mut ev = h.symmetric_eigenvalues().as_slice().to_vec();
    ev.sort_by(f64::total_cmp);
    for (a, b) in ev.iter().zip(q.eigenvalues()) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
    let dense = simulate::run(&rec, &q, &opts).unwrap();
    for k in 0..=400 {
        let (a, b) = (diag.error[k], dense.error[k]);
        assert!((a - b).abs() <= 1e-10 * a.max(1e-300), "k {k}: {a} vs {b}");
        let (a, b) = (diag.excess[k], dense.excess[k]);
        assert!((a - b).abs() <= 1e-9 * a.max(1e-300), "f k {k}: {a} vs {b}");
    }
}

#[test]
fn noise_is_seeded_and_reaches_the_predicted_floor() {
    // gradient descent on one curvature with gradient noise σ: e_{k+1} = (1 − αλ)e_k − ασξ_k, whose
    // stationary variance is α²σ²/(1 − (1 − αλ)²)
    let (a, lam, sigma) = (0.1, 1.0, 0.5);
    let rec = Method::gradient_descent(a).unwrap().recurrence();
    let q = Quadratic::diagonal(vec![lam]).unwrap();
    let opts = Options {
        noise: sigma,
        seed: 3,
        record_excess: false,
        ..Options::steps(400_000)
    };
    let tr = simulate::run(&rec, &q, &opts).unwrap();
    let again = simulate::run(&rec, &q, &opts).unwrap();
    assert_eq!(tr, again);
    let other = simulate::run(&rec, &q, &Options { seed: 4, ..opts }).unwrap();
    assert_ne!(tr.error, other.error);
    let tail = &tr.error[1000..];
    let var = tail.iter().map(|e| e * e).sum::<f64>() / tail.len() as f64;
    let predicted = a * a * sigma * sigma / (1.0 - (1.0 - a * lam) * (1.0 - a * lam));
    assert!((var / predicted - 1.0).abs() < 0.05, "{var} vs {predicted}");
}

#[test]
fn runs_stop_at_underflow_and_divergence_instead_of_printing_nan() {
    let q = Quadratic::diagonal(vec![1.0]).unwrap();
    let fast = Method::heavy_ball(0.9, 0.01).unwrap().recurrence();
    let tr = simulate::run(&fast, &q, &Options::steps(10_000)).unwrap();
    assert_eq!(tr.ending, Ending::Underflow);
    assert!(tr.error.iter().all(|e| e.is_finite()));
    let bad = Method::heavy_ball(3.0, 0.1).unwrap().recurrence();
    let tr = simulate::run(&bad, &q, &Options::steps(10_000)).unwrap();
    assert_eq!(tr.ending, Ending::Diverged);
    assert!(tr.error.iter().all(|e| e.is_finite()));
    assert!(tr.empirical_rate().unwrap() > 1.0);
}

/// A diverging run stops at the overflow ceiling after ~97 steps; its growth rate read off the
/// tail must still be the spectral radius (the windows' peaks are then at their ends, which a
/// window pair of unequal reach would count one or two steps too far apart: 36.97 for 28.07).
#[test]
fn the_rate_of_a_diverging_run_is_its_spectral_radius() {
    let q = Quadratic::interval(1.0, 30.0, 64).unwrap();
    let m = Method::heavy_ball(1.0, 0.9).unwrap();
    let rho = Spectrum::interval(1.0, 30.0)
        .unwrap()
        .worst_case(&m.recurrence())
        .unwrap()
        .spectral_radius();
    // c₁ = 1.9 − 30, c₀ = 0.9 at λ = 30: |(c₁ − √(c₁² − 3.6))/2|
    let c1: f64 = 1.9 - 30.0;
    assert!((rho - (c1.abs() + (c1 * c1 - 3.6).sqrt()) / 2.0).abs() < 1e-12);
    // one growing mode (λ = 30; λ = 1 decays at √0.9): the estimate is the rate to 1e-6
    let two = Quadratic::diagonal(vec![1.0, 30.0]).unwrap();
    for steps in [100_000, 97, 90, 41] {
        let tr = simulate::run(&m.recurrence(), &two, &Options::steps(steps)).unwrap();
        let got = tr.empirical_rate().unwrap();
        assert!(
            (got / rho - 1.0).abs() < 1e-6,
            "{steps} steps ({} taken): {got} vs {rho}",
            tr.steps_taken()
        );
    }
    // 64 curvatures in [1, 30]: the next ones grow almost as fast (27.6 at λ = 29.5) and have
    // not died out relative to the top one within the ~98 steps before overflow
    let tr = simulate::run(&m.recurrence(), &q, &Options::steps(100_000)).unwrap();
    let got = tr.empirical_rate().unwrap();
    assert!((got / rho - 1.0).abs() < 3e-3, "{got} vs {rho}");
}

#[test]
fn bad_input_is_an_error() {
    let q = Quadratic::diagonal(vec![1.0]).unwrap();
    let rec = Method::heavy_ball(0.1, 0.5).unwrap().recurrence();
    assert!(simulate::run(&rec, &q, &Options::steps(0)).is_err());
    assert!(simulate::run(&rec, &q, &Options::steps(simulate::MAX_STEPS + 1)).is_err());
    assert!(
        simulate::run(
            &rec,
            &q,
            &Options {
                noise: -1.0,
                ..Options::steps(5)
            }
        )
        .is_err()
    );
    assert!(
        simulate::run(
            &rec,
            &q,
            &Options {
                noise: f64::NAN,
                ..Options::steps(5)
            }
        )
        .is_err()
    );
    assert!(Quadratic::diagonal(vec![]).is_err());
    assert!(Quadratic::diagonal(vec![f64::INFINITY]).is_err());
    assert!(Quadratic::interval(1.0, 2.0, 1).is_err());
    assert!(Quadratic::interval(2.0, 1.0, 5).is_err());
    assert!(Quadratic::interval(0.1, 1.0, 0).is_err());
    assert!(
        Quadratic::interval(0.1, 1.0, 3000)
            .unwrap()
            .rotated(1)
            .is_err()
    );
    let big = Quadratic::interval(0.1, 1.0, 1_000_000).unwrap();
    assert!(simulate::run(&rec, &big, &Options::steps(1_000_000)).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The empirical rate read off the simulated tail equals the worst-case spectral radius of the
    /// simulated eigenvalues, within the estimator's stated bound (Trajectory::empirical_rate):
    /// (ln(k₂/k₁) + ln(1/c))/(k₂ − k₁) relative, with c = 0.05 for the phase of an oscillating
    /// mode, so 1.5 % at n = 1200 steps (Δ = 300) and less for longer runs.
    #[test]
    fn empirical_rate_matches_the_spectral_radius(
        family in 0usize..3, a in 0.05f64..1.9, b in 0.0f64..0.95, mu in 0.01f64..0.5,
    ) {
        let m = match family {
            0 => Method::gradient_descent(a),
            1 => Method::heavy_ball(a, b),
            _ => Method::nesterov(a, b),
        }.unwrap();
        let rec = m.recurrence();
        let spectrum = Spectrum::interval(mu, 1.0).unwrap();
        let w = spectrum.worst_case(&rec).unwrap();
        let rho = w.spectral_radius();
        prop_assume!(rho < 0.995 && rho > 0.05);
        // long enough for the tail, short enough that ρ^n stays far from underflow
        let n = ((200.0 / -rho.ln()) as usize).clamp(1200, 20_000);
        let q = Quadratic::interval(mu, 1.0, 33).unwrap();
        let tr = simulate::run(&rec, &q, &Options { start: Start::Gaussian, seed: 5, ..Options::steps(n) }).unwrap();
        let got = tr.empirical_rate().unwrap();
        let d = (tr.steps_taken() / 4) as f64;
        let tol = ((1.5f64).ln() + (20.0f64).ln()) / d;
        prop_assert!((got / rho - 1.0).abs() <= tol, "{m:?} mu {mu}: {got} vs {rho} (tol {tol}, n {})", tr.steps_taken());
    }
}

#[test]
fn dense_noise_is_independent_of_the_random_basis() {
    // gradient descent with α = 1 on eigenvalues in [0, 1]: x₁ = (I − H)x₀ − σξ₀. Were ξ₀ drawn
    // from the stream that built the basis, it would lie along one eigenvector (H's first
    // Gaussian column) and f(x₁) would barely move; independent noise puts ½σ²·tr(H)/1 ≈ σ²n/4 in f
    let rec = Method::gradient_descent(1.0).unwrap().recurrence();
    let q = Quadratic::interval(0.0, 1.0, 50)
        .unwrap()
        .rotated(1)
        .unwrap();
    let quiet = simulate::run(
        &rec,
        &q,
        &Options {
            seed: 1,
            ..Options::steps(3)
        },
    )
    .unwrap();
    let noisy = simulate::run(
        &rec,
        &q,
        &Options {
            seed: 1,
            noise: 1000.0,
            ..Options::steps(3)
        },
    )
    .unwrap();
    assert!(
        noisy.excess[1] > 1e4 * quiet.excess[1],
        "{} vs {}",
        noisy.excess[1],
        quiet.excess[1]
    );
    // and its size is that of ½ ξᵀHξ σ² with E = σ² tr(H)/2 = 1e6 · 12.5, within a wide band
    assert!(
        noisy.excess[1] > 1e6 && noisy.excess[1] < 1e8,
        "{}",
        noisy.excess[1]
    );
}

#[test]
fn an_overflowing_objective_ends_the_run_instead_of_recording_infinity() {
    // f = ½λx² with λ = 1e300 overflows at |x| ≈ 1e4 although |x| itself is fine
    let rec = Method::gradient_descent(2.5e-300).unwrap().recurrence();
    let q = Quadratic::diagonal(vec![1e300]).unwrap();
    let tr = simulate::run(&rec, &q, &Options::steps(100)).unwrap();
    assert!(tr.excess.iter().all(|f| f.is_finite()));
    assert!(tr.error.iter().all(|e| e.is_finite()));
    assert_eq!(tr.ending, Ending::Diverged);
}

/// Progress is reported by work, not by a fixed step count: 10⁶ coordinates report every
/// 2²²/10⁶ = 4 steps, 10 coordinates every 1024 steps.
#[test]
fn progress_reports_come_every_few_million_coordinate_updates() {
    use std::sync::atomic::{AtomicU64, Ordering};
    // ρ ≈ 0.99: 5000 steps stay far above the underflow floor
    let m = Method::heavy_ball(0.01, 0.5).unwrap().recurrence();
    for (dim, steps, calls, every) in [(1_000_000, 20, 5, 4), (10, 5000, 4, 1024)] {
        let q = Quadratic::interval(0.5, 1.0, dim).unwrap();
        let (count, total) = (AtomicU64::new(0), AtomicU64::new(0));
        let tick = |k: u64| {
            assert_eq!(k, every);
            count.fetch_add(1, Ordering::Relaxed);
            total.fetch_add(k, Ordering::Relaxed);
        };
        let tr = simulate::run_from(&m, None, &q, &Options::steps(steps), Some(&tick)).unwrap();
        assert_eq!(tr.steps_taken(), steps);
        assert_eq!(count.load(Ordering::Relaxed), calls, "dim {dim}");
        assert_eq!(total.load(Ordering::Relaxed), calls * every);
    }
}
