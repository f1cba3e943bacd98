//! Rapport's graph jobs across processes, on timely dataflow: PageRank, connected components,
//! label-propagation communities and batch who-to-follow (`recommend-all`), giving the in-memory
//! engine's answers (`rapport-graph`) on graphs past one machine.
//!
//! Every worker (a thread of one of the processes) reads its own byte range of the edge list,
//! owns the nodes that hash to it, and takes part in a few bulk-synchronous rounds
//! ([`round`]); timely carries the records between workers and processes and tells each worker
//! when a round is complete. Each worker writes its share of the answer to `out.W` in the output
//! directory, only once every worker has finished. Differential dataflow is not used: its
//! strength is maintaining results under changing input, while these are batch jobs over a
//! fixed snapshot whose loops are cheaper as plain per-worker arrays between rounds.

mod cluster;
mod components;
mod connect;
mod error;
mod job;
mod label_prop;
mod nodes;
mod output;
mod owned;
mod pagerank;
mod partial;
mod parts;
mod recommend;
mod round;
mod split;

use std::path::PathBuf;

pub use cluster::{Cluster, PEER_LOST_STATUS};
pub use components::{ComponentsOutcome, components};
pub use error::DistError;
pub use label_prop::{CommunitiesOutcome, LabelPropagationParams, communities};
pub use pagerank::{RankOutcome, RankParams, rank};
pub use recommend::{RecommendAllParams, RecommendOutcome, recommend_all};

/// The edge list a job reads and where it writes.
#[derive(Debug, Clone)]
pub struct JobInput {
    /// An uncompressed edge list, `a b` per line (the in-memory engine's format; no weights).
    pub file: PathBuf,
    /// Edges are directed (a follows b); otherwise undirected.
    pub directed: bool,
    /// The directory each worker writes its `out.W` file to; `None` writes nothing.
    pub output: Option<PathBuf>,
}

/// What the workers sent each other, summed over every worker of the job.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Rounds (epochs of progress tracking) the job took.
    pub rounds: u64,
    /// Records sent, to any worker (itself included).
    pub records: u64,
    /// Records sent to a worker in another process (over TCP).
    pub remote_records: u64,
    /// Bytes of those records.
    pub remote_bytes: u64,
}
