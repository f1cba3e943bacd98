//! `rapport config`: what you offer and how often you want to be in touch, by stage or group.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use rapport_engine::{Engine, SETTINGS};

#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {
    #[command(subcommand)]
    action: ConfigAction,
}

#[derive(Debug, Subcommand)]
enum ConfigAction {
    /// Change a setting, e.g. `rapport config set offer "compost bins, soil testing"`
    Set {
        /// The setting
        key: String,
        /// Its new value
        value: String,
    },
    /// Show one setting
    Get {
        /// The setting
        key: String,
    },
    /// Show every setting with its value and meaning
    List,
}

pub(crate) fn run(engine: &Engine, args: &ConfigArgs) -> anyhow::Result<ExitCode> {
    let mut out = super::stdout();
    match &args.action {
        ConfigAction::Set { key, value } => {
            engine.set_setting(key, value)?;
            writeln!(out, "{key} = {}", engine.read()?.setting(key)?)?;
        }
        ConfigAction::Get { key } => writeln!(out, "{}", engine.read()?.setting(key)?)?,
        ConfigAction::List => {
            let snapshot = engine.read()?;
            let stored = snapshot.stored_settings()?;
            for s in SETTINGS {
                let Some(prefix) = s.key.strip_suffix("TERM") else {
                    writeln!(out, "{} = {}\n    {}", s.key, snapshot.setting(s.key)?, s.help)?;
                    continue;
                };
                // One pattern, any number of keys: show the pattern, then the ones set.
                writeln!(out, "{}\n    {}", s.key, s.help)?;
                for (key, value) in stored.iter().filter(|(k, _)| k.starts_with(prefix)) {
                    writeln!(out, "{key} = {value}")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
