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

use super::prefetch::{DISTANCE, prefetch};
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
    // Each node's community and its index among the members, side by side: one random read
    // per arc instead of two.
    let mut place = vec![[0u32; 2]; n];
    for (v, &c) in comm.iter().enumerate() {
        let at = fill[c as usize];
        place[v] = [c, (at - starts[c as usize]) as u32];
        members[at] = v as u32;
        fill[c as usize] += 1;
    }
    let labels: Vec<(Vec<u32>, u32)> = (0..communities)
        .into_par_iter()
        .map(|c| {
            let nodes = &members[starts[c]..starts[c + 1]];
            let context = Context { g, place: &place, resolution };
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
    /// `[community, index among its members]` of every node.
    place: &'c [[u32; 2]],
    resolution: f64,
}

impl Context<'_, '_> {
    /// Fills `row` with `(index among the members, weight)` of `v`'s neighbours in community
    /// `c`, looking their places up a few arcs ahead.
    fn gather(&self, v: u32, c: u32, row: &mut Vec<(u32, f64)>) {
        let targets = self.g.row(v);
        row.clear();
        for &u in targets.iter().take(DISTANCE) {
            prefetch(self.place, u as usize);
        }
        let mut push = |i: usize, u: u32, w: f64| {
            if let Some(&ahead) = targets.get(i + DISTANCE) {
                prefetch(self.place, ahead as usize);
            }
            let [community, index] = self.place[u as usize];
            if community == c {
                row.push((index, w));
            }
        };
        match self.g.row_weights(v) {
            Some(ws) => {
                for (i, (&u, &w)) in targets.iter().zip(ws).enumerate() {
                    push(i, u, f64::from(w));
                }
            }
            None => {
                for (i, &u) in targets.iter().enumerate() {
                    push(i, u, 1.0);
                }
            }
        }
    }

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
        let mut row = Vec::new();
        let inside: Vec<f64> = (0..len)
            .map(|i| {
                if let Some(&next) = nodes.get(i + 1) {
                    prefetch(&g.targets, g.offsets[next as usize] as usize);
                }
                self.gather(nodes[i], c, &mut row);
                row.iter().map(|&(_, w)| w).sum()
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
        for (at, &i) in order.iter().enumerate() {
            if let Some(&next) = order.get(at + 1) {
                prefetch(&g.targets, g.offsets[nodes[next as usize] as usize] as usize);
            }
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
            self.gather(nodes[i], c, &mut row);
            for &(j, w) in &row {
                let r = label[j as usize];
                if acc[r as usize] == 0.0 {
                    touched.push(r);
                }
                acc[r as usize] += w;
            }
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
