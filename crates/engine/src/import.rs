//! Importing files: each file is one batch, read by the importers and written in one transaction.

use std::io::Read;
use std::path::{Path, PathBuf};

use rapport_import::{FieldReport, Format, ReadOptions, Sink, SinkError, Skipped};
use rapport_model::{InteractionKind, Network, Record};
use rapport_store::{ImportCounts, ImportMeta, Read as _, RecordWriter, Store};

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
    /// For archives: what each member held, which fields were mapped and which ignored.
    pub fields: Vec<FieldReport>,
}

impl Engine {
    /// Imports each file as its own batch, stopping at the first file that fails; files before it
    /// stay imported, the failed one leaves the store unchanged.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn import(
        &self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &mut dyn Progress,
    ) -> Result<Vec<FileSummary>> {
        paths.iter().map(|p| self.import_file(p, options, progress)).collect()
    }

    fn import_file(
        &self,
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn Progress,
    ) -> Result<FileSummary> {
        let (checksum, bytes) = checksum(path)?;
        let format = match options.format {
            Some(f) => f,
            None => rapport_import::detect(path)?,
        };
        let read_options = read_options(format, options);
        let meta = ImportMeta {
            path: path.display().to_string(),
            format: format.name().to_owned(),
            checksum,
            bytes,
            started_at: now(),
        };
        self.batch(&meta, path, format, options, progress, |sink| {
            rapport_import::read(path, &read_options, sink).map(|_| ())
        })
    }

    /// Downloads a Bluesky repository (`bsky:HANDLE` or a DID) from `service` with the
    /// official `com.atproto.sync.getRepo`, checks its signature against the account's key (from
    /// the PLC `directory` for `did:plc` accounts) and imports it as one batch, with the handles
    /// and names of the accounts it meets found through the AppView at `appview` (when given)
    /// and `service`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub fn import_bluesky(
        &self,
        spec: &str,
        (service, directory, appview): (&str, &str, Option<&str>),
        options: &ImportOptions,
        progress: &mut dyn Progress,
    ) -> Result<FileSummary> {
        let mut fetched = rapport_import::bluesky::fetch_repo(spec, service, directory)?;
        // Accounts the store already has a handle for are not asked about again.
        let named: std::collections::HashSet<String> = self
            .read()?
            .store
            .described_accounts()?
            .into_iter()
            .filter(|a| a.network == Network::Bluesky && a.handle.is_some())
            .map(|a| a.native_id)
            .collect();
        rapport_import::bluesky::name_met(&mut fetched, appview, &named);
        let format = Format::BlueskyCar;
        let read_options = read_options(format, options);
        let origin = fetched.origin();
        let meta = ImportMeta {
            path: format!("{} from {}", origin.display(), fetched.service),
            format: format.name().to_owned(),
            checksum: format!("xxh3-128:{:032x}", xxhash_rust::xxh3::xxh3_128(&fetched.car)),
            bytes: fetched.car.len() as u64,
            started_at: now(),
        };
        self.batch(&meta, &origin, format, options, progress, |sink| {
            rapport_import::bluesky::read_fetched(&fetched, &read_options, sink)
        })
    }

    /// One import batch: `read` runs on its own thread and everything it reads is written in one
    /// transaction.
    fn batch(
        &self,
        meta: &ImportMeta,
        path: &Path,
        format: Format,
        options: &ImportOptions,
        progress: &mut dyn Progress,
        read: impl FnOnce(&mut dyn Sink) -> Result<(), rapport_import::ImportError> + Send,
    ) -> Result<FileSummary> {
        progress.start(path, meta.bytes);
        let mut skipped = Vec::new();
        let mut fields = Vec::new();
        let result = self.store.import(meta, |writer| {
            let mut sink = StoreSink {
                writer,
                counts: ImportCounts::default(),
                skipped: &mut skipped,
                fields: &mut fields,
                keep: options.keep_skipped,
                progress: &mut *progress,
            };
            pipeline(path, read, &mut sink)?;
            Ok::<_, Error>(sink.counts)
        });
        progress.finish();
        let row = result?;
        Ok(FileSummary {
            path: path.to_owned(),
            format,
            counts: row.counts,
            skipped,
            bytes: meta.bytes,
            fields,
        })
    }
}

/// The importer's options for one source of a known format.
fn read_options(format: Format, options: &ImportOptions) -> ReadOptions {
    ReadOptions {
        format: Some(format),
        network: options.network.unwrap_or_default(),
        kind: options.kind,
        skip_invalid: options.skip_invalid,
    }
}

/// What the reading thread sends the writing one.
enum Message {
    Records(Vec<Record>),
    Skipped(Skipped),
    Fields(FieldReport),
    Progress(u64),
}

/// How many records travel together between the threads.
const BATCH: usize = 4096;

