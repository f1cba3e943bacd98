//! The repository inside a CAR file: the signed commit at the root and the Merkle search tree
//! (MST) under it, walked to recover each record's path (`<collection>/<record key>`).
//!
//! The walk checks the tree's invariants as the repository specification states them (keys in
//! strictly increasing order across the whole tree, so no duplicates; each key on the layer its
//! hash gives; every path a collection NSID and a record key), because a tree that breaks them is
//! not one a server produced, and its paths cannot be trusted to name records.

use ipld_core::cid::Cid;
use ipld_core::ipld::Ipld;
use serde::Deserialize;

use sha2::{Digest, Sha256};

use super::car::{Block, Car, CarError, DAG_CBOR};
use super::syntax;

/// A real tree is a handful of levels deep (a level per factor of 16 in size); deeper is hostile.
const MAX_DEPTH: usize = 64;

/// The repository's commit and every record path the tree holds, in key order.
pub(crate) struct Repo {
    /// The DID of the account that owns the repository: "me".
    pub(crate) did: String,
    /// The decoded commit, for its signature.
    pub(crate) commit: Ipld,
    /// Every record in the tree.
    pub(crate) entries: Vec<Entry>,
    /// For each block of the file (by [`Block::index`]), whether the commit or the tree holds it.
    pub(crate) reached: Vec<bool>,
}

/// One record's path and CID.
pub(crate) struct Entry {
    /// The collection, e.g. `app.bsky.feed.post`.
    pub(crate) collection: String,
    /// The record key, e.g. `3lizyzajiks23`.
    pub(crate) rkey: String,
    /// The record block's CID.
    pub(crate) cid: Cid,
    /// The offset of the tree node that holds the entry, for errors about a missing record.
    pub(crate) node: u64,
}

/// Reads the commit named by the CAR's first root and walks its tree.
pub(crate) fn open(car: &Car<'_>) -> Result<Repo, CarError> {
    let root = car.roots[0];
    let commit_block = block(car, &root, "the root commit", 0)?;
    let commit = decode(&root, &commit_block)?;
    let field = |name: &str| match &commit {
        Ipld::Map(m) => m.get(name),
        _ => None,
    };
    let bad = |why: &str| CarError {
        offset: commit_block.offset,
        why: format!("the root block {root} is not a repository commit ({why})"),
    };
    let did = match field("did") {
        Some(Ipld::String(did)) if syntax::did(did) => did.clone(),
        Some(Ipld::String(did)) => return Err(bad(&format!("'{did}' is not a valid DID"))),
        _ => return Err(bad("no DID")),
    };
    let Some(Ipld::Link(data)) = field("data") else { return Err(bad("no tree root")) };
    let mut walk =
        Walk { car, entries: Vec::new(), reached: vec![false; car.order.len()], last: None };
    walk.reached[commit_block.index] = true;
    walk.node(data, commit_block.offset, 0, None)?;
    Ok(Repo { did, commit, entries: walk.entries, reached: walk.reached })
}

/// The state of one tree walk.
struct Walk<'c, 'a> {
    car: &'c Car<'a>,
    entries: Vec<Entry>,
    reached: Vec<bool>,
    /// The last key walked: the next must sort after it.
    last: Option<Vec<u8>>,
}

/// The layer of a key in the tree: the number of leading zero bits of its SHA-256 hash, counted in
/// pairs (the tree's fanout is 4).
fn layer(key: &[u8]) -> u32 {
    let hash = Sha256::digest(key);
    let mut zeros = 0;
    for byte in hash {
        zeros += byte.leading_zeros();
        if byte != 0 {
            break;
        }
    }
    zeros / 2
}

