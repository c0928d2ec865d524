//! QHM, Adam, AdamW and RMSprop run literally (their update lines re-typed from Ma & Yarats 2019
//! and PyTorch's optimizer code, with the second moment frozen) against the four-number
//! recurrence `Framework::convert` returns: every step must satisfy it to 1e-12 for 100 steps.
//! Adam's edge of stability (38/α at β₁ = 0.9) is checked against literal runs on either side.

use momentum::precondition::{diagonal, full, preconditioner};
use momentum::{Framework, FrameworkParams, Recurrence, Spectrum};
use nalgebra::{DMatrix, DVector};

/// max over k ≥ 1 of |x_{k+1} − (p₀x_k − q₀x_{k−1} − H(p₁x_k − q₁x_{k−1}))| / max‖x‖.
fn residual(rec: &Recurrence, h: &DMatrix<f64>, xs: &[DVector<f64>]) -> f64 {
    let scale = xs.iter().fold(0.0_f64, |m, x| m.max(x.amax()));
    (1..xs.len() - 1)
        .map(|k| {
            let (x, xp) = (&xs[k], &xs[k - 1]);
            let pred = x * rec.p0() - xp * rec.q0() - h * (x * rec.p1() - xp * rec.q1());
            (&xs[k + 1] - pred).amax() / scale
        })
        .fold(0.0, f64::max)
}

fn hessian() -> DMatrix<f64> {
    DMatrix::from_row_slice(3, 3, &[2.0, 0.3, -0.1, 0.3, 1.0, 0.2, -0.1, 0.2, 0.5])
}

#[test]
fn qhm_literal_lines_follow_the_mapped_recurrence() {
    let h = hessian();
    for (lr, beta, nu) in [
        (0.3, 0.9, 0.7),
        (0.5, 0.999, 0.7),
        (0.2, 0.5, 0.0),
        (0.4, 0.8, 1.0),
        (0.3, 0.6, 0.6),
    ] {
        let p = FrameworkParams {
            lr,
            momentum: Some(beta),
            nu: Some(nu),
            ..Default::default()
        };
        let c = Framework::Qhm.convert(&p).unwrap();
        // Ma & Yarats (2019), Algorithm 1: g_buf ← βg_buf + (1−β)∇; θ ← θ − α[(1−ν)∇ + νg_buf]
        let mut x = DVector::from_vec(vec![1.0, -0.5, 0.25]);
        let mut buf = DVector::zeros(3);
        let mut xs = vec![x.clone()];
        for _ in 0..100 {
            let g = &h * &x;
            buf = &buf * beta + &g * (1.0 - beta);
            x -= (&g * (1.0 - nu) + &buf * nu) * lr;
            xs.push(x.clone());
        }
        let r = residual(&c.recurrence, &h, &xs);
        assert!(r < 1e-12, "qhm({lr}, {beta}, {nu}): residual {r}");
    }
    // ν = β is Nesterov, ν = 1 heavy ball in EWMA form
    let c = Framework::Qhm
        .convert(&FrameworkParams {
            lr: 0.1,
            momentum: Some(0.9),
            nu: Some(0.9),
            ..Default::default()
        })
        .unwrap();
    assert!((c.method.lookahead() - 0.9).abs() < 1e-15 && (c.method.step() - 0.01).abs() < 1e-15);
    // and back
    let back = Framework::Qhm.express(&c.method).unwrap();
    assert!((back.lr - 0.1).abs() < 1e-15 && (back.nu.unwrap() - 0.9).abs() < 1e-15);
    assert!(
        Framework::Qhm
            .convert(&FrameworkParams {
                lr: 0.1,
                momentum: Some(1.0),
                nu: Some(0.5),
                ..Default::default()
            })
            .is_err()
    );
    assert!(
        Framework::Qhm
            .convert(&FrameworkParams {
                lr: 0.1,
                momentum: Some(0.9),
                nu: Some(1.5),
                ..Default::default()
            })
            .is_err()
    );
    assert!(
        Framework::Qhm
            .convert(&FrameworkParams {
                lr: 0.1,
                momentum: Some(0.9),
                ..Default::default()
            })
            .is_err()
    );
}

