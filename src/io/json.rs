//! JSON through `serde_json`: a (nested) list of numbers, or an object holding one under
//! `eigenvalues` or `top_eigenvalues`. Text that fails as JSON is examined for the signs of
//! Python's printed output (a repr), which get their own message.

use super::{Array, MAX_ELEMENTS, Parsed, kind_of, quote};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;
use std::fmt;

/// The keys of an object whose value is the eigenvalues.
const KEYS: [&str; 2] = ["eigenvalues", "top_eigenvalues"];

/// A JSON document `text`, which starts on line `lines_before + 1` of the file.
pub(super) fn parse(text: &str, lines_before: usize) -> Parsed<Array> {
    let mut nest = Nest::default();
    let mut de = serde_json::Deserializer::from_str(text);
    Document { nest: &mut nest }
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| explain(&e, text, lines_before))?;
    nest.into_array()
}

/// The message for Python's printed output: `what` found at `line`, `column`, and how to save
/// the array instead.
pub(super) fn printed(what: &str, line: usize, column: usize) -> String {
    format!(
        "looks like a printed NumPy/PyTorch array or Python object, not a file format ({what} at \
         line {line} column {column}): save it with np.save(path, eigenvalues) or \
         json.dump(eigenvalues.tolist(), f)"
    )
}

/// The identifier of a call such as `array(`, `np.float64(` or `tensor(` that `line` starts with
/// (`""` for a bare `(`, a printed tuple).
pub(super) fn call_at_start(line: &str) -> Option<&str> {
    if line.starts_with('(') {
        return Some("");
    }
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(line.len());
    let first = *line.as_bytes().first()?;
    ((first.is_ascii_alphabetic() || first == b'_') && line[end..].starts_with('('))
        .then(|| &line[..end])
}

/// A serde_json error as a `problem`: its line (counted in the file) and column, and what is
/// wrong — for a syntax error, a printed repr or a non-finite number if the text shows one.
fn explain(e: &serde_json::Error, text: &str, lines_before: usize) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    let at = |line: usize, column: usize| format!("line {} column {column}", line + lines_before);
    if e.classify() == Category::Data {
        return format!("{}: {message}", at(e.line(), e.column()));
    }
    let signs = Signs::of(text, (e.line(), e.column()));
    if let Some(s) = signs.printed {
        return printed(&s.what, s.line + lines_before, s.column);
    }
    if let Some(s) = signs.non_finite {
        return format!(
            "{}: {} is not a finite number",
            at(s.line, s.column),
            s.what
        );
    }
    format!("{}: not valid JSON: {message}", at(e.line(), e.column()))
}

/// Something found in the text, at a line and a (byte) column, both from 1 as in serde_json.
struct Sign {
    what: String,
    line: usize,
    column: usize,
}

/// What text that is not JSON shows, outside double-quoted strings.
#[derive(Default)]
struct Signs {
    /// The first sign of Python's printed output: a call `array(`, a `(`, `=`, a single quote,
    /// `None`/`True`/`False`, `...`, a NumPy float `2.`, or values separated by spaces only.
    printed: Option<Sign>,
    /// The first `NaN`, `Infinity`, `inf` or out-of-range number, if it comes no later than
    /// `limit`, the (line, column) where serde_json stopped.
    non_finite: Option<Sign>,
}

impl Signs {
    fn of(text: &str, limit: (usize, usize)) -> Signs {
        /// The previous token, up to whitespace.
        #[derive(Clone, Copy, PartialEq)]
        enum Prev<'a> {
            Number,
            Close,
            /// An identifier, and the line and column it starts at.
            Ident(&'a str, usize, usize),
            Other,
        }
        let is_word = |c: u8| c.is_ascii_alphanumeric() || b"_.+-".contains(&c) || c >= 0x80;
        let b = text.as_bytes();
        let mut signs = Signs::default();
        let (mut i, mut line, mut line_start) = (0, 1, 0);
        let mut prev = Prev::Other;
        while i < b.len() && signs.printed.is_none() {
            let column = i - line_start + 1;
            let sign = move |what: String| Some(Sign { what, line, column });
            let c = b[i];
            match c {
                b'\n' => {
                    i += 1;
                    line += 1;
                    line_start = i;
                }
                _ if c.is_ascii_whitespace() => i += 1,
                b'"' => {
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        if b[i] == b'\n' {
                            line += 1;
                            line_start = i + 1;
                        }
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                    prev = Prev::Other;
                }
                b'\'' => signs.printed = sign("a single-quoted string".into()),
                b'(' => {
                    signs.printed = match prev {
                        Prev::Ident(name, line, column) => Some(Sign {
                            what: quote(&format!("{name}(")),
                            line,
                            column,
                        }),
                        _ => sign("'('".into()),
                    }
                }
                b'=' => signs.printed = sign("'=' (a keyword argument)".into()),
                b'[' if prev == Prev::Close => {
                    signs.printed = sign("lists separated by spaces, not commas".into());
                }
                _ if is_word(c) => {
                    let start = i;
                    while i < b.len() && is_word(b[i]) {
                        i += 1;
                    }
                    // starts and ends next to ASCII bytes (or the text's ends): char boundaries
                    let word = &text[start..i];
                    let number = word.parse::<f64>().ok();
                    if word.contains("...") || word.contains('…') {
                        signs.printed = sign(format!("{} (an abbreviated array)", quote(word)));
                    } else if ["None", "True", "False"].contains(&word) {
                        signs.printed = sign(format!("Python's {word}"));
                    } else if let Some(x) = number {
                        if prev == Prev::Number {
                            signs.printed = sign("numbers separated by spaces, not commas".into());
                        } else if word.ends_with('.') || word.contains(".e") || word.contains(".E")
                        {
                            signs.printed =
                                sign(format!("{} (a float as NumPy prints it)", quote(word)));
                        } else if !x.is_finite()
                            && signs.non_finite.is_none()
                            && (line, column) <= limit
                        {
                            signs.non_finite = sign(quote(word));
                        }
                    }
                    prev = match number {
                        Some(_) => Prev::Number,
                        None if c.is_ascii_alphabetic() || c == b'_' => {
                            Prev::Ident(word, line, column)
                        }
                        None => Prev::Other,
                    };
                }
                _ => {
                    i += 1;
                    prev = if c == b']' { Prev::Close } else { Prev::Other };
                }
            }
        }
        signs
    }
}

