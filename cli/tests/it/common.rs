//! Shared by the command-line test files: run the binary, and the contract every bad invocation
//! must keep.

use serde_json::Value;
use std::process::{Command, Output};

/// Run the `momentum` binary with `args`.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_momentum"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A bad invocation: exit `code`, exactly one line on stderr containing `fragment`, nothing on
/// stdout, never a panic or a backtrace.
pub fn assert_bad(args: &[&str], code: i32, fragment: &str) {
    let out = run(args);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(code), "{args:?}: stderr {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: not one line: {err}"
    );
    assert!(
        err.contains(fragment),
        "{args:?}: {err:?} lacks {fragment:?}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{args:?}: {err}"
    );
    assert!(out.stdout.is_empty(), "{args:?}: wrote to stdout");
}

/// Run a command that must succeed and print one JSON document; the document.
pub fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{args:?}: not one JSON document ({e}): {text}"))
}

/// A JSON number, or a panic naming what it was instead.
pub fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}
