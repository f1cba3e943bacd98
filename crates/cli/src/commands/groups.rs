//! `rapport groups`: the communities of your network, named by what they talk about.

use std::process::ExitCode;

use clap::Args;
use rapport_engine::{Engine, Group};

use crate::cli::Global;
use crate::output::{Cell, Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct GroupsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(engine: &Engine, global: &Global, args: &GroupsArgs) -> anyhow::Result<ExitCode> {
    let groups = engine.read()?.groups(&global.view())?;
    listing(&groups).print(args.format, &mut super::stdout())?;
    Ok(ExitCode::SUCCESS)
}

/// The groups listing.
pub(crate) fn listing(groups: &[Group]) -> Listing {
    let mut listing = Listing::new(&["group", "size", "talking_with", "engagement", "closest"]);
    for g in groups {
        listing.push(vec![
            g.name.clone().into(),
            Cell::Int(g.size as i64),
            Cell::Int(g.talking_with as i64),
            Cell::Float(g.engagement, 3),
            g.closest.join(", ").into(),
        ]);
    }
    listing
}
