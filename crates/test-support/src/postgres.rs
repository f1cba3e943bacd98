//! A real PostgreSQL for tests: Debian's server, started by the harness on loopback in a temporary
//! folder as a non-root user, with one fresh database per test.
//!
//! [`database`] hands each test its own database in a cluster shared by the whole test process
//! (starting a cluster costs about a second, a database a few milliseconds). The shared cluster is
//! stopped and its folder removed when the process ends, by a small watchdog started beside it: a
//! static is never dropped, and the watchdog also cleans up after a test process that is killed.
//! Tests that stop or restart the server themselves start their own [`Cluster`], stopped on drop.
//!
//! `RAPPORT_TEST_POSTGRES_URL=postgres://user@host:port/db` uses a running server instead: its
//! user must be allowed to create databases; each test's database is dropped at its end.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use postgres::{Client, NoTls};

/// The environment variable naming a running server to use instead of starting one.
pub const URL_VAR: &str = "RAPPORT_TEST_POSTGRES_URL";

/// A PostgreSQL cluster started by the harness; dropping it stops the server and removes its folder.
pub struct Cluster {
    bin: PathBuf,
    /// The cluster's folder (data, log, socket), removed with the cluster.
    dir: PathBuf,
    port: u16,
    /// `runuser -u postgres --` when the tests run as root (initdb refuses root), else nothing.
    as_user: Vec<String>,
}

impl Cluster {
    /// Initialises and starts a cluster on a free loopback port. Panics with what to install when
    /// PostgreSQL is missing, and with the server's log when it does not start.
    pub fn start() -> Cluster {
        let bin = binaries();
        let dir = tempfile::Builder::new()
            .prefix("rapport-test-pg-")
            .tempdir()
            .expect("a temporary folder for PostgreSQL")
            .keep();
        let as_user = if running_as_root() {
            // The postgres system user owns the folder so the server can write its data there.
            let status = Command::new("chown")
                .arg("postgres:")
                .arg(&dir)
                .status()
                .expect("chown could not run");
            assert!(status.success(), "chown postgres {} failed", dir.display());
            ["runuser", "-u", "postgres", "--"].map(String::from).to_vec()
        } else {
            Vec::new()
        };
        let data = dir.join("data");
        let out = run(
            &as_user,
            &bin.join("initdb"),
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-A".as_ref(),
                "trust".as_ref(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--no-sync".as_ref(),
            ],
        );
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        let mut cluster = Cluster { bin, dir, port: 0, as_user };
        // A free port can be taken by someone else between asking and binding: try a few.
        for _ in 0..5 {
            cluster.port = free_port();
            if cluster.pg_ctl_start() {
                return cluster;
            }
        }
        let log = std::fs::read_to_string(cluster.log()).unwrap_or_default();
        panic!("PostgreSQL did not start; its log:\n{log}");
    }

    /// The port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `name` on this cluster, as the superuser `postgres`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Stops the server at once (as a crash would: `-m immediate`) and starts it again on the same
    /// port, for tests of reconnecting.
    pub fn restart(&self) {
        self.pg_ctl_stop("immediate");
        assert!(self.pg_ctl_start(), "PostgreSQL did not start again on port {}", self.port);
    }

    /// Stops the server; [`Cluster::restart`] or dropping the cluster still work afterwards.
    pub fn stop(&self) {
        self.pg_ctl_stop("fast");
    }

    fn log(&self) -> PathBuf {
        self.dir.join("log")
    }

    /// The folder holding the server's Unix socket (`.s.PGSQL.<port>`).
    pub fn socket_dir(&self) -> &std::path::Path {
        &self.dir
    }

    fn pg_ctl_start(&self) -> bool {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c max_connections=200",
            self.port,
            self.dir.display()
        );
        let data = self.dir.join("data");
        let log = self.log();
        run(
            &self.as_user,
            &self.bin.join("pg_ctl"),
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-w".as_ref(),
                "-o".as_ref(),
                options.as_ref(),
                "start".as_ref(),
            ],
        )
        .status
        .success()
    }

    fn pg_ctl_stop(&self, mode: &str) {
        let data = self.dir.join("data");
        let _ = run(
            &self.as_user,
            &self.bin.join("pg_ctl"),
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                mode.as_ref(),
                "-w".as_ref(),
                "stop".as_ref(),
            ],
        );
    }

    /// Stops the server and removes its folder once this process has ended, however it ends.
    fn stop_when_process_ends(self) -> (u16, PathBuf) {
        // The watchdog owns the cleanup now: this value must not stop the server when dropped.
        let this = std::mem::ManuallyDrop::new(self);
        let dir = this.dir.clone();
        let data = dir.join("data");
        let pg_ctl = this.bin.join("pg_ctl");
        let as_user = this.as_user.join(" ");
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.2; done; \
             {as_user} '{pg_ctl}' -D '{data}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            pg_ctl = pg_ctl.display(),
            data = data.display(),
            dir = dir.display(),
        );
        // Never waited for: the watchdog outlives this process by design, and init reaps it.
        #[allow(clippy::zombie_processes, reason = "the watchdog must outlive the test process")]
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the watchdog shell could not be started");
        (this.port, dir)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.pg_ctl_stop("fast");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A database of its own for one test; dropped (with its connections) when this value is.
