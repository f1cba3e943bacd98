//! The entities of Mastodon's REST API that sync reads (fields as the API documentation lists
//! them; unknown fields are ignored, so newer servers stay readable).

use serde::Deserialize;

/// An `Account`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct ApiAccount {
    /// The server-local id, used in URLs.
    pub(crate) id: String,
    /// `user` for local accounts, `user@domain` for remote ones.
    pub(crate) acct: String,
    /// The profile page.
    #[serde(default)]
    pub(crate) url: Option<String>,
    /// The ActivityPub actor id (Mastodon 4.2 and later): the id archives use.
    #[serde(default)]
    pub(crate) uri: Option<String>,
    #[serde(default)]
    pub(crate) display_name: Option<String>,
    #[serde(default)]
    pub(crate) bot: bool,
    /// True for a group actor: an account that boosts what its members send it.
    #[serde(default)]
    pub(crate) group: bool,
    /// The profile's description, as HTML.
    #[serde(default)]
    pub(crate) note: String,
}

/// A `Status`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Status {
    pub(crate) id: String,
    /// The ActivityPub id: the id archives use.
    pub(crate) uri: String,
    pub(crate) created_at: String,
    #[serde(default)]
    pub(crate) in_reply_to_id: Option<String>,
    #[serde(default)]
    pub(crate) in_reply_to_account_id: Option<String>,
    #[serde(default)]
    pub(crate) visibility: String,
    #[serde(default)]
    pub(crate) spoiler_text: String,
    #[serde(default)]
    pub(crate) content: String,
    pub(crate) account: ApiAccount,
    #[serde(default)]
    pub(crate) mentions: Vec<Mention>,
    #[serde(default)]
    pub(crate) tags: Vec<Tag>,
    #[serde(default)]
    pub(crate) reblog: Option<Box<Status>>,
}

/// A `Status::Mention`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Mention {
    pub(crate) id: String,
    pub(crate) acct: String,
}

/// A `Status::Tag`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Tag {
    pub(crate) name: String,
}

/// A `Notification`.
#[derive(Debug, Deserialize)]
pub(crate) struct Notification {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) created_at: String,
    pub(crate) account: ApiAccount,
    #[serde(default)]
    pub(crate) status: Option<Status>,
}

/// A `Conversation` (direct messages).
#[derive(Debug, Deserialize)]
pub(crate) struct Conversation {
    #[serde(default)]
    pub(crate) last_status: Option<Status>,
}

/// An `Application` as `POST /api/v1/apps` returns it.
#[derive(Debug, Deserialize)]
pub(crate) struct Application {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
}

/// A `Token` as `POST /oauth/token` returns it.
#[derive(Debug, Deserialize)]
pub(crate) struct Token {
    pub(crate) access_token: String,
}
