//! Weakly connected components in few rounds: each worker runs union-find over the edges it read
//! (no edge is exchanged), then the workers agree on labels. Every node's owner keeps its label
//! (initially its own id); every worker holding the node in a local component proposes the
//! smallest label of that component, owners keep the smallest proposal and send changed labels
//! back to the workers holding the node. At the fixed point every local component has one label,
//! so every edge joins equal labels, and each component is labelled by its smallest node id: the
//! labelling of the in-memory engine, whose components are numbered in order of smallest node.
//!
//! Owners also jump pointers: a node labelled `m` takes `m`'s label, so the distance to the
//! smallest node halves each iteration. An iteration is five rounds (stop check, proposals, the
//! jump's question and answer, changed labels). A random split of the edges leaves most of a
//! component connected inside each worker, and the jumps shorten what is left, so iterations
//! are few (a 2,000-node path on three workers takes about a dozen; label propagation hop by
//! hop would need a round per hop).

use std::path::PathBuf;

use timely::worker::Worker;

use crate::cluster::{Cluster, execute};
use crate::job::{Ctx, gather};
use crate::output::stage;
use crate::round::{Rounds, owner};
use crate::split::for_each_edge;
use crate::{DistError, JobInput, Traffic};

/// How a components job went.
#[derive(Debug, Clone)]
pub struct ComponentsOutcome {
    /// Nodes in the graph.
    pub nodes: u64,
    /// Connected components.
    pub components: u64,
    /// Label-agreement iterations (five rounds each).
    pub iterations: u64,
    /// The files this process's workers wrote (`node<TAB>smallest node of its component`).
    pub files: Vec<PathBuf>,
    /// Lines written over all workers.
    pub lines: u64,
    /// What the workers sent each other.
    pub traffic: Traffic,
}

/// Finds the weakly connected components on `cluster` (edge direction is ignored).
pub fn components(cluster: &Cluster, input: &JobInput) -> Result<ComponentsOutcome, DistError> {
    let (input, wpp) = (input.clone(), cluster.workers);
    let parts = execute(cluster, move |worker| components_worker(worker, wpp, &input))?;
    gather(parts, |p| &mut p.files)
}

/// The local forest: the worker's nodes (sorted) and the root of each one's local component.
fn local_forest(edges: &[[u32; 2]]) -> (Vec<u32>, Vec<u32>) {
    let mut nodes: Vec<u32> = edges.iter().flatten().copied().collect();
    nodes.sort_unstable();
    nodes.dedup();
    let index = |v: u32| nodes.partition_point(|&x| x < v) as u32;
    let mut parent: Vec<u32> = (0..nodes.len() as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let grand = parent[parent[x as usize] as usize];
            parent[x as usize] = grand;
            x = grand;
        }
        x
    }
    for &[a, b] in edges {
        let (ra, rb) = (find(&mut parent, index(a)), find(&mut parent, index(b)));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let roots = (0..nodes.len() as u32).map(|x| find(&mut parent, x)).collect();
    (nodes, roots)
}

fn components_worker(
    worker: &mut Worker,
    workers_per_process: usize,
    input: &JobInput,
) -> Result<ComponentsOutcome, DistError> {
    let mut ctx = Ctx::new(worker, workers_per_process);
    let mut labels_x = Rounds::<(u32, u32)>::new(ctx.worker, workers_per_process);
    let peers = ctx.peers();
    let me = ctx.index() as u32;
    // Edges are not exchanged: each worker joins the ones it read (8 bytes each).
    let mut edges: Vec<[u32; 2]> = Vec::new();
    let read = for_each_edge(input, ctx.index(), peers, workers_per_process, |a, b| {
        edges.push([a, b]);
    });
    ctx.agree(read)?;
    let (seen, root) = local_forest(&edges);
    drop(edges);

    // Owners learn which workers hold each of their nodes.
    let subscriptions = seen.iter().map(|&v| (owner(v, peers), (v, me)));
    let mut holders = labels_x.round(ctx.worker, subscriptions, &mut ctx.traffic);
    holders.sort_unstable();
    let mut owned: Vec<u32> = holders.iter().map(|h| h.0).collect();
    owned.dedup();
    let mut label: Vec<u32> = owned.clone();

    let mut copy: Vec<u32> = seen.clone();
    let mut best = vec![u32::MAX; seen.len()];
    let mut iterations = 0;
    loop {
        best.iter_mut().for_each(|b| *b = u32::MAX);
        for (i, &r) in root.iter().enumerate() {
            best[r as usize] = best[r as usize].min(copy[i]);
        }
        let mut proposals = Vec::new();
        for (i, &r) in root.iter().enumerate() {
            let m = best[r as usize];
            if copy[i] > m {
                copy[i] = m;
                proposals.push((owner(seen[i], peers), (seen[i], m)));
            }
        }
        if ctx.sum(&[proposals.len() as f64])[0] == 0.0 {
            break;
        }
        iterations += 1;
        let mut changed = Vec::new();
        for (v, m) in labels_x.round(ctx.worker, proposals, &mut ctx.traffic) {
            let i = owned.partition_point(|&x| x < v);
            if m < label[i] {
                label[i] = m;
                changed.push(i);
            }
        }
        // Pointer jumping: a node labelled `m` takes `m`'s own label, which halves the distance
        // to the component's smallest node (a long path needs a logarithmic number of
        // iterations, not one per worker it crosses).
        let asks = owned
            .iter()
            .zip(&label)
            .filter(|(v, l)| v != l)
            .map(|(&v, &l)| (owner(l, peers), (l, v)));
        let asked = labels_x.round(ctx.worker, asks, &mut ctx.traffic);
        let answers = asked.into_iter().map(|(l, v)| {
            let i = owned.partition_point(|&x| x < l);
            (owner(v, peers), (v, label[i]))
        });
        for (v, m) in labels_x.round(ctx.worker, answers.collect::<Vec<_>>(), &mut ctx.traffic) {
            let i = owned.partition_point(|&x| x < v);
            if m < label[i] {
                label[i] = m;
                changed.push(i);
            }
        }
        changed.sort_unstable();
        changed.dedup();
        let (holders, label) = (&holders, &label);
        let updates = changed.iter().flat_map(|&i| {
            let v = owned[i];
            let from = holders.partition_point(|h| h.0 < v);
            let to = holders.partition_point(|h| h.0 <= v);
            holders[from..to].iter().map(move |&(_, w)| (w as usize, (v, label[i])))
        });
        for (v, l) in labels_x.round(ctx.worker, updates, &mut ctx.traffic) {
            let i = seen.partition_point(|&x| x < v);
            copy[i] = copy[i].min(l);
        }
    }

    let roots = owned.iter().zip(&label).filter(|(v, l)| v == l).count();
    let totals = ctx.sum(&[owned.len() as f64, roots as f64]);
    let index = ctx.index();
    let staged = input
        .output
        .as_ref()
        .map(|dir| stage(dir, index, owned.iter().zip(&label).map(|(v, l)| format!("{v}\t{l}"))))
        .transpose();
    let finished = ctx.finish(staged)?;
    Ok(ComponentsOutcome {
        nodes: totals[0] as u64,
        components: totals[1] as u64,
        iterations,
        files: finished.file.into_iter().collect(),
        lines: finished.lines,
        traffic: finished.traffic,
    })
}
