//! Maps of the order-n optimizers (`momentum::map::zoo`)
//!: cells against `setting::zoo::analyze` at the
//! cell's parameters (bit for bit), row edges against `largest_stable_lr` and hand-derived closed
//! forms, conversions against the two-step path's own worst case and edge.

use momentum::map::GridSpec;
use momentum::map::zoo::{ZooAxis, ZooGrid, ZooMap, ZooMapRequest, run};
use momentum::setting::{Input, Options, Setting, ZooExtra, zoo};
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
