//! Rapport's store: the [`Store`] trait, the rows it returns, and its two implementations: SQLite
//! for a personal store in one file, PostgreSQL for teams (workspaces in one database), with
//! [`Backend`] holding either.
//!
//! All SQL of the project lives in this crate, behind the trait, so the engine does not know
//! which backend it runs on. Rows are plain structs mapped by hand: the store
//! decides how data is laid out, callers only see these types.

mod backend;
mod batch;
mod error;
mod ids;
pub mod postgres;
mod rows;
pub mod sqlite;

pub use backend::{Backend, BackendSnapshot};
pub use error::StoreError;
pub use ids::{interaction_id, nth_occurrence, post_id};
pub use postgres::{PgDatabase, PgSnapshot, PgStore, WorkspaceId};
pub use rapport_model::rows::{AccountRow, ActionState, InteractionRow, PostRow};
pub use rows::{EdgeRow, ImportCounts, ImportMeta, ImportRow, KindCount, Stats, SyncCursor};
pub use sqlite::{SqliteSnapshot, SqliteStore};

use rapport_model::{Interaction, Network, Record, Timestamp};

/// The time now, in Unix seconds, as rows store it.
pub(crate) fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The result type of store calls.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Writes the records of one import batch. Handed to the closure given to [`Store::import`].
///
/// Writes may be buffered: whether each record was new is counted by the store and reported in
/// the batch's [`ImportCounts`], not per call.
pub trait RecordWriter {
    /// Writes one record.
    fn write(&mut self, record: &Record) -> Result<()>;
    /// Saves where `rapport sync` stands in one phase of one account, in the batch's transaction,
    /// so the cursor is stored exactly when the records it follows are.
    fn save_cursor(&mut self, account: &str, phase: &str, cursor: &str) -> Result<()>;
    /// Removes what the network deleted, named by its own id (an AT URI, a status URI): the
    /// interactions of any kind with that id (a like, repost, follow, block, reply, quote), the
    /// mentions and direct messages of the post it names, and that post. Records written earlier
    /// in the batch are written first, so a record made and deleted in one batch is gone.
    /// Returns how many interactions and posts were removed: none for what the store never had.
    fn delete(&mut self, network: Network, native_id: &str) -> Result<u64>;
    /// Removes `interaction` itself (by its id: its native id's, or its content's), a state that
    /// no longer holds and has no id of its own, such as an undated follow a list gave; returns
    /// how many rows went (none when the store never had it).
    fn undo(&mut self, interaction: &Interaction) -> Result<u64>;
}

/// What [`Read::for_each_post_since`] calls with each post: its import's id, author, time and text
/// (borrowed from the row: a whole-store scan allocates nothing per post).
pub type PostVisitor<'a> = dyn FnMut(i64, i64, Option<Timestamp>, &str) + 'a;

/// What [`Read::interactions_touching_since`] finds.
#[derive(Debug)]
pub struct TouchingSince {
    /// The newest import the snapshot sees: the `after` of the next call.
    pub newest_import: i64,
    /// How many interactions touch the accounts, each counted once per account and column.
    pub count: u64,
    /// The interactions the imports after `after` wrote that touch the accounts, in id order.
    pub rows: Vec<InteractionRow>,
}

/// Where a store stands, for a reader that keeps its edges (see [`Read::edges_since`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EdgesMark {
    /// The newest import the snapshot sees: the `after` of the next call.
    pub import: i64,
    /// How many interactions the store holds.
    pub count: u64,
}

/// What can be read from a store. Every read of one [`Store::snapshot`] sees the data as of one
/// moment: a write that commits meanwhile is seen by the next snapshot, never by half of this one.
pub trait Read {
    /// Counts of what the store holds.
    fn stats(&self) -> Result<Stats>;

    /// The accounts marked as "me".
    fn me(&self) -> Result<Vec<AccountRow>>;

    /// Accounts whose handle, native id or display name matches `query` (case-insensitive, a
    /// leading `@` ignored), best matches first.
    fn find_accounts(&self, query: &str) -> Result<Vec<AccountRow>>;

