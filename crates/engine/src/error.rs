//! The engine's error: what the user asked that cannot be done (a 4xx for a server, exit code 1 for
//! the CLI) apart from what failed in Rapport or the machine (a 5xx, exit code 3).
//!
//! Messages say what went wrong in the engine's terms; how to fix it with a command belongs to the
//! front end, which knows its own commands (see the CLI's hints).

use std::path::PathBuf;

/// What can go wrong in an engine call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be imported; the store is unchanged.
    #[error(transparent)]
    Import(#[from] rapport_import::ImportError),
    /// A workspace's folder (for the files kept beside its store) could not be made.
    #[error("cannot create the folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] rapport_store::StoreError),
    /// No account is marked as the user's own, and the question named none.
    #[error("Rapport does not know which account is yours")]
    NoMe,
    /// No account in the store matches.
    #[error("no account '{query}' in the store")]
    UnknownAccount {
        /// What was asked for.
        query: String,
    },
    /// Several accounts match where one is needed.
    #[error("'{query}' names {} accounts; say which: {}", candidates.len(), candidates.join(", "))]
    AmbiguousAccount {
        /// What was asked for.
        query: String,
        /// Each match, as `network:handle`.
        candidates: Vec<String>,
    },
    /// The account the view is from has no interactions to compute anything from.
    #[error("{account} has no interactions in the store")]
    NoInteractions {
        /// The account.
        account: String,
        /// True when the view is another account's (`--as`), not the user's own.
        as_another: bool,
    },
    /// The user and this person have no history (as of the moment asked).
    #[error("you have no history with '{query}' yet (as of the time asked)")]
    NoHistory {
        /// The person asked for.
        query: String,
    },
    /// A merge needs at least two accounts.
    #[error("name at least two accounts to merge")]
    MergeNeedsTwo,
    /// A split of an account that is not merged.
    #[error("{account} is not merged with any other account")]
    NotMerged {
        /// The account.
        account: String,
    },
    /// No setting has this key.
    #[error("unknown setting '{key}'; the settings are {}", known.join(", "))]
    UnknownSetting {
        /// The key asked for.
        key: String,
        /// The settings there are.
        known: Vec<&'static str>,
    },
    /// A setting's key or value is not valid.
    #[error("'{value}' is not a valid {key}: {reason}")]
    InvalidSetting {
        /// The setting.
        key: String,
        /// The value given.
        value: String,
        /// What is wrong and what is expected.
        reason: String,
    },
    /// Not the id of a daily action.
    #[error("'{id}' is not an action id")]
    InvalidActionId {
        /// What was given.
        id: String,
    },
    /// The thread reading a file stopped without an answer (a panic in an importer).
    #[error("reading {path} failed unexpectedly")]
    ReaderFailed {
        /// The file.
        path: PathBuf,
    },
    /// The store refused a record in the middle of an import; the import was rolled back.
    #[error("could not store a record of {path}: {reason}")]
    WriteFailed {
        /// The file.
        path: PathBuf,
        /// The store's reason.
        reason: String,
    },
}

impl Error {
    /// True for errors caused by the user's input or question rather than by Rapport or the
    /// machine: a server answers them with a 4xx, the CLI with exit code 1.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Import(_)
            | Error::NoMe
            | Error::UnknownAccount { .. }
            | Error::AmbiguousAccount { .. }
            | Error::NoInteractions { .. }
            | Error::NoHistory { .. }
            | Error::MergeNeedsTwo
            | Error::NotMerged { .. }
            | Error::UnknownSetting { .. }
            | Error::InvalidSetting { .. }
            | Error::InvalidActionId { .. } => true,
            // A store that cannot be opened where the user pointed, or that a newer Rapport wrote,
            // is the user's to fix; anything else the store reports is not.
            Error::Store(e) => e.is_user_error(),
            Error::Io { .. }
            | Error::Folder { .. }
            | Error::ReaderFailed { .. }
            | Error::WriteFailed { .. } => false,
        }
    }

    /// True when the thing asked for does not exist (an account, a person's history): a server
    /// answers 404 rather than 400.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Error::UnknownAccount { .. } | Error::NoHistory { .. } | Error::NoInteractions { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_errors_are_told_apart_from_internal_ones() {
        let cases: [(Error, bool, bool); 6] = [
            (Error::NoMe, true, false),
            (Error::UnknownAccount { query: "ada".into() }, true, true),
            (Error::NoHistory { query: "ada".into() }, true, true),
            (Error::InvalidActionId { id: "x".into() }, true, false),
            (Error::ReaderFailed { path: "a.zip".into() }, false, false),
            (Error::WriteFailed { path: "a.zip".into(), reason: "disk full".into() }, false, false),
        ];
        for (error, user, not_found) in cases {
            assert_eq!(error.is_user_error(), user, "{error}");
            assert_eq!(error.is_not_found(), not_found, "{error}");
        }
    }

    #[test]
    fn ambiguity_names_every_candidate() {
        let e = Error::AmbiguousAccount {
            query: "ada".into(),
            candidates: vec!["mastodon:ada".into(), "bluesky:ada".into()],
        };
        assert_eq!(e.to_string(), "'ada' names 2 accounts; say which: mastodon:ada, bluesky:ada");
    }
}
