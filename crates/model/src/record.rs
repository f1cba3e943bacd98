//! The records importers produce and the store keeps: accounts, interactions and posts.

use crate::{ActorKind, InteractionKind, Network, Timestamp};

/// What an importer yields: every source format is reduced to a stream of these.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    /// The account that owns the export: "me".
    Me(Account),
    /// What the source says about an account (handle, display name, profile link, bot flag).
    Account(Account),
    /// One interaction between two accounts.
    Interaction(Interaction),
    /// One post, reply, comment or message body with its text and entities.
    Post(Post),
}

/// One account on one network.
///
/// `id` is the network's own stable identifier (an X user id, a Bluesky DID, an ActivityPub actor URL);
/// where a source only gives a handle, the handle is the id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Account {
    /// The network the account lives on.
    pub network: Network,
    /// The network's stable id for the account.
    pub id: String,
    /// The handle or screen name, without a leading `@`, when known.
    pub handle: Option<String>,
    /// The display name, when known.
    pub display_name: Option<String>,
    /// A link to the profile, when known.
    pub url: Option<String>,
    /// True when the account describes itself as automated.
    pub bot: bool,
    /// The profile's own description (bio, note), as plain text, when the source gives one.
    pub description: Option<String>,
    /// The account type the network declares, when it declares one other than a person.
    pub kind: Option<ActorKind>,
}

impl Account {
    /// An account known only by its id.
    pub fn new(network: Network, id: impl Into<String>) -> Account {
        Account { network, id: id.into(), ..Account::default() }
    }
}

/// One interaction from `source` to `target`.
///
/// `at` is `None` for undated facts (a follow or a like listed in an export without a date): such
/// facts stay undated, Rapport never invents a time for them.
#[derive(Clone, Debug, PartialEq)]
pub struct Interaction {
    /// The network it happened on.
    pub network: Network,
    /// The source's own id for this interaction (a like's id, a message id), when it has one.
    pub native_id: Option<String>,
    /// When it happened, if the source says.
    pub at: Option<Timestamp>,
    /// The acting account's id.
    pub source: String,
    /// The account acted upon.
    pub target: String,
    /// What happened.
    pub kind: InteractionKind,
    /// The post this interaction is (a reply's or a DM's own post id), or acts on (a like's target).
    pub post_id: Option<String>,
    /// The post a reply answers.
    pub reply_to: Option<String>,
    /// The text of a reply, mention or message, when the source has it.
    pub text: Option<String>,
}

impl Interaction {
    /// An interaction with no ids or text.
    pub fn new(
        network: Network,
        at: Option<Timestamp>,
        source: impl Into<String>,
        target: impl Into<String>,
        kind: InteractionKind,
    ) -> Interaction {
        Interaction {
            network,
            native_id: None,
            at,
            source: source.into(),
            target: target.into(),
            kind,
            post_id: None,
            reply_to: None,
            text: None,
        }
    }
}

/// One post (status, tweet, comment, message body) with its entities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Post {
    /// The network it was posted on.
    pub network: Network,
    /// The network's id for the post.
    pub id: String,
    /// The author's account id.
    pub author: String,
    /// When it was posted.
    pub at: Option<Timestamp>,
    /// Its plain text (HTML already converted).
    pub text: String,
    /// Hashtags without the `#`, lower-cased.
    pub hashtags: Vec<String>,
    /// Account ids mentioned.
    pub mentions: Vec<String>,
    /// Expanded links.
    pub links: Vec<String>,
    /// The post this one replies to.
    pub reply_to: Option<String>,
    /// The author of the post this one replies to.
    pub reply_to_author: Option<String>,
    /// The post this one quotes.
    pub quote_of: Option<String>,
    /// True for private messages (DMs); they never count as public posts.
    pub private: bool,
}
