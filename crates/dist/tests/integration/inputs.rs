//! What the jobs read: input split into part files gives the single file's answers
//! (`recommend-all` included), a round larger than one send batch streams through, and ids past
//! 32 bits are refused by name.

use std::collections::HashMap;

use rapport_dist::{
    Cluster, JobInput, RankParams, RecommendAllParams, components, rank, recommend_all,
};

use crate::agree::check_pagerank;
use crate::support::{TestGraph, random_edges, read_lines, read_map, threads};

fn rank_scores(cluster: &Cluster, input: &JobInput) -> HashMap<u64, f64> {
    let params = RankParams { damping: 0.85, iterations: 10, limit: 3 };
    rank(cluster, input, &params).unwrap();
    read_map(input.output.as_ref().unwrap())
}

#[test]
fn parts_in_a_directory_or_a_pattern_give_the_single_files_answers() {
    let edges = random_edges(11, 300, 2_000, 3);
    let g = TestGraph::write(&edges, true);
    let single = rank_scores(&threads(2), &g.input("single"));
    let labels_single: HashMap<u64, u64> = {
        let input = g.input("components-single");
        components(&threads(2), &input).unwrap();
        read_map(input.output.as_ref().unwrap())
    };
    let recommend = |cluster: Cluster, input: JobInput| {
        let params = RecommendAllParams { users: None, circle: 50, limit: 3 };
        recommend_all(&cluster, &input, &params).unwrap();
        let mut lines = read_lines(input.output.as_ref().unwrap());
        lines.sort();
        lines
    };
    let recommended_single = recommend(threads(2), g.input("recommend-single"));
    // Five parts of uneven size, more than the workers, so some worker reads two.
    let dir = g.dir.path().join("parts");
    std::fs::create_dir(&dir).unwrap();
    let sizes = [1, 700, 0, 900, 399];
    let mut rest = edges.as_slice();
    for (i, n) in sizes.into_iter().enumerate() {
        let (part, tail) = rest.split_at(n);
        let text: String = part.iter().map(|(a, b)| format!("{a} {b}\n")).collect();
        std::fs::write(dir.join(format!("part-{i}.txt")), text).unwrap();
        rest = tail;
    }
    assert!(rest.is_empty());
    // A hidden file, as an editor or a failed copy leaves, is not a part.
    std::fs::write(dir.join(".part-5.txt.swp"), "not an edge list").unwrap();
    for (run, source, workers) in
        [("dir", dir.clone(), 2), ("glob", dir.join("part-*.txt"), 3), ("one", dir.clone(), 1)]
    {
        let input = JobInput { file: source.clone(), ..g.input(run) };
        let scores = rank_scores(&threads(workers), &input);
        assert_eq!(scores.len(), single.len(), "{run}");
        for (v, s) in &single {
            assert!((scores[v] - s).abs() < 1e-12, "{run}: node {v}");
        }
        let input = JobInput { file: source.clone(), ..g.input(&format!("{run}-components")) };
        components(&threads(workers), &input).unwrap();
        let labels: HashMap<u64, u64> = read_map(input.output.as_ref().unwrap());
        assert_eq!(labels, labels_single, "{run}");
        let input = JobInput { file: source, ..g.input(&format!("{run}-recommend")) };
        assert_eq!(recommend(threads(workers), input), recommended_single, "{run}");
    }
}

#[test]
fn a_pattern_that_names_no_part_is_an_error() {
    let g = TestGraph::write(&[(1, 2)], false);
    let input = JobInput { file: g.dir.path().join("nothing-*.txt"), ..g.input("none") };
    let error = components(&threads(1), &input).unwrap_err();
    assert!(error.to_string().contains("nothing-*.txt"), "{error}");
}

#[test]
fn a_round_larger_than_one_send_batch_streams_through() {
    // 150,000 edges make 300,000 arcs, several times the records a worker sends between steps.
    let edges = random_edges(5, 40_000, 150_000, 1);
    for workers in [1, 2] {
        check_pagerank(&edges, false, workers);
    }
}

#[test]
fn an_id_past_32_bits_is_refused_naming_the_file_and_the_id() {
    let g = TestGraph::write(&[(1, 2), (4_294_967_295, 3)], false);
    let error = components(&threads(2), &g.input("big")).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("edges.txt") && message.contains("4294967295"), "{message}");
    assert!(!g.dir.path().join("big").exists(), "nothing written");
}
