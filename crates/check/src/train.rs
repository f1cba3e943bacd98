//! A deterministic trainer for the two logistic-regression heads.
//!
//! It is written by hand rather than taken from a crate because the shipped model must be
//! reproducible bit for bit from the public data, and the crates that fit (linfa, smartcore) change
//! their solvers and numerics between releases, which would silently change the shipped weights.
//! Here everything is fixed: features are extracted in input order, the solver is full-batch
//! (no random example order at all), and every sum runs in one thread in one order.
//! The only platform dependency left is the `exp` and `ln` of the C library, which agree on
//! glibc-based x86-64 and aarch64 Linux, where the shipped model is built and tested.
//!
//! The objective is scikit-learn's: class-balanced logistic loss plus an L2 penalty, over hashed
//! n-grams weighted by sublinear tf and smoothed idf and normalised per family (see
//! [`crate::weighting`]), minimised by L-BFGS. Features seen in fewer than [`MIN_DF`] training texts
//! are dropped. The penalty is chosen by cross-validation across the training sources (each source
//! held out in turn), because the model is used on text from sources it never saw; a head with a
//! single source keeps scikit-learn's default.
//! The idf factors are folded into the weights afterwards.

use std::path::Path;

use crate::Error;
use crate::data::{self, Source};
use crate::metrics::roc_auc;
use crate::model::{HEADS, Head, Model, sigmoid};
use crate::text::{BITS, FAMILIES, with_normalized};
use crate::weighting::{idf_code, idf_value, inverse_length, tf_step};

/// The penalties tried, as scikit-learn's `C` (the inverse of the L2 strength).
const C_GRID: [f64; 5] = [8.0, 16.0, 32.0, 64.0, 128.0];
/// A feature must occur in this many training texts to get a weight (scikit-learn's `min_df`):
/// an n-gram seen once is as likely to be a name or a typo as a signal.
pub(crate) const MIN_DF: u32 = 2;
/// The penalty of a head whose data has fewer than two sources holding both classes (the bait
/// head: only the headlines hold clickbait). Random folds of one source reward fitting that
/// source's style, so they would choose the weakest penalty, and a bait head trained that way
/// calls any plain sentence a headline; scikit-learn's default is kept instead.
const SINGLE_SOURCE_C: f64 = 1.0;
/// Most L-BFGS iterations.
const MAX_ITERATIONS: usize = 300;
/// Stop when an iteration lowers the loss by less than this fraction.
const TOLERANCE: f64 = 1e-6;

/// One training text, with a label for each head that learns from it (`None`: the head does not
/// see it) and the source it comes from (cross-validation holds out one source at a time).
#[derive(Clone, Copy, Debug)]
pub struct Sample<'a> {
    /// The text.
    pub text: &'a str,
    /// The source, any number that tells sources apart.
    pub group: u32,
    /// Whether it is spam or promotion, if the promotional head learns from it.
    pub promotional: Option<bool>,
    /// Whether it is clickbait, if the bait head learns from it.
    pub bait: Option<bool>,
}

/// What training chose for one head, for reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choice {
    /// The penalty chosen (scikit-learn's `C`).
    pub c: f64,
    /// Mean ROC AUC over the held-out sources at that penalty; `None` when the data had fewer than
    /// two sources to hold out and the penalty is [`SINGLE_SOURCE_C`].
    pub cv_auc: Option<f64>,
}

/// Trains both heads and returns the quantised model and, per head, what cross-validation chose
/// (`None` for a head given no examples of both classes: it keeps zero weights and scores every
/// text one half).
pub fn train(samples: &[Sample<'_>]) -> (Model, [Option<Choice>; HEADS]) {
    let len = 1usize << BITS;
    let occurrences = featurise(samples.iter().map(|s| s.text));
    let df = document_frequency(&occurrences, len);
    let docs = samples.len() as f64;
    let idf: Vec<i16> = df
        .iter()
        .map(|&d| (d >= MIN_DF).then(|| ((1.0 + docs) / (1.0 + f64::from(d))).ln() + 1.0))
        .map(idf_code)
        .collect();
    let rows = occurrences.scale(&idf);
    let mut weights: [Vec<f32>; HEADS] = [vec![0.0; len], vec![0.0; len]];
    let mut bias = [0.0; HEADS];
    let mut choices = [None; HEADS];
    for head in Head::ALL {
        let label = |s: &Sample<'_>| match head {
            Head::Promotional => s.promotional,
            Head::Bait => s.bait,
        };
        let picked: Vec<(usize, bool, u32)> = samples
            .iter()
            .enumerate()
            .filter_map(|(i, s)| label(s).map(|y| (i, y, s.group)))
            .collect();
        if let Some((w, b, choice)) = train_head(&rows, &picked) {
            weights[head.slot()] = w
                .iter()
                .zip(&idf)
                .map(|(w, &code)| (w * f64::from(idf_value(code))) as f32)
                .collect();
            bias[head.slot()] = b;
            choices[head.slot()] = Some(choice);
        }
    }
    (Model::from_trained(weights, bias, &idf), choices)
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
    Ok(train(&shipped_samples(&corpus)).0)
}

