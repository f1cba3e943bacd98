//! `rapport sync --follow` after its first whole sync: each chosen account is followed live on a
//! thread of its own (Bluesky's firehose, Mastodon's user stream with polling while it is down),
//! and a line per batch is printed. The kept views are brought up to date on one more thread,
//! after every batch written: a tail never waits for them, and batches that arrive while they are
//! computed are covered by one more refresh, not one each.

use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use rapport_engine::Engine;
use rapport_engine::sync::{
    self, Connection, Credentials, Listener, LiveOptions, LiveSummary, Options,
};

/// When the tail stops: never by default.
pub(crate) struct Bounds {
    pub(crate) max_events: Option<u64>,
    pub(crate) max_seconds: Option<u64>,
    pub(crate) poll: u64,
    /// The Jetstream Bluesky accounts are followed through, instead of their server's firehose.
    pub(crate) jetstream: Option<String>,
    /// Jetstream's zstd dictionary, to ask for its compressed stream.
    pub(crate) jetstream_dictionary: Option<std::path::PathBuf>,
}

/// Follows the connections of `credentials` whose indices are `chosen` until the bounds stop
/// them; returns the first error. Tokens a server rotates are saved as soon as it does.
pub(crate) fn follow(
    engine: &Engine,
    credentials: &mut Credentials,
    chosen: &[usize],
    options: &Options,
    bounds: &Bounds,
) -> anyhow::Result<()> {
    let connections: Vec<Connection> =
        chosen.iter().filter_map(|i| credentials.connections.get(*i).cloned()).collect();
    let credentials = Mutex::new(credentials);
    let live = LiveOptions {
        max_events: bounds.max_events,
        until: bounds.max_seconds.map(|s| Instant::now() + Duration::from_secs(s)),
        poll: Duration::from_secs(bounds.poll),
        jetstream: bounds.jetstream.clone(),
        jetstream_dictionary: bounds.jetstream_dictionary.clone(),
        ..LiveOptions::default()
    };
    let results: Vec<(String, sync::Result<LiveSummary>)> = std::thread::scope(|scope| {
        let (stale, changes) = mpsc::channel();
        // Named, so that a profiler (or the benchmark, through /proc) tells the threads apart.
        let named = |name: &str| std::thread::Builder::new().name(name.to_owned());
        let refresher = named("views").spawn_scoped(scope, move || refresh(engine, &changes));
        let tails: Vec<_> = connections
            .into_iter()
            .map(|mut connection| {
                let (live, credentials) = (&live, &credentials);
                let stale = stale.clone();
                named("tail").spawn_scoped(scope, move || {
                    let name = connection.name();
                    // The shared engine is each tail's target: the store serialises their writes.
                    let mut target = engine;
                    let mut listener = Lines { stale, name: name.clone(), credentials };
                    let result =
                        sync::follow(&mut connection, &mut target, options, live, &mut listener);
                    (name, result)
                })
            })
            .collect();
        drop(stale);
        let ended = tails.into_iter().flatten().filter_map(|t| t.join().ok()).collect();
        if let Ok(refresher) = refresher {
            let _ = refresher.join();
        }
        ended
    });
    let mut out = super::stdout();
    let mut failed = None;
    for (name, result) in results {
        match result {
            Ok(s) => writeln!(
                out,
                "{name}: followed {} events, kept {}, {} new records, {} reconnections",
                s.seen, s.kept, s.new, s.reconnects
            )?,
            Err(e) => {
                failed.get_or_insert(anyhow::Error::new(e).context(format!("following {name}")));
            }
        }
    }
    out.flush()?;
    failed.map_or(Ok(()), Err)
}

/// Brings the kept views up to date once for every run of changes heard, until every tail has
/// ended: today's list first; the audit only when no batch came meanwhile, since a stream that
/// keeps writing would otherwise hold every reply back behind an audit nobody is reading (a reader
/// of a stale audit computes it afresh).
fn refresh(engine: &Engine, changes: &Receiver<()>) {
    let warn = |err: rapport_engine::Error| {
        eprintln!("warning: could not bring the kept views up to date: {err}");
    };
    while changes.recv().is_ok() {
        loop {
            // The batches stored meanwhile are all covered by the next refresh.
            while changes.try_recv().is_ok() {}
            if let Err(err) = engine.refresh_today() {
                warn(err);
            }
            match changes.try_recv() {
                // Another batch landed: today again before anything else.
                Ok(()) => {}
                Err(quiet) => {
                    // Today is kept for this generation already, so this computes the audit.
                    if let Err(err) = engine.refresh_views() {
                        warn(err);
                    }
                    if quiet == TryRecvError::Disconnected {
                        return;
                    }
                    break;
                }
            }
        }
    }
}

/// Prints what a tail does, one line each, and asks for the views to be brought up to date
/// after every batch written.
struct Lines<'c, 'k> {
    stale: Sender<()>,
    name: String,
    credentials: &'c Mutex<&'k mut Credentials>,
}

impl Listener for Lines<'_, '_> {
    fn rotated(&mut self, connection: &Connection) {
        let Ok(mut credentials) = self.credentials.lock() else { return };
        let key = connection.key();
        if let Some(kept) = credentials.connections.iter_mut().find(|c| c.key() == key) {
            kept.clone_from(connection);
        }
        if let Err(err) = credentials.save() {
            eprintln!("warning: could not save the renewed tokens of {}: {err}", self.name);
        }
    }

    fn connected(&mut self, how: &str) {
        let line = format!("{} {}: following live ({how})", super::sync::time_of_day(), self.name);
        let mut out = super::stdout();
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    }

    fn stored(&mut self, events: usize, new: u64) {
        // Every write moves the data's generation, new records or not. The refresher outlives
        // every tail, so the send cannot fail while one runs.
        let _ = self.stale.send(());
        if events == 0 {
            return;
        }
        let line = format!(
            "{} {}: {events} events, {new} new records",
            super::sync::time_of_day(),
            self.name
        );
        let mut out = super::stdout();
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    }

    fn retrying(&mut self, why: &str, wait: Duration) {
        let message = format!("{}: {why}; trying again in {} s", self.name, wait.as_secs());
        eprintln!("warning: {}", crate::terminal::neutralise(&message));
    }
}
