//! Writing test graphs, running a job with a number of workers, and reading its output files.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use rapport_dist::{Cluster, JobInput};
use rapport_graph::jobs::{EdgeInput, LoadedGraph, load};
use tempfile::TempDir;

/// A graph written as an edge-list file in its own temporary directory.
pub(crate) struct TestGraph {
    pub(crate) dir: TempDir,
    pub(crate) file: PathBuf,
    pub(crate) directed: bool,
}

impl TestGraph {
    pub(crate) fn write(edges: &[(u64, u64)], directed: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("edges.txt");
        let text: String = edges.iter().map(|(a, b)| format!("{a}\t{b}\n")).collect();
        fs::write(&file, text).unwrap();
        Self { dir, file, directed }
    }

    /// The in-memory engine's graph of the same file.
    pub(crate) fn in_memory(&self) -> LoadedGraph {
        load(&EdgeInput { file: self.file.clone(), directed: self.directed, weight_column: None })
            .unwrap()
    }

    /// The job input writing to a fresh directory named after `run`.
    pub(crate) fn input(&self, run: &str) -> JobInput {
        JobInput {
            file: self.file.clone(),
            directed: self.directed,
            output: Some(self.dir.path().join(run)),
        }
    }
}

/// `workers` threads of this process.
pub(crate) fn threads(workers: usize) -> Cluster {
    Cluster::local(workers)
}

/// Every `a<TAB>b...` line of the `out.W` files in `dir`, split into fields.
pub(crate) fn read_lines(dir: &Path) -> Vec<Vec<String>> {
    let mut lines = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        assert!(
            path.file_name().unwrap().to_string_lossy().starts_with("out."),
            "only out.W files are left in the output directory, found {}",
            path.display()
        );
        for line in fs::read_to_string(&path).unwrap().lines() {
            lines.push(line.split('\t').map(str::to_owned).collect());
        }
    }
    lines
}

/// `node<TAB>value` output as a map.
pub(crate) fn read_map<T: std::str::FromStr>(dir: &Path) -> HashMap<u64, T>
where
    T::Err: std::fmt::Debug,
{
    read_lines(dir).into_iter().map(|l| (l[0].parse().unwrap(), l[1].parse().unwrap())).collect()
}

/// A seeded random graph on ids `0..nodes` scaled by `stride` (so ids are sparse).
pub(crate) fn random_edges(seed: u64, nodes: u64, edges: usize, stride: u64) -> Vec<(u64, u64)> {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move || {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % nodes
    };
    (0..edges).map(|_| (next() * stride, next() * stride)).collect()
}