/// The training samples of the shipped model.
pub(crate) fn shipped_samples(corpus: &[data::Example]) -> Vec<Sample<'_>> {
    corpus
        .iter()
        .map(|e| {
            let headline = e.source == Source::Clickbait;
            Sample {
                text: &e.text,
                group: e.source as u32,
                promotional: (!headline).then_some(e.positive),
                bait: if headline { Some(e.positive) } else { (!e.positive).then_some(false) },
            }
        })
        .collect()
}

/// Every feature occurrence of every text, before the idf is known.
struct Occurrences {
    index: Vec<u32>,
    family: Vec<u8>,
    /// The occurrence's signed step of sublinear tf.
    tf: Vec<f32>,
    /// Its step of tf squared.
    tf_squared: Vec<f32>,
    offsets: Vec<usize>,
}

/// Training examples as a sparse matrix in compressed rows.
struct Rows {
    index: Vec<u32>,
    value: Vec<f32>,
    offsets: Vec<usize>,
}

fn featurise<'a>(texts: impl Iterator<Item = &'a str>) -> Occurrences {
    let mut out = Occurrences {
        index: Vec::new(),
        family: Vec::new(),
        tf: Vec::new(),
        tf_squared: Vec::new(),
        offsets: vec![0],
    };
    for text in texts {
        with_normalized(text, |norm| {
            norm.for_each_feature(|f| {
                let (tf, tf_squared) = tf_step(f.count);
                out.index.push(f.index);
                out.family.push(f.family as u8);
                out.tf.push(f.sign * tf);
                out.tf_squared.push(tf_squared);
            });
        });
        out.offsets.push(out.index.len());
    }
    out
}

impl Occurrences {
    /// The feature values scoring computes: tf times idf, each family scaled to unit length.
    /// Values stay without the idf factor, which is folded into the weights after training.
    fn scale(&self, idf: &[i16]) -> Rows {
        let mut value = Vec::with_capacity(self.tf.len());
        for doc in 0..self.offsets.len() - 1 {
            let range = self.offsets[doc]..self.offsets[doc + 1];
            let mut squared = [0.0f32; FAMILIES];
            for k in range.clone() {
                let idf = idf_value(idf[self.index[k] as usize]);
                squared[usize::from(self.family[k])] += idf * idf * self.tf_squared[k];
            }
            let scale = squared.map(inverse_length);
            for k in range {
                let idf = idf_value(idf[self.index[k] as usize]);
                value.push(self.tf[k] * idf * scale[usize::from(self.family[k])]);
            }
        }
        Rows { index: self.index.clone(), value, offsets: self.offsets.clone() }
    }
}

/// In how many texts each hashed feature occurs.
fn document_frequency(occurrences: &Occurrences, len: usize) -> Vec<u32> {
    let mut df = vec![0u32; len];
    let mut seen = vec![usize::MAX; len];
    for doc in 0..occurrences.offsets.len() - 1 {
        for &j in &occurrences.index[occurrences.offsets[doc]..occurrences.offsets[doc + 1]] {
            let j = j as usize;
            if seen[j] != doc {
                seen[j] = doc;
                df[j] += 1;
            }
        }
    }
    df
}

/// A fitted head: its weights (on idf-scaled features) and its bias.
type Fitted = (Vec<f64>, f64);

