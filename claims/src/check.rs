//! The shape of every result: a [`Check`] (claim, seed, setting, claimed and computed
//! [`Quantity`]s, [`Verdict`]), the seed-file constants, and the small verdict helpers the claim
//! files share.

use crate::common::format_value;
use serde::Serialize;
use std::fmt;

/// Seed file of the "Applications and interdisciplinary connections" chapter.
pub const SEED_APPLICATIONS: &str = "000_7fac47b36c6dd606.txt";

/// Seed file of the "Principles and mechanisms" chapter (physics mapping, stability region, β*).
pub const SEED_PRINCIPLES: &str = "001_bebc352796fd93d7.txt";

/// Seed file of the study notes ("typical values", "10x–100x", "2x–5x").
pub const SEED_NOTES: &str = "002_545e1695acb3b3aa.txt";

/// Seed file of the blog post "Why Momentum Works: The Physics of Optimization".
pub const SEED_BLOG: &str = "003_afe2b7722f671b23.txt";

/// A named number: a claimed or a computed value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantity {
    /// What the number is, with its symbol and setting (e.g. "η_max at β = 0.9").
    pub name: String,
    /// The value.
    pub value: f64,
}

/// Shorthand constructor for a [`Quantity`].
pub fn quantity(name: impl Into<String>, value: f64) -> Quantity {
    Quantity {
        name: name.into(),
        value,
    }
}

/// The outcome of a check.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "verdict", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// The claim holds as stated (in the stated setting).
    Holds,
    /// The claim holds under this condition (and fails outside it).
    HoldsWhen(String),
    /// The claim is wrong; the correction.
    Wrong(String),
    /// Not a quantitative claim about quadratics: what would test it, and what the toolkit can
    /// already say.
    OutOfScope(String),
}

impl Verdict {
    /// Short tag: "holds", "holds when", "wrong", "out of scope".
    pub fn tag(&self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::HoldsWhen(_) => "holds when",
            Verdict::Wrong(_) => "wrong",
            Verdict::OutOfScope(_) => "out of scope",
        }
    }
    /// The condition, correction or note ("" for [`Verdict::Holds`]).
    pub fn detail(&self) -> &str {
        match self {
            Verdict::Holds => "",
            Verdict::HoldsWhen(s) | Verdict::Wrong(s) | Verdict::OutOfScope(s) => s,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Holds => f.write_str("holds"),
            v => write!(f, "{}: {}", v.tag(), v.detail()),
        }
    }
}

/// One claim of a seed document, the numbers computed for it, and the verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    /// Identifier, "C01" … (C16a … for the non-quantitative narratives).
    pub id: &'static str,
    /// Name of the example that prints it (`cargo run --release --example <name>`).
    pub example: &'static str,
    /// The claim, close to the seed's wording.
    pub statement: String,
    /// Seed file(s) the claim is taken from.
    pub seed: String,
    /// The setting in which it was computed.
    pub setting: String,
    /// The values the seed states (empty when it states none).
    pub claimed: Vec<Quantity>,
    /// The values computed here.
    pub computed: Vec<Quantity>,
    /// The verdict, with its condition or correction.
    pub verdict: Verdict,
}

impl Check {
    /// The computed value with this exact name, if any.
    pub fn value(&self, name: &str) -> Option<f64> {
        self.computed
            .iter()
            .find(|q| q.name == name)
            .map(|q| q.value)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} [{}] {}", self.id, self.seed, self.statement)?;
        writeln!(f, "  setting:  {}", self.setting)?;
        for q in &self.claimed {
            writeln!(f, "  claimed:  {} = {}", q.name, format_value(q.value))?;
        }
        for q in &self.computed {
            writeln!(f, "  computed: {} = {}", q.name, format_value(q.value))?;
        }
        writeln!(f, "  verdict:  {}", self.verdict)?;
        write!(
            f,
            "  example:  cargo run --release --example {}",
            self.example
        )
    }
}

// ------------------------------------------------------------------------------------------------
// verdict helpers
// ------------------------------------------------------------------------------------------------

pub(crate) fn verdict_if(ok: bool, good: Verdict, bad: impl FnOnce() -> Verdict) -> Verdict {
    if ok { good } else { bad() }
}

pub(crate) fn out_of_scope(id: &'static str, statement: &str, seed: &str, what: &str) -> Check {
    Check {
        id,
        example: "claim16_narratives",
        statement: statement.into(),
        seed: seed.into(),
        setting: "not a statement about quadratics".into(),
        claimed: vec![],
        computed: vec![],
        verdict: Verdict::OutOfScope(what.into()),
    }
}

/// How many checks got each verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// [`Verdict::Holds`].
    pub holds: usize,
    /// [`Verdict::HoldsWhen`].
    pub holds_when: usize,
    /// [`Verdict::Wrong`].
    pub wrong: usize,
    /// [`Verdict::OutOfScope`].
    pub out_of_scope: usize,
}

impl Tally {
    /// Count the verdicts of `checks`.
    pub fn of(checks: &[Check]) -> Self {
        let mut t = Tally::default();
        for c in checks {
            match c.verdict {
                Verdict::Holds => t.holds += 1,
                Verdict::HoldsWhen(_) => t.holds_when += 1,
                Verdict::Wrong(_) => t.wrong += 1,
                Verdict::OutOfScope(_) => t.out_of_scope += 1,
            }
        }
        t
    }

    /// All checks counted.
    pub fn total(&self) -> usize {
        self.holds + self.holds_when + self.wrong + self.out_of_scope
    }
}

impl fmt::Display for Tally {
    /// `43 checks: 6 hold, 24 hold only under a condition, 6 wrong, 7 out of scope`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} checks: {} hold, {} hold only under a condition, {} wrong, {} out of scope",
            self.total(),
            self.holds,
            self.holds_when,
            self.wrong,
            self.out_of_scope
        )
    }
}
