//! `rapport sync [ACCOUNT]`: pull what changed on every connected account (or one), phase by
//! phase, each page stored with its cursor; a spinner per phase on a terminal, and a summary like
//! import's.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapport_engine::Engine;
use rapport_engine::sync::{self, Credentials, Options, Progress};

use super::import::group;

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
    let options =
        Options { circle: args.circle, circle_pages: args.circle_pages, ..Options::default() };
    let mut out = super::stdout();
    let mut failed = None;
    for index in chosen {
        let started = Instant::now();
        let connection = &mut credentials.connections[index];
        let name = connection.name();
        let result = sync::sync(connection, engine, &options, &mut Spinner::new());
        // Tokens the server rotated during the sync are kept whether or not it finished.
        credentials.save()?;
        match result {
            Ok(summary) => {
                writeln!(
                    out,
                    "{name}: {} requests in {:.1} s ({:.1} s waiting for rate limits)",
                    group(summary.requests),
                    started.elapsed().as_secs_f64(),
                    summary.waited_secs
                )?;
                for p in &summary.phases {
                    writeln!(
                        out,
                        "  {}: read {}, new {}, already known {}, skipped {}",
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
            }
            Err(err) => {
                eprintln!("error: syncing {name}: {err}");
                failed = Some(err);
            }
        }
    }
    match engine.refresh_views() {
        Ok(true) | Ok(false) => {}
        Err(err) => eprintln!("warning: could not bring the kept views up to date: {err}"),
    }
    match failed {
        // What was stored before the failure stays; the next sync resumes from there.
        Some(err) => Err(anyhow::Error::new(err).context("sync stopped; run it again to resume")),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// One spinner per phase on stderr when it is a terminal; nothing otherwise.
struct Spinner {
    bar: Option<ProgressBar>,
    visible: bool,
}

impl Spinner {
    fn new() -> Spinner {
        Spinner { bar: None, visible: std::io::stderr().is_terminal() }
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