/// Chooses the penalty by cross-validation over `picked` (row, label, source) and returns the mean
/// of that penalty's fold models (on idf-scaled features), its bias and the choice; a head with a
/// single source is trained on all of it at [`SINGLE_SOURCE_C`].
fn train_head(rows: &Rows, picked: &[(usize, bool, u32)]) -> Option<(Vec<f64>, f32, Choice)> {
    let positives = picked.iter().filter(|p| p.1).count();
    if positives == 0 || positives == picked.len() {
        return None;
    }
    let Some(folds) = folds(picked) else {
        let (w, bias) = fit(rows, picked, SINGLE_SOURCE_C);
        return Some((w, bias as f32, Choice { c: SINGLE_SOURCE_C, cv_auc: None }));
    };
    // The best C so far, its mean held-out AUC and its fold models.
    let mut best: Option<(f64, f64, Vec<Fitted>)> = None;
    for c in C_GRID {
        let mut held_out = Vec::with_capacity(folds.len());
        let mut fitted = Vec::with_capacity(folds.len());
        for fold in &folds {
            let train: Vec<_> =
                picked.iter().zip(fold).filter(|(_, test)| !**test).map(|(p, _)| *p).collect();
            let (w, b) = fit(rows, &train, c);
            let scored = picked
                .iter()
                .zip(fold)
                .filter(|(_, test)| **test)
                .map(|(&(row, y, _), _)| (sigmoid(margin(rows, row, &w, b) as f32), y))
                .collect();
            held_out.push(scored);
            fitted.push((w, b));
        }
        let auc = mean(held_out.iter().map(|fold: &Vec<(f32, bool)>| {
            let (scores, labels): (Vec<f32>, Vec<bool>) = fold.iter().copied().unzip();
            roc_auc(&scores, &labels)
        }));
        // Ties keep the smaller C, the simpler model.
        if best.as_ref().is_none_or(|(_, best_auc, _)| auc > *best_auc) {
            best = Some((c, auc, fitted));
        }
    }
    let (c, cv_auc, fitted) = best?;
    // The shipped head is the mean of the fold models at the chosen penalty, each trained on every
    // source but one: a weight one source alone holds up is averaged down, and the mean of linear
    // models is one linear model, so scoring costs what one model costs.
    let mut w = vec![0.0; 1usize << BITS];
    let mut bias = 0.0;
    for (fold_w, fold_bias) in &fitted {
        axpy(1.0, fold_w, &mut w);
        bias += fold_bias;
    }
    let n = fitted.len() as f64;
    w.iter_mut().for_each(|x| *x /= n);
    let bias = bias / n;
    Some((w, bias as f32, Choice { c, cv_auc: Some(cv_auc) }))
}

