//! `rapport eval ties`: how well strength forecasts which pairs interact next, beside three simple
//! baselines on the same pairs, on one dataset file or on the public suite; `--fit` refits the
//! shipped weights and prints (or writes) the generated `crates/score/src/fitted.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use rapport_engine::model::time::{self, DAY};
use rapport_engine::score::{self, Event, ScoreWeights, TIES_SUITE, TieEval};
use rapport_engine::{Config, Engine, Format as ImportFormat, ImportOptions};

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
    /// How far after the cutoff an interaction counts (e.g. 30d, 1d, 12h)
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
        ])
    };
    let push = |listing: &mut Listing, name: &str, cutoff, horizon, eval: &TieEval| {
        if args.reliability {
            push_bins(listing, name, eval);
        } else {
            push_rows(listing, name, cutoff, horizon, eval);
        }
    };
    if let Some(path) = &args.data {
        let events = load(path, args.format.as_deref())?;
        let cutoff = args.cutoff.unwrap_or_default();
        let eval = score::evaluate(&events, cutoff, args.horizon, &ScoreWeights::default());
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        push(&mut listing, &name, cutoff, args.horizon, &eval);
    } else {
        let data = TIES_SUITE
            .iter()
            .map(|entry| load(&suite_path(&args.data_dir, entry.path)?, Some(entry.format)))
            .collect::<anyhow::Result<Vec<_>>>()
            .context(
                "loading the public suite; point --data-dir (or RAPPORT_DATA) at the data folder",
            )?;
        let weights = if args.fit { score::fit_suite(&data) } else { ScoreWeights::default() };
        if args.fit {
            let source = score::weights_source(&weights);
            match &args.write {
                Some(file) => std::fs::write(file, source)
                    .with_context(|| format!("writing {}", file.display()))?,
                None => write!(crate::commands::stdout(), "{source}")?,
            }
        }
        for (entry, events) in TIES_SUITE.iter().zip(&data) {
            let eval = score::evaluate(events, entry.eval_cutoff, entry.horizon, &weights);
            push(&mut listing, entry.name, entry.eval_cutoff, entry.horizon, &eval);
        }
    }
    listing.print(args.output, &mut crate::commands::stdout())?;
    Ok(ExitCode::SUCCESS)
}

/// One row per score: strength, then the baselines.
fn push_rows(listing: &mut Listing, name: &str, cutoff: i64, horizon: i64, eval: &TieEval) {
    let scores = [
        ("strength", eval.strength),
        ("count", eval.count),
        ("recency", eval.recency),
        ("decayed count", eval.decayed),
    ];
    for (score, m) in scores {
        listing.push(vec![
            name.into(),
            time::format_date(cutoff).into(),
            format!("{}d", horizon as f64 / DAY as f64).into(),
            Cell::Int(eval.pairs as i64),
            Cell::Int(eval.positives as i64),
            score.into(),
            Cell::Float(m.roc_auc, 4),
            Cell::Float(m.average_precision, 4),
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

/// Imports `path` into a throwaway store and reads its interactions back as the model's events.
fn load(path: &Path, format: Option<&str>) -> anyhow::Result<Vec<Event>> {
    let format = format.map(str::parse::<ImportFormat>).transpose().map_err(anyhow::Error::msg)?;
    let dir = std::env::temp_dir().join(format!("rapport-eval-ties-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let events = (|| -> anyhow::Result<Vec<Event>> {
        let engine = Engine::open(&Config::with_db(dir.join("eval.db")))?;
        let options = ImportOptions { format, ..ImportOptions::default() };
        engine.import(&[path.to_owned()], &options, &mut Bar::new())?;
        Ok(engine.read()?.score_events()?)
    })();
    // The store is scratch either way; failing to remove it must not hide the real outcome.
    let _ = std::fs::remove_dir_all(&dir);
    events.with_context(|| format!("reading {}", path.display()))
}

/// The suite file or folder `path` under `dir`, where a `*` in the last component matches any text
/// (exactly one entry must match, so the suite never silently reads a different dataset).
fn suite_path(dir: &Path, path: &str) -> anyhow::Result<PathBuf> {
    let full = dir.join(path);
    let Some((before, after)) = path.rsplit('/').next().and_then(|last| last.split_once('*'))
    else {
        return Ok(full);
    };
    let parent = full.parent().unwrap_or(dir);
    let matches: Vec<PathBuf> = std::fs::read_dir(parent)
        .with_context(|| format!("reading {}", parent.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.len() >= before.len() + after.len() && n.starts_with(before) && n.ends_with(after)
            })
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.clone()),
        _ => anyhow::bail!(
            "{}: expected exactly one match in {}, found {}",
            path,
            parent.display(),
            matches.len()
        ),
    }
}

/// Parses a horizon such as `30d`, `1d`, `12h` or a number of seconds.
fn parse_horizon(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().last() {
        Some((i, 'd')) => (&text[..i], DAY),
        Some((i, 'h')) => (&text[..i], 3600),
        _ => (text, 1),
    };
    number
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(|n| n * unit)
        .ok_or_else(|| format!("'{text}' is not a horizon; use 30d, 1d, 12h or seconds"))
}
