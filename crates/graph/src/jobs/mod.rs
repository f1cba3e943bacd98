//! Whole jobs on an edge-list file, as `rapport graph` runs them and a server could: load a file,
//! run one algorithm, and hand back plain results with the time each step took.
//!
//! Nodes in results are the ids of the file, not dense ids, so a front end prints them as they are.
//! Nothing here prints; the only IO is reading the input and writing the files a job is asked to.

mod communities;
mod generate;
mod load;
mod rank;
mod recommend;

pub use communities::{CommunitiesJob, CommunitiesResult, Community, CommunityMethod, communities};
pub use generate::{Generated, LfrJob, RmatJob, generate_lfr, generate_rmat};
pub use load::{EdgeInput, GraphSummary, LoadedGraph, load, summarize};
pub use rank::{RankJob, RankResult, rank};
pub use recommend::{
    Blend, Calibration, RecommendJob, RecommendMethod, RecommendResult, recommend,
};

pub use crate::GraphError;
pub use crate::parallel::with_threads;

/// A node by its id in the file, and its score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ranked {
    /// The node's id in the file.
    pub node: u64,
    /// Its score under the job's method.
    pub score: f64,
}

/// Dense `(node, score)` pairs as the file's ids.
fn by_file_id(ids: &crate::NodeIds, ranked: &[(u32, f64)]) -> Vec<Ranked> {
    ranked.iter().map(|&(v, score)| Ranked { node: ids.original(v), score }).collect()
}

/// Seconds since `start`.
fn seconds_since(start: std::time::Instant) -> f64 {
    start.elapsed().as_secs_f64()
}
