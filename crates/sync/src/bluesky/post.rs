//! Replying on Bluesky: the post replied to is looked up (`app.bsky.feed.getPosts`) for its CID and
//! its thread's root, then an `app.bsky.feed.post` with both reply refs is created in the own
//! repository (`com.atproto.repo.createRecord`). The created record is mapped by the CAR
//! importer's mapping with the URI the server gave it, as sync maps the own repository, so the
//! next sync (or an archive) meets the sent reply without a duplicate.

use rapport_import::bluesky::{Mapped, map_json};
use rapport_model::{Account, Network, Record};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Session;
use super::xrpc::Xrpc;
use crate::http::{Http, Limits};
use crate::{Result, SyncError};

/// `app.bsky.feed.getPosts`.
#[derive(Deserialize)]
struct Posts {
    posts: Vec<PostRef>,
}

/// A post as `getPosts` shows it: enough for a strong reference and its thread's root.
#[derive(Deserialize)]
struct PostRef {
    uri: String,
    cid: String,
    #[serde(default)]
    record: Value,
}

/// What `createRecord` answers.
#[derive(Deserialize)]
struct Created {
    uri: String,
}

/// Posts `text` as a reply to the post at `parent` (an AT URI) from the account of `session`, and
/// returns the records of the sent reply. Nothing is retried: a post that may have been made is
/// never made twice. Tokens the server rotated are updated in `session`; the caller saves them.
pub fn post_reply(
    session: &mut Session,
    parent: &str,
    text: &str,
    limits: Limits,
) -> Result<Vec<Record>> {
    if text.trim().is_empty() {
        return Err(SyncError::Input("the reply is empty; write it first".into()));
    }
    if !parent.starts_with("at://") {
        return Err(SyncError::Input(format!(
            "'{}' is not a Bluesky post (an at:// address), so it cannot be answered on Bluesky",
            crate::quote(parent)
        )));
    }
    let did = session.did.clone();
    let mut xrpc = Xrpc { session, http: Http::new(Limits { retries: 0, ..limits }) };
    let posts: Posts = xrpc.query("app.bsky.feed.getPosts", &[("uris", parent)])?;
    let Some(post) = posts.posts.into_iter().find(|p| p.uri == parent) else {
        return Err(SyncError::Input(format!(
            "{parent} is not on Bluesky any more (deleted, or hidden from this account); nothing was sent"
        )));
    };
    let parent_ref = json!({ "uri": post.uri, "cid": post.cid });
    // A reply to a reply keeps the thread's root; a reply to a top post roots at it.
    let root = post
        .record
        .pointer("/reply/root")
        .filter(|r| r["uri"].is_string() && r["cid"].is_string())
        .cloned()
        .unwrap_or_else(|| parent_ref.clone());
    let record = json!({
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": rapport_model::time::format(crate::now()),
        "reply": { "root": root, "parent": parent_ref },
    });
    let input = json!({ "repo": did, "collection": "app.bsky.feed.post", "record": record });
    let created: Created = xrpc.procedure("com.atproto.repo.createRecord", &input)?;
    match map_json(&Account::new(Network::Bluesky, &did), &created.uri, &record, true) {
        Mapped::Records(records) => Ok(records),
        Mapped::Skipped(why) | Mapped::Invalid(why) => Err(SyncError::Input(format!(
            "the reply was sent as {} but cannot be stored ({why}); the next sync reads it",
            created.uri
        ))),
    }
}
