//! "Send" on the Today page (`POST /api/send`), against the Mastodon stand-in: an account synced
//! into a fresh store, a mention waiting for an answer, and the reply sent through the network's
//! API only when the checker passes it or the user insists; the sent reply is in the store once
//! (a later sync adds nothing), the answer leaves today's list, and a refused token or a network
//! that is down sends and writes nothing.

use rapport_engine::model::{Account, Interaction, InteractionKind, Network, Record};
use rapport_engine::sync::http::Limits;
use rapport_engine::sync::{
    self, Connection, Credentials, Options as SyncOptions, Quiet, mastodon,
};
use rapport_engine::{Config, Engine};
use rapport_server::Options;
use rapport_test_support::mastodon::StandIn;
use serde_json::{Value, json};

use crate::support::{Served, encode};

/// A store synced from the stand-in's scenario, with bo's new question waiting, and the account
/// connected (credentials beside the store); returns the server over it and the question's URI.
fn synced(server: &StandIn) -> (Served, String) {
    server.scenario();
    let question = server.with(|s| {
        let id = s.bo_asks_about_the_compost_bin();
        // eve talked with me through 2023, and not since: a tie worth reviving.
        let eve = s.account("eve", Some("old.example"), "Eve");
        for month in 1..=9 {
            let at = format!("2023-0{month}-10T10:00:00.000Z");
            let hers = s.status(eve, "@me what do you grow this month?", None, &[1], "public", &at);
            s.notify("mention", eve, Some(hers), &at);
            let at = format!("2023-0{month}-10T12:00:00.000Z");
            let mine =
                s.status(1, "@eve@old.example beans, mostly", Some(hers), &[eve], "public", &at);
            s.own(mine);
        }
        s.all_statuses[&id]["uri"].as_str().expect("uri").to_owned()
    });
    let limits = Limits { backoff: std::time::Duration::from_millis(20), ..Limits::default() };
    let auth = mastodon::authorize(&server.url, limits.clone()).expect("authorize");
    let code = server.approve(&auth.url);
    let app = mastodon::finish(auth, &code, limits.clone()).expect("connect");
    let served = Served::store_with(|db| {
        let engine = Engine::open(&Config::with_db(db)).expect("open");
        let mut connection = Connection::Mastodon(app);
        let options = SyncOptions { limits, ..SyncOptions::default() };
        sync::sync(&mut connection, &mut &engine, &options, &mut Quiet).expect("sync");
        engine.refresh_views().expect("views");
        let mut credentials = Credentials::load(db.parent().expect("dir")).expect("credentials");
        credentials.connections.push(connection);
        credentials.save().expect("save");
    });
    (served, question)
}

