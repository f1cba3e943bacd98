//! What `rapport sync --follow` shares between the networks' streams: when to stop, how events are
//! gathered into small batches (each written with the stream's cursor in one transaction), and
//! who hears that a batch was stored (the CLI, which brings the kept views up to date).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rapport_model::Record;

use crate::walk::Phase;
use crate::{Connection, Deletion, Result};

/// How a live tail runs.
#[derive(Clone, Debug)]
pub struct LiveOptions {
    /// The most events kept in one batch: a batch is one transaction.
    pub batch: usize,
    /// How long the first event of a batch waits for others before the batch is written: the
    /// bound on what batching adds to the time from an event to an updated `today`.
    pub linger: Duration,
    /// How long the stream may stay silent before it is pinged; after three such silences the
    /// connection is given up and made again.
    pub idle: Duration,
    /// How far back (in sequence numbers) a reconnection starts before the cursor saved: what
    /// arrives twice is known already and adds nothing.
    pub rewind: i64,
    /// How often a stream that is unavailable is replaced by polling (Mastodon's user stream).
    pub poll: Duration,
    /// The longest pause between reconnections; the first is a second, doubled each time.
    pub max_backoff: Duration,
    /// Stop after this many events kept (for tests and benchmarks); never by default.
    pub max_events: Option<u64>,
    /// Stop at this moment; never by default.
    pub until: Option<Instant>,
    /// Follow Bluesky through the Jetstream at this address (`wss://…`) instead of the firehose of
    /// the account's own server: a relay's view, as JSON.
    pub jetstream: Option<String>,
    /// Jetstream's zstd dictionary: with it the stream is asked for compressed, without it for
    /// plain JSON.
    pub jetstream_dictionary: Option<PathBuf>,
    /// Stop once the stream has been silent this long, and do not connect again when it fails:
    /// a replay of what happened since the cursor (a plain `rapport sync`), not a tail. Never by
    /// default.
    pub quiet: Option<Duration>,
}

impl Default for LiveOptions {
    fn default() -> LiveOptions {
        LiveOptions {
            batch: 200,
            linger: Duration::from_millis(100),
            idle: Duration::from_secs(20),
            rewind: 50,
            poll: Duration::from_secs(30),
            max_backoff: Duration::from_secs(300),
            max_events: None,
            until: None,
            quiet: None,
            jetstream: None,
            jetstream_dictionary: None,
        }
    }
}

impl LiveOptions {
    /// True when the tail should stop, having kept `kept` events.
    pub(crate) fn done(&self, kept: u64) -> bool {
        self.max_events.is_some_and(|m| kept >= m)
            || self.until.is_some_and(|u| Instant::now() >= u)
    }
}

/// Hears what a live tail does.
pub trait Listener {
    /// The stream is connected (again); `how` says to what, for the log.
    fn connected(&mut self, how: &str);
    /// A batch was stored: `new` records the store did not have, from `events` events (none when
    /// only the cursor moved). Any write moves the data's generation, so the kept views are stale.
    fn stored(&mut self, events: usize, new: u64);
    /// The stream dropped or failed and will be tried again after `wait`.
    fn retrying(&mut self, why: &str, wait: Duration);
    /// The server rotated the connection's tokens (a Bluesky session refreshed while naming the
    /// accounts of an event): they should be saved now, as the old refresh token no longer works.
    fn rotated(&mut self, connection: &Connection);
}

/// What a live tail did before it stopped.
#[derive(Clone, Debug, Default)]
pub struct LiveSummary {
    /// Events received (kept or not).
    pub seen: u64,
    /// Events kept: they concern the account or its circle.
    pub kept: u64,
    /// Records the store did not have.
    pub new: u64,
    /// Interactions and posts removed because the network deleted them.
    pub deleted: u64,
    /// Times the stream was connected again after it dropped.
    pub reconnects: u64,
    /// Why a replay ([`LiveOptions::quiet`]) stopped before the stream fell silent, if it did.
    pub gave_up: Option<String>,
}

/// The events gathered since the last write, with the cursor after the last one.
pub(crate) struct Batch {
    records: Vec<Record>,
    /// What the network deleted, by its own ids: the deletions of kept events, and those of
    /// others carried along (see [`Batch::carry`]).
    deleted: Vec<Deletion>,
    /// How many of `deleted` are carried along rather than kept events.
    carried: usize,
    events: usize,
    cursor: Option<String>,
    since: Option<Instant>,
    saved: Instant,
}

/// How often a cursor that moved with no kept event is saved: a restart then reads again at most
/// this long of other people's events (dropped again, at a few CPU seconds a minute of the whole
/// firehose), without a write for every dropped frame. Every write, even of a cursor alone, makes
/// the kept views stale, so it is not often.
const SAVE_CURSOR_EVERY: Duration = Duration::from_secs(60);

/// How many deletions carried along make a batch due by themselves: a bound on the batch's
/// memory, reached on a busy server only, where a write per this many is no cost.
const CARRIED_MAX: usize = 10_000;