impl Walk<'_, '_> {
    /// Walks the node `cid`, referenced from the block at `from`, in key order. `above` is the
    /// layer of the node's parent, whose keys all sit higher than this node's.
    fn node(
        &mut self,
        cid: &Cid,
        from: u64,
        depth: usize,
        above: Option<u32>,
    ) -> Result<(), CarError> {
        let block = block(self.car, cid, "a tree node", from)?;
        let bad = |why: String| CarError {
            offset: block.offset,
            why: format!("tree node {cid} is malformed ({why})"),
        };
        if depth > MAX_DEPTH {
            return Err(bad(format!("the tree is deeper than {MAX_DEPTH} levels")));
        }
        if std::mem::replace(&mut self.reached[block.index], true) {
            return Err(bad("it is reached twice; a repository tree has no shared nodes".into()));
        }
        // Nodes are read into borrowed structs: the tree is a third of a repository's blocks.
        let node: Node<'_> =
            serde_ipld_dagcbor::from_slice(block.data).map_err(|e| bad(e.to_string()))?;
        // Every key of a node is on the node's layer, which is below its parent's.
        let mut here = None;
        let mut key: Vec<u8> = Vec::new();
        for item in &node.e {
            let prefix = usize::try_from(item.p).ok().filter(|p| *p <= key.len());
            let Some(prefix) = prefix else {
                return Err(bad(format!("a key shares {} bytes with a shorter one", item.p)));
            };
            key.truncate(prefix);
            key.extend_from_slice(item.k);
            let layer = layer(&key);
            match here {
                None if above.is_some_and(|above| layer >= above) => {
                    return Err(bad(format!(
                        "a key of layer {layer} is under a node of layer {}",
                        above.unwrap_or(0)
                    )));
                }
                None => here = Some(layer),
                Some(h) if h != layer => {
                    return Err(bad(format!("keys of layers {h} and {layer} share a node")));
                }
                Some(_) => {}
            }
        }
        // An empty node (only the root of an empty repository) puts no bound on its subtree.
        let below = here.or(above);
        if let Some(left) = node.l {
            self.node(&left, block.offset, depth + 1, below)?;
        }
        key.clear();
        for item in node.e {
            // The prefix was checked in the first pass.
            key.truncate(usize::try_from(item.p).unwrap_or(0));
            key.extend_from_slice(item.k);
            self.order(&key).map_err(bad)?;
            let path =
                std::str::from_utf8(&key).map_err(|_| bad("a record path is not UTF-8".into()))?;
            let (collection, rkey) = split_path(path).map_err(bad)?;
            self.entries.push(Entry {
                collection: collection.to_owned(),
                rkey: rkey.to_owned(),
                cid: item.v,
                node: block.offset,
            });
            if let Some(right) = item.t {
                self.node(&right, block.offset, depth + 1, below)?;
            }
        }
        Ok(())
    }

    /// Checks that `key` sorts after every key walked before it, and remembers it.
    fn order(&mut self, key: &[u8]) -> Result<(), String> {
        if let Some(last) = &self.last {
            let shown = |k: &[u8]| String::from_utf8_lossy(k).into_owned();
            match key.cmp(last.as_slice()) {
                std::cmp::Ordering::Greater => {}
                std::cmp::Ordering::Equal => {
                    return Err(format!("the key '{}' occurs twice", shown(key)));
                }
                std::cmp::Ordering::Less => {
                    return Err(format!(
                        "the key '{}' comes after '{}'; a tree's keys are in order",
                        shown(key),
                        shown(last)
                    ));
                }
            }
        }
        self.last = Some(key.to_vec());
        Ok(())
    }
}

/// Splits a record path into its collection (an NSID) and record key, refusing any other shape.
fn split_path(path: &str) -> Result<(&str, &str), String> {
    let Some((collection, rkey)) = path.split_once('/') else {
        return Err(format!("the record path '{path}' has no collection"));
    };
    if !syntax::nsid(collection) {
        return Err(format!("the record path '{path}' has a collection that is not an NSID"));
    }
    if !syntax::record_key(rkey) {
        return Err(format!("the record path '{path}' has an invalid record key"));
    }
    Ok((collection, rkey))
}

/// A tree node: the subtree left of its first key, then its entries.
#[derive(Deserialize)]
struct Node<'a> {
    l: Option<Cid>,
    #[serde(borrow)]
    e: Vec<TreeEntry<'a>>,
}

/// One key of a tree node: the length of the prefix it shares with the previous key, the rest of
/// the key, the record's CID, and the subtree between this key and the next.
#[derive(Deserialize)]
struct TreeEntry<'a> {
    p: u64,
    k: &'a [u8],
    v: Cid,
    t: Option<Cid>,
}

