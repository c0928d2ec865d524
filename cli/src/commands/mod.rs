//! Command-line front end: parses arguments, calls the library, prints tables or JSON.
//!
//! Errors become one line on stderr: exit 2 for usage problems (unknown flags, missing or
//! conflicting options, values that are not finite numbers), exit 1 for values the mathematics
//! rejects (μ > L, a non-positive step, a combination a framework forbids).

mod analyze;
mod args;
mod bound;
mod certificate;
mod certify;
mod common;
mod convert;
mod delay;
mod extremes;
mod figures;
mod format;
mod map;
mod minibatch;
mod noisy;
mod report;
mod schedule;
mod serve;
mod simulate;
mod tune;
mod tune_method;
mod tune_schedule;

use clap::{Parser, Subcommand};

use common::{CliError, CliResult};
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
    /// The main job: regenerate every figure and print a summary (tunings, stability edges,
    /// claims); with --kappa/--mu --L/--spectrum and a setting, the same sections for your case.
    #[command(allow_negative_numbers = true)]
    Report(report::ReportArgs),
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
    /// Optimal step and momentum from the condition number, checked by numeric search.
    #[command(allow_negative_numbers = true)]
    Tune(tune::TuneArgs),
    /// Exact worst-case error factor after N steps over a spectrum (finite horizon).
    #[command(allow_negative_numbers = true)]
    Bound(bound::BoundArgs),
    /// Run a method on a quadratic: error curve, empirical against predicted rate.
    #[command(allow_negative_numbers = true)]
    Simulate(simulate::SimulateArgs),
    /// Serve the explorer page (web/dist) on 127.0.0.1 at the given port.
    Serve(serve::ServeArgs),
    /// A rate certified on every L-smooth mu-strongly convex function (IQC), next to the quadratic one.
    #[command(allow_negative_numbers = true)]
    Certify(certify::CertifyArgs),
}

/// Rewrite negative numbers that clap would take for flags ("-1e-5", "-.5", "-1.5e+3") into the
/// plain decimal it accepts ("-0.00001", "-0.5", "-1500"). Rust prints the shortest decimal that
/// reads back to the same f64, so the value is unchanged.
fn normalise_negative_numbers(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    args.into_iter()
        .map(|a| {
            let Some(s) = a.to_str() else { return a };
            let b = s.as_bytes();
            let numeric = b.len() > 1 && b[0] == b'-' && (b[1].is_ascii_digit() || b[1] == b'.');
            match s.parse::<f64>() {
                Ok(v) if numeric && v.is_finite() => OsString::from(format!("{v}")),
                _ => a,
            }
        })
        .collect()
}

/// Parse and run one subcommand from within another (`report` about the user's setting runs
/// `analyze`, `tune`, `bound` and `map` this way, so it prints exactly what they print).
pub(crate) fn execute(argv: &[String]) -> CliResult<()> {
    let all = std::iter::once("momentum".to_string()).chain(argv.iter().cloned());
    let cli = Cli::try_parse_from(normalise_negative_numbers(all.map(OsString::from)))
        .map_err(|e| CliError::Usage(e.render().to_string().lines().next().unwrap_or("").into()))?;
    dispatch(cli.command)
}

fn dispatch(command: Command) -> CliResult<()> {
    match command {
        Command::Report(r) => report::run(&r, execute),
        Command::Analyze(a) => analyze::run(&a),
        Command::Convert(c) => convert::run(&c),
        Command::Map(m) => map::run(&m),
        Command::Figures(f) => figures::run(&f),
        Command::Tune(t) => tune::run(&t),
        Command::Bound(b) => bound::run(&b),
        Command::Simulate(s) => simulate::run(&s),
        Command::Serve(s) => serve::run(&s),
        Command::Certify(c) => certify::run(&c),
    }
}

/// Parse and run; returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(normalise_negative_numbers(args)) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                print!("{e}");
                return 0;
            }
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                eprintln!(
                    "error: a subcommand is required: report, analyze, convert, tune, bound, simulate, map, figures, certify or serve (see --help)"
                );
                return 2;
            }
            // clap's first paragraph, folded onto one line (a missing-argument error lists the
            // arguments on indented lines below its first)
            // clap's suggestion ("tip: a similar argument exists: '--lambda'") sits in a later
            // paragraph: keep it on the same line
            let text = e.render().to_string();
            let mut line: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            line.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| l.starts_with("tip:")),
            );
            eprintln!("{} (see --help)", line.join(" "));
            return 2;
        }
    };
    let result = dispatch(cli.command);
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
        Err(CliError::Unstable(m)) => {
            eprintln!("unstable: {m}");
            3
        }
    }
}
