//! A workspace's members, for its owners: who they are, a role changed, a member removed (with
//! their sessions and API tokens there). A workspace keeps at least one owner.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use rapport_engine::team::rules::{AuditAction, Role};
use rapport_engine::team::tables;
use serde::{Deserialize, Serialize};

use super::TeamState;
use super::caller::Caller;
use crate::error::ApiError;

#[derive(Serialize)]
pub(crate) struct MemberDto {
    user_id: i64,
    name: String,
    role: String,
}

/// `GET /api/team/members`: the members of the caller's workspace.
pub(crate) async fn list(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<MemberDto>>, ApiError> {
    let workspace = caller.workspace_id;
    let rows = team.tables(move |c| tables::members(c, workspace)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|m| MemberDto { user_id: m.user_id, name: m.name, role: m.role })
            .collect(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Change {
    user_id: i64,
    /// owner, editor, viewer, or none to remove the member.
    role: String,
}

/// `POST /api/team/members {user_id, role}` (owners): 404 for a user who is not a member here,
/// exactly as for one who does not exist.
pub(crate) async fn change(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Json(change): Json<Change>,
) -> Result<StatusCode, ApiError> {
    let role = match change.role.as_str() {
        "none" => None,
        other => Some(other.parse::<Role>().map_err(|e| ApiError::bad_request(e.to_string()))?),
    };
    let workspace = caller.workspace_id;
    let members = team.tables(move |c| tables::members(c, workspace)).await?;
    let member = members
        .iter()
        .find(|m| m.user_id == change.user_id)
        .ok_or_else(|| ApiError::not_found("no such member in this workspace"))?;
    let owners = members.iter().filter(|m| m.role == Role::Owner.as_str()).count();
    if member.role == Role::Owner.as_str() && role != Some(Role::Owner) && owners == 1 {
        return Err(ApiError::bad_request(
            "a workspace keeps at least one owner; make another owner first",
        ));
    }
    let (user, name) = (member.user_id, member.name.clone());
    let subject = match role {
        Some(role) => format!("{name} as {role}"),
        None => format!("{name} removed"),
    };
    let entry = caller.actor().entry(AuditAction::ChangeMember, &subject);
    let role = role.map(Role::as_str);
    team.tables(move |c| tables::change_member(c, user, workspace, role, &entry)).await?;
    Ok(StatusCode::NO_CONTENT)
}
