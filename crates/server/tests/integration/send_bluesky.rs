//! "Send" against a complete local Bluesky network (the real PLC, PDS and AppView, started by
//! tests/bluesky-network): alice's account synced into a fresh store, dan's mention waiting for an
//! answer, the reply created in her repository through the PDS with the reply refs, stored once
//! (a later sync adds nothing), and refused tokens send nothing. Runs with
//! RAPPORT_BSKY_NETWORK_TEST=1.

use rapport_engine::sync::{self, Connection, Credentials, Options as SyncOptions, Quiet, bluesky};
use rapport_engine::{Config, Engine};
use rapport_test_support::network::{Network, enabled};
use serde_json::{Value, json};

use crate::support::Served;

/// A store holding alice's synced account, with her credentials beside it.
fn synced(net: &Network) -> Served {
    let pds = net.get("pds").to_owned();
    let session = bluesky::connect(&pds, "alice.test", "alice-pass", Default::default());
    let mut connection = Connection::Bluesky(session.expect("alice connects"));
    Served::store_with(|db| {
        let mut engine = Engine::open(&Config::with_db(db)).expect("open");
        let options = SyncOptions { circle: 5, ..SyncOptions::default() };
        sync::sync(&mut connection, &mut engine, &options, &mut Quiet).expect("sync");
        engine.refresh_views().expect("views");
        let mut credentials = Credentials::load(db.parent().expect("dir")).expect("credentials");
        credentials.connections.push(connection);
        credentials.save().expect("save");
    })
}

/// The id of today's answer to dan, who mentioned alice.
fn answer_to_dan(served: &Served) -> Option<(String, bool)> {
    let today = served.get("/api/today?limit=50").json();
    today["actions"].as_array().expect("actions").iter().find_map(|a| {
        (a["kind"] == "answer" && a["who"] == "@dan.test")
            .then(|| (a["id"].as_str().expect("id").to_owned(), a["sendable"] == true))
    })
}

/// The record at an AT URI, read back from the PDS.
fn record(pds: &str, uri: &str) -> Value {
    let rest = uri.strip_prefix("at://").expect("an AT URI");
    let mut parts = rest.splitn(3, '/');
    let (repo, collection, rkey) = (parts.next(), parts.next(), parts.next());
    let url = format!(
        "{pds}/xrpc/com.atproto.repo.getRecord?repo={}&collection={}&rkey={}",
        repo.expect("repo"),
        collection.expect("collection"),
        rkey.expect("rkey")
    );
    let body =
        ureq::get(&url).call().expect("getRecord").body_mut().read_to_string().expect("body");
    serde_json::from_str(&body).expect("JSON")
}

#[test]
fn a_reply_is_sent_through_a_real_pds_and_stored_once() {
    if !enabled("a_reply_is_sent_through_a_real_pds_and_stored_once") {
        return;
    }
    let net = Network::start();
    let pds = net.get("pds").to_owned();
    let served = synced(&net);
    let (action, sendable) = answer_to_dan(&served).expect("an answer to dan waits");
    assert!(sendable, "alice is connected on Bluesky");
    let before = served.stats().interactions;

    // Refused tokens: nothing is sent, nothing written, and the message says what to do.
    let credentials = served.db.parent().expect("dir").join("credentials.json");
    let good = std::fs::read_to_string(&credentials).expect("read");
    let mut spoiled: Value = serde_json::from_str(&good).expect("JSON");
    spoiled["connections"][0]["access"] = "spoiled".into();
    spoiled["connections"][0]["refresh"] = "spoiled".into();
    std::fs::write(&credentials, spoiled.to_string()).expect("write");
    let body =
        json!({"action": action, "text": "Thank you Dan, glad the tips helped!"}).to_string();
    let refused = served.post("/api/send", &body);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.json()["message"].as_str().expect("m").contains("rapport connect bluesky"));
    assert_eq!(served.stats().interactions, before);
    std::fs::write(&credentials, &good).expect("restore");

    let sent = served.post("/api/send", &body);
    assert_eq!(sent.status, 200, "{}", sent.body);
    let sent = sent.json();
    let uri = sent["id"].as_str().expect("the post's AT URI");
    assert!(uri.starts_with(&format!("at://{}/app.bsky.feed.post/", net.get("users.alice.did"))));
    // The PDS holds it as a reply to dan's post, rooted at it.
    let stored = record(&pds, uri);
    assert_eq!(stored["value"]["text"], "Thank you Dan, glad the tips helped!");
    assert_eq!(stored["value"]["reply"]["parent"]["uri"], sent["reply_to"]);
    assert_eq!(stored["value"]["reply"]["root"]["uri"], sent["reply_to"]);
    assert_eq!(served.stats().interactions, before + 1);
    assert_eq!(answer_to_dan(&served), None, "the answer left today's list");

    // The next sync reads the post back from the repository: nothing new.
    let mut engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    let mut saved = Credentials::load(served.db.parent().expect("dir")).expect("load");
    let options = SyncOptions { recent_only: true, ..SyncOptions::default() };
    sync::sync(&mut saved.connections[0], &mut engine, &options, &mut Quiet).expect("sync");
    drop(engine);
    assert_eq!(served.stats().interactions, before + 1);
}
