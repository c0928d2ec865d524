//! The order-n core (`momentum::linear`) and the optimizers on it (`momentum::zoo`), each against
//! an independent route: the degree-2 closed forms, the delays' own engine, closed-form edges
//! derived by hand, and literal update loops written here from the papers' lines.

use momentum::linear::Pencil;
use momentum::zoo::{ZooMethod, ZooParams};
use momentum::{Framework, Method, Spectrum};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn zoo(f: Framework, p: ZooParams) -> ZooMethod {
    ZooMethod::new(f, &p).unwrap()
}

fn params(lr: f64) -> ZooParams {
    ZooParams {
        lr,
        ..Default::default()
    }
}

/// The two-step method (α, β, γ) as a pencil in h = αλ.
fn two_step(beta: f64, gamma: f64) -> Pencil {
    Pencil::new(vec![1.0, -(1.0 + beta), beta], vec![1.0 + gamma, -gamma]).unwrap()
}

#[test]
fn the_general_core_equals_the_degree_two_path_on_random_methods() {
    let mut rng = ChaCha8Rng::seed_from_u64(26);
    for _ in 0..300 {
        let (alpha, beta, gamma) = (
            rng.random_range(0.01..2.0),
            rng.random_range(-0.5..0.99),
            rng.random_range(-0.5..1.5),
        );
        let m = Method::general(alpha, beta, gamma).unwrap();
        let p = two_step(beta, gamma);
        for _ in 0..5 {
            let l: f64 = rng.random_range(0.0..4.0);
            let (q, g) = (m.recurrence().mode(l).unwrap(), p.mode(alpha * l).unwrap());
            // near the edge the verdicts are those of two exact tests on slightly different
            // rounded coefficients; away from it they must agree
            if (q.spectral_radius() - 1.0).abs() > 1e-9 {
                assert_eq!(
                    q.spectral_radius() < 1.0,
                    g.stable,
                    "{alpha} {beta} {gamma} {l}"
                );
            }
            assert!(
                (q.spectral_radius() - g.spectral_radius).abs()
                    < 1e-7 * (1.0 + q.spectral_radius()),
                "{alpha} {beta} {gamma} {l}: {} vs {}",
                q.spectral_radius(),
                g.spectral_radius
            );
        }
        // worst case over an interval: the endpoint theorem against the crossing search
        let (mu, l) = (rng.random_range(0.01..0.5), rng.random_range(0.5..3.0));
        let w2 = m.worst_case(&Spectrum::interval(mu, l).unwrap()).unwrap();
        let wn = p
            .worst_case(&Spectrum::interval(alpha * mu, alpha * l).unwrap())
            .unwrap();
        assert!(
            (w2.spectral_radius() - wn.spectral_radius).abs() < 1e-7,
            "{alpha} {beta} {gamma} [{mu}, {l}]: {} vs {}",
            w2.spectral_radius(),
            wn.spectral_radius
        );
    }
}

#[test]
fn stable_steps_meet_the_closed_forms() {
    for beta in [0.0, 0.3, 0.9, 0.99] {
        // heavy ball 2(1 + β), Nesterov 2(1 + β)/(1 + 2β)
        let hb = two_step(beta, 0.0).stable_steps().unwrap();
        assert_eq!(hb.len(), 1);
        assert!((hb[0].1 - 2.0 * (1.0 + beta)).abs() < 1e-13 * (1.0 + beta));
        let nag = two_step(beta, beta).stable_steps().unwrap();
        let want = 2.0 * (1.0 + beta) / (1.0 + 2.0 * beta);
        assert!((nag[0].1 - want).abs() < 1e-13, "{beta}: {nag:?}");
        // the delays' own engine for τ = 3 against the same pencil (its a(z) times z³)
        let h = momentum::delay::max_stable_step(momentum::Family::HeavyBall, beta, 3)
            .unwrap()
            .unwrap();
        let p = Pencil::new(
            vec![1.0, -(1.0 + beta), beta, 0.0, 0.0, 0.0],
            vec![1.0, 0.0],
        )
        .unwrap();
        assert!((p.stable_steps().unwrap()[0].1 - h).abs() < 1e-14 * h);
    }
}

