//! The record writer of one import transaction.

use rapport_model::{Account, ActorKind, Interaction, Network, Post, Record};
use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::CACHE_KIB;
use crate::batch::{AccountMaps, Occurrences, Pending};
use crate::ids::{interaction_id, named_interaction_ids, post_id};
use crate::{RecordWriter, Result};

/// How many interactions are buffered before they are sorted by id and written: sorted inserts
/// touch each B-tree page once instead of once per row. A million rows is about 56 MB.
const CHUNK: usize = 1 << 20;

/// A batch at least this large into a small table rebuilds the secondary indexes.
const REBUILD_BATCH: usize = 65_536;

/// The indexes a large batch rebuilds, exactly as the migrations create them (a test holds the two
/// in step). A large batch into a small table drops them and builds them again at the end, inside
/// the same transaction: one sort instead of a random B-tree insert per row. The accounts key
/// needs no rebuild: new accounts are written in key order, so its inserts are appends.
const REBUILT_INDEXES: [(&str, &str); 3] = [
    ("interactions_source", "CREATE INDEX interactions_source ON interactions(source, at)"),
    ("interactions_target", "CREATE INDEX interactions_target ON interactions(target, at)"),
    ("interactions_import", "CREATE INDEX interactions_import ON interactions(import)"),
];

/// The page cache while an index is rebuilt, in KiB (negative, as `cache_size` takes it). SQLite
/// sizes its sorter's runs by the page cache: with 4 MiB (its smallest run) each run is sorted
/// within the processor's caches and the runs are merged, which costs about half as much as
/// sorting one list of the whole index. `cache_spill` keeps dirty pages in memory meanwhile.
const SORTER_CACHE_KIB: i64 = -4096;

/// Below this many stored interactions, a large batch rebuilds the indexes rather than inserting
/// into them: rebuilding costs a sort of the whole table, so it pays only while the table is not
/// much larger than the batch.
const REBUILD_BELOW: i64 = 4_000_000;

/// Writes records inside an open transaction, caching account ids so that the hot path (one
/// interaction) costs a hash lookup and a buffered row.
///
/// When every stored account is preloaded, an account new in this batch is first known by a
/// negative number and gets its store id when it is written: new accounts are then written in key
/// order, so that both the accounts table and its key index grow by appends.
pub(super) struct SqliteWriter<'c> {
    conn: &'c Connection,
    import: i64,
    /// Account ids (store ids, or the negative numbers of new accounts) by native id, per network.
    accounts: AccountMaps,
    /// How many records of identical content (and no native id) the written chunks held.
    occurrences: Occurrences,
    pending: Vec<Pending>,
    insert_interaction: Statement<'c>,
    /// The same insert for [`ROWS`] rows at once: one statement run per many rows is most of
    /// the speed of a large import.
    insert_interactions: Statement<'c>,
    find_account: Statement<'c>,
    insert_account: Statement<'c>,
    insert_accounts: Statement<'c>,
    /// New accounts not yet written, numbered from `assigned.len()`: the network and the range of
    /// the native id in `new_names`. One string for all of them spares an allocation each.
    new_accounts: Vec<(u8, std::ops::Range<usize>)>,
    new_names: String,
    /// The store ids of the accounts new in this batch, by number.
    assigned: Vec<i64>,
    /// The next free account id, when every account is preloaded.
    next_account: i64,
    pub(super) new: u64,
    pub(super) known: u64,
    /// True when `accounts` holds every stored account.
    preloaded: bool,
    /// True once the secondary indexes were dropped for this batch.
    indexes_dropped: bool,
    /// True once the decision to drop them was made.
    decided: bool,
}

