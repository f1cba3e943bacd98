//! `rapport graph communities`: Leiden or label propagation on a file, with the modularity found
//! and the largest communities.

use std::path::PathBuf;
use std::time::Instant;

use super::{EdgeInput, load, seconds_since};
use crate::GraphError;
use crate::algo::community::{
    LabelPropagationParams, LeidenParams, label_propagation, leiden, modularity,
};
use crate::io::write_membership;

/// The community detection algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommunityMethod {
    /// Leiden, optimising modularity.
    Leiden,
    /// Label propagation.
    LabelPropagation,
}

/// What to detect and what to return.
#[derive(Clone, Debug)]
pub struct CommunitiesJob {
    /// The algorithm.
    pub method: CommunityMethod,
    /// Modularity resolution (higher gives smaller communities); Leiden optimises it and the
    /// reported modularity uses it whatever the method.
    pub resolution: f64,
    /// Seed (the result is the same for a seed whatever the thread count).
    pub seed: u64,
    /// How many of the largest communities to return.
    pub limit: usize,
    /// Also write `node<TAB>community` for every node to this file.
    pub membership_file: Option<PathBuf>,
}

/// One of the largest communities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Community {
    /// Its number of members.
    pub size: usize,
    /// Its first five members, by their ids in the file.
    pub sample: Vec<u64>,
}

/// The communities found and how the run went.
#[derive(Clone, Debug)]
pub struct CommunitiesResult {
    /// Seconds to read the file and build the graph.
    pub load_seconds: f64,
    /// Seconds the detection took.
    pub detect_seconds: f64,
    /// Communities found.
    pub count: u32,
    /// The modularity of the partition at the job's resolution.
    pub modularity: f64,
    /// The largest communities, largest first.
    pub largest: Vec<Community>,
}

/// Loads `input` and finds its communities.
pub fn communities(
    input: &EdgeInput,
    job: &CommunitiesJob,
) -> Result<CommunitiesResult, GraphError> {
    let g = load(input)?;
    let start = Instant::now();
    let found = match job.method {
        CommunityMethod::Leiden => leiden(
            &g.csr,
            &LeidenParams { resolution: job.resolution, seed: job.seed, ..LeidenParams::default() },
        ),
        CommunityMethod::LabelPropagation => label_propagation(
            &g.csr,
            &LabelPropagationParams { seed: job.seed, ..LabelPropagationParams::default() },
        ),
    };
    let detect_seconds = seconds_since(start);
    let q = modularity(&g.csr, &found.membership, job.resolution);
    if let Some(path) = &job.membership_file {
        write_membership(path, g.csr.ids(), &found.membership)?;
    }
    let mut groups = found.groups();
    groups.sort_by_key(|members| std::cmp::Reverse(members.len()));
    let largest = groups
        .iter()
        .take(job.limit)
        .map(|members| Community {
            size: members.len(),
            sample: members.iter().take(5).map(|&v| g.csr.ids().original(v)).collect(),
        })
        .collect();
    Ok(CommunitiesResult {
        load_seconds: g.load_seconds(),
        detect_seconds,
        count: found.count,
        modularity: q,
        largest,
    })
}
