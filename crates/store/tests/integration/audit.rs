//! A change and its audit entry commit in one transaction on the real PostgreSQL: an entry that
//! cannot be written takes its change with it, and a change that fails leaves no entry.

use rapport_model::{Account, Network, Record};
use rapport_store::postgres::audit::{AuditEntry, audited};
use rapport_store::{
    ImportCounts, PgDatabase, PgStore, Read, RecordWriter, Store, StoreError, WorkspaceId,
};
use rapport_test_support::postgres::database;

use super::meta;

fn entry(workspace: i64, user: Option<(i64, String)>, subject: &str) -> AuditEntry {
    AuditEntry {
        workspace: Some(workspace),
        user,
        action: "set-setting".into(),
        subject: subject.into(),
    }
}

/// The subjects of the workspace's log, oldest first.
fn log(db: &PgDatabase, workspace: i64) -> Vec<String> {
    let rows = db
        .client()
        .unwrap()
        .query("SELECT subject FROM audit_log WHERE workspace_id = $1 ORDER BY id", &[&workspace])
        .unwrap();
    rows.iter().map(|r| r.get(0)).collect()
}

fn setup() -> (rapport_test_support::postgres::Database, PgDatabase, PgStore, i64) {
    let pg = database();
    let db = PgDatabase::connect(pg.url()).unwrap();
    db.migrate().unwrap();
    let id = db.create_workspace("Acme").unwrap().id;
    db.create_workspace("Globex").unwrap();
    let store = db.store(id).unwrap();
    (pg, db, store, id.0)
}

#[test]
fn a_change_whose_audit_entry_fails_is_not_made() {
    let (_pg, db, store, ws) = setup();
    // No user 4242 exists: the entry's insert breaks its foreign key inside the transaction.
    let ghost = entry(ws, Some((4242, "ghost".into())), "offer=compost");
    let (changed, written) = audited(ghost, || store.set_setting("offer", "compost"));
    assert!(changed.is_err() && !written);
    assert_eq!(store.snapshot().unwrap().setting("offer").unwrap(), None);
    assert!(log(&db, ws).is_empty());

    // The same change with an entry that can be written: both, and once.
    let (changed, written) = audited(entry(ws, None, "offer=compost"), || {
        store.set_setting("offer", "compost")?;
        store.set_setting("offer2", "seeds")
    });
    assert!(changed.is_ok() && written);
    assert_eq!(store.snapshot().unwrap().setting("offer").unwrap().as_deref(), Some("compost"));
    assert_eq!(log(&db, ws), ["offer=compost"]);

    // An import batch too: nothing of it is kept when its entry cannot be written.
    let before = store.snapshot().unwrap().stats().unwrap();
    let ghost = AuditEntry { action: "import".into(), ..entry(ws, Some((4242, "g".into())), "f") };
    let (imported, written) = audited(ghost, || {
        store.import(&meta("f"), |w: &mut dyn RecordWriter| {
            w.write(&Record::Me(Account::new(Network::Mastodon, "me")))?;
            Ok::<_, StoreError>(ImportCounts { read: 1, ..ImportCounts::default() })
        })
    });
    assert!(imported.is_err() && !written);
    let after = store.snapshot().unwrap();
    assert_eq!(after.stats().unwrap(), before);
    assert!(after.imports().unwrap().is_empty());
}

#[test]
fn a_change_that_fails_leaves_no_entry() {
    let (_pg, db, store, ws) = setup();
    let (imported, written) = audited(entry(ws, None, "half an import"), || {
        store.import(&meta("f"), |w: &mut dyn RecordWriter| {
            w.write(&Record::Me(Account::new(Network::Mastodon, "me")))?;
            Err::<ImportCounts, _>(StoreError::Corrupt("a bad record".into()))
        })
    });
    assert!(imported.is_err() && !written);
    assert!(log(&db, ws).is_empty());
    assert!(store.snapshot().unwrap().imports().unwrap().is_empty());

    // A kept view is a cache, not a change: the entry waits for the change that follows.
    let (_, written) = audited(entry(ws, None, "done"), || {
        let generation = store.snapshot().unwrap().generation().unwrap();
        store.put_derived("people/#x", generation, b"view").unwrap();
        assert!(log(&db, ws).is_empty());
        store.set_action_state("act", rapport_store::ActionState::Done, None)
    });
    assert!(written);
    assert_eq!(log(&db, ws), ["done"]);

    // An entry of another workspace is not written by this one's change.
    let other = db.store(WorkspaceId(ws + 1)).unwrap();
    let (_, written) = audited(entry(ws, None, "elsewhere"), || other.set_setting("k", "v"));
    assert!(!written);
    assert_eq!(log(&db, ws), ["done"]);
    assert!(log(&db, ws + 1).is_empty());
}
