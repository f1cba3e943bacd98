//! Reproducible accuracy figures: the model retrained on cross-source splits of the public data and
//! scored on a source it never saw.
//!
//! The splits can be written to disk so that another tool (the scikit-learn baseline in
//! `bench/check/`) trains and tests on exactly the same texts in the same run.

use std::fmt::Write as _;
use std::path::Path;

use crate::Error;
use crate::data::{self, Example, Source};
use crate::metrics::{Metrics, metrics};
use crate::model::Head;
use crate::text::{finish, mix};
use crate::train::{Choice, Sample, train};

/// The decision threshold used for precision, recall and F1.
pub const THRESHOLD: f32 = 0.5;

/// One train/test split.
#[derive(Clone, Debug)]
pub struct Split {
    /// Stable name, e.g. `youtube-lmfao` (the held-out source).
    pub name: &'static str,
    /// Which head the split trains.
    pub head: Head,
    /// What is trained on and what is tested, in words.
    pub description: &'static str,
    /// Training texts, labels and sources.
    pub train: Vec<Example>,
    /// Test texts, labels and sources.
    pub test: Vec<Example>,
}

/// The result of one split.
#[derive(Clone, Debug)]
pub struct SplitResult {
    /// The split's name.
    pub name: &'static str,
    /// What was trained on and tested.
    pub description: &'static str,
    /// Training set size.
    pub train_size: usize,
    /// Test set size.
    pub test_size: usize,
    /// Positives in the test set.
    pub test_positives: usize,
    /// Metrics of the retrained model on the test set.
    pub metrics: Metrics,
    /// The penalty and threshold cross-validation on the training sources chose.
    pub choice: Option<Choice>,
}

/// Builds the evaluation splits from a loaded corpus.
///
/// Promotional: hold out each YouTube channel in turn (train on the other two plus SMS), then hold
/// out SMS (train on the three channels). Bait: the headline corpus names no per-line source, so it
/// is split 80/20 by a fixed hash of each headline, which is a random split, not a cross-source one.
pub fn splits(corpus: &[Example]) -> Vec<Split> {
    let pairs = |keep: &dyn Fn(&Example) -> bool| -> Vec<Example> {
        corpus.iter().filter(|e| keep(e)).cloned().collect()
    };
    let promotional = |e: &Example| e.source != Source::Clickbait;
    let mut out = Vec::new();
    for (held_out, name, description) in [
        (
            Source::YoutubePsy,
            "youtube-psy",
            "train YouTube KatyPerry+LMFAO and SMS, test YouTube Psy",
        ),
        (
            Source::YoutubeKatyPerry,
            "youtube-katyperry",
            "train YouTube Psy+LMFAO and SMS, test YouTube KatyPerry",
        ),
        (
            Source::YoutubeLmfao,
            "youtube-lmfao",
            "train YouTube Psy+KatyPerry and SMS, test YouTube LMFAO",
        ),
        (Source::Sms, "sms", "train the three YouTube channels, test SMS"),
    ] {
        out.push(Split {
            name,
            head: Head::Promotional,
            description,
            train: pairs(&|e| promotional(e) && e.source != held_out),
            test: pairs(&|e| e.source == held_out),
        });
    }
    let in_test = |e: &Example| {
        let hash = e.text.bytes().fold(0u64, |h, b| mix(h, u32::from(b)));
        finish(hash).is_multiple_of(5)
    };
    out.push(Split {
        name: "clickbait",
        head: Head::Bait,
        description: "headlines, fixed-hash 80/20 split (no per-line source to hold out)",
        train: pairs(&|e| e.source == Source::Clickbait && !in_test(e)),
        test: pairs(&|e| e.source == Source::Clickbait && in_test(e)),
    });
    out
}

/// Retrains the model on each split and scores its test set.
///
/// With `write_to`, each split is also written as `<dir>/<name>/{train,test}.tsv` (`label<TAB>text`
/// per line, label 1 or 0) for other tools.
pub fn eval(data_dir: &Path, write_to: Option<&Path>) -> Result<Vec<SplitResult>, Error> {
    let corpus = data::load(data_dir)?;
    let mut results = Vec::new();
    for split in splits(&corpus) {
        if let Some(dir) = write_to {
            write_split(dir, &split)?;
        }
        results.push(run_split(&split));
    }
    Ok(results)
}

fn run_split(split: &Split) -> SplitResult {
    let samples: Vec<Sample<'_>> = split
        .train
        .iter()
        .map(|e| {
            let label = Some(e.positive);
            Sample {
                text: &e.text,
                group: e.source as u32,
                promotional: (split.head == Head::Promotional).then_some(label).flatten(),
                bait: (split.head == Head::Bait).then_some(label).flatten(),
            }
        })
        .collect();
    let (model, choices) = train(&samples);
    let scores: Vec<f32> =
        split.test.iter().map(|e| model.scores(&e.text).get(split.head)).collect();
    let labels: Vec<bool> = split.test.iter().map(|e| e.positive).collect();
    SplitResult {
        name: split.name,
        description: split.description,
        train_size: split.train.len(),
        test_size: split.test.len(),
        test_positives: labels.iter().filter(|y| **y).count(),
        metrics: metrics(&scores, &labels, THRESHOLD),
        choice: choices[split.head.slot()],
    }
}

fn write_split(dir: &Path, split: &Split) -> Result<(), Error> {
    let folder = dir.join(split.name);
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(&folder).map_err(io(&folder))?;
    for (file, rows) in [("train.tsv", &split.train), ("test.tsv", &split.test)] {
        let mut body = String::new();
        for e in rows {
            let _ = writeln!(body, "{}\t{}", u8::from(e.positive), e.text);
        }
        let path = folder.join(file);
        std::fs::write(&path, body).map_err(io(&path))?;
    }
    Ok(())
}
