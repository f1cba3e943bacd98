//! Writing repositories for tests: DAG-CBOR blocks, their CIDs and the CAR v1 file that carries
//! them, so a test can build the exact tree (or fault) it needs instead of editing bytes.

use std::collections::BTreeMap;

use ipld_core::cid::Cid;
use ipld_core::cid::multihash::Multihash;
use ipld_core::ipld::Ipld;
use sha2::{Digest, Sha256};

use super::car::DAG_CBOR;

/// A DAG-CBOR block: its CID and bytes.
pub(crate) struct Built {
    pub(crate) cid: Cid,
    pub(crate) bytes: Vec<u8>,
}

/// Encodes `value` as a DAG-CBOR block.
pub(crate) fn block(value: &Ipld) -> Built {
    let bytes = serde_ipld_dagcbor::to_vec(value).unwrap();
    let cid = Cid::new_v1(DAG_CBOR, Multihash::wrap(0x12, &Sha256::digest(&bytes)).unwrap());
    Built { cid, bytes }
}

/// A map value from `(key, value)` pairs.
pub(crate) fn map(pairs: Vec<(&str, Ipld)>) -> Ipld {
    Ipld::Map(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<BTreeMap<_, _>>())
}

/// A tree node holding `keys` in the given order (each fully spelled: no shared prefixes), each
/// pointing at `record`, with no subtrees.
pub(crate) fn node(keys: &[&str], record: Cid) -> Ipld {
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
pub(crate) fn commit(did: &str, data: Cid) -> Ipld {
    map(vec![
        ("did", Ipld::String(did.to_owned())),
        ("version", Ipld::Integer(3)),
        ("data", Ipld::Link(data)),
        ("rev", Ipld::String("3lbuild000000".to_owned())),
        ("prev", Ipld::Null),
    ])
}

/// A CAR v1 file whose root is the first block.
pub(crate) fn car(blocks: &[&Built]) -> Vec<u8> {
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
pub(crate) fn repo(did: &str, keys: &[&str]) -> Vec<u8> {
    let record = block(&map(vec![
        ("$type", Ipld::String("app.bsky.feed.post".to_owned())),
        ("text", Ipld::String("hello".to_owned())),
        ("createdAt", Ipld::String("2024-01-01T00:00:00Z".to_owned())),
    ]));
    let tree = block(&node(keys, record.cid));
    let root = block(&commit(did, tree.cid));
    car(&[&root, &tree, &record])
}