/// The id of today's answer to bo.
fn answer_to_bo(served: &Served) -> Option<String> {
    let today = served.get("/api/today?limit=50").json();
    today["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["kind"] == "answer" && a["who"].as_str().is_some_and(|w| w.contains("bo")))
        .map(|a| a["id"].as_str().expect("id").to_owned())
}

fn statuses(server: &StandIn) -> usize {
    server.with(|s| s.all_statuses.len())
}

#[test]
fn a_reply_is_sent_after_the_check_and_stored_once() {
    let server = StandIn::start();
    let (served, question) = synced(&server);
    let action = answer_to_bo(&served).expect("an answer to bo waits");
    let before = served.stats().interactions;
    let posted_before = statuses(&server);

    // A pitch is flagged: not sent until the user insists.
    let pitch = json!({"action": action, "text": "Buy our premium compost bin today, 20% off, limited offer, click the link to order now!"});
    let flagged = served.post("/api/send", &pitch.to_string());
    assert_eq!(flagged.status, 409, "{}", flagged.body);
    assert!(flagged.json()["message"].as_str().expect("message").contains("anyway"));
    assert_eq!((served.stats().interactions, statuses(&server)), (before, posted_before));

    let reply =
        json!({"action": action, "text": "It does! Green and brown, both hold 300 litres."});
    let sent = served.post("/api/send", &reply.to_string());
    assert_eq!(sent.status, 200, "{}", sent.body);
    let sent = sent.json();
    assert_eq!(sent["reply_to"], question.as_str());
    assert_eq!(sent["check"]["verdict"], "fine");
    assert_eq!(statuses(&server), posted_before + 1);
    let (uri, parent) = server.with(|s| {
        let status = s.statuses.values().last().expect("sent").clone();
        let parent =
            s.all_statuses.values().find(|v| v["uri"] == question.as_str()).expect("q")["id"]
                .clone();
        (status["uri"].as_str().expect("uri").to_owned(), status["in_reply_to_id"] == parent)
    });
    assert!(parent, "the reply threads under bo's question");
    assert_eq!(sent["id"], uri.as_str());
    assert_eq!(served.stats().interactions, before + 1);
    // The answer leaves today's list, and bo's timeline holds the reply.
    assert_eq!(answer_to_bo(&served), None);
    let bo = served.get(&format!("/api/person/{}", encode("https://far.example/users/bo"))).json();
    assert!(bo["timeline"].to_string().contains("Green and brown"), "{bo}");

    // A later sync reads the same status back and stores nothing new.
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    let mut credentials = Credentials::load(served.db.parent().expect("dir")).expect("load");
    let options = SyncOptions { recent_only: true, ..SyncOptions::default() };
    sync::sync(&mut credentials.connections[0], &mut &engine, &options, &mut Quiet).expect("sync");
    drop(engine);
    assert_eq!(served.stats().interactions, before + 1);
}

#[test]
fn refused_tokens_a_network_down_and_no_account_send_and_write_nothing() {
    let server = StandIn::start();
    let (served, _) = synced(&server);
    let action = answer_to_bo(&served).expect("an answer to bo waits");
    let body = json!({"action": action, "text": "Thanks, good question!"}).to_string();
    let before = (served.stats().interactions, statuses(&server));
    let unchanged = |served: &Served| {
        assert_eq!((served.stats().interactions, statuses(&server)), before);
    };

    server.with(|s| s.expired = true);
    let refused = served.post("/api/send", &body);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.json()["message"].as_str().expect("m").contains("rapport connect mastodon"));
    unchanged(&served);
    server.with(|s| s.expired = false);

    let unknown = served.post("/api/send", &json!({"action": "nope", "text": "hi"}).to_string());
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let malformed = served.post("/api/send", "{\"action\": 1}");
    assert_eq!(malformed.status, 400, "{}", malformed.body);
    let no_csrf = served.post_with("/api/send", &body, &[("content-type", "application/json")]);
    assert_eq!(no_csrf.status, 403, "{}", no_csrf.body);
    unchanged(&served);

    // The instance goes away: a clear error naming the endpoint, nothing written.
    let credentials_path = served.db.parent().expect("dir").join("credentials.json");
    let saved = std::fs::read_to_string(&credentials_path).expect("read");
    std::fs::write(&credentials_path, saved.replace(&server.url, "http://127.0.0.1:9"))
        .expect("write");
    let down = served.post("/api/send", &body);
    assert_eq!(down.status, 502, "{}", down.body);
    assert!(
        down.json()["message"].as_str().expect("m").contains("/api/v2/search"),
        "{}",
        down.body
    );
    unchanged(&served);

    std::fs::remove_file(&credentials_path).expect("remove");
    let none = served.post("/api/send", &body);
    assert_eq!(none.status, 409, "{}", none.body);
    assert!(none.json()["message"].as_str().expect("m").contains("rapport connect mastodon"));
    unchanged(&served);
}

#[test]
fn a_server_viewing_another_day_says_so_and_sends_nothing() {
    let day = rapport_engine::model::time::parse("2026-06-01").expect("a date");
    let served = Served::demo_with(|o: &mut Options| o.view.as_of = Some(day));
    let page = served.get("/");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("viewing the store as of 2026-06-01"), "{}", page.body);
    assert!(!page.body.contains("data-send"), "a past view offers Send");
    let body = json!({"action": "x", "text": "hi"}).to_string();
    let refused = served.post("/api/send", &body);
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.json()["message"].as_str().expect("m").contains("--as-of"));
}

