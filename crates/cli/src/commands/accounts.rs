//! `rapport accounts`: the connected accounts and when each was last synced.

use std::process::ExitCode;

use clap::Args;
use rapport_engine::Engine;
use rapport_engine::model::time;
use rapport_engine::sync::Credentials;

use crate::output::{Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct AccountsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(engine: &Engine, args: &AccountsArgs) -> anyhow::Result<ExitCode> {
    let credentials = Credentials::load(&super::sync::data_dir(engine))?;
    let cursors = engine.read()?.sync_cursors(None)?;
    let mut listing = Listing::new(&["network", "account", "server", "id", "last_sync"]);
    for c in &credentials.connections {
        let key = c.key();
        let last = cursors.iter().filter(|s| s.account == key).map(|s| s.at).max();
        listing.push(vec![
            c.network().as_str().into(),
            c.name().into(),
            c.server().into(),
            key.split_once(':').map_or("", |(_, id)| id).into(),
            last.map(time::format).into(),
        ]);
    }
    if listing.rows.is_empty() && args.format == Format::Table {
        println!(
            "No accounts connected; run `rapport connect bluesky HANDLE` or `rapport connect mastodon INSTANCE`"
        );
        return Ok(ExitCode::SUCCESS);
    }
    listing.print(args.format, &mut super::stdout())?;
    Ok(ExitCode::SUCCESS)
}
