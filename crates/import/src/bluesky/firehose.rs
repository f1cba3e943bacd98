//! Frames of a PDS's firehose (`com.atproto.sync.subscribeRepos`), which `rapport sync --follow`
//! reads. Each websocket message is two DAG-CBOR values, a header `{op, t}` and a body; a
//! `#commit` body names the repository, its sequence number and the operations on its records,
//! and carries the changed blocks as a CAR slice. The slice goes through the repository reader
//! (every block checked against its CID) and each record through the repository import's own
//! mapping, so a record seen live and the same record imported from a CAR become the same rows.

use ipld_core::cid::Cid;
use ipld_core::ipld::Ipld;
use rapport_model::{Account, Network};

use super::received::{Mapped, map_value};
use super::values::{field, text};
use super::{car, repo, syntax};

/// One frame of the firehose.
#[derive(Debug)]
pub enum Frame {
    /// Records of one repository changed.
    Commit(Commit),
    /// A frame that changes no record (`#identity`, `#account`, `#sync`, `#info`, or a kind this
    /// reader does not know), with its sequence number when it has one.
    Other {
        /// The frame's `t`.
        kind: String,
        /// Its `seq`.
        seq: Option<i64>,
    },
    /// The server ends the stream with an error (`FutureCursor`, `ConsumerTooSlow`…).
    Error {
        /// The error's name.
        error: String,
        /// Its message.
        message: String,
    },
}

/// A `#commit` frame, its records mapped.
#[derive(Debug)]
pub struct Commit {
    /// The stream's sequence number of the frame: the cursor to resume after it.
    pub seq: i64,
    /// The DID of the repository that changed.
    pub repo: String,
    /// What each created or updated record became, in the order of the operations.
    pub records: Vec<Mapped>,
    /// The AT URIs of the records deleted.
    pub deleted: Vec<String>,
    /// When the server emitted the frame (its `time`), if it says: a replay ends at the present.
    pub time: Option<rapport_model::Timestamp>,
}

/// Why a frame cannot be read: it is an error naming its sequence number when it got that far.
#[derive(Debug, PartialEq, Eq)]
pub struct FrameError {
    /// The frame's `seq`, when the body could be read up to it.
    pub seq: Option<i64>,
    /// What is wrong.
    pub why: String,
}

impl FrameError {
    fn new(seq: Option<i64>, why: impl Into<String>) -> FrameError {
        FrameError { seq, why: why.into() }
    }
}

/// Decodes one binary websocket message of the firehose. `me` is the DID of the connected account:
/// its own profile maps to "me", anyone else's is left to `getProfiles`.
pub fn decode_frame(bytes: &[u8], me: &str) -> Result<Frame, FrameError> {
    let mut values = serde_ipld_dagcbor::de::Deserializer::from_slice(bytes).into_iter::<Ipld>();
    let header = match values.next() {
        Some(Ok(value)) => value,
        Some(Err(e)) => {
            return Err(FrameError::new(None, format!("the frame header is not DAG-CBOR ({e})")));
        }
        None => return Err(FrameError::new(None, "the frame ends before its header")),
    };
    let op = match field(Some(&header), "op") {
        Some(Ipld::Integer(op)) => *op,
        _ => return Err(FrameError::new(None, "the frame header has no integer `op`")),
    };
    let body = match values.next() {
        Some(Ok(value)) => value,
        Some(Err(e)) => {
            return Err(FrameError::new(None, format!("the frame body is not DAG-CBOR ({e})")));
        }
        None => return Err(FrameError::new(None, "the frame ends before its body")),
    };
    let seq = match field(Some(&body), "seq") {
        Some(Ipld::Integer(seq)) => i64::try_from(*seq).ok(),
        _ => None,
    };
    if values.next().is_some() {
        return Err(FrameError::new(seq, "the frame has bytes after its body"));
    }
    let string = |name: &str| text(field(Some(&body), name)).unwrap_or_default().to_owned();
    if op == -1 {
        return Ok(Frame::Error { error: string("error"), message: string("message") });
    }
    let kind = text(field(Some(&header), "t")).unwrap_or_default();
    if op != 1 || kind != "#commit" {
        return Ok(Frame::Other { kind: kind.to_owned(), seq });
    }
    let seq = seq.ok_or_else(|| FrameError::new(None, "a #commit frame without an integer seq"))?;
    commit(&body, seq, me).map_err(|why| FrameError::new(Some(seq), why))
}

