//! Who a request comes from: a session cookie or an API token, resolved to (user, workspace,
//! role) in one query.

use axum::http::HeaderMap;
use axum::http::header;
use rapport_engine::team::rules::{Role, TokenHash, TokenKind, csrf_of_session};
use rapport_engine::team::{Client, TableResult, tables};

use super::TeamState;
use crate::error::ApiError;

/// The cookie of a session on loopback; beyond it, the `__Host-` name makes browsers refuse it
/// unless it is Secure, for this host only and for every path.
pub(crate) const COOKIE: &str = "rapport_session";
pub(crate) const SECURE_COOKIE: &str = "__Host-rapport_session";

/// A request's user, workspace and role.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub(crate) user_id: i64,
    pub(crate) user_name: String,
    pub(crate) workspace_id: i64,
    pub(crate) role: Role,
    /// Set when the request came with a session cookie (not an API token).
    pub(crate) session: Option<Session>,
}

/// A browser session: its hash (to end or switch it) and its CSRF token.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) hash: TokenHash,
    pub(crate) csrf: String,
}

impl Caller {
    /// The CSRF token pages carry for this caller (none is needed with an API token).
    pub(crate) fn csrf(&self) -> &str {
        self.session.as_ref().map_or("", |s| s.csrf.as_str())
    }
}

/// The session cookie's name for this server.
pub(crate) fn cookie_name(team: &TeamState) -> &'static str {
    if team.secure { SECURE_COOKIE } else { COOKIE }
}

/// The caller, or `None` when the request carries no valid session or token.
pub(crate) async fn resolve(
    team: &TeamState,
    headers: &HeaderMap,
) -> Result<Option<Caller>, ApiError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(presented) = bearer {
        // A malformed token never reaches the database.
        let Some(hash) = TokenHash::of_presented(TokenKind::Api, presented) else {
            return Ok(None);
        };
        let found = remembered(team, TokenKind::Api, hash, tables::api_token).await?;
        return Ok(found.and_then(|p| caller(p, None)));
    }
    let name = cookie_name(team);
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('=').map(str::to_owned));
    let Some(text) = cookie else { return Ok(None) };
    let Some(hash) = TokenHash::of_presented(TokenKind::Session, &text) else { return Ok(None) };
    let found = remembered(team, TokenKind::Session, hash, tables::session).await?;
    Ok(found.and_then(|p| caller(p, Some(Session { hash, csrf: csrf_of_session(&text) }))))
}

/// Who the token or session stands for: from the guard's memory if it was verified a moment ago,
/// else from the database (`lookup`), then remembered.
async fn remembered(
    team: &TeamState,
    kind: TokenKind,
    hash: TokenHash,
    lookup: fn(&mut Client, &[u8; 32]) -> TableResult<Option<tables::Principal>>,
) -> Result<Option<tables::Principal>, ApiError> {
    if let Some(known) = team.principals.get(kind, hash) {
        return Ok(Some(known));
    }
    let epoch = team.principals.epoch();
    let found = team.tables(move |c| lookup(c, &hash.0)).await?;
    if let Some(principal) = &found {
        team.principals.keep(epoch, kind, hash, principal);
    }
    Ok(found)
}

fn caller(principal: tables::Principal, session: Option<Session>) -> Option<Caller> {
    // The schema allows only the three roles; anything else opens nothing.
    let role = principal.role.parse().ok()?;
    Some(Caller {
        user_id: principal.user_id,
        user_name: principal.user_name,
        workspace_id: principal.workspace_id,
        role,
        session,
    })
}
