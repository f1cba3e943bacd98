//! The crate's one error type: only loading data and model files can fail; checking a draft cannot.

use std::path::PathBuf;

/// What went wrong while reading training data or a model file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A data or output file could not be read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A data file is not in the documented format.
    #[error("{path}, record {record}: {message}")]
    Data {
        /// The file.
        path: PathBuf,
        /// The 1-based record number, or 0 for the file as a whole.
        record: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A model file is not a valid rapport-check model.
    #[error("not a rapport-check model file: {0}")]
    Model(String),
}
