//! The weighted undirected graph Leiden works on: level 0 borrows the CSR of an undirected
//! graph (no copy of hundreds of millions of arcs), coarser levels own their aggregated arrays.
//! Self-loops are kept apart as `loops[v]` (the `A_vv` term), so rows hold other nodes only.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::build::{Orientation, build_adjacency};
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
}