    /// The accounts with these ids, in no particular order.
    fn accounts(&self, ids: &[i64]) -> Result<Vec<AccountRow>>;

    /// Every interaction from or to one of `accounts`, dated at or before `as_of` or undated.
    fn interactions_touching(
        &self,
        accounts: &[i64],
        as_of: Option<Timestamp>,
    ) -> Result<Vec<InteractionRow>>;

    /// For a reader that keeps the history of `accounts` from one snapshot to the next: the newest
    /// import this snapshot sees, how many interactions touch `accounts` now (counted once per
    /// account and column matched, source then target), and those written by the imports after
    /// `after`, undated or not. `None` when the store does not number imports in the order they
    /// commit, or cannot find an import's interactions without reading the rest: the reader then
    /// reads the whole history again. Rows are never rewritten, so what the reader holds can only
    /// have changed by a deletion, which the count shows.
    fn interactions_touching_since(
        &self,
        accounts: &[i64],
        after: i64,
    ) -> Result<Option<TouchingSince>> {
        let _ = (accounts, after);
        Ok(None)
    }

    /// For a reader that keeps the whole store's edges from one snapshot to the next (the engine's
    /// event sets): calls `f` for every interaction the imports after `after` wrote, in no
    /// particular order, and says where the store stands: the newest import this snapshot sees
    /// and how many interactions it holds. `None` when the store does not number imports in the
    /// order they commit, or cannot find an import's interactions without reading the rest: the
    /// reader then reads the whole store again. Rows are never rewritten, so what the reader holds
    /// can only have changed by a deletion, which the count shows.
    fn edges_since(&self, after: i64, f: &mut dyn FnMut(&EdgeRow)) -> Result<Option<EdgesMark>> {
        let _ = (after, f);
        Ok(None)
    }

    /// Calls `f` for every interaction dated at or before `as_of` (or undated), in id order, with
    /// only who did what to whom and when: the whole-store scans that build graphs and scores
    /// need no text, and skipping it makes them about twice as fast.
    fn for_each_edge(&self, as_of: Option<Timestamp>, f: &mut dyn FnMut(&EdgeRow)) -> Result<()>;

    /// Calls `f` once for every interaction from or to one of `accounts`, dated or not, in no
    /// particular order, with only who did what to whom and when: the two sides of one
    /// relationship (what scoring it reads), without a scan of the whole store.
    fn for_each_edge_touching(&self, accounts: &[i64], f: &mut dyn FnMut(&EdgeRow)) -> Result<()>;

    /// The newest timestamp of the interactions on `network` (every network's when `None`): the
    /// data's own "now", as the newest of a whole-store scan would give it.
    fn newest_at(&self, network: Option<Network>) -> Result<Option<Timestamp>>;

    /// Posts written by one of `authors`, dated at or before `as_of` or undated, newest first.
    fn posts_by(&self, authors: &[i64], as_of: Option<Timestamp>) -> Result<Vec<PostRow>>;

    /// Every account with a handle, display name or profile link: the material for merge
    /// suggestions.
    fn described_accounts(&self) -> Result<Vec<AccountRow>>;

    /// The person of every account merged into one: account id to person id.
    fn merged_persons(&self) -> Result<std::collections::HashMap<i64, i64>>;

