//! Tie strength's forecasting evaluation on the public suite or one dataset file: each dataset is
//! imported into a throwaway store, so the model sees exactly the events the engine scores, and
//! `--fit` refits the shipped weights on the suite.

use std::path::{Path, PathBuf};

use rapport_import::Format;
use rapport_model::Timestamp;
use rapport_score::{Event, ScoreWeights, TIES_SUITE, TieEval};

use super::EvalError;
use crate::{Config, Engine, ImportOptions, Progress};

/// What to evaluate tie strength on.
#[derive(Clone, Debug)]
pub enum TiesData {
    /// The public suite under `data_dir`, with the shipped weights or, with `fit`, weights refitted
    /// on the suite itself.
    Suite {
        /// The folder holding the public datasets.
        data_dir: PathBuf,
        /// Refit the weights on the suite before evaluating.
        fit: bool,
    },
    /// One dataset file, with the shipped weights.
    File {
        /// The file.
        path: PathBuf,
        /// Its format (detected when `None`).
        format: Option<Format>,
        /// Features are taken as of this moment; what follows is forecast.
        cutoff: Timestamp,
        /// How far after the cutoff an interaction counts.
        horizon: Timestamp,
    },
}

/// One dataset's evaluation.
#[derive(Clone, Debug)]
pub struct TiesRow {
    /// The dataset's name (a file's own name for a single file).
    pub dataset: String,
    /// The cutoff.
    pub cutoff: Timestamp,
    /// The horizon.
    pub horizon: Timestamp,
    /// Strength and the baselines, and strength's reliability.
    pub eval: TieEval,
}

/// The evaluation and, when the weights were refitted, the generated `fitted.rs` source.
#[derive(Clone, Debug)]
pub struct TiesRun {
    /// The source of `crates/score/src/fitted.rs` for the refitted weights.
    pub fitted_source: Option<String>,
    /// One row per dataset, in suite order.
    pub rows: Vec<TiesRow>,
}

/// Evaluates tie strength on `data`; `progress` follows each dataset's import.
pub fn evaluate_ties(data: &TiesData, progress: &mut dyn Progress) -> Result<TiesRun, EvalError> {
    match data {
        TiesData::File { path, format, cutoff, horizon } => {
            let events = load(path, *format, progress)?;
            let eval = rapport_score::evaluate(
                &events,
                *cutoff,
                *horizon,
                &ScoreWeights::default(),
                &ScoreWeights::one_sided(),
            );
            let dataset = path
                .file_name()
                .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            let row = TiesRow { dataset, cutoff: *cutoff, horizon: *horizon, eval };
            Ok(TiesRun { fitted_source: None, rows: vec![row] })
        }
        TiesData::Suite { data_dir, fit } => {
            let data = TIES_SUITE
                .iter()
                .map(|entry| {
                    let format = entry
                        .format
                        .parse::<Format>()
                        .map_err(|_| EvalError::SuiteFormat(entry.format.to_owned()))?;
                    load(&suite_path(data_dir, entry.path)?, Some(format), progress)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let (weights, one_sided) = if *fit {
                rapport_score::fit_suite(&data)
            } else {
                (ScoreWeights::default(), ScoreWeights::one_sided())
            };
            let rows = TIES_SUITE
                .iter()
                .zip(&data)
                .map(|(entry, events)| TiesRow {
                    dataset: entry.name.to_owned(),
                    cutoff: entry.eval_cutoff,
                    horizon: entry.horizon,
                    eval: rapport_score::evaluate(
                        events,
                        entry.eval_cutoff,
                        entry.horizon,
                        &weights,
                        &one_sided,
                    ),
                })
                .collect();
            let fitted_source = fit.then(|| rapport_score::weights_source(&weights, &one_sided));
            Ok(TiesRun { fitted_source, rows })
        }
    }
}

/// Imports `path` into a throwaway store and reads its interactions back as the model's events.
pub(super) fn load(
    path: &Path,
    format: Option<Format>,
    progress: &mut dyn Progress,
) -> Result<Vec<Event>, EvalError> {
    let dir = std::env::temp_dir().join(format!("rapport-eval-ties-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| EvalError::Io { path: dir.clone(), source })?;
    let events = (|| -> crate::Result<Vec<Event>> {
        let engine = Engine::open(&Config::with_db(dir.join("eval.db")))?;
        let options = ImportOptions { format, ..ImportOptions::default() };
        engine.import(&[path.to_owned()], &options, progress)?;
        engine.read()?.score_events()
    })();
    // The store is scratch either way; failing to remove it must not hide the real outcome.
    let _ = std::fs::remove_dir_all(&dir);
    events.map_err(|e| EvalError::Dataset { path: path.to_owned(), source: Box::new(e) })
}

/// The suite file or folder `pattern` under `dir`, where a `*` in the last component matches any
/// text (exactly one entry must match, so the suite never silently reads a different dataset).
pub(super) fn suite_path(dir: &Path, pattern: &'static str) -> Result<PathBuf, EvalError> {
    let full = dir.join(pattern);
    let Some((before, after)) = pattern.rsplit('/').next().and_then(|last| last.split_once('*'))
    else {
        return Ok(full);
    };
    let parent = full.parent().unwrap_or(dir);
    let entries = std::fs::read_dir(parent)
        .map_err(|source| EvalError::Io { path: parent.to_owned(), source })?;
    let matches: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.len() >= before.len() + after.len() && n.starts_with(before) && n.ends_with(after)
            })
        })
        .collect();
    match <[PathBuf; 1]>::try_from(matches) {
        Ok([one]) => Ok(one),
        Err(matches) => {
            Err(EvalError::SuiteMatch { pattern, dir: parent.to_owned(), found: matches.len() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suite_pattern_must_match_exactly_one_entry() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["ada-2022-11-14", "bram-2021-01-01", "cleo-2022-11-14"] {
            std::fs::create_dir(dir.path().join("sub").join(name)).unwrap();
        }
        let plain = suite_path(dir.path(), "sub/plain.txt").unwrap();
        assert_eq!(plain, dir.path().join("sub/plain.txt"), "no star: taken as is");
        let one = suite_path(dir.path(), "sub/bram-*").unwrap();
        assert_eq!(one, dir.path().join("sub/bram-2021-01-01"));
        let two = suite_path(dir.path(), "sub/*-2022-11-14").unwrap_err().to_string();
        assert!(two.contains("found 2"), "{two}");
        let none = suite_path(dir.path(), "sub/dana-*").unwrap_err().to_string();
        assert!(none.contains("found 0"), "{none}");
    }
}
