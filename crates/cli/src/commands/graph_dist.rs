//! `rapport graph rank|components|communities|recommend-all` across processes: the flags that
//! place this process in a timely cluster (`--processes N --process I --hosts FILE`, timely's own
//! conventions, or `--cluster FILE`), `--workers K` threads each, and the printing of what a
//! distributed job did.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use rapport_engine::distributed::{self as dist, Cluster, DistError, JobInput, Traffic};
use serde_json::json;

use super::graph::{print, ranked_listing};
use crate::output::{Format, Listing};

/// Where a distributed job runs and writes.
#[derive(Debug, Args)]
pub(crate) struct DistArgs {
    /// Run as one of N processes of a distributed job (timely dataflow over TCP); needs --hosts
    #[arg(long, value_name = "N", requires = "hosts")]
    processes: Option<usize>,
    /// This process's index in the hosts file, from 0
    #[arg(long, value_name = "I", default_value_t = 0)]
    process: usize,
    /// File of `host:port` lines, line I for process I (every process reads the same file)
    #[arg(long, value_name = "FILE", requires = "processes")]
    hosts: Option<PathBuf>,
    /// File of `host:port` lines, one per process of the job (the same as --hosts with
    /// --processes set to its number of lines); this process is line --process
    #[arg(long, value_name = "FILE", conflicts_with_all = ["processes", "hosts"])]
    cluster: Option<PathBuf>,
    /// Worker threads per process of a distributed job
    #[arg(long, value_name = "K")]
    workers: Option<usize>,
    /// Directory each worker writes its `out.W` file to (W the worker's index over all processes)
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// Seconds to wait for every process of the job to connect
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    connect_timeout: u64,
}

impl DistArgs {
    /// Whether any flag asks for a distributed job (otherwise the in-memory path runs).
    pub(crate) fn requested(&self) -> bool {
        self.processes.is_some() || self.cluster.is_some() || self.workers.is_some()
    }

    fn cluster(&self) -> anyhow::Result<Cluster> {
        let workers = self.workers.unwrap_or(1);
        let timeout = Duration::from_secs(self.connect_timeout);
        if let Some(file) = &self.cluster {
            return Ok(Cluster::from_cluster_file(file, self.process, workers, timeout)?);
        }
        Ok(match (&self.hosts, self.processes) {
            (Some(hosts), Some(processes)) => {
                Cluster::from_hosts_file(hosts, processes, self.process, workers, timeout)?
            }
            _ => Cluster::local(workers),
        })
    }

    fn input(&self, file: &std::path::Path, directed: bool) -> JobInput {
        JobInput { file: file.to_owned(), directed, output: self.output_dir.clone() }
    }
}

/// The header lines every distributed job prints.
fn header(
    cluster: &Cluster,
    start: Instant,
    lines: u64,
    traffic: &Traffic,
) -> Vec<(&'static str, serde_json::Value)> {
    vec![
        ("processes", json!(cluster.processes())),
        ("workers", json!(cluster.peers())),
        ("seconds", json!(start.elapsed().as_secs_f64())),
        ("rounds", json!(traffic.rounds)),
        ("records_sent", json!(traffic.records)),
        ("records_between_processes", json!(traffic.remote_records)),
        ("bytes_between_processes", json!(traffic.remote_bytes)),
        ("lines_written", json!(lines)),
    ]
}

fn explain(error: DistError) -> anyhow::Error {
    anyhow::Error::new(error).context("the distributed graph job failed")
}

pub(crate) fn rank(
    dist: &DistArgs,
    file: &std::path::Path,
    directed: bool,
    params: &dist::RankParams,
    format: Format,
) -> anyhow::Result<()> {
    let cluster = dist.cluster()?;
    let start = Instant::now();
    let r = dist::rank(&cluster, &dist.input(file, directed), params).map_err(explain)?;
    let mut head = header(&cluster, start, r.lines, &r.traffic);
    head.extend([("nodes", json!(r.nodes)), ("iterations", json!(params.iterations))]);
    let top: Vec<_> = r.top.iter().map(|&(node, score)| dist_ranked(node, score)).collect();
    print(format, &head, &ranked_listing(&top))
}

fn dist_ranked(node: u64, score: f64) -> rapport_engine::graph::Ranked {
    rapport_engine::graph::Ranked { node, score }
}

pub(crate) fn components(
    dist: &DistArgs,
    file: &std::path::Path,
    directed: bool,
    format: Format,
) -> anyhow::Result<()> {
    let cluster = dist.cluster()?;
    let start = Instant::now();
    let r = dist::components(&cluster, &dist.input(file, directed)).map_err(explain)?;
    let mut head = header(&cluster, start, r.lines, &r.traffic);
    head.extend([
        ("nodes", json!(r.nodes)),
        ("components", json!(r.components)),
        ("iterations", json!(r.iterations)),
    ]);
    print(format, &head, &files(&r.files))
}

pub(crate) fn communities(
    dist: &DistArgs,
    file: &std::path::Path,
    directed: bool,
    params: &dist::LabelPropagationParams,
    format: Format,
) -> anyhow::Result<()> {
    let cluster = dist.cluster()?;
    let start = Instant::now();
    let r = dist::communities(&cluster, &dist.input(file, directed), params).map_err(explain)?;
    let mut head = header(&cluster, start, r.lines, &r.traffic);
    head.extend([
        ("nodes", json!(r.nodes)),
        ("communities", json!(r.communities)),
        ("modularity", json!(r.modularity)),
        ("pairs_of_rounds", json!(r.pairs)),
    ]);
    print(format, &head, &files(&r.files))
}

pub(crate) fn recommend_all(
    dist: &DistArgs,
    file: &std::path::Path,
    directed: bool,
    params: &dist::RecommendAllParams,
    format: Format,
) -> anyhow::Result<()> {
    let cluster = dist.cluster()?;
    let start = Instant::now();
    let r = dist::recommend_all(&cluster, &dist.input(file, directed), params).map_err(explain)?;
    let mut head = header(&cluster, start, r.lines, &r.traffic);
    head.extend([
        ("users", json!(r.users)),
        ("rankings", json!(r.rankings)),
        ("rows_fetched", json!(r.rows_fetched)),
    ]);
    print(format, &head, &files(&r.files))
}

/// The files this process's workers wrote.
fn files(paths: &[PathBuf]) -> Listing {
    let mut listing = Listing::new(&["file"]);
    for path in paths {
        listing.push(vec![path.display().to_string().into()]);
    }
    listing
}
