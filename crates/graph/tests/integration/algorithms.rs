//! Properties of the algorithms on random graphs, each checked against a simple reference.

use std::collections::VecDeque;

use proptest::prelude::*;
use rapport_graph::algo::community::{
    Communities, LabelPropagationParams, LeidenParams, label_propagation, leiden, modularity,
};
use rapport_graph::algo::components::connected_components;
use rapport_graph::algo::linkpred::{adamic_adar, adamic_adar_pair, common_neighbors};
use rapport_graph::algo::pagerank::{PageRankParams, pagerank};
use rapport_graph::algo::ppr::{PprParams, personalized_pagerank};
use rapport_graph::algo::salsa::{CircleParams, who_to_follow};
use rapport_graph::{BuildOptions, Csr, EdgeList};

use crate::{edge_lists, graph, reference_pagerank, with_threads};

/// Neighbours ignoring direction.
fn undirected_neighbors(csr: &Csr, u: u32) -> Vec<u32> {
    let mut all: Vec<u32> = csr.out_neighbors(u).to_vec();
    all.extend_from_slice(csr.in_neighbors(u).unwrap());
    all
}

/// Components by breadth-first search, restricted to nodes where `inside` holds.
fn bfs_components(csr: &Csr, inside: impl Fn(u32, u32) -> bool) -> Vec<u32> {
    let n = csr.node_count();
    let mut label = vec![u32::MAX; n as usize];
    let mut next = 0;
    for s in 0..n {
        if label[s as usize] != u32::MAX {
            continue;
        }
        label[s as usize] = next;
        let mut queue = VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            for v in undirected_neighbors(csr, u) {
                if label[v as usize] == u32::MAX && inside(u, v) {
                    label[v as usize] = next;
                    queue.push_back(v);
                }
            }
        }
        next += 1;
    }
    label
}

fn check_partition(csr: &Csr, c: &Communities) -> Result<(), TestCaseError> {
    prop_assert_eq!(c.membership.len(), csr.node_count() as usize);
    let mut used = vec![false; c.count as usize];
    for &m in &c.membership {
        prop_assert!(m < c.count);
        used[m as usize] = true;
    }
    prop_assert!(used.iter().all(|&u| u));
    Ok(())
}

proptest! {
    #[test]
    fn pagerank_is_a_distribution((n, edges) in edge_lists(), directed in any::<bool>()) {
        let csr = graph(n, &edges, directed);
        let pr = pagerank(&csr, &PageRankParams::default());
        let sum: f64 = pr.scores.iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-6, "sum {}", sum);
        prop_assert!(pr.scores.iter().all(|&s| s > 0.0));
    }

    #[test]
    fn components_agree_with_bfs((n, edges) in edge_lists(), directed in any::<bool>()) {
        let csr = graph(n, &edges, directed);
        let got = connected_components(&csr);
        let want = bfs_components(&csr, |_, _| true);
        prop_assert_eq!(Communities::from_labels(&got.labels), Communities::from_labels(&want));
    }

    #[test]
    fn leiden_partitions_into_connected_communities((n, edges) in edge_lists(), directed in any::<bool>()) {
        let csr = graph(n, &edges, directed);
        let c = leiden(&csr, &LeidenParams::default());
        check_partition(&csr, &c)?;
        let parts = bfs_components(&csr, |u, v| c.membership[u as usize] == c.membership[v as usize]);
        let parts = Communities::from_labels(&parts);
        prop_assert_eq!(parts.count, c.count, "a community is disconnected");
        // Never worse than everyone alone.
        let singletons: Vec<u32> = (0..n).collect();
        prop_assert!(modularity(&csr, &c.membership, 1.0) >= modularity(&csr, &singletons, 1.0) - 1e-9);
    }

    #[test]
    fn leiden_is_deterministic_across_thread_counts((n, edges) in edge_lists()) {
        let csr = graph(n, &edges, false);
        let params = LeidenParams { seed: 3, ..LeidenParams::default() };
        let one = with_threads(1, || leiden(&csr, &params));
        let two = with_threads(2, || leiden(&csr, &params));
        let three = with_threads(3, || leiden(&csr, &params));
        prop_assert_eq!(&one, &two);
        prop_assert_eq!(&one, &three);
    }

    #[test]
    fn label_propagation_partitions_all_nodes((n, edges) in edge_lists()) {
        let csr = graph(n, &edges, false);
        check_partition(&csr, &label_propagation(&csr, &LabelPropagationParams::default()))?;
    }

    #[test]
    fn modularity_matches_the_definition((n, edges) in edge_lists(), seed in 0u32..5) {
        let csr = graph(n, &edges, false);
        let membership: Vec<u32> = (0..n).map(|v| (v * 7 + seed) % 3).collect();
        let two_m = csr.arc_count() as f64;
        let mut q = 0.0;
        if two_m > 0.0 {
            for u in 0..n {
                for v in 0..n {
                    if membership[u as usize] != membership[v as usize] {
                        continue;
                    }
                    let a = if csr.out_neighbors(u).contains(&v) { 1.0 } else { 0.0 };
                    let (ku, kv) = (csr.out_degree(u) as f64, csr.out_degree(v) as f64);
                    q += a - ku * kv / two_m;
                }
            }
            q /= two_m;
        }
        prop_assert!((modularity(&csr, &membership, 1.0) - q).abs() < 1e-9);
    }

    #[test]
    fn personalized_pagerank_matches_power_iteration((n, edges) in edge_lists(), directed in any::<bool>()) {
        let csr = graph(n, &edges, directed);
        let params = PprParams { epsilon: 1e-10, ..PprParams::default() };
        let got = personalized_pagerank(&csr, &[(0, 1.0)], &params, n as usize);
        // Dense reference: restart to node 0, dangling nodes return to node 0.
        let mut x = vec![0.0; n as usize];
        x[0] = 1.0;
        for _ in 0..300 {
            let mut next = vec![0.0; n as usize];
            next[0] += params.alpha;
            for u in 0..n {
                let row = csr.out_neighbors(u);
                let mass = (1.0 - params.alpha) * x[u as usize];
                if row.is_empty() {
                    next[0] += mass;
                }
                for &v in row {
                    next[v as usize] += mass / row.len() as f64;
                }
            }
            x = next;
        }
        let mut dense = vec![0.0; n as usize];
        for (v, s) in got {
            dense[v as usize] = s;
        }
        let error: f64 = dense.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        prop_assert!(error < 1e-6, "L1 error {}", error);
    }

    #[test]
    fn two_hop_scores_match_pairwise((n, edges) in edge_lists(), directed in any::<bool>()) {
        let csr = graph(n, &edges, directed);
        for (v, s) in adamic_adar(&csr, 0, n as usize) {
            prop_assert!((s - adamic_adar_pair(&csr, 0, v)).abs() < 1e-9);
        }
        for (v, _) in common_neighbors(&csr, 0, n as usize) {
            prop_assert!(v != 0 && !csr.out_neighbors(0).contains(&v));
        }
    }

    #[test]
    fn recommendations_exclude_user_and_followed((n, edges) in edge_lists(), directed in any::<bool>()) {
        let csr = graph(n, &edges, directed);
        let ties = [(1u32, 1.0)];
        let recs = who_to_follow(&csr, 0, &ties, &CircleParams::default(), 10);
        prop_assert!(recs.len() <= 10);
        prop_assert!(recs.windows(2).all(|w| w[0].1 >= w[1].1));
        for (v, s) in recs {
            prop_assert!(v != 0 && !csr.out_neighbors(0).contains(&v) && s > 0.0);
        }
    }
}

