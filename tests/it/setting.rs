//! The shared layer against literal runs and independent roots (an adversarial review's findings,
//! each failing on the code before its fix). Under decoupled weight decay (Keras, AdamW) the
//! flat/saddle split must use the curvature the framework sees, not the raw λ: a raw λ ≤ 0 that
//! the decay makes convergent is the slowest direction, not a flat or saddle one. Oracle: a literal AdamW iteration
//! (torch order: x ← x(1 − lr·w), m = β₁m + (1 − β₁)g(x_old), x −= lr·m; frozen P = 1).
use momentum::setting::{Setting, analyze};
use momentum::{Framework, Precision, Spectrum};

fn adamw_rate(lr: f64, b1: f64, w: f64, lam: f64) -> f64 {
    let (mut x, mut m) = (1.0f64, 0.0f64);
    let mut xs = vec![];
    for _ in 0..20_000 {
        let g = lam * x;
        m = b1 * m + (1.0 - b1) * g;
        x = x * (1.0 - lr * w) - lr * m;
        xs.push(x);
    }
    let n = xs.len();
    (xs[n - 1].abs() / xs[n - 1001].abs()).powf(1.0 / 1000.0)
}

fn setting() -> Setting {
    Setting {
        framework: Framework::AdamW,
        lr: Some(0.1),
        momentum: Some(0.9),
        weight_decay: Some(0.001),
        ..Default::default()
    }
}

#[test]
fn adamw_zero_curvature_is_not_flat_under_decoupled_decay() {
    // λ = 0: x shrinks by 1 − lr·w = 0.9999 per step, slower than λ = 1's 0.9486
    let truth = adamw_rate(0.1, 0.9, 0.001, 0.0);
    assert!((truth - 0.9999).abs() < 1e-9);
    let a = analyze(
        &setting(),
        Spectrum::eigenvalues(vec![0.0, 1.0]).unwrap(),
        None,
        Precision::Float64,
    )
    .unwrap();
    assert!(
        (a.spectral_radius - truth).abs() < 1e-6,
        "analyze says rho = {} (flat directions {}), a literal AdamW run converges at {truth}",
        a.spectral_radius,
        a.flat_directions
    );
}

#[test]
fn adamw_slightly_negative_curvature_is_not_a_saddle_under_decoupled_decay() {
    let truth = adamw_rate(0.1, 0.9, 0.001, -0.0005);
    assert!(truth < 1.0);
    let a = analyze(
        &setting(),
        Spectrum::eigenvalues(vec![-0.0005, 1.0]).unwrap(),
        None,
        Precision::Float64,
    )
    .unwrap();
    assert!(
        a.saddle_directions.is_empty() && (a.spectral_radius - truth).abs() < 1e-6,
        "analyze: rho = {}, saddles {:?}; a literal AdamW run converges at {truth} < 1 there",
        a.spectral_radius,
        a.saddle_directions
    );
}

/// With a delay the verdict is the delayed one; the noise floor of the delayed recurrence is not
/// modelled, so noise and a delay together are refused rather than answered with the undelayed
/// floor (a setting the delay makes divergent, ρ = 1.067, was given a finite floor).
#[test]
fn noise_with_a_delay_is_refused_not_answered_with_the_undelayed_floor() {
    use momentum::setting::{Input, MethodName, Options, analyze_with};
    let s = Setting {
        method: Some(MethodName::HeavyBall),
        lr: Some(0.1),
        momentum: Some(0.9),
        ..Default::default()
    };
    let input = || {
        Input::Spectrum(
            Spectrum::eigenvalues(vec![1.0]).unwrap(),
            Precision::Float64,
        )
    };
    let opts = Options {
        noise: Some(1.0),
        delay: Some(3),
        ..Default::default()
    };
    let err = analyze_with(&s, input(), &opts).unwrap_err();
    assert!(matches!(err, momentum::Error::Usage(_)), "{err}");
    // the delayed verdict alone is still an answer, with the saddle-free curvature diverging
    let a = analyze_with(
        &s,
        input(),
        &Options {
            noise: None,
            ..opts
        },
    )
    .unwrap();
    assert!(
        !a.stable && a.spectral_radius > 1.06,
        "{}",
        a.spectral_radius
    );
}

/// Review finding: delayed roots at small αλ and large τ. Nesterov α = 1e-3, β = γ = 0.9,
/// λ = 1, τ = 64: the document says ρ = 1.20688 and stable = true at once. Oracles: mpmath
/// polyroots of z^66 − 1.9z^65 + 0.9z^64 + αλ(1.9z − 0.9) (60 digits) gives 0.992605294992888,
/// and a literal run of the delayed recurrence decays at 0.99261 per step.
#[test]
fn delayed_rate_at_small_step_and_long_delay_matches_the_roots() {
    use momentum::setting::{Input, MethodName, Options, analyze_with};
    let s = Setting {
        method: Some(MethodName::Nesterov),
        lr: Some(1e-3),
        momentum: Some(0.9),
        ..Default::default()
    };
    let input = Input::Spectrum(
        Spectrum::eigenvalues(vec![1.0]).unwrap(),
        Precision::Float64,
    );
    let opts = Options {
        delay: Some(64),
        ..Default::default()
    };
    let a = analyze_with(&s, input, &opts).unwrap();
    let truth = 0.992_605_294_992_888_5;
    assert!(
        (a.spectral_radius - truth).abs() < 1e-9,
        "delayed rho = {} (stable = {}), the roots say {truth}",
        a.spectral_radius,
        a.stable
    );
}
