//! `GET /api/session`: the CSRF token scripts send with every change (`x-csrf-token`).

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::security::CSRF_HEADER;
use crate::state::AppState;

pub(crate) async fn get(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "csrf": state.security.csrf, "header": CSRF_HEADER }))
}
