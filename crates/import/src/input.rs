//! Opening a text source safely: gzip or plain, binary files refused, a BOM dropped, lines capped,
//! and the bytes read counted for the progress bar.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use flate2::read::MultiGzDecoder;

use crate::sink::Context;
use crate::{ErrorKind, ImportError, Location};

/// No interaction record comes near this; a longer line means a wrong or hostile file.
pub(crate) const MAX_LINE: usize = 1 << 20;

/// How much of the start of a file is checked for NUL bytes.
const SNIFF: usize = 8192;

/// A text source being read.
pub(crate) struct TextInput {
    pub(crate) reader: Box<dyn BufRead>,
    /// Raw (possibly compressed) bytes read so far.
    pub(crate) done: Rc<Cell<u64>>,
    /// The file's size in bytes.
    pub(crate) total: u64,
    pub(crate) gzip: bool,
    /// Where the record being read starts, in decoded bytes, for readers whose records may span
    /// lines (CSV's quoted fields); `None` caps lines only.
    pub(crate) record_start: Rc<Cell<Option<u64>>>,
}

/// The guard's own failures, carried through `io::Error` and turned back into [`ErrorKind`]s.
#[derive(Debug, thiserror::Error)]
enum Guard {
    #[error("binary data")]
    Binary,
    #[error("line too long")]
    LineTooLong,
    #[error("record too long")]
    RecordTooLong,
}

/// How far the readers above the guard (a 64 KiB buffer, the CSV reader's 8 KiB one) may read
/// ahead of the record they are parsing: a record is cut off at [`MAX_LINE`] plus this.
const READ_AHEAD: u64 = 128 << 10;

/// Opens `path` for reading as text.
pub(crate) fn open_text(ctx: &Context<'_>) -> Result<TextInput, ImportError> {
    let path = ctx.path;
    let file = open_file(path).map_err(|kind| ctx.error(None, kind))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let done = Rc::new(Cell::new(0));
    let mut raw = BufReader::new(Counting { inner: file, done: Rc::clone(&done) });
    let head = raw.fill_buf().map_err(|e| ctx.error(None, ErrorKind::Io(e)))?;
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    let decoded: Box<dyn Read> =
        if gzip { Box::new(MultiGzDecoder::new(raw)) } else { Box::new(raw) };
    let record_start = Rc::new(Cell::new(None));
    let guarded = Guarded {
        inner: decoded,
        since_newline: 0,
        sniffed: 0,
        started: false,
        delivered: 0,
        record_start: Rc::clone(&record_start),
    };
    Ok(TextInput {
        reader: Box::new(BufReader::with_capacity(1 << 16, guarded)),
        done,
        total,
        gzip,
        record_start,
    })
}

/// Opens a file, telling a missing file and a folder apart from other failures.
pub(crate) fn open_file(path: &Path) -> Result<File, ErrorKind> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ErrorKind::NotFound),
        Err(e) => return Err(ErrorKind::Io(e)),
        Ok(m) if m.is_dir() => return Err(ErrorKind::Folder),
        Ok(_) => {}
    }
    File::open(path).map_err(ErrorKind::Io)
}

/// Turns a read failure into the error a user can act on.
pub(crate) fn read_error(e: io::Error, gzip: bool) -> ErrorKind {
    if let Some(guard) = e.get_ref().and_then(|inner| inner.downcast_ref::<Guard>()) {
        return match guard {
            Guard::Binary => ErrorKind::Binary,
            Guard::LineTooLong => ErrorKind::LineTooLong { limit: MAX_LINE },
            Guard::RecordTooLong => ErrorKind::RecordTooLong { limit: MAX_LINE },
        };
    }
    let corrupt = matches!(
        e.kind(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
    );
    if gzip && corrupt { ErrorKind::BadGzip(e.to_string()) } else { ErrorKind::Io(e) }
}

/// How often (in lines) line readers report progress.
const PROGRESS_LINES: u64 = 16_384;

/// Opens the context's file as text and hands each line, with its number, to `f`, reporting
/// progress as it goes; the first error, of reading or of `f`, ends the read.
pub(crate) fn each_line(
    ctx: &mut Context<'_>,
    mut f: impl FnMut(&mut Context<'_>, u64, &str) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut lines = Lines::new(open_text(ctx)?);
    loop {
        if lines.number.is_multiple_of(PROGRESS_LINES) {
            let (done, total) = lines.progress();
            ctx.progress(done, total);
        }
        match lines.next_line() {
            Ok(Some((number, line))) => f(ctx, number, line)?,
            Ok(None) => break,
            Err((at, kind)) => return Err(ctx.error(Some(at), kind)),
        }
    }
    let (done, total) = lines.progress();
    ctx.progress(done, total);
    Ok(())
}

/// Reads a text input line by line into a reused buffer, with line numbers and clear errors.
pub(crate) struct Lines {
    input: TextInput,
    buf: Vec<u8>,
    pub(crate) number: u64,
}

impl Lines {
    pub(crate) fn new(input: TextInput) -> Lines {
        Lines { input, buf: Vec::with_capacity(256), number: 0 }
    }

    /// The next line's number and text without its line ending, or `None` at the end.
    pub(crate) fn next_line(&mut self) -> Result<Option<(u64, &str)>, (Location, ErrorKind)> {
        self.buf.clear();
        self.number += 1;
        let here = Location::Line(self.number);
        match self.input.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(e) => return Err((here, read_error(e, self.input.gzip))),
        }
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        match std::str::from_utf8(&self.buf) {
            Ok(line) => Ok(Some((self.number, line))),
            Err(_) => Err((here, ErrorKind::NotUtf8)),
        }
    }

    /// Raw bytes read so far and the file's size.
    pub(crate) fn progress(&self) -> (u64, u64) {
        (self.input.done.get(), self.input.total)
    }
}

struct Counting<R> {
    inner: R,
    done: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done.set(self.done.get() + n as u64);
        Ok(n)
    }
}

