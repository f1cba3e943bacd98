//! `rapport eval discover`: link prediction on the public graphs in the data folder. For a seeded
//! sample of users, 20% of their out-edges are hidden; the circle-of-trust ranking and the
//! baselines (personalized PageRank, common neighbours, Adamic-Adar) each try to find them again.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use rapport_engine::eval::{
    DiscoverSuiteJob, LinkPredictionParams, SuiteRun, evaluate_discover_suite,
};

use crate::output::{Cell, Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct DiscoverEvalArgs {
    /// Folder holding the public datasets
    #[arg(long, env = "RAPPORT_DATA", value_name = "DIR", default_value = "../shared/data")]
    data: PathBuf,
    /// Only these datasets (repeatable) [default: all]
    #[arg(long = "dataset", value_name = "NAME")]
    datasets: Vec<String>,
    /// Users sampled per graph
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// Seed of the sample and of the hidden edges
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Worker threads [default: all cores]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(args: &DiscoverEvalArgs) -> anyhow::Result<()> {
    let job = DiscoverSuiteJob {
        run: SuiteRun {
            data_dir: args.data.clone(),
            datasets: args.datasets.clone(),
            threads: args.threads,
        },
        params: LinkPredictionParams {
            users: args.users,
            seed: args.seed,
            ..LinkPredictionParams::default()
        },
    };
    let rows =
        evaluate_discover_suite(&job).map_err(|e| super::explain_suite(e, "--data", &args.data))?;
    let mut listing = Listing::new(&[
        "dataset",
        "method",
        "users",
        "hidden",
        "recall@10",
        "recall@20",
        "MRR",
        "seconds",
    ]);
    for row in &rows {
        for s in &row.report.scores {
            listing.push(vec![
                row.dataset.into(),
                s.method.as_str().into(),
                Cell::Int(row.report.users as i64),
                Cell::Int(row.report.hidden_edges as i64),
                Cell::Float(s.recall_at_10, 4),
                Cell::Float(s.recall_at_20, 4),
                Cell::Float(s.mrr, 4),
                Cell::Float(row.seconds, 1),
            ]);
        }
    }
    let mut out = crate::commands::stdout();
    listing.print(args.format, &mut out)?;
    out.flush()?;
    Ok(())
}
