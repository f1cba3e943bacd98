//! `rapport discover`: people who share your passions, through your circle of trust, with why.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rapport_engine::{DiscoverQuery, Engine, Suggestion};

use crate::cli::Global;
use crate::output::{Cell, Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct DiscoverArgs {
    /// Find people like this person instead of like you
    #[arg(long = "for", value_name = "HANDLE")]
    like: Option<String>,
    /// Only people who post about this hashtag
    #[arg(long, value_name = "TAG")]
    topic: Option<String>,
    /// Show at most this many people
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(
    engine: &Engine,
    global: &Global,
    args: &DiscoverArgs,
) -> anyhow::Result<ExitCode> {
    let query =
        DiscoverQuery { like: args.like.clone(), topic: args.topic.clone(), limit: args.limit };
    let suggestions = engine.read()?.discover(&global.view(), &query)?;
    let mut out = super::stdout();
    if args.format == Format::Table {
        print(&suggestions, &mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut listing = Listing::new(&[
        "person", "network", "score", "trust", "interest", "through", "shared", "why",
    ]);
    for s in &suggestions {
        listing.push(vec![
            s.label().into(),
            s.accounts.first().map(|a| a.network.as_str()).into(),
            Cell::Float(s.score, 3),
            Cell::Float(s.trust, 3),
            Cell::Float(s.interest, 3),
            s.through.join(" ").into(),
            s.shared.join(" ").into(),
            s.why.clone().into(),
        ]);
    }
    listing.print(args.format, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// Suggestions for reading.
pub(crate) fn print(suggestions: &[Suggestion], out: &mut dyn Write) -> std::io::Result<()> {
    if suggestions.is_empty() {
        writeln!(
            out,
            "No one new to suggest yet: import your follows and posts, or try without --topic."
        )?;
    }
    for (n, s) in suggestions.iter().enumerate() {
        let network = s.accounts.first().map_or("", |a| a.network.as_str());
        writeln!(out, "{:>2}. {} on {network}  (score {:.2})", n + 1, s.label(), s.score)?;
        writeln!(out, "    {}", s.why)?;
    }
    Ok(())
}
