//! Rapport's engine: the one API the command line and the server call.
//!
//! [`Engine`] owns the store and is shared: it is `Send + Sync`, so a server holds one in an `Arc`
//! and calls it from every request. Writes (imports, "me", merges, settings, done actions) are
//! methods of the engine and are serialised by the store. Reads go through a [`Snapshot`]
//! (`engine.read()?`), which sees the store as of one moment however many writes commit while it
//! runs; every question a user asks (who are my people, what should I do today) is a method of
//! the snapshot and takes the [`View`] it is asked from.
//!
//! The engine reads the store and hands plain data to the crates that compute (`score`, `graph`,
//! `check`, and `advice` for today's actions and the audit); front ends never reach the store or
//! the importers directly.
#![deny(missing_docs)]

mod audit;
mod blend;
mod cache;
mod config;
mod demo;
mod derived;
mod discover;
mod drafts;
mod error;
pub mod eval;
mod events;
mod groups;
mod history;
mod identity;
mod import;
mod interests;
mod me;
mod network;
mod pair;
mod people;
mod report_data;
pub mod sample;
mod send_target;
mod settings;
mod sides;
mod sync_target;
pub mod team;
mod today;
mod view;

pub use config::Config;
pub use discover::{DiscoverQuery, Suggestion};
pub use drafts::{DraftQuery, check_text};
pub use error::Error;
pub use groups::Group;
pub use identity::MergeSuggestion;
pub use import::{FileSummary, ImportOptions, Progress};
pub use people::{People, PeopleQuery, PersonDetail, SortKey};
pub use rapport_advice::{
    Action, ActionKind, Audit, Cadence, Example, Finding, Judgement, PROMOTIONAL_LIMIT,
    PersonSummary, Severity, Today, Window, classify,
};
pub use rapport_check as check;
// Whole graph jobs on edge-list files (`rapport graph`); the algorithms themselves stay behind them.
pub use rapport_graph::jobs as graph;
// The same jobs across processes on timely dataflow (`rapport graph ... --processes N`).
pub use rapport_dist as distributed;
pub use rapport_import::bluesky::DEFAULT_DIRECTORY as BSKY_DIRECTORY;
pub use rapport_import::bluesky::DEFAULT_SERVICE as BSKY_SERVICE;
pub use rapport_import::bluesky::NAMES_REPORT as BSKY_NAMES_REPORT;
pub use rapport_import::{FieldReport, Format, Skipped};
pub use rapport_model as model;
pub use rapport_report as report;
pub use rapport_score as score;
pub use rapport_store::{AccountRow, ImportRow, Stats, SyncCursor};
pub use rapport_sync as sync;
pub use send_target::SendTarget;
pub use settings::{SETTINGS, SettingInfo};
pub use today::TodayQuery;
pub use view::View;

use std::sync::Mutex;

use rapport_store::{Backend, BackendSnapshot, PgStore, Read, SqliteStore, Store};

/// The result type of engine calls.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An open Rapport store and everything that can be asked of it.
pub struct Engine {
    store: Backend,
    /// The store's SQLite file, or where local files beside a PostgreSQL store live.
    db: std::path::PathBuf,
    /// What reads build and share: event sets and decoded views, keyed by the data's generation.
    cache: cache::Cache,
}

impl Engine {
    /// Opens (creating if needed) the store the configuration names.
    pub fn open(config: &Config) -> Result<Engine> {
        match &config.database {
            Some(url) => {
                let store = PgStore::open(
                    url,
                    config.workspace.as_deref().unwrap_or(Config::DEFAULT_WORKSPACE),
                )?;
                // Each workspace keeps its local files (credentials) in a folder of its own.
                Engine::over_workspace(
                    store,
                    config.db.parent().unwrap_or(std::path::Path::new("")),
                )
            }
            None => {
                Ok(Engine::over(Backend::Sqlite(SqliteStore::open(&config.db)?), config.db.clone()))
            }
        }
    }

    /// An engine over an opened store; `db` is the SQLite file, or with PostgreSQL the place of
    /// the local files kept beside the store.
    fn over(store: Backend, db: std::path::PathBuf) -> Engine {
        Engine { store, db, cache: cache::Cache::default() }
    }

    /// The path of the store's file (with PostgreSQL: where the local files kept beside the
    /// store live).
    pub fn db_path(&self) -> &std::path::Path {
        self.store.path().unwrap_or(&self.db)
    }

    /// A consistent read of the store: every question asked of it sees the data as of the moment
    /// it was opened, whatever commits meanwhile. Open one per request or command; it holds a
    /// read transaction until dropped.
    pub fn read(&self) -> Result<Snapshot<'_>> {
        Ok(Snapshot { engine: self, store: self.store.snapshot()?, history: Mutex::default() })
    }
}

/// The engine as of one moment: the read side of its API (see [`Engine::read`]).
pub struct Snapshot<'e> {
    engine: &'e Engine,
    store: BackendSnapshot<'e>,
    /// The history of the accounts last asked (see `Snapshot::history`).
    history: Mutex<Option<view::History>>,
}

impl Snapshot<'_> {
    /// What the store holds.
    pub fn stats(&self) -> Result<Stats> {
        Ok(self.store.stats()?)
    }

    /// A number that moves whenever the data changes (an import, a merge or split, a change of
    /// "me" or of an account), so a front end can tell when what it shows is stale.
    pub fn generation(&self) -> Result<i64> {
        Ok(self.store.generation()?)
    }

    /// The past imports, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportRow>> {
        Ok(self.store.imports()?)
    }

    /// The path of the store's file.
    pub fn db_path(&self) -> &std::path::Path {
        self.engine.db_path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine is a service: a server shares one between threads.
    #[test]
    fn the_engine_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Engine>();
        shared::<std::sync::Arc<Engine>>();
    }
}
