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

/// How far the two-hop expansion of [`two_hop`] may go.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TwoHopLimits {
    /// Middle nodes with more out-neighbours than this are skipped.
    pub(crate) max_fanout: usize,
    /// The most (middle, candidate) entries expanded in total.
    pub(crate) budget: usize,
}

impl TwoHopLimits {
    /// No limit: the exact scores of the baselines.
    const EXACT: Self = Self { max_fanout: usize::MAX, budget: usize::MAX };
}

/// Scores every two-hop node `v` by the sum of `weight(|N(w)|)` over shared neighbours `w`
/// (`N` scores at once, so one expansion serves several weightings).
///
/// Middle nodes are expanded from the smallest neighbourhood up, and the expansion stops before
/// the middle node whose neighbourhood would take it past `limits.budget` entries (and skips
/// any with more than `limits.max_fanout` out-neighbours). The skipped middle nodes are the
/// largest ones, so for a weight that falls with the degree (Adamic-Adar's `1 / ln d`) each
/// contributed least to any one candidate: a candidate's score is low by at most
/// `s · weight(D)`, where `s` counts its skipped shared neighbours and `D` is the smallest
/// skipped neighbourhood. The work, and the size of the map, is at most the budget plus one
/// neighbourhood, however big the hubs next to the user are.
fn two_hop<const N: usize>(
    csr: &Csr,
    user: u32,
    limits: TwoHopLimits,
    weight: impl Fn(usize) -> [f64; N],
) -> FxMap<u32, [f64; N]> {
    // Out- plus in-degree bounds the neighbourhood from above without merging the rows.
    let size_bound = |w: u32| {
        csr.out_degree(w)
            + if csr.is_directed() { csr.in_neighbors(w).map_or(0, <[u32]>::len) } else { 0 }
    };
    let mut middles: Vec<(usize, u32)> = Vec::new();
    for_each_neighbor(csr, user, |w| {
        if csr.out_degree(w) <= limits.max_fanout {
            middles.push((size_bound(w), w));
        }
    });
    middles.sort_unstable();
    let expected: usize = middles.iter().map(|m| m.0).sum::<usize>().min(limits.budget);
    let mut scores: FxMap<u32, [f64; N]> = FxMap::default();
    scores.reserve(expected.min(1 << 20));
    let mut middle = Vec::new();
    let mut spent = 0usize;
    for &(bound, w) in &middles {
        if spent.saturating_add(bound) > limits.budget {
            break;
        }
        middle.clear();
        for_each_neighbor(csr, w, |v| middle.push(v));
        spent += middle.len();
        let share = weight(middle.len());
        for &v in &middle {
            let score = scores.entry(v).or_insert([0.0; N]);
            score.iter_mut().zip(share).for_each(|(s, w)| *s += w);
        }
    }
    scores
}

fn rank(csr: &Csr, user: u32, scores: FxMap<u32, [f64; 1]>, limit: usize) -> Vec<(u32, f64)> {
    let followed = csr.out_neighbors(user);
    top_k(
        scores.into_iter().map(|(v, [s])| (v, s)),
        |v| v != user && followed.binary_search(&v).is_err(),
        limit,
    )
}

fn adamic_adar_weight(degree: usize) -> f64 {
    if degree > 1 { 1.0 / (degree as f64).ln() } else { 0.0 }
}

/// Adamic-Adar scores of the two-hop nodes of `user` (unfiltered), within `limits` (see
/// [`two_hop`] for what is skipped and the bound on the error).
fn adamic_adar_scores(csr: &Csr, user: u32, limits: TwoHopLimits) -> FxMap<u32, [f64; 1]> {
    two_hop(csr, user, limits, |d| [adamic_adar_weight(d)])
}

/// Adamic-Adar and resource-allocation scores (shared neighbours weighted by `1 / ln degree`
/// and by `1 / degree`) of the two-hop nodes of `user` (unfiltered), from one expansion within
/// `limits` (see [`two_hop`] for what is skipped and the bound on the error).
pub(crate) fn local_scores(csr: &Csr, user: u32, limits: TwoHopLimits) -> FxMap<u32, [f64; 2]> {
    two_hop(csr, user, limits, |d| [adamic_adar_weight(d), 1.0 / d as f64])
}

/// Ranks non-followed nodes by the number of neighbours they share with `user`.
pub fn common_neighbors(csr: &Csr, user: u32, limit: usize) -> Vec<(u32, f64)> {
    rank(csr, user, two_hop(csr, user, TwoHopLimits::EXACT, |_| [1.0]), limit)
}

/// Ranks non-followed nodes by Adamic-Adar: shared neighbours weighted by `1 / ln(degree)`.
pub fn adamic_adar(csr: &Csr, user: u32, limit: usize) -> Vec<(u32, f64)> {
    rank(csr, user, adamic_adar_scores(csr, user, TwoHopLimits::EXACT), limit)
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::{BuildOptions, EdgeList};

    fn graph(n: u32, edges: &[(u32, u32)], directed: bool) -> Csr {
        let list = EdgeList::new(n, edges.iter().map(|&(u, v)| [u, v]).collect());
        Csr::build(&list, &BuildOptions { directed, ..BuildOptions::default() })
    }

    fn budgeted(csr: &Csr, budget: usize) -> FxMap<u32, f64> {
        let limits = TwoHopLimits { max_fanout: usize::MAX, budget };
        local_scores(csr, 0, limits).into_iter().map(|(v, [aa, _])| (v, aa)).collect()
    }

    #[test]
    fn the_budget_skips_the_biggest_middle_node() {
        // Node 0 knows 1 (neighbours 0, 10) and 2 (neighbours 0, 10, 11, and hub-like 20..40).
        let mut edges = vec![(0, 1), (0, 2), (1, 10), (2, 10), (2, 11)];
        edges.extend((20..40).map(|v| (2, v)));
        let csr = graph(40, &edges, false);
        let exact = budgeted(&csr, usize::MAX);
        let cut = budgeted(&csr, 5);
        // Node 1's two neighbours fit the budget; node 2's 23 do not.
        assert_eq!(cut.len(), 2);
        assert!((cut[&10] - 1.0 / 2f64.ln()).abs() < 1e-12);
        let skipped = 1.0 / 23f64.ln();
        assert!((exact[&10] - cut[&10] - skipped).abs() < 1e-12);
        assert!(!cut.contains_key(&11) && exact.contains_key(&11));
    }

    proptest! {
        #[test]
        fn a_budget_only_lowers_scores(
            (n, edges) in (2u32..30).prop_flat_map(|n| {
                (Just(n), proptest::collection::vec((0..n, 0..n), 0..120))
            }),
            directed in any::<bool>(),
            budget in 0usize..2000,
        ) {
            let csr = graph(n, &edges, directed);
            let exact = budgeted(&csr, usize::MAX);
            let cut = budgeted(&csr, budget);
            for (v, s) in &cut {
                prop_assert!(*s <= exact[v] + 1e-9);
            }
            // Each of at most `n` middle nodes has at most `2n` neighbours.
            if budget >= 2 * (n * n) as usize {
                prop_assert_eq!(cut.len(), exact.len());
            }
        }
    }
}
