//! The exact finite-horizon worst case and the transient bound, against brute force, repeated
//! matrix products and simulation.

use momentum::Spectrum;
use momentum::bounds::{self, finite_horizon, transient_norm};
use momentum::simulate::{self, Options, Quadratic, Start};
use momentum::tune as tuning;
use momentum::{Method, Recurrence};
use nalgebra::Matrix2;
use proptest::prelude::*;

/// max |P_N| on `n + 1` uniform points by the plain recurrence P_{k+1} = c₁P_k − c₀P_{k−1}.
fn brute(rec: &Recurrence, mu: f64, l: f64, steps: u64, n: usize) -> (f64, f64) {
    let mut best = (0.0, mu);
    for i in 0..=n {
        let lam = mu + (l - mu) * i as f64 / n as f64;
        let (c1, c0) = rec.coefficients(lam);
        let (mut p, mut prev) = (1.0f64, 1.0f64);
        for _ in 0..steps {
            (p, prev) = (c1 * p - c0 * prev, p);
        }
        if p.abs() > best.0 {
            best = (p.abs(), lam);
        }
    }
    best
}

fn cases() -> Vec<(&'static str, Method, f64, f64)> {
    let (mu, l) = (0.01, 1.0);
    let mut v = vec![];
    for t in Spectrum::interval(mu, l)
        .and_then(|iv| tuning::all(&iv))
        .unwrap()
    {
        v.push((t.kind.as_str(), t.method, mu, l));
    }
    v.push(("hb 0.9", Method::heavy_ball(1.0, 0.9).unwrap(), 0.05, 2.0));
    v.push(("nag 0.95", Method::nesterov(0.5, 0.95).unwrap(), 1e-3, 1.0));
    v
}

#[test]
fn worst_factor_matches_a_1e5_point_brute_force() {
    for (name, m, mu, l) in cases() {
        let rec = m.recurrence();
        for steps in [1u64, 2, 7, 40, 150] {
            let exact = finite_horizon(&rec, &Spectrum::interval(mu, l).unwrap(), steps).unwrap();
            let (b, at) = brute(&rec, mu, l, steps, 100_000);
            // never below a sampled value, and the brute force comes within its resolution
            assert!(
                exact.worst_factor >= b * (1.0 - 1e-12),
                "{name} N {steps}: {} < brute {b} at {at}",
                exact.worst_factor
            );
            assert!(
                exact.worst_factor <= b * (1.0 + 1e-6),
                "{name} N {steps}: {} vs brute {b}",
                exact.worst_factor
            );
            // and the reported λ attains it
            let p = bounds::from_rest(&rec, exact.worst_lambda, steps)
                .unwrap()
                .abs();
            assert!((p - exact.worst_factor).abs() <= 1e-12 * p);
        }
    }
}

#[test]
fn one_step_from_rest_is_one_minus_step_times_curvature() {
    // P₁ = c₁ − c₀ = 1 − αλ for every (α, β, γ): max over [μ, L] is max(|1 − αμ|, |1 − αL|)
    for (a, b, g) in [(0.5, 0.9, 0.0), (1.7, 0.3, 0.3), (0.1, -0.4, 0.8)] {
        let rec = Method::general(a, b, g).unwrap().recurrence();
        let w = finite_horizon(&rec, &Spectrum::interval(0.2, 1.5).unwrap(), 1).unwrap();
        let want = (1.0f64 - a * 0.2).abs().max((1.0f64 - a * 1.5).abs());
        assert!((w.worst_factor - want).abs() < 1e-14, "{a} {b} {g}");
    }
}

