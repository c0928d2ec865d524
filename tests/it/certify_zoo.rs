//! Certified rates of the order-n optimizers (`certify::pencil`, `certify --convention X`), each
//! against an independent route: the two-step certificate (its own cubic search and LMI check)
//! on two-step methods written as pencils and on AggMo with one momentum, the state matrices of
//! the literal update for the transfer the certificate needs, brute-force quadratic worst cases,
//! and a literal run of the update on a non-quadratic function of the class.

use momentum::certify::{self, lifted::Multiplier, pencil};
use momentum::linear::Pencil;
use momentum::setting::{Setting, ZooExtra, certify::certify_zoo};
use momentum::zoo::{ZooMethod, ZooParams};
use momentum::{Error, Framework, Method, Spectrum};
use nalgebra::{Complex, DMatrix};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn zoo(f: Framework, p: ZooParams) -> ZooMethod {
    ZooMethod::new(f, &p).unwrap()
}

fn aggmo(lr: f64, momenta: Vec<f64>) -> ZooMethod {
    zoo(
        Framework::Aggmo,
        ZooParams {
            lr,
            momenta: Some(momenta),
            ..Default::default()
        },
    )
}

fn ademamix(lr: f64, b1: f64, b3: f64, alpha: f64) -> ZooMethod {
    zoo(
        Framework::Ademamix,
        ZooParams {
            lr,
            momentum: Some(b1),
            b3: Some(b3),
            alpha: Some(alpha),
            ..Default::default()
        },
    )
}

#[test]
fn two_step_methods_as_pencils_equal_the_two_step_certificate() {
    let mut rng = ChaCha8Rng::seed_from_u64(2612);
    let (mut certified, mut not) = (0, 0);
    for _ in 0..60 {
        let (alpha, beta, gamma) = (
            rng.random_range(0.05..2.0),
            rng.random_range(0.0..0.95),
            rng.random_range(0.0..1.0),
        );
        let mu = rng.random_range(0.02..0.5);
        let m = Method::general(alpha, beta, gamma).unwrap();
        let p = Pencil::new(vec![1.0, -(1.0 + beta), beta], vec![1.0 + gamma, -gamma]).unwrap();
        let two = certify::certified_rate(&m, mu, 1.0).unwrap();
        let n = pencil::certified_rate(&p, alpha, mu, 1.0).unwrap();
        assert!(
            (two.quadratic_rate - n.quadratic_rate).abs() < 1e-9,
            "{alpha} {beta} {gamma} {mu}"
        );
        match (two.rate, n.rate) {
            (Some(a), Some(b)) => {
                assert!((a - b).abs() < 1e-9, "{alpha} {beta} {gamma} {mu}: {a} {b}");
                certified += 1;
            }
            (None, None) => not += 1,
            other => panic!("{alpha} {beta} {gamma} {mu}: {other:?}"),
        }
    }
    assert!(certified >= 15 && not >= 5, "{certified} {not}");
}

#[test]
fn aggmo_with_one_momentum_is_heavy_ball() {
    // v ← βv − g, x ← x + lr·v  ⇔  x⁺ = x + β(x − x⁻) − lr·g
    for (lr, beta, mu) in [
        (0.5, 0.3, 0.2),
        (1.2, 0.6, 0.1),
        (0.9, 0.0, 0.3),
        (2.5, 0.5, 0.1),
    ] {
        let z = pencil::certify_zoo(&aggmo(lr, vec![beta]), mu, 1.0).unwrap();
        let hb = certify::certified_rate(&Method::heavy_ball(lr, beta).unwrap(), mu, 1.0).unwrap();
        assert!((z.quadratic_rate - hb.quadratic_rate).abs() < 1e-9);
        match (z.rate, hb.rate) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{lr} {beta}: {a} {b}"),
            (None, None) => {}
            other => panic!("{lr} {beta}: {other:?}"),
        }
    }
}

