//! Graph-level calibration of the circle-of-trust blend, self-supervised.
//!
//! No fixed blend of SALSA, personalized PageRank and the neighbourhood scores (Adamic-Adar,
//! resource allocation, three-step paths) is best on every graph: on
//! directed follow graphs the walks of the circle find what a user will follow, on dense
//! friendship graphs the local evidence of shared neighbours does (see BENCHMARKS.md). The
//! graph itself says which: hide a share of the out-edges of a seeded sample of its users, rank
//! with every blend of a small grid, and keep the blend that finds the hidden edges best. It
//! uses nothing but the graph it is given, and runs once per graph snapshot (a few hundred
//! queries), so each query afterwards costs what a fixed blend costs.

use rayon::prelude::*;

use super::salsa::{CircleParams, Signals, blend, candidate_signals};
use crate::Csr;
use crate::eval::holdout::{HeldOut, Sample, hold_out, ranking_metrics};

/// How the blend is calibrated.
#[derive(Debug, Clone, Copy)]
pub struct CalibrationParams {
    /// Users whose edges are hidden; more gives a steadier choice and costs one query each.
    pub users: usize,
    /// Share of each sampled user's out-edges hidden.
    pub hide_fraction: f64,
    /// Only users with at least this many out-edges are sampled.
    pub min_degree: usize,
    /// Seed of the sample and of the hidden edges.
    pub seed: u64,
    /// Grid resolution: each blend weight is a multiple of `1 / steps`. With six signals, five
    /// steps make 252 blends (ten would make 3,003, ten times the ranking work per user).
    pub steps: usize,
}

impl Default for CalibrationParams {
    fn default() -> Self {
        Self { users: 300, hide_fraction: 0.2, min_degree: 5, seed: 0x5a15a, steps: 5 }
    }
}

impl CalibrationParams {
    /// The users and edges hidden.
    fn sample(&self) -> Sample {
        Sample {
            users: self.users,
            hide_fraction: self.hide_fraction,
            min_degree: self.min_degree,
            seed: self.seed,
        }
    }
}

/// Ranking depth of the calibration, as in `rapport eval discover`: a hidden edge below it is
/// missed.
const DEPTH: usize = 100;

/// Returns `base` with the blend weights (`ppr_blend` and the four neighbourhood weights) that
/// best recover hidden edges of `csr`, judged by
/// recall@10 + recall@20 + MRR. Ties, and a graph too small to sample, keep the weights of
/// `base`. Call it once per graph snapshot and pass the result to every
/// [`who_to_follow`](super::salsa::who_to_follow) query on that snapshot.
pub fn calibrate_circle(
    csr: &Csr,
    base: &CircleParams,
    params: &CalibrationParams,
) -> CircleParams {
    let held = hold_out(csr, &params.sample());
    let grid = grid(base.weights(), params.steps);
    let scores = grid_scores(&held, base, &grid);
    let objective = |m: &[f64; 3]| m.iter().sum::<f64>();
    let mut best = 0;
    for (i, m) in scores.iter().enumerate() {
        if objective(m) > objective(&scores[best]) {
            best = i;
        }
    }
    base.with_weights(grid[best])
}

/// Every weight vector on the simplex with weights in multiples of `1 / steps`, after `first`.
fn grid(first: Signals, steps: usize) -> Vec<Signals> {
    /// Appends every way to split `left` steps over the signals from `at` on, after `taken`.
    fn split(at: usize, left: usize, taken: &mut [usize; 6], steps: usize, out: &mut Vec<Signals>) {
        if at == taken.len() - 1 {
            taken[at] = left;
            out.push(taken.map(|x| x as f64 / steps as f64));
            return;
        }
        for here in 0..=left {
            taken[at] = here;
            split(at + 1, left - here, taken, steps, out);
        }
    }
    let steps = steps.max(1);
    let mut grid = vec![first];
    split(0, steps, &mut [0; 6], steps, &mut grid);
    grid
}

