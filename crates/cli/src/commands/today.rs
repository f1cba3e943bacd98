//! `rapport today`: the daily relationship actions, with `--done` and `--snooze` for the rest.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rapport_engine::model::time::{self, DAY};
use rapport_engine::{Engine, Today, TodayQuery};

use crate::cli::Global;
use crate::output::{Cell, Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct TodayArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Show at most this many actions
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Mark this action done: it is not shown again
    #[arg(long, value_name = "ID", conflicts_with = "snooze")]
    done: Option<String>,
    /// Hide this action for a while, e.g. --snooze ID 7d (also 2w, 12h; a bare number is days)
    #[arg(long, num_args = 2, value_names = ["ID", "DURATION"])]
    snooze: Option<Vec<String>>,
}

pub(crate) fn run(engine: &Engine, global: &Global, args: &TodayArgs) -> anyhow::Result<ExitCode> {
    let mut out = super::stdout();
    if let Some(id) = &args.done {
        engine.mark_done(id)?;
        writeln!(out, "done: {id} will not be shown again")?;
        return Ok(ExitCode::SUCCESS);
    }
    let view = global.view();
    if let Some([id, duration]) = args.snooze.as_deref() {
        let seconds = time::parse_duration(duration, DAY).ok_or_else(|| {
            anyhow::anyhow!("'{duration}' is not a duration; use 7d, 2w, 12h or a number of days")
        })?;
        let now = engine.read()?.today(&view, &TodayQuery { limit: 0 })?.as_of;
        engine.snooze(id, now + seconds)?;
        writeln!(out, "snoozed: {id} comes back on {}", time::format_date(now + seconds))?;
        return Ok(ExitCode::SUCCESS);
    }
    let today = engine.read()?.today(&view, &TodayQuery { limit: args.limit })?;
    if args.format == Format::Table {
        print(&today, &mut out)?;
        writeln!(
            out,
            "\nMark one done with `rapport today --done ID`, or hide it with `--snooze ID 7d`."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut listing =
        Listing::new(&["id", "kind", "who", "network", "value", "at", "why", "approach"]);
    for a in &today.actions {
        listing.push(vec![
            a.id.clone().into(),
            a.kind.as_str().into(),
            a.who.clone().into(),
            a.network.as_str().into(),
            Cell::Float(a.value, 3),
            a.at.map(time::format).into(),
            a.why.clone().into(),
            a.approach.clone().into(),
        ]);
    }
    listing.print(args.format, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// Today's list for reading.
pub(crate) fn print(today: &Today, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Today, {}: {} things worth your time\n",
        time::format_date(today.as_of),
        today.actions.len()
    )?;
    for (n, a) in today.actions.iter().enumerate() {
        writeln!(out, "{:>2}. [{}] {} {} on {}", n + 1, a.id, a.kind.as_str(), a.who, a.network)?;
        writeln!(out, "    why: {}", a.why)?;
        writeln!(out, "    how: {}", a.approach)?;
    }
    if today.actions.is_empty() {
        writeln!(
            out,
            "Nothing waits for you. A good day to post something useful or to answer someone's question."
        )?;
    }
    if today.hidden > 0 {
        writeln!(out, "\n({} done or snoozed actions hidden)", today.hidden)?;
    }
    Ok(())
}
