//! Maps of the order-n optimizers (`momentum::map::zoo`) and their exact two-step forms
//! (`momentum::zoo::two_step_equivalent`): cells against `setting::zoo::analyze` at the
//! cell's parameters (bit for bit), row edges against `largest_stable_lr` and hand-derived closed
//! forms, conversions against the two-step path's own worst case and edge.

use momentum::map::GridSpec;
use momentum::map::framework::FrameworkGrid;
use momentum::map::zoo::{ZooAxis, ZooGrid, ZooMap, ZooMapRequest, run};
use momentum::setting::{Input, Options, Setting, ZooExtra, zoo};
use momentum::zoo::two_step_equivalent;
use momentum::zoo::{ZooMethod, ZooParams};
use momentum::{Family, Framework, Precision, Spectrum};

fn setting(f: Framework, extra: ZooExtra) -> Setting {
    Setting {
        framework: f,
        extra,
        ..Setting::default()
    }
}

fn cases() -> Vec<(Setting, ZooAxis)> {
    vec![
        (
            setting(Framework::Ademamix, ZooExtra::default()),
            ZooAxis::Momentum,
        ),
        (
            setting(
                Framework::Ademamix,
                ZooExtra {
                    alpha: Some(8.0),
                    ..Default::default()
                },
            ),
            ZooAxis::B3,
        ),
        (
            setting(Framework::Lookahead, ZooExtra::default()),
            ZooAxis::Momentum,
        ),
        (
            setting(Framework::Lookahead, ZooExtra::default()),
            ZooAxis::SlowStep,
        ),
        (
            setting(Framework::ScheduleFree, ZooExtra::default()),
            ZooAxis::Momentum,
        ),
        (
            setting(Framework::Aggmo, ZooExtra::default()),
            ZooAxis::Momentum,
        ),
        (
            setting(
                Framework::Sam,
                ZooExtra {
                    rho: Some(0.05),
                    ..Default::default()
                },
            ),
            ZooAxis::Momentum,
        ),
    ]
}

fn listed() -> Input {
    Input::Spectrum(
        Spectrum::eigenvalues(vec![0.0, 0.3, 1.0, 2.5]).unwrap(),
        Precision::Float64,
    )
}

#[test]
fn cells_equal_analyze_at_the_cells_parameters_bit_for_bit() {
    for input in [
        listed(),
        Input::Spectrum(Spectrum::interval(0.1, 2.0).unwrap(), Precision::Float64),
    ] {
        for (s, axis) in cases() {
            let req = ZooMapRequest {
                axis: Some(axis),
                grid: (24, 6),
                y_range: (axis == ZooAxis::B3).then_some((0.9, 0.9999)),
                ..Default::default()
            };
            let (map, doc) = run(&s, input.clone(), &req, None).unwrap();
            assert_eq!(doc.summary.cells, 144);
            assert!(doc.summary.stable_cells > 0 && doc.summary.stable_cells < 144);
            for (i, j) in [(0, 0), (5, 1), (11, 3), (17, 4), (23, 5)] {
                let c = map.cell(i, j);
                let at = map.grid().setting_at(c.lr, c.y);
                let a = zoo::analyze(&at, input.clone(), &Options::default()).unwrap();
                assert_eq!(
                    a.spectral_radius.to_bits(),
                    c.radius.to_bits(),
                    "{} {axis:?} cell ({i}, {j})",
                    s.framework
                );
                assert_eq!(a.stable, c.stable);
            }
        }
    }
}

