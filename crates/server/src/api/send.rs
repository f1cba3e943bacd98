//! Sending the message written for one of today's actions (`POST /api/send` with
//! `{"action", "text"}`, and `"anyway": true` to send a draft the checker flags), only ever on the
//! user's click: an answer or an opportunity as a reply under the post in question; a thanks as a
//! reply to the quote, or a new post naming them after a plain repost; a reconnect, a revive or an
//! introduction as a new message naming the person (and the one who can introduce them), private
//! on Mastodon. The records of what was sent are written to the store with the network's own ids
//! (so the next sync meets them without a duplicate), the action is done, and the relationship
//! and today's list update from there, as after any import.

mod accounts;
mod plan;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use rapport_engine::check::Verdict;
use rapport_engine::sync::SyncError;
use rapport_engine::{DraftQuery, Engine, View};
use serde::{Deserialize, Serialize};

pub(crate) use accounts::{CredentialsFile, Senders};
pub(crate) use plan::{PlanDto, plan};

use super::check::{CheckDto, MAX_CHARS, dto};
use crate::error::{ApiError, Kind};
use crate::events::Change;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Send {
    /// The id of today's action the message is for.
    action: String,
    text: String,
    /// Which connected account sends it, when several are connected on the network.
    account: Option<String>,
    /// Send even though the draft checker flags the text.
    #[serde(default)]
    anyway: bool,
}

#[derive(Serialize)]
pub(crate) struct SentDto {
    network: &'static str,
    /// The connected account it was sent from.
    from: String,
    /// The network's id of the sent post (an AT URI, a status URI).
    id: String,
    /// The post answered, for a reply.
    reply_to: Option<String>,
    /// How it went out: `reply`, `post` or `private`.
    how: &'static str,
    /// The text as sent, after the people it names.
    text: String,
    /// What the check said of the text.
    check: CheckDto,
    /// Records the store did not have yet.
    stored: u64,
}

pub(crate) async fn post(
    State(state): State<AppState>,
    body: Result<Json<Send>, JsonRejection>,
) -> Result<Json<SentDto>, ApiError> {
    let send = super::body(body)?;
    let view = state.current_view();
    if view.as_account.is_some() || view.as_of.is_some() {
        return Err(ApiError::bad_request(
            "this dashboard shows the store as another account or as of another day; messages are sent only from `rapport serve` without --as and --as-of",
        ));
    }
    let sent =
        state.engines.call(move |engine| send_message(engine, &CredentialsFile, &send)).await?;
    let _ = state.changes.send(Change::Data);
    Ok(Json(sent))
}

/// Checks, sends and stores one message from an account of `senders`, and marks its action done;
/// runs on an engine worker (it blocks on the network). Nothing is written unless it was sent.
pub(crate) fn send_message(
    engine: &Engine,
    senders: &dyn Senders,
    send: &Send,
) -> Result<SentDto, ApiError> {
    if send.text.chars().count() > MAX_CHARS {
        return Err(ApiError::bad_request(format!(
            "a message is sent up to {MAX_CHARS} characters"
        )));
    }
    let view = View::default();
    let (_, action) = super::today::waiting(engine, &view, &send.action)?;
    let target = engine.read()?.send_target(&view, &action)?.map_err(|why| {
        ApiError::new(Kind::Conflict, format!("nothing can be sent for this action: {why}"))
    })?;
    let key = super::key_of_label(&action.who);
    let query = DraftQuery {
        kind: plan::draft_kind(&target),
        to: Some(key),
        network: Some(action.network),
    };
    let reports = engine.read()?.check_drafts(&view, std::slice::from_ref(&send.text), &query)?;
    let report = reports.first().ok_or_else(|| ApiError::internal("the check gave no report"))?;
    if report.verdict != Verdict::Fine && !send.anyway {
        return Err(ApiError::new(
            Kind::Conflict,
            format!(
                "the draft checker reads this message as {} (score {:.2}); change it, or send it anyway (the API takes \"anyway\": true)",
                report.verdict.as_str(),
                report.score
            ),
        ));
    }
    let check = dto(&send.text, report);
    let outgoing = plan::outgoing(&target, &send.text);
    let sent = senders.send(engine, action.network, send.account.as_deref(), &outgoing)?;
    let id = sent
        .records
        .iter()
        .find_map(|r| match r {
            rapport_engine::model::Record::Post(p) => Some(p.id.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let (counts, _) = engine.write_sent(&sent.key, &sent.records)?;
    // Sent is done: a new message may not retire its action by itself (an introduction stays
    // suggested until they answer).
    engine.mark_done(&action.id)?;
    if let Err(err) = engine.refresh_views() {
        tracing::warn!(%err, "the views were not brought up to date after a message was sent");
    }
    let how = plan(&target).how;
    tracing::info!(network = action.network.as_str(), how, "message sent");
    Ok(SentDto {
        network: action.network.as_str(),
        from: sent.from,
        id,
        reply_to: target.reply_to,
        how,
        text: outgoing.text(),
        check,
        stored: counts.new,
    })
}

/// A sync error as the page shows it: refused credentials, a network that failed, or input.
fn refused(err: SyncError) -> ApiError {
    let message = format!("nothing was sent: {}", rapport_engine::sync::quote(&err.to_string()));
    match err {
        SyncError::Unauthorized { .. } => ApiError::new(Kind::Forbidden, message),
        SyncError::Input(_) => ApiError::bad_request(message),
        SyncError::Credentials { .. } | SyncError::Store { .. } => ApiError::internal(message),
        SyncError::Network { .. }
        | SyncError::Status { .. }
        | SyncError::TooLarge { .. }
        | SyncError::Json { .. }
        | SyncError::Cursor { .. }
        | SyncError::Frame { .. }
        | SyncError::GaveUp { .. } => ApiError::new(Kind::BadGateway, message),
    }
}
