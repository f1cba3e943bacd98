//! `rapport check`: checks drafts before they are sent and says what reads as interruption, why,
//! and what to write instead; `--fail-above` turns it into a gate for a posting pipeline.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use rapport_engine::check::{DraftKind, Report};
use rapport_engine::model::Network;
use rapport_engine::{DraftQuery, check_text};
use serde_json::{Value as Json, json};

use crate::cli::Global;
use crate::output::{Cell, Format, Listing};

/// The exit status when a text scores above `--fail-above`; 1 stays "the command failed".
const GATE_FAILED: u8 = 2;

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The draft; read from stdin when omitted and stdin is not a terminal
    #[arg(value_name = "TEXT", conflicts_with = "file")]
    text: Option<String>,
    /// Check every text in a file: one per line, or CSV / JSONL (.csv, .jsonl) with a `text` column
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// What the draft is: a public post, a reply, or a private message
    #[arg(long, value_enum, default_value_t = Kind::Post)]
    kind: Kind,
    /// Who it goes to (a handle in the store): a pitch to someone you have no relationship with is
    /// a cold pitch
    #[arg(long, value_name = "HANDLE")]
    to: Option<String>,
    /// The network it goes to, for its hashtag and mention norms (x, facebook, mastodon, bluesky,
    /// linkedin)
    #[arg(long, value_name = "NETWORK", value_parser = parse_network)]
    network: Option<Network>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Exit with status 2 when any text scores above this (0 to 1)
    #[arg(long, value_name = "X", value_parser = parse_threshold)]
    fail_above: Option<f32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// A public post
    Post,
    /// A public reply
    Reply,
    /// A private message
    Dm,
}

impl From<Kind> for DraftKind {
    fn from(kind: Kind) -> DraftKind {
        match kind {
            Kind::Post => DraftKind::Post,
            Kind::Reply => DraftKind::Reply,
            Kind::Dm => DraftKind::Dm,
        }
    }
}

pub(crate) fn run(global: &Global, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let texts = read_texts(args)?;
    let query = DraftQuery { kind: args.kind.into(), to: args.to.clone(), network: args.network };
    // The store adds the relationship with the recipient and the user's sent messages (for
    // copy-paste outreach); without a store, or for a plain post, the text alone is checked.
    let reports = if args.to.is_some() || crate::commands::config(global).db.exists() {
        let engine = crate::commands::open(global)?;
        engine.read()?.check_drafts(&global.view(), &texts, &query).with_context(
            || match &args.to {
                Some(to) => format!("looking up your relationship with {to}"),
                None => "reading your sent messages".into(),
            },
        )?
    } else {
        check_text(&texts, &query)
    };

    let mut out = crate::commands::stdout();
    match args.format {
        Format::Table if texts.len() == 1 => print_detail(&texts[0], &reports[0], &mut out)?,
        Format::Json => {
            let all: Vec<Json> =
                texts.iter().zip(&reports).map(|(t, r)| report_json(t, r)).collect();
            // As an io::Error, a closed pipe (`rapport check … | head`) is recognised as a normal end.
            serde_json::to_writer_pretty(&mut out, &all).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        format => listing(&texts, &reports).print(format, &mut out)?,
    }

    let gate = args.fail_above.is_some_and(|limit| reports.iter().any(|r| r.score > limit));
    Ok(if gate { ExitCode::from(GATE_FAILED) } else { ExitCode::SUCCESS })
}

/// The texts to check, from the argument, `--file` or stdin.
fn read_texts(args: &CheckArgs) -> anyhow::Result<Vec<String>> {
    if let Some(text) = &args.text {
        return Ok(vec![text.clone()]);
    }
    if let Some(path) = &args.file {
        return read_file(path).with_context(|| format!("reading {}", path.display()));
    }
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        bail!(
            "no draft to check: give it as an argument, with --file, or on stdin (echo \"…\" | rapport check)"
        );
    }
    let mut text = String::new();
    stdin.read_to_string(&mut text).context("reading the draft from stdin")?;
    Ok(vec![text.trim_end_matches(['\n', '\r']).to_owned()])
}