/// torch.optim.Adam / AdamW single-tensor step with exp_avg_sq frozen at v (the settled regime:
/// t so large that both bias corrections are 1 in f64), in the original coordinates x.
fn adam_run(
    lr: f64,
    b1: f64,
    wd: f64,
    v: &[f64],
    eps: f64,
    h: &DMatrix<f64>,
    steps: usize,
) -> Vec<DVector<f64>> {
    let n = v.len();
    let mut x = DVector::from_fn(n, |i, _| 1.0 - 0.3 * i as f64);
    let mut m = DVector::zeros(n);
    let mut xs = vec![x.clone()];
    for _ in 0..steps {
        let g = h * &x;
        x *= 1.0 - lr * wd; // AdamW: param.mul_(1 - lr * weight_decay)
        m = &m * b1 + &g * (1.0 - b1); // exp_avg.lerp_(grad, 1 - beta1)
        let denom = DVector::from_fn(n, |i, _| v[i].sqrt() + eps); // exp_avg_sq.sqrt() + eps
        x -= m.component_div(&denom) * lr; // param.addcdiv_(exp_avg, denom, value=-step_size)
        xs.push(x.clone());
    }
    xs
}

/// y = P^{1/2} x and H̃ = P^{-1/2} H P^{-1/2}.
fn to_preconditioned(
    xs: &[DVector<f64>],
    h: &DMatrix<f64>,
    p: &[f64],
) -> (Vec<DVector<f64>>, DMatrix<f64>) {
    let n = p.len();
    let ys = xs
        .iter()
        .map(|x| DVector::from_fn(n, |i, _| p[i].sqrt() * x[i]))
        .collect();
    let ht = DMatrix::from_fn(n, n, |i, j| h[(i, j)] / (p[i].sqrt() * p[j].sqrt()));
    (ys, ht)
}

