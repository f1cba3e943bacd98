//! The store's conformance story: what every `Store` implementation must do, told once against
//! the SQLite store. A second backend runs the same story.
// The story's steps fail the test on any error.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

mod teams;

use rapport_model::{Account, Interaction, InteractionKind, Network, Post, Record};
use rapport_store::{
    ActionState, ImportCounts, ImportMeta, Read, RecordWriter, SqliteStore, Store, StoreError,
};

fn meta(path: &str) -> ImportMeta {
    ImportMeta {
        path: path.into(),
        format: "test".into(),
        checksum: "x".into(),
        bytes: 0,
        started_at: 0,
    }
}

fn import(store: &SqliteStore, records: &[Record]) -> ImportCounts {
    store
        .import(&meta("t"), |w: &mut dyn RecordWriter| {
            for r in records {
                w.write(r)?;
            }
            Ok::<_, StoreError>(ImportCounts {
                read: records.len() as u64,
                ..ImportCounts::default()
            })
        })
        .unwrap()
        .counts
}

fn reply(at: i64, source: &str, target: &str) -> Record {
    Record::Interaction(Interaction::new(
        Network::Mastodon,
        Some(at),
        source,
        target,
        InteractionKind::Reply,
    ))
}

fn story(store: &SqliteStore) {
    let me = Account { handle: Some("me".into()), ..Account::new(Network::Mastodon, "m") };
    let records = vec![
        Record::Me(me),
        reply(100, "m", "ada"),
        reply(200, "ada", "m"),
        reply(200, "ada", "m"),
        Record::Interaction(Interaction::new(
            Network::Mastodon,
            None,
            "m",
            "bram",
            InteractionKind::Follow,
        )),
        Record::Post(Post {
            network: Network::Mastodon,
            id: "p1".into(),
            author: "m".into(),
            at: Some(150),
            text: "hello #compost".into(),
            hashtags: vec!["compost".into()],
            mentions: vec!["ada".into()],
            ..Post::default()
        }),
    ];
    // First import: everything is new; identical rows stay two interactions.
    let counts = import(store, &records);
    assert_eq!((counts.new, counts.known), (6, 0));
    // Again: nothing new.
    let counts = import(store, &records);
    assert_eq!((counts.new, counts.known), (0, 6));
    let stats = store.snapshot().unwrap().stats().unwrap();
    assert_eq!((stats.interactions, stats.posts, stats.accounts, stats.imports), (4, 1, 3, 2));
    assert_eq!((stats.first_at, stats.last_at), (Some(100), Some(200)));

    // "Me", lookups and as-of reads.
    let mine = store.snapshot().unwrap().me().unwrap();
    assert_eq!(mine.len(), 1);
    let m = mine[0].id;
    assert_eq!(store.snapshot().unwrap().find_accounts("@ME").unwrap()[0].id, m);
    assert_eq!(store.snapshot().unwrap().interactions_touching(&[m], None).unwrap().len(), 4);
    let early = store.snapshot().unwrap().interactions_touching(&[m], Some(150)).unwrap();
    assert_eq!(early.len(), 2, "the dated reply at 100 and the undated follow");
    assert_eq!(store.snapshot().unwrap().posts_by(&[m], None).unwrap()[0].hashtags, ["compost"]);
    assert_eq!(store.snapshot().unwrap().posts_between(100, 200).unwrap().len(), 1);

    // A failed batch changes nothing.
    let before = store.snapshot().unwrap().stats().unwrap();
    let failed = store.import(&meta("bad"), |w: &mut dyn RecordWriter| {
        w.write(&reply(300, "m", "chidi"))?;
        Err::<ImportCounts, StoreError>(StoreError::Corrupt("stop".into()))
    });
    assert!(failed.is_err());
    assert_eq!(store.snapshot().unwrap().stats().unwrap(), before);

    // Merging and splitting persons.
    let ada = store.snapshot().unwrap().find_accounts("ada").unwrap()[0].id;
    let bram = store.snapshot().unwrap().find_accounts("bram").unwrap()[0].id;
    let person = store.merge_accounts(&[ada, bram]).unwrap();
    let merged = store.snapshot().unwrap().merged_persons().unwrap();
    assert_eq!((merged.get(&ada), merged.get(&bram)), (Some(&person), Some(&person)));
    assert_eq!(store.snapshot().unwrap().stats().unwrap().people, 2);
    store.split_account(ada).unwrap();
    assert!(
        store.snapshot().unwrap().merged_persons().unwrap().is_empty(),
        "a person of one account is no merge"
    );

    // Settings and action states.
    store.set_setting("offer", "compost").unwrap();
    assert_eq!(store.snapshot().unwrap().setting("offer").unwrap().as_deref(), Some("compost"));
    store.set_action_state("abcd1234", ActionState::Snoozed, Some(500)).unwrap();
    store.set_action_state("abcd1234", ActionState::Done, None).unwrap();
    assert_eq!(
        store.snapshot().unwrap().action_states().unwrap()["abcd1234"],
        (ActionState::Done, None)
    );
}

