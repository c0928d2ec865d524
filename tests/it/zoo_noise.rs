//! The order-n optimizers' noise floor (`setting::zoo::variance`, `noise_floor`) against two
//! independent routes: the two-step floor where an optimizer reduces to a two-step method (AggMo
//! with one velocity, Lookahead with k = 1 and a = 1, AdEMAMix with α = 0), and long seeded
//! Monte-Carlo runs of each literal noisy update written here from the papers' lines.

use momentum::setting::{self, Input, Options, Setting, ZooExtra, zoo};
use momentum::zoo::{ZooMethod, ZooParams};
use momentum::{Error, Framework, Precision, Spectrum};

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
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

/// Mean of the samples and its standard error by 100 batch means (the samples are correlated).
fn batch_mean(samples: &[f64]) -> (f64, f64) {
    let n = samples.len() / 100;
    let means: Vec<f64> = samples
        .chunks(n)
        .take(100)
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect();
    let m = means.iter().sum::<f64>() / 100.0;
    let var = means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 99.0;
    (m, (var / 100.0).sqrt())
}

fn floor_of(s: &Setting, spectrum: Spectrum, sigma: f64) -> (Option<f64>, f64) {
    let opts = Options {
        noise: Some(sigma),
        ..Default::default()
    };
    let input = Input::Spectrum(spectrum, Precision::Float64);
    if s.framework.is_linear() {
        let f = zoo::analyze(s, input, &opts).unwrap().noise_floor.unwrap();
        (f.per_unit_variance, f.mean_per_direction.unwrap())
    } else {
        let f = setting::analyze_with(s, input, &opts)
            .unwrap()
            .noise_floor
            .unwrap();
        (f.per_unit_variance, f.mean_per_direction.unwrap())
    }
}

fn setting(
    f: Framework,
    lr: f64,
    momentum: Option<f64>,
    nesterov: bool,
    extra: ZooExtra,
) -> Setting {
    Setting {
        framework: f,
        lr: Some(lr),
        momentum,
        nesterov,
        extra,
        ..Setting::default()
    }
}

#[test]
fn reductions_equal_the_two_step_floor() {
    let spectra = || {
        [
            Spectrum::eigenvalues(vec![0.01, 0.3, 1.0, 2.5]).unwrap(),
            Spectrum::interval(0.05, 2.0).unwrap(),
        ]
    };
    // without Nesterov: with it the two-step floor is of the canonical x, while optax/PyTorch's
    // parameter is the lookahead point y where the gradient is read (a different sequence); the
    // literal runs below check the Nesterov switch (SAM over Nesterov momentum)
    for (lr, beta, nesterov) in [(0.1, 0.9, false), (0.5, 0.5, false), (0.3, 0.0, false)] {
        let two = setting(
            Framework::PyTorch,
            lr,
            Some(beta),
            nesterov,
            ZooExtra::default(),
        );
        let aggmo = setting(
            Framework::Aggmo,
            lr,
            None,
            false,
            ZooExtra {
                momenta: Some(vec![beta]),
                ..Default::default()
            },
        );
        let look = setting(
            Framework::Lookahead,
            lr,
            Some(beta),
            nesterov,
            ZooExtra {
                sync_period: Some(1),
                slow_step: Some(1.0),
                ..Default::default()
            },
        );
        let zoos = [look, aggmo];
        for sp in spectra() {
            let want = floor_of(&two, sp.clone(), 0.3);
            for z in &zoos {
                let got = floor_of(z, sp.clone(), 0.3);
                assert!(
                    rel(got.1, want.1) < 1e-12,
                    "{:?} {got:?} {want:?}",
                    z.framework
                );
                if let (Some(g), Some(w)) = (got.0, want.0) {
                    assert!(rel(g, w) < 1e-12, "{:?} {g} {w}", z.framework);
                }
            }
        }
    }
    // AdEMAMix with α = 0 is Adam with a frozen second moment (both in preconditioned coordinates)
    for (lr, b1) in [(0.1, 0.9), (0.7, 0.5)] {
        let adam = setting(Framework::Adam, lr, Some(b1), false, ZooExtra::default());
        let ade = setting(
            Framework::Ademamix,
            lr,
            Some(b1),
            false,
            ZooExtra {
                alpha: Some(0.0),
                b3: Some(0.99),
                ..Default::default()
            },
        );
        for sp in spectra() {
            let (g, w) = (floor_of(&ade, sp.clone(), 1.0), floor_of(&adam, sp, 1.0));
            assert!(rel(g.1, w.1) < 1e-12, "{g:?} {w:?}");
        }
    }
}

