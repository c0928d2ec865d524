//! Spectra from files (`--spectrum FILE`): NumPy `.npy`, text/CSV and JSON (PyHessian).
//!
//! [`load`] reads a file and [`parse`] interprets its bytes. The format is decided by content,
//! not by the file name:
//!
//! | the content starts with                                   | read as                        |
//! |-----------------------------------------------------------|--------------------------------|
//! | the NumPy magic `\x93NUMPY`                               | a `.npy` array                 |
//! | `[` or `{` (on the first line that is not blank or `#`)   | JSON                           |
//! | a call such as `array(`, `tensor(`, or a `(`              | rejected: a printed Python repr |
//! | anything else (UTF-8)                                     | text/CSV, lines of numbers     |
//!
//! Every problem — unreadable file, bad token, wrong shape, NaN — is an [`Error::SpectrumFile`]
//! whose `path` is the name given and whose `problem` says where (header, line N, element i) and
//! what is wrong, on one line.
//!
//! # What an array means
//!
//! Whatever the format, the numbers form an array, read like this:
//!
//! | shape                         | meaning                                                     |
//! |-------------------------------|-------------------------------------------------------------|
//! | one number (0-D)              | a single eigenvalue                                         |
//! | `(n,)`                        | n eigenvalues                                               |
//! | `(n, 1)` or `(1, n)`          | n eigenvalues (a column or a row vector)                    |
//! | `(n, n)`, n ≥ 2               | a symmetric matrix H, whose eigenvalues are computed        |
//! | anything else, or no elements | an error naming the shape                                   |
//!
//! A matrix is checked for symmetry and decomposed by [`Spectrum::from_symmetric_matrix`]. Every
//! element must be finite: NaN and ±∞ are rejected with their position. A matrix may be at
//! most [`MAX_MATRIX_DIM`] × [`MAX_MATRIX_DIM`] (the dense eigen-decomposition costs O(n³)), an
//! array at most [`MAX_ELEMENTS`] elements, and a file at most [`MAX_FILE_BYTES`] bytes.
//!
//! # NumPy `.npy`
//!
//! Format versions 1.0, 2.0 and 3.0; C or Fortran order; little- or big-endian. Element types:
//! float16, float32 and float64 (`f2`, `f4`, `f8`), widened to f64 exactly — eigenvalues saved
//! from `torch.linalg.eigvalsh(H).numpy()` in float32 need no conversion — and signed or unsigned
//! integers of 1 to 8 bytes (converted to the nearest f64). Complex, boolean, string, object,
//! datetime, long-double and structured types are rejected with their dtype named. The shape is
//! checked against the table above and the limits before any data is read; a shape whose element
//! count overflows is an error, not a wrapped count. The data must be exactly as long as the
//! header says: short data is reported as truncated (expected and actual byte counts), extra
//! bytes after it (several arrays saved into one file) as an error. Positions in messages are
//! 0-based, as in NumPy.
//!
//! # Text and CSV
//!
//! Lines are numbered from 1. `#` starts a comment that runs to the end of the line; blank lines
//! are ignored. Then either
//!
//! * **one eigenvalue per line**, or all of them on one line; or
//! * **a square matrix**, one row per line, entries separated by commas and/or whitespace
//!   (`np.savetxt(f, H)` and `np.savetxt(f, H, delimiter=",")` both work). Every row must have
//!   as many entries as the first. A trailing comma is allowed; an empty field between commas is
//!   not.
//!
//! The first non-comment line may be a header of column names (`eigenvalue`, or `h0,h1,h2`): it
//! is skipped when *every* field on it is non-numeric, and must then name as many columns as the
//! rows have. A line mixing names and numbers is an error naming the first non-number. Numbers are
//! anything Rust's `f64` parser reads: `3`, `-0.5`, `1e-3`, `.5`, `2.`; `nan` and `inf` are read
//! and then rejected with their line number.
//!
//! # JSON
//!
//! Read by `serde_json`, numbers correctly rounded (so what Python's `json.dump` or `repr` wrote
//! reads back exactly):
//!
//! * a list `[312.5, 41.2, 9.87]` — `json.dump(eigenvalues, f)` of the list PyHessian's
//!   `hessian_comp.eigenvalues(top_n=k)` returns, or `print(eigenvalues)` of that Python list,
//!   which is the same text;
//! * a list of lists: a matrix (a list of rows), or a single row or column, by the shape rules
//!   above;
//! * an object whose key `"eigenvalues"` or `"top_eigenvalues"` holds such a list (or one
//!   number); other keys are ignored, both keys at once is an error.
//!
//! Comment lines (`#`) and blank lines before the JSON are skipped; line numbers in messages
//! count them. Syntax errors give serde_json's message with its line and column. `NaN` and
//! `Infinity` (which Python's `json.dump` writes, though JSON has neither) and numbers beyond the
//! f64 range are rejected with their line and column.
//!
//! # Printed arrays are not read
//!
//! What Python prints is not a file format: `print(a)` of a NumPy array (`[2. 1.]`, no commas),
//! reprs (`array([…], dtype=float32)`, `tensor([…])`, `[np.float64(312.5)]`) and Python dicts
//! (single quotes, `None`) are rejected with one line saying so and how to save the array
//! instead: `np.save(path, eigenvalues)` or `json.dump(eigenvalues.tolist(), f)`.
//!
//! # A top-k list is the top of the spectrum only
//!
//! A PyHessian list holds the k *largest* eigenvalues. Its smallest entry is not μ, the smallest
//! curvature of the loss, so a rate or a condition number computed from it is the rate over the
//! listed eigenvalues only, not over the whole Hessian: the unlisted small curvatures may converge
//! more slowly. Its largest entry, L, is what decides stability for heavy ball and Nesterov with
//! 0 ≤ β < 1: the curvatures at which they are stable form an interval (0, λ_max(α, β)), so if
//! L is stable so are all the positive curvatures below it, listed or not.
//!
//! # Examples
//!
//! ```
//! use momentum::io;
//!
//! // A CSV Hessian with a comment and a header line: eigenvalues 1 and 3.
//! let h = io::parse("h.csv", b"# H of a 2-D quadratic\nh0,h1\n2,1\n1,2\n")?;
//! let (lo, hi) = h.bounds();
//! assert!((lo - 1.0).abs() < 1e-12 && (hi - 3.0).abs() < 1e-12);
//!
//! // PyHessian's top eigenvalues, dumped as JSON.
//! let top = io::parse("top.json", br#"{"eigenvalues": [312.5, 41.2, 9.87]}"#)?;
//! assert_eq!(top.listed(), vec![9.87, 41.2, 312.5]);
//!
//! // Errors say where.
//! let err = io::parse("bad.txt", b"1.5\n2.5\nabc\n").unwrap_err();
//! assert_eq!(err.to_string(), "bad.txt: line 3: 'abc' is not a number");
//! let err = io::parse("bad.json", b"[1.5,\n 2.5,\n abc]").unwrap_err();
//! assert_eq!(err.to_string(), "bad.json: line 3 column 2: not valid JSON: expected value");
//! # Ok::<(), momentum::Error>(())
//! ```

