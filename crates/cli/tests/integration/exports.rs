//! Platform exports through the binary: a newer archive of the same account adds only what is new.

use std::path::Path;

use predicates::str::contains;

use crate::support::{Sandbox, arg};

/// Copies a fixture folder, leaving out the members named in `skip`.
fn copy_without(from: &Path, to: &Path, skip: &[&str]) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_without(&path, &target, skip);
        } else if !skip.iter().any(|s| path.ends_with(s)) {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn a_newer_archive_adds_only_what_is_new() {
    let s = Sandbox::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/x/basic");
    // The older archive: the same account before its likes and DMs were exported.
    let older = s.dir.path().join("older");
    copy_without(&fixture, &older, &["data/like.js", "data/direct-messages.js"]);
    s.rapport(&["import", arg(&older)]).assert().success();
    let after_older = s.stats();
    let out = s.rapport(&["import", arg(&fixture)]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8(out.stdout).unwrap();
    let number = |label: &str| -> u64 {
        let rest = summary.split(label).nth(1).unwrap_or_else(|| panic!("{summary}"));
        rest.split(',').next().unwrap().replace(',', "").trim().parse().unwrap()
    };
    let known = number("already known ");
    let new = number("new ");
    assert!(known > 0 && new > 0, "{summary}");
    let after = s.stats();
    let grew =
        after["interactions"].as_u64().unwrap() - after_older["interactions"].as_u64().unwrap();
    assert!(grew > 0 && grew <= new, "{summary}");
    s.rapport(&["import", arg(&fixture)]).assert().success().stdout(contains("new 0"));
    s.rapport(&["import", arg(&older)]).assert().success().stdout(contains("new 0"));
    assert_eq!(s.stats()["interactions"], after["interactions"]);
}
