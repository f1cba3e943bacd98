//! `rapport disconnect ACCOUNT`: forget an account's tokens. What was synced stays in the store.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rapport_engine::Engine;
use rapport_engine::sync::Credentials;

#[derive(Debug, Args)]
pub(crate) struct DisconnectArgs {
    /// The account: its handle, user@instance, DID or actor URI (see `rapport accounts`)
    account: String,
}

pub(crate) fn run(engine: &Engine, args: &DisconnectArgs) -> anyhow::Result<ExitCode> {
    let mut credentials = Credentials::load(&super::sync::data_dir(engine))?;
    let Some(gone) = credentials.remove(&args.account) else {
        anyhow::bail!("no connected account is '{}'; `rapport accounts` lists them", args.account);
    };
    credentials.save()?;
    writeln!(
        super::stdout(),
        "disconnected {} ({}); its tokens are deleted, what was synced stays in the store",
        gone.name(),
        gone.network().as_str()
    )?;
    Ok(ExitCode::SUCCESS)
}