/// The candidates that can rank in the first [`DEPTH`] of some blend: each blend is then ranked
/// over these few rather than over everyone personalized PageRank reached, with the same result.
///
/// Let `t_i` be the `DEPTH`-th largest value of signal `i`. The `DEPTH` best candidates of
/// signal `j` all score at least `w_j · t_j` in the blend `w`, so the blend's `DEPTH`-th score is
/// at least `max_j w_j · t_j`. A candidate below `t_i / k` on every signal `i` (`k` signals, and
/// zero on any signal with fewer than `DEPTH` candidates) scores less than
/// `Σ_i w_i · t_i / k ≤ max_j w_j · t_j` in every blend, or zero, so it never makes the cut.
fn contenders(mut candidates: Vec<(u32, Signals)>) -> Vec<(u32, Signals)> {
    let signals = Signals::default().len();
    let mut column = Vec::with_capacity(candidates.len());
    let cuts: Signals = std::array::from_fn(|i| {
        column.clear();
        column.extend(candidates.iter().map(|c| c.1[i]).filter(|&s| s > 0.0));
        if column.len() < DEPTH {
            return 0.0;
        }
        let (_, nth, _) = column.select_nth_unstable_by(DEPTH - 1, |a, b| b.total_cmp(a));
        *nth / signals as f64
    });
    candidates.retain(|(_, s)| {
        s.iter().zip(cuts).any(|(&s, cut)| if cut > 0.0 { s >= cut } else { s > 0.0 })
    });
    candidates
}

/// Mean recall@10, recall@20 and MRR of each blend of `grid` on the hidden edges of `held`.
fn grid_scores(held: &HeldOut, base: &CircleParams, grid: &[Signals]) -> Vec<[f64; 3]> {
    let sums = held
        .users
        .par_iter()
        .map(|&u| {
            let candidates = contenders(candidate_signals(&held.train, u, &[], base, true));
            grid.iter()
                .map(|&w| ranking_metrics(&blend(&candidates, w, DEPTH), &held.hidden[&u]))
                .collect::<Vec<_>>()
        })
        .reduce(
            || vec![[0.0; 3]; grid.len()],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    x.iter_mut().zip(y).for_each(|(x, y)| *x += y);
                }
                a
            },
        );
    let users = held.users.len().max(1) as f64;
    sums.into_iter().map(|m| m.map(|x| x / users)).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::generate::{LfrParams, lfr};
    use crate::{BuildOptions, EdgeList};

    #[test]
    fn the_grid_spans_the_simplex_after_the_base_blend() {
        let base = CircleParams::default().weights();
        let grid = grid(base, 4);
        // The base, then every way to split 4 steps over 6 signals: C(9, 5) = 126.
        assert_eq!(grid.len(), 127);
        assert_eq!(grid[0], base);
        assert!(grid.iter().all(|w| (w.iter().sum::<f64>() - 1.0).abs() < 1e-12));
        assert!(grid.contains(&[0.0, 0.0, 0.0, 0.0, 0.0, 1.0]));
        assert!(grid.contains(&[0.25, 0.0, 0.5, 0.0, 0.25, 0.0]));
    }

    proptest! {
        #[test]
        fn the_contenders_rank_every_blend_as_all_candidates_do(
            // Heavy-tailed, as the signals are, so that most candidates are cut.
            raw in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![Just(0.0), (0.0..1.0f64).prop_map(|x| x.powi(12))],
                    6,
                ),
                0..400,
            ),
            weights in proptest::collection::vec(0u32..4, 6),
        ) {
            let candidates: Vec<(u32, Signals)> = raw
                .iter()
                .enumerate()
                .map(|(v, s)| (v as u32, std::array::from_fn(|i| s[i])))
                .collect();
            let total = weights.iter().sum::<u32>().max(1);
            let w: Signals = std::array::from_fn(|i| f64::from(weights[i]) / f64::from(total));
            let kept = contenders(candidates.clone());
            prop_assert_eq!(blend(&kept, w, DEPTH), blend(&candidates, w, DEPTH));
        }
    }

    #[test]
    fn a_graph_with_no_user_to_sample_keeps_the_base_blend() {
        let csr = Csr::build(&EdgeList::new(3, vec![[0, 1], [1, 2]]), &BuildOptions::default());
        let base = CircleParams::default();
        let calibrated = calibrate_circle(&csr, &base, &CalibrationParams::default());
        assert_eq!(calibrated.weights(), base.weights());
    }

    #[test]
    fn the_chosen_blend_recovers_the_calibration_edges_at_least_as_well_as_the_base() {
        let planted = lfr(&LfrParams { nodes: 600, mixing: 0.2, ..LfrParams::default() });
        let csr = Csr::build(&planted.edges, &BuildOptions::undirected());
        let base = CircleParams::default();
        let params = CalibrationParams { users: 40, steps: 4, ..CalibrationParams::default() };
        let calibrated = calibrate_circle(&csr, &base, &params);
        let scores = grid_scores(
            &hold_out(&csr, &params.sample()),
            &base,
            &[base.weights(), calibrated.weights()],
        );
        let total = |m: &[f64; 3]| m.iter().sum::<f64>();
        assert!(total(&scores[1]) >= total(&scores[0]), "{scores:?}");
        assert!(calibrated.weights().iter().all(|w| (0.0..=1.0).contains(w)));
    }
}
