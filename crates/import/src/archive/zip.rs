//! Zip archives, read through the `zip` crate: the central directory lists the members, and each
//! member is decompressed only when an importer asks for it.

use std::io::{Read, Seek};

use super::{Entry, Failure, Limits, Source, member, name};
use crate::ErrorKind;

/// Anything a zip can be read from: a file or bytes in memory.
pub(crate) trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

/// An open zip, with each listed entry's index in the zip's own directory.
pub(crate) struct Zip {
    archive: ::zip::ZipArchive<Box<dyn ReadSeek>>,
    indices: Vec<usize>,
}

/// Opens a zip and lists its members, refusing unsafe names and links before anything is read.
pub(super) fn open(
    reader: Box<dyn ReadSeek>,
    limits: &Limits,
) -> Result<(Source, Vec<Entry>), Failure> {
    let mut archive =
        ::zip::ZipArchive::new(reader).map_err(|e| (None, ErrorKind::BadArchive(e.to_string())))?;
    // The zip crate keeps one member per name (the later one): refuse instead of guessing.
    if archive.has_duplicate_names() {
        return Err((None, name::DUPLICATE));
    }
    if archive.len() > limits.entries {
        return Err((
            None,
            ErrorKind::BadArchive(format!("{} entries, more than any export has", archive.len())),
        ));
    }
    let mut entries = Vec::new();
    let mut indices = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for index in 0..archive.len() {
        let file = archive
            .by_index_raw(index)
            .map_err(|e| (None, ErrorKind::BadArchive(e.to_string())))?;
        let raw = String::from_utf8_lossy(file.name_raw()).into_owned();
        let checked = name::check(&raw).map_err(|kind| (Some(member(&raw)), kind))?;
        if file.is_symlink() {
            return Err((
                Some(member(&raw)),
                ErrorKind::UnsafeMember("the member is a symbolic link"),
            ));
        }
        if file.is_dir() || checked.is_empty() {
            continue;
        }
        name::unique(&mut seen, &checked).map_err(|kind| (Some(member(&raw)), kind))?;
        entries.push(Entry { name: checked, size: file.size() });
        indices.push(index);
    }
    Ok((Source::Zip(Zip { archive, indices }), entries))
}

impl Zip {
    /// Opens listed entry `entry` for decompression, with its compressed size, against which the
    /// ratio is judged: the directory states it, and a bomb cannot lie about it without failing
    /// the CRC.
    pub(super) fn open(&mut self, entry: usize) -> Result<(impl Read + '_, u64), ErrorKind> {
        let file = self
            .archive
            .by_index(self.indices[entry])
            .map_err(|e| ErrorKind::BadArchive(e.to_string()))?;
        let compressed = file.compressed_size();
        Ok((file, compressed))
    }
}

/// A failed read of a zip member: corrupt data or a bad CRC.
pub(super) fn corrupt(e: std::io::Error) -> ErrorKind {
    ErrorKind::BadArchive(e.to_string())
}
