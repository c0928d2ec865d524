//! Per-curvature roots, regimes and powers, each against an independent route: nalgebra's
//! eigenvalues of T(λ), Vieta's formulas, repeated multiplication, and pinned exact cases.

use approx::assert_relative_eq;
use momentum::{Method, Mode, Recurrence, Regime};
use nalgebra::Matrix2;
use num_complex::Complex64;
use proptest::prelude::*;

fn eig(t: &Matrix2<f64>) -> [Complex64; 2] {
    let e = t.complex_eigenvalues();
    [e[0], e[1]]
}

/// Match two unordered root pairs; the largest distance between partners.
fn pair_distance(a: [Complex64; 2], b: [Complex64; 2]) -> f64 {
    let straight = (a[0] - b[0]).norm().max((a[1] - b[1]).norm());
    let crossed = (a[0] - b[1]).norm().max((a[1] - b[0]).norm());
    straight.min(crossed)
}

fn method_strategy() -> impl Strategy<Value = (f64, f64, f64, f64)> {
    // (α, β, γ, λ): steps to 10, momenta and lookaheads in [-1.5, 1.5], curvatures to 100
    (1e-3..10.0f64, -1.5..1.5f64, -1.5..1.5f64, -5.0..100.0f64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn roots_match_nalgebra_eigenvalues((a, b, g, lam) in method_strategy()) {
        let rec = Method::general(a, b, g).unwrap().recurrence();
        let m = rec.mode(lam).unwrap();
        let r = m.roots();
        let sep = (r[0] - r[1]).norm();
        let scale = m.spectral_radius().max(1.0);
        prop_assume!(sep > 1e-3 * scale);
        let d = pair_distance(r, eig(&rec.transition(lam)));
        prop_assert!(d <= 1e-12 * scale, "roots {r:?} vs eigenvalues: distance {d:e}");
        // and the radius is the largest eigenvalue modulus
        let e = eig(&rec.transition(lam));
        let rho = e[0].norm().max(e[1].norm());
        prop_assert!((rho - m.spectral_radius()).abs() <= 1e-12 * scale);
    }

    #[test]
    fn vieta_holds((a, b, g, lam) in method_strategy()) {
        let m = Method::general(a, b, g).unwrap().recurrence().mode(lam).unwrap();
        let [r1, r2] = m.roots();
        let scale = m.c1().abs().max(m.c0().abs()).max(m.spectral_radius().powi(2)).max(1e-300);
        prop_assert!((r1 + r2 - m.c1()).norm() <= 1e-14 * scale.max(m.spectral_radius()));
        prop_assert!((r1 * r2 - m.c0()).norm() <= 1e-14 * scale);
        // the roots are zeros of the characteristic polynomial the recurrence reports
        let [one, b1, b0] = Method::general(a, b, g).unwrap().recurrence().characteristic_polynomial(lam);
        for z in [r1, r2] {
            let value = z * z * one + z * b1 + b0;
            prop_assert!(value.norm() <= 1e-13 * scale.max(m.spectral_radius().powi(2)).max(1.0), "p({z}) = {value}");
        }
        // a complex pair's modulus is exactly √c₀
        if m.discriminant() < 0.0 {
            prop_assert!((r1.norm() - m.c0().sqrt()).abs() <= 1e-14 * m.c0().sqrt());
        }
    }

    #[test]
    fn regime_agrees_with_nalgebra_eigenvalues((a, b, g, lam) in method_strategy()) {
        // independent route: the eigenvalues of T(λ) from nalgebra's Schur decomposition
        let rec = Method::general(a, b, g).unwrap().recurrence();
        let m = rec.mode(lam).unwrap();
        let e = eig(&rec.transition(lam));
        let (big, small) = if e[0].norm() >= e[1].norm() { (e[0], e[1]) } else { (e[1], e[0]) };
        let scale = big.norm().max(1e-300);
        let sep = (big - small).norm() / scale;
        prop_assume!(sep > 1e-5 || m.regime() == Regime::CriticallyDamped);
        match m.regime() {
            Regime::Underdamped => prop_assert!(big.im.abs() > 1e-9 * scale, "{e:?}"),
            Regime::CriticallyDamped => prop_assert!(sep < 1e-5, "{e:?}"),
            Regime::Overdamped => prop_assert!(big.im.abs() <= 1e-9 * scale && big.re > 0.0, "{e:?}"),
            Regime::Alternating => prop_assert!(big.im.abs() <= 1e-9 * scale && big.re < 0.0, "{e:?}"),
        }
    }

    #[test]
    fn stable_flag_agrees_with_jury_away_from_the_edge((a, b, g, lam) in method_strategy()) {
        let m = Method::general(a, b, g).unwrap().recurrence().mode(lam).unwrap();
        prop_assume!((m.spectral_radius() - 1.0).abs() > 1e-9);
        let j = momentum::recurrence::jury(m.c1(), m.c0());
        prop_assert_eq!(m.is_stable(), j.iter().all(|&x| x > 0.0));
    }

    #[test]
    fn power_matches_repeated_multiplication(
        c1 in prop_oneof![Just(0.0), -2.5..2.5f64], c0 in prop_oneof![Just(0.0), -1.2..1.2f64],
        k in 0u64..80, near_double in proptest::bool::ANY,
    ) {
        // half the cases sit within 1e-9 of a double root, where the closed form must not cancel
        let c0 = if near_double { c1 * c1 / 4.0 * (1.0 + 1e-9 * c0) } else { c0 };
        let m = Mode::from_coefficients(c1, c0).unwrap();
        // oracle: T^k by repeated multiplication in double-double (~1e-32 per operation)
        let p = dd_power(c1, c0, k);
        let tk = m.power(k).unwrap();
        // the closed form's own error: (few + k) ulps of the natural size of the U_j it assembles,
        // |U_j| ≤ j ρ^{j−1} (sin(kθ) and the logs carry ~kε absolute error); the entries of T^k are
        // U_{k+1}, c₀U_k, U_k, c₀U_{k−1}
        let kf = k.max(1) as f64;
        let rho = m.spectral_radius();
        let natural = (kf + 1.0) * rho.powf(kf - 1.0) * rho.max(1.0) * c0.abs().max(1.0);
        let tol = 16.0 * (1.0 + kf) * f64::EPSILON * natural.max(p.amax()) + 1e-300;
        let d = (tk - p).amax();
        prop_assert!(d <= tol, "k = {k}: closed form {tk} vs product {p}: {d:e} > {tol:e}");
    }
}

/// Error-free product and sum (Dekker/Knuth) for the double-double oracle.
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}
/// (hi, lo) · f64 + (hi, lo) · f64, renormalised.
fn dd_dot(x: (f64, f64), a: f64, y: (f64, f64), b: f64) -> (f64, f64) {
    let (p1, e1) = two_prod(x.0, a);
    let (p2, e2) = two_prod(y.0, b);
    let (s, e3) = two_sum(p1, p2);
    let lo = e1 + e2 + e3 + x.1 * a + y.1 * b;
    two_sum(s, lo)
}

