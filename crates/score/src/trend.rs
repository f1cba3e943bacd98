//! Whether a relationship is warming, steady or cooling.

use std::fmt;

use crate::error::Error;

/// How far strength's log-odds must move (on average against 30 and 90 days ago) to count as a
/// change: 0.5 is the odds growing or shrinking by about 1.65 times.
pub const TREND_THRESHOLD: f64 = 0.5;

/// The direction a relationship is moving in.
///
/// With `z0`, `z30` and `z90` the log-odds of strength now, 30 and 90 days ago (strength clamped
/// to [1e-6, 1 - 1e-6] so a blocked or empty relationship has finite log-odds), let
/// `change = ((z0 - z30) + (z0 - z90)) / 2`. The trend is warming when `change > 0.5`, cooling when
/// `change < -0.5`, and steady otherwise. Log-odds rather than raw differences, because strengths
/// of most relationships are small probabilities and a drop from 0.04 to 0.01 matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trend {
    /// Weaker than before.
    Cooling,
    /// About as strong as before.
    Steady,
    /// Stronger than before.
    Warming,
}

impl Trend {
    /// The trend from strength now, 30 days ago and 90 days ago, with the log-odds change it is
    /// based on.
    pub fn from_strengths(now: f64, days_30: f64, days_90: f64) -> (Trend, f64) {
        let logit = |s: f64| {
            let s = s.clamp(1e-6, 1.0 - 1e-6);
            (s / (1.0 - s)).ln()
        };
        let z0 = logit(now);
        let change = ((z0 - logit(days_30)) + (z0 - logit(days_90))) / 2.0;
        let trend = if change > TREND_THRESHOLD {
            Trend::Warming
        } else if change < -TREND_THRESHOLD {
            Trend::Cooling
        } else {
            Trend::Steady
        };
        (trend, change)
    }

    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::Cooling => "cooling",
            Trend::Steady => "steady",
            Trend::Warming => "warming",
        }
    }
}

impl fmt::Display for Trend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Trend {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cooling" => Ok(Trend::Cooling),
            "steady" => Ok(Trend::Steady),
            "warming" => Ok(Trend::Warming),
            _ => Err(Error::UnknownTrend(s.to_owned())),
        }
    }
}
