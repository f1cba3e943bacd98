//! `rapport report`: a terminal summary, and with `--html FILE` one self-contained page that opens
//! offline.

use std::io::Write;
use std::path::{Path, PathBuf};
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

/// Writes the page through a temporary file beside it, renamed over `path` once complete, so a
/// failed write never leaves half a report nor a temporary file. The report holds private
/// messages: a new one is readable by its owner only (0600), an earlier one keeps its mode. Only a
/// regular file is replaced: a symbolic link, FIFO, device or folder at `path` is refused, since
/// replacing it would destroy it and writing through it could reach a file the user never named.
pub(crate) fn write_html(data: &ReportData, path: &Path) -> anyhow::Result<()> {
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => Some(meta.permissions()),
        Ok(meta) => anyhow::bail!(
            "{} is {}, not a regular file; the report is not written there: name a new file or an earlier report",
            path.display(),
            kind_of(&meta.file_type())
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("looking at {}", path.display())),
    };
    let html = rapport_engine::report::render_html(data);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // Created 0600 and deleted when dropped: on any failure below, nothing is left behind.
    let mut tmp = tempfile::Builder::new()
        .prefix(".rapport-report-")
        .suffix(".partial")
        .tempfile_in(dir)
        .with_context(|| format!("writing the report in {}", dir.display()))?;
    let written = tmp.write_all(html.as_bytes()).and_then(|()| tmp.as_file().sync_all());
    written.with_context(|| format!("writing {}", path.display()))?;
    if let Some(permissions) = existing {
        tmp.as_file()
            .set_permissions(permissions)
            .with_context(|| format!("keeping the mode of {}", path.display()))?;
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// What a non-regular file is, for the refusal.
fn kind_of(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
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
    if h.one_sided > 0 {
        writeln!(
            out,
            "{} of them come from exports that hold only your own actions: who answered is unknown, so close and mutual are at least these",
            h.one_sided
        )?;
    }
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