#[test]
fn sqlite_tells_the_story() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.db");
    let store = SqliteStore::open(&path).unwrap();
    story(&store);
    drop(store);
    // Referential integrity holds although imports write with foreign keys off.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let violations: i64 =
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(violations, 0);
    // Reopening runs no migration twice and keeps everything.
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.snapshot().unwrap().stats().unwrap().interactions, 4);
}

#[test]
fn a_newer_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("INSERT INTO schema_migrations VALUES (99999999999999, 'future', 0)", []).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).err().expect("a newer store is refused");
    assert!(err.to_string().contains("upgrade rapport"), "{err}");
}

#[test]
fn kept_views_are_current_and_one_per_slot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kept.db");
    let store = SqliteStore::open(&path).unwrap();
    let kept_rows = || -> i64 {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.query_row("SELECT count(*) FROM derived", [], |r| r.get(0)).unwrap()
    };

    let now = store.snapshot().unwrap().generation().unwrap();
    store.put_derived("today/#settings-a@build", now, b"a").unwrap();
    store.put_derived("people/#@build", now, b"p").unwrap();
    assert_eq!(
        store.snapshot().unwrap().derived("today/#settings-a@build").unwrap().as_deref(),
        Some(&b"a"[..])
    );

    // Another variant of the same slot replaces it; other slots stay.
    store.put_derived("today/#settings-b@build", now, b"b").unwrap();
    assert_eq!(store.snapshot().unwrap().derived("today/#settings-a@build").unwrap(), None);
    assert_eq!(
        store.snapshot().unwrap().derived("today/#settings-b@build").unwrap().as_deref(),
        Some(&b"b"[..])
    );
    assert_eq!(
        store.snapshot().unwrap().derived("people/#@build").unwrap().as_deref(),
        Some(&b"p"[..])
    );
    assert_eq!(kept_rows(), 2);

    // A slot is the whole text up to `#`: a longer name is another slot.
    store.put_derived("today/ada#settings-a@build", now, b"ada").unwrap();
    assert_eq!(
        store.snapshot().unwrap().derived("today/#settings-b@build").unwrap().as_deref(),
        Some(&b"b"[..])
    );

    // An import moves the generation: every kept view is stale, and the next one kept drops them.
    import(&store, &[reply(1_700_000_000, "ada", "bo")]);
    assert!(store.snapshot().unwrap().generation().unwrap() > now);
    assert_eq!(store.snapshot().unwrap().derived("people/#@build").unwrap(), None);
    store
        .put_derived("people/#@build", store.snapshot().unwrap().generation().unwrap(), b"p2")
        .unwrap();
    assert_eq!(kept_rows(), 1);

    // A view computed from a generation that has since moved is never read as current.
    let before = store.snapshot().unwrap().generation().unwrap();
    import(&store, &[reply(1_700_000_100, "bo", "ada")]);
    store.put_derived("audit/#@build", before, b"stale").unwrap();
    assert_eq!(store.snapshot().unwrap().derived("audit/#@build").unwrap(), None);
}

#[test]
fn a_snapshot_sees_one_moment_while_a_writer_commits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.db");
    let store = SqliteStore::open(&path).unwrap();
    import(&store, &[reply(100, "ada", "bo")]);
    let snapshot = store.snapshot().unwrap();
    let generation = snapshot.generation().unwrap();
    assert_eq!(snapshot.stats().unwrap().interactions, 1);
    // A batch commits on another thread while the snapshot is open.
    std::thread::scope(|s| {
        s.spawn(|| {
            let store = &store;
            store
                .import(&meta("later"), |w: &mut dyn RecordWriter| {
                    w.write(&reply(200, "bo", "ada"))?;
                    Ok::<_, StoreError>(ImportCounts::default())
                })
                .unwrap();
        });
    });
    assert_eq!(snapshot.stats().unwrap().interactions, 1, "the open snapshot keeps its moment");
    assert_eq!(snapshot.generation().unwrap(), generation);
    assert_eq!(snapshot.interactions_touching(&[], None).unwrap().len(), 0);
    drop(snapshot);
    let next = store.snapshot().unwrap();
    assert_eq!(next.stats().unwrap().interactions, 2, "the next snapshot sees the commit");
    assert!(next.generation().unwrap() > generation);
}

#[test]
fn the_store_is_shared_between_threads() {
    fn assert_shared<T: Send + Sync>() {}
    assert_shared::<SqliteStore>();
}
