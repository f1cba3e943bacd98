//! The SQLite implementation of [`Store`]: one file, WAL mode, embedded migrations.
//!
//! One writer connection behind a mutex serialises writes; reads take a connection from a small
//! pool and hold one read transaction for their whole snapshot, which WAL mode lets run beside a
//! writer without blocking it or seeing half of its batch.

mod access;
mod derived;
mod health;
mod migrate;
mod read;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rapport_model::{Network, Timestamp};
use rusqlite::{Connection, OpenFlags, params};

use crate::rows::{ImportCounts, ImportMeta, ImportRow};
use crate::{Read, RecordWriter, Result, Store, StoreError, now};

/// A store in one SQLite file.
pub struct SqliteStore {
    writer: Mutex<Connection>,
    /// Idle read connections, reused by the next snapshots.
    readers: Mutex<Vec<Connection>>,
    path: PathBuf,
    /// Opened read-only because the store's file or folder cannot be written.
    read_only: bool,
    /// Whether the pages were checked since the store was opened: once per process is enough to
    /// catch damage done outside Rapport, and a long-running sync must not pay a pass over the
    /// whole file for every small batch.
    pages_checked: std::sync::atomic::AtomicBool,
}

/// How many idle read connections the pool keeps; more snapshots at once open more, which are
/// closed when they end.
const IDLE_READERS: usize = 8;

impl SqliteStore {
    /// Opens the store at `path`, creating the file (0600) and its folder if missing, brings its
    /// schema up to date and checks that none of it is missing. An existing store whose file or
    /// folder cannot be written is opened read-only: every read works, writes say why they cannot.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing folder is created; failing that, opening reports the real reason.
            let _ = std::fs::create_dir_all(dir);
        }
        access::create_private(path);
        let (conn, read_only) = match SqliteStore::open_writable(path) {
            Ok(conn) => (conn, false),
            Err(err) if access::cannot_write(&err) => {
                (SqliteStore::open_read_only(path).map_err(|_| err)?, true)
            }
            Err(err) => return Err(err),
        };
        health::check_schema(&conn, path)?;
        Ok(SqliteStore {
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            path: path.to_owned(),
            read_only,
            pages_checked: std::sync::atomic::AtomicBool::new(false),
        })
    }

    fn open_writable(path: &Path) -> Result<Connection> {
        let mut conn = connect(path, OpenFlags::SQLITE_OPEN_CREATE)?;
        migrate::run(&mut conn, path)?;
        Ok(conn)
    }

    /// The fallback for a store that cannot be written: read-only, and only if its schema is the
    /// one this build writes (upgrading it would be a write).
    fn open_read_only(path: &Path) -> Result<Connection> {
        let conn = connect_read_only(path)?;
        migrate::check_current(&conn, path)?;
        Ok(conn)
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the store's file and SQLite's files beside it (`-wal`, `-shm`), if any: a store
    /// is these files together, and a leftover log must never be replayed into a new store.
    pub fn remove(path: &Path) -> std::io::Result<()> {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            match std::fs::remove_file(&file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    /// The writer connection. A panic while it was held left no transaction open (a dropped
    /// transaction rolls back), so a poisoned lock is safe to take.
    fn writer(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A connection to a store that cannot be written (see [`access::open_read_only`]).
fn connect_read_only(path: &Path) -> Result<Connection> {
    let open_err = |source| StoreError::Open { path: path.to_owned(), source };
    let conn = access::open_read_only(path).map_err(open_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(open_err)?;
    conn.pragma_update(None, "cache_size", CACHE_KIB).map_err(open_err)?;
    Ok(conn)
}

fn connect(path: &Path, extra: OpenFlags) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
    let open_err = |source| StoreError::Open { path: path.to_owned(), source };
    let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
    configure(&conn).map_err(open_err)?;
    Ok(conn)
}

/// A consistent read of a [`SqliteStore`]: one read transaction on a pooled connection, ended
/// (and the connection given back) when the snapshot is dropped.
pub struct SqliteSnapshot<'a> {
    conn: Option<Connection>,
    store: &'a SqliteStore,
    /// The generation of the data this snapshot sees, read when it began.
    generation: i64,
}

impl SqliteSnapshot<'_> {
    fn conn(&self) -> &Connection {
        // Present from creation until drop.
        self.conn.as_ref().unwrap_or_else(|| unreachable!("a snapshot holds its connection"))
    }
}

impl Drop for SqliteSnapshot<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        // A read transaction has nothing to keep; a connection that cannot end it is closed.
        if conn.execute_batch("COMMIT").is_ok() {
            let mut idle = self.store.readers.lock().unwrap_or_else(PoisonError::into_inner);
            if idle.len() < IDLE_READERS {
                idle.push(conn);
            }
        }
    }
}

