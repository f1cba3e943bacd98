//! The stages of a relationship and their exact definitions.

use rapport_model::time::DAY;
use rapport_model::{Direction, InteractionKind, Stage, Timestamp};

use crate::summary::PairSummary;

/// How long a reciprocal private conversation must have run to count as sustained.
pub const SUSTAINED_SPAN: Timestamp = 30 * DAY;

/// How recent the last conversational event must be for a relationship to stay close.
pub const CLOSE_WITHIN: Timestamp = 90 * DAY;

/// The stage of a summarised pair at `as_of`.
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
pub(crate) fn stage_of(summary: &PairSummary, as_of: Timestamp) -> Stage {
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
