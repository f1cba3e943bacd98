//! Who-to-Follow: SALSA on the user's circle of trust (Gupta et al., WWW 2013).
//!
//! The circle of trust is the user's top personalized-PageRank nodes, optionally reweighted by
//! the tie strengths the caller knows (the relationship model). It forms the hub side of a
//! bipartite graph whose authority side is everyone the hubs follow. SALSA alternates between
//! the sides; a restart to the circle's prior keeps the scores about this user. Authorities the
//! user does not follow yet, ranked by score, are the recommendations.
//!
//! Optionally the SALSA score is blended with the candidate's personalized PageRank, its
//! Adamic-Adar score, its resource-allocation score and two scores of three-step paths (each
//! normalised to sum 1 over the candidates). Which blend is best depends on the graph;
//! [`super::calibrate`] chooses it from the graph itself. On undirected friendship
//! graphs, where "whom my circle follows" is nearly "my friends' friends", the local evidence of
//! Adamic-Adar carries much of the signal, and the blend keeps the best of both.

use super::linkpred::{TwoHopLimits, local_scores};
use super::ppr::{PprParams, push};
use super::top_k;
use crate::GraphView;
use crate::hash::FxMap;

/// Circle-of-trust SALSA parameters.
#[derive(Debug, Clone, Copy)]
pub struct CircleParams {
    /// How many top personalized-PageRank nodes form the circle (the user included).
    pub circle_size: usize,
    /// The personalized PageRank that picks the circle.
    pub ppr: PprParams,
    /// SALSA iterations (hub → authority → hub).
    pub iterations: usize,
    /// Probability of returning to the circle's prior at each hub step.
    pub restart: f64,
    /// Weight of the candidate's own personalized PageRank in the final score.
    pub ppr_blend: f64,
    /// Weight of the candidate's Adamic-Adar score in the final score.
    pub adamic_adar_blend: f64,
    /// Weight of the candidate's resource-allocation score (shared neighbours weighted by
    /// `1 / degree`, Zhou, Lü and Zhang 2009) in the final score.
    pub resource_allocation_blend: f64,
    /// Weight of the candidate's three-step resource allocation (the resource the user sends
    /// along paths of three steps, each intermediate node splitting it by its degree) in the
    /// final score.
    pub three_step_blend: f64,
    /// Weight of the candidate's local path index (shared neighbours plus 0.01 times the paths
    /// of three steps, Lü, Jin and Zhou 2009) in the final score. SALSA takes what the other
    /// weights leave.
    pub local_path_blend: f64,
    /// Rows longer than this are cut to their first `max_fanout` entries (a deterministic
    /// sample, ids being arbitrary) when expanding hubs and common neighbours, so a query that
    /// touches a celebrity account with millions of followers stays in milliseconds.
    pub max_fanout: usize,
    /// The most (shared neighbour, candidate) pairs the Adamic-Adar part of the blend expands.
    /// Shared neighbours are taken from the smallest neighbourhood up and the largest ones that
    /// do not fit are skipped; they are the ones that add least to any one candidate
    /// (`1 / ln degree`), so a candidate's score is low by at most `1 / ln D` per skipped
    /// shared neighbour, `D` being the smallest skipped degree. This bounds a query next to
    /// big hubs, whose two-hop neighbourhood can hold millions of entries: with 100,000 the
    /// 99th percentile on R-MAT 200M fell from 81 to 17 ms, and `rapport eval discover` did not
    /// change in its fourth decimal (see BENCHMARKS.md). The third hop of the three-step
    /// signals expands at most as many entries again.
    pub two_hop_budget: usize,
}

