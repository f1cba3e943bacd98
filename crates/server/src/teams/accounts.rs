//! A workspace's connected accounts in team mode (editors and owners): which are connected
//! (`GET /api/team/accounts`, never a token), connecting a Bluesky account with an app password,
//! and connecting a Mastodon account in two steps (`POST /api/team/accounts` answers the page
//! where its owner approves Rapport, `POST /api/team/accounts/mastodon/code` takes the code that
//! page shows), and forgetting one (`POST /api/team/accounts/disconnect`). The tokens go to the workspace's own credentials file (mode 0600, in its folder of
//! the data directory), never to the database or an answer.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use rapport_engine::Engine;
use rapport_engine::sync::http::Limits;
use rapport_engine::sync::mastodon::{self, Authorization};
use rapport_engine::sync::{Connection, Credentials, SyncError, bluesky};
use serde::{Deserialize, Serialize};

use super::TeamState;
use super::caller::Caller;
use super::workspaces::state_of;
use crate::error::{ApiError, Kind};

#[derive(Serialize)]
pub(crate) struct AccountDto {
    network: &'static str,
    account: String,
    server: String,
    /// When its last sync saved a cursor, in seconds since 1970.
    last_sync: Option<i64>,
}

impl AccountDto {
    fn of(connection: &Connection, last_sync: Option<i64>) -> AccountDto {
        AccountDto {
            network: connection.network().as_str(),
            account: connection.name(),
            server: connection.server().to_owned(),
            last_sync,
        }
    }
}

/// The credentials kept for the workspace `engine` serves (its folder holds them).
pub(crate) fn credentials_of(engine: &Engine) -> Result<Credentials, ApiError> {
    let dir = engine.db_path().parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    Credentials::load(&dir).map_err(|e| ApiError::internal(e.to_string()))
}

/// The answer when a workspace has no connected account: the same whether another has some.
pub(crate) fn no_account() -> ApiError {
    ApiError::new(
        Kind::Conflict,
        "no account is connected to this workspace; connect one first (POST /api/team/accounts, or `rapport --workspace NAME connect …` on the server)",
    )
}

