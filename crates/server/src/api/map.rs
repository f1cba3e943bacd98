//! The relationship map's data (`GET /api/map`): every person with their stage, strength, trend,
//! group and place. The layout is computed here, once per change of the data, and kept: "me" at the
//! centre, one ring per stage (closest innermost), stronger people nearer the inside of their ring,
//! and each group a sector of its own, so groups read as regions. People are sent as columns of
//! small numbers (stage and trend as indexes, strength and places as integers) rather than one
//! object each: at 10,000 people that halves the bytes and the browser's parse, and the page
//! draws straight from the arrays.

use std::collections::HashMap;
use std::f64::consts::TAU;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rapport_engine::score::{Stage, Trend};
use rapport_engine::{Group, PeopleQuery, View};
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize)]
pub(crate) struct MapDto {
    pub(crate) as_of: String,
    /// How many people `people` holds.
    pub(crate) count: usize,
    pub(crate) people: Columns,
    /// The names that `people.stage` indexes.
    pub(crate) stages: [&'static str; 5],
    /// The names that `people.trend` indexes.
    pub(crate) trends: [&'static str; 3],
    /// The sectors, in order around the circle; the last holds people in no named group.
    pub(crate) groups: Vec<SectorDto>,
    /// Each stage's ring: inner and outer radius, as a share of the map's radius.
    pub(crate) rings: Vec<RingDto>,
}

/// The people, one array per field, strongest first; entry `i` of each is person `i`.
#[derive(Default, Serialize)]
pub(crate) struct Columns {
    pub(crate) key: Vec<String>,
    pub(crate) name: Vec<String>,
    /// Index into `stages`.
    pub(crate) stage: Vec<u8>,
    /// Strength in thousandths (0 to 1000).
    pub(crate) strength: Vec<u16>,
    /// Index into `trends`.
    pub(crate) trend: Vec<u8>,
    /// Index into `groups`.
    pub(crate) group: Vec<usize>,
    /// Place on the map in ten-thousandths, -10,000 to 10,000 on both axes, "me" at 0, 0.
    pub(crate) x: Vec<i16>,
    pub(crate) y: Vec<i16>,
}

/// The stages in `stages`' order, innermost ring first.
const STAGES: [Stage; 5] =
    [Stage::Close, Stage::Mutual, Stage::Engaged, Stage::Aware, Stage::Stranger];

/// The trends in `trends`' order.
const TRENDS: [Trend; 3] = [Trend::Warming, Trend::Steady, Trend::Cooling];

/// A place (-1 to 1) in ten-thousandths.
fn fixed(v: f64) -> i16 {
    (v.clamp(-1.0, 1.0) * 10_000.0).round() as i16
}

/// The position of `item` in `list` (which holds every value), as a column entry.
fn index<T: PartialEq>(list: &[T], item: &T) -> u8 {
    list.iter().position(|x| x == item).unwrap_or(0) as u8
}

#[derive(Serialize)]
pub(crate) struct SectorDto {
    pub(crate) name: String,
    pub(crate) size: usize,
    /// Where its sector starts and ends, in radians clockwise from the top.
    pub(crate) start: f64,
    pub(crate) end: f64,
}

#[derive(Serialize)]
pub(crate) struct RingDto {
    pub(crate) stage: &'static str,
    pub(crate) inner: f64,
    pub(crate) outer: f64,
}

/// The rings, innermost first.
const RINGS: [(Stage, f64, f64); 5] = [
    (Stage::Close, 0.10, 0.28),
    (Stage::Mutual, 0.28, 0.48),
    (Stage::Engaged, 0.48, 0.68),
    (Stage::Aware, 0.68, 0.86),
    (Stage::Stranger, 0.86, 1.0),
];

/// A person as the layout needs them.
pub(crate) struct Placed {
    pub(crate) key: String,
    pub(crate) stage: Stage,
    pub(crate) strength: f64,
    pub(crate) group: usize,
}

/// Places people: ring by stage, depth in the ring by strength rank, angle within the sector of
/// their group from a hash of their key (so a person keeps their place when others come and go).
pub(crate) fn layout(people: &[Placed], sectors: &[(f64, f64)]) -> Vec<(f64, f64)> {
    // Each stage's strengths, sorted, to turn a strength into a rank within its ring.
    let mut by_stage: HashMap<Stage, Vec<f64>> = HashMap::new();
    for p in people {
        by_stage.entry(p.stage).or_default().push(p.strength);
    }
    for strengths in by_stage.values_mut() {
        strengths.sort_by(f64::total_cmp);
    }
    people
        .iter()
        .map(|p| {
            let (_, inner, outer) =
                RINGS.iter().find(|(s, _, _)| *s == p.stage).copied().unwrap_or(RINGS[4]);
            let strengths = by_stage.get(&p.stage).map_or(&[][..], Vec::as_slice);
            let below = strengths.partition_point(|s| *s < p.strength);
            let rank =
                if strengths.len() > 1 { below as f64 / (strengths.len() - 1) as f64 } else { 0.5 };
            let h = hash(&p.key);
            let jitter = ((h >> 32) as f64 / u32::MAX as f64 - 0.5) * 0.08;
            let depth = (1.0 - rank + jitter).clamp(0.04, 0.96);
            let radius = inner + (outer - inner) * depth;
            let (start, end) = sectors.get(p.group).copied().unwrap_or((0.0, TAU));
            let margin = ((end - start) * 0.04).min(0.02);
            let angle = start
                + margin
                + (end - start - 2.0 * margin) * ((h & 0xffff_ffff) as f64 / u32::MAX as f64);
            (radius * angle.sin(), -radius * angle.cos())
        })
        .collect()
}

/// Groups with fewer people than this on the map share the "others" sector.
const MIN_SECTOR: usize = 3;

fn compute(
    engine: &rapport_engine::Engine,
    view: &View,
    groups: &[Group],
) -> Result<MapDto, ApiError> {
    let people = engine.read()?.people(view, &PeopleQuery::default())?;
    let mut group_of: HashMap<i64, usize> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        for m in &g.members {
            group_of.insert(*m, i);
        }
    }
    // Sectors for the groups that have people on the map, then one for everyone else.
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for p in &people.people {
        if let Some(g) = group_of.get(&p.person) {
            *counts.entry(*g).or_default() += 1;
        }
    }
    let mut named: Vec<usize> =
        (0..groups.len()).filter(|g| counts.get(g).copied().unwrap_or(0) >= MIN_SECTOR).collect();
    named.sort_by_key(|g| std::cmp::Reverse(counts.get(g).copied().unwrap_or(0)));
    let sector_of: HashMap<usize, usize> = named.iter().enumerate().map(|(s, g)| (*g, s)).collect();
    let others = named.len();
    let placed: Vec<Placed> = people
        .people
        .iter()
        .map(|p| Placed {
            key: super::person_key(&p.accounts),
            stage: p.relationship.stage,
            strength: p.relationship.invested(),
            group: group_of
                .get(&p.person)
                .and_then(|g| sector_of.get(g))
                .copied()
                .unwrap_or(others),
        })
        .collect();
    let mut sizes = vec![0usize; others + 1];
    for p in &placed {
        sizes[p.group] += 1;
    }
    let total = placed.len().max(1) as f64;
    let mut sectors = Vec::with_capacity(sizes.len());
    let mut start = 0.0;
    for size in &sizes {
        let end = start + TAU * (*size as f64) / total;
        sectors.push((start, end));
        start = end;
    }
    let places = layout(&placed, &sectors);
    let names =
        named.iter().map(|g| groups[*g].name.clone()).chain(std::iter::once("others".to_owned()));
    let mut columns = Columns::default();
    for ((p, placed), (x, y)) in people.people.iter().zip(placed).zip(places) {
        let r = &p.relationship;
        columns.key.push(placed.key);
        columns.name.push(p.label());
        columns.stage.push(index(&STAGES, &r.stage));
        columns.strength.push((r.invested().clamp(0.0, 1.0) * 1000.0).round() as u16);
        columns.trend.push(index(&TRENDS, &r.trend));
        columns.group.push(placed.group);
        columns.x.push(fixed(x));
        columns.y.push(fixed(y));
    }
    Ok(MapDto {
        as_of: super::at(people.as_of),
        count: columns.key.len(),
        people: columns,
        stages: STAGES.map(Stage::as_str),
        trends: TRENDS.map(Trend::as_str),
        groups: names
            .zip(sizes)
            .zip(sectors)
            .map(|((name, size), (start, end))| SectorDto { name, size, start, end })
            .collect(),
        rings: RINGS
            .iter()
            .map(|(stage, inner, outer)| RingDto {
                stage: stage.as_str(),
                inner: *inner,
                outer: *outer,
            })
            .collect(),
    })
}

/// The map as JSON, from the cache when the data has not changed: laid out and serialised once
/// per generation (10,000 people make a megabyte of JSON).
pub(crate) async fn load(state: &AppState) -> Result<Arc<Bytes>, ApiError> {
    let groups = super::groups::groups(state).await?;
    let view = state.current_view();
    state
        .cached("map", move |engine| {
            let map = compute(engine, &view, &groups)?;
            let json = serde_json::to_vec(&map)
                .map_err(|e| ApiError::internal(format!("cannot write the map: {e}")))?;
            Ok(Bytes::from(json))
        })
        .await
}

pub(crate) async fn get(State(state): State<AppState>) -> Result<Response, ApiError> {
    let json = load(&state).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], Bytes::clone(&json)).into_response())
}