/// Maps the operations of a `#commit` body.
fn commit(body: &Ipld, seq: i64, me: &str) -> Result<Frame, String> {
    let did = text(field(Some(body), "repo")).unwrap_or_default();
    if !syntax::did(did) {
        return Err("the commit's `repo` is not a DID".into());
    }
    let Some(Ipld::Bytes(blocks)) = field(Some(body), "blocks") else {
        return Err("the commit has no `blocks` bytes".into());
    };
    let too_big = matches!(field(Some(body), "tooBig"), Some(Ipld::Bool(true)));
    let car = car::parse(blocks, &mut |_| {}).map_err(|e| format!("its blocks, {e}"))?;
    let author = Account::new(Network::Bluesky, did);
    let Some(Ipld::List(ops)) = field(Some(body), "ops") else {
        return Err("the commit has no `ops` list".into());
    };
    let time = text(field(Some(body), "time")).and_then(rapport_model::time::parse);
    let mut out =
        Commit { seq, repo: did.to_owned(), records: Vec::new(), deleted: Vec::new(), time };
    for op in ops {
        let (Some(action), Some(path)) =
            (text(field(Some(op), "action")), text(field(Some(op), "path")))
        else {
            return Err("an operation without `action` and `path`".into());
        };
        let uri = format!("at://{did}/{path}");
        match (action, field(Some(op), "cid")) {
            ("delete", _) => out.deleted.push(uri),
            ("create" | "update", Some(Ipld::Link(cid))) => {
                out.records.push(record(&car, cid, &author, &uri, did == me, too_big));
            }
            (other, _) => {
                return Err(format!(
                    "the operation '{other}' on {uri} is not create, update or delete with a CID"
                ));
            }
        }
    }
    Ok(Frame::Commit(out))
}

/// What the record `cid` at `uri` becomes; a record the slice lacks is invalid, unless the server
/// said the commit was too big to carry its blocks.
fn record(
    car: &car::Car<'_>,
    cid: &Cid,
    author: &Account,
    uri: &str,
    own: bool,
    too_big: bool,
) -> Mapped {
    match repo::block(car, cid, "record", 0).and_then(|b| repo::decode(cid, &b)) {
        Ok(value) => map_value(author, uri, &value, own),
        Err(_) if too_big => {
            Mapped::Skipped(format!("{uri}: the commit was too big to carry the record"))
        }
        Err(e) => Mapped::Invalid(format!("{uri}: {}", e.why)),
    }
}

#[cfg(test)]
mod tests {
    use rapport_model::{InteractionKind, Record};

    use super::*;
    use crate::bluesky::build;

    const ME: &str = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa";
    const BOB: &str = "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb";

    fn like_of_my_post() -> Ipld {
        build::map(vec![
            ("$type", Ipld::String("app.bsky.feed.like".into())),
            ("createdAt", Ipld::String("2025-05-01T10:00:00Z".into())),
            (
                "subject",
                build::map(vec![
                    ("uri", Ipld::String(format!("at://{ME}/app.bsky.feed.post/3k"))),
                    ("cid", Ipld::String("bafy".into())),
                ]),
            ),
        ])
    }

    #[test]
    fn a_commit_frame_maps_its_records_and_deletions() {
        let frame = build::commit_frame(
            7,
            BOB,
            &[("app.bsky.feed.like/3l", Some(&like_of_my_post())), ("app.bsky.feed.post/3x", None)],
        );
        let Ok(Frame::Commit(commit)) = decode_frame(&frame, ME) else { panic!("not a commit") };
        assert_eq!((commit.seq, commit.repo.as_str()), (7, BOB));
        assert_eq!(commit.deleted, [format!("at://{BOB}/app.bsky.feed.post/3x")]);
        let [Mapped::Records(records)] = commit.records.as_slice() else { panic!("{commit:?}") };
        let [Record::Interaction(like)] = records.as_slice() else { panic!("{records:?}") };
        assert_eq!((like.source.as_str(), like.target.as_str()), (BOB, ME));
        assert_eq!(like.kind, InteractionKind::Like);
        assert_eq!(like.native_id.as_deref(), Some(&*format!("at://{BOB}/app.bsky.feed.like/3l")));
    }

    #[test]
    fn other_frames_and_errors_are_told_apart() {
        let identity = build::frame("#identity", &build::map(vec![("seq", Ipld::Integer(9))]));
        assert!(matches!(decode_frame(&identity, ME), Ok(Frame::Other { seq: Some(9), .. })));
        let error = build::frame_with_op(
            -1,
            None,
            &build::map(vec![("error", Ipld::String("FutureCursor".into()))]),
        );
        assert!(
            matches!(decode_frame(&error, ME), Ok(Frame::Error { error, .. }) if error == "FutureCursor")
        );
    }

    #[test]
    fn malformed_frames_are_errors_with_their_seq() {
        let frame =
            build::commit_frame(12, BOB, &[("app.bsky.feed.like/3l", Some(&like_of_my_post()))]);
        // Cut inside the CAR slice: the body is no longer DAG-CBOR.
        let cut = decode_frame(&frame[..frame.len() - 5], ME).unwrap_err();
        assert!(cut.why.contains("not DAG-CBOR"), "{cut:?}");
        // A record block altered: its CID no longer matches.
        let mut altered = frame.clone();
        let at = altered.windows(10).rposition(|w| w == b"2025-05-01").unwrap();
        altered[at + 3] = b'6';
        let err = decode_frame(&altered, ME).unwrap_err();
        assert_eq!(err.seq, Some(12), "{err:?}");
        assert!(decode_frame(b"", ME).is_err());
        assert!(decode_frame(&[0xa1, 0x62, b'o', b'p'], ME).is_err());
        let mut trailing = frame;
        trailing.push(0);
        assert_eq!(decode_frame(&trailing, ME).unwrap_err().seq, Some(12));
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever bytes arrive on the websocket, decoding never panics.
        #[test]
        fn any_bytes_decode_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode_frame(&bytes, "did:plc:me");
        }
    }
}
