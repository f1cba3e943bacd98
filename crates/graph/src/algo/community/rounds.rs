//! Deterministic parallel node moving, shared by Leiden's local moving and label propagation.
//!
//! Nodes are visited in a fixed seeded order, in batches whose size depends only on the graph
//! size: each batch decides its moves in parallel against the current state, then applies them
//! in order. The result is therefore the same for a given seed whatever the thread count. A node
//! is revisited only when a neighbour has moved since it was last seen (the active flags play
//! the role of Leiden's queue).

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::prefetch::{DISTANCE, prefetch};
use super::wgraph::WGraph;
use crate::parallel::ScratchPool;

/// A rule for moving one node at a time.
pub(crate) trait MoveRule: Sync {
    /// The label `v` should move to, or `None` to stay. It must leave the labels of `v`'s
    /// neighbours in `acc` (`Accumulator::add_row`), which wakes those not already in the target.
    fn decide(&self, v: u32, acc: &mut Accumulator) -> Option<u32>;
    /// Applies a decided move; returns whether `v` really moved.
    fn apply(&mut self, v: u32, target: u32) -> bool;
}

/// Nodes per parallel task of a batch: enough to amortise taking the scratch space and to keep
/// the row prefetches ahead, small enough to share a batch between threads.
const CHUNK: usize = 64;

/// Small graphs move one node at a time (plain sequential local moving); large ones use batches
/// small against the graph, so decisions made on a slightly stale state rarely collide.
fn batch_size(n: usize) -> usize {
    (n / 128).clamp(1, 4096)
}

/// Runs rounds until a round moves at most `settled` nodes or `max_rounds` is reached; returns
/// the moves made.
pub(crate) fn run_rounds<R: MoveRule>(
    g: &WGraph<'_>,
    order: &[u32],
    max_rounds: usize,
    settled: usize,
    rule: &mut R,
    pool: &ScratchPool<Accumulator>,
) -> usize {
    let active: Vec<AtomicBool> = (0..g.len()).map(|_| AtomicBool::new(true)).collect();
    let size = batch_size(g.len());
    let mut total = 0;
    let mut batch = Vec::with_capacity(size);
    for _ in 0..max_rounds {
        let mut moved_this_round = 0;
        let mut cursor = 0;
        while cursor < order.len() {
            batch.clear();
            while cursor < order.len() && batch.len() < size {
                let v = order[cursor];
                cursor += 1;
                if active[v as usize].swap(false, Ordering::Relaxed) {
                    batch.push(v);
                }
            }
            let shared: &R = rule;
            let decisions: Vec<(u32, u32)> = batch
                .par_chunks(CHUNK)
                .flat_map_iter(|chunk| {
                    let mut acc = pool.get();
                    let mut decided = Vec::new();
                    for (i, &v) in chunk.iter().enumerate() {
                        // The batch visits rows in random order, so the start of each row and
                        // its offset miss the cache: ask for them one and two nodes ahead.
                        if let Some(&after) = chunk.get(i + 2) {
                            prefetch(&g.offsets, after as usize);
                        }
                        if let Some(&next) = chunk.get(i + 1) {
                            prefetch(&g.targets, g.offsets[next as usize] as usize);
                        }
                        let Some(target) = shared.decide(v, &mut acc) else { continue };
                        // Wake the neighbours outside the target (Leiden's queue rule) now,
                        // with the labels deciding just looked up rather than a second random
                        // read per arc after applying. A move `apply` then refuses (rare) only
                        // costs a few extra visits; the labels are those from before the
                        // batch, so the flags do not depend on the thread count.
                        for (&u, &label) in g.row(v).iter().zip(&acc.row_labels) {
                            if label != target {
                                active[u as usize].store(true, Ordering::Relaxed);
                            }
                        }
                        decided.push((v, target));
                    }
                    decided
                })
                .collect();
            moved_this_round += decisions.into_iter().filter(|&(v, t)| rule.apply(v, t)).count();
        }
        total += moved_this_round;
        if moved_this_round <= settled {
            break;
        }
    }
    total
}

/// A dense accumulator of weights per label, cleared in time proportional to what it touched.
pub(crate) struct Accumulator {
    weight: Vec<f64>,
    /// The labels touched since the last clear, in first-touch order, in `touched[..len]`; the
    /// slots past `len` are scratch, so recording a label needs no branch.
    touched: Vec<u32>,
    len: usize,
    /// The labels of the far ends of the last row added, in row order (the moving loop reads
    /// them again to wake neighbours).
    pub(crate) row_labels: Vec<u32>,
}

impl Accumulator {
    pub(crate) fn new(labels: usize) -> Self {
        Self { weight: vec![0.0; labels], touched: Vec::new(), len: 0, row_labels: Vec::new() }
    }

    /// Records `w` for `label`. The first-touch test is data-dependent on a load that usually
    /// misses the cache; as a branch it would be mispredicted often, and a misprediction throws
    /// away the loads in flight behind it, so it is an arithmetic increment instead.
    #[inline(always)]
    fn record(&mut self, label: u32, w: f64) {
        let slot = &mut self.weight[label as usize];
        let first = *slot == 0.0;
        *slot += w;
        self.touched[self.len] = label;
        self.len += usize::from(first);
    }

    /// Adds the weight of every arc of `v` to the label of its far end, `labels[u]`.
    pub(crate) fn add_row(&mut self, g: &WGraph<'_>, v: u32, labels: &[u32]) {
        let row = g.row(v);
        self.row_labels.clear();
        for &u in row.iter().take(DISTANCE) {
            prefetch(labels, u as usize);
        }
        self.row_labels.extend(row.iter().enumerate().map(|(i, &u)| {
            if let Some(&ahead) = row.get(i + DISTANCE) {
                prefetch(labels, ahead as usize);
            }
            labels[u as usize]
        }));
        let need = self.len + row.len();
        if self.touched.len() < need {
            self.touched.resize(need, 0);
        }
        let row_labels = std::mem::take(&mut self.row_labels);
        for &l in row_labels.iter().take(DISTANCE) {
            prefetch(&self.weight, l as usize);
        }
        match g.row_weights(v) {
            Some(ws) => {
                for (i, (&l, &w)) in row_labels.iter().zip(ws).enumerate() {
                    if let Some(&ahead) = row_labels.get(i + DISTANCE) {
                        prefetch(&self.weight, ahead as usize);
                    }
                    self.record(l, f64::from(w));
                }
            }
            None => {
                for (i, &l) in row_labels.iter().enumerate() {
                    if let Some(&ahead) = row_labels.get(i + DISTANCE) {
                        prefetch(&self.weight, ahead as usize);
                    }
                    self.record(l, 1.0);
                }
            }
        }
        self.row_labels = row_labels;
    }

    pub(crate) fn get(&self, label: u32) -> f64 {
        self.weight[label as usize]
    }

    /// The labels touched since the last clear, in first-touch order.
    pub(crate) fn touched(&self) -> &[u32] {
        &self.touched[..self.len]
    }

    pub(crate) fn clear(&mut self) {
        for &l in &self.touched[..self.len] {
            self.weight[l as usize] = 0.0;
        }
        self.len = 0;
    }
}
