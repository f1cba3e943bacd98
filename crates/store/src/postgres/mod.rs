//! The PostgreSQL implementation of [`Store`], for teams: one database holds many workspaces (one
//! per client or team), and every row belongs to exactly one.
//!
//! [`PgDatabase`] is the database (a connection pool, migrations, the workspaces table); a
//! [`PgStore`] is one workspace of it, and every query it runs is scoped by that workspace here in
//! the store layer, never by callers. Writes to a workspace are serialised by a row lock on its
//! `workspaces` row, taken first in every write transaction: that also makes assigning the next
//! account, person and import id safe, as SQLite's single writer does. Snapshots are one
//! `REPEATABLE READ READ ONLY` transaction each, on a pooled connection.
//!
//! The client is the synchronous `postgres` crate, as the `Store` trait is synchronous; its pool is
//! r2d2's, which tests each connection as it is checked out and replaces one a restart broke.

pub mod audit;
mod delete;
mod migrate;
mod move_sqlite;
mod pool;
mod read;
pub mod teams;
mod writer;

use std::cell::{RefCell, RefMut};

use postgres::types::Type;
use postgres::{NoTls, Transaction};
use rapport_model::{Network, Timestamp};

use crate::rows::{ImportCounts, ImportMeta, ImportRow};
use crate::{ActionState, Read, RecordWriter, Result, Store, StoreError};

pub use delete::{DeletedCounts, delete_workspace, workspace_tables};
pub use move_sqlite::{MoveCounts, move_sqlite};
pub use pool::{Manager, Pool, PooledClient};

/// A workspace's id in the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkspaceId(pub i64);

/// One workspace: a client's or a team's data, apart from every other workspace's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    /// Its id.
    pub id: WorkspaceId,
    /// Its unique name.
    pub name: String,
    /// When it was created (Unix seconds).
    pub created_at: Timestamp,
}

/// A PostgreSQL database of Rapport: its pool and its workspaces. Cloning it shares the pool.
#[derive(Clone)]
pub struct PgDatabase {
    pool: Pool,
    /// The URL without its password, for messages.
    url: String,
}

impl std::fmt::Debug for PgDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password never reaches a log.
        f.debug_struct("PgDatabase").field("url", &self.url).finish_non_exhaustive()
    }
}

impl PgDatabase {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`; a host
    /// that is a path, `postgres://user@%2Frun%2Fpostgresql/database`, is a folder holding the
    /// server's Unix socket), checking that one connection can be made. Does not change the
    /// schema: see [`PgDatabase::migrate`].
    pub fn connect(url: &str) -> Result<PgDatabase> {
        PgDatabase::connect_with_pool(url, pool::POOL_SIZE)
    }

    /// [`PgDatabase::connect`] with a pool of at most `pool_size` connections (a server's
    /// setting: how many of the database's connections it may hold).
    pub fn connect_with_pool(url: &str, pool_size: u32) -> Result<PgDatabase> {
        Ok(PgDatabase::connect_then(url, pool_size, |_| Ok(()))?.0)
    }

    /// Connects as [`PgDatabase::connect_with_pool`] does, and runs `first` on the connection it
    /// made before the pool takes it over.
    fn connect_then<T>(
        url: &str,
        pool_size: u32,
        first: impl FnOnce(&mut postgres::Client) -> Result<T>,
    ) -> Result<(PgDatabase, T)> {
        let redacted = redact(url);
        let connect_err = |source| StoreError::Connect { url: redacted.clone(), source };
        let config: postgres::Config = url.parse().map_err(connect_err)?;
        // One direct connection first: the pool would only say that it timed out, not why. It
        // then becomes the pool's first connection.
        let mut client = config.connect(NoTls).map_err(connect_err)?;
        let out = first(&mut client)?;
        let pool = pool::build(config, client, pool_size)?;
        Ok((PgDatabase { pool, url: redacted }, out))
    }

    /// Brings the schema up to date (every migration not yet applied, each in its own
    /// transaction; concurrent callers wait for each other). Refuses a database a newer Rapport
    /// migrated.
    pub fn migrate(&self) -> Result<()> {
        migrate::run(&mut *self.client()?, &self.url)
    }

