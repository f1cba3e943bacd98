//! Export archives: a zip, a tar.gz or an extracted folder, read member by member, each member
//! either streamed ([`Archive::stream`]) or read whole into memory ([`Archive::read`]).
//!
//! Archives are hostile until proven otherwise. Every member name goes through [`name::check`]
//! (zip-slip, absolute paths), links and two members of one name are refused, links are not
//! followed in folders, and every read is bounded: per member, in total, and by compression ratio,
//! so a zip bomb stops with a clear error long before it fills memory. Nothing is ever extracted to
//! disk, and no member is kept in memory beyond the read that asked for it: a tar stream, which
//! cannot seek, is read again from its start for each member.

mod folder;
pub(crate) mod name;
mod tar;
mod zip;

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

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
    /// Bytes of one member read whole into memory ([`Archive::read`]); members that can grow
    /// without end (X's lists and tweets) are streamed instead, within `member`.
    pub(crate) whole: u64,
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
        whole: 512 << 20,
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
    Folder(PathBuf),
    Zip(zip::Zip),
    /// A tar stream and, for each listed entry, its position among the stream's entries.
    Tar {
        origin: TarOrigin,
        gzip: bool,
        positions: Vec<usize>,
    },
    /// Members handed in by a caller.
    Memory(Vec<Vec<u8>>),
}

/// Where a tar stream is read from, again for each member.
enum TarOrigin {
    File(PathBuf),
    Bytes(Rc<[u8]>),
}

impl TarOrigin {
    fn open(&self) -> io::Result<Box<dyn Read>> {
        Ok(match self {
            TarOrigin::File(path) => Box::new(io::BufReader::new(File::open(path)?)),
            TarOrigin::Bytes(bytes) => Box::new(io::Cursor::new(Rc::clone(bytes))),
        })
    }
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
            Container::TarGz | Container::Tar => {
                let origin = TarOrigin::File(path.to_owned());
                tar_source(origin, container == Container::TarGz, &limits)?
            }
        };
        Ok(Archive { source, entries, limits, unpacked: 0 })
    }

    /// An archive from bytes in memory: a zip or a tar(.gz), as [`sniff_bytes`] tells.
    pub(crate) fn from_bytes(bytes: Vec<u8>) -> Result<Archive, Failure> {
        let limits = Limits::DEFAULT;
        let (source, entries) = match sniff_bytes(&bytes) {
            Some(Container::Zip) => zip::open(Box::new(io::Cursor::new(bytes)), &limits)?,
            Some(Container::TarGz) => tar_source(TarOrigin::Bytes(bytes.into()), true, &limits)?,
            Some(Container::Tar) => tar_source(TarOrigin::Bytes(bytes.into()), false, &limits)?,
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
        let mut seen = std::collections::HashSet::new();
        for (raw, bytes) in members {
            let name = name::check(&raw).map_err(|kind| (Some(member(&raw)), kind))?;
            name::unique(&mut seen, &name).map_err(|kind| (Some(member(&raw)), kind))?;
            entries.push(Entry { name, size: bytes.len() as u64 });
            data.push(bytes);
        }
        Ok(Archive { source: Source::Memory(data), entries, limits: Limits::DEFAULT, unpacked: 0 })
    }

    /// Takes the archive out of its holder, leaving an empty one, so that a member can be streamed
    /// while the holder is used to emit what it holds.
    pub(crate) fn detach(&mut self) -> Archive {
        let empty = Archive {
            source: Source::Memory(Vec::new()),
            entries: Vec::new(),
            limits: self.limits,
            unpacked: 0,
        };
        std::mem::replace(self, empty)
    }

    /// The archive's members, in archive order.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Reads member `index` into memory, within the limits and at most [`Limits::whole`] bytes,
    /// which bounds what one member can cost whatever the archive holds.
    pub(crate) fn read(&mut self, index: usize) -> Result<Vec<u8>, Failure> {
        if let Source::Memory(data) = &mut self.source {
            return Ok(std::mem::take(&mut data[index]));
        }
        let whole = self.limits.whole;
        let read = self.stream(index, |reader| {
            let mut bytes = Vec::new();
            reader.take(whole.saturating_add(1)).read_to_end(&mut bytes).map(|_| bytes)
        })?;
        let at = || Some(member(&self.entries[index].name));
        let bytes = read.map_err(|e| (at(), ErrorKind::Io(e)))?;
        if bytes.len() as u64 > whole {
            return Err((at(), ErrorKind::MemberTooLarge { limit: whole }));
        }
        Ok(bytes)
    }

    /// Hands member `index` to `f` as a stream, within the limits. A limit passed or corrupt data
    /// fails the stream's reads, and is then the error returned, whatever `f` made of it.
    pub(crate) fn stream<T>(
        &mut self,
        index: usize,
        f: impl FnOnce(&mut dyn Read) -> T,
    ) -> Result<T, Failure> {
        let name = self.entries[index].name.clone();
        let at = |kind| (Some(member(&name)), kind);
        let budget = Budget {
            member: self.limits.member,
            total_left: self.limits.total.saturating_sub(self.unpacked),
            limits: self.limits,
        };
        let state = Shared::default();
        let result = match &mut self.source {
            Source::Folder(root) => {
                let file = File::open(root.join(&name)).map_err(|e| at(ErrorKind::Io(e)))?;
                f(&mut Bounded::new(file, None, &budget, ErrorKind::Io, &state))
            }
            Source::Zip(zip) => {
                let (file, compressed) = zip.open(index).map_err(at)?;
                f(&mut Bounded::new(file, Some(compressed), &budget, zip::corrupt, &state))
            }
            Source::Tar { origin, gzip, positions } => {
                let reader = origin.open().map_err(|e| at(ErrorKind::Io(e)))?;
                tar::stream(reader, *gzip, &self.limits, positions[index], |entry| {
                    f(&mut Bounded::new(entry, None, &budget, tar::corrupt, &state))
                })
                .map_err(at)?
            }
            // Borrowed, not taken: a member may be streamed more than once (X's tweets are).
            Source::Memory(data) => {
                let bytes = data[index].as_slice();
                f(&mut Bounded::new(bytes, None, &budget, ErrorKind::Io, &state))
            }
        };
        self.unpacked += state.read.get();
        match state.failure.borrow_mut().take() {
            Some(kind) => Err(at(kind)),
            None => Ok(result),
        }
    }
}

