//! Export archives: a zip, a tar.gz or an extracted folder, read member by member into memory.
//!
//! Archives are hostile until proven otherwise. Every member name goes through [`name::check`]
//! (zip-slip, absolute paths), links are refused in tar files and not followed in folders, and every
//! read is bounded: per member, in total, and by compression ratio, so a zip bomb stops with a clear
//! error long before it fills memory. Nothing is ever extracted to disk.

mod folder;
pub(crate) mod name;
mod tar;
mod zip;

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::{ErrorKind, Location};

/// A failure while reading an archive: where (the member, when known) and what.
pub(crate) type Failure = (Option<Location>, ErrorKind);

/// How much an archive may unpack to. Real exports are far below these; media files, the bulk of an
/// export, are never decompressed because no importer reads them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Bytes decompressed over the whole archive.
    pub(crate) total: u64,
    /// Bytes of one member.
    pub(crate) member: u64,
    /// Largest accepted ratio of decompressed to compressed bytes.
    pub(crate) ratio: u64,
    /// Members below this size are never judged by their ratio: tiny files of repeated spaces
    /// legitimately compress very well.
    pub(crate) ratio_floor: u64,
    /// Entries in the archive.
    pub(crate) entries: usize,
}

impl Limits {
    /// The limits every import uses.
    pub(crate) const DEFAULT: Limits = Limits {
        total: 8 << 30,
        member: 2 << 30,
        ratio: 250,
        ratio_floor: 1 << 20,
        entries: 500_000,
    };
}

/// What kind of container a path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    Folder,
    Zip,
    TarGz,
    Tar,
}

/// One member of an archive.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// Its checked path, `a/b/c`.
    pub(crate) name: String,
    /// Its size in bytes as the archive states it (for progress only: reads are bounded anyway).
    pub(crate) size: u64,
}

/// An opened archive.
pub(crate) struct Archive {
    source: Source,
    entries: Vec<Entry>,
    limits: Limits,
    /// Bytes decompressed so far, across members.
    unpacked: u64,
}

enum Source {
    Folder(std::path::PathBuf),
    Zip(zip::Zip),
    /// Members already in memory: a tar stream (which cannot seek) or bytes handed in by a caller.
    Memory(Vec<Vec<u8>>),
}

/// Tells whether `path` is an archive, and which kind, from its content (not its name).
/// Returns `None` for anything else, including a missing file, which the text readers report.
pub(crate) fn sniff(path: &Path) -> Result<Option<Container>, ErrorKind> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => return Ok(Some(Container::Folder)),
        Ok(_) => {}
        Err(_) => return Ok(None),
    }
    // Enough compressed bytes to unpack a whole tar header from a gzip stream.
    let mut head = Vec::with_capacity(4096);
    File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head)).map_err(ErrorKind::Io)?;
    Ok(sniff_bytes(&head))
}

/// Tells an archive from the first bytes of a file.
pub(crate) fn sniff_bytes(head: &[u8]) -> Option<Container> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(Container::Zip);
    }
    if is_tar(head) {
        return Some(Container::Tar);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        // A gzip file is a tar.gz only if what it unpacks to starts with a tar header; a
        // gzipped table is read by the table readers.
        let mut inner = Vec::with_capacity(512);
        let _ = MultiGzDecoder::new(head).take(512).read_to_end(&mut inner);
        if is_tar(&inner) {
            return Some(Container::TarGz);
        }
    }
    None
}

/// True when `block` starts with a POSIX or GNU tar header.
fn is_tar(block: &[u8]) -> bool {
    block.len() >= 262 && &block[257..262] == b"ustar"
}

impl Archive {
    /// Opens the archive at `path`, listing its members.
    pub(crate) fn open(path: &Path, container: Container) -> Result<Archive, Failure> {
        let limits = Limits::DEFAULT;
        let (source, entries) = match container {
            Container::Folder => folder::list(path, &limits)?,
            Container::Zip => {
                let file = File::open(path).map_err(|e| (None, ErrorKind::Io(e)))?;
                zip::open(Box::new(io::BufReader::new(file)), &limits)?
            }
            Container::TarGz => {
                let file = File::open(path).map_err(|e| (None, ErrorKind::Io(e)))?;
                tar::read(io::BufReader::new(file), true, &limits)?
            }
            Container::Tar => {
                let file = File::open(path).map_err(|e| (None, ErrorKind::Io(e)))?;
                tar::read(io::BufReader::new(file), false, &limits)?
            }
        };
        Ok(Archive { source, entries, limits, unpacked: 0 })
    }

