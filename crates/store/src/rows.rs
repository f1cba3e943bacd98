//! The plain rows the store returns and takes. The rows the computing crates read too (accounts,
//! interactions, posts, action states) are plain data of `rapport-model` (`model::rows`), re-exported
//! from the crate root.

use rapport_model::{InteractionKind, Network, Timestamp};

/// One stored interaction without its text and post ids: an edge of the interaction graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EdgeRow {
    /// The interaction's store id.
    pub id: i64,
    /// Its network.
    pub network: Network,
    /// What happened.
    pub kind: InteractionKind,
    /// The acting account's store id.
    pub source: i64,
    /// The store id of the account acted upon.
    pub target: i64,
    /// When, if known.
    pub at: Option<Timestamp>,
}

/// What an import batch is: the file it came from and its checksum.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportMeta {
    /// The path as the user gave it.
    pub path: String,
    /// The format it was read as.
    pub format: String,
    /// A hex checksum of the file's bytes.
    pub checksum: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// When the import started.
    pub started_at: Timestamp,
}

/// The counts of one import batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Records read from the source.
    pub read: u64,
    /// Records the store did not have yet.
    pub new: u64,
    /// Records the store already had.
    pub known: u64,
    /// Records skipped, with a reason given to the user.
    pub skipped: u64,
}

/// One past import, as recorded in the store.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRow {
    /// The store's id for the import.
    pub id: i64,
    /// What was imported.
    pub meta: ImportMeta,
    /// When it finished.
    pub finished_at: Timestamp,
    /// Its counts.
    pub counts: ImportCounts,
}

/// How many interactions of one kind one network holds.
#[derive(Clone, Debug, PartialEq)]
pub struct KindCount {
    /// The network.
    pub network: Network,
    /// The kind.
    pub kind: InteractionKind,
    /// How many.
    pub count: u64,
    /// How many of them are undated.
    pub undated: u64,
}

/// What the store holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Accounts, all networks.
    pub accounts: u64,
    /// People: merged persons plus unmerged accounts.
    pub people: u64,
    /// Interactions.
    pub interactions: u64,
    /// Posts.
    pub posts: u64,
    /// Interactions by network and kind.
    pub by_kind: Vec<KindCount>,
    /// The earliest dated interaction or post.
    pub first_at: Option<Timestamp>,
    /// The latest dated interaction or post.
    pub last_at: Option<Timestamp>,
    /// How many imports were made.
    pub imports: u64,
}

/// Where `rapport sync` stands in one phase of one account.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncCursor {
    /// The account: `bluesky:<DID>` or `mastodon:<actor URI>`.
    pub account: String,
    /// The phase (`notifications`, `repo:app.bsky.feed.post`, `circle:<id>`…).
    pub phase: String,
    /// The network's cursor, or the phase's state, as sync wrote it.
    pub cursor: String,
    /// When it was saved.
    pub at: Timestamp,
}
