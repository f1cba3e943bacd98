//! Graph algorithms over a [`Csr`](crate::Csr) snapshot.
//!
//! They are written here rather than taken from a crate: petgraph's PageRank is quadratic and
//! the `graph` crate has no community detection, personalized PageRank or SALSA, and neither
//! parallelises over a compact CSR of hundreds of millions of edges.

pub mod calibrate;
pub mod community;
pub mod components;
pub mod linkpred;
pub mod pagerank;
pub mod ppr;
pub mod salsa;

use std::cmp::Ordering;

/// Sorts `(node, score)` pairs by descending score (ties by ascending node) and keeps the
/// first `limit` that `keep` accepts.
pub(crate) fn top_k(
    scores: impl IntoIterator<Item = (u32, f64)>,
    keep: impl Fn(u32) -> bool,
    limit: usize,
) -> Vec<(u32, f64)> {
    let mut ranked: Vec<(u32, f64)> =
        scores.into_iter().filter(|&(v, s)| s > 0.0 && keep(v)).collect();
    let order = |a: &(u32, f64), b: &(u32, f64)| {
        b.1.partial_cmp(&a.1).unwrap_or(Ordering::Equal).then(a.0.cmp(&b.0))
    };
    if ranked.len() > limit && limit > 0 {
        ranked.select_nth_unstable_by(limit - 1, order);
        ranked.truncate(limit);
    }
    ranked.truncate(limit);
    ranked.sort_unstable_by(order);
    ranked
}
