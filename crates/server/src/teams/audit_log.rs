//! The audit log: written for every change (by the guard, and by the handlers of logins, tokens
//! and invitations), read by a workspace's owners (`GET /api/team/audit-log`).

use axum::Extension;
use axum::Json;
use axum::extract::{Query, State};
use rapport_engine::team::rules::{AuditAction, AuditEntry};
use rapport_engine::team::tables;
use serde::{Deserialize, Serialize};

use super::TeamState;
use super::caller::Caller;
use crate::error::ApiError;

/// Who did something, and in which workspace.
pub(crate) struct Actor<'a> {
    pub(crate) workspace: i64,
    pub(crate) user: i64,
    pub(crate) name: &'a str,
}

impl Caller {
    pub(crate) fn actor(&self) -> Actor<'_> {
        Actor { workspace: self.workspace_id, user: self.user_id, name: &self.user_name }
    }
}

/// Appends an entry to the actor's workspace's log. A failure is logged: the change it records
/// has happened already and cannot be taken back here.
pub(crate) async fn record(team: &TeamState, actor: Actor<'_>, action: AuditAction, subject: &str) {
    let entry = AuditEntry::new(action, subject);
    let (workspace, user, name) = (actor.workspace, actor.user, actor.name.to_owned());
    let written = team
        .tables(move |c| {
            tables::append_audit(
                c,
                Some(workspace),
                Some((user, &name)),
                entry.action.as_str(),
                &entry.subject,
            )
        })
        .await;
    if let Err(err) = written {
        tracing::error!(workspace, user, action = action.as_str(), message = %err.message, "audit entry not written");
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    limit: Option<i64>,
}

#[derive(Serialize)]
pub(crate) struct EntryDto {
    at: i64,
    user: String,
    action: String,
    subject: String,
}

/// `GET /api/team/audit-log?limit=N`: the newest entries of the caller's workspace.
pub(crate) async fn get(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Query(params): Query<Params>,
) -> Result<Json<Vec<EntryDto>>, ApiError> {
    let limit = params.limit.unwrap_or(100).clamp(1, 1000);
    let workspace = caller.workspace_id;
    let rows = team.tables(move |c| tables::audit_log(c, workspace, limit)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| EntryDto { at: r.at, user: r.user_name, action: r.action, subject: r.subject })
            .collect(),
    ))
}
