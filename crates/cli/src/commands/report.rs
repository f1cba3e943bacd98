//! `rapport report`: a terminal summary, and with `--html FILE` one self-contained page that opens
//! offline.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use rapport_engine::Engine;
use rapport_engine::model::time;
use rapport_engine::report::ReportData;

use crate::cli::Global;

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// Also write the report as one HTML page (charts and all, no network needed to open it)
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

pub(crate) fn run(engine: &Engine, global: &Global, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let data = engine.read()?.report(&global.view())?;
    let mut out = super::stdout();
    summary(&data, &mut out)?;
    if let Some(path) = &args.html {
        write_html(&data, path)?;
        writeln!(out, "\nreport written to {}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the page, through a temporary file so that a failed write never leaves half a report.
pub(crate) fn write_html(data: &ReportData, path: &std::path::Path) -> anyhow::Result<()> {
    let html = rapport_engine::report::render_html(data);
    let tmp = path.with_extension("html.partial");
    std::fs::write(&tmp, html).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// The report's headlines for the terminal.
fn summary(data: &ReportData, out: &mut dyn Write) -> std::io::Result<()> {
    let h = &data.headline;
    writeln!(out, "{} (as of {})", data.title, time::format_date(data.as_of))?;
    writeln!(
        out,
        "{} people, {} close and {} mutual; {} warming, {} cooling",
        h.people, h.close, h.mutual, h.warming, h.cooling
    )?;
    if let (Some(first), Some(last)) = (data.stages.first(), data.stages.last()) {
        let close = |c: &rapport_engine::report::StageCounts| c.close + c.mutual;
        writeln!(
            out,
            "mutual and close relationships: {} on {}, {} now",
            close(&first.counts),
            time::format_date(first.month),
            close(&last.counts)
        )?;
    }
    let top = |movers: &[rapport_engine::report::Mover]| -> String {
        movers.iter().take(3).map(|m| m.name.clone()).collect::<Vec<_>>().join(", ")
    };
    writeln!(out, "warming: {}", top(&data.warming))?;
    writeln!(out, "cooling: {}", top(&data.cooling))?;
    let (posts, promo) =
        data.promotional.iter().fold((0, 0), |(p, q), w| (p + w.posts, q + w.promotional));
    if posts > 0 {
        writeln!(
            out,
            "promotional posts: {promo} of {posts} ({:.0}%)",
            100.0 * f64::from(promo) / f64::from(posts)
        )?;
    }
    writeln!(
        out,
        "{} groups, {} people to discover, {} actions today, {} audit findings",
        data.groups.len(),
        data.discover.len(),
        data.today.len(),
        data.audit.len()
    )?;
    Ok(())
}