    /// Creates a workspace; a name already taken is an error.
    pub fn create_workspace(&self, name: &str) -> Result<Workspace> {
        let row = self
            .client()?
            .query_opt(
                "INSERT INTO workspaces (name, created_at) VALUES ($1, $2)
                 ON CONFLICT (name) DO NOTHING RETURNING id, name, created_at",
                &[&name, &crate::now()],
            )?
            .ok_or_else(|| StoreError::WorkspaceExists(name.to_owned()))?;
        workspace_row(&row)
    }

    /// Every workspace, by name.
    pub fn workspaces(&self) -> Result<Vec<Workspace>> {
        let rows = self.client()?.query(
            "SELECT id, name, created_at FROM workspaces ORDER BY name COLLATE \"C\"",
            &[],
        )?;
        rows.iter().map(workspace_row).collect()
    }

    /// The workspace of this name, if there is one.
    pub fn workspace_by_name(&self, name: &str) -> Result<Option<Workspace>> {
        let row = self
            .client()?
            .query_opt("SELECT id, name, created_at FROM workspaces WHERE name = $1", &[&name])?;
        row.as_ref().map(workspace_row).transpose()
    }

    /// The store of one workspace.
    pub fn store(&self, workspace: WorkspaceId) -> Result<PgStore> {
        let found = self
            .client()?
            .query_opt("SELECT 1 FROM workspaces WHERE id = $1", &[&workspace.0])?
            .is_some();
        if !found {
            return Err(StoreError::NoWorkspace(format!("#{}", workspace.0)));
        }
        Ok(PgStore { db: self.clone(), workspace })
    }

    /// The pool, for queries of other parts of the server (users, sessions) in the same database.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// A pooled connection.
    pub fn client(&self) -> Result<PooledClient> {
        Ok(self.pool.get()?)
    }

    /// The database's URL without its password.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// The id of the workspace named `name` when the schema is this build's and the workspace exists,
/// asked in one round trip; `None` when either needs work (see [`PgStore::open`]).
fn current_workspace(client: &mut postgres::Client, name: &str) -> Result<Option<WorkspaceId>> {
    let asked = client.query_typed_one(
        "SELECT (SELECT max(version) FROM rapport_schema_migrations),
                (SELECT id FROM workspaces WHERE name = $1)",
        &[(&name, Type::TEXT)],
    );
    let row = match asked {
        Ok(row) => row,
        // A database Rapport never migrated has no versions table yet.
        Err(e) if e.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) => {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let version: Option<i64> = row.try_get(0)?;
    let id: Option<i64> = row.try_get(1)?;
    Ok(id.filter(|_| version == Some(migrate::KNOWN)).map(WorkspaceId))
}

fn workspace_row(row: &postgres::Row) -> Result<Workspace> {
    Ok(Workspace {
        id: WorkspaceId(row.try_get(0)?),
        name: row.try_get(1)?,
        created_at: row.try_get(2)?,
    })
}

/// `url` with any password replaced by `***`.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return url.to_owned() };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else { return url.to_owned() };
    match rest[..at].find(':') {
        Some(colon) => format!("{}{}:***{}", &url[..scheme_end], &rest[..colon], &rest[at..]),
        None => url.to_owned(),
    }
}

/// One workspace of a PostgreSQL database, as a [`Store`].
pub struct PgStore {
    db: PgDatabase,
    workspace: WorkspaceId,
}

impl PgStore {
    /// Connects to `url`, brings its schema up to date and opens the workspace named `workspace`,
    /// creating it if the database has none of that name (a personal or first use needs no admin
    /// step; a team's server hands out existing workspaces through [`PgDatabase::store`]).
    pub fn open(url: &str, workspace: &str) -> Result<PgStore> {
        // The common case, an up-to-date schema and an existing workspace, is one round trip.
        let (db, current) = PgDatabase::connect_then(url, pool::POOL_SIZE, |client| {
            current_workspace(client, workspace)
        })?;
        if let Some(id) = current {
            return Ok(PgStore { db, workspace: id });
        }
        db.migrate()?;
        let id = match db.workspace_by_name(workspace)? {
            Some(w) => w.id,
            // Two processes may create it at once: the loser finds the winner's.
            None => match db.create_workspace(workspace) {
                Ok(w) => w.id,
                Err(StoreError::WorkspaceExists(_)) => {
                    db.workspace_by_name(workspace)?
                        .ok_or_else(|| StoreError::NoWorkspace(workspace.to_owned()))?
                        .id
                }
                Err(e) => return Err(e),
            },
        };
        Ok(PgStore { db, workspace: id })
    }

