//! What the export fuzz targets share: a sink that keeps nothing, and the two ways to feed an
//! importer bytes (a whole archive, or one member beside a known owner so parsers past the owner
//! check are reached). Included by each target with `#[path]`, as cargo-fuzz builds one binary
//! per target.

use rapport_import::{FieldReport, Format, ReadOptions, Sink, SinkError, Skipped};
use rapport_model::Record;

/// Keeps nothing: the fuzzers only look for panics.
pub struct Discard;

impl Sink for Discard {
    fn record(&mut self, _: Record) -> Result<(), SinkError> {
        Ok(())
    }
    fn skipped(&mut self, _: Skipped) {}
    fn progress(&mut self, _: u64, _: u64) {}
    fn fields(&mut self, _: &FieldReport) {}
}

/// Input starting with a zip or gzip header is read as a whole archive; anything else becomes the
/// member its first byte picks from `members`, beside the owner member `owner`.
#[allow(dead_code, reason = "the table target uses only the sink")]
pub fn fuzz_export(data: &[u8], format: Format, owner: (&str, &[u8]), members: &[&str]) {
    let options = ReadOptions::default();
    if data.starts_with(b"PK") || data.starts_with(&[0x1f, 0x8b]) {
        let _ = rapport_import::read_bytes(data, Some(format), &options, &mut Discard);
        return;
    }
    let Some((&pick, body)) = data.split_first() else { return };
    let member = members[usize::from(pick) % members.len()];
    let files = vec![(owner.0.to_owned(), owner.1.to_vec()), (member.to_owned(), body.to_vec())];
    let _ = rapport_import::read_members(files, Some(format), &options, &mut Discard);
}
