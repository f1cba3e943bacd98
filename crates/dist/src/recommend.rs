//! `recommend-all`: who-to-follow for every account (or a list), by the in-memory engine's own
//! circle-of-trust ranking (`rapport_graph::algo::salsa::who_to_follow`), so each account's
//! top-k is the one `rapport graph recommend` gives.
//!
//! Users are partitioned over the workers by owner. The ranking expands each user's
//! neighbourhood (a personalized PageRank push, the circle's follows, two- and three-hop paths),
//! and on a small-world network the neighbourhoods of any worker's share of *all* users cover
//! nearly the whole graph; so rather than ship adjacency rows between processes on demand (one
//! round per hop, and in total more bytes than the file), every process reads the whole edge
//! list into one CSR shared by its worker threads. The job is then one round of agreement at the
//! end, and it scales with processes for as long as the graph fits one machine's memory (the
//! in-memory engine's 9 bytes per edge: about 22 GB for all of Bluesky's follows).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rapport_graph::algo::salsa::{CircleParams, who_to_follow};
use rapport_graph::jobs::{EdgeInput, LoadedGraph, load};

use crate::cluster::{Cluster, execute};
use crate::job::{Ctx, gather};
use crate::output::stage;
use crate::round::owner;
use crate::{DistError, JobInput, Traffic};

/// Whom to recommend for, and how many.
#[derive(Debug, Clone)]
pub struct RecommendAllParams {
    /// A file of user ids, one per line; `None` recommends for every node.
    pub users: Option<PathBuf>,
    /// Size of the circle of trust.
    pub circle: usize,
    /// Recommendations per user.
    pub limit: usize,
}

/// How a recommend-all job went.
#[derive(Debug, Clone)]
pub struct RecommendOutcome {
    /// Users recommended for.
    pub users: u64,
    /// The files this process's workers wrote (`user<TAB>candidate<TAB>score`).
    pub files: Vec<PathBuf>,
    /// Lines written over all workers.
    pub lines: u64,
    /// What the workers sent each other.
    pub traffic: Traffic,
}

/// Recommends whom to follow for every user of `params` on `cluster`.
pub fn recommend_all(
    cluster: &Cluster,
    input: &JobInput,
    params: &RecommendAllParams,
) -> Result<RecommendOutcome, DistError> {
    if crate::parts::list(&input.file)?.is_some() {
        return Err(DistError::Unsupported(format!(
            "recommend-all reads one edge-list file, as every process loads the whole graph; {} names parts (concatenate them: `cat PARTS > edges.txt`)",
            input.file.display()
        )));
    }
    let edges =
        EdgeInput { file: input.file.clone(), directed: input.directed, weight_column: None };
    let loaded = load(&edges).map_err(DistError::from).and_then(|g| {
        let users = match &params.users {
            Some(path) => read_users(path, &g)?,
            None => (0..g.csr.node_count()).collect(),
        };
        Ok((g, users))
    });
    let loaded = Arc::new(loaded);
    let shared = Arc::clone(&loaded);
    let (input, params2, wpp) = (input.clone(), params.clone(), cluster.workers);
    let parts = execute(cluster, move |worker| {
        let mut ctx = Ctx::new(worker, wpp);
        let graph = match &*shared {
            Ok(g) => Ok(g),
            Err(e) => Err(DistError::Workers(e.to_string())),
        };
        let (g, users) = ctx.agree(graph)?;
        recommend_worker(&mut ctx, &input, &params2, g, users)
    })?;
    // A graph that failed to load is reported with its own error, not the workers' summary.
    match Arc::try_unwrap(loaded) {
        Ok(Err(e)) => return Err(e),
        Err(shared) if shared.is_err() => {
            return Err(DistError::Workers("the edge list or the users could not be read".into()));
        }
        _ => {}
    }
    gather(parts, |p| &mut p.files)
}

/// The dense ids of the users listed in `path`, one id per line (`#` comments allowed).
fn read_users(path: &Path, g: &LoadedGraph) -> Result<Vec<u32>, DistError> {
    let text = std::fs::read_to_string(path).map_err(|e| DistError::io(path, e))?;
    let mut users = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |message: String| DistError::Parse {
            path: path.to_owned(),
            line: n as u64 + 1,
            message,
        };
        let id: u64 = line.parse().map_err(|_| {
            bad(format!(
                "expected a user id (a non-negative integer), found `{}`",
                line.chars().take(40).collect::<String>()
            ))
        })?;
        let dense = g
            .csr
            .ids()
            .dense(id)
            .ok_or_else(|| bad(format!("user {id} does not appear in the edge list")))?;
        users.push(dense);
    }
    Ok(users)
}

fn recommend_worker(
    ctx: &mut Ctx<'_>,
    input: &JobInput,
    params: &RecommendAllParams,
    g: &LoadedGraph,
    users: &[u32],
) -> Result<RecommendOutcome, DistError> {
    let (me, peers) = (ctx.index(), ctx.peers());
    let ids = g.csr.ids();
    let circle = CircleParams { circle_size: params.circle, ..CircleParams::default() };
    let mine: Vec<u32> =
        users.iter().copied().filter(|&u| owner(ids.original(u), peers) == me).collect();
    let lines = mine.iter().flat_map(|&u| {
        let user = ids.original(u);
        who_to_follow(&g.csr, u, &[], &circle, params.limit)
            .into_iter()
            .map(move |(v, s)| format!("{user}\t{}\t{s}", ids.original(v)))
    });
    let staged = match &input.output {
        Some(dir) => stage(dir, me, lines).map(Some),
        None => Ok({
            // Without an output directory the ranking still runs (a benchmark's dry run).
            lines.for_each(drop);
            None
        }),
    };
    let count = ctx.sum(&[mine.len() as f64])[0];
    let finished = ctx.finish(staged)?;
    Ok(RecommendOutcome {
        users: count as u64,
        files: finished.file.into_iter().collect(),
        lines: finished.lines,
        traffic: finished.traffic,
    })
}