#[test]
fn leiden_finds_two_cliques() {
    let mut edges = Vec::new();
    for base in [0, 5] {
        for u in base..base + 5 {
            for v in u + 1..base + 5 {
                edges.push((u, v));
            }
        }
    }
    edges.push((4, 5));
    let csr = graph(10, &edges, false);
    let c = leiden(&csr, &LeidenParams::default());
    assert_eq!(c.membership, vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
}

#[test]
fn circle_of_trust_recommends_what_similar_users_follow() {
    // User 0 follows 1 and 2; 3 and 4 follow the same and also 5; 6 is out of reach.
    let edges =
        [(0, 1), (0, 2), (3, 1), (3, 2), (3, 5), (4, 1), (4, 2), (4, 5), (1, 3), (2, 4), (7, 6)];
    let csr = graph(8, &edges, true);
    let recs = who_to_follow(&csr, 0, &[], &CircleParams::default(), 5);
    let found: Vec<u32> = recs.iter().map(|r| r.0).collect();
    assert!(found.contains(&5) && !found.contains(&6), "{recs:?}");
}

#[test]
fn pagerank_on_rounded_weights_stays_close_to_exact_weights() {
    // 5,000 distinct weights spread over 1..1000: more than a one-byte table holds, so the CSR
    // rounds them (relative error at most 1000^(1/508) - 1 = 1.4%).
    let n = 500u32;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut arcs = Vec::new();
    while arcs.len() < 5000 {
        let (u, v) = ((next() % u64::from(n)) as u32, (next() % u64::from(n)) as u32);
        if u != v && seen.insert((u, v)) {
            arcs.push((u, v, 1.0 + (next() % 999_000) as f32 / 1000.0));
        }
    }
    let list = EdgeList::weighted(
        n,
        arcs.iter().map(|&(u, v, _)| [u, v]).collect(),
        arcs.iter().map(|a| a.2).collect(),
    )
    .unwrap();
    let csr = Csr::build(&list, &BuildOptions::default());
    assert!(!csr.out().weights_exact());
    let params = PageRankParams { tolerance: 1e-12, ..PageRankParams::default() };
    let got = pagerank(&csr, &params).scores;
    let want = reference_pagerank(n as usize, &arcs, params.damping);
    let l1: f64 = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).sum();
    assert!(l1 < 2e-3, "L1 distance {l1}");
}
