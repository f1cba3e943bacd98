//! Team mode's tables on a real PostgreSQL: users, memberships, sessions, API tokens,
//! invitations and the audit log.

use postgres::{Client, NoTls};
use rapport_store::PgDatabase;
use rapport_store::StoreError;
use rapport_store::postgres::teams::{self, Principal};
use rapport_test_support::postgres::{Database, database};

/// A migrated database with two workspaces (ids 1 and 2).
fn setup() -> (Database, Client) {
    let db = database();
    let pg = PgDatabase::connect(db.url()).unwrap();
    pg.migrate().unwrap();
    assert_eq!(pg.create_workspace("Acme").unwrap().id.0, 1);
    assert_eq!(pg.create_workspace("Globex").unwrap().id.0, 2);
    let c = Client::connect(db.url(), NoTls).unwrap();
    (db, c)
}

fn hash(n: u8) -> [u8; 32] {
    [n; 32]
}

#[test]
fn users_are_unique_without_case_and_names_stay_verbatim() {
    let (_db, mut c) = setup();
    let name = "Robert'); DROP TABLE users; --";
    let id = teams::create_user(&mut c, name, "$argon2id$x").unwrap();
    let login = teams::user_login(&mut c, &name.to_uppercase()).unwrap().unwrap();
    assert_eq!((login.id, login.name.as_str()), (id, name));
    let again = teams::create_user(&mut c, &name.to_lowercase(), "$argon2id$y");
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert!(teams::create_user(&mut c, "", "$argon2id$y").is_err());
    assert_eq!(teams::users(&mut c).unwrap().len(), 1);
    assert!(teams::user_login(&mut c, "nobody").unwrap().is_none());
}

#[test]
fn a_session_resolves_to_its_member_role_until_it_ends_or_they_leave() {
    let (_db, mut c) = setup();
    let ann = teams::create_user(&mut c, "ann", "h").unwrap();
    assert!(!teams::create_session(&mut c, &hash(1), ann, 1, 3600).unwrap(), "not a member yet");
    teams::set_member(&mut c, ann, 1, "editor").unwrap();
    assert!(teams::create_session(&mut c, &hash(1), ann, 1, 3600).unwrap());
    let expected =
        Principal { user_id: ann, user_name: "ann".into(), workspace_id: 1, role: "editor".into() };
    assert_eq!(teams::session(&mut c, &hash(1)).unwrap(), Some(expected));
    assert_eq!(teams::session(&mut c, &hash(2)).unwrap(), None);

    // Switching needs membership of the target.
    assert!(!teams::switch_workspace(&mut c, &hash(1), 2).unwrap());
    teams::set_member(&mut c, ann, 2, "viewer").unwrap();
    assert!(teams::switch_workspace(&mut c, &hash(1), 2).unwrap());
    let now = teams::session(&mut c, &hash(1)).unwrap().unwrap();
    assert_eq!((now.workspace_id, now.role.as_str()), (2, "viewer"));

    // Removed from the workspace: the session is gone with the membership.
    assert!(teams::remove_member(&mut c, ann, 2).unwrap());
    assert_eq!(teams::session(&mut c, &hash(1)).unwrap(), None);

    teams::set_member(&mut c, ann, 1, "owner").unwrap();
    assert!(teams::create_session(&mut c, &hash(3), ann, 1, 3600).unwrap());
    teams::end_session(&mut c, &hash(3)).unwrap();
    assert_eq!(teams::session(&mut c, &hash(3)).unwrap(), None);
}

#[test]
fn expired_sessions_open_nothing_and_are_swept() {
    let (_db, mut c) = setup();
    let ann = teams::create_user(&mut c, "ann", "h").unwrap();
    teams::set_member(&mut c, ann, 1, "owner").unwrap();
    assert!(teams::create_session(&mut c, &hash(1), ann, 1, -1).unwrap());
    assert_eq!(teams::session(&mut c, &hash(1)).unwrap(), None);
    teams::end_session(&mut c, &hash(9)).unwrap();
    let left: i64 = c.query_one("SELECT count(*) FROM sessions", &[]).unwrap().get(0);
    assert_eq!(left, 0);
}

