//! Framework maps (`momentum::map::framework`) against independent routes: every cell against
//! the eigenvalues of the framework's literal update lines (written out below from the
//! frameworks' code, not from the conversion table) at every curvature of the spectrum; PyTorch
//! and the canonical convention against the canonical map kernel; the EWMA and Adam stability
//! edges against their closed forms.

use momentum::map::framework::{FrameworkGrid, FrameworkMap};
use momentum::map::{GridSpec, StabilityMap};
use momentum::precondition::{diagonal, preconditioner};
use momentum::{Error, Family, Framework, FrameworkParams, Spectrum};
use nalgebra::Matrix2;

/// One step of `fw`'s literal update on the 1-D quadratic ½h·x² (minimiser 0) from the state
/// (x, buffer), with the preconditioner entry `p` (Adam's √v + ε; 1 for SGD-type optimisers).
fn literal_step(
    fw: Framework,
    q: &FrameworkParams,
    h: f64,
    p: f64,
    (x, b): (f64, f64),
) -> (f64, f64) {
    let (lr, mu) = (q.lr, q.momentum.unwrap_or(0.0));
    let wd = q.weight_decay.unwrap_or(0.0);
    match fw {
        // torch.optim.SGD (after the first step): d_p = grad + wd·p; buf = μ·buf + (1 − τ)·d_p;
        // d_p = d_p + μ·buf (nesterov) or buf; p -= lr·d_p
        Framework::PyTorch => {
            let g = h * x + wd * x;
            let buf = mu * b + (1.0 - q.dampening.unwrap_or(0.0)) * g;
            let d = if q.nesterov { g + mu * buf } else { buf };
            (x - lr * d, buf)
        }
        // optax.chain(add_decayed_weights(w), sgd(lr, μ, nesterov)): trace t = g + μt
        Framework::Optax => {
            let g = h * x + wd * x;
            let t = g + mu * b;
            let d = if q.nesterov { g + mu * t } else { t };
            (x - lr * d, t)
        }
        // keras.optimizers.SGD: gradient at x, decay x -= lr·w·x, m = μm − lr·g,
        // x += μm − lr·g (nesterov) or m
        Framework::Keras => {
            let g = h * x;
            let xd = x - lr * wd * x;
            let m = mu * b - lr * g;
            let xn = if q.nesterov {
                xd + mu * m - lr * g
            } else {
                xd + m
            };
            (xn, m)
        }
        // course form: v = βv + (1 − β)g, x -= αv
        Framework::Ewma => {
            let v = mu * b + (1.0 - mu) * h * x;
            (x - lr * v, v)
        }
        // physics form: v = βv − η∇f, x += v
        Framework::Physics => {
            let v = mu * b - lr * h * x;
            (x + v, v)
        }
        // Sutskever et al.: v = μv − ε∇f(x [+ μv]), x += v
        Framework::Sutskever => {
            let at = if q.nesterov { x + mu * b } else { x };
            let v = mu * b - lr * h * at;
            (x + v, v)
        }
        // QHM: b = βb + (1 − β)g, x -= α((1 − ν)g + νb)
        Framework::Qhm => {
            let nu = q.nu.unwrap();
            let g = h * x;
            let buf = mu * b + (1.0 - mu) * g;
            (x - lr * ((1.0 - nu) * g + nu * buf), buf)
        }
        // torch.optim.Adam/AdamW, exp_avg_sq frozen, bias corrections settled at 1:
        // p *= 1 − lr·w (AdamW); m = β₁m + (1 − β₁)g; p -= lr·m/(√v + ε)
        Framework::Adam | Framework::AdamW => {
            let g = h * x;
            let m = mu * b + (1.0 - mu) * g;
            (x * (1.0 - lr * wd) - lr * m / p, m)
        }
        // torch.optim.RMSprop, square_avg frozen: buf = μ·buf + g/(√v + ε); p -= lr·buf
        Framework::RmsProp => {
            let buf = mu * b + h * x / p;
            (x - lr * buf, buf)
        }
        Framework::Canonical => unreachable!("not a framework"),
        f => unreachable!("{f} is not a two-step framework (tests/it/zoo.rs)"),
    }
}

