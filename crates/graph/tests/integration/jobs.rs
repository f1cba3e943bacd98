//! Whole jobs on edge-list files, as `rapport graph` and a server call them: results name nodes by
//! their ids in the file, and a node or file that is not there is an error, not a panic.

use rapport_graph::GraphError;
use rapport_graph::jobs::{
    self, CommunitiesJob, CommunityMethod, EdgeInput, LfrJob, RankJob, RecommendJob,
    RecommendMethod,
};

/// Two triangles joined by one edge, with sparse ids: 10 20 30 and 700 800 900.
const TWO_TRIANGLES: &str = "10 20\n20 30\n30 10\n700 800\n800 900\n900 700\n30 700\n";

fn input(dir: &tempfile::TempDir, text: &str, directed: bool) -> EdgeInput {
    let file = dir.path().join("edges.txt");
    std::fs::write(&file, text).unwrap();
    EdgeInput { file, directed, weight_column: None }
}

#[test]
fn summarize_rank_and_communities_speak_in_file_ids() {
    let dir = tempfile::tempdir().unwrap();
    let edges = input(&dir, TWO_TRIANGLES, false);
    let summary = jobs::summarize(&edges).unwrap();
    assert_eq!((summary.nodes, summary.edges, summary.components), (6, 7, 1));
    assert_eq!(summary.largest_component, 6);

    let rank = jobs::rank(&edges, &RankJob { damping: 0.85, tolerance: 1e-10, limit: 2 }).unwrap();
    let top: Vec<u64> = rank.top.iter().map(|r| r.node).collect();
    assert_eq!(top, [30, 700], "the bridge ends have the highest degree");

    let membership = dir.path().join("membership.tsv");
    let job = CommunitiesJob {
        method: CommunityMethod::Leiden,
        resolution: 1.0,
        seed: 42,
        limit: 5,
        membership_file: Some(membership.clone()),
    };
    let found = jobs::communities(&edges, &job).unwrap();
    assert_eq!(found.count, 2);
    let mut samples: Vec<Vec<u64>> = found.largest.iter().map(|c| c.sample.clone()).collect();
    samples.iter_mut().for_each(|s| s.sort_unstable());
    samples.sort();
    assert_eq!(samples, [vec![10, 20, 30], vec![700, 800, 900]]);
    let written = std::fs::read_to_string(membership).unwrap();
    assert_eq!(written.lines().count(), 6);
    assert!(written.lines().any(|l| l.starts_with("900\t")), "{written}");
}

#[test]
fn recommend_never_suggests_a_neighbour_and_names_an_unknown_user() {
    let dir = tempfile::tempdir().unwrap();
    let edges = input(&dir, TWO_TRIANGLES, false);
    for method in [
        RecommendMethod::Circle,
        RecommendMethod::Ppr,
        RecommendMethod::AdamicAdar,
        RecommendMethod::CommonNeighbours,
    ] {
        let job = RecommendJob { user: 10, method, circle: 10, calibrate: false, limit: 5 };
        let r = jobs::recommend(&edges, &job).unwrap();
        assert_eq!((r.user, r.follows), (10, 2));
        assert!(r.calibration.is_none());
        for rec in &r.recommended {
            assert!(![10, 20, 30].contains(&rec.node), "{method:?} recommended {}", rec.node);
        }
    }
    let job = RecommendJob {
        user: 5,
        method: RecommendMethod::Circle,
        circle: 10,
        calibrate: false,
        limit: 5,
    };
    let err = jobs::recommend(&edges, &job).unwrap_err();
    assert!(matches!(err, GraphError::UnknownNode { node: 5, .. }), "{err}");
}

#[test]
fn generated_lfr_graph_loads_back_with_its_planted_partition() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("lfr.txt");
    let truth = dir.path().join("truth.tsv");
    let job = LfrJob {
        nodes: 500,
        mixing: 0.1,
        avg_degree: 10.0,
        seed: 3,
        output: output.clone(),
        truth: Some(truth.clone()),
    };
    let generated = jobs::generate_lfr(&job).unwrap();
    let communities = generated.communities.unwrap();
    assert!(communities > 1);
    let summary =
        jobs::summarize(&EdgeInput { file: output, directed: false, weight_column: None }).unwrap();
    assert_eq!(summary.edges, generated.edges as u64);
    let planted = std::fs::read_to_string(truth).unwrap();
    assert_eq!(planted.lines().count(), 500);
}
