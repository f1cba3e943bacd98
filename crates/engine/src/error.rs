//! The engine's error: user errors (bad input, unknown names) apart from internal ones.

/// What can go wrong in an engine call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be imported; the store is unchanged.
    #[error(transparent)]
    Import(#[from] rapport_import::ImportError),
    /// The user asked for something that cannot be done as asked; the message says what to do.
    #[error("{0}")]
    User(String),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] rapport_store::StoreError),
}

impl Error {
    /// True for errors caused by the user's input rather than by Rapport or the machine.
    pub fn is_user_error(&self) -> bool {
        matches!(self, Error::Import(_) | Error::User(_))
    }
}