/// The numbers read so far and the shape of their nested lists (as `np.array(nested_list)`
/// would see it).
#[derive(Default)]
struct Nest {
    values: Vec<f64>,
    /// Length of the first list at each depth (0 = the top list, 1 = its rows).
    lens: [Option<usize>; 2],
    /// Rows (lists at depth 1) closed so far.
    rows: usize,
    /// Depth at which the numbers sit (how many lists enclose them).
    leaf_depth: Option<usize>,
}

impl Nest {
    fn number(&mut self, depth: usize, x: f64) -> Parsed<()> {
        match self.leaf_depth {
            None => self.leaf_depth = Some(depth),
            Some(d) if d != depth => return Err("a list mixes numbers and lists".into()),
            Some(_) => {}
        }
        if self.values.len() >= MAX_ELEMENTS {
            return Err(format!("more than the {MAX_ELEMENTS} numbers allowed"));
        }
        // serde_json reads no NaN or infinity (1e400 is its "number out of range"); checked anyway
        if !x.is_finite() {
            return Err(format!("{x} is not a finite number"));
        }
        self.values.push(x);
        Ok(())
    }

    /// A list opens at `depth` enclosing lists.
    fn open(&self, depth: usize) -> Parsed<()> {
        if depth >= 2 {
            return Err(
                "lists nested 3 deep: expected a list of eigenvalues or a matrix (a list of rows)"
                    .into(),
            );
        }
        if self.leaf_depth.is_some_and(|d| d <= depth) {
            return Err("a list mixes numbers and lists".into());
        }
        Ok(())
    }

    /// A list at `depth` closes after `count` entries.
    fn close(&mut self, depth: usize, count: usize) -> Parsed<()> {
        if depth == 1 {
            self.rows += 1;
        }
        match self.lens[depth] {
            None => self.lens[depth] = Some(count),
            Some(first) if first != count => {
                return Err(format!(
                    "row {} has {count} entries but row 1 has {first}: the rows of a matrix must \
                     all be as long",
                    self.rows
                ));
            }
            Some(_) => {}
        }
        Ok(())
    }

    fn into_array(self) -> Parsed<Array> {
        let ndim = self
            .leaf_depth
            .unwrap_or(self.lens.iter().filter(|l| l.is_some()).count());
        let shape: Vec<u64> = self.lens[..ndim]
            .iter()
            .map(|l| l.unwrap_or(0) as u64)
            .collect();
        let kind = kind_of(&shape).map_err(|e| {
            if self.values.is_empty() {
                "no eigenvalues: the list is empty".to_string()
            } else {
                e
            }
        })?;
        Ok(kind.array(self.values))
    }
}

/// The whole document: a list, or an object with the list under one of [`KEYS`].
struct Document<'n> {
    nest: &'n mut Nest,
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of eigenvalues or an object with an \"eigenvalues\" key")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Entry {
            nest: self.nest,
            depth: 0,
        }
        .visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found: Option<String> = None;
        let mut others = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if KEYS.contains(&key.as_str()) {
                if let Some(previous) = &found {
                    return Err(de::Error::custom(format!(
                        "the object has both {} and {}: keep one",
                        quote(previous),
                        quote(&key)
                    )));
                }
                map.next_value_seed(Entry {
                    nest: &mut *self.nest,
                    depth: 0,
                })?;
                found = Some(key);
            } else {
                map.next_value::<IgnoredAny>()?;
                if others.len() < 8 {
                    others.push(quote(&key));
                }
            }
        }
        if found.is_none() {
            return Err(de::Error::custom(format!(
                "the object has no \"eigenvalues\" or \"top_eigenvalues\" key (keys: {})",
                if others.is_empty() {
                    "none".to_string()
                } else {
                    others.join(", ")
                }
            )));
        }
        Ok(())
    }
}

/// A number or a list at `depth` enclosing lists.
struct Entry<'n> {
    nest: &'n mut Nest,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Entry<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Entry<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a list of numbers")
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<(), E> {
        self.nest.number(self.depth, x).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, x: i64) -> Result<(), E> {
        self.visit_f64(x as f64)
    }

    fn visit_u64<E: de::Error>(self, x: u64) -> Result<(), E> {
        self.visit_f64(x as f64)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        Err(E::custom(format!(
            "the string {} is not a number",
            quote(s)
        )))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Entry { nest, depth } = self;
        nest.open(depth).map_err(de::Error::custom)?;
        let mut count = 0usize;
        while seq
            .next_element_seed(Entry {
                nest: &mut *nest,
                depth: depth + 1,
            })?
            .is_some()
        {
            count += 1;
        }
        nest.close(depth, count).map_err(de::Error::custom)
    }
}
