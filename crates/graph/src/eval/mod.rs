//! Accuracy evaluation behind `rapport eval discover|groups`: link prediction on held-out edges
//! and community agreement with ground truth, and the public suites they run on.

mod community;
pub(crate) mod holdout;
mod linkpred;
mod suites;

pub use community::{f1_best_match, nmi, overlapping_nmi};
pub use linkpred::{
    LinkPredictionParams, LinkPredictionReport, MethodScore, evaluate_link_prediction,
};
pub use suites::{
    DISCOVER_SUITE, DiscoverRow, DiscoverSuiteJob, GROUPS_SUITE, GroupsRow, GroupsSuiteJob,
    SuiteGraph, SuiteRun, SuiteTruth, TruthGraph, evaluate_discover_suite, evaluate_groups_suite,
};
