//! The model's input: one interaction between two dense account ids, and how intimate its kind is.

use rapport_model::{InteractionKind, Timestamp};

/// One interaction from `source` to `target`, with ids assigned densely by the caller.
///
/// `at` is `None` for undated facts (a follow or a like listed in an export without a date).
/// Undated events count for a relationship's state (who follows whom, who liked what) and for raw
/// counts, but never for recency: Rapport never invents a time for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// The acting account.
    pub source: u32,
    /// The account acted upon.
    pub target: u32,
    /// What happened.
    pub kind: InteractionKind,
    /// When it happened, if known (Unix seconds).
    pub at: Option<Timestamp>,
}

impl Event {
    /// A dated event.
    pub fn new(source: u32, target: u32, kind: InteractionKind, at: Timestamp) -> Event {
        Event { source, target, kind, at: Some(at) }
    }

    /// True when the event happened at or before `as_of`; undated events always have.
    pub(crate) fn visible_at(&self, as_of: Timestamp) -> bool {
        self.at.is_none_or(|at| at <= as_of)
    }
}

/// How intimate an interaction kind is, from most to least; state kinds are not interactions.
///
/// The model sums interactions cumulatively by tier (all, conversation and private, private only)
/// and gives each sum a non-negative weight, so a DM can never count for less than a reply, nor a
/// reply for less than a like: intimacy is ordered by construction, and the sizes of the steps are
/// fitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Likes and reposts: attention without words.
    Amplification,
    /// Replies, quotes and mentions: public conversation addressed to the person.
    Conversation,
    /// Direct messages.
    Private,
}

impl Tier {
    /// The tier of an interaction kind, or `None` for the state kinds (follow, block, ...).
    pub fn of(kind: InteractionKind) -> Option<Tier> {
        match kind {
            InteractionKind::Like | InteractionKind::Repost => Some(Tier::Amplification),
            InteractionKind::Reply | InteractionKind::Quote | InteractionKind::Mention => {
                Some(Tier::Conversation)
            }
            InteractionKind::Dm => Some(Tier::Private),
            InteractionKind::Follow
            | InteractionKind::Unfollow
            | InteractionKind::Block
            | InteractionKind::Mute
            | InteractionKind::Connect
            | InteractionKind::Request => None,
        }
    }
}
