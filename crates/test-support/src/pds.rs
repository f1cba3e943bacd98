//! Bluesky's own PDS and PLC directory on loopback, started by tests/bluesky-pds/harness.mjs: it
//! creates accounts and records through the real XRPC API and prints a manifest of what it made.
//! Tests that use it run only with `RAPPORT_PDS_TEST=1` (see [`enabled`]).

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};

use serde_json::Value;

/// True when the PDS tests should run; otherwise prints why they do not, so a skipped run is
/// visible in the test output.
pub fn enabled(test: &str) -> bool {
    if std::env::var_os("RAPPORT_PDS_TEST").is_some() {
        return true;
    }
    eprintln!(
        "NOT RUN: {test} needs a real PDS; set RAPPORT_PDS_TEST=1 after `npm ci` in tests/bluesky-pds"
    );
    false
}

/// The running harness; dropping it stops the servers.
pub struct Harness {
    child: Child,
    stdin: Option<ChildStdin>,
    /// What the harness created, as it printed it.
    pub manifest: Value,
}

impl Harness {
    /// Starts the PLC directory and the PDS, and waits for the manifest of what they hold.
    pub fn start() -> Harness {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/bluesky-pds");
        assert!(
            dir.join("node_modules/@atproto/pds").exists(),
            "the PDS harness is not installed: run `npm ci && npm rebuild better-sqlite3 --foreground-scripts --ignore-scripts=false` in {}",
            dir.display()
        );
        let mut child = Command::new("node")
            .arg("harness.mjs")
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node could not be started; is Node.js installed?");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let mut manifest = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(json) = line.strip_prefix("MANIFEST ") {
                manifest = Some(serde_json::from_str(json).unwrap());
                break;
            }
        }
        let manifest = manifest.expect("the harness stopped before printing its manifest");
        Harness { child, stdin, manifest }
    }

    /// A string of the manifest by dotted path, e.g. `me.did`.
    pub fn get(&self, path: &str) -> &str {
        path.split('.').fold(&self.manifest, |v, k| &v[k]).as_str().unwrap()
    }

    /// A list of the manifest.
    pub fn list(&self, key: &str) -> &[Value] {
        self.manifest[key].as_array().map_or(&[], Vec::as_slice)
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"stop\n");
        }
        let _ = self.child.wait();
    }
}
