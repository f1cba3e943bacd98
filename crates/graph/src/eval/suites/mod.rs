//! The public graphs `rapport eval discover|groups` are measured on, and the runs over them: each
//! suite names its datasets by their place under the data folder (`$RAPPORT_DATA`, by default
//! `../shared/data`), reads them and returns one plain row per dataset and method.

mod discover;
mod groups;

pub use discover::{
    DISCOVER_SUITE, DiscoverRow, DiscoverSuiteJob, SuiteGraph, evaluate_discover_suite,
};
pub use groups::{
    GROUPS_SUITE, GroupsRow, GroupsSuiteJob, SuiteTruth, TruthGraph, evaluate_groups_suite,
};

use std::path::PathBuf;

use crate::GraphError;

/// Where a suite's data is, which of its graphs to run, and on how many threads.
#[derive(Clone, Debug, Default)]
pub struct SuiteRun {
    /// The folder holding the public datasets.
    pub data_dir: PathBuf,
    /// Only these graphs, by name (all when empty).
    pub datasets: Vec<String>,
    /// Worker threads (all cores when `None`).
    pub threads: Option<usize>,
}

/// The entries of `suite` that `asked` names, in suite order (all of them when `asked` is empty);
/// a name not in the suite is an error listing the valid ones.
fn select<'a, T>(
    suite: &'a [T],
    name: impl Fn(&T) -> &'static str,
    asked: &[String],
) -> Result<Vec<&'a T>, GraphError> {
    if let Some(unknown) = asked.iter().find(|a| !suite.iter().any(|d| name(d) == a.as_str())) {
        let known: Vec<&str> = suite.iter().map(&name).collect();
        return Err(GraphError::UnknownDataset { name: unknown.clone(), known: known.join(", ") });
    }
    Ok(suite.iter().filter(|d| asked.is_empty() || asked.iter().any(|a| a == name(d))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: [&str; 3] = ["a", "b", "c"];

    fn check(asked: &[&str]) -> Result<Vec<&'static str>, String> {
        let asked: Vec<String> = asked.iter().map(|s| (*s).to_owned()).collect();
        select(&SUITE, |d| d, &asked)
            .map(|v| v.into_iter().copied().collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn selects_in_suite_order() {
        assert_eq!(check(&[]), Ok(vec!["a", "b", "c"]));
        assert_eq!(check(&["c", "a"]), Ok(vec!["a", "c"]));
        assert_eq!(check(&["a", "x"]), Err("unknown dataset 'x'; choose from a, b, c".to_owned()));
    }
}
