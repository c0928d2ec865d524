//! C16a … C16p: the narratives, by literal updates, simulation and direct computation.

use crate::{
    assert_tag, bisect_max_step, hb_velocity, nag_velocity, radius, step_matrix, value,
    worst_literal,
};
use approx::assert_relative_eq;
use momentum::Method;
use momentum::simulate::{Options, Quadratic, run};
use momentum_claims::{self as claims, Check, Verdict};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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
    // in effective steps: bisection on ηλ/(1−β) through the literal stale update
    let stale_eff = bisect_max_step(
        |t| step_matrix(|[x, xp]| [x + 0.9 * (x - xp) - 0.1 * t * xp, x]),
        10.0,
    );
    assert_relative_eq!(
        value(&e, "largest stable effective step ηλ/(1−β), one-step stale"),
        stale_eff,
        max_relative = 1e-8
    );
    let q = narrative("C16q");
    assert_tag(&q, "wrong");
    assert_relative_eq!(
        value(
            &q,
            "stale stable range, momentum / none, equal effective step"
        ),
        stale_eff / stale(0.0),
        max_relative = 1e-8
    );
    let r_hb = radius(&step_matrix(|[x, xp]| [x + 0.9 * (x - xp) - 0.005 * xp, x]));
    assert_relative_eq!(
        value(&q, "stale rate, momentum, effective step 0.05"),
        r_hb,
        max_relative = 1e-9
    );
    assert!(r_hb > value(&q, "stale rate, no momentum, step 0.05"));

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
    assert!(h.seed.contains(claims::SEED_BLOG));
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
    for id in ["C16l", "C16m", "C16n", "C16o", "C16p", "C16r"] {
        let c = narrative(id);
        assert_tag(&c, "out of scope");
        assert!(c.computed.is_empty() && !c.verdict.detail().is_empty());
    }
}

#[test]
fn c16k_double_well_by_the_seed_lines() {
    let c = narrative("C16k");
    assert_tag(&c, "holds when");
    for seed in [
        claims::SEED_PRINCIPLES,
        claims::SEED_NOTES,
        claims::SEED_BLOG,
    ] {
        assert!(c.seed.contains(seed));
    }
    let grad = |x: f64| x * x * x - x + 0.1;
    let f = |x: f64| x.powi(4) / 4.0 - x * x / 2.0 + 0.1 * x;
    // stationary points by Newton from three starts
    let newton = |mut x: f64| {
        for _ in 0..100 {
            x -= grad(x) / (3.0 * x * x - 1.0);
        }
        x
    };
    let (deep, top, shallow) = (newton(-1.5), newton(0.0), newton(1.5));
    assert_relative_eq!(value(&c, "deep minimum"), deep, max_relative = 1e-12);
    assert_relative_eq!(value(&c, "barrier top"), top, max_relative = 1e-12);
    assert_relative_eq!(value(&c, "shallow minimum"), shallow, max_relative = 1e-12);
    assert!(f(deep) < f(shallow));
    // the seed's lines v ← βv − η∇f, x ← x + v from rest, the same starts; counts may differ
    // only for starts on a basin boundary
    let n = 201;
    let (mut counts, mut lowest) = ([0usize; 4], f64::INFINITY);
    for i in 1..=n {
        let t = i as f64 / (n + 1) as f64;
        let (right, left) = (top + t * (2.5 - top), top - t * (2.5 + top));
        let end = |b: f64, x0: f64| *crate::hb_lines(0.1, b, grad, x0, 1500).last().unwrap();
        for (k, (b, x0, other)) in [
            (0.0, right, -1.0),
            (0.0, left, 1.0),
            (0.9, right, -1.0),
            (0.9, left, 1.0),
        ]
        .into_iter()
        .enumerate()
        {
            let x = end(b, x0);
            assert!(grad(x).abs() < 1e-8, "not converged from {x0}");
            if (x - top) * other > 0.0 {
                counts[k] += 1;
                if b > 0.0 {
                    lowest = lowest.min(f(x0) - f(top));
                }
            }
        }
    }
    assert_eq!(counts[0], 0);
    assert_eq!(counts[1], 0);
    let near = |name: &str, n: usize| {
        let v = value(&c, name);
        assert!((v - n as f64).abs() <= 2.0, "{name}: {v} vs {n}");
    };
    near("HB β = 0.9: shallow-side starts ending deep", counts[2]);
    near("HB β = 0.9: deep-side starts ending shallow", counts[3]);
    assert!(counts[2] > 0 && counts[3] > 0);
    assert_relative_eq!(
        value(&c, "HB: lowest start height above the barrier that crosses"),
        lowest,
        max_relative = 0.05
    );
}
