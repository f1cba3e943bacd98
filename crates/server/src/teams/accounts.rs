//! A workspace's connected accounts in team mode (editors and owners): which are connected
//! (`GET /api/team/accounts`, never a token) and connecting a Bluesky account with an app
//! password (`POST /api/team/accounts`). The tokens go to the workspace's own credentials file
//! (mode 0600, in its folder of the data directory), never to the database or an answer.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use rapport_engine::Engine;
use rapport_engine::sync::http::Limits;
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Connect {
    /// Only "bluesky": Mastodon's approval page needs a person at a terminal (`rapport connect`).
    network: String,
    handle: String,
    /// The app password; kept only as the session the server hands back.
    password: String,
    service: Option<String>,
}

/// `POST /api/team/accounts {network: "bluesky", handle, password, service?}`: connects an account
/// to the caller's workspace.
pub(crate) async fn connect(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Json(connect): Json<Connect>,
) -> Result<(StatusCode, Json<AccountDto>), ApiError> {
    if connect.network != "bluesky" {
        return Err(ApiError::bad_request(
            "only Bluesky accounts connect here (with an app password); connect Mastodon with `rapport --workspace NAME connect mastodon INSTANCE` on the server",
        ));
    }
    let state = state_of(&team, caller.workspace_id).await?;
    let account = state
        .engines
        .call(move |engine| {
            let mut credentials = credentials_of(engine)?;
            let service = connect.service.as_deref().unwrap_or(rapport_engine::BSKY_SERVICE);
            let session = bluesky::connect(
                service,
                &connect.handle,
                connect.password.trim(),
                Limits::default(),
            )
            .map_err(not_connected)?;
            let connection = Connection::Bluesky(session);
            let account = AccountDto::of(&connection, None);
            credentials.upsert(connection);
            credentials.save().map_err(|e| ApiError::internal(e.to_string()))?;
            Ok(account)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(account)))
}

fn not_connected(err: SyncError) -> ApiError {
    let message = format!("not connected: {}", rapport_engine::sync::neutralise(&err.to_string()));
    match err {
        SyncError::Input(_) => ApiError::bad_request(message),
        SyncError::Unauthorized { .. } => ApiError::new(Kind::Forbidden, message),
        _ => ApiError::new(Kind::BadGateway, message),
    }
}
