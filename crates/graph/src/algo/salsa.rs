//! Who-to-Follow: SALSA on the user's circle of trust (Gupta et al., WWW 2013).
//!
//! The circle of trust is the user's top personalized-PageRank nodes, optionally reweighted by
//! the tie strengths the caller knows (the relationship model). It forms the hub side of a
//! bipartite graph whose authority side is everyone the hubs follow. SALSA alternates between
//! the sides; a restart to the circle's prior keeps the scores about this user. Authorities the
//! user does not follow yet, ranked by score, are the recommendations.
//!
//! Optionally the SALSA score is blended with the candidate's personalized PageRank and its
//! Adamic-Adar score (each normalised to sum 1 over the candidates). On undirected friendship
//! graphs, where "whom my circle follows" is nearly "my friends' friends", the local evidence of
//! Adamic-Adar carries much of the signal, and the blend keeps the best of both.

use super::linkpred::{TwoHopLimits, adamic_adar_scores};
use super::ppr::{PprParams, push};
use super::top_k;
use crate::Csr;
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
    /// change in its fourth decimal (see BENCHMARKS.md).
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
            ..Self::default()
        }
    }
}

/// Recommends up to `limit` nodes for `user` to follow, best first, excluding the user and whom
/// the user already follows. `ties` gives known tie strengths in `[0, 1]` for circle members
/// (an empty slice uses personalized PageRank alone).
pub fn who_to_follow(
    csr: &Csr,
    user: u32,
    ties: &[(u32, f64)],
    params: &CircleParams,
    limit: usize,
) -> Vec<(u32, f64)> {
    let ppr = push(csr, &[(user, 1.0)], &params.ppr);
    let tie: FxMap<u32, f64> = ties.iter().copied().collect();
    let circle = top_k(
        ppr.iter()
            .map(|(&v, &s)| (v, s * (1.0 + tie.get(&v).copied().unwrap_or(0.0).clamp(0.0, 1.0)))),
        |v| csr.out_degree(v) > 0,
        params.circle_size,
    );
    let authorities = salsa(csr, &circle, params);
    let followed = csr.out_neighbors(user);
    let keep = |v: u32| v != user && followed.binary_search(&v).is_err();
    let salsa_weight = 1.0 - params.ppr_blend - params.adamic_adar_blend;
    if salsa_weight >= 1.0 {
        return top_k(authorities, keep, limit);
    }
    let mut blended: FxMap<u32, f64> = FxMap::default();
    let mut add = |scores: &mut dyn Iterator<Item = (u32, f64)>, weight: f64| {
        let kept: Vec<(u32, f64)> = scores.filter(|&(v, _)| keep(v)).collect();
        let total: f64 = kept.iter().map(|s| s.1).sum();
        if weight > 0.0 && total > 0.0 {
            for (v, s) in kept {
                *blended.entry(v).or_insert(0.0) += weight * s / total;
            }
        }
    };
    add(&mut authorities.into_iter(), salsa_weight);
    add(&mut ppr.iter().map(|(&v, &s)| (v, s)), params.ppr_blend);
    if params.adamic_adar_blend > 0.0 {
        add(
            &mut adamic_adar_scores(
                csr,
                user,
                TwoHopLimits { max_fanout: params.max_fanout, budget: params.two_hop_budget },
            )
            .into_iter(),
            params.adamic_adar_blend,
        );
    }
    top_k(blended, keep, limit)
}

/// Runs SALSA on the bipartite graph circle → followees; returns authority scores.
fn salsa(csr: &Csr, circle: &[(u32, f64)], params: &CircleParams) -> Vec<(u32, f64)> {
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