/// Spectral radius of the literal update's 2×2 linear map at (h, p).
fn literal_radius(fw: Framework, q: &FrameworkParams, h: f64, p: f64) -> f64 {
    let (a, c) = literal_step(fw, q, h, p, (1.0, 0.0));
    let (b, d) = literal_step(fw, q, h, p, (0.0, 1.0));
    Matrix2::new(a, b, c, d)
        .complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max)
}

/// A diagonal Hessian and a frozen second moment for the preconditioned conventions.
const H: [f64; 6] = [0.3, 2.0, 7.5, 11.0, 40.0, 0.9];
const V: [f64; 6] = [0.04, 1.0, 9.0, 0.25, 16.0, 1e-6];
const EPS: f64 = 1e-8;

/// (framework, fixed arguments, momentum range, largest lr) of each case.
fn cases() -> Vec<(Framework, FrameworkParams, (f64, f64), f64)> {
    let p = |nesterov: bool, damp: Option<f64>, wd: Option<f64>, nu: Option<f64>| FrameworkParams {
        nesterov,
        dampening: damp,
        weight_decay: wd,
        nu,
        ..Default::default()
    };
    vec![
        (
            Framework::PyTorch,
            p(false, None, None, None),
            (0.0, 1.0),
            0.2,
        ),
        (
            Framework::PyTorch,
            p(false, Some(0.5), Some(0.8), None),
            (0.0, 1.0),
            0.4,
        ),
        (
            Framework::PyTorch,
            p(true, None, Some(0.3), None),
            (0.0, 1.0),
            0.15,
        ),
        (
            Framework::Optax,
            p(true, None, Some(1.5), None),
            (0.0, 1.0),
            0.15,
        ),
        (
            Framework::Keras,
            p(false, None, Some(2.0), None),
            (0.0, 1.0),
            0.2,
        ),
        (
            Framework::Keras,
            p(true, None, Some(0.5), None),
            (0.0, 1.0),
            0.15,
        ),
        (
            Framework::Ewma,
            p(false, None, None, None),
            (-0.5, 0.98),
            3.0,
        ),
        (
            Framework::Physics,
            p(false, None, None, None),
            (-1.0, 1.0),
            0.2,
        ),
        (
            Framework::Sutskever,
            p(true, None, None, None),
            (-0.2, 1.0),
            0.2,
        ),
        (
            Framework::Qhm,
            p(false, None, None, Some(0.7)),
            (0.0, 0.99),
            1.0,
        ),
        (
            Framework::Adam,
            p(false, None, None, None),
            (0.0, 0.99),
            0.05,
        ),
        (
            Framework::AdamW,
            p(false, None, Some(0.4), None),
            (0.0, 0.99),
            0.05,
        ),
        (
            Framework::RmsProp,
            p(false, None, None, None),
            (0.0, 1.0),
            0.008,
        ),
    ]
}

