//! Worked examples of one relationship: stages, trend, ledger, history and stage changes.

use rapport_model::InteractionKind::{Block, Dm, Follow, Like, Reply, Request, Unfollow};
use rapport_model::time::DAY;
use rapport_model::{Direction, InteractionKind};
use rapport_score::{
    Event, ScoreParams, Stage, StageChange, Trend, observe_pairs, relationship, relationships,
};

use super::support::{T0, ev, undated};

const ME: u32 = 0;
const THEM: u32 = 1;

/// Me and them at `day`, checked against the expected stage.
fn check(events: &[Event], day: i64, stage: Stage) {
    let all = relationships(events, ME, T0 + day * DAY, &ScoreParams::default());
    let got = all.iter().find(|r| r.other == THEM).map_or(Stage::Stranger, |r| r.stage);
    assert_eq!(got, stage, "{events:?} at day {day}");
}

fn out(kind: InteractionKind, day: i64) -> Event {
    ev(ME, THEM, kind, day)
}

fn back(kind: InteractionKind, day: i64) -> Event {
    ev(THEM, ME, kind, day)
}

/// A sustained, private, reciprocal conversation from day 0 to day 41.
fn close_friends() -> Vec<Event> {
    vec![out(Dm, 0), back(Dm, 1), out(Reply, 20), back(Reply, 21), out(Dm, 40), back(Dm, 41)]
}

#[test]
fn stages() {
    let cases: [(&str, Vec<Event>, i64, Stage); 10] = [
        ("nothing", vec![], 10, Stage::Stranger),
        ("an undated follow", vec![undated(THEM, ME, Follow)], 10, Stage::Aware),
        ("a follow undone", vec![out(Follow, 1), out(Unfollow, 2)], 10, Stage::Stranger),
        ("a like", vec![out(Like, 1)], 10, Stage::Aware),
        ("a request", vec![out(Request, 1)], 10, Stage::Aware),
        ("a reply one way", vec![out(Reply, 1), back(Like, 2)], 10, Stage::Engaged),
        ("replies both ways", vec![out(Reply, 1), back(Reply, 2)], 10, Stage::Mutual),
        ("close", close_friends(), 60, Stage::Close),
        ("close gone quiet", close_friends(), 132, Stage::Mutual),
        ("blocked", [close_friends(), vec![back(Block, 50)]].concat(), 60, Stage::Stranger),
    ];
    for (name, events, day, stage) in cases {
        println!("case {name}");
        check(&events, day, stage);
    }
}

#[test]
fn a_relationship_in_depth() {
    let mut events = close_friends();
    events.push(ev(2, THEM, Reply, 5));
    events.push(ev(ME, 2, Like, 6));
    // ME's history began long before this relationship.
    events.push(ev(ME, 3, Like, -200));
    let detail = relationship(&events, ME, THEM, T0 + 60 * DAY, &ScoreParams::default()).unwrap();
    let r = &detail.relationship;
    assert_eq!(r.stage, Stage::Close);
    assert_eq!(r.shared_connections, 1);
    assert_eq!(r.first_contact, Some(T0));
    let last = r.last.unwrap();
    assert_eq!((last.at, last.kind, last.direction), (T0 + 41 * DAY, Dm, Direction::In));
    assert_eq!(r.counts.get(Dm, Direction::Out), 2);
    assert!((r.reciprocity - 1.0).abs() < 1e-12);
    assert_eq!(r.ledger.given.replies, 1);
    assert_eq!(r.ledger.asked.cold_dms, 1, "the opening DM came before any word from them");
    assert!(r.strength > 0.0 && r.strength < 1.0);
    assert_eq!(r.trend, Trend::Warming, "before the last 90 days they had never spoken");

    assert_eq!(detail.history.len(), 12);
    assert_eq!(detail.history.last().map(|p| p.strength), Some(r.strength));
    let changes: Vec<(Option<i64>, Stage)> =
        detail.stage_changes.iter().map(|c| (c.at.map(|t| (t - T0) / DAY), c.to)).collect();
    assert_eq!(
        changes,
        [(Some(0), Stage::Engaged), (Some(1), Stage::Mutual), (Some(40), Stage::Close)]
    );
}

