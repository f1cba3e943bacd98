//! Jetstream, the second source of `rapport sync --follow` on Bluesky: a relay's firehose as JSON
//! over a websocket (`/subscribe?wantedCollections=…&cursor=…`), filtered to the collections asked
//! for, each event stamped with `time_us` (microseconds since the epoch), which is its cursor.
//! Its events are made into the same [`Commit`]s the PDS firehose gives, each record through the
//! repository import's mapping (`map_json`), so what is kept, named and written is decided in one
//! place (`firehose.rs`). Jetstream's records come without their blocks, so no CID is checked:
//! the relay did, and the PDS firehose stays the source that checks them itself.
//!
//! Given Jetstream's zstd dictionary (`--jetstream-dictionary FILE`), the stream is asked for
//! compressed (`compress=true`): each event then comes as a binary message, one zstd frame made
//! with that dictionary, decoded here with the decoded size capped at the body limit, so a small
//! frame that would unpack to gigabytes is refused while it is being unpacked.

use std::io::Read;
use std::path::Path;

use rapport_import::bluesky::{Commit, Frame, Mapped, map_json, valid_did};
use rapport_model::{Account, Network};
use serde::Deserialize;
use serde_json::Value;
use zstd::dict::DecoderDictionary;

use crate::http::Limits;
use crate::live::LiveOptions;
use crate::{Result, SyncError};

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

/// The largest dictionary file read: Jetstream's is about 110 KB, and a file far larger is not
/// a dictionary but a wrong path.
const MAX_DICTIONARY: u64 = 16 << 20;

/// The Jetstream a tail follows: its address, and how its binary messages are unpacked.
pub(super) struct Jetstream {
    /// The subscription's endpoint (`wss://host/subscribe`), which errors name.
    endpoint: String,
    /// The zstd dictionary of a compressed stream; an uncompressed one is asked for without it.
    dictionary: Option<DecoderDictionary<'static>>,
    /// The largest event, unpacked: the body limit of every other endpoint.
    limit: u64,
}

impl Jetstream {
    /// The Jetstream of `live`, if it names one, with its dictionary read from the file named;
    /// an unreadable file is an error naming it.
    pub(super) fn of(live: &LiveOptions, limits: &Limits) -> Result<Option<Jetstream>> {
        let Some(base) = &live.jetstream else { return Ok(None) };
        let dictionary = match &live.jetstream_dictionary {
            Some(path) => Some(DecoderDictionary::copy(&read_dictionary(path)?)),
            None => None,
        };
        let base = base.trim_end_matches('/');
        let base = base
            .strip_prefix("https://")
            .map(|rest| format!("wss://{rest}"))
            .or_else(|| base.strip_prefix("http://").map(|rest| format!("ws://{rest}")))
            .unwrap_or_else(|| base.to_owned());
        Ok(Some(Jetstream {
            endpoint: format!("{base}/subscribe"),
            dictionary,
            limit: limits.max_body,
        }))
    }

    /// The subscription's endpoint, for messages.
    pub(super) fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The subscription's address from `cursor` (the live end without one), compressed when a
    /// dictionary was given.
    pub(super) fn url(&self, cursor: Option<i64>) -> String {
        let wanted: Vec<String> = WANTED.iter().map(|c| format!("wantedCollections={c}")).collect();
        let mut url = format!("{}?{}", self.endpoint, wanted.join("&"));
        if self.dictionary.is_some() {
            url.push_str("&compress=true");
        }
        if let Some(cursor) = cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        url
    }

    /// A binary message: one event compressed with the dictionary, unpacked and decoded as a
    /// text one is. A frame of another dictionary, a damaged frame, or one that unpacks to more
    /// than the limit is an error saying which.
    pub(super) fn binary(&self, bytes: &[u8], me: &str) -> Result<Frame, String> {
        let Some(dictionary) = &self.dictionary else {
            return Err(
                "a binary (compressed) message on a stream asked for uncompressed JSON".to_owned()
            );
        };
        let text = unpack(bytes, dictionary, self.limit)?;
        decode(&text, me)
    }
}

/// The dictionary file at `path`, whole.
fn read_dictionary(path: &Path) -> Result<Vec<u8>> {
    let fail = |why: String| {
        SyncError::Input(format!(
            "the Jetstream dictionary {}: {why}; give the zstd dictionary file Jetstream compresses with",
            path.display()
        ))
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_DICTIONARY + 1).read_to_end(&mut bytes).map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_DICTIONARY {
        return Err(fail(format!("larger than {MAX_DICTIONARY} bytes, so not a dictionary")));
    }
    if bytes.is_empty() {
        return Err(fail("empty".to_owned()));
    }
    Ok(bytes)
}

