//! Ranking metrics: ROC AUC and average precision, both exact and tie-aware.

/// ROC AUC and average precision of one score over one set of labelled pairs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    /// The probability that a random positive scores above a random negative (ties count half).
    pub roc_auc: f64,
    /// The area under the precision-recall curve, as scikit-learn's `average_precision_score`.
    pub average_precision: f64,
}

impl Metrics {
    /// Both metrics for `scores` against `labels` (same length). NaN when a class is empty.
    pub fn of(scores: &[f64], labels: &[bool]) -> Metrics {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&i, &j| scores[j].total_cmp(&scores[i]).then(i.cmp(&j)));
        Metrics {
            roc_auc: roc_auc(&order, scores, labels),
            average_precision: average_precision(&order, scores, labels),
        }
    }
}

/// The groups of equal scores in `order` (sorted by descending score), as `(positives, total)`.
fn tie_groups<'a>(
    order: &'a [usize],
    scores: &'a [f64],
    labels: &'a [bool],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    order.chunk_by(|&i, &j| scores[i] == scores[j]).map(move |group| {
        let positives = group.iter().filter(|&&i| labels[i]).count();
        (positives, group.len())
    })
}

fn roc_auc(order: &[usize], scores: &[f64], labels: &[bool]) -> f64 {
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    // Walking down the ranking, each positive beats every negative still below it, and ties half.
    let mut negatives_below = negatives;
    let mut wins = 0.0;
    for (pos, total) in tie_groups(order, scores, labels) {
        let neg = total - pos;
        negatives_below -= neg;
        wins += pos as f64 * (negatives_below as f64 + neg as f64 / 2.0);
    }
    wins / (positives as f64 * negatives as f64)
}

fn average_precision(order: &[usize], scores: &[f64], labels: &[bool]) -> f64 {
    let positives = labels.iter().filter(|&&l| l).count();
    let (mut true_pos, mut seen, mut ap) = (0usize, 0usize, 0.0);
    for (pos, total) in tie_groups(order, scores, labels) {
        true_pos += pos;
        seen += total;
        ap += (pos as f64 / positives as f64) * (true_pos as f64 / seen as f64);
    }
    ap
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(scores: &[f64], labels: &[bool], auc: f64, ap: f64) {
        let m = Metrics::of(scores, labels);
        assert!((m.roc_auc - auc).abs() < 1e-12, "auc {} != {auc}", m.roc_auc);
        assert!((m.average_precision - ap).abs() < 1e-12, "ap {} != {ap}", m.average_precision);
    }

    #[test]
    fn perfect_inverted_and_tied_rankings() {
        check(&[0.9, 0.8, 0.1, 0.0], &[true, true, false, false], 1.0, 1.0);
        check(&[0.0, 0.1, 0.8, 0.9], &[true, true, false, false], 0.0, 0.5 / 3.0 + 0.5 * 0.5);
        check(&[0.5, 0.5, 0.5, 0.5], &[true, false, false, false], 0.5, 0.25);
    }

    #[test]
    fn matches_scikit_learn_on_a_small_case() {
        // sklearn: roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75,
        // average_precision_score(...) = 0.8333333333333333.
        check(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true], 0.75, 0.833_333_333_333_333_3);
    }
}
