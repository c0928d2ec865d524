//! The `momentum` command-line tool; see `momentum --help`.

fn main() {
    // Like every Unix filter: when the reader of stdout goes away (`momentum report | head`),
    // end quietly on SIGPIPE instead of panicking in println!.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(momentum_cli::run(std::env::args_os()));
}
