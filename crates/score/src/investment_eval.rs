//! Does investment rank the relationships that go on being relationships first?
//!
//! From what is known at a cutoff, every pair with history is scored, and the label is the
//! relationship rather than mere activity: *sustained two-way contact* over the [`SUSTAINED`]
//! (90 days) after the cutoff, that is both sides contact the other in that time, and the pair is
//! in contact in at least two of its three 30-day months. A single message, or a burst of
//! one-way messages, does not count. Investment is compared on the same pairs with the 30-day
//! forecast (strength) and the forecast's baselines: the count of interactions, their decayed
//! count and the recency of the last. Investment is also scored at several half-lives, to show
//! what the choice of [`crate::HALF_LIFE_MONTHS`] costs on this data.

use std::collections::HashMap;

use rapport_model::Timestamp;
use rapport_model::time::DAY;
use rayon::prelude::*;

use crate::event::{Event, Tier};
use crate::index::{PairIndex, pair_key};
use crate::investment::investment_with;
use crate::metrics::Metrics;
use crate::pairs::observe_pairs;
use crate::weights::ScoreWeights;

/// The span the label looks at after the cutoff.
pub const SUSTAINED: Timestamp = 90 * DAY;

/// The half-lives (in months) investment is evaluated at; infinity is no fading.
pub const HALF_LIVES: [f64; 5] = [3.0, 6.0, 12.0, 24.0, f64::INFINITY];

/// One evaluation of the strength suite: a dataset of the public suite and a cutoff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrengthCase {
    /// A short name for tables.
    pub name: &'static str,
    /// The file, relative to the data folder.
    pub path: &'static str,
    /// Its format, by the importer's name for it.
    pub format: &'static str,
    /// What is known at this moment is scored; the [`SUSTAINED`] span after it is the label.
    pub cutoff: Timestamp,
    /// True for the cutoff [`crate::VOLUME_SHARE`] was chosen on; the others are held out.
    pub tuning: bool,
}

/// The public suite for investment: the timestamped data of ../shared/data that sees both sides
/// of a tie and runs long enough for a 90-day label. Higgs covers one week; the X archive sees
/// one side; Bitcoin OTC holds one rating per directed pair, so no pair is ever in contact in two
/// months and its label has no positive at any cutoff. The first cutoff chose
/// [`crate::VOLUME_SHARE`]; the second, whose labels all lie after the first's, reports it.
pub const STRENGTH_SUITE: [StrengthCase; 2] = [
    StrengthCase {
        name: "CollegeMsg",
        path: "snap-collegemsg/CollegeMsg.txt",
        format: "snap-temporal",
        cutoff: 1_086_048_000, // 2004-06-01
        tuning: true,
    },
    StrengthCase {
        name: "CollegeMsg",
        path: "snap-collegemsg/CollegeMsg.txt",
        format: "snap-temporal",
        cutoff: 1_088_640_000, // 2004-07-01
        tuning: false,
    },
];

/// Investment, the forecast and the baselines on the same labelled pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct InvestmentEval {
    /// Pairs with at least one interaction at or before the cutoff.
    pub pairs: usize,
    /// Of those, pairs with sustained two-way contact in the [`SUSTAINED`] span after it.
    pub positives: usize,
    /// Two-way investment at each of [`HALF_LIVES`].
    pub investment: [Metrics; HALF_LIVES.len()],
    /// The model's 30-day forecast (strength).
    pub forecast: Metrics,
    /// Baseline: the number of interactions so far.
    pub count: Metrics,
    /// Baseline: interactions weighted by `0.955^days`.
    pub decayed: Metrics,
    /// Baseline: the time of the last interaction.
    pub recency: Metrics,
}

