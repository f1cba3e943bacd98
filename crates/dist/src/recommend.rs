//! `recommend-all`: who-to-follow for every account (or a list), by the in-memory engine's own
//! circle-of-trust ranking (`rapport_graph::algo::salsa::who_to_follow`), so each account's
//! top-k is the one `rapport graph recommend` gives, to the last bit of its score.
//!
//! Each worker holds only its share of the graph: the out-rows (and, directed, the in-rows) of
//! the nodes it owns, streamed from its part of the input like every other job, plus every
//! node's degrees ([`Nodes`]). It ranks the users it owns a batch at a time on a [`Partial`]
//! view: a ranking that reads a row the worker does not hold notes it as missing, the batch's
//! missing rows are fetched from their owners in one exchange (a request round and a reply
//! round), and the rankings that missed something run again. The ranking's personalized
//! PageRank push has no fixed depth, so the rows it needs are found hop by hop: on R-MAT 40M,
//! for 2,000 random users over 4 processes, a ranking ran 4.0 times on average, and the last,
//! complete run is the one written. The runs before it cost about as much as it does (once the
//! hubs' rows are in, every run pushes through them), which is where most of the job's CPU goes
//! (BENCHMARKS.md). Rows fetched for a batch are kept for the next ones until they pass
//! [`CACHE_ENTRIES`], so the hubs most neighbourhoods share travel once per worker, not once
//! per user.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rapport_graph::algo::salsa::{CircleParams, who_to_follow};

use crate::cluster::{Cluster, execute};
use crate::job::{Ctx, gather};
use crate::nodes::Nodes;
use crate::output::Staging;
use crate::owned::{Arcs, Owned, out_rows};
use crate::partial::{Fetched, Local, Partial, RowKey};
use crate::round::{Rounds, owner};
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
    /// Rankings run over all workers (a user's ranking runs again while it misses rows).
    pub rankings: u64,
    /// Rows fetched from other workers, over all workers.
    pub rows_fetched: u64,
    /// The files this process's workers wrote (`user<TAB>candidate<TAB>score`).
    pub files: Vec<PathBuf>,
    /// Lines written over all workers.
    pub lines: u64,
    /// What the workers sent each other.
    pub traffic: Traffic,
}

/// Users a worker ranks between exchanges: more share more fetched rows and need fewer rounds,
/// fewer keep less of the graph in memory at once (on R-MAT 40M the rows 200 hub-heavy users
/// read add up to half the graph's arcs).
const BATCH: usize = 32;

/// Fetched row entries a worker keeps between batches (64 MB); past it, it starts afresh.
const CACHE_ENTRIES: usize = 16 << 20;

/// A request's kind: an out-row, an in-row, or "this worker still has users to rank".
const OUT_ROW: u8 = 0;
const IN_ROW: u8 = 1;
const BUSY: u8 = 2;

/// Recommends whom to follow for every user of `params` on `cluster`.
pub fn recommend_all(
    cluster: &Cluster,
    input: &JobInput,
    params: &RecommendAllParams,
) -> Result<RecommendOutcome, DistError> {
    // A users file that cannot be read stops every worker, and this process reports its error.
    let (users, error) = match params.users.as_deref().map(read_users).transpose() {
        Ok(users) => (Ok(users), None),
        Err(e) => (Err(e.to_string()), Some(e)),
    };
    let users = Arc::new(users);
    let (input, params, wpp) = (input.clone(), params.clone(), cluster.workers);
    // The node table of this process, built by its first worker and read by all.
    let nodes = Arc::new(OnceLock::new());
    let parts = execute(cluster, move |worker| {
        let mut ctx = Ctx::new(worker, wpp);
        let users = users.as_ref().as_ref().map_err(|e| DistError::Workers(e.clone()));
        let users = ctx.agree(users)?;
        recommend_worker(&mut ctx, &input, &params, users.as_deref(), &nodes)
    })?;
    if let Some(e) = error {
        return Err(e);
    }
    gather(parts, |p| &mut p.files)
}

/// The user ids listed in `path`, one per line (`#` comments allowed), with their line numbers.
fn read_users(path: &Path) -> Result<Vec<(u64, u64)>, DistError> {
    let text = std::fs::read_to_string(path).map_err(|e| DistError::io(path, e))?;
    let mut users = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let id: u64 = line.parse().map_err(|_| DistError::Parse {
            path: path.to_owned(),
            line: n as u64 + 1,
            message: format!(
                "expected a user id (a non-negative integer), found `{}`",
                line.chars().take(40).collect::<String>()
            ),
        })?;
        users.push((id, n as u64 + 1));
    }
    Ok(users)
}

/// A directed graph's in-rows: `b`'s gets `a` (self-loops only declare their node, as for
/// [`out_rows`]).
fn in_rows(a: u32, b: u32) -> Arcs<u32> {
    if a == b { [(a, None), (a, None)] } else { [(b, Some(a)), (a, None)] }
}

