//! Per-user API tokens: created in the caller's current workspace (acting there with the
//! caller's role), shown once, listed without their secret, revoked by their owner.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use rapport_engine::team::rules::{AuditAction, Token, TokenKind};
use rapport_engine::team::tables;
use serde::{Deserialize, Serialize};

use super::caller::Caller;
use super::{TeamState, rules_error};
use crate::error::ApiError;

/// The longest name a token may be given.
const NAME_CHARS: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewToken {
    name: String,
}

#[derive(Serialize)]
pub(crate) struct Created {
    id: i64,
    name: String,
    workspace_id: i64,
    /// The secret, shown this once.
    token: String,
}

#[derive(Serialize)]
pub(crate) struct Listed {
    id: i64,
    name: String,
    workspace_id: i64,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked: bool,
}

/// `POST /api/team/tokens {name}`.
pub(crate) async fn create(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Json(new): Json<NewToken>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "a token's name has 1 to {NAME_CHARS} characters, none of them control characters"
        )));
    }
    let token = Token::generate(TokenKind::Api).map_err(rules_error)?;
    let (hash, user, workspace, stored_name) =
        (token.hash(), caller.user_id, caller.workspace_id, name.clone());
    let entry = caller.actor().entry(AuditAction::CreateToken, &name);
    let id = team
        .change(
            move |c| tables::create_api_token(c, &hash.0, user, workspace, &stored_name),
            move |made| made.map(|_| entry),
        )
        .await?
        .ok_or_else(|| ApiError::not_found("you are no longer a member of this workspace"))?;
    let created = Created { id, name, workspace_id: workspace, token: token.text().to_owned() };
    Ok((StatusCode::CREATED, Json(created)))
}

/// `GET /api/team/tokens`: the caller's own tokens, in every workspace.
pub(crate) async fn list(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<Listed>>, ApiError> {
    let user = caller.user_id;
    let rows = team.tables(move |c| tables::api_tokens(c, user)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| Listed {
                id: r.id,
                name: r.name,
                workspace_id: r.workspace_id,
                created_at: r.created_at,
                last_used_at: r.last_used_at,
                revoked: r.revoked,
            })
            .collect(),
    ))
}

/// `POST /api/team/tokens/{id}/revoke`: 404 for a token that is not the caller's, exactly as for
/// one that does not exist.
pub(crate) async fn revoke(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let missing = || ApiError::not_found("you have no API token with this id");
    let id: i64 = id.parse().map_err(|_| missing())?;
    let user = caller.user_id;
    let entry = caller.actor().entry(AuditAction::RevokeToken, &format!("token {id}"));
    let revoked = team
        .change(move |c| tables::revoke_api_token(c, user, id), move |done| done.then_some(entry))
        .await?;
    if !revoked {
        return Err(missing());
    }
    Ok(StatusCode::NO_CONTENT)
}
