//! What only the PostgreSQL backend has: workspaces kept apart in one database, moving a SQLite
//! store into a workspace, and a pool that survives a server restart.

use rapport_model::{Account, Network, Post, Record};
use rapport_store::postgres::move_sqlite;
use rapport_store::{
    ActionState, Backend, PgDatabase, PgStore, Read, SqliteStore, Store, StoreError, WorkspaceId,
};
use rapport_test_support::postgres::{Cluster, database, database_on};

use super::{import, reply};

fn two_workspaces(db: &PgDatabase) -> (PgStore, PgStore) {
    let a = db.create_workspace("client a").unwrap();
    let b = db.create_workspace("client b").unwrap();
    (db.store(a.id).unwrap(), db.store(b.id).unwrap())
}

fn connect(url: &str) -> PgDatabase {
    let db = PgDatabase::connect(url).unwrap();
    db.migrate().unwrap();
    db
}

#[test]
fn a_write_in_one_workspace_is_invisible_in_another() {
    let pg = database();
    let db = connect(pg.url());
    let (a, b) = two_workspaces(&db);
    let (a, b) = (Backend::Postgres(a), Backend::Postgres(b));
    let generation_b = b.snapshot().unwrap().generation().unwrap();

    let records = [Record::Me(Account::new(Network::Mastodon, "me")), reply(100, "me", "ada")];
    import(&a, &records);
    let ada = a.snapshot().unwrap().find_accounts("ada").unwrap()[0].id;
    a.merge_accounts(&[ada]).unwrap();
    a.set_setting("offer", "compost").unwrap();
    a.set_action_state("act1", ActionState::Done, None).unwrap();
    let now = a.snapshot().unwrap().generation().unwrap();
    a.put_derived("people/#@t", now, b"a's view").unwrap();

    // B sees none of it, by listing, by id or by name, and its generation did not move.
    let seen = b.snapshot().unwrap();
    assert_eq!(seen.stats().unwrap(), rapport_store::Stats::default());
    assert!(seen.me().unwrap().is_empty());
    assert!(seen.find_accounts("ada").unwrap().is_empty());
    assert!(seen.accounts(&[ada]).unwrap().is_empty());
    assert!(seen.interactions_touching(&[ada], None).unwrap().is_empty());
    assert!(seen.merged_persons().unwrap().is_empty());
    assert!(seen.settings().unwrap().is_empty());
    assert!(seen.action_states().unwrap().is_empty());
    assert!(seen.imports().unwrap().is_empty());
    assert_eq!(seen.generation().unwrap(), generation_b, "generations are per workspace");
    assert_eq!(seen.derived("people/#@t").unwrap(), None);
    drop(seen);

    // The same data imported into B is new there: ids are per workspace, as in a SQLite store.
    let counts = import(&b, &records);
    assert_eq!((counts.new, counts.known), (2, 0));
    assert_eq!(b.snapshot().unwrap().find_accounts("ada").unwrap()[0].id, ada);
    // B's writes leave A as it was.
    b.set_setting("offer", "other").unwrap();
    let generation_a = a.snapshot().unwrap().generation().unwrap();
    b.merge_accounts(&[ada]).unwrap();
    assert_eq!(a.snapshot().unwrap().setting("offer").unwrap().as_deref(), Some("compost"));
    assert_eq!(a.snapshot().unwrap().generation().unwrap(), generation_a);
    assert_eq!(
        a.snapshot().unwrap().derived("people/#@t").unwrap().as_deref(),
        Some(&b"a's view"[..])
    );
    assert_eq!(a.snapshot().unwrap().stats().unwrap().imports, 1);
}

#[test]
fn workspaces_are_listed_and_named_once() {
    let pg = database();
    let db = connect(pg.url());
    let b = db.create_workspace("beta").unwrap();
    let a = db.create_workspace("alpha").unwrap();
    let names: Vec<String> = db.workspaces().unwrap().into_iter().map(|w| w.name).collect();
    assert_eq!(names, ["alpha", "beta"]);
    assert_eq!(db.workspace_by_name("beta").unwrap(), Some(b));
    assert_eq!(db.workspace_by_name("gamma").unwrap(), None);
    assert!(matches!(db.create_workspace("alpha"), Err(StoreError::WorkspaceExists(_))));
    assert!(matches!(db.store(WorkspaceId(a.id.0 + 100)), Err(StoreError::NoWorkspace(_))));
    // Migrating again changes nothing; opening by name finds the workspace made here.
    db.migrate().unwrap();
    let store = PgStore::open(pg.url(), "alpha").unwrap();
    assert_eq!(store.workspace(), a.id);
}

