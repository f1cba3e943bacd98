//! A worker's partial view of the graph for the in-memory ranking: the rows of the nodes it owns,
//! the rows it fetched from other workers, and every node's degrees ([`Nodes`]).
//!
//! The ranking (`rapport_graph::algo::salsa::who_to_follow`) reads it through
//! [`GraphView`]. A row that is neither owned nor fetched reads as empty and is noted as missing;
//! a ranking that missed nothing read exactly the rows the in-memory engine reads, so its answer
//! is the in-memory answer, and one that missed something is run again once the missing rows
//! have been fetched.

use std::cell::RefCell;

use rapport_graph::hash::FxMap;
use rapport_graph::{GraphView, RowWeights};

use crate::nodes::Nodes;
use crate::owned::Owned;

/// A row's key: its node and whether it is the in-row.
pub(crate) type RowKey = (u32, bool);

/// Rows fetched from other workers, in one arena.
#[derive(Default)]
pub(crate) struct Fetched {
    rows: FxMap<RowKey, (usize, usize)>,
    entries: Vec<u32>,
}

impl Fetched {
    pub(crate) fn insert(&mut self, key: RowKey, row: &[u32]) {
        let start = self.entries.len();
        self.entries.extend_from_slice(row);
        self.rows.insert(key, (start, self.entries.len()));
    }

    fn get(&self, key: RowKey) -> Option<&[u32]> {
        self.rows.get(&key).map(|&(from, to)| &self.entries[from..to])
    }

    /// Entries held.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn clear(&mut self) {
        self.rows.clear();
        self.entries.clear();
    }
}

/// The rows a worker owns: out-rows, and in-rows for a directed graph.
pub(crate) struct Local {
    pub(crate) out: Owned<u32>,
    pub(crate) incoming: Option<Owned<u32>>,
}

impl Local {
    /// Row `key` if this worker owns its node.
    pub(crate) fn row(&self, (v, incoming): RowKey) -> Option<&[u32]> {
        let rows = if incoming { self.incoming.as_ref()? } else { &self.out };
        rows.position(v).map(|i| rows.row(i))
    }
}

/// What one worker sees of the graph while ranking.
pub(crate) struct Partial<'a> {
    pub(crate) nodes: &'a Nodes,
    pub(crate) local: &'a Local,
    pub(crate) fetched: &'a Fetched,
    missing: RefCell<Vec<RowKey>>,
}

impl<'a> Partial<'a> {
    pub(crate) fn new(nodes: &'a Nodes, local: &'a Local, fetched: &'a Fetched) -> Self {
        Self { nodes, local, fetched, missing: RefCell::new(Vec::new()) }
    }

    /// The rows read since the last call that this view did not hold.
    pub(crate) fn take_missing(&self) -> Vec<RowKey> {
        std::mem::take(&mut *self.missing.borrow_mut())
    }

    fn row(&self, key: RowKey, degree: usize) -> &[u32] {
        if degree == 0 {
            return &[];
        }
        match self.local.row(key).or_else(|| self.fetched.get(key)) {
            Some(row) => row,
            None => {
                self.missing.borrow_mut().push(key);
                &[]
            }
        }
    }
}

impl GraphView for Partial<'_> {
    fn is_directed(&self) -> bool {
        self.local.incoming.is_some()
    }

    fn out_neighbors(&self, u: u32) -> &[u32] {
        self.row((u, false), self.nodes.out_degree(u))
    }

    fn out_weights(&self, _: u32) -> Option<RowWeights<'_>> {
        // Distributed jobs read unweighted edge lists.
        None
    }

    fn in_neighbors(&self, u: u32) -> Option<&[u32]> {
        Some(if self.is_directed() {
            self.row((u, true), self.nodes.in_degree(u))
        } else {
            self.out_neighbors(u)
        })
    }

    fn out_degree(&self, u: u32) -> usize {
        self.nodes.out_degree(u)
    }

    fn in_degree(&self, u: u32) -> usize {
        self.nodes.in_degree(u)
    }
}
