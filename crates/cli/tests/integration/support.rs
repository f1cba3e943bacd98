//! Helpers shared by the integration tests: a temporary store and a way to run `rapport` on it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A temporary folder with a store path inside it.
pub(crate) struct Sandbox {
    pub(crate) dir: TempDir,
}

impl Sandbox {
    pub(crate) fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("a temporary folder") }
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

    /// `rapport --db <sandbox store>` with the given arguments, from the sandbox folder.
    pub(crate) fn rapport(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("rapport").expect("the rapport binary");
        cmd.current_dir(self.dir.path())
            .env_remove("RAPPORT_DB")
            .arg("--db")
            .arg(self.db())
            .args(args);
        cmd
    }

    /// `rapport stats --format json`, parsed.
    pub(crate) fn stats(&self) -> serde_json::Value {
        let out = self.rapport(&["stats", "--format", "json"]).output().expect("running rapport");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("stats as JSON")
    }
}

/// A path as a string argument.
pub(crate) fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}
