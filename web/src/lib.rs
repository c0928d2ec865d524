//! # momentum-web — the momentum library in the browser
//!
//! The library (without rayon or file I/O) compiled to WebAssembly with `wasm-bindgen`, and the
//! interactive explorer in `web/www/` that calls it: the worst-case (step, momentum) map over
//! [μ, L], the exact stability edges and critical-damping curves, the certified rate on every
//! L-smooth μ-strongly convex function ([`momentum::certify`]) over the map and at the point, a
//! draggable point with its roots, and a simulated run under its exact finite-horizon envelope;
//! QHM (lr, β, ν) has its own plane ([`qhm`]).
//!
//! Every export takes the page's state as JSON text ([`api::Query`]: numbers as typed, so a bad
//! entry is named) and returns JSON text, or throws a one-line message that the page shows.
//! The logic is in [`api`], which also runs natively: `examples/reference.rs` prints the native
//! answers that `web/tests/wasm_equals_native.mjs` compares with the wasm build.
//!
//! Build: `scripts/build_web.sh` (→ `web/dist/`); serve: `momentum serve --port 8000 --dir web/dist`.
//!
//! ```
//! let q = r#"{"family":"hb","convention":"canonical","lr":"0.02","momentum":"0.5",
//!            "spectrum":"interval","mu":"1","L":"100","steps":"50"}"#;
//! let a: serde_json::Value = serde_json::from_str(&momentum_web::api::analyze(q)?).unwrap();
//! assert_eq!(a["stable"], true);
//! assert!(momentum_web::api::analyze(&q.replace("\"1\"", "\"1000\"")).unwrap_err().contains("mu"));
//! # Ok::<(), String>(())
//! ```

#![warn(missing_docs)]

pub mod api;
pub mod qhm;

use wasm_bindgen::prelude::wasm_bindgen;

/// [`api::analyze`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::analyze`].
#[wasm_bindgen]
pub fn analyze(q: &str) -> Result<String, String> {
    api::analyze(q)
}

/// [`api::analyze_setting`] for JavaScript: `file` is a spectrum file's bytes (empty when the
/// spectrum is not a file).
///
/// # Errors
///
/// Throws the message of [`api::analyze_setting`].
#[wasm_bindgen]
pub fn analyze_setting(q: &str, file: &[u8]) -> Result<String, String> {
    api::analyze_setting(q, file)
}

/// [`api::analyze_schedule`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::analyze_schedule`].
#[wasm_bindgen]
pub fn analyze_schedule(q: &str) -> Result<String, String> {
    api::analyze_schedule(q)
}

/// [`api::minibatch_edge`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::minibatch_edge`].
#[wasm_bindgen]
pub fn minibatch_edge(
    q: &str,
    batch: f64,
    dim: f64,
    beta_min: f64,
    beta_max: f64,
    rows: usize,
) -> Result<String, String> {
    api::minibatch_edge(q, batch, dim, beta_min, beta_max, rows)
}

/// [`api::certify_setting`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::certify_setting`].
#[wasm_bindgen]
pub fn certify_setting(q: &str) -> Result<String, String> {
    api::certify_setting(q)
}

/// [`api::map`] for JavaScript (a `Float64Array`, one row per momentum).
///
/// # Errors
///
/// Throws the message of [`api::map`].
#[wasm_bindgen]
pub fn map(
    q: &str,
    step_max: f64,
    beta_min: f64,
    beta_max: f64,
    n_step: usize,
    n_momentum: usize,
) -> Result<Vec<f64>, String> {
    api::map(q, step_max, beta_min, beta_max, n_step, n_momentum)
}

/// [`api::overlays`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::overlays`].
#[wasm_bindgen]
pub fn overlays(
    q: &str,
    step_max: f64,
    beta_min: f64,
    beta_max: f64,
    samples: usize,
) -> Result<String, String> {
    api::overlays(q, step_max, beta_min, beta_max, samples)
}

/// [`api::tunings`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::tunings`].
#[wasm_bindgen]
pub fn tunings(q: &str) -> Result<String, String> {
    api::tunings(q)
}

/// [`api::express`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::express`].
#[wasm_bindgen]
pub fn express(q: &str, step: f64, momentum: f64) -> Result<String, String> {
    api::express(q, step, momentum)
}

/// [`api::trajectory`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::trajectory`].
#[wasm_bindgen]
pub fn trajectory(q: &str) -> Result<String, String> {
    api::trajectory(q)
}

/// [`api::certify`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::certify`].
#[wasm_bindgen]
pub fn certify(q: &str) -> Result<String, String> {
    api::certify(q)
}

/// [`api::certified_map`] for JavaScript.
///
/// # Errors
///
/// Throws the message of [`api::certified_map`].
#[wasm_bindgen]
pub fn certified_map(
    q: &str,
    step_max: f64,
    beta_min: f64,
    beta_max: f64,
    n: usize,
) -> Result<String, String> {
    api::certified_map(q, step_max, beta_min, beta_max, n)
}
