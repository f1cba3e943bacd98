//! The SQLite implementation of [`Store`]: one file, WAL mode, embedded migrations.

mod derived;
mod migrate;
mod read;
mod writer;

use std::path::{Path, PathBuf};

use rapport_model::Timestamp;
use rusqlite::{Connection, OpenFlags, params};

use crate::rows::{ImportCounts, ImportMeta, ImportRow};
use crate::{RecordWriter, Result, Store, StoreError};

/// A store in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens the store at `path`, creating the file and its folder if missing, and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing folder is created; failing that, opening reports the real reason.
            let _ = std::fs::create_dir_all(dir);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open_err = |source| StoreError::Open { path: path.to_owned(), source };
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        configure(&conn).map_err(open_err)?;
        let mut store = SqliteStore { conn, path: path.to_owned() };
        migrate::run(&mut store.conn, &store.path)?;
        Ok(store)
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
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

fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Store for SqliteStore {
    fn import<E: From<StoreError>>(
        &mut self,
        meta: &ImportMeta,
        run: impl FnOnce(&mut dyn RecordWriter) -> Result<ImportCounts, E>,
    ) -> Result<ImportRow, E> {
        // The writer resolves every account before it writes a row that names it, so referential
        // integrity holds by construction; checking it again per row would cost a third of the
        // import's time. The pragma cannot change inside a transaction, hence out here.
        self.conn.pragma_update(None, "foreign_keys", "OFF").map_err(StoreError::from)?;
        let result = import_batch(&mut self.conn, meta, run);
        self.conn.pragma_update(None, "foreign_keys", "ON").map_err(StoreError::from)?;
        result
    }

    fn stats(&self) -> Result<crate::Stats> {
        read::stats(&self.conn)
    }

    fn me(&self) -> Result<Vec<crate::AccountRow>> {
        read::accounts_where(&self.conn, "is_me = 1", [])
    }

    fn set_me(&mut self, accounts: &[i64]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE accounts SET is_me = 0 WHERE is_me = 1", [])?;
        for id in accounts {
            tx.execute("UPDATE accounts SET is_me = 1 WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn find_accounts(&self, query: &str) -> Result<Vec<crate::AccountRow>> {
        read::find_accounts(&self.conn, query)
    }

    fn accounts(&self, ids: &[i64]) -> Result<Vec<crate::AccountRow>> {
        read::accounts_by_id(&self.conn, ids)
    }

    fn interactions_touching(
        &self,
        accounts: &[i64],
        as_of: Option<Timestamp>,
    ) -> Result<Vec<crate::InteractionRow>> {
        read::interactions_touching(&self.conn, accounts, as_of)
    }

    fn for_each_edge(
        &self,
        as_of: Option<Timestamp>,
        f: &mut dyn FnMut(&crate::EdgeRow),
    ) -> Result<()> {
        read::for_each_edge(&self.conn, as_of, f)
    }

    fn posts_by(&self, authors: &[i64], as_of: Option<Timestamp>) -> Result<Vec<crate::PostRow>> {
        read::posts_by(&self.conn, authors, as_of)
    }

    fn merge_accounts(&mut self, accounts: &[i64]) -> Result<i64> {
        let tx = self.conn.transaction()?;
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

    fn split_account(&mut self, account: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
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

    fn described_accounts(&self) -> Result<Vec<crate::AccountRow>> {
        read::accounts_where(
            &self.conn,
            "handle IS NOT NULL OR display_name IS NOT NULL OR url IS NOT NULL",
            [],
        )
    }

    fn merged_persons(&self) -> Result<std::collections::HashMap<i64, i64>> {
        let mut stmt =
            self.conn.prepare("SELECT id, person FROM accounts WHERE person IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn for_each_post_text(
        &self,
        as_of: Option<Timestamp>,
        f: &mut dyn FnMut(i64, &str),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT author, text FROM posts WHERE private = 0 AND (at IS NULL OR at <= ?1)",
        )?;
        let mut rows = stmt.query([as_of.unwrap_or(i64::MAX)])?;
        while let Some(row) = rows.next()? {
            // Borrowed from SQLite's row buffer: a whole-store scan allocates nothing per post.
            let text = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            f(row.get(0)?, text);
        }
        Ok(())
    }

    fn posts_between(&self, since: Timestamp, until: Timestamp) -> Result<Vec<crate::PostRow>> {
        read::posts_between(&self.conn, since, until)
    }

    fn action_states(
        &self,
    ) -> Result<std::collections::HashMap<String, (crate::ActionState, Option<Timestamp>)>> {
        read::action_states(&self.conn)
    }

    fn set_action_state(
        &mut self,
        id: &str,
        state: crate::ActionState,
        until: Option<Timestamp>,
    ) -> Result<()> {
        let state = match state {
            crate::ActionState::Done => "done",
            crate::ActionState::Snoozed => "snoozed",
        };
        self.conn.execute(
            "INSERT INTO action_state (id, state, until, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, until = excluded.until,
                 at = excluded.at",
            params![id, state, until, now()],
        )?;
        Ok(())
    }

    fn imports(&self) -> Result<Vec<ImportRow>> {
        read::imports(&self.conn)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        read::setting(&self.conn, key)
    }

    fn sync_cursors(&self, account: Option<&str>) -> Result<Vec<crate::SyncCursor>> {
        let mut stmt = self.conn.prepare(
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

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    fn settings(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare("SELECT key, value FROM settings ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn generation(&self) -> Result<i64> {
        derived::generation(&self.conn)
    }

    fn derived(&self, key: &str) -> Result<Option<Vec<u8>>> {
        derived::get(&self.conn, key)
    }

    fn put_derived(&self, key: &str, generation: i64, body: &[u8]) -> Result<()> {
        derived::put(&self.conn, key, generation, body)
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
