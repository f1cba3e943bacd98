//! An LFR-style benchmark (Lancichinetti, Fortunato and Radicchi, 2008): power-law degrees and
//! community sizes, and a mixing parameter μ, the share of each node's edges that leave its
//! community. Edges are wired by a configuration model inside each community and across
//! communities; self-loops, duplicates and cross stubs that land inside a community are dropped,
//! so the measured μ is a little under the nominal one (report the measured value).

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::simplify_undirected;
use crate::EdgeList;

/// LFR-style parameters.
#[derive(Debug, Clone, Copy)]
pub struct LfrParams {
    /// Number of nodes.
    pub nodes: u32,
    /// Target average degree.
    pub avg_degree: f64,
    /// Largest degree.
    pub max_degree: u32,
    /// Degree power-law exponent (τ1).
    pub degree_exponent: f64,
    /// Community-size power-law exponent (τ2).
    pub community_exponent: f64,
    /// Smallest community.
    pub min_community: u32,
    /// Largest community.
    pub max_community: u32,
    /// Mixing parameter μ in `[0, 1]`.
    pub mixing: f64,
    /// Random seed.
    pub seed: u64,
}

impl Default for LfrParams {
    fn default() -> Self {
        Self {
            nodes: 10_000,
            avg_degree: 20.0,
            max_degree: 100,
            degree_exponent: 2.5,
            community_exponent: 1.5,
            min_community: 20,
            max_community: 500,
            mixing: 0.3,
            seed: 42,
        }
    }
}

/// A generated graph and its planted partition.
#[derive(Debug, Clone)]
pub struct Planted {
    /// Undirected simple edges (`u < v`).
    pub edges: EdgeList,
    /// The planted community of each node.
    pub membership: Vec<u32>,
}

/// Draws from a power law with exponent `tau` on `[lo, hi]` by inverse transform.
fn power_law(rng: &mut ChaCha8Rng, tau: f64, lo: f64, hi: f64) -> f64 {
    let e = 1.0 - tau;
    let u: f64 = rng.random();
    (lo.powf(e) + u * (hi.powf(e) - lo.powf(e))).powf(1.0 / e)
}

fn power_law_mean(tau: f64, lo: f64, hi: f64) -> f64 {
    let (e1, e2) = (1.0 - tau, 2.0 - tau);
    (hi.powf(e2) - lo.powf(e2)) / e2 * e1 / (hi.powf(e1) - lo.powf(e1))
}

/// Generates an LFR-style graph with planted communities.
pub fn lfr(params: &LfrParams) -> Planted {
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let n = params.nodes as usize;
    let hi = f64::from(params.max_degree.max(2));
    // Pick the smallest degree so that the mean matches the target (bisection).
    let (mut lo_bound, mut hi_bound) = (1.0, params.avg_degree.max(1.0));
    for _ in 0..60 {
        let mid = (lo_bound + hi_bound) / 2.0;
        if power_law_mean(params.degree_exponent, mid, hi) < params.avg_degree {
            lo_bound = mid;
        } else {
            hi_bound = mid;
        }
    }
    let degrees: Vec<u32> = (0..n)
        .map(|_| power_law(&mut rng, params.degree_exponent, lo_bound, hi).round().max(1.0) as u32)
        .collect();
    let mut sizes = Vec::new();
    let mut covered = 0usize;
    let (cmin, cmax) =
        (f64::from(params.min_community.max(2)), f64::from(params.max_community.max(3)));
    while covered < n {
        let s = (power_law(&mut rng, params.community_exponent, cmin, cmax).round() as usize)
            .min(n - covered);
        sizes.push(s);
        covered += s;
    }
    // Internal degree per node, capped so it fits in the community it lands in.
    let internal: Vec<u32> =
        degrees.iter().map(|&d| (f64::from(d) * (1.0 - params.mixing)).round() as u32).collect();
    let mut by_need: Vec<usize> = (0..n).collect();
    by_need.sort_by_key(|&v| std::cmp::Reverse(internal[v]));
    let mut free = sizes.clone();
    let mut membership = vec![0u32; n];
    let mut community_of_size: Vec<usize> = (0..sizes.len()).collect();
    community_of_size.sort_by_key(|&c| std::cmp::Reverse(sizes[c]));
    for &v in &by_need {
        let fits: Vec<usize> =
            (0..sizes.len()).filter(|&c| free[c] > 0 && sizes[c] > internal[v] as usize).collect();
        let c = if fits.is_empty() {
            community_of_size.iter().copied().find(|&c| free[c] > 0).unwrap_or(0)
        } else {
            fits[rng.random_range(0..fits.len())]
        };
        free[c] = free[c].saturating_sub(1);
        membership[v] = c as u32;
    }
    let mut edges: Vec<[u32; 2]> = Vec::new();
    let mut stubs_by_community: Vec<Vec<u32>> = vec![Vec::new(); sizes.len()];
    let mut external_stubs = Vec::new();
    for v in 0..n {
        let c = membership[v] as usize;
        let inside = internal[v].min(sizes[c].saturating_sub(1) as u32);
        stubs_by_community[c].extend(std::iter::repeat_n(v as u32, inside as usize));
        external_stubs
            .extend(std::iter::repeat_n(v as u32, (degrees[v] - inside.min(degrees[v])) as usize));
    }
    for stubs in &mut stubs_by_community {
        stubs.shuffle(&mut rng);
        edges.extend(stubs.chunks_exact(2).map(|p| [p[0], p[1]]));
    }
    external_stubs.shuffle(&mut rng);
    edges.extend(
        external_stubs
            .chunks_exact(2)
            .filter(|p| membership[p[0] as usize] != membership[p[1] as usize])
            .map(|p| [p[0], p[1]]),
    );
    Planted { edges: simplify_undirected(EdgeList::new(params.nodes, edges)), membership }
}
