//! `rapport me`: say which account is yours, or show it.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rapport_engine::Engine;

#[derive(Debug, Args)]
pub(crate) struct MeArgs {
    /// Your handle or account id; every network's account with it becomes "me". Without it, shows "me"
    handle: Option<String>,
}

pub(crate) fn run(engine: &Engine, args: &MeArgs) -> anyhow::Result<ExitCode> {
    let accounts = match &args.handle {
        Some(handle) => {
            let accounts = engine.set_me(handle)?;
            // Every view is computed for "me"; a failure here only leaves it to the next read.
            if let Err(err) = engine.refresh_views() {
                eprintln!(
                    "warning: could not bring the kept views up to date: {}",
                    crate::terminal::neutralise(&err.to_string())
                );
            }
            accounts
        }
        None => engine.read()?.me(None)?,
    };
    let mut out = super::stdout();
    for a in accounts {
        writeln!(out, "{} on {} ({})", a.label(), a.network, a.native_id)?;
    }
    Ok(ExitCode::SUCCESS)
}