impl Default for CircleParams {
    /// The blend chosen on the graphs of `rapport eval discover` (see BENCHMARKS.md (graph engine)):
    /// a circle of 500, eight SALSA iterations, and 65% SALSA, 10% personalized PageRank,
    /// 25% Adamic-Adar. It beats every baseline on the directed follow graphs; on undirected
    /// friendship graphs Adamic-Adar alone is sometimes ahead.
    fn default() -> Self {
        Self {
            circle_size: 500,
            ppr: PprParams { epsilon: 1e-5, ..PprParams::default() },
            iterations: 8,
            restart: 0.15,
            ppr_blend: 0.1,
            adamic_adar_blend: 0.25,
            resource_allocation_blend: 0.0,
            three_step_blend: 0.0,
            local_path_blend: 0.0,
            max_fanout: 10_000,
            two_hop_budget: 100_000,
        }
    }
}

impl CircleParams {
    /// Plain circle-of-trust SALSA, without the blend (the Who-to-Follow method as published).
    pub fn pure_salsa() -> Self {
        Self {
            circle_size: 500,
            iterations: 8,
            ppr_blend: 0.0,
            adamic_adar_blend: 0.0,
            resource_allocation_blend: 0.0,
            three_step_blend: 0.0,
            local_path_blend: 0.0,
            ..Self::default()
        }
    }
}

/// The signals of one candidate, each normalised to sum 1 over the candidates: circle-of-trust
/// SALSA, personalized PageRank, Adamic-Adar, resource allocation, three-step resource
/// allocation and the local path index.
pub(crate) type Signals = [f64; 6];

impl CircleParams {
    /// The weights of the [`Signals`], in their order.
    pub(crate) fn weights(&self) -> Signals {
        let local = self.local_weights();
        [
            1.0 - self.ppr_blend - local.iter().sum::<f64>(),
            self.ppr_blend,
            local[0],
            local[1],
            local[2],
            local[3],
        ]
    }

    /// The weights of the signals from the user's neighbourhood (the last four [`Signals`]).
    fn local_weights(&self) -> [f64; 4] {
        [
            self.adamic_adar_blend,
            self.resource_allocation_blend,
            self.three_step_blend,
            self.local_path_blend,
        ]
    }

    /// These weights with the [`Signals`] weights `w` (SALSA's being what the others leave).
    pub(crate) fn with_weights(&self, w: Signals) -> Self {
        Self {
            ppr_blend: w[1],
            adamic_adar_blend: w[2],
            resource_allocation_blend: w[3],
            three_step_blend: w[4],
            local_path_blend: w[5],
            ..*self
        }
    }
}

/// Recommends up to `limit` nodes for `user` to follow, best first, excluding the user and whom
/// the user already follows. `ties` gives known tie strengths in `[0, 1]` for circle members
/// (an empty slice uses personalized PageRank alone).
pub fn who_to_follow<G: GraphView + ?Sized>(
    csr: &G,
    user: u32,
    ties: &[(u32, f64)],
    params: &CircleParams,
    limit: usize,
) -> Vec<(u32, f64)> {
    let local = params.local_weights().iter().any(|&w| w > 0.0);
    let candidates = candidate_signals(csr, user, ties, params, local);
    blend(&candidates, params.weights(), limit)
}

/// Ranks `candidates` by the `weights`-weighted sum of their signals; the first `limit`.
pub(crate) fn blend(
    candidates: &[(u32, Signals)],
    weights: Signals,
    limit: usize,
) -> Vec<(u32, f64)> {
    let score = |s: &Signals| s.iter().zip(weights).map(|(s, w)| s * w).sum::<f64>();
    top_k(candidates.iter().map(|(v, s)| (*v, score(s))), |_| true, limit)
}