/// lr·e₀ᵀ(zI − A)⁻¹d from the state matrices: A = T(0), lr·λ·d·e₀ᵀ = T(λ) − T(0) (one gradient,
/// read at the state's x).
fn state_transfer(m: &ZooMethod, z: Complex<f64>) -> Complex<f64> {
    let a = m.transition(None, 0.0);
    let t1 = m.transition(None, 1.0);
    let n = a.nrows();
    let diff = &t1 - &a;
    // the gradient enters through column 0 only (it is read at x = state[0])
    for j in 1..n {
        for i in 0..n {
            assert!(diff[(i, j)].abs() < 1e-15);
        }
    }
    let t2 = m.transition(None, 2.0);
    assert!(
        ((&t2 - &a) - &diff * 2.0).norm() < 1e-12,
        "affine in lambda"
    );
    let d = diff.column(0) / m.lr();
    let zi = DMatrix::<Complex<f64>>::identity(n, n) * z - a.map(|v| Complex::new(v, 0.0));
    let inv = zi.try_inverse().unwrap();
    let dz = d.map(|v| Complex::new(v, 0.0));
    (inv * dz)[0] * m.lr()
}

fn eval(p: &[f64], z: Complex<f64>) -> Complex<f64> {
    p.iter().fold(Complex::new(0.0, 0.0), |acc, &c| acc * z + c)
}

#[test]
fn the_pencils_b_is_the_transfer_from_the_gradient_to_x() {
    let methods = [
        ademamix(0.7, 0.9, 0.99, 5.0),
        ademamix(0.3, 0.5, 0.9, 2.0),
        aggmo(0.4, vec![0.0, 0.9, 0.99]),
        aggmo(1.1, vec![0.3, 0.7]),
    ];
    for m in &methods {
        let momentum::zoo::Core::Pencil(p) = m.core() else {
            panic!()
        };
        for z in [
            Complex::new(0.3, 0.8),
            Complex::new(-1.2, 0.1),
            Complex::new(2.0, -0.5),
        ] {
            let g = -m.lr() * eval(p.b(), z) / eval(p.a(), z);
            let s = state_transfer(m, z);
            assert!((g - s).norm() < 1e-10 * (1.0 + s.norm()), "{g} {s}");
        }
    }
}

/// Quadratic worst case by brute force: the largest |eigenvalue| of the literal state matrix over
/// 801 curvatures.
fn brute_quadratic(m: &ZooMethod, mu: f64, l: f64) -> f64 {
    (0..=800)
        .map(|i| {
            let lam = mu + (l - mu) * i as f64 / 800.0;
            m.transition(None, lam)
                .complex_eigenvalues()
                .iter()
                .map(|z| z.norm())
                .fold(0.0, f64::max)
        })
        .fold(0.0, f64::max)
}

#[test]
fn zoo_certificates_verify_exactly_and_stay_above_the_quadratic_rate() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut certified = 0;
    for i in 0..24 {
        let m = if i % 2 == 0 {
            ademamix(
                rng.random_range(0.05..1.5),
                rng.random_range(0.0..0.95),
                rng.random_range(0.5..0.99),
                rng.random_range(0.0..3.0),
            )
        } else {
            let k = rng.random_range(2..5);
            aggmo(
                rng.random_range(0.1..2.0),
                (0..k).map(|_| rng.random_range(0.0..0.95)).collect(),
            )
        };
        let mu = rng.random_range(0.05..0.5);
        let c = pencil::certify_zoo(&m, mu, 1.0).unwrap();
        let q = brute_quadratic(&m, mu, 1.0);
        assert!(
            c.quadratic_rate >= q - 1e-6,
            "{m:?}: {} {q}",
            c.quadratic_rate
        );
        let momentum::zoo::Core::Pencil(p) = m.core() else {
            panic!()
        };
        if let (Some(rate), Some(cert)) = (c.rate, &c.certificate) {
            certified += 1;
            assert!(rate >= c.quadratic_rate && rate < 1.0);
            assert!(pencil::verify(p, m.lr(), mu, 1.0, cert).unwrap());
            // at ρ a hundredth lower (the rate is the infimum over t) and below ρ_quad: refuted
            for rho in [cert.rho - 0.01, 0.99 * c.quadratic_rate] {
                for t in [0.0, 0.5, 1.0, c.multiplier.unwrap()] {
                    let lower = Multiplier {
                        rho,
                        sector: 1.0 - t,
                        causal: vec![t],
                        ..cert.clone()
                    };
                    let ok = pencil::verify(p, m.lr(), mu, 1.0, &lower).unwrap();
                    assert!(!ok, "{m:?} {rho} {t}");
                }
            }
        }
    }
    assert!(certified >= 10, "{certified}");
}

