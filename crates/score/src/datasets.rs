//! The public tie-strength suite, and a parser for its SNAP file formats.
//!
//! The suite names each dataset's file and its format as the importer knows it: `rapport eval ties`
//! imports them into a throwaway store, so the fit sees exactly the events the engine scores (an X
//! archive needs the importer). [`parse_events`] reads the three SNAP formats straight from a reader,
//! for benchmarks and tests of this crate alone; it does no IO of its own.

use std::collections::HashMap;
use std::io::BufRead;
use std::str::FromStr;

use rapport_model::snap::{SnapFormat, parse_line};
use rapport_model::time::DAY;
use rapport_model::{InteractionKind, Timestamp};

use crate::error::Error;
use crate::event::Event;
use crate::fit::{Fit, TrainingSet, fit};
use crate::weights::ScoreWeights;

/// A SNAP timestamped interaction format that [`parse_events`] reads without the importer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatasetFormat {
    /// SNAP temporal edges `SRC DST UNIXTS`, one message each (CollegeMsg): read as DMs.
    SnapTemporal,
    /// SNAP Higgs activity `A B UNIXTS RT|MT|RE`: A reposted, mentioned or replied to B.
    HiggsActivity,
    /// SNAP signed ratings `SOURCE,TARGET,RATING,TIME` (Bitcoin OTC): trust is an endorsement (a
    /// like), distrust the strongest negative tie (a block), and a zero rating is skipped, exactly as
    /// the importer reads them.
    BitcoinOtc,
}

impl DatasetFormat {
    /// The SNAP format whose lines this dataset format reads.
    pub fn snap(self) -> SnapFormat {
        match self {
            DatasetFormat::SnapTemporal => SnapFormat::Temporal,
            DatasetFormat::HiggsActivity => SnapFormat::Higgs,
            DatasetFormat::BitcoinOtc => SnapFormat::Signed,
        }
    }

    /// The format's name on the command line, the same as the importer's.
    pub fn as_str(self) -> &'static str {
        match self {
            DatasetFormat::SnapTemporal => "snap-temporal",
            DatasetFormat::HiggsActivity => "snap-higgs",
            DatasetFormat::BitcoinOtc => "snap-signed",
        }
    }
}

impl FromStr for DatasetFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [DatasetFormat::SnapTemporal, DatasetFormat::HiggsActivity, DatasetFormat::BitcoinOtc]
            .into_iter()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| Error::UnknownFormat(s.to_owned()))
    }
}

/// One dataset of the suite: where it is under the data folder and how it is split in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuiteEntry {
    /// A short name for tables.
    pub name: &'static str,
    /// The file or folder, relative to the data folder (`$RAPPORT_DATA`, by default
    /// `../shared/data`). A `*` in the last component stands for any text, so a folder named after
    /// a real person can be found without the repository carrying the name.
    pub path: &'static str,
    /// Its format, by the importer's name for it (`rapport import --format`).
    pub format: &'static str,
    /// The evaluation cutoff. The fit uses the [`FIT_WINDOWS`] horizons before it, so its labels
    /// end where the evaluation's features begin and no evaluated future is ever seen by the fit.
    pub eval_cutoff: Timestamp,
    /// The forecast horizon.
    pub horizon: Timestamp,
}

/// How many consecutive horizons before the evaluation cutoff the fit learns from, per dataset.
pub const FIT_WINDOWS: i64 = 3;

impl SuiteEntry {
    /// The format, if [`parse_events`] can read it without the importer.
    pub fn snap_format(&self) -> Option<DatasetFormat> {
        self.format.parse().ok()
    }

    /// The fit's training sets from this dataset's `events`: one per window, the latest ending at
    /// the evaluation cutoff.
    pub fn training_sets<'a>(&self, events: &'a [Event]) -> Vec<TrainingSet<'a>> {
        (1..=FIT_WINDOWS)
            .map(|k| TrainingSet {
                name: self.name,
                events,
                cutoff: self.eval_cutoff - k * self.horizon,
                horizon: self.horizon,
            })
            .collect()
    }
}