#[test]
fn row_edges_are_analyzes_largest_stable_lr_and_split_the_cells() {
    let input = listed();
    for (s, axis) in cases() {
        let req = ZooMapRequest {
            axis: Some(axis),
            grid: (64, 5),
            y_range: (axis == ZooAxis::B3).then_some((0.9, 0.9999)),
            ..Default::default()
        };
        let (map, doc) = run(&s, input.clone(), &req, None).unwrap();
        let (n, _) = map.grid().axes().shape();
        for (j, e) in doc.edge.iter().enumerate() {
            let (lo, hi) = (e.lr_lo.unwrap(), e.lr_hi.unwrap());
            let mut seen_stable = false;
            for i in 0..n {
                let c = map.cell(i, j);
                if c.lr > lo * (1.0 + 1e-9) && c.lr < hi * (1.0 - 1e-9) {
                    assert!(
                        c.stable,
                        "{} {axis:?} row {j} lr {} inside ({lo}, {hi})",
                        s.framework, c.lr
                    );
                }
                if c.stable && !seen_stable {
                    seen_stable = true;
                    // analyze at a stable cell of the row: the same upper end
                    let at = map.grid().setting_at(c.lr, c.y);
                    let a = zoo::analyze(&at, input.clone(), &Options::default()).unwrap();
                    assert_eq!(a.largest_stable_lr, Some(hi), "{} row {j}", s.framework);
                }
            }
            assert!(seen_stable);
            // lr past the edge: unstable unless an island (Lookahead) says otherwise
            if s.framework != Framework::Lookahead {
                for i in 0..n {
                    let c = map.cell(i, j);
                    if c.lr > hi * (1.0 + 1e-9) {
                        assert!(!c.stable, "{} row {j} lr {} > {hi}", s.framework, c.lr);
                    }
                }
            }
        }
    }
}

#[test]
fn ademamix_row_edges_follow_the_closed_form() {
    // one curvature λ = 1, rows β₁: h* = 2(1+β₁)(1+β₃)/((1−β₁)(1+β₃) + α(1−β₃)(1+β₁))
    let (b3, alpha) = (0.999, 5.0);
    let s = setting(
        Framework::Ademamix,
        ZooExtra {
            b3: Some(b3),
            alpha: Some(alpha),
            ..Default::default()
        },
    );
    let req = ZooMapRequest {
        grid: (8, 16),
        lr_max: Some(50.0),
        ..Default::default()
    };
    let input = Input::Spectrum(
        Spectrum::eigenvalues(vec![1.0]).unwrap(),
        Precision::Float64,
    );
    let (_, doc) = run(&s, input, &req, None).unwrap();
    for e in &doc.edge {
        let b1 = e.y;
        let want = 2.0 * (1.0 + b1) * (1.0 + b3)
            / ((1.0 - b1) * (1.0 + b3) + alpha * (1.0 - b3) * (1.0 + b1));
        let got = e.lr_hi.unwrap();
        assert!((got - want).abs() < 1e-9 * want, "β₁ {b1}: {got} vs {want}");
    }
}

#[test]
fn lookahead_slow_step_rows_follow_the_period_multiplier() {
    // over SGD: per period the multiplier is 1 − a + a(1 − h)^k, so the rate per inner step is
    // |1 − a + a(1 − h)^k|^(1/k) and (k odd) the edge is h = 1 + (2/a − 1)^(1/k)
    let k = 5;
    let s = setting(
        Framework::Lookahead,
        ZooExtra {
            sync_period: Some(k),
            ..Default::default()
        },
    );
    let axes = GridSpec::new(Family::HeavyBall, 3.0, (0.05, 1.0), (30, 12)).unwrap();
    let grid = ZooGrid::new(&s, ZooAxis::SlowStep, axes).unwrap();
    let spectrum = Spectrum::eigenvalues(vec![1.0]).unwrap();
    let map = ZooMap::compute(&grid, &spectrum, None).unwrap();
    for j in 0..12 {
        let a = axes.momentum(j);
        for i in 0..30 {
            let c = map.cell(i, j);
            let want = (1.0 - a + a * (1.0 - c.lr).powi(k as i32))
                .abs()
                .powf(1.0 / k as f64);
            assert!(
                (c.radius - want).abs() < 1e-9,
                "a {a} lr {}: {} vs {want}",
                c.lr,
                c.radius
            );
        }
        let edge = grid.stable_lrs(a, &spectrum).unwrap().unwrap().hi;
        let want = 1.0 + (2.0 / a - 1.0).powf(1.0 / k as f64);
        assert!((edge - want).abs() < 1e-9, "a {a}: {edge} vs {want}");
    }
}

#[test]
fn maps_refuse_axes_and_settings_the_optimizer_does_not_have() {
    let axes = GridSpec::new(Family::HeavyBall, 1.0, (0.0, 1.0), (4, 4)).unwrap();
    let s = setting(Framework::Aggmo, ZooExtra::default());
    assert!(ZooGrid::new(&s, ZooAxis::B3, axes).is_err());
    let sam = setting(Framework::Sam, ZooExtra::default()); // no rho
    assert!(ZooGrid::new(&sam, ZooAxis::Momentum, axes).is_err());
    let optax = setting(Framework::Optax, ZooExtra::default());
    assert!(ZooGrid::new(&optax, ZooAxis::Momentum, axes).is_err());
    let neg = GridSpec::new(Family::HeavyBall, 1.0, (-0.5, 1.0), (4, 4)).unwrap();
    let sf = setting(Framework::ScheduleFree, ZooExtra::default());
    assert!(ZooGrid::new(&sf, ZooAxis::Momentum, neg).is_err());
}