/// Today's action of `kind` about someone whose label holds `who`, with its plan.
fn action_of(served: &Served, kind: &str, who: &str) -> Option<Value> {
    let today = served.get("/api/today?limit=50").json();
    today["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["kind"] == kind && a["who"].as_str().is_some_and(|w| w.contains(who)))
        .cloned()
}

/// The status the stand-in received last.
fn last_status(server: &StandIn) -> Value {
    server.with(|s| s.statuses.values().last().expect("a status").clone())
}

/// Sends `text` for `action` and returns the answer's JSON, asserting a 200.
fn send(served: &Served, action: &Value, text: &str) -> Value {
    let body = json!({"action": action["id"], "text": text}).to_string();
    let sent = served.post("/api/send", &body);
    assert_eq!(sent.status, 200, "{}", sent.body);
    sent.json()
}

/// A later sync of the connected account, which must meet what was sent without a duplicate.
fn sync_again(served: &Served) {
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    let mut credentials = Credentials::load(served.db.parent().expect("dir")).expect("load");
    let options = SyncOptions { recent_only: true, ..SyncOptions::default() };
    sync::sync(&mut credentials.connections[0], &mut &engine, &options, &mut Quiet).expect("sync");
}

#[test]
fn a_thanks_an_introduction_and_a_revive_go_out_as_the_page_says_and_are_stored_once() {
    let server = StandIn::start();
    let (served, _) = synced(&server);
    let host = server.with(|s| s.host.clone());
    let page = served.get("/");
    assert_eq!(page.status, 200, "{}", page.body);

    // cy boosted my post without words: the thanks is a new public post naming cy.
    let thank = action_of(&served, "thank", "cy").expect("a thanks to cy");
    assert_eq!(thank["send"]["how"], "post", "{thank}");
    let says = thank["send"]["says"].as_str().expect("says");
    assert!(says.contains("public post") && says.contains(&format!("@cy@{host}")), "{says}");
    assert!(page.body.contains("anyone can see it"), "the page says who sees it");
    let before = (served.stats().interactions, statuses(&server));
    let sent = send(&served, &thank, "thank you for sharing the compost tips!");
    let posted = last_status(&server);
    assert_eq!(posted["visibility"], "public");
    assert_eq!(posted["in_reply_to_id"], Value::Null);
    assert_eq!(
        posted["content"],
        format!("<p>@cy@{host} thank you for sharing the compost tips!</p>")
    );
    assert_eq!(posted["mentions"][0]["username"], "cy");
    assert_eq!(sent["how"], "post");
    assert_eq!(sent["id"], posted["uri"]);
    assert_eq!(sent["text"], format!("@cy@{host} thank you for sharing the compost tips!"));
    assert_eq!((served.stats().interactions, statuses(&server)), (before.0 + 1, before.1 + 1));
    assert_eq!(action_of(&served, "thank", "cy"), None, "the thanks left today's list");

    // An introduction is a private message naming both: who introduces, and who is met.
    let introduce = action_of(&served, "introduce", "dee").expect("an introduction to dee");
    assert_eq!(introduce["send"]["how"], "private", "{introduce}");
    assert_eq!(introduce["send"]["names"], json!(["@bo@far.example", "@dee@near.example"]));
    assert!(page.body.contains("only they and you see it"), "the page says it is private");
    let sent = send(&served, &introduce, "would you two like to swap seeds this spring?");
    let posted = last_status(&server);
    assert_eq!(posted["visibility"], "direct");
    assert_eq!(
        posted["content"],
        "<p>@bo@far.example @dee@near.example would you two like to swap seeds this spring?</p>"
    );
    assert_eq!(sent["how"], "private");
    assert_eq!((served.stats().interactions, statuses(&server)), (before.0 + 3, before.1 + 2));
    assert_eq!(action_of(&served, "introduce", "dee"), None, "the introduction is done");

    // eve has been silent since 2023: a revive, sent as a private message to her alone.
    let revive = action_of(&served, "revive", "eve").expect("a revive of eve");
    assert_eq!(revive["send"]["how"], "private", "{revive}");
    let sent = send(&served, &revive, "how did the beans do this year?");
    let posted = last_status(&server);
    assert_eq!(posted["visibility"], "direct");
    assert_eq!(posted["content"], "<p>@eve@old.example how did the beans do this year?</p>");
    assert_eq!(sent["how"], "private");
    assert_eq!(action_of(&served, "revive", "eve"), None, "the revive is done");
    let eve = served.get(&format!("/api/person/{}", encode("eve@old.example"))).json();
    assert!(eve["timeline"].to_string().contains("how did the beans do"), "{eve}");
    let after = served.stats().interactions;
    assert_eq!(after, before.0 + 4);

    sync_again(&served);
    assert_eq!(served.stats().interactions, after, "the sync met what was sent");
}

#[test]
fn no_account_with_a_handle_or_no_account_on_the_network_says_why_and_sends_nothing() {
    let server = StandIn::start();
    let (served, _) = synced(&server);
    let host = server.with(|s| s.host.clone());
    // zed (known by an archive without a handle) boosted my post; so did a Bluesky account,
    // a network no account is connected on.
    let mine = format!("https://{host}/users/me/statuses/1");
    let at = rapport_engine::model::time::parse("2025-03-04T10:00:00Z");
    let zed = "https://nowhere.example/users/zed";
    let mut boost = Interaction::new(
        Network::Mastodon,
        at,
        zed,
        format!("https://{host}/users/me"),
        InteractionKind::Repost,
    );
    boost.native_id = Some(format!("{zed}/statuses/9/activity"));
    boost.post_id = Some(mine.clone());
    let mut repost = Interaction::new(
        Network::Bluesky,
        at,
        "did:plc:ann",
        "did:plc:me",
        InteractionKind::Repost,
    );
    repost.native_id = Some("at://did:plc:ann/app.bsky.feed.repost/3k".into());
    let ann = Account {
        handle: Some("ann.test".into()),
        ..Account::new(Network::Bluesky, "did:plc:ann")
    };
    let records = [
        Record::Account(Account::new(Network::Mastodon, zed)),
        Record::Interaction(boost),
        Record::Me(Account::new(Network::Bluesky, "did:plc:me")),
        Record::Account(ann),
        Record::Interaction(repost),
    ];
    let engine = Engine::open(&Config::with_db(&served.db)).expect("open");
    engine.sync_write("fixture", "extra", &records, "1").expect("write");
    engine.refresh_views().expect("views");
    drop(engine);

    let zed = action_of(&served, "thank", "zed").expect("a thanks to zed");
    assert_eq!(zed["sendable"], false);
    let why = zed["unsendable"].as_str().expect("a reason");
    assert!(why.contains("no mastodon account with a handle"), "{why}");
    assert!(served.get("/").body.contains("Send is unavailable"), "the page says why");
    let ann = action_of(&served, "thank", "ann").expect("a thanks to ann");
    assert_eq!((ann["sendable"].clone(), ann["unsendable"].clone()), (json!(false), Value::Null));

    let before = (served.stats().interactions, statuses(&server));
    let to_zed =
        served.post("/api/send", &json!({"action": zed["id"], "text": "thanks!"}).to_string());
    assert_eq!(to_zed.status, 409, "{}", to_zed.body);
    assert!(
        to_zed.json()["message"].as_str().expect("m").contains("with a handle"),
        "{}",
        to_zed.body
    );
    let to_ann =
        served.post("/api/send", &json!({"action": ann["id"], "text": "thanks!"}).to_string());
    assert_eq!(to_ann.status, 409, "{}", to_ann.body);
    assert!(
        to_ann.json()["message"].as_str().expect("m").contains("rapport connect bluesky"),
        "{}",
        to_ann.body
    );
    assert_eq!((served.stats().interactions, statuses(&server)), before);
    assert!(action_of(&served, "thank", "zed").is_some(), "a refusal leaves the action");
}
