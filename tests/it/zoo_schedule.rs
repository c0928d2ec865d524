//! The order-n optimizers under schedules (`momentum::zoo::schedule`): the literal updates in
//! unscaled buffers against the lr-scaled step matrices of `ZooMethod::transition`, conjugated
//! step by step; refusals. Real optax runs: python/tests/test_zoo_schedule_optax.py.

use momentum::schedule::Schedule;
use momentum::setting::{Setting, ZooExtra, zoo as szoo};
use momentum::zoo::schedule::ZooSchedule;
use momentum::zoo::{ZooMethod, ZooParams};
use momentum::{Error, Framework, Spectrum};
use nalgebra::{DMatrix, DVector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ALL: [Framework; 5] = [
    Framework::Ademamix,
    Framework::Lookahead,
    Framework::ScheduleFree,
    Framework::Aggmo,
    Framework::Sam,
];

fn random_params(f: Framework, rng: &mut ChaCha8Rng, lr: f64) -> ZooParams {
    let mut p = ZooParams {
        lr,
        ..Default::default()
    };
    match f {
        Framework::Ademamix => {
            p.momentum = Some(rng.random_range(0.5..0.95));
            p.b3 = Some(rng.random_range(0.9..0.999));
            p.alpha = Some(rng.random_range(0.0..8.0));
        }
        Framework::Lookahead => {
            p.sync_period = Some(rng.random_range(1..7));
            p.slow_step = Some(rng.random_range(0.2..1.0));
            p.momentum = Some(rng.random_range(0.0..0.9));
            p.nesterov = rng.random_bool(0.5);
        }
        Framework::ScheduleFree => p.momentum = Some(rng.random_range(0.5..0.95)),
        Framework::Aggmo => {
            let k = rng.random_range(1..5);
            p.momenta = Some((0..k).map(|_| rng.random_range(0.0..0.99)).collect());
        }
        Framework::Sam => {
            p.rho = Some(rng.random_range(0.0..0.3));
            p.momentum = Some(rng.random_range(0.0..0.9));
            p.nesterov = rng.random_bool(0.5);
        }
        _ => unreachable!(),
    }
    p
}

/// |got − want| within 1e-11 of |want| or 1e-13 of the largest |want| so far (a transient's
/// rounding carries into its tail).
fn assert_runs_agree(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    let mut peak = 0.0f64;
    for (t, (g, w)) in got.iter().zip(want).enumerate() {
        peak = peak.max(w.abs());
        assert!(
            (g - w).abs() <= 1e-11 * w.abs() + 1e-13 * peak,
            "{what}: step {t}: {g} against {w}"
        );
    }
}

#[test]
fn a_constant_schedule_runs_the_constant_update() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    for f in ALL {
        for _ in 0..20 {
            let lr = rng.random_range(0.05..1.5);
            let m = ZooMethod::new(f, &random_params(f, &mut rng, lr)).unwrap();
            let lambda = rng.random_range(0.05..2.0);
            let steps = 300;
            let sched = ZooSchedule {
                schedule: Schedule::lr(vec![lr; steps]),
                ..Default::default()
            };
            let got = m
                .scheduled_trajectory(lambda, &sched, steps as u64)
                .unwrap();
            let want = m.trajectory(lambda, steps as u64).unwrap();
            assert_runs_agree(&got, &want, &format!("{f} at lr {lr}, λ {lambda}"));
        }
    }
}

/// The lr-scaled buffers of `transition` as the unscaled ones: x stays, every lr·m is m.
fn scale(f: Framework, lr: f64, n: usize) -> DMatrix<f64> {
    let mut d = DVector::from_element(n, lr);
    d[0] = 1.0;
    if f == Framework::Lookahead {
        d[2] = 1.0; // the slow weights
    }
    DMatrix::from_diagonal(&d)
}

