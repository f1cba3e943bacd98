//! Collapsing each refined community into one node: edge weights between communities are
//! summed, and edges inside a community become its self-loop weight. Coarse nodes are built in
//! parallel blocks, each with a per-thread dense accumulator.

use std::borrow::Cow;

use rayon::prelude::*;

use super::rounds::Accumulator;
use super::wgraph::WGraph;
use crate::parallel::{ScratchPool, block_count};

struct Block {
    lengths: Vec<u64>,
    targets: Vec<u32>,
    weights: Vec<f32>,
    loops: Vec<f64>,
}

pub(crate) fn aggregate(g: &WGraph<'_>, refined: &[u32], count: u32) -> WGraph<'static> {
    let count = count as usize;
    let mut starts = vec![0usize; count + 1];
    for &r in refined {
        starts[r as usize + 1] += 1;
    }
    for c in 0..count {
        starts[c + 1] += starts[c];
    }
    let mut fill = starts.clone();
    let mut members = vec![0u32; refined.len()];
    for (v, &r) in refined.iter().enumerate() {
        members[fill[r as usize]] = v as u32;
        fill[r as usize] += 1;
    }
    let pool = ScratchPool::new(|| Accumulator::new(count));
    let block = count.div_ceil(block_count() * 4).max(1);
    let blocks: Vec<Block> = (0..count.div_ceil(block))
        .into_par_iter()
        .map(|b| {
            let mut acc = pool.get();
            let range = b * block..((b + 1) * block).min(count);
            let mut out = Block {
                lengths: Vec::new(),
                targets: Vec::new(),
                weights: Vec::new(),
                loops: Vec::new(),
            };
            for r in range {
                acc.clear();
                let mut self_loop = 0.0;
                for &v in &members[starts[r]..starts[r + 1]] {
                    self_loop += g.loops[v as usize];
                    g.for_each(v, |u, w| {
                        let t = refined[u as usize];
                        if t as usize == r {
                            self_loop += w;
                        } else {
                            acc.add(t, w);
                        }
                    });
                }
                out.lengths.push(acc.touched().len() as u64);
                for &t in acc.touched() {
                    out.targets.push(t);
                    out.weights.push(acc.get(t) as f32);
                }
                out.loops.push(self_loop);
            }
            out
        })
        .collect();
    let mut offsets = Vec::with_capacity(count + 1);
    offsets.push(0u64);
    let edges: usize = blocks.iter().map(|b| b.targets.len()).sum();
    let mut targets = Vec::with_capacity(edges);
    let mut weights = Vec::with_capacity(edges);
    let mut loops = Vec::with_capacity(count);
    for b in blocks {
        for len in b.lengths {
            let last = offsets.last().copied().unwrap_or(0);
            offsets.push(last + len);
        }
        targets.extend_from_slice(&b.targets);
        weights.extend_from_slice(&b.weights);
        loops.extend_from_slice(&b.loops);
    }
    WGraph::new(Cow::Owned(offsets), Cow::Owned(targets), Some(Cow::Owned(weights)), loops)
}
