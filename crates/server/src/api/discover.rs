//! People who share the user's passions (`GET /api/discover?topic=TAG&limit=N`), each with why.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use rapport_engine::DiscoverQuery;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::AppState;

/// How many suggestions a page shows unless asked otherwise.
const DEFAULT_LIMIT: usize = 20;
/// The most one request may ask for.
const MAX_LIMIT: usize = 500;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiscoverParams {
    pub(crate) topic: Option<String>,
    pub(crate) limit: Option<usize>,
}

#[derive(Serialize)]
pub(crate) struct DiscoverDto {
    pub(crate) topic: Option<String>,
    pub(crate) suggestions: Vec<SuggestionDto>,
}

#[derive(Serialize)]
pub(crate) struct SuggestionDto {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) networks: Vec<&'static str>,
    pub(crate) score: f64,
    pub(crate) trust: f64,
    pub(crate) interest: f64,
    pub(crate) through: Vec<String>,
    pub(crate) shared: Vec<String>,
    pub(crate) why: String,
}

pub(crate) async fn load(
    state: &AppState,
    params: DiscoverParams,
) -> Result<DiscoverDto, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if limit > MAX_LIMIT {
        return Err(ApiError::bad_request(format!("ask for at most {MAX_LIMIT} suggestions")));
    }
    let topic = params.topic.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let query = DiscoverQuery { topic: topic.clone(), limit, ..DiscoverQuery::default() };
    let view = state.current_view();
    state
        .engines
        .call(move |engine| {
            let found = engine.read()?.discover(&view, &query)?;
            Ok(DiscoverDto {
                topic,
                suggestions: found
                    .into_iter()
                    .map(|s| SuggestionDto {
                        key: super::person_key(&s.accounts),
                        name: s.label(),
                        networks: s.accounts.iter().map(|a| a.network.as_str()).collect(),
                        score: s.score,
                        trust: s.trust,
                        interest: s.interest,
                        through: s.through,
                        shared: s.shared,
                        why: s.why,
                    })
                    .collect(),
            })
        })
        .await
}

pub(crate) async fn get(
    State(state): State<AppState>,
    params: Result<Query<DiscoverParams>, QueryRejection>,
) -> Result<Json<DiscoverDto>, ApiError> {
    Ok(Json(load(&state, super::query(params)?).await?))
}
