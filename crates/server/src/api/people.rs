//! The people listing (`GET /api/people`): sorted, filtered by stage, network, trend and group,
//! searched by name, a page at a time.

use std::collections::HashSet;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use rapport_engine::model::{Direction, Network};
use rapport_engine::score::{Stage, Trend};
use rapport_engine::{PeopleQuery, PersonSummary, SortKey, View};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::AppState;

/// How many people a page shows unless asked otherwise.
const PAGE: usize = 100;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeopleParams {
    /// strength, forecast, trend, cooling, last, reciprocity or name.
    pub(crate) sort: Option<String>,
    pub(crate) stage: Option<String>,
    pub(crate) network: Option<String>,
    /// warming, steady or cooling.
    pub(crate) trend: Option<String>,
    /// A group's index in `/api/groups`.
    pub(crate) group: Option<String>,
    /// Part of a handle or name.
    pub(crate) q: Option<String>,
    pub(crate) limit: Option<usize>,
    pub(crate) offset: Option<usize>,
}

#[derive(Serialize)]
pub(crate) struct PeopleDto {
    pub(crate) as_of: String,
    /// Everyone with history.
    pub(crate) total: usize,
    /// Those that pass the filters.
    pub(crate) matching: usize,
    pub(crate) offset: usize,
    pub(crate) people: Vec<PersonRow>,
}

/// One relationship, with the columns of `rapport people`.
#[derive(Clone, Serialize)]
pub(crate) struct PersonRow {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) display_name: Option<String>,
    pub(crate) networks: Vec<&'static str>,
    pub(crate) stage: &'static str,
    pub(crate) blocked: bool,
    /// What "strongest" ranks by: the investment in the relationship over time (the CLI's
    /// `strength` column, `rapport_score::Investment`).
    pub(crate) strength: f64,
    /// The chance of any contact in the next 30 days (the CLI's `next_30d`).
    pub(crate) next_30d: f64,
    pub(crate) trend: &'static str,
    /// `None` (null) when no source shows the other side (`other_side` is "unseen").
    pub(crate) reciprocity: Option<f64>,
    pub(crate) by_me: u32,
    pub(crate) to_me: Option<u32>,
    pub(crate) other_side: &'static str,
    pub(crate) given: u32,
    pub(crate) asked: u32,
    pub(crate) shared: u32,
    pub(crate) first: Option<String>,
    pub(crate) last: Option<String>,
    pub(crate) last_by: Option<&'static str>,
}

impl PersonRow {
    pub(crate) fn of(p: &PersonSummary) -> PersonRow {
        let r = &p.relationship;
        let mut networks: Vec<&'static str> =
            p.accounts.iter().map(|a| a.network.as_str()).collect();
        networks.dedup();
        PersonRow {
            key: super::person_key(&p.accounts),
            name: p.label(),
            display_name: p.accounts.iter().find_map(|a| a.display_name.clone()),
            networks,
            stage: r.stage.as_str(),
            blocked: r.blocked,
            strength: r.invested(),
            next_30d: r.strength,
            trend: r.trend.as_str(),
            reciprocity: r.reciprocity_seen(),
            by_me: r.counts.interactions(Direction::Out),
            to_me: r.reciprocity_seen().map(|_| r.counts.interactions(Direction::In)),
            other_side: r.other_side.as_str(),
            given: r.ledger.given.total(),
            asked: r.ledger.asked.total(),
            shared: r.shared_connections,
            first: super::maybe_at(r.first_contact),
            last: r.last.map(|l| super::at(l.at)),
            last_by: r.last.map(|l| if l.direction == Direction::Out { "me" } else { "them" }),
        }
    }
}

/// The filters, checked: a bad value is a 400 naming it and what is allowed.
struct Filters {
    view: View,
    query: PeopleQuery,
    stage: Option<Stage>,
    trend: Option<Trend>,
    group: Option<usize>,
    search: Option<String>,
}

