//! [`Backend`]: the store the engine holds, SQLite or PostgreSQL, chosen when it is opened.
//!
//! `Store` has a generic method and a snapshot type per backend, so it cannot be a trait object;
//! an enum is the one place that dispatches, and callers stay written against one type.

use rapport_model::{Network, Timestamp};

use crate::rows::{EdgeRow, ImportCounts, ImportMeta, ImportRow, Stats, SyncCursor};
use crate::{
    AccountRow, ActionState, InteractionRow, PgSnapshot, PgStore, PostRow, PostVisitor, Read,
    RecordWriter, Result, SqliteSnapshot, SqliteStore, Store, StoreError,
};

/// A store of either backend.
pub enum Backend {
    /// A personal store in one SQLite file.
    Sqlite(SqliteStore),
    /// One workspace of a PostgreSQL database.
    Postgres(PgStore),
}

/// A snapshot of a [`Backend`].
pub enum BackendSnapshot<'a> {
    /// Of a SQLite store.
    Sqlite(SqliteSnapshot<'a>),
    /// Of a PostgreSQL workspace.
    Postgres(PgSnapshot<'a>),
}

impl Backend {
    /// The SQLite store's file, if this is one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Backend::Sqlite(s) => Some(s.path()),
            Backend::Postgres(_) => None,
        }
    }
}

/// Calls the same method on whichever backend `$self` holds.
macro_rules! dispatch {
    ($self:expr, $s:ident => $call:expr) => {
        match $self {
            Self::Sqlite($s) => $call,
            Self::Postgres($s) => $call,
        }
    };
}

impl Store for Backend {
    type Snapshot<'a> = BackendSnapshot<'a>;

    fn snapshot(&self) -> Result<BackendSnapshot<'_>> {
        Ok(match self {
            Backend::Sqlite(s) => BackendSnapshot::Sqlite(s.snapshot()?),
            Backend::Postgres(s) => BackendSnapshot::Postgres(s.snapshot()?),
        })
    }

    fn import<E: From<StoreError>>(
        &self,
        meta: &ImportMeta,
        run: impl FnOnce(&mut dyn RecordWriter) -> Result<ImportCounts, E>,
    ) -> Result<ImportRow, E> {
        dispatch!(self, s => s.import(meta, run))
    }

    fn set_me(&self, accounts: &[i64]) -> Result<()> {
        dispatch!(self, s => s.set_me(accounts))
    }

    fn merge_accounts(&self, accounts: &[i64]) -> Result<i64> {
        dispatch!(self, s => s.merge_accounts(accounts))
    }

    fn split_account(&self, account: i64) -> Result<()> {
        dispatch!(self, s => s.split_account(account))
    }

    fn set_action_state(
        &self,
        id: &str,
        state: ActionState,
        until: Option<Timestamp>,
    ) -> Result<()> {
        dispatch!(self, s => s.set_action_state(id, state, until))
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        dispatch!(self, s => s.set_setting(key, value))
    }

    fn put_derived(&self, key: &str, generation: i64, body: &[u8]) -> Result<()> {
        dispatch!(self, s => s.put_derived(key, generation, body))
    }

    fn replace_kept_state(&self, key: &str, seen: Option<&[u8]>, body: &[u8]) -> Result<Vec<u8>> {
        dispatch!(self, s => s.replace_kept_state(key, seen, body))
    }
}

impl Read for BackendSnapshot<'_> {
    fn stats(&self) -> Result<Stats> {
        dispatch!(self, s => s.stats())
    }

    fn me(&self) -> Result<Vec<AccountRow>> {
        dispatch!(self, s => s.me())
    }

    fn find_accounts(&self, query: &str) -> Result<Vec<AccountRow>> {
        dispatch!(self, s => s.find_accounts(query))
    }

    fn accounts(&self, ids: &[i64]) -> Result<Vec<AccountRow>> {
        dispatch!(self, s => s.accounts(ids))
    }

    fn interactions_touching(
        &self,
        accounts: &[i64],
        as_of: Option<Timestamp>,
    ) -> Result<Vec<InteractionRow>> {
        dispatch!(self, s => s.interactions_touching(accounts, as_of))
    }

    fn interactions_touching_since(
        &self,
        accounts: &[i64],
        after: i64,
    ) -> Result<Option<crate::TouchingSince>> {
        dispatch!(self, s => s.interactions_touching_since(accounts, after))
    }

    fn edges_since(
        &self,
        after: i64,
        f: &mut dyn FnMut(&EdgeRow),
    ) -> Result<Option<crate::EdgesMark>> {
        dispatch!(self, s => s.edges_since(after, f))
    }

    fn for_each_edge(&self, as_of: Option<Timestamp>, f: &mut dyn FnMut(&EdgeRow)) -> Result<()> {
        dispatch!(self, s => s.for_each_edge(as_of, f))
    }

    fn for_each_edge_touching(&self, accounts: &[i64], f: &mut dyn FnMut(&EdgeRow)) -> Result<()> {
        dispatch!(self, s => s.for_each_edge_touching(accounts, f))
    }

    fn newest_at(&self, network: Option<Network>) -> Result<Option<Timestamp>> {
        dispatch!(self, s => s.newest_at(network))
    }

    fn posts_by(&self, authors: &[i64], as_of: Option<Timestamp>) -> Result<Vec<PostRow>> {
        dispatch!(self, s => s.posts_by(authors, as_of))
    }

    fn described_accounts(&self) -> Result<Vec<AccountRow>> {
        dispatch!(self, s => s.described_accounts())
    }

    fn merged_persons(&self) -> Result<std::collections::HashMap<i64, i64>> {
        dispatch!(self, s => s.merged_persons())
    }

    fn for_each_post_since(&self, after: i64, f: &mut PostVisitor<'_>) -> Result<()> {
        dispatch!(self, s => s.for_each_post_since(after, f))
    }

    fn posts_mark(&self) -> Result<(i64, u64)> {
        dispatch!(self, s => s.posts_mark())
    }

    fn posts_between(&self, since: Timestamp, until: Timestamp) -> Result<Vec<PostRow>> {
        dispatch!(self, s => s.posts_between(since, until))
    }

    fn action_states(
        &self,
    ) -> Result<std::collections::HashMap<String, (ActionState, Option<Timestamp>)>> {
        dispatch!(self, s => s.action_states())
    }

    fn imports(&self) -> Result<Vec<ImportRow>> {
        dispatch!(self, s => s.imports())
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        dispatch!(self, s => s.setting(key))
    }

    fn sync_cursors(&self, account: Option<&str>) -> Result<Vec<SyncCursor>> {
        dispatch!(self, s => s.sync_cursors(account))
    }

    fn settings(&self) -> Result<Vec<(String, String)>> {
        dispatch!(self, s => s.settings())
    }

    fn generation(&self) -> Result<i64> {
        dispatch!(self, s => s.generation())
    }

    fn derived(&self, key: &str) -> Result<Option<Vec<u8>>> {
        dispatch!(self, s => s.derived(key))
    }

    fn kept_state(&self, key: &str) -> Result<Option<Vec<u8>>> {
        dispatch!(self, s => s.kept_state(key))
    }
}
