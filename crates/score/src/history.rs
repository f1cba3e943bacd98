//! One relationship in depth: its strength history and the dates its stage changed.

use rapport_model::Timestamp;
use rapport_model::time::DAY;

use crate::assess::assess;
use crate::event::Event;
use crate::index::{PairIndex, UNDATED};
use crate::relationship::{OtherSide, Relationship, SNAPSHOT_DAYS, ScoreParams, relationship_at};
use rapport_model::Stage;

use crate::stage::{CLOSE_WITHIN, stage_as};
use crate::summary::PairSummary;

/// Strength and stage at one moment of a relationship's history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HistoryPoint {
    /// The moment.
    pub at: Timestamp,
    /// Strength as it stood then (computed only from what was known then).
    pub strength: f64,
    /// The stage then.
    pub stage: Stage,
}

/// A change of stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageChange {
    /// When it changed; `None` for a stage reached through undated events (e.g. an undated follow).
    pub at: Option<Timestamp>,
    /// The stage before.
    pub from: Stage,
    /// The stage after.
    pub to: Stage,
}

/// One relationship with its history, for `rapport person`.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationshipDetail {
    /// The relationship at the as-of time.
    pub relationship: Relationship,
    /// Strength and stage every `history_step`, oldest first, ending at the as-of time.
    pub history: Vec<HistoryPoint>,
    /// Every stage change up to the as-of time, oldest first.
    pub stage_changes: Vec<StageChange>,
}

/// The relationship between `me` and `them` as it stood at `as_of`, with its history, or `None` when
/// the two have no event at all by then.
pub fn relationship(
    events: &[Event],
    me: u32,
    them: u32,
    as_of: Timestamp,
    params: &ScoreParams,
) -> Option<RelationshipDetail> {
    relationship_as(events, me, them, as_of, params, OtherSide::Seen)
}

/// [`relationship`] as far as the sources show the other `side`: with [`OtherSide::Unseen`], the
/// relationship, its history and its stage changes are the one-sided ones (see
/// [`Relationship::other_side_unseen`]).
pub fn relationship_as(
    events: &[Event],
    me: u32,
    them: u32,
    as_of: Timestamp,
    params: &ScoreParams,
    side: OtherSide,
) -> Option<RelationshipDetail> {
    let index = PairIndex::build(events, as_of);
    let pair = index.events_of(me, them);
    if pair.is_empty() || me == them {
        return None;
    }
    let steps = (0..params.history_points).rev();
    let history = steps
        .map(|k| {
            let at = as_of - params.history_step * Timestamp::try_from(k).unwrap_or(Timestamp::MAX);
            let activity = [index.activity(me, at), index.activity(them, at)];
            let point = assess(&index, me, them, at, activity, &params.weights);
            let strength = match side {
                _ if point.summary.blocked => 0.0,
                OtherSide::Seen => point.strength,
                OtherSide::Unseen => params.one_sided.strength(&point.one_sided),
            };
            HistoryPoint { at, strength, stage: stage_as(&point.summary, at, side) }
        })
        .collect();
    let stage_changes = stage_changes(pair, me < them, as_of, side);
    let mine = index.activities(me, SNAPSHOT_DAYS.map(|days| as_of - days * DAY));
    let mut relationship = relationship_at(&index, me, them, as_of, mine, params);
    if side == OtherSide::Unseen {
        relationship.other_side_unseen();
    }
    Some(RelationshipDetail { relationship, history, stage_changes })
}

/// Replays a pair's events in time order and notes every stage change, including a close
/// relationship lapsing to mutual when its conversation goes quiet for longer than [`CLOSE_WITHIN`].
fn stage_changes(
    pair: &[crate::index::PairEvent],
    from_low: bool,
    as_of: Timestamp,
    side: OtherSide,
) -> Vec<StageChange> {
    let stage_of = |summary: &PairSummary, at: Timestamp| stage_as(summary, at, side);
    let mut changes = Vec::new();
    let mut summary = PairSummary::default();
    let mut stage = Stage::Stranger;
    let mut note = |at: Timestamp, to: Stage, stage: &mut Stage| {
        if to != *stage {
            let at = (at != UNDATED).then_some(at);
            changes.push(StageChange { at, from: *stage, to });
            *stage = to;
        }
    };
    let mut i = 0;
    while i < pair.len() && pair[i].at <= as_of {
        let at = pair[i].at;
        if let Some(lapse) = lapse_time(&summary, stage).filter(|&t| t < at) {
            note(lapse, stage_of(&summary, lapse), &mut stage);
        }
        // Events at the same moment are applied together so no half-applied stage is reported.
        while i < pair.len() && pair[i].at == at {
            // Decayed sums are irrelevant to stages, so any reference time will do.
            summary.add(&pair[i], as_of, from_low);
            i += 1;
        }
        note(at, stage_of(&summary, at), &mut stage);
    }
    if let Some(lapse) = lapse_time(&summary, stage).filter(|&t| t <= as_of) {
        note(lapse, stage_of(&summary, lapse), &mut stage);
    }
    changes
}

/// For a close relationship, the first moment its conversation is too old for it to stay close.
fn lapse_time(summary: &PairSummary, stage: Stage) -> Option<Timestamp> {
    let (_, last) = summary.conversation_span.filter(|_| stage == Stage::Close)?;
    Some(last + CLOSE_WITHIN + 1)
}
