//! Investment's evaluation on the public suite ([`rapport_score::STRENGTH_SUITE`]): each dataset
//! is imported once into a throwaway store, as for tie strength, and evaluated at each of its
//! cutoffs beside the 30-day forecast and the baselines.

use std::collections::HashMap;
use std::path::Path;

use rapport_import::Format;
use rapport_model::Timestamp;
use rapport_score::{Event, InvestmentEval, STRENGTH_SUITE, ScoreWeights};

use super::EvalError;
use super::ties::{load, suite_path};
use crate::Progress;

/// One case of the suite.
#[derive(Clone, Debug)]
pub struct StrengthRow {
    /// The dataset's name.
    pub dataset: &'static str,
    /// The cutoff.
    pub cutoff: Timestamp,
    /// True when the half-life was chosen on this case.
    pub tuning: bool,
    /// Investment, the forecast and the baselines.
    pub eval: InvestmentEval,
}

/// Evaluates investment on the suite under `data_dir`; `progress` follows each dataset's import.
pub fn evaluate_strength(
    data_dir: &Path,
    progress: &mut dyn Progress,
) -> Result<Vec<StrengthRow>, EvalError> {
    let mut loaded: HashMap<&'static str, Vec<Event>> = HashMap::new();
    let mut rows = Vec::new();
    for case in STRENGTH_SUITE {
        if !loaded.contains_key(case.path) {
            let format = case
                .format
                .parse::<Format>()
                .map_err(|_| EvalError::SuiteFormat(case.format.to_owned()))?;
            let events = load(&suite_path(data_dir, case.path)?, Some(format), progress)?;
            loaded.insert(case.path, events);
        }
        let events = loaded.get(case.path).map_or(&[][..], Vec::as_slice);
        let eval =
            rapport_score::evaluate_investment(events, case.cutoff, &ScoreWeights::default());
        rows.push(StrengthRow {
            dataset: case.name,
            cutoff: case.cutoff,
            tuning: case.tuning,
            eval,
        });
    }
    Ok(rows)
}
