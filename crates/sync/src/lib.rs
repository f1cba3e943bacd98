//! Rapport's live sync: Bluesky and Mastodon accounts pulled through their official APIs.
//!
//! Everything received becomes the same [`Record`]s the importers produce, with the networks' own
//! ids (AT URIs, status URIs), formed by the importers' own functions: importing an archive and
//! syncing the same account meet without duplicates. Sync runs in phases (the own repository or
//! statuses, notifications, followers, the circle's follows…); each page of each phase is handed
//! to a [`Target`] with the phase's cursor, and the target writes both in one transaction, so a
//! killed sync resumes exactly where its last page was stored and two syncs of the same data
//! store nothing new.
//!
//! The crate knows nothing of the store: the CLI implements [`Target`] over the engine.
#![deny(missing_docs)]

pub mod bluesky;
pub mod credentials;
mod error;
pub mod http;
mod live;
pub mod mastodon;
pub mod outgoing;
mod walk;

use rapport_model::{Interaction, Network, Record};

pub use credentials::{Connection, Credentials};
pub use error::{Result, SyncError};
pub use live::{Listener, LiveOptions, LiveSummary};
pub use outgoing::{Mention, Outgoing, send};

/// Something a network says is gone.
#[derive(Clone, Debug, PartialEq)]
pub enum Deletion {
    /// What the network's own id names (an AT URI, a status URI): a like, repost, follow, block,
    /// post or reply, deleted.
    Id(Network, String),
    /// A state that no longer holds and has no id of its own (a follow, block or mute as a list
    /// or a relationship gives it): that record, taken back.
    Undone(Interaction),
}

/// A store error, boxed: the target's own type does not leak into this crate.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where synced records go: the engine, through the CLI.
pub trait Target {
    /// The cursor saved for `phase` of `account`, if any.
    fn cursor(&self, account: &str, phase: &str) -> Result<Option<String>, BoxError>;
    /// Writes `records`, then removes what the network `deleted`, and saves `cursor` for `phase` of `account`, in one
    /// transaction; returns how many of the records were new and how many already known, and
    /// how many stored interactions and posts the deletions removed.
    fn write(
        &mut self,
        account: &str,
        phase: &str,
        records: &[Record],
        deleted: &[Deletion],
        cursor: &str,
    ) -> Result<Written, BoxError>;
    /// The native ids of the accounts of the `n` strongest relationships on `network`: the circle
    /// whose follows sync reads so that discover and groups have a graph to work on.
    fn circle(&self, network: Network, n: usize) -> Result<Vec<String>, BoxError>;
    /// The follows stored on `network` from or to the account whose native id is `account`, as
    /// whole lists of followers and follows give them (undated, without an id of their own):
    /// what a new whole reading of those lists is held against, to find the unfollows.
    fn listed_follows(&self, network: Network, account: &str)
    -> Result<Vec<Interaction>, BoxError>;
}

/// What the target did with one batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Records the store did not have.
    pub new: u64,
    /// Records it already had.
    pub known: u64,
    /// Interactions and posts removed because the network deleted them.
    pub deleted: u64,
    /// Records refused by the checks every import applies (a date in the future, control
    /// characters in an id), with the reason of each.
    pub refused: Vec<String>,
}

/// Hears how a sync goes, to draw one progress line per phase.
pub trait Progress {
    /// A phase starts.
    fn phase(&mut self, name: &str);
    /// A page of `items` items of the current phase was stored.
    fn page(&mut self, items: usize);
    /// The current phase is finished.
    fn finish(&mut self);
}

/// A progress sink that hears nothing, for tests and pipes.
pub struct Quiet;

impl Progress for Quiet {
    fn phase(&mut self, _: &str) {}
    fn page(&mut self, _: usize) {}
    fn finish(&mut self) {}
}

/// What one phase of a sync did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhaseSummary {
    /// The phase's name.
    pub phase: String,
    /// Items received (notifications, records, accounts…).
    pub read: u64,
    /// Records new to the store.
    pub new: u64,
    /// Records the store already had.
    pub known: u64,
    /// Interactions and posts removed because the network deleted them (an unlike, an unfollow,
    /// a deleted post or reply).
    pub deleted: u64,
    /// Items skipped, with the first reasons.
    pub skipped: u64,
    /// Up to [`KEEP_REASONS`] reasons for skipped items.
    pub reasons: Vec<String>,
}

