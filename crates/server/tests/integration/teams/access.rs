//! Getting in: logins with their cookie and CSRF token, the login rate limiter, API tokens and
//! their revocation, invitations, the workspace switcher, and hostile text kept verbatim.

use rapport_engine::team::rules::Role;
use serde_json::json;

use super::support::{PASSWORD, Team, masked};
use crate::support::ME;

/// Logs in through the API: (the cookie pair to send back, the CSRF token, the Set-Cookie line).
fn log_in(team: &Team, name: &str, password: &str) -> Result<(String, String, String), u16> {
    let body = json!({ "name": name, "password": password }).to_string();
    let answer = team.call(
        "POST",
        "/api/team/login",
        &[("content-type", "application/json")],
        Some(body.as_bytes()),
    );
    if answer.status != 200 {
        return Err(answer.status);
    }
    let set = answer.header("set-cookie").expect("a session cookie").to_owned();
    let pair = set.split(';').next().expect("name=value").to_owned();
    let csrf = answer.json()["csrf"].as_str().expect("a csrf token").to_owned();
    Ok((pair, csrf, set))
}

#[test]
fn a_login_sets_a_strict_http_only_cookie_whose_changes_need_its_csrf_token() {
    let team = Team::start();
    team.user("ann", team.a, Role::Owner);
    team.user("bob", team.a, Role::Editor);
    let (cookie, csrf, set) = log_in(&team, "ann", PASSWORD).expect("logged in");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attribute), "{set}");
    }
    assert!(!set.contains("Secure"), "loopback is plain HTTP: {set}");
    let me = team.call("GET", "/api/team/me", &[("cookie", &cookie)], None);
    assert_eq!(me.json()["user"], "ann", "{}", me.body);
    // The page carries this session's CSRF token, and another session's differs.
    let page = team.call("GET", "/", &[("cookie", &cookie)], None);
    assert!(page.body.contains(&csrf), "the page lacks the session's CSRF token");
    let (_, bobs_csrf, _) = log_in(&team, "bob", PASSWORD).expect("bob logged in");
    assert_ne!(csrf, bobs_csrf);

    let headers =
        |token: &'static str| [("cookie", cookie.clone()), ("x-csrf-token", token.to_owned())];
    let invite = br#"{"role": "viewer"}"#;
    let without = team.call(
        "POST",
        "/api/team/invitations",
        &[("cookie", &cookie), ("content-type", "application/json")],
        Some(invite),
    );
    assert_eq!(without.status, 403, "{}", without.body);
    let wrong = headers("not-the-token");
    let wrong: Vec<(&str, &str)> = wrong
        .iter()
        .map(|(n, v)| (*n, v.as_str()))
        .chain([("content-type", "application/json")])
        .collect();
    assert_eq!(team.call("POST", "/api/team/invitations", &wrong, Some(invite)).status, 403);
    let right = [
        ("cookie", cookie.as_str()),
        ("x-csrf-token", csrf.as_str()),
        ("content-type", "application/json"),
    ];
    assert_eq!(team.call("POST", "/api/team/invitations", &right, Some(invite)).status, 201);
    let foreign = [
        ("cookie", cookie.as_str()),
        ("x-csrf-token", csrf.as_str()),
        ("content-type", "application/json"),
        ("origin", "http://evil.example"),
    ];
    assert_eq!(team.call("POST", "/api/team/invitations", &foreign, Some(invite)).status, 403);

    // Logged out, the cookie opens nothing; pages send the browser to the login form.
    assert_eq!(team.call("POST", "/api/team/logout", &right, None).status, 204);
    assert_eq!(team.call("GET", "/api/team/me", &[("cookie", &cookie)], None).status, 401);
    let page = team.call("GET", "/people", &[("cookie", &cookie)], None);
    assert_eq!((page.status, page.header("location")), (303, Some("/login")));
    // The login form and its stylesheet open without a session.
    assert_eq!(team.call("GET", "/login", &[], None).status, 200);
    assert_eq!(team.call("GET", "/assets/app.css", &[], None).status, 200);
}