impl<'c> SqliteWriter<'c> {
    pub(super) fn new(conn: &'c Connection, import: i64) -> Result<SqliteWriter<'c>> {
        let preloaded = preload_accounts(conn)?;
        Ok(SqliteWriter {
            conn,
            import,
            preloaded: preloaded.is_some(),
            accounts: preloaded.unwrap_or_default(),
            occurrences: Occurrences::default(),
            pending: Vec::with_capacity(CHUNK),
            insert_interaction: conn.prepare(&insert_sql(INTERACTION_INSERT, 10, 1))?,
            insert_interactions: conn.prepare(&insert_sql(INTERACTION_INSERT, 10, ROWS))?,
            find_account: conn
                .prepare("SELECT id FROM accounts WHERE network = ?1 AND native_id = ?2")?,
            insert_account: conn
                .prepare("INSERT INTO accounts (network, native_id) VALUES (?1, ?2)")?,
            insert_accounts: conn.prepare(&insert_sql(ACCOUNT_INSERT, 3, ROWS))?,
            new_accounts: Vec::new(),
            new_names: String::new(),
            assigned: Vec::new(),
            next_account: conn.query_row(
                "SELECT coalesce(max(id), 0) + 1 FROM accounts",
                [],
                |r| r.get(0),
            )?,
            new: 0,
            known: 0,
            indexes_dropped: false,
            decided: false,
        })
    }

    /// The account id of an account known only by reference, created if missing: a store id, or
    /// the negative number of an account new in this batch (see [`Self::store_id`]).
    fn account_ref(&mut self, network: Network, native_id: &str) -> Result<i64> {
        if let Some(id) = self.accounts[network as usize].get(native_id) {
            return Ok(*id);
        }
        // When every account was preloaded, a miss is a new account and needs no lookup.
        // Otherwise a lookup and a plain insert: an upsert with RETURNING costs twice as much, as
        // it needs a statement journal.
        let id = if self.preloaded {
            let number = self.assigned.len() + self.new_accounts.len();
            let start = self.new_names.len();
            self.new_names.push_str(native_id);
            self.new_accounts.push((network as u8, start..self.new_names.len()));
            -1 - number as i64
        } else {
            let found = self
                .find_account
                .query_row(params![network as u8, native_id], |r| r.get(0))
                .optional()?;
            match found {
                Some(id) => id,
                None => {
                    self.insert_account.execute(params![network as u8, native_id])?;
                    self.conn.last_insert_rowid()
                }
            }
        };
        self.accounts[network as usize].insert(native_id.to_owned(), id);
        Ok(id)
    }

    /// The store id of an account id, once [`Self::flush_accounts`] has written the new accounts.
    fn store_id(&self, id: i64) -> i64 {
        if id >= 0 { id } else { self.assigned[(-1 - id) as usize] }
    }

    /// The store id of an account known only by reference, created and written if missing.
    fn stored_account_ref(&mut self, network: Network, native_id: &str) -> Result<i64> {
        let id = self.account_ref(network, native_id)?;
        if id < 0 {
            self.flush_accounts()?;
        }
        Ok(self.store_id(id))
    }

    fn account(&mut self, a: &Account, is_me: bool) -> Result<()> {
        // An account referred to earlier in the batch may still wait in the buffer.
        self.flush_accounts()?;
        let known = match self.accounts[a.network as usize].get(&a.id) {
            Some(id) => Some(self.store_id(*id)),
            None if self.preloaded => None,
            None => self
                .find_account
                .query_row(params![a.network as u8, a.id], |r| r.get(0))
                .optional()?,
        };
        let id = match known {
            Some(id) => {
                // What the source says fills in what the store did not know; nothing is erased.
                self.conn
                    .prepare_cached(
                        "UPDATE accounts SET handle = coalesce(?2, handle),
                             display_name = coalesce(?3, display_name), url = coalesce(?4, url),
                             bot = max(bot, ?5), is_me = max(is_me, ?6),
                             description = coalesce(?7, description), kind = coalesce(?8, kind)
                         WHERE id = ?1",
                    )?
                    .execute(params![
                        id,
                        a.handle,
                        a.display_name,
                        a.url,
                        a.bot,
                        is_me,
                        a.description,
                        a.kind.map(ActorKind::as_str)
                    ])?;
                id
            }
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO accounts (network, native_id, handle, display_name, url, bot, is_me,
                             description, kind)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    )?
                    .execute(params![
                        a.network as u8,
                        a.id,
                        a.handle,
                        a.display_name,
                        a.url,
                        a.bot,
                        is_me,
                        a.description,
                        a.kind.map(ActorKind::as_str)
                    ])?;
                let id = self.conn.last_insert_rowid();
                self.next_account = self.next_account.max(id + 1);
                id
            }
        };
        self.accounts[a.network as usize].insert(a.id.clone(), id);
        self.count(known.is_none());
        Ok(())
    }

    fn count(&mut self, new: bool) {
        if new {
            self.new += 1;
        } else {
            self.known += 1;
        }
    }

    fn interaction(&mut self, i: &Interaction) -> Result<()> {
        let source = self.account_ref(i.network, &i.source)?;
        let target = self.account_ref(i.network, &i.target)?;
        self.pending.push(Pending::new(i, source, target));
        if self.pending.len() >= CHUNK {
            self.flush(false)?;
        }
        Ok(())
    }

    /// Writes the buffered interactions in id order; `last` tells that the batch ends here.
    fn flush(&mut self, last: bool) -> Result<()> {
        if !self.decided && self.pending.len() >= REBUILD_BATCH {
            self.decided = true;
            let stored: i64 =
                self.conn.query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))?;
            if stored < REBUILD_BELOW {
                for (name, _) in REBUILT_INDEXES {
                    self.conn.execute(&format!("DROP INDEX IF EXISTS {name}"), [])?;
                }
                self.indexes_dropped = true;
            }
        }
        self.flush_accounts()?;
        let mut pending = std::mem::take(&mut self.pending);
        for p in &mut pending {
            p.source = self.store_id(p.source);
            p.target = self.store_id(p.target);
        }
        self.occurrences.sort(&mut pending, last);
        let mut chunks = pending.chunks_exact(ROWS);
        for chunk in &mut chunks {
            let inserted = bind_interactions(&mut self.insert_interactions, chunk, self.import)?;
            self.new += inserted as u64;
            self.known += (ROWS - inserted) as u64;
        }
        for p in chunks.remainder() {
            let inserted = bind_interactions(
                &mut self.insert_interaction,
                std::slice::from_ref(p),
                self.import,
            )?;
            self.count(inserted == 1);
        }
        pending.clear();
        self.pending = pending;
        Ok(())
    }

    /// Gives the new accounts their store ids in key order, and writes them.
    fn flush_accounts(&mut self) -> Result<()> {
        if self.new_accounts.is_empty() {
            return Ok(());
        }
        let first = self.assigned.len();
        // The key index compares the network, then the native id's bytes, as `Ord` does here.
        // Most ids differ in their first eight bytes, which are compared without reaching for the
        // string; zeros pad a shorter id, so the prefixes' order never contradicts the ids'.
        let names = std::mem::take(&mut self.new_names);
        let mut accounts: Vec<(u8, u64, usize, &str)> = std::mem::take(&mut self.new_accounts)
            .into_iter()
            .enumerate()
            .map(|(number, (network, range))| {
                let native_id = &names[range];
                let mut prefix = [0; 8];
                let head = &native_id.as_bytes()[..native_id.len().min(8)];
                prefix[..head.len()].copy_from_slice(head);
                (network, u64::from_be_bytes(prefix), number, native_id)
            })
            .collect();
        accounts.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| a.3.cmp(b.3)));
        self.assigned.resize(first + accounts.len(), 0);
        let mut rows = Vec::with_capacity(accounts.len());
        for (network, _, number, native_id) in accounts {
            let id = self.next_account;
            self.next_account += 1;
            self.assigned[first + number] = id;
            rows.push((id, network, native_id));
        }
        let mut chunks = rows.chunks_exact(ROWS);
        for chunk in &mut chunks {
            bind_accounts(&mut self.insert_accounts, chunk)?;
        }
        for a in chunks.remainder() {
            self.conn
                .prepare_cached(&insert_sql(ACCOUNT_INSERT, 3, 1))?
                .execute(params![a.0, a.1, a.2])?;
        }
        Ok(())
    }

    /// Writes what is buffered and rebuilds any dropped index; the batch is then complete.
    pub(super) fn finish(&mut self) -> Result<()> {
        self.flush(true)?;
        if self.indexes_dropped {
            self.conn.pragma_update(None, "cache_size", SORTER_CACHE_KIB)?;
            let rebuilt = self.rebuild_indexes();
            self.conn.pragma_update(None, "cache_size", CACHE_KIB)?;
            rebuilt?;
            self.indexes_dropped = false;
        }
        Ok(())
    }

    /// Creates the rebuilt indexes that are missing.
    fn rebuild_indexes(&self) -> Result<()> {
        for (name, create) in REBUILT_INDEXES {
            let missing: bool = self.conn.query_row(
                "SELECT count(*) = 0 FROM sqlite_master WHERE type = 'index' AND name = ?1",
                [name],
                |r| r.get(0),
            )?;
            if missing {
                self.conn.execute(create, [])?;
            }
        }
        Ok(())
    }

    fn post(&mut self, p: &Post) -> Result<()> {
        let author = self.stored_account_ref(p.network, &p.author)?;
        let reply_to_author = match &p.reply_to_author {
            Some(a) => Some(self.stored_account_ref(p.network, a)?),
            None => None,
        };
        let id = post_id(p.network, &p.id);
        let changed = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO posts (id, network, native_id, author, at, text, reply_to,
                     reply_to_author, quote_of, private, import)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                id,
                p.network as u8,
                p.id,
                author,
                p.at,
                p.text,
                p.reply_to,
                reply_to_author,
                p.quote_of,
                p.private,
                self.import
            ])?;
        self.count(changed == 1);
        if changed == 0 {
            return Ok(());
        }
        for tag in &p.hashtags {
            self.conn
                .prepare_cached("INSERT OR IGNORE INTO post_hashtags (post, tag) VALUES (?1, ?2)")?
                .execute(params![id, tag])?;
        }
        for m in &p.mentions {
            let account = self.stored_account_ref(p.network, m)?;
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO post_mentions (post, account) VALUES (?1, ?2)",
                )?
                .execute(params![id, account])?;
        }
        for url in &p.links {
            self.conn
                .prepare_cached("INSERT OR IGNORE INTO post_links (post, url) VALUES (?1, ?2)")?
                .execute(params![id, url])?;
        }
        Ok(())
    }
}

