//! What every subcommand shares: the error type and exit codes, the `--json` schema, the
//! progress bar and the checks of output paths. A leaf under the subcommands: `commands`
//! (mod.rs) dispatches to them, so they take these from here, not from their parent.

use std::path::Path;

/// The `schema` field of every `--json` document (the library's, shared by every front end).
pub use momentum::setting::{SCHEMA, method_on};

/// What went wrong, and so which exit code.
#[derive(Debug)]
pub enum CliError {
    /// The command line itself is wrong (exit 2).
    Usage(String),
    /// The values are rejected by the mathematics or a framework (exit 1).
    Value(momentum::Error),
    /// Writing output failed (exit 1).
    Io(String),
    /// `analyze --check` on an unstable setting (exit 3): the answer, not a failure.
    Unstable(String),
}

impl From<momentum::Error> for CliError {
    fn from(e: momentum::Error) -> Self {
        match e {
            momentum::Error::Usage(m) => CliError::Usage(m),
            e => CliError::Value(e),
        }
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        CliError::Io(e.to_string())
    }
}

pub type CliResult<T> = Result<T, CliError>;

/// Parse and run one subcommand's arguments (without the program name): the dispatcher, handed
/// to `report` so that it prints exactly what those subcommands print.
pub type Execute = fn(&[String]) -> CliResult<()>;

/// A progress bar on stderr for `len` units of work — only when stderr is a terminal, the
/// output is not JSON and --quiet was not given (so pipes, CI logs and JSON stay clean).
pub fn progress_bar(len: u64, what: &str, quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    let style = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:40}] {percent:>3}% {elapsed_precise} (eta {eta})",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what.to_string());
    Some(bar)
}

/// A figure path with a .png or .svg extension, checked before any work is done.
pub fn check_extension(path: &Path) -> CliResult<()> {
    crate::plot::format_of(path)
        .map(|_| ())
        .map_err(CliError::Value)
}

/// Create (truncate) an output file now, so a bad path fails before any work is done.
pub fn check_writable(path: &Path) -> CliResult<()> {
    std::fs::File::create(path)
        .map(|_| ())
        .map_err(|e| CliError::Io(format!("cannot write {}: {e}", path.display())))
}
