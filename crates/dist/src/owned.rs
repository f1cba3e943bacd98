//! The part of the graph one worker owns: its nodes (sorted ids) and their rows of neighbours,
//! built from the arcs the load round routed to it.

/// A worker's nodes and their rows, by ids in the file.
pub(crate) struct Owned {
    /// The worker's nodes, sorted.
    pub(crate) nodes: Vec<u64>,
    offsets: Vec<usize>,
    targets: Vec<u64>,
}

impl Owned {
    /// Builds the rows from `(node, neighbour)` arcs; an arc `(v, v)` only declares `v` a node
    /// (self-loops are dropped, as the in-memory engine does). Repeated arcs stay repeated.
    pub(crate) fn from_arcs(mut arcs: Vec<(u64, u64)>) -> Self {
        arcs.sort_unstable();
        let mut nodes = Vec::new();
        let mut offsets = vec![0];
        let mut targets = Vec::with_capacity(arcs.len());
        for (v, u) in arcs {
            if nodes.last() != Some(&v) {
                if !nodes.is_empty() {
                    offsets.push(targets.len());
                }
                nodes.push(v);
            }
            if u != v {
                targets.push(u);
            }
        }
        if !nodes.is_empty() {
            offsets.push(targets.len());
        }
        Self { nodes, offsets, targets }
    }

    /// The neighbours of the `i`-th node, sorted.
    pub(crate) fn row(&self, i: usize) -> &[u64] {
        &self.targets[self.offsets[i]..self.offsets[i + 1]]
    }

    /// The position of node `v` among this worker's nodes.
    pub(crate) fn position(&self, v: u64) -> Option<usize> {
        self.nodes.binary_search(&v).ok()
    }

    /// All neighbours, row after row.
    pub(crate) fn targets(&self) -> &[u64] {
        &self.targets
    }
}
