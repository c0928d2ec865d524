//! Every convention row, run literally: the framework's update lines are re-typed here from their
//! descriptions (docs/REFERENCE.md §6 and the frameworks' update code) and iterated for 50 steps on a 1-D
//! quadratic f(x) = ½λ(x − x*)². The parameter sequence must satisfy the canonical recurrence
//! returned by `Framework::convert` to 1e-12, and its long-run decay must match the predicted
//! spectral radius.

use momentum::{Error, Framework, FrameworkParams, Recurrence};
use proptest::prelude::*;

const X_STAR: f64 = 0.7;

/// What a framework run produced: the parameters x_0 … x_N, and the point they converge to.
struct Run {
    xs: Vec<f64>,
    fixed_point: f64,
}

fn grad(lam: f64, x: f64, star: f64) -> f64 {
    lam * (x - star)
}

/// torch.optim.SGD.step, single tensor, maximize=False (its arguments, as torch names them).
#[allow(clippy::too_many_arguments)]
fn pytorch(
    lr: f64,
    mom: f64,
    damp: f64,
    wd: f64,
    nesterov: bool,
    lam: f64,
    n: usize,
    star: f64,
) -> Run {
    let mut p = 1.9;
    let mut buf: Option<f64> = None;
    let mut xs = vec![p];
    for _ in 0..n {
        let mut d_p = grad(lam, p, star);
        if wd != 0.0 {
            d_p += wd * p; // d_p = d_p.add(param, alpha=weight_decay)
        }
        if mom != 0.0 {
            let b = match buf {
                None => d_p,                             // buf = torch.clone(d_p).detach()
                Some(b) => mom * b + (1.0 - damp) * d_p, // buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
            };
            buf = Some(b);
            d_p = if nesterov { d_p + mom * b } else { b };
        }
        p -= lr * d_p; // param.add_(d_p, alpha=-lr)
        xs.push(p);
    }
    Run {
        xs,
        fixed_point: lam * star / (lam + wd),
    }
}

/// keras.optimizers.SGD (Keras 3): gradients at x, then decoupled decay, then the momentum update.
fn keras(lr: f64, mom: f64, wd: f64, nesterov: bool, lam: f64, n: usize, star: f64) -> Run {
    let mut x = 1.9;
    let mut m = 0.0; // momentum variable initialised to zeros
    let mut xs = vec![x];
    for _ in 0..n {
        let g = grad(lam, x, star);
        x -= x * wd * lr; // _apply_weight_decay: variable.assign_sub(variable * wd * lr)
        m = mom * m - lr * g; // m.assign(-gradient * learning_rate + m * momentum)
        if nesterov {
            x += -g * lr + m * mom; // variable.assign_add(-gradient * learning_rate + m * momentum)
        } else {
            x += m; // variable.assign_add(m)
        }
        xs.push(x);
    }
    // decoupled decay with momentum settles where (1 − μ)·w·x = −λ(x − x*)
    Run {
        xs,
        fixed_point: lam * star / (lam + (1.0 - mom) * wd),
    }
}

/// optax.chain(optax.add_decayed_weights(wd), optax.sgd(lr, momentum, nesterov)).
fn optax(lr: f64, mom: f64, wd: f64, nesterov: bool, lam: f64, n: usize) -> Run {
    let mut x = 1.9;
    let mut trace = 0.0; // trace state initialised to zeros
    let mut xs = vec![x];
    for _ in 0..n {
        let g = grad(lam, x, X_STAR) + wd * x; // add_decayed_weights: g + wd * params
        let f_t = g + mom * trace; // trace: f = lambda g, t: g + decay * t
        trace = f_t;
        let u = if nesterov { g + mom * f_t } else { f_t };
        x += -lr * u; // scale_by_learning_rate then apply_updates
        xs.push(x);
    }
    Run {
        xs,
        fixed_point: lam * X_STAR / (lam + wd),
    }
}

/// Course form: v = βv + (1−β)∇f, x −= αv.
fn ewma(lr: f64, beta: f64, lam: f64, n: usize) -> Run {
    let (mut x, mut v) = (1.9, 0.0);
    let mut xs = vec![x];
    for _ in 0..n {
        v = beta * v + (1.0 - beta) * grad(lam, x, X_STAR);
        x -= lr * v;
        xs.push(x);
    }
    Run {
        xs,
        fixed_point: X_STAR,
    }
}