mod json;
mod npy;
mod raw;
pub use raw::{Values, load_values};
mod text;

use crate::error::{Error, Result};
use crate::spectrum::{Precision, Spectrum};
use nalgebra::DMatrix;
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

/// Largest file [`load`] and [`parse`] accept: 1 GiB (2³⁰ bytes), refused before reading.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Largest dimension n of a dense n × n matrix: 4096; its eigen-decomposition costs O(n³).
///
/// For a bigger Hessian compute the eigenvalues (or the extreme ones) elsewhere and give the
/// list.
///
/// # Examples
///
/// ```
/// use momentum::io::{MAX_MATRIX_DIM, parse};
/// # fn npy(shape: &str) -> Vec<u8> {
/// #     let mut h = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}");
/// #     while (10 + h.len() + 1) % 64 != 0 { h.push(' ') }
/// #     h.push('\n');
/// #     let mut out = b"\x93NUMPY\x01\x00".to_vec();
/// #     out.extend((h.len() as u16).to_le_bytes());
/// #     out.extend(h.as_bytes());
/// #     out
/// # }
/// // A .npy header announcing a 4097 x 4097 matrix is refused before its data is read.
/// let n = MAX_MATRIX_DIM + 1;
/// let err = parse("h.npy", &npy(&format!("({n}, {n})"))).unwrap_err();
/// assert!(err.to_string().contains("larger than the 4096x4096 limit"));
/// ```
pub const MAX_MATRIX_DIM: usize = 4096;

