//! Where importers put what they read, and the per-file context that reports errors and skips.

use std::fmt;
use std::path::{Path, PathBuf};

use rapport_model::Record;

use crate::{ErrorKind, FieldReport, ImportError, Location, ReadOptions};

/// Receives what an importer reads.
pub trait Sink {
    /// Takes one record. An error aborts the import.
    fn record(&mut self, record: Record) -> Result<(), SinkError>;
    /// Hears of a record that was skipped, and why.
    fn skipped(&mut self, skipped: Skipped);
    /// Hears how far the import has come, in bytes of the source file.
    fn progress(&mut self, done: u64, total: u64);
    /// Hears, once per archive member, which source fields were mapped and which ignored.
    /// Table formats send none; sinks that do not list fields need not implement it.
    fn fields(&mut self, _report: &FieldReport) {}
}

/// A sink's refusal of a record (a store failure), kept with its cause.
#[derive(Debug)]
pub struct SinkError(pub Box<dyn std::error::Error + Send + Sync>);

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SinkError {}

/// A record that was read but not imported.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    /// The file it is in.
    pub file: PathBuf,
    /// Where in the file.
    pub location: Location,
    /// Why it was skipped.
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}: {}", self.file.display(), self.location, self.reason)
    }
}

/// The state shared by the readers of one file: its path, the options, and the sink.
pub(crate) struct Context<'a> {
    pub(crate) path: &'a Path,
    pub(crate) options: &'a ReadOptions,
    sink: &'a mut dyn Sink,
    /// When this read started: no record may be dated (much) later.
    started: rapport_model::Timestamp,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        path: &'a Path,
        options: &'a ReadOptions,
        sink: &'a mut dyn Sink,
    ) -> Context<'a> {
        Context { path, options, sink, started: crate::checks::now() }
    }

    /// An error at `location` in this file.
    pub(crate) fn error(&self, location: Option<Location>, kind: ErrorKind) -> ImportError {
        ImportError { file: self.path.to_owned(), location, kind }
    }

    /// Hands a record to the sink after [`crate::checks::record`]; a record that fails them is
    /// invalid (an error, or skipped with `skip_invalid`).
    pub(crate) fn emit(
        &mut self,
        mut record: Record,
        location: Location,
    ) -> Result<(), ImportError> {
        if let Err(kind) = crate::checks::record(&mut record, self.started) {
            return self.invalid(location, kind);
        }
        self.sink.record(record).map_err(|e| self.error(Some(location), ErrorKind::Sink(e)))
    }

    pub(crate) fn skip(&mut self, location: Location, reason: impl Into<String>) {
        let skipped = Skipped { file: self.path.to_owned(), location, reason: reason.into() };
        self.sink.skipped(skipped);
    }

    /// A malformed record: an error, or a skip when the user asked to skip invalid records.
    pub(crate) fn invalid(
        &mut self,
        location: Location,
        kind: ErrorKind,
    ) -> Result<(), ImportError> {
        if self.options.skip_invalid {
            self.skip(location, kind.to_string());
            Ok(())
        } else {
            Err(self.error(Some(location), kind))
        }
    }

    pub(crate) fn progress(&mut self, done: u64, total: u64) {
        self.sink.progress(done, total);
    }

    pub(crate) fn fields(&mut self, report: &FieldReport) {
        self.sink.fields(report);
    }
}
