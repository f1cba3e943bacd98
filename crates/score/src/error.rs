//! The crate's one error type: the model itself never fails, only parsing names and dataset lines can.

/// What went wrong parsing a name or a dataset.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A trend name that is not one of the three.
    #[error("unknown trend '{0}' (expected one of warming, steady, cooling)")]
    UnknownTrend(String),
    /// A dataset format name that is not one of the suite's.
    #[error(
        "unknown dataset format '{0}' (expected one of snap-temporal, snap-higgs, snap-signed)"
    )]
    UnknownFormat(String),
    /// A dataset line that does not have the expected shape.
    #[error("line {line}: {message}")]
    BadLine {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it, and what was expected.
        message: String,
    },
    /// Reading the dataset failed.
    #[error("could not read the dataset")]
    Io(#[from] std::io::Error),
}