fn recommend_worker(
    ctx: &mut Ctx<'_>,
    input: &JobInput,
    params: &RecommendAllParams,
    users: Option<&[(u64, u64)]>,
    slot: &OnceLock<Nodes>,
) -> Result<RecommendOutcome, DistError> {
    let wpp = ctx.workers_per_process;
    let mut requests_x = Rounds::<(u32, u32, u8)>::new(ctx.worker, wpp);
    // Bincode writes a row as its node, the in-row flag, a 64-bit length and the entries.
    let mut rows_x =
        Rounds::<(u32, bool, Vec<u32>)>::sized(ctx.worker, wpp, |r| 4 + 1 + 8 + 4 * r.2.len());
    let (me, peers) = (ctx.index(), ctx.peers());

    let mut local = Local {
        out: Owned::load(ctx, input, out_rows(input.directed))?,
        incoming: if input.directed { Some(Owned::load(ctx, input, in_rows)?) } else { None },
    };
    let nodes = Nodes::gather(ctx, &local.out, local.incoming.as_ref(), slot)?;
    let dense = |v: u32| nodes.dense(v.into());
    let renamed = local
        .out
        .renumber(input, dense)
        .and_then(|()| local.incoming.as_mut().map_or(Ok(()), |inc| inc.renumber(input, dense)));
    ctx.agree(renamed)?;
    let path = params.users.as_deref();
    let mine = ctx.agree(my_users(nodes, users.zip(path), me, peers))?;

    let mut staging = input.output.as_ref().map(|dir| Staging::create(dir, me)).transpose();
    let circle = CircleParams { circle_size: params.circle, ..CircleParams::default() };
    let mut fetched = Fetched::default();
    let mut batches = mine.chunks(BATCH);
    let mut pending: Vec<u32> = Vec::new();
    let (mut rankings, mut rows_fetched) = (0u64, 0u64);
    loop {
        // Rank until every pending user missed a row, or no user is left.
        let mut wanted: Vec<RowKey> = Vec::new();
        while wanted.is_empty() {
            if pending.is_empty() {
                let Some(batch) = batches.next() else { break };
                if fetched.len() > CACHE_ENTRIES {
                    fetched.clear();
                }
                pending = batch.to_vec();
            }
            let view = Partial::new(nodes, &local, &fetched);
            let mut again = Vec::new();
            for &user in &pending {
                let ranked = who_to_follow(&view, user, &[], &circle, params.limit);
                rankings += 1;
                let missing = view.take_missing();
                if missing.is_empty() {
                    write(&mut staging, nodes, user, &ranked);
                } else {
                    wanted.extend(missing);
                    again.push(user);
                }
            }
            pending = again;
        }
        wanted.sort_unstable();
        wanted.dedup();

        // Ask the rows' owners for them; a worker with users left also tells every worker so.
        let kind = |incoming| if incoming { IN_ROW } else { OUT_ROW };
        let requests = wanted.iter().map(|&(v, incoming)| {
            (owner(nodes.original(v), peers), (me as u32, v, kind(incoming)))
        });
        let busy = (0..peers).filter(|_| !pending.is_empty()).map(|w| (w, (me as u32, 0, BUSY)));
        let asked = requests_x.round(ctx.worker, requests.chain(busy), &mut ctx.traffic);
        if asked.iter().all(|r| r.2 != BUSY) {
            break;
        }
        let replies = asked.iter().filter(|r| r.2 != BUSY).map(|&(from, v, kind)| {
            let key = (v, kind == IN_ROW);
            // Rows are asked of their owner, which holds them.
            (from as usize, (v, key.1, local.row(key).unwrap_or(&[]).to_vec()))
        });
        for (v, incoming, row) in rows_x.round(ctx.worker, replies, &mut ctx.traffic) {
            fetched.insert((v, incoming), &row);
            rows_fetched += 1;
        }
    }

    let counts = [mine.len() as u64, rankings, rows_fetched].map(|x| x as f64);
    let counts = ctx.sum(&counts);
    let staged = staging.and_then(|s| s.map(Staging::finish).transpose());
    let finished = ctx.finish(staged)?;
    Ok(RecommendOutcome {
        users: counts[0] as u64,
        rankings: counts[1] as u64,
        rows_fetched: counts[2] as u64,
        files: finished.file.into_iter().collect(),
        lines: finished.lines,
        traffic: finished.traffic,
    })
}

/// The dense ids of the users this worker ranks: those of the list (with its path), or all
/// nodes, that it owns. A listed user that is not a node stops the job, naming its line.
fn my_users(
    nodes: &Nodes,
    list: Option<(&[(u64, u64)], &Path)>,
    me: usize,
    peers: usize,
) -> Result<Vec<u32>, DistError> {
    let Some((list, path)) = list else {
        return Ok((0..nodes.len()).filter(|&v| owner(nodes.original(v), peers) == me).collect());
    };
    let mut mine = Vec::new();
    for &(id, line) in list {
        let v = nodes.dense(id).ok_or_else(|| DistError::Parse {
            path: path.to_owned(),
            line,
            message: format!("user {id} does not appear in the edge list"),
        })?;
        if owner(id, peers) == me {
            mine.push(v);
        }
    }
    Ok(mine)
}

/// Writes a user's recommendations as `user<TAB>candidate<TAB>score` lines; a failed write is
/// kept, and reported once every worker has finished.
fn write(
    staging: &mut Result<Option<Staging>, DistError>,
    nodes: &Nodes,
    user: u32,
    ranked: &[(u32, f64)],
) {
    let Ok(Some(out)) = staging else { return };
    let user = nodes.original(user);
    for &(v, score) in ranked {
        if let Err(e) = out.line(&format!("{user}\t{}\t{score}", nodes.original(v))) {
            *staging = Err(e);
            return;
        }
    }
}
