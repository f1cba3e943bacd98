//! Team mode's door into the store: one PostgreSQL database shared by many workspaces, an engine
//! per workspace over one connection pool, and the team tables (users, sessions, tokens,
//! invitations, audit log) for the server and `rapport admin`.

use std::path::Path;

pub use postgres::Client;
pub use rapport_store::Result as TableResult;
pub use rapport_store::postgres::teams as tables;
pub use rapport_store::postgres::{MoveCounts, PooledClient, Workspace, move_sqlite};
pub use rapport_store::{PgDatabase, WorkspaceId};
pub use rapport_teams as rules;

use crate::{Engine, Result};

/// Connects to the team database at `url` and brings its schema up to date.
pub fn connect(url: &str) -> Result<PgDatabase> {
    let db = PgDatabase::connect(url)?;
    db.migrate()?;
    Ok(db)
}

/// Runs `f` on a pooled connection of `db`: the team tables' queries, one after another.
pub fn with_client<T>(db: &PgDatabase, f: impl FnOnce(&mut Client) -> TableResult<T>) -> Result<T> {
    let mut client = db.client()?;
    Ok(f(&mut client)?)
}

impl Engine {
    /// Opens one workspace of a connected team database: every workspace's engine shares the
    /// database's pool. `local` is the folder for files kept beside a store (credentials).
    pub fn open_workspace(db: &PgDatabase, workspace: WorkspaceId, local: &Path) -> Result<Engine> {
        let store = rapport_store::Backend::Postgres(db.store(workspace)?);
        Ok(Engine::over(store, local.join("rapport.db")))
    }
}
