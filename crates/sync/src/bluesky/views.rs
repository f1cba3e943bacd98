//! The parts of the AppView's answers that sync reads, and the accounts they describe.

use rapport_model::{Account, Network};
use serde::Deserialize;
use serde_json::Value;

/// `app.bsky.actor.defs#profileView` (and its basic and detailed forms).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Profile {
    pub(crate) did: String,
    #[serde(default)]
    pub(crate) handle: String,
    #[serde(default)]
    pub(crate) display_name: Option<String>,
    #[serde(default)]
    pub(crate) viewer: Option<Viewer>,
}

/// What the viewer (the synced account) has to do with a profile: the AT URIs of the follow
/// records between them, which are the ids a repository import gives those follows.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Viewer {
    #[serde(default)]
    pub(crate) following: Option<String>,
    #[serde(default)]
    pub(crate) followed_by: Option<String>,
}

impl Profile {
    /// The account, with its handle when the server vouches for one.
    pub(crate) fn account(&self) -> Account {
        // A handle that no longer resolves comes back as `handle.invalid`.
        let handle = Some(self.handle.to_ascii_lowercase())
            .filter(|h| h != "handle.invalid" && rapport_import::bluesky::valid_handle(h));
        let name = self.display_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        Account {
            handle,
            display_name: name.map(crate::quote),
            ..Account::new(Network::Bluesky, &self.did)
        }
    }
}

/// `com.atproto.repo.listRecords`.
#[derive(Deserialize)]
pub(crate) struct RecordList {
    #[serde(default)]
    pub(crate) cursor: Option<String>,
    pub(crate) records: Vec<RepoRecord>,
}

/// One record of a repository.
#[derive(Deserialize)]
pub(crate) struct RepoRecord {
    pub(crate) uri: String,
    pub(crate) value: Value,
}

/// `app.bsky.notification.listNotifications`.
#[derive(Deserialize)]
pub(crate) struct Notifications {
    #[serde(default)]
    pub(crate) cursor: Option<String>,
    pub(crate) notifications: Vec<Notification>,
}

/// One notification: who did what, with the record that did it.
#[derive(Deserialize)]
pub(crate) struct Notification {
    pub(crate) uri: String,
    pub(crate) author: Profile,
    pub(crate) reason: String,
    pub(crate) record: Value,
}

/// `app.bsky.graph.getFollowers`.
#[derive(Deserialize)]
pub(crate) struct Followers {
    #[serde(default)]
    pub(crate) cursor: Option<String>,
    pub(crate) followers: Vec<Profile>,
}

/// `app.bsky.graph.getFollows`.
#[derive(Deserialize)]
pub(crate) struct Follows {
    #[serde(default)]
    pub(crate) cursor: Option<String>,
    pub(crate) follows: Vec<Profile>,
}

/// `app.bsky.graph.getMutes`.
#[derive(Deserialize)]
pub(crate) struct Mutes {
    #[serde(default)]
    pub(crate) cursor: Option<String>,
    pub(crate) mutes: Vec<Profile>,
}

/// `app.bsky.actor.getProfiles`.
#[derive(Deserialize)]
pub(crate) struct Profiles {
    pub(crate) profiles: Vec<Profile>,
}

/// `app.bsky.feed.getPostThread`: the post and the chain of its parents.
#[derive(Deserialize)]
pub(crate) struct Thread {
    pub(crate) thread: ThreadNode,
}

/// One node of a thread; blocked and deleted posts come without `post`.
#[derive(Deserialize)]
pub(crate) struct ThreadNode {
    #[serde(default)]
    pub(crate) post: Option<PostView>,
    #[serde(default)]
    pub(crate) parent: Option<Box<ThreadNode>>,
}

/// A post as the AppView shows it.
#[derive(Deserialize)]
pub(crate) struct PostView {
    pub(crate) uri: String,
    pub(crate) author: Profile,
    pub(crate) record: Value,
}
