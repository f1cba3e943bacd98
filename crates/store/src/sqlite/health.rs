//! Is the store whole? A store damaged outside Rapport (a disk fault, a copy cut short, a table
//! dropped by hand) must be noticed before an import writes into it, not by a later read failing
//! with "database disk image is malformed" after the import reported success.

use std::path::Path;

use rusqlite::Connection;

use super::migrate;
use crate::{Result, StoreError};

/// Checks that every table, index and trigger the migrations create is in the store, by comparing
/// its schema with a fresh in-memory store's: cheap enough for every open, and never out of date
/// with the migrations.
pub(super) fn check_schema(conn: &Connection, path: &Path) -> Result<()> {
    let mut fresh = Connection::open_in_memory()?;
    migrate::run(&mut fresh, Path::new(":memory:"))?;
    let expected = objects(&fresh)?;
    let present = objects(conn).map_err(|e| damaged(path, e.to_string()))?;
    let missing: Vec<String> = expected
        .into_iter()
        .filter(|o| !present.contains(o))
        .map(|(kind, name)| format!("{kind} {name}"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(damaged(path, format!("it has no {}", missing.join(", "))))
}

/// The (type, name) of every schema object, SQLite's own excepted.
fn objects(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Reads every page of the store (SQLite's `quick_check`: B-tree structure, records, free list),
/// so an import never writes into a damaged file. It costs a pass over the file, a fraction of
/// what the import's own writes cost (figures in BENCHMARKS.md).
pub(super) fn check_pages(conn: &Connection, path: &Path) -> Result<()> {
    let mut stmt =
        conn.prepare("PRAGMA quick_check(5)").map_err(|e| damaged(path, e.to_string()))?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| damaged(path, e.to_string()))?;
    if problems.iter().all(|p| p == "ok") {
        return Ok(());
    }
    Err(damaged(path, problems.join("; ")))
}

fn damaged(path: &Path, what: String) -> StoreError {
    StoreError::Damaged { path: path.to_owned(), what }
}