#[test]
fn delayed_worst_cases_match_the_general_pencil() {
    // the delayed recurrence in λ is the pencil a(z) + λ·b(z) with α inside b: the same search
    for (alpha, beta, tau) in [(0.05, 0.9, 2), (0.3, 0.5, 1), (0.01, 0.0, 5)] {
        let d = Method::heavy_ball(alpha, beta)
            .unwrap()
            .delayed(tau)
            .unwrap();
        let (a, b) = d.pencil();
        let p = Pencil::new(a, b).unwrap();
        let s = Spectrum::interval(0.1, 1.0).unwrap();
        let (w1, w2) = (d.worst_case(&s).unwrap(), p.worst_case(&s).unwrap());
        assert!(
            (w1.spectral_radius - w2.spectral_radius).abs() < 1e-12,
            "{w1:?} {w2:?}"
        );
        assert_eq!(w1.stable, w2.stable);
    }
}

#[test]
fn ademamix_edge_is_the_root_at_minus_one() {
    // P_h(−1) = 0: h = 2(1+β₁)(1+β₃)/((1−β₁)(1+β₃) + α(1−β₃)(1+β₁)), derived by hand
    for (b1, b3, alpha) in [
        (0.9, 0.9999, 5.0),
        (0.9, 0.99, 5.0),
        (0.9, 0.999, 8.0),
        (0.5, 0.9, 0.0),
    ] {
        let want = 2.0 * (1.0 + b1) * (1.0 + b3)
            / ((1.0 - b1) * (1.0 + b3) + alpha * (1.0 - b3) * (1.0 + b1));
        let m = zoo(
            Framework::Ademamix,
            ZooParams {
                momentum: Some(b1),
                b3: Some(b3),
                alpha: Some(alpha),
                ..params(1.0)
            },
        );
        let s = m.stable_steps().unwrap();
        assert!(
            (s[0].1 - want).abs() < 1e-12 * want,
            "{b1} {b3} {alpha}: {s:?} vs {want}"
        );
    }
    // the numbers
    let e = |b3: f64| {
        zoo(
            Framework::Ademamix,
            ZooParams {
                b3: Some(b3),
                ..params(1.0)
            },
        )
        .stable_steps()
        .unwrap()[0]
            .1
    };
    assert!((e(0.9999) - 37.820).abs() < 5e-4 && (e(0.99) - 25.721).abs() < 5e-4);
}

/// AdEMAMix's literal update (paper, Algorithm 1, with ν frozen to P = 1): the rate of |x| over a
/// tail window.
fn ademamix_run(lr: f64, lambda: f64, b1: f64, b3: f64, alpha: f64, steps: usize) -> Vec<f64> {
    let (mut x, mut m1, mut m2) = (1.0f64, 0.0f64, 0.0f64);
    let mut out = vec![];
    for t in 1..=steps {
        let g = lambda * x;
        m1 = b1 * m1 + (1.0 - b1) * g;
        m2 = b3 * m2 + (1.0 - b3) * g;
        let m1_hat = m1 / (1.0 - b1.powi(t as i32));
        x -= lr * (m1_hat + alpha * m2);
        out.push(x.abs());
    }
    out
}

/// The rate of |x_t| over the last `window` steps, from the envelope (the largest |x| in blocks
/// of 100 steps, so that a complex pair's oscillation does not enter).
fn tail_rate(v: &[f64], window: usize) -> f64 {
    let n = v.len();
    let env = |end: usize| v[end - 100..end].iter().fold(0.0f64, |a, &b| a.max(b));
    (env(n).ln() - env(n - window).ln())
        .exp()
        .powf(1.0 / window as f64)
}

#[test]
fn ademamix_rate_and_edge_match_the_literal_update() {
    let (b1, b3, alpha) = (0.9, 0.99, 5.0);
    let m = zoo(
        Framework::Ademamix,
        ZooParams {
            b3: Some(b3),
            ..params(1.0)
        },
    );
    let edge = m.stable_steps().unwrap()[0].1;
    for h in [5.0, 20.0] {
        let run = ademamix_run(h, 1.0, b1, b3, alpha, 4000);
        let rho = m.at_lr(h).unwrap().mode(1.0).unwrap().spectral_radius;
        let r = tail_rate(&run, 2000);
        assert!((r - rho).abs() < 1e-4, "h = {h}: {r} vs {rho}");
    }
    let inside = ademamix_run(0.995 * edge, 1.0, b1, b3, alpha, 40_000);
    let outside = ademamix_run(1.005 * edge, 1.0, b1, b3, alpha, 40_000);
    let (i, o) = (*inside.last().unwrap(), *outside.last().unwrap());
    assert!(i < 1e-6 && (o.is_nan() || o > 1e6), "{i:e} {o:e}"); // NaN after an overflow is divergence
}

