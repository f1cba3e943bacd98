//! `rapport demo`: the bundled sample account, end to end, in a store of its own.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rapport_engine::sample::SampleSpec;
use rapport_engine::{Config, Engine, PeopleQuery};

use crate::cli::Global;
use crate::output::Format;

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// The sample's random seed
    #[arg(long, default_value_t = SampleSpec::default().seed)]
    seed: u64,
    /// How many people surround the sample account
    #[arg(long, default_value_t = SampleSpec::default().people)]
    people: usize,
}

pub(crate) fn run(global: &Global, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    // The demo never writes into your own store: it gets a file of its own, made fresh each run,
    // unless --db names one.
    let db = match &global.db {
        Some(db) => db.clone(),
        None => {
            let db = Config::default_db().with_file_name("demo.db");
            for suffix in ["", "-wal", "-shm"] {
                let mut file = db.clone().into_os_string();
                file.push(suffix);
                match std::fs::remove_file(&file) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                    _ => {}
                }
            }
            db
        }
    };
    let mut engine = Engine::open(&Config::with_db(&db))?;
    let spec = SampleSpec { seed: args.seed, people: args.people, ..SampleSpec::default() };
    let counts = engine.load_sample(&spec)?;
    let mut out = super::stdout();
    writeln!(out, "Rapport demo: Greenfork Garden Supply, a small business on Mastodon and Bluesky")?;
    writeln!(
        out,
        "Loaded {} records ({} new) into {}\n",
        counts.read,
        counts.new,
        engine.db_path().display()
    )?;
    let stats = engine.stats()?;
    writeln!(
        out,
        "{} accounts, {} interactions, {} posts over 18 months\n",
        stats.accounts, stats.interactions, stats.posts
    )?;
    writeln!(out, "Your 10 strongest relationships:")?;
    let query = PeopleQuery { as_of: global.as_of, limit: Some(10), ..PeopleQuery::default() };
    let people = engine.people(&query)?;
    super::people::listing(&people.people).print(Format::Table, &mut out)?;
    let cooling = PeopleQuery { cooling: true, limit: Some(5), ..query.clone() };
    let cooling = engine.people(&cooling)?;
    writeln!(out, "
Going cold (strength falling against 30 and 90 days ago):")?;
    super::people::listing(&cooling.people).print(Format::Table, &mut out)?;
    writeln!(
        out,
        "\nExplore it yourself: rapport --db {} people --sort last",
        engine.db_path().display()
    )?;
    Ok(ExitCode::SUCCESS)
}
