//! `rapport eval groups`: community quality on graphs with known communities (com-DBLP's
//! ground-truth communities, the LFR planted partitions, the Facebook ego circles). Leiden and
//! label propagation are each scored by modularity, NMI (overlapping NMI when the truth is a
//! cover) and best-match F1.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use rapport_engine::graph::algo::community::{
    Communities, LabelPropagationParams, LeidenParams, label_propagation, leiden, modularity,
};
use rapport_engine::graph::eval::{f1_best_match, nmi, overlapping_nmi};
use rapport_engine::graph::io::{
    EdgeFileOptions, read_circles, read_communities_json, read_edge_file,
};
use rapport_engine::graph::{BuildOptions, Csr};

use crate::output::{Cell, Format, Listing};

/// A community detection run, ready to start.
type Detect<'a> = Box<dyn Fn() -> Communities + Send + Sync + 'a>;

/// Where the ground truth of a dataset lives.
enum Truth {
    /// CDlib JSON communities.
    Json(&'static str),
    /// A folder of SNAP `*.circles` files.
    Circles(&'static str),
}

/// The graphs evaluated: name, edge list under the data folder, ground truth.
const DATASETS: &[(&str, &str, Truth)] = &[
    (
        "com-dblp",
        "snap-com-dblp-cdlib/com-dblp.ungraph.cdlib.txt.gz",
        Truth::Json("snap-com-dblp-cdlib/com-dblp.all.cmty.cdlib.json.gz"),
    ),
    (
        "lfr-n10000-mu0.1",
        "lfr-benchmark-cdlib/networks/LFR_N10000_ad5_mc50_mu0.1.csv.gz",
        Truth::Json("lfr-benchmark-cdlib/ground_truth/LFR_N10000_ad5_mc50_mu0.1.json.gz"),
    ),
    (
        "lfr-n10000-mu0.3",
        "lfr-benchmark-cdlib/networks/LFR_N10000_ad5_mc50_mu0.3.csv.gz",
        Truth::Json("lfr-benchmark-cdlib/ground_truth/LFR_N10000_ad5_mc50_mu0.3.json.gz"),
    ),
    (
        "lfr-n10000-mu0.5",
        "lfr-benchmark-cdlib/networks/LFR_N10000_ad5_mc50_mu0.5.csv.gz",
        Truth::Json("lfr-benchmark-cdlib/ground_truth/LFR_N10000_ad5_mc50_mu0.5.json.gz"),
    ),
    (
        "lfr-n100000-mu0.1",
        "lfr-benchmark-cdlib/networks/LFR_N100000_ad5_mc50_mu0.1.csv.gz",
        Truth::Json("lfr-benchmark-cdlib/ground_truth/LFR_N100000_ad5_mc50_mu0.1.json.gz"),
    ),
    (
        "lfr-n100000-mu0.3",
        "lfr-benchmark-cdlib/networks/LFR_N100000_ad5_mc50_mu0.3.csv.gz",
        Truth::Json("lfr-benchmark-cdlib/ground_truth/LFR_N100000_ad5_mc50_mu0.3.json.gz"),
    ),
    (
        "facebook-circles",
        "snap-ego-facebook/facebook_combined.txt",
        Truth::Circles("snap-ego-facebook/facebook"),
    ),
];

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
    super::discover::check_datasets(&args.datasets, DATASETS.iter().map(|d| d.0))?;
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
    for (name, relative, truth) in DATASETS {
        if !args.datasets.is_empty() && !args.datasets.iter().any(|d| d == name) {
            continue;
        }
        let list = read_edge_file(&args.data.join(relative), &EdgeFileOptions::default())
            .with_context(|| {
                format!("reading {name}; set --data or RAPPORT_DATA to the datasets folder")
            })?;
        let csr = Csr::build(&list, &BuildOptions::undirected());
        let (truth_groups, kind) = ground_truth(&args.data, truth, &csr)?;
        let n = csr.node_count() as usize;
        let partition = partition_of(&truth_groups, n);
        let label = match &partition {
            Some(_) => format!("partition ({} groups)", truth_groups.len()),
            None => format!("{kind} ({} groups)", truth_groups.len()),
        };
        let methods: [(&str, Detect<'_>); 2] = [
            (
                "Leiden",
                Box::new(|| {
                    leiden(&csr, &LeidenParams { seed: args.seed, ..LeidenParams::default() })
                }),
            ),
            (
                "label propagation",
                Box::new(|| {
                    label_propagation(
                        &csr,
                        &LabelPropagationParams {
                            seed: args.seed,
                            ..LabelPropagationParams::default()
                        },
                    )
                }),
            ),
        ];
        for (method, detect) in methods {
            let start = Instant::now();
            let found = rapport_engine::graph::with_threads(args.threads, detect)?;
            let seconds = start.elapsed().as_secs_f64();
            let groups = found.groups();
            let agreement = match &partition {
                Some(p) => nmi(&found.membership, p),
                None => overlapping_nmi(&groups, &truth_groups, n),
            };
            listing.push(vec![
                (*name).into(),
                label.as_str().into(),
                method.into(),
                Cell::Int(i64::from(found.count)),
                Cell::Float(modularity(&csr, &found.membership, 1.0), 4),
                Cell::Float(agreement, 4),
                Cell::Float(f1_best_match(&groups, &truth_groups, n), 4),
                Cell::Float(seconds, 2),
            ]);
        }
    }
    listing.print(args.format, &mut crate::commands::stdout())?;
    Ok(())
}

/// Reads ground truth and maps it to the graph's dense ids (ids absent from the graph dropped).
fn ground_truth(
    data: &Path,
    truth: &Truth,
    csr: &Csr,
) -> anyhow::Result<(Vec<Vec<u32>>, &'static str)> {
    let (raw, kind) = match truth {
        Truth::Json(p) => (read_communities_json(&data.join(p))?, "cover"),
        Truth::Circles(p) => (read_circles(&data.join(p))?, "circles"),
    };
    let groups = raw
        .into_iter()
        .map(|members| {
            members.into_iter().filter_map(|id| csr.ids().dense(id)).collect::<Vec<u32>>()
        })
        .filter(|members| !members.is_empty())
        .collect();
    Ok((groups, kind))
}

/// The membership vector when the groups partition all `n` nodes.
fn partition_of(groups: &[Vec<u32>], n: usize) -> Option<Vec<u32>> {
    let mut membership = vec![u32::MAX; n];
    for (c, members) in groups.iter().enumerate() {
        for &v in members {
            if membership[v as usize] != u32::MAX {
                return None;
            }
            membership[v as usize] = c as u32;
        }
    }
    membership.iter().all(|&m| m != u32::MAX).then_some(membership)
}
