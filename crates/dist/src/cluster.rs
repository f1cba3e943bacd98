//! Where the workers run: threads of this process, or processes listed in a hosts file (timely's
//! convention: one `host:port` per line, process `I` listening on line `I`, `--processes N`
//! taking the first N lines) or in a cluster file (the same lines, every one a process), and how
//! a job is started on them.
//!
//! The processes connect to each other themselves ([`crate::connect`]), within a deadline, and
//! hand the sockets to timely. Timely has no error to return when a connection breaks mid-job
//! (its network thread panics with "timely communication error", and the workers would wait for
//! the lost peer's progress forever), so a job on a cluster turns that panic into an exit with
//! status 3 (something failed outside the input) and a message that names the cause: every
//! process of a job either finishes with all its output or exits non-zero.

use std::any::Any;
use std::path::Path;
use std::time::Duration;

use timely::communication::Hooks;
use timely::communication::allocator::zero_copy::initialize::initialize_networking_from_sockets;
use timely::communication::allocator::{AllocatorBuilder, ProcessBuilder};
use timely::worker::Worker;
use timely::{CommunicationConfig, WorkerConfig};

use crate::DistError;
use crate::connect::connect;

/// The exit status of a process whose job lost a peer or could not reach one.
pub const PEER_LOST_STATUS: i32 = 3;

/// The workers a job runs on.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Worker threads in each process.
    pub workers: usize,
    /// This process's index in `hosts`.
    pub process: usize,
    /// `host:port` of every process; empty for a job on this process alone.
    pub hosts: Vec<String>,
    /// How long to wait for every process to be connected before giving up.
    pub connect_timeout: Duration,
}

impl Cluster {
    /// `workers` threads in this process only.
    pub fn local(workers: usize) -> Self {
        Self {
            workers: workers.max(1),
            process: 0,
            hosts: Vec::new(),
            connect_timeout: Duration::ZERO,
        }
    }

    /// Process `process` of `processes`, the addresses of all read from `hosts_file` (timely's
    /// convention: the first `processes` lines are used).
    pub fn from_hosts_file(
        hosts_file: &Path,
        processes: usize,
        process: usize,
        workers: usize,
        connect_timeout: Duration,
    ) -> Result<Self, DistError> {
        let hosts = read_hosts(hosts_file)?;
        if hosts.len() < processes {
            return Err(DistError::Cluster(format!(
                "{} lists {} hosts, but --processes is {processes}; list one host:port per process",
                hosts_file.display(),
                hosts.len()
            )));
        }
        let hosts = hosts.into_iter().take(processes).collect();
        Self::new(hosts, process, workers, connect_timeout, "--processes")
    }

    /// Process `process` of the processes listed in `cluster_file`, one per line: the same as
    /// a hosts file with `--processes` set to its number of lines.
    pub fn from_cluster_file(
        cluster_file: &Path,
        process: usize,
        workers: usize,
        connect_timeout: Duration,
    ) -> Result<Self, DistError> {
        let hosts = read_hosts(cluster_file)?;
        if hosts.is_empty() {
            return Err(DistError::Cluster(format!(
                "{} lists no process; write one host:port per line",
                cluster_file.display()
            )));
        }
        let what = format!("the {} processes of {}", hosts.len(), cluster_file.display());
        Self::new(hosts, process, workers, connect_timeout, &what)
    }

    fn new(
        hosts: Vec<String>,
        process: usize,
        workers: usize,
        connect_timeout: Duration,
        processes: &str,
    ) -> Result<Self, DistError> {
        if process >= hosts.len() {
            return Err(DistError::Cluster(format!(
                "--process {process} is not below {processes} ({}); processes are numbered from 0",
                hosts.len()
            )));
        }
        Ok(Self { workers: workers.max(1), process, hosts, connect_timeout })
    }

    /// The number of processes.
    pub fn processes(&self) -> usize {
        self.hosts.len().max(1)
    }

    /// Workers over all processes.
    pub fn peers(&self) -> usize {
        self.processes() * self.workers
    }

    /// The allocators of this process's workers: threads of this process, or connected to
    /// the other processes over TCP.
    fn allocators(&self) -> Result<(Vec<AllocatorBuilder>, Box<dyn Any + Send>), DistError> {
        if self.hosts.len() <= 1 {
            let communication = if self.workers > 1 {
                CommunicationConfig::Process(self.workers)
            } else {
                CommunicationConfig::Thread
            };
            return communication.try_build().map_err(DistError::Workers);
        }
        let sockets = connect(&self.hosts, self.process, self.connect_timeout)?;
        let hooks = Hooks::default();
        let local = ProcessBuilder::new_typed_vector(self.workers, hooks.refill.clone(), None);
        let (builders, guard) =
            initialize_networking_from_sockets(local, sockets, self.process, self.workers, hooks)
                .map_err(|e| DistError::Workers(format!("cannot start the network threads: {e}")))?;
        Ok((builders.into_iter().map(AllocatorBuilder::Tcp).collect(), Box::new(guard)))
    }
}

/// The lines of a hosts or cluster file: one `host:port` each, blank lines and `#` comments
/// skipped.
fn read_hosts(path: &Path) -> Result<Vec<String>, DistError> {
    let text = std::fs::read_to_string(path).map_err(|e| DistError::io(path, e))?;
    let mut hosts = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let port = line.rsplit_once(':').map(|(host, port)| (host, port.parse::<u16>()));
        if !matches!(port, Some((host, Ok(_))) if !host.is_empty()) {
            return Err(DistError::Parse {
                path: path.to_owned(),
                line: n as u64 + 1,
                message: format!(
                    "expected host:port, found `{}`",
                    line.chars().take(60).collect::<String>()
                ),
            });
        }
        hosts.push(line.to_owned());
    }
    Ok(hosts)
}

/// Runs `job` on every worker of this process; the results of this process's workers, in order.
pub(crate) fn execute<T: Send + 'static>(
    cluster: &Cluster,
    job: impl Fn(&mut Worker) -> T + Send + Sync + 'static,
) -> Result<Vec<T>, DistError> {
    let (allocators, guard) = cluster.allocators()?;
    if cluster.hosts.len() > 1 {
        exit_on_lost_peer();
    }
    let guards = timely::execute::execute_from(allocators, guard, WorkerConfig::default(), job)
        .map_err(DistError::Workers)?;
    guards.join().into_iter().map(|r| r.map_err(DistError::Workers)).collect()
}

/// Turns timely's network-thread panic into a clear message and a non-zero exit.
fn exit_on_lost_peer() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("timely communication error") {
            eprintln!(
                "error: lost the connection to another process of the job ({message}); a process died or the network failed, so the job stopped and its output is incomplete"
            );
            std::process::exit(PEER_LOST_STATUS);
        }
        previous(info);
    }));
}
