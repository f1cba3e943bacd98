//! Forecast evaluation: does strength at a cutoff rank the pairs that interact within the horizon
//! above those that do not, better than simple baselines on the same pairs?

use rapport_model::Timestamp;

use crate::event::{Event, Tier};
use crate::index::pair_key;
use crate::metrics::Metrics;
use crate::pairs::{PairObservation, observe_pairs};
use crate::weights::ScoreWeights;

/// Strength and the three baselines on the same labelled pairs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TieEval {
    /// Pairs with at least one interaction at or before the cutoff.
    pub pairs: usize,
    /// Of those, pairs that interact (either way) within the horizon after the cutoff.
    pub positives: usize,
    /// The model's strength.
    pub strength: Metrics,
    /// Strength's mean log loss: how good a probability it is, not only a ranking.
    pub strength_log_loss: f64,
    /// Baseline: the number of interactions so far.
    pub count: Metrics,
    /// Baseline: the time of the last interaction (more recent ranks higher).
    pub recency: Metrics,
    /// Baseline: interactions weighted by `0.955^days` (RealGraph's decayed count).
    pub decayed: Metrics,
    /// The same pairs seen as either side's export shows them (each pair once per side that acted
    /// towards the other, as only that side's export lists it), scored by the
    /// two-sided model with the unseen side read as zero: what a one-sided archive got before the
    /// one-sided model.
    pub one_sided_as_zero: Probabilities,
    /// The same, scored by the one-sided model (`one_sided` weights).
    pub one_sided: Probabilities,
    /// Strength's calibration: the pairs in ten equal-count bins by strength, lowest first, each
    /// with its mean strength and the share of its pairs that did interact.
    pub reliability: [CalibrationBin; 10],
    /// The same by strength value: the pairs below each of [`VALUE_BINS`] and not below the one
    /// before, then those at or above the last.
    pub reliability_by_value: [CalibrationBin; VALUE_BINS.len() + 1],
}

/// A model's probabilities on labelled pairs: their ranking and their mean log loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Probabilities {
    /// How well they rank.
    pub metrics: Metrics,
    /// The mean log loss: lower is better, and a model that ranks as well but whose
    /// probabilities are off (too low, as when an unseen side is read as zero) scores worse.
    pub log_loss: f64,
}

impl Probabilities {
    fn of(scores: &[f64], labels: &[bool]) -> Probabilities {
        Probabilities { metrics: Metrics::of(scores, labels), log_loss: log_loss(scores, labels) }
    }
}

/// The mean log loss of probabilities `scores` against `labels`, each clamped away from 0 and 1.
fn log_loss(scores: &[f64], labels: &[bool]) -> f64 {
    let total: f64 = scores
        .iter()
        .zip(labels)
        .map(|(&p, &y)| {
            let p = p.clamp(1e-12, 1.0 - 1e-12);
            -(if y { p.ln() } else { (1.0 - p).ln() })
        })
        .sum();
    total / scores.len().max(1) as f64
}

/// The upper edges of the reliability bins by strength value: equal-count bins put almost every
/// pair of a sparse network below 0.05, so these show how the rarer strong pairs fare.
pub const VALUE_BINS: [f64; 7] = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7];

/// One bin of a reliability table: do pairs given a strength of about `p` interact at rate `p`?
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CalibrationBin {
    /// Pairs in the bin.
    pub pairs: usize,
    /// Their mean strength: the predicted rate.
    pub mean_strength: f64,
    /// The share of them that interacted within the horizon: the observed rate.
    pub observed_rate: f64,
}

/// Ten equal-count bins of `scores` (ties broken by position, so bins never depend on luck).
fn reliability(scores: &[f64], labels: &[bool]) -> [CalibrationBin; 10] {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&i, &j| scores[i].total_cmp(&scores[j]).then(i.cmp(&j)));
    std::array::from_fn(|bin| {
        bin_of(&order[bin * order.len() / 10..(bin + 1) * order.len() / 10], scores, labels)
    })
}