/// The page cache: 128 MiB (a negative cache_size is in KiB).
pub(super) const CACHE_KIB: i64 = -131_072;

/// WAL with synchronous=NORMAL is durable across application crashes and fast; a larger page
/// cache keeps index pages of big imports in memory.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Larger pages mean fewer B-tree levels and page splits for big imports; this only takes
    // effect when the file is created.
    conn.pragma_update(None, "page_size", 16_384)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    // Dirty pages are written to the WAL before commit only past this size, even while an import
    // shrinks the page cache to size its index sorter (see the writer).
    conn.pragma_update(None, "cache_spill", CACHE_KIB)?;
    // Temporary storage stays the default (files, used only past the page cache's size): in
    // memory, SQLite's sorter would allocate every key on its own and sort them in one list,
    // which makes rebuilding an index twice as slow and rules out helper threads.
    // Index builds sort with helper threads.
    conn.pragma_update(None, "threads", 2)?;
    Ok(())
}

impl Store for SqliteStore {
    type Snapshot<'a> = SqliteSnapshot<'a>;

    fn snapshot(&self) -> Result<SqliteSnapshot<'_>> {
        let idle = self.readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let conn = match idle {
            Some(conn) => conn,
            None if self.read_only => connect_read_only(&self.path)?,
            None => connect(&self.path, OpenFlags::empty())?,
        };
        // A deferred transaction takes its snapshot at its first read: reading the generation
        // pins it, so every later read sees the data of that generation.
        conn.execute_batch("BEGIN")?;
        let generation = match derived::generation(&conn) {
            Ok(g) => g,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        };
        Ok(SqliteSnapshot { conn: Some(conn), store: self, generation })
    }

    fn import<E: From<StoreError>>(
        &self,
        meta: &ImportMeta,
        run: impl FnOnce(&mut dyn RecordWriter) -> Result<ImportCounts, E>,
    ) -> Result<ImportRow, E> {
        if self.read_only {
            return Err(StoreError::ReadOnly { path: self.path.clone() }.into());
        }
        let mut conn = self.writer();
        // Damage found after the import would be damage the import wrote into.
        if !self.pages_checked.load(std::sync::atomic::Ordering::Acquire) {
            health::check_pages(&conn, &self.path)?;
            self.pages_checked.store(true, std::sync::atomic::Ordering::Release);
        }
        // The writer resolves every account before it writes a row that names it, so referential
        // integrity holds by construction; checking it again per row would cost a third of the
        // import's time. The pragma cannot change inside a transaction, hence out here.
        conn.pragma_update(None, "foreign_keys", "OFF").map_err(StoreError::from)?;
        let result = import_batch(&mut conn, meta, run);
        conn.pragma_update(None, "foreign_keys", "ON").map_err(StoreError::from)?;
        result
    }

    fn set_me(&self, accounts: &[i64]) -> Result<()> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        tx.execute("UPDATE accounts SET is_me = 0 WHERE is_me = 1", [])?;
        for id in accounts {
            tx.execute("UPDATE accounts SET is_me = 1 WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn merge_accounts(&self, accounts: &[i64]) -> Result<i64> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        // The persons already involved: their accounts all join the merged person.
        let mut persons = Vec::new();
        for account in accounts {
            let person: Option<i64> =
                tx.query_row("SELECT person FROM accounts WHERE id = ?1", [account], |r| r.get(0))?;
            persons.extend(person);
        }
        persons.sort_unstable();
        persons.dedup();
        let person = match persons.first() {
            Some(p) => *p,
            None => {
                tx.execute("INSERT INTO people (name) VALUES (NULL)", [])?;
                tx.last_insert_rowid()
            }
        };
        for other in persons.iter().skip(1) {
            tx.execute(
                "UPDATE accounts SET person = ?1 WHERE person = ?2",
                params![person, other],
            )?;
            tx.execute("DELETE FROM people WHERE id = ?1", [other])?;
        }
        for account in accounts {
            tx.execute("UPDATE accounts SET person = ?1 WHERE id = ?2", params![person, account])?;
        }
        tx.commit()?;
        Ok(person)
    }

    fn split_account(&self, account: i64) -> Result<()> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let person: Option<i64> =
            tx.query_row("SELECT person FROM accounts WHERE id = ?1", [account], |r| r.get(0))?;
        tx.execute("UPDATE accounts SET person = NULL WHERE id = ?1", [account])?;
        if let Some(person) = person {
            // A person left with one account is no longer a merge; with none, it is gone.
            let left: i64 =
                tx.query_row("SELECT count(*) FROM accounts WHERE person = ?1", [person], |r| {
                    r.get(0)
                })?;
            if left <= 1 {
                tx.execute("UPDATE accounts SET person = NULL WHERE person = ?1", [person])?;
                tx.execute("DELETE FROM people WHERE id = ?1", [person])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn set_action_state(
        &self,
        id: &str,
        state: crate::ActionState,
        until: Option<Timestamp>,
    ) -> Result<()> {
        let state = match state {
            crate::ActionState::Done => "done",
            crate::ActionState::Snoozed => "snoozed",
        };
        self.writer().execute(
            "INSERT INTO action_state (id, state, until, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, until = excluded.until,
                 at = excluded.at",
            params![id, state, until, now()],
        )?;
        Ok(())
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.writer().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    fn put_derived(&self, key: &str, generation: i64, body: &[u8]) -> Result<()> {
        // A cache write never waits for an import: the view it keeps would be stale by the time
        // the import commits anyway.
        let Ok(conn) = self.writer.try_lock() else { return Ok(()) };
        derived::put(&conn, key, generation, body)
    }

    fn replace_kept_state(&self, key: &str, seen: Option<&[u8]>, body: &[u8]) -> Result<Vec<u8>> {
        derived::replace_state(&mut self.writer(), key, seen, body)
    }
}

impl Read for SqliteSnapshot<'_> {
    fn stats(&self) -> Result<crate::Stats> {
        read::stats(self.conn())
    }

    fn me(&self) -> Result<Vec<crate::AccountRow>> {
        read::accounts_where(self.conn(), "is_me = 1", [])
    }

    fn find_accounts(&self, query: &str) -> Result<Vec<crate::AccountRow>> {
        read::find_accounts(self.conn(), query)
    }

    fn accounts(&self, ids: &[i64]) -> Result<Vec<crate::AccountRow>> {
        read::accounts_by_id(self.conn(), ids)
    }

    fn interactions_touching(
        &self,
        accounts: &[i64],
        as_of: Option<Timestamp>,
    ) -> Result<Vec<crate::InteractionRow>> {
        read::interactions_touching(self.conn(), accounts, as_of)
    }

    fn interactions_touching_since(
        &self,
        accounts: &[i64],
        after: i64,
    ) -> Result<Option<crate::TouchingSince>> {
        read::interactions_touching_since(self.conn(), accounts, after).map(Some)
    }

    fn edges_since(
        &self,
        after: i64,
        f: &mut dyn FnMut(&crate::EdgeRow),
    ) -> Result<Option<crate::EdgesMark>> {
        read::edges_since(self.conn(), after, f).map(Some)
    }

    fn for_each_edge(
        &self,
        as_of: Option<Timestamp>,
        f: &mut dyn FnMut(&crate::EdgeRow),
    ) -> Result<()> {
        read::for_each_edge(self.conn(), as_of, f)
    }

    fn for_each_edge_touching(
        &self,
        accounts: &[i64],
        f: &mut dyn FnMut(&crate::EdgeRow),
    ) -> Result<()> {
        read::for_each_edge_touching(self.conn(), accounts, f)
    }

    fn newest_at(&self, network: Option<Network>) -> Result<Option<Timestamp>> {
        read::newest_at(self.conn(), network)
    }

    fn posts_by(&self, authors: &[i64], as_of: Option<Timestamp>) -> Result<Vec<crate::PostRow>> {
        read::posts_by(self.conn(), authors, as_of)
    }

    fn described_accounts(&self) -> Result<Vec<crate::AccountRow>> {
        read::accounts_where(
            self.conn(),
            "handle IS NOT NULL OR display_name IS NOT NULL OR url IS NOT NULL",
            [],
        )
    }

    fn merged_persons(&self) -> Result<std::collections::HashMap<i64, i64>> {
        let mut stmt =
            self.conn().prepare("SELECT id, person FROM accounts WHERE person IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn for_each_post_since(&self, after: i64, f: &mut crate::PostVisitor<'_>) -> Result<()> {
        let mut stmt = self.conn().prepare(
            "SELECT import, author, at, text FROM posts WHERE private = 0 AND import > ?1",
        )?;
        let mut rows = stmt.query([after])?;
        while let Some(row) = rows.next()? {
            // Borrowed from SQLite's row buffer: a whole-store scan allocates nothing per post.
            let text = row.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
            f(row.get(0)?, row.get(1)?, row.get(2)?, text);
        }
        Ok(())
    }

    fn posts_mark(&self) -> Result<(i64, u64)> {
        Ok(self.conn().query_row(
            "SELECT (SELECT coalesce(max(id), 0) FROM imports),
                    (SELECT count(*) FROM posts WHERE private = 0)",
            [],
            |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.unsigned_abs())),
        )?)
    }

    fn posts_between(&self, since: Timestamp, until: Timestamp) -> Result<Vec<crate::PostRow>> {
        read::posts_between(self.conn(), since, until)
    }

    fn action_states(
        &self,
    ) -> Result<std::collections::HashMap<String, (crate::ActionState, Option<Timestamp>)>> {
        read::action_states(self.conn())
    }

    fn imports(&self) -> Result<Vec<ImportRow>> {
        read::imports(self.conn())
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        read::setting(self.conn(), key)
    }

    fn sync_cursors(&self, account: Option<&str>) -> Result<Vec<crate::SyncCursor>> {
        let mut stmt = self.conn().prepare(
            "SELECT account, phase, cursor, at FROM sync_cursors
             WHERE ?1 IS NULL OR account = ?1 ORDER BY account, phase",
        )?;
        let rows = stmt.query_map([account], |r| {
            Ok(crate::SyncCursor {
                account: r.get(0)?,
                phase: r.get(1)?,
                cursor: r.get(2)?,
                at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn settings(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn().prepare("SELECT key, value FROM settings ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn generation(&self) -> Result<i64> {
        Ok(self.generation)
    }

    fn derived(&self, key: &str) -> Result<Option<Vec<u8>>> {
        derived::get(self.conn(), key)
    }

    fn kept_state(&self, key: &str) -> Result<Option<Vec<u8>>> {
        derived::state(self.conn(), key)
    }
}

/// The import transaction itself. It rolls back when dropped uncommitted: on error, on panic; and
/// a killed process leaves only an uncommitted WAL tail that SQLite discards on the next open.
fn import_batch<E: From<StoreError>>(
    conn: &mut Connection,
    meta: &ImportMeta,
    run: impl FnOnce(&mut dyn RecordWriter) -> Result<ImportCounts, E>,
) -> Result<ImportRow, E> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(StoreError::from)?;
    tx.execute(
        "INSERT INTO imports (path, format, checksum, bytes, started_at, finished_at,
             records_read, records_new, records_known, records_skipped)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, 0, 0, 0, 0)",
        params![meta.path, meta.format, meta.checksum, meta.bytes as i64, meta.started_at],
    )
    .map_err(StoreError::from)?;
    let import_id = tx.last_insert_rowid();
    let counts = {
        let mut writer = writer::SqliteWriter::new(&tx, import_id)?;
        let mut counts = run(&mut writer)?;
        writer.finish()?;
        counts.new = writer.new;
        counts.known = writer.known;
        counts
    };
    let finished_at = now();
    tx.execute(
        "UPDATE imports SET finished_at = ?2, records_read = ?3, records_new = ?4,
             records_known = ?5, records_skipped = ?6 WHERE id = ?1",
        params![
            import_id,
            finished_at,
            counts.read as i64,
            counts.new as i64,
            counts.known as i64,
            counts.skipped as i64
        ],
    )
    .map_err(StoreError::from)?;
    tx.commit().map_err(StoreError::from)?;
    Ok(ImportRow { id: import_id, meta: meta.clone(), finished_at, counts })
}
