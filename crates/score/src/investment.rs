//! Investment: what two people have put into a relationship over time, the measure the people
//! listing calls "strongest".
//!
//! Strength forecasts any contact within 30 days, which recency dominates: three unanswered
//! messages last week outrank two years of weekly conversation that paused a month ago.
//! Investment answers another question: how much sustained, two-way contact has this relationship
//! had, counting recent years more than old ones?
//!
//! Time is cut into 30-day months counted back from the as-of time. In each month each side's
//! contact is weighted by intimacy ([`TIER_WEIGHTS`]), and the month is worth
//! `ln(1 + sqrt(out × in)) + VOLUME_SHARE × ln(1 + out + in)`: its first term is zero unless both
//! sides took part (two-way) and highest when they took equal parts (reciprocal); the second lets
//! a month of one side's contact count for something, less than a two-way one. Both grow only
//! slowly with volume, so twelve months of steady contact outweigh one busy month (sustained).
//! Months lose half their worth every
//! [`HALF_LIFE_MONTHS`] (long-run, but a friendship that ended years ago fades). The sum `T` is
//! shown as `1 - exp(-T / SCALE)`, in [0, 1).
//!
//! Where no source can see the other side (an X or Mastodon archive holds only the owner's
//! actions), the two-way figure would be zero for everyone; [`Investment::my_side`] is the same
//! sum over the owner's contact alone, `ln(1 + out)` a month, which the engine shows instead,
//! labelled as one-sided.

use rapport_model::Timestamp;
use rapport_model::time::DAY;

use crate::event::Tier;
use crate::index::PairEvent;

/// The weight of one interaction by tier (amplification, conversation, private): a like or a
/// repost is attention, not conversation, and a DM is the most personal.
pub const TIER_WEIGHTS: [f64; 3] = [0.25, 1.0, 2.0];

/// The weight of a month's volume beside its two-way term, chosen on the tuning cutoff of the
/// public suite among 0, 0.1 and 0.5 (`rapport eval strength`; EVALUATION.md): without it every
/// pair not yet two-way ties at zero, and whether they ever wrote says something.
pub const VOLUME_SHARE: f64 = 0.5;

/// The months after which a month's contact counts half.
pub const HALF_LIFE_MONTHS: f64 = 12.0;

/// The sum at which investment shows `1 - 1/e` (about 0.63): roughly a year of monthly two-way
/// conversation.
pub const SCALE: f64 = 8.0;

/// The length of one month of the measure.
const MONTH: Timestamp = 30 * DAY;

/// What a relationship has had put into it, as of one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Investment {
    /// Sustained, two-way, reciprocal contact, in [0, 1) (one-way contact counts at
    /// [`VOLUME_SHARE`]).
    pub two_way: f64,
    /// The same measure over the owner's contact alone, in [0, 1): the figure to show where the
    /// other side cannot be seen.
    pub my_side: f64,
    /// The months (of 30 days) in which both sides were in contact.
    pub two_way_months: u32,
}

/// The investment in one pair from its `events` (in time order) up to `as_of`, seen from the
/// pair's lower id when `from_low` is true. Undated events count for nothing: they have no month.
pub(crate) fn investment(events: &[PairEvent], as_of: Timestamp, from_low: bool) -> Investment {
    investment_with(events, as_of, from_low, HALF_LIFE_MONTHS)
}

/// [`investment`] with another half-life (in months; infinite for no fading), for the evaluation
/// that chose [`HALF_LIFE_MONTHS`].
pub(crate) fn investment_with(
    events: &[PairEvent],
    as_of: Timestamp,
    from_low: bool,
    half_life: f64,
) -> Investment {
    // (months back, out, in) for each month with contact, newest first in time order reversed.
    let mut months: Vec<(Timestamp, [f64; 2])> = Vec::new();
    for e in events.iter().take_while(|e| e.at <= as_of) {
        let (Some(at), Some(tier)) = (e.dated(), Tier::of(e.kind)) else { continue };
        let back = (as_of - at) / MONTH;
        let dir = usize::from(e.forward != from_low);
        let weight = TIER_WEIGHTS[tier as usize];
        match months.last_mut() {
            Some((m, sums)) if *m == back => sums[dir] += weight,
            _ => {
                let mut sums = [0.0; 2];
                sums[dir] = weight;
                months.push((back, sums));
            }
        }
    }
    let (mut two_way, mut my_side, mut two_way_months) = (0.0, 0.0, 0);
    for (back, [out, incoming]) in months {
        let fade = 0.5f64.powf(back as f64 / half_life);
        two_way +=
            fade * ((out * incoming).sqrt().ln_1p() + VOLUME_SHARE * (out + incoming).ln_1p());
        my_side += fade * out.ln_1p();
        if out > 0.0 && incoming > 0.0 {
            two_way_months += 1;
        }
    }
    Investment { two_way: shown(two_way), my_side: shown(my_side), two_way_months }
}