#[test]
fn every_cell_matches_the_literal_update_lines() {
    let pre = preconditioner(&V, EPS).unwrap();
    let pre_spectrum = diagonal(&H, &pre).unwrap();
    let raw = Spectrum::eigenvalues(H.to_vec()).unwrap();
    let (mut checked, mut worst_gap) = (0, 0.0f64);
    for (fw, fixed, range, lr_max) in cases() {
        let (spectrum, p) = if fw.is_preconditioned() {
            (&pre_spectrum, pre.clone())
        } else {
            (&raw, vec![1.0; H.len()])
        };
        for log in [false, true] {
            let axes = GridSpec::new(Family::HeavyBall, lr_max, range, (23, 17)).unwrap();
            let axes = if log {
                axes.log_steps(lr_max * 1e-3).unwrap()
            } else {
                axes
            };
            let grid = FrameworkGrid::new(fw, fixed, axes).unwrap();
            let map = FrameworkMap::compute(&grid, spectrum, None).unwrap();
            let (mut stable, mut unstable) = (0, 0);
            for j in 0..17 {
                for i in 0..23 {
                    let c = map.cell(i, j);
                    let q = grid.params(i, j);
                    assert_eq!((q.lr, q.momentum), (c.step, Some(c.momentum)));
                    // every coordinate of the diagonal Hessian, not only the extremes
                    let want = H
                        .iter()
                        .zip(&p)
                        .map(|(&h, &pi)| literal_radius(fw, &q, h, pi))
                        .fold(0.0, f64::max);
                    let gap = (c.radius - want).abs() / want.max(1.0);
                    assert!(gap < 1e-6, "{fw} {q:?}: map {} vs literal {want}", c.radius);
                    worst_gap = worst_gap.max(gap);
                    if (want - 1.0).abs() > 1e-6 {
                        assert_eq!(c.stable, want < 1.0, "{fw} {q:?}: rho {want}");
                    }
                    if c.stable {
                        stable += 1
                    } else {
                        unstable += 1
                    }
                    checked += 1;
                }
            }
            // the cases are chosen so that each map shows both sides of its edge
            assert!(
                stable > 20 && unstable > 20,
                "{fw} log {log}: {stable} stable, {unstable} not"
            );
        }
    }
    assert_eq!(checked, 13 * 2 * 23 * 17);
    // the 2×2 eigen-solver loses ~√ε near a double root; elsewhere the routes agree to ~1e-15
    assert!(worst_gap < 1e-6, "{worst_gap}");
}

#[test]
fn pytorch_and_canonical_maps_equal_the_canonical_kernel() {
    let spectrum = Spectrum::interval(0.5, 20.0).unwrap();
    let nesterov = FrameworkParams {
        nesterov: true,
        ..Default::default()
    };
    let lookahead = FrameworkParams {
        lookahead: Some(0.3),
        ..Default::default()
    };
    for (fw, fixed, family, range) in [
        (
            Framework::PyTorch,
            FrameworkParams::default(),
            Family::HeavyBall,
            (0.0, 1.0),
        ),
        (Framework::PyTorch, nesterov, Family::Nesterov, (0.0, 1.0)),
        (
            Framework::Canonical,
            FrameworkParams::default(),
            Family::HeavyBall,
            (-1.0, 1.0),
        ),
        (
            Framework::Canonical,
            nesterov,
            Family::Nesterov,
            (0.01, 1.0),
        ),
        (
            Framework::Canonical,
            lookahead,
            Family::Lookahead(0.3),
            (-1.0, 1.0),
        ),
    ] {
        for log in [false, true] {
            let axes = GridSpec::new(family, 0.25, range, (97, 83)).unwrap();
            let axes = if log {
                axes.log_steps(1e-4).unwrap()
            } else {
                axes
            };
            let canonical = StabilityMap::compute(&axes, &spectrum).unwrap();
            let map = FrameworkMap::compute(
                &FrameworkGrid::new(fw, fixed, axes).unwrap(),
                &spectrum,
                None,
            )
            .unwrap();
            for j in 0..83 {
                for i in 0..97 {
                    let (a, b) = (map.cell(i, j), canonical.cell(i, j));
                    assert_eq!((a.step, a.momentum), (b.step, b.momentum));
                    assert!(
                        (a.radius - b.radius).abs() <= 1e-12 * b.radius.max(1.0),
                        "{fw} {family:?} ({i},{j}): {} vs {}",
                        a.radius,
                        b.radius
                    );
                    if (b.radius - 1.0).abs() > 1e-12 {
                        assert_eq!(a.stable, b.stable, "{fw} ({i},{j})");
                    }
                }
            }
            let (s, t) = (map.summary(), canonical.summary());
            assert!(
                s.stable_cells.abs_diff(t.stable_cells) <= 2,
                "{s:?} vs {t:?}"
            );
        }
    }
}

