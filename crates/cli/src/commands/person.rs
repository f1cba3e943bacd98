//! `rapport person HANDLE`: one relationship in full: timeline, strength history, ledger, stages.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use rapport_engine::Engine;
use rapport_engine::model::{Direction, text, time};
use rapport_engine::score::{LEDGER_BASIS, OtherSide};
use serde_json::json;

use super::people::kinds_text;
use crate::cli::Global;
use crate::output::{Format, Listing};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct PersonArgs {
    #[command(subcommand)]
    action: Option<PersonAction>,
    /// Their handle or account id (`network:handle` when it is on several networks)
    #[arg(required = true)]
    handle: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Show at most this many timeline entries (newest)
    #[arg(long, default_value_t = 20)]
    limit: usize,
}

#[derive(Debug, Subcommand)]
enum PersonAction {
    /// Make several accounts (on different networks) one person
    Merge {
        /// The accounts, as handles, ids or `network:handle`
        #[arg(required = true, num_args = 2..)]
        accounts: Vec<String>,
    },
    /// Detach an account from the person it was merged into
    Split {
        /// The account, as a handle, id or `network:handle`
        account: String,
    },
}

pub(crate) fn run(engine: &Engine, global: &Global, args: &PersonArgs) -> anyhow::Result<ExitCode> {
    let mut out = super::stdout();
    match &args.action {
        Some(PersonAction::Merge { accounts }) => {
            let merged = engine.merge(accounts)?;
            let names: Vec<String> =
                merged.iter().map(|a| format!("{} ({})", a.label(), a.network)).collect();
            writeln!(out, "merged into one person: {}", names.join(", "))?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(PersonAction::Split { account }) => {
            let split = engine.split(account)?;
            writeln!(out, "{} ({}) is a person of its own again", split.label(), split.network)?;
            return Ok(ExitCode::SUCCESS);
        }
        None => {}
    }
    let handle = args.handle.as_deref().unwrap_or_default();
    let snapshot = engine.read()?;
    let p = snapshot.person(&global.view(), handle)?;
    let r = &p.detail.relationship;
    let names: Vec<String> =
        p.accounts.iter().map(|a| format!("{} ({})", a.label(), a.network)).collect();
    let mine: Vec<i64> = snapshot.me(global.as_handle.as_deref())?.iter().map(|a| a.id).collect();
    let from = |source: i64| if mine.contains(&source) { "you" } else { "they" };
    if matches!(args.format, Format::Csv | Format::CsvRaw) {
        // The timeline is the part of a relationship that is a table: one row per interaction,
        // oldest first, all of it as in JSON.
        let mut listing = Listing::new(&["at", "from", "kind", "network", "text"]);
        for i in &p.timeline {
            listing.push(vec![
                i.at.map(time::format).into(),
                from(i.source).into(),
                i.kind.as_str().into(),
                i.network.as_str().into(),
                i.text.clone().into(),
            ]);
        }
        listing.print(args.format, &mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.format == Format::Json {
        let doc = json!({
            "accounts": names,
            "as_of": time::format(p.as_of),
            "stage": r.stage.as_str(),
            "strength": r.strength,
            "strength_30d_ago": r.strength_30d_ago,
            "strength_90d_ago": r.strength_90d_ago,
            "trend": r.trend.as_str(),
            "investment": r.invested(),
            "reciprocity": r.reciprocity_seen(),
            "other_side": r.other_side.as_str(),
            "kind": if p.judgement.organisation { "organisation" } else { "person" },
            "kind_evidence": p.judgement.evidence,
            "first_contact": r.first_contact.map(time::format),
            "shared_connections": r.shared_connections,
            "ledger": {"given": r.ledger.given.total(), "received": r.ledger.received.total(), "asked": r.ledger.asked.total(), "basis": LEDGER_BASIS},
            "history": p.detail.history.iter().map(|h| json!({"at": time::format(h.at), "strength": h.strength, "stage": h.stage.as_str()})).collect::<Vec<_>>(),
            "stage_changes": p.detail.stage_changes.iter().map(|c| json!({"at": c.at.map(time::format), "from": c.from.as_str(), "to": c.to.as_str()})).collect::<Vec<_>>(),
            "timeline": p.timeline.iter().map(|i| json!({"at": i.at.map(time::format), "kind": i.kind.as_str(), "network": i.network.as_str(), "text": i.text})).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", names.join(", "))?;
    writeln!(out, "as of {}\n", time::format(p.as_of))?;
    writeln!(out, "stage        {}{}", r.stage, if r.blocked { " (blocked)" } else { "" })?;
    let kind = if p.judgement.organisation { "organisation" } else { "person" };
    match p.judgement.evidence.as_slice() {
        [] => writeln!(out, "kind         {kind}")?,
        evidence => writeln!(out, "kind         {kind}, from: {}", evidence.join("; "))?,
    }
    let unseen = r.other_side == OtherSide::Unseen;
    writeln!(
        out,
        "invested     {:.3} ({} months of two-way contact{})",
        r.invested(),
        r.investment.two_way_months,
        if unseen { "; your side only" } else { "" }
    )?;
    writeln!(
        out,
        "next 30 days {:.3} ({} vs {:.3} 30 days ago, {:.3} 90 days ago)",
        r.strength, r.trend, r.strength_30d_ago, r.strength_90d_ago
    )?;
    let spark: String = p.detail.history.iter().map(|h| spark(h.strength)).collect();
    writeln!(out, "history      {spark}  (monthly, oldest first)")?;
    match r.reciprocity_seen() {
        Some(x) => writeln!(out, "reciprocity  {x:.2}")?,
        None => writeln!(out, "reciprocity  — (unknown: {UNSEEN_SHORT})")?,
    }
    writeln!(
        out,
        "known since  {}",
        r.first_contact.map_or_else(|| "undated".into(), time::format_date)
    )?;
    writeln!(out, "shared       {} connections", r.shared_connections)?;
    writeln!(out, "you gave     {}", kinds_text(&r.counts, Direction::Out))?;
    if unseen {
        writeln!(out, "they gave    — (unknown: {UNSEEN_SHORT})")?;
    } else {
        writeln!(out, "they gave    {}", kinds_text(&r.counts, Direction::In))?;
    }
    writeln!(
        out,
        "ledger       given {}, received {}, asked {} ({LEDGER_BASIS})",
        r.ledger.given.total(),
        r.ledger.received.total(),
        r.ledger.asked.total()
    )?;
    if !p.detail.stage_changes.is_empty() {
        writeln!(out, "\nstages")?;
        for c in &p.detail.stage_changes {
            let at = c.at.map_or_else(|| "undated   ".into(), time::format_date);
            writeln!(out, "  {at}  {} -> {}", c.from, c.to)?;
        }
    }
    writeln!(
        out,
        "\ntimeline (newest {} of {})",
        args.limit.min(p.timeline.len()),
        p.timeline.len()
    )?;
    let start = p.timeline.len().saturating_sub(args.limit);
    for i in &p.timeline[start..] {
        let at = i.at.map_or_else(|| "undated   ".into(), time::format_date);
        let arrow = format!("{:<4} ->", from(i.source));
        let text = i
            .text
            .as_deref()
            .map(|t| format!("  \"{}\"", text::one_line(t, 70)))
            .unwrap_or_default();
        writeln!(out, "  {at}  {arrow} {:<8}{text}", i.kind.as_str())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One sparkline bar for a strength in [0, 1].
fn spark(strength: f64) -> char {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let i = (strength.clamp(0.0, 1.0) * 7.0).round() as usize;
    BARS[i.min(7)]
}

/// Why the other side of a one-sided relationship is unknown, in a few words.
const UNSEEN_SHORT: &str =
    "the exports it comes from hold only your own actions; a sync brings the other side";
