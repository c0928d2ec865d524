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

/// The two families tuned one-sidedly (--lr or --momentum held) or in a framework's own
/// arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Polyak's heavy ball (a framework's plain momentum).
    HeavyBall,
    /// Nesterov (a framework's `nesterov=True`).
    Nesterov,
}

impl TuneMethod {
    /// The variants this --method asks for (only Nesterov with --nesterov); `None` for gradient
    /// descent and triple momentum, which have neither.
    pub fn variants(self, nesterov: bool) -> Option<Vec<Variant>> {
        match self {
            TuneMethod::All if nesterov => Some(vec![Variant::Nesterov]),
            TuneMethod::All => Some(vec![Variant::HeavyBall, Variant::Nesterov]),
            TuneMethod::Hb => Some(vec![Variant::HeavyBall]),
            TuneMethod::Nag | TuneMethod::NagQuadratic => Some(vec![Variant::Nesterov]),
            TuneMethod::Gd | TuneMethod::Tmm => None,
        }
    }
}
