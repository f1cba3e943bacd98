//! One relationship in full (`GET /api/person/{key}`): timeline, strength history, stages, the
//! give/ask ledger and the merge suggestions with their evidence; merging accounts into one person
//! (`POST /api/person/merge` with `{"accounts": [...]}`) and splitting one off
//! (`POST /api/person/split` with `{"account": ...}`), accounts named `network:id`.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use rapport_engine::AccountRow;
use rapport_engine::model::{Direction, InteractionKind};
use rapport_engine::score::{Given, LEDGER_BASIS};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::events::Change;
use crate::state::AppState;

/// How many timeline entries (the newest) a person's data carries.
const TIMELINE: usize = 200;

#[derive(Clone, Serialize)]
pub(crate) struct PersonDto {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) as_of: String,
    pub(crate) accounts: Vec<AccountDto>,
    pub(crate) stage: &'static str,
    pub(crate) blocked: bool,
    /// "person" or "organisation" (issue 18), with the lines of evidence for and against.
    pub(crate) kind: &'static str,
    pub(crate) kind_evidence: Vec<String>,
    /// What "strongest" ranks by: the investment over time, as in the people listing.
    pub(crate) strength: f64,
    /// The 30-day contact forecast now, 30 and 90 days ago (the history's `strength` points).
    pub(crate) next_30d: f64,
    pub(crate) next_30d_30d_ago: f64,
    pub(crate) next_30d_90d_ago: f64,
    pub(crate) trend: &'static str,
    /// `None` (null) when no source shows the other side (`other_side` is "unseen").
    pub(crate) reciprocity: Option<f64>,
    pub(crate) other_side: &'static str,
    pub(crate) first_contact: Option<String>,
    pub(crate) shared_connections: u32,
    /// What each side did, kind by kind.
    pub(crate) you_gave: Vec<(&'static str, u32)>,
    pub(crate) they_gave: Vec<(&'static str, u32)>,
    pub(crate) ledger: LedgerDto,
    /// Monthly strength, oldest first.
    pub(crate) history: Vec<PointDto>,
    pub(crate) stage_changes: Vec<StageChangeDto>,
    /// The newest interactions, oldest first.
    pub(crate) timeline: Vec<TimelineDto>,
    pub(crate) timeline_total: usize,
    pub(crate) merge_suggestions: Vec<MergeDto>,
}

#[derive(Clone, Serialize)]
pub(crate) struct AccountDto {
    /// `network:id`, for merge and split.
    pub(crate) spec: String,
    pub(crate) network: &'static str,
    pub(crate) label: String,
    pub(crate) display_name: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) merged: bool,
}

impl AccountDto {
    pub(crate) fn of(a: &AccountRow) -> AccountDto {
        AccountDto {
            spec: format!("{}:{}", a.network.as_str(), a.native_id),
            network: a.network.as_str(),
            label: a.label(),
            display_name: a.display_name.clone(),
            url: a.url.clone(),
            merged: a.person >= 0,
        }
    }
}

#[derive(Clone, Serialize)]
pub(crate) struct LedgerDto {
    pub(crate) given: GivenDto,
    pub(crate) received: GivenDto,
    pub(crate) asked_requests: u32,
    pub(crate) asked_cold_dms: u32,
    pub(crate) asked_pitches: u32,
    pub(crate) basis: &'static str,
}

#[derive(Clone, Serialize)]
pub(crate) struct GivenDto {
    pub(crate) replies: u32,
    pub(crate) credits: u32,
    pub(crate) reposts: u32,
    pub(crate) likes: u32,
    pub(crate) total: u32,
}

impl GivenDto {
    fn of(g: &Given) -> GivenDto {
        GivenDto {
            replies: g.replies,
            credits: g.credits,
            reposts: g.reposts,
            likes: g.likes,
            total: g.total(),
        }
    }
}

#[derive(Clone, Serialize)]
pub(crate) struct PointDto {
    pub(crate) at: String,
    #[serde(skip)]
    pub(crate) ts: i64,
    pub(crate) strength: f64,
    pub(crate) stage: &'static str,
}

#[derive(Clone, Serialize)]
pub(crate) struct StageChangeDto {
    pub(crate) at: Option<String>,
    pub(crate) from: &'static str,
    pub(crate) to: &'static str,
}

#[derive(Clone, Serialize)]
pub(crate) struct TimelineDto {
    pub(crate) at: Option<String>,
    pub(crate) from_me: bool,
    pub(crate) kind: &'static str,
    pub(crate) network: &'static str,
    pub(crate) text: Option<String>,
}

#[derive(Clone, Serialize)]
pub(crate) struct MergeDto {
    pub(crate) a: AccountDto,
    pub(crate) b: AccountDto,
    pub(crate) confidence: f64,
    pub(crate) evidence: Vec<String>,
}

