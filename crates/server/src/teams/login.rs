//! Logging in and out: the login form and `POST /api/team/login`, which check the login rate
//! limiter first, then the password (as slowly for an unknown name as for a known one), and
//! start a session in the user's first workspace; logging out ends the session.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use maud::Markup;
use rapport_engine::team::rules::{
    AuditAction, PasswordHash, Token, TokenKind, csrf_of_session, verify_password,
};
use rapport_engine::team::tables;
use serde::{Deserialize, Serialize};

use super::audit_log::Actor;
use super::caller::{Caller, cookie_name};
use super::{TeamState, pages, rules_error};
use crate::error::{ApiError, Kind};
use crate::security::same_secret;

/// How long a session lasts: a working day and a half, then log in again.
const SESSION_SECONDS: i64 = 36 * 3600;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Credentials {
    name: String,
    password: String,
}

/// A session just started: who, where, as what, and the CSRF token its changes carry.
#[derive(Serialize)]
pub(crate) struct LoggedIn {
    user: String,
    workspace_id: i64,
    role: String,
    csrf: String,
}

/// Checks the limiter, then the password, then starts a session: the cookie to set and what the
/// session is.
async fn log_in(
    team: &TeamState,
    peer: IpAddr,
    c: Credentials,
) -> Result<(String, LoggedIn), ApiError> {
    let limited = match team.limiter.lock() {
        Ok(limiter) => limiter.check(&c.name, peer, Instant::now()),
        Err(_) => return Err(ApiError::internal("the login limiter failed")),
    };
    if let Err(refused) = limited {
        let minutes = refused.retry_after.as_secs().div_ceil(60);
        return Err(ApiError::new(
            Kind::TooManyRequests,
            format!(
                "too many failed logins for this account or from this address; try again in {minutes} minutes"
            ),
        ));
    }
    let name = c.name.clone();
    let user = team.tables(move |db| tables::user_login(db, &name)).await?;
    let stored = user.as_ref().map(|u| PasswordHash::from_stored(u.password.clone()));
    let password = c.password;
    let verified = tokio::task::spawn_blocking(move || verify_password(&password, stored.as_ref()))
        .await
        .map_err(|_| ApiError::internal("checking the password failed"))?
        .map_err(rules_error)?;
    let (Some(user), true) = (user, verified) else {
        if let Ok(mut limiter) = team.limiter.lock() {
            limiter.record_failure(&c.name, peer, Instant::now());
        }
        return Err(ApiError::new(Kind::Unauthorized, "wrong name or password"));
    };
    let user_id = user.id;
    let memberships = team.tables(move |db| tables::memberships(db, user_id)).await?;
    let Some(first) = memberships.into_iter().next() else {
        return Err(ApiError::new(
            Kind::Forbidden,
            "you belong to no workspace; ask an owner for an invitation",
        ));
    };
    let token = Token::generate(TokenKind::Session).map_err(rules_error)?;
    let (hash, workspace) = (token.hash(), first.workspace_id);
    let entry =
        Actor { workspace, user: user_id, name: &user.name }.entry(AuditAction::Login, &user.name);
    team.change(
        move |db| tables::create_session(db, &hash.0, user_id, workspace, SESSION_SECONDS),
        // A session for a workspace the user has just left is not made, nor logged.
        move |made| made.then_some(entry),
    )
    .await?;
    if let Ok(mut limiter) = team.limiter.lock() {
        limiter.record_success(&c.name);
    }
    let logged_in = LoggedIn {
        user: user.name,
        workspace_id: workspace,
        role: first.role,
        csrf: csrf_of_session(token.text()),
    };
    Ok((session_cookie(team, token.text(), SESSION_SECONDS), logged_in))
}

fn session_cookie(team: &TeamState, value: &str, max_age: i64) -> String {
    let secure = if team.secure { "; Secure" } else { "" };
    format!(
        "{}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}",
        cookie_name(team)
    )
}

/// `POST /api/team/login {name, password}`: sets the session cookie.
pub(crate) async fn api(
    State(team): State<TeamState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(credentials): Json<Credentials>,
) -> Result<Response, ApiError> {
    let (cookie, logged_in) = log_in(&team, peer.ip(), credentials).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(logged_in)).into_response())
}

/// `GET /login`: the form.
pub(crate) async fn page() -> Markup {
    pages::login(None)
}

/// `POST /login` (the form): to the dashboard with the cookie set, or the form again with why.
pub(crate) async fn form(
    State(team): State<TeamState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(credentials): Form<Credentials>,
) -> Response {
    match log_in(&team, peer.ip(), credentials).await {
        Ok((cookie, _)) => ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response(),
        Err(err) => (err.status(), pages::login(Some(&err.message))).into_response(),
    }
}

async fn log_out(team: &TeamState, caller: &Caller) -> Result<Response, ApiError> {
    let Some(session) = &caller.session else {
        return Err(ApiError::bad_request(
            "an API token has no session to end; revoke the token instead",
        ));
    };
    let hash = session.hash;
    let entry = caller.actor().entry(AuditAction::Logout, &caller.user_name);
    team.change(move |db| tables::end_session(db, &hash.0), move |()| Some(entry)).await?;
    Ok(([(header::SET_COOKIE, session_cookie(team, "", 0))], StatusCode::NO_CONTENT)
        .into_response())
}

/// `POST /api/team/logout`.
pub(crate) async fn logout_api(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, ApiError> {
    log_out(&team, &caller).await
}

/// A form's CSRF field.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CsrfForm {
    csrf: String,
}

/// Checks a form's CSRF field against the caller's session.
pub(crate) fn check_form(caller: &Caller, csrf: &str) -> Result<(), ApiError> {
    if caller.session.is_some() && same_secret(csrf, caller.csrf()) {
        Ok(())
    } else {
        Err(ApiError::new(Kind::Forbidden, "this form has expired; open the page again"))
    }
}

/// `POST /logout` (the form): back to the login form.
pub(crate) async fn logout_form(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    check_form(&caller, &form.csrf)?;
    let mut response = log_out(&team, &caller).await?;
    *response.status_mut() = StatusCode::SEE_OTHER;
    response.headers_mut().insert(header::LOCATION, header::HeaderValue::from_static("/login"));
    Ok(response)
}
