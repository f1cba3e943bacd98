//! Errors: the crate's own (starting the server) and the one table every HTTP error comes from,
//! answered as JSON `{"error": code, "message": ...}` by the API and as a page by the dashboard.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What can stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store could not be opened.
    #[error("cannot open the store: {0}")]
    Open(#[source] rapport_engine::Error),
    /// A worker thread or the runtime could not be started.
    #[error("cannot start the server's threads: {0}")]
    Thread(#[source] std::io::Error),
    /// The address could not be listened on.
    #[error("cannot listen on {addr}: {source}; pick another with --port")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Listening anywhere but loopback needs a token, and the one given is unusable.
    #[error("{0}")]
    Options(String),
    /// The server stopped with an error.
    #[error("the server stopped: {0}")]
    Serve(#[source] std::io::Error),
}

/// The kinds of HTTP error, each with its status and a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The request is malformed or asks for something impossible.
    BadRequest,
    /// No such person, action, job or page.
    NotFound,
    /// A token is needed and missing or wrong.
    Unauthorized,
    /// A state change without the CSRF token, or from another origin.
    Forbidden,
    /// The Host header names another site (DNS rebinding).
    MisdirectedHost,
    /// An upload larger than the cap.
    TooLarge,
    /// Too many failed logins for this account or from this address.
    TooManyRequests,
    /// Rapport or the machine failed.
    Internal,
}

impl Kind {
    fn status(self) -> StatusCode {
        match self {
            Kind::BadRequest => StatusCode::BAD_REQUEST,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::Unauthorized => StatusCode::UNAUTHORIZED,
            Kind::Forbidden => StatusCode::FORBIDDEN,
            Kind::MisdirectedHost => StatusCode::MISDIRECTED_REQUEST,
            Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Kind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Kind::BadRequest => "bad_request",
            Kind::NotFound => "not_found",
            Kind::Unauthorized => "unauthorized",
            Kind::Forbidden => "forbidden",
            Kind::MisdirectedHost => "wrong_host",
            Kind::TooLarge => "too_large",
            Kind::TooManyRequests => "too_many_requests",
            Kind::Internal => "internal",
        }
    }
}

/// An HTTP error: its kind and a message that says what to do.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    pub(crate) kind: Kind,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> ApiError {
        ApiError { kind, message: message.into() }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(Kind::BadRequest, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(Kind::NotFound, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(Kind::Internal, message)
    }

    pub(crate) fn status(&self) -> StatusCode {
        self.kind.status()
    }
}

impl From<rapport_engine::Error> for ApiError {
    fn from(err: rapport_engine::Error) -> ApiError {
        if err.is_not_found() {
            ApiError::not_found(err.to_string())
        } else if err.is_user_error() {
            ApiError::bad_request(err.to_string())
        } else {
            // The details (paths, SQL) go to the log, not to the page.
            tracing::error!(%err, "engine call failed");
            ApiError::internal(format!("Rapport failed: {err}"))
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.kind.code(), "message": self.message });
        (self.kind.status(), axum::Json(body)).into_response()
    }
}