/// Evaluates investment from what is known at `cutoff` against sustained two-way contact in the
/// [`SUSTAINED`] span after it; `weights` give the forecast compared with it.
pub fn evaluate_investment(
    events: &[Event],
    cutoff: Timestamp,
    weights: &ScoreWeights,
) -> InvestmentEval {
    let sustained = sustained_pairs(events, cutoff);
    let observed: Vec<_> =
        observe_pairs(events, cutoff, weights).into_iter().filter(|p| p.interactions > 0).collect();
    let index = PairIndex::build(events, cutoff);
    let labels: Vec<bool> =
        observed.iter().map(|p| sustained.contains_key(&pair_key(p.a, p.b))).collect();
    let metrics = |scores: Vec<f64>| Metrics::of(&scores, &labels);
    let investment = HALF_LIVES.map(|half_life| {
        metrics(
            observed
                .par_iter()
                .map(|p| {
                    investment_with(index.events_of(p.a, p.b), cutoff, true, half_life).two_way
                })
                .collect(),
        )
    });
    InvestmentEval {
        pairs: observed.len(),
        positives: labels.iter().filter(|&&l| l).count(),
        investment,
        forecast: metrics(observed.iter().map(|p| p.strength).collect()),
        count: metrics(observed.iter().map(|p| f64::from(p.interactions)).collect()),
        decayed: metrics(observed.iter().map(|p| p.decayed).collect()),
        recency: metrics(
            observed.iter().map(|p| p.last.map_or(f64::NEG_INFINITY, |t| t as f64)).collect(),
        ),
    }
}

/// The pairs with sustained two-way contact in `(cutoff, cutoff + SUSTAINED]` (the values are
/// the directions and months seen, kept to test the rule).
fn sustained_pairs(events: &[Event], cutoff: Timestamp) -> HashMap<u64, ([bool; 2], [bool; 3])> {
    let mut seen: HashMap<u64, ([bool; 2], [bool; 3])> = HashMap::new();
    for e in events {
        let Some(at) = e.at.filter(|&at| at > cutoff && at <= cutoff + SUSTAINED) else { continue };
        if e.source == e.target || Tier::of(e.kind).is_none() {
            continue;
        }
        let entry = seen.entry(pair_key(e.source, e.target)).or_default();
        entry.0[usize::from(e.source > e.target)] = true;
        let month = usize::try_from((at - cutoff - 1) / (30 * DAY)).unwrap_or(0).min(2);
        entry.1[month] = true;
    }
    seen.retain(|_, (directions, months)| {
        directions.iter().all(|&d| d) && months.iter().filter(|&&m| m).count() >= 2
    });
    seen
}

#[cfg(test)]
mod tests {
    use rapport_model::InteractionKind::{Dm, Like};

    use super::*;

    const CUT: Timestamp = 1_000 * DAY;

    #[test]
    fn the_label_is_sustained_two_way_contact() {
        let dm = |a, b, day| Event::new(a, b, Dm, CUT + day * DAY);
        for (name, events, want) in [
            ("both ways, two months", vec![dm(0, 1, 5), dm(1, 0, 40)], true),
            ("both ways, one month", vec![dm(0, 1, 5), dm(1, 0, 6)], false),
            ("one way, three months", vec![dm(0, 1, 5), dm(0, 1, 40), dm(0, 1, 70)], false),
            ("after the span", vec![dm(0, 1, 5), dm(1, 0, 91)], false),
            ("likes count as contact", vec![Event::new(0, 1, Like, CUT + DAY), dm(1, 0, 61)], true),
        ] {
            assert_eq!(sustained_pairs(&events, CUT).contains_key(&pair_key(0, 1)), want, "{name}");
        }
    }

    #[test]
    fn investment_ranks_a_sustained_pair_above_a_burst() {
        // Pair (0, 1) wrote both ways every month for a year and goes on; pair (0, 2) is a burst
        // of one-way messages just before the cutoff and stops. The forecast, led by recency,
        // prefers the burst; investment does not.
        let mut events = Vec::new();
        for month in 0..15 {
            let at = CUT - 12 * 30 * DAY + month * 30 * DAY + DAY;
            events.push(Event::new(0, 1, Dm, at));
            events.push(Event::new(1, 0, Dm, at + DAY));
        }
        for hour in 0..5 {
            events.push(Event::new(2, 0, Dm, CUT - 3600 * (hour + 1)));
        }
        let eval = evaluate_investment(&events, CUT, &ScoreWeights::default());
        assert_eq!((eval.pairs, eval.positives), (2, 1));
        assert_eq!(eval.investment[2].roc_auc, 1.0);
        assert_eq!(eval.recency.roc_auc, 0.0);
    }
}
