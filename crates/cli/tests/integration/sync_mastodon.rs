//! `rapport connect mastodon`, `accounts`, `sync` and `disconnect` through the real binary,
//! against the Mastodon stand-in (no Mastodon server can run here; see rapport-test-support):
//! OAuth with PKCE, both sides of every relationship, idempotence, an archive and a sync of the
//! same account meeting without duplicates, and a sync killed with SIGKILL finishing as if it had
//! never been stopped.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rapport_test_support::mastodon::StandIn;
use serde_json::{Value, json};

use crate::support::{Running, Sandbox, arg};

/// Runs `rapport connect mastodon` as a user would: reads the page it prints, approves it on the
/// server, and pastes the code.
fn connect(s: &Sandbox, server: &StandIn) -> String {
    connect_with(s, server, &[])
}

/// [`connect`] with more global options (`--database URL --workspace NAME`).
pub(crate) fn connect_with(s: &Sandbox, server: &StandIn, global: &[&str]) -> String {
    let mut connecting = crate::connect_mastodon::start(s, server, global, &[]);
    let code = server.approve(&connecting.page);
    connecting.paste(&code);
    let (ok, out) = connecting.finish();
    assert!(ok, "{out}");
    out
}

fn text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn connect_sync_resync_and_disconnect() {
    let s = Sandbox::new();
    let server = StandIn::start();
    server.scenario();
    let host = server.url.trim_start_matches("http://").to_owned();
    let connected = connect(&s, &server);
    assert_eq!(
        connected.trim(),
        format!(
            "connected me@{host} on {}; run `rapport sync` to pull its relationships",
            server.url
        )
    );
    let credentials = s.dir.path().join("credentials.json");
    assert_eq!(std::fs::metadata(&credentials).unwrap().permissions().mode() & 0o777, 0o600);
    let token = server.with(|st| st.token.clone());
    assert!(std::fs::read_to_string(&credentials).unwrap().contains(&token));

    let out = s.rapport(&["sync"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    assert!(printed.contains("  notifications: read 6, new "), "{printed}");
    assert!(
        printed.contains("skipped: a 'poll' notification says nothing about a relationship"),
        "{printed}"
    );
    // The other side of every relationship is there: who replied, mentioned, liked, boosted (follows
    // are states, not counted as interactions).
    assert_eq!(
        s.people(),
        [
            ("@bo@far.example".to_owned(), 4, 2),
            (format!("@cy@{host}"), 0, 2),
            ("@dee@near.example".to_owned(), 0, 0),
            ("@loud@near.example".to_owned(), 0, 0),
            ("@spam@junk.example".to_owned(), 0, 0),
        ]
    );
    // The block synced from the instance is honoured like an exported one.
    let listing = s.rapport(&["people", "--format", "json"]).output().unwrap();
    let listing: Value = serde_json::from_slice(&listing.stdout).unwrap();
    let spam = listing.as_array().unwrap().iter().find(|p| p["person"] == "@spam@junk.example");
    assert_eq!(spam.unwrap()["stage"], "blocked");
    // The token is in the credentials file only: not in the output, not in the store.
    let db = std::fs::read(s.db()).unwrap();
    assert!(!printed.contains(&token));
    assert!(!db.windows(token.len()).any(|w| w == token.as_bytes()));

    let accounts = s.rapport(&["accounts", "--format", "json"]).output().unwrap();
    let accounts: Value = serde_json::from_slice(&accounts.stdout).unwrap();
    assert_eq!(accounts[0]["network"], "mastodon");
    assert_eq!(accounts[0]["account"], json!(format!("me@{host}")));
    assert!(accounts[0]["last_sync"].is_string(), "{accounts}");

    // Syncing again stores nothing new.
    let stats = s.stats();
    let again = s.rapport(&["sync"]).output().unwrap();
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        !text(&again).lines().any(|l| l.contains(", new ") && !l.contains(", new 0,")),
        "{}",
        text(&again)
    );
    assert_eq!(s.stats()["interactions"], stats["interactions"]);

    let gone = s.rapport(&["disconnect", &format!("me@{host}")]).output().unwrap();
    assert!(gone.status.success(), "{}", text(&gone));
    let none = s.rapport(&["sync"]).output().unwrap();
    assert!(text(&none).contains("no account is connected"), "{}", text(&none));
}

#[test]
fn an_expired_token_says_to_connect_again() {
    let s = Sandbox::new();
    let server = StandIn::start();
    server.scenario();
    connect(&s, &server);
    server.with(|st| st.expired = true);
    let out = s.rapport(&["sync"]).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("; run `rapport connect mastodon"), "{}", text(&out));
}