/// The candidates of `user` (neither the user nor anyone the user follows) with their
/// [`Signals`]. The four neighbourhood scores are computed only if `with_local` (the two- and
/// three-hop expansion is the costly part near hubs), and are zero otherwise.
pub(crate) fn candidate_signals<G: GraphView + ?Sized>(
    csr: &G,
    user: u32,
    ties: &[(u32, f64)],
    params: &CircleParams,
    with_local: bool,
) -> Vec<(u32, Signals)> {
    let ppr = push(csr, &[(user, 1.0)], &params.ppr);
    let tie: FxMap<u32, f64> = ties.iter().copied().collect();
    let circle = top_k(
        ppr.iter()
            .map(|(&v, &s)| (v, s * (1.0 + tie.get(&v).copied().unwrap_or(0.0).clamp(0.0, 1.0)))),
        |v| csr.out_degree(v) > 0,
        params.circle_size,
    );
    let authorities = salsa(csr, &circle, params);
    let local = if with_local {
        let limits = TwoHopLimits { max_fanout: params.max_fanout, budget: params.two_hop_budget };
        local_scores(csr, user, limits)
    } else {
        FxMap::default()
    };
    let followed = csr.out_neighbors(user);
    let keep = |v: u32| v != user && followed.binary_search(&v).is_err();
    let mut index: FxMap<u32, usize> = FxMap::default();
    let mut candidates: Vec<(u32, Signals)> = Vec::new();
    let sources: [&mut dyn Iterator<Item = (u32, f64)>; 6] = [
        &mut authorities.into_iter(),
        &mut ppr.iter().map(|(&v, &s)| (v, s)),
        &mut local.iter().map(|(&v, s)| (v, s[0])),
        &mut local.iter().map(|(&v, s)| (v, s[1])),
        &mut local.iter().map(|(&v, s)| (v, s[2])),
        &mut local.iter().map(|(&v, s)| (v, s[3])),
    ];
    let mut totals = [0.0; 6];
    for (signal, scores) in sources.into_iter().enumerate() {
        for (v, s) in scores.filter(|&(v, s)| s > 0.0 && keep(v)) {
            let next = candidates.len();
            let i = *index.entry(v).or_insert(next);
            if i == next {
                candidates.push((v, [0.0; 6]));
            }
            candidates[i].1[signal] = s;
            totals[signal] += s;
        }
    }
    for (_, signals) in &mut candidates {
        for (s, total) in signals.iter_mut().zip(totals) {
            // A signal with no candidate has a zero total and zero entries, which stay zero.
            if total > 0.0 {
                *s /= total;
            }
        }
    }
    candidates
}

/// Runs SALSA on the bipartite graph circle → followees; returns authority scores.
fn salsa<G: GraphView + ?Sized>(
    csr: &G,
    circle: &[(u32, f64)],
    params: &CircleParams,
) -> Vec<(u32, f64)> {
    let prior_total: f64 = circle.iter().map(|c| c.1).sum();
    if circle.is_empty() || prior_total <= 0.0 {
        return Vec::new();
    }
    let prior: Vec<f64> = circle.iter().map(|c| c.1 / prior_total).collect();
    let mut index: FxMap<u32, u32> = FxMap::default();
    let mut authorities: Vec<u32> = Vec::new();
    let mut hub_offsets = vec![0usize];
    let mut hub_edges: Vec<u32> = Vec::new();
    for &(h, _) in circle {
        let row = csr.out_neighbors(h);
        for &a in &row[..row.len().min(params.max_fanout)] {
            let next = authorities.len() as u32;
            let i = *index.entry(a).or_insert(next);
            if i == next {
                authorities.push(a);
            }
            hub_edges.push(i);
        }
        hub_offsets.push(hub_edges.len());
    }
    let mut auth_degree = vec![0u32; authorities.len()];
    for &a in &hub_edges {
        auth_degree[a as usize] += 1;
    }
    let mut hub = prior.clone();
    let mut auth = vec![0.0; authorities.len()];
    for _ in 0..params.iterations.max(1) {
        auth.iter_mut().for_each(|x| *x = 0.0);
        for (h, score) in hub.iter().enumerate() {
            let edges = &hub_edges[hub_offsets[h]..hub_offsets[h + 1]];
            let share = score / edges.len() as f64;
            for &a in edges {
                auth[a as usize] += share;
            }
        }
        for (h, score) in hub.iter_mut().enumerate() {
            let edges = &hub_edges[hub_offsets[h]..hub_offsets[h + 1]];
            let back: f64 =
                edges.iter().map(|&a| auth[a as usize] / f64::from(auth_degree[a as usize])).sum();
            *score = (1.0 - params.restart) * back + params.restart * prior[h];
        }
    }
    authorities.into_iter().zip(auth).collect()
}