#[test]
fn interior_peaks_are_found_where_endpoints_miss_them() {
    // heavy ball (α = 3, β = 0.7) on [0.01, 1] after 100 steps: the worst curvature is interior
    // (near L, where the modes are underdamped), 1.6 times the worse endpoint
    let rec = Method::heavy_ball(3.0, 0.7).unwrap().recurrence();
    let (mu, l) = (0.01, 1.0);
    let w = finite_horizon(&rec, &Spectrum::interval(mu, l).unwrap(), 100).unwrap();
    let ends = bounds::from_rest(&rec, mu, 100)
        .unwrap()
        .abs()
        .max(bounds::from_rest(&rec, l, 100).unwrap().abs());
    assert!(
        w.worst_lambda > mu && w.worst_lambda < l,
        "{}",
        w.worst_lambda
    );
    assert!(w.worst_factor > 1.5 * ends, "{} vs {ends}", w.worst_factor);
    // Polyak's tuning sits above the Chebyshev lower bound, which no method beats
    let t = Spectrum::interval(0.01, 1.0)
        .and_then(|iv| tuning::heavy_ball(&iv))
        .unwrap();
    for n in [1, 5, 30, 200] {
        let w = finite_horizon(
            &t.method.recurrence(),
            &Spectrum::interval(0.01, 1.0).unwrap(),
            n,
        )
        .unwrap();
        assert!(w.worst_factor >= tuning::chebyshev_lower_bound(100.0, n).unwrap());
    }
}

#[test]
fn long_horizons_resolve_every_oscillation() {
    // N = 3000: ~1000 peaks in λ; a uniform 1e5 grid still resolves them to ~1e-3
    let rec = Method::heavy_ball(1.0, 0.95).unwrap().recurrence();
    let w = finite_horizon(&rec, &Spectrum::interval(0.001, 1.0).unwrap(), 3000).unwrap();
    let (b, _) = brute(&rec, 0.001, 1.0, 3000, 100_000);
    assert!(w.worst_factor >= b * (1.0 - 1e-12) && w.worst_factor <= b * 1.01);
}

#[test]
fn transient_norm_is_the_largest_singular_value_of_the_repeated_product() {
    for (m, lam) in [
        (Method::heavy_ball(0.5, 0.9).unwrap(), 1.3),
        (Method::heavy_ball(1.0, 0.25).unwrap(), 1.0),
        (Method::nesterov(0.3, 0.99).unwrap(), 0.01),
        (Method::gradient_descent(1.9).unwrap(), 1.0),
    ] {
        let mode = m.recurrence().mode(lam).unwrap();
        let t = mode.transition();
        let mut p = Matrix2::identity();
        for k in 0..200u64 {
            let svd: f64 = p.svd(false, false).singular_values.max();
            let got = transient_norm(&mode, k).unwrap();
            assert!(
                (got - svd).abs() <= 1e-10 * svd.max(1e-300),
                "{m:?} k {k}: {got} vs {svd}"
            );
            p = t * p;
        }
    }
}

