//! The stylesheet, the scripts and the icon, embedded in the binary and served from it: the
//! dashboard needs no CDN, no build step and no network.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Every asset: name, content type, body.
const ASSETS: [(&str, &str, &str); 4] = [
    ("app.css", "text/css; charset=utf-8", include_str!("../assets/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_str!("../assets/app.js")),
    ("map.js", "text/javascript; charset=utf-8", include_str!("../assets/map.js")),
    ("icon.svg", "image/svg+xml", include_str!("../assets/icon.svg")),
];

pub(crate) async fn get(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, body)) => {
            let mut response = (*body).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            // A new build may change them; a revalidation on loopback costs nothing.
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        None => ApiError::not_found(format!("no asset '{name}'")).into_response(),
    }
}
