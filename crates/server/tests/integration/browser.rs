//! The dashboard in a real browser: Debian's Chromium driven by playwright-core
//! (`tests/dashboard-browser/check.mjs`) against a server on the demo store. Runs when `.ci/run`
//! has installed them (`RAPPORT_BROWSER_TEST=1`); says NOT RUN otherwise. Screenshots go to
//! `target/dashboard-screenshots/` (ignored by git) for a person to look at.

use std::path::PathBuf;
use std::process::Command;

use rapport_engine::sync::{Connection, Credentials, bluesky, mastodon};

use crate::support::Served;

/// Connected accounts on both networks whose servers do not answer, so Today offers "Send" and a
/// click meets a network that is down.
fn connect_to_servers_that_are_down(served: &Served) {
    let dir = served.db.parent().expect("the store's folder");
    let mut credentials = Credentials::load(dir).expect("credentials");
    credentials.connections.push(Connection::Bluesky(bluesky::Session {
        service: "http://127.0.0.1:9".into(),
        did: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa".into(),
        handle: "greenfork.bsky.social".into(),
        access: "access".into(),
        refresh: "refresh".into(),
    }));
    credentials.connections.push(Connection::Mastodon(mastodon::App {
        instance: "http://127.0.0.1:9".into(),
        client_id: "id".into(),
        client_secret: "secret".into(),
        token: "token".into(),
        account_id: "1".into(),
        actor: crate::support::ME.into(),
        acct: "greenfork@garden.example".into(),
    }));
    credentials.save().expect("save");
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
    connect_to_servers_that_are_down(&served);
    let out = repo().join("target/dashboard-screenshots");
    let run = Command::new("node")
        .arg(harness.join("check.mjs"))
        .arg(&served.base)
        .arg(&out)
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