#[test]
fn a_close_relationship_lapses_ninety_days_after_the_last_word() {
    let detail =
        relationship(&close_friends(), ME, THEM, T0 + 200 * DAY, &ScoreParams::default()).unwrap();
    let last = detail.stage_changes.last().copied();
    let lapse = T0 + 131 * DAY + 1;
    assert_eq!(last, Some(StageChange { at: Some(lapse), from: Stage::Close, to: Stage::Mutual }));
}

#[test]
fn weekly_messages_that_stopped_read_cooling_then_steady_once_long_gone() {
    let weekly: Vec<Event> =
        (0..300).step_by(7).flat_map(|d| [out(Dm, d), back(Dm, d + 1)]).collect();
    let trend_at =
        |day| relationships(&weekly, ME, T0 + day * DAY, &ScoreParams::default())[0].trend;
    assert_eq!(trend_at(290), Trend::Steady);
    assert_eq!(trend_at(375), Trend::Cooling, "75 days of silence");
    assert_eq!(trend_at(900), Trend::Steady, "nothing left to compare: long cold, not cooling");
}

#[test]
fn blocks_zero_strength_and_undated_events_never_count_for_recency() {
    let blocked = [close_friends(), vec![out(Block, 50)]].concat();
    let r = relationships(&blocked, ME, T0 + 60 * DAY, &ScoreParams::default());
    assert!(r[0].blocked && r[0].strength == 0.0);

    let liked = vec![undated(ME, THEM, Like), undated(THEM, ME, Follow)];
    let r = &relationships(&liked, ME, T0, &ScoreParams::default())[0];
    assert_eq!(r.last, None);
    assert_eq!(r.counts.get(Like, Direction::Out), 1);
}

#[test]
fn a_like_owed_to_someone_who_returns_likes_counts_until_it_is_returned() {
    // THEM liked back two of the three accounts that liked them: a reciprocator.
    let mut events = vec![ev(2, THEM, Like, 1), ev(THEM, 2, Like, 2)];
    events.extend([ev(3, THEM, Like, 1), ev(THEM, 3, Like, 2), ev(4, THEM, Like, 1)]);
    let at = |events: &[Event]| {
        let all = relationships(events, ME, T0 + 10 * DAY, &ScoreParams::default());
        all.into_iter().find(|r| r.other == THEM).unwrap()
    };
    let owed = at(&[events.clone(), vec![out(Like, 5)]].concat());
    // Two returned of the four that liked them (ME included), shrunk by one: 2 / (4 + 1).
    assert!((owed.features.values[11] - 2.0 / 5.0).abs() < 1e-12);
    // Someone who never returns a like owes nothing worth counting.
    let taker = vec![ev(2, THEM, Like, 1), ev(3, THEM, Like, 1), out(Like, 5)];
    assert_eq!(at(&taker).features.values[11], 0.0);
    assert!(at(&taker).strength < owed.strength);
    // Once THEM likes ME back, nothing is owed; a reply instead leaves the debt as it was.
    let settled = at(&[events.clone(), vec![out(Like, 5), back(Like, 6)]].concat());
    assert_eq!(settled.features.values[11], 0.0);
    let answered = at(&[events, vec![out(Like, 5), back(Reply, 6)]].concat());
    assert_eq!(answered.features.values[11], owed.features.values[11]);
    assert!(answered.strength >= owed.strength);
}

#[test]
fn all_pairs_match_the_per_account_view() {
    let mut events = close_friends();
    events.extend([ev(2, 3, Reply, 3), ev(3, 2, Dm, 4), ev(THEM, 3, Like, 5)]);
    let as_of = T0 + 45 * DAY;
    let pairs = observe_pairs(&events, as_of, &ScoreParams::default().weights);
    assert_eq!(pairs.len(), 3);
    let mine = relationships(&events, ME, as_of, &ScoreParams::default());
    let pair = pairs.iter().find(|p| (p.a, p.b) == (ME, THEM)).unwrap();
    assert_eq!(pair.strength, mine[0].strength);
    assert_eq!(pair.interactions, 6);
}

