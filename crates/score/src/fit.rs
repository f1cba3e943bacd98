//! Fitting the weights: a logistic regression with non-negative feature weights, recalibrated per
//! dataset, solved by a projected Newton method in a fixed order so the same data always gives the
//! same bits.

use std::fmt::Write;

use rapport_model::Timestamp;

use crate::eval::labelled_pairs;
use crate::event::Event;
use crate::features::{FEATURE_COUNT, FEATURE_NAMES};
use crate::pairs::PairObservation;
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

/// The fit's output: the ranking model shared by every dataset, and each dataset's calibration of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// The logistic regression fitted on every set at once, with one intercept per dataset: what
    /// ranks pairs. Its intercept is [`REFERENCE_DATASET`]'s.
    pub shared: ScoreWeights,
    /// For each dataset (by name, in order of first appearance), the shared model recalibrated on
    /// that dataset's sets alone: `intercept' + scale × (shared log-odds − shared intercept)`, so
    /// its strengths are probabilities at that dataset's base rate and horizon, and its ranking is
    /// the shared one.
    pub calibrated: Vec<(String, ScoreWeights)>,
    /// The one-sided model: fitted the way `shared` is, on the same pairs and labels, each pair
    /// seen as an export of each side that acted towards the other shows it
    /// ([`crate::ONE_SIDED_MISSING`] held at 0). Its intercept is [`REFERENCE_DATASET`]'s.
    pub one_sided: ScoreWeights,
}

impl Fit {
    /// The model calibrated to dataset `name`, if the fit saw it.
    pub fn weights_for(&self, name: &str) -> Option<ScoreWeights> {
        self.calibrated.iter().find(|(n, _)| n == name).map(|(_, w)| *w)
    }
}

