//! The `momentum` command line and the figure set, on top of the `momentum` library.
//!
//! [`run`] is the whole program (arguments in, exit code out); [`plot`] draws the figures with
//! plotters and an embedded DejaVu Sans, so that PNGs look the same on every machine.

#![warn(missing_docs)]

mod commands;
pub mod plot;

pub use commands::run;
