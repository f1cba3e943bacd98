//! The few questions the who-to-follow ranking asks of a graph, as a trait, so the same ranking
//! runs over the in-memory [`Csr`] and over a partial view that holds only some rows (a worker of
//! `rapport-dist` holding its share of the graph plus the rows it fetched from the others).
//!
//! Nodes are dense `u32` ids, as in [`Csr`]. Rows are sorted ascending; an implementation that
//! lacks a row may answer with an empty one, as long as it notes the miss for its caller.

use crate::{Csr, RowWeights};

/// Adjacency rows and degrees of a graph, read one node at a time.
pub trait GraphView {
    /// Whether edges are directed (otherwise out-rows are the symmetric rows).
    fn is_directed(&self) -> bool;

    /// Out-neighbours of `u`, sorted.
    fn out_neighbors(&self, u: u32) -> &[u32];

    /// Weights aligned with [`GraphView::out_neighbors`]; `None` when unweighted.
    fn out_weights(&self, u: u32) -> Option<RowWeights<'_>>;

    /// In-neighbours of `u`, sorted, when stored (always for undirected graphs).
    fn in_neighbors(&self, u: u32) -> Option<&[u32]>;

    /// Out-degree of `u`, known even where the row itself is not.
    fn out_degree(&self, u: u32) -> usize;

    /// The length of `u`'s stored in-row (0 when none is stored), known even where the row
    /// itself is not.
    fn in_degree(&self, u: u32) -> usize;
}

impl GraphView for Csr {
    #[inline]
    fn is_directed(&self) -> bool {
        Csr::is_directed(self)
    }

    #[inline]
    fn out_neighbors(&self, u: u32) -> &[u32] {
        Csr::out_neighbors(self, u)
    }

    #[inline]
    fn out_weights(&self, u: u32) -> Option<RowWeights<'_>> {
        Csr::out_weights(self, u)
    }

    #[inline]
    fn in_neighbors(&self, u: u32) -> Option<&[u32]> {
        Csr::in_neighbors(self, u)
    }

    #[inline]
    fn out_degree(&self, u: u32) -> usize {
        Csr::out_degree(self, u)
    }

    #[inline]
    fn in_degree(&self, u: u32) -> usize {
        Csr::in_neighbors(self, u).map_or(0, <[u32]>::len)
    }
}