/// Fits the model on `sets`, each set weighing the same in total whatever its size, so the large
/// Higgs data does not drown the others.
///
/// First the feature weights, shared by every set and fitted on all of them at once, with one
/// intercept per dataset: what predicts interaction is learned from all the data, while each
/// dataset keeps its own base rate, which its horizon (Higgs forecasts one day of a news event's
/// retweets, the X archive 90 days of one person's replies, the others 30 days) and its kind of
/// network set. With one intercept for all, a feature that happens to separate the datasets (how
/// busy a pair is, or whether they write privately) is used to tell them apart rather than to rank
/// pairs within each. The shared model's intercept is [`REFERENCE_DATASET`]'s.
///
/// Then, for each dataset, an intercept and a positive scale of the shared log-odds on that
/// dataset's sets alone (Platt scaling), so its strengths are probabilities at its own base rate.
/// The scale is positive, so each calibrated model ranks pairs exactly as the shared one and stays
/// monotone.
pub fn fit(sets: &[TrainingSet<'_>]) -> Fit {
    let labelled: Vec<_> = sets
        .iter()
        .map(|set| labelled_pairs(set.events, set.cutoff, set.horizon, &ScoreWeights::default()))
        .collect();
    let mut names: Vec<&str> = Vec::new();
    for set in sets {
        if !names.contains(&set.name) {
            names.push(set.name);
        }
    }
    let group = |name: &str| names.iter().position(|n| *n == name).unwrap_or(0);

    let fit_rows = |rows: &dyn Fn(&PairObservation) -> Vec<Vec<f64>>| {
        let mut design = Design::new(names.len(), FEATURE_COUNT);
        for (set, (pairs, labels)) in sets.iter().zip(&labelled) {
            let mut all = Vec::new();
            let mut all_labels = Vec::new();
            for (pair, label) in pairs.iter().zip(labels) {
                for row in rows(pair) {
                    all.push(row);
                    all_labels.push(*label);
                }
            }
            design.add_set(group(set.name), all.into_iter(), &all_labels);
        }
        let theta = solve(&design);
        ScoreWeights {
            intercept: theta[group(REFERENCE_DATASET)],
            weights: std::array::from_fn(|j| theta[names.len() + j]),
        }
    };
    let shared = fit_rows(&|p| vec![p.features.values.to_vec()]);
    let one_sided =
        fit_rows(&|p| p.one_sided.iter().flatten().map(|f| f.values.to_vec()).collect());

    let calibrated = names
        .iter()
        .map(|name| {
            let mut design = Design::new(1, 1);
            for (set, (pairs, labels)) in sets.iter().zip(&labelled) {
                if set.name == *name {
                    let scores = pairs.iter().map(|p| vec![shared.log_odds(&p.features)]);
                    design.add_set(0, scores, labels);
                }
            }
            let theta = solve(&design);
            let (intercept, scale) = (theta[0], theta[1]);
            let weights = ScoreWeights {
                intercept: intercept + scale * shared.intercept,
                weights: shared.weights.map(|w| scale * w),
            };
            ((*name).to_owned(), weights)
        })
        .collect();
    Fit { shared, calibrated, one_sided }
}

/// The dataset whose intercept the shipped model takes: CollegeMsg, private messages between
/// students over 30 days, is the closest of the suite to a person's own relationships at the
/// product's horizon (the X archive is one person's, but its horizon is 90 days). A fit without it
/// takes the first dataset's.
pub const REFERENCE_DATASET: &str = "CollegeMsg";

/// A logistic regression's data: rows of equal width, each in one group with its own intercept,
/// their labels and their weights.
struct Design {
    groups: usize,
    width: usize,
    rows: Vec<Vec<f64>>,
    group: Vec<usize>,
    labels: Vec<f64>,
    weights: Vec<f64>,
}

impl Design {
    fn new(groups: usize, width: usize) -> Design {
        Design {
            groups,
            width,
            rows: Vec::new(),
            group: Vec::new(),
            labels: Vec::new(),
            weights: Vec::new(),
        }
    }

    /// Adds one training set's rows to `group`, weighing 1 in total.
    fn add_set(
        &mut self,
        group: usize,
        rows: impl ExactSizeIterator<Item = Vec<f64>>,
        labels: &[bool],
    ) {
        let weight = 1.0 / rows.len().max(1) as f64;
        for (row, label) in rows.zip(labels) {
            self.rows.push(row);
            self.group.push(group);
            self.labels.push(if *label { 1.0 } else { 0.0 });
            self.weights.push(weight);
        }
    }

    /// Each row with its group, label and weight.
    fn each(&self) -> impl Iterator<Item = (&[f64], usize, f64, f64)> {
        self.rows
            .iter()
            .zip(&self.group)
            .zip(self.labels.iter().zip(&self.weights))
            .map(|((row, g), (y, c))| (row.as_slice(), *g, *y, *c))
    }
}

/// Fits `[intercepts..., weights...]` to `design`: weighted log-loss plus an L2 penalty on the
/// weights, every weight non-negative, by projected Newton steps with a backtracking line search.
fn solve(design: &Design) -> Vec<f64> {
    let (groups, dim) = (design.groups, design.groups + design.width);
    let mut theta = vec![0.0; dim];
    for _ in 0..200 {
        let (gradient, hessian) = derivatives(design, &theta);
        // A weight held at zero whose gradient pushes it below zero stays fixed this step.
        let free: Vec<usize> =
            (0..dim).filter(|&j| j < groups || theta[j] > 0.0 || gradient[j] <= 0.0).collect();
        let step = newton_step(&gradient, &hessian, &free);
        let current = loss_of(design, &theta);
        let mut alpha = 1.0;
        let mut next = theta.clone();
        for _ in 0..60 {
            // Weights below zero are put back at zero; the intercepts are free.
            next = (0..dim)
                .map(|j| {
                    let moved = theta[j] + alpha * step[j];
                    if j < groups { moved } else { moved.max(0.0) }
                })
                .collect();
            let decrease: f64 = (0..dim).map(|j| gradient[j] * (next[j] - theta[j])).sum();
            if loss_of(design, &next) <= current + 1e-4 * decrease {
                break;
            }
            alpha /= 2.0;
        }
        let moved = (0..dim).map(|j| (next[j] - theta[j]).abs()).fold(0.0, f64::max);
        theta = next;
        if moved < 1e-12 {
            break;
        }
    }
    theta
}

/// The log-odds of a row of `group` under `theta` (`groups` intercepts, then the weights).
fn log_odds(row: &[f64], group: usize, groups: usize, theta: &[f64]) -> f64 {
    row.iter().zip(&theta[groups..]).fold(theta[group], |z, (x, w)| z + x * w)
}

/// The weighted log-loss plus the L2 penalty on the weights (not the intercepts).
fn loss_of(design: &Design, theta: &[f64]) -> f64 {
    let mut total = 0.0;
    for (row, group, y, c) in design.each() {
        let z = log_odds(row, group, design.groups, theta);
        // log(1 + e^z) without overflow.
        let softplus = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
        total += c * (softplus - y * z);
    }
    total + 0.5 * L2_PENALTY * theta[design.groups..].iter().map(|w| w * w).sum::<f64>()
}

#[expect(clippy::needless_range_loop, reason = "matrix code reads best with explicit indices")]
fn derivatives(design: &Design, theta: &[f64]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let (groups, dim) = (design.groups, theta.len());
    let mut g = vec![0.0; dim];
    let mut h = vec![vec![0.0; dim]; dim];
    // The row's full design vector: a one for its group's intercept, then its features.
    let mut x = vec![0.0; dim];
    for (row, group, y, c) in design.each() {
        x[..groups].fill(0.0);
        x[group] = 1.0;
        x[groups..].copy_from_slice(row);
        let p = sigmoid(log_odds(row, group, groups, theta));
        let (residual, curvature) = (c * (p - y), c * p * (1.0 - p));
        for j in 0..dim {
            g[j] += residual * x[j];
            for k in 0..=j {
                h[j][k] += curvature * x[j] * x[k];
            }
        }
    }
    for j in groups..dim {
        g[j] += L2_PENALTY * theta[j];
        h[j][j] += L2_PENALTY;
    }
    for j in 0..dim {
        for k in j + 1..dim {
            h[j][k] = h[k][j];
        }
    }
    (g, h)
}

/// Solves `H_ff d_f = -g_f` on the free coordinates by Cholesky; fixed coordinates do not move.
#[expect(clippy::needless_range_loop, reason = "matrix code reads best with explicit indices")]
fn newton_step(g: &[f64], h: &[Vec<f64>], free: &[usize]) -> Vec<f64> {
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
    let mut step = vec![0.0; g.len()];
    for (a, &j) in free.iter().enumerate() {
        step[j] = x[a];
    }
    step
}

/// The Rust source of `src/fitted.rs` holding the shipped model and the one-sided model, as
/// `rapport eval ties --fit` writes it.
pub fn weights_source(weights: &ScoreWeights, one_sided: &ScoreWeights) -> String {
    let mut s = String::from(
        "//! The shipped default weights, generated by `rapport eval ties --fit`\n\
         //! (`rapport_score::weights_source`): do not edit by hand.\n\n\
         use crate::weights::ScoreWeights;\n\n\
         /// The weights fitted on the public tie-strength suite ([`crate::TIES_SUITE`]).\n",
    );
    constant(&mut s, "FITTED_WEIGHTS", weights);
    s.push_str(
        "\n/// The one-sided model, fitted on the same suite seen as one side's export shows it\n\
         /// ([`crate::ONE_SIDED_MISSING`]).\n",
    );
    constant(&mut s, "ONE_SIDED_WEIGHTS", one_sided);
    s
}

/// Appends the constant `name` holding `weights`.
fn constant(s: &mut String, name: &str, weights: &ScoreWeights) {
    let _ = writeln!(s, "pub(crate) const {name}: ScoreWeights = ScoreWeights {{");
    // `{:?}` prints the shortest text that parses back to the same f64, so the table round-trips.
    let _ = writeln!(s, "    intercept: {:?},", weights.intercept);
    s.push_str("    weights: [\n");
    for (w, name) in weights.weights.iter().zip(FEATURE_NAMES) {
        // Names go on their own line so the output is already as rustfmt formats it.
        let _ = writeln!(s, "        // {name}\n        {w:?},");
    }
    s.push_str("    ],\n};\n");
}
