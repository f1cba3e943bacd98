//! Leiden community detection (Traag, Waltman and van Eck, 2019), maximising modularity with a
//! resolution parameter.
//!
//! Each level runs local moving (deterministic parallel batches, see `rounds`), refines every
//! community independently and in parallel (`refine`), and aggregates the refined partition
//! into a smaller graph (`aggregate`) whose starting partition is the unrefined one. As a final
//! safety net every community is split into its connected parts, which can only raise
//! modularity, so the returned communities are always connected.
//!
//! The work is bound by random reads (the community of every neighbour of every node), so the
//! nodes are first renumbered by decreasing degree (`WGraph::by_degree`) to keep the hubs'
//! entries together in cache, and the loops look labels up a few arcs ahead (`prefetch`).

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::aggregate::aggregate;
use super::prefetch::{DISTANCE, prefetch};
use super::refine::refine;
use super::rounds::{Accumulator, MoveRule, run_rounds};
use super::wgraph::WGraph;
use super::{Communities, dense_labels, quality};
use crate::Csr;
use crate::algo::components::union_find;
use crate::parallel::ScratchPool;

/// Leiden parameters.
#[derive(Debug, Clone, Copy)]
pub struct LeidenParams {
    /// Modularity resolution γ (higher gives smaller communities).
    pub resolution: f64,
    /// Seed of the node orders; with the same seed the result is the same for any thread count.
    pub seed: u64,
    /// Full Leiden passes, each starting from the previous partition (stops early when one
    /// does not improve modularity).
    pub iterations: usize,
    /// Upper bound on aggregation levels per pass.
    pub max_levels: usize,
    /// Upper bound on local-moving rounds per level.
    pub max_rounds: usize,
    /// Local moving stops once a round moves at most this share of the nodes; the last few
    /// stragglers of a weakly clustered graph cost whole rounds and barely change modularity.
    /// The default 1% took R-MAT 40M from 73.6 to between 55 and 69 CPU seconds (on a shared
    /// machine) at the same modularity (0.0944, then 0.0945), and moved com-DBLP's modularity
    /// by -0.01% and Slashdot's by -0.3% (see BENCHMARKS.md); graphs under 100 nodes still run
    /// until no node moves.
    pub settled_fraction: f64,
}

impl Default for LeidenParams {
    fn default() -> Self {
        Self {
            resolution: 1.0,
            seed: 42,
            iterations: 2,
            max_levels: 32,
            max_rounds: 32,
            settled_fraction: 0.01,
        }
    }
}

/// Runs Leiden on `csr` (a directed graph is treated as undirected).
pub fn leiden(csr: &Csr, params: &LeidenParams) -> Communities {
    let (base, rank) = WGraph::from_csr(csr).by_degree();
    let mut best: Option<(Vec<u32>, f64)> = None;
    for pass in 0..params.iterations.max(1) {
        let start = best.as_ref().map(|b| b.0.clone());
        let (labels, q) = one_pass(&base, start, params, pass as u64);
        match &best {
            Some((_, best_q)) if q <= *best_q + 1e-9 => break,
            _ => best = Some((labels, q)),
        }
    }
    let labels = best.map(|b| b.0).unwrap_or_default();
    let labels: Vec<u32> = rank.par_iter().map(|&r| labels[r as usize]).collect();
    Communities::from_labels(&labels)
}

fn one_pass(
    base: &WGraph<'_>,
    start: Option<Vec<u32>>,
    params: &LeidenParams,
    pass: u64,
) -> (Vec<u32>, f64) {
    let n0 = base.len();
    let mut membership: Vec<u32> = (0..n0 as u32).collect();
    let mut initial = start;
    let mut owned: Option<WGraph<'static>> = None;
    for level in 0..params.max_levels.max(1) {
        let g: &WGraph<'_> = owned.as_ref().unwrap_or(base);
        let n = g.len();
        let seed = params.seed ^ (pass << 32) ^ level as u64;
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        let mut comm = initial.take().unwrap_or_else(|| (0..n as u32).collect());
        local_move(g, &mut comm, params, &order);
        let (refined, count) = refine(g, &comm, params.resolution, seed);
        if count as usize == n || level + 1 == params.max_levels.max(1) {
            // Every node of `g` stands for a connected set of base nodes (refined communities
            // are connected, level by level), and its arcs are base edges between those sets:
            // a community is connected in the base graph exactly when its nodes are connected
            // in `g`. So the split and the modularity are computed on `g`, often much smaller.
            let labels = split_disconnected(g, &comm);
            let q = quality(g, &labels, params.resolution);
            return (membership.par_iter().map(|&m| labels[m as usize]).collect(), q);
        }
        let mut coarse_start = vec![0u32; count as usize];
        for (v, &r) in refined.iter().enumerate() {
            coarse_start[r as usize] = comm[v];
        }
        initial = Some(dense_labels(&coarse_start).0);
        membership.par_iter_mut().for_each(|m| *m = refined[*m as usize]);
        owned = Some(aggregate(g, &refined, count));
    }
    let labels = split_disconnected(base, &membership);
    let q = quality(base, &labels, params.resolution);
    (labels, q)
}