#[test]
fn an_archive_and_a_sync_of_one_account_meet_without_duplicates() {
    let server = StandIn::start();
    server.scenario();
    let host = server.url.trim_start_matches("http://").to_owned();
    let me = format!("https://{host}/users/me");
    let status =
        |id: u64| server.with(|st| st.all_statuses[&id]["uri"].as_str().unwrap().to_owned());
    // The account's own archive, as Mastodon writes it, for the statuses the stand-in serves: the
    // scenario's post (id 5), reply to bo's reply 6 (14), boost of bo's post 8 (15) and DM (16),
    // the like of bo's post 8
    // and the follows of bo and cy.
    let archive = Sandbox::new();
    let dir = archive.dir.path().join("archive");
    std::fs::create_dir(&dir).unwrap();
    let public = ["https://www.w3.org/ns/activitystreams#Public"];
    let bo = "https://far.example/users/bo";
    let outbox = json!({"orderedItems": [
        {"type": "Create", "published": "2025-03-01T10:00:00Z", "to": public,
         "object": {"id": status(5), "type": "Note", "content": "<p>compost tips #garden</p>", "to": public}},
        {"type": "Create", "published": "2025-03-01T14:00:00Z", "to": public,
         "object": {"id": status(14), "type": "Note", "inReplyTo": status(6), "content": "<p>@bo you're welcome</p>",
                    "to": public, "tag": [{"type": "Mention", "href": bo, "name": "@bo@far.example"}]}},
        {"type": "Announce", "id": status(15), "published": "2025-03-02T10:00:00Z", "object": status(8), "cc": [bo]},
        {"type": "Create", "published": "2025-03-02T11:00:00Z", "to": [bo],
         "object": {"id": status(16), "type": "Note", "content": "<p>@bo a private word</p>", "to": [bo],
                    "tag": [{"type": "Mention", "href": bo, "name": "@bo@far.example"}]}}
    ]});
    std::fs::write(
        dir.join("actor.json"),
        json!({"id": me, "preferredUsername": "me", "name": "Me Myself"}).to_string(),
    )
    .unwrap();
    std::fs::write(dir.join("outbox.json"), outbox.to_string()).unwrap();
    std::fs::write(dir.join("likes.json"), json!({"orderedItems": [status(8)]}).to_string())
        .unwrap();
    std::fs::write(
        dir.join("following_accounts.csv"),
        format!("Account address,Show boosts\nbo@far.example,true\ncy@{host},true\n"),
    )
    .unwrap();

    archive.rapport(&["import", arg(&dir)]).assert().success();
    let imported = archive.stats()["interactions"].as_u64().unwrap();
    assert_eq!(imported, 6, "{}", archive.stats());
    connect(&archive, &server);
    archive.rapport(&["sync"]).assert().success();

    let synced_only = Sandbox::new();
    connect(&synced_only, &server);
    synced_only.rapport(&["sync"]).assert().success();
    assert_eq!(archive.stats()["interactions"], synced_only.stats()["interactions"]);
    assert_eq!(archive.people(), synced_only.people());
}

