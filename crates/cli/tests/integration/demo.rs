//! `rapport demo` on the bundled sample, and snapshots of what the listings show of it.

use predicates::str::contains;

use crate::support::Sandbox;

fn demo() -> Sandbox {
    let s = Sandbox::new();
    s.rapport(&["demo"]).assert().success().stdout(contains("Greenfork Garden Supply"));
    s
}

fn stdout(s: &Sandbox, args: &[&str]) -> String {
    let out = s.rapport(args).output().expect("running rapport");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn demo_listings() {
    let s = demo();
    insta::assert_snapshot!("people", stdout(&s, &["people", "--limit", "15"]));
    insta::assert_snapshot!("cooling", stdout(&s, &["people", "--cooling", "--limit", "8"]));
    insta::assert_snapshot!("stats", stdout(&s, &["stats", "--format", "csv"]));
    let people: serde_json::Value = serde_json::from_str(&stdout(&s, &["people", "--format", "json", "--limit", "1"])).unwrap();
    let top = people[0]["person"].as_str().unwrap().to_owned();
    insta::assert_snapshot!("person", stdout(&s, &["person", &top, "--limit", "8"]));
}

#[test]
fn demo_twice_is_the_same() {
    let s = demo();
    let first = stdout(&s, &["people", "--format", "csv"]);
    s.rapport(&["demo"]).assert().success();
    assert_eq!(first, stdout(&s, &["people", "--format", "csv"]));
}
