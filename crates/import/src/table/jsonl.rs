//! Interaction tables in JSON Lines: one object per line with the table's columns as keys.

use serde_json::{Map, Value};

use super::{COLUMNS, Fields, Row, check_required, column, row};
use crate::input::each_line;
use crate::sink::Context;
use crate::{ErrorKind, ImportError, Location};

pub(crate) fn read(ctx: &mut Context<'_>) -> Result<(), ImportError> {
    each_line(ctx, |ctx, number, line| {
        let at = Location::Line(number);
        if line.trim().is_empty() {
            return Ok(());
        }
        let parsed = match parse(line) {
            Ok(p) => p,
            Err(kind) => return ctx.invalid(at, kind),
        };
        let mut fields = Fields::default();
        for (c, value) in &parsed {
            fields.values[*c] = Some(value.as_str());
        }
        match row(&fields, ctx.options.network) {
            Ok(Row::Interaction(i)) => ctx.emit(rapport_model::Record::Interaction(i), at),
            Ok(Row::Skip(reason)) => {
                ctx.skip(at, reason);
                Ok(())
            }
            Err(kind) => ctx.invalid(at, kind),
        }
    })
}

/// Parses one line into (column, text) pairs; numbers become their decimal text, null is absent.
fn parse(line: &str) -> Result<Vec<(usize, String)>, ErrorKind> {
    let object: Map<String, Value> = serde_json::from_str(line)
        .map_err(|e| ErrorKind::Malformed(format!("not a JSON object: {e}")))?;
    let mut present = [false; COLUMNS.len()];
    let mut out = Vec::with_capacity(object.len());
    for (key, value) in object {
        let c = column(&key)?;
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            other => {
                return Err(ErrorKind::bad_value(
                    COLUMNS[c],
                    &other.to_string(),
                    "expected a string or a number",
                ));
            }
        };
        present[c] = true;
        out.push((c, text));
    }
    // An undated row may leave the timestamp out entirely.
    present[0] = true;
    check_required(&present)?;
    Ok(out)
}