#[test]
fn failed_logins_lock_the_account_even_for_the_right_password() {
    let team = Team::start();
    team.user("ann", team.a, Role::Viewer);
    team.user("bob", team.a, Role::Viewer);
    assert_eq!(log_in(&team, "nobody", PASSWORD).err(), Some(401), "unknown names fail alike");
    for _ in 0..5 {
        assert_eq!(log_in(&team, "ann", "wrong password!!").err(), Some(401));
    }
    assert_eq!(log_in(&team, "ann", PASSWORD).err(), Some(429), "the account is locked");
    assert_eq!(log_in(&team, "ANN", PASSWORD).err(), Some(429), "whatever the case");
    assert!(
        log_in(&team, "bob", PASSWORD).is_ok(),
        "other accounts from this address still log in"
    );
}

#[test]
fn a_revoked_token_opens_nothing_and_only_its_owner_revokes_it() {
    let team = Team::start();
    let ann = team.user("ann", team.a, Role::Editor);
    let bob = team.user("bob", team.a, Role::Editor);
    let created = team.as_user(&ann, "POST", "/api/team/tokens", Some(r#"{"name": "ci"}"#));
    assert_eq!(created.status, 201, "{}", created.body);
    let created = created.json();
    let (id, secret) =
        (created["id"].as_i64().expect("id"), created["token"].as_str().expect("token"));
    let bearer = format!("Bearer {secret}");
    assert_eq!(team.call("GET", "/api/people", &[("authorization", &bearer)], None).status, 200);
    let listed = team.as_user(&ann, "GET", "/api/team/tokens", None);
    assert!(!listed.body.contains(secret), "a listing shows a secret");

    let bobs = team.as_user(&bob, "POST", &format!("/api/team/tokens/{id}/revoke"), None);
    let nobodys = team.as_user(&bob, "POST", "/api/team/tokens/999999/revoke", None);
    assert_eq!((bobs.status, nobodys.status), (404, 404));
    assert_eq!(bobs.body, nobodys.body, "another's token is answered as a missing one");
    let revoked = team.as_user(&ann, "POST", &format!("/api/team/tokens/{id}/revoke"), None);
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    for path in ["/api/people", "/api/team/me", "/"] {
        let answer = team.call("GET", path, &[("authorization", &bearer)], None);
        assert_eq!(answer.status, 401, "{path}: {}", answer.body);
    }
    let garbage = team.call(
        "GET",
        "/api/people",
        &[("authorization", "Bearer rat_'; DROP TABLE users; --")],
        None,
    );
    assert_eq!(garbage.status, 401);
}

#[test]
fn an_invitation_link_works_once_for_its_role() {
    let team = Team::start();
    let owner = team.user("olga", team.a, Role::Owner);
    let created =
        team.as_user(&owner, "POST", "/api/team/invitations", Some(r#"{"role": "viewer"}"#)).json();
    let link = created["link"].as_str().expect("a link");
    let token = link.strip_prefix("/invite?token=").expect("the invitation's token");
    let page = team.call("GET", link, &[], None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains(token), "the form carries the token");
    let accept = |name: &str| {
        let body = json!({ "token": token, "name": name, "password": PASSWORD }).to_string();
        team.call(
            "POST",
            "/api/team/invitations/accept",
            &[("content-type", "application/json")],
            Some(body.as_bytes()),
        )
    };
    let short = json!({ "token": token, "name": "vic", "password": "short" }).to_string();
    let refused = team.call(
        "POST",
        "/api/team/invitations/accept",
        &[("content-type", "application/json")],
        Some(short.as_bytes()),
    );
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(accept("vic").status, 201);
    assert_eq!(accept("mallory").status, 404, "an invitation works once");
    let (cookie, _, _) = log_in(&team, "vic", PASSWORD).expect("the invitee logs in");
    let me = team.call("GET", "/api/team/me", &[("cookie", &cookie)], None).json();
    assert_eq!((me["role"].as_str(), me["workspace_id"].as_i64()), (Some("viewer"), Some(team.a)));
    let log = team.as_user(&owner, "GET", "/api/team/audit-log", None).body;
    assert!(log.contains("\"invite\"") && log.contains("\"join\"") && log.contains("vic"), "{log}");
}

#[test]
fn a_session_switches_only_to_its_user_s_workspaces() {
    let team = Team::start();
    let both = team.user("bo", team.a, Role::Viewer);
    {
        let mut c = team.pg.client().expect("connection");
        rapport_engine::team::tables::set_member(&mut *c, both.id, team.b, "editor")
            .expect("member of B");
    }
    team.user("solo", team.a, Role::Editor);
    let switch = |cookie: &str, csrf: &str, workspace: i64| {
        let body = json!({ "workspace": workspace }).to_string();
        let headers =
            [("cookie", cookie), ("x-csrf-token", csrf), ("content-type", "application/json")];
        team.call("POST", "/api/team/workspaces/switch", &headers, Some(body.as_bytes()))
    };
    let (cookie, csrf, _) = log_in(&team, "solo", PASSWORD).expect("solo");
    let into_b = switch(&cookie, &csrf, team.b);
    let into_nothing = switch(&cookie, &csrf, 987_654);
    assert_eq!((into_b.status, into_nothing.status), (404, 404));
    assert_eq!(into_b.body, into_nothing.body);
    let (cookie, csrf, _) = log_in(&team, "bo", PASSWORD).expect("bo");
    assert_eq!(switch(&cookie, &csrf, team.b).status, 204);
    let me = team.call("GET", "/api/team/me", &[("cookie", &cookie)], None).json();
    assert_eq!((me["workspace_id"].as_i64(), me["role"].as_str()), (Some(team.b), Some("editor")));
}

#[test]
fn sql_looking_handles_and_texts_are_stored_and_shown_verbatim() {
    let team = Team::start();
    let editor = team.user("ed", team.a, Role::Editor);
    let handle = "o'brien\"; DROP TABLE accounts; --";
    let text = "'); DELETE FROM interactions WHERE ('1'='1 <script>alert(1)</script>";
    let table = format!(
        "timestamp,source,target,kind,network,text\n\
         2026-10-30T10:00:00Z,\"{}\",{ME},mention,mastodon,\"{}\"\n",
        handle.replace('"', "\"\""),
        text.replace('"', "\"\"")
    );
    let job = team.import(&editor, "hostile.csv", &table);
    assert_eq!(job["state"], "done", "{job}");
    let people = team.as_user(&editor, "GET", "/api/people?q=brien", None).json();
    assert_eq!(people["people"][0]["name"].as_str(), Some(handle), "{people}");
    let key = people["people"][0]["key"].as_str().expect("a key").to_owned();
    let person = team.as_user(
        &editor,
        "GET",
        &format!("/api/person/{}", crate::support::encode(&key)),
        None,
    );
    assert!(person.json().to_string().contains(&text.replace('"', "\\\"")), "{}", person.body);
    let page = team.as_user(&editor, "GET", "/people?q=brien", None).body;
    assert!(!page.contains("<script>alert"), "unescaped on the page");
    let owner = team.user("own", team.a, Role::Owner);
    let log = team.as_user(&owner, "GET", "/api/team/audit-log", None).json();
    assert!(
        log.as_array()
            .expect("entries")
            .iter()
            .any(|e| e["action"] == "import" && e["user"] == "ed"),
        "{log}"
    );
    // The workspace's other tables are still there.
    assert!(team.engine(team.a).read().expect("read").stats().expect("stats").interactions > 0);
    let _ = masked;
}

#[test]
fn owners_change_roles_and_remove_members_of_their_workspace_only() {
    let team = Team::start();
    let owner = team.user("olga", team.a, Role::Owner);
    let ed = team.user("ed", team.a, Role::Editor);
    let outsider = team.user("bea", team.b, Role::Owner);
    let change = |who: &super::support::User, user: i64, role: &str| {
        let body = json!({ "user_id": user, "role": role }).to_string();
        team.as_user(who, "POST", "/api/team/members", Some(&body))
    };
    assert_eq!(change(&ed, owner.id, "viewer").status, 403, "an editor manages no one");
    let foreign = change(&owner, outsider.id, "viewer");
    let missing = change(&owner, 987_654, "viewer");
    assert_eq!((foreign.status, missing.status), (404, 404));
    assert_eq!(foreign.body, missing.body, "another workspace's user is answered as a missing one");
    assert_eq!(change(&owner, owner.id, "editor").status, 400, "the last owner stays");
    assert_eq!(change(&owner, ed.id, "viewer").status, 204);
    let denied = team.as_user(&ed, "POST", "/api/person/split", Some(r#"{"account": "x:y"}"#));
    assert_eq!(denied.status, 403, "the new role applies at once: {}", denied.body);
    assert_eq!(change(&owner, ed.id, "none").status, 204);
    assert_eq!(
        team.as_user(&ed, "GET", "/api/people", None).status,
        401,
        "a removed member's token"
    );
    let members = team.as_user(&owner, "GET", "/api/team/members", None).body;
    assert!(
        members.contains("olga") && !members.contains("\"ed\"") && !members.contains("bea"),
        "{members}"
    );
}