    /// The workspace this store reads and writes.
    pub fn workspace(&self) -> WorkspaceId {
        self.workspace
    }

    /// The database this store is a workspace of.
    pub fn database(&self) -> &PgDatabase {
        &self.db
    }

    /// Runs `f` in one transaction that holds this workspace's write lock: writes to one workspace
    /// are serialised, across processes too, and commit whole or not at all, with the audit entry
    /// pending on this thread (see [`audit`]).
    fn write<T>(&self, f: impl FnOnce(&mut Transaction<'_>, i64) -> Result<T>) -> Result<T> {
        let mut client = self.db.client()?;
        let mut tx = client.transaction()?;
        lock_workspace(&mut tx, self.workspace)?;
        let out = f(&mut tx, self.workspace.0)?;
        let audited = audit::write_pending(&mut tx, self.workspace.0)?;
        tx.commit()?;
        if audited {
            audit::committed();
        }
        Ok(out)
    }
}

/// Takes the workspace's write lock for the rest of the transaction.
fn lock_workspace(tx: &mut Transaction<'_>, workspace: WorkspaceId) -> Result<()> {
    tx.query_opt("SELECT 1 FROM workspaces WHERE id = $1 FOR NO KEY UPDATE", &[&workspace.0])?
        .ok_or_else(|| StoreError::NoWorkspace(format!("#{}", workspace.0)))?;
    Ok(())
}

/// The name of a workspace's partition of a table partitioned by workspace (`interactions`,
/// `accounts`).
fn partition(table: &str, workspace: i64) -> String {
    format!("{table}_{workspace}")
}

/// Whether the workspace's partition of `table` exists yet.
fn has_partition(tx: &mut Transaction<'_>, table: &str, workspace: i64) -> Result<bool> {
    let name = partition(table, workspace);
    Ok(tx.query_one("SELECT to_regclass($1) IS NOT NULL", &[&name])?.try_get(0)?)
}

/// The tables partitioned by workspace, a partition each.
const PARTITIONED: [&str; 2] = ["interactions", "accounts"];

/// Creates the workspace's (empty) partitions, where missing, for writers other than an import's.
fn ensure_partitions(tx: &mut Transaction<'_>, workspace: i64) -> Result<()> {
    for table in PARTITIONED {
        if !has_partition(tx, table, workspace)? {
            let name = partition(table, workspace);
            tx.batch_execute(&format!(
                "CREATE TABLE {name} PARTITION OF {table} FOR VALUES IN ({workspace})"
            ))?;
        }
    }
    Ok(())
}

/// The next free id of a per-workspace key, under the workspace's write lock.
fn next_id(tx: &mut Transaction<'_>, table: &str, workspace: i64) -> Result<i64> {
    let sql = format!("SELECT coalesce(max(id), 0) + 1 FROM {table} WHERE workspace_id = $1");
    Ok(tx.query_one(&sql, &[&workspace])?.try_get(0)?)
}

/// A consistent read of one workspace of a [`PgStore`]: one `REPEATABLE READ READ ONLY`
/// transaction on a pooled connection, ended (and the connection given back) when dropped.
pub struct PgSnapshot<'a> {
    /// Boxed: a pooled connection is 400 bytes, three times a SQLite snapshot, and the engine
    /// moves snapshots around by value.
    client: Box<RefCell<PooledClient>>,
    workspace: i64,
    /// The generation of the data this snapshot sees, read when it began.
    generation: i64,
    _store: std::marker::PhantomData<&'a PgStore>,
}

impl PgSnapshot<'_> {
    /// The snapshot's connection; the reads of one snapshot run one after another.
    fn client(&self) -> RefMut<'_, PooledClient> {
        self.client.borrow_mut()
    }
}

