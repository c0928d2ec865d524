//! UTF-8 text: routed by its first line with content to JSON, to the printed-repr rejection, or
//! to the reader of lines of numbers (one eigenvalue per line, all on one line, or a square
//! matrix).

use super::{Array, MAX_ELEMENTS, Parsed, json, kind_of, quote};

/// Text (anything that is not `.npy`): JSON when the first line that is not blank or a `#`
/// comment starts with `[` or `{`, a printed repr (an error) when it starts with a call or a
/// parenthesis, lines of numbers otherwise.
pub(super) fn parse(bytes: &[u8]) -> Parsed<Array> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(
            "a zip archive (np.savez or torch.save?), not a .npy file or text: save one array \
             with np.save"
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
    // byte offset of the current line
    let mut start = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') {
            start += raw.len();
            continue;
        }
        if content.starts_with(['[', '{']) {
            return json::parse(&text[start..], i);
        }
        if let Some(call) = json::call_at_start(content) {
            let column = raw.len() - raw.trim_start().len() + 1;
            return Err(json::printed(&quote(&format!("{call}(")), i + 1, column));
        }
        return lines(text);
    }
    Err("no eigenvalues: the file has only comments and blank lines".into())
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
    Ok(kind.array(values))
}
