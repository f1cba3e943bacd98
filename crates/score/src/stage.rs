//! The stages of a relationship and their exact definitions.

use std::fmt;

use rapport_model::time::DAY;
use rapport_model::{Direction, InteractionKind, Timestamp};

use crate::error::Error;
use crate::summary::PairSummary;

/// How long a reciprocal private conversation must have run to count as sustained.
pub const SUSTAINED_SPAN: Timestamp = 30 * DAY;

/// How recent the last conversational event must be for a relationship to stay close.
pub const CLOSE_WITHIN: Timestamp = 90 * DAY;

/// Where a relationship stands, from nothing to close.
///
/// Conversational events are replies, quotes, mentions and DMs; everything is counted at or before
/// the as-of time (undated events always count). The stages, tested in this order:
/// - **Stranger**: either side blocked the other, or there is no interaction, no current follow (a
///   follow undone by a later unfollow does not count), no connection and no request.
/// - **Close**: conversational events both ways, DMs both ways, the dated conversational events span
///   at least 30 days (sustained), and the last of them is at most 90 days old.
/// - **Mutual**: conversational events both ways.
/// - **Engaged**: conversational events one way only.
/// - **Aware**: anything else: a follow (one-way or both), a connection, a request, a like or a repost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// No relationship, or a blocked one.
    Stranger,
    /// One knows of the other: a follow, a like, a repost, a connection, but no conversation.
    Aware,
    /// A conversation one way.
    Engaged,
    /// Conversation both ways.
    Mutual,
    /// Sustained, reciprocal, private and current.
    Close,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] =
        [Stage::Stranger, Stage::Aware, Stage::Engaged, Stage::Mutual, Stage::Close];

    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Stranger => "stranger",
            Stage::Aware => "aware",
            Stage::Engaged => "engaged",
            Stage::Mutual => "mutual",
            Stage::Close => "close",
        }
    }

    /// The stage of a summarised pair at `as_of`.
    pub(crate) fn of(summary: &PairSummary, as_of: Timestamp) -> Stage {
        let requests = summary.counts.get(InteractionKind::Request, Direction::Out)
            + summary.counts.get(InteractionKind::Request, Direction::In);
        let any_signal = summary.interaction_count() > 0
            || summary.follows.iter().any(|&f| f)
            || summary.connected
            || requests > 0;
        if summary.blocked || !any_signal {
            return Stage::Stranger;
        }
        let [out, incoming] = summary.conversed;
        if !(out || incoming) {
            return Stage::Aware;
        }
        if !(out && incoming) {
            return Stage::Engaged;
        }
        let private = summary.messaged[0] && summary.messaged[1];
        let close = summary.conversation_span.is_some_and(|(first, last)| {
            last - first >= SUSTAINED_SPAN && as_of - last <= CLOSE_WITHIN
        });
        if private && close { Stage::Close } else { Stage::Mutual }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Stage {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == lower)
            .ok_or_else(|| Error::UnknownStage(s.to_owned()))
    }
}
