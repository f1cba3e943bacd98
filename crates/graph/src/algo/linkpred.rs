//! Link-prediction baselines: common neighbours and Adamic-Adar (Liben-Nowell and Kleinberg,
//! 2007), scoring the user's two-hop neighbourhood.
//!
//! The neighbourhood of a node is its out- and in-neighbours together (for an undirected graph,
//! its neighbours), as is usual for these scores on directed graphs.

use super::top_k;
use crate::Csr;
use crate::hash::FxMap;

/// Calls `f` on each member of the sorted union of the out- and in-neighbours of `u`.
fn for_each_neighbor(csr: &Csr, u: u32, mut f: impl FnMut(u32)) {
    let out = csr.out_neighbors(u);
    let inc = if csr.is_directed() { csr.in_neighbors(u).unwrap_or(&[]) } else { &[] };
    let (mut i, mut j) = (0, 0);
    while i < out.len() || j < inc.len() {
        let next = match (out.get(i), inc.get(j)) {
            (Some(&a), Some(&b)) if a == b => {
                i += 1;
                j += 1;
                a
            }
            (Some(&a), Some(&b)) if a < b => {
                i += 1;
                a
            }
            (Some(&a), None) => {
                i += 1;
                a
            }
            (_, Some(&b)) => {
                j += 1;
                b
            }
            (None, None) => break,
        };
        f(next);
    }
}

fn neighborhood_size(csr: &Csr, u: u32) -> usize {
    let mut n = 0;
    for_each_neighbor(csr, u, |_| n += 1);
    n
}

/// Scores every two-hop node `v` by the sum of `weight(|N(w)|)` over shared neighbours `w`,
/// skipping middle nodes with more than `max_fanout` neighbours.
fn two_hop(
    csr: &Csr,
    user: u32,
    max_fanout: usize,
    weight: impl Fn(usize) -> f64,
) -> FxMap<u32, f64> {
    let mut scores: FxMap<u32, f64> = FxMap::default();
    let mut middle = Vec::new();
    for_each_neighbor(csr, user, |w| {
        middle.clear();
        if csr.out_degree(w) > max_fanout {
            return;
        }
        for_each_neighbor(csr, w, |v| middle.push(v));
        let share = weight(middle.len());
        for &v in &middle {
            *scores.entry(v).or_insert(0.0) += share;
        }
    });
    scores
}

fn rank(csr: &Csr, user: u32, scores: FxMap<u32, f64>, limit: usize) -> Vec<(u32, f64)> {
    let followed = csr.out_neighbors(user);
    top_k(scores, |v| v != user && followed.binary_search(&v).is_err(), limit)
}

fn adamic_adar_weight(degree: usize) -> f64 {
    if degree > 1 { 1.0 / (degree as f64).ln() } else { 0.0 }
}

/// Adamic-Adar scores of every two-hop node of `user` (unfiltered), skipping middle nodes
/// with more than `max_fanout` out-neighbours.
pub(crate) fn adamic_adar_scores(csr: &Csr, user: u32, max_fanout: usize) -> FxMap<u32, f64> {
    two_hop(csr, user, max_fanout, adamic_adar_weight)
}

/// Ranks non-followed nodes by the number of neighbours they share with `user`.
pub fn common_neighbors(csr: &Csr, user: u32, limit: usize) -> Vec<(u32, f64)> {
    rank(csr, user, two_hop(csr, user, usize::MAX, |_| 1.0), limit)
}

/// Ranks non-followed nodes by Adamic-Adar: shared neighbours weighted by `1 / ln(degree)`.
pub fn adamic_adar(csr: &Csr, user: u32, limit: usize) -> Vec<(u32, f64)> {
    rank(csr, user, adamic_adar_scores(csr, user, usize::MAX), limit)
}

/// The Adamic-Adar score of one pair (for explanations and tests).
pub fn adamic_adar_pair(csr: &Csr, u: u32, v: u32) -> f64 {
    let mut mine = Vec::new();
    for_each_neighbor(csr, u, |x| mine.push(x));
    let mut score = 0.0;
    for_each_neighbor(csr, v, |x| {
        if mine.binary_search(&x).is_ok() {
            score += adamic_adar_weight(neighborhood_size(csr, x));
        }
    });
    score
}
