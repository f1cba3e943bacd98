//! The isolation matrix: as each role of workspace A, read and write workspace B's people, person
//! pages, actions, imports, settings and map data by id, by handle and by guessing. Every attempt
//! is refused (404 as for what does not exist, or 403 for the role), no answer carries B's data,
//! and B's data is unchanged; viewers change nothing at all.

use rapport_engine::team::rules::Role;
use serde_json::json;

use super::support::{Team, User, masked};
use crate::support::ME;

/// Strings only workspace B's data (or its name) contains.
const B_MARKERS: [&str; 4] = ["zz-b-secret", "B-SECRET-TEXT", "Globex", "b-boss"];

const PAGES: [&str; 9] =
    ["/", "/people", "/map", "/discover", "/groups", "/audit", "/report", "/import", "/workspaces"];
const READS: [&str; 14] = [
    "/api/session",
    "/api/today",
    "/api/people",
    "/api/people?q=zz-b-secret",
    "/api/map",
    "/api/discover",
    "/api/groups",
    "/api/audit",
    "/api/report",
    "/api/team/me",
    "/api/team/tokens",
    "/api/team/audit-log",
    "/api/settings",
    "/api/team/accounts",
];

/// Whether `role` may read `path` at all (the rest is for every member).
fn may_read(role: &str, path: &str) -> bool {
    match path {
        "/api/team/audit-log" | "/api/settings" => role == "ann-owner",
        "/api/team/accounts" => role != "vi-viewer",
        _ => true,
    }
}

fn assert_clean(what: &str, body: &str) {
    for marker in B_MARKERS {
        assert!(!body.contains(marker), "{what} leaks workspace B's {marker}: {body:.300}");
    }
}

/// B's owner imports a person only B has, and returns (that person's key, the import job's id,
/// an action id of B's today).
fn seed_b(team: &Team, boss: &User) -> (String, u64, String) {
    let table = format!(
        "timestamp,source,target,kind,network,text\n\
         2026-10-30T10:00:00Z,zz-b-secret-handle,{ME},mention,mastodon,B-SECRET-TEXT about the merger\n\
         2026-10-30T11:00:00Z,{ME},zz-b-secret-handle,reply,mastodon,B-SECRET-TEXT reply\n"
    );
    let job = team.import(boss, "b.csv", &table);
    assert_eq!(job["state"], "done", "{job}");
    let people = team.as_user(boss, "GET", "/api/people?q=zz-b-secret", None).json();
    let key = people["people"][0]["key"].as_str().expect("B's person").to_owned();
    let today = team.as_user(boss, "GET", "/api/today", None).json();
    let action = today["actions"][0]["id"].as_str().expect("an action of B").to_owned();
    (key, job["id"].as_u64().expect("a job id"), action)
}

