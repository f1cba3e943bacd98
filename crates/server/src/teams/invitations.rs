//! Invitations by one-time link: an owner creates one for a role in their workspace; the invitee
//! opens the link, chooses a name and a password, and is a member from then on. The link's token
//! is kept only hashed, and works once, for a week.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use maud::Markup;
use rapport_engine::team::rules::{
    AuditAction, Role, Token, TokenHash, TokenKind, check_new_password, check_user_name,
    hash_password,
};
use rapport_engine::team::tables;
use serde::{Deserialize, Serialize};

use super::audit_log::Actor;
use super::caller::Caller;
use super::{TeamState, pages, rules_error};
use crate::error::ApiError;

/// How long an invitation can be accepted.
const INVITATION_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewInvitation {
    role: String,
}

#[derive(Serialize)]
pub(crate) struct Created {
    /// The path to hand the invitee (on this server), shown this once.
    link: String,
    role: String,
    expires_in_seconds: i64,
}

/// `POST /api/team/invitations {role}` (owners).
pub(crate) async fn create(
    State(team): State<TeamState>,
    Extension(caller): Extension<Caller>,
    Json(new): Json<NewInvitation>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let role: Role = new.role.parse().map_err(|e| ApiError::bad_request(format!("{e}")))?;
    let token = Token::generate(TokenKind::Invitation).map_err(rules_error)?;
    let (hash, workspace, by) = (token.hash(), caller.workspace_id, caller.user_id);
    let entry = caller.actor().entry(AuditAction::Invite, &format!("as {role}"));
    team.change(
        move |c| {
            tables::create_invitation(
                c,
                &hash.0,
                workspace,
                role.as_str(),
                Some(by),
                INVITATION_SECONDS,
            )
        },
        move |()| Some(entry),
    )
    .await?;
    let created = Created {
        link: format!("/invite?token={}", token.text()),
        role: role.to_string(),
        expires_in_seconds: INVITATION_SECONDS,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Acceptance {
    token: String,
    name: String,
    password: String,
}

#[derive(Serialize)]
pub(crate) struct Accepted {
    user_id: i64,
    workspace_id: i64,
}

/// Checks the name and password, then accepts: one transaction marks the invitation used and
/// creates the member.
async fn accept_one(team: &TeamState, a: Acceptance) -> Result<Accepted, ApiError> {
    let gone =
        || ApiError::not_found("this invitation is unknown, used or expired; ask for a new one");
    let hash = TokenHash::of_presented(TokenKind::Invitation, &a.token).ok_or_else(gone)?;
    let name = a.name.trim().to_owned();
    check_user_name(&name).map_err(rules_error)?;
    check_new_password(&a.password).map_err(rules_error)?;
    let password = a.password;
    let phc = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| ApiError::internal("hashing the password failed"))?
        .map_err(rules_error)?;
    let (stored_name, joined) = (name.clone(), name.clone());
    let (user_id, workspace_id) = team
        .change(
            move |c| tables::accept_invitation(c, &hash.0, &stored_name, phc.as_str()),
            move |accepted| {
                accepted.map(|(user, workspace)| {
                    Actor { workspace, user, name: &joined }.entry(AuditAction::Join, &joined)
                })
            },
        )
        .await?
        .ok_or_else(gone)?;
    Ok(Accepted { user_id, workspace_id })
}

/// `POST /api/team/invitations/accept {token, name, password}`.
pub(crate) async fn accept(
    State(team): State<TeamState>,
    Json(acceptance): Json<Acceptance>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    Ok((StatusCode::CREATED, Json(accept_one(&team, acceptance).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkParams {
    token: String,
}

/// `GET /invite?token=…`: the form to choose a name and a password.
pub(crate) async fn page(Query(params): Query<LinkParams>) -> Markup {
    pages::invitation(&params.token, None)
}

/// `POST /invite` (the form): to the login form once accepted, or the form again with why.
pub(crate) async fn form(
    State(team): State<TeamState>,
    Form(acceptance): Form<Acceptance>,
) -> Response {
    let token = acceptance.token.clone();
    match accept_one(&team, acceptance).await {
        Ok(_) => Redirect::to("/login").into_response(),
        Err(err) => (err.status(), pages::invitation(&token, Some(&err.message))).into_response(),
    }
}
