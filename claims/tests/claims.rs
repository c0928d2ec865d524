//! Every seed claim of `momentum::claims` re-checked by a second route: the numbers a check reports
//! are recomputed here from the seeds' update lines transcribed literally (velocity forms, the
//! physical oscillator, PSO, the blog's Nesterov), from nalgebra eigenvalues of the one-step
//! linear map those lines define (built column by column by applying the update to unit states),
//! by bisection or brute-force grids on those eigenvalues, and by direct simulation. Each test also
//! asserts the verdict.

use approx::assert_relative_eq;
use momentum::Method;
use momentum::Spectrum;
use momentum::simulate::{Options, Quadratic, run};
use momentum::tune as tuning;
use momentum_claims::{self as claims, Check, Verdict};
use nalgebra::{DMatrix, Matrix2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

// ------------------------------------------------------------------------------------------------
// independent machinery
// ------------------------------------------------------------------------------------------------

/// The 2 × 2 matrix of a linear one-step update on a two-number state, built by applying the
/// update to the unit states.
fn step_matrix(update: impl Fn([f64; 2]) -> [f64; 2]) -> Matrix2<f64> {
    let a = update([1.0, 0.0]);
    let b = update([0.0, 1.0]);
    Matrix2::new(a[0], b[0], a[1], b[1])
}

/// Largest eigenvalue modulus (nalgebra).
fn radius(m: &Matrix2<f64>) -> f64 {
    m.complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max)
}

/// Seed 001's heavy ball, literally: v ← βv − η∇f(x), x ← x + v; state (x, v), f = ½λx².
fn hb_velocity(eta: f64, beta: f64, lambda: f64) -> Matrix2<f64> {
    step_matrix(|[x, v]| {
        let v = beta * v - eta * lambda * x;
        [x + v, v]
    })
}

/// Seed 001/002's Nesterov, literally: v ← γv + η∇f(x − γv), x ← x − v.
fn nag_velocity(eta: f64, gamma: f64, lambda: f64) -> Matrix2<f64> {
    step_matrix(|[x, v]| {
        let v = gamma * v + eta * lambda * (x - gamma * v);
        [x - v, v]
    })
}

/// Seed 003's Nesterov, literally: v ← γv + α∇J(θ + γv), θ ← θ − v.
fn blog_nag_velocity(alpha: f64, gamma: f64, lambda: f64) -> Matrix2<f64> {
    step_matrix(|[t, v]| {
        let v = gamma * v + alpha * lambda * (t + gamma * v);
        [t - v, v]
    })
}

/// Seed 002's EWMA form: v ← βv + (1 − β)∇f(x), x ← x − αv.
fn ewma_velocity(alpha: f64, beta: f64, lambda: f64) -> Matrix2<f64> {
    step_matrix(|[x, v]| {
        let v = beta * v + (1.0 - beta) * lambda * x;
        [x - alpha * v, v]
    })
}

