//! A workspace's settings in team mode (owners): `GET /api/settings` reads every setting with its
//! meaning and value, `POST /api/settings {key, value}` changes one, checked as
//! `rapport config set` checks it; the guard writes the change's audit entry in its transaction.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use rapport_engine::SETTINGS;
use serde::{Deserialize, Serialize};

use super::TeamState;
use super::caller::Caller;
use super::workspaces::state_of;
use crate::error::ApiError;
use crate::events::Change;

#[derive(Serialize)]
pub(crate) struct SettingDto {
    key: String,
    value: String,
    help: &'static str,
    default: &'static str,
}

/// `GET /api/settings`: every setting's value (its default when unset), then the stored group
/// cadences.
pub(crate) async fn get(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<SettingDto>>, ApiError> {
    let state = state_of(&team, caller.workspace_id).await?;
    let settings = state
        .engines
        .call(|engine| {
            let read = engine.read()?;
            let mut out = Vec::new();
            for info in SETTINGS.iter().filter(|i| !i.key.ends_with(".TERM")) {
                let value = read.setting(info.key)?;
                out.push(SettingDto {
                    key: info.key.to_owned(),
                    value,
                    help: info.help,
                    default: info.default,
                });
            }
            let known = |key: &str| out.iter().any(|s: &SettingDto| s.key == key);
            let extra: Vec<(String, String)> =
                read.stored_settings()?.into_iter().filter(|(k, _)| !known(k)).collect();
            let group = SETTINGS.iter().find(|i| i.key.ends_with(".TERM"));
            out.extend(extra.into_iter().map(|(key, value)| SettingDto {
                key,
                value,
                help: group.map_or("", |g| g.help),
                default: group.map_or("", |g| g.default),
            }));
            Ok(out)
        })
        .await?;
    Ok(Json(settings))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingChange {
    key: String,
    value: String,
}

/// `POST /api/settings {key, value}`: 204, or 400 naming what is wrong with the key or value.
pub(crate) async fn set(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Json(change): Json<SettingChange>,
) -> Result<StatusCode, ApiError> {
    let state = state_of(&team, caller.workspace_id).await?;
    state.engines.call(move |engine| Ok(engine.set_setting(&change.key, &change.value)?)).await?;
    let _ = state.changes.send(Change::Data);
    Ok(StatusCode::NO_CONTENT)
}