impl RecordWriter for SqliteWriter<'_> {
    fn write(&mut self, record: &Record) -> Result<()> {
        match record {
            Record::Me(a) => self.account(a, true),
            Record::Account(a) => self.account(a, false),
            Record::Interaction(i) => self.interaction(i),
            Record::Post(p) => self.post(p),
        }
    }

    fn save_cursor(&mut self, account: &str, phase: &str, cursor: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO sync_cursors (account, phase, cursor, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account, phase) DO UPDATE SET cursor = excluded.cursor, at = excluded.at",
            )?
            .execute(params![account, phase, cursor, super::now()])?;
        Ok(())
    }

    fn undo(&mut self, interaction: &Interaction) -> Result<u64> {
        self.flush(false)?;
        let removed = self
            .conn
            .prepare_cached("DELETE FROM interactions WHERE id = ?1")?
            .execute([interaction_id(interaction)])?;
        Ok(removed as u64)
    }

    fn delete(&mut self, network: Network, native_id: &str) -> Result<u64> {
        self.flush(false)?;
        let post = post_id(network, native_id);
        let mentioned = self
            .conn
            .prepare_cached(
                "SELECT a.native_id FROM post_mentions m JOIN accounts a ON a.id = m.account
                 WHERE m.post = ?1",
            )?
            .query_map([post], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        let mut removed = 0;
        for id in named_interaction_ids(network, native_id, &mentioned) {
            removed += self
                .conn
                .prepare_cached("DELETE FROM interactions WHERE id = ?1")?
                .execute([id])?;
        }
        for table in ["post_hashtags", "post_mentions", "post_links"] {
            self.conn
                .prepare_cached(&format!("DELETE FROM {table} WHERE post = ?1"))?
                .execute([post])?;
        }
        removed += self.conn.prepare_cached("DELETE FROM posts WHERE id = ?1")?.execute([post])?;
        Ok(removed as u64)
    }
}

