//! Every relationship of one account ("me"), as it stood at an as-of time.

use rapport_model::time::DAY;
use rapport_model::{Direction, Stage, Timestamp};
use rayon::prelude::*;

use crate::assess::{Assessment, assess};
use crate::event::Event;
use crate::features::Features;
use crate::index::{Activity, PairIndex};
use crate::investment::{Investment, investment};
use crate::ledger::Ledger;
use crate::stage::{stage_as, stage_of};
use crate::summary::{KindCounts, LastInteraction};
use crate::trend::Trend;
use crate::weights::ScoreWeights;

/// The knobs of a relationship computation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreParams {
    /// The model's weights; the default is the fitted table shipped with the crate.
    pub weights: ScoreWeights,
    /// How many points a strength history has (the last is the as-of time).
    pub history_points: usize,
    /// The time between history points.
    pub history_step: Timestamp,
    /// The one-sided model, for relationships whose other side no source shows: fitted on the same
    /// data seen as one side's export would show it, with the features that need the other side
    /// missing ([`crate::ONE_SIDED_MISSING`]); the default is the fitted table shipped with the crate.
    pub one_sided: ScoreWeights,
}

impl Default for ScoreParams {
    fn default() -> Self {
        ScoreParams {
            weights: ScoreWeights::default(),
            history_points: 12,
            history_step: 30 * DAY,
            one_sided: ScoreWeights::one_sided(),
        }
    }
}

/// One relationship, seen from "me", at the as-of time.
#[derive(Clone, Debug, PartialEq)]
pub struct Relationship {
    /// The other account.
    pub other: u32,
    /// The estimated probability that the two interact within the horizon (30 days), in [0, 1].
    pub strength: f64,
    /// Strength 30 days before the as-of time.
    pub strength_30d_ago: f64,
    /// Strength 90 days before the as-of time.
    pub strength_90d_ago: f64,
    /// Warming, steady or cooling: whether the pair's contact rate changed (see [`Trend`]).
    pub trend: Trend,
    /// The evidence for the trend: `-log10` of the p-value of the change, positive when warming,
    /// negative when cooling, 0 when steady (see [`Trend`]); sorting by it puts the clearest
    /// warming first.
    pub trend_change: f64,
    /// The stage (see [`Stage`] for the definitions).
    pub stage: Stage,
    /// The last dated interaction and who made it.
    pub last: Option<LastInteraction>,
    /// Events by kind and direction (`out` = from "me"), dated or not.
    pub counts: KindCounts,
    /// `min(out, in) / max(out, in)` over interactions: 1 is perfectly balanced, 0 is one-way.
    pub reciprocity: f64,
    /// The first dated interaction.
    pub first_contact: Option<Timestamp>,
    /// Accounts both are linked to (interactions or follows).
    pub shared_connections: u32,
    /// What "me" gave and asked, and what they gave back (see [`crate::LEDGER_BASIS`]).
    pub ledger: Ledger,
    /// True when either side blocked the other; strength is then zero.
    pub blocked: bool,
    /// The model's inputs, to explain the strength.
    pub features: Features,
    /// What the two have put into the relationship over time: the measure "strongest" means
    /// (see [`Investment`]).
    pub investment: Investment,
    /// Whether any source can see what the other person does towards "me" (see [`OtherSide`]).
    pub other_side: OtherSide,
    /// The stage, strengths and features as they read when the other side is unknown, which
    /// [`Relationship::other_side_unseen`] switches to. Only the engine's marking reads it, before
    /// a relationship is kept, so a kept relationship need not keep it.
    pub one_sided: OneSided,
}

/// A relationship read from "me"'s side alone: the one-sided model's strengths and the one-sided
/// stage (see [`ScoreParams::one_sided`] and the stage rules in `stage.rs`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OneSided {
    /// Strength now, 30 and 90 days before the as-of time.
    pub strength: [f64; 3],
    /// The stage.
    pub stage: Stage,
    /// The one-sided model's inputs.
    pub features: Features,
}

impl Default for OneSided {
    fn default() -> Self {
        OneSided {
            strength: [0.0; 3],
            stage: Stage::Stranger,
            features: Features { values: [0.0; crate::FEATURE_COUNT] },
        }
    }
}

/// Whether the sources of a relationship can see the other person's side of it.
///
/// An X or Mastodon archive holds only its owner's actions: that nobody replied there is not
/// known, not zero. The events alone cannot tell; the engine knows which sources it read and marks
/// such relationships with [`Relationship::other_side_unseen`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OtherSide {
    /// A source shows what they do towards "me" (a sync, a two-sided export, a table).
    #[default]
    Seen,
    /// Only "me"'s actions are known: reciprocity, what they gave and two-way investment are unknown.
    Unseen,
}

