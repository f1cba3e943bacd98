//! Scoring one pair at one moment: the single path every public function goes through.

use rapport_model::Timestamp;

use crate::features::Features;
use crate::index::{Activity, PairIndex};
use crate::summary::PairSummary;
use crate::weights::ScoreWeights;

/// One pair at one moment, seen from `me`.
pub(crate) struct Assessment {
    pub(crate) summary: PairSummary,
    pub(crate) shared: u32,
    pub(crate) features: Features,
    pub(crate) strength: f64,
    /// The features as `me`'s own export shows the pair (see [`Features::one_sided`]).
    pub(crate) one_sided: Features,
}

/// Scores the pair `(me, them)` at `as_of` (which may be earlier than the index's own as-of time),
/// given both sides' own `activity` at that time (see [`PairIndex::activity`]), which callers
/// scoring many pairs compute once per account.
///
/// A block by either side sets strength to zero: the product honours blocks, and a blocked pair is
/// not expected to interact.
pub(crate) fn assess(
    index: &PairIndex,
    me: u32,
    them: u32,
    as_of: Timestamp,
    activity: [Activity; 2],
    weights: &ScoreWeights,
) -> Assessment {
    let summary = PairSummary::scan(index.events_of(me, them), as_of, me < them);
    let shared = index.shared_connections(me, them, as_of);
    let features = Features::of(&summary, shared, activity, as_of);
    let strength = if summary.blocked { 0.0 } else { weights.strength(&features) };
    let one_sided = Features::one_sided(&summary.sides[0], as_of);
    Assessment { summary, shared, features, strength, one_sided }
}
