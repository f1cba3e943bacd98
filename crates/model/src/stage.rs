//! Where a relationship stands, from nothing to close.

use std::fmt;
use std::str::FromStr;

/// Where a relationship stands, from nothing to close. The relationship model decides which
/// (`rapport_score`, with the exact definitions); the check and every front end read it.
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
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a stage name Rapport does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStage(pub String);

impl fmt::Display for UnknownStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown stage '{}' (expected one of stranger, aware, engaged, mutual, close)",
            self.0
        )
    }
}

impl std::error::Error for UnknownStage {}

impl FromStr for Stage {
    type Err = UnknownStage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == lower)
            .ok_or_else(|| UnknownStage(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for st in Stage::ALL {
            assert_eq!(st.as_str().parse::<Stage>(), Ok(st));
        }
        assert!("friends".parse::<Stage>().is_err());
    }
}