/// How many skip reasons a phase keeps for the summary.
pub const KEEP_REASONS: usize = 20;

impl PhaseSummary {
    pub(crate) fn new(phase: &str) -> PhaseSummary {
        PhaseSummary { phase: phase.to_owned(), ..PhaseSummary::default() }
    }

    pub(crate) fn skip(&mut self, reason: String) {
        self.skipped += 1;
        if self.reasons.len() < KEEP_REASONS {
            self.reasons.push(quote(&reason));
        }
    }
}

/// What a whole sync did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// The account synced.
    pub account: String,
    /// One entry per phase, in order.
    pub phases: Vec<PhaseSummary>,
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Seconds spent waiting for rate limits and backoff.
    pub waited_secs: f64,
}

/// How a sync runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// HTTP limits.
    pub limits: http::Limits,
    /// How many of the strongest relationships have their follows read.
    pub circle: usize,
    /// How many pages of each circle member's follows are read at most.
    pub circle_pages: usize,
    /// The most pages any one phase reads in one sync: a bound no real account reaches in a day,
    /// so that a misbehaving server cannot keep sync going forever.
    pub max_pages: usize,
    /// Only the phases that bring what happened since the last sync (the own records and
    /// notifications), not the lists read whole: the rounds of `rapport sync --follow`.
    pub recent_only: bool,
    /// Whether a Bluesky sync ends by reading the server's stream from its saved cursor to the
    /// present (the one way to see deletions). `--follow` leaves it to the tail, which reads from
    /// the same cursor with the kept views brought up to date after each batch: a replay inside
    /// the sync would hold every event back until the stream went quiet.
    pub replay: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            limits: http::Limits::default(),
            circle: 50,
            circle_pages: 10,
            max_pages: 10_000,
            recent_only: false,
            replay: true,
        }
    }
}

/// Syncs one connected account into `target`. Credentials that the server rotated (Bluesky's
/// refresh tokens) are updated in `connection`; the caller saves them.
pub fn sync(
    connection: &mut Connection,
    target: &mut dyn Target,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Summary> {
    match connection {
        Connection::Bluesky(session) => bluesky::sync(session, target, options, progress),
        Connection::Mastodon(app) => mastodon::sync(app, target, options, progress),
    }
}

/// Follows one connected account live (`rapport sync --follow`) until `live` says to stop: the
/// firehose of a Bluesky account's server, the user stream of a Mastodon account (with polling
/// while the stream is unavailable). Events are written to `target` in small batches, each with
/// the stream's cursor in one transaction; `listener` hears of every batch stored.
pub fn follow(
    connection: &mut Connection,
    target: &mut dyn Target,
    options: &Options,
    live: &LiveOptions,
    listener: &mut dyn Listener,
) -> Result<LiveSummary> {
    match connection {
        Connection::Bluesky(session) => bluesky::follow(session, target, options, live, listener),
        Connection::Mastodon(app) => mastodon::follow(app, target, options, live, listener),
    }
}

/// Text from a server as sync quotes it (in a skip reason, an error, a name): on one line, cut to
/// 300 characters, with control characters neutralised by the project's one rule
/// ([`rapport_model::text::neutralise`]).
pub fn quote(text: &str) -> String {
    rapport_model::text::neutralise(&rapport_model::text::one_line(text, 300)).into_owned()
}

/// A profile's description as an account keeps it: quoted (see [`quote`]), and none when blank.
pub(crate) fn description(text: &str) -> Option<String> {
    Some(text.trim()).filter(|t| !t.is_empty()).map(quote)
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_on_one_short_line_without_terminal_controls() {
        assert_eq!(quote("a\u{1b}[2Jb\rc\nd"), "a\u{241b}[2Jb c d");
        assert_eq!(quote(&"x".repeat(400)).chars().count(), 300);
    }
}
