//! Today's actions (`GET /api/today`), and marking one done or snoozing it
//! (`POST /api/today/{id}/done`, `POST /api/today/{id}/snooze` with `{"days": 7}`).

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use rapport_engine::model::time::{self, DAY};
use rapport_engine::{Action, ActionKind, Engine, TodayQuery, View};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::send::{CredentialsFile, PlanDto, Senders, plan};
use crate::error::ApiError;
use crate::events::Change;
use crate::state::AppState;

/// How many actions the page shows unless asked otherwise (the CLI shows 10).
const DEFAULT_LIMIT: usize = 10;
/// More actions than any day offers: today's whole list, to tell whether an action waits.
const EVERY_ACTION: usize = 10_000;
/// The longest snooze: a year.
const MAX_SNOOZE_DAYS: i64 = 365;

#[derive(Serialize)]
pub(crate) struct TodayDto {
    pub(crate) as_of: String,
    /// How many actions are hidden because they are done or snoozed.
    pub(crate) hidden: usize,
    pub(crate) actions: Vec<ActionDto>,
}

#[derive(Serialize)]
pub(crate) struct ActionDto {
    pub(crate) id: String,
    pub(crate) kind: &'static str,
    pub(crate) who: String,
    /// The person's key, for `/person/{key}`.
    pub(crate) key: String,
    pub(crate) network: &'static str,
    pub(crate) why: String,
    pub(crate) approach: String,
    pub(crate) value: f64,
    pub(crate) at: Option<String>,
    /// What a reply to it is, for the draft check: a public reply or a private message.
    pub(crate) reply_kind: &'static str,
    /// True when the message can be sent from here: an account is connected on its network and
    /// the person has an account there to send it to.
    pub(crate) sendable: bool,
    /// What "send" does, when it can.
    pub(crate) send: Option<PlanDto>,
    /// Why it cannot, when an account is connected on the network but nothing can be sent.
    pub(crate) unsendable: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TodayParams {
    pub(crate) limit: Option<usize>,
}

pub(crate) async fn load(state: &AppState, params: TodayParams) -> Result<TodayDto, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    let view = state.current_view();
    state
        .engines
        .call(move |engine| {
            let today = engine.read()?.today(&view, &TodayQuery { limit })?;
            // Messages are sent as "me", now: a view of another account or day sends nothing.
            let connected = if view.as_account.is_some() || view.as_of.is_some() {
                Vec::new()
            } else {
                CredentialsFile.networks(engine)
            };
            let read = engine.read()?;
            Ok(TodayDto {
                as_of: super::at(today.as_of),
                hidden: today.hidden,
                actions: today
                    .actions
                    .into_iter()
                    .map(|a| {
                        let target = if connected.contains(&a.network) {
                            Some(read.send_target(&view, &a)?)
                        } else {
                            None
                        };
                        let (send, unsendable) = match target {
                            Some(Ok(target)) => (Some(plan(&target)), None),
                            Some(Err(why)) => (None, Some(why)),
                            None => (None, None),
                        };
                        Ok(ActionDto {
                            key: super::key_of_label(&a.who),
                            kind: a.kind.as_str(),
                            network: a.network.as_str(),
                            reply_kind: match a.kind {
                                // Reaching out to someone gone quiet, or to someone new, is a message.
                                ActionKind::Reconnect
                                | ActionKind::Revive
                                | ActionKind::Introduce => "dm",
                                ActionKind::Answer
                                | ActionKind::Thank
                                | ActionKind::Opportunity => "reply",
                            },
                            sendable: send.is_some(),
                            send,
                            unsendable,
                            at: super::maybe_at(a.at),
                            id: a.id,
                            who: a.who,
                            why: a.why,
                            approach: a.approach,
                            value: a.value,
                        })
                    })
                    .collect::<Result<_, ApiError>>()?,
            })
        })
        .await
}

pub(crate) async fn get(
    State(state): State<AppState>,
    params: Result<Query<TodayParams>, QueryRejection>,
) -> Result<Json<TodayDto>, ApiError> {
    Ok(Json(load(&state, super::query(params)?).await?))
}

/// The action `id` with the moment of today's list, if the list offers it now, else a 404.
pub(crate) fn waiting(engine: &Engine, view: &View, id: &str) -> Result<(i64, Action), ApiError> {
    let today = engine.read()?.today(view, &TodayQuery { limit: EVERY_ACTION })?;
    match today.actions.into_iter().find(|a| a.id == id) {
        Some(action) => Ok((today.as_of, action)),
        None => Err(ApiError::not_found(format!(
            "no action '{id}' is waiting today (it may be done or snoozed already)"
        ))),
    }
}

pub(crate) async fn done(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let answer = id.clone();
    let view = state.current_view();
    state
        .engines
        .call(move |engine| {
            waiting(engine, &view, &id)?;
            Ok(engine.mark_done(&id)?)
        })
        .await?;
    state.actions_done.fetch_add(1, Ordering::Relaxed);
    let _ = state.changes.send(Change::Actions);
    Ok(Json(json!({ "id": answer, "state": "done" })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Snooze {
    days: i64,
}

pub(crate) async fn snooze(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Json<Snooze>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Snooze { days } = super::body(body)?;
    if !(1..=MAX_SNOOZE_DAYS).contains(&days) {
        return Err(ApiError::bad_request(format!(
            "snooze for 1 to {MAX_SNOOZE_DAYS} days, not {days}"
        )));
    }
    let answer = id.clone();
    let view = state.current_view();
    let until = state
        .engines
        .call(move |engine| {
            let (now, _) = waiting(engine, &view, &id)?;
            engine.snooze(&id, now + days * DAY)?;
            Ok(now + days * DAY)
        })
        .await?;
    state.actions_done.fetch_add(1, Ordering::Relaxed);
    let _ = state.changes.send(Change::Actions);
    Ok(Json(json!({ "id": answer, "state": "snoozed", "until": time::format_date(until) })))
}
