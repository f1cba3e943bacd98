//! Label propagation communities (Raghavan, Albert and Kumara, 2007) with the in-memory engine's
//! rule: a node takes the label carrying most edge weight among its neighbours, keeps its own on
//! a tie, and otherwise breaks ties by the smallest label; a directed graph is read as
//! undirected, a mutual pair weighing two.
//!
//! Label propagation, not Leiden's local moving: a move in local moving is judged against the
//! community totals of the moment, which every other worker's moves change in the same round, so
//! a distributed version either moves on stale totals (and can lower modularity) or serialises
//! conflicting moves over extra rounds; a label vote needs only the neighbours' labels, which
//! one round delivers. Updating every node at once makes labels oscillate on bipartite
//! structures, so each pair of rounds updates a seeded random half of the nodes, then the other
//! half: every node votes once per pair on its neighbours' latest labels. A pair costs three
//! rounds (two label rounds, one stop check); the job stops after a pair with no change.

use std::path::PathBuf;

use rapport_graph::hash::FxMap;
use timely::worker::Worker;

use crate::cluster::{Cluster, execute};
use crate::job::{Ctx, gather};
use crate::output::stage;
use crate::owned::Owned;
use crate::round::{Rounds, owner};
use crate::{DistError, JobInput, Traffic};

/// Label-propagation parameters.
#[derive(Debug, Clone, Copy)]
pub struct LabelPropagationParams {
    /// Seed of the halves each pair of rounds updates.
    pub seed: u64,
    /// Upper bound on pairs of rounds (the in-memory engine's `max_rounds`).
    pub max_pairs: usize,
    /// Modularity resolution of the reported modularity.
    pub resolution: f64,
}

impl Default for LabelPropagationParams {
    fn default() -> Self {
        Self { seed: 42, max_pairs: 100, resolution: 1.0 }
    }
}

/// How a communities job went.
#[derive(Debug, Clone)]
pub struct CommunitiesOutcome {
    /// Nodes in the graph.
    pub nodes: u64,
    /// Communities found.
    pub communities: u64,
    /// The modularity of the partition at the job's resolution.
    pub modularity: f64,
    /// Pairs of label rounds run.
    pub pairs: u64,
    /// The files this process's workers wrote (`node<TAB>community`, a community named by
    /// one of its nodes).
    pub files: Vec<PathBuf>,
    /// Lines written over all workers.
    pub lines: u64,
    /// What the workers sent each other.
    pub traffic: Traffic,
}

/// Finds label-propagation communities on `cluster`.
pub fn communities(
    cluster: &Cluster,
    input: &JobInput,
    params: &LabelPropagationParams,
) -> Result<CommunitiesOutcome, DistError> {
    let (input, params, wpp) = (input.clone(), *params, cluster.workers);
    let parts = execute(cluster, move |worker| label_worker(worker, wpp, &input, &params))?;
    gather(parts, |p| &mut p.files)
}

/// A row's neighbours with their weights: a row holds `(neighbour, direction)` entries, once
/// each, so a pair's weight is how many distinct directed arcs join it (1, or 2 for a mutual
/// pair of a directed graph).
fn weighted(row: &[(u32, u8)]) -> impl Iterator<Item = (u32, f64)> + '_ {
    row.chunk_by(|x, y| x.0 == y.0).map(|same| (same[0].0, same.len() as f64))
}

