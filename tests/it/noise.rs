//! The noise floor (`momentum::noise`) by three routes: the closed form of the 2 × 2 Lyapunov
//! equation, the Kronecker solve (per mode and on a dense rotated Hessian), and long seeded
//! simulations (the library's `simulate` loop for one gradient per step; a literal QHM loop here
//! for the two-gradient model). Transients are held against the Lyapunov recursion iterated
//! step by step.

use momentum::noise::{
    self, NoiseInput, fastest_to, floor, full_matrix_variance, iterations_to_floor,
    sgd_equivalence_ratio, stationary_covariance, stationary_variance, transient_variance,
};
use momentum::{Error, Family, Framework, FrameworkParams, Method, Recurrence, Spectrum};
use nalgebra::{DMatrix, Matrix2};

fn methods() -> Vec<Method> {
    vec![
        Method::gradient_descent(0.7).unwrap(),
        Method::heavy_ball(0.5, 0.6).unwrap(),
        Method::nesterov(0.6, 0.7).unwrap(),
        Method::general(0.4, 0.5, 0.3).unwrap(),
        Method::heavy_ball(0.05, -0.3).unwrap(),
    ]
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

#[test]
fn closed_form_equals_kronecker_per_mode() {
    for m in methods() {
        let rec = m.recurrence();
        for input in [
            NoiseInput::single_gradient(&rec),
            NoiseInput::two_gradients(&rec),
        ] {
            for lam in [0.1, 0.37, 1.0, 2.2] {
                let Ok(v) = stationary_variance(&rec, input, lam) else {
                    assert!(!rec.mode(lam).unwrap().is_stable());
                    continue;
                };
                let s = stationary_covariance(&rec, input, lam).unwrap();
                assert!(
                    rel(v, s[(0, 0)]) < 1e-10,
                    "{m:?} λ={lam}: {v} vs {}",
                    s[(0, 0)]
                );
            }
        }
    }
}

#[test]
fn heavy_ball_matches_the_ar2_textbook_form_and_the_claims_formula() {
    // AR(2) y = a₁y₋₁ + a₂y₋₂ + ε: Var = (1 − a₂)σ_ε²/((1 + a₂)((1 − a₂)² − a₁²)); and the form
    // in claims/src/c16_narratives.rs, (1 + β)η²σ²/((1 − β)h(2(1 + β) − h))
    for (eta, beta, lam) in [
        (0.1, 0.9, 1.0),
        (0.5, 0.3, 0.2),
        (0.01, 0.99, 3.0),
        (1.0, 0.0, 1.5),
    ] {
        let rec = Method::heavy_ball(eta, beta).unwrap().recurrence();
        let v = stationary_variance(&rec, NoiseInput::single_gradient(&rec), lam).unwrap();
        let (a1, a2) = (1.0 + beta - eta * lam, -beta);
        let ar2 = (1.0 - a2) * eta * eta / ((1.0 + a2) * ((1.0 - a2).powi(2) - a1 * a1));
        let h = eta * lam;
        let claims = (1.0 + beta) * eta * eta / ((1.0 - beta) * h * (2.0 * (1.0 + beta) - h));
        assert!(
            rel(v, ar2) < 1e-12 && rel(v, claims) < 1e-12,
            "{v} {ar2} {claims}"
        );
    }
}

#[test]
fn spectrum_sum_equals_the_full_matrix_solve_on_a_rotated_hessian() {
    let eig = vec![0.15, 0.3, 0.55, 0.8, 1.0, 1.2];
    let q = momentum::simulate::Quadratic::diagonal(eig.clone())
        .unwrap()
        .rotated(7)
        .unwrap();
    let h = q.hessian().unwrap().clone();
    let spectrum = Spectrum::eigenvalues(eig).unwrap();
    for m in methods() {
        let rec = m.recurrence();
        for input in [
            NoiseInput::single_gradient(&rec),
            NoiseInput::two_gradients(&rec),
        ] {
            match (
                floor(&rec, input, &spectrum),
                full_matrix_variance(&rec, input, &h),
            ) {
                (Ok(f), Ok(full)) => {
                    let total = f.total.unwrap();
                    assert!(rel(total, full) < 1e-9, "{m:?}: {total} vs {full}");
                }
                (Err(Error::NoStationaryState { .. }), Err(Error::NoStationaryState { .. })) => {}
                (a, b) => panic!("{m:?}: routes disagree on stability: {a:?} vs {b:?}"),
            }
        }
    }
}

#[test]
fn unstable_modes_are_a_typed_error() {
    let rec = Method::heavy_ball(1.0, 0.9).unwrap().recurrence();
    let e = stationary_variance(&rec, NoiseInput::single_gradient(&rec), 10.0).unwrap_err();
    assert!(
        matches!(e, Error::NoStationaryState { lambda: Some(l), spectral_radius } if l == 10.0 && spectral_radius > 1.0),
        "{e}"
    );
    assert!(e.to_string().contains("no stationary noise floor"));
    // a flat direction is a random walk: no floor either
    let gd = Method::gradient_descent(0.1).unwrap().recurrence();
    assert!(stationary_variance(&gd, NoiseInput::single_gradient(&gd), 0.0).is_err());
    assert!(
        full_matrix_variance(
            &rec,
            NoiseInput::single_gradient(&rec),
            &DMatrix::from_element(1, 1, 10.0)
        )
        .is_err()
    );
}

#[test]
fn transient_equals_the_lyapunov_recursion_from_rest() {
    for m in methods() {
        let rec = m.recurrence();
        for input in [
            NoiseInput::single_gradient(&rec),
            NoiseInput::two_gradients(&rec),
        ] {
            let lam = 0.4;
            if !rec.mode(lam).unwrap().is_stable() {
                continue;
            }
            let a = rec.transition(lam).transpose();
            let b = nalgebra::Vector2::new(-input.current, input.previous);
            let mut s = Matrix2::zeros();
            for n in 1..=60u64 {
                s = a * s * a.transpose() + b * b.transpose();
                if [1, 2, 7, 60].contains(&n) {
                    let t = transient_variance(&rec, input, lam, n).unwrap();
                    assert!(
                        (t - s[(0, 0)]).abs() < 1e-12 * s[(0, 0)].max(1e-3),
                        "{m:?} n={n}: {t} vs {}",
                        s[(0, 0)]
                    );
                }
            }
        }
    }
}

/// Mean of ‖e_k‖² over the second half of a long noisy run.
fn measured(rec: &Recurrence, eig: &[f64], sigma: f64, steps: usize, seed: u64) -> f64 {
    use momentum::simulate::{Options, Quadratic, Start, run};
    let q = Quadratic::diagonal(eig.to_vec()).unwrap();
    let opts = Options {
        steps,
        noise: sigma,
        seed,
        start: Start::Ones,
        record_excess: false,
    };
    let t = run(rec, &q, &opts).unwrap();
    let tail = &t.error[steps / 2..];
    tail.iter().map(|e| e * e).sum::<f64>() / tail.len() as f64
}

/// Statistical tolerance: 20 independent modes, 2·10⁵ averaged steps, correlation times ≤ ~30
/// steps here, so the relative standard error of the time average is below 0.5%; 3% is > 6σ.
#[test]
fn closed_form_matches_long_seeded_simulations() {
    let eig: Vec<f64> = (0..20).map(|i| 0.2 + 0.04 * i as f64).collect();
    let spectrum = Spectrum::eigenvalues(eig.clone()).unwrap();
    let sigma = 0.3;
    for m in &methods()[..4] {
        let rec = m.recurrence();
        let predicted = sigma
            * sigma
            * floor(&rec, NoiseInput::single_gradient(&rec), &spectrum)
                .unwrap()
                .total
                .unwrap();
        let got = measured(&rec, &eig, sigma, 400_000, 11);
        assert!(
            rel(got, predicted) < 0.03,
            "{m:?}: measured {got}, predicted {predicted}"
        );
    }
}

/// QHM's literal update with noisy gradients (its own generator) against the two-gradient model.
#[test]
fn qhm_two_gradient_model_matches_a_literal_noisy_run() {
    let (lr, beta, nu, sigma) = (0.8, 0.6, 0.7, 0.5);
    let p = FrameworkParams {
        lr,
        momentum: Some(beta),
        nu: Some(nu),
        ..Default::default()
    };
    let c = Framework::Qhm.convert(&p).unwrap();
    let input = NoiseInput::for_converted(&c);
    assert_eq!(input, NoiseInput::two_gradients(&c.recurrence));
    let eig = [0.3, 0.6, 0.9, 1.2];
    let predicted: f64 = eig
        .iter()
        .map(|&l| stationary_variance(&c.recurrence, input, l).unwrap())
        .sum::<f64>()
        * sigma
        * sigma;
    let single: f64 = eig
        .iter()
        .map(|&l| {
            stationary_variance(&c.recurrence, NoiseInput::single_gradient(&c.recurrence), l)
                .unwrap()
        })
        .sum::<f64>()
        * sigma
        * sigma;
    // xorshift + Box–Muller, independent of the library's generator
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut gauss = move || {
        let (u, v) = (uniform(), uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    let (mut x, mut b) = ([1.0; 4], [0.0; 4]);
    let (steps, burn) = (600_000, 1000);
    let mut acc = 0.0;
    for k in 0..steps {
        for i in 0..4 {
            let g = eig[i] * x[i] + sigma * gauss();
            b[i] = beta * b[i] + (1.0 - beta) * g;
            x[i] -= lr * ((1.0 - nu) * g + nu * b[i]);
        }
        if k >= burn {
            acc += x.iter().map(|v| v * v).sum::<f64>();
        }
    }
    let got = acc / (steps - burn) as f64;
    assert!(
        rel(got, predicted) < 0.03,
        "measured {got}, predicted {predicted}"
    );
    // and the one-gradient model would be measurably wrong here
    assert!(rel(single, predicted) > 0.1, "{single} vs {predicted}");
}

#[test]
fn interval_mean_equals_a_fine_eigenvalue_average() {
    let rec = Method::heavy_ball(0.9, 0.5).unwrap().recurrence();
    let input = NoiseInput::single_gradient(&rec);
    let f = floor(&rec, input, &Spectrum::interval(0.05, 1.0).unwrap()).unwrap();
    // midpoint rule on 10⁵ cells: error O(h²) ≈ 1e-10 relative for this smooth integrand
    let n = 100_000;
    let h = 0.95 / n as f64;
    let mid: f64 = (0..n)
        .map(|i| stationary_variance(&rec, input, 0.05 + (i as f64 + 0.5) * h).unwrap())
        .sum::<f64>()
        / n as f64;
    assert!(
        rel(f.mean_per_direction, mid) < 1e-7,
        "{} vs {mid}",
        f.mean_per_direction
    );
    assert!(f.total.is_none());
}

#[test]
fn heavy_ball_floor_tends_to_sgd_at_step_alpha_over_one_minus_beta() {
    let s = Spectrum::interval(0.01, 1.0).unwrap();
    let mut last = f64::INFINITY;
    for a in [1e-2, 1e-3, 1e-4, 1e-5] {
        let r = sgd_equivalence_ratio(a, 0.9, &s).unwrap();
        let gap = (r - 1.0).abs();
        // the ratio is 1 + O(α/(1 − β)): the gap shrinks tenfold with α
        assert!(gap < 2.0 * a / (1.0 - 0.9), "α={a}: ratio {r}");
        assert!(gap < last, "α={a}: ratio {r}");
        last = gap;
    }
    // at one curvature the ratio is (1 + β)(2 − h/(1 − β))/(2(1 + β) − h), h = αλ: at α = 0.1,
    // β = 0.9, λ = 1 heavy ball's floor is about half SGD's
    let one = Spectrum::eigenvalues(vec![1.0]).unwrap();
    let (a, b, h) = (0.1, 0.9, 0.1);
    let expected = (1.0 + b) * (2.0 - h / (1.0 - b)) / (2.0 * (1.0 + b) - h);
    let r = sgd_equivalence_ratio(a, b, &one).unwrap();
    assert!(
        (r - expected).abs() < 1e-12 && (r - 0.5135).abs() < 1e-3,
        "{r} vs {expected}"
    );
    assert!(sgd_equivalence_ratio(0.1, 1.0, &s).is_err());
}

#[test]
fn fastest_to_beats_a_brute_force_grid() {
    // 25 geometric eigenvalues in [0.01, 1] (a list: each objective is 25 closed forms)
    let s = Spectrum::eigenvalues(
        (0..25)
            .map(|i| 10f64.powf(-2.0 + 2.0 * i as f64 / 24.0))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let (sigma, eps) = (0.05, 1e-3);
    for family in [Family::GradientDescent, Family::HeavyBall, Family::Nesterov] {
        let t = fastest_to(family, &s, sigma, eps).unwrap();
        let mut best = f64::INFINITY;
        for i in 0..80 {
            let a = 10f64.powf(-4.0 + 4.3 * i as f64 / 79.0);
            let betas: Vec<f64> = if family == Family::GradientDescent {
                vec![0.0]
            } else {
                (0..80)
                    .map(|j| 1.0 - 10f64.powf(-5.0 + 5.0 * j as f64 / 79.0))
                    .collect()
            };
            for b in betas {
                if let Ok(m) = family.method(a, b) {
                    best = best.min(iterations_to_floor(&m, &s, sigma, eps).unwrap());
                }
            }
        }
        assert!(
            t.iterations <= best * 1.001,
            "{family:?}: search {} vs grid {best}",
            t.iterations
        );
        assert!(sigma * sigma * t.floor_per_unit_variance < eps);
        // the deterministic tuning's floor is far above ε here: noise forces a smaller step
        let det = momentum::tune::search::tune(family, &s).unwrap().method;
        assert!(t.method.step() < det.step(), "{family:?}");
    }
    // a floor out of reach is a clear error, not a silent answer
    assert!(fastest_to(Family::HeavyBall, &s, 1e3, 1e-12).is_err());
    assert!(noise::fastest_to(Family::HeavyBall, &s, -1.0, 1e-3).is_err());
}

/// Issue 23: V at αλ down to 1e-300 against the closed forms in (α, β, γ, h = αλ), derived by hand
/// from the module's formula, whose factors have no cancellation at small h:
/// one gradient  V = (α/λ)(1 + β − γh) / ((1 − β + γh)(2 + 2β − (1 + 2γ)h)),
/// two gradients V = (α/λ)((1 + β) + γ(1 + 2γ)h) / ((1 − β + γh)(2 + 2β − (1 + 2γ)h)).
/// The old code subtracted rounded coefficients: 0.1–2 % off at h = 7e-15, "no stationary state" at
/// h = 7e-17.
#[test]
fn stationary_variance_keeps_its_accuracy_down_to_tiny_steps_times_curvature() {
    for (a, b, g) in [
        (0.1, 0.9, 0.0),
        (0.3, 0.8, 0.8),
        (0.4, 0.5, 0.3),
        (0.7, 0.0, 0.0),
        (0.05, -0.3, 0.0),
        (0.02, 0.999, 2.5),
    ] {
        let rec = Method::general(a, b, g).unwrap().recurrence();
        for h in [
            0.3, 1e-3, 7e-15, 7e-17, 3e-22, 1e-30, 1e-100, 1e-200, 1e-300,
        ] {
            let lam = h / a;
            let h = a * lam;
            let den = (1.0 - b + g * h) * (2.0 + 2.0 * b - (1.0 + 2.0 * g) * h);
            let one = (a / lam) * (1.0 + b - g * h) / den;
            let two = (a / lam) * ((1.0 + b) + g * (1.0 + 2.0 * g) * h) / den;
            let got = stationary_variance(&rec, NoiseInput::single_gradient(&rec), lam).unwrap();
            assert!(
                rel(got, one) < 1e-10,
                "{a} {b} {g} h = {h:e}: {got:e} vs {one:e}"
            );
            let got = stationary_variance(&rec, NoiseInput::two_gradients(&rec), lam).unwrap();
            assert!(
                rel(got, two) < 1e-10,
                "{a} {b} {g} h = {h:e}: {got:e} vs {two:e}"
            );
        }
    }
}

/// xorshift64 + Box–Muller, independent of the library's generator.
fn gaussians(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    move || {
        let (u, v) = (uniform(), uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// PyTorch's Adam line by line with v frozen (exp_avg_sq given, bias-corrected) and noisy
/// gradients Hx + σξ: the mean ‖x‖² over `steps` after `burn`, averaged over `seeds` runs.
fn literal_adam(
    h: &DMatrix<f64>,
    v: &[f64],
    (lr, beta1, eps, sigma): (f64, f64, f64, f64),
    (steps, burn, seeds): (usize, usize, u64),
) -> f64 {
    let n = v.len();
    let mut total = 0.0;
    for seed in 0..seeds {
        let mut gauss = gaussians(seed + 1);
        let mut x = vec![1.0; n];
        let mut m = vec![0.0; n];
        let mut acc = 0.0;
        for t in 1..=steps {
            let g: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| h[(i, j)] * x[j]).sum::<f64>() + sigma * gauss())
                .collect();
            for i in 0..n {
                m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
                let m_hat = m[i] / (1.0 - beta1.powi(t.min(100_000) as i32));
                x[i] -= lr * m_hat / (v[i].sqrt() + eps);
            }
            if t > burn {
                acc += x.iter().map(|y| y * y).sum::<f64>();
            }
        }
        total += acc / (steps - burn) as f64;
    }
    total / seeds as f64
}

fn adam(lr: f64, beta1: f64) -> momentum::Converted {
    let p = FrameworkParams {
        lr,
        momentum: Some(beta1),
        ..Default::default()
    };
    Framework::Adam.convert(&p).unwrap()
}

/// Issue 23: the floor of Adam with a frozen preconditioner is E‖x − x*‖² in the parameters'
/// coordinates. Held against Adam's literal update (many seeds) and the Kronecker solve on
/// x (M = P⁻¹H, noise P⁻¹σξ). The preconditioned-coordinate floor the CLI gave before is far off.
#[test]
fn preconditioned_floor_is_in_the_parameters_coordinates() {
    let (lr, beta1, eps, sigma) = (0.05, 0.6, 1e-8, 0.2);
    let c = adam(lr, beta1);
    let (rec, input) = (c.recurrence, NoiseInput::for_converted(&c));
    let v = [4.0, 0.04, 1.0];
    let p = momentum::precondition::preconditioner(&v, eps).unwrap();
    // a full Hessian mixing the coordinates, and a diagonal one
    let full = DMatrix::from_row_slice(3, 3, &[3.0, 0.1, 0.5, 0.1, 0.05, 0.02, 0.5, 0.02, 1.5]);
    let diag = DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![3.0, 0.05, 1.5]));
    for (h, form) in [(&full, "full"), (&diag, "diagonal")] {
        let report = if form == "full" {
            noise::preconditioned_floor(&rec, input, noise::ParameterHessian::Full(h), &p, 0.0)
        } else {
            let d: Vec<f64> = (0..3).map(|i| h[(i, i)]).collect();
            noise::preconditioned_floor(&rec, input, noise::ParameterHessian::Diagonal(&d), &p, 0.0)
        }
        .unwrap();
        let got = report.floor.unwrap().total.unwrap();
        let oracle = noise::full_matrix_variance_preconditioned(&rec, input, h, &p).unwrap();
        assert!(
            rel(got, oracle) < 1e-9,
            "{form}: {got} vs Kronecker {oracle}"
        );
        // 16 seeds × 60 000 steps, correlation times ≲ 60 steps: relative standard error ≈ 1 %
        let sim =
            literal_adam(h, &v, (lr, beta1, eps, sigma), (60_000, 2_000, 16)) / (sigma * sigma);
        assert!(rel(sim, got) < 0.05, "{form}: literal Adam {sim} vs {got}");
        // the old answer: the floor of the preconditioned spectrum, as if P = I
        let tilde = momentum::precondition::full(h, &p).unwrap();
        let old = floor(&rec, input, &tilde).unwrap().total.unwrap();
        assert!(
            old < 0.2 * sim,
            "{form}: preconditioned-coordinate floor {old} vs {sim}"
        );
    }
    // bad input: typed errors
    let d = [1.0, 2.0];
    assert!(
        noise::preconditioned_floor(&rec, input, noise::ParameterHessian::Diagonal(&d), &p, 0.0)
            .is_err()
    );
    assert!(
        noise::preconditioned_floor(
            &rec,
            input,
            noise::ParameterHessian::Diagonal(&d),
            &[1.0, 0.0],
            0.0
        )
        .is_err()
    );
    assert!(
        noise::preconditioned_floor(
            &rec,
            input,
            noise::ParameterHessian::Diagonal(&d),
            &[1.0, 1.0],
            f64::NAN
        )
        .is_err()
    );
    assert!(
        noise::preconditioned_floor(
            &rec,
            input,
            noise::ParameterHessian::Full(&DMatrix::zeros(2, 3)),
            &[1.0, 1.0],
            0.0
        )
        .is_err()
    );
    assert!(
        noise::preconditioned_floor(
            &rec,
            input,
            noise::ParameterHessian::Diagonal(&[]),
            &[],
            0.0
        )
        .is_err()
    );
}

/// The cross-mode closed form against the Kronecker solve on random dense Hessians and
/// preconditioners, for one- and two-gradient inputs, near both edges of stability.
#[test]
fn preconditioned_cross_terms_equal_the_kronecker_solve() {
    let mut gauss = gaussians(7);
    for (a, b, g) in [
        (0.2, 0.5, 0.0),
        (0.3, 0.8, 0.8),
        (0.05, -0.4, 0.3),
        (0.4, 0.9, 0.2),
    ] {
        let rec = Method::general(a, b, g).unwrap().recurrence();
        for n in [2usize, 5, 9] {
            let x = DMatrix::from_fn(n, n, |_, _| gauss());
            let mut h = &x * x.transpose();
            let p: Vec<f64> = (0..n).map(|_| (0.5 * gauss()).exp()).collect();
            // scale so that the largest preconditioned curvature sits just inside the edge
            let top = *momentum::precondition::full(&h, &p)
                .unwrap()
                .listed()
                .last()
                .unwrap();
            let edge = (1.0 + rec.p0() + rec.q0()) / (rec.p1() + rec.q1());
            h *= 0.97 * edge / top;
            for input in [
                NoiseInput::single_gradient(&rec),
                NoiseInput::two_gradients(&rec),
            ] {
                let r = noise::preconditioned_floor(
                    &rec,
                    input,
                    noise::ParameterHessian::Full(&h),
                    &p,
                    0.0,
                )
                .unwrap();
                let got = r.floor.unwrap().total.unwrap();
                let oracle =
                    noise::full_matrix_variance_preconditioned(&rec, input, &h, &p).unwrap();
                assert!(
                    rel(got, oracle) < 1e-8,
                    "{a} {b} {g} n = {n}: {got} vs {oracle}"
                );
            }
        }
    }
}

/// E e_k² of one mode from rest, by iterating Σ_{k+1} = TᵀΣT + bbᵀ on the state (e, u).
fn variance_after(rec: &Recurrence, input: NoiseInput, lambda: f64, k: usize) -> f64 {
    let (c1, c0) = rec.coefficients(lambda);
    let a = Matrix2::new(c1, 1.0, -c0, 0.0);
    let b = nalgebra::Vector2::new(-input.current, input.previous);
    let mut s = Matrix2::zeros();
    for _ in 0..k {
        s = a * s * a.transpose() + b * b.transpose();
    }
    s[(0, 0)]
}

/// Issue 23: flat directions random-walk, saddles diverge; no finite floor is reported for them.
/// The growth per step against the exact variance recursion at λ = 0.
#[test]
fn flat_and_saddle_directions_have_no_stationary_floor() {
    let qhm = Framework::Qhm
        .convert(&FrameworkParams {
            lr: 0.3,
            momentum: Some(0.7),
            nu: Some(0.6),
            ..Default::default()
        })
        .unwrap();
    let hb = Method::heavy_ball(0.2, 0.8).unwrap().recurrence();
    for (rec, input) in [
        (hb, NoiseInput::single_gradient(&hb)),
        (qhm.recurrence, NoiseInput::for_converted(&qhm)),
    ] {
        let d = Spectrum::eigenvalues(vec![0.0, 1e-18, 0.5, 1.0])
            .unwrap()
            .directions(1e-15)
            .unwrap();
        let r = noise::floor_of_directions(&rec, input, &d).unwrap();
        assert!(!r.is_stationary());
        assert_eq!((r.random_walk_directions, r.divergent_directions), (2, 0));
        let k = 4000;
        let step = variance_after(&rec, input, 0.0, k + 1) - variance_after(&rec, input, 0.0, k);
        assert!(
            rel(r.random_walk_growth_per_step, 2.0 * step) < 1e-9,
            "{} vs {}",
            r.random_walk_growth_per_step,
            2.0 * step
        );
        // a saddle: divergent
        let d = Spectrum::eigenvalues(vec![-0.1, 0.5])
            .unwrap()
            .directions(1e-15)
            .unwrap();
        let r = noise::floor_of_directions(&rec, input, &d).unwrap();
        assert!(!r.is_stationary());
        assert_eq!((r.random_walk_directions, r.divergent_directions), (0, 1));
        // only positive curvatures: the floor as before
        let d = Spectrum::eigenvalues(vec![0.5, 1.0])
            .unwrap()
            .directions(1e-15)
            .unwrap();
        let r = noise::floor_of_directions(&rec, input, &d).unwrap();
        let f = floor(&rec, input, &Spectrum::eigenvalues(vec![0.5, 1.0]).unwrap()).unwrap();
        assert_eq!(r.floor.unwrap(), f);
    }
    // heavy ball's growth is α²/(1 − β)²
    let d = Spectrum::eigenvalues(vec![0.0, 1.0])
        .unwrap()
        .directions(1e-15)
        .unwrap();
    let r = noise::floor_of_directions(&hb, NoiseInput::single_gradient(&hb), &d).unwrap();
    assert!(rel(r.random_walk_growth_per_step, 0.04 / 0.04) < 1e-14);
    // AdamW's decoupled decay pulls a flat direction back: it has a stationary variance, V(0)
    let adamw = Framework::AdamW
        .convert(&FrameworkParams {
            lr: 0.1,
            momentum: Some(0.9),
            weight_decay: Some(0.5),
            ..Default::default()
        })
        .unwrap();
    let input = NoiseInput::for_converted(&adamw);
    let r = noise::floor_of_directions(&adamw.recurrence, input, &d).unwrap();
    let want = stationary_variance(&adamw.recurrence, input, 0.0).unwrap()
        + stationary_variance(&adamw.recurrence, input, 1.0).unwrap();
    assert!(rel(r.floor.unwrap().total.unwrap(), want) < 1e-14);
    // preconditioned: a flat direction of H̃ random-walks in the parameters' coordinates too
    let c = adam(0.05, 0.6);
    let (rec, input) = (c.recurrence, NoiseInput::for_converted(&c));
    let r = noise::preconditioned_floor(
        &rec,
        input,
        noise::ParameterHessian::Diagonal(&[0.0, 1.0]),
        &[0.5, 2.0],
        1e-12,
    )
    .unwrap();
    assert_eq!(r.random_walk_directions, 1);
    let g = input.current * input.current / (0.4 * 0.4) / 0.25;
    assert!(
        rel(r.random_walk_growth_per_step, g) < 1e-12,
        "{} vs {g}",
        r.random_walk_growth_per_step
    );
}
