//! The address table: every page and every `/api/` endpoint, behind the security guard.

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::state::AppState;
use crate::{api, assets, events, imports, pages, security};

pub(crate) fn router(state: AppState) -> Router {
    routes()
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::guard))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// The pages and the API of one store, without the guard: [`router`] puts the local guard in
/// front of them, team mode (`crate::teams`) its own.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::today::page))
        .route("/people", get(pages::people::page))
        .route("/person/{key}", get(pages::person::page))
        .route("/map", get(pages::map::page))
        .route("/discover", get(pages::discover::page))
        .route("/groups", get(pages::groups::page))
        .route("/audit", get(pages::audit::page))
        .route("/report", get(api::report::page))
        .route("/import", get(pages::import::page))
        .route("/assets/{name}", get(assets::get))
        .route("/api/", get(index))
        .route("/api/session", get(api::session::get))
        .route("/api/today", get(api::today::get))
        .route("/api/today/{id}/done", post(api::today::done))
        .route("/api/today/{id}/snooze", post(api::today::snooze))
        .route("/api/people", get(api::people::get))
        .route("/api/person/{key}", get(api::person::get))
        .route("/api/person/merge", post(api::person::merge))
        .route("/api/person/split", post(api::person::split))
        .route("/api/map", get(api::map::get))
        .route("/api/discover", get(api::discover::get))
        .route("/api/groups", get(api::groups::get))
        .route("/api/audit", get(api::audit::get))
        .route("/api/report", get(api::report::get))
        .route("/api/check", post(api::check::post))
        .route("/api/import", post(imports::upload))
        .route("/api/import/{id}", get(imports::status))
        .route("/api/events", get(events::stream))
}

/// `GET /api/`: what the API offers (the README documents each shape).
async fn index() -> axum::Json<Value> {
    axum::Json(json!({
        "endpoints": [
            "GET /api/session", "GET /api/today?limit=N", "POST /api/today/{id}/done",
            "POST /api/today/{id}/snooze {days}", "GET /api/people?sort&stage&network&trend&group&q&limit&offset",
            "GET /api/person/{key}", "POST /api/person/merge {accounts}", "POST /api/person/split {account}",
            "GET /api/map", "GET /api/discover?topic&limit", "GET /api/groups", "GET /api/audit",
            "GET /api/report", "POST /api/check {text, kind, to, network}", "POST /api/import?name&format (body: the file)",
            "GET /api/import/{id}", "GET /api/events (server-sent events)",
        ],
        "changes_need": "the x-csrf-token header with the token from /api/session",
    }))
}

/// A 404: JSON under `/api/`, a page elsewhere.
pub(crate) async fn not_found(uri: axum::http::Uri) -> Response {
    let err = crate::error::ApiError::not_found(format!("nothing at {}", uri.path()));
    if uri.path().starts_with("/api/") {
        err.into_response()
    } else {
        crate::pages::PageError(err).into_response()
    }
}
