//! `--method` of `momentum tune`, shared with its delayed variant (delay.rs), which `tune` calls:
//! a leaf both import.

use clap::ValueEnum;

/// Which tunings to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TuneMethod {
    /// every method below
    All,
    /// gradient descent
    #[value(
        alias = "gradient_descent",
        alias = "gradient-descent",
        alias = "gradient descent"
    )]
    Gd,
    /// heavy ball (Polyak)
    #[value(
        alias = "heavy_ball",
        alias = "heavy-ball",
        alias = "heavy ball",
        alias = "polyak"
    )]
    Hb,
    /// Nesterov, standard tuning (and its best step/momentum with --lr/--momentum)
    #[value(alias = "nesterov", alias = "Nesterov")]
    Nag,
    /// Nesterov, tuned for quadratics (Lessard et al.)
    #[value(alias = "nesterov_quadratic", alias = "nesterov-quadratic")]
    NagQuadratic,
    /// triple momentum
    #[value(
        alias = "triple_momentum",
        alias = "triple-momentum",
        alias = "triple momentum"
    )]
    Tmm,
}
