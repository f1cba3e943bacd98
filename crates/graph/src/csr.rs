//! The compressed sparse row graph: one snapshot, out-adjacency plus (for directed graphs) the
//! reverse adjacency, each row sorted by target.

use std::borrow::Cow;

use crate::build::{Built, Orientation, build_adjacency};
use crate::weights::{RowWeights, Weights};
use crate::{EdgeList, NodeIds};

/// One direction of adjacency: row `u` is `targets[offsets[u]..offsets[u + 1]]`.
///
/// Weights take one byte per arc (see [`RowWeights`]): exact when the graph has at most 256
/// distinct weights, otherwise rounded in log scale with a relative error of at most
/// `(max / min)^(1/508) - 1` (1.4% for a range of 1,000).
#[derive(Debug, Clone)]
pub struct Adjacency {
    pub(crate) offsets: Vec<u64>,
    pub(crate) targets: Vec<u32>,
    pub(crate) weights: Option<Weights>,
}

impl From<Built> for Adjacency {
    fn from(built: Built) -> Self {
        let weights = built.weights.as_deref().map(Weights::encode);
        Self { offsets: built.offsets, targets: built.targets, weights }
    }
}

impl Adjacency {
    /// The targets of row `u`, sorted ascending.
    pub fn row(&self, u: u32) -> &[u32] {
        &self.targets[self.range(u)]
    }

    /// The weights of row `u`, aligned with [`Adjacency::row`].
    pub fn row_weights(&self, u: u32) -> Option<RowWeights<'_>> {
        let range = self.range(u);
        self.weights.as_ref().map(|w| w.slice(range))
    }

    /// Whether every weight is stored exactly (the graph has at most 256 distinct weights);
    /// `true` when unweighted.
    pub fn weights_exact(&self) -> bool {
        self.weights.as_ref().is_none_or(Weights::is_exact)
    }

    /// The length of row `u`.
    pub fn degree(&self, u: u32) -> usize {
        (self.offsets[u as usize + 1] - self.offsets[u as usize]) as usize
    }

    /// The total weight of row `u` (its length when unweighted).
    pub fn strength(&self, u: u32) -> f64 {
        match self.row_weights(u) {
            Some(w) => w.sum(),
            None => self.degree(u) as f64,
        }
    }

    /// The row offsets (`node_count + 1` entries).
    pub fn offsets(&self) -> &[u64] {
        &self.offsets
    }

    /// All targets, row after row.
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// A copy without the arcs `(u, v)` for which `drop(u, v)` holds; rows stay sorted and
    /// weights keep their codes, so nothing is re-sorted or re-quantised.
    fn without(&self, drop: impl Fn(u32, u32) -> bool) -> Self {
        let n = self.offsets.len() - 1;
        let mut keep = vec![true; self.targets.len()];
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u64);
        let mut kept = 0u64;
        for u in 0..n as u32 {
            let range = self.range(u);
            for (i, &v) in range.clone().zip(&self.targets[range]) {
                keep[i] = !drop(u, v);
                kept += u64::from(keep[i]);
            }
            offsets.push(kept);
        }
        let targets = self.targets.iter().zip(&keep).filter(|k| *k.1).map(|k| *k.0).collect();
        let weights = self.weights.as_ref().map(|w| w.retain(&keep));
        Self { offsets, targets, weights }
    }

    fn range(&self, u: u32) -> std::ops::Range<usize> {
        self.offsets[u as usize] as usize..self.offsets[u as usize + 1] as usize
    }

    fn memory_bytes(&self) -> usize {
        self.offsets.capacity() * 8
            + self.targets.capacity() * 4
            + self.weights.as_ref().map_or(0, Weights::memory_bytes)
    }
}

/// How to turn an edge list into a [`Csr`].
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    /// Directed edges (`a → b`); otherwise each edge is stored in both rows.
    pub directed: bool,
    /// For directed graphs, also store the reverse adjacency (needed by PageRank and SALSA).
    pub reverse: bool,
    /// Merge parallel edges, summing their weights.
    pub dedup: bool,
    /// Keep self-loops (directed graphs only: undirected graphs always drop them, which keeps
    /// degree and modularity conventions simple).
    pub self_loops: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self { directed: true, reverse: true, dedup: true, self_loops: false }
    }
}

impl BuildOptions {
    /// Options for an undirected simple graph.
    pub fn undirected() -> Self {
        Self { directed: false, ..Self::default() }
    }
}

/// A graph snapshot in compressed sparse row form.
#[derive(Debug, Clone)]
pub struct Csr {
    directed: bool,
    out: Adjacency,
    /// The reverse adjacency of a directed graph; `None` for undirected graphs (where `out`
    /// is symmetric) or when not requested.
    reverse: Option<Adjacency>,
    ids: NodeIds,
}

