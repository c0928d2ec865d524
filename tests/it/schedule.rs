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

fn refs() -> serde_json::Value {
    let text = include_str!("../data/schedules.json");
    serde_json::from_str(text).expect("tests/data/schedules.json parses")
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| match x {
            serde_json::Value::String(s) if s == "inf" => f64::INFINITY,
            serde_json::Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
            serde_json::Value::String(_) => f64::NAN,
            x => x.as_f64().expect("a number"),
        })
        .collect()
}

/// Every optax schedule function and PyTorch scheduler recorded by scripts/schedule_refs.py
/// against `Shape` (optax in float64 counts: optax's own int32 count divides in float32).
#[test]
fn named_shapes_equal_optax_and_pytorch() {
    let d = refs();
    let named = d["named"].as_object().unwrap();
    let mut checked = 0;
    for (call, v) in named {
        if call.starts_with("sgdr") || call.contains("CyclicLR") {
            continue; // not offered as shapes
        }
        let (spec, base) = match call.strip_prefix("torch.") {
            Some(rest) => (rest.replacen("opt, ", "", 1), Some(1.0)),
            None => (call.clone(), None),
        };
        let want = match v.get("values_float64_count") {
            Some(f) => floats(f),
            None => floats(&v["values"]),
        };
        let shape = Shape::parse(&spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
        let got = shape.values(want.len(), base).unwrap();
        for (t, (a, b)) in got.lr.iter().zip(&want).enumerate() {
            assert!(
                (a - b).abs() <= 1e-13 * b.abs().max(1e-3),
                "{spec} t={t}: {a} vs {b}"
            );
        }
        if let Some(m) = v.get("momentum") {
            let want_m = floats(m);
            let got_m = got.momentum.expect("OneCycleLR cycles the momentum");
            for (t, (a, b)) in got_m.iter().zip(&want_m).enumerate() {
                assert!((a - b).abs() <= 1e-13, "{spec} momentum t={t}: {a} vs {b}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 19, "{checked}");
}

/// Real optax, PyTorch and Keras runs (float64, diagonal quadratic, x₀ = 1) under schedules:
/// every iterate of every curvature against `Run::trajectory`, with the lr (and momentum) the
/// framework actually used.
#[test]
fn runs_equal_real_optax_pytorch_and_keras() {
    let d = refs();
    for r in d["runs"].as_array().unwrap() {
        let name = r["name"].as_str().unwrap();
        let call = r["call"].as_str().unwrap();
        let fw = match r["framework"].as_str().unwrap() {
            "torch" => "pytorch",
            f => f,
        };
        let mut s = Setting::named(fw, None).unwrap();
        s.lr = Some(1.0);
        s.momentum = r["momentum_const"].as_f64().or(Some(0.9));
        s.nesterov = call.contains("nesterov=True");
        if call.contains("dampening=0.5") {
            s.dampening = Some(0.5);
        }
        s.weight_decay = r["weight_decay"]
            .as_f64()
            .or(call.contains("weight_decay=1e-2").then_some(1e-2));
        let lams = floats(&r["lams"]);
        let n = r["N"].as_u64().unwrap() as usize;
        let mut sched = Schedule::lr(floats(&r["lr"]));
        if r.get("momentum").is_some() {
            sched.momentum = Some(floats(&r["momentum"]));
        }
        let resolved = s
            .resolve(&Spectrum::interval(0.01, 1.0).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let run = Run::new(&resolved, &sched, n).unwrap();
        let xs = r["x"].as_array().unwrap();
        assert_eq!(xs.len(), n + 1, "{name}");
        let mut compared = 0;
        for (i, &lam) in lams.iter().enumerate() {
            let Ok(ours) = run.trajectory(lam) else {
                continue;
            };
            for (t, row) in xs.iter().enumerate() {
                let want = floats(row)[i];
                if !want.is_finite() || want.abs() > 1e150 {
                    break;
                }
                let scale = want.abs().max(1e-12);
                assert!(
                    (ours[t] - want).abs() <= 1e-9 * scale + 1e-15,
                    "{name} λ={lam} t={t}: {} vs {want}",
                    ours[t]
                );
                compared += 1;
            }
        }
        assert!(compared > n, "{name}: {compared}");
    }
}

/// The 10⁶-point grid of real optax (float64 count) on [0.01, 1]: the engine's maximum is at
/// least the grid's, the grid's λ gives the grid's value, and the worst is interior.
#[test]
fn interior_maximum_against_real_optax_on_a_million_points() {
    let d = refs();
    let g = &d["interior_max"]["float64_count_schedule"];
    let lr = Shape::parse(
        "warmup_cosine_decay_schedule(init_value=0.0, peak_value=3.0, warmup_steps=100, decay_steps=1000, end_value=0.0)",
    )
    .unwrap()
    .values(1000, None)
    .unwrap()
    .lr;
    let r = resolve("optax", None, 3.0, Some(0.9));
    let run = Run::new(&r, &Schedule::lr(lr), 1000).unwrap();
    let w = run.worst(&Spectrum::interval(0.01, 1.0).unwrap()).unwrap();
    let grid_max = g["max"]["value"].as_f64().unwrap();
    let grid_lam = g["max"]["lam"].as_f64().unwrap();
    assert!(w.worst_factor >= grid_max * (1.0 - 1e-12), "{w:?}");
    assert!(w.worst_factor <= grid_max * (1.0 + 1e-6), "{w:?}");
    assert!((w.worst_lambda - grid_lam).abs() < 2e-6, "{w:?}");
    let at = run.factor(grid_lam).unwrap().abs();
    assert!(
        (at - grid_max).abs() <= 1e-10 * grid_max,
        "{at} vs {grid_max}"
    );
    let at_mu = g["at_mu"]["value"].as_f64().unwrap();
    assert!((10f64.powf(w.at_ends_log10[0]) - at_mu).abs() <= 1e-10 * at_mu);
    // the peak transient over t and the grid, from optax's own run (its lr rounded to float32:
    // ~2e-7 relative)
    let pk = &d["interior_max"]["peak_transient"];
    let pv = pk["value"].as_f64().unwrap();
    assert!((w.peak.factor - pv).abs() <= 1e-6 * pv, "{w:?} vs {pk}");
    assert_eq!(w.peak.step as u64, pk["t"].as_u64().unwrap());
    assert!((w.peak.lambda - pk["lam"].as_f64().unwrap()).abs() < 1e-5);
}

/// The switching bounds: one matrix gives its spectral radius; random switching sequences never
/// grow faster than the upper bound; the alternating heavy-ball pair is tight at (1 + √3)/2.
#[test]
fn switching_bounds_bracket_random_products() {
    use momentum::schedule::switching::bounds;
    let t = |a: f64, b: f64, lam: f64| Matrix2::new(1.0 + b - a * lam, -b, 1.0, 0.0);
    // one (non-normal) matrix: ρ itself
    let one = t(1.2, 0.7, 1.0);
    let rho = one
        .complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max);
    let b = bounds(&[one]).unwrap();
    assert!((b.lower - rho).abs() < 1e-12, "{b:?}");
    assert!(
        b.upper >= rho * (1.0 - 1e-12) && b.upper < rho * 1.01,
        "{b:?} vs {rho}"
    );
    // the alternating pair
    let pair = [t(0.5, 0.5, 1.0), t(2.5, 0.5, 1.0)];
    let b = bounds(&pair).unwrap();
    assert!((b.lower - (1.0 + 3f64.sqrt()) / 2.0).abs() < 1e-12);
    assert!(b.upper >= b.lower);
    // random sequences over three steps at a curvature: growth ≤ upper
    let mats = [t(0.3, 0.6, 1.0), t(1.9, 0.6, 1.0), t(1.0, 0.2, 1.0)];
    let b = bounds(&mats).unwrap();
    let mut seed = 7u64;
    for _ in 0..50 {
        let mut p = Matrix2::identity();
        let k = 400;
        for _ in 0..k {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            p = mats[(seed >> 33) as usize % 3] * p;
        }
        let growth = p.norm().powf(1.0 / k as f64);
        // ‖Π‖ ≤ C·upper^k with C the P-norm's condition number: a 400-step root leaves < 1.02
        assert!(growth <= b.upper * 1.02, "{growth} > {b:?}");
        assert!(b.lower <= b.upper);
    }
}

/// The scheduled matrices run on a dense rotated Hessian (`simulate::run_steps`, H as a matrix)
/// give the per-curvature factors: √(Σ x_N(λᵢ)²/n) from the all-ones start.
#[cfg(feature = "simulate")]
#[test]
fn scheduled_run_on_a_dense_hessian_decouples() {
    use momentum::simulate::{Options, Quadratic, run_steps};
    let lams: Vec<f64> = (0..24).map(|i| 0.02 + 1.3 * i as f64 / 23.0).collect();
    for (fw, nesterov) in [
        ("pytorch", true),
        ("keras", false),
        ("optax", false),
        ("qhm", false),
    ] {
        let mut s = Setting::named(fw, None).unwrap();
        s.lr = Some(1.0);
        s.momentum = Some(0.8);
        s.nesterov = nesterov;
        if fw == "qhm" {
            s.nu = Some(0.7);
        }
        if fw == "keras" {
            s.weight_decay = Some(0.05);
        }
        let r = s
            .resolve(&Spectrum::eigenvalues(lams.clone()).unwrap())
            .unwrap();
        let lr = Shape::parse("cosine_onecycle_schedule(60, 1.2)")
            .unwrap()
            .values(60, None)
            .unwrap()
            .lr;
        let run = Run::new(&r, &Schedule::lr(lr), 60).unwrap();
        let q = Quadratic::diagonal(lams.clone())
            .unwrap()
            .rotated(3)
            .unwrap();
        let t = run_steps(run.steps(), run.start(), &q, &Options::steps(60)).unwrap();
        let exact = (lams
            .iter()
            .map(|&l| run.factor(l).unwrap().powi(2))
            .sum::<f64>()
            / lams.len() as f64)
            .sqrt();
        assert!(
            (t.final_error() - exact).abs() <= 1e-10 * exact,
            "{fw}: {} vs {exact}",
            t.final_error()
        );
    }
}