fn mix(x: u64) -> u64 {
    let x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The in-memory engine's vote: the label of most weight, the node's own on a tie with it,
/// otherwise the smallest.
fn vote(own: u32, row: &[(u32, u8)], labels: &FxMap<u32, u32>, acc: &mut Vec<(u32, f64)>) -> u32 {
    acc.clear();
    acc.extend(weighted(row).map(|(u, w)| (labels.get(&u).copied().unwrap_or(u), w)));
    acc.sort_unstable_by_key(|a| a.0);
    let mut best = own;
    let mut best_weight = 0.0;
    let mut i = 0;
    let mut sums = Vec::new();
    while i < acc.len() {
        let l = acc[i].0;
        let mut w = 0.0;
        while i < acc.len() && acc[i].0 == l {
            w += acc[i].1;
            i += 1;
        }
        if l == own {
            best_weight = w;
        }
        sums.push((l, w));
    }
    for (l, w) in sums {
        if w > best_weight || (w == best_weight && l < best && best != own) {
            best = l;
            best_weight = w;
        }
    }
    best
}

fn label_worker(
    worker: &mut Worker,
    workers_per_process: usize,
    input: &JobInput,
    params: &LabelPropagationParams,
) -> Result<CommunitiesOutcome, DistError> {
    let mut ctx = Ctx::new(worker, workers_per_process);
    let mut labels_x = Rounds::<(u32, u32)>::new(ctx.worker, workers_per_process);
    let mut totals_x = Rounds::<(u32, f64)>::new(ctx.worker, workers_per_process);
    let peers = ctx.peers();
    let directed = input.directed;
    let g = Owned::<(u32, u8)>::load(&mut ctx, input, |a, b| {
        if a == b {
            // A self-loop only declares its node.
            return [(a, None), (a, None)];
        }
        let (a, b) = if directed || a <= b { (a, b) } else { (b, a) };
        [(a, Some((b, 0))), (b, Some((a, 1)))]
    })?;
    let nodes = &g.nodes;

    let mut own: Vec<u32> = nodes.clone();
    let mut known: FxMap<u32, u32> = FxMap::default();
    let mut acc = Vec::new();
    let mut listeners: Vec<usize> = Vec::new();
    let mut pairs = 0;
    while pairs < params.max_pairs as u64 {
        let split = mix(params.seed ^ mix(pairs));
        let mut changes = 0u64;
        for half in 0..2 {
            let mut updates = Vec::new();
            for (i, &v) in nodes.iter().enumerate() {
                if mix(u64::from(v) ^ split) & 1 != half {
                    continue;
                }
                let next = vote(own[i], g.row(i), &known, &mut acc);
                if next != own[i] {
                    own[i] = next;
                    changes += 1;
                    // The workers that hold a neighbour of `v`, so the change reaches exactly
                    // them.
                    listeners.clear();
                    listeners.extend(g.row(i).iter().map(|&(u, _)| owner(u, peers)));
                    listeners.sort_unstable();
                    listeners.dedup();
                    updates.extend(listeners.iter().map(|&w| (w, (v, next))));
                }
            }
            for (v, l) in labels_x.round(ctx.worker, updates, &mut ctx.traffic) {
                known.insert(v, l);
            }
        }
        pairs += 1;
        if ctx.sum(&[changes as f64])[0] == 0.0 {
            break;
        }
    }

    // Modularity: edge weight inside communities, and each community's total strength summed
    // at the community's owner.
    let label_of = |u: u32| known.get(&u).copied().unwrap_or(u);
    let mut inside = 0.0;
    let mut strength_total = 0.0;
    let mut by_label: FxMap<u32, f64> = FxMap::default();
    for (i, &label) in own.iter().enumerate() {
        let strength: f64 = weighted(g.row(i)).map(|r| r.1).sum();
        inside += weighted(g.row(i)).filter(|r| label_of(r.0) == label).map(|r| r.1).sum::<f64>();
        strength_total += strength;
        *by_label.entry(label).or_insert(0.0) += strength;
    }
    let outgoing = by_label.into_iter().map(|(l, s)| (owner(l, peers), (l, s)));
    let mut communities: FxMap<u32, f64> = FxMap::default();
    for (l, s) in totals_x.round(ctx.worker, outgoing, &mut ctx.traffic) {
        *communities.entry(l).or_insert(0.0) += s;
    }
    let squares: f64 = communities.values().map(|t| t * t).sum();
    let sums =
        ctx.sum(&[nodes.len() as f64, communities.len() as f64, inside, strength_total, squares]);
    let total = sums[3];
    let modularity = if total > 0.0 {
        sums[2] / total - params.resolution * sums[4] / (total * total)
    } else {
        0.0
    };

    let index = ctx.index();
    let staged = input
        .output
        .as_ref()
        .map(|dir| stage(dir, index, nodes.iter().zip(&own).map(|(v, l)| format!("{v}\t{l}"))))
        .transpose();
    let finished = ctx.finish(staged)?;
    Ok(CommunitiesOutcome {
        nodes: sums[0] as u64,
        communities: sums[1] as u64,
        modularity,
        pairs,
        files: finished.file.into_iter().collect(),
        lines: finished.lines,
        traffic: finished.traffic,
    })
}