#[test]
fn lookahead_over_sgd_has_the_closed_form_edge() {
    // one period on λ: x ← (1 − a + a(1 − h)^k)x; for odd k the edge is (1 − h)^k = −(2 − a)/a
    for (k, a) in [(5u32, 0.5), (3, 0.8), (7, 0.25)] {
        let m = zoo(
            Framework::Lookahead,
            ZooParams {
                sync_period: Some(k),
                slow_step: Some(a),
                ..params(1.0)
            },
        );
        let want = 1.0 + ((2.0 - a) / a).powf(1.0 / k as f64);
        let s = m.stable_steps().unwrap();
        assert!(
            (s[0].1 - want).abs() < 1e-12,
            "k = {k}, a = {a}: {s:?} vs {want}"
        );
        let r = m.at_lr(1.5).unwrap().mode(1.0).unwrap().spectral_radius;
        let per_period: f64 = 1.0 - a + a * (-0.5f64).powi(k as i32);
        assert!((r - per_period.abs().powf(1.0 / k as f64)).abs() < 1e-12);
    }
    assert!(
        (zoo(Framework::Lookahead, params(1.0))
            .stable_steps()
            .unwrap()[0]
            .1
            - 2.2457)
            .abs()
            < 1e-4
    );
}

/// Lookahead's literal update over optax.sgd (Zhang et al. 2019, Algorithm 1; buffer kept).
fn lookahead_run(lr: f64, beta: f64, k: usize, a: f64, periods: usize) -> Vec<f64> {
    let (mut phi, mut x, mut v) = (1.0f64, 1.0f64, 0.0f64);
    let mut out = vec![];
    for _ in 0..periods {
        for _ in 0..k {
            v = beta * v + x;
            x -= lr * v;
        }
        phi += a * (x - phi);
        x = phi;
        out.push(phi.abs());
    }
    out
}

#[test]
fn lookahead_with_momentum_has_two_stable_intervals_as_the_literal_update_shows() {
    let m = zoo(
        Framework::Lookahead,
        ZooParams {
            momentum: Some(0.9),
            ..params(1.0)
        },
    );
    let s = m.stable_steps().unwrap();
    assert_eq!(s.len(), 2, "{s:?}");
    for (h, converges) in [
        (0.99 * s[0].1, true),
        (1.01 * s[0].1, false),
        (0.5 * (s[1].0 + s[1].1), true),
        (0.99 * s[1].0, false),
        (1.01 * s[1].1, false),
    ] {
        let run = lookahead_run(h, 0.9, 5, 0.5, 20_000);
        assert_eq!(
            run.last().unwrap() < &1e-3,
            converges,
            "h = {h}: {:e}",
            run.last().unwrap()
        );
    }
}

#[test]
fn aggmo_with_one_velocity_is_heavy_ball() {
    for (lr, beta) in [(0.1, 0.9), (1.0, 0.5), (2.5, 0.3)] {
        let m = zoo(
            Framework::Aggmo,
            ZooParams {
                momenta: Some(vec![beta]),
                ..params(lr)
            },
        );
        let hb = Method::heavy_ball(lr, beta).unwrap().recurrence();
        for l in [0.01, 0.5, 1.0, 3.0] {
            let (a, b) = (
                m.mode(l).unwrap().spectral_radius,
                hb.mode(l).unwrap().spectral_radius(),
            );
            assert!((a - b).abs() < 1e-9, "{lr} {beta} {l}: {a} {b}");
        }
        assert!((m.stable_steps().unwrap()[0].1 - 2.0 * (1.0 + beta)).abs() < 1e-13);
    }
}

#[test]
fn aggmo_rate_matches_the_literal_update() {
    // Lucas et al. 2019: v_i ← β_i v_i − ∇f(θ), θ ← θ + (γ/K) Σ v_i
    let betas = [0.0, 0.9, 0.99];
    let m = zoo(Framework::Aggmo, params(1.0));
    for g in [0.5, 2.0] {
        let (mut th, mut v) = (1.0f64, [0.0f64; 3]);
        let mut run = vec![];
        for _ in 0..6000 {
            let grad = th;
            for (vi, b) in v.iter_mut().zip(betas) {
                *vi = b * *vi - grad;
            }
            th += g / 3.0 * v.iter().sum::<f64>();
            run.push(th.abs());
        }
        let rho = m.at_lr(g).unwrap().mode(1.0).unwrap().spectral_radius;
        let r = tail_rate(&run, 2000);
        assert!((r - rho).abs() < 1e-4, "γ = {g}: {r} vs {rho}");
    }
}

