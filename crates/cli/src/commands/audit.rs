//! `rapport audit`: your own history held against the rules of social media.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rapport_engine::model::time;
use rapport_engine::{Audit, Engine, PROMOTIONAL_LIMIT};

use crate::cli::Global;
use crate::output::{Cell, Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(engine: &Engine, global: &Global, args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let audit = engine.read()?.audit(&global.view())?;
    let mut out = super::stdout();
    if args.format != Format::Table {
        let mut listing =
            Listing::new(&["rule", "severity", "title", "count", "detail", "examples"]);
        for f in &audit.findings {
            let examples: Vec<String> = f
                .examples
                .iter()
                .map(|e| format!("{} {}", e.at.map(time::format_date).unwrap_or_default(), e.text))
                .collect();
            listing.push(vec![
                f.rule.clone().into(),
                f.severity.as_str().into(),
                f.title.clone().into(),
                Cell::Int(f.count as i64),
                f.detail.clone().into(),
                examples.join(" | ").into(),
            ]);
        }
        listing.print(args.format, &mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    print(&audit, usize::MAX, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// The audit for reading, with at most `findings` findings.
pub(crate) fn print(audit: &Audit, findings: usize, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Audit of your own habits, as of {}\n", time::format_date(audit.as_of))?;
    if audit.findings.is_empty() {
        writeln!(out, "Nothing to report: you give, answer and share like a good neighbour.")?;
    }
    for f in audit.findings.iter().take(findings) {
        writeln!(out, "[{}] {} ({}, {})", f.severity.as_str(), f.title, f.rule, f.count)?;
        writeln!(out, "    {}", f.detail)?;
        for e in &f.examples {
            let at = e.at.map_or_else(|| "undated   ".into(), time::format_date);
            let text: String = e.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let text = if text.chars().count() > 90 {
                format!("{}…", text.chars().take(89).collect::<String>())
            } else {
                text
            };
            writeln!(out, "      {at}  {text}")?;
        }
        writeln!(out)?;
    }
    let line: String = audit
        .windows
        .iter()
        .map(|w| {
            let share = if w.posts == 0 { 0.0 } else { w.promotional as f64 / w.posts as f64 };
            if w.posts == 0 {
                '·'
            } else if share > PROMOTIONAL_LIMIT {
                '▲'
            } else {
                '▁'
            }
        })
        .collect();
    writeln!(out, "promotional share per 30 days, oldest first (▲ over one in five): {line}")?;
    if let Some(m) = audit.median_response {
        writeln!(out, "median time to answer: {:.1} hours", m as f64 / 3600.0)?;
    }
    Ok(())
}
