//! Schedules against independent routes: each framework's update lines re-typed here (not the
//! library's step matrices), dense λ grids, Chebyshev's closed form, monodromy eigenvalues,
//! Goujaud et al.'s gapped-spectrum rate, and real optax runs (tests/data/schedules.json).

use momentum::Spectrum;
use momentum::schedule::shape::Shape;
use momentum::schedule::{Run, Schedule};
use momentum::setting::{Resolved, Setting};
use nalgebra::Matrix2;
use std::f64::consts::PI;

fn resolve(fw: &str, method: Option<&str>, lr: f64, momentum: Option<f64>) -> Resolved {
    let s = Setting {
        lr: Some(lr),
        momentum,
        ..Setting::named(fw, method).unwrap()
    };
    s.resolve(&Spectrum::interval(0.01, 1.0).unwrap()).unwrap()
}

/// optax.sgd's update lines with per-step lr and momentum, typed from optax's `trace` and
/// `scale_by_learning_rate`: t ← g + μ_t·t; u = g + μ_t·t (Nesterov) or t; x ← x − lr_t·u.
fn optax_lines(lr: &[f64], mom: &[f64], nesterov: bool, lam: f64) -> Vec<f64> {
    let (mut x, mut tr) = (1.0f64, 0.0f64);
    let mut out = vec![x];
    for t in 0..lr.len() {
        let g = lam * x;
        tr = g + mom[t] * tr;
        let u = if nesterov { g + mom[t] * tr } else { tr };
        x -= lr[t] * u;
        out.push(x);
    }
    out
}

/// The warmup + cosine schedule of the issue, written out by hand (not through `shape`).
fn warmup_cosine() -> Vec<f64> {
    (0..1000)
        .map(|t| {
            let t = t as f64;
            if t < 100.0 {
                3.0 * t / 100.0
            } else {
                3.0 * 0.5 * (1.0 + (PI * (t - 100.0) / 900.0).cos())
            }
        })
        .collect()
}

#[test]
fn named_warmup_cosine_equals_the_written_out_formula() {
    let s = Shape::parse(
        "optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=3.0, warmup_steps=100, decay_steps=1000, end_value=0.0)",
    )
    .unwrap();
    let v = s.values(1000, None).unwrap().lr;
    for (a, b) in v.iter().zip(warmup_cosine()) {
        assert!((a - b).abs() <= 1e-15 * b.abs().max(1.0), "{a} vs {b}");
    }
}

/// The claim: optax.sgd(momentum=0.9) under warmup + cosine on [0.01, 1] is worst at an
/// interior curvature; the value there against the ends, and against a dense grid of the
/// update lines themselves.
#[test]
fn warmup_cosine_is_worst_at_an_interior_curvature() {
    let lr = warmup_cosine();
    let r = resolve("optax", None, 3.0, Some(0.9));
    let run = Run::new(&r, &Schedule::lr(lr.clone()), 1000).unwrap();
    let w = run.worst(&Spectrum::interval(0.01, 1.0).unwrap()).unwrap();
    let at_mu = 10f64.powf(w.at_ends_log10[0]);
    let at_l = 10f64.powf(w.at_ends_log10[1]);
    assert!(w.worst_lambda > 0.0101 && w.worst_lambda < 0.0106, "{w:?}");
    let ratio = w.worst_factor / at_mu;
    assert!(ratio > 1.1 && ratio < 1.3, "{ratio}");
    assert!(w.worst_factor / at_l > 100.0, "{w:?}");
    // a dense grid of the literal lines around the interior maximum and over the whole range
    let mom = vec![0.9; 1000];
    let mut best = (0.0f64, 0.0f64);
    for i in 0..=4000 {
        let lam = 0.01 + 0.002 * i as f64 / 4000.0;
        let v = optax_lines(&lr, &mom, false, lam)[1000].abs();
        if v > best.0 {
            best = (v, lam);
        }
    }
    for i in 0..=2000 {
        let lam = 0.01 + 0.99 * i as f64 / 2000.0;
        let v = optax_lines(&lr, &mom, false, lam)[1000].abs();
        assert!(v <= w.worst_factor * (1.0 + 1e-9), "λ = {lam}: {v} > {w:?}");
    }
    assert!(
        (best.0 - w.worst_factor).abs() <= 1e-6 * w.worst_factor,
        "{best:?} vs {w:?}"
    );
    assert!(w.worst_factor <= 10f64.powf(w.worst_factor_bound_log10) * (1.0 + 1e-12));
}