/// T^k for T = [[c₁, −c₀], [1, 0]] by k products T·P in double-double, rounded at the end.
fn dd_power(c1: f64, c0: f64, k: u64) -> Matrix2<f64> {
    // P = [[a, b], [c, d]]; T·P = [[c₁a − c₀c, c₁b − c₀d], [a, b]]
    let (mut a, mut b, mut c, mut d) = ((1.0, 0.0), (0.0, 0.0), (0.0, 0.0), (1.0, 0.0));
    for _ in 0..k {
        let na = dd_dot(a, c1, c, -c0);
        let nb = dd_dot(b, c1, d, -c0);
        (c, d) = (a, b);
        (a, b) = (na, nb);
    }
    Matrix2::new(a.0 + a.1, b.0 + b.1, c.0 + c.1, d.0 + d.1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn dd_oracle_agrees_with_plain_products_where_they_are_accurate(c1 in -1.0..1.0f64, c0 in -0.2..0.2f64, k in 0u64..30) {
        // the oracle itself, checked against f64 repeated multiplication on well-conditioned T
        let t = Matrix2::new(c1, -c0, 1.0, 0.0);
        let mut p = Matrix2::identity();
        for _ in 0..k {
            p = t * p;
        }
        let q = dd_power(c1, c0, k);
        prop_assert!((p - q).amax() <= 1e-13 * (1.0 + p.amax()));
    }
}

#[test]
fn exact_double_root_power_is_the_jordan_limit() {
    // z² − 2rz + r² with r = 0.75: T^k = k r^{k−1} T − (k−1) r^k I
    let r = 0.75f64;
    let m = Mode::from_coefficients(2.0 * r, r * r).unwrap();
    assert_eq!(m.regime(), Regime::CriticallyDamped);
    for k in [1u64, 2, 3, 10, 57, 400] {
        let kf = k as f64;
        let expect = m.transition() * (kf * r.powf(kf - 1.0))
            - Matrix2::identity() * ((kf - 1.0) * r.powf(kf));
        let got = m.power(k).unwrap();
        for (x, y) in got.iter().zip(expect.iter()) {
            assert_relative_eq!(*x, *y, max_relative = 1e-13, epsilon = 1e-300);
        }
    }
}

#[test]
fn huge_powers_of_stable_modes_are_finite_and_match_repeated_squaring() {
    // complex pair with ρ = 1 − 1e-12, real near-double pair, alternating pair, deadbeat
    let cases = [
        Mode::from_coefficients(1.2, (1.0f64 - 1e-12).powi(2)).unwrap(),
        Mode::from_coefficients(2.0 * 0.99, 0.99f64.powi(2) * (1.0 - 1e-10)).unwrap(),
        Mode::from_coefficients(-1.5, 0.5 + 1e-9).unwrap(),
        Mode::from_coefficients(0.0, 0.0).unwrap(),
    ];
    for m in cases {
        assert!(m.is_stable(), "{m:?}");
        let p = m.power(1_000_000_000).unwrap();
        assert!(p.iter().all(|x| x.is_finite()), "{p}");
        // T^(2^30) by 30 squarings
        let mut s = m.transition();
        for _ in 0..30 {
            s = s * s;
        }
        let q = m.power(1 << 30).unwrap();
        let scale = s.amax().max(q.amax()).max(1e-300);
        assert!((q - s).amax() <= 1e-5 * scale, "{q} vs {s}");
    }
    // an exactly representable double root r = 1 − 2^-20 (r² needs 40 bits): repeated squaring is
    // no oracle here (its rounding splits the Jordan block), the Jordan closed form is
    let r = 1.0 - 2f64.powi(-20);
    let m = Mode::from_coefficients(2.0 * r, r * r).unwrap();
    assert_eq!(m.discriminant(), 0.0);
    assert!(
        m.power(1_000_000_000)
            .unwrap()
            .iter()
            .all(|x| x.is_finite())
    );
    let k = 1u64 << 22;
    let kf = k as f64;
    let jordan =
        m.transition() * (kf * r.powf(kf - 1.0)) - Matrix2::identity() * ((kf - 1.0) * r.powf(kf));
    let got = m.power(k).unwrap();
    assert!(jordan.amax() > 1e4, "a transient worth checking");
    for (x, y) in got.iter().zip(jordan.iter()) {
        assert_relative_eq!(*x, *y, max_relative = 1e-9);
    }
    // ρ = 1 − 1e-12 over 1e9 steps decays by e^{-1e-3}: the result is far from zero
    let m = Mode::from_coefficients(1.2, (1.0f64 - 1e-12).powi(2)).unwrap();
    assert!(m.power(1_000_000_000).unwrap().amax() > 0.1);
}

#[test]
fn unstable_overflow_is_an_error_not_nan() {
    let m = Mode::from_coefficients(3.0, 1.0).unwrap();
    assert!(!m.is_stable());
    assert!(m.power(10).is_ok());
    assert!(matches!(
        m.power(1_000_000_000),
        Err(momentum::Error::Overflow { .. })
    ));
}

#[test]
fn heavy_ball_exact_critical_damping_is_classified_critical() {
    // β = (1 − √h)² with h = αλ = 0.25 exactly: β = 0.25, double root 0.5
    let m = Method::heavy_ball(0.25, 0.25)
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    assert_eq!(m.discriminant(), 0.0);
    assert_eq!(m.regime(), Regime::CriticallyDamped);
    assert_eq!(m.roots()[0].re, 0.5);
    assert_eq!(m.spectral_radius(), 0.5);
    // 1e-10 relative away either side is not critical
    let under = Method::heavy_ball(0.25, 0.25 * (1.0 + 1e-10))
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    let over = Method::heavy_ball(0.25, 0.25 * (1.0 - 1e-10))
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    assert_eq!(under.regime(), Regime::Underdamped);
    assert_eq!(over.regime(), Regime::Overdamped);
}

#[test]
fn tuned_parameters_sit_on_double_roots_within_the_documented_tolerance() {
    // Polyak's optimum is critically damped at λ = μ and λ = L; standard Nesterov at λ = μ
    for kappa in [4.0f64, 100.0, 1e4, 1e8, 1e12] {
        let (mu, l): (f64, f64) = (1.0 / kappa, 1.0);
        let sk = kappa.sqrt();
        let hb = Method::heavy_ball(
            4.0 / (l.sqrt() + mu.sqrt()).powi(2),
            ((sk - 1.0) / (sk + 1.0)).powi(2),
        )
        .unwrap();
        for lam in [mu, l] {
            let m = hb.recurrence().mode(lam).unwrap();
            assert_eq!(
                m.regime(),
                Regime::CriticallyDamped,
                "κ = {kappa}, λ = {lam}: Δ = {:e}, tol {:e}",
                m.discriminant(),
                m.discriminant_tolerance()
            );
            // and the tolerance is used with room to spare: ≤ 1/4 of it
            assert!(m.discriminant().abs() <= m.discriminant_tolerance() / 4.0);
        }
        let nag = Method::nesterov(1.0 / l, (sk - 1.0) / (sk + 1.0)).unwrap();
        let m = nag.recurrence().mode(mu).unwrap();
        assert_eq!(m.regime(), Regime::CriticallyDamped, "NAG κ = {kappa}");
        assert_relative_eq!(m.spectral_radius(), 1.0 - 1.0 / sk, max_relative = 1e-7);
    }
}

#[test]
fn nesterov_at_unit_step_curvature_is_deadbeat() {
    // αλ = 1 exactly (α = 1, 0.5, 0.25 are exact in binary): c₁ = c₀ = 0, both roots 0
    for (a, lam) in [(1.0, 1.0), (0.5, 2.0), (0.25, 4.0)] {
        let m = Method::nesterov(a, 0.6)
            .unwrap()
            .recurrence()
            .mode(lam)
            .unwrap();
        assert_eq!(m.spectral_radius(), 0.0);
        assert_eq!(m.regime(), Regime::CriticallyDamped);
    }
    // the f64 nearest 0.1 times 10 is 1 + 2^-54 + …: the exact roots of those inputs are ±√(β·5.55e-17)
    // in size, ~6e-9 — the compensated core reports that rather than a rounding artefact
    let m = Method::nesterov(0.1, 0.6)
        .unwrap()
        .recurrence()
        .mode(10.0)
        .unwrap();
    let excess = 0.1f64.mul_add(10.0, -1.0); // exact: αλ − 1 for these f64s
    assert_eq!(0.1f64 * 10.0, 1.0, "plain f64 rounds the excess away");
    assert!(excess > 0.0);
    let (c1, c0) = (-1.6 * excess, -0.6 * excess);
    assert_relative_eq!(m.c1(), c1, max_relative = 1e-15);
    assert_relative_eq!(m.c0(), c0, max_relative = 1e-15);
    assert_relative_eq!(
        m.spectral_radius(),
        0.5 * (c1.abs() + (c1 * c1 - 4.0 * c0).sqrt()),
        max_relative = 1e-14
    );
    // just past it the roots are real with opposite signs
    let m = Method::nesterov(1.0, 0.6)
        .unwrap()
        .recurrence()
        .mode(1.01)
        .unwrap();
    let [r1, r2] = m.roots();
    assert!(r1.im == 0.0 && r1.re * r2.re < 0.0);
}

#[test]
fn compensated_coefficients_survive_cancellation() {
    // NAG with h = 1 + 1e-10: c₁ = −(1+β)·1e-10 exactly in real arithmetic
    let (a, b) = (1.0, 0.5);
    let lam = 1.0 + 1e-10; // the f64 nearest, h = lam exactly since α = 1
    let rec = Method::nesterov(a, b).unwrap().recurrence();
    let (c1, c0) = rec.coefficients(lam);
    assert_relative_eq!(c1, -(1.0 + b) * (lam - 1.0), max_relative = 1e-15);
    assert_relative_eq!(c0, -b * (lam - 1.0), max_relative = 1e-15);
}

#[test]
fn heavy_ball_underdamped_radius_is_sqrt_beta_for_every_step() {
    // docs/REFERENCE.md §2: between the critical steps ρ = √β independently of h
    let beta = 0.81f64;
    let (lo, hi) = ((1.0 - beta.sqrt()).powi(2), (1.0 + beta.sqrt()).powi(2));
    for i in 1..100 {
        let h = lo + (hi - lo) * i as f64 / 100.0;
        let m = Method::heavy_ball(h, beta)
            .unwrap()
            .recurrence()
            .mode(1.0)
            .unwrap();
        assert_eq!(m.regime(), Regime::Underdamped);
        assert_relative_eq!(m.spectral_radius(), 0.9, max_relative = 1e-15);
    }
    // alternating between (1+√β)² and 2(1+β); divergent beyond
    // (1+√β)² = 3.61, 2(1+β) = 3.62
    let m = Method::heavy_ball(3.615, beta)
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    assert_eq!((m.regime(), m.is_stable()), (Regime::Alternating, true));
    let m = Method::heavy_ball(3.63, beta)
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    assert!(!m.is_stable() && m.regime() == Regime::Alternating);
}

#[test]
fn nesterov_complex_modulus_is_sqrt_beta_one_minus_h() {
    let beta = 0.7f64;
    let lo = ((1.0 - beta) / (1.0 + beta)).powi(2);
    for i in 1..100 {
        let h = lo + (1.0 - lo) * i as f64 / 100.0;
        let m = Method::nesterov(h, beta)
            .unwrap()
            .recurrence()
            .mode(1.0)
            .unwrap();
        assert_eq!(m.regime(), Regime::Underdamped);
        assert_relative_eq!(
            m.spectral_radius(),
            (beta * (1.0 - h)).sqrt(),
            max_relative = 1e-14
        );
    }
}

#[test]
fn period_of_a_rotation() {
    // c₁ = 0, c₀ = 0.25: roots ±0.5i, a quarter turn per step: period 4
    let m = Mode::from_coefficients(0.0, 0.25).unwrap();
    assert_relative_eq!(m.period().unwrap(), 4.0, max_relative = 1e-15);
    let m = Recurrence::new(1.0, 0.0, 1.0, 0.0)
        .unwrap()
        .mode(0.0)
        .unwrap();
    // z² − z + 1: roots e^{±iπ/3}: period 6, on the unit circle (not stable)
    assert_relative_eq!(m.period().unwrap(), 6.0, max_relative = 1e-14);
    assert!(!m.is_stable());
}

#[test]
fn momentum_a_hair_below_one() {
    // β = 1 − 1e-12: underdamped for almost every step, ρ = √β = 1 − 5e-13 (to 1e-15 relative)
    let beta = 1.0 - 1e-12;
    let m = Method::heavy_ball(0.5, beta)
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    assert_eq!(m.regime(), Regime::Underdamped);
    assert!(m.is_stable());
    assert_relative_eq!(m.spectral_radius(), beta.sqrt(), max_relative = 1e-16);
    assert_relative_eq!(1.0 - m.spectral_radius(), 5e-13, max_relative = 1e-3);
    // ln 10 / −ln ρ ≈ ln 10 / 5e-13
    assert_relative_eq!(
        m.iterations_per_decade().unwrap(),
        10f64.ln() / 5e-13,
        max_relative = 1e-3
    );
    // 1e9 steps shrink by ρ^1e9 = e^{-5e-4}: the power stays O(1) and finite
    let p = m.power(1_000_000_000).unwrap();
    assert!(p.iter().all(|x| x.is_finite()) && p.amax() > 0.5);
}

#[test]
fn a_step_exactly_on_the_stability_edge_is_not_stable() {
    // heavy ball β = 0.5, λ = 1: edge α = 2(1+β) = 3, where z² + 1.5z + 0.5 = (z+1)(z+0.5)
    let edge = Method::heavy_ball(3.0, 0.5)
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    assert_eq!(edge.spectral_radius(), 1.0);
    assert!(!edge.is_stable());
    let inside = Method::heavy_ball(3.0 - 4.0 * f64::EPSILON, 0.5)
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    assert!(inside.is_stable() && inside.spectral_radius() < 1.0);
    // Nesterov β = 0.5: edge α = (2+2β)/(1+2β) = 1.5, where z² + 0.75z − 0.25 = (z+1)(z−0.25)
    let edge = Method::nesterov(1.5, 0.5)
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    assert_eq!(edge.spectral_radius(), 1.0);
    assert!(!edge.is_stable());
    assert_eq!(edge.roots()[1].re, 0.25);
}

#[test]
fn tiny_distinct_roots_near_the_deadbeat_point_are_not_a_double_root() {
    // reviewer's case: roots ±3e-10 i next to Nesterov's αλ = 1 are a complex pair
    let m = Method::nesterov(0.6442021013979133, 0.3749495918712166)
        .unwrap()
        .recurrence()
        .mode(1.5523078826194576)
        .unwrap();
    let [r1, r2] = m.roots();
    assert!(r1.norm() < 1e-8 && (r1 - r2).norm() > r1.norm());
    assert_ne!(m.regime(), Regime::CriticallyDamped);
    assert_eq!(m.regime() == Regime::Underdamped, m.discriminant() < 0.0);
}

#[test]
fn stability_is_decided_exactly_not_from_the_rounded_radius() {
    // heavy ball β = 0.9 at h = 1e-21: ρ = 1 − O(1e-21) rounds to 1.0, yet the mode is stable
    let m = Method::heavy_ball(0.1, 0.9)
        .unwrap()
        .recurrence()
        .mode(1e-20)
        .unwrap();
    assert_eq!(m.spectral_radius(), 1.0);
    assert!(m.is_stable());
    // and exactly on the edge it is not
    let edge = Method::heavy_ball(3.0, 0.5)
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    assert!(!edge.is_stable());
}

#[test]
fn opposite_real_roots_of_equal_size() {
    // c₁ = 0, c₀ < 0: roots ±d, so U_k = d^{k−1} for odd k and 0 for even k (found by shrinking a
    // property test: rounding once put r₂/r₁ an ulp below −1 and U₂ came out NaN)
    for c0 in [-0.5920119983510482, -0.25, -1e-300, -3.0] {
        let m = Mode::from_coefficients(0.0, c0).unwrap();
        let d = (-c0).sqrt();
        for k in 0..12u64 {
            let expect = if k % 2 == 1 {
                d.powi(k as i32 - 1)
            } else {
                0.0
            };
            assert_relative_eq!(m.lucas(k), expect, max_relative = 1e-14);
        }
        assert!(m.power(7).is_ok());
    }
}

/// Stability at any scale of αλ: for heavy ball and Nesterov with β ∈ [0, 1) the Jury margin
/// 1 − c₁ + c₀ equals αλ exactly, so every 0 < αλ ≤ 1 + β is stable and every αλ < 0 is not,
/// however small |αλ| is (1e-33 vanishes next to 1 + β even in double-double).
#[test]
fn stability_is_decided_exactly_at_tiny_step_times_curvature() {
    let cases = [
        (1.0, 0.6, 1e-33),
        (5e-324, 0.999, 1.0),
        (1.0, 0.9, 1e-300),
        (1e-160, 0.5, 1e-160),
    ];
    for (a, b, lam) in cases {
        for m in [
            Method::heavy_ball(a, b).unwrap(),
            Method::nesterov(a, b).unwrap(),
        ] {
            let rec = m.recurrence();
            let up = rec.mode(lam).unwrap();
            assert!(
                up.is_stable(),
                "{m:?} at {lam}: ρ = {}",
                up.spectral_radius()
            );
            let down = rec.mode(-lam).unwrap();
            assert!(!down.is_stable(), "{m:?} at {}: saddle", -lam);
        }
    }
}

proptest! {
    #[test]
    fn tiny_positive_curvatures_are_stable_and_negative_ones_are_not(
        log_a in -150.0..2.0f64,
        log_lam in -150.0..-20.0f64,
        b in 0.0..0.999f64,
    ) {
        let (a, lam) = (10f64.powf(log_a), 10f64.powf(log_lam));
        // αλ ≤ 1e-18: far inside the stable range (0, 2(1 + β)/(1 + 2β))
        for m in [Method::heavy_ball(a, b).unwrap(), Method::nesterov(a, b).unwrap()] {
            let rec = m.recurrence();
            prop_assert!(rec.mode(lam).unwrap().is_stable(), "{:?} at {}", m, lam);
            prop_assert!(!rec.mode(-lam).unwrap().is_stable(), "{:?} at {}", m, -lam);
        }
    }
}

/// A discriminant beyond f64 (|c₁| > 1.3e154) is not an error: z ↦ 2^512·z maps the roots of
/// w² − c₁w + c₀ (solved on the ordinary path) onto those of z² − 2^512c₁z + 2^1024c₀ (solved on
/// the rescaled path, since (2^512c₁)² overflows for |c₁| > 1 while 2^1024c₀ does not for
/// |c₀| < 1), so the two routes must agree to rounding, in every regime.
#[test]
fn discriminant_beyond_f64_is_solved_by_exact_rescaling() {
    let t = 2f64.powi(512);
    for (c1, c0, regime) in [
        (-1.5, 0.5, Regime::Alternating),
        (1.5, 0.5, Regime::Overdamped),
        (1.5, 0.9, Regime::Underdamped),
        (1.6, 0.64, Regime::CriticallyDamped),
        (-1.2, -0.75, Regime::Alternating),
    ] {
        let small = Mode::from_coefficients(c1, c0).unwrap();
        let big = Mode::from_coefficients(c1 * t, c0 * t * t).unwrap();
        assert!(!(c1 * t).mul_add(c1 * t, -4.0 * c0 * t * t).is_finite());
        assert!(!big.discriminant().is_finite() || big.discriminant() == 0.0);
        assert_eq!(small.regime(), regime);
        assert_eq!(big.regime(), regime, "c1 = {c1}, c0 = {c0}");
        let scaled = small.roots().map(|z| z * t);
        let d = pair_distance(scaled, big.roots());
        assert!(d <= 1e-15 * small.spectral_radius() * t, "{d:e}");
        assert_relative_eq!(
            big.spectral_radius(),
            small.spectral_radius() * t,
            max_relative = 1e-15
        );
    }
    // the case: heavy ball with α = 1.35e154 at λ = 1 (c₁² ≈ 1.82e308)
    let m = Method::heavy_ball(1.35e154, 0.5)
        .unwrap()
        .recurrence()
        .mode(1.0)
        .unwrap();
    let [r1, r2] = m.roots();
    assert!(!m.is_stable());
    assert_eq!(m.regime(), Regime::Alternating);
    assert_relative_eq!(r1.re, 1.5 - 1.35e154, max_relative = 1e-15);
    // Vieta: r₁r₂ = c₀ = 0.5
    assert_relative_eq!(r1.re * r2.re, 0.5, max_relative = 1e-15);
    assert_eq!(m.spectral_radius(), r1.re.abs());
    // at the top of the range: c₁ = c₀ = f64::MAX (log₂ of it rounds to 1024, past the largest
    // power of two); roots MAX·(1 − ε) and ~1, never NaN or ∞
    let m = Mode::from_coefficients(f64::MAX, f64::MAX).unwrap();
    let [r1, r2] = m.roots();
    assert!(r1.re.is_finite() && r1.re > 1.7e308, "{r1}");
    assert_relative_eq!(r2.re, 1.0, max_relative = 1e-15);
    assert_eq!(m.spectral_radius(), r1.re);
}
