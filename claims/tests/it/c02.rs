//! C02: Polyak's β*, by the full transition matrix, a neighbourhood search and a simulation.

use crate::{hb_lines, value, worst_literal};
use momentum_claims::{self as claims, Verdict};
use nalgebra::DMatrix;

#[test]
fn c02_polyak_by_full_matrix_and_neighbourhood_search() {
    let c = claims::c02_polyak_momentum().unwrap();
    assert_eq!(c.verdict, Verdict::Holds);
    let mut previous = 0.0;
    for kappa in [4.0f64, 100.0, 1e4] {
        let (mu, l) = (1.0 / kappa, 1.0);
        let s = kappa.sqrt();
        let beta_star = ((s - 1.0) / (s + 1.0)).powi(2);
        let alpha_star = 4.0 / (1.0 + 1.0 / s).powi(2);
        let rho_star = (s - 1.0) / (s + 1.0);
        assert!(beta_star > previous, "β* grows with κ");
        previous = beta_star;
        // the full 2n × 2n transition of heavy ball on 12 curvatures in [μ, L], built from the
        // update x⁺ = x + β(x − x₋) − αHx; its spectral radius is ρ* (defective: accurate to ~1e-7)
        let n = 12;
        let lams: Vec<f64> = (0..n)
            .map(|i| mu + (l - mu) * i as f64 / (n - 1) as f64)
            .collect();
        let full = |a: f64, b: f64| -> f64 {
            let mut t = DMatrix::zeros(2 * n, 2 * n);
            for i in 0..n {
                t[(i, i)] = 1.0 + b - a * lams[i];
                t[(i, n + i)] = -b;
                t[(n + i, i)] = 1.0;
            }
            t.complex_eigenvalues()
                .iter()
                .map(|z| z.norm())
                .fold(0.0, f64::max)
        };
        let r = full(alpha_star, beta_star);
        assert!(
            (r - rho_star).abs() < 2e-7,
            "κ = {kappa}: {r} vs {rho_star}"
        );
        // no nearby (α, β) does better (literal 2 × 2 matrices at the two ends)
        let ends = [mu, l];
        for da in [-1e-3, 0.0, 1e-3] {
            for db in [-1e-3, 0.0, 1e-3] {
                let w = worst_literal(alpha_star * (1.0 + da), beta_star + db, false, &ends);
                assert!(w >= rho_star - 1e-7, "κ = {kappa}: ({da}, {db}) gives {w}");
            }
        }
        // the check's minimax and simulation agree with the eigenvalue radius
        assert!((value(&c, &format!("κ = {kappa}: minimax β")) - beta_star).abs() < 1e-6);
        assert!((value(&c, &format!("κ = {kappa}: minimax rate")) - r).abs() < 1e-6);
        let steps = if kappa < 10.0 {
            400.0
        } else if kappa < 1e3 {
            4000.0
        } else {
            40000.0
        };
        let emp = value(
            &c,
            &format!("κ = {kappa}: simulated rate ({steps} steps, 50 curvatures)"),
        );
        assert!(
            (emp - r).abs() / r < 8.0 / steps,
            "κ = {kappa}: simulated {emp} vs {r}"
        );
    }
    // own simulation of the slowest mode at κ = 100: a Jordan block, |e_N| ≈ C·N·ρ^N
    let (a, b) = (400.0 / 121.0, 81.0 / 121.0);
    let xs = hb_lines(a, b, |x| 0.01 * x, 1.0, 2000);
    let ratio = xs[2000].abs() / (2000.0 * (9.0f64 / 11.0).powi(2000));
    assert!(ratio > 1e-3 && ratio < 1e3, "{ratio}");
}