impl Batch {
    pub(crate) fn new() -> Batch {
        Batch {
            records: Vec::new(),
            deleted: Vec::new(),
            carried: 0,
            events: 0,
            cursor: None,
            since: None,
            saved: Instant::now(),
        }
    }

    /// Adds one kept event's records and deletions.
    pub(crate) fn add(&mut self, records: Vec<Record>, deleted: Vec<Deletion>) {
        self.records.extend(records);
        self.deleted.extend(deleted);
        self.events += 1;
        self.since.get_or_insert_with(Instant::now);
    }

    /// Carries along deletions that may name nothing stored (an unlike by someone the stream
    /// cannot tell concerned the account, since the deleted record is gone): they are applied
    /// with the next batch written, at most [`SAVE_CURSOR_EVERY`] later, and never cause a write
    /// of their own, as every write makes the kept views stale.
    pub(crate) fn carry(&mut self, deleted: Vec<Deletion>) {
        self.carried += deleted.len();
        self.deleted.extend(deleted);
    }

    /// Moves the cursor past an event, kept or not.
    pub(crate) fn advance(&mut self, cursor: String) {
        self.cursor = Some(cursor);
    }

    /// True when the batch should be written now.
    pub(crate) fn due(&self, options: &LiveOptions) -> bool {
        self.events >= options.batch
            || self.carried >= CARRIED_MAX
            || self.since.is_some_and(|s| s.elapsed() >= options.linger)
            || (self.events == 0
                && self.cursor.is_some()
                && self.saved.elapsed() >= SAVE_CURSOR_EVERY)
    }

    /// Writes the batch and its cursor in one transaction through `phase`, and tells `listener`.
    pub(crate) fn write(
        &mut self,
        phase: &mut Phase<'_>,
        listener: &mut dyn Listener,
        summary: &mut LiveSummary,
    ) -> Result<()> {
        let Some(cursor) = self.cursor.take() else { return Ok(()) };
        let (before, deleted) = (phase.summary.new, phase.summary.deleted);
        phase.apply(&self.records, &self.deleted, &cursor)?;
        let new = phase.summary.new - before;
        summary.new += new;
        summary.deleted += phase.summary.deleted - deleted;
        listener.stored(self.events, new);
        self.records.clear();
        self.deleted.clear();
        self.carried = 0;
        self.events = 0;
        self.since = None;
        self.saved = Instant::now();
        Ok(())
    }
}

/// A pause that doubles after each failure, up to a bound, and starts over after a success.
pub(crate) struct Backoff {
    next: Duration,
    max: Duration,
}

impl Backoff {
    pub(crate) fn new(max: Duration) -> Backoff {
        Backoff { next: Duration::from_secs(1), max }
    }

    /// The pause before the next try.
    pub(crate) fn next(&mut self) -> Duration {
        let wait = self.next.min(self.max);
        self.next = (self.next * 2).min(self.max);
        wait
    }

    pub(crate) fn reset(&mut self) {
        self.next = Duration::from_secs(1);
    }
}

/// Sleeps `wait`, or less when the tail must stop sooner; false when it must stop.
pub(crate) fn pause(wait: Duration, options: &LiveOptions, kept: u64) -> bool {
    let wait = match options.until {
        Some(until) => wait.min(until.saturating_duration_since(Instant::now())),
        None => wait,
    };
    std::thread::sleep(wait);
    !options.done(kept)
}

#[cfg(test)]
mod tests {
    use rapport_model::Network;

    use super::*;

    #[test]
    fn backoff_doubles_to_its_bound_and_starts_over() {
        let mut b = Backoff::new(Duration::from_secs(5));
        let waits: Vec<u64> = (0..5).map(|_| b.next().as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 5, 5]);
        b.reset();
        assert_eq!(b.next().as_secs(), 1);
    }

    #[test]
    fn a_batch_is_due_when_full_or_old() {
        let options =
            LiveOptions { batch: 2, linger: Duration::from_secs(3600), ..LiveOptions::default() };
        let mut batch = Batch::new();
        assert!(!batch.due(&options));
        batch.add(Vec::new(), Vec::new());
        assert!(!batch.due(&options));
        batch.carry(vec![Deletion::Id(Network::Bluesky, "at://x".into()); 10]);
        assert!(!batch.due(&options), "deletions carried along make no batch due");
        batch.add(Vec::new(), Vec::new());
        assert!(batch.due(&options));
        let quick = LiveOptions { linger: Duration::ZERO, ..options.clone() };
        let mut batch = Batch::new();
        batch.add(Vec::new(), Vec::new());
        assert!(batch.due(&quick));
        let mut batch = Batch::new();
        batch.carry(vec![Deletion::Id(Network::Bluesky, "at://x".into()); CARRIED_MAX]);
        assert!(batch.due(&options), "unless there are very many");
    }
}