impl OtherSide {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            OtherSide::Seen => "seen",
            OtherSide::Unseen => "unseen",
        }
    }
}

impl Relationship {
    /// Marks the other side as unseen: reciprocity and what they gave become unknown,
    /// [`Relationship::invested`] counts "me"'s contact alone, and stage, strength and the model's
    /// inputs become the one-sided ones ([`Relationship::one_sided`]), so nothing unseen is read
    /// as zero.
    pub fn other_side_unseen(&mut self) {
        if self.other_side == OtherSide::Unseen {
            return;
        }
        self.other_side = OtherSide::Unseen;
        let OneSided { strength: [now, s30, s90], stage, features } = self.one_sided;
        (self.strength, self.strength_30d_ago, self.strength_90d_ago) = (now, s30, s90);
        (self.stage, self.features) = (stage, features);
    }

    /// Reciprocity, or `None` when the other side cannot be seen.
    pub fn reciprocity_seen(&self) -> Option<f64> {
        (self.other_side == OtherSide::Seen).then_some(self.reciprocity)
    }

    /// The investment the listing ranks "strongest" by: two-way where the other side is seen,
    /// "me"'s side alone where it is not (a one-sided estimate, labelled so wherever shown).
    pub fn invested(&self) -> f64 {
        match self.other_side {
            OtherSide::Seen => self.investment.two_way,
            OtherSide::Unseen => self.investment.my_side,
        }
    }
}

/// Every relationship `me` has, as it stood at `as_of`: one per account with any event with `me`,
/// sorted by strength, strongest first (ties by account id).
///
/// Events after `as_of` are ignored, so results never change when later data is added.
pub fn relationships(
    events: &[Event],
    me: u32,
    as_of: Timestamp,
    params: &ScoreParams,
) -> Vec<Relationship> {
    let index = PairIndex::build(events, as_of);
    let mut others: Vec<u32> = events
        .iter()
        .filter(|e| e.visible_at(as_of) && e.source != e.target)
        .filter_map(|e| {
            if e.source == me { Some(e.target) } else { (e.target == me).then_some(e.source) }
        })
        .collect();
    others.sort_unstable();
    others.dedup();
    let mine = index.activities(me, SNAPSHOT_DAYS.map(|days| as_of - days * DAY));
    let mut out: Vec<Relationship> = others
        .par_iter()
        .map(|&them| relationship_at(&index, me, them, as_of, mine, params))
        .collect();
    out.sort_by(|a, b| b.strength.total_cmp(&a.strength).then(a.other.cmp(&b.other)));
    out
}

/// The days before the as-of time that strength is reported at: now, 30 and 90 days ago.
pub(crate) const SNAPSHOT_DAYS: [Timestamp; 3] = [0, 30, 90];

/// One relationship from an index built at (or after) `as_of`, given `me`'s activity at
/// [`SNAPSHOT_DAYS`] before it.
pub(crate) fn relationship_at(
    index: &PairIndex,
    me: u32,
    them: u32,
    as_of: Timestamp,
    mine: [Activity; 3],
    params: &ScoreParams,
) -> Relationship {
    let times = SNAPSHOT_DAYS.map(|days| as_of - days * DAY);
    let theirs = index.activities(them, times);
    let [now, s30, s90] = std::array::from_fn(|k| {
        assess(index, me, them, times[k], [mine[k], theirs[k]], &params.weights)
    });
    let one_sided_strength = |a: &Assessment| {
        if a.summary.blocked { 0.0 } else { params.one_sided.strength(&a.one_sided) }
    };
    let one_sided = OneSided {
        strength: [&now, &s30, &s90].map(one_sided_strength),
        stage: stage_as(&now.summary, as_of, OtherSide::Unseen),
        features: now.one_sided,
    };
    let (s30, s90) = (s30.strength, s90.strength);
    let pair = index.events_of(me, them);
    let (trend, trend_change) = Trend::of(pair, as_of, mine[0].first);
    let Assessment { summary, shared, features, strength, .. } = now;
    let (out, incoming) =
        (summary.counts.interactions(Direction::Out), summary.counts.interactions(Direction::In));
    let reciprocity = if out.max(incoming) == 0 {
        0.0
    } else {
        f64::from(out.min(incoming)) / f64::from(out.max(incoming))
    };
    Relationship {
        other: them,
        strength,
        strength_30d_ago: s30,
        strength_90d_ago: s90,
        trend,
        trend_change,
        stage: stage_of(&summary, as_of),
        last: summary.last,
        reciprocity,
        first_contact: summary.first,
        shared_connections: shared,
        ledger: Ledger::of(&summary),
        blocked: summary.blocked,
        counts: summary.counts,
        features,
        investment: investment(pair, as_of, me < them),
        other_side: OtherSide::Seen,
        one_sided,
    }
}
