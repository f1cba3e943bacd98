//! Jetstream, the second source of `rapport sync --follow` on Bluesky: a relay's firehose as JSON
//! over a websocket (`/subscribe?wantedCollections=…&cursor=…`), filtered to the collections asked
//! for, each event stamped with `time_us` (microseconds since the epoch), which is its cursor.
//! Its events are made into the same [`Commit`]s the PDS firehose gives, each record through the
//! repository import's mapping (`map_json`), so what is kept, named and written is decided in one
//! place (`firehose.rs`). Jetstream's records come without their blocks, so no CID is checked:
//! the relay did, and the PDS firehose stays the source that checks them itself.

use rapport_import::bluesky::{Commit, Frame, Mapped, map_json, valid_did};
use rapport_model::{Account, Network};
use serde::Deserialize;
use serde_json::Value;

/// The collections asked for: those whose records become interactions or posts, and the
/// profiles of the account itself.
pub(super) const WANTED: [&str; 6] = [
    "app.bsky.feed.post",
    "app.bsky.feed.like",
    "app.bsky.feed.repost",
    "app.bsky.graph.follow",
    "app.bsky.graph.block",
    "app.bsky.actor.profile",
];

/// How far back (in microseconds) a reconnection starts before the saved cursor: Jetstream's own
/// advice is a few seconds, and what arrives twice adds nothing.
pub(super) const REWIND_US: i64 = 5_000_000;

/// One event.
#[derive(Deserialize)]
struct Event {
    did: String,
    time_us: i64,
    kind: String,
    #[serde(default)]
    commit: Option<Operation>,
}

/// The `commit` of a commit event: one operation on one record.
#[derive(Deserialize)]
struct Operation {
    operation: String,
    collection: String,
    rkey: String,
    #[serde(default)]
    record: Option<Value>,
}

/// The subscription's address on the Jetstream at `base` (`wss://…`, or `https://…` written as
/// the other services are), from `cursor` (the live end without one).
pub(super) fn url(base: &str, cursor: Option<i64>) -> String {
    let base = base.trim_end_matches('/');
    let base = base
        .strip_prefix("https://")
        .map(|rest| format!("wss://{rest}"))
        .or_else(|| base.strip_prefix("http://").map(|rest| format!("ws://{rest}")))
        .unwrap_or_else(|| base.to_owned());
    let mut url = format!("{base}/subscribe?");
    let wanted: Vec<String> = WANTED.iter().map(|c| format!("wantedCollections={c}")).collect();
    url.push_str(&wanted.join("&"));
    if let Some(cursor) = cursor {
        url.push_str(&format!("&cursor={cursor}"));
    }
    url
}

/// An event as the firehose's [`Frame`] it stands for, `time_us` its sequence number: a commit as
/// the [`Commit`] it is from the point of view of `me`, identity and account events as frames that
/// only move the cursor. A malformed event is an error saying why.
pub(super) fn decode(text: &str, me: &str) -> Result<Frame, String> {
    let event: Event = serde_json::from_str(text).map_err(|e| format!("malformed JSON ({e})"))?;
    if event.kind != "commit" {
        return Ok(Frame::Other { kind: event.kind, seq: Some(event.time_us) });
    }
    let Some(op) = event.commit else {
        return Err(format!("a commit event at {} without its commit", event.time_us));
    };
    if !valid_did(&event.did) {
        return Err(format!(
            "a commit event at {} of a repository that is not a DID",
            event.time_us
        ));
    }
    let uri = format!("at://{}/{}/{}", event.did, op.collection, op.rkey);
    let mut commit = Commit {
        seq: event.time_us,
        repo: event.did.clone(),
        records: Vec::new(),
        deleted: Vec::new(),
        time: Some(event.time_us.div_euclid(1_000_000)),
    };
    match (op.operation.as_str(), op.record) {
        ("delete", _) => commit.deleted.push(uri),
        ("create" | "update", Some(record)) => {
            let author = Account::new(Network::Bluesky, &event.did);
            commit.records.push(map_json(&author, &uri, &record, event.did == me));
        }
        ("create" | "update", None) => {
            commit
                .records
                .push(Mapped::Invalid(format!("{uri}: a {} without its record", op.operation)));
        }
        (other, _) => return Err(format!("{uri}: an operation '{other}' Jetstream does not send")),
    }
    Ok(Frame::Commit(commit))
}

