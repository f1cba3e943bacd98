//! Names for the accounts a downloaded repository meets: a repository names the accounts it
//! follows, likes and answers by DID only, and a listing of `did:plc:…` tells the user nothing.
//! Handles and display names come from the AppView's `app.bsky.actor.getProfiles` (25 accounts a
//! call), or, for the accounts an AppView does not answer for (none given, or unreachable), from
//! the server itself: `com.atproto.repo.describeRepo`, whose handle counts only when the server
//! says it resolves back to the DID (`handleIsCorrect`). Each DID is asked once, at most
//! [`MAX_NAMED`] of them, within the download's deadline; a DID no one names stays a DID, and the
//! import's field report says how many.

use std::collections::BTreeSet;

use rapport_model::{Account, Network, Record};
use serde::Deserialize;

use super::fetch::Client;
use super::syntax;
use crate::fields::FieldReport;

/// The member name of the field report on naming.
pub const NAMES_REPORT: &str = "accounts met";

/// The most accounts one download names: a repository meets a few thousand accounts at most; past
/// this many the rest stay DIDs (counted), so a hostile repository cannot make a download run
/// a request per record.
pub const MAX_NAMED: usize = 5_000;

/// `app.bsky.actor.getProfiles` takes at most this many actors.
const BATCH: usize = 25;

/// The accounts named, and the report of how.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// Accounts with the handle (and display name) found.
    pub accounts: Vec<Account>,
    /// `accounts met`: how many were named by which means, and how many stay DIDs.
    pub report: FieldReport,
}

/// The DIDs of the accounts `records` meet other than `me`, in order, without duplicates.
pub(crate) fn met(records: &[Record], me: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut add = |did: &str| {
        if did != me && syntax::did(did) {
            seen.insert(did.to_owned());
        }
    };
    for record in records {
        match record {
            Record::Interaction(i) => {
                add(&i.source);
                add(&i.target);
            }
            Record::Post(p) => {
                p.mentions.iter().for_each(|m| add(m));
                if let Some(a) = &p.reply_to_author {
                    add(a);
                }
            }
            _ => {}
        }
    }
    seen.into_iter().collect()
}

/// `app.bsky.actor.getProfiles`'s answer.
#[derive(Deserialize)]
struct Profiles {
    #[serde(default)]
    profiles: Vec<Profile>,
}

/// A profile view: the fields read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    did: String,
    #[serde(default)]
    handle: String,
    #[serde(default)]
    display_name: Option<String>,
}

/// `com.atproto.repo.describeRepo`'s answer: the fields read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Described {
    handle: String,
    #[serde(default)]
    handle_is_correct: bool,
}

/// Names `dids`: through `appview` when given, then through `server` for those left.
pub(crate) fn name(dids: &[String], appview: Option<&Client<'_>>, server: &Client<'_>) -> Names {
    let mut names = Names { report: FieldReport::new(NAMES_REPORT), ..Names::default() };
    names.report.items = dids.len() as u64;
    let (asked, beyond) = dids.split_at(dids.len().min(MAX_NAMED));
    let mut left: BTreeSet<&str> = asked.iter().map(String::as_str).collect();
    if let Some(appview) = appview {
        for chunk in asked.chunks(BATCH) {
            let params: Vec<(&str, &str)> = chunk.iter().map(|d| ("actors", d.as_str())).collect();
            // An AppView that fails once is not asked again: the server names the rest.
            let Ok(found) = appview.json_query::<Profiles>("app.bsky.actor.getProfiles", &params)
            else {
                break;
            };
            for profile in found.profiles {
                if !left.remove(profile.did.as_str()) {
                    continue;
                }
                match account(&profile.did, &profile.handle, profile.display_name.as_deref()) {
                    Some(a) => {
                        names.accounts.push(a);
                        names.report.outcome("named by the AppView");
                    }
                    None => names.report.outcome("no valid handle: shown by its DID"),
                }
            }
        }
    }
    for did in left {
        let described = server
            .json_query::<Described>("com.atproto.repo.describeRepo", &[("repo", did)])
            .ok()
            .filter(|d| d.handle_is_correct);
        match described.and_then(|d| account(did, &d.handle, None)) {
            Some(a) => {
                names.accounts.push(a);
                names.report.outcome("named by its server");
            }
            None => names.report.outcome("not resolved: shown by its DID"),
        }
    }
    for _ in beyond {
        names.report.outcome(&format!("past the first {MAX_NAMED}: shown by its DID"));
    }
    names
}

/// The account of `did` with `handle` (when it is one, and not the `handle.invalid` servers give
/// a handle that no longer resolves) and its display name.
fn account(did: &str, handle: &str, display_name: Option<&str>) -> Option<Account> {
    let handle = handle.to_ascii_lowercase();
    if handle == "handle.invalid" || !syntax::handle(&handle) {
        return None;
    }
    let display_name = display_name.map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    Some(Account {
        handle: Some(handle),
        display_name,
        url: Some(format!("https://bsky.app/profile/{did}")),
        ..Account::new(Network::Bluesky, did)
    })
}

#[cfg(test)]
mod tests {
    use rapport_model::{Interaction, InteractionKind, Post};

    use super::*;

    #[test]
    fn the_accounts_met_are_every_other_did_once() {
        let mut post = Post {
            network: Network::Bluesky,
            id: "at://did:plc:me/app.bsky.feed.post/1".into(),
            author: "did:plc:me".into(),
            at: None,
            text: String::new(),
            hashtags: Vec::new(),
            mentions: vec!["did:plc:bo".into(), "not a did".into()],
            links: Vec::new(),
            reply_to: None,
            reply_to_author: Some("did:plc:cy".into()),
            quote_of: None,
            private: false,
        };
        post.mentions.push("did:plc:me".into());
        let like = |to: &str| {
            Record::Interaction(Interaction::new(
                Network::Bluesky,
                None,
                "did:plc:me",
                to,
                InteractionKind::Like,
            ))
        };
        let records = [like("did:plc:bo"), Record::Post(post), like("did:plc:ada")];
        assert_eq!(met(&records, "did:plc:me"), ["did:plc:ada", "did:plc:bo", "did:plc:cy"]);
    }

    #[test]
    fn invalid_handles_name_no_one() {
        assert!(account("did:plc:bo", "handle.invalid", None).is_none());
        assert!(account("did:plc:bo", "no handle", None).is_none());
        let bo = account("did:plc:bo", "Bo.Test", Some("  Bo ")).unwrap();
        assert_eq!(
            (bo.handle.as_deref(), bo.display_name.as_deref()),
            (Some("bo.test"), Some("Bo"))
        );
    }
}
