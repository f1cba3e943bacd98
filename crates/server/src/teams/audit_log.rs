//! The audit log: written for every change in the change's own transaction (by the store for the
//! workspace's data, see `pending`; by [`TeamState::change`] for logins, tokens and invitations),
//! read by a workspace's owners (`GET /api/team/audit-log`).

use axum::Extension;
use axum::Json;
use axum::extract::{Query, State};
use rapport_engine::team::rules::{AuditAction, AuditEntry};
use rapport_engine::team::{
    PendingAudit, TableResult, Transaction, append_audit_entry, audit_entry, tables,
    with_transaction,
};
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

impl Actor<'_> {
    /// The entry this actor writes to their workspace's log for `action` on `subject`.
    pub(crate) fn entry(&self, action: AuditAction, subject: &str) -> PendingAudit {
        audit_entry(Some(self.workspace), Some((self.user, self.name)), action, subject)
    }
}

impl TeamState {
    /// Runs a change of the team tables and writes its audit entry in the same transaction:
    /// `entry` names the entry once the change's result is known (`None`: nothing changed).
    pub(crate) async fn change<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Transaction<'_>) -> TableResult<T> + Send + 'static,
        entry: impl FnOnce(&T) -> Option<PendingAudit> + Send + 'static,
    ) -> Result<T, ApiError> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            with_transaction(&db, |tx| {
                let out = f(tx)?;
                if let Some(entry) = entry(&out) {
                    append_audit_entry(tx, &entry)?;
                }
                Ok(out)
            })
        })
        .await
        .map_err(|_| ApiError::internal("the database call failed on this request"))?
        .map_err(ApiError::from)
    }
}

/// Appends an entry to the actor's workspace's log, for a request that succeeded without changing
/// anything in a transaction of its own (see the guard). A failure is logged: the request has
/// been answered already.
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
