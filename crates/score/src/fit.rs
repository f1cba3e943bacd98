//! Fitting the weights: a logistic regression with non-negative feature weights, solved by a
//! projected Newton method in a fixed order so the same data always gives the same bits.

use std::fmt::Write;

use rapport_model::Timestamp;

use crate::eval::labelled_pairs;
use crate::event::Event;
use crate::features::{FEATURE_COUNT, FEATURE_NAMES};
use crate::weights::{ScoreWeights, sigmoid};

/// The L2 penalty on feature weights (not the intercept), relative to each dataset weighing 1.
pub const L2_PENALTY: f64 = 1e-3;

/// One dataset to learn from: pairs with history at `cutoff`, labelled by whether they interact
/// within `horizon` after it.
#[derive(Clone, Copy, Debug)]
pub struct TrainingSet<'a> {
    /// The dataset's name, for reports.
    pub name: &'a str,
    /// Its events.
    pub events: &'a [Event],
    /// The moment features are taken at.
    pub cutoff: Timestamp,
    /// How far after the cutoff an interaction counts as a positive.
    pub horizon: Timestamp,
}

const DIM: usize = FEATURE_COUNT + 1;

/// The design: one row per pair (a leading 1 for the intercept), its label and its weight.
struct Design {
    rows: Vec<[f64; DIM]>,
    labels: Vec<f64>,
    weights: Vec<f64>,
}