/// One zstd frame made with `dictionary`, unpacked to at most `limit` bytes of UTF-8: a frame
/// whose header declares more is refused before anything is unpacked, one that does not say is
/// stopped at the limit, and the window the frame may ask the decoder to hold is capped too, so
/// a frame's header cannot make it allocate more than the limit allows.
fn unpack(bytes: &[u8], dictionary: &DecoderDictionary<'_>, limit: u64) -> Result<String, String> {
    let too_large = |size: &str| {
        format!(
            "a compressed event that unpacks to more than the limit of {limit} bytes ({size}); refused"
        )
    };
    if let Ok(Some(declared)) = zstd::zstd_safe::get_frame_content_size(bytes)
        && declared > limit
    {
        return Err(too_large(&format!("{declared} bytes, its header says")));
    }
    let damaged = |e: std::io::Error| {
        format!("not a zstd frame of the dictionary given ({e}); is it Jetstream's dictionary?")
    };
    let mut decoder = zstd::stream::read::Decoder::with_prepared_dictionary(bytes, dictionary)
        .map_err(damaged)?;
    // zstd's own bounds: windows of 1 KiB to 128 MiB (its default decoding limit).
    let window = (u64::BITS - limit.max(1).leading_zeros()).clamp(10, 27);
    decoder.window_log_max(window).map_err(damaged)?;
    let mut text = Vec::new();
    decoder.take(limit + 1).read_to_end(&mut text).map_err(damaged)?;
    if text.len() as u64 > limit {
        return Err(too_large("stopped there"));
    }
    String::from_utf8(text).map_err(|e| format!("an event that is not UTF-8 ({e})"))
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

    fn jetstream(dictionary: Option<&[u8]>, limit: u64) -> Jetstream {
        Jetstream {
            endpoint: "wss://jetstream.example/subscribe".to_owned(),
            dictionary: dictionary.map(DecoderDictionary::copy),
            limit,
        }
    }

    #[test]
    fn subscribes_to_the_wanted_collections_from_the_cursor() {
        let live = LiveOptions {
            jetstream: Some("https://jetstream.example/".to_owned()),
            ..LiveOptions::default()
        };
        let Ok(Some(plain)) = Jetstream::of(&live, &Limits::default()) else { panic!("none") };
        assert_eq!(plain.endpoint(), "wss://jetstream.example/subscribe");
        let url = plain.url(Some(42));
        assert!(url.starts_with(
            "wss://jetstream.example/subscribe?wantedCollections=app.bsky.feed.post&"
        ));
        assert!(url.ends_with("&cursor=42"));
        assert!(!url.contains("compress"));
        assert!(jetstream(Some(b"dictionary"), 1).url(None).ends_with("&compress=true"));
    }

    #[test]
    fn a_dictionary_file_that_cannot_be_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.dict");
        std::fs::write(&empty, b"").unwrap();
        for (name, path, why) in
            [("missing", dir.path().join("none.dict"), "No such file"), ("empty", empty, "empty")]
        {
            let live = LiveOptions {
                jetstream: Some("wss://j.example".to_owned()),
                jetstream_dictionary: Some(path.clone()),
                ..LiveOptions::default()
            };
            let Err(err) = Jetstream::of(&live, &Limits::default()) else { panic!("{name}") };
            let message = err.to_string();
            assert!(message.contains(&path.display().to_string()), "{name}: {message}");
            assert!(message.contains(why), "{name}: {message}");
        }
    }

    #[test]
    fn compressed_events_are_unpacked_within_the_limit() {
        let samples: Vec<String> = (0..400)
            .map(|i| format!(r#"{{"did":"did:plc:u{i}","time_us":{i},"kind":"identity","identity":{{"handle":"u{i}.example","seq":{i}}}}}"#))
            .collect();
        let dictionary = zstd::dict::from_samples(&samples, 4096).unwrap();
        let pack = |text: &str, dictionary: &[u8]| {
            zstd::bulk::Compressor::with_dictionary(3, dictionary)
                .unwrap()
                .compress(text.as_bytes())
                .unwrap()
        };
        let event = r#"{"did":"did:plc:bob","time_us":8,"kind":"identity","identity":{"handle":"bob.test"}}"#;
        let stream = jetstream(Some(&dictionary), 1 << 20);
        assert!(matches!(
            stream.binary(&pack(event, &dictionary), "did:plc:me"),
            Ok(Frame::Other { seq: Some(8), .. })
        ));
        let other = zstd::dict::from_samples(
            &samples[..200].iter().map(|s| s.replace("u", "w")).collect::<Vec<_>>(),
            4096,
        )
        .unwrap();
        let cases = [
            ("another dictionary", pack(event, &other), "not a zstd frame"),
            ("damaged", pack(event, &dictionary)[..9].to_vec(), "not a zstd frame"),
            (
                "a bomb",
                pack(&format!("{event}{}", " ".repeat(2 << 20)), &dictionary),
                "more than the limit of 1048576",
            ),
        ];
        // A streamed frame does not declare its size: it is stopped at the limit.
        let mut streamed =
            zstd::stream::write::Encoder::with_dictionary(Vec::new(), 3, &dictionary).unwrap();
        std::io::Write::write_all(&mut streamed, " ".repeat(2 << 20).as_bytes()).unwrap();
        let streamed = streamed.finish().unwrap();
        assert!(matches!(zstd::zstd_safe::get_frame_content_size(&streamed), Ok(None)));
        let cases = cases.into_iter().chain([(
            "a bomb that does not say its size",
            streamed,
            "stopped there",
        )]);
        for (name, bytes, why) in cases {
            let err = stream.binary(&bytes, "did:plc:me").unwrap_err();
            assert!(err.contains(why), "{name}: {err}");
        }
        let err = jetstream(None, 1 << 20).binary(b"\x28\xb5\x2f\xfd", "did:plc:me").unwrap_err();
        assert!(err.contains("asked for uncompressed JSON"), "{err}");
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

        /// Whatever binary message a Jetstream sends (a zstd frame's magic number first, or not),
        /// it unpacks to a frame or a reason, never a panic, and never past the limit.
        #[test]
        fn any_compressed_message_unpacks_without_panicking(
            framed in any::<bool>(), bytes in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let stream = Jetstream {
                endpoint: "wss://j.example/subscribe".to_owned(),
                // A raw-content dictionary, which zstd accepts as well as a trained one.
                dictionary: Some(DecoderDictionary::copy(b"{\"did\":\"did:plc:\",\"time_us\":")),
                limit: 4096,
            };
            let message = if framed { [&[0x28, 0xb5, 0x2f, 0xfd], &bytes[..]].concat() } else { bytes };
            let _ = stream.binary(&message, "did:plc:me");
        }
    }
}
