//! `rapport eval discover`: link prediction on the public graphs in the data folder. For a seeded
//! sample of users, 20% of their out-edges are hidden; the circle-of-trust ranking and the
//! baselines (personalized PageRank, common neighbours, Adamic-Adar) each try to find them again.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use rapport_engine::graph::eval::{LinkPredictionParams, evaluate_link_prediction};
use rapport_engine::graph::io::{EdgeFileOptions, read_edge_file};

use crate::output::{Cell, Format, Listing};

/// The graphs evaluated: name, path under the data folder, directed.
const DATASETS: &[(&str, &str, bool)] = &[
    ("wiki-vote", "snap-wiki-vote/wiki-Vote.txt.gz", true),
    ("slashdot", "snap-soc-slashdot0902/soc-Slashdot0902.txt.gz", true),
    ("facebook", "snap-ego-facebook/facebook_combined.txt", false),
    ("lastfm-asia", "rozemberczki-social-graphs/lasftm_asia/lastfm_asia_edges.csv.gz", false),
    ("deezer-europe", "rozemberczki-social-graphs/deezer_europe/deezer_europe_edges.csv.gz", false),
    ("github", "rozemberczki-social-graphs/git_web_ml/git_edges.csv.gz", false),
    ("twitch-en", "rozemberczki-social-graphs/twitch/ENGB/ENGB_edges.csv.gz", false),
];

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
    check_datasets(&args.datasets, DATASETS.iter().map(|d| d.0))?;
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
    let params = LinkPredictionParams {
        users: args.users,
        seed: args.seed,
        ..LinkPredictionParams::default()
    };
    for &(name, relative, directed) in DATASETS {
        if !args.datasets.is_empty() && !args.datasets.iter().any(|d| d == name) {
            continue;
        }
        let path = args.data.join(relative);
        let start = Instant::now();
        let list = read_edge_file(&path, &EdgeFileOptions::default()).with_context(|| {
            format!("reading {name}; set --data or RAPPORT_DATA to the datasets folder")
        })?;
        let report = rapport_engine::graph::with_threads(args.threads, || {
            evaluate_link_prediction(&list, directed, &params)
        })?;
        let seconds = start.elapsed().as_secs_f64();
        for s in &report.scores {
            listing.push(vec![
                name.into(),
                s.method.as_str().into(),
                Cell::Int(report.users as i64),
                Cell::Int(report.hidden_edges as i64),
                Cell::Float(s.recall_at_10, 4),
                Cell::Float(s.recall_at_20, 4),
                Cell::Float(s.mrr, 4),
                Cell::Float(seconds, 1),
            ]);
        }
    }
    let mut out = crate::commands::stdout();
    listing.print(args.format, &mut out)?;
    out.flush()?;
    Ok(())
}

/// Rejects dataset names that are not in `known`, listing the valid ones.
pub(crate) fn check_datasets<'a>(
    asked: &[String],
    known: impl Iterator<Item = &'a str> + Clone,
) -> anyhow::Result<()> {
    for name in asked {
        if !known.clone().any(|k| k == name) {
            let valid: Vec<&str> = known.collect();
            anyhow::bail!("unknown dataset '{name}'; choose from {}", valid.join(", "));
        }
    }
    Ok(())
}
