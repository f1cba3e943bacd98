//! `rapport eval ties`: how well strength forecasts which pairs interact next, beside three simple
//! baselines on the same pairs, on one dataset file or on the public suite; `--fit` refits the
//! shipped weights and prints (or writes) the generated `crates/score/src/fitted.rs`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use rapport_engine::Format as ImportFormat;
use rapport_engine::eval::{TiesData, TiesRow, evaluate_ties};
use rapport_engine::model::time::{self, DAY};
use rapport_engine::score::{self, TieEval};

use crate::output::{Cell, Format, Listing};
use crate::progress::Bar;

#[derive(Debug, Args)]
pub(crate) struct TiesEvalArgs {
    /// Refit the weights on the public suite and print the source of crates/score/src/fitted.rs
    #[arg(long, conflicts_with = "data")]
    fit: bool,
    /// With --fit, write the generated source to this file instead of printing it
    #[arg(long, value_name = "PATH", requires = "fit")]
    write: Option<PathBuf>,
    /// Evaluate on this dataset file instead of the suite (imported into a throwaway store)
    #[arg(long, value_name = "FILE", requires = "cutoff")]
    data: Option<PathBuf>,
    /// The dataset's format, as for `rapport import --format`; detected when omitted
    #[arg(long, value_name = "FMT", requires = "data")]
    format: Option<String>,
    /// Features are taken as of this moment; interactions after it are what is forecast
    #[arg(long, value_name = "DATE", value_parser = crate::commands::parse_date, requires = "data")]
    cutoff: Option<i64>,
    /// How far after the cutoff an interaction counts (e.g. 30d, 2w, 12h; a bare number is seconds)
    #[arg(long, value_name = "DURATION", default_value = "30d", value_parser = parse_horizon)]
    horizon: i64,
    /// The folder holding the public suite
    #[arg(long, env = "RAPPORT_DATA", value_name = "DIR", default_value = "../shared/data")]
    data_dir: PathBuf,
    /// Print strength's reliability instead: the pairs in ten equal-count bins by strength, each
    /// with its mean strength and the share that did interact within the horizon
    #[arg(long)]
    reliability: bool,
    /// Output format of the table
    #[arg(long, value_enum, default_value_t)]
    output: Format,
}

pub(crate) fn run(args: &TiesEvalArgs) -> anyhow::Result<ExitCode> {
    let data = match &args.data {
        Some(path) => TiesData::File {
            path: path.clone(),
            format: args
                .format
                .as_deref()
                .map(str::parse::<ImportFormat>)
                .transpose()
                .map_err(anyhow::Error::msg)?,
            cutoff: args.cutoff.unwrap_or_default(),
            horizon: args.horizon,
        },
        None => TiesData::Suite { data_dir: args.data_dir.clone(), fit: args.fit },
    };
    let run = evaluate_ties(&data, &mut Bar::new()).with_context(|| match &args.data {
        Some(path) => format!("evaluating on {}", path.display()),
        None => super::data_hint("--data-dir", &args.data_dir),
    })?;
    if let Some(source) = &run.fitted_source {
        match &args.write {
            Some(file) => {
                std::fs::write(file, source)
                    .with_context(|| format!("writing {}", file.display()))?;
            }
            None => write!(crate::commands::stdout(), "{source}")?,
        }
    }
    let mut listing = if args.reliability {
        Listing::new(&["dataset", "bin", "pairs", "mean_strength", "observed_rate"])
    } else {
        Listing::new(&[
            "dataset",
            "cutoff",
            "horizon",
            "pairs",
            "positives",
            "score",
            "roc_auc",
            "average_precision",
            "log_loss",
        ])
    };
    for row in &run.rows {
        if args.reliability {
            push_bins(&mut listing, &row.dataset, &row.eval);
        } else {
            push_rows(&mut listing, row);
        }
    }
    listing.print(args.output, &mut crate::commands::stdout())?;
    Ok(ExitCode::SUCCESS)
}

/// One row per score: strength, then the baselines, then both models on the pairs as one side's
/// export shows them (each pair twice).
fn push_rows(listing: &mut Listing, row: &TiesRow) {
    let eval = &row.eval;
    let scores = [
        ("strength", eval.strength, Some(eval.strength_log_loss)),
        ("count", eval.count, None),
        ("recency", eval.recency, None),
        ("decayed count", eval.decayed, None),
        (
            "one-sided view: strength, unseen as 0",
            eval.one_sided_as_zero.metrics,
            Some(eval.one_sided_as_zero.log_loss),
        ),
        ("one-sided view: one-sided model", eval.one_sided.metrics, Some(eval.one_sided.log_loss)),
    ];
    for (score, m, log_loss) in scores {
        listing.push(vec![
            row.dataset.as_str().into(),
            time::format_date(row.cutoff).into(),
            format!("{}d", row.horizon as f64 / DAY as f64).into(),
            Cell::Int(eval.pairs as i64),
            Cell::Int(eval.positives as i64),
            score.into(),
            Cell::Float(m.roc_auc, 4),
            Cell::Float(m.average_precision, 4),
            log_loss.map_or(Cell::Empty, |l| Cell::Float(l, 4)),
        ]);
    }
}

/// One row per reliability bin: the ten equal-count bins, lowest strength first, then the bins by
/// strength value.
fn push_bins(listing: &mut Listing, name: &str, eval: &TieEval) {
    let deciles = (1..=10).map(|i| format!("decile {i}"));
    let edges = || std::iter::once(None).chain(score::VALUE_BINS.iter().copied().map(Some));
    let values = edges().zip(edges().skip(1).chain([None])).map(|(low, high)| match (low, high) {
        (None, Some(h)) => format!("< {h}"),
        (Some(l), Some(h)) => format!("{l}–{h}"),
        (Some(l), None) => format!(">= {l}"),
        (None, None) => String::new(),
    });
    let bins = eval.reliability.iter().chain(&eval.reliability_by_value);
    for (label, bin) in deciles.chain(values).zip(bins) {
        listing.push(vec![
            name.into(),
            label.into(),
            Cell::Int(bin.pairs as i64),
            Cell::Float(bin.mean_strength, 4),
            Cell::Float(bin.observed_rate, 4),
        ]);
    }
}

/// Parses a horizon: `30d`, `1d`, `12h`, or a bare number of seconds.
fn parse_horizon(text: &str) -> Result<i64, String> {
    time::parse_duration(text, 1)
        .ok_or_else(|| format!("'{text}' is not a horizon; use 30d, 1d, 12h or seconds"))
}
