//! Link-prediction baselines: common neighbours and Adamic-Adar (Liben-Nowell and Kleinberg,
//! 2007), scoring the user's two-hop neighbourhood.
//!
//! The neighbourhood of a node is its out- and in-neighbours together (for an undirected graph,
//! its neighbours), as is usual for these scores on directed graphs.

use super::top_k;
use crate::hash::FxMap;
use crate::{Csr, GraphView};

/// Calls `f` on each member of the sorted union of the out- and in-neighbours of `u`.
fn for_each_neighbor<G: GraphView + ?Sized>(csr: &G, u: u32, mut f: impl FnMut(u32)) {
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

/// Out- plus in-degree: it bounds the neighbourhood of `w` from above without merging the rows.
fn size_bound<G: GraphView + ?Sized>(csr: &G, w: u32) -> usize {
    csr.out_degree(w) + if csr.is_directed() { csr.in_degree(w) } else { 0 }
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
fn two_hop<G: GraphView + ?Sized, const N: usize>(
    csr: &G,
    user: u32,
    limits: TwoHopLimits,
    weight: impl Fn(usize) -> [f64; N],
) -> FxMap<u32, [f64; N]> {
    let mut middles: Vec<(usize, u32)> = Vec::new();
    for_each_neighbor(csr, user, |w| {
        if csr.out_degree(w) <= limits.max_fanout {
            middles.push((size_bound(csr, w), w));
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

/// Weight of the three-step paths in the local path index. Lü, Jin and Zhou (2009) found values
/// of 0.01 down to 0.001 best on sparse networks: small enough that shared neighbours still come
/// first, the three-step paths breaking their ties and reaching nodes three steps away.
const LOCAL_PATH_EPSILON: f64 = 0.01;

/// How many two-hop nodes the third hop of [`local_scores`] expands at most: those holding the
/// most resource after two steps, which pass on the most. Finding them takes one pass over the
/// two-hop scores, where ordering all of them by their share per neighbour would look up the
/// degree of each (up to a `budget` of them, scattered over the graph). On R-MAT 200M this took
/// the 99th percentile of a query from 25 to 43 ms (ordering all of them) down to 20 ms, and
/// `rapport eval discover` still beats every baseline (see BENCHMARKS.md).
const THIRD_HOP_SOURCES: usize = 1_000;

/// The local scores of the nodes within three steps of `user` (unfiltered), in this order:
///
/// - Adamic-Adar: shared neighbours weighted by `1 / ln degree`;
/// - resource allocation: shared neighbours weighted by `1 / degree` (Zhou, Lü and Zhang 2009);
/// - three-step resource allocation: the resource sent along every path `user, a, b, v`, that
///   is the sum of `1 / (degree(a) · degree(b))`; it reaches past the shared neighbours, which
///   matters on sparse, low-clustering graphs where many new ties close no triangle;
/// - the local path index `A² + ε A³` (Lü, Jin and Zhou 2009): shared neighbours plus `ε` times
///   the paths of three steps.
///
/// The first and second hops are those of [`two_hop`] within `limits`. The third hop expands the
/// [`THIRD_HOP_SOURCES`] two-hop nodes holding the most resource, most first, skipping any with
/// more than `limits.max_fanout` out-neighbours and any whose neighbourhood would take it past
/// another `limits.budget` entries, so a query next to hubs stays bounded; paths through the
/// others are left out. On a directed graph paths follow edges both ways, so someone who
/// follows the user is reached (through the user's other ties) and can be recommended back.
pub(crate) fn local_scores<G: GraphView + ?Sized>(
    csr: &G,
    user: u32,
    limits: TwoHopLimits,
) -> FxMap<u32, [f64; 4]> {
    // The third slot starts empty and the fourth counts the shared neighbours.
    let mut scores =
        two_hop(csr, user, limits, |d| [adamic_adar_weight(d), 1.0 / d as f64, 0.0, 1.0]);
    let mut sources: Vec<(f64, u32, f64)> = scores.iter().map(|(&b, s)| (s[1], b, s[3])).collect();
    let order = |x: &(f64, u32, f64), y: &(f64, u32, f64)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
    if sources.len() > THIRD_HOP_SOURCES {
        sources.select_nth_unstable_by(THIRD_HOP_SOURCES - 1, order);
        sources.truncate(THIRD_HOP_SOURCES);
    }
    sources.sort_unstable_by(order);
    let mut row = Vec::new();
    let mut spent = 0usize;
    for (resource, b, common) in sources {
        if csr.out_degree(b) > limits.max_fanout
            || spent.saturating_add(size_bound(csr, b)) > limits.budget
        {
            continue;
        }
        row.clear();
        for_each_neighbor(csr, b, |x| row.push(x));
        spent += row.len();
        let share = resource / row.len().max(1) as f64;
        for &x in &row {
            let score = scores.entry(x).or_insert([0.0; 4]);
            score[2] += share;
            score[3] += LOCAL_PATH_EPSILON * common;
        }
    }
    scores
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
        // Nodes three steps away have no Adamic-Adar score; they are the third hop's.
        local_scores(csr, 0, limits)
            .into_iter()
            .filter(|s| s.1[0] > 0.0)
            .map(|(v, [aa, ..])| (v, aa))
            .collect()
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

    /// The four local scores of every node reached from `u`, by enumerating every path.
    fn brute_force(csr: &Csr, u: u32) -> FxMap<u32, [f64; 4]> {
        let around = |x: u32| {
            let mut n = Vec::new();
            for_each_neighbor(csr, x, |y| n.push(y));
            n
        };
        let mut scores: FxMap<u32, [f64; 4]> = FxMap::default();
        for a in around(u) {
            let da = around(a).len() as f64;
            for b in around(a) {
                let s = scores.entry(b).or_insert([0.0; 4]);
                s[0] += adamic_adar_weight(da as usize);
                s[1] += 1.0 / da;
                s[3] += 1.0;
                let db = around(b).len() as f64;
                for x in around(b) {
                    let s = scores.entry(x).or_insert([0.0; 4]);
                    s[2] += 1.0 / (da * db);
                    s[3] += LOCAL_PATH_EPSILON;
                }
            }
        }
        scores
    }

    fn close(a: [f64; 4], b: [f64; 4]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + x.abs()))
    }

    #[test]
    fn a_node_on_more_three_step_paths_scores_higher() {
        // From 0, paths of three steps reach 5 twice (0-1-3-5, 0-2-4-5) and 6 once (0-1-3-6),
        // through middle nodes of equal degrees; neither shares a neighbour with 0.
        let csr = graph(7, &[(0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 5), (3, 6)], false);
        let scores = local_scores(&csr, 0, TwoHopLimits::EXACT);
        let (five, six) = (scores[&5], scores[&6]);
        assert!(five[0] == 0.0 && six[0] == 0.0);
        assert!(five[2] > six[2] && five[3] > six[3], "{five:?} {six:?}");
        assert!((five[3] - 2.0 * LOCAL_PATH_EPSILON).abs() < 1e-12);
    }

    proptest! {
        #[test]
        fn local_scores_count_every_path_when_unbounded(
            (n, edges) in (2u32..25).prop_flat_map(|n| {
                (Just(n), proptest::collection::vec((0..n, 0..n), 0..80))
            }),
            directed in any::<bool>(),
        ) {
            let csr = graph(n, &edges, directed);
            let scores = local_scores(&csr, 0, TwoHopLimits::EXACT);
            let expected = brute_force(&csr, 0);
            prop_assert_eq!(scores.len(), expected.len());
            for (v, s) in &expected {
                prop_assert!(close(scores[v], *s), "{} {:?} {:?}", v, scores[v], s);
            }
        }

        #[test]
        fn local_scores_are_symmetric_on_undirected_graphs(
            (n, edges) in (2u32..25).prop_flat_map(|n| {
                (Just(n), proptest::collection::vec((0..n, 0..n), 0..80))
            }),
        ) {
            let csr = graph(n, &edges, false);
            let from: Vec<FxMap<u32, [f64; 4]>> =
                (0..n).map(|u| local_scores(&csr, u, TwoHopLimits::EXACT)).collect();
            for u in 0..n {
                for (v, s) in &from[u as usize] {
                    let back = from[*v as usize].get(&u).copied().unwrap_or([0.0; 4]);
                    prop_assert!(close(*s, back), "{} {} {:?} {:?}", u, v, s, back);
                }
            }
        }

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