/// Largest number of elements in an array: 2²⁷ (134 217 728), 1 GiB as f64.
///
/// # Examples
///
/// ```
/// use momentum::io::{MAX_ELEMENTS, parse};
/// # fn npy(shape: &str) -> Vec<u8> {
/// #     let mut h = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}");
/// #     while (10 + h.len() + 1) % 64 != 0 { h.push(' ') }
/// #     h.push('\n');
/// #     let mut out = b"\x93NUMPY\x01\x00".to_vec();
/// #     out.extend((h.len() as u16).to_le_bytes());
/// #     out.extend(h.as_bytes());
/// #     out
/// # }
/// // Checked on the shape in the header, before any data is read.
/// let err = parse("e.npy", &npy(&format!("({},)", MAX_ELEMENTS + 1))).unwrap_err();
/// assert!(err.to_string().contains("more than the 134217728 elements allowed"));
/// ```
pub const MAX_ELEMENTS: usize = 1 << 27;

/// The first six bytes of every `.npy` file.
const NPY_MAGIC: &[u8] = b"\x93NUMPY";

/// Read the spectrum in the file at `path`: its bytes, interpreted by [`parse`].
///
/// # Errors
///
/// An [`Error::SpectrumFile`] whose `path` is `path` as given (control characters escaped, so the
/// message stays on one line) when the file cannot be opened or read, is a directory, is larger
/// than [`MAX_FILE_BYTES`] (refused before reading), or when [`parse`] rejects its content.
///
/// # Examples
///
/// ```
/// use momentum::io::load;
///
/// let path = std::env::temp_dir().join(format!("momentum-io-doc-{}.csv", std::process::id()));
/// std::fs::write(&path, "2,1\n1,2\n").unwrap();
/// let spectrum = load(&path);
/// std::fs::remove_file(&path).unwrap();
/// let (lo, hi) = spectrum?.bounds();
/// assert!((lo - 1.0).abs() < 1e-12 && (hi - 3.0).abs() < 1e-12);
///
/// let err = load(std::path::Path::new("no/such/hessian.npy")).unwrap_err();
/// assert!(err.to_string().starts_with("no/such/hessian.npy: cannot read the file"));
/// # Ok::<(), momentum::Error>(())
/// ```
pub fn load(path: &Path) -> Result<Spectrum> {
    Ok(load_file(path)?.spectrum)
}

/// A spectrum read from a file, with the precision its numbers were stored in.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// The eigenvalues (of the matrix, when the file holds one).
    pub spectrum: Spectrum,
    /// `.npy` float16/float32: that type's precision; every other file and type: float64. The
    /// default flat tolerance uses its ε ([`Spectrum::flat_tolerance`]).
    pub precision: Precision,
}

