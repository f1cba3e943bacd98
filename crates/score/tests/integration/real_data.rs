//! The real-data suite: the shipped weights are the fit's output, and strength beats the baselines.

use rapport_score::{ScoreWeights, TIES_SUITE, evaluate, fit_suite, weights_source};

use super::support::load;

#[test]
fn the_fit_reproduces_the_shipped_weights() {
    let data: Vec<_> = TIES_SUITE.iter().map(load).collect();
    let fitted = fit_suite(&data);
    let shipped = ScoreWeights::default();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + a.abs());
    let same = close(fitted.intercept, shipped.intercept)
        && fitted.weights.iter().zip(shipped.weights).all(|(f, s)| close(*f, s));
    assert!(
        same,
        "the shipped weights are stale: run `rapport eval ties --fit` to regenerate \
         crates/score/src/fitted.rs, which should read:\n{}",
        weights_source(&fitted)
    );
}

#[test]
fn strength_beats_the_baselines() {
    let shipped = ScoreWeights::default();
    for entry in &TIES_SUITE {
        let e = evaluate(&load(entry), entry.eval_cutoff, entry.horizon, &shipped);
        for (name, baseline) in [("count", e.count), ("recency", e.recency), ("decayed", e.decayed)]
        {
            for (metric, ours, theirs) in [
                ("AUC", e.strength.roc_auc, baseline.roc_auc),
                ("AP", e.strength.average_precision, baseline.average_precision),
            ] {
                assert!(
                    ours > theirs,
                    "{}: strength {metric} {ours} <= {name} {theirs}",
                    entry.name
                );
            }
        }
    }
}
