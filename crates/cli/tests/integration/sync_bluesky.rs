//! `rapport connect bluesky` and `rapport sync` against a complete local Bluesky network (PLC, PDS
//! and AppView, the real software, started by tests/bluesky-network): the relationships that the
//! harness made through the real API come out exactly, with handles instead of DIDs, and the
//! account's repository imported afterwards adds nothing. Runs with RAPPORT_BSKY_NETWORK_TEST=1.

use rapport_test_support::network::{Network, enabled};

use crate::support::{Running, Sandbox};

fn follows(s: &Sandbox) -> u64 {
    let stats = s.stats();
    stats["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["kind"] == "follow")
        .map(|k| k["interactions"].as_u64().unwrap())
        .sum()
}

#[test]
fn bluesky_sync_against_a_real_network() {
    if !enabled("bluesky_sync_against_a_real_network") {
        return;
    }
    let mut net = Network::start();
    let pds = net.get("pds").to_owned();
    let s = Sandbox::new();
    let wrong = s
        .rapport(&["connect", "bluesky", "alice.test", "--service", &pds, "--password-stdin"])
        .write_stdin("not-her-password\n")
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("use an app password"));
    s.rapport(&["connect", "bluesky", "alice.test", "--service", &pds, "--password-stdin"])
        .write_stdin("alice-pass\n")
        .assert()
        .success();
    let out = s.rapport(&["sync", "--circle", "5"]).output().unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{printed}{}", String::from_utf8_lossy(&out.stderr));
    assert!(!printed.contains("alice-pass"));
    // bob liked and answered alice, and she liked his reply, answered it and reposted his post;
    // carol reposted and quoted her; dan mentioned her; she muted erin. Handles, not DIDs.
    assert_eq!(
        s.people(),
        [
            ("@bob.test".to_owned(), 3, 2),
            ("@carol.test".to_owned(), 0, 2),
            ("@dan.test".to_owned(), 0, 1),
            ("@erin.test".to_owned(), 0, 0),
        ],
        "{printed}"
    );
    // bob follows alice, alice carol; from the circle, carol and bob follow dan.
    assert_eq!(follows(&s), 4, "{printed}");

    // The account's own repository, downloaded and imported, meets the sync without duplicates.
    let before = s.stats()["interactions"].clone();
    let plc = net.get("plc").to_owned();
    let out = s
        .rapport(&["import", "bsky:alice.test", "--service", &pds, "--plc", &plc])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{printed}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(s.stats()["interactions"], before);
    // The sync named everyone already: the import asks about no one again.
    assert!(
        printed.contains(
            "accounts met: 2 items; mapped nothing; ignored nothing; became named before (2)"
        ),
        "{printed}"
    );

    // An access token the server refuses is refreshed; a refresh token it refuses means connecting
    // again.
    let credentials = s.dir.path().join("credentials.json");
    let spoil = |key: &str| {
        let mut c: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&credentials).unwrap()).unwrap();
        c["connections"][0][key] = "spoiled".into();
        std::fs::write(&credentials, c.to_string()).unwrap();
    };
    spoil("access");
    s.rapport(&["sync", "--circle", "5"]).assert().success();
    spoil("access");
    spoil("refresh");
    let refused = s.rapport(&["sync"]).output().unwrap();
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("run `rapport connect bluesky alice.test` again"), "{message}");
    s.rapport(&["connect", "bluesky", "alice.test", "--service", &pds, "--password-stdin"])
        .write_stdin("alice-pass\n")
        .assert()
        .success();

    // A reply that arrives later comes in while `sync --follow` runs.
    let _follow = Running(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("rapport"))
            .arg("--db")
            .arg(s.db())
            .args(["sync", "--follow", "--every", "1", "--circle", "5"])
            .env_remove("RAPPORT_DB")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    net.more();
    s.wait_for("@bob.test", 3);
    drop(_follow);

    // `import bsky:` alone names the accounts alice's repository meets: through the AppView, or,
    // when it is unreachable, through the PDS that hosts them; a DID no one knows stays a DID and
    // the summary says so.
    net.command("ghost");
    let appview = net.get("appview").to_owned();
    for appview in [appview.as_str(), "http://127.0.0.1:9"] {
        let fresh = Sandbox::new();
        let args = ["import", "bsky:alice.test", "--service", &pds, "--plc", &plc];
        let out = fresh.rapport(&args).args(["--appview", appview]).output().unwrap();
        let printed = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{printed}{}", String::from_utf8_lossy(&out.stderr));
        let by =
            if appview.ends_with(":9") { "named by its server" } else { "named by the AppView" };
        assert!(
            printed.contains(&format!("became {by} (2), not resolved: shown by its DID (1)")),
            "{printed}"
        );
        // Only alice's own side is in her repository: the counts to her are unknown, not zero.
        let listing = fresh.rapport(&["people", "--format", "json"]).output().unwrap();
        let listing: Vec<serde_json::Value> = serde_json::from_slice(&listing.stdout).unwrap();
        let mut names: Vec<&str> = listing.iter().map(|r| r["person"].as_str().unwrap()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["@bob.test", "@carol.test", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"],
            "{printed}"
        );
    }

    // Deletions reach a plain sync through the firehose replayed from its cursor: alice unliked
    // bob's reply and unfollowed carol, bob deleted that reply, carol her repost.
    net.command("undo");
    let out = s.rapport(&["sync", "--circle", "5"]).output().unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{printed}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        s.people()[..2],
        [("@bob.test".to_owned(), 2, 2), ("@carol.test".to_owned(), 0, 1)],
        "{printed}"
    );
    // bob's of alice, the circle's two of dan, alice's of the unknown account; not hers of carol.
    assert_eq!(follows(&s), 4, "{printed}");
}

