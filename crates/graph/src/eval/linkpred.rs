//! Link prediction on held-out edges: for a seeded sample of users, hide a share of their
//! out-edges, rank candidates on the remaining graph with each method, and measure how many
//! hidden edges come back (recall@10, recall@20) and how early (mean reciprocal rank).

use rand::SeedableRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::algo::linkpred::{adamic_adar, common_neighbors};
use crate::algo::ppr::{PprParams, personalized_pagerank};
use crate::algo::salsa::{CircleParams, who_to_follow};
use crate::hash::FxMap;
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
    /// The circle-of-trust ranking.
    pub circle: CircleParams,
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
    let options = BuildOptions { directed, ..BuildOptions::default() };
    let full = Csr::build(list, &options);
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut eligible: Vec<u32> = (0..full.node_count())
        .filter(|&u| full.out_degree(u) >= params.min_degree.max(2))
        .collect();
    eligible.shuffle(&mut rng);
    eligible.truncate(params.users);
    eligible.sort_unstable();
    let mut hidden: FxMap<u32, Vec<u32>> = FxMap::default();
    for &u in &eligible {
        let row = full.out_neighbors(u);
        let count =
            ((row.len() as f64 * params.hide_fraction).ceil() as usize).clamp(1, row.len() - 1);
        let mut picked: Vec<u32> = row.choose_multiple(&mut rng, count).copied().collect();
        picked.sort_unstable();
        hidden.insert(u, picked);
    }
    let key = |u: u32, v: u32| if directed { (u, v) } else { (u.min(v), u.max(v)) };
    let removed: FxMap<(u32, u32), ()> =
        hidden.iter().flat_map(|(&u, vs)| vs.iter().map(move |&v| (key(u, v), ()))).collect();
    let train = Csr::build(&list.retain(|_, [u, v]| !removed.contains_key(&key(u, v))), &options);
    let depth = params.depth.max(20);
    let circle = params.circle;
    let ppr = params.ppr;
    let pure = CircleParams::pure_salsa();
    let methods: Vec<(&str, Ranker<'_>)> = vec![
        (
            "circle of trust (SALSA+PPR+AA)",
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
            let sums = eligible
                .par_iter()
                .map(|&u| {
                    let truth = &hidden[&u];
                    let ranking = rank(&train, u);
                    let hit = |k: usize| {
                        ranking
                            .iter()
                            .take(k)
                            .filter(|(v, _)| truth.binary_search(v).is_ok())
                            .count() as f64
                            / truth.len() as f64
                    };
                    let first = ranking.iter().position(|(v, _)| truth.binary_search(v).is_ok());
                    [hit(10), hit(20), first.map_or(0.0, |r| 1.0 / (r + 1) as f64)]
                })
                .reduce(|| [0.0; 3], |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
            let users = eligible.len().max(1) as f64;
            MethodScore {
                method: (*name).to_owned(),
                recall_at_10: sums[0] / users,
                recall_at_20: sums[1] / users,
                mrr: sums[2] / users,
            }
        })
        .collect();
    LinkPredictionReport { users: eligible.len(), hidden_edges: removed.len(), scores }
}