/// Fits the weights on `sets`, each dataset weighing the same in total whatever its size, so the
/// large Higgs data does not drown the others.
pub fn fit(sets: &[TrainingSet<'_>]) -> ScoreWeights {
    let design = design(sets);
    let mut theta = [0.0; DIM];
    for _ in 0..200 {
        let (gradient, hessian) = derivatives(&design, &theta);
        // A weight held at zero whose gradient pushes it below zero stays fixed this step.
        let free: Vec<usize> =
            (0..DIM).filter(|&j| j == 0 || theta[j] > 0.0 || gradient[j] <= 0.0).collect();
        let step = newton_step(&gradient, &hessian, &free);
        let current = loss_of(&design, &theta);
        let mut alpha = 1.0;
        let mut next = theta;
        for _ in 0..60 {
            next = project(std::array::from_fn(|j| theta[j] + alpha * step[j]));
            let decrease: f64 = (0..DIM).map(|j| gradient[j] * (next[j] - theta[j])).sum();
            if loss_of(&design, &next) <= current + 1e-4 * decrease {
                break;
            }
            alpha /= 2.0;
        }
        let moved = (0..DIM).map(|j| (next[j] - theta[j]).abs()).fold(0.0, f64::max);
        theta = next;
        if moved < 1e-12 {
            break;
        }
    }
    ScoreWeights { intercept: theta[0], weights: std::array::from_fn(|j| theta[j + 1]) }
}

fn design(sets: &[TrainingSet<'_>]) -> Design {
    let mut d = Design { rows: Vec::new(), labels: Vec::new(), weights: Vec::new() };
    for set in sets {
        let (pairs, labels) =
            labelled_pairs(set.events, set.cutoff, set.horizon, &ScoreWeights::default());
        let weight = 1.0 / pairs.len().max(1) as f64;
        for (pair, label) in pairs.iter().zip(labels) {
            let mut row = [1.0; DIM];
            row[1..].copy_from_slice(&pair.features.values);
            d.rows.push(row);
            d.labels.push(if label { 1.0 } else { 0.0 });
            d.weights.push(weight);
        }
    }
    d
}

/// Feature weights below zero are put back at zero; the intercept is free.
fn project(mut theta: [f64; DIM]) -> [f64; DIM] {
    for w in &mut theta[1..] {
        *w = w.max(0.0);
    }
    theta
}

/// The weighted log-loss plus the L2 penalty.
fn loss_of(design: &Design, theta: &[f64; DIM]) -> f64 {
    let mut total = 0.0;
    for ((row, y), c) in design.rows.iter().zip(&design.labels).zip(&design.weights) {
        let z = dot(row, theta);
        // log(1 + e^z) without overflow.
        let softplus = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
        total += c * (softplus - y * z);
    }
    total + 0.5 * L2_PENALTY * theta[1..].iter().map(|w| w * w).sum::<f64>()
}

#[expect(clippy::needless_range_loop, reason = "matrix code reads best with explicit indices")]
fn derivatives(design: &Design, theta: &[f64; DIM]) -> ([f64; DIM], [[f64; DIM]; DIM]) {
    let mut g = [0.0; DIM];
    let mut h = [[0.0; DIM]; DIM];
    for ((row, y), c) in design.rows.iter().zip(&design.labels).zip(&design.weights) {
        let p = sigmoid(dot(row, theta));
        let (residual, curvature) = (c * (p - y), c * p * (1.0 - p));
        for j in 0..DIM {
            g[j] += residual * row[j];
            for k in 0..=j {
                h[j][k] += curvature * row[j] * row[k];
            }
        }
    }
    for j in 1..DIM {
        g[j] += L2_PENALTY * theta[j];
        h[j][j] += L2_PENALTY;
    }
    for j in 0..DIM {
        for k in j + 1..DIM {
            h[j][k] = h[k][j];
        }
    }
    (g, h)
}

/// Solves `H_ff d_f = -g_f` on the free coordinates by Cholesky; fixed coordinates do not move.
#[expect(clippy::needless_range_loop, reason = "matrix code reads best with explicit indices")]
fn newton_step(g: &[f64; DIM], h: &[[f64; DIM]; DIM], free: &[usize]) -> [f64; DIM] {
    let n = free.len();
    let mut l = vec![vec![0.0; n]; n];
    for a in 0..n {
        for b in 0..=a {
            let mut sum = h[free[a]][free[b]];
            for k in 0..b {
                sum -= l[a][k] * l[b][k];
            }
            l[a][b] = if a == b { sum.max(1e-12).sqrt() } else { sum / l[b][b] };
        }
    }
    let mut y = vec![0.0; n];
    for a in 0..n {
        let mut sum = -g[free[a]];
        for k in 0..a {
            sum -= l[a][k] * y[k];
        }
        y[a] = sum / l[a][a];
    }
    let mut x = vec![0.0; n];
    for a in (0..n).rev() {
        let mut sum = y[a];
        for k in a + 1..n {
            sum -= l[k][a] * x[k];
        }
        x[a] = sum / l[a][a];
    }
    let mut step = [0.0; DIM];
    for (a, &j) in free.iter().enumerate() {
        step[j] = x[a];
    }
    step
}

fn dot(row: &[f64; DIM], theta: &[f64; DIM]) -> f64 {
    row.iter().zip(theta).map(|(x, w)| x * w).sum()
}

/// The Rust source of `src/fitted.rs` holding `weights`, as `rapport eval ties --fit` writes it.
pub fn weights_source(weights: &ScoreWeights) -> String {
    let mut s = String::from(
        "//! The shipped default weights, generated by `rapport eval ties --fit`\n\
         //! (`rapport_score::weights_source`): do not edit by hand.\n\n\
         use crate::weights::ScoreWeights;\n\n\
         /// The weights fitted on the public tie-strength suite ([`crate::TIES_SUITE`]).\n\
         pub(crate) const FITTED_WEIGHTS: ScoreWeights = ScoreWeights {\n",
    );
    // `{:?}` prints the shortest text that parses back to the same f64, so the table round-trips.
    let _ = writeln!(s, "    intercept: {:?},", weights.intercept);
    s.push_str("    weights: [\n");
    for (w, name) in weights.weights.iter().zip(FEATURE_NAMES) {
        // Names go on their own line so the output is already as rustfmt formats it.
        let _ = writeln!(s, "        // {name}\n        {w:?},");
    }
    s.push_str("    ],\n};\n");
    s
}
