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
    /// The PostgreSQL server could not be reached or refused the connection.
    #[error(
        "cannot connect to the PostgreSQL database at {url}: {source}; check that the server runs and the URL (user, password, host, port, database) is right"
    )]
    Connect {
        /// The database's URL, without its password.
        url: String,
        /// The driver's error.
        source: postgres::Error,
    },
    /// A PostgreSQL database names no workspace by this name.
    #[error(
        "the database has no workspace '{0}'; create it first (`rapport admin` lists and creates workspaces)"
    )]
    NoWorkspace(String),
    /// A workspace of this name exists already.
    #[error("a workspace named '{0}' exists already; choose another name")]
    WorkspaceExists(String),
    /// After moving a SQLite store into a workspace, a table's rows did not add up: the workspace
    /// held other data too. Nothing was moved.
    #[error(
        "moving the store would leave {found} rows in the workspace's {table} but the store has {expected}; the workspace holds other data, so nothing was moved: move into a new workspace"
    )]
    MoveMismatch {
        /// The table whose counts differ.
        table: &'static str,
        /// Its rows in the SQLite store.
        expected: u64,
        /// Its rows in the workspace after the copy.
        found: u64,
    },
    /// The PostgreSQL driver failed.
    #[error("store error (PostgreSQL): {0}")]
    Postgres(#[from] postgres::Error),
    /// No pooled PostgreSQL connection could be had in time.
    #[error("no connection to the PostgreSQL database could be had in time: {0}")]
    Pool(#[from] r2d2::Error),
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
                | StoreError::Connect { .. }
                | StoreError::NoWorkspace(_)
                | StoreError::WorkspaceExists(_)
        )
    }
}
