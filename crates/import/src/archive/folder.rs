//! Extracted exports: a folder walked recursively, in name order so imports are deterministic.
//! Symbolic links are not followed: an export never needs them, and following one could read files
//! outside the folder the user named.

use std::fs;
use std::path::Path;

use super::{Entry, Failure, Limits, Source};
use crate::ErrorKind;

/// How deep a folder tree may go; real exports are a few levels deep.
const MAX_DEPTH: usize = 16;

/// Lists the regular files under `root`.
pub(super) fn list(root: &Path, limits: &Limits) -> Result<(Source, Vec<Entry>), Failure> {
    let mut entries = Vec::new();
    walk(root, "", 0, limits, &mut entries)?;
    Ok((Source::Folder(root.to_owned()), entries))
}

fn walk(
    dir: &Path,
    prefix: &str,
    depth: usize,
    limits: &Limits,
    out: &mut Vec<Entry>,
) -> Result<(), Failure> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let io = |e| (None, ErrorKind::Io(e));
    let mut children: Vec<_> =
        fs::read_dir(dir).map_err(io)?.collect::<Result<_, _>>().map_err(io)?;
    children.sort_by_key(fs::DirEntry::file_name);
    for child in children {
        let Some(file_name) = child.file_name().to_str().map(str::to_owned) else { continue };
        let name = if prefix.is_empty() { file_name } else { format!("{prefix}/{file_name}") };
        // `file_type` does not follow links, so a link is neither a file nor a folder here.
        let kind = child.file_type().map_err(io)?;
        if kind.is_dir() {
            walk(&child.path(), &name, depth + 1, limits, out)?;
        } else if kind.is_file() {
            if out.len() >= limits.entries {
                return Err((None, ErrorKind::BadArchive("more files than any export has".into())));
            }
            let size = child.metadata().map_err(io)?.len();
            out.push(Entry { name, size });
        }
    }
    Ok(())
}
