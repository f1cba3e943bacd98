//! Embedded, versioned migrations of the PostgreSQL schema, with their own versions table (the
//! SQLite store's migrations are another schema and another list).

use postgres::Client;

use crate::{Result, StoreError};

/// Every migration this build knows, oldest first: (version, name, SQL). Append only; other parts
/// of the server keep their tables in this database too and add their migrations here.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        20_261_207_060_000,
        "initial",
        include_str!("../../migrations-postgres/20261207060000_initial.sql"),
    ),
    // Team mode's users, roles, sessions, tokens, invitations and audit log (`teams.rs`).
    (
        20_261_207_070_000,
        "teams",
        include_str!("../../migrations-postgres/20261207070000_teams.sql"),
    ),
    // Accounts partitioned by workspace, for the unindexed first load (`writer.rs`).
    (
        20_261_207_090_000,
        "accounts by workspace",
        include_str!("../../migrations-postgres/20261207090000_accounts_by_workspace.sql"),
    ),
    // State the engine keeps across generations (discover's blend).
    (
        20_261_207_091_300,
        "kept_state",
        include_str!("../../migrations-postgres/20261207091300_kept_state.sql"),
    ),
    // Accounts' descriptions and declared types (issue 18).
    (
        20_261_207_100_000,
        "account_profile",
        include_str!("../../migrations-postgres/20261207100000_account_profile.sql"),
    ),
];

/// The newest migration's version: a database at it needs no migration work.
pub(super) const KNOWN: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The advisory lock that makes concurrent migrations wait for each other (any fixed number;
/// this one spells "rapport").
const MIGRATION_LOCK: i64 = 0x0072_6170_706f_7274;

pub(super) fn run(client: &mut Client, url: &str) -> Result<()> {
    let known = KNOWN;
    // The common case, every migration applied, costs one query and takes no lock.
    let exists: bool = client
        .query_one("SELECT to_regclass('rapport_schema_migrations') IS NOT NULL", &[])?
        .try_get(0)?;
    let current: Option<i64> = match exists {
        true => client
            .query_one("SELECT max(version) FROM rapport_schema_migrations", &[])?
            .try_get(0)?,
        false => None,
    };
    if current == Some(known) {
        return Ok(());
    }
    for (version, name, sql) in MIGRATIONS {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS rapport_schema_migrations (
                 version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )?;
        let newest: Option<i64> =
            tx.query_one("SELECT max(version) FROM rapport_schema_migrations", &[])?.try_get(0)?;
        if let Some(found) = newest.filter(|v| *v > known) {
            return Err(StoreError::NewerSchema { path: url.into(), found, known });
        }
        if newest.is_some_and(|n| n >= *version) {
            continue;
        }
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO rapport_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            &[version, name, &crate::now()],
        )?;
        tx.commit()?;
    }
    Ok(())
}