/// How many rows one multi-row insert writes.
const ROWS: usize = 64;

const INTERACTION_INSERT: &str = "INSERT OR IGNORE INTO interactions
    (id, network, kind, source, target, at, post_id, reply_to, text, import) VALUES ";
/// A conflict here would be a bug (the writer holds every account), and it fails the statement and
/// so the batch. FAIL rather than the default ABORT: a statement that may abort half-way must copy
/// each page it touches to a statement journal first, in case it has to undo its earlier rows.
const ACCOUNT_INSERT: &str = "INSERT OR FAIL INTO accounts (id, network, native_id) VALUES ";

/// `head` followed by `rows` groups of `columns` numbered parameters.
fn insert_sql(head: &str, columns: usize, rows: usize) -> String {
    let groups: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> =
                (1..=columns).map(|c| format!("?{}", r * columns + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!("{head}{}", groups.join(", "))
}

/// Binds and runs an interaction insert for `rows`; returns how many were new.
fn bind_interactions(stmt: &mut Statement<'_>, rows: &[Pending], import: i64) -> Result<usize> {
    for (r, p) in rows.iter().enumerate() {
        let at = r * 10;
        stmt.raw_bind_parameter(at + 1, p.id)?;
        stmt.raw_bind_parameter(at + 2, p.network)?;
        stmt.raw_bind_parameter(at + 3, p.kind)?;
        stmt.raw_bind_parameter(at + 4, p.source)?;
        stmt.raw_bind_parameter(at + 5, p.target)?;
        stmt.raw_bind_parameter(at + 6, p.at)?;
        stmt.raw_bind_parameter(at + 7, p.post_id())?;
        stmt.raw_bind_parameter(at + 8, p.reply_to())?;
        stmt.raw_bind_parameter(at + 9, p.text())?;
        stmt.raw_bind_parameter(at + 10, import)?;
    }
    Ok(stmt.raw_execute()?)
}

/// Binds and runs an account insert for `rows`.
fn bind_accounts(stmt: &mut Statement<'_>, rows: &[(i64, u8, &str)]) -> Result<()> {
    for (r, (id, network, native_id)) in rows.iter().enumerate() {
        stmt.raw_bind_parameter(r * 3 + 1, id)?;
        stmt.raw_bind_parameter(r * 3 + 2, network)?;
        stmt.raw_bind_parameter(r * 3 + 3, native_id)?;
    }
    stmt.raw_execute()?;
    Ok(())
}

/// Up to this many stored accounts are loaded into the cache when a batch starts.
const PRELOAD_ACCOUNTS: i64 = 2_000_000;

/// Every stored account's id, by network and native id, or `None` when there are too many.
fn preload_accounts(conn: &Connection) -> Result<Option<AccountMaps>> {
    let stored: i64 = conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?;
    if stored > PRELOAD_ACCOUNTS {
        return Ok(None);
    }
    let mut maps = AccountMaps::default();
    let mut stmt = conn.prepare("SELECT network, native_id, id FROM accounts")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let network: usize = r.get(0)?;
        if let Some(map) = maps.get_mut(network) {
            map.insert(r.get(1)?, r.get(2)?);
        }
    }
    Ok(Some(maps))
}

#[cfg(test)]
mod tests {
    use rapport_model::{Account, Interaction, InteractionKind, Network, Post, Record};

    use super::{REBUILD_BATCH, REBUILT_INDEXES};
    use crate::{ImportCounts, ImportMeta, RecordWriter, Store, StoreError};

    /// A batch large enough to rebuild the indexes, with accounts new and known, a post naming an
    /// account first seen in an interaction, and identical rows.
    fn large_batch() -> Vec<Record> {
        let mut records = vec![Record::Me(Account::new(Network::Mastodon, "me"))];
        for n in 0..REBUILD_BATCH as i64 + 10 {
            let (source, target) = (format!("a{}", n % 5_000), format!("b{}", n % 3_000));
            let i = Interaction::new(
                Network::Mastodon,
                Some(n / 2),
                source,
                target,
                InteractionKind::Reply,
            );
            records.push(Record::Interaction(i));
        }
        records.push(records[1].clone());
        records.push(Record::Post(Post {
            network: Network::Mastodon,
            id: "p1".into(),
            author: "a7".into(),
            text: "hello".into(),
            mentions: vec!["someone new".into(), "b2".into()],
            ..Post::default()
        }));
        records
    }

    fn import(store: &mut crate::SqliteStore, records: &[Record]) -> ImportCounts {
        let meta = ImportMeta {
            path: "t".into(),
            format: "test".into(),
            checksum: "x".into(),
            bytes: 0,
            started_at: 0,
        };
        let run = |w: &mut dyn RecordWriter| {
            for r in records {
                w.write(r)?;
            }
            Ok::<_, StoreError>(ImportCounts::default())
        };
        store.import(&meta, run).unwrap().counts
    }

    #[test]
    fn a_large_batch_writes_accounts_in_key_order_and_rebuilds_the_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = crate::SqliteStore::open(&dir.path().join("t.db")).unwrap();
        let records = large_batch();
        let counts = import(&mut store, &records);
        assert_eq!((counts.new, counts.known), (records.len() as u64, 0));
        let keys: Vec<String> = store
            .writer()
            .prepare("SELECT native_id FROM accounts WHERE native_id != 'me' ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(keys.len(), 5_000 + 3_000 + 1);
        assert!(keys.is_sorted(), "new accounts get their ids in key order");
        let conn = store.writer();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        let dangling: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(dangling, 0, "every row names stored accounts");
        let mentioned: i64 = conn
            .query_row(
                "SELECT count(*) FROM post_mentions m JOIN accounts a ON a.id = m.account
                 WHERE a.native_id IN ('someone new', 'b2')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(mentioned, 2);
        drop(conn);
        // Again: nothing new, and the indexes are back.
        let counts = import(&mut store, &records);
        assert_eq!((counts.new, counts.known), (0, records.len() as u64));
        for (name, _) in REBUILT_INDEXES {
            let found: i64 = store
                .writer()
                .query_row("SELECT count(*) FROM sqlite_master WHERE name = ?1", [name], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(found, 1);
        }
    }

    #[test]
    fn rebuilt_indexes_match_the_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::SqliteStore::open(&dir.path().join("t.db")).unwrap();
        for (name, create) in REBUILT_INDEXES {
            let sql: String = store
                .writer()
                .query_row("SELECT sql FROM sqlite_master WHERE name = ?1", [name], |r| r.get(0))
                .unwrap();
            assert_eq!(sql, create);
        }
    }
}