#[test]
fn a_varying_schedule_is_the_product_of_the_conjugated_step_matrices() {
    let mut rng = ChaCha8Rng::seed_from_u64(29);
    for f in [
        Framework::Ademamix,
        Framework::Lookahead,
        Framework::Aggmo,
        Framework::Sam,
    ] {
        for _ in 0..10 {
            let base = random_params(f, &mut rng, 1.0);
            let steps = 150usize;
            let lrs: Vec<f64> = (0..steps).map(|_| rng.random_range(0.05..1.2)).collect();
            let mut sched = ZooSchedule {
                schedule: Schedule::lr(lrs.clone()),
                ..Default::default()
            };
            let scheduled_momentum = matches!(f, Framework::Lookahead | Framework::Sam);
            if scheduled_momentum {
                sched.schedule.momentum =
                    Some((0..steps).map(|_| rng.random_range(0.0..0.95)).collect());
            }
            if f == Framework::Ademamix {
                sched.b3 = Some((0..steps).map(|_| rng.random_range(0.8..0.999)).collect());
                sched.alpha = Some((0..steps).map(|_| rng.random_range(0.0..8.0)).collect());
            }
            let lambda = rng.random_range(0.05..2.0);
            let m = ZooMethod::new(f, &base).unwrap();
            let got = m
                .scheduled_trajectory(lambda, &sched, steps as u64)
                .unwrap();
            // route 2: step t is the constant optimizer at step t's values, its matrix in the
            // lr-scaled buffers taken back to the unscaled ones
            let mut state = m.initial();
            let mut want = vec![m.iterate(&state).abs()];
            for (i, &lr) in lrs.iter().enumerate() {
                let mut p = ZooParams { lr, ..base.clone() };
                if scheduled_momentum {
                    p.momentum = sched.schedule.momentum.as_ref().map(|v| v[i]);
                }
                if f == Framework::Ademamix {
                    p.b3 = sched.b3.as_ref().map(|v| v[i]);
                    p.alpha = sched.alpha.as_ref().map(|v| v[i]);
                }
                let step = ZooMethod::new(f, &p).unwrap();
                let t = step.transition(Some(i as u64 + 1), lambda);
                let d = scale(f, lr, t.nrows());
                let d_inv = d.clone().try_inverse().unwrap();
                state = d_inv * t * d * state;
                want.push(step.iterate(&state).abs());
            }
            assert_runs_agree(&got, &want, &format!("{f} {base:?} at λ {lambda}"));
        }
    }
}

#[test]
fn bound_and_simulate_under_a_constant_schedule_equal_the_constant_answers() {
    let s = Setting {
        framework: Framework::Lookahead,
        lr: Some(0.7),
        momentum: Some(0.6),
        extra: ZooExtra {
            sync_period: Some(3),
            slow_step: Some(0.4),
            ..Default::default()
        },
        ..Setting::default()
    };
    let spectrum = Spectrum::interval(0.01, 2.0).unwrap();
    let c = szoo::bound(&s, &spectrum, 200).unwrap();
    let z = ZooSchedule {
        schedule: Schedule::lr(vec![0.7; 200]),
        ..Default::default()
    };
    let b = szoo::bound_scheduled(&s, &spectrum, Some(&z), None).unwrap();
    assert_eq!(b.steps, 200);
    assert!(b.spectral_radius.is_none() && c.spectral_radius.is_some());
    assert!((b.worst_factor / c.worst_factor - 1.0).abs() < 1e-10);
    assert!((b.peak_factor / c.peak_factor - 1.0).abs() < 1e-10);
    assert_eq!((b.worst_lambda, b.peak_step), (c.worst_lambda, c.peak_step));
    let sum = b.schedule.unwrap();
    assert_eq!(
        (sum.length, sum.lr, sum.held_after),
        (200, [0.7, 0.7], false)
    );
    let r = szoo::simulate_scheduled(&s, &[0.1, 1.0], Some(&z), Some(300)).unwrap();
    let rc = szoo::simulate(&s, &[0.1, 1.0], 300).unwrap();
    assert_runs_agree(&r.error, &rc.error, "simulate");
    // 300 steps of a 200-value schedule: the last lr is held, as the summary says
    assert!(r.spectral_radius.is_none() && r.schedule.is_some_and(|s| s.held_after));
}

