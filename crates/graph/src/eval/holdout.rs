//! Held-out edges for link prediction: hide a share of the out-edges of a seeded sample of
//! users, and score a ranking by how many of them it finds again and how early.
//!
//! Both `rapport eval discover` and the graph-level blend calibration
//! ([`crate::algo::calibrate`]) use it, so the calibration optimises the figures the evaluation
//! reports.

use rand::SeedableRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand_chacha::ChaCha8Rng;

use crate::Csr;
use crate::hash::FxMap;

/// Which users are sampled and how many of their edges are hidden.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    /// Users sampled.
    pub(crate) users: usize,
    /// Share of each sampled user's out-edges hidden (at least one, and one is always kept).
    pub(crate) hide_fraction: f64,
    /// Only users with at least this many out-edges (and at least two) are sampled.
    pub(crate) min_degree: usize,
    /// Seed of the sample and of the hidden edges.
    pub(crate) seed: u64,
}

/// A graph with some edges hidden.
#[derive(Debug)]
pub(crate) struct HeldOut {
    /// The graph without the hidden edges.
    pub(crate) train: Csr,
    /// The sampled users, ascending.
    pub(crate) users: Vec<u32>,
    /// Each sampled user's hidden out-neighbours, sorted.
    pub(crate) hidden: FxMap<u32, Vec<u32>>,
    /// Distinct edges hidden (an undirected edge hidden from both ends counts once).
    pub(crate) edges: usize,
}

/// Hides edges of a seeded sample of the users of `full`.
pub(crate) fn hold_out(full: &Csr, sample: &Sample) -> HeldOut {
    let mut rng = ChaCha8Rng::seed_from_u64(sample.seed);
    let mut users: Vec<u32> = (0..full.node_count())
        .filter(|&u| full.out_degree(u) >= sample.min_degree.max(2))
        .collect();
    users.shuffle(&mut rng);
    users.truncate(sample.users);
    users.sort_unstable();
    let mut hidden: FxMap<u32, Vec<u32>> = FxMap::default();
    for &u in &users {
        let row = full.out_neighbors(u);
        let count =
            ((row.len() as f64 * sample.hide_fraction).ceil() as usize).clamp(1, row.len() - 1);
        let mut picked: Vec<u32> = row.choose_multiple(&mut rng, count).copied().collect();
        picked.sort_unstable();
        hidden.insert(u, picked);
    }
    let directed = full.is_directed();
    let key = |u: u32, v: u32| if directed { (u, v) } else { (u.min(v), u.max(v)) };
    let removed: FxMap<(u32, u32), ()> =
        hidden.iter().flat_map(|(&u, vs)| vs.iter().map(move |&v| (key(u, v), ()))).collect();
    let train = full.without_edges(|u, v| removed.contains_key(&key(u, v)));
    HeldOut { train, users, hidden, edges: removed.len() }
}

/// The share of `truth` (sorted) in the first 10 and first 20 of `ranking`, and the reciprocal
/// rank of the first one found (0 if none is).
pub(crate) fn ranking_metrics(ranking: &[(u32, f64)], truth: &[u32]) -> [f64; 3] {
    let found = |v: &u32| truth.binary_search(v).is_ok();
    let hit = |k: usize| {
        ranking.iter().take(k).filter(|(v, _)| found(v)).count() as f64 / truth.len().max(1) as f64
    };
    let first = ranking.iter().position(|(v, _)| found(v));
    [hit(10), hit(20), first.map_or(0.0, |r| 1.0 / (r + 1) as f64)]
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::{BuildOptions, EdgeList};

    #[test]
    fn metrics_count_hits_at_10_and_20_and_the_first_rank() {
        let ranking: Vec<(u32, f64)> = (0..30).map(|v| (v, 1.0)).collect();
        let check = |truth: &[u32], expect: [f64; 3]| {
            assert_eq!(ranking_metrics(&ranking, truth), expect, "{truth:?}");
        };
        check(&[3, 15], [0.5, 1.0, 0.25]);
        check(&[25, 40], [0.0, 0.0, 1.0 / 26.0]);
        check(&[40], [0.0, 0.0, 0.0]);
    }

    proptest! {
        #[test]
        fn hiding_edges_matches_rebuilding_without_them(
            (n, edges) in (2u32..25).prop_flat_map(|n| {
                (Just(n), proptest::collection::vec((0..n, 0..n), 0..100))
            }),
            directed in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let list = EdgeList::new(n, edges.iter().map(|&(u, v)| [u, v]).collect());
            let options = BuildOptions { directed, ..BuildOptions::default() };
            let full = Csr::build(&list, &options);
            let sample = Sample { users: 5, hide_fraction: 0.3, min_degree: 2, seed };
            let held = hold_out(&full, &sample);
            let hidden = |u: u32, v: u32| {
                let hides = |a: u32, b: u32| held.hidden.get(&a).is_some_and(|h| h.contains(&b));
                hides(u, v) || (!directed && hides(v, u))
            };
            let rebuilt = Csr::build(&list.retain(|_, [u, v]| !hidden(u, v)), &options);
            for u in 0..n {
                prop_assert_eq!(held.train.out_neighbors(u), rebuilt.out_neighbors(u));
                prop_assert_eq!(held.train.in_neighbors(u), rebuilt.in_neighbors(u));
            }
            for (u, vs) in &held.hidden {
                prop_assert!(!vs.is_empty() && vs.len() < full.out_degree(*u));
            }
        }
    }
}
