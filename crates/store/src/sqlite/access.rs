//! How the store's file is opened: created readable by its owner only, and opened read-only when
//! its folder cannot be written, so a store on a read-only disk or in a shared folder can still be
//! read.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

/// Creates an empty store file readable and writable by its owner only (0600): it will hold private
/// messages. SQLite gives its `-wal` and `-shm` files the same mode. An existing file is left as it
/// is; any failure here is left for the open that follows to report with its real reason.
pub(super) fn create_private(path: &Path) {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let _ = options.open(path);
}

/// True when opening for writing failed because the file or its folder cannot be written: SQLite
/// then cannot open (or create its `-shm` file) or finds the file read-only.
pub(super) fn cannot_write(err: &StoreError) -> bool {
    let source = match err {
        StoreError::Open { source, .. } | StoreError::Sqlite(source) => source,
        _ => return false,
    };
    matches!(
        source.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    )
}

/// Opens an existing store read-only. SQLite reads a WAL-mode database through its `-shm` file,
/// which cannot be created in a read-only folder; when there is no `-wal` file, every committed
/// page is in the main file and SQLite is told the file is immutable, which needs no `-shm`.
pub(super) fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let absolute = path.canonicalize().map_err(|e| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some(e.to_string()),
        )
    })?;
    let wal = {
        let mut name = absolute.clone().into_os_string();
        name.push("-wal");
        std::fs::metadata(name).is_ok_and(|m| m.len() > 0)
    };
    let uri = format!(
        "file://{}?{}",
        encode(&absolute.to_string_lossy()),
        if wal { "mode=ro" } else { "immutable=1" }
    );
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri, flags)
}

/// Percent-encodes a path for a `file:` URI: everything but unreserved characters and `/`.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn paths_are_encoded_for_uris() {
        assert_eq!(encode("/home/a b/r?#%.db"), "/home/a%20b/r%3F%23%25.db");
        assert_eq!(encode("/données"), "/donn%C3%A9es");
    }
}
