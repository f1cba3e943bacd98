//! `rapport eval groups`: community quality on graphs with known communities (com-DBLP's
//! ground-truth communities, the LFR planted partitions, the Facebook ego circles). Leiden and
//! label propagation are each scored by modularity, NMI (overlapping NMI when the truth is a
//! cover) and best-match F1.

use std::path::Path;
use std::time::Instant;

use super::{SuiteRun, select};
use crate::algo::community::{
    Communities, LabelPropagationParams, LeidenParams, label_propagation, leiden, modularity,
};
use crate::eval::{f1_best_match, nmi, overlapping_nmi};
use crate::io::{EdgeFileOptions, read_circles, read_communities_json, read_edge_file};
use crate::parallel::with_threads;
use crate::{BuildOptions, Csr, GraphError};

/// Where the ground truth of a graph lives, under the data folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuiteTruth {
    /// CDlib JSON communities.
    Json(&'static str),
    /// A folder of SNAP `*.circles` files.
    Circles(&'static str),
}

/// One graph with known communities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TruthGraph {
    /// A short name for tables and `--dataset`.
    pub name: &'static str,
    /// The edge list, relative to the data folder; read as undirected.
    pub path: &'static str,
    /// Its ground truth.
    pub truth: SuiteTruth,
}

/// The graphs community detection is measured on.
pub const GROUPS_SUITE: [TruthGraph; 7] = [
    TruthGraph {
        name: "com-dblp",
        path: "snap-com-dblp-cdlib/com-dblp.ungraph.cdlib.txt.gz",
        truth: SuiteTruth::Json("snap-com-dblp-cdlib/com-dblp.all.cmty.cdlib.json.gz"),
    },
    TruthGraph {
        name: "lfr-n10000-mu0.1",
        path: "lfr-benchmark-cdlib/networks/LFR_N10000_ad5_mc50_mu0.1.csv.gz",
        truth: SuiteTruth::Json(
            "lfr-benchmark-cdlib/ground_truth/LFR_N10000_ad5_mc50_mu0.1.json.gz",
        ),
    },
    TruthGraph {
        name: "lfr-n10000-mu0.3",
        path: "lfr-benchmark-cdlib/networks/LFR_N10000_ad5_mc50_mu0.3.csv.gz",
        truth: SuiteTruth::Json(
            "lfr-benchmark-cdlib/ground_truth/LFR_N10000_ad5_mc50_mu0.3.json.gz",
        ),
    },
    TruthGraph {
        name: "lfr-n10000-mu0.5",
        path: "lfr-benchmark-cdlib/networks/LFR_N10000_ad5_mc50_mu0.5.csv.gz",
        truth: SuiteTruth::Json(
            "lfr-benchmark-cdlib/ground_truth/LFR_N10000_ad5_mc50_mu0.5.json.gz",
        ),
    },
    TruthGraph {
        name: "lfr-n100000-mu0.1",
        path: "lfr-benchmark-cdlib/networks/LFR_N100000_ad5_mc50_mu0.1.csv.gz",
        truth: SuiteTruth::Json(
            "lfr-benchmark-cdlib/ground_truth/LFR_N100000_ad5_mc50_mu0.1.json.gz",
        ),
    },
    TruthGraph {
        name: "lfr-n100000-mu0.3",
        path: "lfr-benchmark-cdlib/networks/LFR_N100000_ad5_mc50_mu0.3.csv.gz",
        truth: SuiteTruth::Json(
            "lfr-benchmark-cdlib/ground_truth/LFR_N100000_ad5_mc50_mu0.3.json.gz",
        ),
    },
    TruthGraph {
        name: "facebook-circles",
        path: "snap-ego-facebook/facebook_combined.txt",
        truth: SuiteTruth::Circles("snap-ego-facebook/facebook"),
    },
];

