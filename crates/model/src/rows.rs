//! The rows the store returns that the computing crates read too: an account, an interaction and a
//! post as stored (with the store's ids), and what the user did with a daily action.
//!
//! They are plain data, so that the crates that compute (`advice`, `score`) take them without
//! depending on the store; the store maps them to and from SQL by hand.

use crate::{ActorKind, InteractionKind, Network, Timestamp};

/// One stored account.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountRow {
    /// The store's id for the account.
    pub id: i64,
    /// Its network.
    pub network: Network,
    /// The network's own id for it.
    pub native_id: String,
    /// Its handle, when known.
    pub handle: Option<String>,
    /// Its display name, when known.
    pub display_name: Option<String>,
    /// A link to its profile, when known.
    pub url: Option<String>,
    /// True when it describes itself as automated.
    pub bot: bool,
    /// Its profile's description, when a source gave one.
    pub description: Option<String>,
    /// The account type its network declares, if any.
    pub kind: Option<ActorKind>,
    /// The person it belongs to: its merged person, or (for an unmerged account) minus its own id.
    pub person: i64,
    /// True when the account is one of "me".
    pub is_me: bool,
}

impl AccountRow {
    /// The name to show: `@handle` when known, else for a fediverse account `@name@host` from its
    /// actor URL (never the raw URL), else the native id.
    pub fn label(&self) -> String {
        let derived = || match self.network {
            Network::Mastodon => crate::fediverse::handle_of_actor(&self.native_id),
            _ => None,
        };
        match self.handle.clone().or_else(derived) {
            Some(h) => format!("@{h}"),
            None => self.native_id.clone(),
        }
    }
}

/// One stored interaction, with account ids resolved to store ids.
#[derive(Clone, Debug, PartialEq)]
pub struct InteractionRow {
    /// The stable interaction id.
    pub id: i64,
    /// Its network.
    pub network: Network,
    /// What happened.
    pub kind: InteractionKind,
    /// The acting account's store id.
    pub source: i64,
    /// The store id of the account acted upon.
    pub target: i64,
    /// When, if known.
    pub at: Option<Timestamp>,
    /// The post it is or acts on.
    pub post_id: Option<String>,
    /// The post a reply answers.
    pub reply_to: Option<String>,
    /// Its text, when the source had it.
    pub text: Option<String>,
}

/// One stored post.
#[derive(Clone, Debug, PartialEq)]
pub struct PostRow {
    /// The store's id for it.
    pub id: i64,
    /// Its network.
    pub network: Network,
    /// The network's id for it.
    pub native_id: String,
    /// The author's store id.
    pub author: i64,
    /// When, if known.
    pub at: Option<Timestamp>,
    /// Its plain text.
    pub text: String,
    /// Its hashtags.
    pub hashtags: Vec<String>,
    /// Its links.
    pub links: Vec<String>,
    /// The post it replies to.
    pub reply_to: Option<String>,
    /// True for private messages.
    pub private: bool,
}

/// What the user did with a daily action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionState {
    /// Done: it is not shown again.
    Done,
    /// Snoozed: not shown until a moment.
    Snoozed,
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 17: `people` printed fediverse accounts it knew only by URL as the raw URL.
    #[test]
    fn labels_never_show_a_raw_actor_url() {
        let account = |network, native: &str, handle: Option<&str>| AccountRow {
            id: 1,
            network,
            native_id: native.to_owned(),
            handle: handle.map(str::to_owned),
            display_name: None,
            url: None,
            bot: false,
            person: -1,
            is_me: false,
            description: None,
            kind: None,
        };
        let bot = "https://botsin.space/users/gardenbot";
        assert_eq!(account(Network::Mastodon, bot, None).label(), "@gardenbot@botsin.space");
        assert_eq!(
            account(Network::Mastodon, bot, Some("gb@botsin.space")).label(),
            "@gb@botsin.space"
        );
        assert_eq!(account(Network::X, "1001", None).label(), "1001");
    }
}