/// Every row's cells are stable left of `edge(β)` and unstable right of it (cells within a
/// relative 1e-9 of the edge excepted), and `stable_lrs` finds the same edge.
fn assert_edge(map: &FrameworkMap, spectrum: &Spectrum, edge: impl Fn(f64) -> f64) {
    let (n, m) = map.grid().axes().shape();
    let mut crossings = 0;
    for j in 0..m {
        let beta = map.grid().axes().momentum(j);
        let e = edge(beta);
        let hi = map.grid().stable_lrs(beta, spectrum).unwrap().unwrap().hi;
        assert!((hi - e).abs() <= 1e-13 * e, "beta {beta}: {hi} vs {e}");
        for i in 0..n {
            let c = map.cell(i, j);
            if (c.step - e).abs() > 1e-9 * e {
                assert_eq!(c.stable, c.step < e, "lr {} beta {beta}: edge {e}", c.step);
            }
        }
        crossings += usize::from(map.cell(0, j).stable && !map.cell(n - 1, j).stable);
    }
    assert!(
        crossings > m / 2,
        "the edge crosses only {crossings} of {m} rows"
    );
}

#[test]
fn ewma_edge_is_where_the_closed_form_puts_it() {
    // course form: heavy ball at step lr(1 − β), stable iff lr(1 − β)L < 2(1 + β)
    let (mu, l) = (0.1, 8.0);
    let spectrum = Spectrum::interval(mu, l).unwrap();
    let axes = GridSpec::new(Family::HeavyBall, 20.0, (0.0, 0.95), (211, 57))
        .unwrap()
        .log_steps(0.01)
        .unwrap();
    let grid = FrameworkGrid::new(Framework::Ewma, FrameworkParams::default(), axes).unwrap();
    let map = FrameworkMap::compute(&grid, &spectrum, None).unwrap();
    assert_edge(&map, &spectrum, |b| 2.0 * (1.0 + b) / (l * (1.0 - b)));
}

#[test]
fn adam_edge_is_cohen_et_al_s_sharpness() {
    // stable iff the preconditioned sharpness S < (2 + 2β₁)/(lr(1 − β₁)) (Cohen et al. 2022)
    let sharpness = H
        .iter()
        .zip(V)
        .map(|(h, v)| h / (v.sqrt() + EPS))
        .fold(0.0, f64::max);
    let spectrum = diagonal(&H, &preconditioner(&V, EPS).unwrap()).unwrap();
    assert_eq!(spectrum.bounds().1, sharpness);
    let axes = GridSpec::new(Family::HeavyBall, 5.0, (0.0, 0.99), (301, 41))
        .unwrap()
        .log_steps(1e-3)
        .unwrap();
    let grid = FrameworkGrid::new(Framework::Adam, FrameworkParams::default(), axes).unwrap();
    let map = FrameworkMap::compute(&grid, &spectrum, None).unwrap();
    assert_edge(&map, &spectrum, |b| {
        (2.0 + 2.0 * b) / (sharpness * (1.0 - b))
    });
}

#[test]
fn arguments_the_framework_rejects_fail_before_the_map() {
    let axes = |range| GridSpec::new(Family::HeavyBall, 1.0, range, (8, 8)).unwrap();
    let grid = |fw: Framework, fixed, range| FrameworkGrid::new(fw, fixed, axes(range));
    let d = FrameworkParams::default();
    let nest = FrameworkParams {
        nesterov: true,
        ..d
    };
    for (fw, fixed, range) in [
        (Framework::PyTorch, d, (-0.5, 0.5)),
        (Framework::Keras, d, (0.0, 1.5)),
        (Framework::Adam, d, (0.0, 1.5)),
        (Framework::Ewma, nest, (0.0, 0.9)),
        (Framework::Qhm, d, (0.0, 0.9)),
        (
            Framework::PyTorch,
            FrameworkParams {
                nesterov: true,
                dampening: Some(0.1),
                ..d
            },
            (0.0, 0.9),
        ),
    ] {
        assert!(
            matches!(grid(fw, fixed, range), Err(Error::Convention { .. })),
            "{fw} {fixed:?} {range:?}"
        );
    }
    // more cells than a stored map allows
    let big = GridSpec::new(Family::HeavyBall, 1.0, (0.0, 1.0), (1 << 15, 1 << 14)).unwrap();
    assert!(matches!(
        FrameworkGrid::new(Framework::PyTorch, d, big),
        Err(Error::TooLarge { .. })
    ));
}
