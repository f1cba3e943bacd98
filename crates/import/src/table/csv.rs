//! Interaction tables in CSV: a header row naming the columns, then one interaction per record.
//! Also the writer, so that `rapport` can export a table that imports back unchanged.

use std::io::Write;

use rapport_model::{Interaction, time};

use super::{COLUMNS, Fields, Row, check_required, column, row};
use crate::input::{open_text, read_error};
use crate::sink::Context;
use crate::{ErrorKind, ImportError, Location};

/// How often (in records) progress is reported.
const PROGRESS_EVERY: u64 = 16_384;

pub(crate) fn read(ctx: &mut Context<'_>) -> Result<(), ImportError> {
    let input = open_text(ctx)?;
    let (done, total, gzip) = (input.done.clone(), input.total, input.gzip);
    // A quoted field may span lines, so the line cap alone would let one field (or a quote never
    // closed) run to the end of the file: records are capped too.
    let record_start = input.record_start.clone();
    record_start.set(Some(0));
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input.reader);
    let csv_error = |e: ::csv::Error| -> (Option<Location>, ErrorKind) {
        let at = e.position().map(|p| Location::Line(p.line()));
        let kind = match e.into_kind() {
            ::csv::ErrorKind::Io(io) => read_error(io, gzip),
            ::csv::ErrorKind::Utf8 { .. } => ErrorKind::NotUtf8,
            other => ErrorKind::Malformed(format!("{other:?}")),
        };
        (at, kind)
    };
    let mut record = ::csv::StringRecord::new();
    let has_header = reader.read_record(&mut record).map_err(|e| {
        let (at, kind) = csv_error(e);
        ctx.error(at, kind)
    })?;
    if !has_header {
        return Err(ctx.error(None, ErrorKind::Malformed("the file is empty".into())));
    }
    record_start.set(Some(reader.position().byte()));
    let header_at = Some(Location::Line(1));
    let mut map = Vec::with_capacity(record.len());
    let mut present = [false; COLUMNS.len()];
    for name in &record {
        let c = column(name).map_err(|k| ctx.error(header_at.clone(), k))?;
        present[c] = true;
        map.push(c);
    }
    check_required(&present).map_err(|k| ctx.error(header_at.clone(), k))?;
    let mut n = 0u64;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let (at, kind) = csv_error(e);
                return Err(ctx.error(at, kind));
            }
        }
        record_start.set(Some(reader.position().byte()));
        let at = Location::Line(record.position().map_or(0, |p| p.line()));
        n += 1;
        if n.is_multiple_of(PROGRESS_EVERY) {
            ctx.progress(done.get(), total);
        }
        if record.len() == 1 && record.get(0).is_some_and(str::is_empty) {
            continue;
        }
        if record.len() != map.len() {
            ctx.invalid(at, ErrorKind::FieldCount { expected: map.len(), found: record.len() })?;
            continue;
        }
        let mut fields = Fields::default();
        for (value, c) in record.iter().zip(&map) {
            fields.values[*c] = Some(value);
        }
        match row(&fields, ctx.options.network) {
            Ok(Row::Interaction(i)) => ctx.emit(rapport_model::Record::Interaction(i), at)?,
            Ok(Row::Skip(reason)) => ctx.skip(at, reason),
            Err(kind) => ctx.invalid(at, kind)?,
        }
    }
    ctx.progress(done.get(), total);
    Ok(())
}

/// Writes interactions as a CSV table with every column, which [`read`] imports back unchanged.
pub fn write<'a, W: Write>(
    out: W,
    interactions: impl IntoIterator<Item = &'a Interaction>,
) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for i in interactions {
        let at = i.at.map(time::format).unwrap_or_default();
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        w.write_record([
            at,
            i.source.clone(),
            i.target.clone(),
            i.kind.as_str().to_owned(),
            i.network.as_str().to_owned(),
            opt(&i.native_id),
            opt(&i.text),
            opt(&i.post_id),
            opt(&i.reply_to),
        ])?;
    }
    w.flush()
}