/// One person as the page and the API show them, kept for the data's generation (and the view)
/// like the other slow views: a person is computed from the pair's events, tens of milliseconds,
/// which twenty clients on one page would otherwise queue for.
pub(crate) async fn load(state: &AppState, key: String) -> Result<Arc<PersonDto>, ApiError> {
    if key.trim().is_empty() {
        return Err(ApiError::not_found("name a person: /person/{handle or id}"));
    }
    // Suggestions compare every account with every other: kept until the data changes.
    let merges = state.cached("merges", |engine| Ok(engine.read()?.suggest_merges()?)).await?;
    let view = state.current_view();
    state
        .cached(&format!("person/{key}"), move |engine| {
            let snapshot = engine.read()?;
            let p = snapshot.person(&view, &key)?;
            let mine: Vec<i64> =
                snapshot.me(view.as_account.as_deref())?.iter().map(|a| a.id).collect();
            let ids: Vec<i64> = p.accounts.iter().map(|a| a.id).collect();
            let suggestions = merges
                .iter()
                .filter(|s| ids.contains(&s.a.id) || ids.contains(&s.b.id))
                .map(|s| MergeDto {
                    a: AccountDto::of(&s.a),
                    b: AccountDto::of(&s.b),
                    confidence: s.confidence,
                    evidence: s.evidence.clone(),
                })
                .collect();
            let r = &p.detail.relationship;
            let kinds = |direction: Direction| -> Vec<(&'static str, u32)> {
                InteractionKind::ALL
                    .iter()
                    .map(|k| (k.as_str(), r.counts.get(*k, direction)))
                    .filter(|(_, n)| *n > 0)
                    .collect()
            };
            let start = p.timeline.len().saturating_sub(TIMELINE);
            Ok(PersonDto {
                key: super::person_key(&p.accounts),
                name: p.accounts.first().map_or_else(|| key.clone(), AccountRow::label),
                as_of: super::at(p.as_of),
                accounts: p.accounts.iter().map(AccountDto::of).collect(),
                stage: r.stage.as_str(),
                blocked: r.blocked,
                kind: if p.judgement.organisation { "organisation" } else { "person" },
                kind_evidence: p.judgement.evidence.clone(),
                strength: r.invested(),
                next_30d: r.strength,
                next_30d_30d_ago: r.strength_30d_ago,
                next_30d_90d_ago: r.strength_90d_ago,
                trend: r.trend.as_str(),
                reciprocity: r.reciprocity_seen(),
                other_side: r.other_side.as_str(),
                first_contact: super::maybe_at(r.first_contact),
                shared_connections: r.shared_connections,
                you_gave: kinds(Direction::Out),
                they_gave: kinds(Direction::In),
                ledger: LedgerDto {
                    given: GivenDto::of(&r.ledger.given),
                    received: GivenDto::of(&r.ledger.received),
                    asked_requests: r.ledger.asked.requests,
                    asked_cold_dms: r.ledger.asked.cold_dms,
                    asked_pitches: r.ledger.asked.pitches,
                    basis: LEDGER_BASIS,
                },
                history: p
                    .detail
                    .history
                    .iter()
                    .map(|h| PointDto {
                        at: super::at(h.at),
                        ts: h.at,
                        strength: h.strength,
                        stage: h.stage.as_str(),
                    })
                    .collect(),
                stage_changes: p
                    .detail
                    .stage_changes
                    .iter()
                    .map(|c| StageChangeDto {
                        at: super::maybe_at(c.at),
                        from: c.from.as_str(),
                        to: c.to.as_str(),
                    })
                    .collect(),
                timeline_total: p.timeline.len(),
                timeline: p.timeline[start..]
                    .iter()
                    .map(|i| TimelineDto {
                        at: super::maybe_at(i.at),
                        from_me: mine.contains(&i.source),
                        kind: i.kind.as_str(),
                        network: i.network.as_str(),
                        text: i.text.clone(),
                    })
                    .collect(),
                merge_suggestions: suggestions,
            })
        })
        .await
}

pub(crate) async fn get(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<PersonDto>, ApiError> {
    Ok(Json(PersonDto::clone(&*load(&state, key).await?)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Merge {
    accounts: Vec<String>,
}

pub(crate) async fn merge(
    State(state): State<AppState>,
    body: Result<Json<Merge>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Merge { accounts } = super::body(body)?;
    let merged = state
        .engines
        .call(move |engine| {
            let merged = engine.merge(&accounts)?;
            Ok(merged.iter().map(AccountDto::of).collect::<Vec<_>>())
        })
        .await?;
    let _ = state.changes.send(Change::Data);
    let key = merged.first().map(|a| a.spec.split_once(':').map_or("", |(_, id)| id).to_owned());
    Ok(Json(json!({ "merged": merged, "key": key })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Split {
    account: String,
}

pub(crate) async fn split(
    State(state): State<AppState>,
    body: Result<Json<Split>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Split { account } = super::body(body)?;
    let split =
        state.engines.call(move |engine| Ok(AccountDto::of(&engine.split(&account)?))).await?;
    let _ = state.changes.send(Change::Data);
    Ok(Json(json!({ "split": split })))
}
