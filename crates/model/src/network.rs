//! Which social network a fact comes from.

use std::fmt;
use std::str::FromStr;

/// A social network, or a generic interaction table that names none.
///
/// Accounts are kept per network: `@ada` on Mastodon and `@ada` on X are two accounts until the user
/// (or a merge suggestion they accept) says they are one person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Network {
    /// X, formerly Twitter.
    X,
    /// Facebook.
    Facebook,
    /// Mastodon or another ActivityPub server.
    Mastodon,
    /// Bluesky (AT Protocol).
    Bluesky,
    /// LinkedIn.
    LinkedIn,
    /// An interaction table (CSV, JSONL, SNAP edge list) that names no network.
    #[default]
    Table,
}

impl Network {
    /// Every network, in display order.
    pub const ALL: [Network; 6] = [
        Network::X,
        Network::Facebook,
        Network::Mastodon,
        Network::Bluesky,
        Network::LinkedIn,
        Network::Table,
    ];

    /// The stable lower-case name used in the store, in tables and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::Facebook => "facebook",
            Network::Mastodon => "mastodon",
            Network::Bluesky => "bluesky",
            Network::LinkedIn => "linkedin",
            Network::Table => "table",
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a network name Rapport does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownNetwork(pub String);

impl fmt::Display for UnknownNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown network '{}' (expected one of x, twitter, facebook, mastodon, bluesky, linkedin, table)",
            self.0
        )
    }
}

impl std::error::Error for UnknownNetwork {}

impl FromStr for Network {
    type Err = UnknownNetwork;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "x" | "twitter" => Network::X,
            "facebook" | "fb" => Network::Facebook,
            "mastodon" | "activitypub" | "fediverse" => Network::Mastodon,
            "bluesky" | "bsky" | "atproto" => Network::Bluesky,
            "linkedin" => Network::LinkedIn,
            "table" | "" => Network::Table,
            _ => return Err(UnknownNetwork(s.to_owned())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for n in Network::ALL {
            assert_eq!(n.as_str().parse::<Network>(), Ok(n));
        }
        assert_eq!("Twitter".parse::<Network>(), Ok(Network::X));
        assert!("myspace".parse::<Network>().is_err());
    }
}
