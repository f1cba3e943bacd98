//! "Send" against a complete local Bluesky network (the real PLC, PDS and AppView, started by
//! tests/bluesky-network): alice's account synced into a fresh store, dan's mention waiting for an
//! answer, the reply created in her repository through the PDS with the reply refs, stored once
//! (a later sync adds nothing), and refused tokens send nothing; a thanks under carol's quote,
//! and a revive as a post that names gus with a mention facet over the UTF-8 bytes of his handle. Runs with
//! RAPPORT_BSKY_NETWORK_TEST=1.

use rapport_engine::model::{Account, Interaction, InteractionKind, Network as Net, Record};
use rapport_engine::sync::{
    self, Connection, Credentials, Mention, Options as SyncOptions, Outgoing, Quiet, bluesky,
};
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
        let engine = Engine::open(&Config::with_db(db)).expect("open");
        let options = SyncOptions { circle: 5, ..SyncOptions::default() };
        sync::sync(&mut connection, &mut &engine, &options, &mut Quiet).expect("sync");
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
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    let mut saved = Credentials::load(served.db.parent().expect("dir")).expect("load");
    let options = SyncOptions { recent_only: true, ..SyncOptions::default() };
    sync::sync(&mut saved.connections[0], &mut &engine, &options, &mut Quiet).expect("sync");
    drop(engine);
    assert_eq!(served.stats().interactions, before + 1);
}

/// The DID a handle resolves to on the PDS.
fn did_of(pds: &str, handle: &str) -> String {
    let url = format!("{pds}/xrpc/com.atproto.identity.resolveHandle?handle={handle}");
    let body =
        ureq::get(&url).call().expect("resolveHandle").body_mut().read_to_string().expect("body");
    serde_json::from_str::<Value>(&body).expect("JSON")["did"].as_str().expect("did").to_owned()
}

