//! Deleting a workspace on the real PostgreSQL: every row of it goes, in every table, with its
//! partition, in one transaction; the other workspace keeps every row; the deletion is in the
//! global audit log; a deletion that fails deletes nothing.

use std::collections::BTreeMap;

use rapport_model::{Account, Network, Record};
use rapport_store::postgres::audit::AuditEntry;
use rapport_store::postgres::teams;
use rapport_store::postgres::{delete_workspace, workspace_tables};
use rapport_store::{ActionState, Backend, PgDatabase, Read, Store, StoreError, WorkspaceId};
use rapport_test_support::postgres::database;

use super::{import, reply};

/// Rows per table of `workspace`, and whether its interactions partition exists.
fn rows(db: &PgDatabase, workspace: i64) -> (BTreeMap<String, i64>, bool) {
    let mut c = db.client().unwrap();
    let mut out = BTreeMap::new();
    for table in workspace_tables(&mut *c).unwrap() {
        let sql = format!("SELECT count(*) FROM {table} WHERE workspace_id = $1");
        out.insert(table, c.query_one(&sql, &[&workspace]).unwrap().get(0));
    }
    let partition = format!("interactions_{workspace}");
    let exists = c.query_one("SELECT to_regclass($1) IS NOT NULL", &[&partition]).unwrap().get(0);
    (out, exists)
}

/// A workspace with a row in every table: data, settings, actions, views, members, sessions,
/// tokens, invitations and its audit log.
fn fill(db: &PgDatabase, workspace: i64, user: i64, n: u8) {
    let store = Backend::Postgres(db.store(WorkspaceId(workspace)).unwrap());
    let post = rapport_model::Post {
        network: Network::Mastodon,
        id: "p1".into(),
        author: "me".into(),
        at: Some(150),
        text: "#compost with @ada https://example.org".into(),
        hashtags: vec!["compost".into()],
        mentions: vec!["ada".into()],
        links: vec!["https://example.org".into()],
        ..rapport_model::Post::default()
    };
    import(
        &store,
        &[
            Record::Me(Account::new(Network::Mastodon, "me")),
            reply(100, "me", "ada"),
            reply(200, "ada", "me"),
            Record::Post(post),
        ],
    );
    let ada = store.snapshot().unwrap().find_accounts("ada").unwrap()[0].id;
    store.merge_accounts(&[ada]).unwrap();
    store.set_setting("offer", "compost").unwrap();
    store.set_action_state("act", ActionState::Done, None).unwrap();
    let generation = store.snapshot().unwrap().generation().unwrap();
    store.put_derived("people/#x", generation, b"view").unwrap();
    store.replace_kept_state("discover-blend/all#x", None, b"blend").unwrap();
    store
        .import(&super::meta("sync"), |w: &mut dyn rapport_store::RecordWriter| {
            w.save_cursor("mastodon:me", "notifications", "42")?;
            Ok::<_, StoreError>(rapport_store::ImportCounts::default())
        })
        .unwrap();
    let mut c = db.client().unwrap();
    teams::set_member(&mut *c, user, workspace, "owner").unwrap();
    assert!(teams::create_session(&mut *c, &[n; 32], user, workspace, 3600).unwrap());
    teams::create_api_token(&mut *c, &[n + 100; 32], user, workspace, "t").unwrap().unwrap();
    teams::create_invitation(&mut *c, &[n + 200; 32], workspace, "viewer", Some(user), 60).unwrap();
    teams::append_audit(&mut *c, Some(workspace), Some((user, "ann")), "import", "f").unwrap();
}

fn entry(user: Option<(i64, String)>) -> AuditEntry {
    AuditEntry { workspace: None, user, action: "delete-workspace".into(), subject: "Acme".into() }
}

#[test]
fn deleting_a_workspace_removes_every_row_of_it_and_nothing_else() {
    let pg = database();
    let db = PgDatabase::connect(pg.url()).unwrap();
    db.migrate().unwrap();
    let a = db.create_workspace("Acme").unwrap().id.0;
    let b = db.create_workspace("Globex").unwrap().id.0;
    let ann = teams::create_user(&mut *db.client().unwrap(), "ann", "$argon2id$x").unwrap();
    fill(&db, a, ann, 1);
    fill(&db, b, ann, 2);
    let (a_rows, a_partition) = rows(&db, a);
    let b_before = rows(&db, b);
    assert!(a_partition);
    let empty: Vec<_> = a_rows.iter().filter(|(_, n)| **n == 0).map(|(t, _)| t).collect();
    assert!(empty.is_empty(), "the test leaves tables empty: {empty:?}");

    // An entry that cannot be written (no user 4242): nothing is deleted.
    let failed = delete_workspace(&db, WorkspaceId(a), &entry(Some((4242, "x".into()))));
    assert!(failed.is_err());
    assert_eq!(rows(&db, a), (a_rows.clone(), true));

    let counts = delete_workspace(&db, WorkspaceId(a), &entry(None)).unwrap();
    let reported: BTreeMap<String, i64> =
        counts.tables.iter().map(|(t, n)| (t.clone(), *n as i64)).collect();
    assert_eq!(reported, a_rows, "the counts reported are the rows the workspace held");
    let (after, partition) = rows(&db, a);
    assert!(after.values().all(|n| *n == 0), "rows of the deleted workspace remain: {after:?}");
    assert!(!partition, "its interactions partition remains");
    assert_eq!(rows(&db, b), b_before, "the other workspace changed");
    assert!(db.workspace_by_name("Acme").unwrap().is_none());
    assert!(matches!(db.store(WorkspaceId(a)), Err(StoreError::NoWorkspace(_))));
    let mut c = db.client().unwrap();
    let global: Vec<(String, String)> = c
        .query("SELECT action, subject FROM audit_log WHERE workspace_id IS NULL", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(global, [("delete-workspace".to_owned(), "Acme".to_owned())]);
    // The user stays, a member of the other workspace only.
    let memberships = teams::memberships(&mut *c, ann).unwrap();
    assert_eq!(memberships.iter().map(|m| m.workspace_id).collect::<Vec<_>>(), [b]);
    let again = delete_workspace(&db, WorkspaceId(a), &entry(None));
    assert!(matches!(again, Err(StoreError::NoWorkspace(_))), "{again:?}");
}
