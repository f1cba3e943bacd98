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
    /// A process of the job could not be reached within the connection timeout.
    #[error(
        "process {process} could not connect to every process of the job: process {peer} at {address} did not answer within {seconds} s; start all processes with the same hosts, or check that the hosts are reachable"
    )]
    Unreachable {
        /// This process.
        process: usize,
        /// The first process that did not answer.
        peer: usize,
        /// Its address.
        address: String,
        /// The timeout, in seconds.
        seconds: u64,
    },
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
    /// Whether the user can fix the cause (the input, the flags, the hosts), rather than a
    /// process, the network or the machine having failed.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Self::Io { .. }
                | Self::Parse { .. }
                | Self::Cluster(_)
                | Self::Unsupported(_)
                | Self::Graph(_)
        )
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }
}