/// Seeds' physics form: v = βv − η∇f(x), x += v; Nesterov: v = γv + η∇f(x − γv), x −= v.
fn physics(eta: f64, beta: f64, nesterov: bool, lam: f64, n: usize) -> Run {
    let (mut x, mut v) = (1.9, 0.0);
    let mut xs = vec![x];
    for _ in 0..n {
        if nesterov {
            v = beta * v + eta * grad(lam, x - beta * v, X_STAR);
            x -= v;
        } else {
            v = beta * v - eta * grad(lam, x, X_STAR);
            x += v;
        }
        xs.push(x);
    }
    Run {
        xs,
        fixed_point: X_STAR,
    }
}

/// Sutskever et al. (2013): v = μv − ε∇f(x [+ μv]), x += v.
fn sutskever(eps: f64, mu: f64, nesterov: bool, lam: f64, n: usize) -> Run {
    let (mut x, mut v) = (1.9, 0.0);
    let mut xs = vec![x];
    for _ in 0..n {
        let at = if nesterov { x + mu * v } else { x };
        v = mu * v - eps * grad(lam, at, X_STAR);
        x += v;
        xs.push(x);
    }
    Run {
        xs,
        fixed_point: X_STAR,
    }
}

/// Replay the canonical recurrence from the run's first two errors and compare every iterate.
fn assert_follows(run: &Run, rec: &Recurrence, lam: f64, what: &str) {
    let e: Vec<f64> = run.xs.iter().map(|x| x - run.fixed_point).collect();
    let (c1, c0) = rec.coefficients(lam);
    let scale = e.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    let (mut prev, mut cur) = (e[0], e[1]);
    for (k, &actual) in e.iter().enumerate().skip(2) {
        (prev, cur) = (cur, c1 * cur - c0 * prev);
        assert!(
            (cur - actual).abs() <= 1e-12 * scale,
            "{what}: step {k}: framework {actual:e} vs canonical {cur:e}"
        );
    }
}

fn params(lr: f64, mom: f64, nesterov: bool) -> FrameworkParams {
    FrameworkParams {
        lr,
        momentum: Some(mom),
        nesterov,
        ..Default::default()
    }
}

