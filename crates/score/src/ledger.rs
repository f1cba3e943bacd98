//! The give/ask ledger: what "me" gave the other person and asked of them, from simple signals.

use rapport_model::{Direction, InteractionKind};

use crate::summary::PairSummary;

/// What the ledger's asks are based on, to show beside it.
pub const LEDGER_BASIS: &str = "asks are connection requests, DMs to people who had never \
     interacted with you, and messages whose text reads as a pitch";

/// Gifts of attention one side made to the other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Given {
    /// Replies to their posts.
    pub replies: u32,
    /// Quotes and mentions: public credit.
    pub credits: u32,
    /// Reposts of their posts.
    pub reposts: u32,
    /// Likes of their posts.
    pub likes: u32,
}

impl Given {
    /// Everything given.
    pub fn total(&self) -> u32 {
        self.replies + self.credits + self.reposts + self.likes
    }
}

/// Asks one side made of the other, as far as simple signals show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    /// Connection or friend requests sent.
    pub requests: u32,
    /// DMs sent before the other side had ever interacted: likely asks.
    pub cold_dms: u32,
    /// Other messages whose text reads as a pitch or a request. The model sees no text, so this
    /// is filled in by whoever can read it (the engine, with the check).
    pub pitches: u32,
}

impl Asked {
    /// Everything asked.
    pub fn total(&self) -> u32 {
        self.requests + self.cold_dms + self.pitches
    }
}

/// The give/ask ledger of one relationship, seen from "me".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// What "me" gave them.
    pub given: Given,
    /// What they gave "me".
    pub received: Given,
    /// What "me" asked of them.
    pub asked: Asked,
}

impl Ledger {
    /// The ledger of a pair summarised from "me"'s side.
    pub(crate) fn of(summary: &PairSummary) -> Ledger {
        let c = &summary.counts;
        let given = |d| Given {
            replies: c.get(InteractionKind::Reply, d),
            credits: c.get(InteractionKind::Quote, d) + c.get(InteractionKind::Mention, d),
            reposts: c.get(InteractionKind::Repost, d),
            likes: c.get(InteractionKind::Like, d),
        };
        Ledger {
            given: given(Direction::Out),
            received: given(Direction::In),
            asked: Asked {
                requests: c.get(InteractionKind::Request, Direction::Out),
                cold_dms: summary.cold_dms,
                pitches: 0,
            },
        }
    }
}
