//! The JSON API: one module per page, each with the shape of its data, the function that loads it
//! from the engine (which the page renders from too, so the page and `/api/` never disagree), and
//! the handler that answers it as JSON.

pub(crate) mod audit;
pub(crate) mod check;
pub(crate) mod discover;
pub(crate) mod groups;
pub(crate) mod map;
pub(crate) mod people;
pub(crate) mod person;
pub(crate) mod report;
pub(crate) mod send;
pub(crate) mod session;
pub(crate) mod today;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Json, Query};
use rapport_engine::AccountRow;
use rapport_engine::model::{Timestamp, time};

use crate::error::ApiError;

/// A moment as RFC 3339, the way every listing of the CLI prints it.
pub(crate) fn at(ts: Timestamp) -> String {
    time::format(ts)
}

/// A moment that may be unknown.
pub(crate) fn maybe_at(ts: Option<Timestamp>) -> Option<String> {
    ts.map(time::format)
}

/// The key that names a person in addresses (`/person/{key}`): their first account's network id,
/// which the engine finds exactly, unlike a handle that several networks may share.
pub(crate) fn person_key(accounts: &[AccountRow]) -> String {
    accounts.first().map_or_else(String::new, |a| a.native_id.clone())
}

/// The key of a person named by a label such as `@ada` (today's actions, discover's reasons).
pub(crate) fn key_of_label(label: &str) -> String {
    label.trim_start_matches('@').to_owned()
}

/// The query string, or a 400 that says what was wrong with it.
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(q)| q).map_err(|e| ApiError::bad_request(e.body_text()))
}

/// The JSON body, or a 400 that says what was wrong with it.
pub(crate) fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(b)| b).map_err(|e| ApiError::bad_request(e.body_text()))
}
