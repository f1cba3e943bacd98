//! Generators and evaluation metrics.

use rapport_graph::algo::community::{LeidenParams, leiden};
use rapport_graph::eval::{
    LinkPredictionParams, evaluate_link_prediction, f1_best_match, nmi, overlapping_nmi,
};
use rapport_graph::generate::{LfrParams, RmatParams, lfr, rmat, simplify_undirected};
use rapport_graph::{BuildOptions, Csr};

use crate::with_threads;

#[test]
fn rmat_is_seeded_and_thread_independent() {
    let params = RmatParams::graph500(10, 9);
    let one = with_threads(1, || rmat(&params));
    let two = with_threads(2, || rmat(&params));
    assert_eq!(one.edges(), two.edges());
    assert_eq!(one.edge_count(), 16 << 10);
    let simple = simplify_undirected(one);
    assert!(simple.edges().windows(2).all(|w| w[0] < w[1]));
    assert!(simple.edges().iter().all(|e| e[0] < e[1]));
}

#[test]
fn leiden_recovers_planted_communities() {
    let planted = lfr(&LfrParams { nodes: 2000, mixing: 0.2, ..LfrParams::default() });
    let csr = Csr::build(&planted.edges, &BuildOptions::undirected());
    let found = leiden(&csr, &LeidenParams::default());
    let score = nmi(&found.membership, &planted.membership);
    assert!(score > 0.9, "NMI {score}");
}

#[test]
fn metrics_of_identical_and_different_partitions() {
    let a = [0, 0, 1, 1, 2, 2];
    let relabelled = [5, 5, 3, 3, 4, 4];
    assert!((nmi(&a, &relabelled) - 1.0).abs() < 1e-12);
    assert!(nmi(&a, &[0, 0, 0, 0, 0, 0]).abs() < 1e-12);
    let groups = vec![vec![0, 1], vec![2, 3], vec![4, 5]];
    assert!((f1_best_match(&groups, &groups, 6) - 1.0).abs() < 1e-12);
    assert!((overlapping_nmi(&groups, &groups, 6) - 1.0).abs() < 1e-12);
    let worse = vec![vec![0, 1, 2, 3, 4, 5]];
    assert!(f1_best_match(&worse, &groups, 6) < 1.0);
    assert!(overlapping_nmi(&worse, &groups, 6) < 0.5);
}

#[test]
fn link_prediction_reports_every_method() {
    let planted = lfr(&LfrParams { nodes: 1000, mixing: 0.2, ..LfrParams::default() });
    let params = LinkPredictionParams { users: 50, ..LinkPredictionParams::default() };
    let report = evaluate_link_prediction(&planted.edges, false, &params);
    assert_eq!(report.users, 50);
    assert_eq!(report.scores.len(), 6);
    for s in &report.scores {
        assert!((0.0..=1.0).contains(&s.recall_at_10) && s.recall_at_10 <= s.recall_at_20, "{s:?}");
        assert!((0.0..=1.0).contains(&s.mrr));
    }
}