#[cfg(test)]
mod tests {
    use rapport_model::{InteractionKind, Record};

    use super::*;

    const BOB: &str = "did:plc:bob";

    #[test]
    fn commits_become_the_firehose_commits() {
        let like = r#"{"did":"did:plc:bob","time_us":1725911162329308,"kind":"commit","commit":{"rev":"3l3","operation":"create","collection":"app.bsky.feed.like","rkey":"3l3qo","record":{"$type":"app.bsky.feed.like","createdAt":"2024-09-09T19:46:02.102Z","subject":{"cid":"bafy","uri":"at://did:plc:me/app.bsky.feed.post/1"}},"cid":"bafy2"}}"#;
        let Ok(Frame::Commit(commit)) = decode(like, "did:plc:me") else { panic!("not a commit") };
        assert_eq!(commit.seq, 1_725_911_162_329_308);
        assert_eq!(commit.repo, BOB);
        let Mapped::Records(records) = &commit.records[0] else { panic!("{:?}", commit.records) };
        let Record::Interaction(i) = &records[0] else { panic!("{records:?}") };
        assert_eq!(
            (i.kind, i.source.as_str(), i.target.as_str()),
            (InteractionKind::Like, BOB, "did:plc:me")
        );
        assert_eq!(i.native_id.as_deref(), Some("at://did:plc:bob/app.bsky.feed.like/3l3qo"));

        let delete = r#"{"did":"did:plc:bob","time_us":7,"kind":"commit","commit":{"rev":"3l4","operation":"delete","collection":"app.bsky.feed.like","rkey":"3l3qo"}}"#;
        let Ok(Frame::Commit(commit)) = decode(delete, "did:plc:me") else {
            panic!("not a commit")
        };
        assert_eq!(commit.deleted, ["at://did:plc:bob/app.bsky.feed.like/3l3qo"]);
        let identity = r#"{"did":"did:plc:bob","time_us":8,"kind":"identity","identity":{"did":"did:plc:bob","handle":"bob.test","seq":1,"time":"2024-09-09T19:46:02.102Z"}}"#;
        assert!(matches!(decode(identity, "did:plc:me"), Ok(Frame::Other { seq: Some(8), .. })));
    }

    #[test]
    fn malformed_events_say_why() {
        assert!(decode("{", "did:plc:me").unwrap_err().contains("malformed JSON"));
        let no_commit = r#"{"did":"did:plc:bob","time_us":1,"kind":"commit"}"#;
        assert!(decode(no_commit, "did:plc:me").unwrap_err().contains("without its commit"));
        let odd = r#"{"did":"did:plc:bob","time_us":1,"kind":"commit","commit":{"operation":"merge","collection":"c","rkey":"r"}}"#;
        assert!(decode(odd, "did:plc:me").unwrap_err().contains("'merge'"));
    }

    #[test]
    fn subscribes_to_the_wanted_collections_from_the_cursor() {
        let url = url("https://jetstream.example/", Some(42));
        assert!(url.starts_with(
            "wss://jetstream.example/subscribe?wantedCollections=app.bsky.feed.post&"
        ));
        assert!(url.ends_with("&cursor=42"));
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever a Jetstream sends, an event decodes to a frame or a reason, never a panic.
        #[test]
        fn any_event_decodes_without_panicking(
            text in ".{0,300}", did in ".{0,40}", operation in "(create|update|delete|.{0,8})",
            collection in "(app\\.bsky\\.feed\\.like|app\\.bsky\\.feed\\.post|.{0,20})", record in ".{0,120}",
        ) {
            let _ = decode(&text, "did:plc:me");
            let event = serde_json::json!({
                "did": did, "time_us": 1, "kind": "commit",
                "commit": {"operation": operation, "collection": collection, "rkey": "r",
                           "record": {"$type": collection, "text": record, "subject": record}}
            });
            let _ = decode(&event.to_string(), "did:plc:me");
        }
    }
}
