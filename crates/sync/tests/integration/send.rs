//! Sending through Mastodon's API, against the stand-in: a reply threads under the status
//! answered, a private message is a direct status naming its people, comes back as the records the next sync reads (so the store meets it once), and a
//! refused token, a read-only token or a network that is down send nothing.

use rapport_model::{InteractionKind, Record};
use rapport_sync::mastodon::{self, App};
use rapport_sync::{Connection, Mention, Outgoing, Quiet, SyncError};
use rapport_test_support::mastodon::StandIn;

use crate::mastodon::{connect, limits, options};
use crate::memory::Memory;

/// The URI of bo's status "hello @me", which waits for an answer in the scenario.
fn shout(server: &StandIn) -> String {
    server.with(|s| {
        let status = s.all_statuses.values().find(|v| v["content"] == "<p>hello @me</p>").unwrap();
        status["uri"].as_str().unwrap().to_owned()
    })
}

/// A reply to the status at `uri`.
fn reply(uri: &str, text: &str) -> Outgoing {
    Outgoing { text: text.into(), reply_to: Some(uri.into()), mentions: Vec::new(), private: false }
}

/// How many statuses the stand-in holds.
fn statuses(server: &StandIn) -> usize {
    server.with(|s| s.all_statuses.len())
}

#[test]
fn a_reply_is_posted_in_the_thread_and_meets_the_next_sync() {
    let server = StandIn::start();
    server.scenario();
    let app = connect(&server);
    let parent = shout(&server);
    let records = mastodon::post(&app, &reply(&parent, "glad you liked it"), limits()).unwrap();

    // The instance holds it as a reply to bo's status, mentioning bo so that bo hears of it.
    let (posted, in_reply_to) = server.with(|s| {
        let sent = s.statuses.values().last().unwrap().clone();
        let parent_id =
            s.all_statuses.values().find(|v| v["uri"] == parent.as_str()).unwrap()["id"].clone();
        (sent, parent_id)
    });
    assert_eq!(posted["in_reply_to_id"], in_reply_to);
    assert_eq!(posted["content"], "<p>@bo@far.example glad you liked it</p>");
    let uri = posted["uri"].as_str().unwrap();
    let reply = records
        .iter()
        .find_map(|r| match r {
            Record::Interaction(i) if i.kind == InteractionKind::Reply => Some(i),
            _ => None,
        })
        .expect("the sent status is a reply interaction");
    assert_eq!(reply.native_id.as_deref(), Some(uri));
    assert_eq!(reply.target, "https://far.example/users/bo");
    assert_eq!(reply.reply_to.as_deref(), Some(parent.as_str()));

    // The next sync reads the same status back: the same records, so a store keeps it once.
    let mut target = Memory::default();
    let mut connection = Connection::Mastodon(app);
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let synced = target.distinct();
    for record in &records {
        assert!(synced.contains(&format!("{record:?}")), "not met by the sync: {record:?}");
    }
}

#[test]
fn refused_tokens_and_a_network_that_is_down_send_nothing() {
    let server = StandIn::start();
    server.scenario();
    let app = connect(&server);
    let parent = shout(&server);
    let before = statuses(&server);
    let expect_unauthorized = |app: &App| {
        let err = mastodon::post(app, &reply(&parent, "hi"), limits()).unwrap_err();
        assert!(matches!(err, SyncError::Unauthorized { .. }), "{err}");
        assert!(err.to_string().contains("run `rapport connect mastodon"), "{err}");
    };

    // A token of an account connected before replies could be sent: reading only.
    server.with(|s| s.scopes = "read".into());
    expect_unauthorized(&app);
    server.with(|s| s.scopes = "read write:statuses".into());
    server.with(|s| s.expired = true);
    expect_unauthorized(&app);
    server.with(|s| s.expired = false);

    let empty = mastodon::post(&app, &reply(&parent, "  "), limits()).unwrap_err();
    assert!(empty.to_string().contains("empty"), "{empty}");
    let unknown = "https://far.example/users/bo/statuses/999999";
    let gone = mastodon::post(&app, &reply(unknown, "hi"), limits()).unwrap_err();
    assert!(gone.to_string().contains("cannot find"), "{gone}");
    assert_eq!(statuses(&server), before);

    let down = App { instance: "http://127.0.0.1:9".into(), ..app };
    let err = mastodon::post(&down, &reply(&parent, "hi"), limits()).unwrap_err();
    assert!(matches!(err, SyncError::Network { .. }), "{err}");
    assert_eq!(statuses(&server), before);
}

#[test]
fn a_private_message_is_a_direct_status_naming_them_and_meets_the_next_sync() {
    let server = StandIn::start();
    server.scenario();
    let app = connect(&server);
    let dee =
        Mention { handle: "dee@near.example".into(), id: "https://near.example/users/dee".into() };
    let host = server.with(|s| s.host.clone());
    let cy = Mention { handle: format!("cy@{host}"), id: format!("https://{host}/users/cy") };
    let message = Outgoing {
        text: format!("long time! how is the garden, @cy@{host}?"),
        reply_to: None,
        mentions: vec![dee, cy],
        private: true,
    };
    let records = mastodon::post(&app, &message, limits()).unwrap();
    let posted = server.with(|s| s.statuses.values().last().unwrap().clone());
    assert_eq!(posted["visibility"], "direct");
    assert_eq!(posted["in_reply_to_id"], serde_json::Value::Null);
    assert_eq!(
        posted["content"],
        format!("<p>@dee@near.example long time! how is the garden, @cy@{host}?</p>")
    );
    let mut named: Vec<&str> = posted["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["username"].as_str().unwrap())
        .collect();
    named.sort_unstable();
    assert_eq!(named, ["cy", "dee"]);
    let dms: Vec<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Interaction(i) if i.kind == InteractionKind::Dm => Some(i.target.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(dms.len(), 2, "{records:?}");

    let mut target = Memory::default();
    let mut connection = Connection::Mastodon(app);
    rapport_sync::sync(&mut connection, &mut target, &options(), &mut Quiet).unwrap();
    let synced = target.distinct();
    for record in &records {
        assert!(synced.contains(&format!("{record:?}")), "not met by the sync: {record:?}");
    }
}
