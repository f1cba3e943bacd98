//! Tar archives, plain or gzipped (Mastodon's archive is a tar.gz). A gzip stream cannot seek, so
//! one pass lists the members importers read (JSON, JS and CSV files; media is skipped) and each
//! read of a member reads the stream again from its start up to that member, which keeps no
//! member in memory whatever their sizes. Every pass is bounded in size and compression ratio as
//! it is decompressed.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;

use super::{Entry, Failure, Limits, member, name};
use crate::ErrorKind;

/// The extensions of the members any importer reads; everything else (media) is skipped unread.
const WANTED: [&str; 3] = [".json", ".js", ".csv"];

/// Lists a tar stream (gzipped when `gzip`): the wanted members, and the position of each among
/// the stream's entries.
pub(super) fn list(
    reader: impl Read + 'static,
    gzip: bool,
    limits: &Limits,
) -> Result<(Vec<Entry>, Vec<usize>), Failure> {
    let mut archive = ::tar::Archive::new(guarded(reader, gzip, limits));
    let mut entries = Vec::new();
    let mut positions = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let iter = archive.entries().map_err(|e| (None, corrupt(e)))?;
    for (position, item) in iter.enumerate() {
        if position >= limits.entries {
            return Err((None, ErrorKind::BadArchive("more entries than any export has".into())));
        }
        let entry = item.map_err(|e| (None, corrupt(e)))?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let checked = name::check(&raw).map_err(|kind| (Some(member(&raw)), kind))?;
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            return Err((
                Some(member(&raw)),
                ErrorKind::UnsafeMember("the member is a symbolic or hard link"),
            ));
        }
        if !kind.is_file() || checked.is_empty() {
            continue;
        }
        name::unique(&mut seen, &checked).map_err(|kind| (Some(member(&raw)), kind))?;
        if !WANTED.iter().any(|ext| checked.ends_with(ext)) {
            continue;
        }
        let size = entry.header().size().unwrap_or(0);
        entries.push(Entry { name: checked, size });
        positions.push(position);
    }
    Ok((entries, positions))
}

/// Reads a tar stream up to the entry at `position` and hands it to `f`.
pub(super) fn stream<T>(
    reader: impl Read + 'static,
    gzip: bool,
    limits: &Limits,
    position: usize,
    f: impl FnOnce(&mut dyn Read) -> T,
) -> Result<T, ErrorKind> {
    let mut archive = ::tar::Archive::new(guarded(reader, gzip, limits));
    let mut iter = archive.entries().map_err(corrupt)?;
    let Some(item) = iter.nth(position) else {
        return Err(ErrorKind::BadArchive("the archive changed while it was read".into()));
    };
    let mut entry = item.map_err(corrupt)?;
    Ok(f(&mut entry))
}

/// The stream under the tar reader, counted and bounded.
fn guarded(reader: impl Read + 'static, gzip: bool, limits: &Limits) -> Guarded {
    let packed = Rc::new(Cell::new(0u64));
    let counted = Counting { inner: reader, count: Rc::clone(&packed) };
    let stream: Box<dyn Read> =
        if gzip { Box::new(MultiGzDecoder::new(counted)) } else { Box::new(counted) };
    Guarded { inner: stream, unpacked: 0, packed, limits: *limits, gzip }
}

/// A failed read of the stream: a limit the guard found passed, or corrupt data.
pub(super) fn corrupt(e: io::Error) -> ErrorKind {
    guard_error(&e).unwrap_or_else(|| ErrorKind::BadArchive(e.to_string()))
}

/// Which limit the stream passed, carried through `io::Error` to the tar reader and back.
#[derive(Debug, thiserror::Error)]
enum Guard {
    #[error("too large")]
    TooLarge(u64),
    #[error("compression ratio")]
    Ratio(u64),
}

fn guard_error(e: &io::Error) -> Option<ErrorKind> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<Guard>()).map(|guard| match guard {
        Guard::TooLarge(limit) => ErrorKind::TooLarge { limit: *limit },
        Guard::Ratio(ratio) => ErrorKind::CompressionRatio { ratio: *ratio },
    })
}

struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Bounds the decompressed stream: media members are skipped but still decompressed, so the bound
/// must sit here, under the tar reader, not on the members kept.
struct Guarded {
    inner: Box<dyn Read>,
    unpacked: u64,
    packed: Rc<Cell<u64>>,
    limits: Limits,
    gzip: bool,
}

impl Read for Guarded {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.unpacked += n as u64;
        if self.unpacked > self.limits.total {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                Guard::TooLarge(self.limits.total),
            ));
        }
        let ratio_exceeded = self.unpacked > self.limits.ratio_floor
            && self.unpacked > self.packed.get().saturating_mul(self.limits.ratio);
        if self.gzip && ratio_exceeded {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                Guard::Ratio(self.limits.ratio),
            ));
        }
        Ok(n)
    }
}
