//! Loading an edge-list file into a CSR, timed, and the summary `rapport graph load` prints.

use std::path::PathBuf;
use std::time::Instant;

use super::seconds_since;
use crate::algo::components::connected_components;
use crate::io::{EdgeFileOptions, read_edge_file};
use crate::{BuildOptions, Csr, GraphError};

/// The edge-list file and how to read it.
#[derive(Clone, Debug, Default)]
pub struct EdgeInput {
    /// Edge-list file: `a b` per line (tab, space or comma; `#` comments; plain or gzip).
    pub file: PathBuf,
    /// Edges are directed (a follows b); otherwise undirected.
    pub directed: bool,
    /// The 0-based column holding an edge weight (2 for `a b w`).
    pub weight_column: Option<usize>,
}

/// A loaded graph and how long each step took.
#[derive(Debug)]
pub struct LoadedGraph {
    /// The graph.
    pub csr: Csr,
    /// Seconds spent reading and parsing the file.
    pub parse_seconds: f64,
    /// Seconds spent building the CSR.
    pub build_seconds: f64,
}

impl LoadedGraph {
    /// Seconds from opening the file to a built CSR.
    pub fn load_seconds(&self) -> f64 {
        self.parse_seconds + self.build_seconds
    }
}

/// Reads `input` and builds its CSR.
pub fn load(input: &EdgeInput) -> Result<LoadedGraph, GraphError> {
    let start = Instant::now();
    let list =
        read_edge_file(&input.file, &EdgeFileOptions { weight_column: input.weight_column })?;
    let parse_seconds = seconds_since(start);
    let start = Instant::now();
    let csr =
        Csr::build(&list, &BuildOptions { directed: input.directed, ..BuildOptions::default() });
    Ok(LoadedGraph { csr, parse_seconds, build_seconds: seconds_since(start) })
}

/// A loaded graph's size, shape, load time and memory.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphSummary {
    /// Whether edges were read as directed.
    pub directed: bool,
    /// Nodes.
    pub nodes: u32,
    /// Edges (each undirected edge once).
    pub edges: u64,
    /// Connected components (weakly connected when directed).
    pub components: u32,
    /// Nodes in the largest component.
    pub largest_component: usize,
    /// Seconds spent reading and parsing the file.
    pub parse_seconds: f64,
    /// Seconds spent building the CSR.
    pub build_seconds: f64,
    /// Bytes the CSR holds.
    pub memory_bytes: usize,
    /// Bytes per edge.
    pub bytes_per_edge: f64,
}

/// Loads `input` and describes the graph.
pub fn summarize(input: &EdgeInput) -> Result<GraphSummary, GraphError> {
    let g = load(input)?;
    let memory_bytes = g.csr.memory_bytes();
    let components = connected_components(&g.csr);
    Ok(GraphSummary {
        directed: g.csr.is_directed(),
        nodes: g.csr.node_count(),
        edges: g.csr.edge_count(),
        components: components.count,
        largest_component: components.largest(),
        parse_seconds: g.parse_seconds,
        build_seconds: g.build_seconds,
        memory_bytes,
        bytes_per_edge: memory_bytes as f64 / g.csr.edge_count().max(1) as f64,
    })
}