/// [`load`], keeping the precision of the file's element type.
///
/// # Examples
///
/// ```
/// use momentum::{Precision, io::load_file};
/// let path = std::env::temp_dir().join(format!("momentum-io-file-{}.txt", std::process::id()));
/// std::fs::write(&path, "0.5\n2\n").unwrap();
/// let loaded = load_file(&path);
/// std::fs::remove_file(&path).unwrap();
/// assert_eq!(loaded?.precision, Precision::Float64);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`load`].
pub fn load_file(path: &Path) -> Result<Loaded> {
    load_file_with(path, &mut |_| {})
}

/// [`load_file`], calling `before_decomposing(n)` when the file holds an n × n matrix, once its
/// numbers are read and just before its symmetry check and O(n³) eigen-decomposition: a front
/// end's cue for a progress message ("decomposing a 3000×3000 Hessian…").
///
/// # Examples
///
/// ```
/// use momentum::io::load_file_with;
/// let path = std::env::temp_dir().join(format!("momentum-io-with-{}.csv", std::process::id()));
/// std::fs::write(&path, "2,1\n1,2\n").unwrap();
/// let mut seen = None;
/// let loaded = load_file_with(&path, &mut |n| seen = Some(n));
/// std::fs::remove_file(&path).unwrap();
/// assert_eq!(loaded?.spectrum.listed().len(), 2);
/// assert_eq!(seen, Some(2));
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`load`].
pub fn load_file_with(path: &Path, before_decomposing: &mut dyn FnMut(usize)) -> Result<Loaded> {
    let (name, bytes) = read(path)?;
    parse_file_with(&name, &bytes, before_decomposing)
}

