//! A deterministic trainer for the two logistic-regression heads.
//!
//! It is written by hand rather than taken from a crate because the shipped model must be
//! reproducible bit for bit from the public data, and the crates that fit (linfa, smartcore) change
//! their solvers and numerics between releases, which would silently change the shipped weights.
//! Here everything is fixed: features are extracted in input order, the solver is full-batch
//! (no random example order at all), and every sum runs in one thread in one order.
//! The only platform dependency left is the `exp` and `ln_1p` of the C library, which agree on
//! glibc-based x86-64 and aarch64 Linux, where the shipped model is built and tested.
//!
//! The objective is scikit-learn's: class-balanced logistic loss plus an L2 penalty with `C = 1`,
//! over the hashed n-grams scaled by smoothed inverse document frequency and normalised per family,
//! minimised by L-BFGS. The idf factors are folded into the weights afterwards, so scoring needs no
//! idf table.

use std::path::Path;

use crate::Error;
use crate::data::{self, Source};
use crate::model::{HEADS, Head, Model, feature_scale};
use crate::text::{BITS, with_normalized};

/// Strength of the L2 penalty on the weights (scikit-learn's `1 / C`).
const L2: f64 = 1.0;
/// Most L-BFGS iterations.
const MAX_ITERATIONS: usize = 300;
/// Stop when an iteration lowers the loss by less than this fraction.
const TOLERANCE: f64 = 1e-6;

/// Trains both heads and returns the quantised model.
///
/// `promotional` and `bait` are `(text, is_positive)` pairs for each head; a head given no examples
/// keeps zero weights and scores every text one half.
pub fn train(promotional: &[(&str, bool)], bait: &[(&str, bool)]) -> Model {
    let len = 1usize << BITS;
    let mut weights: [Vec<f32>; HEADS] = [vec![0.0; len], vec![0.0; len]];
    let mut bias = [0.0; HEADS];
    for (head, examples) in [(Head::Promotional, promotional), (Head::Bait, bait)] {
        if let Some((w, b)) = train_head(examples) {
            weights[head.slot()] = w;
            bias[head.slot()] = b;
        }
    }
    Model::from_trained(weights, bias)
}

/// Trains the shipped model from the public data sets in `data_dir`: the promotional head on every
/// YouTube comment and SMS message; the bait head on every headline plus, as further negatives, the
/// legitimate YouTube comments and SMS messages.
///
/// Without those negatives the bait head learns "not a news headline" rather than "clickbait": the
/// only non-bait text it would see is formal news headlines, so every casual sentence addressing
/// "you" would look like bait.
pub fn train_from_data(data_dir: &Path) -> Result<Model, Error> {
    let corpus = data::load(data_dir)?;
    let promotional: Vec<(&str, bool)> = corpus
        .iter()
        .filter(|e| e.source != Source::Clickbait)
        .map(|e| (e.text.as_str(), e.positive))
        .collect();
    let bait: Vec<(&str, bool)> = corpus
        .iter()
        .filter(|e| e.source == Source::Clickbait || !e.positive)
        .map(|e| (e.text.as_str(), e.source == Source::Clickbait && e.positive))
        .collect();
    Ok(train(&promotional, &bait))
}

/// Training examples as a sparse matrix in compressed rows.
struct Rows {
    index: Vec<u32>,
    value: Vec<f32>,
    offsets: Vec<usize>,
}

fn featurise(examples: &[(&str, bool)]) -> Rows {
    let mut rows = Rows { index: Vec::new(), value: Vec::new(), offsets: vec![0] };
    for (text, _) in examples {
        with_normalized(text, |norm| {
            let start = rows.index.len();
            let mut families = Vec::new();
            let squares = norm.for_each_feature(|f| {
                rows.index.push(f.index);
                rows.value.push(f.sign);
                families.push(f.family);
            });
            for (v, &family) in rows.value[start..].iter_mut().zip(&families) {
                *v *= feature_scale(squares[family]);
            }
        });
        rows.offsets.push(rows.index.len());
    }
    rows
}

fn train_head(examples: &[(&str, bool)]) -> Option<(Vec<f32>, f32)> {
    let positives = examples.iter().filter(|(_, y)| *y).count();
    let negatives = examples.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    // Each class carries half the total weight, so a head trained on mostly-ham data still learns
    // what spam looks like and its 0.5 threshold sits between the classes.
    let n = examples.len() as f64;
    let class_weight = [n / (2.0 * negatives as f64), n / (2.0 * positives as f64)];
    let mut rows = featurise(examples);
    let len = 1usize << BITS;
    let idf = inverse_document_frequency(&rows, len);
    for (v, &j) in rows.value.iter_mut().zip(&rows.index) {
        *v *= idf[j as usize];
    }
    let labels: Vec<f64> = examples.iter().map(|(_, y)| f64::from(u8::from(*y))).collect();
    let weights: Vec<f64> = examples.iter().map(|(_, y)| class_weight[usize::from(*y)]).collect();
    let problem = Problem { rows: &rows, labels: &labels, weights: &weights, lambda: L2, dim: len };
    let solution = lbfgs(&problem, MAX_ITERATIONS);
    // The weights act on idf-scaled features; folding idf into them lets scoring skip the idf table.
    let folded =
        solution[..len].iter().zip(&idf).map(|(w, f)| (w * f64::from(*f)) as f32).collect();
    Some((folded, solution[len] as f32))
}

