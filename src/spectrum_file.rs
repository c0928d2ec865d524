//! Spectra from files (`--spectrum FILE`): NumPy `.npy`, text/CSV and PyHessian eigenvalue lists.
//!
//! [`load`] reads a file and [`parse`] interprets its bytes. The format is decided by content, not
//! by the file name: bytes starting with the NumPy magic `\x93NUMPY` are a `.npy` array, anything
//! else must be UTF-8 text. Every problem — unreadable file, bad token, wrong shape, NaN — is an
//! [`Error::SpectrumFile`] whose `path` is the name given and whose `problem` says where (header,
//! line N, element i) and what is wrong, on one line.
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
//! datetime, long-double and structured types are rejected with their dtype named. The data must
//! be exactly as long as the header says: short data is reported as truncated (expected and
//! actual byte counts), extra bytes after it (several arrays saved into one file) as an error.
//! Positions in messages are 0-based, as in NumPy.
//!
//! The header is parsed here rather than by `npyz`, whose header reader overflows on hostile
//! shapes (a panic in debug builds, a wrong element count in release builds).
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
//! # Bracketed lists: PyHessian, JSON, printed arrays
//!
//! When the first non-comment character is `[` or `{`, or the text starts with a call such as
//! `array(` or `tensor(`, it is read as a nested list:
//!
//! * a flat list `[312.5, 41.2, 9.87]` — `print(eigenvalues)` or `json.dump(eigenvalues, f)` of
//!   the list returned by PyHessian's `hessian_comp.eigenvalues(top_n=k)` — which may span lines
//!   and end with a trailing comma; entries separated by commas or whitespace, so NumPy's
//!   `print(a)` output `[312.5 41.2 9.87]` (and `[[2. 1.]\n [1. 2.]]` for a matrix) works too;
//! * a list of lists: a matrix, or a single row or column, by the shape rules above;
//! * a JSON (or Python dict) object whose key `"eigenvalues"` or `"top_eigenvalues"` holds such a
//!   list; other keys are ignored;
//! * `array([…], dtype=float32)` / `tensor([…])`-style reprs (the keyword arguments are ignored),
//!   and scalar wrappers such as `np.float64(312.5)` inside a list.
//!
//! Numbers are parsed by Rust's correctly rounded `f64` parser, so decimal output of Python's
//! `repr` or `json` round-trips exactly. NumPy's abbreviated printing (`...`) is rejected.
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
//! ```
//! use momentum::spectrum_file;
//!
//! // A CSV Hessian with a comment and a header line: eigenvalues 1 and 3.
//! let h = spectrum_file::parse("h.csv", b"# H of a 2-D quadratic\nh0,h1\n2,1\n1,2\n")?;
//! let (lo, hi) = h.bounds();
//! assert!((lo - 1.0).abs() < 1e-12 && (hi - 3.0).abs() < 1e-12);
//!
//! // PyHessian's top eigenvalues, dumped as JSON.
//! let top = spectrum_file::parse("top.json", br#"{"eigenvalues": [312.5, 41.2, 9.87]}"#)?;
//! assert_eq!(top.listed(), vec![9.87, 41.2, 312.5]);
//!
//! // Errors say where.
//! let err = spectrum_file::parse("bad.txt", b"1.5\n2.5\nabc\n").unwrap_err();
//! assert_eq!(err.to_string(), "bad.txt: line 3: 'abc' is not a number");
//! # Ok::<(), momentum::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::spectrum::Spectrum;
use nalgebra::DMatrix;
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

/// Largest file [`load`] (and [`parse`]) accepts: 1 GiB, refused before reading.
///
/// A sanity bound: a 1 GiB float64 array is 134 million eigenvalues, far beyond any Hessian one
/// can decompose, so anything larger is almost certainly the wrong file.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Largest dimension n of a dense n × n matrix: 4096.
///
/// Its eigenvalues cost O(n³) — about 20 s at n = 4096 in an optimised build — and the matrix
/// alone 128 MiB. For bigger Hessians compute the eigenvalues (or the extreme ones) elsewhere and
/// give the list.
pub const MAX_MATRIX_DIM: usize = 4096;

/// Largest number of elements in an array: 2²⁷ (134 217 728), 1 GiB as f64.
pub const MAX_ELEMENTS: usize = 1 << 27;

/// Deepest nesting of brackets, braces and parentheses in bracketed text (and in a `.npy`
/// header); deeper input is rejected rather than risking the stack.
const MAX_NESTING: usize = 64;