#[test]
fn a_bad_url_is_a_clear_error_without_the_password() {
    // A port nothing listens on: bind one, read it back, let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = PgDatabase::connect(&format!("postgres://u:hunter2@127.0.0.1:{port}/x")).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("cannot connect"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    assert!(err.is_user_error());
}

/// A personal store with something in every table.
fn personal_store(path: &std::path::Path) -> SqliteStore {
    let store = SqliteStore::open(path).unwrap();
    let me = Account { handle: Some("me".into()), ..Account::new(Network::Mastodon, "m") };
    let backend = Backend::Sqlite(store);
    let records = [
        Record::Me(me),
        reply(100, "m", "ada"),
        reply(200, "ada", "m"),
        reply(200, "ada", "m"),
        Record::Post(Post {
            network: Network::Mastodon,
            id: "p1".into(),
            author: "m".into(),
            at: Some(150),
            text: "hello #compost".into(),
            hashtags: vec!["compost".into()],
            mentions: vec!["ada".into()],
            links: vec!["https://example.org/".into()],
            ..Post::default()
        }),
    ];
    import(&backend, &records);
    backend
        .import(&super::meta("sync"), |w: &mut dyn rapport_store::RecordWriter| {
            w.write(&reply(300, "bo", "m"))?;
            w.save_cursor("mastodon:m", "notifications", "c9")?;
            Ok::<_, StoreError>(rapport_store::ImportCounts::default())
        })
        .unwrap();
    let snapshot = backend.snapshot().unwrap();
    let ada = snapshot.find_accounts("ada").unwrap()[0].id;
    let bo = snapshot.find_accounts("bo").unwrap()[0].id;
    drop(snapshot);
    backend.merge_accounts(&[ada, bo]).unwrap();
    backend.set_setting("offer", "compost").unwrap();
    backend.set_action_state("act1", ActionState::Snoozed, Some(900)).unwrap();
    let Backend::Sqlite(store) = backend else { unreachable!() };
    store
}

/// Everything a snapshot can tell, to compare two stores by.
fn everything(store: &impl Store) -> String {
    let s = store.snapshot().unwrap();
    let all: Vec<i64> = s.described_accounts().unwrap().iter().map(|a| a.id).collect();
    let mut ids: Vec<i64> = Vec::new();
    s.for_each_edge(None, &mut |e| ids.extend([e.source, e.target])).unwrap();
    ids.extend(all);
    ids.sort_unstable();
    ids.dedup();
    let mut merged: Vec<_> = s.merged_persons().unwrap().into_iter().collect();
    merged.sort_unstable();
    let mut states: Vec<_> = s.action_states().unwrap().into_iter().collect();
    states.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let imports: Vec<_> =
        s.imports().unwrap().into_iter().map(|i| (i.id, i.meta, i.counts)).collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        s.stats().unwrap(),
        s.accounts(&ids).unwrap(),
        s.interactions_touching(&ids, None).unwrap(),
        s.posts_by(&ids, None).unwrap(),
        merged,
        s.settings().unwrap(),
        states,
        imports,
        s.sync_cursors(None).unwrap(),
        s.me().unwrap(),
    )
}

#[test]
fn a_sqlite_store_moves_into_a_workspace_whole_and_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("personal.db");
    let personal = personal_store(&path);
    let expected = everything(&personal);
    drop(personal);

    let pg = database();
    let db = connect(pg.url());
    let (target, other) = two_workspaces(&db);
    let counts = move_sqlite(&path, &db, target.workspace()).unwrap();
    assert_eq!(everything(&target), expected, "every row arrives with its ids");
    let interactions = counts.tables.iter().find(|(t, _)| *t == "interactions").unwrap().1;
    assert_eq!(interactions, 4);

    // Again: the same workspace, row for row.
    let generation = target.snapshot().unwrap().generation().unwrap();
    assert_eq!(move_sqlite(&path, &db, target.workspace()).unwrap(), counts);
    assert_eq!(everything(&target), expected);
    assert!(
        target.snapshot().unwrap().generation().unwrap() > generation,
        "a move makes kept views stale"
    );
    assert_eq!(
        other.snapshot().unwrap().stats().unwrap().accounts,
        0,
        "other workspaces untouched"
    );

    // A workspace holding other data is refused, and left as it was.
    let other_backend = Backend::Postgres(other);
    import(&other_backend, &[reply(5, "zed", "yan")]);
    let before = everything(&other_backend);
    let Backend::Postgres(other) = other_backend else { unreachable!() };
    let err = move_sqlite(&path, &db, other.workspace()).unwrap_err();
    assert!(matches!(err, StoreError::MoveMismatch { .. }), "{err}");
    assert_eq!(everything(&other), before);
}

