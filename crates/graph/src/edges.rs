//! An edge list with dense u32 node ids: what files are parsed into and CSRs are built from.

use crate::{GraphError, NodeIds};

/// Edges between dense node ids `0..node_count`, optional f32 weights, and the original ids.
#[derive(Debug, Clone)]
pub struct EdgeList {
    pub(crate) edges: Vec<[u32; 2]>,
    pub(crate) weights: Option<Vec<f32>>,
    pub(crate) ids: NodeIds,
}

impl EdgeList {
    /// Unweighted edges; the node count grows to cover every id used.
    pub fn new(node_count: u32, edges: Vec<[u32; 2]>) -> Self {
        let used = edges.iter().map(|e| e[0].max(e[1]) + 1).max().unwrap_or(0);
        Self { edges, weights: None, ids: NodeIds::identity(node_count.max(used)) }
    }

    /// Weighted edges: one finite, non-negative weight per edge.
    pub fn weighted(
        node_count: u32,
        edges: Vec<[u32; 2]>,
        weights: Vec<f32>,
    ) -> Result<Self, GraphError> {
        if weights.len() != edges.len() {
            return Err(GraphError::Invalid(format!(
                "{} weights for {} edges",
                weights.len(),
                edges.len()
            )));
        }
        if let Some(bad) = weights.iter().position(|w| !w.is_finite() || *w < 0.0) {
            return Err(GraphError::Invalid(format!(
                "weight {} of edge {bad} is not a finite non-negative number",
                weights[bad]
            )));
        }
        Ok(Self { weights: Some(weights), ..Self::new(node_count, edges) })
    }

    pub(crate) fn with_ids(edges: Vec<[u32; 2]>, weights: Option<Vec<f32>>, ids: NodeIds) -> Self {
        Self { edges, weights, ids }
    }

    /// The number of nodes (dense ids run `0..node_count`).
    pub fn node_count(&self) -> u32 {
        self.ids.count()
    }

    /// The number of edges, as listed (duplicates and self-loops included).
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The edges as `[source, target]` dense ids.
    pub fn edges(&self) -> &[[u32; 2]] {
        &self.edges
    }

    /// The edge weights, if the list is weighted.
    pub fn weights(&self) -> Option<&[f32]> {
        self.weights.as_deref()
    }

    /// The dense-to-original id mapping.
    pub fn ids(&self) -> &NodeIds {
        &self.ids
    }

    /// Keeps only the edges for which `keep(index, edge)` holds (used to hide test edges).
    pub fn retain(&self, keep: impl Fn(usize, [u32; 2]) -> bool) -> Self {
        let kept: Vec<usize> = (0..self.edges.len()).filter(|&i| keep(i, self.edges[i])).collect();
        let edges = kept.iter().map(|&i| self.edges[i]).collect();
        let weights = self.weights.as_ref().map(|w| kept.iter().map(|&i| w[i]).collect());
        Self { edges, weights, ids: self.ids.clone() }
    }
}
