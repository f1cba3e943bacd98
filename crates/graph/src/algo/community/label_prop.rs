//! Label propagation (Raghavan, Albert and Kumara, 2007), the community-detection baseline:
//! every node takes the label carrying most edge weight among its neighbours until no label
//! changes. Runs on the same deterministic parallel batches as Leiden's local moving.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::Communities;
use super::rounds::{Accumulator, MoveRule, run_rounds};
use super::wgraph::WGraph;
use crate::Csr;
use crate::parallel::ScratchPool;

/// Label-propagation parameters.
#[derive(Debug, Clone, Copy)]
pub struct LabelPropagationParams {
    /// Seed of the node order.
    pub seed: u64,
    /// Upper bound on rounds.
    pub max_rounds: usize,
}

impl Default for LabelPropagationParams {
    fn default() -> Self {
        Self { seed: 42, max_rounds: 100 }
    }
}

struct Propagate<'g, 'a> {
    g: &'g WGraph<'a>,
    labels: Vec<u32>,
}

impl MoveRule for Propagate<'_, '_> {
    fn decide(&self, v: u32, acc: &mut Accumulator) -> Option<u32> {
        let own = self.labels[v as usize];
        acc.clear();
        acc.add_row(self.g, v, &self.labels);
        let mut best = own;
        let mut best_weight = acc.get(own);
        for &l in acc.touched() {
            let w = acc.get(l);
            if w > best_weight || (w == best_weight && l < best && best != own) {
                best = l;
                best_weight = w;
            }
        }
        (best != own).then_some(best)
    }

    fn apply(&mut self, v: u32, target: u32) -> bool {
        self.labels[v as usize] = target;
        true
    }
}

/// Runs label propagation on `csr` (a directed graph is treated as undirected).
pub fn label_propagation(csr: &Csr, params: &LabelPropagationParams) -> Communities {
    let g = WGraph::from_csr(csr);
    let n = g.len();
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(params.seed));
    let mut rule = Propagate { g: &g, labels: (0..n as u32).collect() };
    let pool = ScratchPool::new(|| Accumulator::new(n));
    run_rounds(&g, &order, params.max_rounds, 0, &mut rule, &pool);
    Communities::from_labels(&rule.labels)
}
