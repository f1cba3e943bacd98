//! The model's weights and the strength they give: a logistic regression over [`Features`].

use crate::features::{FEATURE_COUNT, Features};

/// A logistic regression's intercept and per-feature weights.
///
/// The feature weights are non-negative (the fit enforces it), so strength moves with every feature
/// the way [`Features`] documents.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreWeights {
    /// The log-odds of a pair with every feature at zero.
    pub intercept: f64,
    /// One weight per feature, in the order of [`crate::FEATURE_NAMES`].
    pub weights: [f64; FEATURE_COUNT],
}

impl Default for ScoreWeights {
    fn default() -> Self {
        crate::fitted::FITTED_WEIGHTS
    }
}

impl ScoreWeights {
    /// The shipped one-sided model (see [`crate::ScoreParams::one_sided`]).
    pub fn one_sided() -> ScoreWeights {
        crate::fitted::ONE_SIDED_WEIGHTS
    }

    /// The log-odds that the pair interacts within the horizon.
    pub fn log_odds(&self, features: &Features) -> f64 {
        self.weights.iter().zip(&features.values).fold(self.intercept, |z, (w, x)| z + w * x)
    }

    /// The probability that the pair interacts within the horizon, in [0, 1].
    pub fn strength(&self, features: &Features) -> f64 {
        sigmoid(self.log_odds(features))
    }
}

/// The logistic function.
pub(crate) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}
