//! Command-line front end: parses arguments, calls the library, prints tables or JSON.
//!
//! Errors become one line on stderr: exit 2 for usage problems (unknown flags, missing or
//! conflicting options, values that are not finite numbers), exit 1 for values the mathematics
//! rejects (μ > L, a non-positive step, a combination a framework forbids).

mod analyze;
mod args;
mod convert;
mod figures;
mod format;
mod map;

use clap::{Parser, Subcommand};
use std::ffi::OsString;

/// Stability theory of momentum optimizers on quadratics: heavy ball, Nesterov and every
/// two-step method like them.
#[derive(Parser, Debug)]
#[command(name = "momentum", version, about, allow_negative_numbers = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Roots, spectral radius, regime and stability of a method on given curvatures.
    #[command(allow_negative_numbers = true)]
    Analyze(analyze::AnalyzeArgs),
    /// A framework's hyperparameters in canonical (step, momentum, lookahead) form.
    #[command(allow_negative_numbers = true)]
    Convert(convert::ConvertArgs),
    /// Worst-case spectral radius over a (step, momentum) grid: summary, CSV, figure.
    #[command(allow_negative_numbers = true)]
    Map(map::MapArgs),
    /// Regenerate the figure set (figures/).
    Figures(figures::FiguresArgs),
}

/// What went wrong, and so which exit code.
#[derive(Debug)]
pub enum CliError {
    /// The command line itself is wrong (exit 2).
    Usage(String),
    /// The values are rejected by the mathematics or a framework (exit 1).
    Value(momentum::Error),
    /// Writing output failed (exit 1).
    Io(String),
}

impl From<momentum::Error> for CliError {
    fn from(e: momentum::Error) -> Self {
        CliError::Value(e)
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        CliError::Io(e.to_string())
    }
}

pub type CliResult<T> = Result<T, CliError>;

/// Parse and run; returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                print!("{e}");
                return 0;
            }
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                eprint!("{e}");
                return 2;
            }
            // clap's first paragraph, folded onto one line (a missing-argument error lists the
            // arguments on indented lines below its first)
            let text = e.render().to_string();
            let line: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            eprintln!("{} (see --help)", line.join(" "));
            return 2;
        }
    };
    let result = match cli.command {
        Command::Analyze(a) => analyze::run(&a),
        Command::Convert(c) => convert::run(&c),
        Command::Map(m) => map::run(&m),
        Command::Figures(f) => figures::run(&f),
    };
    match result {
        Ok(()) => 0,
        Err(CliError::Usage(m)) => {
            eprintln!("error: {m}");
            2
        }
        Err(CliError::Value(e)) => {
            eprintln!("error: {e}");
            1
        }
        Err(CliError::Io(m)) => {
            eprintln!("error: {m}");
            1
        }
    }
}
