//! The crate's one error type: only reading input can fail; the algorithms are infallible.

use std::path::PathBuf;

/// What went wrong while reading or assembling a graph, and where.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// A file could not be opened, read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// One line of an edge-list file is malformed.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file holding the line (`<memory>` for in-memory text).
        path: PathBuf,
        /// The 1-based line number.
        line: u64,
        /// What is wrong with the line and what was expected.
        message: String,
    },
    /// A ground-truth (communities or circles) file does not have the expected shape.
    #[error("{path}: {message}")]
    Format {
        /// The file that failed.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The edges are valid one by one but do not fit the engine (too many nodes for u32 ids).
    #[error("graph too large: {0}")]
    TooLarge(String),
    /// The worker threads could not be started.
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// A node asked for does not appear in the file.
    #[error("node {node} does not appear in {path}")]
    UnknownNode {
        /// The node, by its id in the file.
        node: u64,
        /// The file read.
        path: PathBuf,
    },
    /// A dataset asked for is not in the suite.
    #[error("unknown dataset '{name}'; choose from {known}")]
    UnknownDataset {
        /// The name asked for.
        name: String,
        /// The suite's names, comma separated.
        known: String,
    },
    /// In-memory input is inconsistent (for example one weight per edge was expected).
    #[error("invalid input: {0}")]
    Invalid(String),
}

impl GraphError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }
}