    /// An archive from bytes in memory: a zip or a tar(.gz), as [`sniff_bytes`] tells.
    pub(crate) fn from_bytes(bytes: Vec<u8>) -> Result<Archive, Failure> {
        let limits = Limits::DEFAULT;
        let (source, entries) = match sniff_bytes(&bytes) {
            Some(Container::Zip) => zip::open(Box::new(io::Cursor::new(bytes)), &limits)?,
            Some(Container::TarGz) => tar::read(io::Cursor::new(bytes), true, &limits)?,
            Some(Container::Tar) => tar::read(io::Cursor::new(bytes), false, &limits)?,
            Some(Container::Folder) | None => {
                return Err((None, ErrorKind::BadArchive("not a zip or tar archive".into())));
            }
        };
        Ok(Archive { source, entries, limits, unpacked: 0 })
    }

    /// An archive of members given by name and content; the names are checked like any other.
    pub(crate) fn from_members(members: Vec<(String, Vec<u8>)>) -> Result<Archive, Failure> {
        let mut entries = Vec::with_capacity(members.len());
        let mut data = Vec::with_capacity(members.len());
        for (raw, bytes) in members {
            let name = name::check(&raw).map_err(|kind| (Some(member(&raw)), kind))?;
            entries.push(Entry { name, size: bytes.len() as u64 });
            data.push(bytes);
        }
        Ok(Archive { source: Source::Memory(data), entries, limits: Limits::DEFAULT, unpacked: 0 })
    }

    /// The archive's members, in archive order.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Reads member `index` into memory, within the limits.
    pub(crate) fn read(&mut self, index: usize) -> Result<Vec<u8>, Failure> {
        let name = &self.entries[index].name;
        let budget = Budget {
            member: self.limits.member,
            total_left: self.limits.total.saturating_sub(self.unpacked),
            limits: self.limits,
        };
        let bytes = match &mut self.source {
            Source::Folder(root) => folder::read(root, name, &budget),
            Source::Zip(zip) => zip.read(index, &budget),
            Source::Memory(data) => Ok(std::mem::take(&mut data[index])),
        }
        .map_err(|kind| (Some(member(name)), kind))?;
        self.unpacked += bytes.len() as u64;
        Ok(bytes)
    }
}

/// What one read may still unpack.
pub(crate) struct Budget {
    member: u64,
    total_left: u64,
    limits: Limits,
}

/// Reads `reader` to the end in chunks, stopping with an error as soon as it passes a limit:
/// the member or total budget, or `compressed` times the ratio limit.
pub(crate) fn bounded_read(
    mut reader: impl Read,
    compressed: Option<u64>,
    budget: &Budget,
    corrupt: impl Fn(io::Error) -> ErrorKind,
) -> Result<Vec<u8>, ErrorKind> {
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(corrupt(e)),
        };
        out.extend_from_slice(&chunk[..n]);
        let len = out.len() as u64;
        if len > budget.member.min(budget.total_left) {
            return Err(ErrorKind::TooLarge { limit: budget.member.min(budget.limits.total) });
        }
        if let Some(packed) = compressed {
            let limits = &budget.limits;
            if len > limits.ratio_floor && len > packed.saturating_mul(limits.ratio) {
                return Err(ErrorKind::CompressionRatio { ratio: limits.ratio });
            }
        }
    }
}

/// The location of a whole member.
pub(crate) fn member(name: &str) -> Location {
    Location::Member { name: name.to_owned(), at: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_archives_from_tables() {
        assert_eq!(sniff_bytes(b"PK\x03\x04rest"), Some(Container::Zip));
        assert_eq!(sniff_bytes(b"source,target\n"), None);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"a b\n").unwrap();
        assert_eq!(sniff_bytes(&gz.finish().unwrap()), None);
    }
}
