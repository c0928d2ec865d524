//! The heavy-ball cycle (Lessard, Recht & Packard 2016, §4.6). Independent routes: the exact cycle
//! points are checked against the heavy-ball recursion in rational arithmetic (gradient by the
//! point's own piece, not the solver's assignment) and against an f64 run of the update re-typed
//! here; the multipliers against a finite-difference Jacobian of the f64 3-step map and its
//! nalgebra eigenvalues; μ-strong convexity and L-smoothness of the function on a grid.

use momentum::cycle::{self, Fate, Piece, Rational};
use momentum::{Error, Method, Spectrum, tune};
use nalgebra::Matrix2;

fn r(n: i128, d: i128) -> Rational {
    Rational::new(n, d).unwrap()
}

fn attracting() -> cycle::Cycle {
    cycle::polyak_cycles()
        .unwrap()
        .into_iter()
        .find(|c| c.is_attracting())
        .unwrap()
}

#[test]
fn polyak_tuning_is_one_ninth_and_four_ninths() {
    let (a, b) = cycle::polyak();
    assert_eq!((a, b), (r(1, 9), r(4, 9)));
    let t = tune::heavy_ball(&Spectrum::interval(cycle::MU, cycle::L).unwrap()).unwrap();
    assert!(
        (t.method.step() - 1.0 / 9.0).abs() < 1e-16,
        "{}",
        t.method.step()
    );
    assert!((t.method.momentum() - 4.0 / 9.0).abs() < 1e-15);
}

#[test]
fn exactly_two_three_cycles_with_rational_points() {
    let cycles = cycle::polyak_cycles().unwrap();
    assert_eq!(cycles.len(), 2);
    let pts: Vec<[Rational; 3]> = cycles.iter().map(|c| c.points).collect();
    assert!(pts.contains(&[r(2592, 1225), r(792, 1225), r(-2208, 1225)]));
    assert!(pts.contains(&[r(2592, 1367), r(792, 1367), r(-2208, 1367)]));
    let a = attracting();
    assert_eq!(a.pieces, [Piece::High, Piece::Low, Piece::Low]);
}

#[test]
fn cycle_points_satisfy_the_recursion_exactly() {
    let (al, be) = cycle::polyak();
    for c in cycle::polyak_cycles().unwrap() {
        for k in 0..3 {
            let prev = c.points[(k + 2) % 3];
            let cur = c.points[k];
            let next = c.points[(k + 1) % 3];
            let g = cycle::gradient_exact(cur).unwrap();
            let step = cur
                .checked_add(be.checked_mul(cur.checked_sub(prev).unwrap()).unwrap())
                .unwrap()
                .checked_sub(al.checked_mul(g).unwrap())
                .unwrap();
            assert_eq!(step, next, "cycle {:?} at k = {k}", c.points);
            assert_ne!(cur, Rational::integer(1));
            assert_ne!(cur, Rational::integer(2));
        }
    }
}

#[test]
fn f64_run_from_3_3_lands_on_the_attracting_cycle() {
    // the literal update, re-typed: x+ = x + β(x − x₋) − α∇f(x)
    let grad = |x: f64| {
        if x < 1.0 {
            25.0 * x
        } else if x < 2.0 {
            x + 24.0
        } else {
            25.0 * x - 24.0
        }
    };
    let (al, be) = (1.0 / 9.0, 4.0 / 9.0);
    let (mut xp, mut x) = (3.3f64, 3.3f64);
    let mut xs = vec![x];
    for _ in 0..3000 {
        (xp, x) = (x, x + be * (x - xp) - al * grad(x));
        xs.push(x);
    }
    let lib = cycle::trajectory(&Method::heavy_ball(al, be).unwrap(), 3.3, 3000).unwrap();
    assert_eq!(lib, xs);
    let p = attracting().points_f64();
    let tail = &xs[xs.len() - 3..];
    let matched = (0..3).any(|s| (0..3).all(|j| (tail[j] - p[(s + j) % 3]).abs() < 1e-12));
    assert!(matched, "tail {tail:?} vs cycle {p:?}");
    // and it is a cycle, not a slow approach to 0: the values stay ~2 away from x*
    assert!(tail.iter().map(|x| x.abs()).fold(0.0, f64::max) > 2.0);
}