/// Bins of `scores` by value, split at [`VALUE_BINS`].
fn reliability_by_value(scores: &[f64], labels: &[bool]) -> [CalibrationBin; VALUE_BINS.len() + 1] {
    std::array::from_fn(|bin| {
        let low = if bin == 0 { f64::NEG_INFINITY } else { VALUE_BINS[bin - 1] };
        let high = VALUE_BINS.get(bin).copied().unwrap_or(f64::INFINITY);
        let members: Vec<usize> =
            (0..scores.len()).filter(|&i| scores[i] >= low && scores[i] < high).collect();
        bin_of(&members, scores, labels)
    })
}

/// The bin of the pairs at `members`: how many, their mean strength and their observed rate.
fn bin_of(members: &[usize], scores: &[f64], labels: &[bool]) -> CalibrationBin {
    if members.is_empty() {
        return CalibrationBin::default();
    }
    let n = members.len() as f64;
    CalibrationBin {
        pairs: members.len(),
        mean_strength: members.iter().map(|&i| scores[i]).sum::<f64>() / n,
        observed_rate: members.iter().filter(|&&i| labels[i]).count() as f64 / n,
    }
}

/// The pairs with history at `cutoff` and whether each interacts in `(cutoff, cutoff + horizon]`.
pub(crate) fn labelled_pairs(
    events: &[Event],
    cutoff: Timestamp,
    horizon: Timestamp,
    weights: &ScoreWeights,
) -> (Vec<PairObservation>, Vec<bool>) {
    let mut future: Vec<u64> = events
        .iter()
        .filter(|e| {
            e.source != e.target
                && Tier::of(e.kind).is_some()
                && e.at.is_some_and(|at| at > cutoff && at <= cutoff + horizon)
        })
        .map(|e| pair_key(e.source, e.target))
        .collect();
    future.sort_unstable();
    future.dedup();
    let pairs: Vec<PairObservation> =
        observe_pairs(events, cutoff, weights).into_iter().filter(|p| p.interactions > 0).collect();
    let labels = pairs.iter().map(|p| future.binary_search(&pair_key(p.a, p.b)).is_ok()).collect();
    (pairs, labels)
}

/// Evaluates `weights` by forecasting, from what is known at `cutoff`, which pairs with history
/// interact within `horizon` after it; and the `one_sided` weights against `weights` on the same
/// pairs seen as one side's export shows them.
pub fn evaluate(
    events: &[Event],
    cutoff: Timestamp,
    horizon: Timestamp,
    weights: &ScoreWeights,
    one_sided: &ScoreWeights,
) -> TieEval {
    let (pairs, labels) = labelled_pairs(events, cutoff, horizon, weights);
    let one_sided_labels: Vec<bool> = pairs
        .iter()
        .zip(&labels)
        .flat_map(|(p, &l)| p.one_sided.iter().flatten().map(move |_| l))
        .collect();
    let one_sided_metrics = |model: &ScoreWeights| {
        let scores: Vec<f64> = pairs
            .iter()
            .flat_map(|p| p.one_sided.iter().flatten().map(|f| model.strength(f)))
            .collect();
        Probabilities::of(&scores, &one_sided_labels)
    };
    let metrics = |score: fn(&PairObservation) -> f64| {
        let scores: Vec<f64> = pairs.iter().map(score).collect();
        Metrics::of(&scores, &labels)
    };
    let strengths: Vec<f64> = pairs.iter().map(|p| p.strength).collect();
    TieEval {
        reliability: reliability(&strengths, &labels),
        reliability_by_value: reliability_by_value(&strengths, &labels),
        pairs: pairs.len(),
        positives: labels.iter().filter(|&&l| l).count(),
        strength: metrics(|p| p.strength),
        strength_log_loss: log_loss(&strengths, &labels),
        count: metrics(|p| f64::from(p.interactions)),
        recency: metrics(|p| p.last.map_or(f64::NEG_INFINITY, |t| t as f64)),
        decayed: metrics(|p| p.decayed),
        one_sided_as_zero: one_sided_metrics(weights),
        one_sided: one_sided_metrics(one_sided),
    }
}
