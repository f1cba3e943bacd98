//! Every node of the graph with its degrees, one table per process: what a worker must know of
//! nodes it does not own to rank on a partial view of the graph (`recommend-all`).
//!
//! The ranking asks for the degree of every node it meets (personalized PageRank's push
//! threshold, the two-hop budget), far more nodes than it reads rows of, so the degrees are
//! replicated rather than fetched: 12 bytes per node per process (480 MB for Bluesky's 40 million
//! accounts), against 8 bytes per arc held once over the whole cluster. Nodes get the in-memory
//! engine's dense ids (the rank of their id, `rapport_graph::NodeIds`), so the ranking sees the
//! very node numbers, row orders and tie-breaks it sees in memory and gives the same scores to
//! the last bit.

use std::sync::OnceLock;

use crate::DistError;
use crate::job::Ctx;
use crate::owned::Owned;
use crate::round::Rounds;

/// The graph's nodes by dense id: their ids in the file and their degrees.
pub(crate) struct Nodes {
    /// Original ids, ascending; a node's dense id is its index here.
    ids: Vec<u32>,
    out_degree: Vec<u32>,
    in_degree: Vec<u32>,
    /// Dense ids by original id (`u32::MAX` for none), when the ids are dense enough for a
    /// table to cost no more than a few times the node count.
    table: Option<Vec<u32>>,
}

impl Nodes {
    /// Gathers every worker's nodes and degrees (from its out-rows and, for a directed graph,
    /// its in-rows) into one table per process, built by the process's first worker into `slot`
    /// and shared by the others. Every worker must call it (two rounds).
    pub(crate) fn gather<'s>(
        ctx: &mut Ctx<'_>,
        out: &Owned<u32>,
        incoming: Option<&Owned<u32>>,
        slot: &'s OnceLock<Nodes>,
    ) -> Result<&'s Nodes, DistError> {
        let wpp = ctx.workers_per_process;
        let mut nodes_x = Rounds::<(u32, u32, u32)>::new(ctx.worker, wpp);
        let processes = ctx.peers() / wpp;
        let mine: Vec<(u32, u32, u32)> = out
            .nodes
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let degree = out.row(i).len() as u32;
                // An undirected graph's in-row is its out-row, as in `Csr::in_neighbors`.
                let back = incoming
                    .map_or(degree, |inc| inc.position(v).map_or(0, |j| inc.row(j).len() as u32));
                (v, degree, back)
            })
            .collect();
        let outgoing = (0..processes).flat_map(|p| mine.iter().map(move |&n| (p * wpp, n)));
        let all = nodes_x.round(ctx.worker, outgoing, &mut ctx.traffic);
        if ctx.index().is_multiple_of(wpp) {
            // Only this process's first worker received anything; it is the only one to build.
            let _ = slot.set(Self::build(all));
        }
        // Once every worker is past this round, the first worker of each process has built.
        ctx.sum(&[]);
        slot.get().ok_or_else(|| DistError::Workers("the node table was not built".to_owned()))
    }

    fn build(mut all: Vec<(u32, u32, u32)>) -> Self {
        // Each node comes once, from its owner.
        all.sort_unstable_by_key(|n| n.0);
        let ids: Vec<u32> = all.iter().map(|n| n.0).collect();
        let max = ids.last().map_or(0, |&m| m as usize);
        let table = (max <= ids.len() * 4 + (1 << 20)).then(|| {
            let mut table = vec![u32::MAX; max + 1];
            for (dense, &id) in ids.iter().enumerate() {
                table[id as usize] = dense as u32;
            }
            table
        });
        Self {
            ids,
            out_degree: all.iter().map(|n| n.1).collect(),
            in_degree: all.iter().map(|n| n.2).collect(),
            table,
        }
    }

    /// The dense id of the node with original id `id`, if it is a node.
    pub(crate) fn dense(&self, id: u64) -> Option<u32> {
        match &self.table {
            Some(table) => usize::try_from(id)
                .ok()
                .and_then(|i| table.get(i))
                .copied()
                .filter(|&d| d != u32::MAX),
            None => {
                let id = u32::try_from(id).ok()?;
                self.ids.binary_search(&id).ok().map(|d| d as u32)
            }
        }
    }

    /// The original id of dense node `v`.
    pub(crate) fn original(&self, v: u32) -> u32 {
        self.ids[v as usize]
    }

    /// The number of nodes.
    pub(crate) fn len(&self) -> u32 {
        self.ids.len() as u32
    }

    pub(crate) fn out_degree(&self, v: u32) -> usize {
        self.out_degree[v as usize] as usize
    }

    pub(crate) fn in_degree(&self, v: u32) -> usize {
        self.in_degree[v as usize] as usize
    }
}
