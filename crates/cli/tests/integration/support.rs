//! Helpers shared by the integration tests: a temporary store and a way to run `rapport` on it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A temporary folder with a store path inside it.
pub(crate) struct Sandbox {
    pub(crate) dir: TempDir,
    /// A PostgreSQL database every command keeps the store in (`--database`), when set.
    database: Option<rapport_test_support::postgres::Database>,
}

impl Sandbox {
    pub(crate) fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("a temporary folder"), database: None }
    }

    /// A sandbox whose commands keep the store in a fresh PostgreSQL database.
    pub(crate) fn postgres() -> Sandbox {
        Sandbox { database: Some(rapport_test_support::postgres::database()), ..Sandbox::new() }
    }

    pub(crate) fn db(&self) -> PathBuf {
        self.dir.path().join("rapport.db")
    }

    /// Writes `contents` to a file in the sandbox and returns its path.
    pub(crate) fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("writing a test file");
        path
    }

    /// `rapport --db <sandbox store>` (and `--database` in PostgreSQL) with the given arguments,
    /// from the sandbox folder.
    pub(crate) fn rapport(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("rapport").expect("the rapport binary");
        cmd.current_dir(self.dir.path())
            .env_remove("RAPPORT_DB")
            .env_remove("RAPPORT_DATABASE")
            .env_remove("RAPPORT_WORKSPACE")
            .arg("--db")
            .arg(self.db());
        if let Some(database) = &self.database {
            cmd.arg("--database").arg(database.url()).arg("--workspace").arg("sandbox");
        }
        cmd.args(args);
        cmd
    }

    /// `rapport stats --format json`, parsed.
    pub(crate) fn stats(&self) -> serde_json::Value {
        let out = self.rapport(&["stats", "--format", "json"]).output().expect("running rapport");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("stats as JSON")
    }
}

impl Sandbox {
    /// `rapport people --format json` as (person, by_me, to_me) rows, sorted.
    pub(crate) fn people(&self) -> Vec<(String, u64, u64)> {
        let out = self.rapport(&["people", "--format", "json"]).output().expect("running rapport");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        Self::rows(&out.stdout)
    }

    fn rows(json: &[u8]) -> Vec<(String, u64, u64)> {
        let rows: Vec<serde_json::Value> = serde_json::from_slice(json).expect("JSON");
        let mut rows: Vec<(String, u64, u64)> = rows
            .iter()
            .map(|r| {
                let n = |k: &str| r[k].as_u64().expect("a count");
                (r["person"].as_str().expect("a name").to_owned(), n("by_me"), n("to_me"))
            })
            .collect();
        rows.sort();
        rows
    }

    /// Polls `rapport people` until `person` shows `to_me` interactions, for at most a minute:
    /// for tests where another process writes the store (and may not have said who "me" is yet).
    pub(crate) fn wait_for(&self, person: &str, to_me: u64) {
        let started = std::time::Instant::now();
        loop {
            let out =
                self.rapport(&["people", "--format", "json"]).output().expect("running rapport");
            let now = if out.status.success() { Self::rows(&out.stdout) } else { Vec::new() };
            if now.iter().any(|(p, _, t)| p == person && *t == to_me) {
                return;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "{person} never reached {to_me}: {now:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

/// A child process (`rapport sync --follow`, a sync to be killed) that is killed when the test
/// ends, even when it fails half-way.
pub(crate) struct Running(pub(crate) std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A path as a string argument.
pub(crate) fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}
