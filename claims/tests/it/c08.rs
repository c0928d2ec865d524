//! C08: the speedup κs, by eigenvalues of the full transition and iteration counts.

use crate::{assert_tag, hb_lines, value};
use approx::assert_relative_eq;
use momentum::Method;
use momentum::Spectrum;
use momentum::tune as tuning;
use momentum_claims as claims;
use nalgebra::DMatrix;

#[test]
fn c08_speedup_kappas_by_full_matrix_eigenvalues() {
    let c = claims::c08_speedup().unwrap();
    assert_tag(&c, "holds when");
    // rates of the tuned methods from the 4 × 4 transition on H = diag(μ, L)
    let rate = |m: &Method, mu: f64, l: f64| -> f64 {
        let rec = m.recurrence();
        let t = rec.full_transition(&DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![
            mu, l,
        ])));
        t.complex_eigenvalues()
            .iter()
            .map(|z| z.norm())
            .fold(0.0, f64::max)
    };
    let speedup = |kappa: f64, nesterov: bool| -> f64 {
        let (mu, l) = (1.0 / kappa, 1.0);
        let gd = rate(
            &Spectrum::interval(mu, l)
                .and_then(|iv| tuning::gradient_descent(&iv))
                .unwrap()
                .method,
            mu,
            l,
        );
        let m = if nesterov {
            Spectrum::interval(mu, l)
                .and_then(|iv| tuning::nesterov(&iv))
                .unwrap()
                .method
        } else {
            Spectrum::interval(mu, l)
                .and_then(|iv| tuning::heavy_ball(&iv))
                .unwrap()
                .method
        };
        rate(&m, mu, l).ln() / gd.ln()
    };
    let solve = |target: f64, nesterov: bool| -> f64 {
        let (mut lo, mut hi) = (2f64.ln(), 1e6f64.ln());
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if speedup(mid.exp(), nesterov) < target {
                lo = mid
            } else {
                hi = mid
            }
        }
        (0.5 * (lo + hi)).exp()
    };
    assert_relative_eq!(
        value(&c, "κ where HB is 10× faster"),
        solve(10.0, false),
        max_relative = 1e-4
    );
    assert_relative_eq!(
        value(&c, "κ where HB is 100× faster"),
        solve(100.0, false),
        max_relative = 1e-4
    );
    assert_relative_eq!(
        value(&c, "κ where NAG (standard) is 10× faster"),
        solve(10.0, true),
        max_relative = 1e-4
    );
    assert_relative_eq!(
        value(&c, "κ where NAG (standard) is 100× faster"),
        solve(100.0, true),
        max_relative = 1e-4
    );
    // and in iterations: at κ = 100 tuned heavy ball reaches 1e-8 about 10× sooner than tuned GD
    let iterations = |a: f64, b: f64| -> usize {
        let xs = hb_lines(a, b, |x| 0.01 * x, 1.0, 20000);
        let ys = hb_lines(a, b, |x| x, 1.0, 20000);
        (0..20000)
            .find(|&k| xs[k].abs().max(ys[k].abs()) < 1e-8)
            .unwrap()
    };
    let n_gd = iterations(2.0 / 1.01, 0.0);
    let n_hb = iterations(400.0 / 121.0, 81.0 / 121.0);
    let r = n_gd as f64 / n_hb as f64;
    assert!(r > 6.0 && r < 14.0, "GD {n_gd}, HB {n_hb}");
}
