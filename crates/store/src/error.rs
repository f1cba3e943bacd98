//! The store's error type.

use std::path::PathBuf;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or created.
    #[error(
        "cannot open the store at {path}: {source}; check the path and its permissions, or choose another with --db or RAPPORT_DB"
    )]
    Open {
        /// The file that failed.
        path: PathBuf,
        /// The driver's error.
        source: rusqlite::Error,
    },
    /// The store was written by a newer version of Rapport.
    #[error(
        "the store at {path} has schema version {found}, newer than this rapport understands ({known}); upgrade rapport"
    )]
    NewerSchema {
        /// The store's file.
        path: PathBuf,
        /// The newest migration in the store.
        found: i64,
        /// The newest migration this build knows.
        known: i64,
    },
    /// The store cannot be written (its file or folder is read-only): it was opened for reading.
    #[error(
        "the store at {path} can only be read (its file or folder is read-only, or it needs an upgrade that would write to it); make them writable, or copy the store elsewhere and use --db"
    )]
    ReadOnly {
        /// The store's file.
        path: PathBuf,
    },
    /// The store's file is damaged: pages that do not read back, or tables missing.
    #[error(
        "the store at {path} is damaged ({what}), so nothing was written to it; restore it from a backup, or start a new one with --db and import your exports again (`sqlite3 {path} .recover` saves what can still be read)"
    )]
    Damaged {
        /// The store's file.
        path: PathBuf,
        /// What is wrong, as SQLite's check found it.
        what: String,
    },
    /// The database driver failed.
    #[error("store error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL driver failed.
    #[error("store error (PostgreSQL): {0}")]
    Postgres(#[from] postgres::Error),
    /// A write that would break a uniqueness rule users see (a user name taken).
    #[error("{0}")]
    Conflict(String),
    /// A value in the store is not what this version of Rapport expects.
    #[error("the store holds an unexpected value: {0}; the file may be damaged")]
    Corrupt(String),
}

impl StoreError {
    /// True when the user can fix it: a store that cannot be opened where they pointed, or that a
    /// newer Rapport wrote. A failing driver or a damaged value is not theirs to fix.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::Open { .. }
                | StoreError::NewerSchema { .. }
                | StoreError::ReadOnly { .. }
                | StoreError::Conflict(_)
        )
    }
}