#[test]
fn multipliers_exact_and_against_a_finite_difference_jacobian() {
    let (al, be) = (1.0 / 9.0, 4.0 / 9.0);
    let three_steps = |x: f64, xp: f64| {
        let (mut xp, mut x) = (xp, x);
        for _ in 0..3 {
            (xp, x) = (x, x + be * (x - xp) - al * cycle::gradient(x));
        }
        (x, xp)
    };
    let beta3 = r(64, 729);
    for c in cycle::polyak_cycles().unwrap() {
        assert_eq!(c.det().unwrap(), beta3, "det M = β³");
        let p = c.points_f64();
        let (x, xp) = (p[0], p[2]);
        let back = three_steps(x, xp);
        assert!((back.0 - x).abs() < 1e-13 && (back.1 - xp).abs() < 1e-13);
        let h = 1e-6;
        let (a1, a2) = three_steps(x + h, xp);
        let (b1, b2) = three_steps(x - h, xp);
        let (c1, c2) = three_steps(x, xp + h);
        let (d1, d2) = three_steps(x, xp - h);
        let jac = Matrix2::new(
            (a1 - b1) / (2.0 * h),
            (c1 - d1) / (2.0 * h),
            (a2 - b2) / (2.0 * h),
            (c2 - d2) / (2.0 * h),
        );
        for i in 0..2 {
            for j in 0..2 {
                let exact = c.monodromy[i][j].to_f64();
                assert!(
                    (jac[(i, j)] - exact).abs() < 1e-8,
                    "{i}{j}: {} vs {exact}",
                    jac[(i, j)]
                );
            }
        }
        let mut ev: Vec<_> = jac.complex_eigenvalues().iter().copied().collect();
        let mut mu = c.multipliers.to_vec();
        let key = |z: &num_complex::Complex64| (z.re, z.im);
        ev.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap());
        mu.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap());
        for (e, m) in ev.iter().zip(&mu) {
            // a double root (the attracting cycle) is resolved to ~√(FD error)
            assert!((e - m).norm() < 1e-3, "{e} vs {m}");
        }
    }
    // published shapes: T(25) = [[−4/3, −4/9], [1, 0]] has the double root −2/3, so the
    // attracting cycle's multipliers are (−2/3)³ = −8/27 twice; the saddle's are (40 ± 16√6)/27
    let a = attracting();
    assert_eq!(a.trace().unwrap(), r(-16, 27));
    for m in a.multipliers {
        assert!((m.re + 8.0 / 27.0).abs() < 1e-7 && m.im.abs() < 1e-7, "{m}");
    }
    let s = cycle::polyak_cycles()
        .unwrap()
        .into_iter()
        .find(|c| !c.is_attracting())
        .unwrap();
    assert_eq!(s.trace().unwrap(), r(80, 27));
    let want = [
        (40.0 + 16.0 * 6f64.sqrt()) / 27.0,
        (40.0 - 16.0 * 6f64.sqrt()) / 27.0,
    ];
    for (m, w) in s.multipliers.iter().zip(want) {
        assert!((m.re - w).abs() < 1e-14 && m.im == 0.0, "{m} vs {w}");
    }
    assert!(s.multipliers[0].re > 1.0, "the second cycle is a saddle");
}

#[test]
fn the_function_is_1_strongly_convex_and_25_smooth_on_a_grid() {
    let (mu, l) = (cycle::MU, cycle::L);
    let mut xs: Vec<f64> = (-400..=400).map(|i| i as f64 * 0.0125).collect();
    xs.extend([1.0, 2.0, 1.0 - 1e-9, 2.0 - 1e-9]);
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for &x in &xs {
        // gradient vs central difference of the value
        let h = 1e-5;
        let fd = (cycle::value(x + h) - cycle::value(x - h)) / (2.0 * h);
        // error ≤ L·h/2 at a kink of ∇f, plus rounding of f/h
        assert!((fd - cycle::gradient(x)).abs() < 25.0 * h + 1e-8, "x = {x}");
        for &y in &xs {
            if x == y {
                continue;
            }
            let (gx, gy) = (cycle::gradient(x), cycle::gradient(y));
            let d = y - x;
            let slope = (gy - gx) / d;
            lo = lo.min(slope);
            hi = hi.max(slope);
            let tol = 1e-9 * (1.0 + cycle::value(x).abs() + cycle::value(y).abs());
            let lin = cycle::value(x) + gx * d;
            assert!(
                cycle::value(y) >= lin + 0.5 * mu * d * d - tol,
                "({x}, {y})"
            );
            assert!(cycle::value(y) <= lin + 0.5 * l * d * d + tol, "({x}, {y})");
        }
    }
    // the secant slopes of ∇f fill [μ, L]: both constants are attained, not just bounds
    assert!(
        (lo - mu).abs() < 1e-9 && (hi - l).abs() < 1e-9,
        "slopes in [{lo}, {hi}]"
    );
    assert_eq!(cycle::value(0.0), 0.0);
    assert_eq!(cycle::gradient(0.0), 0.0);
}

