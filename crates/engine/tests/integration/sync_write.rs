//! What `rapport sync` writes passes the checks every import applies: a server is as hostile as
//! any file.

use rapport_engine::model::{Interaction, InteractionKind, Network, Record};
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
