//! `rapport people`: the people you have history with, and how each relationship stands.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rapport_engine::model::{Direction, InteractionKind, Network, time};
use rapport_engine::score::{LEDGER_BASIS, Stage};
use rapport_engine::{Engine, PeopleQuery, PersonSummary, SortKey, View};

use crate::cli::Global;
use crate::output::{Cell, Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct PeopleArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// The order
    #[arg(long, value_enum, default_value_t = Sort::Strength)]
    sort: Sort,
    /// Show at most this many people
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Only people at this stage (stranger, aware, engaged, mutual, close)
    #[arg(long, value_parser = |s: &str| s.parse::<Stage>().map_err(|e| e.to_string()))]
    stage: Option<Stage>,
    /// Only relationships that are cooling
    #[arg(long)]
    cooling: bool,
    /// Only interactions on this network
    #[arg(long, value_parser = |s: &str| s.parse::<Network>().map_err(|e| e.to_string()))]
    network: Option<Network>,
    /// List accounts on different networks that look like one person, with the evidence
    #[arg(long)]
    suggest_merges: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Sort {
    /// Strongest first
    Strength,
    /// Fastest warming first, cooling last
    Trend,
    /// Fastest cooling first
    Cooling,
    /// Most recent interaction first
    Last,
    /// Most reciprocal first
    Reciprocity,
    /// By name
    Name,
}

fn query(args: &PeopleArgs) -> PeopleQuery {
    PeopleQuery {
        stage: args.stage,
        cooling: args.cooling,
        sort: match args.sort {
            Sort::Strength => SortKey::Strength,
            Sort::Trend => SortKey::Trend,
            Sort::Cooling => SortKey::Cooling,
            Sort::Last => SortKey::Last,
            Sort::Reciprocity => SortKey::Reciprocity,
            Sort::Name => SortKey::Name,
        },
        limit: Some(args.limit),
    }
}

pub(crate) fn run(engine: &Engine, global: &Global, args: &PeopleArgs) -> anyhow::Result<ExitCode> {
    if args.suggest_merges {
        let mut listing = Listing::new(&[
            "account",
            "network",
            "same_as",
            "other_network",
            "confidence",
            "evidence",
        ]);
        for s in engine.read()?.suggest_merges()?.into_iter().take(args.limit) {
            listing.push(vec![
                s.a.label().into(),
                s.a.network.as_str().into(),
                s.b.label().into(),
                s.b.network.as_str().into(),
                Cell::Float(s.confidence, 2),
                s.evidence.join("; ").into(),
            ]);
        }
        listing.print(args.format, &mut super::stdout())?;
        return Ok(ExitCode::SUCCESS);
    }
    let view = View { network: args.network, ..global.view() };
    let people = engine.read()?.people(&view, &query(args))?;
    let mut out = super::stdout();
    listing(&people.people).print(args.format, &mut out)?;
    if args.format == Format::Table {
        use std::io::Write;
        writeln!(out, "\nas of {}; ledger: {LEDGER_BASIS}", time::format(people.as_of))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The people listing, one row per person.
pub(crate) fn listing(people: &[PersonSummary]) -> Listing {
    let mut listing = Listing::new(&[
        "person",
        "network",
        "stage",
        "strength",
        "trend",
        "reciprocity",
        "by_me",
        "to_me",
        "given",
        "asked",
        "shared",
        "first",
        "last",
        "last_by",
    ]);
    for p in people {
        let r = &p.relationship;
        let mut networks: Vec<&str> = p.accounts.iter().map(|a| a.network.as_str()).collect();
        networks.dedup();
        listing.push(vec![
            p.label().into(),
            networks.join("+").into(),
            if r.blocked { "blocked".into() } else { r.stage.as_str().into() },
            Cell::Float(r.strength, 3),
            r.trend.as_str().into(),
            Cell::Float(r.reciprocity, 2),
            r.counts.interactions(Direction::Out).into(),
            r.counts.interactions(Direction::In).into(),
            r.ledger.given.total().into(),
            r.ledger.asked.total().into(),
            r.shared_connections.into(),
            r.first_contact.map(time::format_date).into(),
            r.last.map(|l| time::format_date(l.at)).into(),
            r.last.map(|l| if l.direction == Direction::Out { "me" } else { "them" }).into(),
        ]);
    }
    listing
}

/// "3 replies, 2 DMs" style count of one direction, for the person view.
pub(crate) fn kinds_text(
    counts: &rapport_engine::score::KindCounts,
    direction: Direction,
) -> String {
    let parts: Vec<String> = InteractionKind::ALL
        .iter()
        .filter_map(|k| {
            let n = counts.get(*k, direction);
            (n > 0).then(|| format!("{n} {k}"))
        })
        .collect();
    if parts.is_empty() { "nothing".into() } else { parts.join(", ") }
}