/// One text per line, or a `text` column of a CSV or JSONL file (chosen by the extension).
fn read_file(path: &Path) -> anyhow::Result<Vec<String>> {
    let body = std::fs::read_to_string(path)?;
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => {
            let mut reader = csv::Reader::from_reader(body.as_bytes());
            let column = reader
                .headers()?
                .iter()
                .position(|h| h.trim() == "text")
                .context("the CSV has no `text` column")?;
            let mut texts = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record = record.with_context(|| format!("record {}", i + 1))?;
                texts.push(record.get(column).unwrap_or_default().to_owned());
            }
            Ok(texts)
        }
        Some("jsonl" | "ndjson") => body
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| {
                let value: Json =
                    serde_json::from_str(line).with_context(|| format!("line {}", i + 1))?;
                match value.get("text") {
                    Some(Json::String(text)) => Ok(text.clone()),
                    _ => bail!("line {}: no string `text` field", i + 1),
                }
            })
            .collect(),
        _ => Ok(body.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()),
    }
}

/// The readable report of one draft.
pub(crate) fn print_detail(
    text: &str,
    report: &Report,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "{}  (score {:.2})", report.verdict.as_str(), report.score)?;
    for finding in &report.findings {
        writeln!(out)?;
        writeln!(
            out,
            "  {}  \"{}\"",
            finding.rule.as_str(),
            excerpt(&text[finding.span.clone()], 60)
        )?;
        writeln!(out, "    why:     {}", finding.reason)?;
        writeln!(out, "    instead: {}", finding.suggestion)?;
    }
    let ngrams: Vec<String> = report
        .top_ngrams
        .iter()
        .map(|hit| format!("\"{}\" ({} {:+.2})", hit.text, hit.head.as_str(), hit.weight))
        .collect();
    writeln!(out)?;
    writeln!(
        out,
        "model: promotional {:.2}, bait {:.2}{}{}",
        report.model.promotional,
        report.model.bait,
        if ngrams.is_empty() { "" } else { "; strongest phrases: " },
        ngrams.join(", ")
    )
}

/// One row per draft, for tables and CSV.
fn listing(texts: &[String], reports: &[Report]) -> Listing {
    let mut listing = Listing::new(&["n", "score", "verdict", "rules", "suggestion", "text"]);
    for (i, (text, report)) in texts.iter().zip(reports).enumerate() {
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
        let suggestion = report
            .findings
            .iter()
            .max_by(|a, b| a.severity.total_cmp(&b.severity))
            .map_or(String::new(), |f| f.suggestion.clone());
        listing.push(vec![
            Cell::Int(i as i64 + 1),
            Cell::Float(f64::from(report.score), 2),
            report.verdict.as_str().into(),
            rules.join(" ").into(),
            suggestion.into(),
            excerpt(text, 60).into(),
        ]);
    }
    listing
}

/// Everything about one draft, for programs.
fn report_json(text: &str, report: &Report) -> Json {
    let findings: Vec<Json> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule.as_str(),
                "start": f.span.start,
                "end": f.span.end,
                "excerpt": &text[f.span.clone()],
                "reason": f.reason,
                "suggestion": f.suggestion,
                "severity": rounded(f.severity),
            })
        })
        .collect();
    let ngrams: Vec<Json> = report
        .top_ngrams
        .iter()
        .map(|hit| {
            json!({
                "head": hit.head.as_str(),
                "text": hit.text,
                "start": hit.span.start,
                "end": hit.span.end,
                "weight": rounded(hit.weight),
            })
        })
        .collect();
    json!({
        "text": text,
        "score": rounded(report.score),
        "verdict": report.verdict.as_str(),
        "model": {
            "promotional": rounded(report.model.promotional),
            "bait": rounded(report.model.bait),
        },
        "findings": findings,
        "top_ngrams": ngrams,
    })
}

/// A score to four decimals, so JSON shows 0.6 rather than the f32's 0.6000000238418579.
fn rounded(x: f32) -> f64 {
    (f64::from(x) * 1e4).round() / 1e4
}

/// At most `max` chars of `text` on one line, with an ellipsis when cut.
fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

fn parse_network(text: &str) -> Result<Network, String> {
    text.parse::<Network>().map_err(|e| e.to_string())
}

fn parse_threshold(text: &str) -> Result<f32, String> {
    text.parse::<f32>()
        .ok()
        .filter(|x| (0.0..=1.0).contains(x))
        .ok_or_else(|| format!("'{text}' is not a score; use a number from 0 to 1, such as 0.5"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt("a\nb  c", 10), "a b c");
        assert_eq!(excerpt("abcdefghij", 5), "abcd…");
    }

    #[test]
    fn thresholds_are_scores() {
        assert_eq!(parse_threshold("0.5"), Ok(0.5));
        assert!(parse_threshold("2").is_err());
        assert!(parse_threshold("x").is_err());
    }
}