#[test]
fn adam_and_adamw_literal_lines_follow_the_mapped_recurrence() {
    let h = hessian();
    let (v, eps) = ([4.0, 0.25, 1e-4], 1e-8);
    let p = preconditioner(&v, eps).unwrap();
    for (fw, lr, b1, wd) in [
        (Framework::Adam, 0.05, 0.9, 0.0),
        (Framework::Adam, 0.01, 0.0, 0.0),
        (Framework::AdamW, 0.02, 0.9, 0.1),
        (Framework::AdamW, 0.05, 0.5, 0.01),
    ] {
        let params = FrameworkParams {
            lr,
            momentum: Some(b1),
            weight_decay: (fw == Framework::AdamW).then_some(wd),
            ..Default::default()
        };
        let c = fw.convert(&params).unwrap();
        let xs = adam_run(lr, b1, wd, &v, eps, &h, 100);
        let (ys, ht) = to_preconditioned(&xs, &h, &p);
        let r = residual(&c.recurrence, &ht, &ys);
        assert!(r < 1e-12, "{fw} lr={lr} b1={b1} wd={wd}: residual {r}");
        assert!(c.notes.iter().any(|n| n.contains("frozen-preconditioner")));
    }
    // Adam's own L2 term is not a shift of the preconditioned spectrum: refused with the reason
    let e = Framework::Adam
        .convert(&FrameworkParams {
            lr: 0.1,
            weight_decay: Some(0.1),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("adamw"), "{e}");
}

#[test]
fn rmsprop_literal_lines_follow_the_mapped_recurrence() {
    let h = hessian();
    let (v, eps) = ([1.0, 0.04, 9.0], 1e-8);
    let p = preconditioner(&v, eps).unwrap();
    for (lr, mu) in [(0.05, 0.9), (0.2, 0.0)] {
        let c = Framework::RmsProp
            .convert(&FrameworkParams {
                lr,
                momentum: Some(mu),
                ..Default::default()
            })
            .unwrap();
        // torch.optim.RMSprop: avg = square_avg.sqrt().add_(eps); buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
        let mut x = DVector::from_vec(vec![1.0, 0.5, -1.0]);
        let mut buf = DVector::zeros(3);
        let mut xs = vec![x.clone()];
        let avg = DVector::from_vec(p.clone());
        for _ in 0..100 {
            let g = &h * &x;
            if mu > 0.0 {
                buf = &buf * mu + g.component_div(&avg);
                x -= &buf * lr;
            } else {
                x -= g.component_div(&avg) * lr;
            }
            xs.push(x.clone());
        }
        let (ys, ht) = to_preconditioned(&xs, &h, &p);
        let r = residual(&c.recurrence, &ht, &ys);
        assert!(r < 1e-12, "rmsprop lr={lr} mu={mu}: residual {r}");
    }
}

#[test]
fn preconditioned_spectrum_is_that_of_p_inverse_h() {
    // P^{-1/2}HP^{-1/2} is similar to P^{-1}H: its eigenvalues by the non-symmetric solver
    let h = hessian();
    let p = preconditioner(&[4.0, 0.25, 1e-4], 1e-8).unwrap();
    let s = full(&h, &p).unwrap().listed();
    let pinv_h = DMatrix::from_fn(3, 3, |i, j| h[(i, j)] / p[i]);
    let mut other: Vec<f64> = pinv_h.complex_eigenvalues().iter().map(|z| z.re).collect();
    other.sort_by(f64::total_cmp);
    for (a, b) in s.iter().zip(&other) {
        assert!((a - b).abs() < 1e-9 * b.abs(), "{s:?} vs {other:?}");
    }
    let d = diagonal(&[1.0, 2.0], &[0.5, 4.0]).unwrap().listed();
    assert_eq!(d, vec![0.5, 2.0]);
    assert!(preconditioner(&[-1.0], 1e-8).is_err());
    assert!(preconditioner(&[0.0], 0.0).is_err());
    assert!(diagonal(&[1.0], &[1.0, 2.0]).is_err());
}

#[test]
fn adam_edge_of_stability_separates_literal_runs() {
    let h = hessian();
    let (v, eps) = ([4.0, 0.25, 1e-2], 1e-8);
    let p = preconditioner(&v, eps).unwrap();
    let sharp = full(&h, &p).unwrap().bounds().1;
    for b1 in [0.9, 0.0, 0.5] {
        // the edge in lr for this sharpness: (2 + 2β₁)/(lr(1 − β₁)) = sharpness
        let lr_edge = (2.0 + 2.0 * b1) / (sharp * (1.0 - b1));
        let edge = momentum::convention::adam_edge(lr_edge, b1).unwrap();
        assert!((edge - sharp).abs() < 1e-12 * sharp);
        if b1 == 0.9 {
            assert!((edge * lr_edge - 38.0).abs() < 1e-12);
        }
        for (factor, stable) in [(0.97, true), (1.03, false)] {
            let lr = factor * lr_edge;
            let c = Framework::Adam
                .convert(&FrameworkParams {
                    lr,
                    momentum: Some(b1),
                    ..Default::default()
                })
                .unwrap();
            let spectrum = full(&h, &p).unwrap();
            assert_eq!(
                spectrum.worst_case(&c.recurrence).unwrap().is_stable(),
                stable
            );
            let xs = adam_run(lr, b1, 0.0, &v, eps, &h, 4000);
            let (early, late) = (xs[100].norm(), xs[4000].norm());
            assert_eq!(
                late < early,
                stable,
                "β₁={b1} lr={lr}: |x_100| = {early}, |x_4000| = {late}"
            );
        }
    }
}

#[test]
fn every_convention_has_its_row() {
    for (i, f) in Framework::ALL.iter().enumerate() {
        assert_eq!(*f as usize, i);
        assert_eq!(f.as_str().parse::<Framework>().unwrap(), *f);
        for a in f.aliases() {
            assert_eq!(a.parse::<Framework>().unwrap(), *f);
        }
    }
    assert!(Framework::Adam.is_preconditioned() && !Framework::Qhm.is_preconditioned());
}

/// Run QHM's own lines (Ma & Yarats 2019, Algorithm 1) on ½λx² from (x₀, b₀) for `steps` steps;
/// the growth per step of max|x| over the last 50 steps against the 50 steps ending halfway.
fn qhm_measured_rate(lr: f64, beta: f64, nu: f64, lambda: f64, b0: f64, steps: usize) -> f64 {
    let (mut x, mut b) = (1.0f64, b0);
    let mut xs = vec![x.abs()];
    for _ in 0..steps {
        let g = lambda * x;
        b = beta * b + (1.0 - beta) * g;
        x -= lr * ((1.0 - nu) * g + nu * b);
        xs.push(x.abs());
    }
    let window = |end: usize| xs[end - 50..=end].iter().fold(0.0f64, |m, v| m.max(*v));
    (window(steps) / window(steps / 2)).powf(1.0 / (steps - steps / 2) as f64)
}

#[test]
fn qhm_rate_is_the_iterates_and_the_buffer_root_is_apart_at_nu_zero() {
    use momentum::stability::stable_steps;
    // ν = 0: x_{k+1} = (1 − αλ)x_k whatever the buffer holds; the root β = 0.9 never shows
    let p = |lr: f64, nu: f64| FrameworkParams {
        lr,
        momentum: Some(0.9),
        nu: Some(nu),
        ..Default::default()
    };
    let c = Framework::Qhm.convert(&p(0.5, 0.0)).unwrap();
    let rho = c.recurrence.mode(1.0).unwrap().spectral_radius();
    assert_eq!(rho, 0.5);
    assert_eq!(c.hidden_root, Some(0.9));
    assert_eq!(c.state_rate(rho), 0.9);
    for b0 in [0.0, 0.3, -5.0] {
        let measured = qhm_measured_rate(0.5, 0.9, 0.0, 1.0, b0, 400);
        assert!((measured - 0.5).abs() < 1e-9, "b0 = {b0}: {measured}");
    }
    // the worst case over [1, 3] is gradient descent's max(|1 − αμ|, |1 − αL|) = 0.5, not 0.9
    let s = Spectrum::interval(1.0, 3.0).unwrap();
    let w = s.worst_case(&c.recurrence).unwrap();
    assert_eq!(w.spectral_radius(), 0.5);
    let measured = qhm_measured_rate(0.5, 0.9, 0.0, 3.0, 0.3, 400);
    assert!((measured - 0.5).abs() < 1e-9, "{measured}");
    // stable lrs: gradient descent's (0, 2/L)
    let iv = stable_steps(&s, |lr| Ok(Framework::Qhm.convert(&p(lr, 0.0))?.recurrence))
        .unwrap()
        .unwrap();
    assert!(iv.lo == 0.0 && (iv.hi - 2.0 / 3.0).abs() < 1e-15, "{iv:?}");
    // ν > 0: every root reaches x, and the measured rate is the full polynomial's
    let c = Framework::Qhm.convert(&p(0.5, 0.7)).unwrap();
    assert_eq!(c.hidden_root, None);
    let rho = c.recurrence.mode(1.0).unwrap().spectral_radius();
    assert!((rho - 0.765f64.sqrt()).abs() < 1e-15, "{rho}");
    assert_eq!(c.state_rate(rho), rho);
    let measured = qhm_measured_rate(0.5, 0.9, 0.7, 1.0, 0.0, 2000);
    assert!((measured - rho).abs() < 2e-3, "{measured} vs {rho}");
}