/// Leiden's local moving: each node joins the neighbouring community of best modularity gain.
struct LocalMove<'g, 'a> {
    g: &'g WGraph<'a>,
    comm: Vec<u32>,
    totals: Vec<f64>,
    sizes: Vec<u32>,
    empty: Vec<u32>,
    resolution: f64,
}

/// The decision "move to a new, empty community".
const ISOLATE: u32 = u32::MAX;

impl MoveRule for LocalMove<'_, '_> {
    fn decide(&self, v: u32, acc: &mut Accumulator) -> Option<u32> {
        let g = self.g;
        let own = self.comm[v as usize];
        let k = g.strength[v as usize];
        acc.clear();
        acc.add_row(g, v, &self.comm);
        let scale = self.resolution * k / g.total;
        let mut best = own;
        let mut best_gain = acc.get(own) - scale * (self.totals[own as usize] - k);
        let touched = acc.touched();
        for &c in touched.iter().take(DISTANCE) {
            prefetch(&self.totals, c as usize);
        }
        for (i, &c) in touched.iter().enumerate() {
            if let Some(&ahead) = touched.get(i + DISTANCE) {
                prefetch(&self.totals, ahead as usize);
            }
            let gain = acc.get(c) - scale * self.totals[c as usize];
            if c != own && (gain > best_gain || (gain == best_gain && c < best)) {
                best = c;
                best_gain = gain;
            }
        }
        if best_gain < 0.0 && self.sizes[own as usize] > 1 {
            return Some(ISOLATE);
        }
        (best != own).then_some(best)
    }

    fn apply(&mut self, v: u32, target: u32) -> bool {
        let own = self.comm[v as usize];
        let target = if target == ISOLATE {
            if self.sizes[own as usize] <= 1 {
                return false;
            }
            match self.empty.pop() {
                Some(c) => c,
                None => return false,
            }
        } else if self.sizes[target as usize] == 0 {
            // The target emptied earlier in this batch (two singletons decided to join each
            // other); joining it would only swap places, so stay.
            return false;
        } else {
            target
        };
        let k = self.g.strength[v as usize];
        self.totals[own as usize] -= k;
        self.sizes[own as usize] -= 1;
        if self.sizes[own as usize] == 0 {
            self.empty.push(own);
        }
        self.totals[target as usize] += k;
        self.sizes[target as usize] += 1;
        self.comm[v as usize] = target;
        true
    }
}

fn local_move(g: &WGraph<'_>, comm: &mut Vec<u32>, params: &LeidenParams, order: &[u32]) {
    let n = g.len();
    let mut totals = vec![0.0; n];
    let mut sizes = vec![0u32; n];
    for (v, &c) in comm.iter().enumerate() {
        totals[c as usize] += g.strength[v];
        sizes[c as usize] += 1;
    }
    let empty = (0..n as u32).rev().filter(|&c| sizes[c as usize] == 0).collect();
    let mut rule = LocalMove {
        g,
        comm: std::mem::take(comm),
        totals,
        sizes,
        empty,
        resolution: params.resolution,
    };
    let pool = ScratchPool::new(|| Accumulator::new(n));
    let settled = (n as f64 * params.settled_fraction) as usize;
    run_rounds(g, order, params.max_rounds, settled, &mut rule, &pool);
    *comm = rule.comm;
}

/// Splits each community into its connected parts.
fn split_disconnected(g: &WGraph<'_>, labels: &[u32]) -> Vec<u32> {
    union_find(&g.offsets, &g.targets, |u, v| labels[u as usize] == labels[v as usize]).labels
}
