//! Where the workers run: threads of this process, or processes listed in a hosts file (timely's
//! convention: one `host:port` per line, process `I` listening on line `I`), and how a job is
//! started on them.
//!
//! Timely has no error to return when a peer cannot be reached (it retries connecting forever)
//! or when a connection breaks mid-job (its network thread panics with "timely communication
//! error", and the workers would wait for the lost peer's progress forever). So a job on a
//! cluster watches for both and ends the process with status 3 (something failed outside the input) and a message that names the
//! cause: every process of a job either finishes with all its output or exits non-zero.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use timely::worker::Worker;
use timely::{CommunicationConfig, Config, WorkerConfig};

use crate::DistError;

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

    /// Process `process` of `processes`, the addresses of all read from `hosts_file`.
    pub fn from_hosts_file(
        hosts_file: &Path,
        processes: usize,
        process: usize,
        workers: usize,
        connect_timeout: Duration,
    ) -> Result<Self, DistError> {
        let text = std::fs::read_to_string(hosts_file).map_err(|e| DistError::io(hosts_file, e))?;
        let hosts: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        if hosts.len() < processes {
            return Err(DistError::Cluster(format!(
                "{} lists {} hosts, but --processes is {processes}; list one host:port per process",
                hosts_file.display(),
                hosts.len()
            )));
        }
        if process >= processes {
            return Err(DistError::Cluster(format!(
                "--process {process} is not below --processes {processes}; processes are numbered from 0"
            )));
        }
        let hosts = hosts.into_iter().take(processes).collect();
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

    fn config(&self) -> Config {
        let communication = if self.hosts.len() > 1 {
            CommunicationConfig::Cluster {
                threads: self.workers,
                process: self.process,
                addresses: self.hosts.clone(),
                report: false,
                zerocopy: false,
            }
        } else if self.workers > 1 {
            CommunicationConfig::Process(self.workers)
        } else {
            CommunicationConfig::Thread
        };
        Config { communication, worker: WorkerConfig::default() }
    }
}

/// Runs `job` on every worker of this process; the results of this process's workers, in order.
pub(crate) fn execute<T: Send + 'static>(
    cluster: &Cluster,
    job: impl Fn(&mut Worker) -> T + Send + Sync + 'static,
) -> Result<Vec<T>, DistError> {
    let connected = Arc::new(AtomicBool::new(false));
    if cluster.hosts.len() > 1 {
        watch_connections(cluster, Arc::clone(&connected));
        exit_on_lost_peer();
    }
    let started = Arc::clone(&connected);
    let guards = timely::execute(cluster.config(), move |worker| {
        started.store(true, Ordering::SeqCst);
        job(worker)
    })
    .map_err(DistError::Workers)?;
    guards.join().into_iter().map(|r| r.map_err(DistError::Workers)).collect()
}

/// Ends the process if the workers have not started (all peers connected) within the timeout.
fn watch_connections(cluster: &Cluster, connected: Arc<AtomicBool>) {
    let timeout = cluster.connect_timeout;
    let hosts = cluster.hosts.join(", ");
    let process = cluster.process;
    std::thread::spawn(move || {
        std::thread::sleep(timeout);
        if !connected.load(Ordering::SeqCst) {
            eprintln!(
                "error: process {process} could not connect to every process of the job ({hosts}) within {} s; start all processes with the same hosts file, or check that the hosts are reachable",
                timeout.as_secs()
            );
            std::process::exit(PEER_LOST_STATUS);
        }
    });
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
