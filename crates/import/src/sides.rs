//! What each export can see of a relationship's other side.
//!
//! An archive a network hands its user holds that user's own actions; what other people did
//! towards them lives in the other people's data. So an X archive has the owner's tweets, replies,
//! retweets and likes, and both sides of direct messages, but not one reply anybody wrote to the
//! owner; a Mastodon archive's outbox and a Bluesky repository hold only the owner's records.
//! Facebook and LinkedIn exports hold both sides of messages (and LinkedIn both sides of
//! invitations) but only the owner's comments and reactions. Interaction tables and SNAP edge
//! lists are written by whoever made them with both directions, and a sync reads notifications,
//! which are the other side. The engine reads this per import to tell an unknown reciprocity from
//! a zero one.

use rapport_model::Network;

use crate::format::Format;

/// How much of the other side of a relationship a source shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OtherSide {
    /// Only the owner's actions.
    OwnerOnly,
    /// The owner's actions, and both sides of private messages.
    Messages,
    /// Both sides of every interaction.
    Both,
}

impl Format {
    /// How much of the other side of a relationship this format shows.
    pub fn other_side(self) -> OtherSide {
        match self {
            Format::Mastodon | Format::BlueskyCar => OtherSide::OwnerOnly,
            Format::XArchive | Format::Facebook | Format::LinkedIn => OtherSide::Messages,
            Format::Csv | Format::Jsonl | Format::Snap(_) => OtherSide::Both,
        }
    }

    /// The network an export of this format comes from; `None` for tables, which name their own.
    pub fn network(self) -> Option<Network> {
        match self {
            Format::XArchive => Some(Network::X),
            Format::Facebook => Some(Network::Facebook),
            Format::Mastodon => Some(Network::Mastodon),
            Format::LinkedIn => Some(Network::LinkedIn),
            Format::BlueskyCar => Some(Network::Bluesky),
            Format::Csv | Format::Jsonl | Format::Snap(_) => None,
        }
    }

    /// What an export of this format can and cannot show, for the import summary; `None` when it
    /// shows both sides.
    pub fn limits(self) -> Option<&'static str> {
        match self.other_side() {
            OtherSide::OwnerOnly => Some(
                "holds only your own actions: what others did towards you (replies, likes, messages) is not in it, so reciprocity and what they gave are unknown until a sync or a two-sided export brings them",
            ),
            OtherSide::Messages => Some(
                "holds your own actions and both sides of private messages, but not what others did towards you in public (replies, likes, reposts): reciprocity is unknown for people you never messaged",
            ),
            OtherSide::Both => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_says_what_it_sees() {
        for (format, name) in Format::ALL {
            let limits = format.limits();
            assert_eq!(limits.is_none(), format.other_side() == OtherSide::Both, "{name}");
            // An export of a network is one-sided in some way; a table names its network and
            // has both directions.
            assert_eq!(format.network().is_some(), limits.is_some(), "{name}");
        }
        assert_eq!(Format::Mastodon.other_side(), OtherSide::OwnerOnly);
        assert_eq!(Format::XArchive.other_side(), OtherSide::Messages);
    }
}