/// The literal AdEMAMix / AggMo update (no bias correction) on the non-quadratic f(x) =
/// μx²/2 + (L−μ)·softplus-like Huber term, in F(μ, L): |x_k| ρ^{−k} stays bounded.
#[test]
fn literal_runs_on_a_non_quadratic_function_decay_at_the_certified_rate() {
    let (mu, l) = (0.2, 1.0);
    // g(x) = μx + (L − μ)·x/√(1 + x²)·… : f = μx²/2 + (L−μ)(√(1+x²) − 1), f'' ∈ [μ, L]
    let grad = |x: f64| mu * x + (l - mu) * x / (1.0 + x * x).sqrt();
    for m in [
        ademamix(0.8, 0.6, 0.9, 1.0),
        aggmo(0.9, vec![0.0, 0.5, 0.8]),
    ] {
        let c = pencil::certify_zoo(&m, mu, l).unwrap();
        let rho = c.rate.expect("certified");
        let mut state: Vec<f64> = vec![0.0; m.transition(None, 0.0).nrows()];
        state[0] = 30.0;
        let a = m.transition(None, 0.0);
        let d = (m.transition(None, 1.0) - &a).column(0) / m.lr();
        let mut worst: f64 = 0.0;
        for k in 0..400 {
            worst = worst.max(state[0].abs() / rho.powi(k));
            let g = grad(state[0]);
            let s = nalgebra::DVector::from_vec(state.clone());
            state = (&a * &s + &d * (m.lr() * g)).iter().copied().collect();
        }
        assert!(worst < 1e4 * 30.0, "{worst}");
        assert!(state[0].abs() < 30.0 * rho.powi(400) * 1e4);
    }
}

#[test]
fn certify_refuses_what_it_cannot_certify_with_the_reason() {
    let sp = Spectrum::interval(0.1, 1.0).unwrap();
    for (f, extra, what) in [
        (
            Framework::Sam,
            ZooExtra {
                rho: Some(0.05),
                ..Default::default()
            },
            "two gradients",
        ),
        (Framework::ScheduleFree, ZooExtra::default(), "unit root"),
        (Framework::Lookahead, ZooExtra::default(), "periodic"),
    ] {
        let s = Setting {
            framework: f,
            lr: Some(0.5),
            extra,
            ..Setting::default()
        };
        match certify_zoo(&s, &sp) {
            Err(Error::Usage(m)) => assert!(m.contains(what), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    let s = Setting {
        framework: Framework::Aggmo,
        lr: Some(0.5),
        ..Setting::default()
    };
    assert!(matches!(
        certify_zoo(&s, &Spectrum::eigenvalues(vec![1.0]).unwrap()),
        Err(Error::Usage(_))
    ));
    let p = Pencil::new(vec![1.0, -1.0], vec![1.0]).unwrap();
    assert!(pencil::certified_rate(&p, -1.0, 0.1, 1.0).is_err());
    assert!(pencil::certified_rate(&p, 1.0, 2.0, 1.0).is_err());
    assert!(pencil::certified_rate(&p, 1.0, f64::NAN, 1.0).is_err());
}

#[test]
fn gradient_descent_as_a_pencil_has_its_known_rate() {
    // max(|1 − αμ|, |1 − αL|) (Lessard et al. 2016): the quadratic rate is attained
    let p = Pencil::new(vec![1.0, -1.0], vec![1.0]).unwrap();
    for (alpha, mu) in [(0.5, 0.1), (1.5, 0.2), (1.0 / 1.1, 0.1)] {
        let c = pencil::certified_rate(&p, alpha, mu, 1.0).unwrap();
        let want = f64::max((1.0 - alpha * mu).abs(), (1.0 - alpha).abs());
        assert!(
            (c.rate.unwrap() - want).abs() < 1e-9,
            "{alpha}: {:?}",
            c.rate
        );
    }
}