/// Reads `path` on its own thread while this one writes what it reads: decompressing and parsing
/// overlap with the store's inserts, so an import uses two cores. The channel is bounded, so a
/// slow store holds the reader back rather than filling memory.
///
/// Written batches go back to the reading thread, which frees their records and reuses the batch:
/// memory is then freed by the thread that allocated it, which the allocator does without locks,
/// and on the less busy of the two threads.
fn pipeline(
    path: &Path,
    read: impl FnOnce(&mut dyn Sink) -> Result<(), rapport_import::ImportError> + Send,
    sink: &mut StoreSink<'_>,
) -> Result<()> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Message>(16);
    let (spent_tx, spent) = std::sync::mpsc::sync_channel::<Vec<Record>>(16);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut forward = ChannelSink { tx, batch: Vec::with_capacity(BATCH), spent };
            let result = read(&mut forward);
            // The last partial batch; if the writer stopped, its error is the one reported.
            let _ = forward.flush();
            result
        });
        let mut written: Result<(), SinkError> = Ok(());
        for message in &rx {
            match message {
                Message::Records(records) => {
                    for record in &records {
                        if let Err(e) = sink.write(record) {
                            written = Err(e);
                            break;
                        }
                    }
                    // When the reader has stopped taking batches back, this one is freed here.
                    let _ = spent_tx.try_send(records);
                }
                Message::Skipped(s) => sink.skipped(s),
                Message::Fields(f) => sink.fields(&f),
                Message::Progress(done) => sink.progress(done, 0),
            }
            if written.is_err() {
                // Dropping the receiver stops the reader at its next send.
                break;
            }
        }
        drop(rx);
        let read = reader.join().map_err(|_| Error::ReaderFailed { path: path.to_owned() })?;
        // A store failure explains a reader stopped half-way better than the reader's own error.
        written.map_err(|e| Error::WriteFailed { path: path.to_owned(), reason: e.to_string() })?;
        read?;
        Ok(())
    })
}

/// The reading thread's sink: batches records and sends everything to the writer.
struct ChannelSink {
    tx: std::sync::mpsc::SyncSender<Message>,
    batch: Vec<Record>,
    /// Batches the writer is done with.
    spent: std::sync::mpsc::Receiver<Vec<Record>>,
}

impl ChannelSink {
    fn flush(&mut self) -> Result<(), SinkError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let next = match self.spent.try_recv() {
            Ok(mut spent) => {
                spent.clear();
                spent
            }
            Err(_) => Vec::with_capacity(BATCH),
        };
        let batch = std::mem::replace(&mut self.batch, next);
        self.tx.send(Message::Records(batch)).map_err(|_| stopped())
    }
}

fn stopped() -> SinkError {
    SinkError("the store stopped taking records".into())
}

impl Sink for ChannelSink {
    fn record(&mut self, record: Record) -> Result<(), SinkError> {
        self.batch.push(record);
        if self.batch.len() >= BATCH { self.flush() } else { Ok(()) }
    }

    fn skipped(&mut self, skipped: Skipped) {
        // Order matters only for counts, which the writer keeps; a closed channel is reported by
        // the next record.
        let _ = self.tx.send(Message::Skipped(skipped));
    }

    fn fields(&mut self, report: &FieldReport) {
        let _ = self.tx.send(Message::Fields(report.clone()));
    }

    fn progress(&mut self, done: u64, _total: u64) {
        let _ = self.tx.send(Message::Progress(done));
    }
}

/// Writes what the importer reads into the store, counting as it goes.
struct StoreSink<'a> {
    writer: &'a mut dyn RecordWriter,
    counts: ImportCounts,
    skipped: &'a mut Vec<Skipped>,
    fields: &'a mut Vec<FieldReport>,
    keep: usize,
    progress: &'a mut dyn Progress,
}

impl StoreSink<'_> {
    /// Writes one record, which the caller keeps (to free it on the thread that made it).
    fn write(&mut self, record: &Record) -> Result<(), SinkError> {
        self.counts.read += 1;
        self.writer.write(record).map_err(|e| SinkError(Box::new(e)))
    }
}

impl Sink for StoreSink<'_> {
    fn record(&mut self, record: Record) -> Result<(), SinkError> {
        self.write(&record)
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

    fn fields(&mut self, report: &FieldReport) {
        self.fields.push(report.clone());
    }
}

/// The xxh3-128 checksum in hex and the size of a file, or of a folder's files (their relative
/// paths and contents, in path order), recorded with the import.
fn checksum(path: &Path) -> Result<(String, u64)> {
    let io = |p: &Path, source| Error::Io { path: p.to_owned(), source };
    let mut files = Vec::new();
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => files.push(path.to_owned()),
        Ok(m) if m.is_dir() => collect_files(path, &mut files).map_err(|e| io(path, e))?,
        // Missing paths get the importer's clearer errors.
        _ => return Ok((String::new(), 0)),
    }
    files.sort();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    for file in &files {
        if let Ok(relative) = file.strip_prefix(path) {
            hasher.update(relative.to_string_lossy().as_bytes());
        }
        let mut f = std::fs::File::open(file).map_err(|e| io(file, e))?;
        loop {
            let n = f.read(&mut buf).map_err(|e| io(file, e))?;
            if n == 0 {
                break;
            }
            bytes += n as u64;
            hasher.update(&buf[..n]);
        }
    }
    Ok((format!("xxh3-128:{:032x}", hasher.digest128()), bytes))
}

/// Every regular file below `dir`; links are not followed, as the importers do not follow them.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_files(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