const N: usize = 50;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn pytorch_rows(lr in 0.001..0.5f64, mom in 0.0..0.99f64, damp in 0.0..0.9f64, wd in 0.0..0.5f64, lam in 0.1..10.0f64, nesterov: bool) {
        let damp = if nesterov { 0.0 } else { damp };
        let p = FrameworkParams { dampening: Some(damp), weight_decay: Some(wd), ..params(lr, mom, nesterov) };
        prop_assume!(!(nesterov && mom == 0.0));
        let rec = Framework::PyTorch.convert(&p).unwrap().recurrence;
        assert_follows(&pytorch(lr, mom, damp, wd, nesterov, lam, N, X_STAR), &rec, lam, "pytorch");
    }

    #[test]
    fn keras_rows(lr in 0.001..0.5f64, mom in 0.0..1.0f64, wd in 0.0..0.5f64, lam in 0.1..10.0f64, nesterov: bool) {
        let p = FrameworkParams { weight_decay: Some(wd), ..params(lr, mom, nesterov) };
        let rec = Framework::Keras.convert(&p).unwrap().recurrence;
        assert_follows(&keras(lr, mom, wd, nesterov, lam, N, X_STAR), &rec, lam, "keras");
    }

    #[test]
    fn optax_rows(lr in 0.001..0.5f64, mom in 0.0..0.99f64, wd in 0.0..0.5f64, lam in 0.1..10.0f64, nesterov: bool) {
        let p = FrameworkParams { weight_decay: Some(wd), ..params(lr, mom, nesterov) };
        let rec = Framework::Optax.convert(&p).unwrap().recurrence;
        assert_follows(&optax(lr, mom, wd, nesterov, lam, N), &rec, lam, "optax");
    }

    #[test]
    fn course_physics_and_sutskever_rows(lr in 0.001..0.5f64, mom in 0.0..0.99f64, lam in 0.1..10.0f64, nesterov: bool) {
        let rec = Framework::Ewma.convert(&params(lr, mom, false)).unwrap().recurrence;
        assert_follows(&ewma(lr, mom, lam, N), &rec, lam, "ewma");
        let rec = Framework::Physics.convert(&params(lr, mom, nesterov)).unwrap().recurrence;
        assert_follows(&physics(lr, mom, nesterov, lam, N), &rec, lam, "physics");
        let rec = Framework::Sutskever.convert(&params(lr, mom, nesterov)).unwrap().recurrence;
        assert_follows(&sutskever(lr, mom, nesterov, lam, N), &rec, lam, "sutskever");
    }

    #[test]
    fn predicted_rate_matches_a_long_literal_run(lr in 0.01..0.3f64, mom in 0.3..0.95f64, wd in 0.0..0.2f64, lam in 0.5..5.0f64, nesterov: bool) {
        // PyTorch and Keras (decoupled decay): the error's decay over many steps is the radius
        let cases = [
            // x* = 0: no rounding floor, the error decays until subnormal
            (Framework::PyTorch, pytorch(lr, mom, 0.0, wd, nesterov, lam, 3000, 0.0)),
            (Framework::Keras, keras(lr, mom, wd, nesterov, lam, 3000, 0.0)),
        ];
        for (fw, run) in cases {
            let p = FrameworkParams { weight_decay: Some(wd), ..params(lr, mom, nesterov) };
            let mode = fw.convert(&p).unwrap().recurrence.mode(lam).unwrap();
            let rho = mode.spectral_radius();
            prop_assume!(rho < 0.995 && rho > 0.5);
            // state norm sqrt(e_k² + e_{k−1}²) over a window of 400 steps
            let e: Vec<f64> = run.xs.iter().map(|x| x - run.fixed_point).collect();
            let norm = |k: usize| e[k].hypot(e[k - 1]);
            // from where the subdominant root has faded (|r₂/r₁|^a ≤ 1e-6) to 1e-250 of the start
            let steps = |f: f64| (f.ln() / rho.ln()).ceil() as usize;
            let [r1, r2] = mode.roots();
            let fade = if r1.im == 0.0 && r2.norm() > 0.0 {
                (1e-6f64.ln() / (r2.norm() / r1.norm()).ln()).ceil() as usize
            } else {
                0
            };
            let (a, b) = (fade.max(20), steps(1e-250).min(2999));
            prop_assume!(b > a + 20);
            let empirical = (norm(b) / norm(a)).powf(1.0 / (b - a) as f64);
            // the state norm of a rotating, non-normal mode wobbles by a bounded factor C: at most
            // the eigenvector condition number ~ 1 + 2|r₁|/|r₁ − r₂| (large near a double root),
            // times the k-growth of a near-Jordan block (b/a); over W = b − a steps that moves the
            // estimate by ≤ ln C / W in log
            let split = (r1 - r2).norm().max(1e-300);
            let wobble = 3.0 + (1.0 + 2.0 * r1.norm() / split).ln() + (b as f64 / a as f64).ln();
            let tol = wobble / (b - a) as f64;
            prop_assert!((empirical.ln() - rho.ln()).abs() < tol, "{fw}: empirical {empirical} vs ρ {rho} (window {a}..{b})");
        }
    }
}

#[test]
fn pytorch_nesterov_rules_are_enforced() {
    let bad = FrameworkParams {
        dampening: Some(0.1),
        ..params(0.1, 0.9, true)
    };
    let e = Framework::PyTorch.convert(&bad).unwrap_err();
    assert!(
        e.to_string()
            .contains("Nesterov momentum requires a momentum and zero dampening"),
        "{e}"
    );
    let e = Framework::PyTorch
        .convert(&params(0.1, 0.0, true))
        .unwrap_err();
    assert!(matches!(
        e,
        Error::Convention {
            framework: "pytorch",
            ..
        }
    ));
    let e = Framework::PyTorch
        .convert(&params(0.1, -0.5, false))
        .unwrap_err();
    assert!(e.to_string().contains("Invalid momentum value"));
    // dampening 1 leaves no step at all
    let e = Framework::PyTorch
        .convert(&FrameworkParams {
            dampening: Some(1.0),
            ..params(0.1, 0.9, false)
        })
        .unwrap_err();
    assert!(e.to_string().contains("non-positive"), "{e}");
}

