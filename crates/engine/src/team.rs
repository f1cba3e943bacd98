//! Team mode's door into the store: one PostgreSQL database shared by many workspaces, an engine
//! per workspace over one connection pool, and the team tables (users, sessions, tokens,
//! invitations, audit log) for the server and `rapport admin`.

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

pub use postgres::{Client, Transaction};
pub use rapport_store::Result as TableResult;
pub use rapport_store::postgres::audit::{
    AuditEntry as PendingAudit, append as append_audit_entry, audited,
};
pub use rapport_store::postgres::teams as tables;
pub use rapport_store::postgres::{
    DeletedCounts, MoveCounts, PooledClient, Workspace, delete_workspace, move_sqlite,
};
pub use rapport_store::{PgDatabase, WorkspaceId};
pub use rapport_teams as rules;

use crate::{Engine, Result};

/// Connects to the team database at `url` and brings its schema up to date.
pub fn connect(url: &str) -> Result<PgDatabase> {
    let db = PgDatabase::connect(url)?;
    db.migrate()?;
    Ok(db)
}

/// [`connect`] with a pool of at most `pool_size` connections.
pub fn connect_with_pool(url: &str, pool_size: u32) -> Result<PgDatabase> {
    let db = PgDatabase::connect_with_pool(url, pool_size)?;
    db.migrate()?;
    Ok(db)
}

/// Runs `f` on a pooled connection of `db`: the team tables' queries, one after another.
pub fn with_client<T>(db: &PgDatabase, f: impl FnOnce(&mut Client) -> TableResult<T>) -> Result<T> {
    let mut client = db.client()?;
    Ok(f(&mut client)?)
}

/// Runs `f` in one transaction on a pooled connection of `db`, committed when it returns `Ok`:
/// a change of the team tables and its audit entry, together or not at all.
pub fn with_transaction<T>(
    db: &PgDatabase,
    f: impl FnOnce(&mut postgres::Transaction<'_>) -> TableResult<T>,
) -> Result<T> {
    let mut client = db.client()?;
    let mut tx = client.transaction().map_err(rapport_store::StoreError::from)?;
    let out = f(&mut tx)?;
    tx.commit().map_err(rapport_store::StoreError::from)?;
    Ok(out)
}

/// The audit entry `user` (`None`: `rapport admin`) writes in `workspace`'s log (`None`: the
/// global log) for `action` on `subject`, the subject cut as [`rules::AuditEntry::new`] does.
pub fn audit_entry(
    workspace: Option<i64>,
    user: Option<(i64, &str)>,
    action: rules::AuditAction,
    subject: &str,
) -> PendingAudit {
    let entry = rules::AuditEntry::new(action, subject);
    PendingAudit {
        workspace,
        user: user.map(|(id, name)| (id, name.to_owned())),
        action: entry.action.as_str().to_owned(),
        subject: entry.subject,
    }
}

/// The folder of `workspace`'s local files (the credentials of its connected accounts) under the
/// data folder `local`: one per workspace, so one workspace's tokens never serve another's sync
/// or send. Named by id, which never changes and holds no character a path could misread.
pub fn workspace_dir(local: &Path, workspace: WorkspaceId) -> PathBuf {
    local.join("workspaces").join(workspace.0.to_string())
}

impl Engine {
    /// Opens one workspace of a connected team database: every workspace's engine shares the
    /// database's pool. `local` is the data folder; the workspace's files live in its own
    /// [`workspace_dir`].
    pub fn open_workspace(db: &PgDatabase, workspace: WorkspaceId, local: &Path) -> Result<Engine> {
        let store = db.store(workspace)?;
        Engine::over_workspace(store, local)
    }

    /// An engine over one workspace's store, whose local files (credentials, reports) go to its
    /// own [`workspace_dir`] under `local`, made private (0700) if missing.
    pub(crate) fn over_workspace(store: rapport_store::PgStore, local: &Path) -> Result<Engine> {
        let dir = workspace_dir(local, store.workspace());
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|source| crate::Error::Folder { path: dir.clone(), source })?;
        // Only the folder of this nominal path is used: for the files kept beside the store.
        Ok(Engine::over(rapport_store::Backend::Postgres(store), dir.join("rapport.db")))
    }
}
