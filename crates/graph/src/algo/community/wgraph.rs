//! The weighted undirected graph Leiden works on: level 0 borrows the CSR of an undirected
//! graph (no copy of hundreds of millions of arcs), coarser levels own their aggregated arrays.
//! Self-loops are kept apart as `loops[v]` (the `A_vv` term), so rows hold other nodes only.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::build::{Orientation, build_adjacency};
use crate::parallel::{balanced_ranges, block_count, split_rows_mut};
use crate::{BuildOptions, Csr};

pub(crate) struct WGraph<'a> {
    pub(crate) offsets: Cow<'a, [u64]>,
    pub(crate) targets: Cow<'a, [u32]>,
    pub(crate) weights: Option<Cow<'a, [f32]>>,
    pub(crate) loops: Vec<f64>,
    /// Weighted degree, loops included.
    pub(crate) strength: Vec<f64>,
    /// Sum of all strengths (twice the total edge weight).
    pub(crate) total: f64,
}

impl<'a> WGraph<'a> {
    pub(crate) fn from_csr(csr: &'a Csr) -> Self {
        let out = csr.out();
        if !csr.is_directed() {
            // Weights are decoded once (four bytes per arc, weighted graphs only): the moving
            // loop reads them for every arc of every visit.
            return Self::new(
                Cow::Borrowed(&out.offsets),
                Cow::Borrowed(&out.targets),
                out.weights.as_ref().map(|w| Cow::Owned(w.decode())),
                vec![0.0; csr.node_count() as usize],
            );
        }
        // Symmetrise: every arc becomes an undirected edge; a mutual pair merges into weight 2.
        let n = csr.node_count() as usize;
        let edges: Vec<[u32; 2]> = csr.arcs().map(|(u, v)| [u, v]).collect();
        let weights: Vec<f32> = match &out.weights {
            Some(w) => w.decode(),
            None => vec![1.0; edges.len()],
        };
        let options = BuildOptions::undirected();
        let sym = build_adjacency(n, &edges, Some(&weights), Orientation::Both, &options, false);
        Self::new(
            Cow::Owned(sym.offsets),
            Cow::Owned(sym.targets),
            sym.weights.map(Cow::Owned),
            vec![0.0; n],
        )
    }

    pub(crate) fn new(
        offsets: Cow<'a, [u64]>,
        targets: Cow<'a, [u32]>,
        weights: Option<Cow<'a, [f32]>>,
        loops: Vec<f64>,
    ) -> Self {
        let mut g = Self { offsets, targets, weights, loops, strength: Vec::new(), total: 0.0 };
        g.strength = (0..g.len() as u32)
            .into_par_iter()
            .map(|v| {
                let mut s = g.loops[v as usize];
                g.for_each(v, |_, w| s += w);
                s
            })
            .collect();
        g.total = g.strength.par_iter().sum();
        g
    }

    /// A graph whose strengths (and their sum) are already known.
    pub(crate) fn with_strength(
        offsets: Cow<'a, [u64]>,
        targets: Cow<'a, [u32]>,
        weights: Option<Cow<'a, [f32]>>,
        loops: Vec<f64>,
        strength: Vec<f64>,
        total: f64,
    ) -> Self {
        Self { offsets, targets, weights, loops, strength, total }
    }

    /// A copy with nodes renumbered by decreasing degree, and `rank[old] = new`.
    ///
    /// Moving, refining and aggregating read the community of every neighbour of every node, at
    /// random. On a skewed graph most arcs lead to a few hubs; numbered first, the hubs' entries
    /// share a few cache lines instead of being scattered over arrays far larger than the cache.
    pub(crate) fn by_degree(&self) -> (WGraph<'static>, Vec<u32>) {
        let n = self.len();
        let degree = |v: u32| self.offsets[v as usize + 1] - self.offsets[v as usize];
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.par_sort_unstable_by_key(|&v| (std::cmp::Reverse(degree(v)), v));
        let mut rank = vec![0u32; n];
        for (new, &old) in order.iter().enumerate() {
            rank[old as usize] = new as u32;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u64);
        let mut end = 0;
        for &old in &order {
            end += degree(old);
            offsets.push(end);
        }
        let mut targets = vec![0u32; end as usize];
        let mut weights = self.weights.as_ref().map(|_| vec![0f32; end as usize]);
        let ranges = balanced_ranges(&offsets, block_count());
        let target_parts = split_rows_mut(&mut targets, &offsets, &ranges);
        let weight_parts: Vec<Option<&mut [f32]>> = match &mut weights {
            Some(w) => split_rows_mut(w, &offsets, &ranges).into_iter().map(Some).collect(),
            None => ranges.iter().map(|_| None).collect(),
        };
        ranges.par_iter().zip(target_parts).zip(weight_parts).for_each(|((rows, ts), mut ws)| {
            let mut at = 0;
            for &old in &order[rows.clone()] {
                let from =
                    self.offsets[old as usize] as usize..self.offsets[old as usize + 1] as usize;
                for (slot, &u) in
                    ts[at..at + from.len()].iter_mut().zip(&self.targets[from.clone()])
                {
                    *slot = rank[u as usize];
                }
                if let (Some(ws), Some(src)) = (ws.as_deref_mut(), &self.weights) {
                    ws[at..at + from.len()].copy_from_slice(&src[from.clone()]);
                }
                at += from.len();
            }
        });
        let loops = order.iter().map(|&old| self.loops[old as usize]).collect();
        let strength = order.par_iter().map(|&old| self.strength[old as usize]).collect();
        let g = WGraph::with_strength(
            Cow::Owned(offsets),
            Cow::Owned(targets),
            weights.map(Cow::Owned),
            loops,
            strength,
            self.total,
        );
        (g, rank)
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Calls `f(neighbour, weight)` for each arc of `v`.
    #[inline]
    pub(crate) fn for_each(&self, v: u32, mut f: impl FnMut(u32, f64)) {
        let range = self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize;
        let row = &self.targets[range.clone()];
        match &self.weights {
            Some(ws) => {
                for (&u, &w) in row.iter().zip(&ws[range]) {
                    f(u, f64::from(w));
                }
            }
            None => {
                for &u in row {
                    f(u, 1.0);
                }
            }
        }
    }

    pub(crate) fn row(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }

    /// The weights of `v`'s arcs, `None` when every arc weighs 1.
    pub(crate) fn row_weights(&self, v: u32) -> Option<&[f32]> {
        let range = self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize;
        self.weights.as_ref().map(|ws| &ws[range])
    }
}
