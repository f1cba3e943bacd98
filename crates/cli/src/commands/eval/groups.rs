//! `rapport eval groups`: community quality on graphs with known communities (com-DBLP's
//! ground-truth communities, the LFR planted partitions, the Facebook ego circles). Leiden and
//! label propagation are each scored by modularity, NMI (overlapping NMI when the truth is a
//! cover) and best-match F1.

use std::path::PathBuf;

use clap::Args;
use rapport_engine::eval::{GroupsSuiteJob, SuiteRun, evaluate_groups_suite};

use crate::output::{Cell, Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct GroupsEvalArgs {
    /// Folder holding the public datasets
    #[arg(long, env = "RAPPORT_DATA", value_name = "DIR", default_value = "../shared/data")]
    data: PathBuf,
    /// Only these datasets (repeatable) [default: all]
    #[arg(long = "dataset", value_name = "NAME")]
    datasets: Vec<String>,
    /// Seed of Leiden and label propagation
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Worker threads [default: all cores]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(args: &GroupsEvalArgs) -> anyhow::Result<()> {
    let job = GroupsSuiteJob {
        run: SuiteRun {
            data_dir: args.data.clone(),
            datasets: args.datasets.clone(),
            threads: args.threads,
        },
        seed: args.seed,
    };
    let rows =
        evaluate_groups_suite(&job).map_err(|e| super::explain_suite(e, "--data", &args.data))?;
    let mut listing = Listing::new(&[
        "dataset",
        "truth",
        "method",
        "communities",
        "modularity",
        "NMI",
        "F1",
        "seconds",
    ]);
    for row in rows {
        listing.push(vec![
            row.dataset.into(),
            row.truth.into(),
            row.method.into(),
            Cell::Int(i64::from(row.communities)),
            Cell::Float(row.modularity, 4),
            Cell::Float(row.nmi, 4),
            Cell::Float(row.f1, 4),
            Cell::Float(row.seconds, 2),
        ]);
    }
    listing.print(args.format, &mut crate::commands::stdout())?;
    Ok(())
}
