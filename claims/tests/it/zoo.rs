//! The second catalogue (Z01–Z05) by other routes: each optimizer's update written out here and
//! iterated (convergence just inside, divergence just outside each reported edge; the peaks of the
//! exact runs), and nalgebra eigenvalues of AggMo's literal one-step map on a grid of curvatures.

use momentum_claims as claims;
use nalgebra::DMatrix;

/// Diverged: beyond 10⁶, or overflowed into ∞ or NaN (∞ − ∞).
fn diverged(x: f64) -> bool {
    x.is_nan() || x > 1e6
}

fn value(c: &claims::Check, name: &str) -> f64 {
    c.value(name)
        .unwrap_or_else(|| panic!("{}: no value {name}", c.id))
}

/// Schedule-free SGD as optax runs it (y = b1·x + (1 − b1)·z, z −= lr∇f(y), x ← (1 − 1/t)x + z/t).
fn schedule_free(h: f64, b1: f64, steps: usize) -> (f64, f64) {
    let (mut z, mut x, mut peak) = (1.0f64, 1.0f64, 1.0f64);
    for t in 1..=steps {
        let y = b1 * x + (1.0 - b1) * z;
        z -= h * y;
        let c = 1.0 / t as f64;
        x = (1.0 - c) * x + c * z;
        peak = peak.max(x.abs());
    }
    (x.abs(), peak)
}

#[test]
fn z01_edges_and_peaks_by_the_update_lines() {
    let c = claims::z01_schedule_free_lr().unwrap();
    for b in [0.9, 0.95, 0.98] {
        let e = value(&c, &format!("b1 = {b}: stable lr·λ below"));
        // below the edge the average decays (like a power of t); above, it blows up
        assert!(schedule_free(0.98 * e, b, 200_000).0 < 1e-3, "{b}");
        assert!(diverged(schedule_free(1.02 * e, b, 20_000).0), "{b}");
    }
    for h in [10.0, 19.0] {
        let want = value(
            &c,
            &format!("b1 = 0.9, lr·λ = {h}: peak |x_t/x_0| of the average"),
        );
        let got = schedule_free(h, 0.9, 5000).1;
        assert!((got - want).abs() <= 1e-9 * want, "{h}: {got} vs {want}");
    }
}

/// optax.contrib.ademamix with ν frozen to 1 (eps absorbed): the final |x| and the peak.
fn ademamix(h: f64, b3: f64, alpha: f64, steps: usize) -> (f64, f64) {
    let (b1, mut x, mut m1, mut m2, mut peak) = (0.9f64, 1.0f64, 0.0f64, 0.0f64, 1.0f64);
    for t in 1..=steps {
        let g = x;
        m1 = b1 * m1 + (1.0 - b1) * g;
        m2 = b3 * m2 + (1.0 - b3) * g;
        x -= h * (m1 / (1.0 - b1.powi(t.min(10_000) as i32)) + alpha * m2);
        peak = peak.max(x.abs());
        if !x.is_finite() {
            return (f64::INFINITY, f64::INFINITY);
        }
    }
    (x.abs(), peak)
}

#[test]
fn z02_edges_and_transients_by_the_update_lines() {
    let c = claims::z02_ademamix_warmup().unwrap();
    for (name, b3, alpha) in [
        ("b3 = 0.9999, alpha = 5: stable lr·s below", 0.9999, 5.0),
        (
            "b3 = 0.99, alpha = 5 (mid-way in a b3 warm-up): stable lr·s below",
            0.99,
            5.0,
        ),
        (
            "b3 = 0.99, alpha = 0.5 (alpha warmed up with it)",
            0.99,
            0.5,
        ),
    ] {
        let e = value(&c, name);
        assert!(ademamix(0.99 * e, b3, alpha, 60_000).0 < 1e-6, "{name}");
        assert!(diverged(ademamix(1.01 * e, b3, alpha, 60_000).0), "{name}");
    }
    let (p5, p0) = (
        ademamix(30.0, 0.9999, 5.0, 20_000).1,
        ademamix(30.0, 0.9999, 0.0, 20_000).1,
    );
    assert!((p5 - value(&c, "lr·s = 30, no warm-up: peak |x_t/x_0|, AdEMAMix")).abs() < 1e-6 * p5);
    assert!((p0 - value(&c, "lr·s = 30: peak |x_t/x_0|, Adam")).abs() < 1e-6 * p0);
    // the scheduled runs: the paper's schedulers written out here (β₃ linear in half-life from
    // 0.9 to 0.9999, α linear from 0 to 5, over 5000 steps), the update lines as above
    let b3 = |t: usize| {
        let f = |b: f64| 0.5f64.ln() / (b + 1e-8).ln() - 1.0;
        if t < 5000 {
            let a = t as f64 / 5000.0;
            0.5f64.powf(1.0 / ((1.0 - a) * f(0.9) + a * f(0.9999) + 1.0))
        } else {
            0.9999
        }
    };
    let run = |warm_alpha: bool| {
        let (b1, mut x, mut m1, mut m2, mut peak) = (0.9f64, 1.0f64, 0.0f64, 0.0f64, 1.0f64);
        for t in 1..=20_000usize {
            let alpha = if warm_alpha {
                5.0 * ((t - 1) as f64 / 5000.0).min(1.0)
            } else {
                5.0
            };
            let b = b3(t - 1);
            m1 = b1 * m1 + (1.0 - b1) * x;
            m2 = b * m2 + (1.0 - b) * x;
            x -= 30.0 * (m1 / (1.0 - b1.powi(t.min(10_000) as i32)) + alpha * m2);
            peak = peak.max(x.abs());
        }
        (x.abs(), peak)
    };
    let (x, p) = run(false);
    let end = value(
        &c,
        "lr·s = 30, b3 warmed up alone (alpha = 5): |x_N/x_0| after 20000 steps",
    );
    assert!(
        (x - end).abs() <= 1e-6 * end && end > 1e6,
        "{x} vs {end}: diverges"
    );
    let top = value(&c, "lr·s = 30, b3 warmed up alone: peak |x_t/x_0|");
    assert!((p - top).abs() <= 1e-6 * top);
    // both warm-ups: a 1e9 peak, then decay to a tail that carries the peak's rounding (the
    // two routes differ there by percents), so its order of magnitude
    let (x, p) = run(true);
    let end = value(
        &c,
        "lr·s = 30, b3 and alpha warmed up: log10 |x_N/x_0| after 20000 steps",
    );
    assert!(
        (x.log10() - end).abs() < 0.1 && end < -6.0,
        "{x} vs 10^{end}: converges"
    );
    let top = value(&c, "lr·s = 30, b3 and alpha warmed up: peak |x_t/x_0|");
    assert!((p - top).abs() <= 1e-6 * top);
}

