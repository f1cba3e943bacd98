//! `rapport stats`: what the store holds.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rapport_engine::Engine;
use rapport_engine::model::time;

use serde_json::json;

use crate::output::{Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(engine: &Engine, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let stats = engine.read()?.stats()?;
    let mut out = super::stdout();
    let mut listing = Listing::new(&["network", "kind", "interactions", "undated"]);
    for k in &stats.by_kind {
        listing.push(vec![
            k.network.as_str().into(),
            k.kind.as_str().into(),
            k.count.into(),
            k.undated.into(),
        ]);
    }
    match args.format {
        Format::Table => {
            let span = match (stats.first_at, stats.last_at) {
                (Some(a), Some(b)) => {
                    format!("{} to {}", time::format_date(a), time::format_date(b))
                }
                _ => "no dated records".into(),
            };
            writeln!(out, "store         {}", engine.db_path().display())?;
            writeln!(out, "imports       {}", stats.imports)?;
            writeln!(out, "accounts      {}", stats.accounts)?;
            writeln!(out, "people        {}", stats.people)?;
            writeln!(out, "interactions  {}", stats.interactions)?;
            writeln!(out, "posts         {}", stats.posts)?;
            writeln!(out, "time span     {span}")?;
            writeln!(out)?;
            listing.print(Format::Table, &mut out)?;
        }
        csv @ (Format::Csv | Format::CsvRaw) => listing.print(csv, &mut out)?,
        Format::Json => {
            let by_kind: Vec<_> = stats
                .by_kind
                .iter()
                .map(|k| json!({"network": k.network.as_str(), "kind": k.kind.as_str(), "interactions": k.count, "undated": k.undated}))
                .collect();
            let doc = json!({
                "store": engine.db_path().display().to_string(),
                "imports": stats.imports,
                "accounts": stats.accounts,
                "people": stats.people,
                "interactions": stats.interactions,
                "posts": stats.posts,
                "first": stats.first_at.map(time::format),
                "last": stats.last_at.map(time::format),
                "by_kind": by_kind,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
