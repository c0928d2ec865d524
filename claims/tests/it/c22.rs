//! C22: the frameworks' documented update lines, run literally.

use crate::{assert_tag, value};
use momentum_claims as claims;

/// Iterates on ½λx² of a velocity-form update `step(x, v) -> (x, v)` from v = 0.
fn run(step: impl Fn(f64, f64) -> (f64, f64), n: usize) -> Vec<f64> {
    let (mut x, mut v) = (1.0, 0.0);
    let mut out = vec![x];
    for _ in 0..n {
        (x, v) = step(x, v);
        out.push(x);
    }
    out
}

#[test]
fn c22_framework_lines_are_the_raw_gradient_form() {
    let c = claims::c22_ewma_form().unwrap();
    assert_tag(&c, "wrong");
    let (lr, mu, lam) = (0.1, 0.9, 2.0);
    let g = |x: f64| lam * x;
    // the seed's first form, v = βv + αg, θ −= v
    let seed_first = run(|x, v| (x - (mu * v + lr * g(x)), mu * v + lr * g(x)), 60);
    // torch.optim.SGD: buf = μ·buf + g; p −= lr·buf
    let torch = run(|x, b| (x - lr * (mu * b + g(x)), mu * b + g(x)), 60);
    // keras SGD: v = μv − lr·g; p += v
    let keras = run(|x, v| (x + (mu * v - lr * g(x)), mu * v - lr * g(x)), 60);
    // optax.sgd: trace t = g + μt; update −lr·t
    let optax = run(|x, t| (x - lr * (g(x) + mu * t), g(x) + mu * t), 60);
    // the EWMA form v = βv + (1−β)g, θ −= αv
    let ewma = run(
        |x, v| {
            (
                x - lr * (mu * v + (1.0 - mu) * g(x)),
                mu * v + (1.0 - mu) * g(x),
            )
        },
        60,
    );
    for (name, xs) in [("torch", &torch), ("keras", &keras), ("optax", &optax)] {
        for (a, b) in xs.iter().zip(&seed_first) {
            assert!((a - b).abs() < 1e-12, "{name}");
        }
    }
    assert!(
        ewma.iter()
            .zip(&seed_first)
            .any(|(a, b)| (a - b).abs() > 1e-3)
    );
    // EWMA at lr equals the first form at lr(1 − β)
    let scaled = run(
        |x, v| {
            (
                x - (mu * v + lr * (1.0 - mu) * g(x)),
                mu * v + lr * (1.0 - mu) * g(x),
            )
        },
        60,
    );
    for (a, b) in ewma.iter().zip(&scaled) {
        assert!((a - b).abs() < 1e-12);
    }
    for f in ["pytorch", "keras", "optax", "sutskever"] {
        assert_eq!(value(&c, &format!("{f}: canonical step / lr")), 1.0);
    }
    assert!((value(&c, "EWMA form: canonical step / lr") - (1.0 - mu)).abs() < 1e-12);
}