/// Checks decoded bytes as they stream past: NUL bytes near the start mean a binary file, a run of
/// more than [`MAX_LINE`] bytes without a newline means no record, and so does a record that runs
/// on past it whatever its newlines (when the reader says where records start); a UTF-8 BOM is
/// dropped.
struct Guarded<R> {
    inner: R,
    since_newline: usize,
    sniffed: usize,
    started: bool,
    /// Decoded bytes handed up so far, the BOM not counted.
    delivered: u64,
    record_start: Rc<Cell<Option<u64>>>,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut n = self.inner.read(buf)?;
        if !self.started && n > 0 {
            self.started = true;
            if buf[..n].starts_with(b"\xEF\xBB\xBF") {
                buf.copy_within(3..n, 0);
                n -= 3;
            }
        }
        let chunk = &buf[..n];
        if self.sniffed < SNIFF {
            let end = chunk.len().min(SNIFF - self.sniffed);
            if chunk[..end].contains(&0) {
                return Err(io::Error::new(io::ErrorKind::InvalidData, Guard::Binary));
            }
            self.sniffed += end;
        }
        self.since_newline = trailing_run(self.since_newline, chunk)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, Guard::LineTooLong))?;
        self.delivered += n as u64;
        if let Some(start) = self.record_start.get()
            && self.delivered.saturating_sub(start) > MAX_LINE as u64 + READ_AHEAD
        {
            return Err(io::Error::new(io::ErrorKind::InvalidData, Guard::RecordTooLong));
        }
        Ok(n)
    }
}

/// The length of the unfinished line at the end of `chunk`, which follows a run of `since_newline`
/// bytes without a newline, or `None` when a line in it runs past [`MAX_LINE`]. It finds the first
/// and last newline, reading about a line at each end rather than every byte: the lines between
/// them are shorter than the chunk, which is checked whole only when longer than a line may be.
fn trailing_run(since_newline: usize, chunk: &[u8]) -> Option<usize> {
    let newline = |b: &u8| *b == b'\n';
    let Some(first) = chunk.iter().position(newline) else {
        let run = since_newline + chunk.len();
        return (run <= MAX_LINE).then_some(run);
    };
    let last = chunk.iter().rposition(newline).unwrap_or(first);
    let inner_too_long =
        chunk.len() > MAX_LINE && chunk[first..last].split(newline).any(|l| l.len() > MAX_LINE);
    let rest = chunk.len() - last - 1;
    (since_newline + first <= MAX_LINE && !inner_too_long && rest <= MAX_LINE).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::{MAX_LINE, trailing_run};

    #[test]
    fn line_runs_are_measured_across_chunks() {
        assert_eq!(trailing_run(0, b"ab\ncd"), Some(2));
        assert_eq!(trailing_run(5, b"ab"), Some(7));
        assert_eq!(trailing_run(5, b"ab\n"), Some(0));
        assert_eq!(trailing_run(MAX_LINE - 1, b"a\nb"), Some(1));
        assert_eq!(trailing_run(MAX_LINE, b"a\nb"), None);
        assert_eq!(trailing_run(MAX_LINE, b""), Some(MAX_LINE));
        assert_eq!(trailing_run(MAX_LINE, b"a"), None);
        // A chunk longer than a line may be has its inner lines checked too.
        let mut long = vec![b'x'; MAX_LINE + 3];
        long[0] = b'\n';
        long[MAX_LINE + 2] = b'\n';
        assert_eq!(trailing_run(0, &long), None);
        long[MAX_LINE / 2] = b'\n';
        assert_eq!(trailing_run(0, &long), Some(0));
    }
}
