//! Embedded, versioned migrations, applied in order on open.

use std::path::Path;

use rusqlite::{Connection, params};

use crate::{Result, StoreError};

/// Every migration this build knows, oldest first: (version, name, SQL). Append only.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (20_261_126_080_000, "initial", include_str!("../../migrations/20261126080000_initial.sql")),
    (
        20_261_126_090_000,
        "action_state",
        include_str!("../../migrations/20261126090000_action_state.sql"),
    ),
    (20_261_126_130_000, "derived", include_str!("../../migrations/20261126130000_derived.sql")),
    (
        20_261_126_140_000,
        "partial_handle_index",
        include_str!("../../migrations/20261126140000_partial_handle_index.sql"),
    ),
    (
        20_261_207_030_000,
        "sync_cursors",
        include_str!("../../migrations/20261207030000_sync_cursors.sql"),
    ),
    (
        20_261_207_091_300,
        "kept_state",
        include_str!("../../migrations/20261207091300_kept_state.sql"),
    ),
    (
        20_261_207_100_000,
        "account_profile",
        include_str!("../../migrations/20261207100000_account_profile.sql"),
    ),
    (
        20_261_207_120_000,
        "interactions_by_import",
        include_str!("../../migrations/20261207120000_interactions_by_import.sql"),
    ),
];

/// Checks, without writing, that the store's schema is the newest this build knows: a store that
/// cannot be written cannot be upgraded.
pub(super) fn check_current(conn: &Connection, path: &Path) -> Result<()> {
    let newest: Option<i64> = conn
        .query_row("SELECT max(version) FROM schema_migrations", [], |r| r.get(0))
        .map_err(|e| StoreError::Open { path: path.to_owned(), source: e })?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    match newest {
        Some(found) if found > known => {
            Err(StoreError::NewerSchema { path: path.to_owned(), found, known })
        }
        Some(found) if found == known => Ok(()),
        _ => Err(StoreError::ReadOnly { path: path.to_owned() }),
    }
}

pub(super) fn run(conn: &mut Connection, path: &Path) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    )?;
    let newest: Option<i64> =
        conn.query_row("SELECT max(version) FROM schema_migrations", [], |r| r.get(0))?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if let Some(found) = newest.filter(|v| *v > known) {
        return Err(StoreError::NewerSchema { path: path.to_owned(), found, known });
    }
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| Some(m.0) > newest) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![version, name, super::now()],
        )?;
        tx.commit()?;
    }
    Ok(())
}
