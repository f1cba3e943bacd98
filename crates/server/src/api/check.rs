//! The draft checker (`POST /api/check` with `{"text", "kind", "to", "network"}`): the score, the
//! verdict, and each flagged phrase with where it is, why, and what to write instead. Positions are
//! given in UTF-16 code units too, so a page can highlight the phrase in place.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use rapport_engine::DraftQuery;
use rapport_engine::check::{DraftKind, Report};
use rapport_engine::model::Network;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::AppState;

/// The longest draft checked: far past any network's limit.
pub(crate) const MAX_CHARS: usize = 20_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Draft {
    text: String,
    /// post, reply or dm.
    kind: Option<String>,
    /// The recipient's handle or id: the relationship with them is part of the judgement.
    to: Option<String>,
    network: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct CheckDto {
    pub(crate) score: f32,
    pub(crate) verdict: &'static str,
    pub(crate) findings: Vec<FindingDto>,
}

#[derive(Serialize)]
pub(crate) struct FindingDto {
    pub(crate) rule: &'static str,
    /// The flagged phrase.
    pub(crate) phrase: String,
    /// Where it starts and ends, in UTF-16 code units (JavaScript string indexes).
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) reason: String,
    pub(crate) suggestion: String,
    pub(crate) severity: f32,
}

/// The report in the API's shape.
pub(crate) fn dto(text: &str, report: &Report) -> CheckDto {
    let utf16 = |byte: usize| text.get(..byte).map_or(0, |t| t.encode_utf16().count());
    CheckDto {
        score: report.score,
        verdict: report.verdict.as_str(),
        findings: report
            .findings
            .iter()
            .map(|f| FindingDto {
                rule: f.rule.as_str(),
                phrase: text.get(f.span.clone()).unwrap_or_default().to_owned(),
                start: utf16(f.span.start),
                end: utf16(f.span.end),
                reason: f.reason.clone(),
                suggestion: f.suggestion.clone(),
                severity: f.severity,
            })
            .collect(),
    }
}

pub(crate) async fn post(
    State(state): State<AppState>,
    body: Result<Json<Draft>, JsonRejection>,
) -> Result<Json<CheckDto>, ApiError> {
    let draft = super::body(body)?;
    if draft.text.chars().count() > MAX_CHARS {
        return Err(ApiError::bad_request(format!(
            "a draft is checked up to {MAX_CHARS} characters"
        )));
    }
    let kind = match draft.kind.as_deref() {
        None | Some("post") => DraftKind::Post,
        Some("reply") => DraftKind::Reply,
        Some("dm") => DraftKind::Dm,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown kind '{other}'; use post, reply or dm"
            )));
        }
    };
    let network = match draft.network.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => Some(n.parse::<Network>().map_err(|e| ApiError::bad_request(e.to_string()))?),
        None => None,
    };
    let to = draft.to.filter(|t| !t.trim().is_empty());
    let text = draft.text;
    let query = DraftQuery { kind, to, network };
    let view = state.current_view();
    let checked = state
        .engines
        .call(move |engine| {
            let reports =
                engine.read()?.check_drafts(&view, std::slice::from_ref(&text), &query)?;
            let report =
                reports.first().ok_or_else(|| ApiError::internal("the check gave no report"))?;
            Ok(dto(&text, report))
        })
        .await?;
    Ok(Json(checked))
}