/// The public tie-strength suite: the shipped weights are fitted on it and evaluated on it.
///
/// Higgs covers only one week, so its horizon is one day rather than thirty. The X archive is one
/// person's own account: at its busiest (2015–2016) it has 13–20 pairs a month that interact again,
/// too few for a 30-day average precision to mean anything, so its horizon is 90 days, and its
/// windows lie in that busiest stretch.
pub const TIES_SUITE: [SuiteEntry; 4] = [
    SuiteEntry {
        name: "CollegeMsg",
        path: "snap-collegemsg/CollegeMsg.txt",
        format: "snap-temporal",
        eval_cutoff: 1_088_640_000, // 2004-07-01
        horizon: 30 * DAY,
    },
    SuiteEntry {
        name: "Higgs activity",
        path: "snap-higgs-twitter/higgs-activity_time.txt.gz",
        format: "snap-higgs",
        eval_cutoff: 1_341_532_800, // 2012-07-06
        horizon: DAY,
    },
    SuiteEntry {
        name: "Bitcoin OTC",
        path: "snap-bitcoin-otc/soc-sign-bitcoinotc.csv",
        format: "snap-signed",
        eval_cutoff: 1_356_998_400, // 2013-01-01
        horizon: 30 * DAY,
    },
    SuiteEntry {
        name: "X archive",
        path: "export-sample-twitter-archive/*-2022-11-14",
        format: "x",
        eval_cutoff: 1_459_468_800, // 2016-04-01
        horizon: 90 * DAY,
    },
];

/// Fits the model on the whole suite, given each [`TIES_SUITE`] dataset's events in suite order:
/// the shared model and its recalibration to each dataset (see [`fit`]).
pub fn fit_suite_per_dataset(datasets: &[Vec<Event>]) -> Fit {
    let sets: Vec<TrainingSet<'_>> = TIES_SUITE
        .iter()
        .zip(datasets)
        .flat_map(|(entry, events)| entry.training_sets(events))
        .collect();
    fit(&sets)
}

/// The shipped weights: [`fit_suite_per_dataset`]'s shared model, the feature weights fitted on
/// every dataset with [`crate::REFERENCE_DATASET`]'s intercept, and its one-sided model, which is
/// what `rapport eval ties --fit` runs and what `src/fitted.rs` is the output of.
///
/// Not the model Platt-recalibrated to CollegeMsg, which an earlier model measured as flatter and
/// no better calibrated on CollegeMsg's held-out month: its training windows see the network young
/// and the held-out month sees it old (EVALUATION.md has the reliability tables, from
/// `rapport eval ties --reliability`).
pub fn fit_suite(datasets: &[Vec<Event>]) -> (ScoreWeights, ScoreWeights) {
    let fit = fit_suite_per_dataset(datasets);
    (fit.shared, fit.one_sided)
}

/// Reads a dataset in `format`, renumbering accounts densely in order of first appearance. Lines
/// are read as the importer reads them (`rapport_model::snap`): a zero rating says nothing and is
/// skipped; temporal edges are messages (DMs).
pub fn parse_events(format: DatasetFormat, reader: impl BufRead) -> Result<Vec<Event>, Error> {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut dense = |name: &str| -> u32 {
        let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        *ids.entry(name.to_owned()).or_insert(next)
    };
    let mut events = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        let bad = |message: String| Error::BadLine { line: i + 1, message };
        let Some(parsed) = parse_line(&line, format.snap()).map_err(|e| bad(e.to_string()))? else {
            continue;
        };
        let kind = match (format, parsed.kind) {
            (_, Some(kind)) => kind,
            (DatasetFormat::SnapTemporal, None) => InteractionKind::Dm,
            (_, None) => continue,
        };
        let at = parsed.at.ok_or_else(|| bad("the line has no time".to_owned()))?;
        events.push(Event::new(dense(parsed.source), dense(parsed.target), kind, at));
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_events_reads_the_suite_formats_as_the_importer_does() {
        let cases = [
            (
                DatasetFormat::SnapTemporal,
                "# c\n10 20 100\n20 10 200\n",
                vec![(0, 1, InteractionKind::Dm, 100), (1, 0, InteractionKind::Dm, 200)],
            ),
            (
                DatasetFormat::HiggsActivity,
                "5 6 100 RT\n6 7 101 RE\n",
                vec![(0, 1, InteractionKind::Repost, 100), (1, 2, InteractionKind::Reply, 101)],
            ),
            (
                DatasetFormat::BitcoinOtc,
                "1,2,4,100\n1,3,0,101\n3,1,-9,102\n",
                vec![(0, 1, InteractionKind::Like, 100), (2, 0, InteractionKind::Block, 102)],
            ),
        ];
        for (format, text, want) in cases {
            let events = parse_events(format, text.as_bytes()).unwrap();
            let got: Vec<(u32, u32, InteractionKind, i64)> =
                events.iter().map(|e| (e.source, e.target, e.kind, e.at.unwrap())).collect();
            assert_eq!(got, want, "{format:?}");
        }
        let err = parse_events(DatasetFormat::HiggsActivity, "1 2 3 XX\n".as_bytes()).unwrap_err();
        assert_eq!(err.to_string(), "line 1: bad interaction 'XX': expected RT, MT or RE");
    }
}
