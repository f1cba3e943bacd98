//! Accuracy evaluation behind `rapport eval discover|groups`: link prediction on held-out edges
//! and community agreement with ground truth.

mod community;
pub(crate) mod holdout;
mod linkpred;

pub use community::{f1_best_match, nmi, overlapping_nmi};
pub use linkpred::{
    LinkPredictionParams, LinkPredictionReport, MethodScore, evaluate_link_prediction,
};
