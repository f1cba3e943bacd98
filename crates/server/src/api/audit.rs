//! The user's own habits against the rules of social media (`GET /api/audit`).

use axum::Json;
use axum::extract::State;
use rapport_engine::PROMOTIONAL_LIMIT;
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize)]
pub(crate) struct AuditDto {
    pub(crate) as_of: String,
    pub(crate) findings: Vec<FindingDto>,
    /// The promotional share per 30-day window, oldest first.
    pub(crate) windows: Vec<WindowDto>,
    /// The share of promotional posts a window should stay under.
    pub(crate) promotional_limit: f64,
    pub(crate) median_response_hours: Option<f64>,
}

#[derive(Serialize)]
pub(crate) struct FindingDto {
    pub(crate) rule: String,
    pub(crate) title: String,
    pub(crate) severity: &'static str,
    pub(crate) count: usize,
    pub(crate) detail: String,
    pub(crate) examples: Vec<ExampleDto>,
}

#[derive(Serialize)]
pub(crate) struct ExampleDto {
    pub(crate) at: Option<String>,
    pub(crate) text: String,
}

#[derive(Serialize)]
pub(crate) struct WindowDto {
    pub(crate) end: String,
    pub(crate) posts: usize,
    pub(crate) promotional: usize,
}

pub(crate) async fn load(state: &AppState) -> Result<AuditDto, ApiError> {
    let view = state.current_view();
    state
        .engines
        .call(move |engine| {
            let audit = engine.read()?.audit(&view)?;
            Ok(AuditDto {
                as_of: super::at(audit.as_of),
                findings: audit
                    .findings
                    .into_iter()
                    .map(|f| FindingDto {
                        rule: f.rule,
                        title: f.title,
                        severity: f.severity.as_str(),
                        count: f.count,
                        detail: f.detail,
                        examples: f
                            .examples
                            .into_iter()
                            .map(|e| ExampleDto { at: super::maybe_at(e.at), text: e.text })
                            .collect(),
                    })
                    .collect(),
                windows: audit
                    .windows
                    .iter()
                    .map(|w| WindowDto {
                        end: super::at(w.end),
                        posts: w.posts,
                        promotional: w.promotional,
                    })
                    .collect(),
                promotional_limit: PROMOTIONAL_LIMIT,
                median_response_hours: audit.median_response.map(|s| s as f64 / 3600.0),
            })
        })
        .await
}

pub(crate) async fn get(State(state): State<AppState>) -> Result<Json<AuditDto>, ApiError> {
    Ok(Json(load(&state).await?))
}