/// Random schedules (lr and momentum per step) against a dense grid of the literal optax lines:
/// the sampled-and-refined maximum is never below the grid's, and the certified bound never
/// below either.
#[test]
fn adversarial_schedules_against_a_dense_grid() {
    let mut seed = 0x2545F4914F6CDD1Du64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    for case in 0..12 {
        let n = 20 + (rnd() * 60.0) as usize;
        let lr: Vec<f64> = (0..n).map(|_| 3.5 * rnd()).collect();
        let mom: Vec<f64> = (0..n).map(|_| 0.95 * rnd()).collect();
        let nesterov = case % 2 == 1;
        let mut s = Setting::named("optax", None).unwrap();
        s.lr = Some(1.0);
        s.momentum = Some(0.5);
        s.nesterov = nesterov;
        let (mu, l) = (0.05, 1.0);
        let r = s.resolve(&Spectrum::interval(mu, l).unwrap()).unwrap();
        let sched = Schedule::lr(lr.clone()).with_momentum(mom.clone());
        let w = Run::new(&r, &sched, n)
            .unwrap()
            .worst(&Spectrum::interval(mu, l).unwrap())
            .unwrap();
        let grid = 200_000;
        let mut best = 0.0f64;
        for i in 0..=grid {
            let lam = mu + (l - mu) * i as f64 / grid as f64;
            best = best.max(optax_lines(&lr, &mom, nesterov, lam)[n].abs());
        }
        let found = w.worst_factor;
        assert!(
            found >= best * (1.0 - 1e-9),
            "case {case}: engine {found} < grid {best}"
        );
        assert!(
            10f64.powf(w.worst_factor_bound_log10) >= found * (1.0 - 1e-12),
            "case {case}"
        );
        // the engine's value is attained at its λ, by the literal lines
        let at = optax_lines(&lr, &mom, nesterov, w.worst_lambda)[n].abs();
        assert!(
            (at - found).abs() <= 1e-9 * found,
            "case {case}: {at} vs {found}"
        );
    }
}

/// Young's Chebyshev steps: max |P_N| = 1/T_N((L+μ)/(L−μ)) = 0.26409 at κ = 100, N = 10.
#[test]
fn chebyshev_steps_reach_one_over_t_n() {
    let (mu, l, n) = (0.01f64, 1.0f64, 10usize);
    let steps: Vec<f64> = (1..=n)
        .map(|k| {
            1.0 / ((l + mu) / 2.0
                + (l - mu) / 2.0 * ((2 * k - 1) as f64 * PI / (2 * n) as f64).cos())
        })
        .collect();
    let r = resolve("canonical", Some("gd"), 1.0, None);
    let s = Spectrum::interval(mu, l).unwrap();
    let w = Run::new(&r, &Schedule::lr(steps), n)
        .unwrap()
        .worst(&s)
        .unwrap();
    let tn = (n as f64 * ((l + mu) / (l - mu)).acosh()).cosh();
    assert!((w.worst_factor - 1.0 / tn).abs() < 1e-13, "{w:?}");
    assert!((w.worst_factor - 0.26409).abs() < 5e-6);
    // Polyak's constant heavy ball after the same 10 steps, from rest: a transient above 1
    let k = l / mu;
    let alpha = 4.0 / (l.sqrt() + mu.sqrt()).powi(2);
    let beta = ((k.sqrt() - 1.0) / (k.sqrt() + 1.0)).powi(2);
    let hb = resolve("canonical", Some("hb"), alpha, Some(beta));
    let p = Run::new(&hb, &Schedule::default(), n)
        .unwrap()
        .worst(&s)
        .unwrap();
    assert!((p.worst_factor - 2.58).abs() < 0.01, "{p:?}");
}

/// Heavy ball β = 0.5 at λ = 1 with steps 0.5 and 2.5 alternating: each alone has ρ = √0.5, the
/// cycle grows by (1 + √3)/2 per step; against the eigenvalues of the product of the two
/// canonical transition matrices (nalgebra).
#[test]
fn periodic_rate_is_the_monodromy_eigenvalue() {
    let r = resolve("canonical", Some("hb"), 1.0, Some(0.5));
    let p = Run::new(&r, &Schedule::lr(vec![0.5, 2.5]).periodic(), 2)
        .unwrap()
        .periodic()
        .unwrap();
    let t = |a: f64, lam: f64| Matrix2::new(1.5 - a * lam, -0.5, 1.0, 0.0);
    for lam in [0.1, 0.5, 1.0, 1.3] {
        let m = t(2.5, lam) * t(0.5, lam);
        let rho = m
            .complex_eigenvalues()
            .iter()
            .map(|z| z.norm())
            .fold(0.0, f64::max);
        assert!(
            (p.rate(lam).unwrap() - rho.sqrt()).abs() < 1e-13,
            "λ = {lam}"
        );
    }
    assert!((p.rate(1.0).unwrap() - (1.0 + 3f64.sqrt()) / 2.0).abs() < 1e-14);
    // each step alone is stable at λ = 1 with ρ = √β
    for a in [0.5, 2.5] {
        let one = Run::new(&r, &Schedule::lr(vec![a]).periodic(), 1)
            .unwrap()
            .periodic()
            .unwrap();
        assert!((one.rate(1.0).unwrap() - 0.5f64.sqrt()).abs() < 1e-14);
    }
    // the worst over [0.1, 1.3] is at least the rate at λ = 1 and attained at its λ
    let w = p.worst(&Spectrum::interval(0.1, 1.3).unwrap()).unwrap();
    assert!(w.rate >= (1.0 + 3f64.sqrt()) / 2.0 - 1e-12 && !w.stable);
    assert!((p.rate(w.worst_lambda).unwrap() - w.rate).abs() < 1e-14);
}
