//! The model's promises, checked on random histories: monotone in reciprocal replies (and in every
//! reply, quote, mention or DM between any two accounts), decaying with time, blind to later data,
//! and stages exactly as documented.
//!
//! Likes and reposts are deliberately left out of the monotonicity: returning a like settles what
//! was owed, which can lower strength (see `owed_return` in `rapport_score::Features`).

use proptest::prelude::*;
use rapport_model::time::DAY;
use rapport_model::{Direction, InteractionKind};
use rapport_score::{Event, Relationship, ScoreParams, Stage, relationships};

use super::support::{T0, ev};

const ME: u32 = 0;
const THEM: u32 = 1;
const HORIZON_DAYS: i64 = 400;

/// Replies, quotes, mentions and DMs: the kinds strength is monotone in.
const CONVERSATIONAL: [InteractionKind; 4] =
    [InteractionKind::Reply, InteractionKind::Quote, InteractionKind::Mention, InteractionKind::Dm];

fn event() -> impl Strategy<Value = Event> {
    (
        0u32..5,
        0u32..5,
        0..InteractionKind::ALL.len(),
        prop::option::weighted(0.9, 0i64..HORIZON_DAYS),
    )
        .prop_map(|(s, t, k, day)| Event {
            source: s,
            target: t,
            kind: InteractionKind::ALL[k],
            at: day.map(|d| T0 + d * DAY),
        })
}

fn history() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec(event(), 0..40)
}

/// The relationship between ME and THEM at `day`, if they have any history by then.
fn between(events: &[Event], day: i64) -> Option<Relationship> {
    relationships(events, ME, T0 + day * DAY, &ScoreParams::default())
        .into_iter()
        .find(|r| r.other == THEM)
}

fn strength(events: &[Event], day: i64) -> f64 {
    between(events, day).map_or(0.0, |r| r.strength)
}

proptest! {
    #[test]
    fn one_more_reciprocal_reply_never_lowers_strength(
        events in history(),
        reply_day in 0i64..HORIZON_DAYS,
        from_them in any::<bool>(),
    ) {
        let (source, target) = if from_them { (THEM, ME) } else { (ME, THEM) };
        let mut more = events.clone();
        more.push(ev(source, target, InteractionKind::Reply, reply_day));
        let (before, after) = (strength(&events, HORIZON_DAYS), strength(&more, HORIZON_DAYS));
        prop_assert!(after >= before - 1e-12, "{before} -> {after}");
    }

    #[test]
    fn one_more_conversational_event_anywhere_never_lowers_strength(
        events in history(),
        source in 0u32..5,
        target in 0u32..5,
        kind in prop::sample::select(CONVERSATIONAL.to_vec()),
        day in 0i64..HORIZON_DAYS,
    ) {
        let mut more = events.clone();
        more.push(ev(source, target, kind, day));
        let (before, after) = (strength(&events, HORIZON_DAYS), strength(&more, HORIZON_DAYS));
        prop_assert!(after >= before - 1e-12, "{before} -> {after}");
    }

    #[test]
    fn strength_only_falls_while_nothing_happens(events in history(), wait in 1i64..400) {
        let now = HORIZON_DAYS;
        let (before, after) = (strength(&events, now), strength(&events, now + wait));
        prop_assert!(after <= before + 1e-12, "{before} -> {after}");
    }

    #[test]
    fn later_data_changes_nothing_as_of_a_past_moment(
        events in history(),
        later in history(),
        as_of in 0i64..HORIZON_DAYS,
    ) {
        let moved: Vec<Event> = later
            .into_iter()
            .map(|e| Event { at: Some(T0 + (as_of + 1) * DAY + e.at.map_or(0, |t| t - T0)), ..e })
            .collect();
        let all: Vec<Event> = events.iter().copied().chain(moved).collect();
        let params = ScoreParams::default();
        let t = T0 + as_of * DAY;
        prop_assert_eq!(relationships(&events, ME, t, &params), relationships(&all, ME, t, &params));
    }

    #[test]
    fn stages_follow_their_definitions(events in history(), day in 0i64..HORIZON_DAYS) {
        let got = between(&events, day).map_or(Stage::Stranger, |r| r.stage);
        prop_assert_eq!(got, reference_stage(&events, T0 + day * DAY));
    }
}

/// The stage definitions of `Stage`, written out again as directly as possible.
fn reference_stage(events: &[Event], as_of: i64) -> Stage {
    use InteractionKind::*;
    let mut pair: Vec<(i64, u8, Direction, InteractionKind)> = events
        .iter()
        .filter(|e| e.at.is_none_or(|t| t <= as_of))
        .filter_map(|e| match (e.source, e.target) {
            (ME, THEM) => Some((e.at.unwrap_or(i64::MIN), e.kind.code(), Direction::Out, e.kind)),
            (THEM, ME) => Some((e.at.unwrap_or(i64::MIN), e.kind.code(), Direction::In, e.kind)),
            _ => None,
        })
        .collect();
    pair.sort_by_key(|&(t, code, d, _)| (t, code, d == Direction::In));
    let has = |kinds: &[InteractionKind], d: Direction| {
        pair.iter().any(|&(_, _, dir, k)| dir == d && kinds.contains(&k))
    };
    let follows = |d: Direction| {
        pair.iter()
            .rfind(|&&(_, _, dir, k)| dir == d && matches!(k, Follow | Unfollow))
            .is_some_and(|&(_, _, _, k)| k == Follow)
    };
    let interactions = [Like, Repost, Reply, Quote, Mention, Dm];
    let conversation = [Reply, Quote, Mention, Dm];
    let any = |kinds: &[InteractionKind]| has(kinds, Direction::Out) || has(kinds, Direction::In);
    if any(&[Block])
        || !(any(&interactions)
            || follows(Direction::Out)
            || follows(Direction::In)
            || any(&[Connect, Request]))
    {
        return Stage::Stranger;
    }
    let (out, incoming) = (has(&conversation, Direction::Out), has(&conversation, Direction::In));
    if !out && !incoming {
        return Stage::Aware;
    }
    if !(out && incoming) {
        return Stage::Engaged;
    }
    let dated: Vec<i64> = pair
        .iter()
        .filter(|&&(t, _, _, k)| t != i64::MIN && conversation.contains(&k))
        .map(|&(t, ..)| t)
        .collect();
    let sustained = match (dated.first(), dated.last()) {
        (Some(first), Some(last)) => last - first >= 30 * DAY && as_of - last <= 90 * DAY,
        _ => false,
    };
    if has(&[Dm], Direction::Out) && has(&[Dm], Direction::In) && sustained {
        Stage::Close
    } else {
        Stage::Mutual
    }
}