fn method(f: Framework, p: ZooParams) -> ZooMethod {
    ZooMethod::new(f, &p).unwrap()
}

const STEPS: usize = 1_000_000;
const BURN: usize = 20_000;

/// The literal noisy update of each optimizer at curvature λ, unit noise: x after every step.
fn literal(f: Framework, p: &ZooParams, lambda: f64, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut xi = gaussians(seed);
    let lr = p.lr;
    let mut xs = Vec::with_capacity(STEPS);
    let mut extra = vec![]; // Lookahead: x at the synchronisations; schedule-free: z
    let mut x = 0.0f64;
    match f {
        Framework::Ademamix => {
            let (b1, b3, alpha) = (p.momentum.unwrap(), p.b3.unwrap(), p.alpha.unwrap());
            let (mut m1, mut m2) = (0.0, 0.0);
            for t in 1..=STEPS + BURN {
                let g = lambda * x + xi();
                m1 = b1 * m1 + (1.0 - b1) * g;
                m2 = b3 * m2 + (1.0 - b3) * g;
                x -= lr * (m1 / (1.0 - b1.powi(t.min(10_000) as i32)) + alpha * m2);
                if t > BURN {
                    xs.push(x);
                }
            }
        }
        Framework::Aggmo => {
            let b = p.momenta.clone().unwrap();
            let mut v = vec![0.0; b.len()];
            for t in 1..=STEPS + BURN {
                let g = lambda * x + xi();
                for (vi, bi) in v.iter_mut().zip(&b) {
                    *vi = bi * *vi - g;
                }
                x += lr / b.len() as f64 * v.iter().sum::<f64>();
                if t > BURN {
                    xs.push(x);
                }
            }
        }
        Framework::Sam => {
            let (rho, beta) = (p.rho.unwrap(), p.momentum.unwrap_or(0.0));
            let mut v = 0.0;
            for t in 1..=STEPS + BURN {
                let e = xi(); // one mini-batch: the same noise in both gradients
                let g1 = lambda * x + e;
                let g = lambda * (x + rho * g1) + e;
                v = beta * v + g;
                x -= lr * if p.nesterov { g + beta * v } else { v };
                if t > BURN {
                    xs.push(x);
                }
            }
        }
        Framework::Lookahead => {
            let (k, a, beta) = (
                p.sync_period.unwrap() as usize,
                p.slow_step.unwrap(),
                p.momentum.unwrap_or(0.0),
            );
            let (mut v, mut phi) = (0.0, 0.0);
            for t in 1..=STEPS + BURN {
                let g = lambda * x + xi();
                v = beta * v + g;
                x -= lr * if p.nesterov { g + beta * v } else { v };
                if t % k == 0 {
                    phi += a * (x - phi);
                    x = phi;
                    if t > BURN {
                        extra.push(x);
                    }
                }
                if t > BURN {
                    xs.push(x);
                }
            }
        }
        _ => unreachable!(),
    }
    (xs, extra)
}

