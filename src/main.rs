//! The `momentum` command-line tool; see `momentum --help`.

mod cli;

fn main() {
    std::process::exit(cli::run(std::env::args_os()));
}
