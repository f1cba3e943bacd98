//! Reproducible accuracy figures on public data, each beside simple baselines: what
//! `rapport eval` prints and a server could offer.
//!
//! Tie strength needs the importers and a store, so its run lives here ([`evaluate_ties`]); the
//! other evaluations belong to the crate that owns each computation and are re-exported as they
//! are: link prediction and communities from `rapport-graph`, the draft checker's cross-source
//! splits from `rapport-check` (whose retraining is compared with the shipped model here,
//! [`retrain_check_model`]).

mod check;
mod strength;
mod ties;

use std::path::PathBuf;

pub use check::{Retrained, retrain_check_model};
pub use rapport_check::eval::{SplitResult, eval as evaluate_check};
pub use rapport_graph::eval::{
    DiscoverRow, DiscoverSuiteJob, GroupsRow, GroupsSuiteJob, LinkPredictionParams, SuiteRun,
    evaluate_discover_suite, evaluate_groups_suite,
};
pub use strength::{StrengthRow, evaluate_strength};
pub use ties::{TiesData, TiesRow, TiesRun, evaluate_ties};

/// What can go wrong in an evaluation: the data is missing or malformed, or the engine failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A dataset could not be imported or read back.
    #[error("reading {path}: {source}")]
    Dataset {
        /// The dataset's file or folder.
        path: PathBuf,
        /// What failed.
        #[source]
        source: Box<crate::Error>,
    },
    /// A suite entry names a file that is not there exactly once.
    #[error("{pattern}: expected exactly one match in {dir}, found {found}")]
    SuiteMatch {
        /// The entry's path pattern, relative to the data folder.
        pattern: &'static str,
        /// The folder searched.
        dir: PathBuf,
        /// How many entries matched.
        found: usize,
    },
    /// A suite entry names a format the importer does not know (a bug in the suite table).
    #[error("unknown format {0} in the suite")]
    SuiteFormat(String),
    /// A file or folder could not be read, or scratch space could not be made.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The reason.
        #[source]
        source: std::io::Error,
    },
    /// The draft checker's data could not be read or trained on.
    #[error(transparent)]
    Check(#[from] rapport_check::Error),
}
