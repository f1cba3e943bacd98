//! `rapport people`: the people you have history with, and how each relationship stands.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rapport_engine::model::{Direction, InteractionKind, Network, time};
use rapport_engine::score::{LEDGER_BASIS, OtherSide, Relationship, Stage};
use rapport_engine::{Engine, PeopleQuery, PersonSummary, SortKey, View, classify};

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
    /// Strongest first: the most invested relationships (sustained, two-way contact over time)
    Strength,
    /// Most likely to be in touch within 30 days first (the forecast)
    Forecast,
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
            Sort::Forecast => SortKey::Forecast,
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
        if let Some(note) = unseen_note(&people.people) {
            writeln!(out, "{note}")?;
        }
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
        "next_30d",
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
        "other_side",
        "kind",
    ]);
    for p in people {
        let r = &p.relationship;
        let mut networks: Vec<&str> = p.accounts.iter().map(|a| a.network.as_str()).collect();
        networks.dedup();
        listing.push(vec![
            p.label().into(),
            networks.join("+").into(),
            if r.blocked { "blocked".into() } else { r.stage.as_str().into() },
            Cell::Float(r.invested(), 3),
            Cell::Float(r.strength, 3),
            r.trend.as_str().into(),
            r.reciprocity_seen().map_or(Cell::Unknown, |x| Cell::Float(x, 2)),
            r.counts.interactions(Direction::Out).into(),
            seen(r, r.counts.interactions(Direction::In).into()),
            r.ledger.given.total().into(),
            r.ledger.asked.total().into(),
            r.shared_connections.into(),
            r.first_contact.map(time::format_date).into(),
            r.last.map(|l| time::format_date(l.at)).into(),
            r.last.map(|l| if l.direction == Direction::Out { "me" } else { "them" }).into(),
            r.other_side.as_str().into(),
            // What the profiles say; the page of one person adds the posting pattern.
            if classify(&p.accounts, None).organisation { "organisation" } else { "person" }.into(),
        ]);
    }
    listing
}

/// `cell`, or unknown when no source shows the other side.
pub(crate) fn seen(r: &Relationship, cell: Cell) -> Cell {
    if r.other_side == OtherSide::Unseen { Cell::Unknown } else { cell }
}

/// The footnote a listing with one-sided relationships carries, saying why `—`.
pub(crate) fn unseen_note(people: &[PersonSummary]) -> Option<&'static str> {
    people.iter().any(|p| p.relationship.other_side == OtherSide::Unseen).then_some(UNSEEN_WHY)
}

/// Why some figures are unknown.
pub(crate) const UNSEEN_WHY: &str = "— unknown: these relationships come from exports that hold only your own actions (an X or Mastodon archive, a Bluesky repository); what the other person did is not in them, so reciprocity, to_me and what they gave are unknown, and strength counts your side only. A sync (`rapport connect`, `rapport sync`) brings the other side";

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
