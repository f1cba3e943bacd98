//! Sending a reply (`POST /api/send` with `{"action", "text"}`, and `"anyway": true` to send a
//! draft the checker flags): the reply goes out through the network's API from the connected
//! account, as an answer to the newest message the action waits on, and the records of the sent
//! post are written to the store with the network's own ids (so the next sync meets them without
//! a duplicate). The relationship and today's list update from there, as after any import.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use rapport_engine::check::{DraftKind, Verdict};
use rapport_engine::model::{InteractionKind, Network};
use rapport_engine::sync::http::Limits;
use rapport_engine::sync::{Connection, Credentials, SyncError, bluesky, mastodon};
use rapport_engine::{ActionKind, DraftQuery, Engine, View};
use serde::{Deserialize, Serialize};

use super::check::{CheckDto, MAX_CHARS, dto};
use crate::error::{ApiError, Kind};
use crate::events::Change;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Send {
    /// The id of today's action the reply answers.
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
    /// The post answered.
    reply_to: String,
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
    if send.text.chars().count() > MAX_CHARS {
        return Err(ApiError::bad_request(format!("a reply is sent up to {MAX_CHARS} characters")));
    }
    let view = state.current_view();
    if view.as_account.is_some() || view.as_of.is_some() {
        return Err(ApiError::bad_request(
            "this dashboard shows the store as another account or as of another day; replies are sent only from `rapport serve` without --as and --as-of",
        ));
    }
    let sent = state.engines.call(move |engine| send_reply(engine, &send)).await?;
    let _ = state.changes.send(Change::Data);
    Ok(Json(sent))
}

/// Checks, sends and stores one reply; runs on an engine worker (it blocks on the network).
fn send_reply(engine: &Engine, send: &Send) -> Result<SentDto, ApiError> {
    let (_, action) =
        super::today::waiting(engine, &rapport_engine::View::default(), &send.action)?;
    if action.kind != ActionKind::Answer {
        return Err(ApiError::bad_request(format!(
            "a {} action is a new message, which is written in the network's own app; the dashboard sends answers to posts",
            action.kind.as_str()
        )));
    }
    let key = super::key_of_label(&action.who);
    let reply_to = answered_post(engine, &key, action.network, action.at)?;
    let query =
        DraftQuery { kind: DraftKind::Reply, to: Some(key.clone()), network: Some(action.network) };
    let reports = engine.read()?.check_drafts(
        &rapport_engine::View::default(),
        std::slice::from_ref(&send.text),
        &query,
    )?;
    let report = reports.first().ok_or_else(|| ApiError::internal("the check gave no report"))?;
    if report.verdict != Verdict::Fine && !send.anyway {
        return Err(ApiError::new(
            Kind::Conflict,
            format!(
                "the draft checker reads this reply as {} (score {:.2}); change it, or send it anyway (the API takes \"anyway\": true)",
                report.verdict.as_str(),
                report.score
            ),
        ));
    }
    let check = dto(&send.text, report);
    let mut credentials = Credentials::load(&data_dir(engine)).map_err(refused)?;
    let network = action.network;
    let Some(connection) = credentials
        .connections
        .iter_mut()
        .find(|c| on(c, network) && send.account.as_deref().is_none_or(|a| c.is(a)))
    else {
        return Err(ApiError::new(
            Kind::Conflict,
            format!(
                "no {} account{} is connected, so nothing can be sent there; run `rapport connect {} …` first",
                network.as_str(),
                send.account.as_deref().map(|a| format!(" '{a}'")).unwrap_or_default(),
                network.as_str()
            ),
        ));
    };
    let from = connection.name();
    let account = connection.key();
    let records = match connection {
        Connection::Bluesky(session) => {
            bluesky::post_reply(session, &reply_to, &send.text, Limits::default())
        }
        Connection::Mastodon(app) => {
            mastodon::post_reply(app, &reply_to, &send.text, Limits::default())
        }
    };
    // Tokens the server rotated are kept whether or not the post went out.
    credentials.save().map_err(refused)?;
    let records = records.map_err(refused)?;
    let id = records
        .iter()
        .find_map(|r| match r {
            rapport_engine::model::Record::Post(p) => Some(p.id.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let (counts, _) = engine.write_sent(&account, &records)?;
    if let Err(err) = engine.refresh_views() {
        tracing::warn!(%err, "the views were not brought up to date after a reply was sent");
    }
    tracing::info!(network = network.as_str(), "reply sent");
    Ok(SentDto { network: network.as_str(), from, id, reply_to, check, stored: counts.new })
}

/// The networks a reply can be sent on: those with a connected account, when the server shows the
/// store as "me", now. A credentials file that cannot be read offers none (sending says why).
pub(crate) fn connected(engine: &Engine, view: &View) -> Vec<Network> {
    if view.as_account.is_some() || view.as_of.is_some() {
        return Vec::new();
    }
    let Ok(credentials) = Credentials::load(&data_dir(engine)) else { return Vec::new() };
    [Network::Bluesky, Network::Mastodon]
        .into_iter()
        .filter(|n| credentials.connections.iter().any(|c| on(c, *n)))
        .collect()
}

/// The store's folder, where the credentials file lives beside it (as for `rapport sync`).
fn data_dir(engine: &Engine) -> std::path::PathBuf {
    engine.db_path().parent().map(std::path::Path::to_path_buf).unwrap_or_default()
}

/// True when `connection` is an account on `network`.
fn on(connection: &Connection, network: Network) -> bool {
    matches!(
        (connection, network),
        (Connection::Bluesky(_), Network::Bluesky) | (Connection::Mastodon(_), Network::Mastodon)
    )
}

/// The post an answer goes under: the newest public message from them on `network` since the
/// first one waiting (`since`), which a reply in the thread answers.
fn answered_post(
    engine: &Engine,
    key: &str,
    network: Network,
    since: Option<i64>,
) -> Result<String, ApiError> {
    let person = engine.read()?.person(&rapport_engine::View::default(), key)?;
    let theirs: Vec<i64> = person.accounts.iter().map(|a| a.id).collect();
    person
        .timeline
        .iter()
        .rev()
        .filter(|i| i.network == network && theirs.contains(&i.source))
        .filter(|i| since.is_none_or(|s| i.at.is_some_and(|at| at >= s)))
        .filter(|i| {
            matches!(i.kind, InteractionKind::Reply | InteractionKind::Mention | InteractionKind::Quote)
        })
        .find_map(|i| i.post_id.clone())
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "the message waiting from {key} is private or has no post to answer; answer it in the network's own app"
            ))
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
