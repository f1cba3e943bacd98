//! The record writer of one import transaction.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rapport_model::{Account, Interaction, Network, Post, Record};
use rusqlite::{Connection, OptionalExtension, Statement, params};

use crate::ids::{interaction_id, nth_occurrence, post_id};
use crate::{RecordWriter, Result};

/// How many interactions are buffered before they are sorted by id and written: sorted inserts
/// touch each B-tree page once instead of once per row. A million rows is about 150 MB.
const CHUNK: usize = 1 << 20;

/// A batch at least this large into a small table rebuilds the secondary indexes.
const REBUILD_BATCH: usize = 65_536;

/// The indexes a large batch rebuilds, exactly as the migrations create them (a test holds the two
/// in step). A large batch into a small table drops them and builds them again at the end, inside
/// the same transaction: one sort instead of a random B-tree insert per row. The accounts key is
/// among them only because the writer then holds every account in memory and so keeps it unique.
const REBUILT_INDEXES: [(&str, &str); 3] = [
    ("interactions_source", "CREATE INDEX interactions_source ON interactions(source, at)"),
    ("interactions_target", "CREATE INDEX interactions_target ON interactions(target, at)"),
    ("accounts_key", "CREATE UNIQUE INDEX accounts_key ON accounts(network, native_id)"),
];

/// Below this many stored interactions, a large batch rebuilds the indexes rather than inserting
/// into them: rebuilding costs a sort of the whole table, so it pays only while the table is not
/// much larger than the batch.
const REBUILD_BELOW: i64 = 4_000_000;

/// One interaction, resolved to store ids, waiting in the buffer.
struct Pending {
    id: i64,
    network: u8,
    kind: u8,
    source: i64,
    target: i64,
    at: Option<i64>,
    post_id: Option<String>,
    reply_to: Option<String>,
    text: Option<String>,
}