#[test]
fn other_frameworks_reject_foreign_options() {
    assert!(Framework::Keras.convert(&params(0.1, 1.5, false)).is_err());
    assert!(Framework::Ewma.convert(&params(0.1, 0.9, true)).is_err());
    assert!(Framework::Ewma.convert(&params(0.1, 1.0, false)).is_err());
    let damp = FrameworkParams {
        dampening: Some(0.1),
        ..params(0.1, 0.9, false)
    };
    for fw in [
        Framework::Keras,
        Framework::Optax,
        Framework::Ewma,
        Framework::Physics,
        Framework::Sutskever,
        Framework::Canonical,
    ] {
        assert!(fw.convert(&damp).is_err(), "{fw} accepted dampening");
    }
    let wd = FrameworkParams {
        weight_decay: Some(0.01),
        ..params(0.1, 0.9, false)
    };
    for fw in [
        Framework::Ewma,
        Framework::Physics,
        Framework::Sutskever,
        Framework::Canonical,
    ] {
        assert!(fw.convert(&wd).is_err(), "{fw} accepted weight decay");
    }
    assert!("mxnet".parse::<Framework>().is_err());
    assert_eq!("PyTorch".parse::<Framework>().unwrap(), Framework::PyTorch);
}

#[test]
fn three_parameter_detection() {
    // PyTorch with dampening is heavy ball with α = lr(1 − τ); coupled decay leaves the family
    let c = Framework::PyTorch
        .convert(&FrameworkParams {
            dampening: Some(0.5),
            ..params(0.2, 0.9, false)
        })
        .unwrap();
    let m = c.canonical_method().unwrap();
    assert_eq!((m.step(), m.momentum(), m.lookahead()), (0.1, 0.9, 0.0));
    let c = Framework::PyTorch
        .convert(&FrameworkParams {
            weight_decay: Some(0.01),
            ..params(0.2, 0.9, true)
        })
        .unwrap();
    assert!(c.canonical_method().is_none());
    assert_eq!(c.method.lookahead(), 0.9);
    // Keras decoupled decay: p₀ − q₀ = 1 − lr·w(1 − μ) ≠ 1
    let c = Framework::Keras
        .convert(&FrameworkParams {
            weight_decay: Some(0.01),
            ..params(0.1, 0.9, false)
        })
        .unwrap();
    assert!(c.canonical_method().is_none());
    assert!((c.recurrence.p0() - c.recurrence.q0() - (1.0 - 0.1 * 0.01 * 0.1)).abs() < 1e-15);
    // EWMA: α = lr(1 − β)
    let c = Framework::Ewma.convert(&params(1.0, 0.75, false)).unwrap();
    assert_eq!(c.canonical_method().unwrap().step(), 0.25);
}

#[test]
fn express_is_the_inverse_of_convert() {
    use momentum::{Framework, Method};
    let methods = [
        Method::heavy_ball(0.3, 0.9).unwrap(),
        Method::nesterov(0.01, 0.99).unwrap(),
        Method::gradient_descent(1.5).unwrap(),
        Method::heavy_ball(4.0 / 1.21, 0.669421487603).unwrap(),
    ];
    for fw in [
        Framework::Canonical,
        Framework::PyTorch,
        Framework::Keras,
        Framework::Optax,
        Framework::Ewma,
        Framework::Physics,
        Framework::Sutskever,
    ] {
        for m in methods {
            if fw == Framework::Ewma && m.lookahead() != 0.0 {
                assert!(fw.express(&m).is_err());
                continue;
            }
            let p = fw.express(&m).unwrap();
            let back = fw.convert(&p).unwrap().method;
            // EWMA divides and multiplies by 1 − β: equal to rounding
            let tol = if fw == Framework::Ewma { 4e-16 } else { 0.0 };
            assert!(
                (back.step() - m.step()).abs() <= tol * m.step(),
                "{fw} {m:?} -> {back:?}"
            );
            assert_eq!(back.momentum(), m.momentum(), "{fw}");
            assert_eq!(back.lookahead(), m.lookahead(), "{fw}");
        }
    }
    // triple momentum has no framework switch; negative momentum is rejected where the framework does
    let tmm = Method::triple_momentum(0.01, 1.0).unwrap();
    assert!(Framework::PyTorch.express(&tmm).is_err());
    assert!(Framework::Canonical.express(&tmm).is_ok());
    let neg = Method::heavy_ball(0.1, -0.2).unwrap();
    assert!(Framework::PyTorch.express(&neg).is_err());
    assert!(Framework::Keras.express(&neg).is_err());
    assert!(Framework::Optax.express(&neg).is_ok());
}
