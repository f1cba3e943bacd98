//! Bad input never panics and never half-writes: a clear error naming the file and line, a
//! non-zero exit, and the store exactly as it was.

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{Sandbox, arg};

/// Imports `body` as `name` into a store holding one earlier import, and checks the import fails
/// with every `expected` fragment in its message and leaves the store unchanged.
fn check(name: &str, body: &[u8], expected: &[&str]) {
    let s = Sandbox::new();
    let good =
        s.file("good.csv", "timestamp,source,target,kind\n2024-03-01T09:30:00Z,ada,bram,reply\n");
    s.rapport(&["import", arg(&good)]).assert().success();
    let before = s.stats();
    let bad = s.file(name, body);
    let mut assert =
        s.rapport(&["import", arg(&bad)]).assert().failure().stderr(contains("error:"));
    for fragment in expected {
        assert = assert.stderr(contains(*fragment));
    }
    assert.stderr(contains("panicked").not());
    assert_eq!(s.stats(), before, "the store changed after a failed import of {name}");
}

#[test]
fn unknown_column() {
    check(
        "t.csv",
        b"timestamp,source,target,kind,mood\n,a,b,follow,happy\n",
        &["t.csv", "line 1", "unknown column 'mood'"],
    );
}

#[test]
fn missing_column() {
    check("t.csv", b"timestamp,source,kind\n,a,follow\n", &["missing column 'target'"]);
}

#[test]
fn bad_timestamp_names_the_line() {
    check(
        "t.csv",
        b"timestamp,source,target,kind\n2024-03-01T09:30:00Z,a,b,reply\nyesterday,a,b,reply\n",
        &["t.csv", "line 3", "bad timestamp 'yesterday'", "RFC 3339"],
    );
}

#[test]
fn unknown_kind() {
    check(
        "t.csv",
        b"timestamp,source,target,kind\n,a,b,poke\n",
        &["line 2", "unknown interaction kind 'poke'"],
    );
}

#[test]
fn truncated_gzip() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..20_000 {
        writeln!(gz, "{i} {} 1082040961", i + 1).unwrap();
    }
    let bytes = gz.finish().unwrap();
    check(
        "t.txt.gz",
        &bytes[..bytes.len() / 2],
        &["t.txt.gz", "gzip data is truncated or corrupt"],
    );
}

#[test]
fn binary_file() {
    let mut body = b"timestamp,source,target,kind\n".to_vec();
    body.extend((0..4096u32).map(|i| (i % 251) as u8));
    check("t.csv", &body, &["binary file"]);
}

#[test]
fn endless_line() {
    let mut body = b"timestamp,source,target,kind\n,a,b,".to_vec();
    body.resize(3 << 20, b'x');
    check("t.csv", &body, &["line", "longer than 1048576 bytes"]);
}

#[test]
fn not_utf8() {
    check("t.csv", b"timestamp,source,target,kind\n,a\xff\xfe,b,follow\n", &["UTF-8"]);
}

#[test]
fn missing_file_and_folder() {
    let s = Sandbox::new();
    s.rapport(&["import", "nope.csv"])
        .assert()
        .failure()
        .stderr(contains("nope.csv"))
        .stderr(contains("no such file"));
    std::fs::create_dir(s.dir.path().join("folder")).unwrap();
    s.rapport(&["import", "folder"]).assert().failure().stderr(contains("folder"));
}

#[test]
fn skip_invalid_keeps_going_and_says_why() {
    let s = Sandbox::new();
    let file = s.file("t.csv", "timestamp,source,target,kind\nyesterday,a,b,reply\n,a,b,follow\n");
    s.rapport(&["import", "--skip-invalid", arg(&file)])
        .assert()
        .success()
        .stdout(contains("new 1"))
        .stdout(contains("line 2: bad timestamp"));
}

#[test]
fn bad_arguments_are_usage_errors() {
    let s = Sandbox::new();
    s.rapport(&["import", "--format", "xml", "x"])
        .assert()
        .code(2)
        .stderr(contains("unknown format 'xml'"));
    s.rapport(&["--as-of", "soon", "people"]).assert().code(2).stderr(contains("not a date"));
}