/// Largest η in (0, hi) with spectral radius < 1, by bisection (stable steps form an interval
/// starting at 0 for these methods).
fn bisect_max_step(m: impl Fn(f64) -> Matrix2<f64>, hi: f64) -> f64 {
    let (mut lo, mut hi) = (1e-12, hi);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if radius(&m(mid)) < 1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Iterates x₀ … x_n of seed 001's heavy-ball lines on a scalar gradient, from v₀ = 0.
fn hb_lines(eta: f64, beta: f64, grad: impl Fn(f64) -> f64, x0: f64, n: usize) -> Vec<f64> {
    let (mut x, mut v) = (x0, 0.0);
    let mut out = vec![x];
    for _ in 0..n {
        v = beta * v - eta * grad(x);
        x += v;
        out.push(x);
    }
    out
}

/// Iterates of the seeds' Nesterov lines v ← γv + η∇f(x − γv), x ← x − v, from v₀ = 0.
fn nag_lines(eta: f64, gamma: f64, grad: impl Fn(f64) -> f64, x0: f64, n: usize) -> Vec<f64> {
    let (mut x, mut v) = (x0, 0.0);
    let mut out = vec![x];
    for _ in 0..n {
        v = gamma * v + eta * grad(x - gamma * v);
        x -= v;
        out.push(x);
    }
    out
}

fn value(c: &Check, name: &str) -> f64 {
    c.value(name)
        .unwrap_or_else(|| panic!("{}: no computed value named {name:?}", c.id))
}

fn assert_tag(c: &Check, tag: &str) {
    assert_eq!(c.verdict.tag(), tag, "{}: verdict {}", c.id, c.verdict);
}

/// Worst-case radius over curvatures of a heavy-ball (γ = 0) or Nesterov (γ = β) pair, from the
/// literal matrices.
fn worst_literal(eta: f64, beta: f64, nesterov: bool, lambdas: &[f64]) -> f64 {
    lambdas
        .iter()
        .map(|&l| {
            radius(&if nesterov {
                nag_velocity(eta, beta, l)
            } else {
                hb_velocity(eta, beta, l)
            })
        })
        .fold(0.0, f64::max)
}

// ------------------------------------------------------------------------------------------------
// C01 – C05
// ------------------------------------------------------------------------------------------------

#[test]
fn c01_heavy_ball_region_by_eigenvalue_bisection() {
    let c = claims::c01_heavy_ball_region().unwrap();
    assert_eq!(c.verdict, Verdict::Holds);
    let lambda = 4.0;
    for beta in [-0.9, -0.5, 0.0, 0.5, 0.9, 0.99] {
        let bis = bisect_max_step(|e| hb_velocity(e, beta, lambda), 10.0);
        assert_relative_eq!(
            value(&c, &format!("η_max at β = {beta}")),
            bis,
            max_relative = 1e-9
        );
        assert_relative_eq!(bis, 2.0 * (1.0 + beta) / lambda, max_relative = 1e-9);
        assert_eq!(value(&c, &format!("η_min at β = {beta}")), 0.0);
        // tiny steps are stable
        assert!(radius(&hb_velocity(1e-6, beta, lambda)) < 1.0);
    }
    // |β| ≥ 1: no step on a fine grid is stable
    for beta in [-1.01, -1.0, 1.0, 1.01] {
        let any =
            (1..4000).any(|i| radius(&hb_velocity(i as f64 * 1e-3, beta, lambda)) < 1.0 - 1e-12);
        assert!(!any, "β = {beta}");
        assert_eq!(
            value(
                &c,
                &format!("stable steps exist at β = {beta} (1 yes, 0 no)")
            ),
            0.0
        );
    }
}

#[test]
fn c02_polyak_by_full_matrix_and_neighbourhood_search() {
    let c = claims::c02_polyak_momentum().unwrap();
    assert_eq!(c.verdict, Verdict::Holds);
    let mut previous = 0.0;
    for kappa in [4.0f64, 100.0, 1e4] {
        let (mu, l) = (1.0 / kappa, 1.0);
        let s = kappa.sqrt();
        let beta_star = ((s - 1.0) / (s + 1.0)).powi(2);
        let alpha_star = 4.0 / (1.0 + 1.0 / s).powi(2);
        let rho_star = (s - 1.0) / (s + 1.0);
        assert!(beta_star > previous, "β* grows with κ");
        previous = beta_star;
        // the full 2n × 2n transition of heavy ball on 12 curvatures in [μ, L], built from the
        // update x⁺ = x + β(x − x₋) − αHx; its spectral radius is ρ* (defective: accurate to ~1e-7)
        let n = 12;
        let lams: Vec<f64> = (0..n)
            .map(|i| mu + (l - mu) * i as f64 / (n - 1) as f64)
            .collect();
        let full = |a: f64, b: f64| -> f64 {
            let mut t = DMatrix::zeros(2 * n, 2 * n);
            for i in 0..n {
                t[(i, i)] = 1.0 + b - a * lams[i];
                t[(i, n + i)] = -b;
                t[(n + i, i)] = 1.0;
            }
            t.complex_eigenvalues()
                .iter()
                .map(|z| z.norm())
                .fold(0.0, f64::max)
        };
        let r = full(alpha_star, beta_star);
        assert!(
            (r - rho_star).abs() < 2e-7,
            "κ = {kappa}: {r} vs {rho_star}"
        );
        // no nearby (α, β) does better (literal 2 × 2 matrices at the two ends)
        let ends = [mu, l];
        for da in [-1e-3, 0.0, 1e-3] {
            for db in [-1e-3, 0.0, 1e-3] {
                let w = worst_literal(alpha_star * (1.0 + da), beta_star + db, false, &ends);
                assert!(w >= rho_star - 1e-7, "κ = {kappa}: ({da}, {db}) gives {w}");
            }
        }
        // the check's minimax and simulation agree with the eigenvalue radius
        assert!((value(&c, &format!("κ = {kappa}: minimax β")) - beta_star).abs() < 1e-6);
        assert!((value(&c, &format!("κ = {kappa}: minimax rate")) - r).abs() < 1e-6);
        let steps = if kappa < 10.0 {
            400.0
        } else if kappa < 1e3 {
            4000.0
        } else {
            40000.0
        };
        let emp = value(
            &c,
            &format!("κ = {kappa}: simulated rate ({steps} steps, 50 curvatures)"),
        );
        assert!(
            (emp - r).abs() / r < 8.0 / steps,
            "κ = {kappa}: simulated {emp} vs {r}"
        );
    }
    // own simulation of the slowest mode at κ = 100: a Jordan block, |e_N| ≈ C·N·ρ^N
    let (a, b) = (400.0 / 121.0, 81.0 / 121.0);
    let xs = hb_lines(a, b, |x| 0.01 * x, 1.0, 2000);
    let ratio = xs[2000].abs() / (2000.0 * (9.0f64 / 11.0).powi(2000));
    assert!(ratio > 1e-3 && ratio < 1e3, "{ratio}");
}

#[test]
fn c03_nesterov_half_by_literal_update_bisection() {
    let c = claims::c03_nesterov_half_step().unwrap();
    assert_eq!(c.verdict, Verdict::Holds);
    let hb = bisect_max_step(|e| hb_velocity(e, 0.5, 1.0), 10.0);
    let nag = bisect_max_step(|e| nag_velocity(e, 0.5, 1.0), 10.0);
    assert_relative_eq!(hb, 3.0, max_relative = 1e-9);
    assert_relative_eq!(nag, 1.5, max_relative = 1e-9);
    assert_relative_eq!(
        value(&c, "heavy-ball η_max at β = 0.5"),
        hb,
        max_relative = 1e-9
    );
    assert_relative_eq!(
        value(&c, "Nesterov η_max at β = 0.5"),
        nag,
        max_relative = 1e-9
    );
    for beta in [0.0, 0.25, 0.5, 0.9] {
        let r = bisect_max_step(|e| nag_velocity(e, beta, 1.0), 10.0)
            / bisect_max_step(|e| hb_velocity(e, beta, 1.0), 10.0);
        assert_relative_eq!(
            value(&c, &format!("η_max ratio NAG/HB at β = {beta}")),
            r,
            max_relative = 1e-8
        );
    }
}

#[test]
fn c04_progress_ratio_by_literal_two_dimensional_iteration() {
    let c = claims::c04_two_step_progress().unwrap();
    assert_tag(&c, "holds when");
    // seed 001's lines on L(x, y) = ½x² + 25/2 y², shallow coordinate x from x₀ = 1
    let progress = |eta: f64, beta: f64| -> f64 {
        let (mut p, mut v) = ([1.0f64, 1.0], [0.0f64; 2]);
        for _ in 0..2 {
            let g = [p[0], 25.0 * p[1]];
            for i in 0..2 {
                v[i] = beta * v[i] - eta * g[i];
                p[i] += v[i];
            }
        }
        1.0 - p[0]
    };
    let ratio = |eta: f64, beta: f64| progress(eta, beta) / progress(eta, 0.0);
    for (eta, beta) in [
        (0.04, 0.9),
        (0.05, 0.9),
        (0.1, 0.9),
        (1.0 / 23.0, 0.9),
        (0.1, 0.874),
    ] {
        assert_relative_eq!(
            value(&c, &format!("ratio at η = {eta}, β = {beta}")),
            ratio(eta, beta),
            max_relative = 1e-12
        );
    }
    assert_relative_eq!(ratio(1.0 / 23.0, 0.9), 1.46, max_relative = 1e-12);
    // the rounding window at β = 0.9, by a brute-force scan of η
    let inside: Vec<f64> = (1..100_000)
        .map(|i| i as f64 * 1e-6)
        .filter(|&e| (ratio(e, 0.9) * 100.0).round() == 146.0)
        .collect();
    let (lo, hi) = (inside[0], inside[inside.len() - 1]);
    assert!((lo - value(&c, "smallest η rounding to 1.46 at β = 0.9")).abs() < 2e-6);
    assert!((hi - value(&c, "largest η rounding to 1.46 at β = 0.9 (exclusive)")).abs() < 2e-6);
}

#[test]
fn c05_oscillator_schemes_by_own_integrators() {
    let c = claims::c05_physics_discretisation().unwrap();
    assert_tag(&c, "holds when");
    // semi-implicit Euler written with the momentum p = m·v
    let (m, fr, dt) = (2.0, 0.5, 0.1);
    let (eta, beta) = (dt * dt / m, 1.0 - fr * dt / m);
    let mut worst: f64 = 0.0;
    for lambda in [1.0, 25.0] {
        let (mut x, mut p) = (1.0, 0.0);
        let hb = hb_lines(eta, beta, |y| lambda * y, 1.0, 400);
        for h in &hb[1..] {
            p += dt * (-lambda * x - fr * p / m);
            x += dt * p / m;
            worst = worst.max((x - h).abs());
        }
    }
    assert!(worst < 1e-12, "{worst}");
    assert!(value(&c, "max |x_HB − x_semi-implicit Euler|") < 1e-12);
    // explicit Euler: the one-step map on (x, v) at λ = 25, eigenvalues
    let explicit =
        |lambda: f64| step_matrix(|[x, v]| [x + dt * v, v + dt / m * (-lambda * x - fr * v)]);
    let r25 = radius(&explicit(25.0));
    assert_relative_eq!(
        value(&c, "explicit Euler: spectral radius at λ = 25"),
        r25,
        max_relative = 1e-12
    );
    assert!(r25 > 1.0);
    let edge = bisect_max_step(explicit, 100.0);
    assert_relative_eq!(
        value(&c, "explicit Euler: largest stable λ, (1 − β)/η"),
        edge,
        max_relative = 1e-8
    );
    assert!(value(&c, "max |x_HB − x_explicit Euler|") > 1.0);
}

// ------------------------------------------------------------------------------------------------
// C06 – C10
// ------------------------------------------------------------------------------------------------

#[test]
fn c06_velocity_identities_by_direct_sums_and_eigenvalues() {
    let c = claims::c06_velocity_average().unwrap();
    assert_tag(&c, "holds when");
    let beta: f64 = 0.9;
    let direct = |t: i32| (0..t).map(|i| beta.powi(i)).sum::<f64>();
    assert_relative_eq!(
        value(&c, "multiplier after t = 10"),
        direct(10),
        max_relative = 1e-14
    );
    assert_relative_eq!(
        value(&c, "multiplier after t = 50"),
        direct(50),
        max_relative = 1e-14
    );
    assert_relative_eq!(
        value(&c, "multiplier after t = 200"),
        10.0,
        max_relative = 1e-8
    );
    let t90 = (1..).find(|&t| direct(t) >= 9.0).unwrap();
    assert_eq!(
        value(&c, "first t with multiplier ≥ 90 % of 1/(1 − β)"),
        f64::from(t90)
    );
    assert_eq!(t90, 22);
    for lambda in [0.01, 0.1, 1.0, 10.0, 25.0] {
        let hb = radius(&hb_velocity(0.01, beta, lambda));
        assert_relative_eq!(
            value(&c, &format!("HB rate at λ = {lambda} (η = 0.01)")),
            hb,
            max_relative = 1e-7
        );
        let gd: f64 = (1.0 - 0.1 * lambda).abs();
        assert!(
            (value(&c, &format!("GD rate with η/(1 − β) = 0.1 at λ = {lambda}")) - gd).abs()
                < 1e-12
        );
    }
}

#[test]
fn c07_largest_steps_by_literal_update_bisection() {
    let a = claims::c07a_higher_learning_rates().unwrap();
    assert_tag(&a, "wrong");
    let gd = bisect_max_step(|e| step_matrix(|[x, _]| [x - e * x, 0.0]), 10.0);
    let hb = bisect_max_step(|e| hb_velocity(e, 0.9, 1.0), 10.0);
    let nag = bisect_max_step(|e| nag_velocity(e, 0.9, 1.0), 10.0);
    let ewma = bisect_max_step(|e| ewma_velocity(e, 0.9, 1.0), 100.0);
    assert_relative_eq!(gd, 2.0, max_relative = 1e-9);
    assert_relative_eq!(
        a.value("ratio HB/GD at β = 0.9 (1 + β)").unwrap(),
        hb / gd,
        max_relative = 1e-8
    );
    assert_relative_eq!(
        a.value("ratio NAG/GD at β = 0.9 ((1+β)/(1+2β))").unwrap(),
        nag / gd,
        max_relative = 1e-8
    );
    assert_relative_eq!(
        a.value("ratio EWMA-form/GD at β = 0.9 ((1+β)/(1−β))")
            .unwrap(),
        ewma / gd,
        max_relative = 1e-8
    );
    // heavy ball's ratio stays below 2 for every β < 1; the EWMA form's passes 2 and 5 at 1/3, 2/3
    for beta in [0.5, 0.9, 0.99, 0.999] {
        assert!(bisect_max_step(|e| hb_velocity(e, beta, 1.0), 10.0) / gd < 2.0);
    }
    assert_relative_eq!(
        bisect_max_step(|e| ewma_velocity(e, 1.0 / 3.0, 1.0), 100.0) / gd,
        2.0,
        max_relative = 1e-8
    );
    assert_relative_eq!(
        bisect_max_step(|e| ewma_velocity(e, 2.0 / 3.0, 1.0), 100.0) / gd,
        5.0,
        max_relative = 1e-8
    );

    let b = claims::c07b_reduce_learning_rate().unwrap();
    assert_tag(&b, "holds when");
    assert_relative_eq!(
        value(&b, "HB rate at η = 1.5, β = 0.9"),
        radius(&hb_velocity(1.5, 0.9, 1.0)),
        max_relative = 1e-9
    );
    let nag15 = radius(&nag_velocity(1.5, 0.9, 1.0));
    assert_relative_eq!(
        value(&b, "NAG rate at η = 1.5, β = 0.9"),
        nag15,
        max_relative = 1e-9
    );
    assert!(nag15 > 1.0);
}

#[test]
fn c08_speedup_kappas_by_full_matrix_eigenvalues() {
    let c = claims::c08_speedup().unwrap();
    assert_tag(&c, "holds when");
    // rates of the tuned methods from the 4 × 4 transition on H = diag(μ, L)
    let rate = |m: &Method, mu: f64, l: f64| -> f64 {
        let rec = m.recurrence();
        let t = rec.full_transition(&DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![
            mu, l,
        ])));
        t.complex_eigenvalues()
            .iter()
            .map(|z| z.norm())
            .fold(0.0, f64::max)
    };
    let speedup = |kappa: f64, nesterov: bool| -> f64 {
        let (mu, l) = (1.0 / kappa, 1.0);
        let gd = rate(
            &Spectrum::interval(mu, l)
                .and_then(|iv| tuning::gradient_descent(&iv))
                .unwrap()
                .method,
            mu,
            l,
        );
        let m = if nesterov {
            Spectrum::interval(mu, l)
                .and_then(|iv| tuning::nesterov(&iv))
                .unwrap()
                .method
        } else {
            Spectrum::interval(mu, l)
                .and_then(|iv| tuning::heavy_ball(&iv))
                .unwrap()
                .method
        };
        rate(&m, mu, l).ln() / gd.ln()
    };
    let solve = |target: f64, nesterov: bool| -> f64 {
        let (mut lo, mut hi) = (2f64.ln(), 1e6f64.ln());
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if speedup(mid.exp(), nesterov) < target {
                lo = mid
            } else {
                hi = mid
            }
        }
        (0.5 * (lo + hi)).exp()
    };
    assert_relative_eq!(
        value(&c, "κ where HB is 10× faster"),
        solve(10.0, false),
        max_relative = 1e-4
    );
    assert_relative_eq!(
        value(&c, "κ where HB is 100× faster"),
        solve(100.0, false),
        max_relative = 1e-4
    );
    assert_relative_eq!(
        value(&c, "κ where NAG (standard) is 10× faster"),
        solve(10.0, true),
        max_relative = 1e-4
    );
    assert_relative_eq!(
        value(&c, "κ where NAG (standard) is 100× faster"),
        solve(100.0, true),
        max_relative = 1e-4
    );
    // and in iterations: at κ = 100 tuned heavy ball reaches 1e-8 about 10× sooner than tuned GD
    let iterations = |a: f64, b: f64| -> usize {
        let xs = hb_lines(a, b, |x| 0.01 * x, 1.0, 20000);
        let ys = hb_lines(a, b, |x| x, 1.0, 20000);
        (0..20000)
            .find(|&k| xs[k].abs().max(ys[k].abs()) < 1e-8)
            .unwrap()
    };
    let n_gd = iterations(2.0 / 1.01, 0.0);
    let n_hb = iterations(400.0 / 121.0, 81.0 / 121.0);
    let r = n_gd as f64 / n_hb as f64;
    assert!(r > 6.0 && r < 14.0, "GD {n_gd}, HB {n_hb}");
}

