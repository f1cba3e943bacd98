//! One engine per workspace, opened on first use over the shared pool; the hand-over of dashboard
//! requests to their workspace's router; and the workspace switcher.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use maud::Markup;
use rapport_engine::Engine;
use rapport_engine::team::{WorkspaceId, tables};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

use super::TeamState;
use super::caller::Caller;
use super::login::check_form;
use super::pages;
use crate::engines::Engines;
use crate::error::ApiError;
use crate::security::Secrets;
use crate::state::AppState;
use crate::{events, routes};

/// The workspaces opened so far, each with its engine, jobs, cache and live-update channel.
#[derive(Default)]
pub(crate) struct Open {
    states: Mutex<HashMap<i64, AppState>>,
}

impl Open {
    /// Ends the live-update streams of every workspace (the server is stopping).
    pub(crate) fn stop(&self) {
        if let Ok(states) = self.states.lock() {
            for state in states.values() {
                let _ = state.changes.send(events::Change::Shutdown);
            }
        }
    }
}

/// The state of `workspace`, opening its engine on first use.
pub(crate) async fn state_of(team: &TeamState, workspace: i64) -> Result<AppState, ApiError> {
    if let Some(state) = team.workspaces.states.lock().ok().and_then(|s| s.get(&workspace).cloned())
    {
        return Ok(state);
    }
    let (db, local) = (team.db.clone(), team.local.clone());
    let engine = tokio::task::spawn_blocking(move || {
        Engine::open_workspace(&db, WorkspaceId(workspace), &local)
    })
    .await
    .map_err(|_| ApiError::internal("opening the workspace failed"))??;
    // The guard gives each request its own secrets; these are never read.
    let secrets = Secrets { csrf: String::new(), token: None, hosts: Vec::new() };
    let fresh = AppState::new(Engines::over(engine), secrets, team.upload_limit);
    let mut states = team
        .workspaces
        .states
        .lock()
        .map_err(|_| ApiError::internal("the workspace table failed"))?;
    // Two first requests may open it at once: the first kept wins, the other engine is dropped.
    let state = states.entry(workspace).or_insert_with(|| {
        tokio::spawn(events::watch(fresh.clone()));
        fresh
    });
    Ok(state.clone())
}

/// Every request not for the team endpoints: the dashboard and its API, answered by the caller's
/// workspace's own router, with the caller's CSRF token in its pages.
pub(crate) async fn dispatch(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    request: Request,
) -> Result<Response, ApiError> {
    let mut state = state_of(&team, caller.workspace_id).await?;
    state.security =
        Arc::new(Secrets { csrf: caller.csrf().to_owned(), token: None, hosts: Vec::new() });
    // The view the address chooses (`as=`, `as_of=`) applies here as in single-user mode.
    let router = routes::routes()
        .fallback(routes::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::view::choose))
        .with_state(state);
    Ok(router.oneshot(request).await.unwrap_or_else(|never| match never {}))
}

#[derive(Serialize)]
pub(crate) struct Me {
    user: String,
    workspace_id: i64,
    role: &'static str,
    workspaces: Vec<Membership>,
}

#[derive(Serialize)]
pub(crate) struct Membership {
    id: i64,
    name: String,
    role: String,
}

async fn memberships(team: &TeamState, caller: &Caller) -> Result<Vec<Membership>, ApiError> {
    let user = caller.user_id;
    let rows = team.tables(move |c| tables::memberships(c, user)).await?;
    Ok(rows
        .into_iter()
        .map(|m| Membership { id: m.workspace_id, name: m.workspace, role: m.role })
        .collect())
}

/// `GET /api/team/me`: who the caller is, where, and the workspaces they can switch to.
pub(crate) async fn me(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Me>, ApiError> {
    let workspaces = memberships(&team, &caller).await?;
    Ok(Json(Me {
        user: caller.user_name.clone(),
        workspace_id: caller.workspace_id,
        role: caller.role.as_str(),
        workspaces,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Switch {
    workspace: i64,
}

/// Moves the caller's session; a workspace they are no member of is answered as a missing one.
async fn switch(team: &TeamState, caller: &Caller, workspace: i64) -> Result<(), ApiError> {
    let Some(session) = &caller.session else {
        return Err(ApiError::bad_request(
            "an API token acts in its own workspace; create one there",
        ));
    };
    let hash = session.hash;
    if team.tables(move |c| tables::switch_workspace(c, &hash.0, workspace)).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("no such workspace"))
    }
}

/// `POST /api/team/workspaces/switch {workspace}`.
pub(crate) async fn switch_api(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Json(to): Json<Switch>,
) -> Result<StatusCode, ApiError> {
    switch(&team, &caller, to.workspace).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SwitchForm {
    workspace: i64,
    csrf: String,
}

/// `POST /workspaces/switch` (the switcher's form).
pub(crate) async fn switch_form(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<SwitchForm>,
) -> Result<Response, ApiError> {
    check_form(&caller, &form.csrf)?;
    switch(&team, &caller, form.workspace).await?;
    Ok(Redirect::to("/").into_response())
}

/// `GET /workspaces`: the switcher.
pub(crate) async fn page(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
) -> Result<Markup, ApiError> {
    let workspaces = memberships(&team, &caller).await?;
    let rows: Vec<(i64, &str, &str)> =
        workspaces.iter().map(|m| (m.id, m.name.as_str(), m.role.as_str())).collect();
    Ok(pages::workspaces(&caller.user_name, caller.workspace_id, caller.csrf(), &rows))
}