/// Which examples each fold holds out: one fold per source holding both classes (single-class
/// sources always stay in training); `None` when fewer than two sources hold both classes.
fn folds(picked: &[(usize, bool, u32)]) -> Option<Vec<Vec<bool>>> {
    let mut sources: Vec<u32> = picked.iter().map(|p| p.2).collect();
    sources.sort_unstable();
    sources.dedup();
    let both =
        |g: u32| picked.iter().any(|p| p.2 == g && p.1) && picked.iter().any(|p| p.2 == g && !p.1);
    let usable: Vec<u32> = sources.into_iter().filter(|&g| both(g)).collect();
    (usable.len() >= 2)
        .then(|| usable.iter().map(|&g| picked.iter().map(|p| p.2 == g).collect()).collect())
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

fn margin(rows: &Rows, row: usize, w: &[f64], bias: f64) -> f64 {
    let (lo, hi) = (rows.offsets[row], rows.offsets[row + 1]);
    let mut z = bias;
    for (&j, &v) in rows.index[lo..hi].iter().zip(&rows.value[lo..hi]) {
        z += w[j as usize] * f64::from(v);
    }
    z
}

/// Fits class-balanced, L2-penalised logistic regression on the `picked` rows.
fn fit(rows: &Rows, picked: &[(usize, bool, u32)], c: f64) -> Fitted {
    let len = 1usize << BITS;
    let positives = picked.iter().filter(|p| p.1).count();
    let negatives = picked.len() - positives;
    // Each class carries half the total weight, so a head trained on mostly-ham data still learns
    // what spam looks like and its threshold sits between the classes.
    let n = picked.len() as f64;
    let class_weight = [n / (2.0 * negatives.max(1) as f64), n / (2.0 * positives.max(1) as f64)];
    let problem = Problem { rows, picked, class_weight, lambda: 1.0 / c, dim: len };
    let mut solution = lbfgs(&problem, MAX_ITERATIONS);
    let bias = solution.pop().unwrap_or(0.0);
    (solution, bias)
}

/// The L2-regularised, weighted logistic loss over sparse rows; the last parameter is the bias.
struct Problem<'a> {
    rows: &'a Rows,
    /// The examples learned from: (row, label, source).
    picked: &'a [(usize, bool, u32)],
    /// Weight of a negative and of a positive example.
    class_weight: [f64; 2],
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
        for &(doc, positive, _) in self.picked {
            let (lo, hi) = (self.rows.offsets[doc], self.rows.offsets[doc + 1]);
            let (index, value) = (&self.rows.index[lo..hi], &self.rows.value[lo..hi]);
            let mut z = bias;
            for (&j, &v) in index.iter().zip(value) {
                z += w[j as usize] * f64::from(v);
            }
            let (y, c) = (f64::from(u8::from(positive)), self.class_weight[usize::from(positive)]);
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

    const TOY: [(&str, bool); 8] = [
        ("check out my channel and subscribe", true),
        ("free entry win cash now text WIN", true),
        ("subscribe to my channel please", true),
        ("win free cash, check out my channel", true),
        ("this song is so good", false),
        ("see you at dinner tonight", false),
        ("love this song, so good", false),
        ("see you tonight, love qzvx", false),
    ];

    fn toy() -> Vec<Sample<'static>> {
        TOY.iter()
            .enumerate()
            .map(|(i, &(text, y))| Sample {
                text,
                group: (i % 2) as u32,
                promotional: Some(y),
                bait: None,
            })
            .collect()
    }

    #[test]
    fn training_is_deterministic() {
        let a = train(&toy()).0.to_bytes();
        let b = train(&toy()).0.to_bytes();
        assert_eq!(a, b);
    }

    #[test]
    fn training_learns_the_toy_data() {
        let (model, choices) = train(&toy());
        assert!(model.scores("subscribe to my channel").promotional > 0.5);
        assert!(model.scores("this song is so good").promotional < 0.5);
        assert!((model.scores("anything").bait - 0.5).abs() < 1e-6);
        assert!(choices[0].is_some() && choices[1].is_none());
    }

    #[test]
    fn folds_hold_out_sources_with_both_classes() {
        let picked = [(0, true, 7), (1, false, 7), (2, true, 9), (3, false, 9), (4, false, 5)];
        let by_source = folds(&picked).unwrap();
        assert_eq!(by_source.len(), 2);
        assert_eq!(by_source[0], [true, true, false, false, false]);
        assert_eq!(by_source[1], [false, false, true, true, false]);
        let one_source = [(0, true, 1), (1, false, 1), (2, true, 1)];
        assert!(folds(&one_source).is_none());
    }

    #[test]
    fn a_head_is_the_mean_of_its_leave_one_source_out_models() {
        let samples = toy();
        let occurrences = featurise(samples.iter().map(|s| s.text));
        let idf = vec![idf_code(Some(1.0)); 1 << BITS];
        let rows = occurrences.scale(&idf);
        let picked: Vec<(usize, bool, u32)> = samples
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.promotional == Some(true), s.group))
            .collect();
        let (w, bias, choice) = train_head(&rows, &picked).unwrap();
        // Each fold trains on the other source alone.
        let fits: Vec<Fitted> = [0, 1]
            .map(|held_out| {
                let train: Vec<_> = picked.iter().copied().filter(|p| p.2 != held_out).collect();
                fit(&rows, &train, choice.c)
            })
            .into();
        assert!((f64::from(bias) - (fits[0].1 + fits[1].1) / 2.0).abs() < 1e-6);
        let mut compared = 0;
        for (j, (&wj, (a, b))) in w.iter().zip(fits[0].0.iter().zip(&fits[1].0)).enumerate() {
            let mean = (a + b) / 2.0;
            assert!((wj - mean).abs() < 1e-12, "feature {j}: {wj} vs {mean}");
            compared += usize::from(mean != 0.0);
        }
        assert!(compared > 0);
        // A refit on both sources is a different model.
        assert_ne!(fit(&rows, &picked, choice.c).0, w);
    }

    #[test]
    fn rare_features_get_no_weight() {
        let (model, _) = train(&toy());
        // "qzvx" and all its n-grams occur in one training text only.
        assert_eq!(model.scores("qzvx"), model.scores(""));
    }
}
