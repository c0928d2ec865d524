//! The WebAssembly interface: plain exported functions, read by the hand-written loader
//! `web/www/momentum.js` (no generated bindings, no build tool beyond cargo).
//!
//! The convention, for every export of [`api`]:
//!
//! - the caller copies each text (UTF-8) or byte argument into linear memory at a block from
//!   [`momentum_alloc`], passes it as `(ptr, len)`, and frees it with [`momentum_free`] after the
//!   call (the export only borrows it); numbers are passed as they are (`f64`, `usize`);
//! - the export returns a [`Reply`] (a pointer): [`reply_status`] says what it holds —
//!   [`OK_TEXT`] (JSON text), [`OK_NUMBERS`] (`f64`s) or [`ERROR`] (the one-line message of the
//!   [`api`] function, unchanged) — and [`reply_ptr`] / [`reply_len`] where it is (`len` counts
//!   bytes for text, `f64`s for numbers); the caller copies it out and frees it with
//!   [`reply_free`].
//!
//! Every export answers bad input with [`ERROR`], never a trap: a text that is not UTF-8 is an
//! error like any other. A panic would be a bug; on wasm32 its message is kept for
//! [`panic_message`] before the module traps, and the loader then starts a fresh instance.
//!
//! The symbols are unmangled only on wasm32 (`analyze`, `map`, … would be global symbols in a
//! native build); natively the functions are ordinary ones, which the tests below call.

use crate::api;

/// [`reply_status`]: the reply is JSON text.
pub const OK_TEXT: u32 = 0;
/// [`reply_status`]: the reply is an error message (one line).
pub const ERROR: u32 = 1;
/// [`reply_status`]: the reply is an array of `f64`.
pub const OK_NUMBERS: u32 = 2;

/// What an export hands back, owned by the module until [`reply_free`].
#[derive(Debug)]
pub struct Reply {
    status: u32,
    text: String,
    numbers: Vec<f64>,
}

impl Reply {
    fn boxed(status: u32, text: String, numbers: Vec<f64>) -> *mut Reply {
        Box::into_raw(Box::new(Reply {
            status,
            text,
            numbers,
        }))
    }

    fn text(r: Result<String, String>) -> *mut Reply {
        match r {
            Ok(t) => Self::boxed(OK_TEXT, t, Vec::new()),
            Err(e) => Self::boxed(ERROR, e, Vec::new()),
        }
    }

    fn numbers(r: Result<Vec<f64>, String>) -> *mut Reply {
        match r {
            Ok(v) => Self::boxed(OK_NUMBERS, String::new(), v),
            Err(e) => Self::boxed(ERROR, e, Vec::new()),
        }
    }
}

fn layout(len: usize) -> Option<std::alloc::Layout> {
    std::alloc::Layout::array::<u8>(len).ok()
}

/// A block of `len` bytes for an argument; null when memory is exhausted (or `len` is too
/// large). `len` 0 gives a dangling non-null pointer that needs no freeing.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn momentum_alloc(len: usize) -> *mut u8 {
    match layout(len) {
        None => std::ptr::null_mut(),
        Some(_) if len == 0 => std::ptr::NonNull::dangling().as_ptr(),
        // SAFETY: the layout has a non-zero size
        Some(l) => unsafe { std::alloc::alloc(l) },
    }
}

/// Free a block from [`momentum_alloc`].
///
/// # Safety
///
/// `ptr` must come from `momentum_alloc(len)` with the same `len`, and not be freed before.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn momentum_free(ptr: *mut u8, len: usize) {
    if let Some(l) = layout(len) {
        if len != 0 && !ptr.is_null() {
            // SAFETY: the caller's contract: allocated with this layout
            unsafe { std::alloc::dealloc(ptr, l) }
        }
    }
}

/// What a reply holds: [`OK_TEXT`], [`OK_NUMBERS`] or [`ERROR`].
///
/// # Safety
///
/// `r` must be a live reply from an export.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn reply_status(r: *const Reply) -> u32 {
    // SAFETY: the caller's contract
    unsafe { (*r).status }
}

/// Where a reply's text (UTF-8) or numbers (`f64`, aligned) start.
///
/// # Safety
///
/// `r` must be a live reply from an export.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn reply_ptr(r: *const Reply) -> *const u8 {
    // SAFETY: the caller's contract
    let r = unsafe { &*r };
    if r.status == OK_NUMBERS {
        r.numbers.as_ptr().cast()
    } else {
        r.text.as_ptr()
    }
}

/// A reply's length: bytes of text, or the count of numbers.
///
/// # Safety
///
/// `r` must be a live reply from an export.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn reply_len(r: *const Reply) -> usize {
    // SAFETY: the caller's contract
    let r = unsafe { &*r };
    if r.status == OK_NUMBERS {
        r.numbers.len()
    } else {
        r.text.len()
    }
}

/// Free a reply (its text or numbers with it).
///
/// # Safety
///
/// `r` must be a reply from an export, not freed before (null is ignored).
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn reply_free(r: *mut Reply) {
    if !r.is_null() {
        // SAFETY: the caller's contract: from Box::into_raw in Reply::boxed
        drop(unsafe { Box::from_raw(r) });
    }
}