/// The DAG-CBOR block `cid`, which the block at `from` references.
pub(crate) fn block<'a>(
    car: &Car<'a>,
    cid: &Cid,
    what: &str,
    from: u64,
) -> Result<Block<'a>, CarError> {
    match car.blocks.get(cid) {
        Some(b) if b.codec == DAG_CBOR => Ok(*b),
        Some(b) => Err(CarError {
            offset: b.offset,
            why: format!("{what} {cid} is a raw block, not DAG-CBOR"),
        }),
        None => Err(CarError {
            offset: from,
            why: format!(
                "{what} {cid} referenced here is missing from the file; the repository is incomplete, download or export it again"
            ),
        }),
    }
}

/// Decodes a DAG-CBOR block.
pub(crate) fn decode(cid: &Cid, block: &Block<'_>) -> Result<Ipld, CarError> {
    serde_ipld_dagcbor::from_slice(block.data).map_err(|e| CarError {
        offset: block.offset,
        why: format!("block {cid} is not valid DAG-CBOR ({e})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bluesky::{build, car};

    const DID: &str = "did:plc:abcdefghijklmnopqrstuvwx";

    /// Opens a repository whose one tree node holds `keys`; the error's message when refused.
    fn check(keys: &[&str]) -> Result<Vec<String>, String> {
        let bytes = build::repo(DID, keys);
        let car = car::parse(&bytes, &mut |_| {}).map_err(|e| e.why)?;
        let repo = open(&car).map_err(|e| e.why)?;
        Ok(repo.entries.iter().map(|e| format!("{}/{}", e.collection, e.rkey)).collect())
    }

    /// Record paths of layer 0, which can share the tree's one node.
    fn layer_zero(n: usize) -> Vec<String> {
        (0..)
            .map(|i| format!("app.bsky.feed.post/3k{i:04}"))
            .filter(|k| layer(k.as_bytes()) == 0)
            .take(n)
            .collect()
    }

    #[test]
    fn reads_a_sound_tree() {
        let keys = layer_zero(3);
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        assert_eq!(check(&keys).unwrap(), keys);
    }

    // Issue 17: each of these trees imported before the invariants were checked.
    #[test]
    fn refuses_trees_that_break_the_invariants() {
        let keys = layer_zero(2);
        let (a, b) = (keys[0].as_str(), keys[1].as_str());
        let higher = (0..)
            .map(|i| format!("app.bsky.feed.post/3h{i:04}"))
            .find(|k| layer(k.as_bytes()) > 0)
            .unwrap();
        let cases: [(&str, &[&str], &str); 7] = [
            ("out of order", &[b, a], "a tree's keys are in order"),
            ("duplicate", &[a, a], "occurs twice"),
            ("escaping record key", &["app.bsky.feed.post/../../x"], "invalid record key"),
            ("record key with a space", &["app.bsky.feed.post/a b"], "invalid record key"),
            ("collection not an NSID", &["not-an-nsid/3k2"], "not an NSID"),
            ("no collection", &["3k2"], "has no collection"),
            ("two layers in one node", &[a, &higher], "share a node"),
        ];
        for (name, keys, want) in cases {
            let mut keys = keys.to_vec();
            if name == "two layers in one node" {
                keys.sort_unstable();
            }
            match check(&keys) {
                Ok(paths) => panic!("{name}: accepted {paths:?}"),
                Err(why) => assert!(why.contains(want), "{name}: {why}"),
            }
        }
    }

    #[test]
    fn refuses_a_commit_whose_did_is_not_valid() {
        let bytes = build::repo("did:plc:abc:", &["app.bsky.feed.post/3k2"]);
        let car = car::parse(&bytes, &mut |_| {}).unwrap();
        let Err(e) = open(&car) else { panic!("a commit with a bad DID was opened") };
        assert!(e.why.contains("not a valid DID"), "{}", e.why);
    }

    #[test]
    fn layers_count_leading_zero_bit_pairs() {
        // Values from the repository specification's examples.
        assert_eq!(layer(b"2653ae71"), 0);
        assert_eq!(layer(b"blue"), 1);
        assert_eq!(layer(b"app.bsky.feed.post/454397e440ec"), 4);
        assert_eq!(layer(b"app.bsky.feed.post/9adeb165882c"), 8);
    }
}
