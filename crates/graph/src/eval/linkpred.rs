//! Link prediction on held-out edges: for a seeded sample of users, hide a share of their
//! out-edges, rank candidates on the remaining graph with each method, and measure how many
//! hidden edges come back (recall@10, recall@20) and how early (mean reciprocal rank).

use rayon::prelude::*;

use super::holdout::{Sample, hold_out, ranking_metrics};
use crate::algo::calibrate::{CalibrationParams, calibrate_circle};
use crate::algo::linkpred::{adamic_adar, common_neighbors};
use crate::algo::ppr::{PprParams, personalized_pagerank};
use crate::algo::salsa::{CircleParams, who_to_follow};
use crate::{BuildOptions, Csr, EdgeList};

/// Link-prediction evaluation parameters.
#[derive(Debug, Clone, Copy)]
pub struct LinkPredictionParams {
    /// Users sampled.
    pub users: usize,
    /// Share of each sampled user's out-edges hidden.
    pub hide_fraction: f64,
    /// Only users with at least this many out-edges are sampled.
    pub min_degree: usize,
    /// Seed of the sample and of the hidden edges.
    pub seed: u64,
    /// Ranking depth; a hidden edge below it counts as missed (for MRR too).
    pub depth: usize,
    /// The circle-of-trust ranking with a fixed blend, and the starting point of the
    /// calibrated one.
    pub circle: CircleParams,
    /// How the calibrated circle-of-trust ranking chooses its blend on the training graph.
    pub calibration: CalibrationParams,
    /// The plain personalized-PageRank baseline.
    pub ppr: PprParams,
}

impl Default for LinkPredictionParams {
    fn default() -> Self {
        Self {
            users: 1000,
            hide_fraction: 0.2,
            min_degree: 5,
            seed: 7,
            depth: 100,
            circle: CircleParams::default(),
            calibration: CalibrationParams::default(),
            ppr: PprParams::default(),
        }
    }
}

/// The figures of one ranking method.
#[derive(Debug, Clone)]
pub struct MethodScore {
    /// Method name.
    pub method: String,
    /// Mean share of a user's hidden edges found in the top 10.
    pub recall_at_10: f64,
    /// Mean share found in the top 20.
    pub recall_at_20: f64,
    /// Mean reciprocal rank of the first hidden edge found.
    pub mrr: f64,
}

/// The outcome of a link-prediction evaluation.
#[derive(Debug, Clone)]
pub struct LinkPredictionReport {
    /// Users evaluated.
    pub users: usize,
    /// Edges hidden in total.
    pub hidden_edges: usize,
    /// One row per method, in a fixed order.
    pub scores: Vec<MethodScore>,
}

type Ranker<'a> = Box<dyn Fn(&Csr, u32) -> Vec<(u32, f64)> + Sync + 'a>;

/// Runs the evaluation on `list` (directed or undirected as `directed` says).
pub fn evaluate_link_prediction(
    list: &EdgeList,
    directed: bool,
    params: &LinkPredictionParams,
) -> LinkPredictionReport {
    let full = Csr::build(list, &BuildOptions { directed, ..BuildOptions::default() });
    let held = hold_out(
        &full,
        &Sample {
            users: params.users,
            hide_fraction: params.hide_fraction,
            min_degree: params.min_degree,
            seed: params.seed,
        },
    );
    drop(full);
    let train = &held.train;
    let depth = params.depth.max(20);
    // The calibration sees only the training graph, as the engine sees only the graph it has.
    let calibrated = calibrate_circle(train, &params.circle, &params.calibration);
    let circle = params.circle;
    let ppr = params.ppr;
    let pure = CircleParams::pure_salsa();
    let methods: Vec<(&str, Ranker<'_>)> = vec![
        (
            "circle of trust (calibrated blend)",
            Box::new(move |g: &Csr, u| who_to_follow(g, u, &[], &calibrated, depth)),
        ),
        (
            "circle of trust (fixed blend)",
            Box::new(move |g: &Csr, u| who_to_follow(g, u, &[], &circle, depth)),
        ),
        (
            "circle-of-trust SALSA alone",
            Box::new(move |g: &Csr, u| who_to_follow(g, u, &[], &pure, depth)),
        ),
        (
            "personalized PageRank",
            Box::new(move |g: &Csr, u| {
                let followed = g.out_neighbors(u);
                personalized_pagerank(g, &[(u, 1.0)], &ppr, depth + followed.len() + 1)
                    .into_iter()
                    .filter(|&(v, _)| v != u && followed.binary_search(&v).is_err())
                    .take(depth)
                    .collect()
            }),
        ),
        ("common neighbours", Box::new(move |g: &Csr, u| common_neighbors(g, u, depth))),
        ("Adamic-Adar", Box::new(move |g: &Csr, u| adamic_adar(g, u, depth))),
    ];
    let scores = methods
        .iter()
        .map(|(name, rank)| {
            let sums = held
                .users
                .par_iter()
                .map(|&u| ranking_metrics(&rank(train, u), &held.hidden[&u]))
                .reduce(|| [0.0; 3], |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
            let users = held.users.len().max(1) as f64;
            MethodScore {
                method: (*name).to_owned(),
                recall_at_10: sums[0] / users,
                recall_at_20: sums[1] / users,
                mrr: sums[2] / users,
            }
        })
        .collect();
    LinkPredictionReport { users: held.users.len(), hidden_edges: held.edges, scores }
}
