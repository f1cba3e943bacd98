//! The team server's middleware: Host, caller, role, CSRF, then the audit entry of a change, and
//! the memory of verified callers emptied after any change that may alter one (`principals.rs`).

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_engine::team::rules::{AuditAction, allows};

use super::{TeamState, audit_log, caller, pending, permission, principals};
use crate::error::{ApiError, Kind};
use crate::security::{csrf_problem, harden, host_allowed, origin_problem};

pub(crate) async fn guard(
    State(team): State<TeamState>,
    mut request: Request,
    next: Next,
) -> Response {
    // Forgets after the handler, whose change is committed by then: a lookup from before it cannot
    // keep its answer (the epoch), and one after it sees the change.
    let _forget = principals::may_change(request.method(), request.uri().path())
        .then(|| principals::ForgetWhenDone(&team.principals));
    harden(
        check_and_run(&team, &mut request, next).await.unwrap_or_else(IntoResponse::into_response),
    )
}

async fn check_and_run(
    team: &TeamState,
    request: &mut Request,
    next: Next,
) -> Result<Response, ApiError> {
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_owned();
    if !host_allowed(&team.hosts, &host) {
        return Err(ApiError::new(
            Kind::MisdirectedHost,
            format!("this server does not answer for the host '{host}'; open it by its address"),
        ));
    }
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let writes = permission::writes(&method);
    if permission::is_public(&path) {
        if writes && let Some(problem) = origin_problem(headers, &host) {
            return Err(ApiError::new(Kind::Forbidden, problem));
        }
        return Ok(next.run(std::mem::take(request)).await);
    }
    let Some(caller) = caller::resolve(team, headers).await? else {
        let browser = !headers.contains_key(header::AUTHORIZATION);
        return Ok(unauthenticated(&method, &path, browser));
    };
    let needs = permission::of(&method, &path);
    if !allows(caller.role, needs) {
        return Err(ApiError::new(
            Kind::Forbidden,
            format!(
                "your role in this workspace ({}) does not allow this; ask an owner",
                caller.role
            ),
        ));
    }
    let form_post = permission::FORM_POSTS.contains(&path.as_str());
    // Cookie sessions carry the CSRF header (forms a field, checked by their handlers); API
    // tokens are not sent by browsers on their own, so they need none.
    let problem = match (writes, form_post, &caller.session) {
        (false, _, _) => None,
        (true, true, _) => origin_problem(headers, &host),
        (true, false, Some(session)) => csrf_problem(headers, &host, &session.csrf),
        (true, false, None) => None,
    };
    if let Some(problem) = problem {
        return Err(ApiError::new(Kind::Forbidden, problem));
    }
    let subject = request.uri().path_and_query().map_or(path.clone(), |p| p.as_str().to_owned());
    request.extensions_mut().insert(caller.clone());
    // Reads are never audited, even those only some roles may make.
    let Some(action) = AuditAction::for_permission(needs).filter(|_| writes) else {
        return Ok(next.run(std::mem::take(request)).await);
    };
    // The entry commits in the change's own transaction; a change that touched no workspace data
    // (nothing to write, or no store call at all) is recorded on its own once it has succeeded.
    let entry = caller.actor().entry(action, &subject);
    let (response, written) = pending::scope(entry, next.run(std::mem::take(request))).await;
    if response.status().is_success() && !written {
        audit_log::record(team, caller.actor(), action, &subject).await;
    }
    Ok(response)
}

/// No valid session: pages send a browser to the login form; the API, and scripts whose token
/// is refused, get 401.
fn unauthenticated(method: &axum::http::Method, path: &str, browser: bool) -> Response {
    if browser && !path.starts_with("/api/") && !permission::writes(method) {
        return Redirect::to("/login").into_response();
    }
    ApiError::new(
        Kind::Unauthorized,
        "log in first (POST /api/team/login), or send `Authorization: Bearer TOKEN` with an API token",
    )
    .into_response()
}
