//! `rapport import`: read exports and tables into the store, with a progress bar and a summary.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use rapport_engine::model::{InteractionKind, Network};
use rapport_engine::{BSKY_NAMES_REPORT as NAMES_REPORT, Engine, Format, ImportOptions};

use crate::progress::Bar;

/// How many skipped records the summary lists without --verbose.
const SHOWN_SKIPS: usize = 20;

/// Bluesky's public AppView: it names accounts without a login.
const BSKY_APPVIEW: &str = "https://public.api.bsky.app";

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// Files, folders or archives to import, or `bsky:HANDLE` to download a Bluesky repository;
    /// each is one batch, imported whole or not at all
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Read the files as this format instead of detecting it (x, facebook, mastodon, bluesky,
    /// linkedin, csv, jsonl, snap-edges, snap-weighted, snap-temporal, snap-signed, snap-higgs)
    #[arg(long, value_parser = |s: &str| s.parse::<Format>())]
    format: Option<Format>,
    /// The network of tables that name none (x, facebook, mastodon, bluesky, linkedin, table)
    #[arg(long, value_parser = |s: &str| s.parse::<Network>().map_err(|e| e.to_string()))]
    network: Option<Network>,
    /// The kind of the edges of a SNAP edge list (follow, reply, mention, dm, ...)
    #[arg(long, value_parser = |s: &str| s.parse::<InteractionKind>().map_err(|e| e.to_string()))]
    kind: Option<InteractionKind>,
    /// Skip malformed records (each listed with its reason) instead of stopping at the first
    #[arg(long)]
    skip_invalid: bool,
    /// The Bluesky server that `bsky:HANDLE` downloads from
    #[arg(long, env = "RAPPORT_BSKY_SERVICE", value_name = "URL", default_value = rapport_engine::BSKY_SERVICE)]
    service: String,
    /// The PLC directory that gives a `did:plc` account's key, which must have signed its repository
    #[arg(long, env = "RAPPORT_PLC_DIRECTORY", value_name = "URL", default_value = rapport_engine::BSKY_DIRECTORY)]
    plc: String,
    /// The Bluesky AppView that names the accounts a `bsky:HANDLE` repository meets (by default
    /// Bluesky's public one when downloading from bsky.social; otherwise, or when it fails, the
    /// server itself names those it hosts)
    #[arg(long, env = "RAPPORT_BSKY_APPVIEW", value_name = "URL")]
    appview: Option<String>,
    /// List every skipped record, not only the first 20, and for archives every member's fields:
    /// which were mapped and which ignored
    #[arg(long, short)]
    verbose: bool,
}

pub(crate) fn run(engine: &Engine, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let options = ImportOptions {
        format: args.format,
        network: args.network,
        kind: args.kind,
        skip_invalid: args.skip_invalid,
        keep_skipped: if args.verbose { usize::MAX } else { SHOWN_SKIPS },
    };
    let mut out = super::stdout();
    let mut bar = Bar::new();
    for path in &args.paths {
        let started = Instant::now();
        let summary = match path.to_str().filter(|p| p.starts_with("bsky:")) {
            Some(spec) => {
                let appview = args.appview.as_deref().or_else(|| {
                    (args.service.trim_end_matches('/') == rapport_engine::BSKY_SERVICE)
                        .then_some(BSKY_APPVIEW)
                });
                let servers = (args.service.as_str(), args.plc.as_str(), appview);
                vec![engine.import_bluesky(spec, servers, &options, &mut bar)?]
            }
            None => engine.import(std::slice::from_ref(path), &options, &mut bar)?,
        };
        let seconds = started.elapsed().as_secs_f64();
        for file in summary {
            let c = file.counts;
            let rate = if seconds > 0.0 { c.read as f64 / seconds } else { 0.0 };
            writeln!(
                out,
                "{} ({}): read {}, new {}, already known {}, skipped {} in {seconds:.2} s ({} records/s)",
                file.path.display(),
                file.format,
                group(c.read),
                group(c.new),
                group(c.known),
                group(c.skipped),
                group(rate as u64),
            )?;
            if let Some(limits) = file.format.limits() {
                writeln!(out, "  what it can show: this {} export {limits}", file.format)?;
            }
            for skip in &file.skipped {
                writeln!(
                    out,
                    "  skipped {}, {}: {}",
                    skip.file.display(),
                    skip.location,
                    skip.reason
                )?;
            }
            // How many of the accounts a downloaded repository meets were named is always told.
            if let Some(names) = file.fields.iter().find(|f| f.member == NAMES_REPORT) {
                writeln!(out, "  {}", field_line(names))?;
            }
            if args.verbose {
                for f in file.fields.iter().filter(|f| f.member != NAMES_REPORT) {
                    writeln!(out, "  {}", field_line(f))?;
                }
            }
            let hidden = c.skipped.saturating_sub(file.skipped.len() as u64);
            if hidden > 0 {
                writeln!(
                    out,
                    "  … and {} more skipped records (--verbose lists them all)",
                    group(hidden)
                )?;
            }
        }
    }
    let started = Instant::now();
    match engine.refresh_views() {
        Ok(true) => writeln!(
            out,
            "relationships, discover, today and the audit brought up to date in {:.2} s",
            started.elapsed().as_secs_f64()
        )?,
        Ok(false) => {}
        // The import itself is committed; the views will be computed by the next read instead.
        Err(err) => eprintln!(
            "warning: could not bring the kept views up to date: {}",
            crate::terminal::neutralise(&err.to_string())
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// One archive member's accounting: what it held, what was mapped, what was ignored.
fn field_line(f: &rapport_engine::FieldReport) -> String {
    if let Some(why) = &f.unread {
        return format!("{}: not read ({why})", f.member);
    }
    let list = |m: &std::collections::BTreeMap<String, u64>| -> String {
        if m.is_empty() {
            return "nothing".into();
        }
        m.iter().map(|(k, n)| format!("{k} ({n})")).collect::<Vec<_>>().join(", ")
    };
    format!(
        "{}: {} items; mapped {}; ignored {}; became {}",
        f.member,
        f.items,
        list(&f.mapped),
        list(&f.ignored),
        list(&f.outcomes)
    )
}

/// 1234567 as "1,234,567".
pub(crate) fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
