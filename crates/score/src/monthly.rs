//! Stages at many moments (the report's stages month by month): the events indexed once, at the
//! newest moment, then each relationship's stage at each moment read from the pair's own events.
//! It gives what [`crate::relationships`] gives at each moment, without the strengths, trends,
//! shared connections and ledgers that only a listing needs, and without indexing every event
//! again for every month (which made the first report after a change take seconds).

use std::collections::HashMap;

use rapport_model::{Stage, Timestamp};
use rayon::prelude::*;

use crate::event::Event;
use crate::index::PairIndex;
use crate::stage::stage_of;
use crate::summary::PairSummary;

/// The stage of every relationship `me` has at each of `moments`: one list per moment, in the
/// order given, holding one stage per account with any event with `me` at or before it (in no
/// particular order: the report counts them).
pub fn stages_at(events: &[Event], me: u32, moments: &[Timestamp]) -> Vec<Vec<Stage>> {
    let Some(&newest) = moments.iter().max() else { return Vec::new() };
    // An index holds the events up to its moment; a pair's summary at an earlier moment reads
    // only those before it, so one index at the newest serves every moment.
    let index = PairIndex::build(events, newest);
    // Each relationship starts with its first event with me (undated events are always there).
    let mut first: HashMap<u32, Timestamp> = HashMap::new();
    for e in events.iter().filter(|e| e.source != e.target) {
        let them = if e.source == me {
            e.target
        } else if e.target == me {
            e.source
        } else {
            continue;
        };
        let at = e.at.unwrap_or(Timestamp::MIN);
        first.entry(them).and_modify(|f| *f = (*f).min(at)).or_insert(at);
    }
    let first: Vec<(u32, Timestamp)> = first.into_iter().collect();
    moments
        .iter()
        .map(|&at| {
            first
                .par_iter()
                .filter(|(_, since)| *since <= at)
                .map(|&(them, _)| {
                    let summary = PairSummary::scan(index.events_of(me, them), at, me < them);
                    stage_of(&summary, at)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rapport_model::InteractionKind;
    use rapport_model::time::DAY;

    use super::*;
    use crate::{ScoreParams, relationships};

    /// The stages `relationships` gives at `at`, sorted for comparing.
    fn one_by_one(events: &[Event], me: u32, at: Timestamp) -> Vec<Stage> {
        let mut stages: Vec<Stage> = relationships(events, me, at, &ScoreParams::default())
            .into_iter()
            .map(|r| r.stage)
            .collect();
        stages.sort_unstable();
        stages
    }

    const KINDS: [InteractionKind; 9] = [
        InteractionKind::Like,
        InteractionKind::Reply,
        InteractionKind::Mention,
        InteractionKind::Dm,
        InteractionKind::Follow,
        InteractionKind::Repost,
        InteractionKind::Quote,
        InteractionKind::Block,
        InteractionKind::Unfollow,
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// On random histories (undated events, blocks and self-loops among them), every month
        /// has the stages computing the relationships at that month gives.
        #[test]
        fn every_month_has_the_stages_of_computing_it_alone(
            raw in prop::collection::vec((0u32..12, 0u32..12, 0usize..KINDS.len(), prop::option::weighted(0.95, 0i64..600)), 0..300)
        ) {
            let events: Vec<Event> = raw
                .iter()
                .map(|&(s, t, k, day)| Event { source: s, target: t, kind: KINDS[k], at: day.map(|d| d * DAY) })
                .collect();
            let moments: Vec<Timestamp> = (0..18).map(|m| 600 * DAY - m * 30 * DAY).collect();
            let fast = stages_at(&events, 0, &moments);
            for (at, mut stages) in moments.iter().zip(fast) {
                stages.sort_unstable();
                prop_assert_eq!(stages, one_by_one(&events, 0, *at));
            }
        }
    }
}
