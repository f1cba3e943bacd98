//! Every request passes here first: the Host header is checked (a page on another site that
//! rebinds its DNS name to 127.0.0.1 must not read the dashboard), the token is required when the
//! server listens beyond loopback, state changes need the CSRF token, and every response gets a
//! strict Content-Security-Policy and its companions.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::{ApiError, Kind};
use crate::state::AppState;

/// Scripts, styles and images only from the server itself; no inline code, no frames, no plugins.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// The header state-changing requests carry the CSRF token in.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";
/// The cookie a browser keeps the access token in, once it opened `/?token=...`.
const TOKEN_COOKIE: &str = "rapport_token";

/// The server's secrets and who it answers to.
pub(crate) struct Secrets {
    /// The token every state change carries; pages hold it in a meta tag, scripts read it from
    /// `/api/session`. Another site can neither read it (no CORS) nor set the header.
    pub(crate) csrf: String,
    /// Required on every request when the server listens beyond loopback.
    pub(crate) token: Option<String>,
    /// The Host headers accepted (`host:port`, lower case); empty accepts any, which only
    /// happens behind a token on an unspecified address (0.0.0.0), whose names cannot be known.
    pub(crate) hosts: Vec<String>,
}

impl Secrets {
    fn host_allowed(&self, host: &str) -> bool {
        host_allowed(&self.hosts, host)
    }
}

/// Whether `host` is one of `hosts` (any, when `hosts` is empty).
pub(crate) fn host_allowed(hosts: &[String], host: &str) -> bool {
    hosts.is_empty() || hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
}

/// 32 random bytes in hex, for the CSRF token and a generated access token.
pub(crate) fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares secrets in time that does not depend on where they first differ.
pub(crate) fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The middleware: checks, then the response headers.
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let secrets = &state.security;
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !secrets.host_allowed(host) {
        return harden(
            ApiError::new(
                Kind::MisdirectedHost,
                format!("this server does not answer for the host '{host}'; open it by the address it printed"),
            )
            .into_response(),
        );
    }
    if let Some(token) = &secrets.token {
        match token_check(&request, token) {
            TokenCheck::Valid => {}
            TokenCheck::FromQuery => return harden(remember_token(&request, token)),
            TokenCheck::Missing => {
                return harden(
                    ApiError::new(
                        Kind::Unauthorized,
                        "this server needs its token: open the address with ?token=TOKEN once, or send `Authorization: Bearer TOKEN`",
                    )
                    .into_response(),
                );
            }
        }
    }
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state && let Some(problem) = csrf_problem(request.headers(), host, &secrets.csrf) {
        return harden(ApiError::new(Kind::Forbidden, problem).into_response());
    }
    harden(next.run(request).await)
}

/// Why a state change is refused, if it is.
pub(crate) fn csrf_problem(headers: &HeaderMap, host: &str, csrf: &str) -> Option<String> {
    if let Some(problem) = origin_problem(headers, host) {
        return Some(problem);
    }
    let given = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !same_secret(given, csrf) {
        return Some(format!(
            "changes need the {CSRF_HEADER} header with the token from /api/session (the pages send it)"
        ));
    }
    None
}

/// Why a change is refused for coming from another site, if it is (browsers send Origin with
/// every cross-site and same-site POST).
pub(crate) fn origin_problem(headers: &HeaderMap, host: &str) -> Option<String> {
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok())?;
    let same = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|o| o.eq_ignore_ascii_case(host));
    (!same).then(|| format!("a change requested from another site ({origin}) is refused"))
}

enum TokenCheck {
    Valid,
    FromQuery,
    Missing,
}

fn token_check(request: &Request, token: &str) -> TokenCheck {
    let headers = request.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer.is_some_and(|b| same_secret(b.trim(), token)) {
        return TokenCheck::Valid;
    }
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(TOKEN_COOKIE)?.strip_prefix('='))
        .any(|c| same_secret(c, token));
    if cookie {
        return TokenCheck::Valid;
    }
    let query = request.uri().query().unwrap_or("");
    let in_query =
        query.split('&').filter_map(|p| p.strip_prefix("token=")).any(|t| same_secret(t, token));
    if in_query && request.method() == Method::GET {
        return TokenCheck::FromQuery;
    }
    TokenCheck::Missing
}

/// Keeps the token in a cookie the browser sends only to this server, and sends the browser back
/// to the page without the token in its address (so it stays out of history and referrers).
fn remember_token(request: &Request, token: &str) -> Response {
    let path = request.uri().path();
    let rest: Vec<&str> = request
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("token="))
        .collect();
    let target =
        if rest.is_empty() { path.to_owned() } else { format!("{path}?{}", rest.join("&")) };
    let mut response = Redirect::to(&target).into_response();
    let cookie = format!("{TOKEN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The headers every response carries; a response that set its own policy (the report page,
/// whose styles are inline) keeps it.
pub(crate) fn harden(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
