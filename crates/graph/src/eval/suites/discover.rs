//! `rapport eval discover`: link prediction on public graphs. For a seeded sample of users, 20%
//! of their out-edges are hidden; the circle-of-trust ranking and the baselines (personalized
//! PageRank, common neighbours, Adamic-Adar) each try to find them again.

use std::time::Instant;

use super::{SuiteRun, select};
use crate::GraphError;
use crate::eval::{LinkPredictionParams, LinkPredictionReport, evaluate_link_prediction};
use crate::io::{EdgeFileOptions, read_edge_file};
use crate::parallel::with_threads;

/// One graph of a suite: its name, its edge list under the data folder, and whether edges are
/// directed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuiteGraph {
    /// A short name for tables and `--dataset`.
    pub name: &'static str,
    /// The edge list, relative to the data folder.
    pub path: &'static str,
    /// Edges are follows (directed) rather than friendships.
    pub directed: bool,
}

/// The graphs link prediction is measured on.
pub const DISCOVER_SUITE: [SuiteGraph; 7] = [
    SuiteGraph { name: "wiki-vote", path: "snap-wiki-vote/wiki-Vote.txt.gz", directed: true },
    SuiteGraph {
        name: "slashdot",
        path: "snap-soc-slashdot0902/soc-Slashdot0902.txt.gz",
        directed: true,
    },
    SuiteGraph {
        name: "facebook",
        path: "snap-ego-facebook/facebook_combined.txt",
        directed: false,
    },
    SuiteGraph {
        name: "lastfm-asia",
        path: "rozemberczki-social-graphs/lasftm_asia/lastfm_asia_edges.csv.gz",
        directed: false,
    },
    SuiteGraph {
        name: "deezer-europe",
        path: "rozemberczki-social-graphs/deezer_europe/deezer_europe_edges.csv.gz",
        directed: false,
    },
    SuiteGraph {
        name: "github",
        path: "rozemberczki-social-graphs/git_web_ml/git_edges.csv.gz",
        directed: false,
    },
    SuiteGraph {
        name: "twitch-en",
        path: "rozemberczki-social-graphs/twitch/ENGB/ENGB_edges.csv.gz",
        directed: false,
    },
];

/// Which graphs to evaluate and how.
#[derive(Clone, Debug)]
pub struct DiscoverSuiteJob {
    /// The data folder, the graphs and the threads.
    pub run: SuiteRun,
    /// The sample, the hidden share and the methods' parameters.
    pub params: LinkPredictionParams,
}

/// One graph's figures.
#[derive(Clone, Debug)]
pub struct DiscoverRow {
    /// The graph's name.
    pub dataset: &'static str,
    /// Users, hidden edges and each method's recall and MRR.
    pub report: LinkPredictionReport,
    /// Seconds from reading the file to the last method scored.
    pub seconds: f64,
}

/// Evaluates link prediction on each graph `job` selects, in suite order.
pub fn evaluate_discover_suite(job: &DiscoverSuiteJob) -> Result<Vec<DiscoverRow>, GraphError> {
    let graphs = select(&DISCOVER_SUITE, |g| g.name, &job.run.datasets)?;
    let mut rows = Vec::with_capacity(graphs.len());
    for graph in graphs {
        let start = Instant::now();
        let list = read_edge_file(&job.run.data_dir.join(graph.path), &EdgeFileOptions::default())?;
        let report = with_threads(job.run.threads, || {
            evaluate_link_prediction(&list, graph.directed, &job.params)
        })?;
        rows.push(DiscoverRow {
            dataset: graph.name,
            report,
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    Ok(rows)
}