#[test]
fn sam_sees_lambda_times_one_plus_rho_lambda() {
    let m = zoo(
        Framework::Sam,
        ZooParams {
            rho: Some(0.1),
            momentum: Some(0.9),
            ..params(1.0)
        },
    );
    // the base optax.sgd (heavy ball): edge 2(1 + β) in lr·λ(1 + ρλ)
    let s = Spectrum::eigenvalues(vec![0.5, 2.0]).unwrap();
    let lr = m.stable_lr(&s).unwrap().unwrap().hi;
    assert!((lr - 3.8 / (2.0 * 1.2)).abs() < 1e-12, "{lr}");
    // literal: gradient at x + ρ∇f(x), fed to optax.sgd
    let run = |lr: f64| {
        let (mut x, mut v, l, rho) = (1.0f64, 0.0f64, 2.0, 0.1);
        for _ in 0..2000 {
            let g = l * (x + rho * l * x);
            v = 0.9 * v + g;
            x -= lr * v;
        }
        x.abs()
    };
    assert!(run(0.99 * lr) < 1e-3 && run(1.01 * lr) > 1e3);
}

#[test]
fn schedule_free_is_stable_below_two_over_one_minus_b1_and_its_transient_grows() {
    for b in [0.5, 0.9, 0.95] {
        let m = zoo(
            Framework::ScheduleFree,
            ZooParams {
                momentum: Some(b),
                ..params(1.0)
            },
        );
        let e = m.stable_steps().unwrap()[0].1;
        assert!((e - 2.0 / (1.0 - b)).abs() < 1e-12 * e, "{b}: {e}");
    }
    // the literal run (Defazio et al. 2024, optax's weights: c_t = 1/t), peaks of the average x
    let peak = |h: f64| {
        let (mut z, mut x, mut p) = (1.0f64, 1.0f64, 1.0f64);
        for t in 1..5000 {
            let y = 0.1 * z + 0.9 * x;
            z -= h * y;
            let c = 1.0 / t as f64;
            x = (1.0 - c) * x + c * z;
            p = p.max(x.abs());
        }
        p
    };
    for h in [5.0, 10.0, 15.0, 19.0] {
        let m = zoo(Framework::ScheduleFree, params(h));
        let (p, _) = m.transient(1.0, 4999).unwrap();
        assert!(
            (p - peak(h)).abs() <= 1e-9 * p,
            "h = {h}: {p} vs {}",
            peak(h)
        );
    }
    assert!(peak(19.0) > 1e9 && peak(10.0) > 100.0);
}

#[test]
fn bad_hyperparameters_are_errors_not_panics() {
    let bad = [
        (
            Framework::Ademamix,
            ZooParams {
                b3: Some(1.0),
                ..params(1.0)
            },
        ),
        (
            Framework::Ademamix,
            ZooParams {
                alpha: Some(-1.0),
                ..params(1.0)
            },
        ),
        (
            Framework::Lookahead,
            ZooParams {
                sync_period: Some(0),
                ..params(1.0)
            },
        ),
        (
            Framework::Lookahead,
            ZooParams {
                slow_step: Some(1.5),
                ..params(1.0)
            },
        ),
        (
            Framework::Aggmo,
            ZooParams {
                momenta: Some(vec![]),
                ..params(1.0)
            },
        ),
        (
            Framework::Aggmo,
            ZooParams {
                momenta: Some(vec![0.5; 17]),
                ..params(1.0)
            },
        ),
        (Framework::Sam, params(1.0)),
        (
            Framework::Sam,
            ZooParams {
                rho: Some(f64::NAN),
                ..params(1.0)
            },
        ),
        (Framework::ScheduleFree, params(-1.0)),
        (Framework::Optax, params(1.0)),
        (
            Framework::Aggmo,
            ZooParams {
                rho: Some(0.1),
                ..params(1.0)
            },
        ),
    ];
    for (f, p) in bad {
        assert!(ZooMethod::new(f, &p).is_err(), "{f} {p:?}");
    }
}

