//! CSR invariants: the adjacency round-trips the edge list, rows are sorted, the reverse
//! adjacency is the transpose, and weights of merged duplicates add up.

use std::collections::BTreeSet;

use proptest::prelude::*;
use rapport_graph::{BuildOptions, Csr, EdgeList};

use crate::{edge_lists, graph};

proptest! {
    #[test]
    fn directed_round_trip((n, edges) in edge_lists()) {
        let csr = graph(n, &edges, true);
        let want: BTreeSet<(u32, u32)> = edges.iter().copied().filter(|(u, v)| u != v).collect();
        let got: BTreeSet<(u32, u32)> = csr.arcs().collect();
        prop_assert_eq!(csr.arc_count() as usize, want.len());
        prop_assert_eq!(&got, &want);
        for u in 0..n {
            prop_assert!(csr.out_neighbors(u).windows(2).all(|w| w[0] < w[1]));
            let incoming: BTreeSet<u32> = csr.in_neighbors(u).unwrap().iter().copied().collect();
            let expected: BTreeSet<u32> = want.iter().filter(|a| a.1 == u).map(|a| a.0).collect();
            prop_assert_eq!(incoming, expected);
        }
    }

    #[test]
    fn undirected_round_trip((n, edges) in edge_lists()) {
        let csr = graph(n, &edges, false);
        let want: BTreeSet<(u32, u32)> = edges
            .iter()
            .filter(|(u, v)| u != v)
            .flat_map(|&(u, v)| [(u, v), (v, u)])
            .collect();
        let got: BTreeSet<(u32, u32)> = csr.arcs().collect();
        prop_assert_eq!(&got, &want);
        prop_assert_eq!(csr.edge_count() as usize, want.len() / 2);
    }

    #[test]
    fn duplicate_weights_add_up((n, edges) in edge_lists()) {
        let weights: Vec<f32> = (0..edges.len()).map(|i| (i % 4) as f32 + 0.5).collect();
        let list = EdgeList::weighted(n, edges.iter().map(|&(u, v)| [u, v]).collect(), weights.clone()).unwrap();
        let csr = Csr::build(&list, &BuildOptions { self_loops: true, ..BuildOptions::default() });
        let total: f32 = weights.iter().sum();
        let stored: f32 = (0..n).map(|u| csr.out_weights(u).unwrap().iter().sum::<f32>()).sum();
        prop_assert!((total - stored).abs() < 1e-3);
    }
}

#[test]
fn memory_is_reported() {
    let csr = graph(4, &[(0, 1), (1, 2), (2, 3)], true);
    // Two adjacencies of 3 arcs (4 bytes each) and 5 offsets (8 bytes each).
    assert_eq!(csr.memory_bytes(), 2 * (3 * 4 + 5 * 8));
}