#[test]
fn bad_horizons_are_errors() {
    let rec = Method::heavy_ball(0.5, 0.5).unwrap().recurrence();
    assert!(
        Spectrum::interval(0.1, 1.0)
            .and_then(|iv| finite_horizon(&rec, &iv, 0))
            .is_err()
    );
    assert!(
        Spectrum::interval(0.1, 1.0)
            .and_then(|iv| finite_horizon(&rec, &iv, bounds::MAX_STEPS + 1))
            .is_err()
    );
    assert!(
        Spectrum::interval(2.0, 1.0)
            .and_then(|iv| finite_horizon(&rec, &iv, 5))
            .is_err()
    );
    assert!(
        Spectrum::interval(f64::NAN, 1.0)
            .and_then(|iv| finite_horizon(&rec, &iv, 5))
            .is_err()
    );
    // an unstable method whose P_N leaves f64 is an error, not inf
    let bad = Method::heavy_ball(5.0, 0.5).unwrap().recurrence();
    assert!(
        Spectrum::interval(0.1, 1.0)
            .and_then(|iv| finite_horizon(&bad, &iv, 1_000_000))
            .is_err()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Simulated errors never exceed the exact worst case, nor √2‖T^k‖₂ per curvature.
    #[test]
    fn simulated_errors_never_exceed_either_bound(
        family in 0usize..3, a in 0.05f64..1.9, b in 0.0f64..0.97, mu in 0.005f64..0.5,
        seed in 0u64..1000, steps in 5usize..120,
    ) {
        let m = match family {
            0 => Method::gradient_descent(a),
            1 => Method::heavy_ball(a, b),
            _ => Method::nesterov(a, b),
        }.unwrap();
        let rec = m.recurrence();
        let q = Quadratic::interval(mu, 1.0, 24).unwrap().rotated(seed).unwrap();
        let opts = Options { start: Start::Gaussian, seed, ..Options::steps(steps) };
        let tr = simulate::run(&rec, &q, &opts).unwrap();
        for k in [1, steps / 3, steps / 2, tr.steps_taken()] {
            if k == 0 || k > tr.steps_taken() { continue; }
            let w = finite_horizon(&rec, &Spectrum::interval(mu, 1.0).unwrap(), k as u64).unwrap();
            prop_assert!(tr.error[k] <= w.worst_factor * (1.0 + 1e-9) + 1e-300,
                "k {k}: {} > {}", tr.error[k], w.worst_factor);
        }
        // per curvature, on the diagonal twin
        for &lam in q.eigenvalues().iter().step_by(5) {
            let one = simulate::run(&rec, &Quadratic::diagonal(vec![lam]).unwrap(), &Options::steps(steps)).unwrap();
            let mode = rec.mode(lam).unwrap();
            for (k, &e) in one.error.iter().enumerate() {
                let bound = 2f64.sqrt() * transient_norm(&mode, k as u64).unwrap();
                prop_assert!(e <= bound * (1.0 + 1e-9) + 1e-300, "lam {lam} k {k}: {e} > {bound}");
            }
        }
    }
}

#[test]
fn peaks_in_the_first_and_last_cells_are_refined() {
    // Nesterov's standard tuning for κ = 100 on [0.0259…, 1] after 100 steps: the peak sits
    // inside the first grid cell, at λ ≈ 0.0268005, and is 7 % above the value at μ.
    // 30-digit reference (mpmath: dense grid, then golden section): 1.401912742064903e-5
    let rec = Method::nesterov(1.0, 0.8181818181818181)
        .unwrap()
        .recurrence();
    let (mu, l) = (0.025911557788944724, 1.0);
    let w = finite_horizon(&rec, &Spectrum::interval(mu, l).unwrap(), 100).unwrap();
    assert!(
        (w.worst_factor / 1.401912742064903e-5 - 1.0).abs() < 1e-12,
        "{}",
        w.worst_factor
    );
    assert!(
        (w.worst_lambda - 0.0268005).abs() < 1e-6,
        "{}",
        w.worst_lambda
    );
    // and the mirror image: an interval whose last cell (width 2.7e-5) holds the same peak; a
    // higher one lies further left, so the check is against the brute force
    let w = finite_horizon(&rec, &Spectrum::interval(0.02, 0.026802).unwrap(), 100).unwrap();
    let (b, _) = brute(&rec, 0.02, 0.026802, 100, 100_000);
    assert!(
        w.worst_factor >= b * (1.0 - 1e-12),
        "{} < {b}",
        w.worst_factor
    );
    // brute force confined to the first cell of the original interval finds nothing higher
    let (b, _) = brute(&rec, mu, mu + (l - mu) / 256.0, 100, 100_000);
    assert!(b <= w.worst_factor.max(1.401912742064903e-5) * (1.0 + 1e-12));
}

#[test]
fn a_narrow_oscillating_window_between_grid_samples_is_not_skipped() {
    // an interval ending 4e-7 inside the complex-root window (0.25, 2.25): the bound stays at or
    // above the brute force (the sampling of such windows is tested in src/bounds.rs)
    let rec = Method::heavy_ball(1.0, 0.25).unwrap().recurrence();
    // heavy ball (1, 0.25): complex for (1 − √β)² < λ < (1 + √β)², i.e. λ ∈ (0.25, 2.25)
    let (mu, l) = (0.0, 0.2500004);
    for steps in [50u64, 400] {
        let w = finite_horizon(&rec, &Spectrum::interval(mu, l).unwrap(), steps).unwrap();
        let (b, _) = brute(&rec, mu, l, steps, 100_000);
        assert!(
            w.worst_factor >= b * (1.0 - 1e-12),
            "{steps}: {} < {b}",
            w.worst_factor
        );
    }
}

/// log₁₀|P_N| by the closed form against the plain recurrence P_{k+1} = c₁P_k − c₀P_{k−1} from
/// P₋₁ = P₀ = 1, iterated in f64 with a running power-of-ten rescale, for unstable modes whose
/// P_N is far beyond f64: real, complex, alternating and a double root.
#[test]
fn log10_of_an_overflowing_p_n_matches_the_rescaled_recurrence() {
    let cases: Vec<(Recurrence, f64)> = vec![
        (Method::heavy_ball(1.0, 0.9).unwrap().recurrence(), 30.0), // ρ = 28.07, alternating
        (Method::heavy_ball(0.1, 1.05).unwrap().recurrence(), 1.0), // complex, ρ = √1.05
        (Method::gradient_descent(3.0).unwrap().recurrence(), 1.0), // −2
        (Recurrence::new(2.2, 0.0, 1.21, 0.0).unwrap(), 1.0),       // double root 1.1
        (Method::nesterov(0.5, 0.99).unwrap().recurrence(), 5.0),
    ];
    for (rec, lam) in cases {
        let (c1, c0) = rec.coefficients(lam);
        for n in [5_000u64, 20_000] {
            let (mut prev, mut cur, mut shift) = (1.0f64, 1.0f64, 0.0f64);
            for _ in 0..n {
                let next = c1 * cur - c0 * prev;
                prev = cur;
                cur = next;
                if cur.abs() > 1e100 {
                    cur /= 1e100;
                    prev /= 1e100;
                    shift += 100.0;
                }
            }
            let brute = cur.abs().log10() + shift;
            let closed = bounds::log10_from_rest(&rec, lam, n).unwrap();
            assert!(
                (closed - brute).abs() < 1e-6 * brute.abs().max(1.0),
                "c1 {c1}, c0 {c0}, N {n}: {closed} vs {brute}"
            );
            assert!(bounds::from_rest(&rec, lam, n).is_err() || brute < 300.0);
        }
    }
}

/// One framework setting: (framework, lr, momentum, nesterov, dampening, weight decay).
type Setting<'a> = (&'a str, f64, f64, bool, f64, f64);

