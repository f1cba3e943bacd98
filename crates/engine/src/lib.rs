//! Rapport's engine: the one API the command line and the server call.
//!
//! [`Engine`] owns the store and answers every question a user asks: import these files, who am I,
//! what does the store hold, who are my people. Front ends never reach the store or the importers
//! directly, so this crate is where behaviour lives and where it is tested.
#![deny(missing_docs)]

mod audit;
mod config;
mod demo;
mod derived;
mod discover;
mod drafts;
mod error;
mod graph_input;
mod groups;
mod identity;
mod import;
mod interests;
mod me;
mod network;
mod people;
mod report_data;
pub mod sample;
mod settings;
mod sync_target;
mod today;

pub use audit::{Audit, Example, Finding, PROMOTIONAL_LIMIT, Severity, Window};
pub use config::Config;
pub use discover::{DiscoverQuery, Suggestion};
pub use drafts::{DraftQuery, check_text};
pub use error::Error;
pub use groups::Group;
pub use identity::MergeSuggestion;
pub use import::{FileSummary, ImportOptions, Progress};
pub use people::{People, PeopleQuery, PersonDetail, PersonSummary, SortKey};
pub use rapport_check as check;
pub use rapport_graph as graph;
pub use rapport_import::bluesky::DEFAULT_SERVICE as BSKY_SERVICE;
pub use rapport_import::{FieldReport, Format, Skipped};
pub use rapport_model as model;
pub use rapport_report as report;
pub use rapport_score as score;
pub use rapport_store::{AccountRow, ImportRow, Stats, SyncCursor};
pub use rapport_sync as sync;
pub use settings::{Cadence, SETTINGS, SettingInfo};
pub use today::{Action, ActionKind, Today, TodayQuery};

use rapport_store::{SqliteStore, Store};

/// The result type of engine calls.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An open Rapport store and everything that can be asked of it.
pub struct Engine {
    store: SqliteStore,
    /// The last event set built, with what it was built from (see `Engine::event_set`).
    last_event_set:
        std::cell::RefCell<Option<(graph_input::EventSetKey, std::rc::Rc<graph_input::EventSet>)>>,
}

impl Engine {
    /// Opens (creating if needed) the store the configuration names.
    pub fn open(config: &Config) -> Result<Engine> {
        Ok(Engine { store: SqliteStore::open(&config.db)?, last_event_set: Default::default() })
    }

    /// The path of the store's file.
    pub fn db_path(&self) -> &std::path::Path {
        self.store.path()
    }

    /// What the store holds.
    pub fn stats(&self) -> Result<Stats> {
        Ok(self.store.stats()?)
    }

    /// The past imports, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportRow>> {
        Ok(self.store.imports()?)
    }
}
