//! The parts of the AppView's answers that sync reads, and the accounts they describe.

use rapport_model::{Account, ActorKind, Network};
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
    /// The profile's description (`getProfile(s)` only; post authors come without).
    #[serde(default)]
    pub(crate) description: Option<String>,
    /// What the account runs besides posting: a labeler service, feeds, lists.
    #[serde(default)]
    pub(crate) associated: Option<Associated>,
    #[serde(default)]
    pub(crate) verification: Option<Verification>,
}

/// `app.bsky.actor.defs#profileAssociated`: only what says the account is a service.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Associated {
    #[serde(default)]
    pub(crate) labeler: bool,
}

/// `app.bsky.actor.defs#verificationState`: a trusted verifier is an institution that vouches for
/// others.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Verification {
    #[serde(default)]
    pub(crate) trusted_verifier_status: Option<String>,
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
    /// The account type the profile declares: a labeler service or a trusted verifier.
    fn kind(&self) -> Option<ActorKind> {
        let verifier =
            self.verification.as_ref().and_then(|v| v.trusted_verifier_status.as_deref());
        if self.associated.as_ref().is_some_and(|a| a.labeler) {
            Some(ActorKind::Labeler)
        } else if verifier == Some("valid") {
            Some(ActorKind::Verifier)
        } else {
            None
        }
    }

    /// The account, with its handle when the server vouches for one.
    pub(crate) fn account(&self) -> Account {
        // A handle that no longer resolves comes back as `handle.invalid`.
        let handle = Some(self.handle.to_ascii_lowercase())
            .filter(|h| h != "handle.invalid" && rapport_import::bluesky::valid_handle(h));
        let name = self.display_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        Account {
            handle,
            display_name: name.map(crate::quote),
            description: self.description.as_deref().and_then(crate::description),
            kind: self.kind(),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 18: the description and the declared service types reach the account record.
    #[test]
    fn profiles_carry_description_and_declared_type() {
        let profile = |extra: &str| -> Profile {
            let json = format!(r#"{{"did":"did:plc:abc","handle":"mod.example.com"{extra}}}"#);
            serde_json::from_str(&json).unwrap()
        };
        let a = profile(
            r#","description":"  We label spam\u0007 ","associated":{"labeler":true,"feedgens":2}"#,
        )
        .account();
        assert_eq!(a.kind, Some(ActorKind::Labeler));
        assert_eq!(a.description.as_deref(), Some("We label spam\u{2407}"));
        let a = profile(r#","verification":{"verifications":[],"verifiedStatus":"none","trustedVerifierStatus":"valid"}"#)
            .account();
        assert_eq!(a.kind, Some(ActorKind::Verifier));
        let a = profile(r#","associated":{"lists":3},"verification":{"trustedVerifierStatus":"none"},"description":"""#)
            .account();
        assert_eq!((a.kind, a.description), (None, None));
    }
}
