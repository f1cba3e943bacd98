//! Parsing one chunk of edge-list text into original ids, by hand for speed.
//!
//! Fields are separated by spaces, tabs or commas, so SNAP text (`a b`, `a b w`, `a b t`),
//! CSV (`a,b,rating,t`), Higgs activity lines (`a b t RT`) and networkx dumps (`a b {}`) all
//! parse; columns past the two ids are ignored unless one is named as the weight.

/// What one chunk yields: interleaved `(source, target)` ids, weights, and bookkeeping.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) ids: Vec<u64>,
    pub(crate) weights: Vec<f32>,
    pub(crate) lines: u64,
    pub(crate) max_id: u64,
}

/// A malformed line: its 1-based number within the chunk and the reason.
#[derive(Debug)]
pub(crate) struct ChunkError {
    pub(crate) line: u64,
    pub(crate) message: String,
}

fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b',' | b';')
}

fn parse_id(field: &[u8]) -> Option<u64> {
    if field.is_empty() || field.len() > 20 {
        return None;
    }
    let mut value = 0u64;
    for &b in field {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some(value)
}

fn show(field: &[u8]) -> String {
    String::from_utf8_lossy(&field[..field.len().min(40)]).into_owned()
}

/// Parses `text` (whole lines). `weight_column` is the 0-based column holding the weight;
/// `header_allowed` lets the first data line be a non-numeric header (CSV files).
pub(crate) fn parse_chunk(
    text: &[u8],
    weight_column: Option<usize>,
    header_allowed: bool,
) -> Result<Parsed, ChunkError> {
    let mut out = Parsed {
        ids: Vec::with_capacity(text.len() / 6),
        weights: Vec::new(),
        lines: 0,
        max_id: 0,
    };
    let mut header_allowed = header_allowed;
    for raw in text.split(|&b| b == b'\n') {
        out.lines += 1;
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.is_empty() || line[0] == b'#' || line[0] == b'%' {
            continue;
        }
        let mut fields = line.split(|&b| is_separator(b)).filter(|f| !f.is_empty());
        let Some(first) = fields.next() else { continue };
        let fail = |message: String| ChunkError { line: out.lines, message };
        let Some(a) = parse_id(first) else {
            if std::mem::take(&mut header_allowed) {
                continue;
            }
            return Err(fail(format!(
                "expected a non-negative integer node id, found `{}`",
                show(first)
            )));
        };
        header_allowed = false;
        let Some(second) = fields.next() else {
            return Err(fail("expected two node ids, found one field".to_owned()));
        };
        let Some(b) = parse_id(second) else {
            return Err(fail(format!(
                "expected a non-negative integer node id, found `{}`",
                show(second)
            )));
        };
        if let Some(col) = weight_column {
            let Some(field) = fields.nth(col.saturating_sub(2)) else {
                return Err(fail(format!("expected a weight in column {}", col + 1)));
            };
            let weight = std::str::from_utf8(field)
                .ok()
                .and_then(|s| s.parse::<f32>().ok())
                .filter(|w| w.is_finite() && *w >= 0.0);
            let Some(weight) = weight else {
                return Err(fail(format!(
                    "expected a finite non-negative weight in column {}, found `{}`",
                    col + 1,
                    show(field)
                )));
            };
            out.weights.push(weight);
        }
        out.max_id = out.max_id.max(a).max(b);
        out.ids.push(a);
        out.ids.push(b);
    }
    // `split` yields one empty piece after a final newline; it is not a line.
    if text.last() == Some(&b'\n') {
        out.lines -= 1;
    }
    Ok(out)
}
