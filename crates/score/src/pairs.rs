//! Every pair at once: the model's inputs and strength for all pairs with history, in parallel.

use rapport_model::Timestamp;
use rayon::prelude::*;

use crate::assess::assess;
use crate::event::Event;
use crate::features::Features;
use crate::index::{PairIndex, pair_ids};
use crate::weights::ScoreWeights;

/// One pair's model inputs and the raw signals the baselines use, at one moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairObservation {
    /// The lower account id.
    pub a: u32,
    /// The higher account id.
    pub b: u32,
    /// The model's inputs.
    pub features: Features,
    /// Interactions (not state changes) in both directions, dated or not.
    pub interactions: u32,
    /// The last dated interaction.
    pub last: Option<Timestamp>,
    /// Interactions weighted by `0.955^days`, both directions.
    pub decayed: f64,
    /// The model's strength (zero for a blocked pair).
    pub strength: f64,
    /// The model's inputs as an export of `a`'s account, then of `b`'s, would show the pair
    /// (see [`crate::ONE_SIDED_MISSING`]): what the one-sided model learns from. `None` for a side
    /// that never interacted with the other: its export would not list the pair at all.
    pub one_sided: [Option<Features>; 2],
}

/// Every pair with any event visible at `as_of`, scored with `weights`, in pair order.
pub fn observe_pairs(
    events: &[Event],
    as_of: Timestamp,
    weights: &ScoreWeights,
) -> Vec<PairObservation> {
    let index = PairIndex::build(events, as_of);
    let activity = index.all_activity(as_of);
    (0..index.pair_count())
        .into_par_iter()
        .with_min_len(1024)
        .map(|i| {
            let (a, b) = pair_ids(index.pair(i).0);
            let both = [activity[a as usize], activity[b as usize]];
            let seen = assess(&index, a, b, as_of, both, weights);
            PairObservation {
                a,
                b,
                features: seen.features,
                interactions: seen.summary.interaction_count(),
                last: seen.summary.last.map(|l| l.at),
                decayed: seen.summary.decayed_tier.iter().sum(),
                strength: seen.strength,
                one_sided: seen
                    .summary
                    .sides
                    .map(|side| (side.interactions > 0).then(|| Features::one_sided(&side, as_of))),
            }
        })
        .collect()
}