#[test]
fn no_role_of_one_workspace_reads_or_changes_another_s_data() {
    let team = Team::start();
    let boss = team.user("b-boss", team.b, Role::Owner);
    let (b_key, b_job, b_action) = seed_b(&team, &boss);
    // B has a connected account (and a setting): neither its sync nor its tokens reach A.
    let stand_in = rapport_test_support::mastodon::StandIn::start();
    stand_in.scenario();
    team.connect_mastodon(team.b, &stand_in);
    let b_offer = json!({"key": "offer", "value": "zz-b-secret offer"}).to_string();
    assert_eq!(team.as_user(&boss, "POST", "/api/settings", Some(&b_offer)).status, 204);
    let b_server = stand_in.url.trim_start_matches("http://").to_owned();
    let b_statuses = stand_in.with(|s| s.all_statuses.len());
    let users = [
        team.user("ann-owner", team.a, Role::Owner),
        team.user("ed-editor", team.a, Role::Editor),
        team.user("vi-viewer", team.a, Role::Viewer),
    ];
    let b_before = team.fingerprint(team.b);
    let b_today = team.as_user(&boss, "GET", "/api/today", None).body;

    for user in &users {
        for path in PAGES.iter().chain(&READS) {
            let answer = team.as_user(user, "GET", path, None);
            let allowed = may_read(&user.name, path);
            assert_eq!(answer.status, if allowed { 200 } else { 403 }, "{} GET {path}", user.name);
            assert_clean(&format!("{} GET {path}", user.name), &answer.body);
            assert!(!answer.body.contains(&b_server), "{} GET {path}: B's account", user.name);
        }
        // By handle, by key and by guessing: answered exactly as for a person nobody has.
        let missing = "never-anyone-handle";
        for prefix in ["/api/person/", "/person/"] {
            let nobody = team.as_user(user, "GET", &format!("{prefix}{missing}"), None);
            assert_eq!(nobody.status, 404, "{}", nobody.body);
            for key in [b_key.as_str(), "zz-b-secret-handle", "mastodon:zz-b-secret-handle"] {
                let answer = team.as_user(user, "GET", &format!("{prefix}{key}"), None);
                assert_eq!(answer.status, 404, "{} GET {prefix}{key}", user.name);
                assert_eq!(
                    masked(&answer.body, key),
                    masked(&nobody.body, missing),
                    "{prefix}{key}"
                );
            }
        }
        // B's import job, and a job id nobody has.
        let job = team.as_user(user, "GET", &format!("/api/import/{b_job}"), None);
        let none = team.as_user(user, "GET", "/api/import/987654", None);
        assert_eq!((job.status, none.status), (404, 404));
        assert_eq!(masked(&job.body, &b_job.to_string()), masked(&none.body, "987654"));

        // Writes aimed at B's data.
        let viewer = user.name == "vi-viewer";
        let writes = [
            (
                "/api/person/merge".to_owned(),
                json!({"accounts": ["mastodon:zz-b-secret-handle", "mastodon:never-anyone"]}),
            ),
            ("/api/person/split".to_owned(), json!({"account": "mastodon:zz-b-secret-handle"})),
            (format!("/api/today/{b_action}/done"), json!({})),
            (format!("/api/today/{b_action}/snooze"), json!({"days": 3})),
            ("/api/settings".to_owned(), json!({"key": "offer", "value": "x"})),
            ("/api/team/invitations".to_owned(), json!({"role": "owner"})),
            ("/api/sync".to_owned(), json!({})),
            (
                "/api/send".to_owned(),
                json!({"action": b_action, "text": "zz-b-secret-handle, thanks", "anyway": true}),
            ),
            (
                "/api/team/accounts".to_owned(),
                json!({"network": "bluesky", "handle": "zz-b-secret-handle", "password": "p",
                       "service": "http://127.0.0.1:9"}),
            ),
        ];
        for (path, body) in &writes {
            let body = body.to_string();
            let answer = team.as_user(user, "POST", path, Some(&body));
            // An error may repeat the handle asked for, as it does for one nobody has.
            let guessed = body.replace("zz-b-secret-handle", "never-anyone-handle");
            let nobody = team.as_user(user, "POST", path, Some(&guessed));
            assert_eq!(answer.status, nobody.status, "{} POST {path}", user.name);
            if answer.status >= 400 {
                assert_eq!(
                    masked(&answer.body, "zz-b-secret-handle"),
                    masked(&nobody.body, "never-anyone-handle"),
                    "{} POST {path}",
                    user.name
                );
            }
            assert_clean(
                &format!("{} POST {path}", user.name),
                &masked(&answer.body, "zz-b-secret-handle"),
            );
            let owner_only = path == "/api/settings" || path == "/api/team/invitations";
            if viewer || (owner_only && user.name == "ed-editor") {
                assert_eq!(answer.status, 403, "{} POST {path}: {}", user.name, answer.body);
            }
        }
        assert_eq!(team.fingerprint(team.b), b_before, "{} changed workspace B", user.name);
        assert_eq!(stand_in.with(|s| s.all_statuses.len()), b_statuses, "{} sent as B", user.name);
        let today = team.as_user(&boss, "GET", "/api/today", None).body;
        assert_eq!(today, b_today, "{} changed B's actions", user.name);
    }
}

#[test]
fn viewers_change_nothing_and_editors_do_the_day_s_work() {
    let team = Team::start();
    let viewer = team.user("vi", team.a, Role::Viewer);
    let editor = team.user("ed", team.a, Role::Editor);
    let a_before = team.fingerprint(team.a);
    let action = team.as_user(&viewer, "GET", "/api/today", None).json()["actions"][0]["id"]
        .as_str()
        .expect("an action")
        .to_owned();
    let people = team.as_user(&viewer, "GET", "/api/people?limit=2", None).json();
    let accounts: Vec<String> =
        (0..2).map(|i| people["people"][i]["key"].as_str().expect("a person").to_owned()).collect();
    let writes = [
        (format!("/api/today/{action}/done"), "{}".to_owned()),
        (format!("/api/today/{action}/snooze"), r#"{"days": 2}"#.to_owned()),
        ("/api/person/merge".to_owned(), json!({ "accounts": accounts }).to_string()),
        ("/api/person/split".to_owned(), json!({ "account": accounts[0] }).to_string()),
        ("/api/import?name=x.csv".to_owned(), "timestamp,source,target,kind\n".to_owned()),
        ("/api/team/invitations".to_owned(), r#"{"role": "viewer"}"#.to_owned()),
    ];
    for (path, body) in &writes {
        let answer = team.as_user(&viewer, "POST", path, Some(body));
        assert_eq!(answer.status, 403, "viewer POST {path}: {}", answer.body);
        assert!(
            answer.json()["message"].as_str().unwrap_or("").contains("viewer"),
            "{}",
            answer.body
        );
    }
    assert_eq!(team.fingerprint(team.a), a_before, "a viewer changed the workspace");
    // An editor marks the action done: allowed, and the audit log says who.
    let done = team.as_user(&editor, "POST", &format!("/api/today/{action}/done"), Some("{}"));
    assert!(done.status < 300, "{}", done.body);
    let owner = team.user("own", team.a, Role::Owner);
    let log = team.as_user(&owner, "GET", "/api/team/audit-log", None).json();
    let entry = &log[0];
    assert_eq!((entry["user"].as_str(), entry["action"].as_str()), (Some("ed"), Some("mark-done")));
    assert!(entry["subject"].as_str().unwrap_or("").contains(&action), "{entry}");
}