/// The file's name for messages and its bytes (at most [`MAX_FILE_BYTES`]).
fn read(path: &Path) -> Result<(String, Vec<u8>)> {
    let name = one_line(&path.display().to_string());
    let fail = |problem: String| Error::SpectrumFile {
        path: name.clone(),
        problem,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if meta.is_dir() {
        return Err(fail("is a directory, not a file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(too_big(meta.len())));
    }
    let file = std::fs::File::open(path).map_err(|e| fail(format!("cannot open the file: {e}")))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // `take` bounds files whose size the metadata does not tell (pipes, /dev/stdin).
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
    Ok((name, bytes))
}

/// Interpret `bytes` as a spectrum file, the format decided by content (module docs); `name` is
/// the file name error messages give.
///
/// Total: any input gives a spectrum of finite eigenvalues or an error, never a panic.
///
/// # Errors
///
/// An [`Error::SpectrumFile`] whose `path` is `name` and whose `problem` says, on one line, where
/// (header, line N, line N column C, element i) and what is wrong: more than [`MAX_FILE_BYTES`]
/// bytes; a malformed or unsupported `.npy`; text that is neither UTF-8 nor numbers; invalid JSON;
/// a printed Python repr; a shape the table in the module docs rejects; a NaN or infinite
/// element; a matrix that is not symmetric or larger than [`MAX_MATRIX_DIM`]; more than
/// [`MAX_ELEMENTS`] numbers.
///
/// # Examples
///
/// ```
/// use momentum::io::parse;
///
/// // A float32 .npy vector [0.5, 2.0] written by hand: header padded to a 64-byte boundary.
/// let mut npy = b"\x93NUMPY\x01\x00".to_vec();
/// let mut header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }".to_string();
/// while (10 + header.len() + 1) % 64 != 0 { header.push(' ') }
/// header.push('\n');
/// npy.extend((header.len() as u16).to_le_bytes());
/// npy.extend(header.as_bytes());
/// npy.extend(0.5f32.to_le_bytes());
/// npy.extend(2.0f32.to_le_bytes());
/// assert_eq!(parse("eig.npy", &npy)?.listed(), vec![0.5, 2.0]);
///
/// // A matrix as a JSON list of rows: eigenvalues 1 and 3.
/// let (lo, hi) = parse("h.json", b"[[2, 1], [1, 2]]")?.bounds();
/// assert!((lo - 1.0).abs() < 1e-12 && (hi - 3.0).abs() < 1e-12);
///
/// // What print(np.array([2.0, 1.0])) shows is not read; the message says how to save it.
/// let err = parse("eig.txt", b"[2. 1.]").unwrap_err().to_string();
/// assert!(err.starts_with("eig.txt: looks like a printed NumPy/PyTorch array"));
/// assert!(err.contains("np.save(path, eigenvalues)"));
/// # Ok::<(), momentum::Error>(())
/// ```
pub fn parse(name: &str, bytes: &[u8]) -> Result<Spectrum> {
    Ok(parse_file(name, bytes)?.spectrum)
}

/// [`parse`], keeping the precision of the element type (float16/float32 `.npy`; float64 for
/// everything else).
///
/// # Examples
///
/// ```
/// use momentum::{Precision, io::parse_file};
/// let mut npy = b"\x93NUMPY\x01\x00".to_vec();
/// let mut header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }".to_string();
/// while (10 + header.len() + 1) % 64 != 0 { header.push(' ') }
/// header.push('\n');
/// npy.extend((header.len() as u16).to_le_bytes());
/// npy.extend(header.as_bytes());
/// npy.extend(2.0f32.to_le_bytes());
/// assert_eq!(parse_file("eig.npy", &npy)?.precision, Precision::Float32);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`parse`].
pub fn parse_file(name: &str, bytes: &[u8]) -> Result<Loaded> {
    parse_file_with(name, bytes, &mut |_| {})
}

/// [`parse_file`], calling `before_decomposing(n)` just before an n × n matrix is decomposed
/// ([`load_file_with`]); not called for a list of eigenvalues or when the file is rejected first.
///
/// # Examples
///
/// ```
/// use momentum::io::parse_file_with;
/// let mut seen = vec![];
/// parse_file_with("h.json", b"[[2, 1], [1, 2]]", &mut |n| seen.push(n))?;
/// parse_file_with("eig.txt", b"0.5\n2\n", &mut |n| seen.push(n))?;
/// assert_eq!(seen, vec![2]);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// As [`parse`].
pub fn parse_file_with(
    name: &str,
    bytes: &[u8],
    before_decomposing: &mut dyn FnMut(usize),
) -> Result<Loaded> {
    let fail = |problem: String| Error::SpectrumFile {
        path: one_line(name),
        problem: one_line(&problem),
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(too_big(bytes.len() as u64)));
    }
    let (array, precision) = if bytes.starts_with(NPY_MAGIC) {
        npy::parse(bytes)
    } else if name.to_ascii_lowercase().ends_with(".npy") {
        // named .npy but without the magic: say so before what the text reader made of it
        text::parse(bytes)
            .map(|a| (a, Precision::Float64))
            .map_err(|p| {
                format!("not a NumPy .npy file (it does not start with the magic \\x93NUMPY); read as text: {p}")
            })
    } else {
        text::parse(bytes).map(|a| (a, Precision::Float64))
    }
    .map_err(&fail)?;
    Ok(Loaded {
        spectrum: array.into_spectrum(before_decomposing).map_err(fail)?,
        precision,
    })
}

/// What went wrong, where: the `problem` of an [`Error::SpectrumFile`].
type Parsed<T> = std::result::Result<T, String>;

fn too_big(len: u64) -> String {
    format!(
        "the file is {len} bytes; the limit is {MAX_FILE_BYTES} bytes (1 GiB): is this the right \
         file?"
    )
}

/// `s` with control characters (newlines included) escaped, so a message stays on one line.
fn one_line(s: &str) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        s.to_string()
    }
}

/// A token from the file as it appears in a message: quoted, escaped, at most 40 characters.
fn quote(token: &str) -> String {
    let mut out = String::from("'");
    for (i, c) in token.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        if c.is_control() || c == '\'' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// A shape as NumPy prints it: `(3,)`, `(2, 3)`.
fn shape_str(shape: &[u64]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => {
            let mut s = String::from("(");
            for (i, d) in shape.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                let _ = write!(s, "{d}");
            }
            s.push(')');
            s
        }
    }
}

