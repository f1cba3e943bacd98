//! The dashboard in a real browser: Debian's Chromium driven by playwright-core
//! (`tests/dashboard-browser/check.mjs`) against a server on the demo store. Runs when `.ci/run`
//! has installed them (`RAPPORT_BROWSER_TEST=1`); says NOT RUN otherwise. Screenshots go to
//! `target/dashboard-screenshots/` (ignored by git) for a person to look at. Mastodon sends go to
//! the stand-in (crates/test-support), a faithful Mastodon built from the published API shapes.

use std::path::PathBuf;
use std::process::Command;

use rapport_engine::sync::http::Limits;
use rapport_engine::sync::{Connection, Credentials, bluesky, mastodon};
use rapport_test_support::mastodon::StandIn;

use crate::support::Served;

/// Connected accounts on both networks: Bluesky's server does not answer, so a click there meets
/// a network that is down; Mastodon is the stand-in, whose "me" is the demo's own Mastodon account
/// and which knows the person of the first reconnect on Mastodon, so a message sent there names
/// them. Returns that action's id and the person's key.
fn connect(served: &Served, server: &StandIn) -> (String, String) {
    let today = served.get("/api/today?limit=50").json();
    let (action, person) = today["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["kind"] == "reconnect" && a["network"] == "mastodon")
        .map(|a| {
            (a["id"].as_str().expect("id").to_owned(), a["key"].as_str().expect("key").to_owned())
        })
        .expect("the demo has a reconnect on Mastodon");
    let (user, domain) = person.split_once('@').expect("user@domain");
    server.with(|s| {
        s.accounts.get_mut(&1).expect("me")["uri"] = crate::support::ME.into();
        s.account(user, Some(domain), "Them");
    });
    let limits = Limits { backoff: std::time::Duration::from_millis(20), ..Limits::default() };
    let auth = mastodon::authorize(&server.url, limits.clone()).expect("authorize");
    let code = server.approve(&auth.url);
    let app = mastodon::finish(auth, &code, limits).expect("connect");
    let dir = served.db.parent().expect("the store's folder");
    let mut credentials = Credentials::load(dir).expect("credentials");
    credentials.connections.push(Connection::Bluesky(bluesky::Session {
        service: "http://127.0.0.1:9".into(),
        did: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa".into(),
        handle: "greenfork.bsky.social".into(),
        access: "access".into(),
        refresh: "refresh".into(),
    }));
    credentials.connections.push(Connection::Mastodon(app));
    credentials.save().expect("save");
    (action, person)
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_dashboard_works_in_chromium() {
    if std::env::var_os("RAPPORT_BROWSER_TEST").is_none() {
        eprintln!(
            "NOT RUN: set RAPPORT_BROWSER_TEST=1 with Chromium and tests/dashboard-browser installed (see CONTRIBUTING.md)"
        );
        return;
    }
    let harness = repo().join("tests/dashboard-browser");
    assert!(
        harness.join("node_modules/playwright-core").exists(),
        "run `npm ci` in {} first",
        harness.display()
    );
    let served = Served::demo();
    let server = StandIn::start();
    let (action, person) = connect(&served, &server);
    let out = repo().join("target/dashboard-screenshots");
    let run = Command::new("node")
        .arg(harness.join("check.mjs"))
        .arg(&served.base)
        .arg(&out)
        .env("RECONNECT_ACTION", &action)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "the browser run failed:\n{}\n{stdout}",
        String::from_utf8_lossy(&run.stderr)
    );
    let s: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON summary");
    eprintln!("screenshots in {}", out.display());

    assert_eq!(s["consoleErrors"], serde_json::json!([]), "console errors");
    assert_eq!(s["outsideRequests"], serde_json::json!([]), "requests left the machine");
    for view in ["pages", "phone"] {
        for (name, page) in s[view].as_object().expect("pages") {
            assert_eq!(page["status"], 200, "{view} {name}");
            assert!(
                page["text"].as_u64().unwrap_or(0) > 200 || name == "person",
                "{view} {name} is empty"
            );
            assert_eq!(
                page["overflow"], false,
                "{view} {name} overflows sideways: {}",
                page["offenders"]
            );
        }
    }
    assert!(s["pages"]["people"]["rows"].as_u64().unwrap_or(0) > 10);
    assert!(s["pages"]["person"]["charts"].as_u64().unwrap_or(0) > 1, "no strength history drawn");
    assert_eq!(s["today"]["hiddenAfterReload"], true, "{}", s["today"]);
    assert!(s["check"]["marks"].as_u64().unwrap_or(0) > 0, "no phrase highlighted: {}", s["check"]);
    assert!(s["check"]["verdict"].as_str().unwrap_or("").contains("Reads as"), "{}", s["check"]);
    assert!(s["send"]["buttons"].as_u64().unwrap_or(0) > 0, "no answer offers Send: {}", s["send"]);
    let error = s["send"]["error"].as_str().unwrap_or("");
    assert!(error.contains("nothing was sent"), "{}", s["send"]);
    assert_eq!(s["send"]["stays"], 1, "the action left the list though nothing was sent");
    // The reconnect went to the stand-in as a private message naming the person, and their
    // timeline holds it.
    let r = &s["reconnect"];
    assert_eq!(r["offered"], 1, "no reconnect on Mastodon offers Send: {r}");
    let plan = r["plan"].as_str().unwrap_or("");
    assert!(plan.contains("private message") && plan.contains("only they and you see it"), "{r}");
    assert!(plan.contains(&format!("@{person}")), "the card does not name {person}: {r}");
    assert_eq!(r["afterReload"], 0, "the reconnect came back after a reload: {r}");
    let status = server.with(|s| s.statuses.values().last().cloned()).expect("a status was sent");
    assert_eq!(status["visibility"], "direct");
    assert_eq!(
        status["content"],
        format!("<p>@{person} It has been a while! How did the tomatoes do this year?</p>")
    );
    assert_eq!(status["mentions"][0]["acct"], person.as_str());
    let them = served.get(&format!("/api/person/{}", crate::support::encode(&person))).json();
    assert!(them["timeline"].to_string().contains("How did the tomatoes"), "{them}");
    assert_eq!(s["map"]["drawn"], s["map"]["people"], "the map did not draw everyone");
    assert_eq!(s["map"]["tableRows"], s["map"]["people"], "the table misses people");
    assert!(s["map"]["opened"].as_str().unwrap_or("").starts_with("/person/"), "{}", s["map"]);
    assert_eq!(s["keyboard"]["first"], "Skip to the content");
    assert!(
        s["view"]["banner"].as_str().unwrap_or("").contains("as of 2026-06-01"),
        "{}",
        s["view"]
    );
    assert_eq!(s["view"]["mapHref"], "/map?as_of=2026-06-01");
    assert!(
        s["view"]["afterFilter"].as_str().unwrap_or("").contains("as_of=2026-06-01"),
        "{}",
        s["view"]
    );
    assert_eq!(s["keyboard"]["url"], "/people");
    assert!(
        s["keyboard"]["doneId"].is_string(),
        "Tab never reached a Done button: {}",
        s["keyboard"]
    );
    let focus = s["keyboard"]["focusAfter"].as_str().unwrap_or("");
    assert!(focus.starts_with('@'), "focus after Done went to {focus}, not the next action");
    assert!(s["import"]["summary"].as_str().unwrap_or("").contains("new 1"), "{}", s["import"]);
    assert_eq!(s["import"]["watcherBefore"], 0);
    assert!(s["import"]["watcherAfter"].as_u64().unwrap_or(0) >= 1, "the open page did not update");
}