pub struct Database {
    url: String,
    admin_url: String,
    name: String,
}

impl Database {
    /// The connection URL of this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.admin_url, NoTls) {
            let _ = client
                .batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

/// A fresh, empty database for one test: on the server named by [`URL_VAR`] if set, otherwise on
/// the cluster this test process shares (started on first use).
pub fn database() -> Database {
    let admin_url = admin_url();
    create_database(admin_url)
}

/// A fresh database on a cluster the caller started (for tests that restart the server).
pub fn database_on(cluster: &Cluster) -> Database {
    create_database(&cluster.url("postgres"))
}

fn create_database(admin_url: &str) -> Database {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "rapport_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut client = Client::connect(admin_url, NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL at {admin_url}: {e}"));
    client
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .unwrap_or_else(|e| panic!("CREATE DATABASE {name} failed: {e}"));
    Database { url: with_database(admin_url, &name), admin_url: admin_url.to_owned(), name }
}

/// The URL to create test databases through: the environment's server, or the shared cluster.
fn admin_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => {
            let (port, _) = Cluster::start().stop_when_process_ends();
            format!("postgres://postgres@127.0.0.1:{port}/postgres")
        }
    })
}

/// `url` with its database part replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    // The database is the path after the authority (`postgres://user@host:port/db`).
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The folder of the newest PostgreSQL's programs, or a panic saying what to install.
fn binaries() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(Path::file_name)
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb; \
             run `apt-get install postgresql`, or set {URL_VAR} to a server to use"
        )
    })
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

fn run(as_user: &[String], program: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut command = match as_user.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(program);
            c
        }
        None => Command::new(program),
    };
    command
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{} could not run: {e}", program.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_database_replaces_only_the_database() {
        assert_eq!(with_database("postgres://u@h:1/postgres", "t"), "postgres://u@h:1/t");
        assert_eq!(with_database("postgres://u@h:1", "t"), "postgres://u@h:1/t");
        assert_eq!(
            with_database("postgres://u:p@h:1/x?sslmode=disable", "t"),
            "postgres://u:p@h:1/t?sslmode=disable"
        );
    }

    #[test]
    fn each_test_gets_its_own_empty_database() {
        let a = database();
        let b = database();
        assert_ne!(a.name(), b.name());
        let mut client = Client::connect(a.url(), NoTls).unwrap();
        client.batch_execute("CREATE TABLE t (x int); INSERT INTO t VALUES (1)").unwrap();
        let mut other = Client::connect(b.url(), NoTls).unwrap();
        let tables: i64 = other
            .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", &[])
            .unwrap()
            .get(0);
        assert_eq!(tables, 0);
        let name = a.name().to_owned();
        drop(client);
        drop(a);
        let left: i64 = other
            .query_one("SELECT count(*) FROM pg_database WHERE datname = $1", &[&name])
            .unwrap()
            .get(0);
        assert_eq!(left, 0, "a test's database is dropped with it");
    }

    #[test]
    fn an_own_cluster_restarts_and_stops_on_drop() {
        let cluster = Cluster::start();
        let db = database_on(&cluster);
        let mut client = Client::connect(db.url(), NoTls).unwrap();
        client.batch_execute("CREATE TABLE t (x int)").unwrap();
        cluster.restart();
        assert!(
            client.batch_execute("SELECT 1").is_err(),
            "the old connection died with the server"
        );
        let mut client = Client::connect(db.url(), NoTls).unwrap();
        client.batch_execute("INSERT INTO t VALUES (1)").unwrap();
        let port = cluster.port();
        drop(db);
        drop(cluster);
        assert!(
            std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
            "the server stopped with its cluster"
        );
    }
}
