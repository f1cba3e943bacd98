//! Importing files: each file is one batch, read by the importers and written in one transaction.

use std::io::Read;
use std::path::{Path, PathBuf};

use rapport_import::{Format, ReadOptions, Sink, SinkError, Skipped};
use rapport_model::{InteractionKind, Network, Record};
use rapport_store::{ImportCounts, ImportMeta, RecordWriter, Store};

use crate::{Engine, Error, Result};

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The format to read the files as; `None` detects each file's format.
    pub format: Option<Format>,
    /// The network of tables that name none.
    pub network: Option<Network>,
    /// The kind of the edges of SNAP edge lists.
    pub kind: Option<InteractionKind>,
    /// Skip malformed records with a reason instead of stopping at the first.
    pub skip_invalid: bool,
    /// How many skipped records to keep for the summary (all are counted).
    pub keep_skipped: usize,
}

/// Hears how an import is going, to draw a progress bar.
pub trait Progress {
    /// A file of `total` bytes starts.
    fn start(&mut self, file: &Path, total: u64);
    /// `done` bytes of the current file have been read.
    fn advance(&mut self, done: u64);
    /// The current file is finished.
    fn finish(&mut self);
}

/// What importing one file did.
#[derive(Clone, Debug)]
pub struct FileSummary {
    /// The file.
    pub path: PathBuf,
    /// The format it was read as.
    pub format: Format,
    /// The counts.
    pub counts: ImportCounts,
    /// The first skipped records, with reasons.
    pub skipped: Vec<Skipped>,
    /// The file's size in bytes.
    pub bytes: u64,
}

impl Engine {
    /// Imports each file as its own batch, stopping at the first file that fails; files before it
    /// stay imported, the failed one leaves the store unchanged.
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &mut dyn Progress,
    ) -> Result<Vec<FileSummary>> {
        paths.iter().map(|p| self.import_file(p, options, progress)).collect()
    }

    fn import_file(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn Progress,
    ) -> Result<FileSummary> {
        let (checksum, bytes) = checksum(path)?;
        let format = match options.format {
            Some(f) => f,
            None => rapport_import::detect(path)?,
        };
        let read_options = ReadOptions {
            format: Some(format),
            network: options.network.unwrap_or_default(),
            kind: options.kind,
            skip_invalid: options.skip_invalid,
        };
        let meta = ImportMeta {
            path: path.display().to_string(),
            format: format.name().to_owned(),
            checksum,
            bytes,
            started_at: now(),
        };
        progress.start(path, bytes);
        let mut skipped = Vec::new();
        let result = self.store.import(&meta, |writer| {
            let mut sink = StoreSink {
                writer,
                counts: ImportCounts::default(),
                skipped: &mut skipped,
                keep: options.keep_skipped,
                progress: &mut *progress,
            };
            rapport_import::read(path, &read_options, &mut sink)?;
            Ok::<_, Error>(sink.counts)
        });
        progress.finish();
        let row = result?;
        Ok(FileSummary {
            path: path.to_owned(),
            format,
            counts: row.counts,
            skipped,
            bytes,
        })
    }
}

/// Writes what the importer reads into the store, counting as it goes.
struct StoreSink<'a> {
    writer: &'a mut dyn RecordWriter,
    counts: ImportCounts,
    skipped: &'a mut Vec<Skipped>,
    keep: usize,
    progress: &'a mut dyn Progress,
}

impl Sink for StoreSink<'_> {
    fn record(&mut self, record: Record) -> Result<(), SinkError> {
        self.counts.read += 1;
        self.writer.write(&record).map_err(|e| SinkError(Box::new(e)))
    }

    fn skipped(&mut self, skipped: Skipped) {
        self.counts.read += 1;
        self.counts.skipped += 1;
        if self.skipped.len() < self.keep {
            self.skipped.push(skipped);
        }
    }

    fn progress(&mut self, done: u64, _total: u64) {
        self.progress.advance(done);
    }
}

/// The file's xxh3-128 checksum in hex and its size, recorded with the import.
fn checksum(path: &Path) -> Result<(String, u64)> {
    let io = |source| Error::Io { path: path.to_owned(), source };
    let meta = std::fs::metadata(path);
    // Missing files and folders get the importer's clearer errors.
    if meta.as_ref().map_or(true, |m| !m.is_file()) {
        return Ok((String::new(), 0));
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((format!("xxh3-128:{:032x}", hasher.digest128()), bytes))
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
