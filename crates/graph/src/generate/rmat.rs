//! R-MAT (Chakrabarti, Zhan and Faloutsos, 2004) with the Graph500 parameters
//! `a = 0.57, b = 0.19, c = 0.19` and edge factor 16, followed by a seeded random relabelling of
//! the vertices (as Graph500 does) so that ids carry no locality.

use rand::seq::SliceRandom;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::EdgeList;

/// R-MAT parameters.
#[derive(Debug, Clone, Copy)]
pub struct RmatParams {
    /// The graph has `2^scale` vertex slots (some stay isolated).
    pub scale: u32,
    /// Edges to draw (before removing self-loops and duplicates).
    pub edges: u64,
    /// Probability of the top-left quadrant.
    pub a: f64,
    /// Probability of the top-right quadrant.
    pub b: f64,
    /// Probability of the bottom-left quadrant.
    pub c: f64,
    /// Random seed.
    pub seed: u64,
}

impl RmatParams {
    /// Graph500 parameters: `2^scale` vertices and `16 · 2^scale` edges.
    pub fn graph500(scale: u32, seed: u64) -> Self {
        Self { scale, edges: 16 << scale, a: 0.57, b: 0.19, c: 0.19, seed }
    }
}

const CHUNK: u64 = 1 << 20;

fn chunk_rng(seed: u64, chunk: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ chunk.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Draws an R-MAT edge list (directed arcs, possibly with self-loops and duplicates).
pub fn rmat(params: &RmatParams) -> EdgeList {
    let scale = params.scale.min(31);
    // Quadrant thresholds on a 16-bit draw: four decisions come out of each 64-bit number.
    let t1 = (params.a * 65536.0) as u32;
    let t2 = ((params.a + params.b) * 65536.0) as u32;
    let t3 = ((params.a + params.b + params.c) * 65536.0) as u32;
    let chunks = params.edges.div_ceil(CHUNK);
    let edges: Vec<[u32; 2]> = (0..chunks)
        .into_par_iter()
        .flat_map_iter(|chunk| {
            let mut rng = chunk_rng(params.seed, chunk);
            let count = CHUNK.min(params.edges - chunk * CHUNK);
            (0..count).map(move |_| {
                let (mut u, mut v) = (0u32, 0u32);
                let mut bits = 0u64;
                for level in 0..scale {
                    if level % 4 == 0 {
                        bits = rng.next_u64();
                    }
                    let draw = (bits & 0xffff) as u32;
                    bits >>= 16;
                    let (du, dv) = if draw < t1 {
                        (0, 0)
                    } else if draw < t2 {
                        (0, 1)
                    } else if draw < t3 {
                        (1, 0)
                    } else {
                        (1, 1)
                    };
                    u = (u << 1) | du;
                    v = (v << 1) | dv;
                }
                [u, v]
            })
        })
        .collect();
    let mut permutation: Vec<u32> = (0..1u32 << scale).collect();
    permutation.shuffle(&mut chunk_rng(params.seed, u64::MAX - 1));
    let edges = edges
        .into_par_iter()
        .map(|[u, v]| [permutation[u as usize], permutation[v as usize]])
        .collect();
    EdgeList::new(1 << scale, edges)
}

/// Turns an edge list into a simple undirected one: each edge once as `u < v`, sorted, without
/// self-loops or duplicates (so every tool in a benchmark reads the same graph).
pub fn simplify_undirected(list: EdgeList) -> EdgeList {
    let mut packed: Vec<u64> = list
        .edges
        .par_iter()
        .filter(|e| e[0] != e[1])
        .map(|&[u, v]| (u64::from(u.min(v)) << 32) | u64::from(u.max(v)))
        .collect();
    let ids = list.ids;
    drop(list.edges);
    packed.par_sort_unstable();
    packed.dedup();
    let edges = packed.into_par_iter().map(|p| [(p >> 32) as u32, p as u32]).collect();
    EdgeList::with_ids(edges, None, ids)
}
