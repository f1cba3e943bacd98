//! Deterministic parallel node moving, shared by Leiden's local moving and label propagation.
//!
//! Nodes are visited in a fixed seeded order, in batches whose size depends only on the graph
//! size: each batch decides its moves in parallel against the current state, then applies them
//! in order. The result is therefore the same for a given seed whatever the thread count. A node
//! is revisited only when a neighbour has moved since it was last seen (the active flags play
//! the role of Leiden's queue).

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::wgraph::WGraph;
use crate::parallel::ScratchPool;

/// A rule for moving one node at a time.
pub(crate) trait MoveRule: Sync {
    /// Per-thread scratch space.
    type Scratch: Send;
    /// The label `v` should move to, or `None` to stay.
    fn decide(&self, v: u32, scratch: &mut Self::Scratch) -> Option<u32>;
    /// Applies a decided move; returns whether `v` really moved.
    fn apply(&mut self, v: u32, target: u32) -> bool;
    /// The current label of `v`; a neighbour that already carries the label `v` moved to
    /// is not revisited (Leiden's queue rule).
    fn label(&self, v: u32) -> u32;
}

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
    pool: &ScratchPool<R::Scratch>,
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
                .par_iter()
                .with_min_len(8)
                .filter_map(|&v| shared.decide(v, &mut pool.get()).map(|t| (v, t)))
                .collect();
            let moved: Vec<u32> =
                decisions.into_iter().filter(|&(v, t)| rule.apply(v, t)).map(|(v, _)| v).collect();
            let shared: &R = rule;
            moved.par_iter().with_min_len(16).for_each(|&v| {
                let label = shared.label(v);
                for &u in g.row(v) {
                    if shared.label(u) != label {
                        active[u as usize].store(true, Ordering::Relaxed);
                    }
                }
            });
            moved_this_round += moved.len();
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
    touched: Vec<u32>,
}

impl Accumulator {
    pub(crate) fn new(labels: usize) -> Self {
        Self { weight: vec![0.0; labels], touched: Vec::new() }
    }

    pub(crate) fn add(&mut self, label: u32, w: f64) {
        let slot = &mut self.weight[label as usize];
        if *slot == 0.0 {
            self.touched.push(label);
        }
        *slot += w;
    }

    pub(crate) fn get(&self, label: u32) -> f64 {
        self.weight[label as usize]
    }

    /// The labels touched since the last clear, in first-touch order.
    pub(crate) fn touched(&self) -> &[u32] {
        &self.touched
    }

    pub(crate) fn clear(&mut self) {
        for &l in &self.touched {
            self.weight[l as usize] = 0.0;
        }
        self.touched.clear();
    }
}
