//! The communities of the user's network (`GET /api/groups`), computed once per change of the data
//! (community detection is the slowest read) and kept for every page that needs them.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use rapport_engine::Group;
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize)]
pub(crate) struct GroupsDto {
    pub(crate) groups: Vec<GroupDto>,
}

#[derive(Serialize)]
pub(crate) struct GroupDto {
    /// Its number, for `/api/people?group=N`.
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) terms: Vec<String>,
    pub(crate) size: usize,
    pub(crate) closest: Vec<String>,
    pub(crate) engagement: f64,
    pub(crate) talking_with: usize,
}

/// The groups of "me" now, from the cache when the data has not changed.
pub(crate) async fn groups(state: &AppState) -> Result<Arc<Vec<Group>>, ApiError> {
    let view = state.current_view();
    state.cached("groups", move |engine| Ok(engine.read()?.groups(&view)?)).await
}

pub(crate) async fn load(state: &AppState) -> Result<GroupsDto, ApiError> {
    let groups = groups(state).await?;
    Ok(GroupsDto {
        groups: groups
            .iter()
            .enumerate()
            .map(|(index, g)| GroupDto {
                index,
                name: g.name.clone(),
                terms: g.terms.clone(),
                size: g.size,
                closest: g.closest.clone(),
                engagement: g.engagement,
                talking_with: g.talking_with,
            })
            .collect(),
    })
}

pub(crate) async fn get(State(state): State<AppState>) -> Result<Json<GroupsDto>, ApiError> {
    Ok(Json(load(&state).await?))
}