impl Drop for PgSnapshot<'_> {
    fn drop(&mut self) {
        // A read-only transaction has nothing to keep. A connection that cannot end it is broken,
        // and the pool drops broken connections rather than handing them out again.
        let _ = self.client.get_mut().batch_execute("COMMIT");
    }
}

impl Store for PgStore {
    type Snapshot<'a> = PgSnapshot<'a>;

    fn snapshot(&self) -> Result<PgSnapshot<'_>> {
        let mut client = self.db.client()?;
        // One round trip: the transaction begins, and its first query pins the snapshot, so every
        // later read sees this generation's data. The id is a number of ours, not input.
        let began = client.simple_query(&format!(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
             SELECT generation FROM workspaces WHERE id = {}",
            self.workspace.0
        ));
        let answers = match began {
            Ok(answers) => answers,
            Err(e) => {
                // The connection goes back to the pool: never inside a failed transaction.
                let _ = client.batch_execute("ROLLBACK");
                return Err(e.into());
            }
        };
        let generation = answers.iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(row) => row.get(0)?.parse::<i64>().ok(),
            _ => None,
        });
        let Some(generation) = generation else {
            let _ = client.batch_execute("ROLLBACK");
            return Err(StoreError::NoWorkspace(format!("#{}", self.workspace.0)));
        };
        Ok(PgSnapshot {
            client: Box::new(RefCell::new(client)),
            workspace: self.workspace.0,
            generation,
            _store: std::marker::PhantomData,
        })
    }

    fn import<E: From<StoreError>>(
        &self,
        meta: &ImportMeta,
        run: impl FnOnce(&mut dyn RecordWriter) -> Result<ImportCounts, E>,
    ) -> Result<ImportRow, E> {
        let mut client = self.db.client()?;
        // Dropped uncommitted (an error, a panic), the transaction rolls back; a killed process's
        // transaction is rolled back by the server when the connection ends.
        let mut tx = client.transaction().map_err(StoreError::from)?;
        lock_workspace(&mut tx, self.workspace)?;
        let workspace = self.workspace.0;
        let import_id = next_id(&mut tx, "imports", workspace)?;
        tx.execute(
            "INSERT INTO imports (workspace_id, id, path, format, checksum, bytes, started_at,
                 finished_at, records_read, records_new, records_known, records_skipped)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 0, 0, 0, 0)",
            &[
                &workspace,
                &import_id,
                &meta.path,
                &meta.format,
                &meta.checksum,
                &(meta.bytes as i64),
                &meta.started_at,
            ],
        )
        .map_err(StoreError::from)?;
        let counts = {
            let mut writer = writer::PgWriter::new(&mut tx, workspace, import_id)?;
            let mut counts = run(&mut writer)?;
            writer.finish()?;
            counts.new = writer.new;
            counts.known = writer.known;
            counts
        };
        let finished_at = crate::now();
        tx.execute(
            "UPDATE imports SET finished_at = $3, records_read = $4, records_new = $5,
                 records_known = $6, records_skipped = $7 WHERE workspace_id = $1 AND id = $2",
            &[
                &workspace,
                &import_id,
                &finished_at,
                &(counts.read as i64),
                &(counts.new as i64),
                &(counts.known as i64),
                &(counts.skipped as i64),
            ],
        )
        .map_err(StoreError::from)?;
        let audited = audit::write_pending(&mut tx, workspace)?;
        tx.commit().map_err(StoreError::from)?;
        if audited {
            audit::committed();
        }
        Ok(ImportRow { id: import_id, meta: meta.clone(), finished_at, counts })
    }

    fn set_me(&self, accounts: &[i64]) -> Result<()> {
        self.write(|tx, ws| {
            tx.execute(
                "UPDATE accounts SET is_me = (id = ANY($2))
                  WHERE workspace_id = $1 AND (is_me OR id = ANY($2))",
                &[&ws, &accounts],
            )?;
            Ok(())
        })
    }

    fn merge_accounts(&self, accounts: &[i64]) -> Result<i64> {
        self.write(|tx, ws| {
            // The persons already involved: their accounts all join the merged person.
            let persons: Vec<i64> = tx
                .query(
                    "SELECT DISTINCT person FROM accounts
                      WHERE workspace_id = $1 AND id = ANY($2) AND person IS NOT NULL
                      ORDER BY person",
                    &[&ws, &accounts],
                )?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
            let person = match persons.first() {
                Some(p) => *p,
                None => {
                    let id = next_id(tx, "people", ws)?;
                    tx.execute(
                        "INSERT INTO people (workspace_id, id) VALUES ($1, $2)",
                        &[&ws, &id],
                    )?;
                    id
                }
            };
            let others = &persons[persons.len().min(1)..];
            tx.execute(
                "UPDATE accounts SET person = $2
                  WHERE workspace_id = $1 AND (person = ANY($3) OR id = ANY($4))",
                &[&ws, &person, &others, &accounts],
            )?;
            tx.execute(
                "DELETE FROM people WHERE workspace_id = $1 AND id = ANY($2)",
                &[&ws, &others],
            )?;
            Ok(person)
        })
    }

    fn split_account(&self, account: i64) -> Result<()> {
        self.write(|tx, ws| {
            let person: Option<i64> = tx
                .query_opt(
                    "SELECT person FROM accounts WHERE workspace_id = $1 AND id = $2",
                    &[&ws, &account],
                )?
                .map(|r| r.try_get(0))
                .transpose()?
                .flatten();
            tx.execute(
                "UPDATE accounts SET person = NULL WHERE workspace_id = $1 AND id = $2",
                &[&ws, &account],
            )?;
            if let Some(person) = person {
                // A person left with one account is no longer a merge; with none, it is gone.
                let left: i64 = tx
                    .query_one(
                        "SELECT count(*) FROM accounts WHERE workspace_id = $1 AND person = $2",
                        &[&ws, &person],
                    )?
                    .try_get(0)?;
                if left <= 1 {
                    tx.execute(
                        "UPDATE accounts SET person = NULL WHERE workspace_id = $1 AND person = $2",
                        &[&ws, &person],
                    )?;
                    tx.execute(
                        "DELETE FROM people WHERE workspace_id = $1 AND id = $2",
                        &[&ws, &person],
                    )?;
                }
            }
            Ok(())
        })
    }

    fn set_action_state(
        &self,
        id: &str,
        state: ActionState,
        until: Option<Timestamp>,
    ) -> Result<()> {
        let state = match state {
            ActionState::Done => "done",
            ActionState::Snoozed => "snoozed",
        };
        self.write(|tx, ws| {
            tx.execute(
                "INSERT INTO action_state (workspace_id, id, state, until, at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (workspace_id, id) DO UPDATE SET state = excluded.state,
                     until = excluded.until, at = excluded.at",
                &[&ws, &id, &state, &until, &crate::now()],
            )?;
            Ok(())
        })
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.write(|tx, ws| {
            tx.execute(
                "INSERT INTO settings (workspace_id, key, value) VALUES ($1, $2, $3)
                 ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value",
                &[&ws, &key, &value],
            )?;
            Ok(())
        })
    }

    fn put_derived(&self, key: &str, generation: i64, body: &[u8]) -> Result<()> {
        let mut client = self.db.client()?;
        let mut tx = client.transaction()?;
        // A cache write never waits for an import: the view it keeps would be stale by the time
        // the import commits anyway.
        let locked = tx.query_opt(
            "SELECT 1 FROM workspaces WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED",
            &[&self.workspace.0],
        )?;
        if locked.is_none() {
            return Ok(());
        }
        read::put_derived(&mut tx, self.workspace.0, key, generation, body)?;
        tx.commit()?;
        Ok(())
    }

    fn replace_kept_state(&self, key: &str, seen: Option<&[u8]>, body: &[u8]) -> Result<Vec<u8>> {
        self.write(|tx, ws| read::replace_kept_state(tx, ws, key, seen, body))
    }
}

