//! What the caller knows about a draft besides its text: what kind of message it is, where it goes,
//! the relationship with the recipient and the user's own sent history.

use rapport_model::{Network, Stage};

use crate::history::History;

/// What kind of message the draft is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DraftKind {
    /// A public post to one's followers.
    #[default]
    Post,
    /// A public reply to someone.
    Reply,
    /// A private message to one person.
    Dm,
}

impl DraftKind {
    /// The stable lower-case name used on the command line and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            DraftKind::Post => "post",
            DraftKind::Reply => "reply",
            DraftKind::Dm => "dm",
        }
    }
}

/// The relationship between the user and the draft's recipient, from the store.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RelationshipContext {
    /// The relationship's stage.
    pub stage: Stage,
    /// Its strength, 0 to 1.
    pub strength: f32,
    /// How many interactions the two have had, in either direction.
    pub interactions: u32,
    /// Whether the recipient reached out last (the draft answers them).
    pub they_reached_out_last: bool,
}

/// Everything [`crate::check`] takes besides the text. `Context::default()` is a public post on
/// an unnamed network with nothing else known.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// Post, reply or private message.
    pub kind: DraftKind,
    /// The network it goes to, for per-network norms (hashtag and mention counts).
    pub network: Option<Network>,
    /// The relationship with the recipient of a reply or message, if known.
    pub relationship: Option<RelationshipContext>,
    /// The recipient's handle, so that earlier messages to the same person are not counted as
    /// copy-paste outreach.
    pub recipient: Option<&'a str>,
    /// The user's sent messages, for copy-paste outreach.
    pub history: Option<&'a History>,
}
