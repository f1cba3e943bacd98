//! The command line's shape: global options and one variant per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use rapport_engine::View;

use crate::commands;

/// Rapport: the relationships behind your social accounts, from your own data, on your own machine.
#[derive(Debug, Parser)]
#[command(name = "rapport", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The store file [default: rapport.db in your data directory]
    #[arg(long, global = true, env = "RAPPORT_DB", value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
    /// Keep the store in this PostgreSQL database instead (postgres://user@host:port/database)
    #[arg(
        long,
        global = true,
        env = "RAPPORT_DATABASE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub(crate) database: Option<String>,
    /// The workspace of --database to use, created if missing [default: default; demo: demo]
    #[arg(long, global = true, env = "RAPPORT_WORKSPACE", value_name = "NAME")]
    pub(crate) workspace: Option<String>,
    /// View the store as this account instead of "me" (any handle or id in the store)
    #[arg(long = "as", global = true, value_name = "HANDLE")]
    pub(crate) as_handle: Option<String>,
    /// Compute everything as it stood at this moment, ignoring later data (RFC 3339 or a date)
    #[arg(long, global = true, value_name = "DATE", value_parser = commands::parse_date)]
    pub(crate) as_of: Option<i64>,
}

impl Global {
    /// The view every command asks from: `--as` and `--as-of`, on every network.
    pub(crate) fn view(&self) -> View {
        View { as_account: self.as_handle.clone(), as_of: self.as_of, network: None }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Load the bundled sample account into a demo store and show what Rapport sees
    Demo(commands::demo::DemoArgs),
    /// Import exports (X, Facebook, Mastodon, Bluesky CAR or bsky:HANDLE, LinkedIn) or interaction tables (CSV, JSONL, SNAP; plain or gzip)
    Import(commands::import::ImportArgs),
    /// Say which account is yours, or show it
    Me(commands::me::MeArgs),
    /// What the store holds: accounts, people, interactions by kind and network, time span
    Stats(commands::stats::StatsArgs),
    /// The people you have history with: strength, stage, trend, reciprocity, ledger
    People(commands::people::PeopleArgs),
    /// One relationship in full: timeline, strength history, ledger and stage changes
    Person(commands::person::PersonArgs),
    /// Today's relationship actions: answer, thank, reconnect, introduce, help
    Today(commands::today::TodayArgs),
    /// People who share your passions, found through your circle of trust, with why
    Discover(commands::discover::DiscoverArgs),
    /// The communities of your network, named by what they talk about
    Groups(commands::groups::GroupsArgs),
    /// Check a draft before you send it: spam, pitches and engagement bait, with a better way
    Check(commands::check::CheckArgs),
    /// Your own habits against the rules of social media: promotion, answers, pitches, bait
    Audit(commands::audit::AuditArgs),
    /// A summary in the terminal, and with --html one self-contained page with charts
    Report(commands::report::ReportArgs),
    /// The dashboard in your browser: today, people, the map, a draft checker, on 127.0.0.1
    Serve(commands::serve::ServeArgs),
    /// Your settings: what you offer, how often to be in touch
    Config(commands::config::ConfigArgs),
    /// Link a Bluesky or Mastodon account through the network's official API
    Connect(commands::connect::ConnectArgs),
    /// The connected accounts and when each was last synced
    Accounts(commands::accounts::AccountsArgs),
    /// Forget a connected account's tokens (what was synced stays)
    Disconnect(commands::disconnect::DisconnectArgs),
    /// Pull what changed on the connected accounts: both sides of every relationship
    Sync(commands::sync::SyncArgs),
    /// A team's database (--database): the first owner, users, workspaces, invitations, moving a personal store in
    Admin {
        #[command(subcommand)]
        command: commands::admin::AdminCommand,
    },
    /// Network-scale work on edge-list files, no store needed
    Graph(commands::graph::GraphArgs),
    /// Reproducible accuracy figures on public data
    Eval {
        #[command(subcommand)]
        command: commands::eval::EvalCommand,
    },
}
