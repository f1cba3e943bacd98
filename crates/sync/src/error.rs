//! The one error type of the sync crate: every variant names the endpoint or file and says what to do.

use std::path::PathBuf;

/// What can go wrong while connecting or syncing an account.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be reached, or did not answer in time.
    #[error("{endpoint}: {why}; check the address and the connection, then run the command again")]
    Network {
        /// The endpoint called.
        endpoint: String,
        /// What happened (a refused connection, a timeout).
        why: String,
    },
    /// The server answered with an error status that retrying does not fix.
    #[error("{endpoint} answered {status}{}", detail(.code, .message))]
    Status {
        /// The endpoint called.
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// The error code of the body (`error` of XRPC and Mastodon bodies), when it has one.
        code: String,
        /// The human message of the body, when it has one.
        message: String,
    },
    /// The credentials were refused: expired, revoked, or a wrong password.
    #[error(
        "{endpoint} refused the credentials of {account}{}; run `rapport connect {network} {account}` again",
        detail(.code, .message)
    )]
    Unauthorized {
        /// The endpoint called.
        endpoint: String,
        /// The account, as `rapport connect` takes it (a handle, an instance).
        account: String,
        /// `bluesky` or `mastodon`.
        network: &'static str,
        /// The server's error code.
        code: String,
        /// The server's message.
        message: String,
    },
    /// The server announced or sent a body larger than allowed for the endpoint.
    #[error(
        "{endpoint} sent a body of {size} bytes or more, over the limit of {limit} bytes; nothing was stored from it"
    )]
    TooLarge {
        /// The endpoint called.
        endpoint: String,
        /// The size announced, or read before stopping.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The body is not the JSON the endpoint documents.
    #[error(
        "{endpoint} sent malformed JSON at line {line}, column {column}: {why}; nothing was stored from it"
    )]
    Json {
        /// The endpoint called.
        endpoint: String,
        /// The line of the fault, from 1.
        line: usize,
        /// The column of the fault, from 1.
        column: usize,
        /// What was wrong.
        why: String,
    },
    /// The server handed out a cursor it had given before, or more pages than any account has.
    #[error(
        "{endpoint} {why}; stopped so that sync cannot loop forever (what came before is stored)"
    )]
    Cursor {
        /// The endpoint called.
        endpoint: String,
        /// What the server did.
        why: String,
    },
    /// The server kept refusing (429 or 5xx) after every retry, or asked for a longer wait than allowed.
    #[error("{endpoint} {why}; run `rapport sync` again later, it resumes where it stopped")]
    GaveUp {
        /// The endpoint called.
        endpoint: String,
        /// What it kept answering.
        why: String,
    },
    /// A stream sent a frame that cannot be read; what came before it is stored.
    #[error(
        "{endpoint} sent a malformed frame ({}): {why}; what came before it is stored",
        seq.map_or_else(|| format!("after seq {}", after.map_or_else(|| "none".to_owned(), |a| a.to_string())), |s| format!("seq {s}"))
    )]
    Frame {
        /// The stream's endpoint.
        endpoint: String,
        /// The frame's sequence number, when it could be read.
        seq: Option<i64>,
        /// The sequence number of the last frame read before it.
        after: Option<i64>,
        /// What is wrong.
        why: String,
    },
    /// The credentials file could not be read or written.
    #[error("credentials file {}: {why}", path.display())]
    Credentials {
        /// The file.
        path: PathBuf,
        /// What went wrong and what to do.
        why: String,
    },
    /// The store refused a batch; the batch was not written.
    #[error("could not store what {phase} read: {why}")]
    Store {
        /// The phase whose batch failed.
        phase: String,
        /// The store's error.
        why: String,
    },
    /// The user's input (an account, an instance, a code) cannot be used.
    #[error("{0}")]
    Input(String),
}

/// `: code: message`, `: code`, or nothing.
fn detail(code: &str, message: &str) -> String {
    match (code, message) {
        ("", "") => String::new(),
        (one, "") | ("", one) => format!(" ({one})"),
        (code, message) => format!(" ({code}: {message})"),
    }
}

/// The result type of the crate.
pub type Result<T, E = SyncError> = std::result::Result<T, E>;
