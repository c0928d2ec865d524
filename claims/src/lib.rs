//! The seed documents' quantitative claims, each computed and given a verdict (CLAIMS.md).
//!
//! The four seed documents (`seeds/000_…` applications, `001_…` principles, `002_…` study notes,
//! `003_…` blog post) make checkable statements about momentum. Each function `cNN_…` computes
//! the numbers behind one statement in a stated setting and returns a [`Check`]: the claim, its
//! seed file, the setting, the claimed value(s), the computed value(s) and a [`Verdict`] —
//! [`Verdict::Holds`], [`Verdict::HoldsWhen`] (with the condition) or [`Verdict::Wrong`] (with the
//! correction); statements that are not quantitative get [`Verdict::OutOfScope`] with what would
//! test them. [`all`] runs every check (well under a second in release).
//!
//! Conventions. "Heavy ball with (η, β)" is the canonical x_{k+1} = x_k + β(x_k − x_{k−1}) −
//! η∇f(x_k), which is the seeds' v ← βv − η∇f, x ← x + v (and v ← βv + η∇f, x ← x − v) started
//! from rest, x_{−1} = x_0 (v_0 = 0). Nesterov is the same with the gradient at the look-ahead
//! point x_k + β(x_k − x_{k−1}). On a quadratic each curvature λ is a scalar recurrence
//! e_{k+1} = c₁e_k − c₀e_{k−1} ([`momentum::Recurrence`]); h = ηλ is the normalised step.
//!
//! Every number here is computed by one route (closed forms, the crate's Jury intervals, direct
//! iteration, a numeric minimax); the integration tests in `tests/it/` recompute it by another
//! (matrix eigenvalues with nalgebra, literal transcriptions of the seeds' update lines,
//! brute-force grids), and each example in `examples/claimNN_*.rs` prints computed beside claimed
//! values.
//!
//! Layout, one claim per file in the manner of PEPit's one-theorem-per-file examples:
//!
//! - `src/check.rs`: [`Check`], [`Verdict`], [`Quantity`], the seed-file constants
//!   ([`SEED_APPLICATIONS`], [`SEED_PRINCIPLES`], [`SEED_NOTES`], [`SEED_BLOG`]) and the verdict
//!   helpers;
//! - `src/common.rs`: the helpers several claims share ([`iterate_scalar`], [`rate_at`],
//!   [`max_stable_step`], [`minimax`], [`format_value`], …);
//! - `src/cNN_….rs`: one claim — its function and the helpers only it uses (C07a and C07b share
//!   `src/c07_learning_rate_with_momentum.rs`; C16a … C16r are `src/c16_narratives.rs`). Each
//!   file opens with the same headings: **Claim** (the seed's statement), **Source** (the seed
//!   file), **Setting**, **Check** (what is computed, and which test in `tests/it/cNN.rs`
//!   recomputes it by which route) and **Verdict** (how the code decides it).
//!
//! Every public item is re-exported here, at the crate root (`momentum_claims::c14_ravine_paths`,
//! `momentum_claims::ravine`, …); the modules themselves are private.

#![warn(missing_docs)]

mod check;
mod common;

mod c01_heavy_ball_region;
mod c02_polyak_momentum;
mod c03_nesterov_half_step;
mod c04_two_step_progress;
mod c05_physics_discretisation;
mod c06_velocity_average;
mod c07_learning_rate_with_momentum;
mod c08_speedup;
mod c09_damping_classes;
mod c10_conservative_momentum;
mod c11_rosenbrock;
mod c12_typical_momenta;
mod c13_reversed_lookahead;
mod c14_ravine_paths;
mod c15_quadratic_caveat;
mod c16_narratives;
mod c17_effective_mass;
mod c18_extreme_eigenvalues;
mod c19_nesterov_edge;
mod c20_step_sensitivity;
mod c21_overshoot_parameter;
mod c22_ewma_form;
mod c23_noisy_gradients;
mod c24_ravine_oscillation;
mod c25_plateaus;
mod c26_minibatch_noise;
mod zoo;

pub use check::{
    Check, Quantity, SEED_APPLICATIONS, SEED_BLOG, SEED_NOTES, SEED_PRINCIPLES, Tally, Verdict,
    quantity,
};
pub use common::{
    best_step, bisect_root, format_value, heavy_ball_best_rate_at_momentum, iterate_plane,
    iterate_scalar, iterations_per_decade_from_gap, max_stable_step, minimax,
    oscillator_semi_implicit, overshoot_from_rest, rate_at, sig, sign_changes,
    stale_gradient_recurrence, worst_rate,
};

