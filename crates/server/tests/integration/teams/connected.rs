//! A workspace's connected accounts in team mode, against the Mastodon stand-in: a sync and a
//! send use the workspace's own credentials (another workspace's members reach neither), only
//! editors and owners sync and send, only owners read and change settings, and each change is in
//! the workspace's audit log.

use rapport_engine::team::rules::Role;
use rapport_test_support::mastodon::StandIn;
use serde_json::json;

use super::support::Team;

#[test]
fn a_workspace_syncs_and_sends_with_its_own_accounts_only() {
    let team = Team::start();
    let server = StandIn::start();
    server.scenario();
    let question = server.with(|s| s.bo_asks_about_the_compost_bin());
    // A workspace of its own, with nothing but what its account brings.
    let c = team.pg.create_workspace("Initech").expect("workspace C").id.0;
    let editor = team.user("ed", c, Role::Editor);
    let viewer = team.user("vi", c, Role::Viewer);
    let owner = team.user("ow", c, Role::Owner);
    let other = team.user("b-editor", team.b, Role::Editor);

    // C's editor connects C's account in two steps: the page to approve Rapport on, then its code.
    let start = json!({"network": "mastodon", "instance": server.url}).to_string();
    assert_eq!(team.as_user(&viewer, "POST", "/api/team/accounts", Some(&start)).status, 403);
    let started = team.as_user(&editor, "POST", "/api/team/accounts", Some(&start));
    assert_eq!(started.status, 202, "{}", started.body);
    let code = server.approve(started.json()["approve_at"].as_str().expect("a page"));
    let code = json!({"code": code}).to_string();
    // Only who started the approval finishes it, in their workspace.
    let stolen = team.as_user(&other, "POST", "/api/team/accounts/mastodon/code", Some(&code));
    assert_eq!(stolen.status, 409, "{}", stolen.body);
    let finished = team.as_user(&editor, "POST", "/api/team/accounts/mastodon/code", Some(&code));
    assert_eq!(finished.status, 201, "{}", finished.body);
    assert!(finished.body.contains("\"account\":\"me@"), "{}", finished.body);
    let again = team.as_user(&editor, "POST", "/api/team/accounts/mastodon/code", Some(&code));
    assert_eq!(again.status, 409, "an approval is used once: {}", again.body);

    // An import that fails changes nothing, and the log says nothing happened.
    let failed = team.import(&editor, "bad.csv", "timestamp,source,target,kind\nnever,a,b,reply\n");
    assert_eq!(failed["state"], "failed", "{failed}");
    let log = team.audit_log(c);
    assert!(!log.iter().any(|e| e.starts_with("import")), "{log:?}");

    // Another workspace's editor sees no account and syncs nothing: C's tokens are not theirs.
    let listed = team.as_user(&other, "GET", "/api/team/accounts", None);
    assert_eq!((listed.status, listed.body.as_str()), (200, "[]"));
    let b_before = team.fingerprint(team.b);
    let refused = team.as_user(&other, "POST", "/api/sync", Some("{}"));
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("no account is connected"), "{}", refused.body);
    assert_eq!(team.fingerprint(team.b), b_before);
    assert_eq!(team.as_user(&viewer, "POST", "/api/sync", Some("{}")).status, 403);
    assert_eq!(team.as_user(&viewer, "GET", "/api/team/accounts", None).status, 403);

    let accounts = team.as_user(&editor, "GET", "/api/team/accounts", None).json();
    assert_eq!(accounts[0]["network"], "mastodon", "{accounts}");
    assert!(!accounts.to_string().contains("token"), "{accounts}");
    let synced = team.as_user(&editor, "POST", "/api/sync", Some("{}"));
    assert_eq!(synced.status, 200, "{}", synced.body);
    let synced = synced.json();
    assert_eq!(synced[0]["error"], serde_json::Value::Null, "{synced}");
    assert!(synced[0]["new"].as_u64().expect("new") > 0, "{synced}");
    let stats = team.engine(c).read().expect("read").stats().expect("stats");
    assert!(stats.interactions > 0);
    assert_eq!(team.audit_log(c).first().map(String::as_str), Some("sync /api/sync"));

    // Send the answer to bo's question through C's account.
    let today = team.as_user(&editor, "GET", "/api/today?limit=50", None).json();
    let action = today["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["kind"] == "answer" && a["who"].as_str().is_some_and(|w| w.contains("bo")))
        .and_then(|a| a["id"].as_str())
        .unwrap_or_else(|| panic!("no answer to bo in {today}"))
        .to_owned();
    let reply =
        json!({"action": action, "text": "It does! Green and brown, both hold 300 litres."})
            .to_string();
    let posted = server.with(|s| s.all_statuses.len());
    // Not by a viewer, and not by another workspace's editor (the action is not theirs).
    assert_eq!(team.as_user(&viewer, "POST", "/api/send", Some(&reply)).status, 403);
    let elsewhere = team.as_user(&other, "POST", "/api/send", Some(&reply));
    assert!(matches!(elsewhere.status, 404 | 409), "{}", elsewhere.body);
    assert_eq!(server.with(|s| s.all_statuses.len()), posted);
    let sent = team.as_user(&editor, "POST", "/api/send", Some(&reply));
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(server.with(|s| s.all_statuses.len()), posted + 1);
    let threaded = server.with(|s| {
        s.statuses.values().last().expect("sent")["in_reply_to_id"]
            == s.all_statuses[&question]["id"]
    });
    assert!(threaded, "the reply threads under bo's question");
    let after = team.engine(c).read().expect("read").stats().expect("stats");
    assert_eq!(after.interactions, stats.interactions + 1, "the sent reply is stored once");
    assert_eq!(team.audit_log(c).first().map(String::as_str), Some("send /api/send"));

    // Settings: owners only, each change in the log, no other workspace's touched.
    assert_eq!(team.as_user(&editor, "GET", "/api/settings", None).status, 403);
    let change = json!({"key": "offer", "value": "compost bins"}).to_string();
    assert_eq!(team.as_user(&editor, "POST", "/api/settings", Some(&change)).status, 403);
    let set = team.as_user(&owner, "POST", "/api/settings", Some(&change));
    assert_eq!(set.status, 204, "{}", set.body);
    let settings = team.as_user(&owner, "GET", "/api/settings", None).json();
    let offer = settings.as_array().expect("settings").iter().find(|s| s["key"] == "offer");
    assert_eq!(offer.map(|s| &s["value"]), Some(&json!("compost bins")), "{settings}");
    let bad = json!({"key": "cadence.close", "value": "often"}).to_string();
    let refused = team.as_user(&owner, "POST", "/api/settings", Some(&bad));
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(team.audit_log(c).first().map(String::as_str), Some("set-setting /api/settings"));
    assert_eq!(team.engine(team.b).read().expect("read").setting("offer").expect("offer"), "");

    // Disconnected: the tokens are gone (not from another workspace's request), the data stays.
    let account = accounts[0]["account"].as_str().expect("account").to_owned();
    let gone = json!({"account": account}).to_string();
    let elsewhere = team.as_user(&other, "POST", "/api/team/accounts/disconnect", Some(&gone));
    assert_eq!(elsewhere.status, 404, "{}", elsewhere.body);
    let done = team.as_user(&editor, "POST", "/api/team/accounts/disconnect", Some(&gone));
    assert_eq!(done.status, 204, "{}", done.body);
    assert_eq!(team.as_user(&editor, "GET", "/api/team/accounts", None).body, "[]");
    assert_eq!(team.as_user(&editor, "POST", "/api/sync", Some("{}")).status, 409);
    assert_eq!(team.engine(c).read().expect("read").stats().expect("stats"), after);
}
