//! Posting on Bluesky: an `app.bsky.feed.post` created in the own repository
//! (`com.atproto.repo.createRecord`). A reply carries both reply refs (the post answered is looked
//! up with `app.bsky.feed.getPosts` for its CID and its thread's root). Each person named gets a
//! mention facet over the UTF-8 bytes of their `@handle` in the text, with the DID the handle
//! resolves to now (`com.atproto.identity.resolveHandle`), which must be the DID the store knows:
//! a handle that moved to someone else is never tagged. A private message would go through
//! Bluesky's chat service (`chat.bsky.convo.*`, proxied by the PDS to `did:web:api.bsky.chat`),
//! which is not reached from here; the dashboard says a new message is a public post that names
//! them. The created record is mapped by the CAR importer's mapping with the URI the server gave
//! it, as sync maps the own repository, so the next sync (or an archive) meets it without a
//! duplicate.

use rapport_import::bluesky::{Mapped, map_json};
use rapport_model::{Account, Network, Record};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Session;
use super::xrpc::Xrpc;
use crate::http::{Http, Limits};
use crate::outgoing::{Outgoing, mention_at};
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

/// What `resolveHandle` answers.
#[derive(Deserialize)]
struct Resolved {
    did: String,
}

/// Posts `outgoing` from the account of `session` and returns the records of the sent post.
/// Nothing is retried: a post that may have been made is never made twice. Tokens the server
/// rotated are updated in `session`; the caller saves them.
pub fn post(session: &mut Session, outgoing: &Outgoing, limits: Limits) -> Result<Vec<Record>> {
    if outgoing.text.trim().is_empty() {
        return Err(SyncError::Input("the message is empty; write it first".into()));
    }
    if let Some(parent) = outgoing.reply_to.as_deref().filter(|p| !p.starts_with("at://")) {
        return Err(SyncError::Input(format!(
            "'{}' is not a Bluesky post (an at:// address), so it cannot be answered on Bluesky",
            crate::quote(parent)
        )));
    }
    let did = session.did.clone();
    let mut xrpc = Xrpc { session, http: Http::new(Limits { retries: 0, ..limits }) };
    let text = outgoing.text();
    let facets = facets(&mut xrpc, outgoing, &text)?;
    let mut record = json!({
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": rapport_model::time::format(crate::now()),
    });
    if !facets.is_empty() {
        record["facets"] = facets.into();
    }
    if let Some(parent) = outgoing.reply_to.as_deref() {
        record["reply"] = reply_refs(&mut xrpc, parent)?;
    }
    let input = json!({ "repo": did, "collection": "app.bsky.feed.post", "record": record });
    let created: Created = xrpc.procedure("com.atproto.repo.createRecord", &input)?;
    match map_json(&Account::new(Network::Bluesky, &did), &created.uri, &record, true) {
        Mapped::Records(records) => Ok(records),
        Mapped::Skipped(why) | Mapped::Invalid(why) => Err(SyncError::Input(format!(
            "the post was sent as {} but cannot be stored ({why}); the next sync reads it",
            created.uri
        ))),
    }
}

/// The mention facets of `text` (the text sent): one per person named, over the bytes of their
/// `@handle`, with the DID their handle resolves to, checked against the one the store knows.
fn facets(xrpc: &mut Xrpc<'_>, outgoing: &Outgoing, text: &str) -> Result<Vec<Value>> {
    let mut facets = Vec::new();
    for mention in &outgoing.mentions {
        let resolved: Resolved =
            xrpc.query("com.atproto.identity.resolveHandle", &[("handle", &mention.handle)])?;
        if resolved.did != mention.id {
            return Err(SyncError::Input(format!(
                "@{} now belongs to another account ({}, not {}); sync again so the store knows who is who; nothing was sent",
                crate::quote(&mention.handle),
                crate::quote(&resolved.did),
                crate::quote(&mention.id)
            )));
        }
        let Some(bytes) = mention_at(text, &mention.handle) else { continue };
        facets.push(json!({
            "index": { "byteStart": bytes.start, "byteEnd": bytes.end },
            "features": [{ "$type": "app.bsky.richtext.facet#mention", "did": resolved.did }],
        }));
    }
    Ok(facets)
}

/// The reply refs of an answer to the post at `parent`: its strong reference, and its thread's
/// root (a reply to a reply keeps the thread's root; a reply to a top post roots at it).
fn reply_refs(xrpc: &mut Xrpc<'_>, parent: &str) -> Result<Value> {
    let posts: Posts = xrpc.query("app.bsky.feed.getPosts", &[("uris", parent)])?;
    let Some(post) = posts.posts.into_iter().find(|p| p.uri == parent) else {
        return Err(SyncError::Input(format!(
            "{} is not on Bluesky any more (deleted, or hidden from this account); nothing was sent",
            crate::quote(parent)
        )));
    };
    let parent_ref = json!({ "uri": post.uri, "cid": post.cid });
    let root = post
        .record
        .pointer("/reply/root")
        .filter(|r| r["uri"].is_string() && r["cid"].is_string())
        .cloned()
        .unwrap_or_else(|| parent_ref.clone());
    Ok(json!({ "root": root, "parent": parent_ref }))
}
