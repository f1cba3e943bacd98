//! PageRank by power iteration with a fixed number of iterations, the in-memory engine's
//! formula (`rapport_graph::algo::pagerank`): dangling nodes spread their mass uniformly.
//!
//! Each worker owns its nodes' out-rows. An iteration is two rounds: the dangling mass is summed
//! over all workers, then each worker sends, for every distinct target of its rows, the sum of
//! its nodes' shares to the target's owner (combined before sending, so a worker sends at most
//! one record per distinct target, not one per edge).

use std::path::PathBuf;

use timely::worker::Worker;

use crate::cluster::{Cluster, execute};
use crate::job::{Ctx, gather};
use crate::output::stage;
use crate::owned::{Owned, out_rows};
use crate::round::{Rounds, owner};
use crate::{DistError, JobInput, Traffic};

/// PageRank parameters.
#[derive(Debug, Clone, Copy)]
pub struct RankParams {
    /// Probability of following an edge.
    pub damping: f64,
    /// Iterations (the in-memory engine gives the same scores with `max_iterations` set to
    /// this and a zero tolerance).
    pub iterations: usize,
    /// How many top nodes to report.
    pub limit: usize,
}

/// How a PageRank job went.
#[derive(Debug, Clone)]
pub struct RankOutcome {
    /// Nodes in the graph.
    pub nodes: u64,
    /// The top nodes by score, best first (ties by id); only process 0 has them.
    pub top: Vec<(u64, f64)>,
    /// The files this process's workers wrote (`node<TAB>score` for every node they own).
    pub files: Vec<PathBuf>,
    /// Lines written over all workers.
    pub lines: u64,
    /// What the workers sent each other.
    pub traffic: Traffic,
}

/// Runs PageRank on `cluster`.
pub fn rank(
    cluster: &Cluster,
    input: &JobInput,
    params: &RankParams,
) -> Result<RankOutcome, DistError> {
    let (input, params, wpp) = (input.clone(), *params, cluster.workers);
    let parts = execute(cluster, move |worker| rank_worker(worker, wpp, &input, &params))?;
    gather(parts, |p| &mut p.files)
}

fn rank_worker(
    worker: &mut Worker,
    workers_per_process: usize,
    input: &JobInput,
    params: &RankParams,
) -> Result<RankOutcome, DistError> {
    let mut ctx = Ctx::new(worker, workers_per_process);
    let mut scores_x = Rounds::<(u32, f64)>::new(ctx.worker, workers_per_process);
    let peers = ctx.peers();
    let g = Owned::<u32>::load(&mut ctx, input, out_rows(input.directed))?;
    let local = g.nodes.len();

    // Each arc's slot among the distinct targets, so an iteration adds into an array.
    let mut slots: Vec<u32> = g.targets().to_vec();
    slots.sort_unstable();
    slots.dedup();
    let slot_of: Vec<u32> =
        g.targets().iter().map(|t| slots.partition_point(|s| s < t) as u32).collect();

    let n = ctx.sum(&[local as f64])[0];
    let d = params.damping;
    let mut rank = vec![if n > 0.0 { 1.0 / n } else { 0.0 }; local];
    let mut acc = vec![0.0; slots.len()];
    for _ in 0..params.iterations {
        acc.iter_mut().for_each(|x| *x = 0.0);
        let mut dangling = 0.0;
        let mut arc = 0;
        for (i, &r) in rank.iter().enumerate() {
            let degree = g.row(i).len();
            if degree == 0 {
                dangling += r;
                continue;
            }
            let share = r / degree as f64;
            for &slot in &slot_of[arc..arc + degree] {
                acc[slot as usize] += share;
            }
            arc += degree;
        }
        let dangling = ctx.sum(&[dangling])[0];
        let base = (1.0 - d) / n + d * dangling / n;
        let outgoing = slots.iter().zip(&acc).map(|(&v, &s)| (owner(v, peers), (v, s)));
        let received = scores_x.round(ctx.worker, outgoing, &mut ctx.traffic);
        rank.iter_mut().for_each(|x| *x = base);
        for (v, s) in received {
            if let Some(i) = g.position(v) {
                rank[i] += d * s;
            }
        }
    }

    let mut top: Vec<(u32, f64)> = g.nodes.iter().copied().zip(rank.iter().copied()).collect();
    let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    top.sort_unstable_by(order);
    top.truncate(params.limit);
    let mut top = scores_x.round(ctx.worker, top.into_iter().map(|t| (0, t)), &mut ctx.traffic);
    top.sort_unstable_by(order);
    top.truncate(params.limit);

    let index = ctx.index();
    let staged = input
        .output
        .as_ref()
        .map(|dir| {
            let lines = g.nodes.iter().zip(&rank).map(|(v, s)| format!("{v}\t{s}"));
            stage(dir, index, lines)
        })
        .transpose();
    let finished = ctx.finish(staged)?;
    Ok(RankOutcome {
        nodes: n as u64,
        top: top.into_iter().map(|(v, s)| (u64::from(v), s)).collect(),
        files: finished.file.into_iter().collect(),
        lines: finished.lines,
        traffic: finished.traffic,
    })
}
