//! The crate's one integration-test binary: input parsing, CSR invariants, algorithm properties,
//! generators and evaluation metrics; the real-data suite is behind the `real-data` feature.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail loudly on broken setup"
)]

mod algorithms;
mod csr;
mod eval;
mod io;
mod jobs;
#[cfg(feature = "real-data")]
mod real_data;

use rapport_graph::{BuildOptions, Csr, EdgeList};

/// Builds a CSR from `(u, v)` pairs over `n` nodes.
pub(crate) fn graph(n: u32, edges: &[(u32, u32)], directed: bool) -> Csr {
    let list = EdgeList::new(n, edges.iter().map(|&(u, v)| [u, v]).collect());
    Csr::build(&list, &BuildOptions { directed, ..BuildOptions::default() })
}

/// Runs `f` on a rayon pool with `threads` threads.
pub(crate) fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool").install(f)
}

/// Strategy: a node count and a list of edges among those nodes.
pub(crate) fn edge_lists() -> impl proptest::strategy::Strategy<Value = (u32, Vec<(u32, u32)>)> {
    use proptest::prelude::*;
    (1u32..40).prop_flat_map(|n| (Just(n), proptest::collection::vec((0..n, 0..n), 0..160)))
}

/// PageRank by plain power iteration on the exact `f32` weights of `arcs` (distinct, no loops):
/// the reference for the one-byte weights the CSR stores.
pub(crate) fn reference_pagerank(n: usize, arcs: &[(u32, u32, f32)], damping: f64) -> Vec<f64> {
    let mut strength = vec![0.0f64; n];
    for &(u, _, w) in arcs {
        strength[u as usize] += f64::from(w);
    }
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..200 {
        let dangling: f64 = (0..n).filter(|&u| strength[u] == 0.0).map(|u| rank[u]).sum();
        let mut next = vec![(1.0 - damping) / n as f64 + damping * dangling / n as f64; n];
        for &(u, v, w) in arcs {
            next[v as usize] += damping * rank[u as usize] * f64::from(w) / strength[u as usize];
        }
        rank = next;
    }
    rank
}