#[test]
fn a_warmup_removes_schedule_free_transient() {
    // at lr·λ = 10 the constant run peaks at 126 × its start (zoo module docs); ten steps of
    // linear warmup keep every |x_t| at or below |x_0|
    let s = Setting {
        framework: Framework::ScheduleFree,
        lr: Some(10.0),
        ..Setting::default()
    };
    let one = Spectrum::eigenvalues(vec![1.0]).unwrap();
    let c = szoo::bound(&s, &one, 1000).unwrap();
    assert!((c.peak_factor - 126.0).abs() < 1e-9);
    let mut lr: Vec<f64> = (0..10).map(|t| t as f64).collect();
    lr.resize(1000, 10.0);
    let z = ZooSchedule {
        schedule: Schedule::lr(lr),
        ..Default::default()
    };
    let s = Setting { lr: None, ..s };
    let w = szoo::bound_scheduled(&s, &one, Some(&z), None).unwrap();
    assert_eq!(w.peak_step, 0);
    assert!(w.worst_factor < 1e-20, "{}", w.worst_factor);
}

#[test]
fn schedules_an_optimizer_does_not_have_are_refused_by_name() {
    let base = |f| Setting {
        framework: f,
        lr: Some(0.5),
        extra: ZooExtra {
            rho: (f == Framework::Sam).then_some(0.1),
            ..Default::default()
        },
        ..Setting::default()
    };
    let one = Spectrum::eigenvalues(vec![1.0]).unwrap();
    let momentum = ZooSchedule {
        schedule: Schedule::lr(vec![0.5; 4]).with_momentum(vec![0.5; 4]),
        ..Default::default()
    };
    for (f, word) in [
        (Framework::Ademamix, "constant b1"),
        (Framework::ScheduleFree, "b1 is constant"),
        (Framework::Aggmo, "one momentum per velocity"),
    ] {
        let e = szoo::bound_scheduled(&base(f), &one, Some(&momentum), None).unwrap_err();
        assert!(
            matches!(&e, Error::Usage(m) if m.contains(word)),
            "{f}: {e}"
        );
    }
    for f in [Framework::Lookahead, Framework::Sam] {
        szoo::bound_scheduled(&base(f), &one, Some(&momentum), None).unwrap();
    }
    let b3 = ZooSchedule {
        b3: Some(vec![0.9; 4]),
        ..Default::default()
    };
    let e = szoo::bound_scheduled(&base(Framework::Sam), &one, Some(&b3), None).unwrap_err();
    assert!(e.to_string().contains("AdEMAMix's"), "{e}");
    let periodic = ZooSchedule {
        schedule: Schedule::lr(vec![0.5, 1.0]).periodic(),
        ..Default::default()
    };
    let e = szoo::bound_scheduled(&base(Framework::Aggmo), &one, Some(&periodic), None);
    assert!(e.unwrap_err().to_string().contains("periodic"));
    let bad = ZooSchedule {
        b3: Some(vec![0.9, 1.0, 0.9]),
        ..Default::default()
    };
    let e = szoo::bound_scheduled(&base(Framework::Ademamix), &one, Some(&bad), None);
    assert!(
        matches!(e, Err(Error::Schedule { step: 1, ref problem }) if problem.contains("b3 1")),
        "{e:?}"
    );
    let negative = ZooSchedule {
        schedule: Schedule::lr(vec![0.5, -0.1]),
        ..Default::default()
    };
    let e = szoo::simulate_scheduled(&base(Framework::Sam), &[1.0], Some(&negative), None);
    assert!(matches!(e, Err(Error::Schedule { step: 1, .. })), "{e:?}");
    let uneven = ZooSchedule {
        schedule: Schedule::lr(vec![0.5; 3]),
        alpha: Some(vec![1.0; 4]),
        ..Default::default()
    };
    let e = szoo::bound_scheduled(&base(Framework::Ademamix), &one, Some(&uneven), None);
    assert!(e.unwrap_err().to_string().contains("different lengths"));
}
