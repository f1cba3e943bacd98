//! Dense u32 node ids and the mapping back to the original (possibly sparse, 64-bit) ids of a file.
//!
//! The mapping is order-preserving: dense id `i` is the `i`-th smallest original id. That makes
//! the reverse lookup a binary search (no hash map to keep), and a file whose ids already run
//! `0..n` keeps them unchanged, which is what users expect when comparing with other tools.

use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use crate::GraphError;

/// The node ids of a graph: `count` dense ids and, unless the ids are the identity, the
/// original id of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeIds {
    count: u32,
    original: Option<Vec<u64>>,
}

impl NodeIds {
    /// Dense ids `0..count` that are their own original ids.
    pub fn identity(count: u32) -> Self {
        Self { count, original: None }
    }

    /// Ids whose original values are `original` (sorted ascending, distinct).
    pub(crate) fn from_sorted(original: Vec<u64>) -> Self {
        let count = original.len() as u32;
        let identity = original.iter().enumerate().all(|(i, &id)| i as u64 == id);
        Self { count, original: if identity { None } else { Some(original) } }
    }

    /// The number of nodes.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The original id of dense node `node`.
    pub fn original(&self, node: u32) -> u64 {
        self.original.as_ref().map_or(u64::from(node), |ids| ids[node as usize])
    }

    /// The dense id of original id `id`, if that id is a node.
    pub fn dense(&self, id: u64) -> Option<u32> {
        match &self.original {
            None => (id < u64::from(self.count)).then_some(id as u32),
            Some(ids) => ids.binary_search(&id).ok().map(|i| i as u32),
        }
    }

    /// Heap bytes held by the mapping.
    pub fn memory_bytes(&self) -> usize {
        self.original.as_ref().map_or(0, |ids| ids.capacity() * 8)
    }
}

/// Maps interleaved `(source, target)` original ids to dense `[u32; 2]` edges.
///
/// Dense-enough id ranges use a direct lookup table; sparse ones (large or 64-bit ids) sort the
/// distinct ids and binary-search them. Both give the same order-preserving numbering.
pub(crate) fn remap(raw: &[u64], max_id: u64) -> Result<(Vec<[u32; 2]>, NodeIds), GraphError> {
    let dense_limit = raw.len() as u64 * 4 + (1 << 20);
    if max_id < u64::from(u32::MAX) && max_id <= dense_limit {
        Ok(remap_table(raw, max_id as usize))
    } else {
        remap_sorted(raw)
    }
}

fn remap_table(raw: &[u64], max_id: usize) -> (Vec<[u32; 2]>, NodeIds) {
    let table: Vec<AtomicU32> = (0..=max_id).map(|_| AtomicU32::new(0)).collect();
    raw.par_iter().for_each(|&id| table[id as usize].store(1, Ordering::Relaxed));
    let mut original = Vec::new();
    for (id, slot) in table.iter().enumerate() {
        if slot.load(Ordering::Relaxed) == 1 {
            slot.store(original.len() as u32, Ordering::Relaxed);
            original.push(id as u64);
        }
    }
    let edges = raw
        .par_chunks_exact(2)
        .map(|p| {
            [
                table[p[0] as usize].load(Ordering::Relaxed),
                table[p[1] as usize].load(Ordering::Relaxed),
            ]
        })
        .collect();
    (edges, NodeIds::from_sorted(original))
}

fn remap_sorted(raw: &[u64]) -> Result<(Vec<[u32; 2]>, NodeIds), GraphError> {
    let mut ids = raw.to_vec();
    ids.par_sort_unstable();
    ids.dedup();
    if ids.len() >= u32::MAX as usize {
        return Err(GraphError::TooLarge(format!(
            "{} distinct node ids, at most {} fit in u32",
            ids.len(),
            u32::MAX - 1
        )));
    }
    let find = |id: u64| ids.partition_point(|&x| x < id) as u32;
    let edges = raw.par_chunks_exact(2).map(|p| [find(p[0]), find(p[1])]).collect();
    Ok((edges, NodeIds::from_sorted(ids)))
}
