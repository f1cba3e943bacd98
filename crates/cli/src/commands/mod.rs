//! One module per subcommand, and the dispatch that opens the engine for them.

pub(crate) mod accounts;
pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod check;
pub(crate) mod config;
pub(crate) mod connect;
pub(crate) mod demo;
pub(crate) mod disconnect;
pub(crate) mod discover;
pub(crate) mod eval;
pub(crate) mod graph;
pub(crate) mod graph_dist;
pub(crate) mod groups;
pub(crate) mod import;
pub(crate) mod me;
pub(crate) mod people;
pub(crate) mod person;
pub(crate) mod report;
pub(crate) mod serve;
mod serve_config;
pub(crate) mod stats;
pub(crate) mod sync;
mod sync_follow;
pub(crate) mod today;

use std::process::ExitCode;

use anyhow::Context as _;
use rapport_engine::model::time;
use rapport_engine::{Config, Engine};

use crate::cli::{Cli, Command, Global};

pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Cli { global, command } = cli;
    match command {
        Command::Demo(args) => demo::run(&global, &args),
        Command::Import(args) => import::run(&open(&global)?, &args),
        Command::Me(args) => me::run(&open(&global)?, &args),
        Command::Stats(args) => stats::run(&open(&global)?, &args),
        Command::People(args) => people::run(&open(&global)?, &global, &args),
        Command::Person(args) => person::run(&open(&global)?, &global, &args),
        Command::Eval { command } => eval::run(&command),
        Command::Check(args) => check::run(&global, &args),
        Command::Discover(args) => discover::run(&open(&global)?, &global, &args),
        Command::Groups(args) => groups::run(&open(&global)?, &global, &args),
        Command::Report(args) => report::run(&open(&global)?, &global, &args),
        Command::Audit(args) => audit::run(&open(&global)?, &global, &args),
        Command::Today(args) => today::run(&open(&global)?, &global, &args),
        Command::Config(args) => config::run(&open(&global)?, &args),
        Command::Serve(args) => serve::run(&global, &args),
        Command::Admin { command } => admin::run(&global, &command),
        Command::Graph(args) => graph::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Connect(args) => connect::run(&open(&global)?, &args),
        Command::Accounts(args) => accounts::run(&open(&global)?, &args),
        Command::Disconnect(args) => disconnect::run(&open(&global)?, &args),
        Command::Sync(args) => sync::run(&mut open(&global)?, &args),
    }
}

/// The configuration the global options name.
pub(crate) fn config(global: &Global) -> Config {
    with_database(global, Config::with_db_or_default(global.db.clone()), None)
}

/// `config` with the store in the PostgreSQL database `--database` names, if it names one, in
/// the workspace `--workspace` names or else `workspace` (the default one when `None`).
pub(crate) fn with_database(global: &Global, config: Config, workspace: Option<&str>) -> Config {
    match &global.database {
        Some(url) => {
            let workspace = global.workspace.clone().or_else(|| workspace.map(str::to_owned));
            config.with_database(url, workspace)
        }
        None => config,
    }
}

/// Opens the store the global options name.
pub(crate) fn open(global: &Global) -> anyhow::Result<Engine> {
    let config = config(global);
    Engine::open(&config).with_context(|| match &config.database {
        // The URL is left out: it may hold a password.
        Some(_) => "opening the store in the PostgreSQL database of --database".to_owned(),
        None => format!("opening the store {}", config.db.display()),
    })
}

/// Parses a `--as-of` date: RFC 3339, a date (midnight UTC), or Unix seconds.
pub(crate) fn parse_date(text: &str) -> Result<i64, String> {
    time::parse(text).ok_or_else(|| {
        format!("'{text}' is not a date; use 2024-03-01, 2024-03-01T09:30:00Z or Unix seconds")
    })
}

/// Writes to stdout through a lock, so listings are printed in one go, with control characters
/// neutralised (see `terminal`): everything printed may hold other people's text.
pub(crate) fn stdout() -> crate::terminal::Neutralised<std::io::StdoutLock<'static>> {
    crate::terminal::Neutralised::new(std::io::stdout().lock())
}
