//! # momentum-web — the momentum library in the browser
//!
//! The library (without rayon or file I/O) compiled to WebAssembly, and the interactive explorer
//! in `web/www/` that calls it: the worst-case (step, momentum) map over [μ, L], the exact
//! stability edges and critical-damping curves, the certified rate on every L-smooth μ-strongly
//! convex function ([`momentum::certify`]) over the map and at the point, a draggable point with
//! its roots, and a simulated run under its exact finite-horizon envelope; QHM (lr, β, ν) has its
//! own plane ([`qhm`]), and the optimizers beyond two steps (AdEMAMix, Lookahead, schedule-free
//! SGD, AggMo, SAM) theirs ([`api::zoo_map`]) next to `analyze --convention X`'s document.
//!
//! Every export takes the page's state as JSON text ([`api::Query`]: numbers as typed, so a bad
//! entry is named) and returns JSON text, or a one-line message that the page shows. The exports
//! are plain functions ([`abi`]: UTF-8 in linear memory, a reply with a status) read by the
//! hand-written loader `web/www/momentum.js`, which throws the message as an `Error`: no generated
//! bindings, nothing to install beyond `rustup target add wasm32-unknown-unknown`.
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

pub mod abi;
pub mod api;
pub mod qhm;
