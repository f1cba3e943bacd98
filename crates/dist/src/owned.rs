//! The part of the graph one worker owns: its nodes (sorted 32-bit ids) and their rows, one
//! compressed sparse row array for all of them.
//!
//! It is built in two streamed passes over the worker's share of the input, so no worker ever
//! holds its edges or arcs as a list: the first pass sends every arc's source to its owner,
//! which counts each node's arcs; the second sends the arcs themselves, which the owner writes
//! straight into their row's slots. The price is reading the input twice; the gain is a peak
//! of about the final rows (4 bytes per arc for PageRank) instead of 16 to 24 bytes per arc
//! for a list that is sorted and grouped afterwards.

use rapport_graph::hash::FxMap;
use timely::ExchangeData;

use crate::job::Ctx;
use crate::round::{Rounds, owner};
use crate::split::for_each_edge;
use crate::{DistError, JobInput};

/// A worker's nodes and their rows of entries (`u32` neighbours, or neighbours with a tag).
pub(crate) struct Owned<T> {
    /// The worker's nodes, sorted.
    pub(crate) nodes: Vec<u32>,
    offsets: Vec<usize>,
    targets: Vec<T>,
}

/// What one edge `(a, b)` puts in the rows: up to two `(node, entry)` arcs; an arc without an
/// entry only declares its node (a self-loop, or the target of a directed edge).
pub(crate) type Arcs<T> = [(u32, Option<T>); 2];

/// The out-rows each edge `(a, b)` adds, as the in-memory engine builds them: `a`'s row gets `b`
/// and, undirected, `b`'s gets `a`; a directed edge makes its target a node too, even one with no
/// out-edges; a self-loop only declares its node, as the in-memory engine drops self-loops.
pub(crate) fn out_rows(directed: bool) -> impl Fn(u32, u32) -> Arcs<u32> {
    move |a, b| {
        if a == b {
            [(a, None), (a, None)]
        } else if directed {
            [(a, Some(b)), (b, None)]
        } else {
            [(a, Some(b)), (b, Some(a))]
        }
    }
}

impl<T: ExchangeData + Ord + Copy + Default> Owned<T> {
    /// Reads this worker's share of `input` and builds the rows of the nodes it owns from every
    /// worker's `arcs`. Rows are sorted, and repeated entries are kept once.
    pub(crate) fn load(
        ctx: &mut Ctx<'_>,
        input: &JobInput,
        arcs: impl Fn(u32, u32) -> Arcs<T>,
    ) -> Result<Self, DistError> {
        let wpp = ctx.workers_per_process;
        let mut counts_x = Rounds::<(u32, bool)>::new(ctx.worker, wpp);
        let mut arcs_x = Rounds::<(u32, T)>::new(ctx.worker, wpp);
        let (me, peers) = (ctx.index(), ctx.peers());

        // Pass 1: each node's arc count, at its owner.
        let mut counts: FxMap<u32, usize> = FxMap::default();
        let mut count = |(v, arc): (u32, bool)| *counts.entry(v).or_default() += usize::from(arc);
        let read = for_each_edge(input, me, peers, wpp, |a, b| {
            for (v, entry) in arcs(a, b) {
                let record = (v, entry.is_some());
                counts_x.send(ctx.worker, owner(v, peers), record, &mut ctx.traffic, &mut count);
            }
        });
        counts_x.close(ctx.worker, &mut ctx.traffic, &mut count);
        ctx.agree(read)?;

        let mut nodes: Vec<u32> = counts.keys().copied().collect();
        nodes.sort_unstable();
        let mut offsets = Vec::with_capacity(nodes.len() + 1);
        offsets.push(0);
        for (i, v) in nodes.iter().enumerate() {
            let next = offsets[i] + counts[v];
            offsets.push(next);
        }
        // From here `counts` maps a node to the next free slot of its row.
        for (i, v) in nodes.iter().enumerate() {
            counts.insert(*v, offsets[i]);
        }
        let mut targets = vec![T::default(); offsets[nodes.len()]];

        // Pass 2: the arcs, each written into its row.
        let mut place = |(v, t): (u32, T)| {
            if let Some(slot) = counts.get_mut(&v) {
                // A file that changed between the passes may bring more arcs than counted.
                if let Some(cell) = targets.get_mut(*slot) {
                    *cell = t;
                }
                *slot += 1;
            }
        };
        let read = for_each_edge(input, me, peers, wpp, |a, b| {
            for (v, entry) in arcs(a, b) {
                if let Some(t) = entry {
                    arcs_x.send(ctx.worker, owner(v, peers), (v, t), &mut ctx.traffic, &mut place);
                }
            }
        });
        arcs_x.close(ctx.worker, &mut ctx.traffic, &mut place);
        // Every row must be filled exactly as counted, or the input changed under the job.
        let filled = nodes.iter().zip(&offsets[1..]).all(|(v, &end)| counts.get(v) == Some(&end));
        let read = read.and_then(|()| {
            if filled {
                Ok(())
            } else {
                Err(DistError::Unsupported(format!(
                    "{} changed while the job read it (its two passes found different edges); run the job again on a file that is not being written",
                    input.file.display()
                )))
            }
        });
        ctx.agree(read)?;
        drop(counts);

        // Sort each row, keep each entry once, and close the gaps that leaves.
        let mut write = 0;
        for i in 0..nodes.len() {
            let (from, to) = (offsets[i], offsets[i + 1]);
            targets[from..to].sort_unstable();
            offsets[i] = write;
            let mut last = None;
            for j in from..to {
                let t = targets[j];
                if last != Some(t) {
                    targets[write] = t;
                    write += 1;
                    last = Some(t);
                }
            }
        }
        offsets[nodes.len()] = write;
        targets.truncate(write);
        targets.shrink_to_fit();
        Ok(Self { nodes, offsets, targets })
    }

    /// The entries of the `i`-th node, sorted.
    pub(crate) fn row(&self, i: usize) -> &[T] {
        &self.targets[self.offsets[i]..self.offsets[i + 1]]
    }

    /// The position of node `v` among this worker's nodes.
    pub(crate) fn position(&self, v: u32) -> Option<usize> {
        self.nodes.binary_search(&v).ok()
    }

    /// All entries, row after row.
    pub(crate) fn targets(&self) -> &[T] {
        &self.targets
    }
}

impl Owned<u32> {
    /// Renames every node and entry by `rename`, which must keep their order (so rows stay
    /// sorted); `None` for an id it does not know, which can only be an input that changed
    /// between the passes that read it.
    pub(crate) fn renumber(
        &mut self,
        input: &JobInput,
        rename: impl Fn(u32) -> Option<u32>,
    ) -> Result<(), DistError> {
        for id in self.nodes.iter_mut().chain(self.targets.iter_mut()) {
            *id = rename(*id).ok_or_else(|| {
                DistError::Unsupported(format!(
                    "{} changed while the job read it (node {id} was not there when the nodes were counted); run the job again on a file that is not being written",
                    input.file.display()
                ))
            })?;
        }
        Ok(())
    }
}
