//! `POST /api/sync` in team mode (editors and owners): every account connected to the caller's
//! workspace is synced once, as `rapport sync` does, with the credentials in the workspace's own
//! folder, so no workspace's tokens serve another's sync.

use axum::extract::State;
use axum::{Extension, Json};
use rapport_engine::sync::{self, Credentials, Options, Quiet};
use serde::Serialize;

use super::TeamState;
use super::accounts::{credentials_of, no_account};
use super::caller::Caller;
use super::workspaces::state_of;
use crate::error::ApiError;
use crate::events::Change;

#[derive(Serialize)]
pub(crate) struct SyncedDto {
    network: &'static str,
    account: String,
    /// Records new to the store.
    new: u64,
    /// Why this account's sync stopped, if it did (what it stored before that is kept).
    error: Option<String>,
}

/// `POST /api/sync`: what each connected account brought. One account failing does not stop the
/// others; the kept views are brought up to date afterwards.
pub(crate) async fn post(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<SyncedDto>>, ApiError> {
    let state = state_of(&team, caller.workspace_id).await?;
    let synced = state
        .engines
        .call(|engine| {
            let mut credentials: Credentials = credentials_of(engine)?;
            if credentials.connections.is_empty() {
                return Err(no_account());
            }
            let mut out = Vec::new();
            for i in 0..credentials.connections.len() {
                let connection = &mut credentials.connections[i];
                let (network, account) = (connection.network().as_str(), connection.name());
                let result = sync::sync(connection, &mut &*engine, &Options::default(), &mut Quiet);
                // Tokens the server rotated during the sync are kept whether or not it finished.
                credentials.save().map_err(|e| ApiError::internal(e.to_string()))?;
                out.push(match result {
                    Ok(summary) => SyncedDto {
                        network,
                        account,
                        new: summary.phases.iter().map(|p| p.new).sum(),
                        error: None,
                    },
                    Err(err) => SyncedDto {
                        network,
                        account,
                        new: 0,
                        error: Some(sync::quote(&err.to_string())),
                    },
                });
            }
            if let Err(err) = engine.refresh_views() {
                tracing::warn!(%err, "the views were not brought up to date after a sync");
            }
            Ok(out)
        })
        .await?;
    let _ = state.changes.send(Change::Data);
    Ok(Json(synced))
}
