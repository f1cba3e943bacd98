//! `rapport graph rank`: the top nodes of a file by PageRank.

use std::time::Instant;

use super::{EdgeInput, Ranked, by_file_id, load, seconds_since};
use crate::GraphError;
use crate::algo::pagerank::{PageRankParams, pagerank};

/// What to rank and how.
#[derive(Clone, Debug)]
pub struct RankJob {
    /// Damping factor.
    pub damping: f64,
    /// Stop when the L1 change between iterations is below this.
    pub tolerance: f64,
    /// How many top nodes to return.
    pub limit: usize,
}

/// The top nodes by PageRank and how the run went.
#[derive(Clone, Debug)]
pub struct RankResult {
    /// Seconds to read the file and build the graph.
    pub load_seconds: f64,
    /// Seconds PageRank took.
    pub pagerank_seconds: f64,
    /// Iterations run.
    pub iterations: usize,
    /// The L1 change of the last iteration.
    pub final_l1_change: f64,
    /// The top nodes, highest score first (ties by dense id, so the order is stable).
    pub top: Vec<Ranked>,
}

/// Loads `input` and ranks its nodes by PageRank.
pub fn rank(input: &EdgeInput, job: &RankJob) -> Result<RankResult, GraphError> {
    let g = load(input)?;
    let start = Instant::now();
    let params = PageRankParams {
        damping: job.damping,
        tolerance: job.tolerance,
        ..PageRankParams::default()
    };
    let pr = pagerank(&g.csr, &params);
    let pagerank_seconds = seconds_since(start);
    let mut ranked: Vec<(u32, f64)> =
        pr.scores.iter().enumerate().map(|(v, &s)| (v as u32, s)).collect();
    ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(job.limit);
    Ok(RankResult {
        load_seconds: g.load_seconds(),
        pagerank_seconds,
        iterations: pr.iterations,
        final_l1_change: pr.delta,
        top: by_file_id(g.csr.ids(), &ranked),
    })
}