fn filters(view: &View, params: &PeopleParams) -> Result<Filters, ApiError> {
    let given = |v: &Option<String>| {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
    };
    let sort = match given(&params.sort).as_deref() {
        None | Some("strength") => SortKey::Strength,
        Some("trend") => SortKey::Trend,
        Some("cooling") => SortKey::Cooling,
        Some("last") => SortKey::Last,
        Some("reciprocity") => SortKey::Reciprocity,
        Some("forecast") => SortKey::Forecast,
        Some("name") => SortKey::Name,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown sort '{other}'; use strength, forecast, trend, cooling, last, reciprocity or name"
            )));
        }
    };
    let stage = match given(&params.stage) {
        Some(s) => Some(s.parse::<Stage>().map_err(|e| ApiError::bad_request(e.to_string()))?),
        None => None,
    };
    let network = match given(&params.network) {
        Some(n) => Some(n.parse::<Network>().map_err(|e| ApiError::bad_request(e.to_string()))?),
        None => None,
    };
    let trend = match given(&params.trend).as_deref() {
        None => None,
        Some("warming") => Some(Trend::Warming),
        Some("steady") => Some(Trend::Steady),
        Some("cooling") => Some(Trend::Cooling),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown trend '{other}'; use warming, steady or cooling"
            )));
        }
    };
    let group = match given(&params.group) {
        Some(g) => Some(g.parse::<usize>().map_err(|_| {
            ApiError::bad_request(format!("'{g}' is not a group number from /api/groups"))
        })?),
        None => None,
    };
    Ok(Filters {
        view: View { network, ..view.clone() },
        query: PeopleQuery { sort, ..PeopleQuery::default() },
        stage,
        trend,
        group,
        search: given(&params.q).map(|q| q.to_lowercase()),
    })
}

pub(crate) async fn load(state: &AppState, params: PeopleParams) -> Result<PeopleDto, ApiError> {
    let Filters { view, query, stage, trend, group, search } =
        filters(&state.current_view(), &params)?;
    let members: Option<HashSet<i64>> = match group {
        Some(g) => {
            let groups = super::groups::groups(state).await?;
            let found = groups.get(g).ok_or_else(|| {
                ApiError::bad_request(format!("there is no group {g}; /api/groups lists them"))
            })?;
            Some(found.members.iter().copied().collect())
        }
        None => None,
    };
    let limit = params.limit.unwrap_or(PAGE);
    let offset = params.offset.unwrap_or(0);
    // One listing of everyone per network and order, kept until the data changes (decoding the
    // store's kept view of 10,000 people is the bulk of a request); filtered here per request.
    let key = format!("people/{}/{:?}", view.network.map_or("all", |n| n.as_str()), query.sort);
    let people =
        state.cached(&key, move |engine| Ok(engine.read()?.people(&view, &query)?)).await?;
    let matching: Vec<&PersonSummary> = people
        .people
        .iter()
        .filter(|p| stage.is_none_or(|s| p.relationship.stage == s))
        .filter(|p| trend.is_none_or(|t| p.relationship.trend == t))
        .filter(|p| members.as_ref().is_none_or(|m| m.contains(&p.person)))
        .filter(|p| search.as_deref().is_none_or(|q| matches(p, q)))
        .collect();
    Ok(PeopleDto {
        as_of: super::at(people.as_of),
        total: people.people.len(),
        matching: matching.len(),
        offset,
        people: matching.into_iter().skip(offset).take(limit).map(PersonRow::of).collect(),
    })
}

/// True when a handle, id or display name of the person contains `q` (lower case).
fn matches(p: &PersonSummary, q: &str) -> bool {
    p.accounts.iter().any(|a| {
        a.handle.as_deref().is_some_and(|h| h.to_lowercase().contains(q))
            || a.display_name.as_deref().is_some_and(|d| d.to_lowercase().contains(q))
            || a.native_id.to_lowercase().contains(q)
    })
}

pub(crate) async fn get(
    State(state): State<AppState>,
    params: Result<Query<PeopleParams>, QueryRejection>,
) -> Result<Json<PeopleDto>, ApiError> {
    Ok(Json(load(&state, super::query(params)?).await?))
}
