//! `rapport people`: the people you have history with, and what that history holds.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rapport_engine::model::{InteractionKind, Network, time};
use rapport_engine::{Engine, PeopleQuery, PersonSummary, SortKey};

use crate::cli::Global;
use crate::output::{Cell, Format, Listing};

/// The kinds a listing shows, each as counts out (by me) and in (to me).
const KINDS: [InteractionKind; 6] = [
    InteractionKind::Dm,
    InteractionKind::Reply,
    InteractionKind::Mention,
    InteractionKind::Repost,
    InteractionKind::Like,
    InteractionKind::Follow,
];

#[derive(Debug, Args)]
pub(crate) struct PeopleArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// The order
    #[arg(long, value_enum, default_value_t = Sort::Interactions)]
    sort: Sort,
    /// Show at most this many people
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Only people on this network
    #[arg(long, value_parser = |s: &str| s.parse::<Network>().map_err(|e| e.to_string()))]
    network: Option<Network>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Sort {
    /// Most interactions first
    Interactions,
    /// Most recent first
    Last,
    /// By name
    Name,
}

pub(crate) fn run(engine: &Engine, global: &Global, args: &PeopleArgs) -> anyhow::Result<ExitCode> {
    let query = PeopleQuery {
        as_handle: global.as_handle.clone(),
        as_of: global.as_of,
        network: args.network,
        sort: match args.sort {
            Sort::Interactions => SortKey::Interactions,
            Sort::Last => SortKey::Last,
            Sort::Name => SortKey::Name,
        },
        limit: Some(args.limit),
    };
    let people = engine.people(&query)?;
    listing(&people, args.format).print(args.format, &mut super::stdout())?;
    Ok(ExitCode::SUCCESS)
}

/// The people listing: a table shows each kind as "out/in"; JSON and CSV get one number per column.
pub(crate) fn listing(people: &[PersonSummary], format: Format) -> Listing {
    let split = format != Format::Table;
    let mut columns = vec!["person", "network", "interactions", "by_me", "to_me"];
    if split {
        columns.extend([
            "dm_out", "dm_in", "reply_out", "reply_in", "mention_out", "mention_in", "repost_out",
            "repost_in", "like_out", "like_in", "follow_out", "follow_in",
        ]);
    } else {
        columns.extend(KINDS.iter().map(|k| k.as_str()));
    }
    columns.extend(["first", "last", "last_by"]);
    let mut listing = Listing::new(&columns);
    for p in people {
        let networks: Vec<&str> = p.accounts.iter().map(|a| a.network.as_str()).collect();
        let mut row: Vec<Cell> = vec![
            p.label().into(),
            networks.join("+").into(),
            p.total().into(),
            p.outgoing.total().into(),
            p.incoming.total().into(),
        ];
        for kind in KINDS {
            let (o, i) = (p.outgoing.get(kind), p.incoming.get(kind));
            if split {
                row.extend([o.into(), i.into()]);
            } else {
                row.push(if o + i == 0 { Cell::Empty } else { format!("{o}/{i}").into() });
            }
        }
        row.push(p.first_at.map(time::format_date).into());
        row.push(p.last_at.map(time::format_date).into());
        row.push(p.last_by_me.map(|me| if me { "me" } else { "them" }).into());
        listing.push(row);
    }
    listing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_listing_has_headers() {
        assert_eq!(listing(&[], Format::Csv).columns.len(), 20);
        assert_eq!(listing(&[], Format::Table).columns.len(), 14);
    }
}
