//! What kind of interaction a fact records, and which way it points.

use std::fmt;
use std::str::FromStr;

/// The kind of one interaction from a source account to a target account.
///
/// The first ten are the kinds of the interaction-table format. `Connect` and `Request` carry the
/// symmetric friendships and connection requests of Facebook and LinkedIn, which no one-way kind fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InteractionKind {
    /// The source follows the target.
    Follow,
    /// The source stopped following the target.
    Unfollow,
    /// The source liked (or reacted to) a post of the target.
    Like,
    /// The source reposted (retweeted, boosted, shared) a post of the target.
    Repost,
    /// The source quoted a post of the target.
    Quote,
    /// The source replied to (or commented on) a post of the target.
    Reply,
    /// The source mentioned the target in a post.
    Mention,
    /// The source sent the target a direct (private) message.
    Dm,
    /// The source blocked the target.
    Block,
    /// The source muted the target.
    Mute,
    /// The two are connected both ways (a Facebook friendship, a LinkedIn connection).
    Connect,
    /// The source asked the target to connect (a friend request, an invitation).
    Request,
}

impl InteractionKind {
    /// Every kind, in display order.
    pub const ALL: [InteractionKind; 12] = [
        InteractionKind::Follow,
        InteractionKind::Unfollow,
        InteractionKind::Like,
        InteractionKind::Repost,
        InteractionKind::Quote,
        InteractionKind::Reply,
        InteractionKind::Mention,
        InteractionKind::Dm,
        InteractionKind::Block,
        InteractionKind::Mute,
        InteractionKind::Connect,
        InteractionKind::Request,
    ];

    /// The stable lower-case name used in the store and in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            InteractionKind::Follow => "follow",
            InteractionKind::Unfollow => "unfollow",
            InteractionKind::Like => "like",
            InteractionKind::Repost => "repost",
            InteractionKind::Quote => "quote",
            InteractionKind::Reply => "reply",
            InteractionKind::Mention => "mention",
            InteractionKind::Dm => "dm",
            InteractionKind::Block => "block",
            InteractionKind::Mute => "mute",
            InteractionKind::Connect => "connect",
            InteractionKind::Request => "request",
        }
    }

    /// The kind's small stable code, used as the compact column in the store.
    pub fn code(self) -> u8 {
        // The position in ALL is the code; ALL is append-only so stored codes never change meaning.
        Self::ALL.iter().position(|k| *k == self).map_or(0, |i| i as u8)
    }

    /// The kind with this stable code, if any.
    pub fn from_code(code: u8) -> Option<InteractionKind> {
        Self::ALL.get(usize::from(code)).copied()
    }

    /// True for the kinds that say something about a relationship's state rather than an exchange:
    /// follows, blocks, mutes, connections and requests. These are often undated in exports.
    pub fn is_state(self) -> bool {
        matches!(
            self,
            InteractionKind::Follow
                | InteractionKind::Unfollow
                | InteractionKind::Block
                | InteractionKind::Mute
                | InteractionKind::Connect
                | InteractionKind::Request
        )
    }
}

impl fmt::Display for InteractionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for an interaction kind Rapport does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown interaction kind '{}' (expected one of follow, unfollow, like, repost, quote, reply, mention, dm, block, mute, connect, request)",
            self.0
        )
    }
}

impl std::error::Error for UnknownKind {}

impl FromStr for InteractionKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let alias = match lower.as_str() {
            "retweet" | "rt" | "boost" | "share" | "reblog" => Some(InteractionKind::Repost),
            "comment" | "re" => Some(InteractionKind::Reply),
            "mt" => Some(InteractionKind::Mention),
            "message" | "direct_message" => Some(InteractionKind::Dm),
            "favorite" | "favourite" | "reaction" => Some(InteractionKind::Like),
            "friend" | "connection" => Some(InteractionKind::Connect),
            "invitation" | "friend_request" => Some(InteractionKind::Request),
            _ => None,
        };
        alias
            .or_else(|| Self::ALL.into_iter().find(|k| k.as_str() == lower))
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

/// Which way an interaction points, seen from "me".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Me to them.
    Out,
    /// Them to me.
    In,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_round_trip() {
        for k in InteractionKind::ALL {
            assert_eq!(InteractionKind::from_code(k.code()), Some(k));
            assert_eq!(k.as_str().parse::<InteractionKind>(), Ok(k));
        }
        assert_eq!("RT".parse::<InteractionKind>(), Ok(InteractionKind::Repost));
        assert_eq!("MT".parse::<InteractionKind>(), Ok(InteractionKind::Mention));
        assert_eq!("RE".parse::<InteractionKind>(), Ok(InteractionKind::Reply));
        assert!("poke".parse::<InteractionKind>().is_err());
    }
}
