//! `rapport demo` on the bundled sample, and snapshots of what the listings show of it.

use predicates::str::contains;

use crate::support::Sandbox;

fn demo() -> Sandbox {
    demo_in(Sandbox::new())
}

fn demo_in(s: Sandbox) -> Sandbox {
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

/// The data's "now" as the people listing states it.
fn now_of(s: &Sandbox) -> String {
    let listing = stdout(s, &["people", "--limit", "1"]);
    let line = listing.lines().find(|l| l.starts_with("as of ")).expect("an as-of line");
    line["as of ".len()..].split(';').next().unwrap().to_owned()
}

/// Every kept view (people, discover, today, audit) read as kept equals the same view computed
/// afresh (`--as-of` the data's own now is never kept), before and after each kind of change, as
/// "me" and as another account (whose discover reuses the calibration kept for the network).
fn assert_kept_views_are_fresh(s: &Sandbox, when: &str) {
    let now = now_of(s);
    let people: serde_json::Value =
        serde_json::from_str(&stdout(s, &["people", "--limit", "1", "--format", "json"])).unwrap();
    let other = people[0]["person"].as_str().unwrap().to_owned();
    for args in [
        &["people", "--format", "csv"][..],
        &["discover", "--limit", "20", "--format", "csv"],
        &["today", "--limit", "30", "--format", "json"],
        &["audit", "--format", "json"],
        &["--as", &other, "people", "--format", "csv"],
        &["--as", &other, "discover", "--limit", "20", "--format", "csv"],
    ] {
        let kept = stdout(s, args);
        assert_eq!(kept, stdout(s, args), "{args:?} {when}: a second read differs");
        let fresh = stdout(s, &[&["--as-of", now.as_str()][..], args].concat());
        assert_eq!(kept, fresh, "{args:?} {when}: the kept view differs from a fresh one");
    }
}

#[test]
fn kept_views_follow_every_change() {
    kept_views_follow_every_change_in(demo());
}

/// The same invariant with the store in PostgreSQL: its generation counter and kept views.
#[test]
fn kept_views_follow_every_change_in_postgres() {
    kept_views_follow_every_change_in(demo_in(Sandbox::postgres()));
}

fn kept_views_follow_every_change_in(s: Sandbox) {
    assert_kept_views_are_fresh(&s, "after the demo");

    // An import: "me" writes to someone new, after the data's old "now".
    let me = stdout(&s, &["me"]);
    let native = me.lines().next().unwrap().rsplit('(').next().unwrap().trim_end_matches(')');
    let file = s.file(
        "more.csv",
        format!(
            "timestamp,source,target,kind,network,text\n\
             2026-11-02T09:00:00Z,{native},newfriend,dm,mastodon,Lovely to meet you at the seed swap\n\
             2026-11-02T10:00:00Z,newfriend,{native},dm,mastodon,Likewise! Let's trade seeds\n"
        ),
    );
    s.rapport(&["import", crate::support::arg(&file)])
        .assert()
        .success()
        .stdout(contains("brought up to date"));
    assert!(stdout(&s, &["people", "--format", "csv"]).contains("newfriend"));
    assert_kept_views_are_fresh(&s, "after an import");

    // A merge of two persons, then a changed setting that today's list depends on.
    let merges: serde_json::Value =
        serde_json::from_str(&stdout(&s, &["people", "--suggest-merges", "--format", "json"]))
            .unwrap();
    let account = |n: &str, a: &str| {
        format!("{}:{}", merges[0][n].as_str().unwrap(), merges[0][a].as_str().unwrap())
    };
    s.rapport(&[
        "person",
        "merge",
        &account("network", "account"),
        &account("other_network", "same_as"),
    ])
    .assert()
    .success();
    assert_kept_views_are_fresh(&s, "after a merge");
    s.rapport(&["config", "set", "cadence.mutual", "3,5"]).assert().success();
    assert_kept_views_are_fresh(&s, "after a settings change");
}

#[test]
fn a_group_cadence_brings_its_members_into_today() {
    let s = demo();
    let groups = stdout(&s, &["groups", "--format", "csv"]);
    // The first group's first naming term, as `rapport groups` shows it.
    let term = groups.lines().nth(1).unwrap().split([',', ' ']).next().unwrap().to_owned();
    let before = stdout(&s, &["today", "--limit", "50", "--format", "json"]);
    assert!(!before.contains("group you aim"), "{before}");
    s.rapport(&["config", "set", &format!("cadence.group.{term}"), "3,4"]).assert().success();
    s.rapport(&["config", "list"])
        .assert()
        .success()
        .stdout(contains(format!("cadence.group.{} = 3,4", term.to_lowercase())));
    let after = stdout(&s, &["today", "--limit", "50", "--format", "json"]);
    assert!(
        after
            .contains(&format!("with your {} group you aim for every 3 days", term.to_lowercase())),
        "{after}"
    );
    s.rapport(&["config", "set", "cadence.group.", "1,2"])
        .assert()
        .failure()
        .stderr(contains("names no group"));
}
