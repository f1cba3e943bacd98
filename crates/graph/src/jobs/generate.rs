//! `rapport graph generate`: seeded synthetic graphs written to edge-list files.

use std::path::PathBuf;
use std::time::Instant;

use super::seconds_since;
use crate::GraphError;
use crate::generate::{LfrParams, RmatParams, lfr, rmat, simplify_undirected};
use crate::io::{write_edge_list, write_membership};

/// An R-MAT graph with Graph500 parameters, written as a simple undirected graph.
#[derive(Clone, Debug)]
pub struct RmatJob {
    /// 2^scale vertex slots.
    pub scale: u32,
    /// Edges to draw (16 · 2^scale when `None`).
    pub edges: Option<u64>,
    /// Random seed.
    pub seed: u64,
    /// The edge list to write (`.gz` to compress).
    pub output: PathBuf,
}

/// An LFR-style graph with planted communities.
#[derive(Clone, Debug)]
pub struct LfrJob {
    /// Nodes.
    pub nodes: u32,
    /// The share of each node's edges leaving its community.
    pub mixing: f64,
    /// Average degree.
    pub avg_degree: f64,
    /// Random seed.
    pub seed: u64,
    /// The edge list to write.
    pub output: PathBuf,
    /// Also write the planted partition as `node<TAB>community` here.
    pub truth: Option<PathBuf>,
}

/// What a generator wrote.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Generated {
    /// Edges written.
    pub edges: usize,
    /// Vertex slots: the node ids the edges may use.
    pub nodes: u32,
    /// The planted communities (LFR only).
    pub communities: Option<u32>,
    /// Seconds from the start of generation to the files written.
    pub seconds: f64,
}

/// Draws an R-MAT graph and writes it.
pub fn generate_rmat(job: &RmatJob) -> Result<Generated, GraphError> {
    let start = Instant::now();
    let mut params = RmatParams::graph500(job.scale, job.seed);
    params.edges = job.edges.unwrap_or(params.edges);
    let list = simplify_undirected(rmat(&params));
    write_edge_list(&job.output, list.edges(), list.ids())?;
    Ok(Generated {
        edges: list.edge_count(),
        nodes: list.node_count(),
        communities: None,
        seconds: seconds_since(start),
    })
}

/// Draws an LFR-style graph and writes it, and its planted partition when asked.
pub fn generate_lfr(job: &LfrJob) -> Result<Generated, GraphError> {
    let start = Instant::now();
    let params = LfrParams {
        nodes: job.nodes,
        mixing: job.mixing,
        avg_degree: job.avg_degree,
        seed: job.seed,
        ..LfrParams::default()
    };
    let planted = lfr(&params);
    write_edge_list(&job.output, planted.edges.edges(), planted.edges.ids())?;
    if let Some(path) = &job.truth {
        write_membership(path, planted.edges.ids(), &planted.membership)?;
    }
    Ok(Generated {
        edges: planted.edges.edge_count(),
        nodes: planted.edges.node_count(),
        communities: Some(planted.membership.iter().max().map_or(0, |m| m + 1)),
        seconds: seconds_since(start),
    })
}