/// The frameworks' own update lines, one coordinate of curvature λ, from x₀ = 1 and zero
/// buffers: returns x_N (the framework's own parameter).
fn literal((fw, lr, b, nesterov, damp, wd): Setting, lam: f64, n: usize) -> f64 {
    let mut x = 1.0f64;
    let mut buf: Option<f64> = None; // PyTorch: None until the first step
    let mut m = 0.0f64; // Keras' momentum, optax's trace
    for _ in 0..n {
        match fw {
            "pytorch" => {
                let g = lam * x + wd * x;
                let nb = match buf {
                    None => g,
                    Some(v) => b * v + (1.0 - damp) * g,
                };
                buf = Some(nb);
                let d = if nesterov { g + b * nb } else { nb };
                x -= lr * d;
            }
            "keras" => {
                let g = lam * x;
                x -= x * wd * lr; // decoupled decay first, gradient at the old x
                m = b * m - lr * g;
                x += if nesterov { b * m - lr * g } else { m };
            }
            "optax" => {
                let g = lam * x + wd * x; // add_decayed_weights(wd) chained before sgd
                m = g + b * m;
                let u = if nesterov { g + b * m } else { m };
                x -= lr * u;
            }
            _ => unreachable!(),
        }
    }
    x
}

/// `bound --convention pytorch --dampening …` and friends start as the framework starts: the
/// exact N-step factor from the framework's first step equals its literal update lines at every
/// curvature, and over an interval it is the maximum of those literal runs (dense scan).
#[test]
fn framework_starts_match_the_literal_update_lines() {
    use momentum::bounds::{finite_horizon_from, framework_first_step};
    use momentum::{Framework, FrameworkParams};
    let cases = [
        ("pytorch", Framework::PyTorch, 0.1, 0.9, false, 0.5, 0.0),
        ("pytorch", Framework::PyTorch, 0.05, 0.8, true, 0.0, 0.01),
        ("pytorch", Framework::PyTorch, 0.05, 0.8, false, 0.3, 0.02),
        ("keras", Framework::Keras, 0.05, 0.9, false, 0.0, 0.1),
        ("keras", Framework::Keras, 0.05, 0.9, true, 0.0, 0.1),
        ("optax", Framework::Optax, 0.05, 0.9, true, 0.0, 0.05),
        ("optax", Framework::Optax, 0.05, 0.7, false, 0.0, 0.0),
    ];
    for (name, fw, lr, b, nesterov, damp, wd) in cases {
        let p = FrameworkParams {
            lr,
            momentum: Some(b),
            nesterov,
            dampening: (damp > 0.0).then_some(damp),
            weight_decay: (wd > 0.0).then_some(wd),
            ..Default::default()
        };
        let rec = fw.recurrence(&p).unwrap();
        let first = framework_first_step(fw, &p).unwrap();
        for n in [1u64, 2, 7, 40] {
            for lam in [0.3, 1.0, 4.0, 11.0] {
                let want = literal((name, lr, b, nesterov, damp, wd), lam, n as usize).abs();
                let s = Spectrum::eigenvalues(vec![lam]).unwrap();
                let got = finite_horizon_from(&rec, first, &s, n)
                    .unwrap()
                    .worst_factor;
                assert!(
                    (got - want).abs() <= 1e-12 * want.max(1e-300),
                    "{name} {p:?} N={n} λ={lam}: {got} vs literal {want}"
                );
            }
            // over [0.3, 11]: never below a dense scan of literal runs, and close to its max
            let scan = (0..=4000)
                .map(|i| 0.3 + (11.0 - 0.3) * i as f64 / 4000.0)
                .map(|lam| literal((name, lr, b, nesterov, damp, wd), lam, n as usize).abs())
                .fold(0.0, f64::max);
            let s = Spectrum::interval(0.3, 11.0).unwrap();
            let got = finite_horizon_from(&rec, first, &s, n)
                .unwrap()
                .worst_factor;
            assert!(
                got >= scan * (1.0 - 1e-12),
                "{name} N={n}: {got} < scan {scan}"
            );
            assert!(
                got <= scan * (1.0 + 1e-3),
                "{name} N={n}: {got} ≫ scan {scan}"
            );
        }
    }
}