/// The order-n optimizer and its two-step equivalent: the same worst-case rate and the same edge
/// (in the optimizer's lr; `scale` = two-step lr / optimizer lr).
fn same_on(f: Framework, p: ZooParams, scale: f64) {
    let e = two_step_equivalent(f, &p).unwrap();
    assert!((e.params.lr - scale * p.lr).abs() < 1e-15 * p.lr);
    let m = ZooMethod::new(f, &p).unwrap();
    for s in [
        Spectrum::interval(0.2, 3.0).unwrap(),
        Spectrum::eigenvalues(vec![0.5, 1.0, 2.0]).unwrap(),
    ] {
        let w = m.worst_case(&s).unwrap();
        let c = e.framework.convert(&e.params).unwrap();
        let w2 = s.worst_case(&c.recurrence).unwrap();
        assert!(
            (w.spectral_radius - w2.spectral_radius()).abs() < 1e-9,
            "{f} {p:?}: {} vs {}",
            w.spectral_radius,
            w2.spectral_radius()
        );
        let hi = m.stable_lr(&s).unwrap().unwrap().hi;
        let axes = GridSpec::new(Family::HeavyBall, 1.0, (0.0, 1.0), (2, 2)).unwrap();
        let fixed = momentum::FrameworkParams {
            nesterov: e.params.nesterov,
            ..Default::default()
        };
        let g = FrameworkGrid::new(e.framework, fixed, axes).unwrap();
        let hi2 = g
            .stable_lrs(e.params.momentum.unwrap(), &s)
            .unwrap()
            .unwrap()
            .hi;
        assert!(
            (hi * scale - hi2).abs() < 1e-9 * hi2,
            "{f} {p:?}: {} vs {hi2}",
            hi * scale
        );
    }
}

#[test]
fn exact_two_step_forms_have_the_same_rate_and_edge() {
    let p = |lr: f64| ZooParams {
        lr,
        ..Default::default()
    };
    same_on(
        Framework::Aggmo,
        ZooParams {
            momenta: Some(vec![0.8, 0.8, 0.8]),
            ..p(0.3)
        },
        1.0,
    );
    same_on(
        Framework::Aggmo,
        ZooParams {
            momenta: Some(vec![0.0]),
            ..p(0.3)
        },
        1.0,
    );
    same_on(
        Framework::Ademamix,
        ZooParams {
            alpha: Some(0.0),
            momentum: Some(0.85),
            ..p(0.7)
        },
        1.0,
    );
    for nesterov in [false, true] {
        same_on(
            Framework::Lookahead,
            ZooParams {
                sync_period: Some(1),
                slow_step: Some(0.6),
                momentum: Some(0.7),
                nesterov,
                ..p(0.4)
            },
            0.6,
        );
        same_on(
            Framework::Lookahead,
            ZooParams {
                sync_period: Some(4),
                slow_step: Some(1.0),
                momentum: Some(0.7),
                nesterov,
                ..p(0.4)
            },
            1.0,
        );
        same_on(
            Framework::Sam,
            ZooParams {
                rho: Some(0.0),
                momentum: Some(0.5),
                nesterov,
                ..p(0.4)
            },
            1.0,
        );
    }
}

#[test]
fn optimizers_of_higher_order_are_refused_with_the_reason() {
    let p = |lr: f64| ZooParams {
        lr,
        ..Default::default()
    };
    for (f, q, word) in [
        (Framework::Aggmo, p(0.1), "distinct momenta"),
        (Framework::Ademamix, p(0.1), "order 3"),
        (Framework::Lookahead, p(0.1), "periodic"),
        (
            Framework::Sam,
            ZooParams {
                rho: Some(0.1),
                ..p(0.1)
            },
            "not affine",
        ),
        (Framework::ScheduleFree, p(0.1), "time-varying"),
    ] {
        let e = two_step_equivalent(f, &q).unwrap_err().to_string();
        assert!(e.contains(word), "{f}: {e}");
    }
}
