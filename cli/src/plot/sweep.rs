//! The data behind the `polyak_sweep` and `rates_vs_kappa` figures: heavy ball swept over
//! momenta, the rate its spectral radius predicts beside the rate a simulation measures (moved
//! here from the library, which has no other use for it; tested in cli/tests/it/polyak.rs).

use momentum::error::{Error, Result};
use momentum::simulate::{Options, Quadratic, Start, run};

/// One point of a momentum sweep: theory and simulation side by side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepPoint {
    /// β.
    pub momentum: f64,
    /// α used at this β.
    pub step: f64,
    /// Worst-case spectral radius over the simulated eigenvalues.
    pub theory_rate: f64,
    /// [`Trajectory::empirical_rate`](momentum::simulate::Trajectory::empirical_rate) of the run.
    pub simulated_rate: f64,
}

/// How the step follows the momentum in a sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SweepStep {
    /// Held at this α.
    Held(f64),
    /// Re-optimised at each β: α = 2(1+β)/(μ+L) ([`momentum::tune::heavy_ball_step_for_momentum`]).
    Reoptimised,
}

/// Heavy ball swept over momenta on `dim` eigenvalues spanning [μ, L] (ends included), from a
/// seeded Gaussian start: the rate predicted by the spectral radius beside the rate read off a
/// simulation of `steps` iterations (fewer if the error reaches [`UNDERFLOW_FLOOR`](momentum::simulate::UNDERFLOW_FLOOR)).
pub fn heavy_ball_sweep(
    mu: f64,
    l: f64,
    step: SweepStep,
    momenta: &[f64],
    dim: usize,
    steps: usize,
) -> Result<Vec<SweepPoint>> {
    let q = Quadratic::interval(mu, l, dim)?;
    let spectrum = q.spectrum()?;
    let opts = Options {
        start: Start::Gaussian,
        seed: 1,
        record_excess: false,
        ..Options::steps(steps)
    };
    momenta
        .iter()
        .map(|&b| {
            let a = match step {
                SweepStep::Held(a) => a,
                SweepStep::Reoptimised => {
                    momentum::tune::heavy_ball_step_for_momentum(b, &spectrum)?
                        .method
                        .step()
                }
            };
            let rec = momentum::Method::heavy_ball(a, b)?.recurrence();
            let theory_rate = spectrum.worst_case(&rec)?.spectral_radius();
            let tr = run(&rec, &q, &opts)?;
            let simulated_rate = tr.empirical_rate().ok_or(Error::OutOfRange {
                name: "steps",
                value: tr.steps_taken() as f64,
                expected: "at least 8 steps before the error underflows",
            })?;
            Ok(SweepPoint {
                momentum: b,
                step: a,
                theory_rate,
                simulated_rate,
            })
        })
        .collect()
}