/// The bytes at `(ptr, len)`.
///
/// # Safety
///
/// `ptr` must point at `len` readable bytes when `len` > 0 (it is not read when `len` is 0).
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 || ptr.is_null() {
        &[]
    } else {
        // SAFETY: the caller's contract
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

/// The UTF-8 text at `(ptr, len)`, or the error the page shows.
///
/// # Safety
///
/// As [`bytes`].
unsafe fn text<'a>(ptr: *const u8, len: usize) -> Result<&'a str, String> {
    // SAFETY: the caller's contract
    std::str::from_utf8(unsafe { bytes(ptr, len) })
        .map_err(|e| format!("the query is not UTF-8 text: {e}"))
}

#[cfg(target_arch = "wasm32")]
static PANIC: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// On wasm32, keep a panic's message for [`panic_message`] (the module traps right after).
fn hook() {
    #[cfg(target_arch = "wasm32")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            std::panic::set_hook(Box::new(|info| {
                if let Ok(mut m) = PANIC.lock() {
                    *m = info.to_string().replace('\n', " ");
                }
            }));
        });
    }
}

/// The message of the panic that trapped the module (empty if none): the loader reads it from
/// the trapped instance before it starts a fresh one.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn panic_message() -> *mut Reply {
    #[cfg(target_arch = "wasm32")]
    let m = PANIC.lock().map(|m| m.clone()).unwrap_or_default();
    #[cfg(not(target_arch = "wasm32"))]
    let m = String::new();
    Reply::text(Ok(m))
}

/// Panics on purpose: lets `web/tests/wasm_equals_native.mjs` check that the loader survives a
/// trap (the message comes back as an error and the next call works).
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn momentum_test_panic() -> *mut Reply {
    hook();
    panic!("a deliberate panic (the loader's recovery test)")
}

