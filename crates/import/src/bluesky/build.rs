//! Writing repositories and firehose frames for tests: DAG-CBOR blocks, their CIDs, the CAR v1
//! file that carries them and the `subscribeRepos` frames that carry a commit's blocks, so a test
//! (or, through the `test-utils` feature, another crate's test or benchmark) can build the exact
//! tree, stream (or fault) it needs instead of editing bytes.
#![allow(clippy::unwrap_used, reason = "a test builder: encoding an `Ipld` value cannot fail")]

use std::collections::BTreeMap;

use ipld_core::cid::Cid;
use ipld_core::cid::multihash::Multihash;
use ipld_core::ipld::Ipld;
use sha2::{Digest, Sha256};

use super::car::DAG_CBOR;

/// A DAG-CBOR block: its CID and bytes.
pub struct Built {
    pub cid: Cid,
    pub bytes: Vec<u8>,
}

/// Encodes `value` as a DAG-CBOR block.
pub fn block(value: &Ipld) -> Built {
    let bytes = serde_ipld_dagcbor::to_vec(value).unwrap();
    let cid = Cid::new_v1(DAG_CBOR, Multihash::wrap(0x12, &Sha256::digest(&bytes)).unwrap());
    Built { cid, bytes }
}

/// A map value from `(key, value)` pairs.
pub fn map(pairs: Vec<(&str, Ipld)>) -> Ipld {
    Ipld::Map(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<BTreeMap<_, _>>())
}

/// A tree node holding `keys` in the given order (each fully spelled: no shared prefixes), each
/// pointing at `record`, with no subtrees.
pub fn node(keys: &[&str], record: Cid) -> Ipld {
    let entries = keys
        .iter()
        .map(|k| {
            map(vec![
                ("p", Ipld::Integer(0)),
                ("k", Ipld::Bytes(k.as_bytes().to_vec())),
                ("v", Ipld::Link(record)),
                ("t", Ipld::Null),
            ])
        })
        .collect();
    map(vec![("l", Ipld::Null), ("e", Ipld::List(entries))])
}

/// An unsigned commit of `did` over the tree `data`.
pub fn commit(did: &str, data: Cid) -> Ipld {
    map(vec![
        ("did", Ipld::String(did.to_owned())),
        ("version", Ipld::Integer(3)),
        ("data", Ipld::Link(data)),
        ("rev", Ipld::String("3lbuild000000".to_owned())),
        ("prev", Ipld::Null),
    ])
}

/// A CAR v1 file whose root is the first block.
pub fn car(blocks: &[&Built]) -> Vec<u8> {
    let header = map(vec![
        ("roots", Ipld::List(vec![Ipld::Link(blocks[0].cid)])),
        ("version", Ipld::Integer(1)),
    ]);
    let mut out = Vec::new();
    let header = serde_ipld_dagcbor::to_vec(&header).unwrap();
    section(&mut out, &[&header]);
    for b in blocks {
        section(&mut out, &[&b.cid.to_bytes(), &b.bytes]);
    }
    out
}

/// Appends a length-prefixed section made of `parts`.
fn section(out: &mut Vec<u8>, parts: &[&[u8]]) {
    let mut len: usize = parts.iter().map(|p| p.len()).sum();
    loop {
        let byte = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    for p in parts {
        out.extend_from_slice(p);
    }
}

/// A repository of `did` whose single tree node holds `keys`, all pointing at one post.
pub fn repo(did: &str, keys: &[&str]) -> Vec<u8> {
    let record = block(&map(vec![
        ("$type", Ipld::String("app.bsky.feed.post".to_owned())),
        ("text", Ipld::String("hello".to_owned())),
        ("createdAt", Ipld::String("2024-01-01T00:00:00Z".to_owned())),
    ]));
    let tree = block(&node(keys, record.cid));
    let root = block(&commit(did, tree.cid));
    car(&[&root, &tree, &record])
}

/// A firehose frame: the header `{op, t}` (no `t` when `None`) followed by `body`.
pub fn frame_with_op(op: i64, kind: Option<&str>, body: &Ipld) -> Vec<u8> {
    let mut header = vec![("op", Ipld::Integer(i128::from(op)))];
    header.extend(kind.map(|t| ("t", Ipld::String(t.to_owned()))));
    let mut out = serde_ipld_dagcbor::to_vec(&map(header)).unwrap();
    out.extend(serde_ipld_dagcbor::to_vec(body).unwrap());
    out
}

/// A message frame (`op` 1) of type `kind`.
pub fn frame(kind: &str, body: &Ipld) -> Vec<u8> {
    frame_with_op(1, Some(kind), body)
}

/// A `#commit` frame of `did` at `seq`: each `(path, record)` creates the record at
/// `collection/rkey`, or deletes it when the record is `None`; the blocks carry the (unsigned)
/// commit and the records created.
pub fn commit_frame(seq: i64, did: &str, ops: &[(&str, Option<&Ipld>)]) -> Vec<u8> {
    commit_frame_at(seq, did, ops, "2025-05-01T10:00:00.000Z")
}

/// [`commit_frame`] emitted by the server at `time` (RFC 3339): a replay ends at the present.
pub fn commit_frame_at(seq: i64, did: &str, ops: &[(&str, Option<&Ipld>)], time: &str) -> Vec<u8> {
    let records: Vec<Option<Built>> = ops.iter().map(|(_, r)| r.map(block)).collect();
    let root = block(&commit(did, records.iter().flatten().next().map_or_else(empty, |b| b.cid)));
    let mut blocks = vec![&root];
    blocks.extend(records.iter().flatten());
    let ops = ops
        .iter()
        .zip(&records)
        .map(|((path, _), built)| {
            map(vec![
                ("action", Ipld::String(if built.is_some() { "create" } else { "delete" }.into())),
                ("path", Ipld::String((*path).to_owned())),
                ("cid", built.as_ref().map_or(Ipld::Null, |b| Ipld::Link(b.cid))),
            ])
        })
        .collect();
    let body = map(vec![
        ("seq", Ipld::Integer(i128::from(seq))),
        ("rebase", Ipld::Bool(false)),
        ("tooBig", Ipld::Bool(false)),
        ("repo", Ipld::String(did.to_owned())),
        ("commit", Ipld::Link(root.cid)),
        ("rev", Ipld::String("3lbuild000000".to_owned())),
        ("since", Ipld::Null),
        ("blocks", Ipld::Bytes(car(&blocks))),
        ("ops", Ipld::List(ops)),
        ("blobs", Ipld::List(Vec::new())),
        ("time", Ipld::String(time.to_owned())),
    ]);
    frame("#commit", &body)
}

/// The CID of an empty tree node, for a commit that only deletes.
fn empty() -> Cid {
    block(&map(vec![("l", Ipld::Null), ("e", Ipld::List(Vec::new()))])).cid
}
