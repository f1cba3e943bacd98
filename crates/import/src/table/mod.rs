//! Interaction tables: the format every other source reduces to, and the one researchers and
//! spreadsheets use. CSV and JSONL with named columns, and SNAP's edge-list family.

pub mod csv;
pub mod jsonl;
pub mod snap;

#[cfg(test)]
mod proptests;

use rapport_model::{Interaction, InteractionKind, Network, time};

use crate::ErrorKind;

/// The columns of the CSV and JSONL table format, required first.
pub const COLUMNS: [&str; 9] =
    ["timestamp", "source", "target", "kind", "network", "id", "text", "post_id", "reply_to"];

/// How many of [`COLUMNS`] every table must have.
const REQUIRED: usize = 4;

/// The fields of one table row, by column, as found in the source.
#[derive(Default)]
pub(crate) struct Fields<'a> {
    pub(crate) values: [Option<&'a str>; COLUMNS.len()],
}

impl<'a> Fields<'a> {
    fn get(&self, column: usize) -> Option<&'a str> {
        self.values[column].filter(|v| !v.is_empty())
    }
}

/// The column index of a header name, or the error naming it.
pub(crate) fn column(name: &str) -> Result<usize, ErrorKind> {
    let name = name.trim();
    COLUMNS
        .iter()
        .position(|c| c.eq_ignore_ascii_case(name))
        .ok_or_else(|| ErrorKind::UnknownColumn(name.to_owned()))
}

/// Checks that a header has every required column.
pub(crate) fn check_required(present: &[bool; COLUMNS.len()]) -> Result<(), ErrorKind> {
    match present[..REQUIRED].iter().position(|p| !p) {
        Some(missing) => Err(ErrorKind::MissingColumn(COLUMNS[missing])),
        None => Ok(()),
    }
}

/// What a valid row turns into.
pub(crate) enum Row {
    /// An interaction to import.
    Interaction(Interaction),
    /// A well-formed row that says nothing about a relationship, and why.
    Skip(String),
}

/// Builds the interaction of one table row. `network` applies when the row names none.
pub(crate) fn row(fields: &Fields<'_>, network: Network) -> Result<Row, ErrorKind> {
    let at = match fields.get(0) {
        None => None,
        Some(t) => Some(time::parse(t).ok_or_else(|| {
            ErrorKind::bad_value("timestamp", t, "use RFC 3339 (2024-03-01T09:30:00Z) or Unix seconds, or leave it empty for an undated fact")
        })?),
    };
    let source = fields.get(1).map(str::trim).ok_or(ErrorKind::Empty("source"))?;
    let target = fields.get(2).map(str::trim).ok_or(ErrorKind::Empty("target"))?;
    let kind_text = fields.get(3).ok_or(ErrorKind::Empty("kind"))?;
    let kind: InteractionKind = kind_text.parse().map_err(|e: rapport_model::UnknownKind| {
        ErrorKind::bad_value("kind", kind_text, e.to_string())
    })?;
    let network = match fields.get(4) {
        None => network,
        Some(n) => n.parse().map_err(|e: rapport_model::UnknownNetwork| {
            ErrorKind::bad_value("network", n, e.to_string())
        })?,
    };
    if source.is_empty() {
        return Err(ErrorKind::Empty("source"));
    }
    if target.is_empty() {
        return Err(ErrorKind::Empty("target"));
    }
    if source == target {
        return Ok(Row::Skip(format!(
            "{source} {kind} {target}: an account acting on itself says nothing about a relationship"
        )));
    }
    let owned = |c: usize| fields.get(c).map(str::to_owned);
    Ok(Row::Interaction(Interaction {
        network,
        native_id: owned(5),
        at,
        source: source.to_owned(),
        target: target.to_owned(),
        kind,
        post_id: owned(7),
        reply_to: owned(8),
        text: owned(6),
    }))
}