#[test]
fn a_password_change_ends_every_session() {
    let (_db, mut c) = setup();
    let ann = teams::create_user(&mut c, "ann", "old").unwrap();
    teams::set_member(&mut c, ann, 1, "owner").unwrap();
    teams::create_session(&mut c, &hash(1), ann, 1, 3600).unwrap();
    assert!(teams::set_password(&mut c, ann, "new").unwrap());
    assert_eq!(teams::session(&mut c, &hash(1)).unwrap(), None);
    assert_eq!(teams::user_login(&mut c, "ann").unwrap().unwrap().password, "new");
}

#[test]
fn api_tokens_act_in_their_workspace_until_revoked_by_their_owner() {
    let (_db, mut c) = setup();
    let ann = teams::create_user(&mut c, "ann", "h").unwrap();
    let bob = teams::create_user(&mut c, "bob", "h").unwrap();
    teams::set_member(&mut c, ann, 1, "editor").unwrap();
    assert_eq!(teams::create_api_token(&mut c, &hash(5), ann, 2, "ci").unwrap(), None);
    let id = teams::create_api_token(&mut c, &hash(5), ann, 1, "ci").unwrap().unwrap();
    let who = teams::api_token(&mut c, &hash(5)).unwrap().unwrap();
    assert_eq!((who.user_id, who.workspace_id, who.role.as_str()), (ann, 1, "editor"));
    let listed = teams::api_tokens(&mut c, ann).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].last_used_at.is_some() && !listed[0].revoked);

    assert!(!teams::revoke_api_token(&mut c, bob, id).unwrap(), "bob revoked ann's token");
    assert!(teams::revoke_api_token(&mut c, ann, id).unwrap());
    assert!(!teams::revoke_api_token(&mut c, ann, id).unwrap(), "revoked twice");
    assert_eq!(teams::api_token(&mut c, &hash(5)).unwrap(), None);
    assert!(teams::api_tokens(&mut c, ann).unwrap()[0].revoked);
}

#[test]
fn an_invitation_is_accepted_once_and_a_taken_name_leaves_it_unused() {
    let (_db, mut c) = setup();
    let ann = teams::create_user(&mut c, "ann", "h").unwrap();
    teams::create_invitation(&mut c, &hash(7), 2, "viewer", Some(ann), 3600).unwrap();
    let taken = teams::accept_invitation(&mut c, &hash(7), "ANN", "h");
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    let (bob, workspace) = teams::accept_invitation(&mut c, &hash(7), "bob", "h").unwrap().unwrap();
    assert_eq!(workspace, 2);
    let member = teams::memberships(&mut c, bob).unwrap();
    assert_eq!((member.len(), member[0].role.as_str()), (1, "viewer"));
    assert_eq!(teams::accept_invitation(&mut c, &hash(7), "carl", "h").unwrap(), None);
    teams::create_invitation(&mut c, &hash(8), 2, "editor", None, -1).unwrap();
    assert_eq!(teams::accept_invitation(&mut c, &hash(8), "dan", "h").unwrap(), None, "expired");
    assert!(teams::user_login(&mut c, "dan").unwrap().is_none());
}

#[test]
fn roles_outside_the_three_are_refused_by_the_schema() {
    let (_db, mut c) = setup();
    let ann = teams::create_user(&mut c, "ann", "h").unwrap();
    assert!(teams::set_member(&mut c, ann, 1, "admin").is_err());
    assert!(teams::create_invitation(&mut c, &hash(1), 1, "root", None, 60).is_err());
    assert!(teams::members(&mut c, 1).unwrap().is_empty());
}

#[test]
fn the_audit_log_is_per_workspace_newest_first_and_verbatim() {
    let (_db, mut c) = setup();
    let ann = teams::create_user(&mut c, "ann", "h").unwrap();
    let subject = "people.csv'; DELETE FROM audit_log; --";
    teams::append_audit(&mut c, Some(1), Some((ann, "ann")), "import", subject).unwrap();
    teams::append_audit(&mut c, Some(1), Some((ann, "ann")), "send", "hello").unwrap();
    teams::append_audit(&mut c, Some(2), None, "move-store", "x.db").unwrap();
    let log = teams::audit_log(&mut c, 1, 10).unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["send", "import"]);
    assert_eq!(log[1].subject, subject);
    assert_eq!(teams::audit_log(&mut c, 2, 10).unwrap()[0].user_name, "rapport admin");
    assert_eq!(teams::audit_log(&mut c, 1, 1).unwrap().len(), 1);
}
