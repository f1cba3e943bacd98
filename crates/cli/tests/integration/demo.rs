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
    let people: serde_json::Value =
        serde_json::from_str(&stdout(&s, &["people", "--format", "json", "--limit", "1"])).unwrap();
    let top = people[0]["person"].as_str().unwrap().to_owned();
    insta::assert_snapshot!("person", stdout(&s, &["person", &top, "--limit", "8"]));
    insta::assert_snapshot!("today", stdout(&s, &["today"]));
    insta::assert_snapshot!("audit", stdout(&s, &["audit"]));
    insta::assert_snapshot!("discover", stdout(&s, &["discover", "--limit", "5"]));
    insta::assert_snapshot!("groups", stdout(&s, &["groups"]));
    insta::assert_snapshot!("merges", stdout(&s, &["people", "--suggest-merges", "--limit", "5"]));
}

#[test]
fn today_done_and_snooze() {
    let s = demo();
    let actions: serde_json::Value =
        serde_json::from_str(&stdout(&s, &["today", "--format", "json"])).unwrap();
    let first = actions[0]["id"].as_str().unwrap().to_owned();
    let second = actions[1]["id"].as_str().unwrap().to_owned();
    s.rapport(&["today", "--done", &first]).assert().success();
    s.rapport(&["today", "--snooze", &second, "7d"])
        .assert()
        .success()
        .stdout(contains("comes back on"));
    let after: serde_json::Value =
        serde_json::from_str(&stdout(&s, &["today", "--format", "json"])).unwrap();
    let ids: Vec<&str> =
        after.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(!ids.contains(&first.as_str()) && !ids.contains(&second.as_str()), "{ids:?}");
    // A week later the snoozed action is back, the done one is not.
    let later: serde_json::Value = serde_json::from_str(&stdout(
        &s,
        &["--as-of", "2026-11-08", "today", "--format", "json", "--limit", "50"],
    ))
    .unwrap();
    let ids: Vec<&str> =
        later.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(!ids.contains(&first.as_str()), "{ids:?}");
    s.rapport(&["today", "--done", "nope"]).assert().failure().stderr(contains("not an action id"));
}

#[test]
fn check_gates_a_pipeline() {
    let s = demo();
    s.rapport(&["check", "--fail-above", "0.5", "Tag a friend who needs this!!"])
        .assert()
        .failure();
    s.rapport(&["check", "--fail-above", "0.5", "Lovely to see the seed swap so busy today"])
        .assert()
        .success();
    s.rapport(&[
        "check",
        "--kind",
        "dm",
        "--to",
        "nobody-at-all",
        "Buy our premium compost now, 20% off today only!",
    ])
    .assert()
    .success()
    .stdout(contains("cold-pitch"));
}

#[test]
fn identity_merge_and_split() {
    let s = demo();
    let merges: serde_json::Value =
        serde_json::from_str(&stdout(&s, &["people", "--suggest-merges", "--format", "json"]))
            .unwrap();
    let a = format!(
        "{}:{}",
        merges[0]["network"].as_str().unwrap(),
        merges[0]["account"].as_str().unwrap()
    );
    let b = format!(
        "{}:{}",
        merges[0]["other_network"].as_str().unwrap(),
        merges[0]["same_as"].as_str().unwrap()
    );
    s.rapport(&["person", "merge", &a, &b])
        .assert()
        .success()
        .stdout(contains("merged into one person"));
    let after: serde_json::Value =
        serde_json::from_str(&stdout(&s, &["people", "--suggest-merges", "--format", "json"]))
            .unwrap();
    assert_eq!(after.as_array().unwrap().len() + 1, merges.as_array().unwrap().len());
    s.rapport(&["person", "split", &a]).assert().success();
    s.rapport(&["person", "split", &a]).assert().failure().stderr(contains("not merged"));
}

#[test]
fn demo_twice_is_the_same() {
    let s = demo();
    let first = stdout(&s, &["people", "--format", "csv"]);
    s.rapport(&["demo"]).assert().success();
    assert_eq!(first, stdout(&s, &["people", "--format", "csv"]));
}