#[test]
fn modes_the_iterate_never_shows_are_left_out() {
    // AdEMAMix with α = 0 is Adam (its m₂ unused): the rate is Adam's, not β₃'s
    let adam = Framework::Adam
        .convert(&momentum::FrameworkParams {
            lr: 0.5,
            momentum: Some(0.9),
            ..Default::default()
        })
        .unwrap()
        .recurrence;
    for (alpha, b3) in [(0.0, 0.9999), (5.0, 0.9)] {
        // β₃ = β₁ = 0.9 with α = 5: one EMA with weight 1 + α
        let m = zoo(
            Framework::Ademamix,
            ZooParams {
                alpha: Some(alpha),
                b3: Some(b3),
                ..params(0.5)
            },
        );
        let scale = if alpha == 0.0 { 1.0 } else { 1.0 + alpha };
        for l in [0.1, 1.0, 10.0] {
            let want = adam.mode(scale * l).unwrap().spectral_radius();
            let got = m.mode(l).unwrap().spectral_radius;
            assert!(
                (got - want).abs() < 1e-12,
                "α = {alpha}, β₃ = {b3}, s = {l}: {got} vs {want}"
            );
        }
    }
    // AggMo with a momentum twice: the same as once with twice the weight
    let twice = zoo(
        Framework::Aggmo,
        ZooParams {
            momenta: Some(vec![0.9, 0.9, 0.0]),
            ..params(1.0)
        },
    );
    assert_eq!(twice.order(), 3);
    // at λ = 2 the visible rate (≈ 0.83) is well away from the hidden root 0.9
    let tr = twice.trajectory(2.0, 600).unwrap();
    let rho = twice.mode(2.0).unwrap().spectral_radius;
    assert!((rho - 0.9).abs() > 0.05, "{rho}");
    assert!(
        (tail_rate(&tr, 300) - rho).abs() < 1e-4,
        "{} vs {rho}",
        tail_rate(&tr, 300)
    );
}

/// Regressions from an outside review against a 30-digit reference (mpmath eigenvalues of the
/// update lines written from the rules): settings that hung (a singular monodromy stalled the
/// eigenvalue iteration) and stable islands that end at the inner optimizer's edge 2(1 + β).
#[test]
fn lookahead_regressions_from_the_30_digit_review() {
    let la = |beta: f64, nesterov: bool, k: u32, a: f64| {
        zoo(
            Framework::Lookahead,
            ZooParams {
                momentum: Some(beta),
                nesterov,
                sync_period: Some(k),
                slow_step: Some(a),
                ..params(1.0)
            },
        )
    };
    // these did not return: a = 1 is plain SGD (edge 2), the others are ordinary settings
    for (beta, nesterov, k, a) in [
        (0.0, false, 2, 1.0),
        (0.0, false, 3, 1.0),
        (0.0, false, 8, 1.0),
        (0.5426, true, 3, 1.0),
        (0.7184, false, 3, 0.8538),
        (0.6673, false, 3, 0.8729),
    ] {
        let m = la(beta, nesterov, k, a);
        let md = m.mode(1.0).unwrap();
        assert!(md.spectral_radius.is_finite());
        let s = m.stable_steps().unwrap();
        assert!(!s.is_empty());
        if beta == 0.0 {
            assert!((s[0].1 - 2.0).abs() < 1e-12, "{s:?}");
        }
    }
    // islands next to 2(1 + β), ends from the 30-digit reference
    for (beta, k, a, lo, hi) in [
        (0.7993, 4, 0.7022, 3.59536436252262, 3.5986),
        (0.7817, 6, 0.7824, 3.54953965827304, 3.5634),
    ] {
        let s = la(beta, false, k, a).stable_steps().unwrap();
        let island = s
            .iter()
            .find(|i| i.0 > 3.0)
            .unwrap_or_else(|| panic!("{beta}: {s:?}"));
        assert!(
            (island.0 - lo).abs() < 1e-10 * lo && (island.1 - hi).abs() < 1e-10 * hi,
            "{s:?}"
        );
    }
}

#[test]
fn listed_curvatures_may_sit_in_different_stable_intervals() {
    // the review's case: at lr = 0.5133, h = 3.597 lies in Lookahead's island (3.5954, 3.5986)
    // and h = 3.133 in the first interval, so the lr is stable; the reference (30 digits)
    // gives the lr interval (0.51304, 0.51350)
    let m = zoo(
        Framework::Lookahead,
        ZooParams {
            momentum: Some(0.7993),
            sync_period: Some(4),
            slow_step: Some(0.7022),
            ..params(0.5133)
        },
    );
    let s = Spectrum::eigenvalues(vec![7.008, 6.103]).unwrap();
    assert!(m.worst_case(&s).unwrap().stable);
    let i = m.stable_lr(&s).unwrap().unwrap();
    assert!(
        (i.lo - 0.51304).abs() < 1e-5 && (i.hi - 0.51350).abs() < 1e-5,
        "{i:?}"
    );
    // over an interval of curvatures the same lr is not stable (3.19 < h < 3.595 inside)
    assert!(
        !m.worst_case(&Spectrum::interval(6.103, 7.008).unwrap())
            .unwrap()
            .stable
    );
}

#[test]
fn an_empty_aggmo_momentum_list_is_refused_as_empty() {
    let e = ZooMethod::new(
        Framework::Aggmo,
        &ZooParams {
            lr: 1.0,
            momenta: Some(vec![]),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(&e, momentum::Error::Usage(m) if m.contains("at least one momentum")),
        "{e}"
    );
}
