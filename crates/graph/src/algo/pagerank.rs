//! Global PageRank by parallel power iteration over the in-adjacency (pull, so no atomics).
//!
//! Dangling nodes (no out-edges) spread their mass uniformly, so the vector stays a
//! probability distribution; iteration stops when the L1 change falls below the tolerance.

use rayon::prelude::*;

use crate::Csr;

/// PageRank parameters.
#[derive(Debug, Clone, Copy)]
pub struct PageRankParams {
    /// Probability of following an edge (1 − teleport probability).
    pub damping: f64,
    /// Stop when the L1 norm of the change between iterations falls below this.
    pub tolerance: f64,
    /// Upper bound on iterations.
    pub max_iterations: usize,
}

impl Default for PageRankParams {
    fn default() -> Self {
        Self { damping: 0.85, tolerance: 1e-8, max_iterations: 200 }
    }
}

/// PageRank scores and how the iteration ended.
#[derive(Debug, Clone)]
pub struct PageRank {
    /// One score per node, summing to 1.
    pub scores: Vec<f64>,
    /// Iterations run.
    pub iterations: usize,
    /// The L1 change of the last iteration.
    pub delta: f64,
}

/// Computes PageRank (edges followed by direction; an undirected graph walks both ways; weights,
/// when present, bias the walk).
pub fn pagerank(csr: &Csr, params: &PageRankParams) -> PageRank {
    let n = csr.node_count() as usize;
    if n == 0 {
        return PageRank { scores: Vec::new(), iterations: 0, delta: 0.0 };
    }
    let incoming = csr.incoming();
    let out = csr.out();
    let strength: Vec<f64> = (0..n as u32).into_par_iter().map(|u| out.strength(u)).collect();
    let d = params.damping;
    let mut rank = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    let mut contrib = vec![0.0; n];
    let mut iterations = 0;
    let mut delta = f64::INFINITY;
    while iterations < params.max_iterations && delta >= params.tolerance {
        let dangling: f64 = contrib
            .par_iter_mut()
            .with_min_len(4096)
            .enumerate()
            .map(|(u, c)| {
                if strength[u] > 0.0 {
                    *c = rank[u] / strength[u];
                    0.0
                } else {
                    *c = 0.0;
                    rank[u]
                }
            })
            .sum();
        let base = (1.0 - d) / n as f64 + d * dangling / n as f64;
        delta = next
            .par_iter_mut()
            .with_min_len(4096)
            .enumerate()
            .map(|(v, x)| {
                let row = incoming.row(v as u32);
                let sum: f64 = match incoming.row_weights(v as u32) {
                    Some(ws) => row
                        .iter()
                        .zip(ws.iter())
                        .map(|(&u, w)| contrib[u as usize] * f64::from(w))
                        .sum(),
                    None => row.iter().map(|&u| contrib[u as usize]).sum(),
                };
                *x = base + d * sum;
                (*x - rank[v]).abs()
            })
            .sum();
        std::mem::swap(&mut rank, &mut next);
        iterations += 1;
    }
    PageRank { scores: rank, iterations, delta }
}