#[test]
fn a_sync_killed_half_way_finishes_as_if_never_stopped() {
    let whole = Sandbox::new();
    let killed = Sandbox::new();
    let server = StandIn::start();
    server.scenario();
    server.busy(300);
    connect(&whole, &server);
    whole.rapport(&["sync"]).assert().success();

    connect(&killed, &server);
    server.with(|st| {
        st.latency = Duration::from_millis(20);
        st.log.clear();
    });
    let bin = assert_cmd::cargo::cargo_bin("rapport");
    let mut child = Running(
        Command::new(bin)
            .arg("--db")
            .arg(killed.db())
            .arg("sync")
            .env_remove("RAPPORT_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // Half-way through the own statuses and the notifications: pages of them are stored, more
    // are still to come.
    let started = Instant::now();
    while server.with(|st| st.log.iter().filter(|l| l.contains("/notifications")).count()) < 3 {
        assert!(started.elapsed() < Duration::from_secs(60), "the sync never got half-way");
        assert!(child.0.try_wait().unwrap().is_none(), "the sync ended before it could be killed");
        std::thread::sleep(Duration::from_millis(2));
    }
    // SIGKILL: nothing of the sync's own runs after this.
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    server.with(|st| st.latency = Duration::ZERO);
    let partial = killed.stats()["interactions"].as_u64().unwrap();
    assert!(partial < whole.stats()["interactions"].as_u64().unwrap());

    killed.rapport(&["sync"]).assert().success();
    assert_eq!(killed.stats()["interactions"], whole.stats()["interactions"]);
    assert_eq!(killed.stats()["posts"], whole.stats()["posts"]);
    assert_eq!(killed.people(), whole.people());
}

/// `rapport today --format json` as (kind, who) rows, sorted.
fn today(s: &Sandbox) -> Vec<(String, String)> {
    let out = s.rapport(&["today", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut rows: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["kind"].as_str().unwrap().to_owned(), r["who"].as_str().unwrap().to_owned()))
        .collect();
    rows.sort();
    rows
}

#[test]
fn sync_feeds_today_and_an_answer_takes_the_item_off() {
    let s = Sandbox::new();
    let server = StandIn::start();
    server.scenario();
    connect(&s, &server);
    s.rapport(&["sync"]).assert().success();
    let host = server.url.trim_start_matches("http://").to_owned();
    assert!(today(&s).contains(&("thank".to_owned(), format!("@cy@{host}"))), "{:?}", today(&s));

    // dee asks me something; after the next sync it waits on today's list.
    let question = server.with(|st| {
        let q = st.status(
            4,
            "@me which compost bin?",
            None,
            &[1],
            "public",
            "2025-03-06T09:00:00.000Z",
        );
        st.notify("mention", 4, Some(q), "2025-03-06T09:00:00.000Z");
        q
    });
    s.rapport(&["sync"]).assert().success();
    let waiting = today(&s);
    assert!(
        waiting.contains(&("answer".to_owned(), "@dee@near.example".to_owned())),
        "{waiting:?}"
    );

    // I answer on the network; after the next sync it is off the list.
    server.with(|st| {
        let a = st.status(
            1,
            "@dee the green one",
            Some(question),
            &[4],
            "public",
            "2025-03-06T10:00:00.000Z",
        );
        st.own(a);
    });
    s.rapport(&["sync"]).assert().success();
    let after = today(&s);
    assert!(!after.iter().any(|(k, who)| k == "answer" && who == "@dee@near.example"), "{after:?}");
}

#[test]
fn follow_brings_new_events_while_reads_go_on() {
    let s = Sandbox::new();
    let server = StandIn::start();
    server.scenario();
    connect(&s, &server);
    let bin = assert_cmd::cargo::cargo_bin("rapport");
    let mut follow = Running(
        Command::new(bin)
            .arg("--db")
            .arg(s.db())
            .args(["sync", "--follow", "--every", "1"])
            .env_remove("RAPPORT_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // The summary's first line comes once the whole first sync is stored.
    let mut lines = BufReader::new(follow.0.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains(" requests in "), "{first}");
    s.wait_for("@bo@far.example", 2);
    // Rounds that bring nothing write nothing, so the kept views stay current.
    let imports = s.stats()["imports"].clone();
    std::thread::sleep(Duration::from_millis(3500));
    assert_eq!(s.stats()["imports"], imports);
    let late = server.with(|st| {
        let late =
            st.status(2, "@me are you there?", None, &[1], "public", "2025-03-05T09:00:00.000Z");
        st.notify_live("mention", 2, Some(late), "2025-03-05T09:00:00.000Z");
        late
    });
    s.wait_for("@bo@far.example", 3);
    let posts = s.stats()["posts"].as_u64().unwrap();
    // bo deletes it: the stream's `delete` takes the mention and the post away again.
    server.with(|st| st.delete_live(late));
    s.wait_for("@bo@far.example", 2);
    assert_eq!(s.stats()["posts"].as_u64().unwrap(), posts - 1);
    assert!(follow.0.try_wait().unwrap().is_none(), "--follow stopped by itself");
    // It came on the user stream, not by polling: the stream was opened once and stayed open.
    assert_eq!(server.with(|st| st.stream_opened), 1);
}

/// Starts `rapport sync --follow --every 1` on the store of `s`; its stdout is read away.
fn follow(s: &Sandbox, extra: &[&str]) -> Running {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("rapport"))
        .arg("--db")
        .arg(s.db())
        .args(["sync", "--follow", "--every", "1"])
        .args(extra)
        .env_remove("RAPPORT_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || BufReader::new(out).lines().for_each(drop));
    Running(child)
}

/// Waits until `check` holds of the stand-in's state, for at most a minute.
fn wait_server(
    server: &StandIn,
    what: &str,
    check: impl Fn(&rapport_test_support::mastodon::State) -> bool,
) {
    let started = Instant::now();
    while !server.with(|st| check(st)) {
        assert!(started.elapsed() < Duration::from_secs(60), "never saw {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

// Issue 13: the user stream unavailable, then dropping. While the streaming API answers 503,
// --follow polls the notifications; once it is back the stream is used, and when it drops after
// an event it is opened again and what came meanwhile is caught up.
#[test]
fn follow_polls_while_the_stream_is_down_and_reconnects_when_it_drops() {
    let s = Sandbox::new();
    let server = StandIn::start();
    server.scenario();
    connect(&s, &server);
    server.with(|st| st.stream_off = true);
    let _follow = follow(&s, &["--max-seconds", "120"]);
    wait_server(&server, "the stream refused", |st| {
        st.log.iter().any(|l| l == "GET /api/v1/streaming/user")
    });
    // Only polling can bring this one: the stream is down.
    server.with(|st| {
        let q = st.status(2, "@me polled?", None, &[1], "public", "2025-03-05T09:00:00.000Z");
        st.notify("mention", 2, Some(q), "2025-03-05T09:00:00.000Z");
    });
    s.wait_for("@bo@far.example", 3);
    assert_eq!(server.with(|st| st.stream_opened), 0);

    // The stream is back, and drops after its first event.
    server.with(|st| {
        st.stream_off = false;
        st.stream_drops_after = Some(1);
    });
    wait_server(&server, "the stream opened", |st| st.stream_opened == 1);
    server.with(|st| {
        for (i, text) in ["@me streamed", "@me after the drop"].iter().enumerate() {
            let at = format!("2025-03-05T1{i}:00:00.000Z");
            let m = st.status(2, text, None, &[1], "public", &at);
            st.notify_live("mention", 2, Some(m), &at);
        }
    });
    s.wait_for("@bo@far.example", 5);
    wait_server(&server, "the stream opened again", |st| st.stream_opened >= 2);
}

// Issue 13: a token that expires while --follow runs stops it with the message to connect again.
#[test]
fn an_expired_token_stops_follow_with_the_way_out() {
    let s = Sandbox::new();
    let server = StandIn::start();
    server.scenario();
    connect(&s, &server);
    let mut tail = follow(&s, &["--max-seconds", "120"]);
    wait_server(&server, "the stream opened", |st| st.stream_opened == 1);
    server.with(|st| {
        st.expired = true;
        st.stream_drops_after = Some(0);
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = tail.0.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "--follow kept going");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(!status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut tail.0.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("run `rapport connect mastodon"), "{err}");
}

/// `(by me, to me)` of `person` in `rapport people`.
fn counts(s: &Sandbox, person: &str) -> (u64, u64) {
    let people = s.people();
    let row = people.iter().find(|(p, _, _)| p == person);
    row.map(|(_, by, to)| (*by, *to)).unwrap_or_else(|| panic!("{person} not in {people:?}"))
}

// Issue 13: deletions made while no --follow ran reach a plain sync: my reply deleted, my
// favourite taken back, my follow of cy and dee's follow of me undone, and my answer to bo's
// question deleted. The relationships count them no longer, and the question waits on today's
// list again.
#[test]
fn a_plain_sync_applies_what_was_deleted_while_no_stream_ran() {
    let s = Sandbox::new();
    let server = StandIn::start();
    server.scenario();
    // bo asks me a question, and I answer it.
    let answer = server.with(|st| {
        let question = st.bo_asks_about_the_compost_bin();
        let at = "2025-03-05T10:00:00.000Z";
        let answer = st.status(1, "@bo yes, in green", Some(question), &[2], "public", at);
        st.own(answer);
        answer
    });
    connect(&s, &server);
    s.rapport(&["sync"]).assert().success();
    let host = server.url.trim_start_matches("http://").to_owned();
    let (bo, cy, dee) = ("@bo@far.example", format!("@cy@{host}"), "@dee@near.example");
    let before = (counts(&s, bo), counts(&s, &cy), counts(&s, dee));
    let waiting = ("answer".to_owned(), bo.to_owned());
    assert!(!today(&s).contains(&waiting), "{:?}", today(&s));
    server.with(|st| {
        let find = |st: &rapport_test_support::mastodon::State, text: &str| {
            *st.all_statuses.iter().find(|(_, v)| v["content"] == text).unwrap().0
        };
        let welcome = find(st, "<p>@bo you're welcome</p>");
        let shout = find(st, "<p>hello @me</p>");
        st.delete(answer);
        st.delete(welcome);
        st.unfavourite(shout);
        st.unfollow(1, 3);
        st.unfollow(4, 1);
    });
    // An hour later, when the lists of followers and following are read whole again.
    let store = rusqlite::Connection::open(s.db()).unwrap();
    store
        .execute("DELETE FROM sync_cursors WHERE phase IN ('followers', 'following')", [])
        .unwrap();
    drop(store);
    let out = s.rapport(&["sync"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    for line in [
        // The two replies and their posts.
        "  statuses:window: read 3, new 0, already known 0, skipped 0, removed 4",
        "  favourites:window: read 0, new 0, already known 0, skipped 0, removed 1",
        "  followers: read 0, new 0, already known 0, skipped 0, removed 1",
        "  following: read 1, new 0, already known 2, skipped 0, removed 1",
    ] {
        assert!(printed.contains(line), "{line} in {printed}");
    }
    let (bo_after, cy_after) = (counts(&s, bo), counts(&s, &cy));
    assert_eq!(bo_after, (before.0.0 - 3, before.0.1), "bo: my two replies and my like are gone");
    assert_eq!(cy_after, before.1, "cy: only a follow is gone, which is not counted");
    // dee's follow of me was all there was between us: dee is no longer listed.
    assert!(!s.people().iter().any(|(p, _, _)| p == dee), "{:?}", s.people());
    // My answer is gone: bo's question waits on today's list again.
    assert!(today(&s).contains(&waiting), "{:?}", today(&s));
}
