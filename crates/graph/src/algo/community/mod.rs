//! Community detection: Leiden (the main method) and label propagation (the baseline), plus
//! modularity. Directed graphs are treated as undirected (a mutual pair weighs twice).

mod aggregate;
mod label_prop;
mod leiden;
mod prefetch;
mod refine;
mod rounds;
mod wgraph;

use rayon::prelude::*;

pub use label_prop::{LabelPropagationParams, label_propagation};
pub use leiden::{LeidenParams, leiden};
use wgraph::WGraph;

use crate::Csr;

/// A partition of the nodes into communities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Communities {
    /// The community of each node, numbered `0..count` in order of first appearance.
    pub membership: Vec<u32>,
    /// The number of communities.
    pub count: u32,
}

impl Communities {
    /// Renumbers arbitrary labels densely, in order of first appearance.
    pub fn from_labels(labels: &[u32]) -> Self {
        let (membership, count) = dense_labels(labels);
        Self { membership, count }
    }

    /// The members of each community.
    pub fn groups(&self) -> Vec<Vec<u32>> {
        let mut groups = vec![Vec::new(); self.count as usize];
        for (v, &c) in self.membership.iter().enumerate() {
            groups[c as usize].push(v as u32);
        }
        groups
    }
}

/// Renumbers labels `0..count` in order of first appearance.
pub(crate) fn dense_labels(labels: &[u32]) -> (Vec<u32>, u32) {
    let max = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut map = vec![u32::MAX; max];
    let mut count = 0;
    let membership = labels
        .iter()
        .map(|&l| {
            if map[l as usize] == u32::MAX {
                map[l as usize] = count;
                count += 1;
            }
            map[l as usize]
        })
        .collect();
    (membership, count)
}

/// Modularity of `membership` with resolution `resolution` (1.0 is Newman-Girvan modularity).
pub fn modularity(csr: &Csr, membership: &[u32], resolution: f64) -> f64 {
    quality(&WGraph::from_csr(csr), membership, resolution)
}

pub(crate) fn quality(g: &WGraph<'_>, membership: &[u32], resolution: f64) -> f64 {
    if g.total <= 0.0 {
        return 0.0;
    }
    let count = membership.iter().copied().max().map_or(0, |m| m as usize + 1);
    let inside: f64 = (0..g.len() as u32)
        .into_par_iter()
        .with_min_len(1024)
        .map(|v| {
            let c = membership[v as usize];
            let mut sum = g.loops[v as usize];
            g.for_each(v, |u, w| {
                if membership[u as usize] == c {
                    sum += w;
                }
            });
            sum
        })
        .sum();
    let mut totals = vec![0.0; count];
    for (v, &c) in membership.iter().enumerate() {
        totals[c as usize] += g.strength[v];
    }
    let expected: f64 = totals.iter().map(|t| t * t).sum::<f64>() / (g.total * g.total);
    inside / g.total - resolution * expected
}