/// `finite_horizon_pruned` is `finite_horizon`'s worst factor and curvature, bit for bit, over
/// the tuned methods of the figures, seeded random heavy-ball, Nesterov and general methods,
/// intervals and horizons; and it does skip refinements.
#[test]
fn pruned_horizon_has_the_full_searchs_bits() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut uniform = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut cases: Vec<(Recurrence, f64, f64)> = vec![];
    for kappa in [10.0, 1000.0] {
        let s = Spectrum::interval(1.0 / kappa, 1.0).unwrap();
        for t in tuning::all(&s).unwrap() {
            cases.push((t.method.recurrence(), 1.0 / kappa, 1.0));
        }
    }
    for _ in 0..60 {
        let mu = 10f64.powf(-4.0 * uniform());
        let l = mu * 10f64.powf(0.1 + 3.0 * uniform());
        let beta = 0.99 * uniform();
        let step = (0.1 + 1.8 * uniform()) / l;
        let m = match (uniform() * 3.0) as u32 {
            0 => Method::heavy_ball(step, beta),
            1 => Method::nesterov(step, beta),
            _ => Method::general(step, beta, 2.0 * uniform() - 0.5),
        };
        cases.push((m.unwrap().recurrence(), mu, l));
    }
    let (mut full_evals, mut pruned_evals) = (0, 0);
    for (rec, mu, l) in &cases {
        let s = Spectrum::interval(*mu, *l).unwrap();
        for n in [1, 2, 7, 40, 333, 1000] {
            let (Ok(full), pruned) = (
                finite_horizon(rec, &s, n),
                bounds::finite_horizon_pruned(rec, &s, n),
            ) else {
                continue;
            };
            let pruned = pruned.unwrap();
            assert_eq!(
                full.worst_factor.to_bits(),
                pruned.worst_factor.to_bits(),
                "{rec:?} [{mu}, {l}] N = {n}"
            );
            assert_eq!(
                full.worst_lambda.to_bits(),
                pruned.worst_lambda.to_bits(),
                "{rec:?} [{mu}, {l}] N = {n}"
            );
            assert!(pruned.evaluations <= full.evaluations);
            full_evals += full.evaluations;
            pruned_evals += pruned.evaluations;
        }
    }
    assert!(
        2 * pruned_evals < full_evals,
        "{pruned_evals} of {full_evals} evaluations"
    );
}