impl Read for PgSnapshot<'_> {
    fn stats(&self) -> Result<crate::Stats> {
        read::stats(&mut self.client(), self.workspace)
    }

    fn me(&self) -> Result<Vec<crate::AccountRow>> {
        read::accounts_where(&mut self.client(), self.workspace, "is_me", None)
    }

    fn find_accounts(&self, query: &str) -> Result<Vec<crate::AccountRow>> {
        read::find_accounts(&mut self.client(), self.workspace, query)
    }

    fn accounts(&self, ids: &[i64]) -> Result<Vec<crate::AccountRow>> {
        read::accounts_where(&mut self.client(), self.workspace, "id = ANY($2)", Some(ids))
    }

    fn interactions_touching(
        &self,
        accounts: &[i64],
        as_of: Option<Timestamp>,
    ) -> Result<Vec<crate::InteractionRow>> {
        read::interactions_touching(&mut self.client(), self.workspace, accounts, as_of)
    }

    fn for_each_edge(
        &self,
        as_of: Option<Timestamp>,
        f: &mut dyn FnMut(&crate::EdgeRow),
    ) -> Result<()> {
        read::for_each_edge(&mut self.client(), self.workspace, as_of, f)
    }

    fn for_each_edge_touching(
        &self,
        accounts: &[i64],
        f: &mut dyn FnMut(&crate::EdgeRow),
    ) -> Result<()> {
        read::for_each_edge_touching(&mut self.client(), self.workspace, accounts, f)
    }

    fn newest_at(&self, network: Option<Network>) -> Result<Option<Timestamp>> {
        read::newest_at(&mut self.client(), self.workspace, network)
    }

    fn posts_by(&self, authors: &[i64], as_of: Option<Timestamp>) -> Result<Vec<crate::PostRow>> {
        read::posts_by(&mut self.client(), self.workspace, authors, as_of)
    }

    fn described_accounts(&self) -> Result<Vec<crate::AccountRow>> {
        read::accounts_where(
            &mut self.client(),
            self.workspace,
            "(handle IS NOT NULL OR display_name IS NOT NULL OR url IS NOT NULL)",
            None,
        )
    }

    fn merged_persons(&self) -> Result<std::collections::HashMap<i64, i64>> {
        read::merged_persons(&mut self.client(), self.workspace)
    }

    fn for_each_post_since(&self, after: i64, f: &mut crate::PostVisitor<'_>) -> Result<()> {
        read::for_each_post_since(&mut self.client(), self.workspace, after, f)
    }

    fn posts_mark(&self) -> Result<(i64, u64)> {
        read::posts_mark(&mut self.client(), self.workspace)
    }

    fn posts_between(&self, since: Timestamp, until: Timestamp) -> Result<Vec<crate::PostRow>> {
        read::posts_between(&mut self.client(), self.workspace, since, until)
    }

    fn action_states(
        &self,
    ) -> Result<std::collections::HashMap<String, (ActionState, Option<Timestamp>)>> {
        read::action_states(&mut self.client(), self.workspace)
    }

    fn imports(&self) -> Result<Vec<ImportRow>> {
        read::imports(&mut self.client(), self.workspace)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        read::setting(&mut self.client(), self.workspace, key)
    }

    fn sync_cursors(&self, account: Option<&str>) -> Result<Vec<crate::SyncCursor>> {
        read::sync_cursors(&mut self.client(), self.workspace, account)
    }

    fn settings(&self) -> Result<Vec<(String, String)>> {
        read::settings(&mut self.client(), self.workspace)
    }

    fn generation(&self) -> Result<i64> {
        Ok(self.generation)
    }

    fn derived(&self, key: &str) -> Result<Option<Vec<u8>>> {
        read::derived(&mut self.client(), self.workspace, self.generation, key)
    }

    fn kept_state(&self, key: &str) -> Result<Option<Vec<u8>>> {
        read::kept_state(&mut self.client(), self.workspace, key)
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgres://h/db?x=@"), "postgres://h/db?x=@");
    }
}