/// Lists a tar stream's entries, keeping none of their data.
fn tar_source(
    origin: TarOrigin,
    gzip: bool,
    limits: &Limits,
) -> Result<(Source, Vec<Entry>), Failure> {
    let reader = origin.open().map_err(|e| (None, ErrorKind::Io(e)))?;
    let (entries, positions) = tar::list(reader, gzip, limits)?;
    Ok((Source::Tar { origin, gzip, positions }, entries))
}

/// What one read may still unpack.
pub(crate) struct Budget {
    member: u64,
    total_left: u64,
    limits: Limits,
}

/// A member's bytes as they are unpacked, failing as soon as they pass a limit: the member or total
/// budget, or `compressed` times the ratio limit. The failure is kept for [`Archive::stream`], as
/// readers above (a JSON parser) would reduce it to a message of their own.
struct Bounded<'b, R> {
    inner: R,
    compressed: Option<u64>,
    budget: &'b Budget,
    corrupt: fn(io::Error) -> ErrorKind,
    state: &'b Shared,
}

/// What a [`Bounded`] reader leaves for [`Archive::stream`]: bytes read, and the failure if any.
#[derive(Default)]
struct Shared {
    read: std::cell::Cell<u64>,
    failure: RefCell<Option<ErrorKind>>,
}

impl<'b, R: Read> Bounded<'b, R> {
    fn new(
        inner: R,
        compressed: Option<u64>,
        budget: &'b Budget,
        corrupt: fn(io::Error) -> ErrorKind,
        state: &'b Shared,
    ) -> Bounded<'b, R> {
        Bounded { inner, compressed, budget, corrupt, state }
    }
}

impl<R: Read> Read for Bounded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.state.failure.borrow().is_some() {
            return Err(io::Error::other("the member was refused"));
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => return Err(self.fail((self.corrupt)(e))),
        };
        let len = self.state.read.get() + n as u64;
        self.state.read.set(len);
        let budget = self.budget;
        if len > budget.member.min(budget.total_left) {
            let limit = budget.member.min(budget.limits.total);
            return Err(self.fail(ErrorKind::TooLarge { limit }));
        }
        if let Some(packed) = self.compressed {
            let limits = &budget.limits;
            if len > limits.ratio_floor && len > packed.saturating_mul(limits.ratio) {
                return Err(self.fail(ErrorKind::CompressionRatio { ratio: limits.ratio }));
            }
        }
        Ok(n)
    }
}

impl<R> Bounded<'_, R> {
    fn fail(&self, kind: ErrorKind) -> io::Error {
        let message = kind.to_string();
        *self.state.failure.borrow_mut() = Some(kind);
        io::Error::new(io::ErrorKind::InvalidData, message)
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
    fn members_read_whole_are_capped_and_streams_are_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.json"), vec![b' '; 4096]).unwrap();
        let mut archive = Archive::open(dir.path(), Container::Folder).unwrap();
        archive.limits.whole = 1024;
        let err = archive.read(0).unwrap_err();
        assert!(matches!(err.1, ErrorKind::MemberTooLarge { limit: 1024 }), "{err:?}");
        let streamed = archive.stream(0, |r| io::copy(r, &mut io::sink()).unwrap()).unwrap();
        assert_eq!(streamed, 4096);
        archive.limits.whole = 4096;
        assert_eq!(archive.read(0).unwrap().len(), 4096);
    }

    #[test]
    fn tells_archives_from_tables() {
        assert_eq!(sniff_bytes(b"PK\x03\x04rest"), Some(Container::Zip));
        assert_eq!(sniff_bytes(b"source,target\n"), None);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"a b\n").unwrap();
        assert_eq!(sniff_bytes(&gz.finish().unwrap()), None);
    }
}