/// Which graphs to evaluate and how.
#[derive(Clone, Debug)]
pub struct GroupsSuiteJob {
    /// The data folder, the graphs and the threads.
    pub run: SuiteRun,
    /// Seed of Leiden and label propagation.
    pub seed: u64,
}

/// One method's figures on one graph.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupsRow {
    /// The graph's name.
    pub dataset: &'static str,
    /// The ground truth, as "partition (N groups)", "cover (N groups)" or "circles (N groups)".
    pub truth: String,
    /// "Leiden" or "label propagation".
    pub method: &'static str,
    /// Communities found.
    pub communities: u32,
    /// Modularity of the communities found (resolution 1).
    pub modularity: f64,
    /// NMI with the truth (overlapping NMI when the truth is not a partition).
    pub nmi: f64,
    /// Best-match F1 with the truth.
    pub f1: f64,
    /// Seconds the detection took.
    pub seconds: f64,
}

/// A community detection run, ready to start.
type Detect<'a> = Box<dyn Fn() -> Communities + Send + Sync + 'a>;

/// Evaluates Leiden and label propagation on each graph `job` selects, in suite order.
pub fn evaluate_groups_suite(job: &GroupsSuiteJob) -> Result<Vec<GroupsRow>, GraphError> {
    let mut rows = Vec::new();
    for graph in select(&GROUPS_SUITE, |g| g.name, &job.run.datasets)? {
        let list = read_edge_file(&job.run.data_dir.join(graph.path), &EdgeFileOptions::default())?;
        let csr = Csr::build(&list, &BuildOptions::undirected());
        let (truth_groups, kind) = ground_truth(&job.run.data_dir, graph.truth, &csr)?;
        let n = csr.node_count() as usize;
        let partition = partition_of(&truth_groups, n);
        let truth = match &partition {
            Some(_) => format!("partition ({} groups)", truth_groups.len()),
            None => format!("{kind} ({} groups)", truth_groups.len()),
        };
        let seed = job.seed;
        let methods: [(&'static str, Detect<'_>); 2] = [
            (
                "Leiden",
                Box::new(|| leiden(&csr, &LeidenParams { seed, ..LeidenParams::default() })),
            ),
            (
                "label propagation",
                Box::new(|| {
                    label_propagation(
                        &csr,
                        &LabelPropagationParams { seed, ..LabelPropagationParams::default() },
                    )
                }),
            ),
        ];
        for (method, detect) in methods {
            let start = Instant::now();
            let found = with_threads(job.run.threads, detect)?;
            let seconds = start.elapsed().as_secs_f64();
            let groups = found.groups();
            let agreement = match &partition {
                Some(p) => nmi(&found.membership, p),
                None => overlapping_nmi(&groups, &truth_groups, n),
            };
            rows.push(GroupsRow {
                dataset: graph.name,
                truth: truth.clone(),
                method,
                communities: found.count,
                modularity: modularity(&csr, &found.membership, 1.0),
                nmi: agreement,
                f1: f1_best_match(&groups, &truth_groups, n),
                seconds,
            });
        }
    }
    Ok(rows)
}

/// Reads ground truth and maps it to the graph's dense ids (ids absent from the graph dropped).
fn ground_truth(
    data: &Path,
    truth: SuiteTruth,
    csr: &Csr,
) -> Result<(Vec<Vec<u32>>, &'static str), GraphError> {
    let (raw, kind) = match truth {
        SuiteTruth::Json(p) => (read_communities_json(&data.join(p))?, "cover"),
        SuiteTruth::Circles(p) => (read_circles(&data.join(p))?, "circles"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partition_is_recognised_and_a_cover_is_not() {
        assert_eq!(partition_of(&[vec![0, 2], vec![1]], 3), Some(vec![0, 1, 0]));
        assert_eq!(partition_of(&[vec![0, 1], vec![1, 2]], 3), None, "overlap");
        assert_eq!(partition_of(&[vec![0, 1]], 3), None, "node 2 in no group");
    }
}
