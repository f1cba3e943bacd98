//! What `rapport sync` writes passes the checks every import applies: a server is as hostile as
//! any file.

use rapport_engine::model::{Interaction, InteractionKind, Network, Record};
use rapport_engine::sync::Deletion;
use rapport_engine::{Config, Engine};

fn reply(at: i64, source: &str) -> Record {
    Record::Interaction(Interaction::new(
        Network::Mastodon,
        Some(at),
        source,
        "me",
        InteractionKind::Reply,
    ))
}

#[test]
fn a_synced_record_dated_in_the_future_is_refused_and_the_rest_written() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(&Config::with_db(dir.path().join("sync.db"))).unwrap();
    // Year 9999 from a server: it would make itself the data's "now".
    let page = [
        reply(1_700_000_000, "ada"),
        reply(253_402_214_400, "bram"),
        reply(1_700_000_100, "b\u{1b}[2Jo"),
    ];
    let (counts, refused) =
        engine.sync_write("mastodon:me", "notifications", &page, "cursor-1").unwrap();
    assert_eq!((counts.new, counts.skipped), (1, 2), "{refused:?}");
    assert_eq!(refused.len(), 2);
    let stats = engine.read().unwrap().stats().unwrap();
    assert_eq!(stats.interactions, 1);
    assert_eq!(stats.last_at, Some(1_700_000_000), "the refused date is not the data's now");
    let cursors = engine.read().unwrap().sync_cursors(Some("mastodon:me")).unwrap();
    assert_eq!(cursors[0].cursor, "cursor-1", "the page's cursor is saved with what was written");
}

/// A deletion synced from a network (an unliked post, a deleted reply) leaves the store in the
/// batch's transaction, the relationship numbers change, and the kept views follow: they equal
/// those of an engine that never saw the deleted records.
#[test]
fn a_synced_deletion_changes_the_relationship_and_the_kept_views_follow() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sync.db");
    let engine = Engine::open(&Config::with_db(&db)).unwrap();
    let with_id = |at: i64, kind: InteractionKind, id: &str| {
        let mut i = Interaction::new(Network::Bluesky, Some(at), "did:plc:ada", "did:plc:me", kind);
        i.native_id = Some(format!("at://did:plc:ada/{id}"));
        Record::Interaction(i)
    };
    let page = [
        Record::Me(rapport_engine::model::Account::new(Network::Bluesky, "did:plc:me")),
        with_id(1_700_000_000, InteractionKind::Reply, "app.bsky.feed.post/1"),
        with_id(1_700_000_100, InteractionKind::Like, "app.bsky.feed.like/2"),
    ];
    engine.sync_write("bluesky:me", "firehose", &page, "1").unwrap();
    engine.refresh_views().unwrap();
    let to_me = |engine: &Engine| {
        let read = engine.read().unwrap();
        let people = read.people(&rapport_engine::View::default(), &Default::default()).unwrap();
        format!("{:?}", people.people)
    };
    let before = to_me(&engine);
    let deleted =
        [Deletion::Id(Network::Bluesky, "at://did:plc:ada/app.bsky.feed.like/2".to_owned())];
    let (_, _, removed) = engine.sync_apply("bluesky:me", "firehose", &[], &deleted, "2").unwrap();
    assert_eq!(removed, 1);
    assert!(engine.refresh_views().unwrap());
    let after = to_me(&engine);
    assert_ne!(after, before, "the unlike changes ada's numbers");
    let fresh = Engine::open(&Config::with_db(&db)).unwrap();
    assert_eq!(to_me(&fresh), after);
    assert_eq!(engine.read().unwrap().stats().unwrap().interactions, 1);
    let cursors = engine.read().unwrap().sync_cursors(Some("bluesky:me")).unwrap();
    assert_eq!(cursors[0].cursor, "2", "the cursor moved with the deletion");
}