#[test]
fn stationary_floors_match_long_literal_noisy_runs() {
    let cases = [
        (
            Framework::Ademamix,
            ZooParams {
                lr: 0.2,
                momentum: Some(0.9),
                b3: Some(0.99),
                alpha: Some(2.0),
                ..Default::default()
            },
        ),
        (
            Framework::Aggmo,
            ZooParams {
                lr: 0.3,
                momenta: Some(vec![0.0, 0.5, 0.9]),
                ..Default::default()
            },
        ),
        (
            Framework::Sam,
            ZooParams {
                lr: 0.2,
                rho: Some(0.3),
                momentum: Some(0.5),
                nesterov: true,
                ..Default::default()
            },
        ),
        (
            Framework::Lookahead,
            ZooParams {
                lr: 0.5,
                momentum: Some(0.3),
                sync_period: Some(4),
                slow_step: Some(0.5),
                ..Default::default()
            },
        ),
    ];
    for (i, (f, p)) in cases.iter().enumerate() {
        let m = method(*f, p.clone());
        for (j, lambda) in [0.5, 2.0].into_iter().enumerate() {
            let v = zoo::variance(&m, lambda).unwrap();
            let (xs, sync) = literal(*f, p, lambda, 1 + 10 * i as u64 + j as u64);
            let sq: Vec<f64> = xs.iter().map(|x| x * x).collect();
            let (mean, se) = batch_mean(&sq);
            assert!(
                (mean - v.variance).abs() < 4.0 * se && se < 0.02 * mean,
                "{f} λ={lambda}: Lyapunov {} vs Monte Carlo {mean} ± {se}",
                v.variance
            );
            if let Some(at) = v.at_sync {
                let sq: Vec<f64> = sync.iter().map(|x| x * x).collect();
                let (mean, se) = batch_mean(&sq);
                assert!(
                    (mean - at).abs() < 4.0 * se,
                    "{f} λ={lambda} at sync: {at} vs {mean} ± {se}"
                );
            }
        }
    }
}

#[test]
fn schedule_free_variance_at_the_horizon_matches_independent_runs() {
    let (lr, beta, lambda) = (0.4, 0.9, 1.5);
    let m = method(
        Framework::ScheduleFree,
        ZooParams {
            lr,
            momentum: Some(beta),
            ..Default::default()
        },
    );
    let v = zoo::variance(&m, lambda).unwrap();
    let n = zoo::NOISE_HORIZON as usize;
    let runs = 4000;
    let (mut xs, mut zs) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for r in 0..runs {
        let mut xi = gaussians(1000 + r as u64);
        let (mut z, mut x) = (0.0f64, 0.0f64);
        for t in 1..=n {
            let y = (1.0 - beta) * z + beta * x;
            z -= lr * (lambda * y + xi());
            let c = 1.0 / t as f64;
            x = (1.0 - c) * x + c * z;
        }
        xs.push(x * x);
        zs.push(z * z);
    }
    // independent runs: plain standard errors
    let stat = |s: &[f64]| {
        let m = s.iter().sum::<f64>() / s.len() as f64;
        let var = s.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (s.len() - 1) as f64;
        (m, (var / s.len() as f64).sqrt())
    };
    let (mx, sx) = stat(&xs);
    assert!(
        (mx - v.variance).abs() < 4.0 * sx,
        "x: {} vs {mx} ± {sx}",
        v.variance
    );
    let (mz, sz) = stat(&zs);
    let fast = v.fast_iterate.unwrap();
    assert!((mz - fast).abs() < 4.0 * sz, "z: {fast} vs {mz} ± {sz}");
    // the average's variance decays like 1/t: N·Var(x_N) is near its limit already
    assert!(v.variance * n as f64 > 0.5 && v.variance < 1e-2 * fast);
}

#[test]
fn no_floor_for_flat_saddle_or_unstable_directions_and_bad_sigma_is_an_error() {
    let s = setting(
        Framework::Aggmo,
        0.5,
        None,
        false,
        ZooExtra {
            momenta: Some(vec![0.5, 0.9]),
            ..Default::default()
        },
    );
    let run = |eigs: Vec<f64>, sigma: f64| {
        zoo::analyze(
            &s,
            Input::Spectrum(Spectrum::eigenvalues(eigs).unwrap(), Precision::Float64),
            &Options {
                noise: Some(sigma),
                ..Default::default()
            },
        )
    };
    let f = run(vec![0.0, -0.5, 1.0], 1.0).unwrap().noise_floor.unwrap();
    assert!(!f.stationary && f.floor.is_none());
    assert_eq!((f.random_walk_directions, f.divergent_directions), (1, 1));
    let f = run(vec![1.0, 100.0], 1.0).unwrap().noise_floor.unwrap();
    assert!(!f.stationary && f.floor.is_none() && f.divergent_directions == 1);
    assert!(matches!(
        run(vec![1.0], -1.0),
        Err(Error::OutOfRange { name: "noise", .. })
    ));
    assert!(matches!(
        run(vec![1.0], f64::NAN),
        Err(Error::OutOfRange { .. })
    ));
}