pub use c01_heavy_ball_region::c01_heavy_ball_region;
pub use c02_polyak_momentum::c02_polyak_momentum;
pub use c03_nesterov_half_step::c03_nesterov_half_step;
pub use c04_two_step_progress::{c04_two_step_progress, two_step_progress_ratio};
pub use c05_physics_discretisation::{
    c05_physics_discretisation, oscillator_centred_backward, oscillator_explicit,
};
pub use c06_velocity_average::{c06_velocity_average, constant_gradient_multiplier};
pub use c07_learning_rate_with_momentum::{
    c07a_higher_learning_rates, c07b_reduce_learning_rate, tuned_ewma_step_ratio,
};
pub use c08_speedup::{c08_speedup, kappa_for_speedup, tuned_gap, tuned_speedup};
pub use c09_damping_classes::c09_damping_classes;
pub use c10_conservative_momentum::{
    c10_conservative_momentum, conservative_momentum, overshoot_threshold_by_simulation,
};
pub use c11_rosenbrock::{
    GridBest, ROSENBROCK_START, c11_rosenbrock, rosenbrock, rosenbrock_gradient,
    rosenbrock_grid_search, rosenbrock_iterations, rosenbrock_momentum_grid, rosenbrock_step_grid,
};
pub use c12_typical_momenta::{
    c12_typical_momenta, kappa_where_polyak_momentum_is, momentum_crossover_kappa,
};
pub use c13_reversed_lookahead::{
    c13_reversed_lookahead, reversed_lookahead, seed003_nesterov_literal,
};
pub use c14_ravine_paths::{RAVINE_STEPS, Ravine, RavinePath, c14_ravine_paths, ravine};
pub use c15_quadratic_caveat::{c15_quadratic_caveat, detect_cycle, lessard_gradient};
pub use c16_narratives::{
    DoubleWell, c16_narratives, double_well_basins, double_well_gradient,
    heavy_ball_stationary_variance, proximal_heavy_ball, support_changes,
};
pub use c17_effective_mass::{Held, c17_effective_mass, effective_mass};
pub use c18_extreme_eigenvalues::{c18_extreme_eigenvalues, finite_horizon_worst};
pub use c19_nesterov_edge::c19_nesterov_edge;
pub use c20_step_sensitivity::{c20_step_sensitivity, step_window};
pub use c21_overshoot_parameter::c21_overshoot_parameter;
pub use c22_ewma_form::{c22_ewma_form, framework_step_per_lr};
pub use c23_noisy_gradients::c23_noisy_gradients;
pub use c24_ravine_oscillation::c24_ravine_oscillation;
pub use c25_plateaus::{c25_plateaus, plateau_distance, plateau_steps};
pub use c26_minibatch_noise::{c26_covariance, c26_edge, c26_minibatch_noise};
pub use zoo::{
    PAPER_ADEMAMIX, PAPER_AGGMO, PAPER_LOOKAHEAD, PAPER_SAM, PAPER_SCHEDULE_FREE,
    z01_schedule_free_lr, z02_ademamix_warmup, z03_lookahead_stability, z04_aggmo_damping,
    z05_sam_edge, zoo_all, zoo_edge,
};

use momentum::error::Result;

/// Every check, in order (C01 … C25, with C07a/b and C16a … C16r). Well under a second in release.
pub fn all() -> Result<Vec<Check>> {
    let mut v = vec![
        c01_heavy_ball_region()?,
        c02_polyak_momentum()?,
        c03_nesterov_half_step()?,
        c04_two_step_progress()?,
        c05_physics_discretisation()?,
        c06_velocity_average()?,
        c07a_higher_learning_rates()?,
        c07b_reduce_learning_rate()?,
        c08_speedup()?,
        c09_damping_classes()?,
        c10_conservative_momentum()?,
        c11_rosenbrock()?,
        c12_typical_momenta()?,
        c13_reversed_lookahead()?,
        c14_ravine_paths()?,
        c15_quadratic_caveat()?,
    ];
    v.extend(c16_narratives()?);
    v.extend([
        c17_effective_mass()?,
        c18_extreme_eigenvalues()?,
        c19_nesterov_edge()?,
        c20_step_sensitivity()?,
        c21_overshoot_parameter()?,
        c22_ewma_form()?,
        c23_noisy_gradients()?,
        c24_ravine_oscillation()?,
        c25_plateaus()?,
        c26_minibatch_noise()?,
    ]);
    Ok(v)
}
