//! `rapport sync [ACCOUNT]`: pull what changed on every connected account (or one), phase by
//! phase, each page stored with its cursor; a spinner per phase on a terminal, and a summary like
//! import's. With `--follow` it keeps going: after one whole sync, every account is followed live
//! on its network's stream (`sync_follow.rs`) until it is stopped.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapport_engine::Engine;
use rapport_engine::sync::{self, Credentials, Options, Progress};

use super::import::group;
use super::sync_follow::{Bounds, follow};

#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// Only this account (handle, user@instance, DID or actor URI); all connected ones by default
    account: Option<String>,
    /// How many of the strongest relationships have their follows read (for discover and groups)
    #[arg(long, default_value_t = 50, value_name = "N")]
    circle: usize,
    /// How many pages of each circle member's follows are read at most
    #[arg(long, default_value_t = 10, value_name = "PAGES")]
    circle_pages: usize,
    /// Keep running: follow each account's stream (Bluesky's firehose, Mastodon's user stream)
    /// and bring the views up to date after every small batch (stop with Ctrl-C; every batch is
    /// stored whole with its cursor)
    #[arg(long)]
    follow: bool,
    /// With --follow, the seconds between polls while a stream is unavailable
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    every: u64,
    /// With --follow, stop after this many events that concern the account were stored
    #[arg(long, value_name = "N", requires = "follow")]
    max_events: Option<u64>,
    /// With --follow, stop after this many seconds
    #[arg(long, value_name = "SECONDS", requires = "follow")]
    max_seconds: Option<u64>,
    /// With --follow, follow Bluesky accounts through this Jetstream (a relay's firehose as
    /// JSON, e.g. wss://jetstream2.us-east.bsky.network) instead of their own server's firehose
    #[arg(long, value_name = "URL", requires = "follow")]
    jetstream: Option<String>,
    /// With --jetstream, Jetstream's zstd dictionary (the file it compresses with, from its
    /// source repository): the stream is then asked for compressed
    #[arg(long, value_name = "FILE", requires = "jetstream")]
    jetstream_dictionary: Option<PathBuf>,
}

/// The data directory: the store's folder, where the credentials file lives beside it.
pub(crate) fn data_dir(engine: &Engine) -> PathBuf {
    engine.db_path().parent().map(PathBuf::from).unwrap_or_default()
}

pub(crate) fn run(engine: &mut Engine, args: &SyncArgs) -> anyhow::Result<ExitCode> {
    let mut credentials = Credentials::load(&data_dir(engine))?;
    let chosen: Vec<usize> = (0..credentials.connections.len())
        .filter(|i| args.account.as_deref().is_none_or(|q| credentials.connections[*i].is(q)))
        .collect();
    if chosen.is_empty() {
        match &args.account {
            Some(q) => {
                anyhow::bail!("no connected account is '{q}'; `rapport accounts` lists them")
            }
            None => anyhow::bail!(
                "no account is connected; run `rapport connect bluesky HANDLE` or `rapport connect mastodon INSTANCE` first"
            ),
        }
    }
    let options = Options {
        circle: args.circle,
        circle_pages: args.circle_pages,
        replay: !args.follow,
        ..Options::default()
    };
    // The lock on stdout is let go before following: each tail's thread prints its own lines.
    let (_, failed) =
        round(engine, &mut credentials, &chosen, &options, &mut super::stdout(), true)?;
    match failed {
        // Credentials that no longer work will not start working by following; without --follow
        // any failure ends the command. What was stored stays; the next sync resumes from there.
        Some(err) if !args.follow || matches!(err, sync::SyncError::Unauthorized { .. }) => {
            return Err(anyhow::Error::new(err).context("sync stopped; run it again to resume"));
        }
        // A network that is down is the live tail's to wait out.
        Some(_) => {}
        None if !args.follow => return Ok(ExitCode::SUCCESS),
        None => {}
    }
    let bounds = Bounds {
        max_events: args.max_events,
        max_seconds: args.max_seconds,
        poll: args.every,
        jetstream: args.jetstream.clone(),
        jetstream_dictionary: args.jetstream_dictionary.clone(),
    };
    let followed = follow(engine, &mut credentials, &chosen, &options, &bounds);
    // Tokens rotated while following are saved as they change; once more at the end.
    credentials.save()?;
    followed?;
    Ok(ExitCode::SUCCESS)
}

/// Syncs the chosen accounts once; returns how many new records were stored and the first error.
/// `report` prints each account's summary and draws the progress.
fn round(
    engine: &mut Engine,
    credentials: &mut Credentials,
    chosen: &[usize],
    options: &Options,
    out: &mut dyn Write,
    report: bool,
) -> anyhow::Result<(u64, Option<sync::SyncError>)> {
    let mut failed = None;
    let mut new = 0;
    for &index in chosen {
        let started = Instant::now();
        let connection = &mut credentials.connections[index];
        let name = connection.name();
        let mut progress = Spinner::new(report);
        let result = sync::sync(connection, &mut &*engine, options, &mut progress);
        // Tokens the server rotated during the sync are kept whether or not it finished.
        credentials.save()?;
        match result {
            Ok(summary) => {
                new += summary.phases.iter().map(|p| p.new).sum::<u64>();
                if report {
                    print_summary(out, &name, &summary, started.elapsed().as_secs_f64())?;
                }
            }
            Err(err) => {
                // The message may quote the server: it reaches the terminal neutralised.
                let message = format!("error: syncing {name}: {err}");
                eprintln!("{}", crate::terminal::neutralise(&message));
                failed.get_or_insert(err);
            }
        }
    }
    // Views still current make this a read of them: it computes only after something was written.
    if let Err(err) = engine.refresh_views() {
        eprintln!("warning: could not bring the kept views up to date: {err}");
    }
    Ok((new, failed))
}

fn print_summary(
    out: &mut dyn Write,
    name: &str,
    summary: &sync::Summary,
    seconds: f64,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{name}: {} requests in {seconds:.1} s ({:.1} s waiting for rate limits)",
        group(summary.requests),
        summary.waited_secs
    )?;
    for p in &summary.phases {
        // What the network deleted or undone, when a phase removed any.
        let removed = match p.deleted {
            0 => String::new(),
            n => format!(", removed {}", group(n)),
        };
        writeln!(
            out,
            "  {}: read {}, new {}, already known {}, skipped {}{removed}",
            p.phase,
            group(p.read),
            group(p.new),
            group(p.known),
            group(p.skipped)
        )?;
        for reason in &p.reasons {
            writeln!(out, "    skipped: {reason}")?;
        }
    }
    Ok(())
}

/// The time, UTC, for --follow's log lines.
pub(crate) fn time_of_day() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    rapport_engine::model::time::format(now)
}

/// One spinner per phase on stderr when it is a terminal; nothing otherwise.
struct Spinner {
    bar: Option<ProgressBar>,
    visible: bool,
}

impl Spinner {
    fn new(wanted: bool) -> Spinner {
        Spinner { bar: None, visible: wanted && std::io::stderr().is_terminal() }
    }
}

impl Progress for Spinner {
    fn phase(&mut self, name: &str) {
        if !self.visible {
            return;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}: {pos} items {per_sec}") {
            bar.set_style(style);
        }
        bar.set_message(name.to_owned());
        self.bar = Some(bar);
    }

    fn page(&mut self, items: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(items as u64);
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
