//! NumPy `.npy`: the header dict parsed by hand (a Python literal), the data decoded element by
//! element.

use super::{Array, Kind, Parsed, kind_of, quote, shape_str};
use crate::spectrum::Precision;

/// Deepest nesting of brackets and braces in a header; deeper input is rejected rather than
/// risking the stack.
const MAX_NESTING: usize = 64;

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
    /// The precision the stored numbers carry: float16/32 their own, integers and float64 f64's.
    fn precision(&self) -> Precision {
        match (self.elem, self.size) {
            (Elem::Float, 2) => Precision::Float16,
            (Elem::Float, 4) => Precision::Float32,
            _ => Precision::Float64,
        }
    }

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

/// A whole `.npy` file (magic included): its array and the precision of its element type, or
/// what is wrong with it.
pub(super) fn parse(bytes: &[u8]) -> Parsed<(Array, Precision)> {
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
    // the common little-endian floats decode in one pass that vectorises, the rest entry by entry
    let values: Vec<f64> = match (dtype.elem, dtype.size, dtype.big_endian) {
        (Elem::Float, 8, false) => data
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(std::array::from_fn(|i| c[i])))
            .collect(),
        (Elem::Float, 4, false) => data
            .chunks_exact(4)
            .map(|c| f64::from(f32::from_le_bytes(std::array::from_fn(|i| c[i]))))
            .collect(),
        _ => data
            .chunks_exact(dtype.size)
            .map(|c| dtype.read(c))
            .collect(),
    };
    if let Some(k) = values.iter().position(|x| !x.is_finite()) {
        let x = values[k];
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
    let array = match kind {
        Kind::List => Array::List(values),
        Kind::Matrix(n) => Array::Matrix {
            n,
            data: values,
            column_major,
        },
    };
    Ok((array, dtype.precision()))
}