/// `GET /api/team/accounts`: the accounts connected to the caller's workspace.
pub(crate) async fn list(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<AccountDto>>, ApiError> {
    let state = state_of(&team, caller.workspace_id).await?;
    let accounts = state
        .engines
        .call(|engine| {
            let credentials = credentials_of(engine)?;
            let cursors = engine.read()?.sync_cursors(None)?;
            Ok(credentials
                .connections
                .iter()
                .map(|c| {
                    let key = c.key();
                    let last = cursors.iter().filter(|s| s.account == key).map(|s| s.at).max();
                    AccountDto::of(c, last)
                })
                .collect())
        })
        .await?;
    Ok(Json(accounts))
}

/// A connection to make.
#[derive(Deserialize)]
#[serde(tag = "network", rename_all = "lowercase", deny_unknown_fields)]
pub(crate) enum Connect {
    /// With an app password; kept only as the session the server hands back.
    Bluesky { handle: String, password: String, service: Option<String> },
    /// The first step: the page to approve Rapport on.
    Mastodon { instance: String },
}

/// How long a Mastodon approval may take, and how many may wait at once: each holds an app
/// registration's secret, so they are few and short-lived.
const APPROVAL_TTL: Duration = Duration::from_secs(15 * 60);
const APPROVALS_KEPT: usize = 256;

/// Mastodon approvals started and not yet finished, per (workspace, user): only who started one
/// finishes it, in the workspace they started it in.
#[derive(Default)]
pub(crate) struct Approvals(Mutex<HashMap<(i64, i64), (Authorization, Instant)>>);

impl Approvals {
    fn put(&self, key: (i64, i64), auth: Authorization) -> Result<(), ApiError> {
        let mut approvals = self.0.lock().map_err(|_| ApiError::internal("approvals failed"))?;
        approvals.retain(|_, (_, at)| at.elapsed() < APPROVAL_TTL);
        if approvals.len() >= APPROVALS_KEPT && !approvals.contains_key(&key) {
            return Err(ApiError::new(
                Kind::TooManyRequests,
                "too many Mastodon approvals are waiting; try again in a few minutes",
            ));
        }
        approvals.insert(key, (auth, Instant::now()));
        Ok(())
    }

    fn take(&self, key: (i64, i64)) -> Option<Authorization> {
        let mut approvals = self.0.lock().ok()?;
        approvals.remove(&key).filter(|(_, at)| at.elapsed() < APPROVAL_TTL).map(|(auth, _)| auth)
    }
}

#[derive(Serialize)]
pub(crate) struct ApproveDto {
    /// The page where the account's owner approves Rapport and is shown a code.
    approve_at: String,
}

/// `POST /api/team/accounts`: `{network: "bluesky", handle, password, service?}` connects the
/// account (201); `{network: "mastodon", instance}` answers the page to approve Rapport on (202).
pub(crate) async fn connect(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Json(connect): Json<Connect>,
) -> Result<Response, ApiError> {
    match connect {
        Connect::Bluesky { handle, password, service } => {
            let service = service.unwrap_or_else(|| rapport_engine::BSKY_SERVICE.to_owned());
            let account = save(&team, &caller, move || {
                bluesky::connect(&service, &handle, password.trim(), Limits::default())
                    .map(Connection::Bluesky)
            })
            .await?;
            Ok((StatusCode::CREATED, Json(account)).into_response())
        }
        Connect::Mastodon { instance } => {
            let auth = tokio::task::spawn_blocking(move || {
                mastodon::authorize(&instance, Limits::default())
            })
            .await
            .map_err(|_| ApiError::internal("the approval could not be started"))?
            .map_err(not_connected)?;
            let approve_at = auth.url.clone();
            team.approvals.put((caller.workspace_id, caller.user_id), auth)?;
            Ok((StatusCode::ACCEPTED, Json(ApproveDto { approve_at })).into_response())
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Code {
    code: String,
}

/// `POST /api/team/accounts/mastodon/code {code}`: finishes the caller's approval (201).
pub(crate) async fn mastodon_code(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Json(code): Json<Code>,
) -> Result<(StatusCode, Json<AccountDto>), ApiError> {
    let auth = team.approvals.take((caller.workspace_id, caller.user_id)).ok_or_else(|| {
        ApiError::new(
            Kind::Conflict,
            "no Mastodon approval of yours is waiting in this workspace; start one (POST /api/team/accounts)",
        )
    })?;
    let account = save(&team, &caller, move || {
        mastodon::finish(auth, &code.code, Limits::default()).map(Connection::Mastodon)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(account)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Disconnect {
    account: String,
}

/// `POST /api/team/accounts/disconnect {account}`: forgets the tokens of one of the workspace's
/// accounts (what was synced stays); 404 for an account the workspace has not connected.
pub(crate) async fn disconnect(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Json(disconnect): Json<Disconnect>,
) -> Result<StatusCode, ApiError> {
    let state = state_of(&team, caller.workspace_id).await?;
    state
        .engines
        .call(move |engine| {
            let mut credentials = credentials_of(engine)?;
            credentials
                .remove(&disconnect.account)
                .ok_or_else(|| ApiError::not_found("no such account is connected here"))?;
            credentials.save().map_err(|e| ApiError::internal(e.to_string()))
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes a connection (a network call) and keeps it in the caller's workspace's credentials.
async fn save(
    team: &TeamState,
    caller: &Caller,
    make: impl FnOnce() -> Result<Connection, SyncError> + Send + 'static,
) -> Result<AccountDto, ApiError> {
    let state = state_of(team, caller.workspace_id).await?;
    state
        .engines
        .call(move |engine| {
            let mut credentials = credentials_of(engine)?;
            let connection = make().map_err(not_connected)?;
            let account = AccountDto::of(&connection, None);
            credentials.upsert(connection);
            credentials.save().map_err(|e| ApiError::internal(e.to_string()))?;
            Ok(account)
        })
        .await
}

fn not_connected(err: SyncError) -> ApiError {
    let message = format!("not connected: {}", rapport_engine::sync::quote(&err.to_string()));
    match err {
        SyncError::Input(_) => ApiError::bad_request(message),
        SyncError::Unauthorized { .. } => ApiError::new(Kind::Forbidden, message),
        _ => ApiError::new(Kind::BadGateway, message),
    }
}
