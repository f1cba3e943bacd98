//! Is the store whole? A store damaged outside Rapport (a disk fault, a copy cut short, a table
//! dropped by hand) must be noticed before an import writes into it, not by a later read failing
//! with "database disk image is malformed" after the import reported success.

use std::path::Path;

use rusqlite::Connection;

use crate::{Result, StoreError};

/// Every table, index and trigger the migrations create, by type and name. A test compares it
/// with a store migrated afresh, so it cannot drift from the migrations; holding it here spares every
/// open building a store in memory to compare with (a millisecond a command).
const OBJECTS: [(&str, &str); 29] = [
    ("index", "accounts_handle"),
    ("index", "accounts_key"),
    ("index", "interactions_import"),
    ("index", "interactions_source"),
    ("index", "interactions_target"),
    ("index", "post_hashtags_tag"),
    ("index", "posts_at"),
    ("index", "posts_author"),
    ("table", "accounts"),
    ("table", "action_state"),
    ("table", "derived"),
    ("table", "imports"),
    ("table", "interactions"),
    ("table", "kept_state"),
    ("table", "people"),
    ("table", "post_hashtags"),
    ("table", "post_links"),
    ("table", "post_mentions"),
    ("table", "posts"),
    ("table", "schema_migrations"),
    ("table", "settings"),
    ("table", "store_generation"),
    ("table", "sync_cursors"),
    ("trigger", "generation_on_account_change"),
    ("trigger", "generation_on_account_profile_change"),
    ("trigger", "generation_on_import_end"),
    ("trigger", "generation_on_import_start"),
    ("trigger", "generation_on_person_delete"),
    ("trigger", "generation_on_person_insert"),
];

/// Checks that every table, index and trigger the migrations create is in the store: cheap enough
/// for every open.
pub(super) fn check_schema(conn: &Connection, path: &Path) -> Result<()> {
    let present = objects(conn).map_err(|e| damaged(path, e.to_string()))?;
    let missing: Vec<String> = OBJECTS
        .iter()
        .filter(|(kind, name)| !present.iter().any(|(k, n)| k == kind && n == name))
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

#[cfg(test)]
mod tests {
    use super::super::migrate;
    use super::*;

    #[test]
    fn the_objects_checked_are_those_the_migrations_create() {
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate::run(&mut fresh, Path::new(":memory:")).unwrap();
        let created = objects(&fresh).unwrap();
        let listed: Vec<(String, String)> =
            OBJECTS.iter().map(|(k, n)| ((*k).to_owned(), (*n).to_owned())).collect();
        assert_eq!(created, listed, "OBJECTS must list what the migrations create, in order");
    }
}
