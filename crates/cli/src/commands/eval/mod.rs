//! `rapport eval`: reproducible accuracy figures on public data, each beside simple baselines.

pub(crate) mod check;
pub(crate) mod discover;
pub(crate) mod groups;
pub(crate) mod strength;
pub(crate) mod ties;

use std::path::Path;

use clap::Subcommand;
use rapport_engine::graph::GraphError;

#[derive(Debug, Subcommand)]
pub(crate) enum EvalCommand {
    /// Tie strength: forecasting which pairs interact next, against count, recency and decayed count
    Ties(ties::TiesEvalArgs),
    /// Check: precision, recall, F1 and ROC AUC on cross-source splits; --train rebuilds the shipped model
    Check(check::CheckEvalArgs),
    /// Discovery: link prediction (recall@10, recall@20, MRR) against common neighbours, Adamic-Adar and PPR
    Discover(discover::DiscoverEvalArgs),
    /// Groups: modularity, NMI and F1 against ground truth, beside label propagation
    Groups(groups::GroupsEvalArgs),
    /// Strongest: investment against sustained two-way contact over the next 90 days, beside the forecast and baselines
    Strength(strength::StrengthEvalArgs),
}

pub(crate) fn run(command: &EvalCommand) -> anyhow::Result<std::process::ExitCode> {
    match command {
        EvalCommand::Ties(args) => ties::run(args),
        EvalCommand::Check(args) => check::run(args),
        EvalCommand::Discover(args) => {
            discover::run(args).map(|()| std::process::ExitCode::SUCCESS)
        }
        EvalCommand::Groups(args) => groups::run(args).map(|()| std::process::ExitCode::SUCCESS),
        EvalCommand::Strength(args) => strength::run(args),
    }
}

/// A graph suite's error; one that comes from reading the data says where it looked and which
/// option moves it, while an unknown dataset name speaks for itself.
fn explain_suite(error: GraphError, option: &str, dir: &Path) -> anyhow::Error {
    match error {
        GraphError::UnknownDataset { .. } => error.into(),
        _ => anyhow::Error::new(error).context(data_hint(option, dir)),
    }
}

/// What to say when an evaluation cannot read its data: where it looked and which option moves it.
fn data_hint(option: &str, dir: &Path) -> String {
    format!(
        "reading the public data in {}; point {option} (or RAPPORT_DATA) at the data folder",
        dir.display()
    )
}