/// Smoothed inverse document frequency per hashed feature, as scikit-learn computes it.
fn inverse_document_frequency(rows: &Rows, len: usize) -> Vec<f32> {
    let mut df = vec![0u32; len];
    let mut seen = vec![usize::MAX; len];
    for doc in 0..rows.offsets.len() - 1 {
        for &j in &rows.index[rows.offsets[doc]..rows.offsets[doc + 1]] {
            let j = j as usize;
            if seen[j] != doc {
                seen[j] = doc;
                df[j] += 1;
            }
        }
    }
    let docs = (rows.offsets.len() - 1) as f64;
    df.iter().map(|&d| (((1.0 + docs) / (1.0 + f64::from(d))).ln() + 1.0) as f32).collect()
}

/// The L2-regularised, weighted logistic loss over sparse rows; the last parameter is the bias.
struct Problem<'a> {
    rows: &'a Rows,
    labels: &'a [f64],
    weights: &'a [f64],
    lambda: f64,
    dim: usize,
}

impl Problem<'_> {
    /// Returns the loss at `x` and writes its gradient into `grad`.
    fn evaluate(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let (w, bias) = (&x[..self.dim], x[self.dim]);
        let mut loss = 0.0;
        for (g, &wj) in grad[..self.dim].iter_mut().zip(w) {
            *g = self.lambda * wj;
            loss += 0.5 * self.lambda * wj * wj;
        }
        grad[self.dim] = 0.0;
        for doc in 0..self.labels.len() {
            let (lo, hi) = (self.rows.offsets[doc], self.rows.offsets[doc + 1]);
            let (index, value) = (&self.rows.index[lo..hi], &self.rows.value[lo..hi]);
            let mut z = bias;
            for (&j, &v) in index.iter().zip(value) {
                z += w[j as usize] * f64::from(v);
            }
            let (y, c) = (self.labels[doc], self.weights[doc]);
            // log(1 + e^z) - y z, computed without overflow.
            loss += c * (z.max(0.0) + (-z.abs()).exp().ln_1p() - y * z);
            let error = c * (1.0 / (1.0 + (-z).exp()) - y);
            for (&j, &v) in index.iter().zip(value) {
                grad[j as usize] += error * f64::from(v);
            }
            grad[self.dim] += error;
        }
        loss
    }
}

/// Limited-memory BFGS with a backtracking (Armijo) line search, from zero.
fn lbfgs(problem: &Problem<'_>, max_iterations: usize) -> Vec<f64> {
    const MEMORY: usize = 10;
    let n = problem.dim + 1;
    let mut x = vec![0.0; n];
    let mut grad = vec![0.0; n];
    let mut loss = problem.evaluate(&x, &mut grad);
    let mut history: std::collections::VecDeque<(Vec<f64>, Vec<f64>, f64)> =
        std::collections::VecDeque::new();
    let mut direction = vec![0.0; n];
    let mut next = vec![0.0; n];
    let mut next_grad = vec![0.0; n];
    for _ in 0..max_iterations {
        // Two-loop recursion: direction = -H grad.
        direction.copy_from_slice(&grad);
        let mut alphas = Vec::with_capacity(history.len());
        for (s, y, rho) in history.iter().rev() {
            let alpha = rho * dot(s, &direction);
            axpy(-alpha, y, &mut direction);
            alphas.push(alpha);
        }
        if let Some((s, y, _)) = history.back() {
            let gamma = dot(s, y) / dot(y, y);
            direction.iter_mut().for_each(|d| *d *= gamma);
        } else {
            let norm = dot(&grad, &grad).sqrt().max(1e-12);
            direction.iter_mut().for_each(|d| *d /= norm);
        }
        for ((s, y, rho), alpha) in history.iter().zip(alphas.iter().rev()) {
            let beta = rho * dot(y, &direction);
            axpy(alpha - beta, s, &mut direction);
        }
        direction.iter_mut().for_each(|d| *d = -*d);
        let slope = dot(&grad, &direction);
        if slope >= 0.0 {
            break;
        }
        let mut step = 1.0;
        let mut next_loss;
        loop {
            for ((nx, &xi), &d) in next.iter_mut().zip(&x).zip(&direction) {
                *nx = xi + step * d;
            }
            next_loss = problem.evaluate(&next, &mut next_grad);
            if next_loss <= loss + 1e-4 * step * slope || step < 1e-10 {
                break;
            }
            step *= 0.5;
        }
        let s: Vec<f64> = next.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = next_grad.iter().zip(&grad).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        std::mem::swap(&mut x, &mut next);
        std::mem::swap(&mut grad, &mut next_grad);
        let improvement = (loss - next_loss) / loss.abs().max(1.0);
        loss = next_loss;
        if sy > 1e-12 {
            if history.len() == MEMORY {
                history.pop_front();
            }
            history.push_back((s, y, 1.0 / sy));
        }
        if improvement < TOLERANCE {
            break;
        }
    }
    x
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOY: [(&str, bool); 6] = [
        ("check out my channel and subscribe", true),
        ("free entry win cash now text WIN", true),
        ("subscribe to my channel please", true),
        ("this song is so good", false),
        ("see you at dinner tonight", false),
        ("love this video", false),
    ];

    #[test]
    fn training_is_deterministic() {
        let a = train(&TOY, &[]).to_bytes();
        let b = train(&TOY, &[]).to_bytes();
        assert_eq!(a, b);
    }

    #[test]
    fn training_learns_the_toy_data() {
        let model = train(&TOY, &[]);
        assert!(model.scores("subscribe to my channel").promotional > 0.5);
        assert!(model.scores("this video is so good").promotional < 0.5);
        assert!((model.scores("anything").bait - 0.5).abs() < 1e-6);
    }
}
