//! The stages of a relationship and their exact definitions.

use rapport_model::time::DAY;
use rapport_model::{Direction, InteractionKind, Stage, Timestamp};

use crate::relationship::OtherSide;
use crate::summary::PairSummary;

/// How long a reciprocal private conversation must have run to count as sustained.
pub const SUSTAINED_SPAN: Timestamp = 30 * DAY;

/// How recent the last conversational event must be for a relationship to stay close.
pub const CLOSE_WITHIN: Timestamp = 90 * DAY;

/// How many conversational events "me" must have written to someone, over at least
/// [`SUSTAINED_SPAN`], for a one-sided source to read the conversation as two-way.
pub const SUSTAINED_CONTRIBUTIONS: u32 = 3;

/// The stage of a summarised pair at `as_of`, as far as the sources can see its `side`.
pub(crate) fn stage_as(summary: &PairSummary, as_of: Timestamp, side: OtherSide) -> Stage {
    match side {
        OtherSide::Seen => stage_of(summary, as_of),
        OtherSide::Unseen => stage_one_sided(summary, as_of),
    }
}

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

/// The stage of a pair whose other side no source shows (an X or Mastodon archive): the rules of
/// [`stage_of`], with the unseen answer taken from what the export does hold rather than read as
/// "never answered".
///
/// Where "me" wrote to them, the conversation counts as two-way (Mutual) when any of these holds:
/// - something of theirs towards "me" is in the data after all (a DM, a mention another source
///   brought);
/// - the two follow each other, or are connected (an X archive lists followers and following);
/// - "me" kept writing to them: at least [`SUSTAINED_CONTRIBUTIONS`] replies, quotes, mentions or
///   DMs spanning at least [`SUSTAINED_SPAN`]. People do not keep returning to a thread for a
///   month that nobody answers; a single burst of replies stays Engaged.
///
/// Close asks what [`stage_of`] asks, with "me"'s own DMs standing for DMs both ways (theirs are
/// the side not shown): a two-way conversation, private, sustained and current.
pub(crate) fn stage_one_sided(summary: &PairSummary, as_of: Timestamp) -> Stage {
    let seen = stage_of(summary, as_of);
    if seen != Stage::Engaged || !summary.conversed[0] {
        return seen;
    }
    let mine = &summary.sides[0];
    let sustained = mine.conversations >= SUSTAINED_CONTRIBUTIONS
        && mine.conversation_span.is_some_and(|(first, last)| last - first >= SUSTAINED_SPAN);
    let answered = summary.follows[0] && summary.follows[1] || summary.connected || sustained;
    if !answered {
        return Stage::Engaged;
    }
    let close = summary.conversation_span.is_some_and(|(first, last)| {
        last - first >= SUSTAINED_SPAN && as_of - last <= CLOSE_WITHIN
    });
    if summary.messaged[0] && close { Stage::Close } else { Stage::Mutual }
}