macro_rules! text_export {
    ($(#[$doc:meta])* $name:ident => $f:path) => {
        $(#[$doc])*
        ///
        /// # Safety
        ///
        /// `(q, q_len)` must be a block of `q_len` readable bytes (from [`momentum_alloc`]).
        #[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
        pub unsafe extern "C" fn $name(q: *const u8, q_len: usize) -> *mut Reply {
            hook();
            // SAFETY: the caller's contract
            Reply::text(unsafe { text(q, q_len) }.and_then($f))
        }
    };
}

text_export!(
    /// [`api::analyze`].
    analyze => api::analyze
);
text_export!(
    /// [`api::analyze_schedule`].
    analyze_schedule => api::analyze_schedule
);
text_export!(
    /// [`api::certify_setting`].
    certify_setting => api::certify_setting
);
text_export!(
    /// [`api::zoo_map`].
    zoo_map => api::zoo_map
);
text_export!(
    /// [`api::tunings`].
    tunings => api::tunings
);
text_export!(
    /// [`api::trajectory`].
    trajectory => api::trajectory
);
text_export!(
    /// [`api::certify`].
    certify => api::certify
);

/// [`api::analyze_setting`]: `(file, file_len)` is a spectrum file's bytes (empty when the
/// spectrum is not a file).
///
/// # Safety
///
/// Each `(ptr, len)` must be a block of `len` readable bytes (from [`momentum_alloc`]).
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn analyze_setting(
    q: *const u8,
    q_len: usize,
    file: *const u8,
    file_len: usize,
) -> *mut Reply {
    hook();
    // SAFETY: the caller's contract
    let (q, file) = unsafe { (text(q, q_len), bytes(file, file_len)) };
    Reply::text(q.and_then(|q| api::analyze_setting(q, file)))
}

/// [`api::minibatch_edge`].
///
/// # Safety
///
/// `(q, q_len)` must be a block of `q_len` readable bytes (from [`momentum_alloc`]).
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn minibatch_edge(
    q: *const u8,
    q_len: usize,
    batch: f64,
    dim: f64,
    beta_min: f64,
    beta_max: f64,
    rows: usize,
) -> *mut Reply {
    hook();
    // SAFETY: the caller's contract
    let q = unsafe { text(q, q_len) };
    Reply::text(q.and_then(|q| api::minibatch_edge(q, batch, dim, beta_min, beta_max, rows)))
}

/// [`api::map`]: the radii as numbers, one row per momentum.
///
/// # Safety
///
/// `(q, q_len)` must be a block of `q_len` readable bytes (from [`momentum_alloc`]).
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn map(
    q: *const u8,
    q_len: usize,
    step_max: f64,
    beta_min: f64,
    beta_max: f64,
    n_step: usize,
    n_momentum: usize,
) -> *mut Reply {
    hook();
    // SAFETY: the caller's contract
    let q = unsafe { text(q, q_len) };
    Reply::numbers(q.and_then(|q| api::map(q, step_max, beta_min, beta_max, n_step, n_momentum)))
}

/// [`api::overlays`].
///
/// # Safety
///
/// `(q, q_len)` must be a block of `q_len` readable bytes (from [`momentum_alloc`]).
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn overlays(
    q: *const u8,
    q_len: usize,
    step_max: f64,
    beta_min: f64,
    beta_max: f64,
    samples: usize,
) -> *mut Reply {
    hook();
    // SAFETY: the caller's contract
    let q = unsafe { text(q, q_len) };
    Reply::text(q.and_then(|q| api::overlays(q, step_max, beta_min, beta_max, samples)))
}

/// [`api::express`].
///
/// # Safety
///
/// `(q, q_len)` must be a block of `q_len` readable bytes (from [`momentum_alloc`]).
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn express(
    q: *const u8,
    q_len: usize,
    step: f64,
    momentum: f64,
) -> *mut Reply {
    hook();
    // SAFETY: the caller's contract
    let q = unsafe { text(q, q_len) };
    Reply::text(q.and_then(|q| api::express(q, step, momentum)))
}

/// [`api::certified_map`].
///
/// # Safety
///
/// `(q, q_len)` must be a block of `q_len` readable bytes (from [`momentum_alloc`]).
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub unsafe extern "C" fn certified_map(
    q: *const u8,
    q_len: usize,
    step_max: f64,
    beta_min: f64,
    beta_max: f64,
    n: usize,
) -> *mut Reply {
    hook();
    // SAFETY: the caller's contract
    let q = unsafe { text(q, q_len) };
    Reply::text(q.and_then(|q| api::certified_map(q, step_max, beta_min, beta_max, n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Copy `b` in as the loader does, call, read the reply out, free everything.
    fn call(b: &[u8], f: impl FnOnce(*const u8, usize) -> *mut Reply) -> (u32, String, Vec<f64>) {
        let p = momentum_alloc(b.len());
        assert!(!p.is_null());
        // SAFETY: p has b.len() bytes
        unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), p, b.len()) };
        let r = f(p, b.len());
        // SAFETY: r is a live reply; p was allocated with b.len()
        unsafe {
            momentum_free(p, b.len());
            let (s, ptr, n) = (reply_status(r), reply_ptr(r), reply_len(r));
            let out = if s == OK_NUMBERS {
                (
                    s,
                    String::new(),
                    std::slice::from_raw_parts(ptr.cast::<f64>(), n).to_vec(),
                )
            } else {
                let t = std::str::from_utf8(std::slice::from_raw_parts(ptr, n)).unwrap();
                (s, t.to_string(), Vec::new())
            };
            reply_free(r);
            out
        }
    }

    const Q: &str = r#"{"family":"hb","convention":"canonical","lr":"0.02","momentum":"0.5",
        "spectrum":"interval","mu":"1","L":"100","steps":"50"}"#;

    #[test]
    fn text_numbers_and_errors_round_trip() {
        // SAFETY: call hands each export a live block
        let (s, t, _) = call(Q.as_bytes(), |p, n| unsafe { analyze(p, n) });
        assert_eq!((s, t), (OK_TEXT, api::analyze(Q).unwrap()));
        let bad = Q.replace("\"1\"", "\"1000\"");
        let (s, t, _) = call(bad.as_bytes(), |p, n| unsafe { analyze(p, n) });
        assert_eq!((s, t), (ERROR, api::analyze(&bad).unwrap_err()));
        let (s, _, v) = call(Q.as_bytes(), |p, n| unsafe {
            map(p, n, 0.04, -1.0, 1.0, 7, 5)
        });
        assert_eq!(
            (s, v),
            (OK_NUMBERS, api::map(Q, 0.04, -1.0, 1.0, 7, 5).unwrap())
        );
        let (s, t, v) = call(Q.as_bytes(), |p, n| unsafe {
            map(p, n, 0.04, -1.0, 1.0, 0, 5)
        });
        assert_eq!((s, v.len()), (ERROR, 0));
        assert_eq!(t, api::map(Q, 0.04, -1.0, 1.0, 0, 5).unwrap_err());
    }

    #[test]
    fn bad_text_and_empty_arguments_are_errors() {
        let (s, t, _) = call(b"{\"family\":\"\xff\"}", |p, n| unsafe { certify(p, n) });
        assert_eq!(s, ERROR);
        assert!(t.starts_with("the query is not UTF-8 text"), "{t}");
        let (s, t, _) = call(b"", |p, n| unsafe { tunings(p, n) });
        assert_eq!((s, t), (ERROR, api::tunings("").unwrap_err()));
        // a null pointer with length 0 is an empty text, never read
        // SAFETY: len 0 is never read
        let r = unsafe { analyze_setting(std::ptr::null(), 0, std::ptr::null(), 0) };
        // SAFETY: r is live
        unsafe {
            assert_eq!(reply_status(r), ERROR);
            reply_free(r);
        }
        assert!(momentum_alloc(usize::MAX).is_null());
        // SAFETY: a zero-length block needs no freeing; freeing it is a no-op
        unsafe { momentum_free(momentum_alloc(0), 0) };
    }
}
