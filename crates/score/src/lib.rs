//! Rapport's relationship model: strength, stage, trend and the give/ask ledger of every
//! relationship, computed from interaction events alone.
//!
//! Strength is the estimated probability that two accounts interact within the horizon (30 days),
//! from a logistic regression over features of intensity, intimacy, recency, reciprocity, duration
//! and shared connections (Gilbert and Karahalios 2009; Twitter's RealGraph), and of a like or repost
//! still owed in return (the norm of reciprocity). Strength never falls when a reply, quote, mention
//! or DM is added and never rises while time passes ([`Features`] says exactly which features move
//! with likes and reposts). Its weights are fitted on public timestamped data ([`TIES_SUITE`],
//! [`fit()`]) and checked by forecasting held-out interactions against simple baselines
//! ([`evaluate`]).
//!
//! Everything here is a pure, infallible computation over a slice of [`Event`]s with dense account
//! ids; the engine reads the store and feeds it. Every function takes an as-of time and ignores
//! later events, so a result never changes when later data is added.
//!
//! [`interests`] holds the other profile of a person discovery and groups read: what they post
//! about, as term profiles over post texts the engine hands over.
#![deny(missing_docs)]

mod assess;
mod datasets;
mod error;
mod eval;
mod event;
mod features;
mod fit;
mod fitted;
mod history;
mod index;
pub mod interests;
mod investment;
mod investment_eval;
mod ledger;
mod metrics;
mod monthly;
mod pairs;
mod relationship;
mod stage;
mod summary;
mod trend;
mod weights;

pub use datasets::{
    DatasetFormat, FIT_WINDOWS, SuiteEntry, TIES_SUITE, fit_suite, fit_suite_per_dataset,
    parse_events,
};
pub use error::Error;
pub use eval::{CalibrationBin, Probabilities, TieEval, VALUE_BINS, evaluate};
pub use event::{Event, Tier};
pub use features::{FEATURE_COUNT, FEATURE_NAMES, Features, ONE_SIDED_MISSING};
pub use fit::{Fit, L2_PENALTY, REFERENCE_DATASET, TrainingSet, fit, weights_source};
pub use history::{HistoryPoint, RelationshipDetail, StageChange, relationship, relationship_as};
pub use investment::{HALF_LIFE_MONTHS, Investment, SCALE, TIER_WEIGHTS, VOLUME_SHARE};
pub use investment_eval::{
    HALF_LIVES, InvestmentEval, STRENGTH_SUITE, SUSTAINED, StrengthCase, evaluate_investment,
};
pub use ledger::{Asked, Given, LEDGER_BASIS, Ledger};
pub use metrics::Metrics;
pub use monthly::stages_at;
pub use pairs::{PairObservation, observe_pairs};
pub use rapport_model::Stage;
pub use relationship::{OneSided, OtherSide, Relationship, ScoreParams, relationships};
pub use stage::{CLOSE_WITHIN, SUSTAINED_CONTRIBUTIONS, SUSTAINED_SPAN};
pub use summary::{DAILY_DECAY, KindCounts, LastInteraction};
pub use trend::{TREND_BASELINE, TREND_MIN_RATIO, TREND_SIGNIFICANCE, TREND_WINDOWS, Trend};
pub use weights::ScoreWeights;
