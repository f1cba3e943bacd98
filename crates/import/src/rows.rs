//! CSV members of archives (LinkedIn's files, Mastodon's account lists): every row with its line
//! number, tolerant of what real exports do (a BOM, mixed line endings, rows of varying width), and
//! an error naming the member and line for what no CSV reader should accept.

use crate::export::Export;
use crate::{ErrorKind, ImportError, Location};

/// One CSV row and the line it starts on.
pub(crate) struct Row {
    pub(crate) line: u64,
    pub(crate) fields: Vec<String>,
}

impl Row {
    /// The field at `index`, trimmed; empty when the row is shorter.
    pub(crate) fn get(&self, index: Option<usize>) -> &str {
        index.and_then(|i| self.fields.get(i)).map_or("", |f| f.trim())
    }

    /// Where the row is in member `name`.
    pub(crate) fn at(&self, name: &str) -> Location {
        Location::Member { name: name.to_owned(), at: Some(Box::new(Location::Line(self.line))) }
    }
}

/// Parses all rows of a CSV member.
pub(crate) fn parse(
    ex: &Export<'_, '_>,
    name: &str,
    bytes: &[u8],
) -> Result<Vec<Row>, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    // (byte offset, line number at it)
    let mut counted = (0usize, 1u64);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(rows),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(counted.1, csv::Position::line);
                let at = Location::Member {
                    name: name.to_owned(),
                    at: Some(Box::new(Location::Line(line))),
                };
                return Err(ex.error(at, ErrorKind::Malformed(e.to_string())));
            }
        }
        // The csv crate does not count skipped blank lines, so lines are counted from the byte
        // offset of the record's start.
        let mut start = record
            .position()
            .map_or(counted.0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .min(bytes.len());
        // The position is where reading began, before the blank lines the reader skipped.
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > counted.0 {
            counted.1 += bytes[counted.0..start].iter().filter(|b| **b == b'\n').count() as u64;
            counted.0 = start;
        }
        let line = counted.1;
        let mut fields = Vec::with_capacity(record.len());
        for field in &record {
            let Ok(text) = std::str::from_utf8(field) else {
                let at = Location::Member {
                    name: name.to_owned(),
                    at: Some(Box::new(Location::Line(line))),
                };
                return Err(ex.error(at, ErrorKind::NotUtf8));
            };
            fields.push(text.to_owned());
        }
        rows.push(Row { line, fields });
    }
}

/// The index of each wanted column in a header row, matched without regard to case.
pub(crate) fn columns<const N: usize>(header: &Row, names: [&str; N]) -> [Option<usize>; N] {
    names.map(|name| header.fields.iter().position(|h| h.trim().eq_ignore_ascii_case(name)))
}