/// Me and them at `day`, as a one-sided export (only "me"'s actions) shows them.
fn one_sided(events: &[Event], day: i64) -> rapport_score::Relationship {
    let all = relationships(events, ME, T0 + day * DAY, &ScoreParams::default());
    let Some(mut r) = all.into_iter().find(|r| r.other == THEM) else {
        panic!("no relationship with them in {events:?}");
    };
    r.other_side_unseen();
    r
}

#[test]
fn one_sided_stages_use_what_the_export_shows() {
    let replies = |days: &[i64]| days.iter().map(|&d| out(Reply, d)).collect::<Vec<_>>();
    let follows = [out(Follow, 0), back(Follow, 0)];
    let cases: [(&str, Vec<Event>, i64, Stage, Stage); 7] = [
        ("a like", vec![out(Like, 1)], 10, Stage::Aware, Stage::Aware),
        ("one reply", replies(&[1]), 10, Stage::Engaged, Stage::Engaged),
        ("a burst of replies in a day", replies(&[1, 1, 1, 1]), 10, Stage::Engaged, Stage::Engaged),
        ("three replies over 40 days", replies(&[1, 20, 41]), 50, Stage::Engaged, Stage::Mutual),
        ("two replies over 40 days", replies(&[1, 41]), 50, Stage::Engaged, Stage::Engaged),
        (
            "a reply between mutual follows",
            [&follows[..], &replies(&[1])].concat(),
            10,
            Stage::Engaged,
            Stage::Mutual,
        ),
        (
            "my DMs kept up for 40 days, recent",
            vec![out(Dm, 1), out(Dm, 20), out(Dm, 41)],
            50,
            Stage::Engaged,
            Stage::Close,
        ),
    ];
    for (name, events, day, seen, unseen) in cases {
        check(&events, day, seen);
        let r = one_sided(&events, day);
        assert_eq!(r.stage, unseen, "{name}");
    }
    // What is seen of them still counts: a reply of theirs makes it mutual either way.
    let r = one_sided(&[out(Reply, 1), back(Reply, 2)], 10);
    assert_eq!(r.stage, Stage::Mutual);
    // A one-sided close relationship lapses as a two-sided one does.
    let r = one_sided(&[out(Dm, 1), out(Dm, 20), out(Dm, 41)], 41 + 91);
    assert_eq!(r.stage, Stage::Mutual);
}

#[test]
fn one_sided_forecast_uses_the_one_sided_model() {
    let events = [out(Reply, 1), out(Reply, 20), out(Like, 30), ev(ME, 2, Reply, 30)];
    let day = 40;
    let all = relationships(&events, ME, T0 + day * DAY, &ScoreParams::default());
    let seen = all.iter().find(|r| r.other == THEM).unwrap().clone();
    let r = one_sided(&events, day);
    let model = ScoreParams::default().one_sided;
    assert_eq!(r.strength, model.strength(&r.features));
    assert_eq!(r.strength, seen.one_sided.strength[0]);
    for missing in rapport_score::ONE_SIDED_MISSING {
        assert_eq!(r.features.values[missing], 0.0, "{}", rapport_score::FEATURE_NAMES[missing]);
    }
    // The two-sided inputs that need them (how active they are) are not what it reads.
    assert_ne!(r.features, seen.features);
    // Marking twice changes nothing.
    let mut twice = r.clone();
    twice.other_side_unseen();
    assert_eq!(twice, r);
    // The person page's history and stage changes are one-sided too, ending where the listing does.
    let params = ScoreParams::default();
    let detail = rapport_score::relationship_as(
        &events,
        ME,
        THEM,
        T0 + day * DAY,
        &params,
        rapport_score::OtherSide::Unseen,
    )
    .unwrap();
    assert_eq!(detail.relationship, r);
    assert_eq!(detail.history.last().map(|p| (p.strength, p.stage)), Some((r.strength, r.stage)));
    assert_eq!(detail.stage_changes.last().map(|c| c.to), Some(Stage::Engaged));
}
