//! The crate's one error type: what went wrong in a distributed job, and where.

use std::path::PathBuf;

use rapport_graph::GraphError;

/// Why a distributed graph job failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DistError {
    /// A file could not be opened, read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The edge list, or a list of users, could not be read.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// A line of the edge list is malformed.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The edge list.
        path: PathBuf,
        /// The 1-based line number in the whole file.
        line: u64,
        /// What is wrong with the line.
        message: String,
    },
    /// The hosts file or the process flags do not describe a cluster.
    #[error("{0}")]
    Cluster(String),
    /// The input cannot be read by a distributed job (it can by the in-memory one).
    #[error("{0}")]
    Unsupported(String),
    /// Another worker failed; its own process reports why.
    #[error(
        "worker {worker} failed, so the job stopped on every worker and wrote no output; see that worker's process for the reason"
    )]
    Peer {
        /// The lowest index of a failed worker.
        worker: usize,
    },
    /// Timely could not start the workers, or a worker thread panicked.
    #[error("the workers could not run: {0}")]
    Workers(String),
}

impl DistError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }
}
