//! An import killed with SIGKILL in the middle of a batch leaves the store as it was, and running
//! the same import again completes it. Tested for real: spawn, kill, reopen, compare, re-run.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{Sandbox, arg};

#[test]
fn kill_during_import_then_rerun() {
    let s = Sandbox::new();
    let first =
        s.file("first.csv", "timestamp,source,target,kind\n2024-03-01T09:30:00Z,ada,bram,reply\n");
    s.rapport(&["import", arg(&first)]).assert().success();
    let before = s.stats();

    // Large enough that the import is still running when it is killed.
    let mut body = String::from("timestamp,source,target,kind\n");
    for i in 0..400_000u32 {
        body.push_str(&format!(
            "{},u{},u{},reply\n",
            1_700_000_000 + i,
            i % 5000,
            (i * 7 + 1) % 5000
        ));
    }
    let big = s.file("big.csv", body);
    let bin = assert_cmd::cargo::cargo_bin("rapport");
    let mut child = Command::new(&bin)
        .arg("--db")
        .arg(s.db())
        .arg("import")
        .arg(&big)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("starting rapport");
    // The importer reads the file twice: once for its checksum, then record by record inside the
    // batch's transaction. Once it has read one and a half times the file, it is half-way through
    // the batch: that is when it is killed.
    let size = std::fs::metadata(&big).unwrap().len();
    let started = Instant::now();
    while read_bytes(child.id()) < size * 3 / 2 {
        assert!(started.elapsed() < Duration::from_secs(60), "the import never got half-way");
        assert!(child.try_wait().unwrap().is_none(), "the import ended before it could be killed");
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().expect("killing rapport");
    child.wait().expect("reaping rapport");

    assert_eq!(s.stats(), before, "a killed import changed the store");
    s.rapport(&["people", "--as", "u1"]).assert().failure();
    s.rapport(&["import", arg(&big)]).assert().success();
    let after = s.stats();
    assert_eq!(after["interactions"], before["interactions"].as_u64().unwrap() + 400_000);
    assert_eq!(after["imports"], 2);
}

/// The bytes a process has read so far, from Linux's per-process IO counters.
fn read_bytes(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/io"))
        .ok()
        .and_then(|io| {
            io.lines().find_map(|l| l.strip_prefix("rchar:").map(|v| v.trim().parse().ok()))
        })
        .flatten()
        .unwrap_or(0)
}
