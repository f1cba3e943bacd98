//! The repository inside a CAR file: the signed commit at the root and the Merkle search tree
//! (MST) under it, walked to recover each record's path (`<collection>/<record key>`).

use ipld_core::cid::Cid;
use ipld_core::ipld::Ipld;
use serde::Deserialize;

use super::car::{Block, Car, CarError, DAG_CBOR};

/// A real tree is a handful of levels deep (a level per factor of 16 in size); deeper is hostile.
const MAX_DEPTH: usize = 64;

/// The repository's commit and every record path the tree holds, in key order.
pub(crate) struct Repo {
    /// The DID of the account that owns the repository: "me".
    pub(crate) did: String,
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
        Some(Ipld::String(did)) if did.starts_with("did:") => did.clone(),
        _ => return Err(bad("no DID")),
    };
    let Some(Ipld::Link(data)) = field("data") else { return Err(bad("no tree root")) };
    let mut walk = Walk { car, entries: Vec::new(), reached: vec![false; car.order.len()] };
    walk.reached[commit_block.index] = true;
    walk.node(data, commit_block.offset, 0)?;
    Ok(Repo { did, entries: walk.entries, reached: walk.reached })
}

/// The state of one tree walk.
struct Walk<'c, 'a> {
    car: &'c Car<'a>,
    entries: Vec<Entry>,
    reached: Vec<bool>,
}

impl Walk<'_, '_> {
    /// Walks the node `cid`, referenced from the block at `from`, in key order.
    fn node(&mut self, cid: &Cid, from: u64, depth: usize) -> Result<(), CarError> {
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
        if let Some(left) = node.l {
            self.node(&left, block.offset, depth + 1)?;
        }
        let mut key: Vec<u8> = Vec::new();
        for item in node.e {
            let prefix = usize::try_from(item.p).ok().filter(|p| *p <= key.len());
            let Some(prefix) = prefix else {
                return Err(bad(format!("a key shares {} bytes with a shorter one", item.p)));
            };
            key.truncate(prefix);
            key.extend_from_slice(item.k);
            let path =
                std::str::from_utf8(&key).map_err(|_| bad("a record path is not UTF-8".into()))?;
            let Some((collection, rkey)) = path.split_once('/') else {
                return Err(bad(format!("the record path '{path}' has no collection")));
            };
            self.entries.push(Entry {
                collection: collection.to_owned(),
                rkey: rkey.to_owned(),
                cid: item.v,
                node: block.offset,
            });
            if let Some(right) = item.t {
                self.node(&right, block.offset, depth + 1)?;
            }
        }
        Ok(())
    }
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
