//! What a network says an account is, beyond a person: the account types some networks declare
//! (a Mastodon group, a Bluesky labeler, a company followed on LinkedIn). Only what the source
//! states is kept; whether an account *is* an organisation is judged later, from this and more.

use std::fmt;
use std::str::FromStr;

/// An account type a network declares for an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActorKind {
    /// A Mastodon group (`group: true`): an account that boosts what its members send it.
    Group,
    /// A Bluesky labeler service (`associated.labeler`): a moderation service, not a person.
    Labeler,
    /// A Bluesky trusted verifier (`verification.trustedVerifierStatus: valid`): an institution
    /// that vouches for other accounts.
    Verifier,
    /// A company page (LinkedIn's `Company Follows.csv`).
    Company,
}

impl ActorKind {
    /// The stable name the store keeps.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Group => "group",
            ActorKind::Labeler => "labeler",
            ActorKind::Verifier => "verifier",
            ActorKind::Company => "company",
        }
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored account type this build does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownActorKind(pub String);

impl fmt::Display for UnknownActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown account type '{}'", self.0)
    }
}

impl std::error::Error for UnknownActorKind {}

impl FromStr for ActorKind {
    type Err = UnknownActorKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [ActorKind::Group, ActorKind::Labeler, ActorKind::Verifier, ActorKind::Company]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownActorKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in [ActorKind::Group, ActorKind::Labeler, ActorKind::Verifier, ActorKind::Company] {
            assert_eq!(k.as_str().parse(), Ok(k));
        }
        assert_eq!("robot".parse::<ActorKind>(), Err(UnknownActorKind("robot".into())));
    }
}