/// Today's action of `kind` about `who`.
fn action_of(served: &Served, kind: &str, who: &str) -> Option<Value> {
    let today = served.get("/api/today?limit=50").json();
    today["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["kind"] == kind && a["who"] == who)
        .cloned()
}

/// How many posts alice's repository holds.
fn posts_of_alice(pds: &str, did: &str) -> usize {
    let url = format!(
        "{pds}/xrpc/com.atproto.repo.listRecords?repo={did}&collection=app.bsky.feed.post&limit=100"
    );
    let body =
        ureq::get(&url).call().expect("listRecords").body_mut().read_to_string().expect("body");
    serde_json::from_str::<Value>(&body).expect("JSON")["records"]
        .as_array()
        .expect("records")
        .len()
}

#[test]
fn a_thanks_replies_to_the_quote_and_a_revive_mentions_them_with_a_facet() {
    if !enabled("a_thanks_replies_to_the_quote_and_a_revive_mentions_them_with_a_facet") {
        return;
    }
    let mut net = Network::start();
    // gus: on the network, and (in the store only) a conversation with alice in 2023, silent since.
    net.command("live");
    let pds = net.get("pds").to_owned();
    let alice = net.get("users.alice.did").to_owned();
    let gus = did_of(&pds, "gus.test");
    let served = synced(&net);
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    let mut records = vec![Record::Account(Account {
        handle: Some("gus.test".into()),
        ..Account::new(Net::Bluesky, &gus)
    })];
    for month in 1..=9 {
        let at = rapport_engine::model::time::parse(&format!("2023-0{month}-10T10:00:00Z"));
        let mut theirs = Interaction::new(Net::Bluesky, at, &gus, &alice, InteractionKind::Mention);
        theirs.native_id = Some(format!("at://{gus}/app.bsky.feed.post/old{month}#{alice}"));
        theirs.post_id = Some(format!("at://{gus}/app.bsky.feed.post/old{month}"));
        let mut mine = Interaction::new(
            Net::Bluesky,
            at.map(|t| t + 3600),
            &alice,
            &gus,
            InteractionKind::Reply,
        );
        mine.native_id = Some(format!("at://{alice}/app.bsky.feed.post/old{month}"));
        mine.post_id = mine.native_id.clone();
        records.extend([Record::Interaction(theirs), Record::Interaction(mine)]);
    }
    engine.sync_write("fixture", "old", &records, "1").expect("write");
    engine.refresh_views().expect("views");
    drop(engine);
    let before = served.stats().interactions;

    // carol reposted, then quoted alice's post: the thanks is a reply under the quote.
    let thank = action_of(&served, "thank", "@carol.test").expect("a thanks to carol");
    assert_eq!(thank["send"]["how"], "reply", "{thank}");
    let quote = thank["send"]["reply_to"].as_str().expect("the quote").to_owned();
    assert!(quote.starts_with(&format!("at://{}/app.bsky.feed.post/", net.get("users.carol.did"))));
    let body = json!({"action": thank["id"], "text": "Thank you Carol!"}).to_string();
    let sent = served.post("/api/send", &body);
    assert_eq!(sent.status, 200, "{}", sent.body);
    let stored = record(&pds, sent.json()["id"].as_str().expect("uri"));
    assert_eq!(stored["value"]["text"], "Thank you Carol!");
    assert_eq!(stored["value"]["reply"]["parent"]["uri"], quote.as_str());
    assert_eq!(stored["value"]["reply"]["root"]["uri"], quote.as_str());
    assert_eq!(action_of(&served, "thank", "@carol.test"), None, "the thanks is done");

    // gus: a new post that names him where the text does, with a mention facet over its bytes.
    let revive = action_of(&served, "revive", "@gus.test").expect("a revive of gus");
    assert_eq!(revive["send"]["how"], "post", "{revive}");
    let says = revive["send"]["says"].as_str().expect("says");
    assert!(
        says.contains("chat service, which Rapport does not reach")
            && says.contains("anyone can see it"),
        "{says}"
    );
    let text = "ça pousse 🌱 — @gus.test, et tes haricots ?";
    let sent = served.post("/api/send", &json!({"action": revive["id"], "text": text}).to_string());
    assert_eq!(sent.status, 200, "{}", sent.body);
    let sent = sent.json();
    assert_eq!(sent["how"], "post");
    let stored = record(&pds, sent["id"].as_str().expect("uri"));
    let value = &stored["value"];
    assert_eq!(value["text"], text);
    assert_eq!(value["reply"], Value::Null);
    let facet = &value["facets"][0];
    let start = "ça pousse 🌱 — ".len();
    assert_eq!(facet["index"], json!({"byteStart": start, "byteEnd": start + "@gus.test".len()}));
    assert_eq!(
        facet["features"][0],
        json!({"$type": "app.bsky.richtext.facet#mention", "did": gus})
    );
    assert_eq!(action_of(&served, "revive", "@gus.test"), None, "the revive is done");
    let after = served.stats().interactions;
    assert_eq!(after, before + 2, "the reply and the mention");

    // The next sync reads both back from the repository: nothing new.
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    let mut saved = Credentials::load(served.db.parent().expect("dir")).expect("load");
    let options = SyncOptions { recent_only: true, ..SyncOptions::default() };
    sync::sync(&mut saved.connections[0], &mut &engine, &options, &mut Quiet).expect("sync");
    drop(engine);
    assert_eq!(served.stats().interactions, after);

    // A handle that now belongs to someone else is never tagged: nothing is created.
    let posts = posts_of_alice(&pds, &alice);
    let Connection::Bluesky(session) = &mut saved.connections[0] else {
        panic!("alice is on Bluesky")
    };
    let wrong = Outgoing {
        text: "hello".into(),
        reply_to: None,
        mentions: vec![Mention { handle: "gus.test".into(), id: net.get("users.bob.did").into() }],
        private: false,
    };
    let err = bluesky::post(session, &wrong, Default::default()).expect_err("refused");
    assert!(err.to_string().contains("now belongs to another account"), "{err}");
    assert_eq!(posts_of_alice(&pds, &alice), posts);
}
