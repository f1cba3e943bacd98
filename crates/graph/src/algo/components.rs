//! Weakly connected components by parallel lock-free union-find.
//!
//! Roots are always hooked under the smaller root, so each component's root is its smallest
//! node and the labelling is deterministic whatever the thread interleaving.

use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use crate::Csr;

/// Component labels.
#[derive(Debug, Clone)]
pub struct Components {
    /// The component of each node, numbered `0..count` in order of each component's smallest node.
    pub labels: Vec<u32>,
    /// The number of components.
    pub count: u32,
}

impl Components {
    /// The size of the largest component.
    pub fn largest(&self) -> usize {
        let mut sizes = vec![0usize; self.count as usize];
        for &l in &self.labels {
            sizes[l as usize] += 1;
        }
        sizes.into_iter().max().unwrap_or(0)
    }
}

/// Weakly connected components of `csr` (edge direction ignored).
pub fn connected_components(csr: &Csr) -> Components {
    let out = csr.out();
    let directed = csr.is_directed();
    // An undirected row holds both arcs of each edge; one is enough.
    union_find(&out.offsets, &out.targets, |u, v| directed || u < v)
}

fn find(parent: &[AtomicU32], mut x: u32) -> u32 {
    loop {
        let p = parent[x as usize].load(Ordering::Relaxed);
        if p == x {
            return x;
        }
        let grand = parent[p as usize].load(Ordering::Relaxed);
        if grand != p {
            // Path halving; losing the race only means a longer path next time.
            let _ = parent[x as usize].compare_exchange_weak(
                p,
                grand,
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }
        x = p;
    }
}

fn union(parent: &[AtomicU32], a: u32, b: u32) {
    loop {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra == rb {
            return;
        }
        let (high, low) = if ra > rb { (ra, rb) } else { (rb, ra) };
        if parent[high as usize]
            .compare_exchange(high, low, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            return;
        }
    }
}

/// Components of the graph given by raw CSR arrays, using only arcs `(u, v)` where `keep`
/// holds (Leiden uses this to split communities into their connected parts).
pub(crate) fn union_find(
    offsets: &[u64],
    targets: &[u32],
    keep: impl Fn(u32, u32) -> bool + Sync,
) -> Components {
    let n = offsets.len() - 1;
    let parent: Vec<AtomicU32> = (0..n as u32).map(AtomicU32::new).collect();
    (0..n as u32).into_par_iter().with_min_len(1024).for_each(|u| {
        let row = &targets[offsets[u as usize] as usize..offsets[u as usize + 1] as usize];
        for &v in row {
            if keep(u, v) {
                union(&parent, u, v);
            }
        }
    });
    let roots: Vec<u32> = (0..n as u32).into_par_iter().map(|v| find(&parent, v)).collect();
    let mut dense = vec![u32::MAX; n];
    let mut count = 0u32;
    for (v, &r) in roots.iter().enumerate() {
        if r as usize == v {
            dense[v] = count;
            count += 1;
        }
    }
    let labels = roots.par_iter().map(|&r| dense[r as usize]).collect();
    Components { labels, count }
}