/// A sum as the number shown, in [0, 1).
fn shown(sum: f64) -> f64 {
    1.0 - (-sum / SCALE).exp()
}

#[cfg(test)]
mod tests {
    use rapport_model::InteractionKind::{self, Dm, Like, Reply};

    use super::*;

    const NOW: Timestamp = 1_000 * MONTH;

    /// `(months ago, kind, from me)` to pair events seen from the lower id (me).
    fn check(events: &[(i64, InteractionKind, bool)]) -> Investment {
        let mut pair: Vec<PairEvent> = events
            .iter()
            .map(|&(ago, kind, forward)| PairEvent { at: NOW - ago * MONTH - DAY, kind, forward })
            .collect();
        pair.sort_by_key(|e| e.at);
        investment(&pair, NOW, true)
    }

    fn monthly(
        months: i64,
        per_side: usize,
        kind: InteractionKind,
    ) -> Vec<(i64, InteractionKind, bool)> {
        (0..months)
            .flat_map(|m| (0..per_side).flat_map(move |_| [(m, kind, true), (m, kind, false)]))
            .collect()
    }

    #[test]
    fn one_way_contact_counts_less_than_two_way() {
        let theirs = check(&[(0, Reply, false), (0, Reply, false), (0, Reply, false)]);
        assert_eq!(theirs.two_way, shown(VOLUME_SHARE * 3f64.ln_1p()));
        assert_eq!(theirs.two_way_months, 0);
        assert_eq!(theirs.my_side, 0.0, "they wrote, the owner did not");
        let both = check(&[(0, Reply, false), (0, Reply, false), (0, Reply, true)]);
        assert!(both.two_way > theirs.two_way, "{both:?} vs {theirs:?}");
        assert_eq!(both.two_way_months, 1);
    }

    #[test]
    fn sustained_beats_a_burst_of_the_same_volume() {
        let sustained = check(&monthly(12, 2, Reply));
        let burst = check(&monthly(1, 24, Reply));
        assert_eq!(sustained.two_way_months, 12);
        assert!(sustained.two_way > burst.two_way, "{sustained:?} vs {burst:?}");
    }

    #[test]
    fn balance_intimacy_and_age_order_the_measure() {
        for (name, more, less) in [
            (
                "balanced over lopsided",
                vec![(0, Reply, true), (0, Reply, true), (0, Reply, false), (0, Reply, false)],
                vec![(0, Reply, true), (0, Reply, true), (0, Reply, true), (0, Reply, false)],
            ),
            ("a DM over a reply", vec![(0, Dm, true), (0, Dm, false)], monthly(1, 1, Reply)),
            ("a reply over a like", monthly(1, 1, Reply), monthly(1, 1, Like)),
            ("recent over old", monthly(1, 1, Reply), vec![(24, Reply, true), (24, Reply, false)]),
        ] {
            let (more, less) = (check(&more), check(&less));
            assert!(more.two_way > less.two_way, "{name}: {more:?} vs {less:?}");
        }
    }

    #[test]
    fn later_and_undated_events_count_for_nothing() {
        let mut pair = vec![
            PairEvent { at: crate::index::UNDATED, kind: Reply, forward: true },
            PairEvent { at: NOW + DAY, kind: Reply, forward: true },
        ];
        assert_eq!(investment(&pair, NOW, true), Investment::default());
        pair.insert(1, PairEvent { at: NOW - DAY, kind: Reply, forward: false });
        assert_eq!(investment(&pair, NOW, false).my_side, shown(2f64.ln()));
    }
}