#[test]
fn c09_alternating_overdamped_by_literal_simulation() {
    let c = claims::c09_damping_classes().unwrap();
    assert_tag(&c, "wrong");
    let m = hb_velocity(2.4, 0.25, 1.0);
    let eig = m.complex_eigenvalues();
    assert!(eig.iter().all(|z| z.im == 0.0 && z.re < 0.0), "{eig:?}");
    let (c1, c0) = (1.25 - 2.4, 0.25);
    assert!(
        c1 * c1 - 4.0 * c0 > 0.0,
        "'overdamped' by the seed's criterion"
    );
    let xs = hb_lines(2.4, 0.25, |x| x, 1.0, 40);
    let flips = xs.windows(2).filter(|w| w[0] * w[1] < 0.0).count();
    assert_eq!(flips, 40);
    assert_eq!(value(&c, "sign changes in 40 steps from rest"), 40.0);
    assert_relative_eq!(value(&c, "|x₄₀|/x₀"), xs[40].abs(), max_relative = 1e-12);
    // critical damping is the fastest momentum at ηλ = 0.04 (eigenvalue scan)
    let best = (0..1000)
        .map(|i| {
            (
                i as f64 / 1000.0,
                radius(&hb_velocity(0.04, i as f64 / 1000.0, 1.0)),
            )
        })
        .fold((0.0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
    assert!((best.0 - 0.64).abs() < 1.5e-3);
    assert!((best.1 - 0.8).abs() < 1e-3);
}

#[test]
fn c10_conservative_momentum_by_unscaled_simulation() {
    let c = claims::c10_conservative_momentum().unwrap();
    assert_tag(&c, "holds when");
    let beta_c = 0.64;
    // own run of seed 001's lines, stopped when |x| reaches the subnormal range
    let crosses = |beta: f64, steps: usize| -> bool {
        let (mut x, mut v) = (1.0f64, 0.0f64);
        for _ in 0..steps {
            v = beta * v - 0.04 * x;
            x += v;
            if x < 0.0 {
                return true;
            }
            if x.abs() < 1e-300 {
                return false;
            }
        }
        false
    };
    for b in [0.5, 0.63, 0.639_99] {
        assert!(!crosses(b, 100_000), "β = {b}");
    }
    for b in [0.6401, 0.65, 0.7, 0.9] {
        assert!(crosses(b, 100_000), "β = {b}");
        assert!(value(&c, &format!("sign changes at β = {b}")) > 0.0);
    }
    assert_eq!(value(&c, "sign changes at β = β_c"), 0.0);
    // the threshold by bisection on this simulation (resolution limited by underflow to ~1e-5)
    let (mut lo, mut hi) = (0.5, 0.9);
    for _ in 0..40 {
        let mid = 0.5 * (lo + hi);
        if crosses(mid, 100_000) {
            hi = mid
        } else {
            lo = mid
        }
    }
    assert!((0.5 * (lo + hi) - beta_c).abs() < 2e-5, "{lo} {hi}");
    let sim = value(
        &c,
        "overshoot threshold by bisection on simulation (20000 steps)",
    );
    assert!((sim - beta_c).abs() < 1e-6, "{sim}");
    // ηλ = 1.44: the first step overshoots whatever β
    for b in [0.0, 0.04, 0.5, 0.9] {
        let xs = hb_lines(1.44, b, |x| x, 1.0, 1);
        assert_relative_eq!(xs[1], -0.44, max_relative = 1e-12);
    }
}

// ------------------------------------------------------------------------------------------------
// C11 – C15
// ------------------------------------------------------------------------------------------------

/// Seed 001's heavy-ball lines (or Nesterov's, look-ahead x − γv with x ← x − v) on Rosenbrock's
/// function from (−1.2, 1): iterations to ‖x − (1, 1)‖ < 1e-6.
fn rosen_lines(eta: f64, beta: f64, nesterov: bool, cap: usize) -> Option<usize> {
    let grad = |x: f64, y: f64| {
        let r = y - x * x;
        [-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r]
    };
    let (mut p, mut v) = ([-1.2f64, 1.0f64], [0.0f64; 2]);
    for k in 0..=cap {
        if ((p[0] - 1.0).powi(2) + (p[1] - 1.0).powi(2)).sqrt() < 1e-6 {
            return Some(k);
        }
        if !(p[0].abs() < 1e6 && p[1].abs() < 1e6) {
            return None;
        }
        if nesterov {
            let g = grad(p[0] - beta * v[0], p[1] - beta * v[1]);
            for i in 0..2 {
                v[i] = beta * v[i] + eta * g[i];
                p[i] -= v[i];
            }
        } else {
            let g = grad(p[0], p[1]);
            for i in 0..2 {
                v[i] = beta * v[i] - eta * g[i];
                p[i] += v[i];
            }
        }
    }
    None
}

#[test]
fn c11_rosenbrock_counts_by_velocity_form() {
    let c = claims::c11_rosenbrock().unwrap();
    assert_eq!(c.verdict, Verdict::Holds);
    let close = |a: Option<usize>, b: f64| {
        let a = a.unwrap() as f64;
        assert!((a - b).abs() <= 1.0, "{a} vs {b}");
    };
    close(
        rosen_lines(value(&c, "tuned GD: η"), 0.0, false, 1_000_000),
        value(&c, "tuned GD: iterations"),
    );
    close(
        rosen_lines(
            value(&c, "tuned HB: η"),
            value(&c, "tuned HB: β"),
            false,
            1_000_000,
        ),
        value(&c, "tuned HB: iterations"),
    );
    close(
        rosen_lines(
            value(&c, "tuned NAG: η"),
            value(&c, "tuned NAG: β"),
            true,
            1_000_000,
        ),
        value(&c, "tuned NAG: iterations"),
    );
    close(
        rosen_lines(1e-3, 0.0, false, 1_000_000),
        value(&c, "typical GD (η = 1e-3): iterations"),
    );
    close(
        rosen_lines(1e-3, 0.9, false, 1_000_000),
        value(&c, "typical HB (η = 1e-3, β = 0.9): iterations"),
    );
    close(
        rosen_lines(1e-3, 0.9, true, 1_000_000),
        value(&c, "typical NAG (η = 1e-3, β = 0.9): iterations"),
    );
    // a coarse search of our own (other grid): momentum's best is > 10× fewer iterations
    let etas: Vec<f64> = (0..=20)
        .map(|i| 10f64.powf(-4.0 + 2.0 * i as f64 / 20.0))
        .collect();
    let best = |betas: &[f64]| {
        let mut b = usize::MAX;
        for &e in &etas {
            for &m in betas {
                if let Some(n) = rosen_lines(e, m, false, b.min(200_000)) {
                    b = b.min(n);
                }
            }
        }
        b
    };
    let gd = best(&[0.0]);
    let hb = best(&[0.5, 0.8, 0.9, 0.95]);
    assert!(hb * 10 < gd, "HB {hb}, GD {gd}");
    assert!(value(&c, "tuned GD: iterations") <= gd as f64 + 1.0);
}

#[test]
fn c12_typical_momenta_by_brute_force_step_scan() {
    let c = claims::c12_typical_momenta().unwrap();
    assert_tag(&c, "wrong");
    let ends = [0.01, 1.0];
    let mut best_rates = vec![];
    for beta in [0.5, 0.9, 0.95, 0.99] {
        let top = bisect_max_step(|e| hb_velocity(e, beta, 1.0), 10.0);
        assert_relative_eq!(
            value(&c, &format!("β = {beta}: largest stable η")),
            top,
            max_relative = 1e-8
        );
        let brute = (1..20_000)
            .map(|i| worst_literal(top * i as f64 / 20_000.0, beta, false, &ends))
            .fold(f64::INFINITY, f64::min);
        let claimed = value(&c, &format!("β = {beta}: best rate"));
        assert!(
            brute >= claimed - 1e-9 && brute <= claimed + 2e-3,
            "β = {beta}: {brute} vs {claimed}"
        );
        best_rates.push((beta, brute));
        // on the flat interval the rate is exactly √β
        let (lo, hi) = (
            value(&c, &format!("β = {beta}: best η from")),
            value(&c, &format!("β = {beta}: best η to")),
        );
        if hi > lo {
            for f in [0.1, 0.5, 0.9] {
                let w = worst_literal(lo + f * (hi - lo), beta, false, &ends);
                assert!((w - beta.sqrt()).abs() < 1e-7, "β = {beta}: {w}");
            }
        }
    }
    let fastest = best_rates
        .iter()
        .fold((0.0, 2.0), |a, b| if b.1 < a.1 { *b } else { a });
    assert_eq!(fastest.0, 0.5);
}

#[test]
fn c13_reversed_lookahead_by_literal_blog_update() {
    let c = claims::c13_reversed_lookahead().unwrap();
    assert_tag(&c, "wrong");
    // literal blog update vs the canonical general(α, γ, −γ): same eigenvalues at several λ
    for lambda in [0.01, 0.3, 1.0] {
        let lit = radius(&blog_nag_velocity(0.05, 0.9, lambda));
        let m = claims::reversed_lookahead(0.05, 0.9).unwrap();
        let can = m.recurrence().mode(lambda).unwrap().spectral_radius();
        assert_relative_eq!(lit, can, max_relative = 1e-9);
    }
    let rev = bisect_max_step(|a| blog_nag_velocity(a, 0.9, 1.0), 10.0);
    assert_relative_eq!(rev, 1.0 / 9.0, max_relative = 1e-8);
    assert_relative_eq!(
        value(&c, "reversed: largest stable ηλ at γ = 0.9 ((1−γ)/γ)"),
        rev,
        max_relative = 1e-8
    );
    // best rate at γ = 0.9 over the step, κ = 100, by a brute-force scan of the literal update
    let brute = (1..20_000)
        .map(|i| {
            let a = rev * i as f64 / 20_000.0;
            radius(&blog_nag_velocity(a, 0.9, 0.01)).max(radius(&blog_nag_velocity(a, 0.9, 1.0)))
        })
        .fold(f64::INFINITY, f64::min);
    let claimed = value(&c, "reversed: best rate at γ = 0.9, κ = 100");
    assert!(
        brute >= claimed - 1e-9 && brute <= claimed + 1e-4,
        "{brute} vs {claimed}"
    );
    // tuned over (α, γ) by a coarse brute-force grid: not better than the minimax, worse than NAG
    let mut coarse = f64::INFINITY;
    for j in 0..100 {
        let g = j as f64 / 100.0;
        for i in 1..400 {
            let a = 4.0 * i as f64 / 400.0;
            let r =
                radius(&blog_nag_velocity(a, g, 0.01)).max(radius(&blog_nag_velocity(a, g, 1.0)));
            coarse = coarse.min(r);
        }
    }
    let tuned = value(&c, "reversed, minimax-tuned: rate");
    assert!(
        coarse >= tuned - 1e-9 && coarse <= tuned + 5e-3,
        "{coarse} vs {tuned}"
    );
    assert!(tuned > 0.9);
}

#[test]
fn c14_ravine_paths_by_literal_lines_and_figure() {
    let c = claims::c14_ravine_paths().unwrap();
    assert_tag(&c, "holds when");
    let r = claims::ravine().unwrap();
    for p in r.tuned.iter().chain(&r.same_step) {
        let m = p.method;
        // seed lines: Nesterov x ← x − v with look-ahead x − βv; heavy ball v ← βv − η∇f
        for (i, &lam) in r.curvatures.iter().enumerate() {
            let xs = if m.lookahead() != 0.0 {
                nag_lines(
                    m.step(),
                    m.momentum(),
                    |x| lam * x,
                    r.start[i],
                    claims::RAVINE_STEPS,
                )
            } else {
                hb_lines(
                    m.step(),
                    m.momentum(),
                    |x| lam * x,
                    r.start[i],
                    claims::RAVINE_STEPS,
                )
            };
            for (k, x) in xs.iter().enumerate() {
                assert!((x - p.points[k][i]).abs() < 1e-12, "{} k = {k}", p.label);
            }
        }
    }
    // per-direction rates by eigenvalues
    assert_relative_eq!(
        value(&c, "tuned, GD: rate in the steep direction (λ = 100)"),
        (1.0f64 - 200.0 / 101.0).abs(),
        max_relative = 1e-12
    );
    let hb5 = radius(&hb_velocity(2.0 / 101.0, 0.5, 100.0));
    assert_relative_eq!(
        value(
            &c,
            "same step, HB β = 0.5: rate in the steep direction (λ = 100)"
        ),
        hb5,
        max_relative = 1e-9
    );
    assert!(hb5 < 0.75);
    assert_eq!(value(&c, "tuned, GD: sign flips of x₁ in 30 steps"), 30.0);
    assert_eq!(value(&c, "tuned, NAG: sign flips of x₁ in 30 steps"), 0.0);
}

#[test]
fn c15_three_cycle_by_solving_the_cycle_equations() {
    let c = claims::c15_quadratic_caveat().unwrap();
    assert_tag(&c, "holds when");
    assert_eq!(value(&c, "HB cycle period"), 3.0);
    let pts: Vec<f64> = (1..=3)
        .map(|i| value(&c, &format!("HB cycle point {i}")))
        .collect();
    // the cycle a → b → c → a of x⁺ = x + β(x − x₋) − α∇f(x), with ∇f = s·x + t on each point's
    // piece: three linear equations, solved with nalgebra
    let (alpha, beta) = (1.0 / 9.0, 4.0 / 9.0);
    let piece = |x: f64| {
        if x < 1.0 {
            (25.0, 0.0)
        } else if x < 2.0 {
            (1.0, 24.0)
        } else {
            (25.0, -24.0)
        }
    };
    let mut m = nalgebra::Matrix3::zeros();
    let mut rhs = nalgebra::Vector3::zeros();
    for i in 0..3 {
        let (cur, prev, next) = (i, (i + 2) % 3, (i + 1) % 3);
        let (s, t) = piece(pts[cur]);
        // x_next − (1 + β − αs)x_cur + βx_prev = −αt
        m[(i, next)] += 1.0;
        m[(i, cur)] -= 1.0 + beta - alpha * s;
        m[(i, prev)] += beta;
        rhs[i] = -alpha * t;
    }
    let sol = m.lu().solve(&rhs).unwrap();
    for i in 0..3 {
        assert!((sol[i] - pts[i]).abs() < 1e-9, "{sol} vs {pts:?}");
        assert_eq!(
            piece(sol[i]),
            piece(pts[i]),
            "the solution stays on the assumed pieces"
        );
    }
    assert!((value(&c, "HB cycle amplitude (max − min)") - (sol.max() - sol.min())).abs() < 1e-9);
    // Nesterov (seed lines) converges from the same start
    let grad = claims::lessard_gradient;
    let q = Spectrum::interval(1.0, 25.0)
        .and_then(|iv| tuning::nesterov_quadratic(&iv))
        .unwrap()
        .method;
    let xs = nag_lines(q.step(), q.momentum(), grad, 3.3, 2000);
    assert!(xs[2000].abs() < 1e-100);
    let k = xs.iter().position(|x| x.abs() < 1e-10).unwrap();
    assert!(
        (k as f64 - value(&c, "NAG (quadratic-optimal) first k with |x_k| < 1e-10")).abs() <= 1.0
    );
    let s = nag_lines(0.04, 2.0 / 3.0, grad, 3.3, 10);
    assert!(s[10].abs() < 1e-12);
}

// ------------------------------------------------------------------------------------------------
// C16 – C21
// ------------------------------------------------------------------------------------------------

fn narrative(id: &str) -> Check {
    claims::c16_narratives()
        .unwrap()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn c16a_batch_norm_threshold_by_bisection() {
    let c = narrative("C16a");
    assert_tag(&c, "holds when");
    let s = bisect_max_step(|s| hb_velocity(0.1, 0.9, 10.0 * s), 100.0);
    assert_relative_eq!(
        value(&c, "threshold s* = 2(1+β)/(ηλ)"),
        s,
        max_relative = 1e-8
    );
    assert_relative_eq!(s, 3.8, max_relative = 1e-8);
}

#[test]
fn c16b_saddle_escape_by_eigenvalues() {
    let c = narrative("C16b");
    assert_tag(&c, "holds when");
    let gd = radius(&step_matrix(|[x, _]| [x + 0.1 * 0.01 * x, 0.0]));
    let hb = radius(&hb_velocity(0.1, 0.9, -0.01));
    assert_relative_eq!(
        value(&c, "GD growth factor per step"),
        gd,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        value(&c, "HB growth factor per step"),
        hb,
        max_relative = 1e-9
    );
    assert!(hb > gd);
}

#[test]
fn c16c_noise_variance_by_simulation() {
    let c = narrative("C16c");
    assert_tag(&c, "holds when");
    // the lead's simulator with additive gradient noise σ = 1 on one curvature λ = 1
    let stationary = |m: Method, steps: usize| -> f64 {
        let q = Quadratic::diagonal(vec![1.0]).unwrap();
        let t = run(
            &m.recurrence(),
            &q,
            &Options {
                steps,
                noise: 1.0,
                seed: 11,
                record_excess: false,
                ..Options::steps(steps)
            },
        )
        .unwrap();
        let tail = &t.error[steps / 10..];
        tail.iter().map(|e| e * e).sum::<f64>() / tail.len() as f64
    };
    let hb = stationary(Method::heavy_ball(0.01, 0.9).unwrap(), 2_000_000);
    let gd = stationary(Method::gradient_descent(0.01).unwrap(), 2_000_000);
    let gd_eff = stationary(Method::gradient_descent(0.1).unwrap(), 400_000);
    assert_relative_eq!(
        value(&c, "HB stationary Var(x), η = 0.01, β = 0.9"),
        hb,
        max_relative = 0.05
    );
    assert_relative_eq!(
        value(&c, "GD stationary Var(x), η = 0.01"),
        gd,
        max_relative = 0.05
    );
    assert_relative_eq!(
        value(&c, "GD stationary Var(x), effective step η/(1−β) = 0.1"),
        gd_eff,
        max_relative = 0.05
    );
    // the EWMA of independent noise: variance (1−β)/(1+β)
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let (mut v, mut acc, n) = (0.0f64, 0.0f64, 400_000);
    for k in 0..n {
        let g: f64 = rng.random::<f64>() * 12f64.sqrt() - 3f64.sqrt(); // variance 1
        v = 0.9 * v + 0.1 * g;
        if k > 1000 {
            acc += v * v;
        }
    }
    assert_relative_eq!(
        acc / (n - 1001) as f64,
        value(&c, "EWMA velocity: noise variance factor (1−β)/(1+β)"),
        max_relative = 0.05
    );
}

#[test]
fn c16d_to_g_by_literal_updates() {
    let d = narrative("C16d");
    assert_tag(&d, "out of scope");
    let sharp = bisect_max_step(|l| hb_velocity(0.1, 0.9, l), 1000.0);
    assert_relative_eq!(
        value(&d, "sharpest stable minimum, HB (2(1+β)/η)"),
        sharp,
        max_relative = 1e-8
    );
    let sharp_nag = bisect_max_step(|l| nag_velocity(0.1, 0.9, l), 1000.0);
    assert_relative_eq!(
        value(&d, "sharpest stable minimum, NAG (2(1+β)/((1+2β)η))"),
        sharp_nag,
        max_relative = 1e-8
    );

    // staleness: x⁺ = x + β(x − x₋) − η∇f(x₋) on the state (x, x₋)
    let e = narrative("C16e");
    assert_tag(&e, "holds when");
    let stale = |beta: f64| {
        bisect_max_step(
            |h| step_matrix(|[x, xp]| [x + beta * (x - xp) - h * xp, x]),
            10.0,
        )
    };
    assert_relative_eq!(
        value(&e, "largest stable ηλ, one-step stale gradients"),
        stale(0.9),
        max_relative = 1e-8
    );
    assert_relative_eq!(
        value(&e, "largest stable ηλ, one-step stale, β = 0"),
        stale(0.0),
        max_relative = 1e-8
    );

    // PSO with p = g = x* = 0, random draws: identical to heavy ball with η_k = c₁r₁ + c₂r₂
    let f = narrative("C16f");
    assert_tag(&f, "holds when");
    let (w, c1) = (0.7298, 1.49618);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let (mut x, mut v) = (1.0f64, 0.0f64);
    let (mut y, mut u) = (1.0f64, 0.0f64);
    for _ in 0..200 {
        let (r1, r2): (f64, f64) = (rng.random(), rng.random());
        v = w * v + c1 * r1 * (0.0 - x) + c1 * r2 * (0.0 - x);
        x += v;
        let eta = c1 * r1 + c1 * r2;
        u = w * u - eta * y;
        y += u;
        assert!((x - y).abs() < 1e-12);
    }
    assert!(radius(&hb_velocity(2.0 * c1, w, 1.0)) < 1.0);
    assert_relative_eq!(
        value(&f, "rate at the mean draw η = 1.49618"),
        radius(&hb_velocity(c1, w, 1.0)),
        max_relative = 1e-9
    );

    // β = 1: the unit circle
    let g = narrative("C16g");
    assert_eq!(g.verdict, Verdict::Holds);
    for h in [0.5, 2.0, 3.9] {
        assert!((radius(&hb_velocity(h, 1.0, 1.0)) - 1.0).abs() < 1e-9);
    }
    assert!(radius(&hb_velocity(4.1, 1.0, 1.0)) > 1.0);
}

#[test]
fn c16h_to_j_by_direct_computation() {
    let h = narrative("C16h");
    assert_tag(&h, "holds when");
    // EWMA of an alternating gradient: steady amplitude (1−β)/(1+β)
    let mut v = 0.0f64;
    for k in 0..2000 {
        v = 0.9 * v + 0.1 * if k % 2 == 0 { 1.0 } else { -1.0 };
    }
    assert_relative_eq!(
        v.abs(),
        value(&h, "EWMA gain at ω = π (sign-alternating gradient)"),
        max_relative = 1e-9
    );
    let hb = worst_literal(400.0 / 121.0, 81.0 / 121.0, false, &[0.01, 1.0]);
    let gd = radius(&step_matrix(|[x, _]| [x - 2.0 / 1.1 * 0.1 * x, 0.0]))
        .max(radius(&step_matrix(|[x, _]| [x - 2.0 / 1.1 * x, 0.0])));
    assert!((hb - gd).abs() < 1e-7, "{hb} {gd}");

    // LASSO: soft-thresholding written by cases
    let i = narrative("C16i");
    assert_eq!(i.verdict, Verdict::Holds);
    for beta in [0.0, 0.5, 0.9] {
        let (mut prev, mut cur) = (3.0f64, 3.0f64);
        let mut changes = 0;
        let sign = |x: f64| (x > 0.0) as i32 - (x < 0.0) as i32;
        for _ in 0..200 {
            let y = cur + beta * (cur - prev) - 0.5 * (cur - 0.5);
            let next = if y > 0.5 {
                y - 0.5
            } else if y < -0.5 {
                y + 0.5
            } else {
                0.0
            };
            if sign(next) != sign(cur) {
                changes += 1;
            }
            prev = cur;
            cur = next;
        }
        assert_eq!(
            value(&i, &format!("support changes, β = {beta}")),
            changes as f64
        );
    }
    let j = narrative("C16j");
    assert_tag(&j, "holds when");
    assert_eq!(
        value(&j, "persistent buffers, momentum (weights, velocity)")
            / value(&j, "persistent buffers, SGD (weights)"),
        2.0
    );
    for id in ["C16k", "C16l", "C16m", "C16n", "C16o", "C16p"] {
        let c = narrative(id);
        assert_tag(&c, "out of scope");
        assert!(c.computed.is_empty() && !c.verdict.detail().is_empty());
    }
}

#[test]
fn c17_effective_mass_by_solving_the_mapping() {
    let c = claims::c17_effective_mass().unwrap();
    assert_tag(&c, "holds when");
    // solve 1 − c√(η/m) = β for m by bisection (c = 0.5, η = 0.01)
    let mass = |beta: f64| {
        let (mut lo, mut hi) = (1e-6f64, 1e6f64);
        for _ in 0..200 {
            let mid = (lo * hi).sqrt();
            if 1.0 - 0.5 * (0.01 / mid).sqrt() < beta {
                lo = mid
            } else {
                hi = mid
            }
        }
        (lo * hi).sqrt()
    };
    assert_relative_eq!(
        value(&c, "m at γ = 0.9, c and η fixed"),
        mass(0.9),
        max_relative = 1e-9
    );
    assert_relative_eq!(
        value(&c, "m(0.9)/m(0.5), c and η fixed"),
        mass(0.9) / mass(0.5),
        max_relative = 1e-9
    );
    // c and Δt fixed: m = cΔt/(1 − β) from β = 1 − cΔt/m
    assert_relative_eq!(
        value(&c, "m(0.9)/m(0.5), c and Δt fixed"),
        (0.05 / 0.1) / (0.05 / 0.5),
        max_relative = 1e-12
    );
}

#[test]
fn c18_endpoints_by_full_matrix_and_polynomial_recursion() {
    let c = claims::c18_extreme_eigenvalues().unwrap();
    assert_tag(&c, "holds when");
    // full 2n × 2n transition over 60 curvatures (crate's builder, nalgebra eigenvalues)
    let lams: Vec<f64> = (0..60).map(|i| 0.01 + 0.99 * i as f64 / 59.0).collect();
    let h = DMatrix::from_diagonal(&nalgebra::DVector::from_vec(lams));
    let m = Method::heavy_ball(1.0, 0.9).unwrap();
    let full = m
        .recurrence()
        .full_transition(&h)
        .complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max);
    assert_relative_eq!(
        value(&c, "HB η = 1, β = 0.9: max ρ at the two ends"),
        full,
        max_relative = 1e-9
    );
    // finite horizon: seed lines from rest, 100 steps, over curvatures; the worst is interior
    let worst = (0..4001)
        .map(|i| {
            let lam = 0.01 + 0.99 * i as f64 / 4000.0;
            (hb_lines(1.0, 0.9, |x| lam * x, 1.0, 100)[100].abs(), lam)
        })
        .fold((0.0, 0.0), |a, b| if b.0 > a.0 { b } else { a });
    assert_relative_eq!(
        value(
            &c,
            "HB η = 1, β = 0.9, N = 100: max |P_N(λ)| over 4001 curvatures"
        ),
        worst.0,
        max_relative = 1e-9
    );
    assert!((value(&c, "HB η = 1, β = 0.9, N = 100: attained at λ") - worst.1).abs() < 1e-9);
    let ends = hb_lines(1.0, 0.9, |x| 0.01 * x, 1.0, 100)[100]
        .abs()
        .max(hb_lines(1.0, 0.9, |x| x, 1.0, 100)[100].abs());
    assert!(worst.0 > 2.0 * ends);
}

#[test]
fn c19_nesterov_edge_by_literal_updates() {
    let c = claims::c19_nesterov_edge().unwrap();
    assert_tag(&c, "holds when");
    let hb = worst_literal(400.0 / 121.0, 81.0 / 121.0, false, &[0.01, 1.0]);
    let nag = worst_literal(1.0, 9.0 / 11.0, true, &[0.01, 1.0]);
    assert!((value(&c, "tuned heavy ball (Polyak) rate") - hb).abs() < 1e-7);
    assert!((value(&c, "tuned Nesterov (standard) rate") - nag).abs() < 1e-7);
    let over = |xs: Vec<f64>| -xs.iter().copied().fold(f64::INFINITY, f64::min);
    assert_relative_eq!(
        value(&c, "HB overshoot at η = 0.1, β = 0.9"),
        over(hb_lines(0.1, 0.9, |x| x, 1.0, 2000)),
        max_relative = 1e-9
    );
    assert_relative_eq!(
        value(&c, "NAG overshoot at η = 0.1, β = 0.9"),
        over(nag_lines(0.1, 0.9, |x| x, 1.0, 2000)),
        max_relative = 1e-9
    );
}

#[test]
fn c20_step_windows_by_scan() {
    let c = claims::c20_step_sensitivity().unwrap();
    assert_tag(&c, "holds when");
    let ends = [0.01, 1.0];
    // scan α on a fine grid with the literal heavy-ball update at β = 0.9
    let target = 0.9f64.sqrt().sqrt(); // √β to the power 1/2: twice the iterations per decade
    let inside: Vec<f64> = (1..40_000)
        .map(|i| 3.8 * i as f64 / 40_000.0)
        .filter(|&a| worst_literal(a, 0.9, false, &ends) <= target)
        .collect();
    let (lo, hi) = (inside[0], inside[inside.len() - 1]);
    assert!((lo - value(&c, "HB β = 0.9: window α_lo")).abs() < 2e-4);
    assert!((hi - value(&c, "HB β = 0.9: window α_hi")).abs() < 2e-4);
    // gradient descent's window: |1 − α λ| ≤ ρ_GD^{1/2} at both ends
    let t = (99.0f64 / 101.0).sqrt();
    assert_relative_eq!(
        value(&c, "GD: window α_lo"),
        (1.0 - t) / 0.01,
        max_relative = 1e-9
    );
    assert_relative_eq!(value(&c, "GD: window α_hi"), 1.0 + t, max_relative = 1e-9);
}

#[test]
fn c21_overshoot_by_literal_lines() {
    let c = claims::c21_overshoot_parameter().unwrap();
    assert_tag(&c, "holds when");
    for (h, b) in [
        (0.01, 0.9),
        (0.1, 0.9),
        (0.5, 0.9),
        (0.01, 0.5),
        (0.5, 0.5),
        (1.5, 0.0),
    ] {
        let xs = hb_lines(h, b, |x| x, 1.0, 2000);
        let over = (-xs.iter().copied().fold(f64::INFINITY, f64::min)).max(0.0);
        let got = value(&c, &format!("overshoot at ηλ = {h}, β = {b}"));
        assert!(
            (got - over).abs() <= 1e-12 * over.max(1.0),
            "({h}, {b}): {got} vs {over}"
        );
    }
}

// ------------------------------------------------------------------------------------------------
// all() and the error paths
// ------------------------------------------------------------------------------------------------

#[test]
fn all_checks_are_complete_and_distinct() {
    let all = claims::all().unwrap();
    assert_eq!(all.len(), 37);
    let mut ids: Vec<&str> = all.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    for c in &all {
        assert!(
            !c.statement.is_empty() && !c.seed.is_empty() && !c.setting.is_empty(),
            "{}",
            c.id
        );
        assert!(c.example.starts_with("claim"), "{}", c.id);
        if !matches!(c.verdict, Verdict::OutOfScope(_)) {
            assert!(!c.computed.is_empty(), "{} has no numbers", c.id);
        }
        let text = c.to_string();
        assert!(text.contains(c.id) && text.contains("verdict"));
        // names are unique within a check (tests look values up by name)
        let mut names: Vec<&str> = c.computed.iter().map(|q| q.name.as_str()).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "{}: duplicate value names", c.id);
        assert!(
            c.computed.iter().all(|q| !q.value.is_nan()),
            "{}: NaN value",
            c.id
        );
    }
    assert!(
        serde_json::to_string(&all)
            .unwrap()
            .contains("\"verdict\":\"holds_when\"")
    );
}

#[test]
fn helpers_reject_bad_input_instead_of_panicking() {
    assert!(claims::heavy_ball_best_rate_at_momentum(1.5, 0.01, 1.0).is_err());
    assert!(claims::heavy_ball_best_rate_at_momentum(0.5, 1.0, 0.01).is_err());
    assert!(claims::kappa_for_speedup(claims::Tuned::HeavyBall, 0.0).is_err());
    assert!(claims::kappa_for_speedup(claims::Tuned::HeavyBall, 1e12).is_err());
    assert!(
        claims::effective_mass(
            1.0,
            claims::Held::FrictionAndTimeStep {
                friction: 1.0,
                dt: 0.1
            }
        )
        .is_err()
    );
    assert!(claims::best_step(|a| Method::heavy_ball(a, 0.5), (0.01, 1.0), (0.0, 1.0)).is_err());
    assert!(claims::best_step(|a| Method::heavy_ball(a, 0.5), (1.0, 0.01), (0.1, 1.0)).is_err());
    assert!(claims::overshoot_threshold_by_simulation(1.44, 1.0, 100).is_err());
    assert_eq!(claims::detect_cycle(&[1.0, 2.0], 3, 1e-9), None);
    assert_eq!(
        claims::rosenbrock_grid_search(Method::heavy_ball, &[], &[0.5], 1e-6, 10).unwrap(),
        None
    );
}
