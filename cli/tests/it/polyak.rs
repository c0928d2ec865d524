//! Polyak's optimal momentum against simulation (docs/REFERENCE.md §4), through the sweep behind
//! the `polyak_sweep` figure: for κ ∈ {10, 100, 1000}, heavy ball at (α*, β*) on a spectrum
//! spanning [μ, L] decays at (√κ−1)/(√κ+1), and sweeping β around β* — with α held at α*, and
//! with α re-optimised for each β — the simulated rate is smallest at β*.

use momentum::Spectrum;
use momentum::tune as tuning;
use momentum_cli::plot::sweep::{SweepStep, heavy_ball_sweep};

/// The run length for a rate: ρ^N ≈ e^{−300}, so the tail is long and nothing underflows.
fn steps_for(rate: f64) -> usize {
    ((300.0 / -rate.ln()) as usize).clamp(400, 40_000)
}

#[test]
fn polyak_momentum_is_the_simulated_optimum() {
    for kappa in [10.0, 100.0, 1000.0] {
        let (mu, l) = (1.0 / kappa, 1.0);
        let t = Spectrum::interval(mu, l)
            .and_then(|iv| tuning::heavy_ball(&iv))
            .unwrap();
        let s = kappa.sqrt();
        let sigma = (s - 1.0) / (s + 1.0);
        let b_star = t.method.momentum();
        assert!((b_star - sigma * sigma).abs() < 1e-15);
        let n = steps_for(sigma);
        // at β*: the simulated decay is (√κ−1)/(√κ+1), within the Jordan-block bias of the
        // estimator (ln(3/2)/Δ with Δ = n/4: both ends are double roots)
        let at =
            heavy_ball_sweep(mu, l, SweepStep::Held(t.method.step()), &[b_star], 64, n).unwrap();
        let tol = 1.5f64.ln() / (n / 4) as f64 + 1e-3;
        assert!(
            (at[0].simulated_rate / sigma - 1.0).abs() < tol,
            "kappa {kappa}: simulated {} vs {sigma} (tol {tol})",
            at[0].simulated_rate
        );
        // sweeps: β* ± k·0.03 (k = 1..5), each simulated
        let offsets: Vec<f64> = (-5..=5).map(|k| k as f64 * 0.03).collect();
        let betas: Vec<f64> = offsets
            .iter()
            .map(|d| b_star + d)
            .filter(|b| (0.0..0.999).contains(b))
            .collect();
        for step in [SweepStep::Held(t.method.step()), SweepStep::Reoptimised] {
            let pts = heavy_ball_sweep(mu, l, step, &betas, 64, n).unwrap();
            let best = pts
                .iter()
                .min_by(|a, b| a.simulated_rate.total_cmp(&b.simulated_rate))
                .unwrap();
            assert!(
                (best.momentum - b_star).abs() < 1e-12,
                "kappa {kappa} {step:?}: simulated optimum at beta {} (rate {}), not {b_star}",
                best.momentum,
                best.simulated_rate
            );
            // theory and simulation agree point by point (stable points only)
            for p in pts.iter().filter(|p| p.theory_rate < 1.0) {
                assert!(
                    (p.simulated_rate / p.theory_rate - 1.0).abs() < 0.02,
                    "kappa {kappa} beta {}: {} vs {}",
                    p.momentum,
                    p.simulated_rate,
                    p.theory_rate
                );
            }
        }
    }
}
