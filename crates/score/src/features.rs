//! The model's inputs: transforms of intensity, intimacy, recency, reciprocity, duration, shared
//! connections, and a like or repost still owed in return.
//!
//! Every feature is non-decreasing when a reply, quote, mention or DM at or before the as-of time is
//! added (between any two accounts), and non-increasing when time passes with no new event. With
//! non-negative weights (which the fit enforces) strength inherits both properties by construction.
//! Likes and reposts lower no feature but one: `owed_return` is the only feature that is not
//! monotone in them, because returning a like settles what was owed (see [`Features`]).

use rapport_model::Timestamp;

use crate::index::{Activity, UNDATED};
use crate::summary::{DAILY_DECAY, PairSummary, SideSummary, days_between};

/// The number of model features.
pub const FEATURE_COUNT: usize = 12;

/// The features' names, in the order of [`Features::values`] and of the weights.
pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = [
    "decayed_all",
    "decayed_conversation",
    "decayed_private",
    "count",
    "reciprocity",
    "recency_hours",
    "recency_month",
    "duration",
    "shared",
    "activity_low",
    "active_recency",
    "owed_return",
];

/// The features a one-sided source cannot give: they need what the other side did (reciprocity,
/// owed return), whom they know (shared connections) or how active they are (activity, active
/// recency). The one-sided model ([`crate::ScoreParams::one_sided`]) is fitted with them missing
/// (held at 0 in training and scoring alike), so it never reads an unseen side as a zero one.
pub const ONE_SIDED_MISSING: [usize; 5] = [4, 8, 9, 10, 11];

/// One pair's feature vector at one moment.
///
/// In order:
/// 0. `ln(1 + d_all)`, where `d_all` sums every dated interaction weighted by `0.955^days` (RealGraph);
/// 1. `ln(1 + d_conv)`, the same over replies, quotes, mentions and DMs only;
/// 2. `ln(1 + d_dm)`, the same over DMs only (0–2 together make intimacy: a DM adds to all three
///    sums, a reply to two, a like to one);
/// 3. `ln(1 + n)`, the raw number of interactions, dated or not (intensity with no forgetting);
/// 4. `ln(1 + min(d_out, d_in))`, the decayed sum in the weaker direction (reciprocity);
/// 5. `exp(-4 × days since the last dated interaction)` (recency within hours; 0 if none);
/// 6. `0.955^(days since the last dated interaction)` (recency within months; 0 if none);
/// 7. `ln(1 + days from first to last dated interaction)` (duration, which does not grow by itself);
/// 8. `ln(1 + accounts both are linked to)` (shared connections);
/// 9. `ln(1 + min(a, b))`, where `a` and `b` are each side's own activity: all its interactions
///    with anyone, weighted by `0.955^days` (RealGraph's user features: busy accounts interact more);
/// 10. `exp(-d / 7)`, where `d` is the days since the less recently active side last interacted
///     with anyone (both still active);
/// 11. owed return: when likes and reposts went one way only, the share of the accounts that liked
///     or reposted the side that has not returned them which it did like or repost back,
///     `returned / (amplified_by + 1)` (0 when neither or both sides amplified the other). The norm
///     of reciprocity: a favour from someone who returns favours is likely answered. This is the one
///     feature likes and reposts move both ways: the owing side returning the like sets it to 0,
///     and a like elsewhere changes the owing side's share. Replies, quotes, mentions and DMs never
///     change it, and it is constant while time passes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Features {
    /// The values, in the order of [`FEATURE_NAMES`].
    pub values: [f64; FEATURE_COUNT],
}

impl Features {
    /// The features of a summarised pair with `shared` common neighbours and the two sides' own
    /// `activity`, at `as_of`.
    pub(crate) fn of(
        summary: &PairSummary,
        shared: u32,
        activity: [Activity; 2],
        as_of: Timestamp,
    ) -> Features {
        let [amplification, conversation, private] = summary.decayed_tier;
        let since_last = summary.last.map(|l| days_between(l.at, as_of));
        let duration = match (summary.first, summary.last) {
            (Some(first), Some(last)) => days_between(first, last.at),
            _ => 0.0,
        };
        let owing = match summary.amplified {
            [true, false] => Some(&activity[1]),
            [false, true] => Some(&activity[0]),
            _ => None,
        };
        let values = [
            (amplification + conversation + private).ln_1p(),
            (conversation + private).ln_1p(),
            private.ln_1p(),
            f64::from(summary.interaction_count()).ln_1p(),
            summary.decayed_dir[0].min(summary.decayed_dir[1]).ln_1p(),
            since_last.map_or(0.0, |d| (-d * 4.0).exp()),
            since_last.map_or(0.0, |d| DAILY_DECAY.powf(d)),
            duration.ln_1p(),
            f64::from(shared).ln_1p(),
            activity[0].decayed.min(activity[1].decayed).ln_1p(),
            if activity[0].last == UNDATED || activity[1].last == UNDATED {
                0.0
            } else {
                (-days_between(activity[0].last.min(activity[1].last), as_of) / 7.0).exp()
            },
            owing.map_or(0.0, |side| {
                f64::from(side.returned) / f64::from(side.amplified_by.saturating_add(1))
            }),
        ];
        Features { values }
    }

    /// The features as an export of one side's account shows the pair: that side's own actions
    /// alone, with the [`ONE_SIDED_MISSING`] features held at 0. The others mean what they mean in
    /// [`Features::of`], over that side's interactions only.
    pub(crate) fn one_sided(side: &SideSummary, as_of: Timestamp) -> Features {
        let [amplification, conversation, private] = side.decayed_tier;
        let since_last = side.last.map(|at| days_between(at, as_of));
        let duration = match (side.first, side.last) {
            (Some(first), Some(last)) => days_between(first, last),
            _ => 0.0,
        };
        let values = [
            (amplification + conversation + private).ln_1p(),
            (conversation + private).ln_1p(),
            private.ln_1p(),
            f64::from(side.interactions).ln_1p(),
            0.0,
            since_last.map_or(0.0, |d| (-d * 4.0).exp()),
            since_last.map_or(0.0, |d| DAILY_DECAY.powf(d)),
            duration.ln_1p(),
            0.0,
            0.0,
            0.0,
            0.0,
        ];
        Features { values }
    }
}