/// Starts `rapport sync --follow` on the store of `s` and waits until its stream is connected.
fn follow(s: &Sandbox) -> Running {
    use std::io::BufRead;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rapport"))
        .arg("--db")
        .arg(s.db())
        .args(["sync", "--follow", "--circle", "5", "--max-seconds", "300"])
        .env_remove("RAPPORT_DB")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let connected = lines.by_ref().map_while(Result::ok).any(|l| l.contains("following live"));
    assert!(connected, "sync --follow ended before following the firehose");
    // The rest of its output is read away, so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Running(child)
}

/// `rapport today --format json` as (kind, who) rows.
fn today(s: &Sandbox) -> Vec<(String, String)> {
    let out = s.rapport(&["today", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.iter()
        .map(|r| (r["kind"].as_str().unwrap().to_owned(), r["who"].as_str().unwrap().to_owned()))
        .collect()
}

/// Polls `today` until `check` holds, for at most a minute.
fn wait_today(s: &Sandbox, what: &str, check: impl Fn(&[(String, String)]) -> bool) {
    let started = std::time::Instant::now();
    loop {
        let now = today(s);
        if check(&now) {
            return;
        }
        assert!(started.elapsed().as_secs() < 60, "today never showed {what}: {now:?}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

// Issue 13: `sync --follow` on the firehose of a real PDS. Accounts, follows, likes and replies
// made through the real API while it runs come in within seconds as exact relationships; what
// concerns neither alice nor her circle is dropped; a question waits on today's list and leaves
// it when answered; and a follower killed with SIGKILL and started again ends with the same store
// as one that ran throughout.
#[test]
fn bluesky_follow_on_the_firehose_of_a_real_network() {
    if !enabled("bluesky_follow_on_the_firehose_of_a_real_network") {
        return;
    }
    let mut net = Network::start();
    let pds = net.get("pds").to_owned();
    let (whole, killed) = (Sandbox::new(), Sandbox::new());
    for s in [&whole, &killed] {
        s.rapport(&["connect", "bluesky", "alice.test", "--service", &pds, "--password-stdin"])
            .write_stdin("alice-pass\n")
            .assert()
            .success();
    }
    let _whole = follow(&whole);
    let first = follow(&killed);
    net.command("live");
    for s in [&whole, &killed] {
        // fay followed alice, liked her post and asked under it: the like and the question count
        // as interactions to alice (a follow is not one), none from her.
        s.wait_until("fay's like and question", |r| *r == ("@fay.test".to_owned(), 0, 2));
        wait_today(s, "fay's question", |t| t.contains(&("answer".into(), "@fay.test".into())));
    }
    let people: Vec<String> = whole.people().into_iter().map(|(p, _, _)| p).collect();
    assert!(!people.iter().any(|p| p == "@gus.test" || p == "@hal.test"), "{people:?}");

    // Killed without a chance to finish its batch; meanwhile alice answers and follows fay back.
    drop(first);
    net.command("answer");
    let _again = follow(&killed);
    for s in [&whole, &killed] {
        s.wait_until("alice's answer", |r| *r == ("@fay.test".to_owned(), 1, 2));
        wait_today(s, "fay's question answered", |t| {
            !t.contains(&("answer".into(), "@fay.test".into()))
        });
    }
    // The four follows of the first sync, fay's of alice and alice's of fay; not gus's of hal.
    assert_eq!(follows(&whole), 6);
    assert_eq!(killed.people(), whole.people());
    let (k, w) = (killed.stats(), whole.stats());
    assert_eq!(k["interactions"], w["interactions"], "{:#}\n{:#}", k["by_kind"], w["by_kind"]);
    assert_eq!(k["posts"], w["posts"]);

    // Deletions while it runs: fay takes back her like, alice unfollows her; both followers apply
    // them in the batch's transaction, and the views follow.
    net.command("undo-live");
    for s in [&whole, &killed] {
        s.wait_until("fay's like taken back", |r| *r == ("@fay.test".to_owned(), 1, 1));
        assert_eq!(follows(s), 5);
    }
}