/// Writes records inside an open transaction, caching account ids so that the hot path (one
/// interaction) costs a hash lookup and a buffered row.
pub(super) struct SqliteWriter<'c> {
    conn: &'c Connection,
    import: i64,
    /// Store ids of accounts already resolved in this batch, per network.
    accounts: AccountMaps,
    /// How many records of identical content (and no native id) this batch has seen.
    occurrences: HashMap<i64, u32, BuildHasherDefault<IdHasher>>,
    pending: Vec<Pending>,
    insert_interaction: Statement<'c>,
    /// The same insert for [`ROWS`] rows at once: one statement run per many rows is most of
    /// the speed of a large import.
    insert_interactions: Statement<'c>,
    find_account: Statement<'c>,
    insert_account: Statement<'c>,
    insert_accounts: Statement<'c>,
    /// New accounts given their ids here (when every account is preloaded) and not yet written.
    new_accounts: Vec<(i64, u8, String)>,
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
            occurrences: HashMap::default(),
            pending: Vec::with_capacity(CHUNK),
            insert_interaction: conn.prepare(&insert_sql(INTERACTION_INSERT, 10, 1))?,
            insert_interactions: conn.prepare(&insert_sql(INTERACTION_INSERT, 10, ROWS))?,
            find_account: conn
                .prepare("SELECT id FROM accounts WHERE network = ?1 AND native_id = ?2")?,
            insert_account: conn
                .prepare("INSERT INTO accounts (network, native_id) VALUES (?1, ?2)")?,
            insert_accounts: conn.prepare(&insert_sql(ACCOUNT_INSERT, 3, ROWS))?,
            new_accounts: Vec::new(),
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

    /// The store id of an account known only by reference, created if missing.
    fn account_ref(&mut self, network: Network, native_id: &str) -> Result<i64> {
        if let Some(id) = self.accounts[network as usize].get(native_id) {
            return Ok(*id);
        }
        // A lookup and a plain insert: an upsert with RETURNING costs twice as much, as it needs a
        // statement journal, and this runs once per new account of a large import. When every
        // account was preloaded, a miss is a new account and needs no lookup.
        let found = if self.preloaded {
            None
        } else {
            self.find_account
                .query_row(params![network as u8, native_id], |r| r.get(0))
                .optional()?
        };
        let id = match found {
            Some(id) => id,
            None if self.preloaded => {
                let id = self.next_account;
                self.next_account += 1;
                self.new_accounts.push((id, network as u8, native_id.to_owned()));
                id
            }
            None => {
                self.insert_account.execute(params![network as u8, native_id])?;
                self.conn.last_insert_rowid()
            }
        };
        self.accounts[network as usize].insert(native_id.to_owned(), id);
        Ok(id)
    }

    fn account(&mut self, a: &Account, is_me: bool) -> Result<()> {
        // An account referred to earlier in the batch may still wait in the buffer.
        self.flush_accounts()?;
        let known = match self.accounts[a.network as usize].get(&a.id) {
            Some(id) => Some(*id),
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
                             bot = max(bot, ?5), is_me = max(is_me, ?6)
                         WHERE id = ?1",
                    )?
                    .execute(params![id, a.handle, a.display_name, a.url, a.bot, is_me])?;
                id
            }
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO accounts (network, native_id, handle, display_name, url, bot, is_me)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(params![a.network as u8, a.id, a.handle, a.display_name, a.url, a.bot, is_me])?;
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
        let id = interaction_id(i);
        let id = if i.native_id.is_some() {
            id
        } else {
            let seen = self.occurrences.entry(id).or_insert(0);
            *seen += 1;
            nth_occurrence(id, *seen - 1)
        };
        self.pending.push(Pending {
            id,
            network: i.network as u8,
            kind: i.kind.code(),
            source,
            target,
            at: i.at,
            post_id: i.post_id.clone(),
            reply_to: i.reply_to.clone(),
            text: i.text.clone(),
        });
        if self.pending.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered interactions in id order.
    fn flush(&mut self) -> Result<()> {
        if !self.decided && self.pending.len() >= REBUILD_BATCH {
            self.decided = true;
            let stored: i64 =
                self.conn.query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))?;
            if stored < REBUILD_BELOW {
                let rebuilt = REBUILT_INDEXES
                    .iter()
                    .filter(|(name, _)| self.preloaded || !name.starts_with("accounts"));
                for (name, _) in rebuilt {
                    self.conn.execute(&format!("DROP INDEX IF EXISTS {name}"), [])?;
                }
                self.indexes_dropped = true;
            }
        }
        self.flush_accounts()?;
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable_by_key(|p| p.id);
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

    /// Writes the accounts that were given ids but not yet stored.
    fn flush_accounts(&mut self) -> Result<()> {
        let accounts = std::mem::take(&mut self.new_accounts);
        let mut chunks = accounts.chunks_exact(ROWS);
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
        self.flush()?;
        if self.indexes_dropped {
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
            self.indexes_dropped = false;
        }
        Ok(())
    }

    fn post(&mut self, p: &Post) -> Result<()> {
        let author = self.account_ref(p.network, &p.author)?;
        let reply_to_author = match &p.reply_to_author {
            Some(a) => Some(self.account_ref(p.network, a)?),
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
            let account = self.account_ref(p.network, m)?;
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
}

/// Hashes keys that are already hashes (interaction ids): the key is its own hash.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = n as u64;
    }
}

/// How many rows one multi-row insert writes.
const ROWS: usize = 64;

const INTERACTION_INSERT: &str = "INSERT OR IGNORE INTO interactions
    (id, network, kind, source, target, at, post_id, reply_to, text, import) VALUES ";
const ACCOUNT_INSERT: &str = "INSERT INTO accounts (id, network, native_id) VALUES ";

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
        stmt.raw_bind_parameter(at + 7, &p.post_id)?;
        stmt.raw_bind_parameter(at + 8, &p.reply_to)?;
        stmt.raw_bind_parameter(at + 9, &p.text)?;
        stmt.raw_bind_parameter(at + 10, import)?;
    }
    Ok(stmt.raw_execute()?)
}

/// Binds and runs an account insert for `rows`.
fn bind_accounts(stmt: &mut Statement<'_>, rows: &[(i64, u8, String)]) -> Result<()> {
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

type AccountMaps = [HashMap<String, i64>; Network::ALL.len()];

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
    use super::REBUILT_INDEXES;

    #[test]
    fn rebuilt_indexes_match_the_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::SqliteStore::open(&dir.path().join("t.db")).unwrap();
        for (name, create) in REBUILT_INDEXES {
            let sql: String = store
                .conn
                .query_row("SELECT sql FROM sqlite_master WHERE name = ?1", [name], |r| r.get(0))
                .unwrap();
            assert_eq!(sql, create);
        }
    }
}
