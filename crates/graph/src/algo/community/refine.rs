//! Leiden's refinement: inside each community, nodes start as singletons and merge greedily
//! into well-connected refined communities they have edges to, so each refined community is
//! connected. Communities are independent, so they are refined in parallel, each with its own
//! seeded order (deterministic for any thread count).
//!
//! The paper picks the merge at random with probability growing with the gain; this takes the
//! best gain (the θ → 0 limit), which keeps the guarantees and is simpler to make deterministic.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::wgraph::WGraph;

/// Returns the refined community of every node (numbered densely) and their count.
pub(crate) fn refine(g: &WGraph<'_>, comm: &[u32], resolution: f64, seed: u64) -> (Vec<u32>, u32) {
    let n = g.len();
    let communities = comm.iter().copied().max().map_or(0, |m| m as usize + 1);
    // Group nodes by community (counting sort), remembering each node's place in its group.
    let mut starts = vec![0usize; communities + 1];
    for &c in comm {
        starts[c as usize + 1] += 1;
    }
    for c in 0..communities {
        starts[c + 1] += starts[c];
    }
    let mut fill = starts.clone();
    let mut members = vec![0u32; n];
    let mut local = vec![0u32; n];
    for (v, &c) in comm.iter().enumerate() {
        let at = fill[c as usize];
        local[v] = (at - starts[c as usize]) as u32;
        members[at] = v as u32;
        fill[c as usize] += 1;
    }
    let labels: Vec<(Vec<u32>, u32)> = (0..communities)
        .into_par_iter()
        .map(|c| {
            let nodes = &members[starts[c]..starts[c + 1]];
            let context = Context { g, comm, local: &local, resolution };
            context.refine_one(
                c as u32,
                nodes,
                seed ^ (c as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            )
        })
        .collect();
    let mut refined = vec![0u32; n];
    let mut next = 0u32;
    for (c, (local_labels, count)) in labels.into_iter().enumerate() {
        for (i, &l) in local_labels.iter().enumerate() {
            refined[members[starts[c] + i] as usize] = next + l;
        }
        next += count;
    }
    (refined, next)
}

struct Context<'c, 'g> {
    g: &'c WGraph<'g>,
    comm: &'c [u32],
    local: &'c [u32],
    resolution: f64,
}

impl Context<'_, '_> {
    /// Refines one community; returns local labels `0..count` per member and `count`.
    fn refine_one(&self, c: u32, nodes: &[u32], seed: u64) -> (Vec<u32>, u32) {
        let len = nodes.len();
        if len <= 1 {
            return (vec![0; len], len as u32);
        }
        let g = self.g;
        let scale = self.resolution / g.total;
        let strength: Vec<f64> = nodes.iter().map(|&v| g.strength[v as usize]).collect();
        let community_total: f64 = strength.iter().sum();
        // Weight from each node to the rest of its community.
        let inside: Vec<f64> = nodes
            .iter()
            .map(|&v| {
                let mut w_in = 0.0;
                g.for_each(v, |u, w| {
                    if self.comm[u as usize] == c {
                        w_in += w;
                    }
                });
                w_in
            })
            .collect();
        let mut label: Vec<u32> = (0..len as u32).collect();
        let mut total = strength.clone();
        let mut external = inside.clone();
        let mut singleton = vec![true; len];
        let mut acc = vec![0.0; len];
        let mut touched: Vec<u32> = Vec::new();
        let mut order: Vec<u32> = (0..len as u32).collect();
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        for &i in &order {
            let i = i as usize;
            let k = strength[i];
            let connected =
                |ext: f64, tot: f64| ext >= scale * tot * (community_total - tot) - 1e-12;
            if !singleton[i] || !connected(inside[i], k) {
                continue;
            }
            for &t in &touched {
                acc[t as usize] = 0.0;
            }
            touched.clear();
            g.for_each(nodes[i], |u, w| {
                if self.comm[u as usize] == c {
                    let r = label[self.local[u as usize] as usize];
                    if acc[r as usize] == 0.0 {
                        touched.push(r);
                    }
                    acc[r as usize] += w;
                }
            });
            let own = label[i];
            let mut best = own;
            let mut best_gain = 0.0;
            for &r in &touched {
                let (ru, tot) = (r as usize, total[r as usize]);
                if r == own || !connected(external[ru], tot) {
                    continue;
                }
                let gain = acc[ru] - scale * k * tot;
                if gain > best_gain || (gain == best_gain && gain > 0.0 && r < best) {
                    best = r;
                    best_gain = gain;
                }
            }
            if best != own {
                let b = best as usize;
                external[b] += external[i] - 2.0 * acc[b];
                total[b] += k;
                total[i] = 0.0;
                label[i] = best;
                singleton[i] = false;
                singleton[b] = false;
            }
        }
        // Number the refined communities densely in member order.
        let mut dense = vec![u32::MAX; len];
        let mut count = 0;
        let labels = label
            .iter()
            .map(|&l| {
                if dense[l as usize] == u32::MAX {
                    dense[l as usize] = count;
                    count += 1;
                }
                dense[l as usize]
            })
            .collect();
        (labels, count)
    }
}