/// optax.lookahead(optax.sgd(h, momentum=β), 5, 0.5) on ½x²: the slow weights after `periods`.
fn lookahead(h: f64, beta: f64, periods: usize) -> f64 {
    let (mut slow, mut x, mut v) = (1.0f64, 1.0f64, 0.0f64);
    for _ in 0..periods {
        for _ in 0..5 {
            v = beta * v + x;
            x -= h * v;
        }
        slow += 0.5 * (x - slow);
        x = slow;
    }
    slow.abs()
}

#[test]
fn z03_intervals_by_the_update_lines() {
    let c = claims::z03_lookahead_stability().unwrap();
    let e = value(&c, "inner SGD: stable lr·λ below (SGD alone: 2)");
    assert!(lookahead(0.99 * e, 0.0, 10_000) < 1e-6 && diverged(lookahead(1.01 * e, 0.0, 10_000)));
    let e1 = value(
        &c,
        "inner momentum 0.9: first stable interval ends at (alone: 3.8)",
    );
    let (a, b) = (
        value(&c, "inner momentum 0.9: second interval from"),
        value(&c, "inner momentum 0.9: second interval to"),
    );
    for (h, converges) in [
        (0.99 * e1, true),
        (1.01 * e1, false),
        (0.99 * a, false),
        (0.5 * (a + b), true),
        (1.01 * b, false),
    ] {
        let r = lookahead(h, 0.9, 20_000);
        assert_eq!(!diverged(r) && r < 1e-3, converges, "h = {h}: {r:e}");
    }
}

/// AggMo's one-step map on ½λx², state (x, v₁ … v_K), built from the update lines column by column.
fn aggmo_map(gamma: f64, lambda: f64, betas: &[f64]) -> DMatrix<f64> {
    let n = betas.len() + 1;
    let step = |s: &[f64]| -> Vec<f64> {
        let g = lambda * s[0];
        let v: Vec<f64> = betas
            .iter()
            .zip(&s[1..])
            .map(|(b, vi)| b * vi - g)
            .collect();
        let x = s[0] + gamma / betas.len() as f64 * v.iter().sum::<f64>();
        std::iter::once(x).chain(v).collect()
    };
    DMatrix::from_fn(n, n, |i, j| {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        step(&e)[i]
    })
}

#[test]
fn z04_rates_by_eigenvalues_of_the_literal_map() {
    let c = claims::z04_aggmo_damping().unwrap();
    let betas = [0.0, 0.9, 0.99, 0.999];
    // the best γ is on the claim's grid 4i/800: find it again by the eigenvalues, on 201 curvatures
    let worst = |gamma: f64, b: &[f64]| {
        (0..=200)
            .map(|k| 0.01 * 100f64.powf(k as f64 / 200.0))
            .map(|l| {
                aggmo_map(gamma, l, b)
                    .complex_eigenvalues()
                    .iter()
                    .map(|z| z.norm())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max)
    };
    let best = (1..=800)
        .map(|i| worst(4.0 * i as f64 / 800.0, &betas))
        .fold(f64::INFINITY, f64::min);
    let want = value(&c, "AggMo (0, 0.9, 0.99, 0.999): best worst-case rate");
    assert!((best - want).abs() < 1e-6, "{best} vs {want}");
    // heavy ball at 0.999 is never faster than √0.999 (complex pair)
    assert!(
        value(&c, "heavy ball 0.999 on [0.01, 1]: best worst-case rate") >= 0.999f64.sqrt() - 1e-12
    );
}

#[test]
fn z05_edge_by_the_update_lines() {
    let c = claims::z05_sam_edge().unwrap();
    let l = value(
        &c,
        "lr = 0.1, rho = 0.05: largest stable sharpness (bisection)",
    );
    let run = |lambda: f64| {
        let mut x = 1.0f64;
        for _ in 0..20_000 {
            let g = lambda * (x + 0.05 * lambda * x); // ∇f at x + ρ∇f(x)
            x -= 0.1 * g;
        }
        x.abs()
    };
    let (inside, outside) = (run(0.99 * l), run(1.01 * l));
    assert!(
        inside < 1e-6 && (outside.is_nan() || outside > 1e6),
        "{inside:e} {outside:e}"
    );
    assert!(l < value(&c, "gradient descent: 2/lr"));
}

#[test]
fn the_second_catalogue_is_complete() {
    let all = claims::zoo_all().unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id).collect();
    assert_eq!(ids, ["Z01", "Z02", "Z03", "Z04", "Z05"]);
    let t = claims::Tally::of(&all);
    assert_eq!(
        (t.holds, t.holds_when, t.wrong, t.out_of_scope),
        (1, 3, 1, 0)
    );
}