#[test]
fn the_store_reconnects_after_a_server_restart() {
    let cluster = Cluster::start();
    let pg = database_on(&cluster);
    let store = Backend::Postgres(PgStore::open(pg.url(), "w").unwrap());
    import(&store, &[reply(1, "ada", "bo")]);
    cluster.restart();
    // Connections the restart broke are replaced as they are checked out; none is handed out dead.
    for n in 0..20 {
        assert_eq!(store.snapshot().unwrap().stats().unwrap().interactions, 1 + n);
        import(&store, &[reply(10 + n as i64, "bo", "ada")]);
    }
    // Stopped, the store fails with an error rather than hanging.
    cluster.stop();
    assert!(store.snapshot().is_err());
}

#[test]
fn a_store_opens_through_the_servers_unix_socket() {
    let cluster = Cluster::start();
    let pg = database_on(&cluster);
    let folder: String = cluster
        .socket_dir()
        .to_str()
        .unwrap()
        .bytes()
        .map(|b| if b == b'/' { "%2F".to_owned() } else { char::from(b).to_string() })
        .collect();
    let url = format!("postgres://postgres@{folder}:{}/{}", cluster.port(), pg.name());
    let store = Backend::Postgres(PgStore::open(&url, "w").unwrap());
    import(&store, &[reply(100, "me", "ada")]);
    assert_eq!(store.snapshot().unwrap().stats().unwrap().interactions, 1);
}

#[test]
fn accounts_stored_before_their_table_was_partitioned_move_into_their_workspaces() {
    let pg = database();
    let mut raw = postgres::Client::connect(pg.url(), postgres::NoTls).unwrap();
    // A database as the build before the accounts migration left it, holding two workspaces.
    raw.batch_execute(include_str!("../../migrations-postgres/20261207060000_initial.sql"))
        .unwrap();
    raw.batch_execute(include_str!("../../migrations-postgres/20261207070000_teams.sql")).unwrap();
    raw.batch_execute(
        "CREATE TABLE rapport_schema_migrations (
             version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
         INSERT INTO rapport_schema_migrations VALUES
             (20261207060000, 'initial', 0), (20261207070000, 'teams', 0);
         INSERT INTO workspaces (name, created_at) VALUES ('a', 0), ('b', 0);
         INSERT INTO accounts (workspace_id, id, network, native_id, handle, is_me) VALUES
             (1, 1, 2, 'me', 'me.example', TRUE), (1, 2, 2, 'ada', 'ada.example', FALSE),
             (2, 1, 2, 'bob', NULL, FALSE);",
    )
    .unwrap();
    let a = Backend::Postgres(PgStore::open(pg.url(), "a").unwrap());
    let b = Backend::Postgres(PgStore::open(pg.url(), "b").unwrap());
    let me = a.snapshot().unwrap().me().unwrap();
    assert_eq!((me.len(), me[0].native_id.as_str()), (1, "me"));
    assert_eq!(
        a.snapshot().unwrap().accounts(&[2]).unwrap()[0].handle.as_deref(),
        Some("ada.example")
    );
    assert_eq!(b.snapshot().unwrap().accounts(&[1]).unwrap()[0].native_id, "bob");
    let partitions: i64 = raw
        .query_one("SELECT count(*) FROM pg_inherits WHERE inhparent = 'accounts'::regclass", &[])
        .unwrap()
        .get(0);
    assert_eq!(partitions, 2);
    // Later imports find the stored accounts: ada keeps her id, and nothing is duplicated.
    import(&a, &[reply(100, "me", "ada")]);
    let snapshot = a.snapshot().unwrap();
    assert_eq!(snapshot.stats().unwrap().accounts, 2);
    let touching = snapshot.interactions_touching(&[2], None).unwrap();
    assert_eq!(touching.len(), 1);
}