/// The first six bytes of every `.npy` file.
const NPY_MAGIC: &[u8] = b"\x93NUMPY";

/// Read the spectrum in the file at `path`: a `.npy` array or text (see the module docs).
///
/// Files larger than [`MAX_FILE_BYTES`] are refused before reading. Every failure, I/O included,
/// is an [`Error::SpectrumFile`] whose `path` is `path` as given (control characters escaped so
/// that the message stays on one line).
///
/// ```no_run
/// let spectrum = momentum::spectrum_file::load(std::path::Path::new("hessian.npy"))?;
/// println!("eigenvalues in [{}, {}]", spectrum.bounds().0, spectrum.bounds().1);
/// # Ok::<(), momentum::Error>(())
/// ```
pub fn load(path: &Path) -> Result<Spectrum> {
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
    parse(&name, &bytes)
}

/// Interpret `bytes` as a spectrum file (format by content, see the module docs); `name` is the
/// file name used in error messages.
///
/// Pure and total: any input gives either a spectrum of finite eigenvalues or an
/// [`Error::SpectrumFile`] with a one-line message, never a panic.
///
/// ```
/// use momentum::spectrum_file::parse;
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
/// # Ok::<(), momentum::Error>(())
/// ```
pub fn parse(name: &str, bytes: &[u8]) -> Result<Spectrum> {
    let fail = |problem: String| Error::SpectrumFile {
        path: one_line(name),
        problem: one_line(&problem),
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(too_big(bytes.len() as u64)));
    }
    let array = if bytes.starts_with(NPY_MAGIC) {
        npy::parse(bytes)
    } else {
        text::parse(bytes)
    }
    .map_err(&fail)?;
    array.into_spectrum().map_err(fail)
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
    fn into_spectrum(self) -> Parsed<Spectrum> {
        match self {
            Array::List(values) => Spectrum::eigenvalues(values).map_err(|e| e.to_string()),
            Array::Matrix {
                n,
                data,
                column_major,
            } => {
                let h = if column_major {
                    DMatrix::from_vec(n, n, data)
                } else {
                    DMatrix::from_row_slice(n, n, &data)
                };
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

/// NumPy `.npy`: header parsed by hand (a Python dict literal), data decoded element by element.
mod npy {
    use super::{Array, Kind, MAX_NESTING, Parsed, kind_of, quote, shape_str};

    /// A scalar element type NumPy can store and this module can widen to f64.
    #[derive(Clone, Copy, Debug)]
    enum Elem {
        Float,
        Int,
        Uint,
    }

    #[derive(Clone, Copy, Debug)]
    struct DType {
        elem: Elem,
        size: usize,
        big_endian: bool,
    }

    impl DType {
        /// Parse a type string such as `<f8`, `>f4`, `|u1`.
        fn parse(descr: &str) -> Parsed<DType> {
            let unsupported = |what: &str| {
                Err(format!(
                    "header: dtype {} ({what}) is not supported: use float32, float64 or an \
                     integer type",
                    quote(descr)
                ))
            };
            let (order, rest) = match descr.chars().next() {
                Some(c @ ('<' | '>' | '|' | '=')) => (c, &descr[1..]),
                _ => ('=', descr),
            };
            let mut chars = rest.chars();
            let Some(code) = chars.next() else {
                return unsupported("empty type string");
            };
            let digits = chars.as_str();
            let size: Option<usize> = if digits.is_empty() {
                None
            } else {
                digits.parse().ok()
            };
            let elem = match (code, size) {
                ('f', Some(2 | 4 | 8)) => Elem::Float,
                ('f', Some(_)) => return unsupported("extended-precision float"),
                ('i', Some(1 | 2 | 4 | 8)) => Elem::Int,
                ('u', Some(1 | 2 | 4 | 8)) => Elem::Uint,
                ('c', _) => {
                    return unsupported("complex; Hessian eigenvalues are real: save np.real(a)");
                }
                ('b' | '?', _) => return unsupported("boolean"),
                ('O', _) => return unsupported("Python objects"),
                ('S' | 'a' | 'U', _) => return unsupported("strings"),
                ('M' | 'm', _) => return unsupported("dates or times"),
                ('V', _) => return unsupported("raw bytes"),
                _ => return unsupported("unknown type"),
            };
            let size = size.unwrap_or(0);
            let big_endian = match order {
                '<' => false,
                '>' => true,
                '|' if size == 1 => false,
                '|' => return unsupported("byte order '|' on a multi-byte type"),
                _ => cfg!(target_endian = "big"),
            };
            Ok(DType {
                elem,
                size,
                big_endian,
            })
        }

        fn read(&self, b: &[u8]) -> f64 {
            let mut buf = [0u8; 8];
            let n = self.size;
            if self.big_endian {
                // right-align, then read big-endian
                buf[8 - n..].copy_from_slice(b);
            } else {
                buf[..n].copy_from_slice(b);
            }
            let raw = if self.big_endian {
                u64::from_be_bytes(buf)
            } else {
                u64::from_le_bytes(buf)
            };
            match (self.elem, n) {
                (Elem::Float, 8) => f64::from_bits(raw),
                (Elem::Float, 4) => f64::from(f32::from_bits(raw as u32)),
                (Elem::Float, _) => f16_to_f64(raw as u16),
                (Elem::Uint, _) => raw as f64,
                (Elem::Int, _) => {
                    // sign-extend the low n bytes
                    let shift = 64 - 8 * n as u32;
                    (((raw << shift) as i64) >> shift) as f64
                }
            }
        }
    }

    /// IEEE half precision to f64, exactly (every half is a double).
    fn f16_to_f64(h: u16) -> f64 {
        let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
        let exp = i32::from((h >> 10) & 0x1f);
        let frac = f64::from(h & 0x3ff);
        match exp {
            0 => sign * frac * 2f64.powi(-24),
            31 if frac == 0.0 => sign * f64::INFINITY,
            31 => f64::NAN,
            e => sign * (1.0 + frac / 1024.0) * 2f64.powi(e - 15),
        }
    }

    /// The Python literal values a `.npy` header dict can hold.
    #[derive(Debug)]
    enum Py {
        Str(String),
        Bool(bool),
        Int(u64),
        Seq(Vec<Py>),
        /// Anything else (None, a nested dict, ...), not needed here.
        Other,
    }

    struct Header<'a> {
        s: &'a [u8],
        pos: usize,
    }

    impl Header<'_> {
        fn skip_ws(&mut self) {
            while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
        }
        fn peek(&mut self) -> Option<u8> {
            self.skip_ws();
            self.s.get(self.pos).copied()
        }
        fn expect(&mut self, c: u8) -> Parsed<()> {
            if self.peek() == Some(c) {
                self.pos += 1;
                Ok(())
            } else {
                Err(self.unexpected(&format!("'{}'", c as char)))
            }
        }
        fn unexpected(&mut self, wanted: &str) -> String {
            match self.peek() {
                None => format!("header: ends early, expected {wanted}"),
                Some(_) => {
                    let rest = String::from_utf8_lossy(&self.s[self.pos..]);
                    format!(
                        "header: expected {wanted} at byte {} of the dict, found {}",
                        self.pos,
                        quote(&rest)
                    )
                }
            }
        }
        /// A dict `{key: value, ...}` with string keys.
        fn dict(&mut self, depth: usize) -> Parsed<Vec<(String, Py)>> {
            if depth > MAX_NESTING {
                return Err("header: nested too deeply".into());
            }
            self.expect(b'{')?;
            let mut entries = Vec::new();
            loop {
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(entries);
                }
                let Py::Str(key) = self.value(depth + 1)? else {
                    return Err("header: a dict key is not a string".into());
                };
                self.expect(b':')?;
                let value = self.value(depth + 1)?;
                entries.push((key, value));
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {}
                    _ => return Err(self.unexpected("',' or '}'")),
                }
            }
        }
        fn value(&mut self, depth: usize) -> Parsed<Py> {
            if depth > MAX_NESTING {
                return Err("header: nested too deeply".into());
            }
            match self.peek() {
                Some(q @ (b'\'' | b'"')) => {
                    self.pos += 1;
                    let mut out = Vec::new();
                    loop {
                        match self.s.get(self.pos) {
                            None => return Err("header: unterminated string".into()),
                            Some(b'\\') => {
                                if let Some(&c) = self.s.get(self.pos + 1) {
                                    out.push(c);
                                }
                                self.pos += 2;
                            }
                            Some(&c) if c == q => {
                                self.pos += 1;
                                break;
                            }
                            Some(&c) => {
                                out.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                    Ok(Py::Str(String::from_utf8_lossy(&out).into_owned()))
                }
                Some(open @ (b'(' | b'[')) => {
                    self.pos += 1;
                    let close = if open == b'(' { b')' } else { b']' };
                    let mut items = Vec::new();
                    loop {
                        if self.peek() == Some(close) {
                            self.pos += 1;
                            return Ok(Py::Seq(items));
                        }
                        items.push(self.value(depth + 1)?);
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(c) if c == close => {}
                            _ => return Err(self.unexpected("',' or a closing bracket")),
                        }
                    }
                }
                Some(b'{') => {
                    // a nested dict (only in exotic dtypes)
                    self.dict(depth + 1)?;
                    Ok(Py::Other)
                }
                Some(_) => {
                    let start = self.pos;
                    while self.pos < self.s.len()
                        && !b",:)]}".contains(&self.s[self.pos])
                        && !self.s[self.pos].is_ascii_whitespace()
                    {
                        self.pos += 1;
                    }
                    let word = String::from_utf8_lossy(&self.s[start..self.pos]).into_owned();
                    Ok(match word.as_str() {
                        "" => return Err(self.unexpected("a value")),
                        "True" => Py::Bool(true),
                        "False" => Py::Bool(false),
                        // Python 2 wrote shapes as (3L, 3L)
                        w => match w.strip_suffix('L').unwrap_or(w).parse::<u64>() {
                            Ok(n) => Py::Int(n),
                            Err(_) => Py::Other,
                        },
                    })
                }
                None => Err(self.unexpected("a value")),
            }
        }
    }

    pub(super) fn parse(bytes: &[u8]) -> Parsed<Array> {
        let truncated_header = || {
            format!(
                "header: truncated NumPy header ({} bytes in the file)",
                bytes.len()
            )
        };
        let (major, minor) = match bytes {
            [_, _, _, _, _, _, major, minor, ..] => (*major, *minor),
            _ => return Err(truncated_header()),
        };
        let (len_size, text_start): (usize, usize) = match major {
            1 => (2, 10),
            2 | 3 => (4, 12),
            _ => {
                return Err(format!(
                    "header: .npy format version {major}.{minor} is not supported (1.0, 2.0 and \
                     3.0 are)"
                ));
            }
        };
        let Some(len_bytes) = bytes.get(8..8 + len_size) else {
            return Err(truncated_header());
        };
        let header_len = len_bytes
            .iter()
            .rev()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        let data_start = text_start.saturating_add(header_len);
        let Some(text) = bytes.get(text_start..data_start) else {
            return Err(format!(
                "header: truncated: the header length field says {header_len} bytes of header \
                 text but only {} follow",
                bytes.len().saturating_sub(text_start)
            ));
        };
        let mut h = Header { s: text, pos: 0 };
        let dict = h.dict(0)?;
        let get = |key: &str| {
            dict.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .ok_or_else(|| format!("header: the dict has no '{key}' entry"))
        };
        let dtype = match get("descr")? {
            Py::Str(s) => DType::parse(s)?,
            Py::Seq(_) => {
                return Err(
                    "header: structured (record) dtypes are not supported: save a plain float \
                     array"
                        .into(),
                );
            }
            _ => return Err("header: 'descr' is not a type string".into()),
        };
        let column_major = match get("fortran_order")? {
            Py::Bool(b) => *b,
            _ => return Err("header: 'fortran_order' is not True or False".into()),
        };
        let shape = match get("shape")? {
            Py::Seq(items) => items
                .iter()
                .map(|d| match d {
                    Py::Int(n) => Ok(*n),
                    _ => Err("header: 'shape' holds something other than non-negative integers"),
                })
                .collect::<std::result::Result<Vec<u64>, _>>()?,
            _ => return Err("header: 'shape' is not a tuple".into()),
        };
        let kind = kind_of(&shape)?;
        // kind_of bounded the element count by MAX_ELEMENTS, so these products cannot overflow.
        let count = shape.iter().product::<u64>() as usize;
        let expected = count * dtype.size;
        let data = &bytes[data_start..];
        if data.len() < expected {
            return Err(format!(
                "truncated: shape {} of {}-byte elements needs {expected} bytes of data, the file \
                 has {}",
                shape_str(&shape),
                dtype.size,
                data.len()
            ));
        }
        if data.len() > expected {
            return Err(format!(
                "{} bytes after the {expected} bytes of data that shape {} needs (several arrays \
                 saved into one file?)",
                data.len() - expected,
                shape_str(&shape)
            ));
        }
        let mut values = Vec::with_capacity(count);
        for (k, chunk) in data.chunks_exact(dtype.size).enumerate() {
            let x = dtype.read(chunk);
            if !x.is_finite() {
                let at = match kind {
                    Kind::List if shape.is_empty() => "the value".to_string(),
                    Kind::List => format!("element {k}"),
                    Kind::Matrix(n) => {
                        let (i, j) = if column_major {
                            (k % n, k / n)
                        } else {
                            (k / n, k % n)
                        };
                        format!("element [{i}, {j}] (row {i}, column {j}, 0-based)")
                    }
                };
                return Err(format!("{at} is {x}: every entry must be a finite number"));
            }
            values.push(x);
        }
        Ok(match kind {
            Kind::List => Array::List(values),
            Kind::Matrix(n) => Array::Matrix {
                n,
                data: values,
                column_major,
            },
        })
    }
}

/// UTF-8 text: lines of numbers, or a bracketed (JSON / Python repr) list.
mod text {
    use super::{Array, Kind, MAX_ELEMENTS, MAX_NESTING, Parsed, kind_of, quote};

    pub(super) fn parse(bytes: &[u8]) -> Parsed<Array> {
        if bytes.starts_with(b"PK\x03\x04") {
            return Err(
                "a zip archive (np.savez or torch.save?), not a .npy file or text: save \
                        one array with np.save"
                    .into(),
            );
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            format!(
                "neither a NumPy .npy file nor UTF-8 text (invalid UTF-8 at byte {})",
                e.valid_up_to()
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let first = text
            .lines()
            .map(|l| l.trim())
            .find(|l| !l.is_empty() && !l.starts_with('#'));
        match first {
            None => Err("no eigenvalues: the file has only comments and blank lines".into()),
            Some(l) if l.starts_with(['[', '{']) || starts_with_call(l) => bracketed(text),
            Some(_) => lines(text),
        }
    }

    /// `array(`, `np.array(`, `tensor(`: an identifier and an opening parenthesis.
    fn starts_with_call(line: &str) -> bool {
        let ident = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(line.len());
        ident > 0
            && line.as_bytes()[0].is_ascii_alphabetic()
            && line[ident..].trim_start().starts_with('(')
    }

    /// A number token: `Ok` if finite, else a message naming the line and the token.
    fn number(token: &str, line: usize) -> Parsed<f64> {
        match token.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            Ok(_) => Err(format!(
                "line {line}: {} is not a finite number",
                quote(token)
            )),
            Err(_) => {
                let hint = if token.contains("...") || token.contains('…') {
                    " (NumPy abbreviates long arrays when printing: save with np.save or \
                     np.savetxt instead)"
                } else {
                    ""
                };
                Err(format!(
                    "line {line}: {} is not a number{hint}",
                    quote(token)
                ))
            }
        }
    }

    /// One line of a CSV/whitespace table, split into fields.
    fn fields(content: &str, line: usize) -> Parsed<Vec<&str>> {
        if !content.contains(',') {
            return Ok(content.split_whitespace().collect());
        }
        let pieces: Vec<&str> = content.split(',').collect();
        let mut out = Vec::new();
        for (k, piece) in pieces.iter().enumerate() {
            let piece = piece.trim();
            if piece.is_empty() {
                if k + 1 == pieces.len() && k > 0 {
                    continue; // a trailing comma
                }
                return Err(format!(
                    "line {line}: field {} is empty (a missing value?)",
                    k + 1
                ));
            }
            out.extend(piece.split_whitespace());
        }
        Ok(out)
    }

    /// One eigenvalue per line, all on one line, or a square matrix; an optional header.
    fn lines(text: &str) -> Parsed<Array> {
        let mut values = Vec::new();
        // (line number, number of entries) of the first data row
        let mut first_row: Option<(usize, usize)> = None;
        let mut header: Option<(usize, usize)> = None;
        let mut rows = 0usize;
        let mut seen_content = false;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let fields = fields(content, line)?;
            if !seen_content {
                seen_content = true;
                if fields.iter().all(|f| f.parse::<f64>().is_err()) {
                    header = Some((line, fields.len()));
                    continue;
                }
            }
            for f in &fields {
                values.push(number(f, line)?);
            }
            if values.len() > MAX_ELEMENTS {
                return Err(format!(
                    "line {line}: more than the {MAX_ELEMENTS} numbers allowed"
                ));
            }
            match first_row {
                None => first_row = Some((line, fields.len())),
                Some((first, width)) if width != fields.len() => {
                    return Err(format!(
                        "line {line} has {} entries but line {first} (the first row) has \
                         {width}: the rows of a matrix must all be as long",
                        fields.len()
                    ));
                }
                Some(_) => {}
            }
            rows += 1;
        }
        let Some((_, width)) = first_row else {
            return Err("no eigenvalues: the file has only a header line and comments".into());
        };
        if let Some((line, names)) = header
            && names != width
        {
            return Err(format!(
                "line {line}: the header has {names} column names but the rows have {width} \
                 entries"
            ));
        }
        let shape = [rows as u64, width as u64];
        let kind = kind_of(&shape).map_err(|e| {
            if rows != width && rows > 1 && width > 1 {
                format!(
                    "{rows} rows of {width} entries: expected one eigenvalue per line, all on \
                     one line, or a square matrix (is a column an index?)"
                )
            } else {
                e
            }
        })?;
        Ok(match kind {
            Kind::List => Array::List(values),
            Kind::Matrix(n) => Array::Matrix {
                n,
                data: values,
                column_major: false,
            },
        })
    }

    /// A token of bracketed text.
    #[derive(Debug, PartialEq)]
    enum Tok<'a> {
        Punct(u8),
        Str(String),
        Word(&'a str),
        End,
    }

    struct Lexer<'a> {
        s: &'a str,
        pos: usize,
        line: usize,
        /// Calls such as `array(` entered so far (bounded by [`MAX_NESTING`]).
        calls: usize,
    }

    /// The shape of a nested list, built as it is read (like `np.array(nested_list)`).
    #[derive(Default)]
    struct Nest {
        values: Vec<f64>,
        /// Length of the first list seen at each depth (0 = top, 1 = rows), and the line where
        /// it opened.
        lens: [Option<(usize, usize)>; 2],
        /// Depth at which numbers sit (number of enclosing lists).
        leaf_depth: Option<usize>,
    }

    impl<'a> Lexer<'a> {
        /// Skip whitespace and `#` comments.
        fn skip(&mut self) {
            let b = self.s.as_bytes();
            while let Some(&c) = b.get(self.pos) {
                match c {
                    b'\n' => {
                        self.line += 1;
                        self.pos += 1;
                    }
                    b'#' => {
                        while self.pos < b.len() && b[self.pos] != b'\n' {
                            self.pos += 1;
                        }
                    }
                    c if c.is_ascii_whitespace() => self.pos += 1,
                    _ => break,
                }
            }
        }

        fn peek(&mut self) -> Parsed<Tok<'a>> {
            let (pos, line) = (self.pos, self.line);
            let t = self.next();
            self.pos = pos;
            self.line = line;
            t
        }

        fn next(&mut self) -> Parsed<Tok<'a>> {
            self.skip();
            let b = self.s.as_bytes();
            let Some(&c) = b.get(self.pos) else {
                return Ok(Tok::End);
            };
            match c {
                b'[' | b']' | b'{' | b'}' | b'(' | b')' | b',' | b':' | b'=' => {
                    self.pos += 1;
                    Ok(Tok::Punct(c))
                }
                b'"' | b'\'' => {
                    let start_line = self.line;
                    let mut out = String::new();
                    let mut chars = self.s[self.pos + 1..].char_indices();
                    while let Some((i, ch)) = chars.next() {
                        match ch {
                            '\\' => {
                                if let Some((_, e)) = chars.next() {
                                    out.push(e);
                                }
                            }
                            '\n' => break,
                            ch if ch as u32 == u32::from(c) => {
                                self.pos += 1 + i + 1;
                                return Ok(Tok::Str(out));
                            }
                            ch => out.push(ch),
                        }
                    }
                    Err(format!("line {start_line}: unterminated string"))
                }
                _ => {
                    let start = self.pos;
                    while let Some(&c) = b.get(self.pos) {
                        if c.is_ascii_whitespace() || b"[]{}(),:=#'\"".contains(&c) {
                            break;
                        }
                        self.pos += 1;
                    }
                    Ok(Tok::Word(&self.s[start..self.pos]))
                }
            }
        }

        fn describe(t: &Tok) -> String {
            match t {
                Tok::Punct(c) => format!("'{}'", *c as char),
                Tok::Str(s) => format!("the string {}", quote(s)),
                Tok::Word(w) => quote(w),
                Tok::End => "the end of the file".into(),
            }
        }

        fn unexpected(&self, t: &Tok, wanted: &str) -> String {
            format!(
                "line {}: expected {wanted}, found {}",
                self.line,
                Self::describe(t)
            )
        }

        fn expect(&mut self, c: u8, wanted: &str) -> Parsed<()> {
            match self.next()? {
                Tok::Punct(p) if p == c => Ok(()),
                t => Err(self.unexpected(&t, wanted)),
            }
        }

        /// A number in a list: a word, or a scalar wrapper like `np.float64(1.5)`.
        fn number(&mut self, word: &str) -> Parsed<f64> {
            let line = self.line;
            if word.parse::<f64>().is_err() && self.peek()? == Tok::Punct(b'(') {
                self.next()?;
                let x = match self.next()? {
                    Tok::Word(w) => number(w, self.line)?,
                    t => return Err(self.unexpected(&t, "a number")),
                };
                // keyword arguments such as dtype=... are ignored
                self.rest_of_call(1)?;
                return Ok(x);
            }
            number(word, line)
        }

        /// After a call's first argument: `, key=value ...` up to and including `)`.
        fn rest_of_call(&mut self, depth: usize) -> Parsed<()> {
            loop {
                match self.next()? {
                    Tok::Punct(b')') => return Ok(()),
                    Tok::Punct(b',') => {
                        if self.peek()? == Tok::Punct(b')') {
                            continue;
                        }
                        match self.next()? {
                            Tok::Word(_) => {}
                            t => return Err(self.unexpected(&t, "a keyword argument or ')'")),
                        }
                        self.expect(b'=', "'=' of a keyword argument")?;
                        self.skip_value(depth + 1)?;
                    }
                    t => return Err(self.unexpected(&t, "',' or ')'")),
                }
            }
        }

        /// Read and discard one value (of a key other than the eigenvalues, or a keyword
        /// argument).
        fn skip_value(&mut self, depth: usize) -> Parsed<()> {
            if depth > MAX_NESTING {
                return Err(format!(
                    "line {}: nested more than {MAX_NESTING} levels deep",
                    self.line
                ));
            }
            match self.next()? {
                Tok::Punct(open @ (b'[' | b'{' | b'(')) => {
                    let close = match open {
                        b'[' => b']',
                        b'{' => b'}',
                        _ => b')',
                    };
                    loop {
                        match self.peek()? {
                            Tok::Punct(c) if c == close => {
                                self.next()?;
                                return Ok(());
                            }
                            Tok::Punct(b',' | b':') => {
                                self.next()?;
                            }
                            Tok::End => {
                                return Err(format!(
                                    "line {}: the file ends inside a '{}'",
                                    self.line, open as char
                                ));
                            }
                            _ => self.skip_value(depth + 1)?,
                        }
                    }
                }
                Tok::Str(_) => Ok(()),
                Tok::Word(_) => {
                    if self.peek()? == Tok::Punct(b'(') {
                        self.skip_value(depth + 1)?;
                    }
                    Ok(())
                }
                t => Err(self.unexpected(&t, "a value")),
            }
        }

        /// The value holding the eigenvalues: a (nested) list, a call wrapping one, or a number.
        fn array(&mut self, nest: &mut Nest, depth: usize) -> Parsed<()> {
            match self.next()? {
                Tok::Punct(b'[') => self.list(nest, depth),
                Tok::Word(w) if w.parse::<f64>().is_err() && self.peek()? == Tok::Punct(b'(') => {
                    self.next()?;
                    self.calls += 1;
                    if self.calls > MAX_NESTING {
                        return Err(format!(
                            "line {}: calls nested more than {MAX_NESTING} levels deep",
                            self.line
                        ));
                    }
                    self.array(nest, depth)?;
                    self.rest_of_call(depth)
                }
                Tok::Word(w) => {
                    let x = self.number(w)?;
                    self.leaf(nest, depth)?;
                    nest.values.push(x);
                    Ok(())
                }
                t => Err(self.unexpected(&t, "'[' or a number")),
            }
        }

        fn leaf(&self, nest: &mut Nest, depth: usize) -> Parsed<()> {
            match nest.leaf_depth {
                None => nest.leaf_depth = Some(depth),
                Some(d) if d != depth => {
                    return Err(format!(
                        "line {}: a list mixes numbers and lists",
                        self.line
                    ));
                }
                Some(_) => {}
            }
            if nest.values.len() >= MAX_ELEMENTS {
                return Err(format!(
                    "line {}: more than the {MAX_ELEMENTS} numbers allowed",
                    self.line
                ));
            }
            Ok(())
        }

        /// The items of a list whose `[` has been read, at `depth` enclosing lists (0 = top).
        fn list(&mut self, nest: &mut Nest, depth: usize) -> Parsed<()> {
            let open_line = self.line;
            if depth >= 2 {
                return Err(format!(
                    "line {open_line}: lists nested 3 deep: expected a list of eigenvalues or \
                     a matrix (a list of rows)"
                ));
            }
            if nest.leaf_depth.is_some_and(|d| d <= depth) {
                return Err(format!("line {open_line}: a list mixes numbers and lists"));
            }
            let mut count = 0usize;
            let mut after_comma = false;
            loop {
                match self.next()? {
                    Tok::Punct(b']') => break,
                    Tok::Punct(b',') => {
                        if count == 0 || after_comma {
                            return Err(format!(
                                "line {}: an empty entry (a comma with nothing before it)",
                                self.line
                            ));
                        }
                        after_comma = true;
                        continue;
                    }
                    Tok::Punct(b'[') => self.list(nest, depth + 1)?,
                    Tok::Word(w) => {
                        let x = self.number(w)?;
                        self.leaf(nest, depth + 1)?;
                        nest.values.push(x);
                    }
                    Tok::End => {
                        return Err(format!(
                            "line {}: the file ends before the '[' opened on line {open_line} \
                             is closed",
                            self.line
                        ));
                    }
                    Tok::Str(s) => {
                        return Err(format!(
                            "line {}: the string {} is not a number",
                            self.line,
                            quote(&s)
                        ));
                    }
                    t => return Err(self.unexpected(&t, "a number, ',' or ']'")),
                }
                count += 1;
                after_comma = false;
            }
            match nest.lens[depth] {
                None => nest.lens[depth] = Some((count, open_line)),
                Some((first, first_line)) if first != count => {
                    return Err(format!(
                        "line {open_line}: a row of {count} entries where the first row (line \
                         {first_line}) has {first}: the rows of a matrix must all be as long"
                    ));
                }
                Some(_) => {}
            }
            Ok(())
        }

        /// A `{key: value}` object whose `{` has been read: the eigenvalues are the value of
        /// `eigenvalues` or `top_eigenvalues`.
        fn object(&mut self, nest: &mut Nest) -> Parsed<()> {
            const KEYS: [&str; 2] = ["eigenvalues", "top_eigenvalues"];
            let open_line = self.line;
            let mut found: Option<String> = None;
            let mut keys = Vec::new();
            loop {
                let key = match self.next()? {
                    Tok::Punct(b'}') => break,
                    Tok::Str(k) => k,
                    t => return Err(self.unexpected(&t, "a quoted key or '}'")),
                };
                self.expect(b':', "':' after a key")?;
                if KEYS.contains(&key.as_str()) {
                    if let Some(previous) = &found {
                        return Err(format!(
                            "line {}: the object has both {} and {}: keep one",
                            self.line,
                            quote(previous),
                            quote(&key)
                        ));
                    }
                    self.array(nest, 0)?;
                    found = Some(key);
                } else {
                    self.skip_value(1)?;
                    if keys.len() < 8 {
                        keys.push(quote(&key));
                    }
                }
                match self.next()? {
                    Tok::Punct(b',') => {}
                    Tok::Punct(b'}') => break,
                    t => return Err(self.unexpected(&t, "',' or '}'")),
                }
            }
            if found.is_none() {
                return Err(format!(
                    "line {open_line}: the object has no \"eigenvalues\" or \"top_eigenvalues\" \
                     key (keys: {})",
                    if keys.is_empty() {
                        "none".to_string()
                    } else {
                        keys.join(", ")
                    }
                ));
            }
            Ok(())
        }
    }

    /// A bracketed list, an object holding one, or a call wrapping one.
    fn bracketed(text: &str) -> Parsed<Array> {
        let mut lex = Lexer {
            s: text,
            pos: 0,
            line: 1,
            calls: 0,
        };
        let mut nest = Nest::default();
        if lex.peek()? == Tok::Punct(b'{') {
            lex.next()?;
            lex.object(&mut nest)?;
        } else {
            lex.array(&mut nest, 0)?;
        }
        match lex.next()? {
            Tok::End => {}
            t => {
                return Err(format!(
                    "line {}: unexpected {} after the end of the list",
                    lex.line,
                    Lexer::describe(&t)
                ));
            }
        }
        let ndim = nest
            .leaf_depth
            .unwrap_or(nest.lens.iter().filter(|l| l.is_some()).count());
        let shape: Vec<u64> = nest.lens[..ndim]
            .iter()
            .map(|l| l.map_or(0, |(n, _)| n as u64))
            .collect();
        let kind = kind_of(&shape).map_err(|e| {
            if nest.values.is_empty() {
                "no eigenvalues: the list is empty".to_string()
            } else {
                e
            }
        })?;
        Ok(match kind {
            Kind::List => Array::List(nest.values),
            Kind::Matrix(n) => Array::Matrix {
                n,
                data: nest.values,
                column_major: false,
            },
        })
    }
}