/// The numbers of a file, already checked finite, and what they mean.
#[derive(Debug)]
enum Array {
    /// A list of eigenvalues (0-D, 1-D, or a single row or column).
    List(Vec<f64>),
    /// An n × n matrix stored row by row, or column by column when `column_major` (NumPy's
    /// Fortran order).
    Matrix {
        n: usize,
        data: Vec<f64>,
        column_major: bool,
    },
}

/// What an array of some shape is read as.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    List,
    Matrix(usize),
}

impl Kind {
    /// The array of this kind holding `values` in row-major order.
    fn array(self, values: Vec<f64>) -> Array {
        match self {
            Kind::List => Array::List(values),
            Kind::Matrix(n) => Array::Matrix {
                n,
                data: values,
                column_major: false,
            },
        }
    }
}

/// How an array of `shape` is read (module docs, "What an array means"): an error for a shape
/// that is neither a list nor a square matrix, for no elements, and beyond [`MAX_MATRIX_DIM`] or
/// [`MAX_ELEMENTS`].
fn kind_of(shape: &[u64]) -> Parsed<Kind> {
    let kind = match *shape {
        [] | [_] => Kind::List,
        [r, c] if r == 1 || c == 1 => Kind::List,
        [r, c] if r == c => {
            if r > MAX_MATRIX_DIM as u64 {
                return Err(format!(
                    "a {r}x{r} matrix is larger than the {MAX_MATRIX_DIM}x{MAX_MATRIX_DIM} limit \
                     (the eigen-decomposition costs O(n^3)): give its eigenvalues instead"
                ));
            }
            Kind::Matrix(r as usize)
        }
        [r, c] => {
            return Err(format!(
                "a {r}x{c} array is neither a list of eigenvalues (one row or one column) nor a \
                 square matrix"
            ));
        }
        _ => {
            return Err(format!(
                "a {}-D array of shape {}: expected a 1-D list of eigenvalues or a 2-D square \
                 matrix",
                shape.len(),
                shape_str(shape)
            ));
        }
    };
    let elements = shape
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n <= MAX_ELEMENTS as u64);
    match elements {
        None => Err(format!(
            "shape {} has more than the {MAX_ELEMENTS} elements allowed",
            shape_str(shape)
        )),
        Some(0) => Err(format!(
            "no eigenvalues: the array of shape {} is empty",
            shape_str(shape)
        )),
        Some(_) => Ok(kind),
    }
}

impl Array {
    fn into_spectrum(self, before_decomposing: &mut dyn FnMut(usize)) -> Parsed<Spectrum> {
        match self {
            Array::List(values) => Spectrum::eigenvalues(values).map_err(|e| e.to_string()),
            // row-major data read as column-major is Hᵀ: the same symmetric part (to the bit:
            // its entries are (h_ij + h_ji)/2), the same asymmetries at the same (i < j) pairs,
            // and no O(n²) transposing copy; so the storage order does not matter here
            Array::Matrix {
                n,
                data,
                column_major: _,
            } => {
                let h = DMatrix::from_vec(n, n, data);
                before_decomposing(n);
                matrix_spectrum(h).map_err(|e| format!("{n}x{n} matrix: {e}"))
            }
        }
    }
}

/// The eigenvalues of a (finite) matrix ([`Spectrum::from_symmetric_matrix`] scales by a power
/// of two, so entries near `f64::MAX` work); eigenvalues that overflow f64 even so are an error
/// saying that, not a NaN.
fn matrix_spectrum(h: DMatrix<f64>) -> Parsed<Spectrum> {
    let amax = h.amax();
    Spectrum::from_symmetric_matrix(&h).map_err(|e| match e {
        Error::NotFinite { .. } => format!(
            "its eigenvalues overflow f64 (largest entry {amax:e}): rescale the matrix before \
             saving it"
        ),
        e => e.to_string(),
    })
}
