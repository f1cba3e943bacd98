//! The store's conformance suite: what every `Store` implementation must do, told once and run
//! against both backends (see `conformance!` at the end), so the two cannot drift; then what only
//! one backend has (PostgreSQL's workspaces, moving a SQLite store into one).
// The story's steps fail the test on any error.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

mod audit;
mod backends;
mod delete;
mod teams;
mod workspaces;

use backends::Maker;
use rapport_model::{Account, ActorKind, Interaction, InteractionKind, Network, Post, Record};
use rapport_store::{
    ActionState, Backend, ImportCounts, ImportMeta, Read, RecordWriter, Store, StoreError,
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

fn import(store: &Backend, records: &[Record]) -> ImportCounts {
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

fn tells_the_story(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
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

    // Referential integrity holds although imports write without per-row checks.
    assert_eq!(fresh.dangling_references(), 0);
    // Reopening runs no migration twice and keeps everything.
    let store = fresh.reopen().unwrap();
    assert_eq!(store.snapshot().unwrap().stats().unwrap().interactions, 4);
}

fn kept_views_are_current_and_one_per_slot(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    let kept_rows = || fresh.rows("derived");

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
    import(store, &[reply(1_700_000_000, "ada", "bo")]);
    assert!(store.snapshot().unwrap().generation().unwrap() > now);
    assert_eq!(store.snapshot().unwrap().derived("people/#@build").unwrap(), None);
    store
        .put_derived("people/#@build", store.snapshot().unwrap().generation().unwrap(), b"p2")
        .unwrap();
    assert_eq!(kept_rows(), 1);

    // A view computed from a generation that has since moved is never read as current.
    let before = store.snapshot().unwrap().generation().unwrap();
    import(store, &[reply(1_700_000_100, "bo", "ada")]);
    store.put_derived("audit/#@build", before, b"stale").unwrap();
    assert_eq!(store.snapshot().unwrap().derived("audit/#@build").unwrap(), None);
}

fn kept_state_outlives_generations_and_one_choice_wins(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    let read = |key: &str| store.snapshot().unwrap().kept_state(key).unwrap();
    assert_eq!(read("blend/#build-a"), None);
    // The first choice is kept; a second reader that also saw no row gets the first one back.
    assert_eq!(store.replace_kept_state("blend/#build-a", None, b"one").unwrap(), b"one");
    assert_eq!(store.replace_kept_state("blend/#build-a", None, b"two").unwrap(), b"one");
    assert_eq!(read("blend/#build-a").as_deref(), Some(&b"one"[..]));
    // An import moves the generation but leaves kept state alone.
    import(store, &[reply(1_700_000_000, "ada", "bo")]);
    assert_eq!(read("blend/#build-a").as_deref(), Some(&b"one"[..]));
    // Choosing again replaces what the chooser saw.
    assert_eq!(
        store.replace_kept_state("blend/#build-a", Some(b"one"), b"three").unwrap(),
        b"three"
    );
    // A snapshot opened before a choice keeps seeing the state of its moment.
    let before = store.snapshot().unwrap();
    store.replace_kept_state("blend/#build-a", Some(b"three"), b"four").unwrap();
    assert_eq!(before.kept_state("blend/#build-a").unwrap().as_deref(), Some(&b"three"[..]));
    drop(before);
    // Another build's key in the same slot replaces the slot; other slots stay.
    store.replace_kept_state("other/#build-a", None, b"x").unwrap();
    store.replace_kept_state("blend/#build-b", None, b"five").unwrap();
    assert_eq!(read("blend/#build-a"), None);
    assert_eq!(read("other/#build-a").as_deref(), Some(&b"x"[..]));
    assert_eq!(fresh.rows("kept_state"), 2);
}

fn posts_are_read_from_the_imports_after_one(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    let post = |id: &str, at: i64, private: bool| {
        Record::Post(Post {
            network: Network::Mastodon,
            id: id.into(),
            author: "ada".into(),
            at: Some(at),
            text: format!("{id} #compost"),
            private,
            ..Post::default()
        })
    };
    let since = |after: i64| {
        let mut got = Vec::new();
        store
            .snapshot()
            .unwrap()
            .for_each_post_since(after, &mut |import, _, at, text| {
                got.push((import, at, text.to_owned()));
            })
            .unwrap();
        got.sort();
        got
    };
    assert_eq!(store.snapshot().unwrap().posts_mark().unwrap(), (0, 0));
    import(store, &[post("p1", 100, false), post("dm", 110, true)]);
    let (first, count) = store.snapshot().unwrap().posts_mark().unwrap();
    assert_eq!(count, 1, "public posts only");
    // A later import, dated earlier: read by its import, not by its time; a post already stored
    // stays with the import that wrote it.
    import(store, &[post("p2", 50, false), post("p1", 100, false)]);
    let (second, count) = store.snapshot().unwrap().posts_mark().unwrap();
    assert!(second > first);
    assert_eq!(count, 2);
    assert_eq!(
        since(0),
        [
            (first, Some(100), "p1 #compost".to_owned()),
            (second, Some(50), "p2 #compost".to_owned())
        ]
    );
    assert_eq!(since(first), [(second, Some(50), "p2 #compost".to_owned())]);
    assert!(since(second).is_empty());
}

fn a_snapshot_sees_one_moment_while_a_writer_commits(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    import(store, &[reply(100, "ada", "bo")]);
    let snapshot = store.snapshot().unwrap();
    let generation = snapshot.generation().unwrap();
    assert_eq!(snapshot.stats().unwrap().interactions, 1);
    // A batch commits on another thread while the snapshot is open.
    std::thread::scope(|s| {
        s.spawn(|| {
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

fn a_newer_store_is_refused(fresh: Maker) {
    let fresh = fresh();
    fresh.mark_newer_schema();
    let err = fresh.reopen().err().expect("a newer store is refused");
    assert!(err.to_string().contains("upgrade rapport"), "{err}");
}

fn the_store_is_shared_between_threads(_: Maker) {
    fn assert_shared<T: Send + Sync>() {}
    assert_shared::<Backend>();
}

fn sync_cursors_commit_with_their_batch(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    let save = |cursor: &str, fail: bool| {
        store.import(&meta("sync"), |w: &mut dyn RecordWriter| {
            w.write(&reply(100, "ada", "bo"))?;
            w.save_cursor("bluesky:did:plc:me", "notifications", cursor)?;
            if fail {
                return Err(StoreError::Corrupt("stop".into()));
            }
            Ok(ImportCounts::default())
        })
    };
    save("c1", false).unwrap();
    save("c2", false).unwrap();
    assert!(save("c3", true).is_err());
    let cursors = store.snapshot().unwrap().sync_cursors(None).unwrap();
    assert_eq!(cursors.len(), 1);
    assert_eq!(cursors[0].cursor, "c2", "a failed batch keeps the cursor of the last good one");
    assert!(store.snapshot().unwrap().sync_cursors(Some("mastodon:x")).unwrap().is_empty());
    store.set_setting("b", "2").unwrap();
    store.set_setting("a", "1").unwrap();
    store.set_setting("a", "3").unwrap();
    assert_eq!(
        store.snapshot().unwrap().settings().unwrap(),
        [("a".to_owned(), "3".to_owned()), ("b".to_owned(), "2".to_owned())]
    );
}

/// Text that looks like SQL is data: stored and read back verbatim, found by exact lookup.
fn sql_looking_text_is_stored_verbatim(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    let evil = "Robert'); DROP TABLE accounts;--";
    let account = Account {
        handle: Some(evil.into()),
        display_name: Some("x' OR '1'='1".into()),
        ..Account::new(Network::Mastodon, "$1 ?1 %s \\0")
    };
    import(store, &[Record::Account(account), reply(5, "$1 ?1 %s \\0", "ada")]);
    let found =
        store.snapshot().unwrap().find_accounts(&format!("@{}", evil.to_uppercase())).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].handle.as_deref(), Some(evil));
    assert_eq!(found[0].native_id, "$1 ?1 %s \\0");
    assert!(store.snapshot().unwrap().find_accounts("x' OR '1'='1").unwrap().len() == 1);
    assert!(store.snapshot().unwrap().find_accounts("' OR 1=1 --").unwrap().is_empty());
    store.set_setting("'; DELETE FROM settings; --", "%").unwrap();
    assert_eq!(
        store.snapshot().unwrap().setting("'; DELETE FROM settings; --").unwrap().as_deref(),
        Some("%")
    );
    assert_eq!(store.snapshot().unwrap().stats().unwrap().accounts, 2);
}

/// A batch larger than the writers' buffers: identical rows stay apart across buffer boundaries,
/// every account is written once, and the same batch again adds nothing.
fn a_large_batch_is_whole_and_imports_once(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    let rows = 300_000;
    let mut records = Vec::with_capacity(rows + 2);
    records.push(Record::Me(Account::new(Network::Mastodon, "me")));
    for n in 0..rows as i64 {
        // Every row repeats once, far from its twin: the two are distinct interactions.
        records.push(reply(
            n % (rows as i64 / 2),
            &format!("a{}", n % 5_000),
            &format!("b{}", n % 3_000),
        ));
    }
    records.push(Record::Post(Post {
        network: Network::Mastodon,
        id: "p1".into(),
        author: "a7".into(),
        text: "hello".into(),
        mentions: vec!["someone new".into(), "b2".into()],
        ..Post::default()
    }));
    // One interaction with a native id, first and last: the same interaction, once.
    let Record::Interaction(mut native) = reply(7, "a1", "b1") else { unreachable!() };
    native.native_id = Some("status/1".into());
    records.insert(1, Record::Interaction(native.clone()));
    records.push(Record::Interaction(native));
    let counts = import(store, &records);
    assert_eq!((counts.new, counts.known), (records.len() as u64 - 1, 1));
    let stats = store.snapshot().unwrap().stats().unwrap();
    assert_eq!((stats.interactions, stats.accounts), (rows as u64 + 1, 5_000 + 3_000 + 2));
    assert_eq!(fresh.dangling_references(), 0);
    let counts = import(store, &records);
    assert_eq!((counts.new, counts.known), (0, records.len() as u64));
    let mut edges = 0;
    store.snapshot().unwrap().for_each_edge(None, &mut |_| edges += 1).unwrap();
    assert_eq!(edges, rows + 1);
}

fn merges_and_me_move_the_generation(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    import(store, &[reply(100, "ada", "bo"), reply(200, "bo", "cy")]);
    let ids: Vec<i64> = ["ada", "bo", "cy"]
        .iter()
        .map(|h| store.snapshot().unwrap().find_accounts(h).unwrap()[0].id)
        .collect();
    let (ada, bo, cy) = (ids[0], ids[1], ids[2]);
    let generation = || store.snapshot().unwrap().generation().unwrap();
    let mut last = generation();
    let mut moved = |what: &str| {
        let now = generation();
        assert!(now > last, "{what} moves the generation");
        last = now;
    };
    store.set_me(&[ada]).unwrap();
    moved("set_me");
    let person = store.merge_accounts(&[bo, cy]).unwrap();
    moved("a merge");
    assert_eq!(
        store.merge_accounts(&[ada, bo]).unwrap(),
        person,
        "a merge joins the existing person"
    );
    moved("a merge into a person");
    assert_eq!(store.snapshot().unwrap().stats().unwrap().people, 1);
    store.split_account(ada).unwrap();
    moved("a split");
    let me = store.snapshot().unwrap().me().unwrap();
    assert_eq!(me.iter().map(|a| a.id).collect::<Vec<_>>(), [ada]);
    assert_eq!(store.snapshot().unwrap().accounts(&[bo, cy, -5]).unwrap().len(), 2);
    // Settings and action states are not what views are derived from.
    let before = generation();
    store.set_setting("k", "v").unwrap();
    store.set_action_state("a1", ActionState::Done, None).unwrap();
    assert_eq!(generation(), before);
}

/// A deletion on the network removes what its id names, in the batch's transaction: a like, a
/// follow, and a reply with the mention it carries and its post; what is unnamed stays, a
/// record made and deleted in one batch is gone, an unknown id removes nothing, and the
/// generation moves so kept views follow.
fn deletions_remove_what_the_network_deleted(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    let bsky = |source: &str, target: &str, kind, native: &str| {
        let mut i = Interaction::new(Network::Bluesky, Some(10), source, target, kind);
        i.native_id = Some(native.to_owned());
        Record::Interaction(i)
    };
    let reply_uri = "at://ada/app.bsky.feed.post/r1";
    let post = Post {
        network: Network::Bluesky,
        id: reply_uri.into(),
        author: "ada".into(),
        at: Some(10),
        text: "hi #tag".into(),
        hashtags: vec!["tag".into()],
        mentions: vec!["m".into()],
        links: vec!["https://x.example".into()],
        reply_to: Some("at://m/app.bsky.feed.post/p".into()),
        reply_to_author: Some("m".into()),
        quote_of: None,
        private: false,
    };
    import(
        store,
        &[
            Record::Me(Account::new(Network::Bluesky, "m")),
            bsky("bo", "m", InteractionKind::Like, "at://bo/app.bsky.feed.like/l1"),
            bsky("bo", "m", InteractionKind::Like, "at://bo/app.bsky.feed.like/l2"),
            bsky("m", "ada", InteractionKind::Follow, "at://m/app.bsky.graph.follow/f1"),
            Record::Post(post),
            bsky("ada", "m", InteractionKind::Reply, reply_uri),
            bsky("ada", "m", InteractionKind::Mention, &format!("{reply_uri}#m")),
        ],
    );
    assert_eq!(store.snapshot().unwrap().stats().unwrap().interactions, 5);
    let before = store.snapshot().unwrap().generation().unwrap();
    let removed = store
        .import(&meta("sync"), |w: &mut dyn RecordWriter| {
            let mut removed = 0;
            // Made and deleted in the same batch.
            w.write(&bsky("cy", "m", InteractionKind::Repost, "at://cy/app.bsky.feed.repost/x"))?;
            for uri in [
                "at://cy/app.bsky.feed.repost/x",
                "at://bo/app.bsky.feed.like/l1",
                "at://m/app.bsky.graph.follow/f1",
                reply_uri,
                "at://nobody/app.bsky.feed.like/zz",
            ] {
                removed += w.delete(Network::Bluesky, uri)?;
            }
            Ok::<_, StoreError>(ImportCounts { read: removed, ..ImportCounts::default() })
        })
        .unwrap();
    assert_eq!(
        removed.counts.read, 6,
        "a repost, a like, a follow, a reply, its mention, its post"
    );
    let read = store.snapshot().unwrap();
    assert!(read.generation().unwrap() > before);
    let stats = read.stats().unwrap();
    assert_eq!((stats.interactions, stats.posts), (1, 0), "only the second like stays");
    let kept = read
        .interactions_touching(&read.me().unwrap().iter().map(|a| a.id).collect::<Vec<_>>(), None)
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].kind, InteractionKind::Like);
    // A deletion on another network names nothing here.
    let other = store
        .import(&meta("sync"), |w: &mut dyn RecordWriter| {
            w.delete(Network::Mastodon, "at://bo/app.bsky.feed.like/l2")
                .map(|n| ImportCounts { read: n, ..ImportCounts::default() })
        })
        .unwrap();
    assert_eq!(other.counts.read, 0);
    assert_eq!(store.snapshot().unwrap().stats().unwrap().interactions, 1);
    // A state without an id of its own (an undated follow a list gave) is undone as itself.
    let follow = Interaction::new(Network::Bluesky, None, "m", "cy", InteractionKind::Follow);
    import(store, &[Record::Interaction(follow.clone())]);
    assert_eq!(store.snapshot().unwrap().stats().unwrap().interactions, 2);
    let undone = store
        .import(&meta("sync"), |w: &mut dyn RecordWriter| {
            let n = w.undo(&follow)? + w.undo(&follow)?;
            Ok::<_, StoreError>(ImportCounts { read: n, ..ImportCounts::default() })
        })
        .unwrap();
    assert_eq!(undone.counts.read, 1);
    assert_eq!(store.snapshot().unwrap().stats().unwrap().interactions, 1);
}

/// Issue 18: an account's description and declared type are kept, filled in by a later source,
/// and never erased by one that does not know them.
fn profiles_are_kept_and_filled_in(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    let group = |description: Option<&str>, kind: Option<ActorKind>| Account {
        handle: Some("gardeners@town.example".into()),
        description: description.map(str::to_owned),
        kind,
        ..Account::new(Network::Mastodon, "https://town.example/users/gardeners")
    };
    let read = || {
        let found = store.snapshot().unwrap().find_accounts("@gardeners@town.example").unwrap();
        (found[0].description.clone(), found[0].kind)
    };
    import(store, &[Record::Account(group(None, None))]);
    assert_eq!(read(), (None, None));
    import(store, &[Record::Account(group(Some("We grow things"), Some(ActorKind::Group)))]);
    assert_eq!(read(), (Some("We grow things".into()), Some(ActorKind::Group)));
    import(store, &[Record::Account(group(None, None))]);
    assert_eq!(read(), (Some("We grow things".into()), Some(ActorKind::Group)), "nothing erased");
    // A new account arrives with both.
    let labeler = Account {
        description: Some("Labels spam".into()),
        kind: Some(ActorKind::Labeler),
        ..Account::new(Network::Bluesky, "did:plc:mod")
    };
    import(store, &[Record::Account(labeler)]);
    let found = store.snapshot().unwrap().find_accounts("did:plc:mod").unwrap();
    assert_eq!(
        (found[0].description.as_deref(), found[0].kind),
        (Some("Labels spam"), Some(ActorKind::Labeler))
    );
}

/// Runs each test function against a fresh store of each backend.
/// One relationship's two sides, read without the rest of the store: every interaction touching
/// the accounts asked once (those between two of them too), none other, whatever its date; and the
/// newest timestamp per network, as a whole-store scan gives it.
fn a_pair_is_read_without_the_rest_of_the_store(fresh: Maker) {
    let fresh = fresh();
    let store = &fresh.store;
    let on_bluesky = |at: Option<i64>, source: &str, target: &str| {
        Record::Interaction(Interaction::new(
            Network::Bluesky,
            at,
            source,
            target,
            InteractionKind::Like,
        ))
    };
    // Strangers' replies, so that a few accounts' rows are a small part of the store (which
    // SQLite reads through its indexes) and "me"'s with ada's a large one (read in one pass).
    let strangers: Vec<Record> =
        (0..30).map(|i| reply(10 + i, &format!("x{i}"), &format!("y{i}"))).collect();
    import(store, &strangers);
    import(
        store,
        &[
            reply(100, "m", "ada"),
            reply(300, "ada", "m"),
            reply(200, "ada", "ada"),
            reply(400, "bram", "ada"),
            reply(500, "bram", "chidi"),
            reply(900, "chidi", "bram"),
            on_bluesky(None, "m", "dora"),
            on_bluesky(Some(700), "dora", "m"),
        ],
    );
    let snapshot = store.snapshot().unwrap();
    let id = |name: &str| snapshot.find_accounts(name).unwrap()[0].id;
    let (m, ada, bram, chidi) = (id("m"), id("ada"), id("bram"), id("chidi"));
    let touching = |accounts: &[i64]| {
        let mut rows = Vec::new();
        snapshot
            .for_each_edge_touching(accounts, &mut |e| rows.push((e.source, e.target, e.at)))
            .unwrap();
        rows.sort_unstable();
        rows
    };
    let mut both = vec![
        (m, ada, Some(100)),
        (ada, m, Some(300)),
        (ada, ada, Some(200)),
        (bram, ada, Some(400)),
    ];
    both.sort_unstable();
    assert_eq!(touching(&[m, ada]), both);
    assert_eq!(touching(&[ada, m]), both, "the order of the accounts does not matter");
    assert_eq!(touching(&[chidi]), [(bram, chidi, Some(500)), (chidi, bram, Some(900))]);
    assert!(touching(&[]).is_empty());
    let mut all = Vec::new();
    snapshot.for_each_edge(None, &mut |e| all.push(e.at)).unwrap();
    let newest = |network: Option<Network>| snapshot.newest_at(network).unwrap();
    assert_eq!(newest(None), all.into_iter().flatten().max());
    assert_eq!(newest(Some(Network::Mastodon)), Some(900));
    assert_eq!(newest(Some(Network::Bluesky)), Some(700));
    assert_eq!(newest(Some(Network::X)), None);
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(super::backends::sqlite) })*
        }
        mod postgres {
            $(#[test] fn $name() { super::$name(super::backends::postgres) })*
        }
    };
}

conformance!(
    tells_the_story,
    a_newer_store_is_refused,
    kept_views_are_current_and_one_per_slot,
    kept_state_outlives_generations_and_one_choice_wins,
    posts_are_read_from_the_imports_after_one,
    a_snapshot_sees_one_moment_while_a_writer_commits,
    the_store_is_shared_between_threads,
    sync_cursors_commit_with_their_batch,
    sql_looking_text_is_stored_verbatim,
    a_large_batch_is_whole_and_imports_once,
    merges_and_me_move_the_generation,
    deletions_remove_what_the_network_deleted,
    profiles_are_kept_and_filled_in,
    a_pair_is_read_without_the_rest_of_the_store,
);