#[test]
fn basin_along_rest_and_nesterov_triple_momentum_converge_from_the_same_starts() {
    let cycles = cycle::polyak_cycles().unwrap();
    let k = cycles.iter().position(|c| c.is_attracting()).unwrap();
    let s = Spectrum::interval(cycle::MU, cycle::L).unwrap();
    let hb = tune::heavy_ball(&s).unwrap().method;
    let scan = cycle::basin(&hb, &cycles, (-20.0, 20.0), 801, 3000).unwrap();
    let n_cycle = scan.iter().filter(|(_, f)| *f == Fate::Cycle(k)).count();
    let n_conv = scan.iter().filter(|(_, f)| *f == Fate::Converges).count();
    assert_eq!(n_cycle + n_conv, scan.len(), "every start decided");
    assert!(
        n_cycle > 20 && n_conv > 400,
        "{n_cycle} cycle, {n_conv} converge"
    );
    // the start of Lessard et al. falls into the cycle; x₀ = 0.5 (low piece only) converges
    assert_eq!(
        cycle::fate(&hb, 3.3, &cycles, 3000).unwrap(),
        Fate::Cycle(k)
    );
    assert_eq!(
        cycle::fate(&hb, 0.5, &cycles, 3000).unwrap(),
        Fate::Converges
    );
    for t in [
        tune::nesterov(&s).unwrap(),
        tune::triple_momentum(&s).unwrap(),
    ] {
        let scan = cycle::basin(&t.method, &cycles, (-20.0, 20.0), 801, 3000).unwrap();
        assert!(
            scan.iter().all(|(_, f)| *f == Fate::Converges),
            "{}: {:?}",
            t.method.name(),
            scan.iter().find(|(_, f)| *f != Fate::Converges)
        );
    }
}

#[test]
fn gradient_descent_at_one_over_l_has_no_three_cycle() {
    assert!(
        cycle::heavy_ball_cycles(r(1, 25), Rational::integer(0))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn rational_arithmetic_is_exact_and_checked() {
    let vals = [
        r(1, 3),
        r(-2, 7),
        r(5, 1),
        r(-9, 4),
        r(0, 1),
        r(i128::MAX, 3),
        r(-i128::MAX, i128::MAX - 1),
    ];
    for a in vals {
        for b in vals {
            let by_f64 = a.to_f64().partial_cmp(&b.to_f64()).unwrap();
            if (a.to_f64() - b.to_f64()).abs() > 1e-9 * a.to_f64().abs().max(1.0) {
                assert_eq!(a.cmp(&b), by_f64, "{a} vs {b}");
            }
        }
    }
    assert!(r(1, 3) < r(1, 2) && r(-1, 2) < r(-1, 3) && r(7, 3) > r(9, 4));
    assert_eq!(r(1, 3).checked_add(r(1, 6)).unwrap(), r(1, 2));
    assert_eq!(r(2, 3).checked_mul(r(9, 4)).unwrap(), r(3, 2));
    assert_eq!(r(2, 3).checked_div(r(4, 9)).unwrap(), r(3, 2));
    assert!(matches!(
        Rational::new(1, 0),
        Err(Error::NotPositive {
            name: "denominator",
            ..
        })
    ));
    assert!(r(1, 2).checked_div(Rational::integer(0)).is_err());
    let big = r(i128::MAX, 1);
    let e = big.checked_add(big).unwrap_err();
    assert!(e.to_string().contains("overflows i128"), "{e}");
    assert!(big.checked_mul(Rational::integer(2)).is_err());
}

#[test]
fn bad_inputs_are_typed_errors() {
    let hb = Method::heavy_ball(1.0 / 9.0, 4.0 / 9.0).unwrap();
    assert!(matches!(
        cycle::trajectory(&hb, f64::NAN, 3),
        Err(Error::NotFinite { name: "x0", .. })
    ));
    assert!(matches!(
        cycle::trajectory(&hb, 1.0, cycle::MAX_STEPS + 1),
        Err(Error::TooMany { .. })
    ));
    assert!(matches!(
        cycle::basin(&hb, &[], (1.0, 1.0), 5, 10),
        Err(Error::OutOfRange { name: "lo", .. })
    ));
    assert!(matches!(
        cycle::basin(&hb, &[], (0.0, 1.0), 0, 10),
        Err(Error::TooMany { .. })
    ));
    assert!(matches!(
        cycle::heavy_ball_cycles(Rational::integer(0), r(4, 9)),
        Err(Error::NotPositive { name: "step", .. })
    ));
    // a diverging run is reported, not NaN
    let wild = Method::heavy_ball(1.0, 0.0).unwrap();
    assert_eq!(cycle::fate(&wild, 3.0, &[], 2000).unwrap(), Fate::Diverges);
}
