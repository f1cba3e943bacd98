//! Whose view of the store a request asks for, and as of when: the server's own (the CLI's
//! `--as` and `--as-of` given to `rapport serve`) unless the address says `as=ACCOUNT` or
//! `as_of=DATE`, as the commands' flags do. The choice is taken off the address (so each page's
//! own parameters stay strict) and holds for the whole request through a task-local value.

use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rapport_engine::View;
use rapport_engine::model::time;

use crate::error::ApiError;
use crate::state::AppState;

tokio::task_local! {
    static VIEW: Arc<View>;
}

/// The view of the request being answered, or the server's outside of one.
pub(crate) fn current(default: &Arc<View>) -> Arc<View> {
    VIEW.try_with(Arc::clone).unwrap_or_else(|_| Arc::clone(default))
}

/// The address's `as` and `as_of`, applied over the server's view for the rest of the request.
pub(crate) async fn choose(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let (view, rest) = match chosen(&state.view, request.uri()) {
        Ok(found) => found,
        Err(err) if request.uri().path().starts_with("/api/") => return err.into_response(),
        Err(err) => return crate::pages::PageError(err).into_response(),
    };
    if let Some(uri) = rest {
        *request.uri_mut() = uri;
    }
    VIEW.scope(view, next.run(request)).await
}

/// The view the address asks for, and the address without `as` and `as_of` when it had them.
fn chosen(default: &Arc<View>, uri: &Uri) -> Result<(Arc<View>, Option<Uri>), ApiError> {
    let Some(query) = uri.query() else { return Ok((Arc::clone(default), None)) };
    let asks = |key: &str| key == "as" || key == "as_of";
    let raw_key = |pair: &str| pair.split_once('=').map_or(pair, |(k, _)| k).to_owned();
    if !query.split('&').any(|pair| asks(&raw_key(pair))) {
        return Ok((Arc::clone(default), None));
    }
    let Query(pairs): Query<Vec<(String, String)>> =
        Query::try_from_uri(uri).map_err(|e| ApiError::bad_request(e.body_text()))?;
    let mut view = View::clone(default);
    for (key, value) in pairs {
        let value = value.trim();
        match key.as_str() {
            "as" => view.as_account = Some(value.to_owned()).filter(|v| !v.is_empty()),
            "as_of" if value.is_empty() => view.as_of = None,
            "as_of" => {
                view.as_of = Some(time::parse(value).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "as_of '{value}' is not a date; give 2025-06-01 or an RFC 3339 time"
                    ))
                })?);
            }
            _ => {}
        }
    }
    let kept: Vec<&str> = query.split('&').filter(|pair| !asks(&raw_key(pair))).collect();
    let path = uri.path();
    let rest = if kept.is_empty() { path.to_owned() } else { format!("{path}?{}", kept.join("&")) };
    let rest =
        rest.parse::<Uri>().map_err(|e| ApiError::bad_request(format!("bad address: {e}")))?;
    Ok((Arc::new(view), Some(rest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_chooses_the_view_and_keeps_its_other_parameters() {
        let default = Arc::new(View::default());
        let uri: Uri = "/api/people?sort=trend&as=%40ada&as_of=2025-06-01&limit=5".parse().unwrap();
        let (view, rest) = chosen(&default, &uri).unwrap();
        assert_eq!(view.as_account.as_deref(), Some("@ada"));
        assert_eq!(view.as_of, time::parse("2025-06-01"));
        assert_eq!(rest.unwrap().to_string(), "/api/people?sort=trend&limit=5");
        let (same, none) = chosen(&default, &"/api/people?limit=5".parse().unwrap()).unwrap();
        assert!(Arc::ptr_eq(&same, &default) && none.is_none());
        assert!(chosen(&default, &"/?as_of=soon".parse().unwrap()).is_err());
    }
}