/// A stable 64-bit hash of a key (FNV-1a, then SplitMix64's finaliser so that keys differing
/// only near their end still land far apart), the same on every build and platform, so places do
/// not move between runs.
fn hash(key: &str) -> u64 {
    let mut h = key
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stronger_people_sit_nearer_me_and_every_place_is_on_the_map() {
        let people: Vec<Placed> = (0..50)
            .map(|i| Placed {
                key: format!("p{i}"),
                stage: if i < 10 { Stage::Close } else { Stage::Aware },
                strength: f64::from(i) / 50.0,
                group: usize::from(i % 2 == 0),
            })
            .collect();
        let places = layout(&people, &[(0.0, 1.0), (1.0, TAU)]);
        let radius = |i: usize| places[i].0.hypot(places[i].1);
        for (i, p) in people.iter().enumerate() {
            assert!(radius(i) <= 1.0 && radius(i) > 0.0, "{i} off the map");
            let ring = RINGS.iter().find(|(s, _, _)| *s == p.stage).copied().unwrap_or(RINGS[4]);
            assert!(radius(i) >= ring.1 && radius(i) <= ring.2, "{i} outside its ring");
        }
        // Within the aware ring, the strongest sits well inside the weakest.
        assert!(radius(49) < radius(10));
        // Everyone in group 0 is inside its sector (clockwise from the top).
        for (i, p) in people.iter().enumerate().filter(|(_, p)| p.group == 0) {
            let angle = places[i].0.atan2(-places[i].1).rem_euclid(TAU);
            assert!((0.0..=1.0).contains(&angle), "{} at {angle}", p.key);
        }
    }
}