impl Csr {
    /// Builds the CSR in parallel (counting sort over rows, then per-row sort and merge).
    pub fn build(list: &EdgeList, options: &BuildOptions) -> Self {
        let n = list.node_count() as usize;
        let weights = list.weights.as_deref();
        let (out, reverse) = if options.directed {
            let keep = options.self_loops;
            let out = build_adjacency(n, &list.edges, weights, Orientation::Forward, options, keep);
            let reverse = options.reverse.then(|| {
                build_adjacency(n, &list.edges, weights, Orientation::Reverse, options, keep).into()
            });
            (out.into(), reverse)
        } else {
            let both = build_adjacency(n, &list.edges, weights, Orientation::Both, options, false);
            (both.into(), None)
        };
        Self { directed: options.directed, out, reverse, ids: list.ids.clone() }
    }

    /// The number of nodes.
    pub fn node_count(&self) -> u32 {
        self.ids.count()
    }

    /// Stored arcs in the out-adjacency (an undirected edge counts twice).
    pub fn arc_count(&self) -> u64 {
        self.out.targets.len() as u64
    }

    /// Edges: arcs for a directed graph, unordered pairs for an undirected one.
    pub fn edge_count(&self) -> u64 {
        if self.directed { self.arc_count() } else { self.arc_count() / 2 }
    }

    /// Whether edges are directed.
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Whether edges carry weights.
    pub fn is_weighted(&self) -> bool {
        self.out.weights.is_some()
    }

    /// The out-adjacency (the symmetric adjacency of an undirected graph).
    pub fn out(&self) -> &Adjacency {
        &self.out
    }

    /// The in-adjacency: the stored reverse adjacency, the out-adjacency of an undirected
    /// graph, or a transpose computed now if a directed graph was built without one.
    pub fn incoming(&self) -> Cow<'_, Adjacency> {
        match (&self.reverse, self.directed) {
            (Some(rev), _) => Cow::Borrowed(rev),
            (None, false) => Cow::Borrowed(&self.out),
            (None, true) => Cow::Owned(transpose(&self.out)),
        }
    }

    /// Out-neighbours of `u`, sorted.
    pub fn out_neighbors(&self, u: u32) -> &[u32] {
        self.out.row(u)
    }

    /// Weights aligned with [`Csr::out_neighbors`].
    pub fn out_weights(&self, u: u32) -> Option<RowWeights<'_>> {
        self.out.row_weights(u)
    }

    /// In-neighbours of `u`, sorted, when stored (always for undirected graphs).
    pub fn in_neighbors(&self, u: u32) -> Option<&[u32]> {
        match (&self.reverse, self.directed) {
            (Some(rev), _) => Some(rev.row(u)),
            (None, false) => Some(self.out.row(u)),
            (None, true) => None,
        }
    }

    /// Out-degree of `u`.
    pub fn out_degree(&self, u: u32) -> usize {
        self.out.degree(u)
    }

    /// The id mapping of the nodes.
    pub fn ids(&self) -> &NodeIds {
        &self.ids
    }

    /// Heap bytes held by the snapshot (adjacencies, weights and id mapping).
    pub fn memory_bytes(&self) -> usize {
        self.out.memory_bytes()
            + self.reverse.as_ref().map_or(0, Adjacency::memory_bytes)
            + self.ids.memory_bytes()
    }

    /// A copy without the edges `(u, v)` for which `drop(u, v)` holds (used to hide edges for
    /// link prediction). `drop` is asked about arcs as stored: for an undirected graph it sees
    /// both `(u, v)` and `(v, u)` and must answer the same for both; for a directed graph the
    /// reverse adjacency is asked `(u, v)` for its arc `v ← u`, so one answer hides the edge in
    /// both directions.
    pub(crate) fn without_edges(&self, drop: impl Fn(u32, u32) -> bool + Copy) -> Self {
        Self {
            directed: self.directed,
            out: self.out.without(drop),
            reverse: self.reverse.as_ref().map(|rev| rev.without(|v, u| drop(u, v))),
            ids: self.ids.clone(),
        }
    }

    /// All arcs `(u, v)` of the out-adjacency (for tests and exports).
    pub fn arcs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.node_count()).flat_map(move |u| self.out.row(u).iter().map(move |&v| (u, v)))
    }
}

fn transpose(adj: &Adjacency) -> Adjacency {
    let n = adj.offsets.len() - 1;
    let edges: Vec<[u32; 2]> =
        (0..n as u32).flat_map(|u| adj.row(u).iter().map(move |&v| [u, v])).collect();
    let options = BuildOptions { dedup: false, self_loops: true, ..BuildOptions::default() };
    let weights = adj.weights.as_ref().map(Weights::decode);
    build_adjacency(n, &edges, weights.as_deref(), Orientation::Reverse, &options, true).into()
}