    /// Calls `f` with every public post an import (or synced batch) after the import `after`
    /// wrote: its import's id, author, time and text. Imports are numbered in the order they
    /// commit, so a reader that keeps what it read of the posts reads only the new ones.
    fn for_each_post_since(&self, after: i64, f: &mut PostVisitor<'_>) -> Result<()>;

    /// The newest import's id and how many public posts the store holds: a reader that kept the
    /// posts of the imports up to that id holds them all when its count agrees (posts are written
    /// once and never rewritten, so a count that disagrees means some were removed).
    fn posts_mark(&self) -> Result<(i64, u64)>;

    /// Public posts dated in `(since, until]` by anyone, newest first.
    fn posts_between(&self, since: Timestamp, until: Timestamp) -> Result<Vec<PostRow>>;

    /// What the user did with daily actions: action id to (state, snoozed until).
    fn action_states(
        &self,
    ) -> Result<std::collections::HashMap<String, (ActionState, Option<Timestamp>)>>;

    /// The past imports, oldest first.
    fn imports(&self) -> Result<Vec<ImportRow>>;

    /// A stored setting.
    fn setting(&self, key: &str) -> Result<Option<String>>;

    /// The sync cursors saved for `account` (every account's when `None`), by account and phase.
    fn sync_cursors(&self, account: Option<&str>) -> Result<Vec<SyncCursor>>;

    /// Every stored setting, by key.
    fn settings(&self) -> Result<Vec<(String, String)>>;

    /// The generation of the data: a number that moves on every import, merge, split, change of
    /// "me" and change of an account's name or bot flag.
    fn generation(&self) -> Result<i64>;

    /// A view derived from the store's data and kept under `key` by [`Store::put_derived`], if it
    /// was derived from this snapshot's generation; a stale view is never returned.
    fn derived(&self, key: &str) -> Result<Option<Vec<u8>>>;

    /// State the engine keeps across generations under `key` (see [`Store::replace_kept_state`]),
    /// as of this snapshot.
    fn kept_state(&self, key: &str) -> Result<Option<Vec<u8>>>;
}

/// A store: consistent snapshots to read from, and one writer at a time.
///
/// A store is shared: every method takes `&self`, so one store (and the engine that owns it) can
/// serve many threads. Reads go through snapshots, which run side by side; writes are serialised,
/// and each commits whole or not at all.
pub trait Store: Send + Sync {
    /// A consistent read of the store.
    type Snapshot<'a>: Read
    where
        Self: 'a;

    /// Opens a snapshot: every read through it sees the data as of this moment.
    fn snapshot(&self) -> Result<Self::Snapshot<'_>>;

    /// Runs one import batch in one transaction.
    ///
    /// `run` receives a writer and returns the batch's counts of records read and skipped; the store
    /// fills in how many were new and already known. The batch commits, with a row in the imports
    /// table, only if `run` returns `Ok`. An error, a panic or a killed process leaves the
    /// store exactly as it was before the call.
    fn import<E: From<StoreError>>(
        &self,
        meta: &ImportMeta,
        run: impl FnOnce(&mut dyn RecordWriter) -> Result<ImportCounts, E>,
    ) -> Result<ImportRow, E>;

    /// Marks exactly these accounts as "me".
    fn set_me(&self, accounts: &[i64]) -> Result<()>;

    /// Makes the given accounts, and every account already merged with any of them, one person.
    /// Returns the person's id.
    fn merge_accounts(&self, accounts: &[i64]) -> Result<i64>;

    /// Detaches an account from its person: it becomes a person of its own again.
    fn split_account(&self, account: i64) -> Result<()>;

    /// Records what the user did with one daily action.
    fn set_action_state(
        &self,
        id: &str,
        state: ActionState,
        until: Option<Timestamp>,
    ) -> Result<()>;

    /// Stores a setting.
    fn set_setting(&self, key: &str, value: &str) -> Result<()>;

    /// Keeps a view derived from the data as it was at `generation` (read before deriving it, so
    /// a write that lands meanwhile makes the view stale rather than wrongly current), and drops
    /// every stale one. A key's text up to its first `#` names a slot, and keeping a view also
    /// drops the other views of its slot, so views kept for an older build or for settings since
    /// changed do not pile up between imports. It is a cache: when the writer is busy (an import
    /// is running) the view is not kept, and the caller loses nothing but the next call's time.
    fn put_derived(&self, key: &str, generation: i64, body: &[u8]) -> Result<()>;

    /// Keeps `body` as the state under `key` if the row still holds `seen` (`None`: no row), and
    /// drops the other rows of its slot (the text up to the first `#`, as with kept views); returns
    /// the row as it stands afterwards: `body`, or what another writer kept first. Unlike a kept
    /// view, kept state does not go stale with the data: the engine decides when to choose it
    /// again, and two readers that both found it due agree on one choice through `seen`.
    fn replace_kept_state(&self, key: &str, seen: Option<&[u8]>, body: &[u8]) -> Result<Vec<u8>>;
}
